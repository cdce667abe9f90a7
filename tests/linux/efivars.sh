# EFI variables through efivarfs, for both kernels' /init under UEFI
# (sourced; tests/linux/init-a.sh says what the test does with them). KjT
# variables, all under the test's own GUID.
EFIVARS=/sys/firmware/efi/efivars
KJ_GUID=d1d0c8b6-0c1e-4f1b-9a3b-6b6a756d7031
# efivarfs takes a variable in one write(): attributes, then the data
# (busybox's printf writes the two separately, so the bytes go through a
# file and cat). NV|BS|RT: after ExitBootServices the firmware creates only
# non-volatile runtime variables (OVMF refuses BS|RT alone: EINVAL).
efi_set() { printf '\007\000\000\000%s' "$2" > /tmp/efivar && cat /tmp/efivar > $EFIVARS/$1-$KJ_GUID; }
# efivarfs lists the variables it found at mount time: mount it again
# (GetNextVariableName for every variable) to see the other kernel's.
efi_get() {
	umount $EFIVARS && mount -t efivarfs efivarfs $EFIVARS && tail -c +5 $EFIVARS/$1-$KJ_GUID 2>/dev/null
}
