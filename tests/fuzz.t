#!/usr/bin/env bash
# Purgatory's validators fuzzed on the host (tests/fuzz/): the purgatory
# sources themselves, built with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer (any finding aborts), each from the corpus
# kept in tests/fuzz/corpus/. elfcore runs twice: as x86_64 purgatory
# reads a header (ELF64 only) and as i386 (-m32: ELF32 and ELF64).
#
# KJ_FUZZ_TIME seconds per target (12 here: under a minute in all; make
# fuzz runs longer), KJ_SEED the fuzzer's seed (printed). With
# KJ_FUZZ_KEEP=1 (make fuzz) the units that add coverage are merged into
# tests/fuzz/corpus/; otherwise the corpus in the tree is only read.
set -u
O=${KJ_O:-build}
time=${KJ_FUZZ_TIME:-12}
seed=${KJ_SEED:-20261204}
out=$O/fuzz
mkdir -p "$out"
echo "# libFuzzer seed $seed (KJ_SEED=$seed repeats it), $time s per target"
n=0 failed=0
# name, corpus directory, extra flags, purgatory sources
targets=(
	"elfcore|elfcore||purgatory/elfcore.c"
	"elfcore32|elfcore|-m32|purgatory/elfcore.c"
	"cmdline|cmdline||purgatory/cmdline.c"
	"digest|digest||purgatory/digest.c lib/sha256.c"
)
for t in "${targets[@]}"; do
	IFS='|' read -r name dir flags srcs <<<"$t"
	n=$((n + 1))
	bin=$out/fuzz_$name
	# shellcheck disable=SC2086
	if ! clang $flags -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Wall -Wextra -Werror -Iinclude -o "$bin" tests/fuzz/fuzz_${name%32}.c tests/fuzz/stubs.c \
		lib/printf.c $srcs 2>"$out/build-$name.log"; then
		echo "not ok $n - building the $name fuzzer (log: $out/build-$name.log)"
		failed=$((failed + 1))
		continue
	fi
	work=$out/corpus-$name
	rm -rf "$work" && mkdir -p "$work"
	log=$out/run-$name.log
	"$bin" -seed="$seed" -max_total_time="$time" -print_final_stats=1 -artifact_prefix="$out/$name-" \
		"$work" "tests/fuzz/corpus/$dir" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $status -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $n - $name: $runs inputs in ${time} s from $(ls "tests/fuzz/corpus/$dir" | wc -l) seed(s), no sanitizer finding, $(ls "$work" | wc -l) new corpus unit(s)"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: fuzzer status $status after ${runs:-?} inputs (log: $log)"
		grep -m3 -E 'SUMMARY|runtime error|ERROR:' "$log" | sed 's/^/# /'
		ls "$out/$name-"* 2>/dev/null | sed 's/^/# reproducer: /'
		continue
	fi
	if [ "${KJ_FUZZ_KEEP:-0}" = 1 ]; then
		"$bin" -merge=1 "tests/fuzz/corpus/$dir" "$work" >"$out/merge-$name.log" 2>&1 &&
			echo "# $name: corpus now $(ls "tests/fuzz/corpus/$dir" | wc -l) unit(s)"
	fi
done
echo "1..$n"
[ $failed -eq 0 ]
