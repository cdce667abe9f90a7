#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetches the newest linux-source-X.Y package of Debian sid and prints the
# path of its source tarball (for scripts/build-linux.sh).
#
#   scripts/fetch-newest-linux.sh
#
# apt runs with a private state under ${KJ_CACHE:-~/.cache/kjump}/sid, from
# a sid entry using the URI of the machine's own Debian entry, so the
# system's apt configuration is not touched. The package is unpacked into
# the same cache and kept; with no network, the newest one there is used.
set -euo pipefail

cache=${KJ_CACHE:-$HOME/.cache/kjump}/sid
mkdir -p "$cache/lists/partial" "$cache/archives/partial"

newest_cached() {
	ls -d "$cache"/unpacked-*/usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1
}

uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
[ -n "$uri" ] || uri=$(sed -n 's/^deb \(http[^ ]*\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
if [ -z "$uri" ]; then
	echo "fetch-newest-linux: no Debian apt entry to take a URI from" >&2
	newest_cached
	exit $([ -n "$(newest_cached)" ] && echo 0 || echo 1)
fi
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' "$uri" \
	> "$cache/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$cache/sources.list" -o Dir::Etc::SourceParts=/dev/null
	  -o "Dir::State::Lists=$cache/lists" -o "Dir::Cache::Archives=$cache/archives"
	  -o Debug::NoLocking=1 -o APT::Sandbox::User=root)

if ! apt-get "${apt_opts[@]}" -qq update >&2; then
	echo "fetch-newest-linux: apt update for sid failed; using the cache" >&2
	cached=$(newest_cached)
	[ -n "$cached" ] && { echo "$cached"; exit 0; }
	exit 1
fi
pkg=$(apt-cache "${apt_opts[@]}" pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' |
	sort -V | tail -1)
[ -n "$pkg" ] || { echo "fetch-newest-linux: no linux-source-X.Y in sid" >&2; exit 1; }
version=$(apt-cache "${apt_opts[@]}" show "$pkg" | sed -n 's/^Version: //p' | sort -V | tail -1)
dir=$cache/unpacked-$pkg-$version
tarball=$dir/usr/src/$pkg.tar.xz
if [ ! -s "$tarball" ]; then
	echo "fetch-newest-linux: downloading $pkg $version from sid" >&2
	(cd "$cache/archives" && apt-get "${apt_opts[@]}" -qq download "$pkg=$version" >&2)
	rm -rf "$dir.tmp"
	dpkg-deb -x "$cache/archives/${pkg}_${version//:/%3a}_all.deb" "$dir.tmp"
	mv "$dir.tmp" "$dir"
	rm -f "$cache/archives/${pkg}_${version//:/%3a}_all.deb"
fi
echo "fetch-newest-linux: $pkg $version" >&2
echo "$tarball"
