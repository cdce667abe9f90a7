#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""tests/kjhib.t's driver: kjhib load (tools/kjhib.c, built for the host with
ASan and UBSan) fed hibernation images that must be refused, each with its
own message, exit status 1, and the image's files unchanged. The images are
made here, in kjhib's record layout and makedumpfile's kdump-compressed
layout (a dump of a few pages, no page kept); every case is refused before
kjhib reads this machine's RAM map or loads anything.

    kjhib_host.py KJHIB WORKDIR"""
import hashlib
import os
import struct
import subprocess
import sys

PAGE = 4096
kjhib, work = sys.argv[1], sys.argv[2]
n = 0
failed = 0


def tap(ok, what):
    global n, failed
    n += 1
    failed += not ok
    print(("ok" if ok else "not ok") + " %d - %s" % (n, what))


def dump(level=16, max_mapnr=16, status=0, split=0):
    """A kdump-compressed dump: header, sub-header, two one-block bitmaps, no page."""
    h = bytearray(PAGE)
    h[0:8] = b"KDUMP   "
    struct.pack_into("<i", h, 8, 6)                       # header_version
    struct.pack_into("<IiiI", h, 424, status, PAGE, 1, 2)  # status, block_size, sub_hdr_size, bitmap_blocks
    sub = bytearray(PAGE)
    info = b"OSRELEASE=0.0.0-kjhib-test\n"
    struct.pack_into("<Qii", sub, 0, 0, level, split)
    struct.pack_into("<qQ", sub, 32, 3 * PAGE + PAGE, len(info))  # vmcoreinfo after the bitmaps
    struct.pack_into("<Q", sub, 96, max_mapnr)
    return bytes(h) + bytes(sub) + bytes(2 * PAGE) + info


def record(vmcore, purgatory, state=1, max_pfn=16, release=b"0.0.0-kjhib-test"):
    """kjhib's struct record (tools/kjhib.c), record_sha256 over it with state,
    used_at and the digest zeroed."""
    def pack(st, digest):
        return (b"KJHIBER1" + struct.pack("<IIQ", 1, st, 0) +
                struct.pack("<QQQQQQQ", 1, 0x40000000, len(purgatory), 0x40000040, 0x100,
                            len(vmcore), max_pfn) +
                hashlib.sha256(vmcore).digest() + hashlib.sha256(purgatory).digest() +
                release.ljust(65, b"\0") + b"".ljust(65, b"\0") + bytes(6) + digest)
    body = pack(0, bytes(32))
    assert len(body) == 312
    return pack(state, hashlib.sha256(body).digest())


def case(name, files, expect):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    for f, data in files.items():
        with open(os.path.join(d, f), "wb") as out:
            out.write(data)
    before = {f: hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest() for f in files}
    r = subprocess.run([kjhib, "load", d], capture_output=True, text=True)
    after = {f: hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest() for f in files}
    said = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    ok = (r.returncode == 1 and said.startswith("kjhib: refused: ") and expect in said and
          said.endswith("nothing loaded, the image on disk is unchanged") and before == after and
          "ERROR: AddressSanitizer" not in r.stderr and "runtime error" not in r.stderr)
    tap(ok, "%s: refused (%s)" % (name, said[len("kjhib: refused: "):][:110] or r.stderr[-200:]))


purg = bytes(range(256)) * 16
good = dump()
case("missing", {}, "no hibernation image")
case("record-truncated", {"kjhib": record(good, purg)[:100], "vmcore": good}, "is truncated")
rec = bytearray(record(good, purg))
rec[40] ^= 1
case("record-corrupted", {"kjhib": bytes(rec) + purg, "vmcore": good}, "or it is corrupted")
case("purgatory-corrupted", {"kjhib": record(good, purg) + purg[:-1] + b"\x00", "vmcore": good},
     "purgatory's saved memory")
case("purgatory-truncated", {"kjhib": record(good, purg) + purg[:-1], "vmcore": good}, "is truncated or too long")
case("state-used", {"kjhib": record(good, purg, state=2) + purg, "vmcore": good}, "restored already")
case("vmcore-missing", {"kjhib": record(good, purg) + purg}, "A's memory image")
case("vmcore-truncated", {"kjhib": record(good, purg) + purg, "vmcore": good[:-1]}, "truncated or was changed")
bad = bytearray(good)
bad[5000] ^= 1
case("vmcore-corrupted", {"kjhib": record(good, purg) + purg, "vmcore": bytes(bad)}, "is corrupted")
for name, d, expect in (
        ("dump-level-31", dump(level=31), "its dump level leaves out pages A is using"),
        ("dump-incomplete", dump(status=8), "could not finish it"),
        ("dump-split", dump(split=1), "split into several files"),
        ("dump-max-mapnr-wraps", dump(max_mapnr=2**64 - 1), "its bitmaps do not fit"),
        ("dump-max-mapnr-past-bitmaps", dump(max_mapnr=PAGE * 8 + 1), "its bitmaps do not fit"),
        ("dump-not-kdump", b"\x7fELF" + bytes(PAGE * 4), "not a kdump-compressed dump")):
    case(name, {"kjhib": record(d, purg) + purg, "vmcore": d}, expect)
case("max-pfn-differs", {"kjhib": record(good, purg, max_pfn=17) + purg, "vmcore": good},
     "its record says 0x11")
case("other-build", {"kjhib": record(good, purg) + purg, "vmcore": good}, "the image is of kernel 0.0.0-kjhib-test")
print("1..%d" % n)
sys.exit(1 if failed else 0)
