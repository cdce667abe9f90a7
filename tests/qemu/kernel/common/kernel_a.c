// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel A: loads purgatory and kernel B the way kexec-tools and Linux do
 * with a preserve-context image (loader.c), then coroutines with B through
 * purgatory and checks every transition exactly. Output is TAP on the serial port;
 * the host runner (kj_run and kj_done in tests/qemu/lib.sh) adds its own
 * checks and the plan.
 *
 * Command line: load=ADDR conv=61|614 rounds=N mode=suite|demo|fatal-*|one-way-probe
 */
#include <stdarg.h>
#include <kjump/abi.h>
#include <kjump/bios.h>
#include "testbed.h"
#include "loader.h"
#include "../../../../lib/printf.h"
#include "../../../../lib/sha256.h"
#include "../../../../lib/string.h"
#include "../../../../lib/io.h"

extern const uint8_t purgatory_blob[], purgatory_blob_end[];
const char *boot_cmdline(void);
void raw_call(unsigned long entry, unsigned long sp, unsigned long word);
#if defined(__x86_64__)
void raw_call_zero(unsigned long entry, unsigned long sp);
#endif
void raw_call_came_back(void);
extern char raw_call_returned[];
void a_main(void);
void run_bench(void);	/* bench.c */

static struct jump_ctl ctl;
static unsigned char control_stack[4096] __attribute__((aligned(4096)));


/* A canary in A's own memory, rewritten each round. */
static unsigned long canary_a[512];

static void set_canary(uint64_t round)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		canary_a[i] = sentinel_value(SIDE_A, round, i) ^ 0xc0c0;
}

static void check_canary(uint64_t round)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		if (canary_a[i] != (sentinel_value(SIDE_A, round, i) ^ 0xc0c0)) {
			fail("round %llu: A's canary word %u changed", (unsigned long long)round, i);
			return;
		}
}

/* Purgatory fills A's CPU note for B and must put the empty buffer back. */
static void check_crash_note_restored(uint64_t round)
{
	unsigned int i;

	for (i = 0; i < sizeof(crash_note); i++)
		if (crash_note[i]) {
			fail("round %llu: A's CPU note buffer not restored (byte %u is 0x%x)",
			     (unsigned long long)round, i, crash_note[i]);
			return;
		}
}

/* --- jumping -------------------------------------------------------------- */

static unsigned long entry_start(void) { return cfg.load + hdr.entry_start; }
static unsigned long entry_from_a(void) { return cfg.load + hdr.entry_from_a; }
static unsigned long entry_from_b(void) { return cfg.load + hdr.entry_from_b; }

static unsigned long control_top(void)
{
	return (unsigned long)control_stack + sizeof(control_stack);
}

#if defined(__i386__)
void paging_on(void);
void paging_off(void);
static int jump_with_paging;	/* the KJ_EPAGING test */
#endif

/* mode=nmi (tests/qemu/nmi.t): NMIs arrive at random moments. */
static int nmi_soak;

/* Flags beyond flags_pattern()'s that the next jump() calls with (test_caller_flags). */
static unsigned long extra_flags;
#define FLAG_TF	0x100ul
#define FLAG_NT	0x4000ul
#define FLAG_AC	0x40000ul

/*
 * "kexec -e" from A. Odd keys zap the GDT and IDT first, as Linux 6.1
 * does, even keys keep them: purgatory must hand back whichever it found.
 */
static long jump(unsigned long entry, uint64_t key, unsigned long stack_top)
{
	unsigned int i;

	ctl.entry = entry;
	ctl.stack_top = stack_top;
	ctl.convention = cfg.conv;
	ctl.flags_in = flags_pattern(key) | extra_flags;
	/* Never under injected NMIs: with no IDT, that window is the kernel's own. */
	ctl.zap_tables = !nmi_soak && (key & 1);
	for (i = 0; i < NSAVED; i++)
		ctl.sentinel[i] = sentinel_value(SIDE_A, key, i);
	/* For B's look at A's CPU note: the first callee-saved register is %ebx/%rbx. */
	mailbox_in_src()->a_bx = ctl.sentinel[0];
	stack_fill((unsigned long *)control_stack, sizeof(control_stack) / sizeof(long));
	swap_image();
#if defined(__i386__)
	if (jump_with_paging)
		paging_on();
#endif
	kexec_jump(&ctl);
#if defined(__i386__)
	if (jump_with_paging)
		paging_off();
#endif
	swap_image();
	return (long)ctl.status;
}

/* Everything purgatory promises about the moment A is resumed. */
static void check_resumed(const char *what, long status, unsigned long aux,
			  unsigned long word)
{
	char name[64];
	unsigned int i;

	CHECK_EQ(what, ctl.status, (unsigned long)status);
	kj_snprintf(name, sizeof(name), "%s: first C argument", what);
	CHECK_EQ(name, ctl.arg, (unsigned long)status);
	kj_snprintf(name, sizeof(name), "%s: aux (edx/rdx)", what);
	CHECK_EQ(name, ctl.aux, aux);
	kj_snprintf(name, sizeof(name), "%s: re-entry word", what);
	CHECK_EQ(name, ctl.word, word);
	kj_snprintf(name, sizeof(name), "%s: stack pointer", what);
	CHECK_EQ(name, ctl.sp_at_reentry, expected_reentry_sp(&ctl));
	kj_snprintf(name, sizeof(name), "%s: flags", what);
	CHECK_EQ(name, ctl.flags_out & (FLAGS_CHECKED | 0x200 | extra_flags),
		 ctl.flags_in & (FLAGS_CHECKED | extra_flags));
	for (i = 0; i < NSAVED; i++) {
		kj_snprintf(name, sizeof(name), "%s: callee-saved register %u", what, i);
		CHECK_EQ(name, ctl.got[i], ctl.sentinel[i]);
	}
	check_tables(&ctl);
	check_zeroed(&ctl);
	if (ctl.stack_top == control_top()) {
		/*
		 * With TF set, A's own single-step traps push frames below the
		 * words the entry writes: 16-byte aligned, 40 bytes (x86_64);
		 * 12 bytes (i386).
		 */
		unsigned long bad = stack_check((unsigned long *)control_stack,
						sizeof(control_stack) / sizeof(long), &ctl,
						((extra_flags & FLAG_TF) || nmi_soak) ?
						FRAME_SLACK : 0);

		if (bad)
			fail("%s: stack word at 0x%lx written outside the documented slots", what, bad);
	}
}

static int vga_text_contains(const char *what)
{
	const volatile uint16_t *cell = (const volatile uint16_t *)0xb8000ul;
	size_t n = strlen(what), i, k;

	for (i = 0; i + n <= 80 * 25; i++) {
		for (k = 0; k < n && (cell[i + k] & 0xff) == (uint8_t)what[k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

static void test_kexec_tools_extras(void)
{
	unsigned int i;

	if (memcmp(backup_dst, backup_src, sizeof(backup_src)))
		fail("backup_start does not hold the %u bytes of backup_src_start",
		     (unsigned int)sizeof(backup_src));
#ifndef KJ_EFI
	CHECK_EQ("VGA misc output register after reset_vga", inb(0x3cc), 0x67);
	for (i = 0; i < sizeof(crtc_mode3); i++) {
		if (i == 0x0e || i == 0x0f)
			continue;	/* the cursor: console_vga moves it after the reset */
		outb(0x3d4, (uint8_t)i);
		CHECK_EQ("VGA CRTC register after reset_vga", inb(0x3d5), crtc_mode3[i]);
	}
	if (!vga_text_contains("kjump: "))
		fail("no purgatory line on the VGA text screen");
	tap("kexec-tools' options: panic_kernel copied backup_src to backup_start, reset_vga "
	    "put the VGA registers back to mode 3, console_vga wrote purgatory's lines to the "
	    "text screen");
#else
	/* The framebuffer mode also hides the text window: console_vga only must not fault. */
	(void)i;
	(void)vga_text_contains;
	tap("kexec-tools' options: panic_kernel copied backup_src to backup_start; console_vga "
	    "on throughout (OVMF's framebuffer has no text screen to check)");
#endif
}

/* --- the suite ------------------------------------------------------------ */

static void test_header(void)
{
	unsigned long blob = (unsigned long)(purgatory_blob_end - purgatory_blob);

	if (memcmp(hdr.magic, KJ_HEADER_MAGIC, 8))
		fail("header magic");
#if defined(__x86_64__)
	CHECK_EQ("arch", hdr.arch, KJ_ARCH_X86_64);
#else
	CHECK_EQ("arch", hdr.arch, KJ_ARCH_I386);
#endif
	CHECK_EQ("abi_version", hdr.abi_version, KJ_ABI_VERSION);
	/* The file, then scratch up to image_size from the next 4 KiB boundary. */
	if (hdr.image_size < ((blob + 4095) & ~4095ul) && hdr.image_size != blob)
		fail("image_size %u: less than the file (%lu bytes) and its scratch", hdr.image_size,
		     blob);
	CHECK_EQ("params_size", hdr.params_size, sizeof(struct kjump_params));
	CHECK_EQ("load_align", hdr.load_align, KJ_IMAGE_ALIGN);
	if (image_size > PURG_MAX)
		fail("image larger than the test reserves");
	tap("purgatory.bin header: KJUMPPG1 v%u arch %u, %lu bytes of file, %u in memory, loaded "
	    "at 0x%lx", hdr.abi_version, hdr.arch, blob, hdr.image_size, cfg.load);
}

static unsigned int refused_expected;

/* One refused entry: status back to A, nothing else changed. */
static void expect_refusal(const char *what, unsigned long entry, long status,
			   unsigned long word, unsigned long stack_top, uint64_t key)
{
	const struct kjump_params *p = params_in_src();
	uint32_t running = p->running;
	uint64_t transitions = p->transitions, b_boots = p->b_boots;
	uint64_t hdr_passed = p->elfcorehdr_passed;
	unsigned long jump_back = p->jump_back_entry;
	static struct kjump_side side_a, side_b;

	side_a = p->side_a;
	side_b = p->side_b;
	jump(entry, key, stack_top);
	refused_expected++;
	check_resumed(what, status, 0, word);
	CHECK_EQ("refused counter", p->refused, refused_expected);
	CHECK_EQ("last_status", (unsigned long)(long)p->last_status, (unsigned long)status);
	CHECK_EQ("running side unchanged", p->running, running);
	CHECK_EQ("transitions unchanged", p->transitions, transitions);
	CHECK_EQ("b_boots unchanged", p->b_boots, b_boots);
	CHECK_EQ("elfcorehdr_passed unchanged", p->elfcorehdr_passed, hdr_passed);
	CHECK_EQ("jump_back_entry unchanged", p->jump_back_entry, jump_back);
	if (memcmp(&side_a, &p->side_a, sizeof(side_a)) || memcmp(&side_b, &p->side_b, sizeof(side_b)))
		fail("%s: a refused entry changed a side's saved state", what);
	check_displaced();
	tap("%s: refused with status %ld, A resumed with its registers, flags and stack", what, status);
}

/*
 * Another CPU inside purgatory (docs/protocol.md, "One CPU at a time"): the
 * lock held as that CPU would hold it. The stub must refuse at once with
 * KJ_EBUSY, as a refusal resumes a caller, and change nothing of
 * purgatory's but busy_refused.
 */
static void expect_busy(const char *what, unsigned long entry, uint64_t key)
{
	struct kjump_params *p = params_in_src();
	static struct kjump_params before;

	p->cpu_inside = 1;
	before = *p;
	jump(entry, key, control_top());
	check_resumed(what, KJ_EBUSY, 0, entry);
	CHECK_EQ("busy_refused", p->busy_refused, before.busy_refused + 1);
	CHECK_EQ("lock still held", p->cpu_inside, 1);
	before.busy_refused++;
	if (memcmp(&before, p, sizeof(before)))
		fail("%s: the refusal changed purgatory's state beyond busy_refused", what);
	p->cpu_inside = 0;
	check_displaced();
	tap("%s: refused by the entry stub with KJ_EBUSY, A resumed as from a refusal, "
	    "nothing else changed", what);
}

/* stubs.asm: the single-step traps taken, and where the first DB_RIPS of them went on. */
#define DB_RIPS 64
extern unsigned long db_traps, db_rips[DB_RIPS];

/*
 * A caller with TF, NT and AC set (a kernel being single-stepped, one that
 * left NT from a task switch): purgatory must load known flags before any
 * code of its own runs, and give the caller's back. The caller's IDT takes
 * the single-step traps of purgatory's entry stub, which runs before
 * purgatory's own IDT is loaded; a trap after that would reach purgatory's
 * IDT and halt it (its exception handler reports vector 1). The stub's
 * path to the flags load is a few dozen instructions: the count is bounded
 * by DB_RIPS. Even key: the IDT stays loaded for the traps.
 */
static void test_caller_flags(void)
{
	struct kjump_params *p = params_in_src();
	unsigned long i, inside = 0;

	p->magic = 0;
	extra_flags = FLAG_TF | FLAG_NT | FLAG_AC;
	db_traps = 0;
	expect_refusal("caller with TF, NT and AC set", entry_start(), KJ_EPARAMS,
		       entry_from_a(), control_top(), 0x1f0);
	extra_flags = 0;
	p->magic = KJ_PARAMS_MAGIC;
	for (i = 0; i < db_traps && i < DB_RIPS; i++)
		inside += db_rips[i] >= cfg.load && db_rips[i] < cfg.load + image_size;
	if (!inside || inside >= DB_RIPS)
		fail("caller with TF set: %lu single-step traps inside purgatory (%lu in all), "
		     "want between 1 and %u: only its entry stub runs on the caller's flags",
		     inside, db_traps, DB_RIPS - 1);
	tap("caller with TF set: %lu single-step traps inside purgatory, all before its own IDT, "
	    "TF, NT and AC back at resume", inside);
}

/*
 * The refusals before B's first boot, as a table: what the case changes in
 * the loader's block (set(p, 1) changes it, set(p, 0) puts it back), which
 * entry A calls, the status A must get, and where A's stack is. Each is
 * refused with nothing of purgatory's state changed (expect_refusal), and
 * the key makes each jump's flags and sentinels its own.
 */
enum which_entry { AT_START, AT_FROM_A, AT_FROM_B };

struct refusal_case {
	const char *what;
	void (*set)(struct kjump_params *p, int on);	/* 0: nothing to change */
	int (*applies)(void);				/* 0: always */
	unsigned long (*stack)(void);			/* 0: control_top() */
	enum which_entry entry;
	long status;
	uint64_t key;
};

static void bad_magic(struct kjump_params *p, int on) { p->magic = on ? 0 : KJ_PARAMS_MAGIC; }
static void bad_abi(struct kjump_params *p, int on)
{
	p->abi_version = on ? KJ_ABI_VERSION + 1 : KJ_ABI_VERSION;
}
static void boot_ip_0(struct kjump_params *p, int on) { set_boot_ip(p, on ? 0 : B_BASE); }
static void boot_ip_in_purgatory(struct kjump_params *p, int on)
{
	set_boot_ip(p, on ? cfg.load + hdr.entry_from_b : B_BASE);
}
static void flip_digest(struct kjump_params *p, int on)
{
	(void)on;
	p->sha256_digest[5] ^= 0x40;
}
static void flip_segment_bit(struct kjump_params *p, int on)
{
	(void)p;
	(void)on;
	*(volatile uint8_t *)(SRC_B + 0x100) ^= 1;
}
static void unreachable_region(struct kjump_params *p, int on)
{
	p->sha256_regions[2].start = on ? UNREACHABLE_ADDR : 0;
	p->sha256_regions[2].len = on ? 0x1000 : 0;
}
/* skip_checks: the digest is not looked at, so the next check speaks. */
static void skip_checks_bad_digest(struct kjump_params *p, int on)
{
	p->skip_checks = on;
	p->sha256_digest[5] ^= 0x40;
	set_boot_ip(p, on ? 0 : B_BASE);
}
static void boot_ip_zero_page(struct kjump_params *p, int on) { set_boot_ip(p, on ? 0x800 : B_BASE); }
#if defined(__x86_64__)
static void boot_ip_unmappable(struct kjump_params *p, int on)
{
	set_boot_ip(p, on ? 1ul << 60 : B_BASE);
}
#endif
static void boot_sp_misaligned(struct kjump_params *p, int on)
{
	set_boot_sp(p, on ? B_BOOT_STACK - 2 : B_BOOT_STACK);
}
static void boot_sp_0(struct kjump_params *p, int on) { set_boot_sp(p, on ? 0 : B_BOOT_STACK); }

/*
 * kexec-tools' other entries (kexec --real-mode names entry16 as B's
 * 32-bit entry; on x86_64 both come with entry64_regs.rip 0). Real mode
 * needs purgatory below 1 MiB, 32-bit code below 4 GiB: this one is not.
 */
static int entry16_known(void) { return cfg.entry16 != 0; }
static void real_mode_entry(struct kjump_params *p, int on)
{
	static uint32_t eip;

#if defined(__x86_64__)
	p->entry64_regs.rip = on ? 0 : B_BASE;
#endif
	if (on)
		eip = p->entry32_regs.eip;
	p->entry32_regs.eip = on ? (uint32_t)(cfg.load + cfg.entry16) : eip;
}
#if defined(__x86_64__)
static int loaded_above_4g(void) { return cfg.load >= (1ul << 32); }
static void protected32_entry(struct kjump_params *p, int on)
{
	p->entry64_regs.rip = on ? 0 : B_BASE;
	p->entry32_regs.eip = on ? (uint32_t)B_BASE : 0;
}
#endif
static unsigned long stack_misaligned(void) { return control_top() - 3; }
/*
 * A stack that ends right where purgatory's guard around the image ends
 * is fine (the ESIDE is the expected answer, not a halt).
 */
static unsigned long stack_clear_of_image(void)
{
	return cfg.load + image_size + 4 * sizeof(long) + sizeof(long) * (cfg.conv == 614 ? 2 : 1);
}
#if defined(__i386__)
static void paging_during_jump(struct kjump_params *p, int on)
{
	(void)p;
	jump_with_paging = on;
}
#endif

static const struct refusal_case refusals_before_start[] = {
	{ "parameter block unset (magic 0)", bad_magic, 0, 0, AT_START, KJ_EPARAMS, 0x101 },
	{ "parameter block of another ABI version", bad_abi, 0, 0, AT_START, KJ_EPARAMS, 0x102 },
	{ "B entry point 0", boot_ip_0, 0, 0, AT_START, KJ_ENOENTRY, 0x103 },
	{ "B entry point inside purgatory", boot_ip_in_purgatory, 0, 0, AT_START, KJ_ENOENTRY,
	  0x104 },
	{ "sha256_digest that does not match the segments", flip_digest, 0, 0, AT_START,
	  KJ_EDIGEST, 0x108 },
	{ "a corrupted segment (one bit of B's image)", flip_segment_bit, 0, 0, AT_START,
	  KJ_EDIGEST, 0x109 },
	{ "a sha256 region purgatory cannot reach", unreachable_region, 0, 0, AT_START, KJ_EDIGEST,
	  0x111 },
	{ "skip_checks with a wrong digest (reaches the entry-point check)",
	  skip_checks_bad_digest, 0, 0, AT_START, KJ_ENOENTRY, 0x10a },
	{ "B entry point in the zero page", boot_ip_zero_page, 0, 0, AT_START, KJ_ENOENTRY, 0x10b },
#if defined(__x86_64__)
	{ "B entry point beyond what can be mapped", boot_ip_unmappable, 0, 0, AT_START,
	  KJ_ENOENTRY, 0x10c },
#endif
	{ "B boot stack pointer misaligned", boot_sp_misaligned, 0, 0, AT_START, KJ_ENOENTRY,
	  0x10d },
	{ "B boot stack pointer 0", boot_sp_0, 0, 0, AT_START, KJ_ENOENTRY, 0x10e },
	{ "real-mode entry (entry16) with purgatory above 1 MiB", real_mode_entry, entry16_known, 0,
	  AT_START, KJ_ENOENTRY, 0x112 },
#if defined(__x86_64__)
	{ "32-bit entry (entry32_regs) with purgatory above 4 GiB", protected32_entry,
	  loaded_above_4g, 0, AT_START, KJ_ENOENTRY, 0x113 },
#endif
	{ "misaligned caller stack", 0, 0, stack_misaligned, AT_START, KJ_ESTACK, 0x105 },
	{ "caller stack just clear of purgatory's image", 0, 0, stack_clear_of_image, AT_FROM_A,
	  KJ_ESIDE, 0x10f },
#if defined(__i386__)
	{ "i386 entry with paging on", paging_during_jump, 0, 0, AT_START, KJ_EPAGING, 0x110 },
#endif
	{ "A's later entry before any start (unknown side)", 0, 0, 0, AT_FROM_A, KJ_ESIDE, 0x106 },
	{ "B's entry called before B exists", 0, 0, 0, AT_FROM_B, KJ_ESIDE, 0x107 },
};

static unsigned long entry_address(enum which_entry e)
{
	return e == AT_START ? entry_start() : e == AT_FROM_A ? entry_from_a() : entry_from_b();
}

static void test_refusals_before_start(void)
{
	struct kjump_params *p = params_in_src();
	unsigned int i;

	for (i = 0; i < sizeof(refusals_before_start) / sizeof(refusals_before_start[0]); i++) {
		const struct refusal_case *c = &refusals_before_start[i];

		if (c->applies && !c->applies())
			continue;
		if (c->set)
			c->set(p, 1);
		/* A finds the entry it called as its next one (B's for B's entry). */
		expect_refusal(c->what, entry_address(c->entry), c->status,
			       c->entry == AT_FROM_B ? entry_from_b() : entry_from_a(),
			       c->stack ? c->stack() : control_top(), c->key);
		if (c->set)
			c->set(p, 0);
	}
	/* The next entry reports both (the .t file checks the console line). */
	expect_busy("A's entry while another CPU is inside", entry_from_a(), 0x114);
	expect_busy("B's entry while another CPU is inside", entry_from_b(), 0x115);
}

static void check_mailbox(uint64_t round)
{
	const struct b_mailbox *mb = mailbox_in_src();

	CHECK_EQ("B mailbox magic", mb->magic, B_MAILBOX_MAGIC);
	CHECK_EQ("B's entry count", mb->rounds, round);
	if (mb->failures)
		fail("round %llu: B reports %llu failure(s); first: %s",
		     (unsigned long long)round, (unsigned long long)mb->failures, mb->first_failure);
}

static void test_rounds(void)
{
	const struct kjump_params *p = params_in_src();
	unsigned long entry = entry_start();
	uint64_t round;

	for (round = 1; round <= cfg.rounds; round++) {
		enum hdr_corruption how = hdr_schedule(round);
		char what[48];

		if (how == HDR_UNREACHABLE)
			params_in_src()->elfcorehdr = UNREACHABLE_ADDR;
		else if (how == HDR_TOO_LONG)
			/* A valid header, but a size no map range may have: B gets 0. */
			params_in_src()->elfcorehdr_size = HDR_SIZE_TOO_LONG;
		else if (how != HDR_INTACT)
			corrupt_core_hdr(how);
		set_canary(round);
		if (verbose)
			kprintf("# A: round %llu: kexec -e, calling 0x%lx\n",
				(unsigned long long)round, entry);
		jump(entry, round, control_top());
		kj_snprintf(what, sizeof(what), "round %llu", (unsigned long long)round);
		check_resumed(what, KJ_OK, 0, entry_from_a());
		check_canary(round);
		check_crash_note_restored(round);
		check_mailbox(round);
		if (how == HDR_UNREACHABLE)
			params_in_src()->elfcorehdr = (unsigned long)&core_hdr;
		else if (how == HDR_TOO_LONG)
			params_in_src()->elfcorehdr_size = sizeof(core_hdr);
		else if (how != HDR_INTACT)
			build_core_hdr();
		if (round % 50 == 0 || round == cfg.rounds)
			check_displaced();
		if (verbose)
			kprintf("# A: round %llu: resumed, status %ld, B's next entry is 0x%lx\n",
				(unsigned long long)round, (long)ctl.status, ctl.word);
		entry = ctl.word;
		if (round == 1) {
			char want[64];
			const char *cmdline = (const char *)(SRC_B + B_CMDLINE_OFF);
			size_t len = strlen(cmdline), wlen;

			wlen = kj_snprintf(want, sizeof(want), " kexec_jump_back_entry=0x%lx",
					   cfg.load + hdr.entry_from_b);
			if (len < wlen || strcmp(cmdline + len - wlen, want))
				fail("B's command line does not end in '%s': '%s'", want, cmdline);
			CHECK_EQ("b_boots after first entry", p->b_boots, 1);
			CHECK_EQ("B's boot checks", mailbox_in_src()->boot_checks_ok, 1);
			tap("first entry checks the segments' SHA-256 and boots B with its register "
			    "block, command line kexec_jump_back_entry=0x%lx and the ELF core header "
			    "as argument", entry_from_b());
			if (!verbose) {
				expect_refusal("second first entry while B is running", entry_start(),
					       KJ_EAGAIN, entry_from_a(), control_top(), 0x201);
				expect_refusal("A calling B's entry", entry_from_b(), KJ_ESIDE,
					       entry_from_b(), control_top(), 0x202);
			}
		}
	}
	tap("%lu round trips A->B->A (Linux %s convention): status, callee-saved registers, "
	    "flags, both stack pointers, re-entry words and canaries verified at every step",
	    cfg.rounds, cfg.conv == 614 ? "6.14+" : "6.1-6.13");
}

static void test_hdr_delivery(void)
{
	const struct b_mailbox *mb = mailbox_in_src();
	uint64_t corrupted = 0, r;

	for (r = 1; r <= cfg.rounds; r++)
		corrupted += hdr_schedule(r) != HDR_INTACT;
	CHECK_EQ("entries with the header address", mb->hdr_given, cfg.rounds - corrupted);
	CHECK_EQ("entries with 0 for a corrupted header", mb->hdr_zero, corrupted);
	CHECK_EQ("entries that found A's registers in its CPU note", mb->notes_ok, mb->hdr_given);
	CHECK_EQ("params.elfcorehdr_passed", params_in_src()->elfcorehdr_passed,
		 (unsigned long)&core_hdr);
	tap("ELF core header: B received 0x%lx on %llu entries, each time with A's registers "
	    "in its CPU note (restored empty when A resumed), and 0 on the %llu corrupted "
	    "ones (bad magic, no program headers, table start or end out of bounds, "
	    "address out of reach)",
	    (unsigned long)&core_hdr, (unsigned long long)mb->hdr_given,
	    (unsigned long long)mb->hdr_zero);
}

static void test_b_returns(unsigned long *entry)
{
	struct kjump_params *p = params_in_src();
	struct b_mailbox *mb = mailbox_in_src();

	mb->command = B_CMD_RETURN;
	jump(*entry, 0x301, control_top());
	check_resumed("B returning", KJ_PEER_RETURNED, B_RETURN_VALUE, entry_from_a());
	CHECK_EQ("B recorded as finished", p->side_b.cpu.reentry, 0);
	tap("B returning from its boot entry (a physical-mode program) resumes A with "
	    "KJ_PEER_RETURNED and B's value 0x%lx", (unsigned long)ctl.aux);

	/* As kexec-tools does: B's boot stack is purgatory's own stack_end. */
	set_boot_sp(p, cfg.load + hdr.stack_end);
	mb->boot_sp_expected = cfg.load + hdr.stack_end - 8;
	mb->command = B_CMD_CONTINUE;
	mb->nmi_probe = 2;
	jump(ctl.word, 0x302, control_top());
	check_resumed("B booted again", KJ_OK, 0, entry_from_a());
	CHECK_EQ("b_boots", p->b_boots, 2);
	CHECK_EQ("B's boot count", mb->boots, 2);
	CHECK_EQ("B's boot checks", mb->boot_checks_ok, 2);
	CHECK_EQ("NMIs counted by purgatory", p->nmis, 2);
	tap("the next jump boots B afresh on purgatory's stack_end (b_boots=2); two int $2 "
	    "through purgatory's NMI gate are counted and return");

	mb->nmi_probe = 0;
	mb->command = B_CMD_RETURN;
	jump(ctl.word, 0x303, control_top());
	check_resumed("B returning on purgatory's stack", KJ_PEER_RETURNED, B_RETURN_VALUE,
		      entry_from_a());
	tap("B booted on purgatory's own stack may return too (kexec-tools' layout)");

	/* No ELF core header: B keeps the loader's %%rdi, or gets no argument. */
	set_boot_sp(p, B_BOOT_STACK);
	p->elfcorehdr = 0;
	mb->no_header = 1;
	mb->boot_sp_expected = B_BOOT_STACK - sizeof(long);
	mb->command = B_CMD_CONTINUE;
	jump(ctl.word, 0x304, control_top());
	check_resumed("B booted without a header", KJ_OK, 0, entry_from_a());
	jump(ctl.word, 0x305, control_top());
	check_resumed("round without a header", KJ_OK, 0, entry_from_a());
	CHECK_EQ("elfcorehdr_passed", p->elfcorehdr_passed, 0);
	CHECK_EQ("B's entries without a header", mb->hdr_none, 2);
	*entry = ctl.word;
	tap("with no ELF core header configured, B boots with the loader's registers "
	    "(no argument) and later gets 0");
}

/*
 * The low memory a preserve-context B borrows (purgatory/lowmem.c): with
 * panic_kernel 0, backup_src_start..+size is swapped with backup_start at
 * every transition once B runs, and copied there before B's boot. low_a
 * stands for A's low memory, low_area for kexec-tools' backup segment.
 */
#define SIDE_A_LOW	1
static unsigned long low_a[512] __attribute__((aligned(4096)));
static unsigned long low_area[512] __attribute__((aligned(4096)));

static void check_low(const char *what, uint64_t b_entry)
{
	struct b_mailbox *mb = mailbox_in_src();
	char name[80];

	kj_snprintf(name, sizeof(name), "%s: A's low memory is A's", what);
	CHECK_EQ(name, low_checksum((unsigned long)low_a, sizeof(low_a)),
		 low_pattern_checksum(sizeof(low_a), SIDE_A_LOW, 1));
	kj_snprintf(name, sizeof(name), "%s: the backup area holds B's", what);
	CHECK_EQ(name, low_checksum((unsigned long)low_area, sizeof(low_area)),
		 low_pattern_checksum(sizeof(low_area), 2, mb->rounds));
	(void)b_entry;
}

static void test_borrowed_low_memory(unsigned long *entry)
{
	struct kjump_params *p = params_in_src();
	struct b_mailbox *mb = mailbox_in_src();
	unsigned int k;

	/* B is running (resumable); as if it had used the range before. */
	low_fill((unsigned long)low_a, sizeof(low_a), SIDE_A_LOW, 1);
	low_fill((unsigned long)low_area, sizeof(low_area), 2, mb->rounds);
	p->panic_kernel = 0;
	p->backup_src_start = (unsigned long)low_a;
	p->backup_start = (unsigned long)low_area;
	p->backup_src_size = sizeof(low_a);
	mb->low_addr = (unsigned long)low_a;
	mb->low_len = sizeof(low_a);
	for (k = 1; k <= 3; k++) {
		uint64_t b_last = mb->rounds;

		jump(*entry, 0x500 + k, control_top());
		check_resumed("round with borrowed low memory", KJ_OK, 0, entry_from_a());
		CHECK_EQ("B found its own low memory at its entry", mb->low_seen,
			 low_pattern_checksum(sizeof(low_a), 2, b_last));
		check_low("after B ran", mb->rounds);
		*entry = ctl.word;
	}
	/* B returns (swapped back like any B->A), then boots afresh: A's copy saved. */
	mb->command = B_CMD_RETURN;
	jump(*entry, 0x504, control_top());
	check_resumed("B returning with borrowed low memory", KJ_PEER_RETURNED, B_RETURN_VALUE,
		      entry_from_a());
	check_low("after B returned", mb->rounds);
	mb->command = B_CMD_CONTINUE;
	jump(ctl.word, 0x505, control_top());
	check_resumed("B booted with borrowed low memory", KJ_OK, 0, entry_from_a());
	CHECK_EQ("B booted with a copy of A's low memory", mb->low_seen,
		 low_pattern_checksum(sizeof(low_a), SIDE_A_LOW, 1));
	check_low("after B's boot", mb->rounds);
	*entry = ctl.word;
	tap("borrowed low memory (backup_src_start, panic_kernel 0): B boots on a copy of A's, "
	    "then the range and backup_start swap at every transition both ways: A always "
	    "finds its own, B its own (5 transitions)");

	/* Bad ranges are refused before anything moves. */
	p->backup_start = (unsigned long)low_a + sizeof(long);
	expect_refusal("backup area overlapping the borrowed range", *entry, KJ_EBACKUP,
		       entry_from_a(), control_top(), 0x506);
	p->backup_start = cfg.load + 0x1000;
	expect_refusal("backup area inside purgatory", *entry, KJ_EBACKUP, entry_from_a(),
		       control_top(), 0x507);
	p->backup_start = (unsigned long)low_area;
	p->backup_src_size = ~0ul - (unsigned long)low_a + 0x1000;
	expect_refusal("borrowed range running past the end of the address space", *entry,
		       KJ_EBACKUP, entry_from_a(), control_top(), 0x508);
	p->backup_src_size = sizeof(low_a);
	check_low("after the refusals", mb->rounds);
	/* Off again: the rest of the suite does not borrow. */
	p->backup_src_size = 0;
	mb->low_len = 0;
}

#if defined(__x86_64__) && !defined(KJ_EFI)
/* CR3 at A's latest re-entry, before A loaded its own (jump.asm). */
extern uint64_t resume_cr3;

#define PTE_P		0x001ull
#define PTE_AD		0x060ull	/* accessed and dirty: the CPU's to set */
#define PTE_PS		0x080ull
#define PTE_ADDR	0x000ffffffffff000ull

static unsigned int paging_levels(void)
{
	unsigned long cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return (cr4 & (1ul << 12)) ? 5 : 4;
}

/*
 * A table of purgatory's map as A sees it: the tables lie in purgatory's
 * image, which sits in A's SRC pages while A runs (swap_image); 0 for a
 * table outside the image.
 */
static const uint64_t *map_table(uint64_t entry)
{
	uint64_t pa = entry & PTE_ADDR;

	if (pa < cfg.load || pa >= cfg.load + image_size)
		return 0;
	return (const uint64_t *)(SRC_PURG + (pa - cfg.load));
}

/*
 * The entry at `level` (2: page directory, 1: page table) that the map
 * rooted at cr3 uses for va; 0 if a level above is missing, a large page
 * or outside purgatory.
 */
static uint64_t map_entry(uint64_t cr3, uint64_t va, unsigned int level)
{
	const uint64_t *t = map_table(cr3);
	unsigned int l;

	for (l = paging_levels(); t; l--) {
		uint64_t e = t[(va >> (12 + 9 * (l - 1))) & 511];

		if (l == level)
			return e;
		if (!(e & PTE_P) || (e & PTE_PS))
			return 0;
		t = map_table(e);
	}
	return 0;
}

/*
 * The map purgatory resumed A under (after a B->A round): as deep as A's
 * paging, the first 2 MiB in 4 KiB pages (fixed MTRRs type it in pieces
 * down to 4 KiB; a 2 MiB page over several types is undefined), each
 * identity, present, writable, PAT entry 0; purgatory on 2 MiB pages.
 */
static void test_purgatory_map(void)
{
	uint64_t cr3 = resume_cr3, e;
	unsigned int i, bad = 0;

	if (cr3 < cfg.load || cr3 >= cfg.load + image_size) {
		fail("A was resumed under CR3 0x%llx, not purgatory's map in 0x%lx-0x%lx",
		     (unsigned long long)cr3, cfg.load, cfg.load + image_size);
		return;
	}
	e = map_entry(cr3, 0, 2);
	CHECK_EQ("purgatory's map: the entry over the first 2 MiB is a page table",
		 e & (PTE_P | PTE_PS), PTE_P);
	for (i = 0; i < 512; i++)
		if ((map_entry(cr3, i * 4096ull, 1) & ~PTE_AD) != (i * 4096ull | 3))
			bad++;
	CHECK_EQ("purgatory's map: 4 KiB pages over the first 2 MiB not identity, present, "
		 "writable, write-back", bad, 0);
	CHECK_EQ("purgatory's map: its own 2 MiB page", map_entry(cr3, cfg.load, 2) & ~PTE_AD,
		 (cfg.load & ~0x1fffffull) | PTE_PS | 3);
	tap("purgatory's map at A's re-entry (%u levels): the first 2 MiB in 512 4 KiB "
	    "write-back pages, purgatory in a 2 MiB page", paging_levels());
}

/*
 * The page-table pool's bound (arch/x86_64/idmap.c): B booted and resumed
 * with every range purgatory maps spread as far as one 8 GiB guest allows,
 * each crossing a boundary where it can. With load=0x17fff0000 purgatory
 * crosses 6 GiB; A's stack at 4 GiB + 32 has its mapped window cross 4 GiB
 * (purgatory writes only above 4 GiB, which is RAM); the borrowed low
 * memory crosses 2 GiB and its backup lies at 7.5 GiB; the ELF core header
 * crosses 512 GiB, past RAM (read as garbage, so B gets 0). A B->A
 * transition then needs a page directory for each of the eight GiB below
 * 8 GiB: with five levels, 11 tables, one more than the old 10-page pool.
 */
#define SPREAD_STACK	0x100000020ul
#define SPREAD_LOW	(0x80000000ul - 0x800)
#define SPREAD_BACKUP	0x1e0000000ul
#define SPREAD_LOW_LEN	0x1000ul
#define SPREAD_HDR	(0x8000000000ull - 0x8000)
#define SPREAD_HDR_SIZE	0x10000ull

static void test_spread_map(unsigned long *entry)
{
	struct kjump_params *p = params_in_src();
	struct b_mailbox *mb = mailbox_in_src();
	uint64_t boots;

	if (p->side_b.cpu.reentry) {
		mb->command = B_CMD_RETURN;
		jump(*entry, 0x701, control_top());
		check_resumed("B returning before the spread boot", KJ_PEER_RETURNED,
			      B_RETURN_VALUE, entry_from_a());
		*entry = ctl.word;
	}
	boots = p->b_boots;
	p->elfcorehdr = SPREAD_HDR;
	p->elfcorehdr_size = SPREAD_HDR_SIZE;
	mb->no_header = 0;
	mb->hdr_unusable = 1;
	p->panic_kernel = 0;
	p->backup_src_start = SPREAD_LOW;
	p->backup_start = SPREAD_BACKUP;
	p->backup_src_size = SPREAD_LOW_LEN;
	mb->low_len = 0;
	low_fill(SPREAD_LOW, SPREAD_LOW_LEN, SIDE_A_LOW, 0x700);
	memset((void *)SPREAD_BACKUP, 0, SPREAD_LOW_LEN);
	mb->command = B_CMD_CONTINUE;
	jump(*entry, 0x702, SPREAD_STACK);
	check_resumed("B booted with spread ranges", KJ_OK, 0, entry_from_a());
	CHECK_EQ("b_boots after the spread boot", p->b_boots, boots + 1);
	jump(ctl.word, 0x703, SPREAD_STACK);
	check_resumed("round trip with spread ranges", KJ_OK, 0, entry_from_a());
	CHECK_EQ("elfcorehdr_passed (header past RAM)", p->elfcorehdr_passed, 0);
	CHECK_EQ("A's borrowed range after the spread round trip",
		 low_checksum(SPREAD_LOW, SPREAD_LOW_LEN),
		 low_pattern_checksum(SPREAD_LOW_LEN, SIDE_A_LOW, 0x700));
	CHECK_EQ("B's copy in the backup area at 7.5 GiB", low_checksum(SPREAD_BACKUP, SPREAD_LOW_LEN),
		 low_pattern_checksum(SPREAD_LOW_LEN, SIDE_A_LOW, 0x700));
	*entry = ctl.word;
	tap("B booted and resumed with purgatory across 6 GiB, A's stack window across 4 GiB, "
	    "the borrowed range across 2 GiB, its backup at 7.5 GiB and the ELF core header "
	    "across 512 GiB (%u levels): no page-table pool runs out", paging_levels());
}
#endif

#if defined(__x86_64__) && !defined(KJ_EFI)
/*
 * kexec-tools names no header in kjump_params, so purgatory looks for
 * elfcorehdr= on B's command line, reached through boot_params (%rsi) while
 * A's page tables are loaded. A pointer A's tables do not map must mean
 * "no header", not a page fault: first boot_params itself at 12 GiB (past
 * A's 8 GiB identity map), then a boot_params whose command line is there.
 * B boots each time and returns at once (it needs no jump-back address).
 */
#define UNMAPPED_IN_A	0x300000000ul
static uint8_t fake_boot_params[4096] __attribute__((aligned(4096)));

static void test_boot_params_unmapped(unsigned long *entry)
{
	struct kjump_params *p = params_in_src();
	struct b_mailbox *mb = mailbox_in_src();
	uint64_t boots = p->b_boots, saved_hdr = p->elfcorehdr;
	unsigned long saved_end = p->cmdline_end;
	uint32_t saved_no_header = mb->no_header;
	uint32_t cmd_lo = (uint32_t)UNMAPPED_IN_A, cmd_hi = (uint32_t)(UNMAPPED_IN_A >> 32);

	mb->command = B_CMD_RETURN;
	jump(*entry, 0x801, control_top());
	check_resumed("B returning before the boot_params test", KJ_PEER_RETURNED,
		      B_RETURN_VALUE, entry_from_a());
	p->elfcorehdr = 0;
	mb->no_header = 1;
	mb->hdr_unusable = 0;
	p->entry64_regs.rsi = UNMAPPED_IN_A;
	mb->boot_si = UNMAPPED_IN_A;
	jump(ctl.word, 0x802, control_top());
	check_resumed("B booted with boot_params unmapped in A's tables", KJ_PEER_RETURNED,
		      B_RETURN_VALUE, entry_from_a());

	memset(fake_boot_params, 0, sizeof(fake_boot_params));
	memcpy(fake_boot_params + 0x202, "HdrS", 4);
	memcpy(fake_boot_params + 0x228, &cmd_lo, 4);		/* hdr.cmd_line_ptr */
	memcpy(fake_boot_params + 0x0c8, &cmd_hi, 4);		/* ext_cmd_line_ptr */
	p->entry64_regs.rsi = (unsigned long)fake_boot_params;
	mb->boot_si = (unsigned long)fake_boot_params;
	p->cmdline_end = UNMAPPED_IN_A + 0x100;
	jump(ctl.word, 0x803, control_top());
	check_resumed("B booted with its command line unmapped in A's tables", KJ_PEER_RETURNED,
		      B_RETURN_VALUE, entry_from_a());
	CHECK_EQ("B's boots in the boot_params test", p->b_boots, boots + 2);
	CHECK_EQ("B's boot checks in the boot_params test", mb->failures, 0);

	p->entry64_regs.rsi = B_BASE + B_CMDLINE_OFF;
	p->cmdline_end = saved_end;
	p->elfcorehdr = saved_hdr;
	mb->boot_si = 0;
	mb->no_header = saved_no_header;
	mb->command = B_CMD_CONTINUE;
	*entry = ctl.word;
	tap("boot_params, or the command line it names, unmapped in A's page tables: purgatory "
	    "reads no elfcorehdr= and boots B, instead of a page fault");
}
#endif

static void test_counters(void)
{
	const struct kjump_params *p = params_in_src();
	const struct b_mailbox *mb = mailbox_in_src();
	uint64_t transitions = 2 * cfg.rounds + 10, corrupted = 0, r;

	for (r = 1; r <= cfg.rounds; r++)
		corrupted += hdr_schedule(r) != HDR_INTACT;
	CHECK_EQ("transitions", p->transitions, transitions);
	CHECK_EQ("refused", p->refused, refused_expected);
	CHECK_EQ("nmis", p->nmis, 2);
	CHECK_EQ("side A entries", p->side_a.entries, cfg.rounds + 5);
	CHECK_EQ("side B entries", p->side_b.entries, cfg.rounds + 5);
	CHECK_EQ("b_boots", p->b_boots, 3);
	CHECK_EQ("running", p->running, KJ_SIDE_A);
	CHECK_EQ("B's entry count", mb->rounds, cfg.rounds + 5);
	CHECK_EQ("B's entries with the header", mb->hdr_given, cfg.rounds - corrupted + 3);
	CHECK_EQ("B's entries with 0 for a corrupted header", mb->hdr_zero, corrupted);
	CHECK_EQ("B's failures", mb->failures, 0);
	if (mb->failures)
		fail("B's first failure: %s", mb->first_failure);
	check_displaced();
	tap("purgatory's state survived %llu swap-outs: transitions=%llu refused=%llu "
	    "entries A=%llu B=%llu, exactly as expected",
	    (unsigned long long)(transitions + refused_expected),
	    (unsigned long long)p->transitions, (unsigned long long)p->refused,
	    (unsigned long long)p->side_a.entries, (unsigned long long)p->side_b.entries);
}

#if defined(__x86_64__)
/*
 * The end of a "control page" whose next 2 MiB A unmaps from its identity
 * map, for Linux 6.14-7.0's one-way entry: the word at the entry's %rsp is
 * then not even mapped (nothing of the test's lives there).
 */
#define ONE_WAY_614_TOP	0x08000000ul

/* Take the 2 MiB page at pa out of A's boot identity map (boot_a.asm). */
static void unmap_2m(unsigned long pa)
{
	uint64_t cr3, *pml4, *pdpt, *pd;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(cr3 & ~0xfffull);
	pdpt = (uint64_t *)(pml4[(pa >> 39) & 511] & ~0xfffull);
	pd = (uint64_t *)(pdpt[(pa >> 30) & 511] & ~0xfffull);
	pd[(pa >> 21) & 511] = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(pa) : "memory");
}
#endif

/*
 * mode=nmi: round trips while the host injects NMIs at random moments
 * (tests/qemu/nmi.t). Every step is verified as in test_rounds; the NMI
 * frames may use FRAME_SLACK below the stack slots, and neither kernel
 * zaps its tables (that window belongs to the kernel, not purgatory).
 * Every NMI lands in one of three handlers, A's, B's or purgatory's, and
 * the host checks that their counts add up to what it injected.
 */
static void run_nmi_soak(void)
{
	struct kjump_params *p = params_in_src();
	struct b_mailbox *mb = mailbox_in_src();
	unsigned long entry = entry_start();
	uint64_t round, a_nmis, b_nmis, purg_nmis;

	nmi_soak = 1;
	mb->nmi_soak = 1;
	kprintf("# NMI injection starts\n");
	for (round = 1; round <= cfg.rounds && !tap_check_failures(); round++) {
		char what[48];

		set_canary(round);
		jump(entry, round, control_top());
		kj_snprintf(what, sizeof(what), "round %llu", (unsigned long long)round);
		check_resumed(what, KJ_OK, 0, entry_from_a());
		check_canary(round);
		check_mailbox(round);
		entry = ctl.word;
	}
	kprintf("# NMI injection ends\n");
	nmi_settle();
	a_nmis = *(volatile uint64_t *)nmi_counter;
	b_nmis = mb->nmis_b;
	purg_nmis = p->nmis;
	kprintf("# NMIs counted: A %llu B %llu purgatory %llu total %llu\n",
		(unsigned long long)a_nmis, (unsigned long long)b_nmis,
		(unsigned long long)purg_nmis, (unsigned long long)(a_nmis + b_nmis + purg_nmis));
	CHECK_EQ("round trips", round - 1, cfg.rounds);
	CHECK_EQ("transitions", p->transitions, 2 * cfg.rounds);
	tap("%lu round trips (%lu transitions) with NMIs injected at random moments: status, "
	    "registers, flags, stacks, tables and canaries verified at every step",
	    cfg.rounds, 2 * cfg.rounds);
	tap_done();
	qemu_exit(EXIT_DONE);
}

/* Bad calls purgatory cannot return from: it must say why and halt. */
static void run_fatal(void)
{
	unsigned long ok_word = (unsigned long)raw_call_returned;

	kprintf("# A: %s: expecting purgatory to halt with a message\n", cfg.mode);
	if (!strcmp(cfg.mode, "fatal-one-way-digest") || !strcmp(cfg.mode, "fatal-one-way-614"))
		params_in_src()->sha256_digest[0] ^= 1;
	swap_image();
	if (!strcmp(cfg.mode, "fatal-reentry-zero"))
		/* At purgatory_start a 0 means "one-way" (next case); elsewhere it is fatal. */
		raw_call(entry_from_a(), control_top(), 0);
	else if (!strcmp(cfg.mode, "fatal-one-way-digest"))
		/* Linux's entry without preserve context, into segments that changed. */
		raw_call(entry_start(), control_top(), 0);
#if defined(__x86_64__)
	else if (!strcmp(cfg.mode, "fatal-one-way-614")) {
		/*
		 * Linux 6.14-7.0 without preserve context: no 0 word, every
		 * register zero, and the word at %rsp unmapped. Purgatory must
		 * take it for the one-way entry it is without reading that word.
		 */
		unmap_2m(ONE_WAY_614_TOP);
		raw_call_zero(entry_start(), ONE_WAY_614_TOP);
	}
#endif
	else if (!strcmp(cfg.mode, "fatal-stack-in-purgatory"))
		/*
		 * Inside purgatory's own stack: the i386 stub writes 12 bytes
		 * below the caller's %esp before any check, which must not be
		 * code purgatory is about to run.
		 */
		raw_call(entry_start(), cfg.load + hdr.stack_end - 0x800, ok_word);
	else if (!strcmp(cfg.mode, "fatal-stack-null-page"))
		raw_call(entry_start(), 0x800, ok_word);
	else if (!strcmp(cfg.mode, "fatal-stack-above-purgatory"))
		/* S = image end + 3 words: the guard reaches one word into the image. */
		raw_call(entry_start(), cfg.load + image_size + 4 * sizeof(long), ok_word);
	else if (!strcmp(cfg.mode, "fatal-reentry-in-purgatory"))
		raw_call(entry_start(), control_top(), cfg.load + hdr.entry_from_b + 1);
	kprintf("not ok - unknown mode %s\n", cfg.mode);
	qemu_exit(EXIT_SETUP);
}

#ifndef KJ_EFI
void one_way_probe32(void);	/* one_way_probe.asm */

/*
 * A one-way boot (kexec without preserve context: entered at purgatory_start
 * with a 0 word) of a 32-bit probe instead of kernel B, through entry32_regs
 * as kexec-tools' 32-bit loader fills them. The probe ends the run with
 * 0x10, plus 1 if CR4 was not 0 when it started (x86_64: the way down from
 * long mode), plus 2 if A's crash-note buffer was written: a one-way boot
 * has no A to resume, so a note there would be a phantom CPU.
 */
static void run_one_way_probe(void)
{
	struct kjump_params *p = params_in_src();

	memset(crash_note, 0, sizeof(crash_note));
	p->entry32_regs.eip = (uint32_t)(unsigned long)one_way_probe32;
	p->entry32_regs.ebx = (uint32_t)(unsigned long)crash_note;
	p->entry32_regs.ecx = sizeof(crash_note);
#if defined(__x86_64__)
	p->entry32_regs.edx = 1;
	p->entry32_regs.esp = B_BOOT_STACK;
	p->entry64_regs.rip = 0;	/* kexec --entry-32bit: entry32_regs only */
#else
	p->entry32_regs.edx = 0;	/* already in 32-bit protected mode: CR4 is A's */
#endif
	kprintf("# A: one-way boot of the 32-bit probe at 0x%lx, crash-note buffer 0x%lx "
		"(%lu bytes) in its header\n", (unsigned long)one_way_probe32,
		(unsigned long)crash_note, (unsigned long)sizeof(crash_note));
	swap_image();
	raw_call(entry_start(), control_top(), 0);
	kprintf("not ok - purgatory returned from a one-way boot\n");
	qemu_exit(EXIT_SETUP);
}
#endif

/* Loaded off a 4 KiB boundary: refused before anything else happens. */
static void test_misaligned_load(void)
{
	const struct kjump_params *p = params_in_src();

	jump(entry_start(), 0x401, control_top());
	check_resumed("misaligned load address", KJ_ELOAD, 0, entry_from_a());
	CHECK_EQ("refused", p->refused, 1);
	CHECK_EQ("transitions", p->transitions, 0);
	CHECK_EQ("b_boots", p->b_boots, 0);
	tap("purgatory loaded at 0x%lx (not 4 KiB aligned) refuses with KJ_ELOAD and "
	    "resumes A untouched", cfg.load);
}

#ifdef KJ_EFI
/*
 * UEFI without a compatibility module has no legacy BIOS: the BIOS-call
 * service must refuse with KJ_ENOBIOS instead of jumping through an IVT
 * nobody set up. Purgatory is swapped in for the call, as for a jump.
 */
static void test_bios_call_refused(void)
{
	struct kjump_bios_call c;
	long (*service)(struct kjump_bios_call *);
	long status;

	memset(&c, 0, sizeof(c));
	c.magic = KJ_BIOS_MAGIC;
	c.size = sizeof(c);
	c.vector = 0x15;
	c.area = 0x10000;
	c.in.eax = 0xe820;
	c.status = 0x7777;
	swap_image();
	service = (long (*)(struct kjump_bios_call *))(cfg.load + hdr.entry_bios_call);
	status = service(&c);
	swap_image();
	CHECK_EQ("status returned", status, KJ_ENOBIOS);
	CHECK_EQ("status in the call block", c.status, KJ_ENOBIOS);
	tap("OVMF has no legacy BIOS: the BIOS-call service refuses int 15h with KJ_ENOBIOS (%d)",
	    KJ_ENOBIOS);
}
#endif

void raw_call_came_back(void)
{
	kprintf("not ok - purgatory returned from a call it should have refused to return from\n");
	qemu_exit(EXIT_DONE);
}

void a_main(void)
{
	unsigned long entry;

	console_init();
	parse_cmdline(boot_cmdline());
	verbose = !strcmp(cfg.mode, "demo");
	kprintf("# kernel A (%s): load=0x%lx conv=%lu rounds=%lu mode=%s\n",
#if defined(__x86_64__)
		"x86_64",
#else
		"i386",
#endif
		cfg.load, cfg.conv, cfg.rounds, cfg.mode);
	stage();
	test_header();
	if (!memcmp(cfg.mode, "fatal-", 6))
		run_fatal();
	if (!strcmp(cfg.mode, "nmi"))
		run_nmi_soak();
	if (!memcmp(cfg.mode, "bench", 5))
		run_bench();
#ifndef KJ_EFI
	if (!strcmp(cfg.mode, "one-way-probe"))
		run_one_way_probe();
#endif
	if (cfg.load & (KJ_IMAGE_ALIGN - 1)) {
		test_misaligned_load();
		tap_done();
		qemu_exit(EXIT_DONE);
	}
	if (!verbose) {
		test_refusals_before_start();
		test_caller_flags();
	}
	test_rounds();
#if defined(__x86_64__) && !defined(KJ_EFI)
	if (!verbose)
		test_purgatory_map();
#endif
	test_hdr_delivery();
	entry = ctl.word;
	test_b_returns(&entry);
	test_counters();
	if (!verbose) {
		test_kexec_tools_extras();
		test_borrowed_low_memory(&entry);
	}
#if defined(__x86_64__) && !defined(KJ_EFI)
	if (!verbose)
		test_boot_params_unmapped(&entry);
	if (cfg.spread)
		test_spread_map(&entry);
#endif
#ifdef KJ_EFI
	test_bios_call_refused();
#endif
	tap_done();
	qemu_exit(EXIT_DONE);
}
