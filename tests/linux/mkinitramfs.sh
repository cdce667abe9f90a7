#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# mkinitramfs.sh OUTDIR BZIMAGE KEXEC PURGATORY_BIN: A's and B's busybox
# initramfs. A's carries B's kernel (the same bzImage), B's initramfs,
# purgatory.bin and kjbios (tools/kjbios.c, the BIOS-call loader); kjflip
# (A) and kjcore (B) are the test's own helpers. All are built static here.
set -euo pipefail
out=$1 bzimage=$2 kexec=$3 purgatory=$4
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
busybox=/bin/busybox
file "$busybox" | grep -q "statically linked" || { echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2; exit 2; }
rm -rf "$out/rootA" "$out/rootB"
mkdir -p "$out/tools"
for tool in kjflip kjcore; do
	gcc -static -O2 -Wall -Wextra -Werror -o "$out/tools/$tool" "$here/$tool.c"
done
gcc -static -O2 -Wall -Wextra -Werror -I"$top/include" -o "$out/tools/kjbios" "$top/tools/kjbios.c"
for side in A B; do
	root=$out/root$side
	mkdir -p "$root"/{bin,proc,sys,dev,mnt,tmp}
	cp "$busybox" "$root/bin/busybox"
	cp "$kexec" "$root/bin/kexec"
done
cp "$out/tools/kjflip" "$out/tools/kjbios" "$out/rootA/bin/"
cp "$purgatory" "$out/rootA/purgatory.bin"
cp "$out/tools/kjcore" "$out/rootB/bin/"
cp "$here/init-a.sh" "$out/rootA/init"
cp "$here/init-b.sh" "$out/rootB/init"
chmod +x "$out/rootA/init" "$out/rootB/init"
(cd "$out/rootB" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$out/rootA/initrd-b.cpio.gz"
cp "$bzimage" "$out/rootA/bzImage"
(cd "$out/rootA" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$out/initrd-a.cpio.gz"
