#!/bin/busybox sh
# Kernel A's /init: load B with preserve context through our purgatory,
# jump ROUNDS times, and check A's user space after every return; then
# the corrupted-segment cases, BIOS calls through kjbios, and a one-way
# boot (docs/linux.md, docs/bios.md).
# kjt_mode= on A's command line: "rounds" (default) or "corrupt-one-way".
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /mnt/tmpfs && mount -t tmpfs tmpfs /mnt/tmpfs
mode=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^kjt_mode=//p')
# kjt_one_way=: how the last, one-way boot enters B: real (kexec
# --real-mode, kexec-tools' entry16_regs), entry32 (kexec --entry-32bit,
# entry32_regs under x86_64), or the loader's default.
one_way=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^kjt_one_way=//p')
ROUNDS=3
echo "KJT A: booted mode=${mode:-rounds}"
# B's window is [mem-min, mem-max]: kexec-tools fills it with B's segments
# and backup segments, so the kernel swaps all of A's pages there out of
# the way at every jump. kexec-tools gives B the window as its RAM, without
# purgatory and the ELF core header (patches/kexec-tools/0004), so B needs
# no memmap= options.
WINDOW="--mem-min=0x10000000 --mem-max=0x17ffffff"
# The consoles stay on through the jump (no_console_suspend): a kernel that
# dies between suspending and resuming its console would otherwise leave
# nothing in the log. A panic reboots at once (QEMU exits) instead of
# hanging until the test's time limit. B keeps KASLR: its decompressor
# picks a random place from the memory map in boot_params, which is now
# B's own (patches/kexec-tools/0004); with A's whole map there, a
# randomized B once landed at 0x19e00000, in A's memory. The test checks
# where B's kernel ran.
B_DEBUG="no_console_suspend panic=-1"
CONSOLE="--console-serial --serial=0x3f8 --serial-baud=115200"

if [ "$mode" = corrupt-one-way ]; then
	# Without preserve context a corrupted segment cannot be reported to A:
	# purgatory must halt with a message, and B must not start.
	kjflip /bin/kexec -c $CONSOLE -l /bzImage --initrd=/initrd-b.cpio.gz \
		--append="console=ttyS0 panic=-1"
	echo "KJT A: corrupted one-way load rc=$?"
	kexec -e
	echo "KJT A: kexec -e returned from a one-way boot"
	reboot -f
fi

# A process that keeps counting across the jumps.
( n=0; while true; do n=$((n + 1)); echo $n > /mnt/tmpfs/counter; sleep 1; done ) &
# A file whose checksum must survive.
dd if=/dev/urandom of=/mnt/tmpfs/blob bs=1024 count=512 2>/dev/null
sum=$(sha256sum /mnt/tmpfs/blob | cut -d' ' -f1)
# A marker B must find in A's core: a value B cannot know in advance.
marker=KJT-A-MARK-$(od -A n -t x1 -N 8 /dev/urandom | tr -d ' \n')
echo "$marker" > /mnt/tmpfs/marker
echo "KJT A: marker $marker"
user_space_ok() {
	[ "$(sha256sum /mnt/tmpfs/blob | cut -d' ' -f1)" = "$sum" ] && echo "KJT A: $1 tmpfs intact"
}

kexec -c $CONSOLE --load-preserve-context $WINDOW /bzImage --initrd=/initrd-b.cpio.gz \
	--append="console=ttyS0 $B_DEBUG"
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
	user_space_ok "round $round"
	round=$((round + 1))
done
echo "KJT A: done"

# With preserve context a corrupted segment is refused back to A.
kjflip /bin/kexec -c $CONSOLE --load-preserve-context $WINDOW /bzImage \
	--initrd=/initrd-b.cpio.gz --append="console=ttyS0 $B_DEBUG"
echo "KJT A: corrupted load rc=$?"
kexec -e
echo "KJT A: corrupted jump returned"
user_space_ok "after the corrupted jump"

# BIOS calls in physical mode (docs/bios.md): purgatory loaded in BIOS-list
# mode by kjbios; each kexec -e walks the firmware's E820 map in real mode
# and returns. The list and its results stay in A's memory at 0x9c000,
# reserved by memmap=8K$0x9c000 on A's command line (tests/linux/chain.sh)
# and read back through /dev/mem. Two runs: the image stays loaded and repeats.
kjbios load /purgatory.bin --list 0x9c000 e820
echo "KJT A: bios load rc=$?"
for run in 1 2; do
	kexec -e
	echo "KJT A: bios jump $run returned"
done
kjbios show --list 0x9c000 > /tmp/bios.out
echo "KJT A: bios show rc=$?"
sed 's/^kjbios: /KJT A: bios /' /tmp/bios.out
user_space_ok "after the BIOS calls"

# Last, a plain kexec: B boots one-way and ends the run.
ENTRY=
[ "$one_way" = real ] && ENTRY=--real-mode
[ "$one_way" = entry32 ] && ENTRY=--entry-32bit
kexec -c $CONSOLE -l $ENTRY /bzImage --initrd=/initrd-b.cpio.gz --append="console=ttyS0 panic=-1"
echo "KJT A: one-way load rc=$?"
kexec -e
echo "KJT A: kexec -e returned from a one-way boot"
reboot -f
