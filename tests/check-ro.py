#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""TAP checks that purgatory.ro is what kexec-tools' ELF-relocatable loader
(kexec/kexec-elf-rel.c) accepts as a drop-in purgatory, and that it carries
the same bytes as purgatory.bin.

usage: check-ro.py BUILD_DIR ARCH FIRST_TEST_NUMBER
Prints "ok"/"not ok" lines (no plan) and exits 1 if any failed.
"""
import struct
import sys

build, arch, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
is64 = arch == "x86_64"
W = 8 if is64 else 4
# kexec-tools writes these with elf_rel_set_symbol(), which dies unless the
# symbol is global, in a PROGBITS section and of exactly this size.
EXPECTED_SIZES = {
    "entry32_regs": 36, "sha256_regions": 256, "sha256_digest": 32,
    "skip_checks": 4, "reset_vga": 1, "console_vga": 1, "console_serial": 1,
    "panic_kernel": 1, "serial_base": 2, "serial_baud": 4,
    "backup_start": W, "backup_src_start": W, "backup_src_size": W,
    "cmdline_end": W, "jump_back_entry": W,
}
if is64:
    EXPECTED_SIZES["entry64_regs"] = 17 * 8
REQUIRED_LABELS = ("purgatory_start", "kjump_entry_from_a", "kjump_entry_from_b", "stack_end", "kjump_params")

failed = 0


def check(cond, what):
    global n, failed
    print("%s %d - %s %s" % ("ok" if cond else "not ok", n, arch, what))
    n += 1
    failed += 0 if cond else 1
    return cond


ro = open("%s/%s/purgatory.ro" % (build, arch), "rb").read()
image = open("%s/%s/purgatory.bin" % (build, arch), "rb").read()

check(ro[:4] == b"\x7fELF" and ro[4] == (2 if is64 else 1) and ro[5] == 1,
      "purgatory.ro is a little-endian ELF%d" % (64 if is64 else 32))
if is64:
    (e_type, e_machine, _, e_entry, _, e_shoff, _, _, _, _, e_shentsize, e_shnum,
     e_shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", ro, 16)
    shfmt = struct.Struct("<IIQQQQIIQQ")
    symfmt = struct.Struct("<IBBHQQ")
else:
    (e_type, e_machine, _, e_entry, _, e_shoff, _, _, _, _, e_shentsize, e_shnum,
     e_shstrndx) = struct.unpack_from("<HHIIIIIHHHHHH", ro, 16)
    shfmt = struct.Struct("<IIIIIIIIII")
    symfmt = struct.Struct("<IIIBBH")
check(e_type == 1, "purgatory.ro is ET_REL")
check(e_machine == (62 if is64 else 3), "purgatory.ro e_machine is %s" % arch)

shdrs = [shfmt.unpack_from(ro, e_shoff + i * e_shentsize) for i in range(e_shnum)]
alloc = [i for i, s in enumerate(shdrs) if s[2] & 2]
check(all(s[1] not in (4, 9) for s in shdrs), "no relocation sections: nothing for the loader to apply")
progbits = [i for i in alloc if shdrs[i][1] == 1]
nobits = [i for i in alloc if shdrs[i][1] == 8]
check(len(progbits) == 1 and shdrs[progbits[0]][2] & 4, "one allocated PROGBITS section, executable")
check(len(alloc) == len(progbits) + len(nobits) and len(nobits) <= 1 and (not nobits or nobits[0] > progbits[0]),
      "at most one NOBITS section (the scratch memory), after the image")
sec = shdrs[progbits[0]]
body = ro[sec[4]:sec[4] + sec[5]]
check(body == image, "the section holds purgatory.bin byte for byte (%d bytes)" % len(image))
check(sec[8] == 4096, "section alignment 4096, as purgatory's page tables need")
# kexec-tools lays out PROGBITS, then NOBITS at its alignment: the image's
# scratch starts at the next 4 KiB boundary, and the whole is image_size.
image_size = struct.unpack_from("<I", image, 20)[0]
scratch = shdrs[nobits[0]][5] if nobits else 0
check((not nobits or shdrs[nobits[0]][8] == 4096) and
      image_size == ((len(image) + 4095) & ~4095 if scratch else len(image)) + scratch,
      "image_size %d = the file at 4 KiB, then %d bytes of scratch, as kexec-tools places them"
      % (image_size, scratch))

symtab = next(s for s in shdrs if s[1] == 2)
strtab = shdrs[symtab[6]]
syms = {}
for off in range(symtab[4], symtab[4] + symtab[5], symtab[9]):
    f = symfmt.unpack_from(ro, off)
    if is64:
        name, info, _, shndx, value, size = f
    else:
        name, value, size, info, _, shndx = f
    nm = ro[strtab[4] + name:ro.index(b"\0", strtab[4] + name)].decode()
    if nm:
        syms[nm] = (value, size, info >> 4, shndx)

for name, size in sorted(EXPECTED_SIZES.items()):
    s = syms.get(name)
    check(s is not None and s[2] == 1 and s[1] == size and s[3] == progbits[0],
          "symbol %s: global, in the PROGBITS section (settable), size %d (got %s)"
          % (name, size, s and s[1]))
for name in REQUIRED_LABELS:
    check(name in syms and syms[name][2] == 1, "symbol %s exported" % name)
check(syms.get("purgatory_start", (None,))[0] == e_entry and 0 < e_entry < sec[5],
      "e_entry 0x%x is purgatory_start, inside the executable section" % e_entry)
hdr = struct.unpack_from("<8s12I", image)


def image_offset(name):
    """A symbol's offset in the image: the scratch section starts at the next 4 KiB."""
    value, _, _, shndx = syms[name]
    return value + ((len(image) + 4095) & ~4095 if nobits and shndx == nobits[0] else 0)


check(hdr[6] == e_entry and hdr[9] == image_offset("kjump_params") and
      hdr[7] == image_offset("kjump_entry_from_a") and hdr[8] == image_offset("kjump_entry_from_b")
      and hdr[11] == image_offset("stack_end"),
      "the image header and the ELF symbols agree on every offset")
sys.exit(1 if failed else 0)
