#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: what purgatory costs, measured side by side in one run.
#
#   scripts/bench.sh O REPORT_DIR
#
# Writes every figure as "KEY VALUE" to O/bench/results.txt, then
# scripts/bench_report.py turns them into REPORT_DIR/bench.md and
# REPORT_DIR/bench.png and prints the table. KJ_BENCH_QUICK=1 runs each
# part small (tests/bench.t: the bench runs and its output parses).
#
# 1. Instructions inside purgatory, per kind of entry, both arches: test
#    kernel A in mode=bench under QEMU -icount shift=0, where the guest's
#    TSC counts instructions (tests/qemu/kernel/common/bench.c).
# 2. SHA-256 throughput, purgatory's code against kexec-tools' sha256.c
#    from the Debian source package the tests use, same compiler and
#    flags, same data, in one process (tools/bench/sha_bench.c).
# 3. Sizes: our purgatory.ro, its loaded memory and purgatory.bin, against
#    kexec-tools' own purgatory.ro built here from the same source tree.
# 4. Real Linux (6.1, both arches, tests/linux in kjt_mode=bench): A->B,
#    B->A and their parts, and B's cold boot, for B's window of 64, 128
#    and 256 MiB (KJ_BENCH_LINUX=0 leaves it out).
# 5. Hibernation (6.1 x86_64): kexec hibernation through purgatory against
#    Linux's swsusp, the same A: image size, time to hibernate and to
#    resume (KJ_BENCH_LINUX=0 leaves it out too).
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

O=${1:?usage: bench.sh O REPORT_DIR}
report=${2:?usage: bench.sh O REPORT_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
quick=${KJ_BENCH_QUICK:-0}
dir=$O/bench
mkdir -p "$dir" "$report"
results=$dir/results.txt
: > "$results"
if [ "$quick" = 1 ]; then rounds=5 sha_mib=4 sha_reps=3; else rounds=200 sha_mib=64 sha_reps=7; fi
sha_small_mib=1	# fits in the caches: the hash's own speed
fail() { echo "bench: $*" >&2; exit 1; }
put() { echo "$1 $2" >> "$results"; }

put date "$(date -u +%Y-%m-%d)"
put commit "$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
put qemu "$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')"
put gcc "$(gcc -dumpfullversion)"
put cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 | tr ' ' '_')"
put rounds "$rounds"

# --- 1. instructions inside purgatory --------------------------------------
for arch in i386 x86_64; do
	# No guest run with the SHA extensions: QEMU 7.2's TCG does not have
	# them ("TCG doesn't support requested feature: CPUID.07H:EBX.sha-ni").
	for mode in bench bench-nosha; do
		log=$dir/guest-$arch-$mode.log
		echo "bench: $arch $mode: $rounds round trips under -icount shift=0" >&2
		status=0
		timeout 600 "qemu-system-$arch" -machine pc -m 256 -display none -no-reboot -nic none \
			-serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-icount shift=0,align=off,sleep=off \
			-kernel "$O/tests/$arch/kernel_a.bin" \
			-append "load=0x1000000 conv=61 rounds=$rounds mode=$mode" </dev/null >"$log.qemu" 2>&1 ||
			status=$?
		# 1: the guest finished through isa-debug-exit; anything else is a
		# hang (124), a reset or triple fault (0), or a guest exception.
		[ "$status" = 1 ] || fail "$arch $mode: QEMU exited with $status, wanted 1 (log: $log)"
		grep -q '^# kernel A: done, [0-9]* test(s), 0 failed' "$log" && ! grep -q '^not ok' "$log" ||
			fail "$arch $mode: the guest reported failures (log: $log)"
		case $mode in
		bench) sed -n 's/^# bench \([a-z0-9_]*\) \([0-9]*\)\r*$/guest_'"$arch"'_\1 \2/p' "$log" ;;
		bench-nosha) sed -n 's/^# bench \(first_entry_nosha\) \([0-9]*\)\r*$/guest_'"$arch"'_\1 \2/p' "$log" ;;
		esac >> "$results"
	done
done

# Where a round trip's instructions go: QEMU logs every instruction it runs
# (-singlestep -d exec), counted per purgatory function, for R and R+20
# round trips; the difference over 20 is one round trip's worth (A->B and
# B->A), whatever the first entry and the refusals cost. Not in quick mode.
profile() {
	local arch=$1 r=$2 fifo=$dir/exec-$1-$2.fifo pcs=$dir/pcs-$1-$2.txt
	rm -f "$fifo" && mkfifo "$fifo"
	grep -o '/\(00000000\)\{0,1\}010[0-7][0-9a-f]\{4\}/' "$fifo" | sort | uniq -c > "$pcs" &
	timeout 900 "qemu-system-$arch" -machine pc -m 256 -display none -no-reboot -nic none \
		-serial "file:$dir/profile-$arch-$r.log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-singlestep -d exec,nochain -D "$fifo" -kernel "$O/tests/$arch/kernel_a.bin" \
		-append "load=0x1000000 conv=61 rounds=$r mode=bench-nosha" </dev/null >/dev/null 2>&1
	wait
	rm -f "$fifo"
}
if [ "$quick" != 1 ]; then
	for arch in i386 x86_64; do
		echo "bench: $arch: per-function profile (QEMU -singlestep -d exec)" >&2
		profile "$arch" 10 & profile "$arch" 30 & wait
		nm -n "$O/$arch/purgatory.elf" > "$dir/syms-$arch.txt"
		python3 - "$dir" "$arch" >> "$results" <<'PY'
import bisect, sys
d, arch = sys.argv[1], sys.argv[2]
syms = []
for line in open(f"{d}/syms-{arch}.txt"):
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tTwW":
        syms.append((int(parts[0], 16), parts[2]))
syms.sort()
addrs = [a for a, _ in syms]
def load(r):
    tot = {}
    for line in open(f"{d}/pcs-{arch}-{r}.txt"):
        c, a = line.split()
        off = int(a.strip("/"), 16) - 0x1000000
        i = bisect.bisect_right(addrs, off) - 1
        name = syms[i][1] if i >= 0 else "?"
        tot[name] = tot.get(name, 0) + int(c)
    return tot
a, b = load(10), load(30)
per = {n: (b.get(n, 0) - a.get(n, 0)) / 20 for n in set(a) | set(b)}
for n, v in sorted(per.items(), key=lambda x: -x[1]):
    if v >= 1:
        print(f"profile_{arch}_{n} {v:.0f}")
PY
	done
fi

# --- kexec-tools' source trees (built once, cached) -------------------------
declare -A tree
for arch in i386 x86_64; do
	"$top/scripts/build-kexec-tools.sh" "$arch" bookworm "$O/$arch/purgatory.ro" \
		"$dir/kexec-$arch" "$dir/tree-$arch" 2>"$dir/kexec-tools-$arch.log" ||
		fail "$arch: building kexec-tools failed (log: $dir/kexec-tools-$arch.log)"
	tree[$arch]=$(cat "$dir/tree-$arch")
done
put kexec_tools "$(basename "${tree[x86_64]}" | sed 's/-x86_64-.*//')"

# --- 2. SHA-256 throughput --------------------------------------------------
# Purgatory's flags for lib/sha256.c (Makefile: -O2 for this file, as
# kexec-tools builds its own sha256.c), for both objects, per arch: the
# i386 program is built with gcc -m32 and runs on the same host. Keys:
# sha_* for x86_64, sha_i386_* for i386.
for arch in x86_64 i386; do
	flags=$(make -s -C "$top" --no-print-directory print-bench-cflags BENCH_ARCH=$arch)
	sha=$dir/sha-$arch
	key=sha_
	[ $arch = i386 ] && key=sha_i386_
	case $arch in x86_64) m=-m64 f=elf64 ;; i386) m=-m32 f=elf32 ;; esac
	mkdir -p "$sha"
	gcc $flags -c -o "$sha/purgatory_sha256.o" "$top/lib/sha256.c"
	# Both call purgatory's memcpy (the flags make it a hidden symbol).
	gcc $flags -c -o "$sha/purgatory_string.o" "$top/lib/string.c"
	gcc $flags -I"${tree[$arch]}/util_lib/include" -c -o "$sha/kexec_sha256.o" \
		"${tree[$arch]}/util_lib/sha256.c"
	objcopy --redefine-sym sha256_starts=kt_sha256_starts --redefine-sym sha256_update=kt_sha256_update \
		--redefine-sym sha256_finish=kt_sha256_finish --redefine-sym sha256_process=kt_sha256_process \
		"$sha/kexec_sha256.o"
	nasm -f $f -I"$top/arch/$arch/" -I"$top/arch/x86/" -o "$sha/sha256_ni.o" "$top/arch/$arch/sha256_ni.asm"
	gcc $m -O2 -Wl,-z,noexecstack -o "$sha/sha_bench" "$top/tools/bench/sha_bench.c" \
		"$sha/purgatory_sha256.o" "$sha/kexec_sha256.o" "$sha/purgatory_string.o" "$sha/sha256_ni.o"
	echo "bench: $arch SHA-256 over $sha_mib MiB and $sha_small_mib MiB, $sha_reps runs each, in turn" >&2
	"$sha/sha_bench" "$sha_mib" "$sha_reps" | sed "s/^sha /$key/" >> "$results" ||
		fail "$arch SHA-256: the implementations disagree"
	"$sha/sha_bench" "$sha_small_mib" "$sha_reps" | sed -n "s/^sha /${key/sha_/sha_small_}/p" >> "$results" ||
		fail "$arch SHA-256: the implementations disagree"
	# The code-generation flags, for the report (not the include paths).
	put "${key}flags" "$(echo $flags | tr ' ' '\n' | grep -v '^-I\|^-include\|/' | tr '\n' '_' | sed 's/_$//')"
done

# --- 3. sizes ---------------------------------------------------------------
for arch in i386 x86_64; do
	python3 "$top/scripts/elfsize.py" "$O/$arch/purgatory.ro" | sed "s/^/size_${arch}_ours_ro_/" >> "$results"
	put "size_${arch}_ours_bin" "$(stat -c %s "$O/$arch/purgatory.bin")"
	own=$dir/kexec-tools-own-$arch
	rm -rf "$own" && mkdir -p "$own"
	cp -a "${tree[$arch]}/." "$own/"
	find "$own/purgatory" -name '*.o' -delete
	rm -f "$own/purgatory/purgatory.ro"
	make -s -C "$own" purgatory/purgatory.ro >"$dir/kexec-tools-own-$arch.log" 2>&1 ||
		fail "$arch: building kexec-tools' own purgatory.ro failed (log: $dir/kexec-tools-own-$arch.log)"
	python3 "$top/scripts/elfsize.py" "$own/purgatory/purgatory.ro" | sed "s/^/size_${arch}_kexec_ro_/" >> "$results"
	rm -rf "$own"
done

# --- 4. real Linux: round trips and B's cold boot -----------------------------
# The 6.1 chains of tests/linux in kjt_mode=bench under -icount, for
# B's window of 64, 128 and 256 MiB (kexec-tools fills the window, so the
# kernel swaps it whole at every jump), one CPU: with two, the guest took
# over five minutes to bring up its second CPU under -icount (not looked
# into). Each kernel's log and its shell's TSC readings, put on one time
# line by scripts/bench_linux.py. Not in quick mode (about 20 s a window).
if [ "$quick" != 1 ] && [ "${KJ_BENCH_LINUX:-1}" = 1 ]; then
	# And 128 MiB once more without the PS/2 mouse (i8042.noaux=1 on both
	# kernels): its resume is most of a switch (docs/bench.md).
	# Windows as the chains place them: above 1 GiB on x86_64, in i386's
	# low memory (below 896 MiB). Keys: linux_RUN_* for x86_64,
	# linux_i386_RUN_* for i386.
	for arch in x86_64 i386; do
		case $arch in
		x86_64)	base1=0x40000000 base2=0x60000000 label= ;;
		i386)	base1=0x10000000 base2=0x20000000 label=i386_ ;;
		esac
		for run in 64 128 256 128noaux; do
			mib=${run%noaux}
			extra=
			[ "$run" != "$mib" ] && extra="i8042.noaux=1 "
			size=$((mib << 20))
			w1=$(printf '0x%x-0x%x' $((base1)) $((base1 + size - 1)))
			w2=$(printf '0x%x-0x%x' $((base2)) $((base2 + size - 1)))
			echo "bench: Linux 6.1 $arch, B's window $mib MiB ${extra}, 5 round trips under -icount" >&2
			out=$dir/linux-$arch-$run.tap
			KJ_LINUX_BENCH_CMDLINE=$extra KJ_LINUX_BENCH=1 KJ_O=$O KJ_MACHINE=pc KJ_SMP=1 KJ_MEM=2G \
				KJ_DISK_A=virtio KJ_ROUNDS=5 KJ_WINDOWS=$w1,$w2 KJ_ONE_WAY=real \
				bash "$top/tests/linux/chain.sh" $arch bookworm 6.1 \
				/usr/src/linux-source-6.1.tar.xz "$top"/patches/linux/6.1/*.patch > "$out" 2>&1 ||
				fail "Linux bench, $arch $run: the run failed (log: $out)"
			cp "$O/linux/$arch-6.1-bench/serial.log" "$dir/linux-$arch-$run.log"
			python3 "$top/scripts/bench_linux.py" "$dir/linux-$arch-$run.log" "$label$run" >> "$results" ||
				fail "Linux bench, $arch $run: the log does not parse ($dir/linux-$arch-$run.log)"
		done
	done
fi

# --- 5. hibernation: kexec hibernation against Linux's swsusp ---------------
# tests/linux/hibernate.sh with KJ_HIB_BENCH=1: the same 6.1 A hibernated
# both ways under -icount, image size and the two times (docs/hibernate.md).
# Not in quick mode (four 2 GiB boots under -icount).
if [ "$quick" != 1 ] && [ "${KJ_BENCH_LINUX:-1}" = 1 ]; then
	echo "bench: hibernation, kexec through purgatory and swsusp, Linux 6.1 x86_64 under -icount" >&2
	out=$dir/hibernate.tap
	KJ_HIB_BENCH=1 KJ_O=$O bash "$top/tests/linux/hibernate.sh" x86_64 bookworm 6.1 \
		/usr/src/linux-source-6.1.tar.xz newest "$top"/patches/linux/6.1/*.patch > "$out" 2>&1 ||
		fail "hibernation bench: the run failed (log: $out)"
	sed -n 's/^# \(hib_[a-z_]* [0-9]*\)$/\1/p' "$out" >> "$results"
	grep -q '^hib_swsusp_resume_ns ' "$results" || fail "hibernation bench: no figures in $out"
fi

python3 "$top/scripts/bench_report.py" "$results" "$top/docs/bench-baseline.txt" "$report"
