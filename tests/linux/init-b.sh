#!/bin/busybox sh
# Kernel B's /init: only standard commands, as a real B would use them,
# plus kjcore to look at A's core.
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo "KJT B: booted cmdline=$(cat /proc/cmdline)"
entry=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^kexec_jump_back_entry=//p')
if [ -z "$entry" ]; then
	echo "KJT B: one-way boot, no kexec_jump_back_entry="
	reboot -f
fi
# Where B's kernel runs (with KASLR, wherever B's memory map let it go).
sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Kernel \(code\|bss\)$/KJT B: kernel \3 0x\1-0x\2/p' /proc/iomem
if [ -e /proc/vmcore ]; then echo "KJT B: vmcore present"; else echo "KJT B: vmcore absent"; fi
# A's marker: "KJT-A-MARK-" and 16 hex digits B cannot know in advance.
kjcore /proc/vmcore KJT-A-MARK-
echo "KJT B: kjcore rc=$?"
kexec -c --load-jump-back-helper --entry=$entry
echo "KJT B: helper loaded rc=$?"
n=1
while true; do
	echo "KJT B: jump $n"
	kexec -e
	echo "KJT B: resumed $n"
	n=$((n + 1))
done
