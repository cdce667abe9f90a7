#!/usr/bin/env bash
# make bench, small (KJ_BENCH_QUICK=1: 5 round trips, 4 MiB of SHA-256):
# it runs, every figure the report needs is there and a number, the guest
# figures are plausible, and the plot is a PNG. The figures themselves are
# make bench's business, not a test's: nothing here depends on timing.
set -u
O=${KJ_O:-build}
report=$O/bench-report
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

rm -rf "$report"
if KJ_BENCH_QUICK=1 scripts/bench.sh "$O" "$report" > "$O/bench-quick.out" 2>&1; then
	ok "scripts/bench.sh ran to the end (quick)"
else
	not_ok "scripts/bench.sh failed:"
	tail -5 "$O/bench-quick.out" | sed 's/^/# /'
fi
results=$O/bench/results.txt
for arch in i386 x86_64; do
	for key in null_resume null_boot first_entry_sha first_entry_nosha sha_bytes a_to_b_median \
		b_to_a_median a_to_b_trace_median b_to_a_trace_median refusal_eside refusal_eagain bios_call; do
		v=$(awk -v k="guest_${arch}_$key" '$1 == k { print $2 }' "$results" 2>/dev/null)
		if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -gt 0 ] && [ "$v" -lt 100000000 ]; then
			ok "$arch $key: $v instructions"
		else
			not_ok "$arch $key: '${v}' is not a count"
		fi
	done
	for key in ours_ro_file ours_ro_memsz ours_bin kexec_ro_file kexec_ro_memsz; do
		v=$(awk -v k="size_${arch}_$key" '$1 == k { print $2 }' "$results" 2>/dev/null)
		if [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -gt 1000 ]; then
			ok "$arch size $key: $v bytes"
		else
			not_ok "$arch size $key: '${v}' is not a size"
		fi
	done
done
for key in sha_purgatory_c sha_kexec_tools_c sha_small_purgatory_c sha_small_kexec_tools_c \
	sha_i386_purgatory_c sha_i386_kexec_tools_c sha_small_i386_purgatory_c sha_small_i386_kexec_tools_c; do
	v=$(awk -v k="$key" '$1 == k { print $2 }' "$results" 2>/dev/null)
	if [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then ok "$key: $v MB/s"; else not_ok "$key: '${v}' is not a speed"; fi
done
if grep -q '^sha_digest_match 1$' "$results" 2>/dev/null; then
	ok "every SHA-256 implementation gave the same digest"
else
	not_ok "the SHA-256 implementations disagree"
fi
if grep -q '^| A→B (median of the rounds) | ≤ 500 |' "$report/bench.md" 2>/dev/null; then
	ok "bench.md has the instruction table"
else
	not_ok "bench.md is missing or has no instruction table"
fi
if [ "$(head -c 8 "$report/bench.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
	ok "bench.png is a PNG"
else
	not_ok "bench.png is missing or not a PNG"
fi
echo "1..$n"
[ $failed -eq 0 ]
