#!/usr/bin/env bash
# i386: calls purgatory cannot return from. Each must end in a FATAL message
# on the serial port and QEMU status 129 (purgatory's debug-exit write),
# never a hang (timeout, 124) or a triple fault (0).
. "$(dirname "$0")/lib.sh"
kj_run i386-fatal-reentry-zero i386 seabios "load=0x1000000 mode=fatal-reentry-zero" 129 \
	'kjump: FATAL: entry 1 from side A: re-entry address 0x0 is not a place to return to' -- -m 256
kj_run i386-fatal-reentry-in-purgatory i386 seabios "load=0x1000000 mode=fatal-reentry-in-purgatory" 129 \
	'kjump: FATAL: entry 1 from side A: re-entry address 0x1000[0-9a-f]+ is not a place to return to' -- -m 256
kj_run i386-fatal-stack-in-purgatory i386 seabios "load=0x1000000 mode=fatal-stack-in-purgatory" 129 \
	'kjump: FATAL: entry 1 from side A: stack pointer 0x10007fc is outside the allowed range' -- -m 256
kj_run i386-fatal-stack-null-page i386 seabios "load=0x1000000 mode=fatal-stack-null-page" 129 \
	'kjump: FATAL: entry 1 from side A: stack pointer 0x7fc is outside the allowed range' -- -m 256
kj_run i386-fatal-stack-above-purgatory i386 seabios "load=0x1000000 mode=fatal-stack-above-purgatory" 129 \
	'kjump: FATAL: entry 1 from side A: stack pointer 0x10[0-9a-f]+ is outside the allowed range' -- -m 256
kj_done
