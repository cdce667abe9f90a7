#!/usr/bin/env bash
# Pairing: Linux 6.12 (no patch) and sid's kexec-tools (2.0.32 when
# written), x86_64, the whole chain on a pc machine with 2 CPUs.
# `make check` pairs 6.12 with bookworm's 2.0.25 (tests/linux/x86_64-6.12.t).
# A's disk is on virtio and this kernel lacks patches/linux/*/0002: its
# virtio disks get one queue each (docs/linux.md, item 19).
KJ_MACHINE=pc KJ_SMP=2 KJ_MEM=2G KJ_DISK_A=virtio KJ_VIRTIO_QUEUES=1 \
KJ_WINDOWS=0x40000000-0x47ffffff,0x60000000-0x67ffffff \
KJ_ONE_WAY=real exec bash "$(dirname "$0")/../chain.sh" x86_64 sid 6.12-kexec-sid /usr/src/linux-source-6.12.tar.xz
