#!/usr/bin/env bash
# purgatory/bridge_gdt.c built for the host with each arch's desc.h, and
# every entry and resume replayed step by step for every CS/SS pair below
# 0x110 (tests/unit/bridge_gdt_host.c says what is checked).
set -u
O=${KJ_O:-build}
mkdir -p "$O/unit"
n=0 failed=0
for arch in i386 x86_64; do
	n=$((n + 1))
	bin=$O/unit/bridge_gdt_$arch
	if ! gcc -O2 -Wall -Wextra -Werror -Iinclude -Iarch/$arch -DKJ_ARCH_NAME="\"$arch\"" \
		-o "$bin" tests/unit/bridge_gdt_host.c purgatory/bridge_gdt.c; then
		echo "not ok $n - building the bridge GDT host driver for $arch"
		failed=$((failed + 1))
		continue
	fi
	# The driver prints one TAP line numbered 1, and its plan.
	out=$("$bin") || failed=$((failed + 1))
	echo "$out" | grep -v '^1\.\.' | sed "s/^\(not \)\{0,1\}ok 1 /\1ok $n /"
done
echo "1..$n"
[ $failed -eq 0 ]
