// SPDX-License-Identifier: GPL-2.0-only
/*
 * mode=bench (make bench, docs/bench.md): how many instructions purgatory
 * runs for each kind of entry.
 *
 * Under QEMU -icount shift=0,align=off,sleep=off the TSC advances by one
 * per guest instruction, so the difference of two TSC readings is the
 * number of instructions between them. The jump routines stamp the TSC
 * just before they call the target and just after they are resumed; B's
 * boot entry stamps as its first work (bench_tsc.inc). Between the stamps
 * run purgatory and a few instructions of the jump routine; those are
 * measured alone by calling a stand-in instead of purgatory
 * (bench_null_resume: a bare ret; bench_null_boot: B's first
 * instructions), and subtracted:
 *
 *   resume or refusal: purgatory = (in - out) - (null in - null out) + 1
 *                      (the stand-in's ret is one instruction)
 *   boot of B:         purgatory = (boot - out) - (null boot - null out)
 *   BIOS call:         purgatory = call - stand-in call; the stand-in
 *                      (a C function) returns 0 in two instructions, the
 *                      interrupt handler is one iret: one more or less
 *
 * The figures include every instruction from purgatory's entry to the one
 * that hands control on, its own call/ret included. Nothing here checks
 * what a transition does: the suite does that. The guest prints
 * "# bench NAME VALUE" lines, and TAP lines for the statuses it got.
 */
#include <kjump/abi.h>
#include <kjump/bios.h>
#include "testbed.h"
#include "loader.h"
#include "../../../../lib/printf.h"
#include "../../../../lib/string.h"

void bench_null_resume(void);	/* jump.asm */
void bench_null_boot(void);
extern struct jump_tsc jump_tsc;
extern uint16_t kernel_ds;	/* cpu.c */
void run_bench(void);

#define MAX_ROUNDS	1000
/* A vector nothing uses, pointed at an iret in conventional memory. */
#define BENCH_VECTOR	0x60
#define IRET_ADDR	0x7c00ul
#define BENCH_AREA	0x10000ul
#define FLAGS_QUIET	0x2ul	/* only the reserved bit: IF, TF, DF clear */

static struct jump_ctl bctl;
static unsigned char bench_stack[4096] __attribute__((aligned(4096)));
static uint64_t a_to_b[MAX_ROUNDS], b_to_a[MAX_ROUNDS];
static uint64_t null_resume, null_boot;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static const struct jump_tsc *b_tsc(void)
{
	return (const struct jump_tsc *)(SRC_B + B_TSC_OFF);
}

/* A's "kexec -e" as the suite's, without the zapping and the patterns. */
static long bench_jump(unsigned long entry, int swap)
{
	unsigned int i;

	bctl.entry = entry;
	bctl.stack_top = (unsigned long)bench_stack + sizeof(bench_stack);
	bctl.convention = cfg.conv;
	bctl.flags_in = FLAGS_QUIET;
	bctl.zap_tables = 0;
	for (i = 0; i < NSAVED; i++)
		bctl.sentinel[i] = 0x1000 + i;
	/* B checks that A's CPU note holds A's %ebx/%rbx. */
	mailbox_in_src()->a_bx = bctl.sentinel[0];
	if (swap)
		swap_image();
	kexec_jump(&bctl);
	if (swap)
		swap_image();
	return (long)bctl.status;
}

#ifndef KJ_EFI
/* The stand-in for the BIOS-call service: returns at once. */
static long __attribute__((noinline)) bench_null_call(struct kjump_bios_call *c)
{
	__asm__ volatile("" : : "r"(c) : "memory");
	return 0;
}

/* The same code times the service and the stand-in. */
static uint64_t __attribute__((noinline)) timed_call(long (*fn)(struct kjump_bios_call *),
						      struct kjump_bios_call *c, long *status)
{
	uint64_t t0 = rdtsc();
	long s = fn(c);
	uint64_t t1 = rdtsc();

	*status = s;
	return t1 - t0;
}
#endif

static void print_figure(const char *name, uint64_t v)
{
	kprintf("# bench %s %llu\n", name, (unsigned long long)v);
}

static void sort(uint64_t *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* min, median and max of a series, as NAME_min etc. */
static void print_series(const char *name, uint64_t *v, unsigned int n)
{
	char key[48];

	sort(v, n);
	kj_snprintf(key, sizeof(key), "%s_min", name);
	print_figure(key, v[0]);
	kj_snprintf(key, sizeof(key), "%s_median", name);
	print_figure(key, v[n / 2]);
	kj_snprintf(key, sizeof(key), "%s_max", name);
	print_figure(key, v[n - 1]);
}

static int sane(uint64_t v)
{
	return v > 0 && v < 100000000ull;
}

static void calibrate(void)
{
	uint64_t first = 0;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		bench_jump((unsigned long)bench_null_resume, 0);
		null_resume = jump_tsc.in - jump_tsc.out;
		if (i && null_resume != first)
			fail("stand-in resume took %llu instructions, before %llu: the TSC does not "
			     "count instructions (run under -icount shift=0)",
			     (unsigned long long)null_resume, (unsigned long long)first);
		first = null_resume;
	}
	bench_jump((unsigned long)bench_null_boot, 0);
	null_boot = jump_tsc.boot - jump_tsc.out;
	print_figure("null_resume", null_resume);
	print_figure("null_boot", null_boot);
	tap("bench: the jump routine alone, measured 4 times: %llu instructions, the same each "
	    "time; to a boot entry's stamp %llu", (unsigned long long)null_resume,
	    (unsigned long long)null_boot);
}

static uint64_t resumed_cost(void)
{
	return jump_tsc.in - jump_tsc.out - null_resume + 1;
}

static void refusal(const char *name, unsigned long entry, long want)
{
	long status = bench_jump(entry, 1);
	uint64_t n = resumed_cost();

	CHECK_EQ("refusal status", status, want);
	print_figure(name, n);
	tap("bench: refusal %s: status %ld, %llu instructions in purgatory", name, status,
	    (unsigned long long)n);
}

/* A->B and B->A, the first entry included; trace as the loader asked. */
static void rounds(void)
{
	struct kjump_params *p = params_in_src();
	unsigned long entry = cfg.load + hdr.entry_start, hashed = 0;
	unsigned long n = cfg.rounds < MAX_ROUNDS ? cfg.rounds : MAX_ROUNDS;
	unsigned int i, bad = 0;
	uint64_t first = 0;

	if (!p->sha256_regions[0].len)
		kprintf("# A: no SHA-256 regions: the first entry checks no digest\n");
	for (i = 0; i < KJ_SHA256_REGIONS; i++)
		hashed += p->sha256_regions[i].len;
	for (i = 0; i < n; i++) {
		long status = bench_jump(entry, 1);
		const struct jump_tsc *b = b_tsc();

		if (status != KJ_OK || bctl.word == 0)
			bad++;
		if (i == 0)
			first = b->boot - jump_tsc.out - null_boot;
		else
			a_to_b[i - 1] = b->in - jump_tsc.out - null_resume + 1;
		b_to_a[i] = jump_tsc.in - b->out - null_resume + 1;
		entry = bctl.word;
	}
	CHECK_EQ("rounds that did not resume A with KJ_OK", bad, 0);
	print_figure(hashed ? "first_entry_sha" : "first_entry_nosha", first);
	print_figure("sha_bytes", hashed);
	print_series("a_to_b", a_to_b, n - 1);
	print_series("b_to_a", b_to_a + 1, n - 1);
	if (!sane(first) || !sane(a_to_b[0]) || !sane(b_to_a[1]))
		fail("implausible counts: first %llu, A->B %llu, B->A %llu",
		     (unsigned long long)first, (unsigned long long)a_to_b[0],
		     (unsigned long long)b_to_a[1]);
	tap("bench: %lu round trips: first entry %llu instructions (%lu bytes hashed), A->B "
	    "median %llu, B->A median %llu", n, (unsigned long long)first, hashed,
	    (unsigned long long)a_to_b[(n - 1) / 2], (unsigned long long)b_to_a[1 + (n - 1) / 2]);
	/* B is running now (it asked for A): a second first entry is refused. */
	refusal("refusal_eagain", cfg.load + hdr.entry_start, KJ_EAGAIN);

	/* The same with a serial line per transition. */
	p->flags |= KJ_FLAG_TRACE;
	for (i = 0; i < 5; i++) {
		long status = bench_jump(entry, 1);
		const struct jump_tsc *b = b_tsc();

		CHECK_EQ("traced round status", status, KJ_OK);
		a_to_b[i] = b->in - jump_tsc.out - null_resume + 1;
		b_to_a[i] = jump_tsc.in - b->out - null_resume + 1;
		entry = bctl.word;
	}
	p->flags &= ~KJ_FLAG_TRACE;
	print_series("a_to_b_trace", a_to_b, 5);
	print_series("b_to_a_trace", b_to_a, 5);
	tap("bench: 5 round trips with KJ_FLAG_TRACE: A->B median %llu, B->A median %llu",
	    (unsigned long long)a_to_b[2], (unsigned long long)b_to_a[2]);
}

#ifndef KJ_EFI
/*
 * One BIOS call whose handler is a single iret, so that what is counted is
 * purgatory's way to real mode and back, not the BIOS's work.
 */
static void bios_call(void)
{
	long (*service)(struct kjump_bios_call *) =
		(long (*)(struct kjump_bios_call *))(cfg.load + hdr.entry_bios_call);
	unsigned long slot = BENCH_VECTOR * 4;
	volatile uint16_t *ivt;
	uint16_t old_ip, old_cs;
	struct kjump_bios_call c;
	uint64_t n;
	long status, null_status;

	/* The IVT is at 0: hide the small constant from the compiler's bounds checks. */
	__asm__("" : "+r"(slot));
	ivt = (volatile uint16_t *)slot;
	old_ip = ivt[0];
	old_cs = ivt[1];
	*(volatile uint8_t *)IRET_ADDR = 0xcf;
	ivt[0] = (uint16_t)IRET_ADDR;
	ivt[1] = 0;
	/*
	 * The multiboot loader leaves FS and GS as it had them; purgatory
	 * gives every data selector back after real mode, from the caller's
	 * GDT, so they must be selectors of the kernel's.
	 */
	__asm__ volatile("mov %0, %%fs\n\tmov %0, %%gs" : : "r"((unsigned int)kernel_ds));
	memset(&c, 0, sizeof(c));
	c.magic = KJ_BIOS_MAGIC;
	c.size = sizeof(c);
	c.vector = BENCH_VECTOR;
	c.area = BENCH_AREA;
	c.in.eax = 0x1234;
	swap_image();
	n = timed_call(bench_null_call, &c, &null_status);
	n = timed_call(service, &c, &status) - n;
	swap_image();
	ivt[0] = old_ip;
	ivt[1] = old_cs;
	CHECK_EQ("BIOS call status", status, KJ_OK);
	CHECK_EQ("eax through the call", c.out.eax, 0x1234);
	print_figure("bios_call", n);
	tap("bench: BIOS call of an iret handler: status %ld, %llu instructions in purgatory",
	    status, (unsigned long long)n);
}
#endif

void run_bench(void)
{
	kprintf("# A: bench: instructions counted by the TSC (QEMU -icount shift=0)\n");
	if (cfg.rounds < 3) {
		kprintf("not ok - bench needs rounds=3 or more\n");
		qemu_exit(EXIT_SETUP);
	}
	if (!strcmp(cfg.mode, "bench-nosha"))
		memset(params_in_src()->sha256_regions, 0, sizeof(params_in_src()->sha256_regions));
	calibrate();
	/* Before B exists, B's entry is refused: nothing runs on that side. */
	refusal("refusal_eside", cfg.load + hdr.entry_from_b, KJ_ESIDE);
	rounds();
#ifndef KJ_EFI
	bios_call();
#endif
	tap_done();
	qemu_exit(EXIT_DONE);
}
