#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds Debian's kexec-tools with our purgatory.ro in place of its own.
#
#   scripts/build-kexec-tools.sh PURGATORY_RO OUT_BINARY
#
# The source comes from Debian's source package (apt-get source; a deb-src
# entry is set up by scripts/install-deps.sh --sources), is patched with
# patches/kexec-tools/*.patch and configured for a static binary (it runs
# in a busybox initramfs). The configured and built tree is cached in
# ${KJ_CACHE:-~/.cache/kjump}/kexec-tools/, keyed by the source version,
# the patches and this script; each call then only swaps purgatory.ro in
# and relinks, which takes seconds.
set -euo pipefail
# Run from `make check O=dir`, the parent make's command-line variables
# reach us through MAKEFLAGS and the environment; the kernel's and
# kexec-tools' own makes must not see them (the kernel takes O= as its
# output directory and then refuses its own source tree).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES O

ro=$1
out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KJ_CACHE:-$HOME/.cache/kjump}/kexec-tools
mkdir -p "$cache"
# One build and relink at a time: the real-kernel tests run in parallel and
# share the tree.
exec 9>"$cache/lock"
flock 9

version=$(apt-cache showsrc kexec-tools 2>/dev/null | sed -n 's/^Version: //p' | head -1)
[ -n "$version" ] || { echo "build-kexec-tools: no kexec-tools source package (run scripts/install-deps.sh --sources)" >&2; exit 2; }
key=$( { echo "$version"; cat "$top"/patches/kexec-tools/*.patch "$0"; } | sha256sum | cut -c1-16)
tree=$cache/$version-$key

if [ ! -x "$tree/build/sbin/kexec" ]; then
	work=$cache/work-$key
	rm -rf "$work" && mkdir -p "$work"
	trap 'rm -rf "$work"' EXIT
	echo "build-kexec-tools: fetching kexec-tools $version source" >&2
	(cd "$work" && apt-get source -qq kexec-tools >/dev/null 2>&1) ||
		{ echo "build-kexec-tools: apt-get source kexec-tools failed" >&2; exit 1; }
	src=$(find "$work" -maxdepth 1 -type d -name 'kexec-tools-*' | head -1)
	for p in "$top"/patches/kexec-tools/*.patch; do
		echo "build-kexec-tools: applying $(basename "$p")" >&2
		patch -d "$src" -p1 --forward --batch < "$p" >&2
	done
	echo "build-kexec-tools: building (static, no zlib/lzma)" >&2
	(cd "$src" && LDFLAGS=-static ./configure -q --without-lzma --without-zlib >&2 &&
		make -s -j"$(nproc)" >/dev/null 2>&1) ||
		{ echo "build-kexec-tools: build failed" >&2; exit 1; }
	mv "$src" "$tree"
fi
# Swap our purgatory in: kexec-tools embeds purgatory/purgatory.ro as a
# byte array, so replacing the file and relinking is all it takes.
cp "$ro" "$tree/purgatory/purgatory.ro"
touch "$tree/purgatory/purgatory.ro"
make -s -C "$tree" >/dev/null 2>&1 || { echo "build-kexec-tools: relink failed" >&2; exit 1; }
grep -q KJUMPPG1 "$tree/build/sbin/kexec" ||
	{ echo "build-kexec-tools: our purgatory is not in the binary" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$tree/build/sbin/kexec" "$out"
echo "build-kexec-tools: $out (kexec-tools $version with $(basename "$ro"))" >&2
