#!/usr/bin/env bash
# Kexec hibernation through purgatory (tests/linux/hibernate.sh,
# docs/hibernate.md) with the newest Linux in Debian sid, unpatched, as A,
# B and C, and sid's kexec-tools; Linux 6.12 (the build of
# tests/linux/x86_64-6.12.t) is the "other build" C must refuse.
KJ_MAKEDUMPFILE=sid exec bash "$(dirname "$0")/hibernate.sh" x86_64 sid newest newest /usr/src/linux-source-6.12.tar.xz
