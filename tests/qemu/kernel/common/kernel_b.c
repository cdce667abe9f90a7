// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel B: booted by purgatory from the register block A's loader filled
 * in, it finds kexec_jump_back_entry= on its command line (appended by
 * purgatory) and from then on only ever "kexec -e"s back, exactly as a Linux
 * B does with kexec --load-jump-back-helper. It checks what purgatory hands
 * it at every entry and reports through a mailbox in its own memory, which
 * A reads from the swapped-out copy.
 */
#include <stdarg.h>
#include <kjump/abi.h>
#include "testbed.h"
#include "../../../../lib/printf.h"
#include "../../../../lib/string.h"

#define SIDE_B 2
#define BOOT_REG(i) (0xb0070000ul + (i) * 0x111ul)

/* boot_b.asm: registers as found at the boot entry (see there for order). */
extern unsigned long b_boot_regs[];
void arch_b_mmu(unsigned long purgatory_entry, unsigned long peer_page);
unsigned long b_main(unsigned long hdr_arg);

static struct jump_ctl ctl;
static unsigned char control_stack[4096] __attribute__((aligned(4096)));
static struct b_mailbox *const mb = (struct b_mailbox *)(B_BASE + B_MAILBOX_OFF);
static unsigned long canary_b[512];

/* Every failure names the entry it happened on. */
void fail(const char *fmt, ...)
{
	char line[200];
	size_t n = kj_snprintf(line, sizeof(line), "entry %llu: ", (unsigned long long)mb->rounds);
	va_list ap;

	va_start(ap, fmt);
	kj_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (!mb->failures++)
		memcpy(mb->first_failure, line, sizeof(line));
	if (mb->failures <= 5)
		kprintf("# B FAIL: %s\n", line);
}

/* "name=0x..." from the command line, or 0. */
static unsigned long cmdline_value(const char *cmdline, const char *name)
{
	size_t len = strlen(name);
	const char *s;

	for (s = cmdline; *s; s++) {
		if ((s == cmdline || s[-1] == ' ') && !memcmp(s, name, len) && s[len] == '=') {
			unsigned long n = 0;
			unsigned int base = 10;

			s += len + 1;
			if (s[0] == '0' && s[1] == 'x') {
				base = 16;
				s += 2;
			}
			for (; *s && *s != ' '; s++)
				n = n * base + (unsigned long)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
			return n;
		}
	}
	return 0;
}

/* Purgatory's NT_PRSTATUS note for A: A's state as it called purgatory. */
static void check_crash_note(void)
{
	const uint8_t *n = (const uint8_t *)(unsigned long)mb->crash_note;
	const uint32_t *nhdr = (const uint32_t *)n;
	const uint8_t *desc = n + 12 + 8;
	const uint32_t *end = (const uint32_t *)(desc + PRSTATUS_SIZE);
	unsigned int failures = mb->failures;

	CHECK_EQ("note n_namesz", nhdr[0], 5);
	CHECK_EQ("note n_descsz", nhdr[1], PRSTATUS_SIZE);
	CHECK_EQ("note n_type (NT_PRSTATUS)", nhdr[2], 1);
	CHECK_EQ("note name", memcmp(n + 12, "CORE", 5), 0);
	CHECK_EQ("pr_reg ip is A's re-entry", *(const unsigned long *)(desc + PR_REG_IP), mb->a_reentry);
	CHECK_EQ("pr_reg bx is A's", *(const unsigned long *)(desc + PR_REG_BX), mb->a_bx);
	CHECK_EQ("terminating empty note", end[0] | end[1] | end[2], 0);
	mb->notes_ok += mb->failures == failures;
}

static void check_hdr(unsigned long got, unsigned long expected)
{
	if (mb->hdr_unusable) {
		CHECK_EQ("argument with an unusable header configured", got, 0);
		mb->hdr_zero += got == 0;
	} else if (mb->no_header) {
		CHECK_EQ("argument with no header configured", got, 0);
		mb->hdr_none += got == 0;
	} else if (mb->nmi_soak || hdr_schedule(mb->rounds) == HDR_INTACT) {
		/* (mode=nmi corrupts nothing) */
		CHECK_EQ("ELF core header argument", got, expected);
		mb->hdr_given += got == expected;
		check_crash_note();
	} else {
		CHECK_EQ("ELF core header argument on a corrupted round", got, 0);
		mb->hdr_zero += got == 0;
	}
}

static void check_boot(unsigned long jump_back)
{
	unsigned int failures = mb->failures, i;

	for (i = 0; i < KJ_NGPR; i++) {
		char what[40];
		unsigned long want = BOOT_REG(i);

		if (i == KJ_SI)
			want = mb->boot_si ? mb->boot_si : B_BASE + B_CMDLINE_OFF;
		else if (i == KJ_SP)
			continue;	/* checked below */
#if defined(__x86_64__)
		else if (i == KJ_DI && !mb->no_header)
			continue;	/* carries the header: checked as the argument */
#endif
		kj_snprintf(what, sizeof(what), "boot register %u", i);
		CHECK_EQ(what, b_boot_regs[i], want);
	}
	/* The loader's %sp minus what purgatory pushed; A says what to expect. */
	CHECK_EQ("boot stack pointer", b_boot_regs[KJ_SP], mb->boot_sp_expected);
	CHECK_EQ("boot flags (IF and DF clear)", b_boot_regs[KJ_NGPR] & 0x600, 0);
	CHECK_EQ("boot CS is __BOOT_CS", b_boot_regs[KJ_NGPR + 1] & 0xffff, 0x10);
	CHECK_EQ("boot DS is __BOOT_DS", b_boot_regs[KJ_NGPR + 2] & 0xffff, 0x18);
	CHECK_EQ("kexec_jump_back_entry= on the command line", jump_back, mb->expected_entry);
	if (mb->failures == failures)
		mb->boot_checks_ok++;
}

/* B's use of the low memory it borrows from A (the mailbox's low_* fields). */
static void use_low_memory(void)
{
	if (!mb->low_len)
		return;
	mb->low_seen = low_checksum(mb->low_addr, mb->low_len);
	low_fill(mb->low_addr, mb->low_len, SIDE_B, mb->rounds);
}

unsigned long b_main(unsigned long hdr_arg)
{
	const char *cmdline = (const char *)(B_BASE + B_CMDLINE_OFF);
	unsigned long expected_hdr = cmdline_value(cmdline, "elfcorehdr");
	unsigned long entry = cmdline_value(cmdline, "kexec_jump_back_entry");
	unsigned long conv = cmdline_value(cmdline, "conv");
	int verbose = (int)cmdline_value(cmdline, "verbose");
	unsigned int i;

	mb->boots++;
	mb->rounds++;
	if (verbose)
		kprintf("# B: booted (boot #%llu), command line: %s\n",
			(unsigned long long)mb->boots, cmdline);
	check_boot(entry);
	use_low_memory();
	/*
	 * Without a header there is no argument: on x86_64 check_boot saw the
	 * loader's %rdi, on i386 the boot stack pointer proved nothing was
	 * pushed.
	 */
	if (mb->no_header)
		mb->hdr_none++;
	else
		check_hdr(hdr_arg, expected_hdr);
	arch_b_mmu(entry, mb->crash_note);

	for (;;) {
		uint64_t key = mb->rounds;

		if (mb->command == B_CMD_RETURN) {
			if (verbose)
				kprintf("# B: asked to return from its boot entry\n");
			return B_RETURN_VALUE;
		}
		for (i = 0; i < 512; i++)
			canary_b[i] = sentinel_value(SIDE_B, key, i);
		ctl.entry = entry;
		ctl.stack_top = (unsigned long)control_stack + sizeof(control_stack);
		ctl.convention = conv;
		ctl.flags_in = flags_pattern(key + 7);
		/* Both ways, out of step with A; never under injected NMIs (the window is the kernel's). */
		ctl.zap_tables = !mb->nmi_soak && ((key >> 1) & 1);
		for (i = 0; i < NSAVED; i++)
			ctl.sentinel[i] = sentinel_value(SIDE_B, key, i);
		if (verbose)
			kprintf("# B: entry %llu: kexec -e back to A through 0x%lx\n",
				(unsigned long long)key, entry);
		stack_fill((unsigned long *)control_stack, sizeof(control_stack) / sizeof(long));
		kexec_jump(&ctl);

		/* Resumed by purgatory: A's next jump. */
		mb->rounds++;
		use_low_memory();
		CHECK_EQ("status", ctl.status, KJ_OK);
		CHECK_EQ("re-entry word", ctl.word, mb->expected_entry);
		CHECK_EQ("aux", ctl.aux, 0);
		check_tables(&ctl);
		check_zeroed(&ctl);
		if (stack_check((unsigned long *)control_stack, sizeof(control_stack) / sizeof(long), &ctl,
				mb->nmi_soak ? FRAME_SLACK : 0))
			fail("stack word written outside the documented slots");
		CHECK_EQ("stack pointer", ctl.sp_at_reentry, expected_reentry_sp(&ctl));
		CHECK_EQ("flags", ctl.flags_out & (FLAGS_CHECKED | 0x200), ctl.flags_in & FLAGS_CHECKED);
		for (i = 0; i < NSAVED; i++)
			CHECK_EQ("callee-saved register", ctl.got[i], ctl.sentinel[i]);
		for (i = 0; i < 512; i++)
			if (canary_b[i] != sentinel_value(SIDE_B, key, i)) {
				fail("B's canary word %u changed", i);
				break;
			}
		check_hdr(ctl.arg, expected_hdr);
		entry = ctl.word;
	}
}
