#!/usr/bin/env bash
# arch/x86_64/idmap.c built for the host, with AddressSanitizer and
# UndefinedBehaviorSanitizer: the page-table pools and their reuse driven
# by 20,000 random entries (tests/unit/idmap_host.c says what is checked
# after every call). KJ_SEED=N picks another sequence.
set -u
O=${KJ_O:-build}
mkdir -p "$O/unit"
bin=$O/unit/idmap_host
if ! gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
	-Iinclude -Iarch/x86_64 -o "$bin" tests/unit/idmap_host.c arch/x86_64/idmap.c lib/string.c; then
	echo "1..1"
	echo "not ok 1 - building the page-table host driver"
	exit 1
fi
exec "$bin" 20000 "${KJ_SEED:-0x9e3779b97f4a7c15}"
