#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetches a binary package of Debian sid for one architecture, unpacks it
# into the cache and prints the directory it was unpacked into.
#
#   scripts/fetch-sid-deb.sh PACKAGE ARCH      (e.g. busybox-static i386)
#
# The i386 real-kernel test needs 32-bit user space (a static busybox) that
# an amd64 system does not install next to its own. apt runs with a private
# state (scripts/sid-apt.sh); with no network, the newest unpacked copy in
# the cache is used.
set -euo pipefail
pkg=$1 arch=$2
. "$(dirname "$0")/sid-apt.sh"

newest_cached() {
	ls -d "$sid_cache/deb-$pkg-$arch-"* 2>/dev/null | sort -V | tail -1
}
if ! sid_update; then
	cached=$(newest_cached)
	[ -n "$cached" ] || { echo "fetch-sid-deb: no network and no cached $pkg:$arch" >&2; exit 1; }
	echo "fetch-sid-deb: using the cached $cached" >&2
	echo "$cached"
	exit 0
fi
version=$(apt-cache "${sid_apt[@]}" show "$pkg:$arch" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1)
[ -n "$version" ] || { echo "fetch-sid-deb: no $pkg for $arch in sid" >&2; exit 1; }
dir=$sid_cache/deb-$pkg-$arch-$version
if [ ! -d "$dir" ]; then
	echo "fetch-sid-deb: downloading $pkg:$arch $version from sid" >&2
	(cd "$sid_cache/archives" && apt-get "${sid_apt[@]}" -qq download "$pkg:$arch=$version" >&2)
	deb=$sid_cache/archives/${pkg}_${version//:/%3a}_$arch.deb
	rm -rf "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp"
	mv "$dir.tmp" "$dir"
	rm -f "$deb"
fi
echo "$dir"
