#!/usr/bin/env bash
# x86_64 under SeaBIOS (32-bit multiboot stub into long mode): 1,000 round
# trips per Linux convention, and purgatory loaded above 4 GiB. B's page
# tables map only B and purgatory, never A, so every B->A transition relies
# on purgatory's own identity map.
. "$(dirname "$0")/lib.sh"
# purgatory's entry16 (kexec-tools' real-mode entry), for its refusal test.
e16=0x$(nm "$KJ_O/x86_64/purgatory.elf" | awk '$3 == "entry16" { print $1 }')
KJ_TESTS=39 kj_run x86_64-conv61 x86_64 seabios "load=0x1000000 conv=61 rounds=1000 mode=suite entry16=$e16" 1 \
	'another CPU entered purgatory while this one was inside: 2 new such entries \(in all 2 refused with status -18' -- -m 256
KJ_TESTS=39 kj_run x86_64-conv614 x86_64 seabios "load=0x800000 conv=614 rounds=1000 mode=suite entry16=$e16" 1 "B.s command line 0x300000000-0x300000100 cannot be read" -- -m 256
KJ_TESTS=40 kj_run x86_64-above-4g x86_64 seabios "load=0x140001000 conv=61 rounds=1000 mode=suite entry16=$e16" 1 "boot_params 0x300000000 cannot be read" -- -m 6G
KJ_TESTS=40 kj_run x86_64-above-4g-614 x86_64 seabios "load=0x17fe00000 conv=614 rounds=200 mode=suite entry16=$e16" 1 "" -- -m 6G
# Five-level paging (A enables LA57 when the CPU has it), and every range
# purgatory maps spread over the eight GiB below 8 GiB and past 512 GiB
# (kernel_a.c, test_spread_map): the page-table pool's bound.
KJ_TESTS=41 kj_run x86_64-la57-spread x86_64 seabios "load=0x17fff0000 conv=61 rounds=200 mode=suite spread=1 entry16=$e16" 1 "" -- -m 8G -cpu max,+la57
KJ_TESTS=2 kj_run x86_64-load-misaligned x86_64 seabios "load=0x1000800 mode=suite" 1 "not loaded at a 4 KiB boundary" -- -m 256
KJ_TESTS=9 kj_run x86_64-demo x86_64 seabios "load=0x1000000 conv=61 rounds=3 mode=demo" 1 \
	'kjump: #3 B->A: caller re-entry 0x[0-9a-f]+ sp 0x[0-9a-f]+ -> 0x[0-9a-f]+' -- -m 256
kj_done
