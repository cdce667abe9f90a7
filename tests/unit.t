#!/usr/bin/env bash
# lib/ code built for the host and checked against other implementations.
set -u
O=${KJ_O:-build}
mkdir -p "$O/unit"
bin=$O/unit/sha256_host
if ! gcc -O2 -Wall -Wextra -Werror -o "$bin" tests/unit/sha256_host.c lib/sha256.c lib/string.c; then
	echo "1..1"
	echo "not ok 1 - building the SHA-256 host driver"
	exit 1
fi
exec python3 - "$bin" <<'PY'
import hashlib, os, random, subprocess, sys
binary = sys.argv[1]
# One seeded generator for every random input, so that the seed printed
# below reproduces a run; KJ_SEED=N picks another.
seed = int(os.environ.get("KJ_SEED", "20261123"))
rng = random.Random(seed)
print("# random inputs from seed %d (KJ_SEED=%d repeats them)" % (seed, seed))
cases = [(b"", "empty input"), (b"abc", "FIPS 180-4 example 'abc'"),
         (b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "FIPS 180-4 two-block example"),
         (b"a" * 1000000, "one million 'a'")]
for n in (55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65537):
    cases.append((rng.randbytes(n), "%d random bytes (padding boundaries)" % n))
t = 0
failed = 0
for data, what in cases:
    want = hashlib.sha256(data).hexdigest()
    for chunk in (1, 7, 64, 4096):
        if chunk == 1 and len(data) > 70000:
            continue
        got = subprocess.run([binary, str(chunk)], input=data, capture_output=True).stdout.decode().strip()
        t += 1
        ok = got == want
        failed += not ok
        print("%s %d - sha256 of %s, fed in %d-byte pieces%s" % ("ok" if ok else "not ok", t, what, chunk,
              "" if ok else ": got %s want %s" % (got, want)))
print("1..%d" % t)
sys.exit(1 if failed else 0)
PY
