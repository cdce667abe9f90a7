#!/usr/bin/env bash
# The build artefacts: purgatory.bin's header, purgatory.ro as kexec-tools
# loads it, the linker's guarantee of no dynamic relocations, and an
# out-of-tree (O=) rebuild that must produce the same bytes.
set -u
O=${KJ_O:-build}
n=1
failed=0
ok() { echo "ok $n - $*"; n=$((n + 1)); }
not_ok() { echo "not ok $n - $*"; n=$((n + 1)); failed=$((failed + 1)); }
for arch in i386 x86_64; do
	if python3 scripts/kjimage.py check "$O/$arch/purgatory.bin" "$arch"; then
		ok "$arch purgatory.bin header is valid and matches the file"
	else
		not_ok "$arch purgatory.bin header"
	fi
	if readelf -rW "$O/$arch/purgatory.elf" | grep -q "There are no relocations"; then
		ok "$arch purgatory.elf: linked -pie with no dynamic relocations"
	else
		not_ok "$arch purgatory.elf has relocations"
	fi
	out=$(python3 tests/check-ro.py "$O" "$arch" "$n")
	rc=$?
	echo "$out"
	n=$((n + $(grep -c '^\(not \)\?ok' <<<"$out")))
	[ $rc -eq 0 ] || failed=$((failed + 1))
done
layout=$(python3 scripts/kjimage.py layout "$O")
documented=$(sed -n '/<!-- layout:begin -->/,/<!-- layout:end -->/p' docs/abi.md | sed '1d;$d')
if [ -n "$layout" ] && [ "$layout" = "$documented" ]; then
	ok "docs/abi.md's parameter-block table matches the compiled layout"
else
	not_ok "docs/abi.md's parameter-block table is out of date: run scripts/kjimage.py layout $O"
	diff <(echo "$documented") <(echo "$layout") | sed 's/^/# /'
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if make -s O="$tmp" all >/dev/null 2>&1; then
	ok "make O=$tmp builds out of tree"
	for arch in i386 x86_64; do
		for f in purgatory.bin purgatory.ro; do
			if cmp -s "$tmp/$arch/$f" "$O/$arch/$f"; then
				ok "$arch $f is the same from an out-of-tree build"
			else
				not_ok "$arch $f differs between $O and an out-of-tree build"
			fi
		done
	done
else
	not_ok "make O=$tmp all failed"
fi
echo "1..$((n - 1))"
[ $failed -eq 0 ]
