#!/usr/bin/env bash
# tools/kjhib.c's load built for the host with AddressSanitizer and
# UndefinedBehaviorSanitizer, fed hibernation images that must be refused
# with their own message, exit status 1 and the files unchanged: missing,
# truncated or corrupted records, purgatory copies and dumps, a used
# image, dump levels that leave out pages A uses, split or incomplete
# dumps, page counts that do not fit the bitmaps, a kernel build other
# than the running one (tests/unit/kjhib_host.py makes the images).
set -u
O=${KJ_O:-build}
mkdir -p "$O/unit"
bin=$O/unit/kjhib_host
if ! gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
	-Iinclude -o "$bin" tools/kjhib.c lib/sha256.c -lz; then
	echo "1..1"
	echo "not ok 1 - building kjhib for the host"
	exit 1
fi
rm -rf "$O/unit/kjhib-images"
# A refusal exits with its buffers still allocated, on purpose: no leak report.
export ASAN_OPTIONS=detect_leaks=0
exec python3 tests/unit/kjhib_host.py "$bin" "$O/unit/kjhib-images"
