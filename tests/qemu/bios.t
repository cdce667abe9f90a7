#!/usr/bin/env bash
# The BIOS-call service under SeaBIOS, both arches (docs/bios.md): E820,
# int 10h teletype, int 1Ah, E801/88h/12h, 1,000 consecutive calls with the
# CPU and platform state compared around each, and every refusal. The
# x86_64 guest also runs the service from a purgatory loaded above 4 GiB.
# The OVMF refusal (no legacy BIOS) is in x86_64-ovmf.t.
. "$(dirname "$0")/lib.sh"

# What every refusal must print on the serial console, besides its status.
refusal_messages() {
	local name=$1 log=$KJ_LOGDIR/$1.log re
	for re in "call block at 0x[0-9a-f]+ has magic 0x12345678" \
		"int 0x00 refused: vector above 0xff or unknown flags; status -11" \
		"refused: area not 4 KiB aligned, or not inside conventional memory below the EBDA; status -13" \
		"refused: area overlaps purgatory or the call block; status -13" \
		"refused: area overlaps the caller's GDT, IDT or stack; status -13" \
		"refused: bounce buffer not inside conventional memory \(0x500 up to the EBDA\); status -14" \
		"refused: bounce buffer smaller than data_size; status -14" \
		"refused: bounce buffer overlaps purgatory, the area or the call block; status -14" \
		"IVT entry 102 is 0000:0000 \(0x0\)" \
		"IVT entry 102 is a000:0000 \(0xa0000\)" \
		"int 0x66 refused: IVT entry is zero or points outside the BIOS ROM and conventional memory; status -15" \
		"caller's FS is 0x28, which its GDT \(base 0x[0-9a-f]+ limit 0x2f\) cannot load again" \
		"refused: a data selector could not be given back after real mode; status -16" \
		"BIOS call refused: status -1, parameter block missing" \
		"BIOS list at 0x20000: [0-9]+ of 32 calls ran, status 0" \
		"BIOS list 1/32: int 0x15 eax 0xe820 -> status 0 cf 0 eax 0x534d4150 ebx 0x1 " \
		"BIOS list 1/32: data 000000000000000000fc09000000000001000000" \
		"BIOS list at 0x20000 has magic 0x1234 count 32" \
		"BIOS list 3/32: magic 0x0 size 136; status -11"; do
		if grep -Eq "kjump: .*$re" "$log"; then
			kj_ok "$name: serial console says: $re"
		else
			kj_not_ok "$name: no serial message matching /$re/"
		fi
	done
}

common="lowload=0x40000 area=0x10000 bounce=0x14000 mem=64 date=20010203 calls=1000"
rtc="base=2001-02-03T04:05:06,clock=vm"
for arch in i386 x86_64; do
	KJ_KERNEL=bios_kernel KJ_TESTS=35 kj_run $arch-bios $arch seabios "load=0x1000000 $common" 1 \
		"^# 10[0-9][0-9] calls checked for state drift, 0 drifted" -- -m 64 -rtc "$rtc"
	refusal_messages $arch-bios
done
# Purgatory at 5 GiB: the area's copy of the page-table root is what makes
# the way back into long mode possible from there.
KJ_KERNEL=bios_kernel KJ_TESTS=2 kj_run x86_64-bios-above-4g x86_64 seabios \
	"load=0x140000000 lowload=0x40000 area=0x10000 bounce=0x14000 calls=300 high=1" 1 \
	"^# 30[0-9] calls checked for state drift, 0 drifted" -- -m 6G
kj_done
