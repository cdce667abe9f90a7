#!/usr/bin/env bash
# Linux 6.12 (Debian's linux-source-6.12) with patches/linux/6.12 (the
# 32-bit GDT reload, which upstream never fixed), as a 32-bit A and B
# (HIGHMEM, for CRASH_DUMP), with bookworm's kexec-tools (2.0.25) built
# 32-bit: the whole real-kernel chain (tests/linux/chain.sh, docs/linux.md),
# on a pc machine with 2 CPUs, 2 GiB (A has high memory) and two virtio
# disks. B's window stays in low memory: a 32-bit kernel runs from memory
# its direct map covers (below about 896 MiB).
# The one-way boot at the end goes through kexec-tools' default 32-bit
# entry (entry32_regs).
KJ_MACHINE=pc KJ_SMP=2 KJ_MEM=2G KJ_DISK_A=virtio \
KJ_WINDOWS=0x10000000-0x17ffffff,0x28000000-0x2fffffff \
KJ_ONE_WAY=protected exec bash "$(dirname "$0")/chain.sh" i386 bookworm 6.12 /usr/src/linux-source-6.12.tar.xz patches/linux/6.12/*.patch
