#!/usr/bin/env bash
# i386 under SeaBIOS: 1,000 round trips per Linux convention, purgatory at
# three load addresses (the last near the top of a 512 MiB guest).
. "$(dirname "$0")/lib.sh"
# purgatory's entry16 (kexec-tools' real-mode entry), for its refusal test.
e16=0x$(nm "$KJ_O/i386/purgatory.elf" | awk '$3 == "entry16" { print $1 }')
KJ_TESTS=37 kj_run i386-conv61 i386 seabios "load=0x1000000 conv=61 rounds=1000 mode=suite entry16=$e16" 1 \
	'another CPU entered purgatory while this one was inside: 2 new such entries \(in all 2 refused with status -18' -- -m 256
KJ_TESTS=37 kj_run i386-conv614 i386 seabios "load=0x800000 conv=614 rounds=1000 mode=suite entry16=$e16" 1 "" -- -m 256
KJ_TESTS=37 kj_run i386-load-high i386 seabios "load=0x1ff00000 conv=61 rounds=200 mode=suite entry16=$e16" 1 "" -- -m 512
KJ_TESTS=2 kj_run i386-load-misaligned i386 seabios "load=0x1000800 mode=suite" 1 "KJ_ELOAD|not loaded at a 4 KiB boundary" -- -m 256
KJ_TESTS=9 kj_run i386-demo i386 seabios "load=0x1000000 conv=61 rounds=3 mode=demo" 1 \
	'kjump: #3 B->A: caller re-entry 0x[0-9a-f]+ sp 0x[0-9a-f]+ -> 0x[0-9a-f]+' -- -m 256
kj_done
