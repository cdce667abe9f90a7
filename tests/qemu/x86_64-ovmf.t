#!/usr/bin/env bash
# x86_64 under OVMF: kernel A is an EFI application (gnu-efi) that leaves
# boot services and runs the same suite; purgatory below and above 4 GiB.
# The suite ends with a BIOS call, which OVMF (no CSM) must see refused
# with KJ_ENOBIOS and a message.
. "$(dirname "$0")/lib.sh"
KJ_TESTS=37 kj_run x86_64-ovmf-conv61 x86_64 ovmf "load=0x10000000 conv=61 rounds=1000 mode=suite" 1 \
	"kjump: BIOS call int 0x15 refused: no legacy BIOS .*status -12" -- -m 1G
KJ_TESTS=38 kj_run x86_64-ovmf-above-4g-614 x86_64 ovmf "load=0x140001000 conv=614 rounds=1000 mode=suite" 1 \
	"kjump: BIOS call int 0x15 refused: no legacy BIOS .*status -12" -- -m 6G
kj_done
