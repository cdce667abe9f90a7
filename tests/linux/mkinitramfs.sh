#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# mkinitramfs.sh ARCH OUTDIR BZIMAGE KEXEC PURGATORY_BIN: A's and B's busybox
# initramfs. A's carries B's kernel (the same bzImage), B's initramfs,
# purgatory.bin and kjbios (tools/kjbios.c, the BIOS-call loader); kjflip
# (A), kjcore, kjefi, kjexit and kjtsc (both) are the test's own helpers. All
# are built static here,
# for ARCH: x86_64 uses the system's busybox-static; i386 (a 32-bit kernel
# runs no 64-bit binary) builds with gcc -m32 and takes sid's i386
# busybox-static (scripts/fetch-sid-deb.sh).
set -euo pipefail
arch=$1 out=$2 bzimage=$3 kexec=$4 purgatory=$5
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case $arch in
x86_64)	cc=(gcc) busybox=/bin/busybox ;;
i386)	cc=(gcc -m32)
	deb=$("$top/scripts/fetch-sid-deb.sh" busybox-static i386) || exit 1
	busybox=$deb/usr/bin/busybox
	[ -x "$busybox" ] || busybox=$deb/bin/busybox ;;
*)	echo "mkinitramfs: ARCH must be x86_64 or i386" >&2; exit 2 ;;
esac
file -L "$busybox" | grep -q "statically linked" || { echo "mkinitramfs: $busybox is not a static busybox (install busybox-static)" >&2; exit 2; }
rm -rf "$out/rootA" "$out/rootB"
mkdir -p "$out/tools"
for tool in kjflip kjcore kjexit kjefi kjtsc; do
	"${cc[@]}" -static -O2 -Wall -Wextra -Werror -o "$out/tools/$tool" "$here/$tool.c"
done
"${cc[@]}" -static -O2 -Wall -Wextra -Werror -I"$top/include" -o "$out/tools/kjbios" "$top/tools/kjbios.c"
for side in A B; do
	root=$out/root$side
	mkdir -p "$root"/{bin,proc,sys,dev,mnt,tmp}
	cp "$busybox" "$root/bin/busybox"
	cp "$kexec" "$root/bin/kexec"
done
cp "$out/tools/kjflip" "$out/tools/kjbios" "$out/tools/kjcore" "$out/tools/kjefi" "$out/tools/kjexit" \
	"$out/tools/kjtsc" "$out/rootA/bin/"
cp "$purgatory" "$out/rootA/purgatory.bin"
cp "$out/tools/kjcore" "$out/tools/kjexit" "$out/tools/kjefi" "$out/tools/kjtsc" "$out/rootB/bin/"
# x86_64: Debian's makedumpfile in B (snapshots of A, docs/snapshots.md),
# with the shared libraries and the loader it names, at their own paths.
# KJ_MAKEDUMPFILE=sid (the newest kernel's tests): sid's, with sid's
# libraries; bookworm's 1.7.2 knows kernels up to 6.0 and, on 7.2, leaves
# out pages A's kernel uses (docs/snapshots.md).
if [ "$arch" = x86_64 ] && [ "${KJ_MAKEDUMPFILE:-bookworm}" = sid ]; then
	lib=$out/rootB/lib/x86_64-linux-gnu
	mkdir -p "$lib" "$out/rootB/lib64" "$out/rootB/usr/bin"
	for p in makedumpfile libc6 libdw1t64 libelf1t64 libzstd1 liblzo2-2 zlib1g liblzma5 libbz2-1.0; do
		deb=$("$top/scripts/fetch-sid-deb.sh" "$p" amd64) || exit 1
		find "$deb" -name '*.so*' \( -type f -o -type l \) -exec cp -L {} "$lib/" \;
		[ "$p" = makedumpfile ] && cp "$deb/usr/bin/makedumpfile" "$out/rootB/usr/bin/"
	done
	cp "$lib/ld-linux-x86-64.so.2" "$out/rootB/lib64/"
	# Every library it needs is there: sid's loader, run here, says so.
	if "$lib/ld-linux-x86-64.so.2" --library-path "$lib" --list "$out/rootB/usr/bin/makedumpfile" | grep -q 'not found'; then
		echo "mkinitramfs: sid's makedumpfile misses a library" >&2; exit 1
	fi
elif [ "$arch" = x86_64 ]; then
	mdf=$(command -v makedumpfile) ||
		{ echo "mkinitramfs: makedumpfile is missing (scripts/install-deps.sh --linux)" >&2; exit 2; }
	for f in "$mdf" $(ldd "$mdf" | grep -o '/[^ ]*'); do
		mkdir -p "$out/rootB$(dirname "$f")"
		cp -L "$f" "$out/rootB$f"
	done
fi
if [ "$arch" = x86_64 ]; then
	# kjhib (tools/kjhib.c): kexec hibernation's save (in B) and load (in
	# kernel C, which boots A's initramfs; docs/hibernate.md).
	gcc -static -O2 -Wall -Wextra -Werror -I"$top/include" -o "$out/tools/kjhib" \
		"$top/tools/kjhib.c" "$top/lib/sha256.c" -lz
	cp "$out/tools/kjhib" "$out/rootA/bin/"
	cp "$out/tools/kjhib" "$out/rootB/bin/"
fi
cp "$here/efivars.sh" "$out/rootA/efivars.sh"
cp "$here/efivars.sh" "$out/rootB/efivars.sh"
cp "$here/init-a.sh" "$out/rootA/init"
cp "$here/init-b.sh" "$out/rootB/init"
chmod +x "$out/rootA/init" "$out/rootB/init"
(cd "$out/rootB" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$out/rootA/initrd-b.cpio.gz"
cp "$bzimage" "$out/rootA/bzImage"
(cd "$out/rootA" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$out/initrd-a.cpio.gz"
