#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetches the newest linux-source-X.Y package of Debian sid and prints the
# path of its source tarball (for scripts/build-linux.sh).
#
#   scripts/fetch-newest-linux.sh
#
# apt runs with a private state (scripts/sid-apt.sh), so the system's apt
# configuration is not touched. The package is unpacked into the same cache
# and kept; with no network, the newest one there is used.
set -euo pipefail

. "$(dirname "$0")/sid-apt.sh"
cache=$sid_cache

newest_cached() {
	ls -d "$cache"/unpacked-*/usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1
}

if ! sid_update; then
	echo "fetch-newest-linux: using the cache" >&2
	cached=$(newest_cached)
	[ -n "$cached" ] && { echo "$cached"; exit 0; }
	exit 1
fi
pkg=$(apt-cache "${sid_apt[@]}" pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' |
	sort -V | tail -1)
[ -n "$pkg" ] || { echo "fetch-newest-linux: no linux-source-X.Y in sid" >&2; exit 1; }
version=$(apt-cache "${sid_apt[@]}" show "$pkg" | sed -n 's/^Version: //p' | sort -V | tail -1)
dir=$cache/unpacked-$pkg-$version
tarball=$dir/usr/src/$pkg.tar.xz
if [ ! -s "$tarball" ]; then
	echo "fetch-newest-linux: downloading $pkg $version from sid" >&2
	(cd "$cache/archives" && apt-get "${sid_apt[@]}" -qq download "$pkg=$version" >&2)
	rm -rf "$dir.tmp"
	dpkg-deb -x "$cache/archives/${pkg}_${version//:/%3a}_all.deb" "$dir.tmp"
	mv "$dir.tmp" "$dir"
	rm -f "$cache/archives/${pkg}_${version//:/%3a}_all.deb"
fi
echo "fetch-newest-linux: $pkg $version" >&2
echo "$tarball"
