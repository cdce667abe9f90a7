#!/usr/bin/env bash
# x86_64: calls purgatory cannot return from. Each must end in a FATAL
# message and QEMU status 129, never a hang (124) or a triple fault (0).
. "$(dirname "$0")/lib.sh"
kj_run x86_64-fatal-reentry-zero x86_64 seabios "load=0x1000000 mode=fatal-reentry-zero" 129 \
	'kjump: FATAL: entry 1 from side A: re-entry address 0x0 is not a place to return to' -- -m 256
kj_run x86_64-fatal-reentry-in-purgatory x86_64 seabios "load=0x1000000 mode=fatal-reentry-in-purgatory" 129 \
	'kjump: FATAL: entry 1 from side A: re-entry address 0x1000[0-9a-f]+ is not a place to return to' -- -m 256
kj_run x86_64-fatal-stack-in-purgatory x86_64 seabios "load=0x1000000 mode=fatal-stack-in-purgatory" 129 \
	'kjump: FATAL: entry 1 from side A: stack pointer 0x10007f8 is outside the allowed range' -- -m 256
kj_run x86_64-fatal-stack-null-page x86_64 seabios "load=0x1000000 mode=fatal-stack-null-page" 129 \
	'kjump: FATAL: entry 1 from side A: stack pointer 0x7f8 is outside the allowed range' -- -m 256
kj_run x86_64-fatal-stack-above-purgatory x86_64 seabios "load=0x1000000 mode=fatal-stack-above-purgatory" 129 \
	'kjump: FATAL: entry 1 from side A: stack pointer 0x10[0-9a-f]+ is outside the allowed range' -- -m 256
kj_done
