#!/usr/bin/env bash
# The real-kernel chain, run by tests/linux/*.t:
#
#   tests/linux/chain.sh ARCH SUITE NAME TARBALL [PATCH...]
#
# Real kernels, ARCH x86_64 or i386: Linux from Debian's linux-source
# TARBALL ("newest": sid's newest, fetched here) (tinyconfig + configs/linux-kexec-jump*.config + the PATCHes) as
# both A and B, and kexec-tools from Debian SUITE's source package (bookworm:
# 2.0.25, sid: the newest; + patches/kexec-tools) carrying our purgatory.ro
# for ARCH. A loads B with kexec -c --load-preserve-context, B loads
# the jump-back helper from kexec_jump_back_entry= on its command line, and
# they make 3 round trips through purgatory with only "kexec -e". B checks
# A's core in /proc/vmcore; A then tries a corrupted preserve-context load
# (refused back to A), BIOS calls through purgatory with kjbios, and a
# plain kexec (B boots one-way). A second boot
# of A checks that a corrupted plain kexec halts in purgatory with a
# message. docs/linux.md lists every check.
# The first run builds the kernel (about 6 minutes on 2 cores; progress on
# stderr) and kexec-tools; both are cached outside the clone.
set -u
O=${KJ_O:-build}
. "$(dirname "$0")/tap.sh"

arch=$1 suite=$2 name=$3 tarball=$4
shift 4
# TARBALL "newest": the newest linux-source in Debian sid
# (scripts/fetch-newest-linux.sh); "newest" in NAME becomes its version.
if [ "$tarball" = newest ]; then
	if ! tarball=$(scripts/fetch-newest-linux.sh); then
		not_ok "fetching the newest linux-source from Debian sid"
		finish
	fi
	version=${tarball##*/linux-source-}
	name=${name//newest/${version%.tar.xz}}
fi
case $arch in
x86_64)	qemu=qemu-system-x86_64 core="ELF64 x86_64" ;;
i386)	qemu=qemu-system-i386 core="ELF32 i386" ;;
*)	echo "chain.sh: ARCH must be x86_64 or i386" >&2; exit 2 ;;
esac
# How the last, one-way boot enters B (KJ_ONE_WAY, set by the .t file):
# "protected" (kexec-tools' default: entry64_regs, or entry32_regs on
# i386), "entry32" (kexec --entry-32bit: entry32_regs under x86_64) or
# "real" (kexec --real-mode: entry16_regs).
one_way=${KJ_ONE_WAY:-protected}
# The machine, from the .t file: QEMU machine type, CPUs, memory, the bus of
# A's disk (B's is virtio), the windows A may choose B's from (the first
# one clear of A's kernel, which keeps KASLR; they must lie further apart
# than A's kernel is long, or a kernel across the gap between them blocks
# both: seen with two adjacent windows, A's kernel at 0x47e00000-0x489fffff)
# and the round trips.
machine=${KJ_MACHINE:-pc}
smp=${KJ_SMP:-2}
mem=${KJ_MEM:-2G}
disk_bus_a=${KJ_DISK_A:-virtio}
windows=${KJ_WINDOWS:-0x40000000-0x47ffffff,0x60000000-0x67ffffff}
rounds=${KJ_ROUNDS:-10}
# The firmware (KJ_FIRMWARE): seabios (a PC BIOS, QEMU's default) or ovmf
# (UEFI, x86_64: A boots through its EFI stub, B gets the EFI information
# kexec-tools passes; both must reach the firmware's runtime services after
# every jump, and BIOS calls and the real-mode entry must be refused).
firmware=${KJ_FIRMWARE:-seabios}
fw=()
case $firmware in
seabios) ;;
ovmf)	fw=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
	    -drive if=pflash,format=raw,snapshot=on,file=/usr/share/OVMF/OVMF_VARS_4M.fd) ;;
*)	echo "chain.sh: KJ_FIRMWARE must be seabios or ovmf" >&2; exit 2 ;;
esac
cpus_want=0-$((smp - 1))
[ "$smp" = 1 ] && cpus_want=0
# KJ_LINUX_BENCH=1 (scripts/bench.sh): kjt_mode=bench under -icount, in a
# work directory of its own, and no checks beyond a planned end.
work=$O/linux/$arch-$name${KJ_LINUX_BENCH:+-bench}
log=$work/serial.log
mkdir -p "$work"
if [ -s "$tarball" ] && bz=$(scripts/build-linux.sh "$tarball" "$arch" "$@" | tail -1) && [ -s "$bz" ]; then
	ok "Linux $name for $arch built from ${tarball##*/} with ${#} patch(es) ($bz)"
else
	not_ok "building Linux $name from $tarball"
	finish
fi
if scripts/build-kexec-tools.sh "$arch" "$suite" "$O/$arch/purgatory.ro" "$work/kexec"; then
	ok "kexec-tools from $suite ($(grep -aom1 'kexec-tools 2\.[0-9.]*' "$work/kexec")) built for $arch with our purgatory.ro in place of its own"
else
	not_ok "building kexec-tools with our purgatory"
	finish
fi
tests/linux/mkinitramfs.sh "$arch" "$work" "$bz" "$work/kexec" "$O/$arch/purgatory.bin" || { not_ok "building the initramfs"; finish; }

# Each kernel's disk: a fresh ext4 image whose /owner names the kernel it
# belongs to (the init scripts check it after mounting). A's is on
# $disk_bus_a (virtio-blk-pci, or the q35 machine's AHCI controller), B's
# on virtio-blk-pci; both kernels see both disks.
# KJ_SNAPSHOTS=LEVEL (set by the .t file; 0: none): B writes a makedumpfile
# snapshot of A at that dump level to its disk every round
# (docs/snapshots.md), so B's disk is larger (a sparse file: only what is
# written takes space).
snapshots=${KJ_SNAPSHOTS:-0}
make_disk() {
	local img=$1 owner=$2 size=$3 dir=$work/disk-$2
	rm -rf "$dir" "$img" && mkdir -p "$dir" && echo "$owner" > "$dir/owner" &&
		mkfs.ext4 -q -F -L "KJT$owner" -d "$dir" "$img" "$size" >/dev/null
}
b_size=32M
[ "$snapshots" != 0 ] && b_size=1G
make_disk "$work/disk-a.img" A 32M && make_disk "$work/disk-b.img" B $b_size || { not_ok "making the disk images"; finish; }
# KJ_VIRTIO_QUEUES=1 (set by the .t file of a kernel without
# patches/linux/*/0002) gives the virtio disks one queue each: the
# configuration an unpatched kernel needs, or a write in flight when the
# disk freezes can hang the jump for good (docs/linux.md, item 19).
# Unset: QEMU's default, one queue per CPU.
vq=${KJ_VIRTIO_QUEUES:+,num-queues=$KJ_VIRTIO_QUEUES}
case $disk_bus_a in
ahci)	disk_a=/dev/sda disk_b=/dev/vda
	disks=(-drive "file=$work/disk-a.img,format=raw,if=none,id=da" -device ide-hd,drive=da,bus=ide.0
	       -drive "file=$work/disk-b.img,format=raw,if=none,id=db" -device virtio-blk-pci,drive=db$vq) ;;
*)	disk_a=/dev/vda disk_b=/dev/vdb
	disks=(-drive "file=$work/disk-a.img,format=raw,if=none,id=da" -device virtio-blk-pci,drive=da$vq
	       -drive "file=$work/disk-b.img,format=raw,if=none,id=db" -device virtio-blk-pci,drive=db$vq) ;;
esac

# Boots A with kjt_mode=$1, serial to $2. memmap=8K$0x9c000 reserves the
# page pair kjbios keeps its BIOS-call list in (/dev/mem cannot reach System
# RAM under STRICT_DEVMEM), at the top of base memory rather than at
# kjbios' default 0xc000: kexec-tools gives a preserve-context B A's first
# RAM range as its low memory, and B needs more of it than 0xc000 leaves
# (measured on i386: "Real mode trampoline was not allocated"). A keeps
# KASLR and picks B's window clear of its kernel (init-a.sh). A "rounds"
# run ends when B, booted one-way, writes to the isa-debug-exit port
# (kjexit 0x31: QEMU status 99); a reset or triple fault ends QEMU with 0
# under -no-reboot and fails the test, and QEMU's reset log ($2.reset)
# says which. A run that must end in purgatory's halt is stopped once the
# FATAL line is in the log (purgatory halts with no debug-exit port under
# kexec-tools), or by the time limit.
# A guest that hangs is stopped at its time limit, but first QEMU's monitor
# (a socket beside the log) is asked for every CPU's registers and local
# APIC and the code at each CPU's RIP: $2.hang, kept with a failed run's logs.
dump_hang() {
	python3 - "$1" >"$2" 2>&1 <<'PYEOF'
import re, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(2)
def cmd(c):
    s.sendall((c + "\n").encode())
    time.sleep(1)
    out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except socket.timeout:
        pass
    # The monitor echoes what it is sent with terminal escapes: drop them.
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\[=?[0-9]*[A-Za-z]", "", out.decode(errors="replace"))
cmd("")
print(cmd("info registers -a"))
print(cmd("info lapic"))
print(cmd("info pic"))
for cpu in range(8):
    r = cmd("cpu %d" % cpu)
    if "invalid" in r.lower():
        break
    print("CPU %d:" % cpu)
    print(cmd("x/12i $pc"))
PYEOF
}
boot_a() {
	local mode=$1 out=$2 limit=$3 pid waited=0
	rm -f "$out" "$out.reset" "$out.mon" "$out.hang"
	$qemu -machine "$machine" -smp "$smp" -m "$mem" -display none -nic none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -d cpu_reset -D "$out.reset" \
		-monitor "unix:$out.mon,server,nowait" \
		"${fw[@]}" "${disks[@]}" ${KJ_QEMU_DEBUG:-} \
		-serial "file:$out" -kernel "$bz" -initrd "$work/initrd-a.cpio.gz" \
		-append "console=ttyS0 printk.devkmsg=on ${KJ_LINUX_BENCH:+printk.time=1 ${KJ_LINUX_BENCH_CMDLINE:-}}no_console_suspend panic=-1 memmap=8K\$0x9c000 kjt_mode=$mode kjt_one_way=$one_way kjt_rounds=$rounds kjt_windows=$windows kjt_disk_a=$disk_a kjt_disk_b=$disk_b kjt_firmware=$firmware kjt_snap=$snapshots" </dev/null >"$out.qemu" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		if [ $waited -ge $limit ]; then
			dump_hang "$out.mon" "$out.hang"
			echo "# QEMU stopped at the time limit; CPU state in $out.hang"
			kill $pid; wait $pid; return 124
		fi
		if [ "$mode" != rounds ] && grep -q "kjump: FATAL" "$out" 2>/dev/null; then
			sleep 1; kill $pid; wait $pid; return 0
		fi
		sleep 1; waited=$((waited + 1))
	done
	wait $pid
}
# Whether QEMU's reset log shows a triple fault.
triple_faulted() { grep -q "Triple fault" "$1.reset" 2>/dev/null; }

if [ -n "${KJ_LINUX_BENCH:-}" ]; then
	echo "# booting A for make bench: $machine, $smp CPUs, $mem, windows $windows (log: $log)"
	KJ_QEMU_DEBUG="-icount shift=0,align=off,sleep=off" boot_a bench "$log" $((900 + rounds * 120))
	status=$?
	sed -n 's/^\(KJT .*\)\r\?$/# \1/p' "$log"
	check "QEMU ended by A's kjexit after the timed rounds (status 103), not by a reset, a triple fault or the time limit (status $status)" \
		[ "$status" = 103 ]
	finish
fi
echo "# booting A: $machine, $firmware, $smp CPUs, $mem, A's disk on $disk_bus_a (log: $log)"
boot_a rounds "$log" $((300 + rounds * 90))
status=$?
sed -n 's/^\(KJT .*\)\r\?$/# \1/p' "$log"
triple_faulted "$log" && echo "# QEMU's reset log $log.reset records a triple fault"
if [ "$firmware" = ovmf ]; then
	# Under UEFI A ends this run itself; the one-way boot has its own (below).
	check "QEMU ended by A's kjexit after the rounds and the refusals (status 101), not by a reset, a triple fault or the time limit (status $status)" \
		[ "$status" = 101 ]
else
	check "QEMU ended by B's kjexit after its one-way boot (status 99), not by a reset, a triple fault or the time limit (status $status)" \
		[ "$status" = 99 ]
fi
check "no triple fault in QEMU's reset log" bash -c "! grep -q 'Triple fault' '$log.reset'"

has() { grep -q "$1" "$log"; }
value() { sed -n "s/^KJT $1 \\([^[:cntrl:]]*\\)[[:cntrl:]]*\$/\\1/p" "$log" | head -1; }
check "A loaded B with our purgatory (kexec rc=0)" has "^KJT A: loaded rc=0"
# B's window, as A chose it: the first candidate clear of A's kernel.
window=$(value "A: window")
win_start=$(( ${window%-*} )) win_end=$(( ${window#*-} ))
a_code=$(value "A: kernel code")
window_clear_of_a() {
	local cs=${a_code%-*} be=$(value "A: kernel bss") w ok=
	be=${be#*-}
	[ -n "$window" ] && [ -n "$a_code" ] || return 1
	# A's kernel moves with KASLR, but never into the window A uses.
	[ $win_end -lt $((cs)) ] || [ $win_start -gt $((be)) ] || return 1
	for w in ${windows//,/ }; do [ "$w" = "$window" ] && ok=1; done
	[ -n "$ok" ]
}
check "A keeps KASLR (kernel code ${a_code:-?}) and put B's window ${window:-none} clear of its kernel" window_clear_of_a
check "kexec-tools refused a window over A's kernel, with a message, and loaded nothing ($(value "A: window over A's kernel: load"))" \
	bash -c "grep -q '^KJT A: window over A.s kernel: load rc=[1-9][0-9]* kexec_loaded=0' '$log' &&
		grep -q '^KJT A: window over A.s kernel: The window .* holds the running kernel' '$log'"
entry=$(sed -n 's/.*kexec_jump_back_entry=\(0x[0-9a-f]*\).*/\1/p' "$log" | head -1)
off=$(python3 scripts/kjimage.py show "$O/$arch/purgatory.bin" | awk '$1 == "entry_from_b" { print $2 }')
base=$(( ${entry:-0} - ${off:-0} ))
entry_is_purgatory() {
	[ -n "$entry" ] && [ $((base % 4096)) = 0 ] && [ $base -ge $win_start ] && [ $base -lt $win_end ]
}
check "B's kexec_jump_back_entry=${entry:-none} is purgatory's entry for B (image at $(printf 0x%x $base), inside B's window)" \
	entry_is_purgatory
# B's memory map is the one kexec-tools gives it in boot_params (patches/
# kexec-tools/0004; B has no memmap= options): B's first boot log, as
# "start end type" lines, types as above.
b_e820() {
	sed -n '/^KJT A: round 1 jump/,$p' "$log" |
	awk '/BIOS-e820: \[(mem|gap) / { seen = 1; if ($0 ~ /\[mem /) print; next } seen { exit }' |
	tr -d '\r' |
	sed -E 's/.*\[mem 0x0*([0-9a-f]+)-0x0*([0-9a-f]+)\] +(.*)/0x\1 0x\2 \3/' |
	sed -E 's/ (usable|System RAM)$/ 1/; s/ (reserved|device reserved)$/ 2/; s/ ACPI data$/ 3/; s/ ACPI NVS$/ 4/'
}
image_size=$(python3 scripts/kjimage.py show "$O/$arch/purgatory.bin" | awk '$1 == "image_size" { print $2 }')
corehdr=$(sed -n 's/^KJT B: booted cmdline=.*elfcorehdr=\([0-9]*\)K.*/\1/p' "$log" | head -1)
# Usable RAM only below 640 KiB and inside the window; purgatory's pages
# listed as ACPI data (kept, and mapped for the jump back); the ELF core
# header's 16 KiB in no usable range.
b_map_confined() {
	local start end type usable=0 kept=0 pstart=$base pend=$((base + ${image_size:-0} - 1))
	local cstart=$(( ${corehdr:-0} * 1024 )) cend=$(( ${corehdr:-0} * 1024 + 16383 ))
	[ -n "$entry" ] && [ -n "$corehdr" ] && [ -n "$image_size" ] || return 1
	while read -r start end type; do
		start=$((start)) end=$((end))
		if [ "$type" = 1 ]; then
			usable=$((usable + 1))
			if ! { [ $end -le $((0x9ffff)) ] ||
			       { [ $start -ge $win_start ] && [ $end -le $win_end ]; }; }; then
				echo "# B may use $(printf '0x%x-0x%x' $start $end): outside 640 KiB and the window"
				return 1
			fi
			if { [ $start -le $pend ] && [ $end -ge $pstart ]; } ||
			   { [ $start -le $cend ] && [ $end -ge $cstart ]; }; then
				echo "# B may use $(printf '0x%x-0x%x' $start $end): purgatory or the core header"
				return 1
			fi
		elif [ "$type" = 3 ] && [ $start -le $pstart ] && [ $end -ge $pend ]; then
			kept=1
		fi
	done < <(b_e820)
	[ $usable -gt 0 ] && [ $kept = 1 ]
}
check "B's memory map from kexec-tools confines B to 640 KiB and the window, purgatory ($(printf '0x%x' $base), ACPI data) and the core header (${corehdr:-?}K) out of its RAM ($(b_e820 | wc -l) entries)" \
	b_map_confined
# B keeps KASLR: wherever it put itself, its kernel must be in the window.
b_kernel_in_window() {
	local start end n=0
	while read -r start end; do
		n=$((n + 1))
		[ $((start)) -ge $win_start ] && [ $((end)) -le $win_end ] || return 1
	done < <(sed -n 's/^KJT B: kernel \(code\|bss\) \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\).*/\2 \3/p' "$log")
	[ $n = 2 ]
}
check "B's kernel (code $(value "B: kernel code"), bss $(value "B: kernel bss")) ran inside its window" b_kernel_in_window
check "B has /proc/vmcore" has "^KJT B: vmcore present"
check "B's vmcore is an $core core with a note" \
	grep -Eq "^KJT B: vmcore is an $core core with [1-9][0-9]* note" "$log"
check "B's vmcore has purgatory's NT_PRSTATUS note for A (instruction pointer nonzero)" \
	grep -Eq "^KJT B: vmcore note CORE NT_PRSTATUS ip=0x[1-9a-f][0-9a-f]* " "$log"
# Every PT_LOAD of A's core must leave B's window out: B's own memory is there.
window_left_out() {
	local start end n=0
	while read -r start end; do
		n=$((n + 1))
		[ $((start)) -le $win_end ] && [ $((end)) -ge $win_start ] && return 1
	done < <(sed -n 's/^KJT B: vmcore load \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\).*/\1 \2/p' "$log")
	[ $n -gt 0 ]
}
check "A's core has load segments and none overlaps B's window $window" window_left_out
marker=$(value "A: marker")
found=$(value "B: vmcore marker" | cut -d' ' -f1)
check "B found A's marker ${marker:-none} in A's core (found: ${found:-nothing})" \
	test -n "$marker" -a "$marker" = "$found"
check "B loaded the jump-back helper (kexec rc=0)" has "^KJT B: helper loaded rc=0"
version=$(value "A: version")
a_banner_in_core() {
	[ -n "$version" ] && sed -n "s/^KJT B: A's banner in A's core: \(.*[^[:cntrl:]]\)[[:cntrl:]]*\$/\1/p" "$log" |
		grep -qxF "$version"
}
check "B's vmcore holds A's kernel: A's banner ($version) in A's read-only data" a_banner_in_core
# The low memory B borrows (A's first RAM range below 640 KiB, kexec-tools'
# backup region): A's copy is in the backup area while B runs, and it is
# back in place whenever A runs (purgatory/lowmem.c).
low=$(value "A: low memory sha256")
low_range=$(value "A: low memory")
low_found() {
	local s=${low_range%-*} e=${low_range#*-}
	[ -n "$s" ] && [ -n "$e" ] && [ $((e)) -gt $((s)) ] && [ $((e)) -lt $((0xa0000)) ] &&
		[ "$low" != "$(printf '' | sha256sum | cut -d' ' -f1)" ]
}
check "A found its first RAM range below 640 KiB, which B borrows (${low_range:-none}), and read it" low_found
sleeps() { local ms=$(value "$1: sleep 1 took" | cut -d' ' -f1); [ -n "$ms" ] && [ "$ms" -ge 900 ] && [ "$ms" -le 5000 ]; }
check "sleep 1 sleeps about a second in A ($(value "A: sleep 1 took")), so the counting checks mean something" sleeps A
check "sleep 1 sleeps about a second in B ($(value "B: sleep 1 took"))" sleeps B
check "B's vmcore holds A's low memory ($(value "A: low memory"), SHA-256 ${low:0:16}...)" \
	test -n "$low" -a "$(value "B: A's low memory in A's core sha256")" = "$low"
check "B's own low memory differs from A's (B really used the range)" \
	test -n "$(value "B: own low memory sha256")" -a "$(value "B: own low memory sha256")" != "$low"
check "all $smp CPUs online in A at boot ($(value "A: cpus"))" test "$(value "A: cpus")" = "$cpus_want"
check "all $smp CPUs online in B at boot ($(value "B: cpus"))" test "$(value "B: cpus")" = "$cpus_want"
check "A mounted its disk $disk_a" has "^KJT A: disk $disk_a mounted"
# A's disk takes writes through every jump; on virtio it has one hardware
# queue per CPU unless KJ_VIRTIO_QUEUES says otherwise, on AHCI one.
queues_want=1
[ "$disk_bus_a" = virtio ] && queues_want=${KJ_VIRTIO_QUEUES:-$smp}
check "A's disk has $queues_want hardware queue(s) ($(value "A: disk queues"))" test "$(value "A: disk queues")" = "$queues_want"
if [ "$firmware" = ovmf ]; then
	# UEFI: B got the EFI information, and both kernels reach the
	# firmware's runtime services (GetTime; GetVariable and SetVariable
	# through efivarfs) at boot and after every jump.
	efi_map() { local n=$(value "A: efi present, runtime map" | cut -d' ' -f1); [ -n "$n" ] && [ "$n" -gt 0 ]; }
	check "A booted on UEFI, with an EFI runtime map for kexec-tools ($(value "A: efi present, runtime map"))" efi_map
	check "B booted with the EFI information kexec-tools passed (/sys/firmware/efi)" has "^KJT B: efi present"
	check "B's kernel found the firmware too (\"EFI ... by EDK II\" twice in the log: A's boot and B's)" \
		bash -c "[ \$(grep -ac '^efi: EFI v[0-9.]* by EDK II' '$log') -ge 2 ]"
	check "efivarfs in A and in B" bash -c "grep -q '^KJT A: efivarfs mounted' '$log' && grep -q '^KJT B: efivarfs mounted' '$log'"
	efi_time_ok() { grep -Eq "^KJT $1 time 20[0-9][0-9]-[0-9-]+ [0-9:]+ status 0 rc=0" "$log"; }
	check "GetTime through efi_test in A at boot (time $(value "A: efi time"))" efi_time_ok "A: efi"
	check "GetTime through efi_test in B at boot (time $(value "B: efi time"))" efi_time_ok "B: efi"
fi
check "B mounted its disk $disk_b" has "^KJT B: disk $disk_b mounted"
for r in $(seq 1 $rounds); do
	check "round $r: A resumed" has "^KJT A: round $r resumed"
	check "round $r: all CPUs back in A ($(value "A: round $r cpus"))" test "$(value "A: round $r cpus")" = "$cpus_want"
	check "round $r: A's low memory is A's again" test -n "$low" -a "$(value "A: round $r low memory sha256")" = "$low"
	check "round $r: A's disk file, fsynced before the jump, read back from the disk" \
		test -n "$(value "A: round $r disk wrote")" -a "$(value "A: round $r disk wrote")" = "$(value "A: round $r disk read")"
	check "round $r: A's counting process kept counting" has "^KJT A: round $r counter advanced"
	check "round $r: A's tmpfs file kept its SHA-256" has "^KJT A: round $r tmpfs intact"
	if [ "$firmware" = ovmf ]; then
		check "round $r: GetTime in A after the resume (time $(value "A: round $r efi time"))" efi_time_ok "A: round $r efi"
		va=$(value "A: round $r efi set KjTA$r") vb=$(value "B: efi set KjTB$r")
		check "round $r: B read the EFI variable A set before the jump (${va:-none})" \
			test -n "$va" -a "$(value "B: efi got KjTA$r")" = "$va"
		check "round $r: A read the EFI variable B set before its jump back (${vb:-none})" \
			test -n "$vb" -a "$(value "A: round $r efi got KjTB$r")" = "$vb"
		[ $r -lt $rounds ] && check "round $r: GetTime in B after its resume (time $(value "B: resumed $r efi time"))" \
			efi_time_ok "B: resumed $r efi"
	fi
	if [ $r -lt $rounds ]; then
		check "round $r: B resumed at A's next jump" has "^KJT B: resumed $r[[:cntrl:]]*$"
		check "round $r: all CPUs back in B ($(value "B: resumed $r cpus"))" test "$(value "B: resumed $r cpus")" = "$cpus_want"
		check "round $r: B's counting process kept counting" has "^KJT B: resumed $r counter advanced"
	fi
done
check "no CPU failed to come online or got stuck in either kernel" \
	bash -c "! grep -qiE \"didn't come online|failed to (come online|report alive|boot)|is stuck|CPU ?[0-9]+:? stuck|do_boot_cpu failed|not responding\" '$log'"
check "A finished all rounds" has "^KJT A: done"
check "purgatory refused nothing during the rounds" \
	bash -c "! sed -n '1,/^KJT A: done/p' '$log' | grep -qE 'kjump: (refused|FATAL)'"

# The corrupted preserve-context load: refused back to A, B never starts.
check "kjflip corrupted a segment of the second load (kexec rc=0)" has "^KJT A: corrupted load rc=0"
check "purgatory refused the corrupted image with KJ_EDIGEST (-9)" \
	grep -q "kjump: refused entry 1 from side A (running: none): status -9" "$log"
check "purgatory printed the SHA-256 mismatch" grep -q "kjump: SHA-256 of the .* does not match sha256_digest" "$log"
check "A's kexec -e returned and A kept running" has "^KJT A: corrupted jump returned"
check "A's tmpfs intact after the refused jump" has "^KJT A: after the corrupted jump tmpfs intact"
check "B did not boot from the corrupted image" \
	bash -c "! sed -n '/^KJT A: corrupted load/,/^KJT A: corrupted jump returned/p' '$log' | grep -q '^KJT B: booted'"

if [ "$firmware" = ovmf ]; then
	# No legacy BIOS under OVMF: purgatory refuses BIOS calls and the
	# real-mode entry with KJ_ENOBIOS (-12) and a message; A carries on.
	check "kjbios loaded purgatory in BIOS-list mode (rc=0)" has "^KJT A: bios load rc=0"
	check "purgatory refused the BIOS call: no legacy BIOS (KJ_ENOBIOS), with a message" \
		grep -Eq "kjump: BIOS call int 0x15 refused: no legacy BIOS .*status -12" "$log"
	check "A resumed after the refused BIOS run" has "^KJT A: bios jump returned"
	check "kjbios read back the refusal: status -12" grep -Eq "^KJT A: bios list at 0x9c000: runs 1, .*status -12" "$log"
	check "A's tmpfs intact after the refused BIOS calls" has "^KJT A: after the refused BIOS calls tmpfs intact"
else
	# BIOS calls from Linux through purgatory (docs/bios.md): two kexec -e runs
	# of an E820 walk, whose result must be the map A's kernel printed at boot.
	check "kjbios loaded purgatory in BIOS-list mode (rc=0)" has "^KJT A: bios load rc=0"
	bios_runs_ok() {
		[ "$(grep -c 'kjump: BIOS list at 0x9c000: [1-9][0-9]* of 32 calls ran, status 0' "$log")" = 2 ]
	}
	check "purgatory ran the list at both kexec -e and said so" bios_runs_ok
	check "A resumed after each BIOS run" \
		bash -c "grep -q '^KJT A: bios jump 1 returned' '$log' && grep -q '^KJT A: bios jump 2 returned' '$log'"
	check "kjbios read the results back: 2 runs, status 0" \
		grep -Eq "^KJT A: bios list at 0x9c000: runs 2, [1-9][0-9]* of 32 calls ran, status 0" "$log"
	# A's boot log: the first block of BIOS-e820 lines, as "start-end type".
	# 6.1 names the types usable/reserved; 7.x says System RAM/device reserved
	# and prints the gaps between entries as lines of their own.
	boot_e820() {
		awk '/BIOS-e820: \[(mem|gap) / { seen = 1; if ($0 ~ /\[mem /) print; next } seen { exit }' "$log" |
		tr -d '\r' |
		sed -E 's/.*\[mem 0x0*([0-9a-f]+)-0x0*([0-9a-f]+)\] +(.*)/0x\1-0x\2 \3/' |
		sed -E 's/ (usable|System RAM)$/ type 1/; s/ (reserved|device reserved)$/ type 2/;
			s/ ACPI data$/ type 3/; s/ ACPI NVS$/ type 4/'
	}
	bios_e820() {
		sed -n 's/^KJT A: bios e820 \(0x[0-9a-f]*-0x[0-9a-f]* type [0-9]*\).*/\1/p' "$log"
	}
	e820_matches() {
		[ -n "$(boot_e820)" ] && [ "$(boot_e820)" = "$(bios_e820)" ]
	}
	check "E820 through purgatory in real mode equals the map A's kernel printed at boot ($(bios_e820 | wc -l) entries)" e820_matches
	check "A's tmpfs intact after the BIOS calls" has "^KJT A: after the BIOS calls tmpfs intact"
fi

# A plain kexec: one-way (in the log given).
one_way_checks() {
	local log=$1
	check "A loaded B without preserve context (kexec rc=0)" has "^KJT A: one-way load rc=0"
	check "purgatory booted B one-way" has "kjump: booting B one-way"
	case $one_way in
	real)	# kexec-tools: cs = setup segment + 0x20, ip 0.
		check "purgatory entered B's real-mode setup code from entry16_regs (kexec --real-mode)" \
			grep -Eq "kjump: booting B in real mode at [0-9a-f]{4}:0000 \(entry16_regs\)" "$log" ;;
	entry32)
		check "purgatory entered B's 32-bit entry from entry32_regs in protected mode (kexec --entry-32bit)" \
			grep -Eq "kjump: booting B in 32-bit protected mode at 0x[0-9a-f]+ \(entry32_regs\)" "$log" ;;
	*)	check "purgatory started B at kexec-tools' default entry ($arch: entry$([ $arch = x86_64 ] && echo 64 || echo 32)_regs), not through the real-mode or 32-bit paths" \
			bash -c "! grep -Eq 'kjump: booting B in (real mode|32-bit protected mode)' '$log'" ;;
	esac
	check "B booted one-way, without kexec_jump_back_entry=" has "^KJT B: one-way boot"
}
[ "$firmware" = ovmf ] || one_way_checks "$log"
check "no oops, BUG, WARNING or panic in either kernel" bash -c "! grep -qE 'Oops|BUG:|WARNING:|Kernel panic|Call Trace' '$log'"

# Both disks, checked by the host after the run: clean filesystems, and
# every file as its writer last described it.
check "A unmounted its disk before the one-way boot" has "^KJT A: disk unmounted"
# e2fsck's report goes to the TAP stream as comments.
fsck_clean() { e2fsck -fn "$1" 2>&1 | sed 's/^/# e2fsck: /'; [ "${PIPESTATUS[0]}" = 0 ]; }
check "A's disk image is a clean ext4 (e2fsck -fn)" fsck_clean "$work/disk-a.img"
check "B's disk image is a clean ext4 (e2fsck -fn)" fsck_clean "$work/disk-b.img"
disk_files_a() {
	local r
	for r in $(seq 1 $rounds); do
		[ "$(debugfs -R "cat /round$r" "$work/disk-a.img" 2>/dev/null | sha256sum | cut -d' ' -f1)" = \
		  "$(value "A: round $r disk wrote")" ] || { echo "# A's /round$r on disk differs"; return 1; }
	done
}
check "A's $rounds files on its disk image are what A wrote" disk_files_a
b_log=$(sed -n 's/^KJT B: round [0-9]* disk log \([0-9a-f]*\).*/\1/p' "$log" | tail -1)
b_lines=$(debugfs -R "cat /log" "$work/disk-b.img" 2>/dev/null | wc -l)
check "B's log on its disk image is what B last wrote ($b_lines lines, one per round)" \
	test -n "$b_log" -a "$(debugfs -R "cat /log" "$work/disk-b.img" 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$b_log" -a "$b_lines" = "$rounds"

# Snapshots (docs/snapshots.md): B's makedumpfile dump of A every round,
# each opened on the host by Debian's crash with A's vmlinux: A's log must
# hold that round's marker and not the next one's, and A's process list
# the counting process.
if [ "$snapshots" != 0 ]; then
	vmlinux=$(dirname "$bz")/vmlinux
	counter_pid=$(value "A: counter pid")
	check "A's vmlinux has debug info for crash ($vmlinux)" bash -c "readelf -S '$vmlinux' | grep -q debug_info"
	[ "${KJ_CRASH:-bookworm}" = sid ] &&
		check "sid's crash runs here ($(scripts/sid-crash.sh --version 2>&1 | grep -m1 '^crash'))" \
			bash -c "scripts/sid-crash.sh --version 2>&1 | grep -q '^crash [0-9]'"
	mkdir -p "$work/snap"
	for r in $(seq 1 $rounds); do
		mark=$(value "A: round $r snapshot marker") next=$(value "A: round $((r + 1)) snapshot marker")
		check "round $r: B wrote a snapshot of A with makedumpfile -c -d $snapshots ($(value "B: snapshot $r rc=0 size" | cut -d' ' -f1) bytes)" \
			has "^KJT B: snapshot $r rc=0 size [1-9]"
		# makedumpfile 1.7.2 (bookworm) knows kernels up to 6.0 and says so
		# for newer ones; it still reads them through VMCOREINFO.
		check "round $r: makedumpfile reported no error" \
			bash -c "! grep '^KJT B: snapshot $r makedumpfile: ' '$log' | grep -v 'kernel version is not supported' | grep -q ."
		b_marks=$(value "B: snapshot $r dmesg markers")
		check "round $r: the dump's kernel log (makedumpfile --dump-dmesg in B) holds this round's marker ${mark:-none}${next:+ and not the next one}" \
			bash -c "[ -n '$mark' ] && echo ' $b_marks ' | grep -q ' $mark ' && { [ -z '$next' ] || ! echo ' $b_marks ' | grep -q ' $next '; }"
		out=$work/snap/crash-$r.txt
		rm -f "$work/snap/snap-$r"
		debugfs -R "dump /snap-$r $work/snap/snap-$r" "$work/disk-b.img" >/dev/null 2>&1
		# --kaslr auto: A's KASLR offset from the dump's VMCOREINFO
		# (docs/snapshots.md). A's processes through A's task list as
		# well as ps, which lists only the CPUs' current tasks with
		# crash 8.0.2 on 6.1 (docs/snapshots.md, Limits).
		# KJ_CRASH=sid (the newest kernel): sid's crash, which reads it
		# and bookworm's does not (scripts/sid-crash.sh).
		crash=crash
		[ "${KJ_CRASH:-bookworm}" = sid ] && crash=scripts/sid-crash.sh
		printf 'log\nps\nlist task_struct.tasks -s task_struct.comm,pid -h init_task\nexit\n' |
			timeout 300 $crash -s --kaslr auto "$vmlinux" "$work/snap/snap-$r" > "$out" 2>&1
		check "round $r: crash opened the dump with A's vmlinux and A's log has this round's marker${next:+ and not the next}" \
			bash -c "[ -n '$mark' ] && grep -q '$mark' '$out' && { [ -z '$next' ] || ! grep -q '$next' '$out'; }"
		check "round $r: crash lists A's tasks, with its counting process (kjt-counter, pid ${counter_pid:-?}) and ps its current one" \
			bash -c "[ -n '$counter_pid' ] && grep -A1 'comm = \"kjt-counter' '$out' | grep -q 'pid = $counter_pid,' &&
				grep -Eq '^> +[0-9]+ +-?[0-9]+ +[0-9]+ +[0-9a-f]+ +RU ' '$out'"
		rm -f "$work/snap/snap-$r"
	done
fi

# Another boot of A, for one case: boots it (kjt_mode=$1, serial to $2),
# shows its KJT lines, and leaves QEMU's exit status in $status.
boot_case() {
	echo "# booting A for $3 (log: $2)"
	boot_a "$1" "$2" 300
	status=$?
	sed -n 's/^\(KJT .*\)\r\?$/# \1/p' "$2"
}

# A corrupted segment without preserve context: purgatory halts with a message.
log2=$work/serial-corrupt-one-way.log
boot_case corrupt-one-way "$log2" "a corrupted one-way boot"
check "corrupted one-way run stopped at purgatory's FATAL line, not by the time limit (status $status)" [ "$status" = 0 ]
check "kjflip corrupted a segment of the plain load (kexec rc=0)" grep -q "^KJT A: corrupted one-way load rc=0" "$log2"
check "purgatory halted: one-way boot refused with KJ_EDIGEST" \
	grep -q "kjump: FATAL: one-way boot of B (entered without a re-entry address) refused: status -9" "$log2"
check "B did not boot" bash -c "! grep -q '^KJT B:' '$log2'"

if [ "$firmware" = ovmf ]; then
	# kexec-tools' real-mode entry without a legacy BIOS: refused by
	# purgatory with a message (one-way: nothing to return to).
	log3=$work/serial-real-mode-one-way.log
	boot_case real-mode-one-way "$log3" "a real-mode one-way boot under UEFI"
	check "real-mode run stopped at purgatory's FATAL line, not by the time limit (status $status)" [ "$status" = 0 ]
	check "A loaded B for kexec's real-mode entry (kexec --real-mode, rc=0)" grep -q "^KJT A: real-mode one-way load rc=0" "$log3"
	check "purgatory refused the real-mode entry: no legacy BIOS, with a message" \
		grep -q "kjump: real-mode entry refused: no legacy BIOS" "$log3"
	check "purgatory halted: one-way boot refused with KJ_ENOBIOS (-12)" \
		grep -q "kjump: FATAL: one-way boot of B (entered without a re-entry address) refused: status -12" "$log3"
	check "B did not boot" bash -c "! grep -q '^KJT B:' '$log3'"
	check "no triple fault in QEMU's reset log" bash -c "! grep -q 'Triple fault' '$log3.reset'"
	# Bad input: an EFI runtime map kexec-tools cannot read (as from A
	# without CONFIG_EFI_RUNTIME_MAP). The preserve-context load is refused
	# with a message and leaves nothing loaded (patches/kexec-tools/0008);
	# a plain load says why B gets no EFI; A's runtime services still work.
	log5=$work/serial-no-runtime-map.log
	boot_case no-runtime-map "$log5" "an EFI runtime map kexec-tools cannot read"
	check "no-runtime-map run ended by A's kjexit (status 101), not by a reset, a triple fault or the time limit (status $status)" \
		[ "$status" = 101 ]
	check "A's runtime map hidden from kexec-tools (0 entries)" grep -q "^KJT A: runtime map hidden, 0 entries" "$log5"
	check "preserve-context load refused, nothing loaded (rc=1, kexec_loaded=0)" \
		grep -q "^KJT A: no runtime map: preserve-context load rc=1 kexec_loaded=0" "$log5"
	check "kexec-tools said why and what to do" \
		grep -q "^KJT A: no runtime map: preserve-context: .*runtime-map is missing or empty .*Refusing a preserve-context load that would run without EFI; pass --noefi" "$log5"
	check "a plain load goes on (rc=0, kexec_loaded=1)" \
		grep -q "^KJT A: no runtime map: plain load rc=0 kexec_loaded=1" "$log5"
	check "and says B boots without EFI" \
		grep -q "^KJT A: no runtime map: plain: .*runtime-map is missing or empty .*The new kernel boots without EFI" "$log5"
	check "unloaded (kexec_loaded=0)" grep -q "^KJT A: no runtime map: unloaded, kexec_loaded=0" "$log5"
	check "GetTime in A still works (time $(log=$log5 value "A: no runtime map: efi time"))" \
		bash -c "grep -Eq '^KJT A: no runtime map: efi time 20[0-9][0-9]-[0-9-]+ [0-9:]+ status 0 rc=0' '$log5'"
	check "no triple fault in QEMU's reset log" bash -c "! grep -q 'Triple fault' '$log5.reset'"
	# A plain kexec under UEFI, from a freshly booted A.
	log4=$work/serial-one-way.log
	boot_case one-way "$log4" "a one-way boot under UEFI"
	check "one-way run ended by B's kjexit (status 99), not by a reset, a triple fault or the time limit (status $status)" \
		[ "$status" = 99 ]
	one_way_checks "$log4"
	check "no oops, BUG, WARNING or panic in the one-way run" bash -c "! grep -qE 'Oops|BUG:|WARNING:|Kernel panic|Call Trace' '$log4'"
fi
finish
