#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Wrap purgatory.bin as the ELF relocatable kexec-tools embeds (purgatory.ro).

The object has one allocated section holding the image byte for byte and,
when the header's image_size is larger than the file, a NOBITS section for
the rest (the scratch memory: stack, page tables), which kexec-tools places
at the next 4 KiB boundary after the first, as the linker did. No
relocations (the code is position independent), e_entry at purgatory_start,
and global symbols:
  - the entry points and stack_end, at their offsets in the image;
  - kexec-tools' parameter names (entry64_regs, serial_base, ...), each at
    its field of struct kjump_params with exactly that field's size, taken
    from the "=>name offset size" lines the compiler wrote into
    asm-offsets.s: kexec-tools refuses a symbol whose size differs.
"""
import argparse
import re
import struct
import subprocess
import sys

CODE_SYMBOLS = ("purgatory_start", "kjump_entry_from_a", "kjump_entry_from_b")
OPTIONAL_CODE_SYMBOLS = ("entry16",)
DATA_SYMBOLS = ("kjump_params", "stack_end")
SECTION = b".purgatory"
SCRATCH = b".purgatory.scratch"

EM = {"i386": 3, "x86_64": 62}
SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_NOBITS = 1, 2, 3, 8
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4
STB_GLOBAL, STT_OBJECT, STT_FUNC, STT_SECTION = 1, 1, 2, 3


def nm_symbols(elf):
    out = subprocess.run(["nm", "-S", "--defined-only", elf], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            syms[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
        elif len(parts) == 3:
            syms[parts[2]] = (int(parts[0], 16), 0)
    return syms


def export_list(elf, offsets):
    syms = nm_symbols(elf)
    exports = []
    # entry16: kexec-tools' real-mode entry, i386 only (purgatory/bios.c).
    optional = tuple(n for n in OPTIONAL_CODE_SYMBOLS if n in syms)
    for name in CODE_SYMBOLS + optional + DATA_SYMBOLS:
        if name not in syms:
            sys.exit("mkro: %s is missing from %s" % (name, elf))
        value, size = syms[name]
        exports.append((name, value, size,
                        STT_FUNC if name in CODE_SYMBOLS + optional else STT_OBJECT))
    params = syms["kjump_params"][0]
    fields = re.findall(r"=>(\w+) \$?(\d+) \$?(\d+)", open(offsets).read())
    if not fields:
        sys.exit("mkro: no exported fields found in %s" % offsets)
    for name, off, size in fields:
        exports.append((name, params + int(off), int(size), STT_OBJECT))
    return exports


def build(arch, image, memsz, exports, entry):
    is64 = arch == "x86_64"
    align = 4096
    scratch_start = (len(image) + align - 1) // align * align
    scratch_size = memsz - scratch_start if memsz > len(image) else 0
    # String tables.
    shstr = b"\0" + SECTION + b"\0" + SCRATCH + b"\0.symtab\0.strtab\0.shstrtab\0"
    def shname(n):
        return shstr.index(n + b"\0")
    strtab = b"\0"
    sym_entries = []
    for name, value, size, typ in exports:
        off = len(strtab)
        strtab += name.encode() + b"\0"
        sym_entries.append((off, value, size, typ))
    # Symbols: null, section symbol (local), then the globals.
    if is64:
        sym_fmt = struct.Struct("<IBBHQQ")
        def sym(name, value, size, info, shndx):
            return sym_fmt.pack(name, info, 0, shndx, value, size)
    else:
        sym_fmt = struct.Struct("<IIIBBH")
        def sym(name, value, size, info, shndx):
            return sym_fmt.pack(name, value, size, info, 0, shndx)
    # Sections: 1 the image, 2 the scratch (if any), then the tables.
    nsec = 2 if scratch_size else 1
    symtab = sym(0, 0, 0, 0, 0) + sym(0, 0, 0, STT_SECTION, 1)
    for name_off, value, size, typ in sym_entries:
        if value >= scratch_start and scratch_size:
            symtab += sym(name_off, value - scratch_start, size, (STB_GLOBAL << 4) | typ, 2)
        else:
            symtab += sym(name_off, value, size, (STB_GLOBAL << 4) | typ, 1)

    ehdr_size = 64 if is64 else 52
    shdr_size = 64 if is64 else 40
    # Right after the ELF header: the file offset of a section's bytes has no
    # alignment to keep (kexec-tools copies them to a buffer it aligns).
    image_off = (ehdr_size + 15) & ~15
    symtab_off = image_off + len(image)
    strtab_off = symtab_off + len(symtab)
    shstr_off = strtab_off + len(strtab)
    shdr_off = (shstr_off + len(shstr) + 7) & ~7

    if is64:
        sh = struct.Struct("<IIQQQQIIQQ")
    else:
        sh = struct.Struct("<IIIIIIIIII")
    shdrs = [
        sh.pack(*([0] * 10)),
        sh.pack(shname(SECTION), SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR | SHF_WRITE,
                0, image_off, len(image), 0, 0, align, 0),
    ]
    if scratch_size:
        shdrs.append(sh.pack(shname(SCRATCH), SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
                             0, image_off + len(image), scratch_size, 0, 0, align, 0))
    strtab_index = nsec + 2
    shdrs += [
        sh.pack(shname(b".symtab"), SHT_SYMTAB, 0, 0, symtab_off, len(symtab), strtab_index, 2,
                8 if is64 else 4, sym_fmt.size),
        sh.pack(shname(b".strtab"), SHT_STRTAB, 0, 0, strtab_off, len(strtab), 0, 0, 1, 0),
        sh.pack(shname(b".shstrtab"), SHT_STRTAB, 0, 0, shstr_off, len(shstr), 0, 0, 1, 0),
    ]
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1, 1, 0]) + b"\0" * 8
    if is64:
        ehdr = ident + struct.pack("<HHIQQQIHHHHHH", 1, EM[arch], 1, entry, 0, shdr_off, 0,
                                   ehdr_size, 0, 0, shdr_size, len(shdrs), len(shdrs) - 1)
    else:
        ehdr = ident + struct.pack("<HHIIIIIHHHHHH", 1, EM[arch], 1, entry, 0, shdr_off, 0,
                                   ehdr_size, 0, 0, shdr_size, len(shdrs), len(shdrs) - 1)
    out = bytearray(ehdr)
    out += b"\0" * (image_off - len(out))
    out += image + symtab + strtab + shstr
    out += b"\0" * (shdr_off - len(out))
    out += b"".join(shdrs)
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True, choices=sorted(EM))
    ap.add_argument("--bin", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--offsets", required=True)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    image = open(args.bin, "rb").read()
    memsz = struct.unpack_from("<I", image, 20)[0]	# kjump_header.image_size
    if memsz < len(image):
        sys.exit("mkro: image_size %d is smaller than the file (%d bytes)" % (memsz, len(image)))
    exports = export_list(args.elf, args.offsets)
    for name, value, size, _ in exports:
        if value + size > memsz:
            sys.exit("mkro: %s (0x%x+%d) lies outside the image" % (name, value, size))
        # kexec-tools refuses to set a symbol in NOBITS: the settable ones
        # (kjump_params and its fields) must lie in the file.
        if name not in ("stack_end",) and value >= len(image):
            sys.exit("mkro: %s (0x%x) is in the scratch memory, not the file" % (name, value))
    entry = dict((e[0], e[1]) for e in exports)["purgatory_start"]
    with open(args.output, "wb") as f:
        f.write(build(args.arch, image, memsz, exports, entry))


if __name__ == "__main__":
    main()
