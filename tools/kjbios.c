// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjbios: BIOS calls in physical mode from a running Linux, through
 * purgatory loaded as a kexec-jump image (docs/bios.md, "As a kexec-jump
 * target").
 *
 *   kjbios load PURGATORY.BIN [options] e820     (the purgatory.bin of the
 *       arch kjbios is built for: x86_64, or i386 with gcc -m32)
 *       writes a list of BIOS calls (an E820 walk) into physical memory at
 *       --list through /dev/mem, and loads purgatory.bin with kexec_load(2)
 *       and KEXEC_PRESERVE_CONTEXT, in BIOS-list mode. `kexec -e` then runs
 *       the calls in physical mode and returns; purgatory prints each call
 *       on its serial console.
 *   kjbios show [--list ADDR]
 *       reads the list back through /dev/mem and prints the results.
 *
 * Options (physical addresses; the defaults are inside the first 64 KiB,
 * which Linux on x86 reserves and never uses, see docs/bios.md). The list
 * must also be outside System RAM for /dev/mem to reach it under
 * CONFIG_STRICT_DEVMEM (the x86 default): boot with memmap=8K$0xc000.
 *   --list ADDR    list and results, 8 KiB     (default 0xc000)
 *   --area ADDR    purgatory's real-mode area  (default 0x8000, 12 KiB)
 *   --bounce ADDR  the E820 bounce buffer      (default 0xb000, 64 bytes)
 *   --at ADDR      where purgatory is loaded   (default 0x10000000)
 *   --serial PORT  purgatory's console UART    (default 0x3f8; 0 = none)
 *
 * Exit status: 0 done; 1 a system call or the list failed; 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <kjump/abi.h>
#include <kjump/bios.h>
#include <kjump/params.h>

#define LIST_BYTES	0x2000u
#define E820_CALLS	32u
#define E820_ENTRY	24u
#define SMAP		0x534d4150u
#define KEXEC_PRESERVE_CONTEXT	0x00000002

/* The purgatory.bin this build loads: the arch kjbios itself runs on, whose
 * kernel enters purgatory (a 32-bit kernel cannot start a 64-bit image). */
#if defined(__x86_64__)
#define KJBIOS_ARCH		KJ_ARCH_X86_64
#define KJBIOS_ARCH_NAME	"x86_64"
#elif defined(__i386__)
#define KJBIOS_ARCH		KJ_ARCH_I386
#define KJBIOS_ARCH_NAME	"i386"
#else
#error "kjbios runs on x86_64 or i386"
#endif

struct kexec_segment {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static struct {
	unsigned long list, area, bounce, at;
	unsigned int serial;
} opt = { 0xc000, 0x8000, 0xb000, 0x10000000, 0x3f8 };

static int usage(void)
{
	fprintf(stderr, "usage: kjbios load PURGATORY.BIN [--list A] [--area A] [--bounce A] "
			"[--at A] [--serial PORT] e820\n"
			"       kjbios show [--list A]\n");
	return 2;
}

static int mem_io(int write, unsigned long addr, void *buf, size_t len)
{
	int fd = open("/dev/mem", (write ? O_RDWR : O_RDONLY) | O_SYNC);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "kjbios: /dev/mem: %s (needs CONFIG_DEVMEM and root)\n",
			strerror(errno));
		return -1;
	}
	n = write ? pwrite(fd, buf, len, (off_t)addr) : pread(fd, buf, len, (off_t)addr);
	close(fd);
	if (n != (ssize_t)len) {
		fprintf(stderr, "kjbios: /dev/mem %s of %zu bytes at 0x%lx: %s\n",
			write ? "write" : "read", len, addr, n < 0 ? strerror(errno) : "short");
		return -1;
	}
	return 0;
}

/* The E820 walk: one call, then continuations until the BIOS says the end. */
static size_t build_e820_list(uint8_t *page)
{
	struct kjump_bios_list *l = (struct kjump_bios_list *)page;
	unsigned long data = opt.list + sizeof(*l) + E820_CALLS * sizeof(l->calls[0]);
	unsigned int i;

	memset(page, 0, LIST_BYTES);
	l->magic = KJ_BIOS_LIST_MAGIC;
	l->count = E820_CALLS;
	for (i = 0; i < E820_CALLS; i++) {
		struct kjump_bios_call *c = &l->calls[i];

		c->magic = KJ_BIOS_MAGIC;
		c->size = sizeof(*c);
		c->vector = 0x15;
		c->flags = KJ_BIOS_ESDI_BOUNCE | (i ? KJ_BIOS_CONTINUE : 0);
		c->area = (uint32_t)opt.area;
		c->bounce = (uint32_t)opt.bounce;
		c->bounce_size = 64;
		c->data = data + i * E820_ENTRY;
		c->data_size = E820_ENTRY;
		c->in.eax = 0xe820;
		c->in.ecx = E820_ENTRY;
		c->in.edx = SMAP;
	}
	return (size_t)(data + E820_CALLS * E820_ENTRY - opt.list);
}

static int load(const char *path)
{
	static uint8_t page[LIST_BYTES];
	struct kjump_header hdr;
	struct kjump_params *p;
	struct kexec_segment seg;
	uint8_t *image;
	size_t size, list_size;
	long rc;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "kjbios: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	rewind(f);
	image = calloc(1, (size + 4095) & ~4095ul);
	if (!image || fread(image, 1, size, f) != size) {
		fprintf(stderr, "kjbios: cannot read %s\n", path);
		return 1;
	}
	fclose(f);
	memcpy(&hdr, image, sizeof(hdr));
	if (memcmp(hdr.magic, KJ_HEADER_MAGIC, 8) || hdr.abi_version != KJ_ABI_VERSION ||
	    hdr.arch != KJBIOS_ARCH || hdr.params_size != sizeof(*p) ||
	    hdr.params + hdr.params_size > size) {
		fprintf(stderr, "kjbios: %s is not an %s purgatory.bin of ABI %u\n", path,
			KJBIOS_ARCH_NAME, KJ_ABI_VERSION);
		return 1;
	}
	if (opt.at & (KJ_IMAGE_ALIGN - 1)) {
		fprintf(stderr, "kjbios: --at 0x%lx is not 4 KiB aligned\n", opt.at);
		return 2;
	}

	list_size = build_e820_list(page);
	if (list_size > LIST_BYTES || mem_io(1, opt.list, page, list_size))
		return 1;
	{
		/* STRICT_DEVMEM drops writes to System RAM below 1 MiB without an error. */
		static uint8_t back[LIST_BYTES];

		if (mem_io(0, opt.list, back, list_size))
			return 1;
		if (memcmp(back, page, list_size)) {
			fprintf(stderr, "kjbios: the list did not stick at 0x%lx: /dev/mem hides System "
					"RAM (CONFIG_STRICT_DEVMEM); reserve the range, e.g. boot with "
					"memmap=8K$0x%lx\n", opt.list, opt.list);
			return 1;
		}
	}

	p = (struct kjump_params *)(image + hdr.params);
	p->flags |= KJ_FLAG_BIOS_LIST;
	p->bios_list = opt.list;
	p->console_serial = opt.serial != 0;
	p->serial_base = (uint16_t)opt.serial;

	seg = (struct kexec_segment){ image, size, (const void *)opt.at, (size + 4095) & ~4095ul };
	rc = syscall(SYS_kexec_load, opt.at + hdr.entry_start, 1ul, &seg,
		     (unsigned long)KEXEC_PRESERVE_CONTEXT);
	if (rc) {
		fprintf(stderr, "kjbios: kexec_load: %s\n", strerror(errno));
		return 1;
	}
	printf("kjbios: loaded %s at 0x%lx (entry 0x%lx) with %u E820 calls listed at 0x%lx; "
	       "run them with kexec -e\n", path, opt.at, opt.at + hdr.entry_start, E820_CALLS,
	       opt.list);
	return 0;
}

static int show(void)
{
	static uint8_t page[LIST_BYTES];
	struct kjump_bios_list *l = (struct kjump_bios_list *)page;
	unsigned int i;

	if (mem_io(0, opt.list, page, LIST_BYTES))
		return 1;
	if (l->magic != KJ_BIOS_LIST_MAGIC || l->count > KJ_BIOS_LIST_MAX) {
		fprintf(stderr, "kjbios: no BIOS list at 0x%lx\n", opt.list);
		return 1;
	}
	printf("kjbios: list at 0x%lx: runs %llu, %u of %u calls ran, status %d\n", opt.list,
	       (unsigned long long)l->runs, l->done, l->count, l->status);
	for (i = 0; i < l->done; i++) {
		const struct kjump_bios_call *c = &l->calls[i];
		uint64_t base, len;
		uint32_t type;
		uint8_t e[E820_ENTRY];

		printf("kjbios: call %u: int 0x%02x eax 0x%x -> status %d cf %u eax 0x%x ebx 0x%x "
		       "ecx 0x%x\n", i + 1, c->vector, c->in.eax, c->status, c->carry, c->out.eax,
		       c->out.ebx, c->out.ecx);
		if (c->status || c->carry || c->out.eax != SMAP ||
		    c->data < opt.list || c->data + E820_ENTRY > opt.list + LIST_BYTES)
			continue;
		memcpy(e, page + (c->data - opt.list), sizeof(e));
		memcpy(&base, e, 8);
		memcpy(&len, e + 8, 8);
		memcpy(&type, e + 16, 4);
		printf("kjbios: e820 0x%llx-0x%llx type %u\n", (unsigned long long)base,
		       (unsigned long long)(base + len - 1), type);
	}
	return l->status == KJ_OK && l->done ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *cmd, *image = 0, *what = 0;
	int i;

	/* One write per line: the test's init sends stdout to /dev/kmsg, one record a write. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	cmd = argv[1];
	for (i = 2; i < argc; i++) {
		unsigned long *val = 0;

		if (!strcmp(argv[i], "--list"))
			val = &opt.list;
		else if (!strcmp(argv[i], "--area"))
			val = &opt.area;
		else if (!strcmp(argv[i], "--bounce"))
			val = &opt.bounce;
		else if (!strcmp(argv[i], "--at"))
			val = &opt.at;
		else if (!strcmp(argv[i], "--serial")) {
			if (++i == argc)
				return usage();
			opt.serial = (unsigned int)strtoul(argv[i], 0, 0);
			continue;
		} else if (!image && !strcmp(cmd, "load")) {
			image = argv[i];
			continue;
		} else if (!what) {
			what = argv[i];
			continue;
		} else {
			return usage();
		}
		if (++i == argc)
			return usage();
		*val = strtoul(argv[i], 0, 0);
	}
	if (!strcmp(cmd, "load") && image && what && !strcmp(what, "e820"))
		return load(image);
	if (!strcmp(cmd, "show") && !image && !what)
		return show();
	return usage();
}
