#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds a small Linux kernel for the real-kernel tests and caches it.
#
#   scripts/build-linux.sh SOURCE_TARBALL ARCH [PATCH...]
#
# SOURCE_TARBALL is a linux-source-X.Y tarball from Debian's linux-source
# packages (/usr/src/linux-source-X.Y.tar.xz). ARCH is x86_64 or i386.
# The kernel is `make tinyconfig` plus configs/linux-kexec-jump.config
# (plus configs/linux-kexec-jump-ARCH.config when present), with PATCHes
# applied in order. The result is cached outside the clone, in
# ${KJ_CACHE:-~/.cache/kjump}/linux/, under a key made of the tarball's
# name and size, ARCH, and the SHA-256 of the config fragments, patches and
# this script: change any of them and it is built again. Prints the path of
# the cached bzImage on its last line.
set -euo pipefail
# Run from `make check O=dir`, the parent make's command-line variables
# reach us through MAKEFLAGS and the environment; the kernel's and
# kexec-tools' own makes must not see them (the kernel takes O= as its
# output directory and then refuses its own source tree).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES O

tarball=$1
arch=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KJ_CACHE:-$HOME/.cache/kjump}/linux
fragments=("$top/configs/linux-kexec-jump.config")
[ -f "$top/configs/linux-kexec-jump-$arch.config" ] && fragments+=("$top/configs/linux-kexec-jump-$arch.config")

[ -f "$tarball" ] || { echo "build-linux: no such tarball: $tarball" >&2; exit 2; }
case $arch in x86_64|i386) ;; *) echo "build-linux: arch must be x86_64 or i386" >&2; exit 2 ;; esac

version=$(basename "$tarball" .tar.xz)
# Lines of this script that end in "# outside the cache key" do not decide # outside the cache key
# what is built (the lock below), so a change to them keeps the cache. # outside the cache key
key=$( { echo "$version $(stat -c %s "$tarball") $arch"; cat "${fragments[@]}" "$@"; grep -v '# outside the cache key$' "$0"; } \
	| sha256sum | cut -c1-16)
out=$cache/$version-$arch-$key
# One build of a key at a time: make check runs two tests at once, and two # outside the cache key
# of them may need the same kernel (x86_64-6.12.t and the newest-kernel # outside the cache key
# hibernation test's "other build"); a second build would wipe the first's # outside the cache key
# tree under it. The second waits, then finds the cache filled. # outside the cache key
mkdir -p "$cache" # outside the cache key
exec 9>"$cache/lock-$version-$arch-$key" # outside the cache key
flock 9 # outside the cache key
if [ -s "$out/bzImage" ]; then
	echo "build-linux: cached: $out/bzImage" >&2
	echo "$out/bzImage"
	exit 0
fi

work=$cache/work-$version-$arch-$key
rm -rf "$work"
mkdir -p "$work"
ticker=
# Whatever happens, leave no half-built tree or ticker behind.
trap '[ -n "$ticker" ] && kill $ticker 2>/dev/null; rm -rf "$work"' EXIT
echo "build-linux: unpacking $tarball" >&2
tar -C "$work" -xf "$tarball"
src=$(echo "$work"/*/)
for p in "$@"; do
	echo "build-linux: applying $(basename "$p")" >&2
	patch -d "$src" -p1 --forward --batch < "$p" >&2
done
echo "build-linux: configuring $version for $arch (tinyconfig + ${fragments[*]##*/})" >&2
# merge_config.sh reports every override it makes; keep that for failures.
{ make -C "$src" -s ARCH="$arch" tinyconfig &&
  "$src/scripts/kconfig/merge_config.sh" -m -O "$src" "$src/.config" "${fragments[@]}" &&
  make -C "$src" -s ARCH="$arch" olddefconfig; } >"$work/config.log" 2>&1 ||
	{ cat "$work/config.log" >&2; echo "build-linux: configuration failed" >&2; exit 1; }
for f in "${fragments[@]}"; do
	# Every option asked for must have survived olddefconfig.
	while IFS= read -r line; do
		case $line in CONFIG_*=*) grep -qx "$line" "$src/.config" ||
			{ echo "build-linux: $line did not stick (dependency missing?)" >&2; exit 1; } ;;
		esac
	done < "$f"
done
echo "build-linux: building (progress every 30 s)" >&2
start=$(date +%s)
( while sleep 30; do echo "build-linux: still building, $(( $(date +%s) - start )) s" >&2; done ) &
ticker=$!
make -C "$src" -s ARCH="$arch" -j"$(nproc)" bzImage >&2
mkdir -p "$out.tmp"
cp "$src/arch/x86/boot/bzImage" "$src/.config" "$src/vmlinux" "$out.tmp/"
mv "$out.tmp" "$out"	# the cache entry appears whole or not at all
echo "build-linux: built in $(( $(date +%s) - start )) s: $out/bzImage" >&2
echo "$out/bzImage"
