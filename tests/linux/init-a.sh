#!/bin/busybox sh
# Kernel A's /init: load B with preserve context through our purgatory,
# jump ROUNDS times, and check A's user space after every return.
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /mnt/tmpfs && mount -t tmpfs tmpfs /mnt/tmpfs
ROUNDS=3
echo "KJT A: booted"
# A process that keeps counting across the jumps.
( n=0; while true; do n=$((n + 1)); echo $n > /mnt/tmpfs/counter; sleep 1; done ) &
# A file whose checksum must survive.
dd if=/dev/urandom of=/mnt/tmpfs/blob bs=1024 count=512 2>/dev/null
sum=$(sha256sum /mnt/tmpfs/blob | cut -d' ' -f1)
# B gets 126 MiB of the window; its top 2 MiB (purgatory and the ELF core
# header, where kexec-tools puts them) are marked ACPI data so B keeps off.
kexec -c --console-serial --serial=0x3f8 --serial-baud=115200 --load-preserve-context \
	--mem-min=0x10000000 --mem-max=0x17ffffff /bzImage --initrd=/initrd-b.cpio.gz \
	--append="console=ttyS0 memmap=exactmap memmap=640K@0 memmap=126M@256M memmap=2M#0x17e00000"
echo "KJT A: loaded rc=$?"
round=1
while [ $round -le $ROUNDS ]; do
	before=$(cat /mnt/tmpfs/counter)
	echo "KJT A: round $round jump"
	kexec -e
	echo "KJT A: round $round resumed"
	sleep 2
	after=$(cat /mnt/tmpfs/counter)
	[ "$after" -gt "$before" ] && echo "KJT A: round $round counter advanced $before -> $after"
	[ "$(sha256sum /mnt/tmpfs/blob | cut -d' ' -f1)" = "$sum" ] && echo "KJT A: round $round tmpfs intact"
	round=$((round + 1))
done
echo "KJT A: done"
reboot -f
