#!/usr/bin/env bash
# purgatory/restore.c built for the host, with AddressSanitizer and
# UndefinedBehaviorSanitizer: a good hibernation restore image, bad ones
# that must halt before anything is written, and 4,000 random images,
# whole and mutated, against a validator and a model written again from
# include/kjump/restore.h (tests/unit/restore_host.c says what is checked).
# KJ_SEED=N picks another random sequence.
#
# -fno-builtin, as purgatory is built, makes every copy in restore.c a
# call, and --wrap routes memcpy, memset and sha256_update through the
# driver, which checks each against the map restore.c committed; the
# copying itself is still lib/string.c's.
set -u
O=${KJ_O:-build}
mkdir -p "$O/unit"
bin=$O/unit/restore_host
if ! gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-builtin \
	-Wall -Wextra -Werror -Iinclude -Wl,--wrap=memcpy,--wrap=memset,--wrap=sha256_update \
	-o "$bin" tests/unit/restore_host.c purgatory/restore.c lib/sha256.c lib/string.c; then
	echo "1..1"
	echo "not ok 1 - building the restore host driver"
	exit 1
fi
exec "$bin" 4000 "${KJ_SEED:-0x2545f4914f6cdd1d}"
