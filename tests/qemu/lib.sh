# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the tests/qemu/*.t scripts: boots one QEMU guest per kj_run and
# turns what it prints on the serial port into TAP for prove.
#
#   [KJ_TESTS=N] kj_run NAME ARCH FIRMWARE "GUEST CMDLINE" EXPECTED_STATUS [REGEX] [-- QEMU ARGS]
#     KJ_TESTS: how many tests the guest must report (pins the count, so a
#     guest that silently skips a section fails).
#     KJ_KERNEL: the SeaBIOS guest image, default kernel_a (bios_kernel: the
#     BIOS-call kernel).
#     FIRMWARE: seabios (multiboot through -kernel) or ovmf (EFI application)
#     EXPECTED_STATUS: QEMU's exit status; the guest exits through
#     isa-debug-exit, so 1 = guest finished, 129 = purgatory halted (fatal).
#     REGEX: an extended regex the serial log must match.
#   kj_done: prints the plan; exit status tells prove whether all passed.

set -u
KJ_O=${KJ_O:-build}
# A guest normally finishes in under 15 s under TCG; the limit only has to
# turn a hang into a failure, with room for a slow machine.
KJ_TIMEOUT=${KJ_TIMEOUT:-180}
KJ_LOGDIR=$KJ_O/tests/logs
mkdir -p "$KJ_LOGDIR"
kj_n=0
kj_failed=0

kj_ok() { kj_n=$((kj_n + 1)); echo "ok $kj_n - $*"; }
kj_not_ok() { kj_n=$((kj_n + 1)); kj_failed=$((kj_failed + 1)); echo "not ok $kj_n - $*"; }

kj_run() {
	local name=$1 arch=$2 fw=$3 cmdline=$4 want_status=$5 regex=${6:-}
	shift 5
	[ $# -gt 0 ] && shift
	[ "${1:-}" = "--" ] && shift
	local log=$KJ_LOGDIR/$name.log qemu fwargs status
	case $arch in
	i386) qemu=qemu-system-i386 ;;
	x86_64) qemu=qemu-system-x86_64 ;;
	esac
	local image=$KJ_O/tests/$arch/${KJ_KERNEL:-kernel_a}.bin
	[ "$fw" = ovmf ] && image=$KJ_O/tests/$arch/kernel_a.efi
	if [ ! -s "$image" ]; then
		# Booting without it would end in a firmware shell and a timeout.
		kj_not_ok "$name: $image is missing (run make test-kernels)"
		return
	fi
	case $fw in
	seabios) fwargs=(-kernel "$image" -append "$cmdline") ;;
	ovmf)
		local esp=$KJ_O/tests/$arch/esp-$name
		rm -rf "$esp" && mkdir -p "$esp/EFI/BOOT"
		cp "$image" "$esp/EFI/BOOT/BOOTX64.EFI"
		printf '%s' "$cmdline" > "$esp/kjtest.cmdline"
		fwargs=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
			-drive if=pflash,format=raw,snapshot=on,file=/usr/share/OVMF/OVMF_VARS_4M.fd
			-drive format=raw,file=fat:rw:"$esp") ;;
	esac
	echo "# $name: $qemu $cmdline (log: $log)"
	timeout --foreground "$KJ_TIMEOUT" "$qemu" -machine pc -display none -no-reboot -nic none \
		-serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		"${fwargs[@]}" "$@" </dev/null >"$log.qemu" 2>&1
	status=$?
	# Re-number the guest's own TAP lines into this script's sequence.
	local line guest_tests=0 guest_failed=0
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"ok "*) guest_tests=$((guest_tests + 1)); kj_ok "$name: ${line#ok * - }" ;;
		"not ok "*) guest_tests=$((guest_tests + 1)); guest_failed=1; kj_not_ok "$name: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		*) echo "# | $line" ;;
		esac
	done < "$log"
	if [ "$status" = "$want_status" ]; then
		kj_ok "$name: QEMU exited with status $status"
	else
		kj_not_ok "$name: QEMU exited with status $status, wanted $want_status (124: timeout; 0: reset or triple fault)"
		sed 's/^/# qemu: /' "$log.qemu" | tail -5
	fi
	if [ "$want_status" = 1 ]; then
		if grep -q "^# kernel A: done, $guest_tests test(s), 0 failed" "$log" && [ "$guest_tests" -gt 0 ] &&
		   [ "$guest_tests" = "${KJ_TESTS:-$guest_tests}" ]; then
			kj_ok "$name: guest ran all $guest_tests of its tests to the end"
		else
			kj_not_ok "$name: guest did not finish its tests cleanly ($guest_tests seen, ${KJ_TESTS:-any} wanted)"
		fi
	fi
	if [ -n "$regex" ]; then
		if grep -Eq "$regex" "$log"; then
			kj_ok "$name: serial log matches /$regex/"
		else
			kj_not_ok "$name: serial log does not match /$regex/"
		fi
	fi
}

kj_done() {
	echo "1..$kj_n"
	[ "$kj_failed" -eq 0 ]
}
