#!/usr/bin/env bash
# lib/ code built for the host and checked against other implementations.
set -u
O=${KJ_O:-build}
mkdir -p "$O/unit"
# One driver per arch (i386 with gcc -m32), each with that arch's
# kj_sha256_ni_blocks linked in.
bins=()
for arch in x86_64 i386; do
	bin=$O/unit/sha256_host_$arch
	case $arch in x86_64) m=-m64 f=elf64 ;; i386) m=-m32 f=elf32 ;; esac
	if ! nasm -f $f -Iarch/$arch/ -Iarch/x86/ -o "$bin-ni.o" arch/$arch/sha256_ni.asm ||
	   ! gcc $m -O2 -Wall -Wextra -Werror -Wl,-z,noexecstack -o "$bin" tests/unit/sha256_host.c lib/sha256.c lib/string.c \
		"$bin-ni.o"; then
		echo "1..1"
		echo "not ok 1 - building the SHA-256 host driver for $arch"
		exit 1
	fi
	bins+=("$bin")
done
exec python3 - "${bins[@]}" <<'PY'
import hashlib, os, random, subprocess, sys
binaries = sys.argv[1:]
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
# The C code (x86_64 build), then the SHA extensions on each arch when the
# CPU has them: every case, every chunk size, against Python's hashlib.
variants = [(binaries[0], [], "")]
for binary, arch in zip(binaries, ("x86_64", "i386")):
    have = subprocess.run([binary, "ni-available"], capture_output=True).stdout.decode().strip()
    if have == "1":
        variants.append((binary, ["ni"], ", SHA extensions (%s)" % arch))
    else:
        t += 1
        print("ok %d - # SKIP SHA extensions (%s): this CPU has none" % (t, arch))
for binary, extra, how in variants:
    for data, what in cases:
        want = hashlib.sha256(data).hexdigest()
        for chunk in (1, 7, 64, 4096):
            if chunk == 1 and len(data) > 70000:
                continue
            got = subprocess.run([binary, str(chunk)] + extra, input=data,
                                 capture_output=True).stdout.decode().strip()
            t += 1
            ok = got == want
            failed += not ok
            print("%s %d - sha256 of %s, fed in %d-byte pieces%s%s" % ("ok" if ok else "not ok", t, what,
                  chunk, how, "" if ok else ": got %s want %s" % (got, want)))
print("1..%d" % t)
sys.exit(1 if failed else 0)
PY
