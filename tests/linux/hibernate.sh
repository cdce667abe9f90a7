#!/usr/bin/env bash
# Kexec hibernation through purgatory, run by tests/linux/*-hibernate.t
# (docs/hibernate.md is the flow this follows):
#
#   tests/linux/hibernate.sh ARCH SUITE NAME TARBALL OTHER_TARBALL [PATCH...]
#
# One machine (QEMU pc, 2 CPUs, 2 GiB, virtio disks: A's at /dev/vda, the
# hibernation disk at /dev/vdb), five QEMU processes in turn:
#   1. A boots, mounts its disk, starts a counting process, jumps to B; B
#      saves A's memory (makedumpfile -c -d 16) and purgatory's (kjhib
#      save) to the hibernation disk and powers the machine off.
#   2. C, the same kernel on a machine with 3 GiB: kjhib load refuses.
#   3. C, another kernel build (OTHER_TARBALL): kjhib load refuses.
#   4. C, the same kernel, same machine: refuses a missing, a truncated and
#      a corrupted copy, then loads the image; kexec -e resumes A, which
#      checks its processes, tmpfs and disk, writes, is refused a jump to
#      the B it lost, and ends the run.
#   5. C again: the image was used, and is refused.
# The host then checks A's disk (e2fsck, the files A wrote) and that the
# image is still on the hibernation disk as B saved it.
set -u
O=${KJ_O:-build}
. "$(dirname "$0")/tap.sh"

arch=$1 suite=$2 name=$3 tarball=$4 other=$5
shift 5
newest() {
	local t
	t=$(scripts/fetch-newest-linux.sh) || return 1
	echo "$t"
}
if [ "$tarball" = newest ]; then
	tarball=$(newest) || { not_ok "fetching the newest linux-source from Debian sid"; finish; }
	version=${tarball##*/linux-source-}
	name=${name//newest/${version%.tar.xz}}
fi
[ "$other" = newest ] && { other=$(newest) || { not_ok "fetching the newest linux-source"; finish; }; }
[ "$arch" = x86_64 ] || { echo "hibernate.sh: x86_64 only (kjhib reads a 64-bit purgatory)" >&2; exit 2; }
qemu=qemu-system-x86_64
work=$O/linux/$arch-$name-hibernate
mkdir -p "$work"
if bz=$(scripts/build-linux.sh "$tarball" "$arch" "$@" | tail -1) && [ -s "$bz" ]; then
	ok "Linux $name built ($bz)"
else
	not_ok "building Linux $name"; finish
fi
# The other build: another version, without this one's patches.
if other_bz=$(scripts/build-linux.sh "$other" "$arch" | tail -1) && [ -s "$other_bz" ]; then
	ok "another kernel build for the refusal: ${other##*/} ($other_bz)"
else
	not_ok "building the other kernel ${other##*/}"; finish
fi
if scripts/build-kexec-tools.sh "$arch" "$suite" "$O/$arch/purgatory.ro" "$work/kexec"; then
	ok "kexec-tools from $suite built with our purgatory.ro"
else
	not_ok "building kexec-tools"; finish
fi
tests/linux/mkinitramfs.sh "$arch" "$work" "$bz" "$work/kexec" "$O/$arch/purgatory.bin" ||
	{ not_ok "building the initramfs"; finish; }

mkdisk() {
	local img=$1 label=$2 size=$3 dir=$work/disk-$2
	rm -rf "$dir" "$img" && mkdir -p "$dir" && echo "$label" > "$dir/owner" &&
		mkfs.ext4 -q -F -L "KJT$label" -d "$dir" "$img" "$size" >/dev/null
}
mkdisk "$work/disk-a.img" A 32M && mkdisk "$work/disk-h.img" H 1G ||
	{ not_ok "making the disk images"; finish; }
disks=(-drive "file=$work/disk-a.img,format=raw,if=none,id=da" -device virtio-blk-pci,drive=da
       -drive "file=$work/disk-h.img,format=raw,if=none,id=dh" -device virtio-blk-pci,drive=dh)
windows=0x40000000-0x47ffffff,0x60000000-0x67ffffff
common="console=ttyS0 printk.devkmsg=on no_console_suspend panic=-1 memmap=8K\$0x9c000 kjt_windows=$windows kjt_disk_a=/dev/vda kjt_hib=/dev/vdb kjt_firmware=seabios"

# KJ_HIB_BENCH=1 (scripts/bench.sh): kexec hibernation and Linux's own
# (swsusp, to a swap disk on the same bus: /dev/vdc) side by side under
# -icount, where the guest's TSC counts instructions; no refusals.
bench=${KJ_HIB_BENCH:-0}
smp=2
if [ "$bench" = 1 ]; then
	# One CPU, as make bench's chains: under -icount a second CPU took
	# minutes to come up (docs/bench-notes.md).
	smp=1
	rm -f "$work/swap.img" && truncate -s 1G "$work/swap.img" && mkswap -q "$work/swap.img" ||
		{ not_ok "making the swap disk"; finish; }
	disks+=(-drive "file=$work/swap.img,format=raw,if=none,id=ds" -device virtio-blk-pci,drive=ds)
	common="$common printk.time=1 kjt_swap=/dev/vdc kjt_bench=1"
	KJ_QEMU_DEBUG="-icount shift=0,align=off,sleep=off"
fi

# run MEM KERNEL LOG LIMIT CMDLINE...: one QEMU process; its exit status in $status.
run() {
	local mem=$1 kernel=$2 out=$3 limit=$4 pid waited=0
	shift 4
	rm -f "$out" "$out.reset"
	$qemu -machine pc -smp $smp -m "$mem" -display none -nic none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -d cpu_reset -D "$out.reset" \
		"${disks[@]}" ${KJ_QEMU_DEBUG:-} -serial "file:$out" -kernel "$kernel" \
		-initrd "$work/initrd-a.cpio.gz" -append "$common $*" </dev/null >"$out.qemu" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		if [ $waited -ge $limit ]; then
			echo "# QEMU stopped at the time limit ($limit s)"
			kill $pid; wait $pid; status=124; return
		fi
		sleep 1; waited=$((waited + 1))
	done
	wait $pid
	status=$?
	sed -n 's/^\(KJT .*\)\r\?$/# \1/p' "$out"
}
value() { sed -n "s/^KJT $1 \\([^[:cntrl:]]*\\)[[:cntrl:]]*\$/\\1/p" "$2" | head -1; }
no_triple() { ! grep -q "Triple fault" "$1.reset"; }
clean() { ! grep -qE 'Oops|BUG:|WARNING:|Kernel panic|Call Trace' "$1"; }

if [ "$bench" = 1 ]; then
	powered_off() { [ "$status" = 0 ] && grep -q 'reboot: Power down' "$1" && no_triple "$1"; }
	l1=$work/serial-bench-kexec-hibernate.log l2=$work/serial-bench-kexec-restore.log
	l3=$work/serial-bench-swsusp.log l4=$work/serial-bench-swsusp-resume.log
	run 2G "$bz" "$l1" 3600 kjt_mode=hibernate
	check "kexec hibernation: B saved A and powered the machine off (status $status)" powered_off "$l1"
	run 2G "$bz" "$l2" 3600 kjt_mode=restore
	check "kexec hibernation: C restored A, which ended the run (status 107: $status)" [ "$status" = 107 ]
	swap_before=$(du -B1 "$work/swap.img" | cut -f1)
	run 2G "$bz" "$l3" 3600 kjt_mode=swsusp
	check "swsusp: A wrote its image to swap and powered the machine off (status $status)" powered_off "$l3"
	swap_after=$(du -B1 "$work/swap.img" | cut -f1)
	run 2G "$bz" "$l4" 3600 kjt_mode=swsusp-resume resume=/dev/vdc
	check "swsusp: the next boot resumed A, which ended the run (status 115: $status)" [ "$status" = 115 ]
	check "swsusp: A's tmpfs and counting process came back" \
		bash -c "grep -q 'KJT A: swsusp resumed tmpfs intact' '$l4' && grep -q 'KJT A: swsusp resumed counter process alive' '$l4'"
	check "kexec hibernation: A's tmpfs and counting process came back" \
		bash -c "grep -q 'KJT A: resumed tmpfs intact' '$l2' && grep -q 'KJT A: resumed counter process alive' '$l2'"
	# Virtual nanoseconds = instructions. Hibernate: from A's last TSC
	# reading before it asks, to the kernel's "reboot: Power down" (kexec:
	# A's TSC to B's, then B's log clock from its last line to power down;
	# swsusp: A's log clock). Resume: from power-on (TSC 0 in the new QEMU
	# process) to A's first TSC reading after its request returns.
	python3 - "$l1" "$l2" "$l3" "$l4" "$((swap_after - swap_before))" <<'PY' || not_ok "the bench logs do not parse"
import re, sys
l1, l2, l3, l4, swap = sys.argv[1:6]
def lines(f):
    for l in open(f, errors="replace"):
        m = re.match(r"\[\s*([0-9.]+)\] (.*?)\r?$", l)
        if m:
            yield float(m.group(1)), m.group(2)
def find(f, pat):
    for t, text in lines(f):
        m = re.search(pat, text)
        if m:
            return t, m
    sys.exit("no %r in %s" % (pat, f))
_, a = find(l1, r"KJT A: hibernating, counter \d+, tsc (\d+)")
t_off, b = find(l1, r"KJT B: powering off, tsc (\d+)")
t_down, _ = find(l1, r"reboot: Power down")
_, size = find(l1, r"KJT B: image bytes (\d+)")
_, r = find(l2, r"KJT A: resumed from hibernation, tsc (\d+)")
print("# hib_kexec_image_bytes", size.group(1))
print("# hib_kexec_hibernate_ns", int(b.group(1)) - int(a.group(1)) + round((t_down - t_off) * 1e9))
print("# hib_kexec_resume_ns", r.group(1))
t_hib, _ = find(l3, r"KJT A: swsusp hibernating, tsc \d+")
t_down, _ = find(l3, r"reboot: Power down")
_, r = find(l4, r"KJT A: swsusp resumed rc=0, tsc (\d+)")
print("# hib_swsusp_image_bytes", swap)
print("# hib_swsusp_hibernate_ns", round((t_down - t_hib) * 1e9))
print("# hib_swsusp_resume_ns", r.group(1))
PY
	finish
fi

# 1. A hibernates.
log1=$work/serial-hibernate.log
echo "# 1. A boots and hibernates (log: $log1)"
run 2G "$bz" "$log1" 900 kjt_mode=hibernate
check "QEMU ended when B powered the machine off (status 0, \"reboot: Power down\"), not by a reset, a triple fault or the time limit (status $status)" \
	bash -c "[ $status = 0 ] && grep -q 'reboot: Power down' '$log1' && ! grep -q 'Triple fault' '$log1.reset'"
check "A loaded B with preserve context (kexec rc=0)" grep -q "^KJT A: hibernate load rc=0" "$log1"
check "B wrote A's memory with makedumpfile -c -d 16 ($(value "B: makedumpfile rc=0 size" "$log1" | cut -d, -f1) bytes)" \
	grep -q "^KJT B: makedumpfile rc=0 size [1-9]" "$log1"
check "kjhib saved purgatory's memory and the record (rc=0)" grep -q "^KJT B: kjhib save rc=0" "$log1"
saved=$(value "B: image" "$log1")
check "no oops, BUG, WARNING or panic in A or B" clean "$log1"

# A boot of C that must refuse the image: refused WHAT MEM KERNEL LOG MESSAGE
# (the start of kjhib's reason, a grep pattern).
refused() {
	local what=$1 mem=$2 kernel=$3 out=$4 message=$5
	echo "# C: $what (log: $out)"
	run "$mem" "$kernel" "$out" 300 kjt_mode=restore-refused
	check "C ($what) ended by its kjexit (status 109), not by a reset or the time limit (status $status)" \
		[ "$status" = 109 ]
	check "kjhib refused the image ($what), loaded nothing, with a message" \
		bash -c "grep -q '^KJT C: image load rc=1 kexec_loaded=0' '$out' &&
			grep -q '^KJT C: image says: kjhib: refused: $message' '$out'"
	check "the image on disk is unchanged ($what)" \
		bash -c "echo '$(value "C: image before" "$out")' | grep -Eq '^[0-9a-f]{64} [0-9a-f]{64}\$' &&
			[ '$(value "C: image after" "$out")' = '$(value "C: image before" "$out")' ]"
}

# 2. Another memory size. 3. Another kernel build.
refused "a machine with 3 GiB" 3G "$bz" "$work/serial-other-memory.log" \
	"the image is of a machine whose memory ends at pfn"
refused "another kernel build, ${other##*/}" 2G "$other_bz" "$work/serial-other-build.log" \
	"the image is of kernel .* this kernel is "

# 4. The restore.
log4=$work/serial-restore.log
echo "# 4. C restores A (log: $log4)"
run 2G "$bz" "$log4" 900 kjt_mode=restore kjt_cases=1
check "the restore run ended by A's kjexit after its checks (status 107), not by a reset, a triple fault or the time limit (status $status)" \
	[ "$status" = 107 ]
check "no triple fault in QEMU's reset log" no_triple "$log4"
# Each bad copy refused for its own reason (the start of kjhib's message).
for c in "missing:no hibernation image: " "truncated:/mnt/h/truncated/vmcore is truncated or was changed: " \
	 "corrupted:/mnt/h/corrupted/vmcore is corrupted: its SHA-256 differs"; do
	what=${c%%:*} why=${c#*:}
	check "kjhib refused the $what image, loaded nothing: $why..." \
		bash -c "grep -q '^KJT C: $what load rc=1 kexec_loaded=0' '$log4' &&
			grep -q '^KJT C: $what says: kjhib: refused: $why' '$log4'"
done
# Two SHA-256s (vmcore, kjhib record), as B printed them after saving.
check "the refusals left the image as B saved it" \
	bash -c "echo '$saved' | grep -Eq '^[0-9a-f]{64} [0-9a-f]{64}\$' &&
		[ '$(value "C: image after the bad cases" "$log4")' = '$saved' ]"
check "kjhib loaded the image (rc=0, kexec_loaded=1)" grep -q "^KJT C: image load rc=0 kexec_loaded=1" "$log4"
check "purgatory checked the restore image and wrote A's memory" \
	grep -q "kjump: restore: image at 0x[0-9a-f]*, 0x[0-9a-f]* bytes, SHA-256 good; writing" "$log4"
check "A resumed from hibernation" grep -q "^KJT A: resumed from hibernation" "$log4"
check "all CPUs back in A ($(value "A: resumed cpus" "$log4"))" test "$(value "A: resumed cpus" "$log4")" = 0-1
check "A's counting process kept counting ($(value "A: resumed counter advanced" "$log4"))" \
	grep -q "^KJT A: resumed counter advanced" "$log4"
check "A's counting process is the one it started" grep -q "^KJT A: resumed counter process alive" "$log4"
check "A's tmpfs file kept its SHA-256" grep -q "^KJT A: resumed tmpfs intact" "$log4"
check "A's file written before hibernation reads back from its disk" \
	test -n "$(value "A: disk wrote before" "$log1")" -a "$(value "A: resumed disk read before" "$log4")" = "$(value "A: disk wrote before" "$log1")"
check "A wrote, flushed and read back a new file on its disk" \
	test -n "$(value "A: resumed disk wrote after" "$log4")" -a "$(value "A: resumed disk read after" "$log4")" = "$(value "A: resumed disk wrote after" "$log4")"
check "purgatory refused A's jump to the B it lost, with KJ_ELOST (-19), and A went on" \
	bash -c "grep -q 'kjump: refused entry [0-9] from side A (running: A): status -19' '$log4' &&
		grep -q '^KJT A: jump to the lost B returned' '$log4'"
check "A finished" grep -q "^KJT A: hibernation done" "$log4"
check "no oops, BUG, WARNING or panic in C or the resumed A" clean "$log4"

# 5. The same image again.
refused "the same image again" 2G "$bz" "$work/serial-second-restore.log" \
	"this image was restored already"

# The disks, as the host sees them.
fsck_clean() { e2fsck -fn "$1" 2>&1 | sed 's/^/# e2fsck: /'; [ "${PIPESTATUS[0]}" = 0 ]; }
check "A's disk image is a clean ext4 (e2fsck -fn)" fsck_clean "$work/disk-a.img"
check "A's file written after the resume is on its disk" \
	test "$(debugfs -R "cat /after" "$work/disk-a.img" 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$(value "A: resumed disk wrote after" "$log4")"
check "the hibernation disk is a clean ext4 and still holds A's memory image as B saved it" \
	bash -c "e2fsck -fn '$work/disk-h.img' >/dev/null 2>&1 &&
		[ \"\$(debugfs -R 'cat /img/vmcore' '$work/disk-h.img' 2>/dev/null | sha256sum | cut -d' ' -f1)\" = '${saved%% *}' ]"
finish
