#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Sizes of a purgatory.ro as kexec-tools loads it.

    elfsize.py FILE  ->  "file BYTES", "memsz BYTES", "text BYTES", ...

memsz is what kexec-tools' elf_rel_load() reserves for the object: the
allocated PROGBITS sections laid out in order, each at its alignment, then
the NOBITS (bss) ones the same way. text, data and bss split it the way
size(1) does (executable, other PROGBITS, NOBITS).
"""
import os
import struct
import sys

SHT_NOBITS = 8
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4


def sections(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        sys.exit(f"elfsize: {path} is not an ELF file")
    is64 = data[4] == 2
    if is64:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    else:
        shoff, = struct.unpack_from("<I", data, 0x20)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x2e)
    out = []
    for i in range(shnum):
        o = shoff + i * shentsize
        if is64:
            _, typ, flags, _, _, size, _, _, align, _ = struct.unpack_from("<IIQQQQIIQQ", data, o)
        else:
            _, typ, flags, _, _, size, _, _, align, _ = struct.unpack_from("<IIIIIIIIII", data, o)
        out.append((typ, flags, size, max(align, 1)))
    return out


def main():
    path = sys.argv[1]
    secs = [s for s in sections(path) if s[1] & SHF_ALLOC]
    end = 0
    text = data = bss = 0
    for nobits in (False, True):
        for typ, flags, size, align in secs:
            if (typ == SHT_NOBITS) != nobits:
                continue
            end = (end + align - 1) // align * align + size
            if nobits:
                bss += size
            elif flags & SHF_EXECINSTR:
                text += size
            else:
                data += size
    print(f"file {os.path.getsize(path)}\nmemsz {end}\ntext {text}\ndata {data}\nbss {bss}")


if __name__ == "__main__":
    main()
