#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Read and check the header of a purgatory.bin (include/kjump/abi.h).

  kjimage.py check IMAGE ARCH   verify the header; exit 1 with a reason if wrong
  kjimage.py show IMAGE         print the header fields
"""
import struct
import sys

HEADER = struct.Struct("<8s12I")
FIELDS = ("abi_version", "header_size", "arch", "image_size", "load_align",
          "entry_start", "entry_from_a", "entry_from_b", "params",
          "params_size", "stack_end", "reserved")
ARCH_IDS = {"i386": 3, "x86_64": 62}


def parse(data):
    if len(data) < HEADER.size:
        raise ValueError("image shorter than its header")
    magic, *vals = HEADER.unpack_from(data)
    hdr = dict(zip(FIELDS, vals))
    hdr["magic"] = magic
    return hdr


def check(data, arch):
    h = parse(data)
    problems = []
    if h["magic"] != b"KJUMPPG1":
        problems.append("bad magic %r" % h["magic"])
    if h["abi_version"] != 1:
        problems.append("abi_version %d" % h["abi_version"])
    if h["header_size"] != HEADER.size:
        problems.append("header_size %d" % h["header_size"])
    if arch and h["arch"] != ARCH_IDS[arch]:
        problems.append("arch %d, wanted %d" % (h["arch"], ARCH_IDS[arch]))
    if h["image_size"] != len(data):
        problems.append("image_size %d but file is %d bytes" % (h["image_size"], len(data)))
    for f in ("entry_start", "entry_from_a", "entry_from_b", "params", "stack_end"):
        if not HEADER.size <= h[f] <= len(data):
            problems.append("%s 0x%x outside the image" % (f, h[f]))
    if h["params"] + h["params_size"] > len(data):
        problems.append("parameter block runs past the image")
    return h, problems


def main(argv):
    if len(argv) >= 3 and argv[1] in ("check", "show"):
        data = open(argv[2], "rb").read()
        h, problems = check(data, argv[3] if len(argv) > 3 else None)
        if argv[1] == "show":
            for k in ("magic",) + FIELDS:
                v = h[k]
                print("%-13s %s" % (k, v if isinstance(v, bytes) else "0x%x" % v))
        for p in problems:
            print("%s: %s" % (argv[2], p), file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
