#!/usr/bin/env bash
# Linux 6.12 (Debian's linux-source-6.12, bookworm-security; trixie's
# kernel), with no patch: 6.12.118 already reloads the GDT when a kexec jump
# returns (the 6.13 fix, backported). As A and B on x86_64 booted by UEFI
# (OVMF; A through its EFI stub), with bookworm's kexec-tools (2.0.25): the
# whole real-kernel chain (tests/linux/chain.sh, docs/linux.md) plus the
# firmware's runtime services in both kernels every round, and BIOS calls
# and the real-mode entry refused. A q35 machine with 2 CPUs, 2 GiB, A's
# disk on the AHCI controller, B's on virtio, B's window above 1 GiB.
# The one-way boot at the end goes through kexec-tools' default 64-bit
# entry (entry64_regs).
KJ_FIRMWARE=ovmf KJ_MACHINE=q35 KJ_SMP=2 KJ_MEM=2G KJ_DISK_A=ahci \
KJ_WINDOWS=0x40000000-0x47ffffff,0x60000000-0x67ffffff \
KJ_ONE_WAY=protected exec bash "$(dirname "$0")/chain.sh" x86_64 bookworm 6.12 /usr/src/linux-source-6.12.tar.xz
