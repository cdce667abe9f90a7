#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds Debian's kexec-tools with our purgatory.ro in place of its own.
#
#   scripts/build-kexec-tools.sh ARCH SUITE PURGATORY_RO OUT_BINARY [TREE_FILE]
#
# TREE_FILE, if given, receives the path of the built source tree (make
# bench builds kexec-tools' own purgatory and reads its sha256.c there).
#
# ARCH is x86_64 or i386 (a 32-bit binary, built with gcc -m32, for a
# 32-bit kernel's user space). SUITE is bookworm (the system's own apt,
# with the deb-src entry scripts/install-deps.sh --linux sets up) or sid
# (a private apt state, scripts/sid-apt.sh). The source package is patched
# with patches/kexec-tools/*.patch and patches/kexec-tools/<upstream
# version>/*.patch, and configured for a static binary (it
# runs in a busybox initramfs). The configured and built tree is cached in
# ${KJ_CACHE:-~/.cache/kjump}/kexec-tools/, keyed by the source version,
# ARCH, the patches and this script; each call then only swaps
# purgatory.ro in and relinks, which takes seconds.
set -euo pipefail
# Run from `make check O=dir`, the parent make's command-line variables
# reach us through MAKEFLAGS and the environment; the kernel's and
# kexec-tools' own makes must not see them (the kernel takes O= as its
# output directory and then refuses its own source tree).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES O

arch=$1 suite=$2 ro=$3 out=$4 tree_file=${5:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KJ_CACHE:-$HOME/.cache/kjump}/kexec-tools
mkdir -p "$cache"
case $arch in
x86_64)	cc=gcc configure_host=() ;;
i386)	cc="gcc -m32" configure_host=(--host=i686-linux-gnu --build=x86_64-linux-gnu) ;;
*)	echo "build-kexec-tools: ARCH must be x86_64 or i386" >&2; exit 2 ;;
esac
# patches/kexec-tools/*.patch apply to every version; patches/kexec-tools/
# <upstream version>/ hold backports for that version only.
key=$( { echo "$arch"; cat "$top"/patches/kexec-tools/*.patch "$top"/patches/kexec-tools/*/*.patch "$0"; } |
	sha256sum | cut -c1-16)
# One build and relink at a time: the real-kernel tests run in parallel and
# share the trees.
exec 9>"$cache/lock"
flock 9

apt=()
case $suite in
bookworm) ;;
sid)	. "$top/scripts/sid-apt.sh"
	apt=("${sid_apt[@]}")
	if ! sid_update; then
		# No network: the newest tree already built with this key.
		tree=$(ls -d "$cache"/*-"$key" 2>/dev/null | sort -V | tail -1)
		[ -n "$tree" ] || { echo "build-kexec-tools: no network and no cached sid build" >&2; exit 1; }
		echo "build-kexec-tools: using the cached $tree" >&2
	fi ;;
*)	echo "build-kexec-tools: SUITE must be bookworm or sid" >&2; exit 2 ;;
esac
if [ -z "${tree:-}" ]; then
	version=$(apt-cache "${apt[@]}" showsrc kexec-tools 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -1)
	[ -n "$version" ] || { echo "build-kexec-tools: no kexec-tools source package for $suite (run scripts/install-deps.sh --linux)" >&2; exit 2; }
	tree=$cache/$version-$arch-$key
fi

if [ ! -x "$tree/build/sbin/kexec" ]; then
	work=$cache/work-$arch-$key
	rm -rf "$work" && mkdir -p "$work"
	trap 'rm -rf "$work"' EXIT
	echo "build-kexec-tools: fetching kexec-tools $version source ($suite)" >&2
	# apt checks every file against the .dsc. Unpacking needs only the
	# upstream tarball: Debian's own patches (packaging and backports) are
	# applied when their tarball is there, and skipped with a note when
	# not (seen: sid's debian.tar.xz missing from the package registry).
	(cd "$work" && apt-get "${apt[@]}" -qq --download-only source "kexec-tools=$version" >/dev/null 2>&1) || true
	orig=$(ls "$work"/kexec-tools_*.orig.tar.* 2>/dev/null | head -1)
	[ -n "$orig" ] || { echo "build-kexec-tools: apt-get source kexec-tools=$version failed" >&2; exit 1; }
	if ls "$work"/kexec-tools_*.debian.tar.* >/dev/null 2>&1; then
		(cd "$work" && dpkg-source -q -x kexec-tools_*.dsc >/dev/null 2>&1) ||
			{ echo "build-kexec-tools: dpkg-source -x failed" >&2; exit 1; }
	else
		echo "build-kexec-tools: Debian's patch tarball is not available; building the upstream source of the package" >&2
		tar -C "$work" -xf "$orig"
	fi
	src=$(find "$work" -maxdepth 1 -type d -name 'kexec-tools-*' | head -1)
	upstream=${version#*:}
	upstream=${upstream%%-*}
	for p in "$top"/patches/kexec-tools/*.patch "$top"/patches/kexec-tools/"$upstream"/*.patch; do
		[ -f "$p" ] || continue
		echo "build-kexec-tools: applying ${p#"$top"/patches/kexec-tools/}" >&2
		patch -d "$src" -p1 --forward --batch < "$p" >&2
	done
	echo "build-kexec-tools: building for $arch (static, no zlib/lzma)" >&2
	(cd "$src" && CC="$cc" BUILD_CC=gcc LDFLAGS=-static ./configure -q "${configure_host[@]}" \
		--without-lzma --without-zlib >&2 && make -s -j"$(nproc)" >"$work/make.log" 2>&1) ||
		{ tail -20 "$work/make.log" >&2; echo "build-kexec-tools: build failed" >&2; exit 1; }
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
[ -z "$tree_file" ] || echo "$tree" > "$tree_file"
echo "build-kexec-tools: $out (kexec-tools ${tree##*/} for $arch with $(basename "$ro"))" >&2
