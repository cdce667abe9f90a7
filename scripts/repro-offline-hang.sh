#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Reproducer for docs/linux.md item 19: a kexec jump that hangs for good in
# "Disabling non-boot CPUs ...", because block I/O reaches a device the
# kernel has already frozen and the CPU offline waits for it.
#
#   scripts/repro-offline-hang.sh WORKDIR [BOOTS] [BZIMAGE]
#
# WORKDIR is a real-kernel chain's work directory after a run of it, e.g.
# build/linux/x86_64-6.1 (after `make check`): its rootA (busybox, kexec
# with our purgatory, B's kernel and initramfs) and disk images are used,
# with an /init of this script's own. Each boot: A mounts its disk, loads B
# with preserve context, keeps writeback busy (dirty pages expire at once,
# the flusher runs every 10 ms, a dd rewrites files), and makes one jump.
# A boot passes when A resumes and ends QEMU through kjexit (status 101); it
# fails when QEMU is still running after 150 s (every CPU idle, the CPU
# offline waiting) or ends otherwise. BZIMAGE is A's kernel (default: the
# bzImage in rootA, which is also B's). KJ_REPRO_QUEUES=N gives both
# virtio-blk disks N queues (default: QEMU's, one per CPU). x86_64 only.
# The work is done in a temporary directory; the last line says
# "N passed, N failed".
set -euo pipefail
src=$(cd "$1" && pwd) boots=${2:-10}
bz=${3:-$src/rootA/bzImage}
queues=${KJ_REPRO_QUEUES:+,num-queues=$KJ_REPRO_QUEUES}
[ -d "$src/rootA" ] && [ -s "$src/disk-a.img" ] ||
	{ echo "repro-offline-hang: $src is not a chain work directory (run make check first)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$src/rootA" "$tmp/root"
cp "$src/disk-a.img" "$src/disk-b.img" "$tmp/"
cat > "$tmp/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /mnt/a; mount -t ext4 /dev/vda /mnt/a && echo "REPRO: disk mounted"
ks=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel code$/0x\1/p' /proc/iomem)
ke=$(sed -n 's/^ *[0-9a-f]*-\([0-9a-f]*\) : Kernel bss$/0x\1/p' /proc/iomem)
for w in 0x40000000-0x47ffffff 0x60000000-0x67ffffff; do
	ws=${w%-*} we=${w#*-}
	if [ $((we)) -lt $((ks)) ] || [ $((ws)) -gt $((ke)) ]; then window=$w; break; fi
done
kexec -c --console-serial --serial=0x3f8 --serial-baud=115200 --load-preserve-context \
	--mem-min=${window%-*} --mem-max=${window#*-} /bzImage --initrd=/initrd-b.cpio.gz \
	--append="console=ttyS0 no_console_suspend panic=-1 kjt_disk=/dev/vdb"
echo "REPRO: loaded rc=$?"
echo 1 > /proc/sys/vm/dirty_writeback_centisecs
echo 1 > /proc/sys/vm/dirty_expire_centisecs
( i=0; while true; do dd if=/dev/urandom of=/mnt/a/big$((i % 4)) bs=64k count=16 2>/dev/null; i=$((i + 1)); done ) &
sleep 2
echo "REPRO: writer running, jumping"
kexec -e
echo "REPRO: resumed"
kjexit 0x32
EOF
chmod +x "$tmp/root/init"
(cd "$tmp/root" && find . | cpio -o -H newc 2>/dev/null | gzip -1 > "$tmp/initrd.gz")
pass=0 fail=0
for b in $(seq 1 "$boots"); do
	log=$tmp/serial.log
	qemu-system-x86_64 -machine pc -smp 2 -m 2G -display none -nic none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive "file=$tmp/disk-a.img,format=raw,if=none,id=da" -device virtio-blk-pci,drive=da$queues \
		-drive "file=$tmp/disk-b.img,format=raw,if=none,id=db" -device virtio-blk-pci,drive=db$queues \
		-serial "file:$log" -kernel "$bz" -initrd "$tmp/initrd.gz" \
		-append "console=ttyS0 no_console_suspend panic=-1" </dev/null >/dev/null 2>&1 &
	pid=$! waited=0
	while kill -0 $pid 2>/dev/null && [ $waited -lt 150 ]; do sleep 1; waited=$((waited + 1)); done
	if kill -0 $pid 2>/dev/null; then
		kill $pid; wait $pid || true
		fail=$((fail + 1))
		echo "boot $b: hung; the log ends: $(grep -a . "$log" | tail -1 | tr -d '\r')"
	else
		status=0; wait $pid || status=$?
		if [ $status = 101 ] && grep -aq "^REPRO: resumed" "$log"; then pass=$((pass + 1)); echo "boot $b: resumed"
		else fail=$((fail + 1)); echo "boot $b: QEMU status $status"; fi
	fi
done
echo "$pass passed, $fail failed"
