#!/usr/bin/env bash
# Linux 6.1 (Debian bookworm's linux-source-6.1) with patches/linux/6.1, as
# A and B on x86_64, with bookworm's kexec-tools (2.0.25): the whole
# real-kernel chain (tests/linux/chain.sh, docs/linux.md), on a pc machine
# with 2 CPUs, 2 GiB, two virtio disks and B's window above 1 GiB.
# The one-way boot at the end goes through kexec --real-mode (entry16_regs).
KJ_MACHINE=pc KJ_SMP=2 KJ_MEM=2G KJ_DISK_A=virtio KJ_SNAPSHOTS=31 \
KJ_WINDOWS=0x40000000-0x47ffffff,0x60000000-0x67ffffff \
KJ_ONE_WAY=real exec bash "$(dirname "$0")/chain.sh" x86_64 bookworm 6.1 /usr/src/linux-source-6.1.tar.xz patches/linux/6.1/*.patch
