/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test kernels' shared view of memory and of each other.
 *
 * Physical layout (both arches):
 *   0x00100000  kernel A (code, data, stacks, its ELF core header)
 *   0x02000000  kernel B's whole memory (B_SIZE): code, stacks, page tables,
 *               command line, mailbox
 *   0x03000000  SRC: where A keeps purgatory's and B's pages while A runs
 *   load=       purgatory (from the command line; several are tested)
 *
 * Like Linux with a preserve-context image, A swaps the destination pages
 * (purgatory and B's memory) with their source copies at every jump and
 * again when it is resumed: while A runs, those addresses hold A's own data
 * and purgatory's state sits in A's SRC pages.
 */
#ifndef KJ_TESTBED_H
#define KJ_TESTBED_H

#include <stdint.h>
#include <stddef.h>
#include <kjump/params.h>

#define B_BASE		0x02000000ul
#define B_SIZE		0x00040000ul
#define B_CMDLINE_OFF	0x3e000ul
#define B_CMDLINE_MAX	0x800ul
#define B_MAILBOX_OFF	0x3f000ul
#define SRC_BASE	0x03000000ul
#define SRC_PURG	SRC_BASE
#define SRC_B		(SRC_BASE + 0x00200000ul)
#define PURG_MAX	0x00200000ul

#define DEBUG_EXIT_PORT	0xf4
#define SERIAL_PORT	0x3f8
/* Guest exit values (QEMU status = value * 2 + 1). */
#define EXIT_DONE	0x00	/* all TAP lines printed; the host judges them */
#define EXIT_EXCEPTION	0x03	/* a test kernel took a CPU exception */
#define EXIT_SETUP	0x05	/* the test could not be set up */

/* Commands from A to B, in the mailbox. */
#define B_CMD_CONTINUE	0
#define B_CMD_RETURN	1	/* return from the boot entry (physical-mode program) */
#define B_RETURN_VALUE	0x5eedul

#define B_MAILBOX_MAGIC	0x424d4258u
struct b_mailbox {
	uint32_t magic;
	uint32_t command;
	uint64_t boots;			/* times B's boot entry ran */
	uint64_t rounds;		/* B->A->B round trips completed by B */
	uint64_t failures;
	uint64_t hdr_given;		/* entries with the expected header address */
	uint64_t hdr_zero;		/* entries with 0 on a corrupted-header round */
	uint64_t boot_checks_ok;	/* boot register/command line checks passed */
	char first_failure[200];
};

/*
 * Which rounds A corrupts its ELF core header on, and how. Round numbers
 * count A->B->A trips from 1; B counts its entries the same way, so both
 * know when 0 is the right thing to receive.
 */
enum hdr_corruption { HDR_INTACT, HDR_BAD_MAGIC, HDR_NO_PHDRS, HDR_PHDRS_OUT_OF_BOUNDS };
static inline enum hdr_corruption hdr_schedule(uint64_t round)
{
	switch (round) {
	case 250: return HDR_BAD_MAGIC;
	case 500: return HDR_NO_PHDRS;
	case 750: return HDR_PHDRS_OUT_OF_BOUNDS;
	}
	return HDR_INTACT;
}

/*
 * What a kernel's jump routine (jump.asm, modelled on Linux's
 * relocate_kernel with preserve_context) needs and reports.
 */
#if defined(__x86_64__)
#define NSAVED 6	/* rbx rbp r12 r13 r14 r15 */
#else
#define NSAVED 4	/* ebx esi edi ebp */
#endif

struct jump_ctl {
	unsigned long entry;		/* in: image->start; what the call targets */
	unsigned long stack_top;	/* in: top of the "swap page" stack */
	unsigned long convention;	/* in: 61 (take 0(%sp)) or 614 (push entry, pop) */
	unsigned long flags_in;		/* in: flags loaded just before the call */
	unsigned long zap_tables;	/* in: load limit-0 GDT/IDT first, as Linux does */
	unsigned long sentinel[NSAVED];	/* in: callee-saved values at the call */
	unsigned long got[NSAVED];	/* out: callee-saved values at re-entry */
	unsigned long flags_out;	/* out: flags at re-entry */
	unsigned long sp_at_reentry;	/* out */
	unsigned long arg;		/* out: first C argument at re-entry */
	unsigned long status;		/* out: eax/rax at re-entry */
	unsigned long aux;		/* out: edx/rdx at re-entry */
	unsigned long word;		/* out: the peer's next entry, per convention */
	unsigned long saved_sp;		/* private to jump.asm */
};
#define W sizeof(unsigned long)
_Static_assert(offsetof(struct jump_ctl, sentinel) == 5 * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, got) == (5 + NSAVED) * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, saved_sp) == (11 + 2 * NSAVED) * W, "jump.asm offsets");
#undef W

/* jump.asm: the kernel's "kexec -e". Returns the status found at re-entry. */
long kexec_jump(struct jump_ctl *ctl);
/* The address the peer records for us: where our call returns to. */
extern char kexec_jump_reentry[];

/* Expected stack pointer at re-entry, from docs/protocol.md. */
static inline unsigned long expected_reentry_sp(const struct jump_ctl *c)
{
	unsigned long s = c->stack_top - sizeof(long) * (c->convention == 614 ? 2 : 1);
#if defined(__x86_64__)
	return s;			/* the slot of our return address */
#else
	return s - sizeof(long);	/* return label below the argument */
#endif
}

/* Flags bits a test may set and expects back: CF PF AF ZF SF DF OF. */
#define FLAGS_CHECKED	0x0cd5ul
static inline unsigned long flags_pattern(uint64_t round)
{
	static const unsigned long bits[] = { 0x001, 0x004, 0x010, 0x040, 0x080, 0x400, 0x800 };
	unsigned long f = 0x2;	/* reserved bit; IF stays clear */
	unsigned int i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((round >> i) & 1)
			f |= bits[i];
	return f;
}

static inline unsigned long sentinel_value(int side, uint64_t round, int reg)
{
	return (unsigned long)(0x5a5a0000ul | (unsigned long)side << 12 | (unsigned long)reg << 8) ^
	       (unsigned long)(round * 2654435761u);
}

/* Each kernel's record of a failed check (kernel_a.c, kernel_b.c). */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK_EQ(what, got, want)                                                   \
	do {                                                                        \
		unsigned long long g_ = (unsigned long long)(got);                  \
		unsigned long long w_ = (unsigned long long)(want);                 \
		if (g_ != w_)                                                       \
			fail("%s: got 0x%llx, want 0x%llx", what, g_, w_);           \
	} while (0)

/* --- console.c --- */
void console_init(void);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void qemu_exit(unsigned int code) __attribute__((noreturn));

/* --- per-kernel, from boot.asm: reload our own tables at re-entry --- */
void kernel_exception(unsigned long vector, unsigned long error, unsigned long ip);

#endif
