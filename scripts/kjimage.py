#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Read and check the header of a purgatory.bin (include/kjump/abi.h).

  kjimage.py check IMAGE ARCH   verify the header; exit 1 with a reason if wrong
  kjimage.py show IMAGE         print the header fields
  kjimage.py layout BUILD_DIR   print the parameter block as the markdown
                                table docs/abi.md carries (from the
                                compiler's asm-offsets.s of both arches)
"""
import struct
import sys

HEADER = struct.Struct("<8s12I")
FIELDS = ("abi_version", "header_size", "arch", "image_size", "load_align",
          "entry_start", "entry_from_a", "entry_from_b", "params",
          "params_size", "stack_end", "entry_bios_call")
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
    # The file holds the image's first bytes; image_size adds the scratch
    # memory (stack, page tables), which starts at the next 4 KiB boundary.
    if h["image_size"] < len(data):
        problems.append("image_size %d but file is %d bytes" % (h["image_size"], len(data)))
    for f in ("entry_start", "entry_from_a", "entry_from_b", "params", "entry_bios_call"):
        if not HEADER.size <= h[f] <= len(data):
            problems.append("%s 0x%x outside the file" % (f, h[f]))
    if not HEADER.size <= h["stack_end"] <= h["image_size"]:
        problems.append("stack_end 0x%x outside the image" % h["stack_end"])
    if h["params"] + h["params_size"] > len(data):
        problems.append("parameter block runs past the image")
    return h, problems


def layout(build):
    import re
    per_arch = {}
    for arch in ("i386", "x86_64"):
        text = open("%s/%s/asm-offsets.s" % (build, arch)).read()
        per_arch[arch] = [(f, int(o), int(n)) for f, o, n in
                          re.findall(r"~>([\w.]+) \$?(\d+) \$?(\d+)", text)]
    rows = ["| field | i386 offset | i386 size | x86_64 offset | x86_64 size |",
            "|---|---|---|---|---|"]
    x64 = {f: (o, n) for f, o, n in per_arch["x86_64"]}
    i32 = {f: (o, n) for f, o, n in per_arch["i386"]}
    # Both arches' fields in params.h order: one arch's own fields (entry64_regs,
    # entry16_regs) go right after the field that precedes them there.
    order = [f for f, _, _ in per_arch["x86_64"]]
    prev = None
    for f, _, _ in per_arch["i386"]:
        if f not in x64:
            order.insert(order.index(prev) + 1 if prev else 0, f)
        prev = f

    def cell(v):
        return ("%d" % v[0], "%d" % v[1]) if v else ("-", "-")
    for f in order:
        rows.append("| `%s` | %s | %s | %s | %s |" % ((f,) + cell(i32.get(f)) + cell(x64.get(f))))
    return "\n".join(rows)


def main(argv):
    if len(argv) == 3 and argv[1] == "layout":
        print(layout(argv[2]))
        return 0
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
