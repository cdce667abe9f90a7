// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjcore: kernel B's look at kernel A's core, for the real-kernel test.
 *
 *   kjcore CORE PREFIX
 *
 * Reads the ELF core (B's /proc/vmcore), checks that it is an x86 ET_CORE,
 * reports its notes (purgatory writes A's registers as NT_PRSTATUS) and
 * its PT_LOAD ranges, then searches A's memory for PREFIX followed by 16
 * hex digits: a marker A wrote before the jump with a value B cannot know.
 * Prints "KJT B: ..." lines for the host to check. Exit status: 0 marker
 * found, 1 not found, 2 not a usable core.
 */
#define _GNU_SOURCE
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

int main(int argc, char **argv)
{
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	const char *prefix;
	size_t plen, keep;
	char *buf;
	int fd, notes = 0, loads = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: kjcore CORE PREFIX\n");
		return 2;
	}
	prefix = argv[2];
	plen = strlen(prefix);
	keep = plen + 16;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh)) {
		perror(argv[1]);
		return 2;
	}
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_type != ET_CORE || eh.e_machine != EM_X86_64 || eh.e_phentsize != sizeof(*ph)) {
		printf("KJT B: vmcore is not an ELF64 x86_64 ET_CORE\n");
		return 2;
	}
	ph = calloc(eh.e_phnum, sizeof(*ph));
	buf = malloc(CHUNK + keep);
	if (!ph || !buf || pread(fd, ph, eh.e_phnum * sizeof(*ph), eh.e_phoff) !=
			   (ssize_t)(eh.e_phnum * sizeof(*ph))) {
		printf("KJT B: vmcore program headers unreadable\n");
		return 2;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_NOTE) {
			char *n = malloc(ph[i].p_filesz);
			size_t off = 0;

			if (!n || pread(fd, n, ph[i].p_filesz, ph[i].p_offset) != (ssize_t)ph[i].p_filesz)
				return 2;
			while (off + sizeof(Elf64_Nhdr) <= ph[i].p_filesz) {
				Elf64_Nhdr *nh = (Elf64_Nhdr *)(n + off);
				const char *name = (const char *)(nh + 1);
				size_t desc = off + sizeof(*nh) + ((nh->n_namesz + 3) & ~3u);

				if (!nh->n_namesz)
					break;
				notes++;
				if (nh->n_type == NT_PRSTATUS && nh->n_descsz == 336 &&
				    desc + 336 <= ph[i].p_filesz) {
					/* pr_reg at 112: rip is word 16, rsp word 19 */
					const unsigned long long *reg = (const void *)(n + desc + 112);

					printf("KJT B: vmcore note %.*s NT_PRSTATUS rip=0x%llx rsp=0x%llx\n",
					       (int)nh->n_namesz - 1, name, reg[16], reg[19]);
				} else {
					printf("KJT B: vmcore note %.*s type %u\n",
					       (int)nh->n_namesz - 1, name, nh->n_type);
				}
				off = desc + ((nh->n_descsz + 3) & ~3u);
			}
			free(n);
		}
	}
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			loads++;
			printf("KJT B: vmcore load 0x%llx-0x%llx\n", (unsigned long long)ph[i].p_paddr,
			       (unsigned long long)(ph[i].p_paddr + ph[i].p_memsz - 1));
		}
	printf("KJT B: vmcore is an ELF64 x86_64 core with %d note(s) and %d load segment(s)\n",
	       notes, loads);
	fflush(stdout);
	for (int i = 0; i < eh.e_phnum; i++) {
		unsigned long long done = 0;
		size_t carried = 0;

		if (ph[i].p_type != PT_LOAD)
			continue;
		while (done < ph[i].p_filesz) {
			size_t want = ph[i].p_filesz - done < CHUNK ? ph[i].p_filesz - done : CHUNK;
			ssize_t got = pread(fd, buf + carried, want, ph[i].p_offset + done);
			const char *m;

			if (got <= 0) {
				printf("KJT B: vmcore read failed at 0x%llx\n",
				       (unsigned long long)(ph[i].p_paddr + done));
				return 2;
			}
			m = find_marker(buf, carried + got, prefix, plen);
			if (m) {
				unsigned long long pa = ph[i].p_paddr + done - carried + (m - buf);

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
