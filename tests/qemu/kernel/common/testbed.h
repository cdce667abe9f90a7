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
	uint64_t rounds;		/* entries into B (boot or resume) so far */
	uint64_t failures;
	uint64_t hdr_given;		/* entries with the expected header address */
	uint64_t hdr_zero;		/* entries with 0 on a corrupted-header round */
	uint64_t hdr_none;		/* entries while A configured no header */
	uint64_t boot_checks_ok;	/* boot register/command line checks passed */
	/* Written by A, so that B does not have to trust purgatory for them: */
	uint64_t expected_entry;	/* load + header.entry_from_b */
	uint64_t boot_sp_expected;	/* B's stack pointer at its next boot entry */
	uint32_t no_header;		/* A configured no ELF core header */
	uint32_t nmi_probe;		/* B's next boot entry first executes this many int $2 */
	uint64_t nmis_b;		/* NMIs B's own IDT took (its handler counts here) */
	uint32_t nmi_soak;		/* tests/qemu/nmi.t: no table zapping, NMI frames allowed */
	uint32_t pad_nmi;
	uint64_t a_reentry;		/* where A's jump routine is resumed */
	uint64_t crash_note;		/* A's empty CPU note buffer (the header's PT_NOTE) */
	uint64_t notes_ok;		/* entries that found A's registers in that note */
	uint64_t a_bx;			/* A's %ebx/%rbx at its latest jump */
	char first_failure[200];
	/*
	 * The borrowed low-memory test (purgatory/lowmem.c): while low_len is
	 * set, B records at every entry a checksum of what it finds at
	 * low_addr, then fills the range with low_pattern(SIDE_B, entry).
	 */
	uint64_t low_addr, low_len;
	uint64_t low_seen;		/* low_checksum() of the range at B's latest entry */
	uint32_t hdr_unusable;		/* A's header is one purgatory must reject: B gets 0 */
	uint64_t boot_si;		/* B's boot %rsi/%esi if not its command line; 0: that */
};

/* Contents of the borrowed range: a word pattern per side and entry. */
static inline unsigned long low_pattern_word(int side, uint64_t entry, unsigned long i)
{
	return (unsigned long)((side * 0x9e3779b97f4a7c15ull) ^ (entry * 0xbf58476d1ce4e5b9ull) ^
			       (i * 0x94d049bb133111ebull));
}

static inline void low_fill(unsigned long addr, unsigned long len, int side, uint64_t entry)
{
	unsigned long i;

	for (i = 0; i < len / sizeof(long); i++)
		((unsigned long *)addr)[i] = low_pattern_word(side, entry, i);
}

/* FNV-1a over the range's words. */
static inline uint64_t low_checksum(unsigned long addr, unsigned long len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned long i;

	for (i = 0; i < len / sizeof(long); i++)
		h = (h ^ ((const unsigned long *)addr)[i]) * 0x100000001b3ull;
	return h;
}

/* The checksum the range has when filled by low_fill(side, entry). */
static inline uint64_t low_pattern_checksum(unsigned long len, int side, uint64_t entry)
{
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned long i;

	for (i = 0; i < len / sizeof(long); i++)
		h = (h ^ low_pattern_word(side, entry, i)) * 0x100000001b3ull;
	return h;
}
/* boot_b.asm reads nmi_probe, and points its NMI counter at nmis_b, by absolute address. */
#define B_MAILBOX_NMI_PROBE_OFF	(B_MAILBOX_OFF + 0x54)
_Static_assert(offsetof(struct b_mailbox, nmi_probe) == 0x54, "boot_b.asm offset");
_Static_assert(offsetof(struct b_mailbox, nmis_b) == 0x58, "boot_b.asm offset");

/*
 * make bench (bench.c, bench_tsc.inc): TSC stamps, which count guest
 * instructions under QEMU -icount shift=0. A's jump routine keeps its own
 * in jump_tsc; B's are in B's memory at B_TSC_OFF, past the mailbox.
 */
#define B_TSC_OFF	0x3f800ul
struct jump_tsc {
	uint64_t out;	/* just before the jump routine calls the target */
	uint64_t in;	/* just after it is resumed */
	uint64_t boot;	/* B: its boot entry's first instructions */
};
_Static_assert(B_MAILBOX_OFF + sizeof(struct b_mailbox) <= B_TSC_OFF, "mailbox overlaps B's stamps");
_Static_assert(B_BASE + B_TSC_OFF == 0x203f800ul, "bench_tsc.inc B_TSC_ADDR");

/* stubs.asm: where vector 2 counts (the kernel's own sink until set). */
extern void *nmi_counter;
/*
 * Slack below the documented stack slots that an interrupt frame may use:
 * a single-step trap's (test_caller_flags) or an injected NMI's, taken on
 * that stack by the kernel's handler or purgatory's.
 */
#define FRAME_SLACK	64

/*
 * tests/qemu/nmi.t: the guest prints "# NMI injection ends", waits for the
 * CMOS clock to tick twice (the host stops injecting when it reads that
 * line; an NMI it sent just before is delivered meanwhile), then counts.
 */
static inline void nmi_settle(void)
{
	unsigned int ticks = 0;
	uint8_t last, now;

	__asm__ volatile("outb %b0, $0x70" : : "a"(0));	/* seconds; bit 7 clear */
	__asm__ volatile("inb $0x71, %b0" : "=a"(last));
	while (ticks < 2) {
		__asm__ volatile("outb %b0, $0x70" : : "a"(0));
		__asm__ volatile("inb $0x71, %b0" : "=a"(now));
		if (now != last) {
			ticks++;
			last = now;
		}
	}
}

/*
 * A's CPU note buffer, sized as Linux's per-CPU crash notes: an NT_PRSTATUS
 * note ("CORE") and the empty note header that ends the list.
 */
#if defined(__x86_64__)
#define PRSTATUS_SIZE	336
#define PR_REG_IP	(112 + 16 * 8)	/* pr_reg.rip */
#define PR_REG_BX	(112 + 5 * 8)	/* pr_reg.rbx */
#else
#define PRSTATUS_SIZE	144
#define PR_REG_IP	(72 + 12 * 4)	/* pr_reg.eip */
#define PR_REG_BX	(72 + 0 * 4)	/* pr_reg.ebx */
#endif
#define CRASH_NOTE_BYTES	(12 + 8 + PRSTATUS_SIZE + 12)

/*
 * Which rounds A corrupts its ELF core header on, and how. Round numbers
 * count A->B->A trips from 1; B counts its entries the same way, so both
 * know when 0 is the right thing to receive.
 */
enum hdr_corruption {
	HDR_INTACT, HDR_BAD_MAGIC, HDR_NO_PHDRS, HDR_PHOFF_OUT_OF_BOUNDS, HDR_PHDRS_OVERRUN,
	HDR_UNREACHABLE, HDR_TOO_LONG
};
static inline enum hdr_corruption hdr_schedule(uint64_t round)
{
	switch (round) {
	case 250: return HDR_BAD_MAGIC;
	case 500: return HDR_NO_PHDRS;
	case 750: return HDR_PHOFF_OUT_OF_BOUNDS;	/* table starts past the size */
	case 900: return HDR_PHDRS_OVERRUN;		/* table starts inside, ends past it */
	case 950: return HDR_UNREACHABLE;		/* address past what purgatory can map */
	case 975: return HDR_TOO_LONG;			/* elfcorehdr_size over 2 MiB (abi.md) */
	}
	return HDR_INTACT;
}

/*
 * What a kernel's jump routine (jump.asm, modelled on Linux's
 * relocate_kernel with preserve_context) needs and reports.
 */
#if defined(__x86_64__)
#define NSAVED 6	/* rbx rbp r12 r13 r14 r15 */
#define NZERO 6		/* rcx rsi r8 r9 r10 r11: zero at re-entry */
#else
#define NSAVED 4	/* ebx esi edi ebp */
#define NZERO 1		/* ecx */
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
	unsigned long zeroed[NZERO];	/* out: registers purgatory promises to zero */
	struct kjump_dtr gdtr, idtr;	/* out: as found at re-entry */
	unsigned long cs, ss;		/* out: selectors at re-entry */
};
#define W sizeof(unsigned long)
_Static_assert(offsetof(struct jump_ctl, sentinel) == 5 * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, got) == (5 + NSAVED) * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, saved_sp) == (11 + 2 * NSAVED) * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, zeroed) == (12 + 2 * NSAVED) * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, gdtr) == (12 + 2 * NSAVED + NZERO) * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, idtr) == (14 + 2 * NSAVED + NZERO) * W, "jump.asm offsets");
_Static_assert(offsetof(struct jump_ctl, cs) == (16 + 2 * NSAVED + NZERO) * W, "jump.asm offsets");
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

/* Each kernel's record of a failed check (tap.c for A's role, kernel_b.c). */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* tap.c: close a test as ok/not ok; failures since the last tap(); the end line. */
void tap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int tap_check_failures(void);
void tap_done(void);

#define CHECK_EQ(what, got, want)                                                   \
	do {                                                                        \
		unsigned long long g_ = (unsigned long long)(got);                  \
		unsigned long long w_ = (unsigned long long)(want);                 \
		if (g_ != w_)                                                       \
			fail("%s: got 0x%llx, want 0x%llx", what, g_, w_);           \
	} while (0)

/* The stack the call was made from: where its return address went. */
static inline unsigned long call_sp(const struct jump_ctl *c)
{
	return c->stack_top - sizeof(long) * (c->convention == 614 ? 2 : 1);
}

/*
 * The control stack is filled with a pattern before every jump. Afterwards
 * only the words docs/protocol.md lets purgatory write (and that the
 * kernel's own re-entry code pushes, which are the same slots) may differ:
 * [S-16, S+8) on x86_64 and [S-16, S+4) on i386, S = call_sp(). With the
 * 6.14+ convention the entry pushed at S+W must still be there. frames
 * bytes more below S-16 are allowed when the kernel's own interrupt
 * handlers ran on that stack (the single-step traps of test_caller_flags).
 * Returns the offending address, or 0.
 */
#define STACK_PATTERN(i) (0x57ac0000ul ^ ((unsigned long)(i) * 0x01000193ul))
static inline void stack_fill(unsigned long *stack, size_t words)
{
	size_t i;

	for (i = 0; i < words; i++)
		stack[i] = STACK_PATTERN(i);
}

static inline unsigned long stack_check(const unsigned long *stack, size_t words,
					const struct jump_ctl *c, unsigned long frames)
{
#if defined(__x86_64__)
	unsigned long lo = call_sp(c) - 16 - frames, hi = call_sp(c) + 8;
#else
	unsigned long lo = call_sp(c) - 16 - frames, hi = call_sp(c) + 4;
#endif
	size_t i;

	for (i = 0; i < words; i++) {
		unsigned long a = (unsigned long)&stack[i];

		if (a >= lo && a < hi)
			continue;
		if (c->convention == 614 && a == call_sp(c) + sizeof(long)) {
			if (stack[i] != c->entry)
				return a;
			continue;
		}
		if (stack[i] != STACK_PATTERN(i))
			return a;
	}
	return 0;
}

/* The kernels' own descriptor-table registers (their cpu.c). */
struct kernel_dtr {
	uint16_t limit;
	unsigned long base;
} __attribute__((packed));
extern struct kernel_dtr kernel_gdtr, kernel_idtr;
extern uint16_t kernel_cs, kernel_ds;
#if defined(__x86_64__)
/* x86_64 cpu.c: the MSRs, and each kernel's own EFER (A: NXE, no SCE; B: SCE, no NXE). */
#define MSR_EFER	0xc0000080u
#define MSR_FS_BASE	0xc0000100u
#define MSR_GS_BASE	0xc0000101u
uint64_t rdmsr(uint32_t msr);
void wrmsr(uint32_t msr, uint64_t v);
extern uint64_t kernel_efer;
#endif

/*
 * What purgatory must hand back: the tables as they were at the call, and
 * the CS and SS selectors too, whether or not the kernel zapped its GDT (a
 * Linux resumed on purgatory's 0x10 takes an iret exception at its first
 * interrupt on i386; a kernel whose CS is 0x20 would on x86_64). Each
 * kernel's selectors differ from purgatory's 0x10/0x18, and A's SS is
 * purgatory's code selector (cpu.c).
 */
static inline void check_tables(const struct jump_ctl *c)
{
	CHECK_EQ("CS selector at re-entry", c->cs, kernel_cs);
	CHECK_EQ("SS selector at re-entry", c->ss, kernel_ds);
	CHECK_EQ("GDTR limit at re-entry", c->gdtr.limit, c->zap_tables ? 0 : kernel_gdtr.limit);
	CHECK_EQ("GDTR base at re-entry", c->gdtr.base, c->zap_tables ? 0 : kernel_gdtr.base);
	CHECK_EQ("IDTR limit at re-entry", c->idtr.limit, c->zap_tables ? 0 : kernel_idtr.limit);
	CHECK_EQ("IDTR base at re-entry", c->idtr.base, c->zap_tables ? 0 : kernel_idtr.base);
#if defined(__x86_64__)
	CHECK_EQ("EFER at re-entry (its own, not the other kernel's)", rdmsr(MSR_EFER), kernel_efer);
#endif
}

static inline void check_zeroed(const struct jump_ctl *c)
{
	unsigned int i;

	for (i = 0; i < NZERO; i++)
		CHECK_EQ("register purgatory zeroes", c->zeroed[i], 0);
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

/* --- console.c --- */
void console_init(void);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void qemu_exit(unsigned int code) __attribute__((noreturn));

/* --- per-kernel, from boot.asm: reload our own tables at re-entry --- */
void kernel_exception(unsigned long vector, unsigned long error, unsigned long ip);

#endif
