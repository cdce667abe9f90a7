#!/usr/bin/env bash
# Kexec hibernation through purgatory (tests/linux/hibernate.sh,
# docs/hibernate.md) with Linux 6.1 + patches/linux/6.1 as A, B and C, and
# bookworm's kexec-tools (2.0.25); the newest sid kernel is the "other
# build" C must refuse.
exec bash "$(dirname "$0")/hibernate.sh" x86_64 bookworm 6.1 /usr/src/linux-source-6.1.tar.xz newest patches/linux/6.1/*.patch
