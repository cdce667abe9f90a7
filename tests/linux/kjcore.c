// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjcore: kernel B's look at kernel A's core, for the real-kernel test.
 *
 *   kjcore CORE PREFIX
 *   kjcore dump CORE PADDR LEN
 *
 * Reads the ELF core (B's /proc/vmcore), checks that it is an x86 ET_CORE
 * (ELF64 x86_64, or ELF32 i386 for a 32-bit A),
 * reports its notes (purgatory writes A's registers as NT_PRSTATUS) and
 * its PT_LOAD ranges, then searches A's memory for PREFIX followed by 16
 * hex digits: a marker A wrote before the jump with a value B cannot know.
 * Prints "KJT B: ..." lines for the host to check. Exit status: 0 marker
 * found, 1 not found, 2 not a usable core.
 *
 * The second form writes the LEN bytes at physical address PADDR, as the
 * core's PT_LOAD segments hold them, to standard output: B reads A's low
 * memory in /proc/vmcore with it, and each kernel its own in /proc/kcore
 * (whose RAM segments carry physical addresses too). Exit status 1 (and a
 * line on stderr) when the range is not wholly in the core's segments.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1u << 20)

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* The marker in [buf, buf+len), or NULL. */
static const char *find_marker(const char *buf, size_t len, const char *prefix, size_t plen)
{
	const char *p = buf, *end = buf + len;

	while ((p = memmem(p, end - p, prefix, plen)) != NULL) {
		if ((size_t)(end - p) >= plen + 16 && is_hex(p + plen, 16))
			return p;
		p++;
	}
	return NULL;
}

/* A program header of either class, widened. */
struct phdr {
	unsigned long long type, offset, paddr, filesz, memsz;
};

/*
 * The core's header and program headers: ELF64 x86_64 (a 64-bit A) or
 * ELF32 i386 (kexec-tools' default for a 32-bit A). Returns the number of
 * program headers read into *out (and whether it is ELF64 in *is64), or -1
 * with a KJT line saying why.
 */
static int read_core_headers(int fd, struct phdr **out, const char **what, int *is64)
{
	unsigned char ident[EI_NIDENT];
	unsigned long long phoff;
	unsigned int phnum, phentsize;
	struct phdr *ph;
	char *raw;

	if (pread(fd, ident, sizeof(ident), 0) != sizeof(ident) || memcmp(ident, ELFMAG, SELFMAG)) {
		printf("KJT B: vmcore is not ELF\n");
		return -1;
	}
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || eh.e_type != ET_CORE ||
		    eh.e_machine != EM_X86_64 || eh.e_phentsize != sizeof(Elf64_Phdr))
			goto bad;
		phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
		*what = "ELF64 x86_64";
	} else if (ident[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || eh.e_type != ET_CORE ||
		    eh.e_machine != EM_386 || eh.e_phentsize != sizeof(Elf32_Phdr))
			goto bad;
		phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
		*what = "ELF32 i386";
	} else {
		goto bad;
	}
	*is64 = ident[EI_CLASS] == ELFCLASS64;
	ph = calloc(phnum, sizeof(*ph));
	raw = malloc((size_t)phnum * phentsize);
	if (!ph || !raw || pread(fd, raw, (size_t)phnum * phentsize, phoff) !=
			   (ssize_t)((size_t)phnum * phentsize)) {
		printf("KJT B: vmcore program headers unreadable\n");
		return -1;
	}
	for (unsigned int i = 0; i < phnum; i++) {
		if (ident[EI_CLASS] == ELFCLASS64) {
			const Elf64_Phdr *p = (const Elf64_Phdr *)raw + i;

			ph[i] = (struct phdr){ p->p_type, p->p_offset, p->p_paddr, p->p_filesz, p->p_memsz };
		} else {
			const Elf32_Phdr *p = (const Elf32_Phdr *)raw + i;

			ph[i] = (struct phdr){ p->p_type, p->p_offset, p->p_paddr, p->p_filesz, p->p_memsz };
		}
	}
	free(raw);
	*out = ph;
	return (int)phnum;
bad:
	printf("KJT B: vmcore is not an x86 ET_CORE (ELF64 x86_64 or ELF32 i386)\n");
	return -1;
}

/*
 * struct elf_prstatus: its size, where pr_reg starts, and the instruction
 * and stack pointers' word indexes in pr_reg (user_regs_struct), per class.
 */
static void print_note(const Elf64_Nhdr *nh, const char *name, const unsigned char *desc, int is64)
{
	if (nh->n_type == NT_PRSTATUS && is64 && nh->n_descsz == 336) {
		const unsigned long long *reg = (const void *)(desc + 112);

		printf("KJT B: vmcore note %.*s NT_PRSTATUS ip=0x%llx sp=0x%llx\n",
		       (int)nh->n_namesz - 1, name, reg[16], reg[19]);
	} else if (nh->n_type == NT_PRSTATUS && !is64 && nh->n_descsz == 144) {
		const unsigned int *reg = (const void *)(desc + 72);

		printf("KJT B: vmcore note %.*s NT_PRSTATUS ip=0x%x sp=0x%x\n",
		       (int)nh->n_namesz - 1, name, reg[12], reg[15]);
	} else {
		printf("KJT B: vmcore note %.*s type %u\n", (int)nh->n_namesz - 1, name, nh->n_type);
	}
}

/* kjcore dump CORE PADDR LEN: the bytes at [PADDR, PADDR + LEN). */
static int dump(const char *core, unsigned long long pa, unsigned long long len)
{
	struct phdr *ph;
	const char *what;
	int fd = open(core, O_RDONLY), phnum, is64;
	char *buf = malloc(CHUNK);

	if (fd < 0 || !buf) {
		perror(core);
		return 2;
	}
	phnum = read_core_headers(fd, &ph, &what, &is64);
	if (phnum < 0)
		return 2;
	while (len) {
		int i;

		for (i = 0; i < phnum; i++)
			if (ph[i].type == PT_LOAD && pa >= ph[i].paddr && pa - ph[i].paddr < ph[i].filesz)
				break;
		if (i == phnum) {
			fprintf(stderr, "kjcore: 0x%llx is in no load segment of %s\n", pa, core);
			return 1;
		}
		{
			unsigned long long in = ph[i].filesz - (pa - ph[i].paddr);
			size_t want = len < in ? len : in;
			ssize_t got;

			if (want > CHUNK)
				want = CHUNK;
			got = pread(fd, buf, want, ph[i].offset + (pa - ph[i].paddr));
			if (got <= 0 || fwrite(buf, 1, got, stdout) != (size_t)got) {
				fprintf(stderr, "kjcore: reading 0x%llx of %s failed\n", pa, core);
				return 2;
			}
			pa += got;
			len -= got;
		}
	}
	return fflush(stdout) ? 2 : 0;
}

int main(int argc, char **argv)
{
	struct phdr *ph;
	const char *prefix, *what = NULL;
	size_t plen, keep;
	char *buf;
	int fd, phnum, is64 = 0, notes = 0, loads = 0;

	/* One write per line: the test's init sends stdout to /dev/kmsg, one record a write. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "dump"))
		return dump(argv[2], strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	if (argc != 3) {
		fprintf(stderr, "usage: kjcore CORE PREFIX | kjcore dump CORE PADDR LEN\n");
		return 2;
	}
	prefix = argv[2];
	plen = strlen(prefix);
	keep = plen + 16;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	phnum = read_core_headers(fd, &ph, &what, &is64);
	buf = malloc(CHUNK + keep);
	if (phnum < 0 || !buf)
		return 2;
	for (int i = 0; i < phnum; i++) {
		if (ph[i].type == PT_NOTE) {
			unsigned char *n = malloc(ph[i].filesz);
			size_t off = 0;

			if (!n || pread(fd, n, ph[i].filesz, ph[i].offset) != (ssize_t)ph[i].filesz)
				return 2;
			/* Elf32_Nhdr and Elf64_Nhdr are the same three 32-bit words. */
			while (off + sizeof(Elf64_Nhdr) <= ph[i].filesz) {
				Elf64_Nhdr *nh = (Elf64_Nhdr *)(n + off);
				const char *name = (const char *)(nh + 1);
				size_t desc = off + sizeof(*nh) + ((nh->n_namesz + 3) & ~3u);

				if (!nh->n_namesz || desc + nh->n_descsz > ph[i].filesz)
					break;
				notes++;
				print_note(nh, name, n + desc, is64);
				off = desc + ((nh->n_descsz + 3) & ~3u);
			}
			free(n);
		}
	}
	for (int i = 0; i < phnum; i++)
		if (ph[i].type == PT_LOAD) {
			loads++;
			printf("KJT B: vmcore load 0x%llx-0x%llx\n", ph[i].paddr,
			       ph[i].paddr + ph[i].memsz - 1);
		}
	printf("KJT B: vmcore is an %s core with %d note(s) and %d load segment(s)\n",
	       what, notes, loads);
	fflush(stdout);
	for (int i = 0; i < phnum; i++) {
		unsigned long long done = 0;
		size_t carried = 0;

		if (ph[i].type != PT_LOAD)
			continue;
		while (done < ph[i].filesz) {
			size_t want = ph[i].filesz - done < CHUNK ? ph[i].filesz - done : CHUNK;
			ssize_t got = pread(fd, buf + carried, want, ph[i].offset + done);
			const char *m;

			if (got <= 0) {
				printf("KJT B: vmcore read failed at 0x%llx\n", ph[i].paddr + done);
				return 2;
			}
			m = find_marker(buf, carried + got, prefix, plen);
			if (m) {
				unsigned long long pa = ph[i].paddr + done - carried + (m - buf);

				printf("KJT B: vmcore marker %.*s at 0x%llx\n", (int)keep, m, pa);
				return 0;
			}
			/* Keep the tail: a marker may straddle two chunks. */
			{
				size_t total = carried + got, tail = total < keep ? total : keep;

				memmove(buf, buf + total - tail, tail);
				carried = tail;
			}
			done += got;
		}
	}
	printf("KJT B: vmcore marker not found\n");
	return 1;
}
