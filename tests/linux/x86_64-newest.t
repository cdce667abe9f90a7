#!/usr/bin/env bash
# The newest Linux in Debian sid (scripts/fetch-newest-linux.sh), with no
# patch at all, as A and B on x86_64, with sid's kexec-tools (2.0.32 when
# written): the whole real-kernel chain (tests/linux/chain.sh, docs/linux.md),
# on a q35 machine with 4 CPUs, 6 GiB, A's disk on the AHCI controller,
# B's on virtio, and B's window above 4 GiB: 256 MiB, not 128, since B
# writes a makedumpfile snapshot of A every round (docs/linux.md, item 20).
# The one-way boot at the end goes through kexec --entry-32bit (entry32_regs).
KJ_MACHINE=q35 KJ_SMP=4 KJ_MEM=6G KJ_DISK_A=ahci KJ_SNAPSHOTS=23 KJ_MAKEDUMPFILE=sid KJ_CRASH=sid \
KJ_WINDOWS=0x140000000-0x14fffffff,0x180000000-0x18fffffff \
KJ_ONE_WAY=entry32 exec bash "$(dirname "$0")/chain.sh" x86_64 sid newest newest
