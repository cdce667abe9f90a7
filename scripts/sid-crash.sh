#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs Debian sid's crash on this (bookworm) machine:
#
#   scripts/sid-crash.sh CRASH-ARGS...
#
# sid's crash (9.0.2 when written) reads the newest kernels, which
# bookworm's 8.0.2 does not (docs/snapshots.md), but it needs sid's C
# library. It runs here under sid's own loader with sid's libraries beside
# it, unpacked once into the cache (scripts/fetch-sid-deb.sh); the system's
# libraries are not touched.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/sid-apt.sh"
pkgs=(crash libc6 libstdc++6 libgcc-s1 libncursesw6 libtinfo6 libmpfr6 libgmp10 liblzo2-2 libsnappy1v5 libzstd1)
debs=()
for p in "${pkgs[@]}"; do
	debs+=("$("$top/scripts/fetch-sid-deb.sh" "$p" amd64)") || exit 1
done
root=$sid_cache/crash-root-$(printf '%s\n' "${debs[@]##*/}" | sha256sum | cut -c1-16)
if [ ! -x "$root/crash" ]; then
	rm -rf "$root.tmp" && mkdir -p "$root.tmp"
	for d in "${debs[@]}"; do
		find "$d" -name '*.so*' \( -type f -o -type l \) -exec cp -L {} "$root.tmp/" \;
	done
	cp "${debs[0]}/usr/bin/crash" "$root.tmp/"
	mv "$root.tmp" "$root"
fi
exec "$root/ld-linux-x86-64.so.2" --library-path "$root" "$root/crash" "$@"
