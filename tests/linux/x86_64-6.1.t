#!/usr/bin/env bash
# Real kernels, x86_64: Linux 6.1 (Debian's linux-source-6.1, tinyconfig +
# configs/linux-kexec-jump.config + patches/linux/6.1) as both A and B, and
# kexec-tools 2.0.25 (Debian source + patches/kexec-tools) carrying our
# purgatory.ro. A loads B with kexec -c --load-preserve-context, B loads
# the jump-back helper from kexec_jump_back_entry= on its command line, and
# they make 3 round trips through purgatory with only "kexec -e".
# The first run builds the kernel (about 6 minutes on 2 cores; progress on
# stderr) and kexec-tools; both are cached outside the clone.
set -u
O=${KJ_O:-build}
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
todo() { n=$((n + 1)); echo "not ok $n - $* # TODO"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
finish() { echo "1..$n"; [ $failed -eq 0 ]; exit; }

work=$O/linux/x86_64-6.1
log=$work/serial.log
mkdir -p "$work"
if bz=$(scripts/build-linux.sh /usr/src/linux-source-6.1.tar.xz x86_64 patches/linux/6.1/*.patch | tail -1) &&
   [ -s "$bz" ]; then
	ok "Linux 6.1 built with patches/linux/6.1 ($bz)"
else
	not_ok "building Linux 6.1"
	finish
fi
if scripts/build-kexec-tools.sh "$O/x86_64/purgatory.ro" "$work/kexec"; then
	ok "kexec-tools built with our purgatory.ro in place of its own"
else
	not_ok "building kexec-tools with our purgatory"
	finish
fi
tests/linux/mkinitramfs.sh "$work" "$bz" "$work/kexec" || { not_ok "building the initramfs"; finish; }

echo "# booting A (log: $log)"
timeout --foreground 900 qemu-system-x86_64 -machine pc -m 512 -display none -nic none -no-reboot \
	-serial "file:$log" -kernel "$bz" -initrd "$work/initrd-a.cpio.gz" \
	-append "console=ttyS0 panic=-1" </dev/null >"$log.qemu" 2>&1
status=$?
sed -n 's/^\(KJT .*\)\r\?$/# \1/p' "$log"
check "QEMU ended by A's reboot, not by the time limit (status $status)" [ "$status" != 124 ]

has() { grep -q "$1" "$log"; }
check "A loaded B with our purgatory (kexec rc=0)" has "^KJT A: loaded rc=0"
entry=$(sed -n 's/.*kexec_jump_back_entry=\(0x[0-9a-f]*\).*/\1/p' "$log" | head -1)
off=$(python3 scripts/kjimage.py show "$O/x86_64/purgatory.bin" | awk '$1 == "entry_from_b" { print $2 }')
base=$(( ${entry:-0} - ${off:-0} ))
check "B's kexec_jump_back_entry=${entry:-none} is purgatory's entry for B (image at $(printf 0x%x $base), inside B's window)" \
	[ -n "$entry" ] && [ $((base % 4096)) = 0 ] && [ $base -ge $((0x10000000)) ] && [ $base -lt $((0x18000000)) ]
check "B loaded the jump-back helper (kexec rc=0)" has "^KJT B: helper loaded rc=0"
for r in 1 2 3; do
	check "round $r: A resumed" has "^KJT A: round $r resumed"
	check "round $r: A's counting process kept counting" has "^KJT A: round $r counter advanced"
	check "round $r: A's tmpfs file kept its SHA-256" has "^KJT A: round $r tmpfs intact"
	[ $r -lt 3 ] && check "round $r: B resumed at A's next jump" has "^KJT B: resumed $r[[:cntrl:]]*$"
done
check "A finished all rounds" has "^KJT A: done"
check "no oops, BUG, WARNING or panic in either kernel" bash -c "! grep -qE 'Oops|BUG:|WARNING:|Kernel panic|Call Trace' '$log'"
check "purgatory refused nothing and hit nothing fatal" bash -c "! grep -qE 'kjump: (refused|FATAL)' '$log'"
if has "^KJT B: vmcore present"; then
	ok "B has /proc/vmcore"
else
	todo "B has /proc/vmcore (B reports 'Kdump: vmcore not initialized'; real-kernel issue)"
fi
finish
