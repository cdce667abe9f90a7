#!/usr/bin/env bash
# A one-way boot that succeeds (kexec without preserve context: purgatory
# entered with a 0 word, B booted, nothing to return to), on both arches,
# into a 32-bit probe booted from entry32_regs (kexec-tools' 32-bit
# loader; on x86_64 kexec --entry-32bit, through purgatory's way down from
# long mode). The probe ends the run through isa-debug-exit with 0x10,
# plus 1 if CR4 was not 0 (x86_64 only: long mode's PAE must not reach a
# 32-bit entry) and plus 2 if A's crash-note buffer, named in B's ELF core
# header, was written (a one-way boot has no A, so no note): QEMU's status
# is that value * 2 + 1, so 33 is the only pass.
. "$(dirname "$0")/lib.sh"
for arch in i386 x86_64; do
	case $arch in
	x86_64)	boot='kjump: booting B in 32-bit protected mode at 0x[0-9a-f]+ \(entry32_regs\)' ;;
	i386)	boot='kjump: booting B one-way' ;;
	esac
	kj_run $arch-one-way-probe $arch seabios "load=0x1000000 mode=one-way-probe" 33 "$boot" -- -m 256
done
kj_done
