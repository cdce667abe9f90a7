// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel A's loader half (loader.h): what kexec-tools and Linux do with a
 * preserve-context image before and around kexec -e. It copies purgatory
 * and B to their source pages, fills in purgatory's parameter block as
 * kexec-tools would (registers, command line, digest, ELF core header,
 * kexec-tools' other options) and swaps the image in and out like Linux's
 * swap_pages. kernel_a.c is the suite that runs on top of it.
 */
#include <kjump/abi.h>
#include "testbed.h"
#include "loader.h"
#include "../../../../lib/printf.h"
#include "../../../../lib/sha256.h"
#include "../../../../lib/string.h"
#include "../../../../lib/io.h"

extern const uint8_t purgatory_blob[], purgatory_blob_end[];
extern const uint8_t kernel_b_blob[], kernel_b_blob_end[];

struct a_config cfg = { 0x1000000ul, 61, 1000, "suite", 0, 0 };


unsigned long image_size;	/* rounded up to a word */
struct kjump_header hdr;		/* copy of purgatory's header */
int verbose;

/* A's ELF core header: what B would read as /proc/vmcore. */
struct core_hdr core_hdr __attribute__((aligned(16)));
/* What the PT_NOTE points at: empty, as a kernel that has not crashed leaves it. */
uint8_t crash_note[CRASH_NOTE_BYTES] __attribute__((aligned(16)));

void build_core_hdr(void)
{
	memset(&core_hdr, 0, sizeof(core_hdr));
	memcpy(core_hdr.e.ident, "\177ELF", 4);
	core_hdr.e.ident[4] = CORE_CLASS;
	core_hdr.e.ident[5] = 1;	/* little-endian */
	core_hdr.e.ident[6] = 1;	/* EV_CURRENT */
	core_hdr.e.type = 4;		/* ET_CORE */
	core_hdr.e.machine = CORE_MACHINE;
	core_hdr.e.version = 1;
	core_hdr.e.phoff = offsetof(struct core_hdr, ph);
	core_hdr.e.ehsize = sizeof(core_hdr.e);
	core_hdr.e.phentsize = sizeof(core_hdr.ph[0]);
	core_hdr.e.phnum = 2;
	core_hdr.ph[0].type = 4;	/* PT_NOTE: A's CPU note, empty */
	core_hdr.ph[0].offset = core_hdr.ph[0].paddr = (unsigned long)crash_note;
	core_hdr.ph[0].memsz = sizeof(crash_note);
	core_hdr.ph[1].type = 1;	/* PT_LOAD: A's memory below B */
	core_hdr.ph[1].paddr = 0x100000;
	core_hdr.ph[1].filesz = core_hdr.ph[1].memsz = B_BASE - 0x100000;
}

void corrupt_core_hdr(enum hdr_corruption how)
{
	build_core_hdr();
	if (how == HDR_BAD_MAGIC)
		core_hdr.e.ident[1] = 'X';
	else if (how == HDR_NO_PHDRS)
		core_hdr.e.phnum = 0;
	else if (how == HDR_PHOFF_OUT_OF_BOUNDS)
		core_hdr.e.phoff = 0x7ffffff0;
	else if (how == HDR_PHDRS_OVERRUN)
		core_hdr.e.phnum = 200;
}

/* --- memory of the "image", swapped like Linux's swap_pages ------------- */

struct kjump_params *params_in_src(void)
{
	return (struct kjump_params *)(SRC_PURG + hdr.params);
}

struct b_mailbox *mailbox_in_src(void)
{
	return (struct b_mailbox *)(SRC_B + B_MAILBOX_OFF);
}

static void swap_words(unsigned long a, unsigned long b, unsigned long len)
{
	unsigned long *x = (unsigned long *)a, *y = (unsigned long *)b;
	unsigned long n;

	for (n = 0; n < len / sizeof(long); n++) {
		unsigned long t = x[n];

		x[n] = y[n];
		y[n] = t;
	}
}

/* In before a jump, out after it: the destination pages hold A's own data
 * whenever A runs, and purgatory's state rides along in SRC. */
void swap_image(void)
{
	swap_words(cfg.load, SRC_PURG, image_size);
	swap_words(B_BASE, SRC_B, B_SIZE);
}

static unsigned long displaced_word(unsigned long addr)
{
	return addr * 0x9e3779b1ul ^ 0xa5a5a5a5ul;
}

/* A's own data that the image displaces; must survive every swap. */
void fill_displaced(void)
{
	unsigned long a;

	for (a = cfg.load; a < cfg.load + image_size; a += sizeof(long))
		*(unsigned long *)a = displaced_word(a);
	for (a = B_BASE; a < B_BASE + B_SIZE; a += sizeof(long))
		*(unsigned long *)a = displaced_word(a);
}

void check_displaced(void)
{
	unsigned long a;

	for (a = cfg.load; a < cfg.load + image_size; a += sizeof(long))
		if (*(unsigned long *)a != displaced_word(a)) {
			fail("A's data under purgatory changed at 0x%lx", a);
			return;
		}
	for (a = B_BASE; a < B_BASE + B_SIZE; a += sizeof(long))
		if (*(unsigned long *)a != displaced_word(a)) {
			fail("A's data under B changed at 0x%lx", a);
			return;
		}
}

/* --- set-up --------------------------------------------------------------- */

void parse_cmdline(const char *s)
{
	while (*s) {
		const char *v;
		unsigned long n = 0;

		while (*s == ' ')
			s++;
		if (!memcmp(s, "mode=", 5)) {
			unsigned int i = 0;

			for (s += 5; *s && *s != ' ' && i < sizeof(cfg.mode) - 1; s++)
				cfg.mode[i++] = *s;
			cfg.mode[i] = 0;
			continue;
		}
		v = s;
		while (*v && *v != '=' && *v != ' ')
			v++;
		if (*v == '=') {
			const char *p = v + 1;
			unsigned int base = 10;

			if (p[0] == '0' && p[1] == 'x') {
				base = 16;
				p += 2;
			}
			for (; *p && *p != ' '; p++)
				n = n * base + (unsigned long)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
			if (!memcmp(s, "load=", 5))
				cfg.load = n;
			else if (!memcmp(s, "conv=", 5))
				cfg.conv = n;
			else if (!memcmp(s, "rounds=", 7))
				cfg.rounds = n;
			else if (!memcmp(s, "entry16=", 8))
				cfg.entry16 = n;
			else if (!memcmp(s, "spread=", 7))
				cfg.spread = n;
			s = p;
		} else {
			s = v;
		}
	}
}

void set_boot_regs(struct kjump_params *p, unsigned long cmdline)
{
#if defined(__x86_64__)
	uint64_t *r = (uint64_t *)&p->entry64_regs;
	unsigned int i;

	for (i = 0; i < 16; i++)
		r[i] = BOOT_REG(i);
	p->entry64_regs.rsi = cmdline;	/* where a bzImage finds boot_params */
	p->entry64_regs.rsp = B_BOOT_STACK;
	p->entry64_regs.rip = B_BASE;
#else
	uint32_t *r = (uint32_t *)&p->entry32_regs;
	unsigned int i;

	for (i = 0; i < 8; i++)
		r[i] = BOOT_REG(i);
	p->entry32_regs.esi = cmdline;
	p->entry32_regs.esp = B_BOOT_STACK;
	p->entry32_regs.eip = B_BASE;
#endif
}

void set_boot_ip(struct kjump_params *p, unsigned long ip)
{
#if defined(__x86_64__)
	p->entry64_regs.rip = ip;
#else
	p->entry32_regs.eip = ip;
#endif
}

void set_boot_sp(struct kjump_params *p, unsigned long sp)
{
#if defined(__x86_64__)
	p->entry64_regs.rsp = sp;
#else
	p->entry32_regs.esp = sp;
#endif
}

/*
 * What kexec-tools does for its purgatory: list the loaded segments (here
 * B's image and its command line, as they will be once swapped in) and
 * their SHA-256. The source pages hold exactly those bytes now.
 */
void set_digest(struct kjump_params *p, unsigned long bsize, unsigned long cmdline_len)
{
	struct sha256_ctx ctx;

	memset(p->sha256_regions, 0, sizeof(p->sha256_regions));
	p->sha256_regions[0].start = B_BASE;
	p->sha256_regions[0].len = bsize;
	p->sha256_regions[1].start = B_BASE + B_CMDLINE_OFF;
	p->sha256_regions[1].len = cmdline_len;
	sha256_init(&ctx);
	sha256_update(&ctx, (const void *)SRC_B, bsize);
	sha256_update(&ctx, (const void *)(SRC_B + B_CMDLINE_OFF), cmdline_len);
	sha256_final(&ctx, p->sha256_digest);
	p->skip_checks = 0;
}

/*
 * kexec-tools' other purgatory options, all on: the crash backup copy
 * (panic_kernel), the VGA text console and a VGA reset to mode 3. The VGA
 * is first put in a state mode 3 does not have, so the reset shows.
 */
uint8_t backup_src[4096] __attribute__((aligned(4096)));
uint8_t backup_dst[4096] __attribute__((aligned(4096)));

const uint8_t crtc_mode3[25] = {
	0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00,
	0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
};

void kexec_tools_extras_on(struct kjump_params *p)
{
	unsigned int i;

	for (i = 0; i < sizeof(backup_src); i++)
		backup_src[i] = (uint8_t)(i * 7 + 3);
	memset(backup_dst, 0, sizeof(backup_dst));
	p->panic_kernel = 1;
	p->backup_src_start = (unsigned long)backup_src;
	p->backup_start = (unsigned long)backup_dst;
	p->backup_src_size = sizeof(backup_src);
	p->console_vga = 1;
#ifndef KJ_EFI
	/*
	 * Not under OVMF: there QEMU's VGA runs the firmware's framebuffer
	 * through its VBE extension, which ignores CRTC 0-7 writes, so no
	 * register-level reset (kexec-tools' or ours) gets text mode back.
	 */
	p->reset_vga = 1;
#endif
	outb(0x3c2, 0x63);			/* misc output: mode 3 has 0x67 */
	outb(0x3d4, 0x11);
	outb(0x3d5, inb(0x3d5) & 0x7f);	/* unlock CRTC 0-7 */
	outb(0x3d4, 0x04);
	outb(0x3d5, 0x12);			/* horizontal retrace start: mode 3 has 0x55 */
}

/* Copy purgatory and B to their source pages and fill in the parameters. */
void stage(void)
{
	unsigned long blob = (unsigned long)(purgatory_blob_end - purgatory_blob);
	unsigned long bsize = (unsigned long)(kernel_b_blob_end - kernel_b_blob);
	struct kjump_params *p;
	struct b_mailbox *mb;
	char *cmdline;

	memcpy(&hdr, purgatory_blob, sizeof(hdr));
	image_size = (hdr.image_size + sizeof(long) - 1) & ~(sizeof(long) - 1);

	/*
	 * The scratch past the file (stack, page tables) is not zeroed by a
	 * loader, and purgatory must not need it to be: fill it with a pattern.
	 */
	memset((void *)SRC_PURG, 0xa5, PURG_MAX);
	memcpy((void *)SRC_PURG, purgatory_blob, blob);
	memset((void *)SRC_B, 0, B_SIZE);
	memcpy((void *)SRC_B, kernel_b_blob, bsize);

	build_core_hdr();
	cmdline = (char *)(SRC_B + B_CMDLINE_OFF);
	kj_snprintf(cmdline, B_CMDLINE_MAX - 64, "kjtest-b conv=%lu verbose=%d elfcorehdr=0x%lx",
		    cfg.conv, verbose, (unsigned long)&core_hdr);
	mb = mailbox_in_src();
	mb->magic = B_MAILBOX_MAGIC;
	mb->command = B_CMD_CONTINUE;
	mb->expected_entry = cfg.load + hdr.entry_from_b;
	mb->a_reentry = (unsigned long)kexec_jump_reentry;
	mb->crash_note = (unsigned long)crash_note;
	/* Below B's boot %sp: the return label (x86_64), or label and argument (i386). */
	mb->boot_sp_expected = B_BOOT_STACK - 8;

	p = params_in_src();
	p->console_serial = 1;
	p->serial_base = SERIAL_PORT;
	p->serial_baud = 0;		/* keep A's UART settings */
	p->debug_exit_port = DEBUG_EXIT_PORT;
	p->elfcorehdr = (unsigned long)&core_hdr;
	p->elfcorehdr_size = sizeof(core_hdr);
	p->cmdline_end = B_BASE + B_CMDLINE_OFF + strlen(cmdline);
	p->flags = verbose ? KJ_FLAG_TRACE : 0;
	set_boot_regs(p, B_BASE + B_CMDLINE_OFF);
	set_digest(p, bsize, strlen(cmdline));
	kexec_tools_extras_on(p);

	fill_displaced();
}
