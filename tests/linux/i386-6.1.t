#!/usr/bin/env bash
# Linux 6.1 (Debian bookworm's linux-source-6.1) with patches/linux/6.1, as
# a 32-bit A and B (HIGHMEM, for CRASH_DUMP), with bookworm's kexec-tools
# (2.0.25) built 32-bit: the whole real-kernel chain (tests/linux/chain.sh,
# docs/linux.md).
# The one-way boot at the end goes through kexec --real-mode (entry16_regs).
KJ_ONE_WAY=real exec bash "$(dirname "$0")/chain.sh" i386 bookworm 6.1 /usr/src/linux-source-6.1.tar.xz patches/linux/6.1/*.patch
