#!/usr/bin/env bash
# arch/x86_64/memenc.c built for the host: which CPUID and MSR values make
# purgatory refuse a caller as running with memory encryption
# (tests/unit/memenc_host.c lists the cases).
set -u
O=${KJ_O:-build}
mkdir -p "$O/unit"
bin=$O/unit/memenc_host
if ! gcc -O2 -Wall -Wextra -Werror -o "$bin" tests/unit/memenc_host.c arch/x86_64/memenc.c; then
	echo "1..1"
	echo "not ok 1 - building the memory-encryption host driver"
	exit 1
fi
exec "$bin"
