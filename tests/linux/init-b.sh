#!/bin/busybox sh
# Kernel B's /init: only standard commands, as a real B would use them,
# plus the test's kjcore (to look at A's core and at memory) and kjexit (to
# end the run on purpose). From A's --append: kjt_disk= (B's own disk,
# ext4, /owner says "B"), kjt_a_rodata= (where A's read-only data is),
# kjt_low= (the low memory B borrows from A).
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
# Every line of ours goes through the kernel's log (/dev/kmsg: one record
# per write, printk.devkmsg=on on the command line A gives B), not the tty: the
# console prints it whole, never torn by a kernel message printed at the
# same moment (seen 2026-12-04: an AHCI link-up message in the middle of
# "KJT A: round 3 low memory sha256").
exec >/dev/kmsg
# A record holds at most about 1 KiB, and a program writing to a pipe or
# a device (sed here) writes its whole output at once: its lines go
# through `lines`, one write each. The test's C tools write line by line.
lines() { while IFS= read -r l; do echo "$l"; done; }
# Standard error as well, a record per line: kexec-tools prints "kexec
# failed: Bad file descriptor" on stderr each time a preserve-context
# kexec -e returns (errno left over; the jump itself worked), and on the
# tty that text landed in the middle of our lines (seen 2026-12-04:
# "kexec failed: BaKJT A: bios jump 2 returned").
mkdir -p /tmp && mkfifo /tmp/kjt-stderr
lines < /tmp/kjt-stderr &
exec 2>/tmp/kjt-stderr
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p"; }
echo "KJT B: booted cmdline=$(cat /proc/cmdline)"
entry=$(arg kexec_jump_back_entry)
# Kexec hibernation (kjt_hib= from A; docs/hibernate.md): A's memory, free
# pages left out and compressed, by Debian's makedumpfile, and purgatory's
# memory (A's recorded CPU state), by kjhib, to the hibernation disk; then
# the machine powers off.
hib=$(arg kjt_hib)
if [ -n "$hib" ] && [ -n "$entry" ]; then
	echo "KJT B: hibernating A, tsc $(kjtsc)"
	mkdir -p /mnt/h && mount -t ext4 "$hib" /mnt/h && echo "KJT B: hibernation disk $hib mounted"
	rm -rf /mnt/h/img && mkdir -p /mnt/h/img
	makedumpfile -c -d 16 /proc/vmcore /mnt/h/img/vmcore > /tmp/mdf.log 2>&1
	echo "KJT B: makedumpfile rc=$? size $(stat -c %s /mnt/h/img/vmcore), tsc $(kjtsc)"
	grep -iE 'error|warn|not support|fail' /tmp/mdf.log | sed "s/^/KJT B: makedumpfile: /" | lines
	kjhib save /mnt/h/img > /tmp/kjhib.out 2>&1
	echo "KJT B: kjhib save rc=$?"
	sed "s/^/KJT B: kjhib: /" /tmp/kjhib.out | lines
	# (Not under make bench, kjt_bench=1: the hash is the test's, and
	# would count in the time to hibernate.)
	[ "$(arg kjt_bench)" = 1 ] ||
		echo "KJT B: image $(sha256sum /mnt/h/img/vmcore | cut -d' ' -f1) $(sha256sum /mnt/h/img/kjhib | cut -d' ' -f1)"
	echo "KJT B: image bytes $(( $(stat -c %s /mnt/h/img/vmcore) + $(stat -c %s /mnt/h/img/kjhib) ))"
	umount /mnt/h && sync
	echo "KJT B: powering off, tsc $(kjtsc)"
	poweroff -f
	echo "KJT B: poweroff returned"
	kjexit 0x38
fi
if [ -z "$entry" ]; then
	echo "KJT B: one-way boot, no kexec_jump_back_entry="
	# The run's planned end: QEMU exits with status 99. A reset or a
	# triple fault would end it with 0.
	kjexit 0x31
	echo "KJT B: kjexit failed"
	reboot -f
fi
# make bench (kjt_bench=1 from A, init-a.sh): the TSC when B's user space
# starts, then timed round trips and nothing else.
if [ -n "$(arg kjt_bench)" ]; then
	echo "KJT B: bench booted $(kjtsc)"
	kexec -c --load-jump-back-helper --entry=$entry
	echo "KJT B: bench helper rc=$?"
	n=1
	while true; do
		echo "KJT B: bench $n out $(kjtsc)"
		kexec -e
		echo "KJT B: bench $n in $(kjtsc)"
		n=$((n + 1))
	done
fi
echo "KJT B: cpus $(cat /sys/devices/system/cpu/online)"
# Hundredths of a second since boot, without leading zeros (under
# -icount the shell can start within the first second: "098" is no number).
uptime_cs() { tr -d . < /proc/uptime | cut -d' ' -f1 | sed 's/^0*\([0-9]\)/\1/'; }
t0=$(uptime_cs); sleep 1; echo "KJT B: sleep 1 took $(( ($(uptime_cs) - t0) * 10 )) ms"
# Where B's kernel runs (with KASLR, wherever B's memory map let it go).
sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Kernel \(code\|bss\)$/KJT B: kernel \3 0x\1-0x\2/p' /proc/iomem | lines
if [ -e /proc/vmcore ]; then echo "KJT B: vmcore present"; else echo "KJT B: vmcore absent"; fi
# A's marker: "KJT-A-MARK-" and 16 hex digits B cannot know in advance.
kjcore /proc/vmcore KJT-A-MARK-
echo "KJT B: kjcore rc=$?"
# A's kernel is in A's core: its banner, in A's read-only data.
rodata=$(arg kjt_a_rodata)
start=${rodata%-*} end=${rodata#*-}
# (Linux 6.x keeps two: the one /proc/version prints, and a placeholder
# without the build number and date; every one found is printed.)
kjcore dump /proc/vmcore $start $((end - start + 1)) | tr '\0' '\n' | grep -a '^Linux version ' |
	sort -u | sed "s/^/KJT B: A's banner in A's core: /"
# A's low memory, which B borrows: A's copy (in the backup area, where the
# core's segment for it points) and B's own (as B's kernel has it).
low=$(arg kjt_low)
start=${low%-*} end=${low#*-}
echo "KJT B: A's low memory in A's core sha256 $(kjcore dump /proc/vmcore $start $((end - start + 1)) | sha256sum | cut -d' ' -f1)"
echo "KJT B: own low memory sha256 $(kjcore dump /proc/kcore $start $((end - start + 1)) | sha256sum | cut -d' ' -f1)"
# Under UEFI (B was booted with the EFI information kexec-tools passes):
# the firmware's runtime services, at boot and after every resume
# (tests/linux/init-a.sh says how).
. /efivars.sh
efi=
if [ -d /sys/firmware/efi ]; then
	efi=1
	echo "KJT B: efi present"
	mount -t efivarfs efivarfs $EFIVARS && echo "KJT B: efivarfs mounted, $(ls $EFIVARS | wc -l) variables"
	echo "KJT B: efi $(kjefi time) rc=$?"
	echo "KJT B: efi got KjTA1 $(efi_get KjTA1)"
	v=B-round-1-$(od -A n -t x1 -N 8 /dev/urandom | tr -d ' \n')
	efi_set KjTB1 "$v" && echo "KJT B: efi set KjTB1 $v"
fi
mkdir -p /mnt/b
disk=$(arg kjt_disk)
mount -t ext4 "$disk" /mnt/b && [ "$(cat /mnt/b/owner)" = B ] && echo "KJT B: disk $disk mounted"
kexec -c --load-jump-back-helper --entry=$entry
echo "KJT B: helper loaded rc=$?"
# A process of B's that keeps counting across B's absences.
# The count goes through a rename: a reader never sees the file between
# truncation and write (an empty read made a kept count look stopped).
( n=0; while true; do n=$((n + 1)); echo $n > /tmp/counter.new && mv /tmp/counter.new /tmp/counter; sleep 1; done ) &
sleep 1
# Snapshots (kjt_snap=LEVEL from A, the dump level, 0: none;
# docs/snapshots.md): every time B runs, a filtered, compressed dump of A
# as A left it, on B's disk, by Debian's makedumpfile. B's own check: the
# dump's kernel log (makedumpfile --dump-dmesg) and the markers in it; the
# host opens the dumps with crash.
snap=$(arg kjt_snap)
snapshot() {
	local t0=$(uptime_cs)
	makedumpfile -c -d $snap /proc/vmcore /mnt/b/snap-$1 > /tmp/mdf.log 2>&1
	echo "KJT B: snapshot $1 rc=$? size $(stat -c %s /mnt/b/snap-$1 2>/dev/null) took $(( ($(uptime_cs) - t0) * 10 )) ms"
	grep -iE 'error|warn|not support|fail' /tmp/mdf.log | sed "s/^/KJT B: snapshot $1 makedumpfile: /" | lines
	# (makedumpfile never overwrites an output file.)
	rm -f /tmp/dmesg
	makedumpfile --dump-dmesg /mnt/b/snap-$1 /tmp/dmesg > /dev/null 2>&1
	echo "KJT B: snapshot $1 dmesg markers $(grep -ao 'KJT-SNAP-[0-9]*-[0-9a-f]*' /tmp/dmesg | tr '\n' ' ')"
	sync
}
n=1
while true; do
	[ -n "$snap" ] && [ "$snap" != 0 ] && snapshot $n
	# A line appended to B's disk every round, flushed; while A runs,
	# B's filesystem is read-only, so it is clean on disk whenever B may
	# be dropped (A's one-way boot at the end throws B away).
	echo "round $n $(od -A n -t x1 -N 8 /dev/urandom | tr -d ' \n')" >> /mnt/b/log
	sync
	echo "KJT B: round $n disk log $(sha256sum /mnt/b/log | cut -d' ' -f1)"
	mount -o remount,ro /mnt/b
	before=$(cat /tmp/counter)
	echo "KJT B: jump $n"
	kexec -e
	echo "KJT B: resumed $n"
	echo "KJT B: resumed $n cpus $(cat /sys/devices/system/cpu/online)"
	if [ -n "$efi" ]; then
		r=$((n + 1))
		echo "KJT B: resumed $n efi $(kjefi time) rc=$?"
		echo "KJT B: efi got KjTA$r $(efi_get KjTA$r)"
		v=B-round-$r-$(od -A n -t x1 -N 8 /dev/urandom | tr -d ' \n')
		efi_set KjTB$r "$v" && echo "KJT B: efi set KjTB$r $v"
	fi
	mount -o remount,rw /mnt/b || echo "KJT B: remount rw failed"
	sleep 2
	after=$(cat /tmp/counter)
	if [ "$after" -gt "$before" ]; then echo "KJT B: resumed $n counter advanced $before -> $after"
	else echo "KJT B: resumed $n counter did not advance: '$before' -> '$after'"; fi
	n=$((n + 1))
done
