#!/usr/bin/env bash
# Calls purgatory cannot return from, on both arches. Each must end in a
# FATAL message naming the reason and QEMU status 129 (purgatory's
# debug-exit write), never a hang (124) or a triple fault (0). Purgatory
# is at 0x1000000; raw_call() pushes the bad word, so the stack pointer
# purgatory sees is the one given minus a word. The stack inside purgatory
# is 2 KiB below its stack_end (from the image header).
. "$(dirname "$0")/lib.sh"
for arch in i386 x86_64; do
	word=$([ $arch = i386 ] && echo 4 || echo 8)
	stack_end=$(python3 scripts/kjimage.py show "${KJ_O:-build}/$arch/purgatory.bin" | awk '$1 == "stack_end" { print $2 }')
	reason='is not a place to return to'
	kj_run $arch-fatal-reentry-zero $arch seabios "load=0x1000000 mode=fatal-reentry-zero" 129 \
		"kjump: FATAL: entry 2 from side A: re-entry address 0x0 $reason" -- -m 256
	kj_run $arch-fatal-one-way-digest $arch seabios "load=0x1000000 mode=fatal-one-way-digest" 129 \
		"kjump: FATAL: one-way boot of B \\(entered without a re-entry address\\) refused: status -9" -- -m 256
	kj_run $arch-fatal-reentry-in-purgatory $arch seabios "load=0x1000000 mode=fatal-reentry-in-purgatory" 129 \
		"kjump: FATAL: entry 1 from side A: re-entry address 0x1000[0-9a-f]+ $reason" -- -m 256
	reason='is outside the allowed range'
	kj_run $arch-fatal-stack-in-purgatory $arch seabios "load=0x1000000 mode=fatal-stack-in-purgatory" 129 \
		"kjump: FATAL: entry 1 from side A: stack pointer $(printf 0x%x $((0x1000000 + stack_end - 0x800 - word))) $reason" -- -m 256
	kj_run $arch-fatal-stack-null-page $arch seabios "load=0x1000000 mode=fatal-stack-null-page" 129 \
		"kjump: FATAL: entry 1 from side A: stack pointer $(printf 0x%x $((0x800 - word))) $reason" -- -m 256
	kj_run $arch-fatal-stack-above-purgatory $arch seabios "load=0x1000000 mode=fatal-stack-above-purgatory" 129 \
		"kjump: FATAL: entry 1 from side A: stack pointer 0x10[0-9a-f]+ $reason" -- -m 256
done
# Linux 6.14 to 7.0 enter a one-way purgatory without the 0 word, every
# register zero, %rsp at the end of the control page (x86_64 only; the test
# unmaps what follows it): purgatory must see a one-way boot, not read the
# word (here: and halt on the corrupted digest, as a one-way boot must).
kj_run x86_64-fatal-one-way-614 x86_64 seabios "load=0x1000000 mode=fatal-one-way-614" 129 \
	"kjump: FATAL: one-way boot of B \\(entered without a re-entry address\\) refused: status -9" -- -m 256
kj_done
