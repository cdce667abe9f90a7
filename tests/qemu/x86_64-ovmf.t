#!/usr/bin/env bash
# x86_64 under OVMF: kernel A is an EFI application (gnu-efi) that leaves
# boot services and runs the same suite; purgatory below and above 4 GiB.
. "$(dirname "$0")/lib.sh"
KJ_TESTS=27 kj_run x86_64-ovmf-conv61 x86_64 ovmf "load=0x10000000 conv=61 rounds=1000 mode=suite" 1 "" -- -m 1G
KJ_TESTS=27 kj_run x86_64-ovmf-above-4g-614 x86_64 ovmf "load=0x140001000 conv=614 rounds=1000 mode=suite" 1 "" -- -m 6G
kj_done
