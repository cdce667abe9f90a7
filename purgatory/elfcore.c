// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ELF core header that describes kernel A's memory to kernel B
 * (elfcorehdr=, read by B's /proc/vmcore). Purgatory never trusts it: before
 * every entry into B it checks the parts a reader relies on to walk it. A
 * header that fails is reported and B receives 0, which tells B there is no
 * usable core rather than handing it a pointer into garbage.
 */
#include <stddef.h>
#include "kjump.h"

#define EI_NIDENT	16
#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_CORE		4
#define EM_386		3
#define EM_X86_64	62
#define PN_XNUM		0xffff	/* real count elsewhere: not produced for cores we accept */

struct elf32_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

#define ELF32_PHDR_SIZE	32
#define ELF64_PHDR_SIZE	56
#define PT_NOTE		4

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* The fields both classes share, widened. */
struct ehdr_view {
	unsigned int class, machine, type, version;
	uint64_t phoff;
	unsigned int ehsize, phentsize, phnum;
};

static int read_view(const uint8_t *h, uint64_t size, struct ehdr_view *v)
{
	if (h[4] == ELFCLASS64) {
		const struct elf64_ehdr *e = (const void *)h;

		if (size < sizeof(*e))
			return 0;
		*v = (struct ehdr_view){ ELFCLASS64, e->e_machine, e->e_type,
			e->e_version, e->e_phoff, e->e_ehsize, e->e_phentsize,
			e->e_phnum };
		return 1;
	}
	if (h[4] == ELFCLASS32) {
		const struct elf32_ehdr *e = (const void *)h;

		if (size < sizeof(*e))
			return 0;
		*v = (struct ehdr_view){ ELFCLASS32, e->e_machine, e->e_type,
			e->e_version, e->e_phoff, e->e_ehsize, e->e_phentsize,
			e->e_phnum };
		return 1;
	}
	return 0;
}

/* NULL when the header is acceptable, else why not. */
static const char *why_bad(const uint8_t *h, uint64_t size)
{
	struct ehdr_view v;
	unsigned int want_ehsize, want_phentsize;

	if (size < EI_NIDENT)
		return "smaller than e_ident";
	if (h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F')
		return "bad ELF magic";
	if (h[5] != ELFDATA2LSB || h[6] != EV_CURRENT)
		return "not a little-endian ELF of version 1";
	if (!read_view(h, size, &v))
		return "unknown ELF class or truncated header";
#if defined(__x86_64__)
	if (v.class != ELFCLASS64 || v.machine != EM_X86_64)
		return "not an ELF64 x86_64 core";
#else
	/* kexec-tools writes ELF32 cores, or ELF64 ones for PAE memory. */
	if (v.machine != EM_386)
		return "not an i386 core";
#endif
	if (v.type != ET_CORE)
		return "e_type is not ET_CORE";
	if (v.version != EV_CURRENT)
		return "e_version is not 1";
	want_ehsize = v.class == ELFCLASS64 ? sizeof(struct elf64_ehdr) : sizeof(struct elf32_ehdr);
	want_phentsize = v.class == ELFCLASS64 ? ELF64_PHDR_SIZE : ELF32_PHDR_SIZE;
	if (v.ehsize != want_ehsize)
		return "e_ehsize does not match the class";
	if (v.phentsize != want_phentsize)
		return "e_phentsize does not match the class";
	if (v.phnum == 0 || v.phnum == PN_XNUM)
		return "no program headers (or extended numbering)";
	if (v.phoff < v.ehsize)
		return "program headers overlap the ELF header";
	/* phnum * phentsize < 2^22: no overflow in 64-bit arithmetic. */
	if (v.phoff > size || (uint64_t)v.phnum * v.phentsize > size - v.phoff)
		return "program headers run past the header's size";
	return 0;
}

uint64_t kj_check_elfcorehdr(uint64_t addr, uint64_t size)
{
	const char *why;

	if (!addr)
		return 0;	/* none configured: nothing to report */
	if (addr & (sizeof(unsigned long) - 1))
		why = "misaligned";
	else if (!kj_reachable(addr, size))
		why = "outside the memory purgatory can reach";
	else if (kj_overlaps_image(addr, size))
		why = "overlaps purgatory";
	else
		why = why_bad((const uint8_t *)(uintptr_t)addr, size);
	if (!why)
		return addr;
	kj_log("ELF core header at 0x%llx (size 0x%llx) rejected: %s; passing 0 to B",
	       (unsigned long long)addr, (unsigned long long)size, why);
	return 0;
}

/*
 * The index-th PT_NOTE of a header kj_check_elfcorehdr accepted: its file
 * offset, which in a core made for /proc/vmcore is the physical address of
 * the notes, and its size. 0 when there is no such entry.
 */
int kj_elfcore_note(uint64_t hdr, unsigned int index, uint64_t *addr, uint64_t *size)
{
	const uint8_t *h = (const uint8_t *)(uintptr_t)hdr;
	struct ehdr_view v;
	unsigned int i;

	if (!hdr || !read_view(h, sizeof(struct elf64_ehdr), &v))
		return 0;
	/* e_phoff need not be aligned: fields are read by copying them out. */
	for (i = 0; i < v.phnum; i++) {
		const uint8_t *ph = h + v.phoff + (uint64_t)i * v.phentsize;
		uint32_t type, off32, memsz32;

		__builtin_memcpy(&type, ph, sizeof(type));
		if (type != PT_NOTE || index--)
			continue;
		if (v.class == ELFCLASS64) {
			__builtin_memcpy(addr, ph + offsetof(struct elf64_phdr, p_offset), sizeof(*addr));
			__builtin_memcpy(size, ph + offsetof(struct elf64_phdr, p_memsz), sizeof(*size));
		} else {
			__builtin_memcpy(&off32, ph + offsetof(struct elf32_phdr, p_offset), sizeof(off32));
			__builtin_memcpy(&memsz32, ph + offsetof(struct elf32_phdr, p_memsz), sizeof(memsz32));
			*addr = off32;
			*size = memsz32;
		}
		return 1;
	}
	return 0;
}
