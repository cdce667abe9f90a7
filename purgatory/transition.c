// SPDX-License-Identifier: GPL-2.0-only
/*
 * The coroutine between kernel A and kernel B (docs/protocol.md).
 *
 * Every transition enters purgatory by a call: the word on top of the
 * caller's stack is where the caller wants to be resumed. Purgatory records
 * that word, the stack pointer and the callee-saved registers of the caller,
 * then resumes the other side by "calling" its recorded re-entry address
 * from purgatory code. A kernel that takes its peer's re-entry address from
 * the top of its stack (Linux 6.1-6.13) or pops it (6.14+) therefore records
 * a purgatory address, and the next transition comes through here again.
 *
 * All state lives in kjump_params inside purgatory's image, so it survives
 * the image being swapped out and back in by the kernel's swap_pages.
 */
#include "kjump.h"
#include "../lib/string.h"
#include "../lib/vga.h"

struct kjump_cpu kj_incoming;

/* Stack windows mapped around a saved stack pointer (x86_64). */
#define STACK_BELOW	64u
#define STACK_ABOVE	64u
/* The lowest page is never a plausible stack or re-entry address. */
#define NULL_PAGE_END	0x1000u

/*
 * Linux enters purgatory_start by `ret`, with a 0 where the re-entry word
 * would be, when the image was loaded without preserve context (plain
 * kexec, kdump): relocate_kernel pushes that 0 so that purgatory can tell.
 * Nothing of the caller survives such an entry, so B is booted one-way.
 */
static int one_way_start(unsigned int entry)
{
	return entry == KJ_ENTRY_START && kj_incoming.reentry == 0;
}

static const char *side_name(unsigned int side)
{
	return side == KJ_SIDE_A ? "A" : side == KJ_SIDE_B ? "B" : "none";
}

static unsigned long image_start(void)
{
	return (unsigned long)_image_start;
}

/*
 * Problems with which we cannot even return to the caller: its re-entry
 * address or its stack is not somewhere a resume could safely use.
 */
static void check_caller_or_die(const struct kjump_cpu *in, unsigned int side,
				unsigned int entry)
{
	unsigned long sp = in->gpr[KJ_SP];

	/*
	 * B's ret consumed its return address and B is never resumed on
	 * that stack, so neither check applies. (kexec-tools boots B on
	 * purgatory's own stack, so that stack may well be inside the image.)
	 */
	if (entry == KJ_ENTRY_B_RETURNED || one_way_start(entry))
		return;
	if (sp < NULL_PAGE_END + KJ_STACK_BELOW || !kj_reachable(sp, KJ_STACK_ABOVE) ||
	    kj_overlaps_image(sp - KJ_STACK_BELOW, KJ_STACK_BELOW + KJ_STACK_ABOVE))
		kj_fatal("entry %u from side %s: stack pointer 0x%lx is outside the allowed range "
			 "(at or above 0x%lx, below 0x%llx, not within %lu bytes of purgatory "
			 "0x%lx-0x%lx)",
			 entry, side_name(side), sp, (unsigned long)(NULL_PAGE_END + KJ_STACK_BELOW),
			 (unsigned long long)arch_phys_limit(), (unsigned long)KJ_STACK_BELOW,
			 image_start(), (unsigned long)_image_end);
	if (in->reentry < NULL_PAGE_END || !kj_reachable(in->reentry, 1) ||
	    kj_overlaps_image(in->reentry, 1))
		kj_fatal("entry %u from side %s: re-entry address 0x%lx is not a place to return to "
			 "(zero page, unreachable, or inside purgatory)",
			 entry, side_name(side), in->reentry);
}

static int check_params(const struct kjump_params *p)
{
	if (p->magic != KJ_PARAMS_MAGIC || p->abi_version != KJ_ABI_VERSION ||
	    p->size != sizeof(*p))
		return KJ_EPARAMS;
	return KJ_OK;
}

static int check_side(const struct kjump_params *p, unsigned int entry)
{
	switch (entry) {
	case KJ_ENTRY_START:
		if (p->running == KJ_SIDE_NONE)
			return KJ_OK;
		return p->running == KJ_SIDE_A ? KJ_EAGAIN : KJ_ESIDE;
	case KJ_ENTRY_FROM_A:
		return p->running == KJ_SIDE_A ? KJ_OK : KJ_ESIDE;
	case KJ_ENTRY_FROM_B:
	case KJ_ENTRY_B_RETURNED:
		return p->running == KJ_SIDE_B ? KJ_OK : KJ_ESIDE;
	}
	return KJ_ESIDE;
}

const char *kj_status_name(int status)
{
	switch (status) {
	case KJ_OK: return "ok";
	case KJ_PEER_RETURNED: return "peer returned";
	case KJ_EPARAMS: return "parameter block missing or of another ABI version";
	case KJ_ESIDE: return "entry does not match the side that is running";
	case KJ_ENOENTRY: return "B's entry point is not set or not usable";
	case KJ_ESTACK: return "caller's stack pointer is misaligned";
	case KJ_EPAGING: return "caller's paging state is not supported";
	case KJ_EMAP: return "target cannot be mapped by purgatory's page tables";
	case KJ_EAGAIN: return "second first entry: B is already running";
	case KJ_ELOAD: return "purgatory is not loaded at a 4 KiB boundary";
	case KJ_EDIGEST: return "the loaded segments fail their SHA-256 check";
	case KJ_ENOPEER: return "A was started one-way (no preserve context): there is no A to resume";
	case KJ_EBIOSCALL: return "BIOS call block missing or malformed";
	case KJ_ENOBIOS: return "no legacy BIOS";
	case KJ_EAREA: return "BIOS call area unusable";
	case KJ_EBOUNCE: return "BIOS call bounce buffer unusable";
	case KJ_EVECTOR: return "interrupt vector points nowhere sensible";
	case KJ_ESEGMENT: return "a selector of the caller's cannot be reloaded from its GDT";
	case KJ_EBACKUP: return "borrowed low memory or its backup area unusable";
	case KJ_EBUSY: return "another CPU is inside purgatory";
	case KJ_ELOST: return "B did not survive A's hibernation (only A's memory was saved): load B again";
	}
	return "unknown";
}

/* Map the pages a resume of this CPU state touches: re-entry code and stack. */
static int map_side(const struct kjump_cpu *cpu)
{
	int err = arch_map(cpu->reentry, 1);

	if (!err)
		err = arch_map(cpu->gpr[KJ_SP] - STACK_BELOW, STACK_BELOW + STACK_ABOVE);
	return err;
}

/*
 * Hand the caller an error and let it continue; nothing about the
 * transition state changes. It resumes under its own page tables, which
 * mapped its re-entry code and stack a moment ago.
 */
static noreturn void refuse(unsigned int side, unsigned int entry, int status)
{
	struct kjump_params *p = &kjump_params;
	unsigned long label = side == KJ_SIDE_A ? (unsigned long)kjump_entry_from_a
						: (unsigned long)kjump_entry_from_b;

	if (entry == KJ_ENTRY_B_RETURNED)
		kj_fatal("B returned from its boot entry, but %s; B has no re-entry address to "
			 "refuse to", kj_status_name(status));
	if (one_way_start(entry))
		kj_fatal("one-way boot of B (entered without a re-entry address) refused: status %d, "
			 "%s; nothing to return to", status, kj_status_name(status));
	p->refused++;
	p->last_status = status;
	kj_log("refused entry %u from side %s (running: %s): status %d, %s",
	       entry, side_name(side), side_name(p->running), status, kj_status_name(status));
	arch_resume(&kj_incoming, status, (unsigned long)(long)status, 0, label,
		    kj_incoming.cr3);
}

static void trace(const char *what, const struct kjump_cpu *from, unsigned long to_ip,
		  unsigned long to_sp, uint64_t hdr)
{
	const struct kjump_params *p = &kjump_params;

	if (p->flags & KJ_FLAG_TRACE)
		kj_log("#%llu %s: caller re-entry 0x%lx sp 0x%lx -> 0x%lx sp 0x%lx, elfcorehdr 0x%llx",
		       (unsigned long long)p->transitions, what, from->reentry,
		       from->gpr[KJ_SP], to_ip, to_sp, (unsigned long long)hdr);
}

static int usable_boot_entry(unsigned long ip, unsigned long sp)
{
	/* The stack may be purgatory's own (kexec-tools uses stack_end). */
	return ip >= NULL_PAGE_END && kj_reachable(ip, 1) && !kj_overlaps_image(ip, 1) &&
	       !(sp & (sizeof(long) - 1)) && sp >= NULL_PAGE_END + KJ_STACK_BELOW &&
	       kj_reachable(sp - KJ_STACK_BELOW, KJ_STACK_BELOW);
}

/*
 * B's boot registers, copied so that the C argument can be filled in. Not on
 * purgatory's stack: kexec-tools points B's boot stack at stack_end, and
 * arch_boot reads this while it writes the top of that stack.
 */
#if defined(__x86_64__)
static struct kjump_regs64 boot_regs;
#else
static struct kjump_regs32 boot_regs;
#endif

/*
 * The ELF core header named on B's command line, for a loader (kexec-tools)
 * that does not set kjump_params.elfcorehdr. Read at B's boot, while the
 * command line is still the loader's, and used for the rest of B's life.
 */
static uint64_t cmdline_hdr, cmdline_hdr_size;

/*
 * What kexec-tools' purgatory does before it starts a kernel, after the
 * digest check: the crash backup copy (with panic_kernel: the memory the
 * crash kernel will reuse, saved to backup_start for the dump) and a VGA
 * reset to text mode (reset_vga). Done before every boot of B, under the
 * caller's page tables, which map the loaded segments and the memory being
 * saved.
 */
static void kexec_tools_setup(const struct kjump_params *p)
{
	if (p->panic_kernel && p->backup_start && p->backup_src_size) {
		if (!kj_reachable(p->backup_src_start, p->backup_src_size) ||
		    !kj_reachable(p->backup_start, p->backup_src_size) ||
		    kj_overlaps_image(p->backup_src_start, p->backup_src_size) ||
		    kj_overlaps_image(p->backup_start, p->backup_src_size))
			kj_log("crash backup 0x%lx (+0x%lx) -> 0x%lx not done: unreachable or "
			       "overlapping purgatory", p->backup_src_start, p->backup_src_size,
			       p->backup_start);
		else
			memmove((void *)p->backup_start, (const void *)p->backup_src_start,
				p->backup_src_size);
	}
	if (p->reset_vga)
		vga_reset();
}

/* A (entry START or FROM_A) asks for B: boot it, or resume it. */
static noreturn void switch_to_b(unsigned int entry)
{
	struct kjump_params *p = &kjump_params;
	struct kjump_side *b = &p->side_b;
	uint64_t hdr_addr, hdr_size, hdr;
	int booting = !b->cpu.reentry;
	int one_way = one_way_start(entry);
	/* B borrows A's low memory only when A is coming back. */
	int lowmem = !one_way && kj_lowmem_borrowed(p);
	int hdr_mapped, cmdline_mapped;
	int err = 0;
#if defined(__x86_64__)
	/* kexec-tools' 32-bit loader (kexec --entry-32bit, --real-mode) fills entry32_regs only. */
	int entry32 = booting && !p->entry64_regs.rip && p->entry32_regs.eip;
	int real_mode = entry32 && p->entry32_regs.eip == (uint32_t)(uintptr_t)entry16;
	unsigned long boot_ip = entry32 ? p->entry32_regs.eip : p->entry64_regs.rip;
	unsigned long boot_sp = entry32 ? p->entry32_regs.esp : p->entry64_regs.rsp;
	unsigned long boot_params = entry32 ? p->entry32_regs.esi : p->entry64_regs.rsi;
#else
	unsigned long boot_ip = p->entry32_regs.eip, boot_sp = p->entry32_regs.esp;
	unsigned long boot_params = p->entry32_regs.esi;
	/* kexec --real-mode names purgatory's entry16 as B's 32-bit entry. */
	int real_mode = booting && boot_ip == (unsigned long)entry16;
#endif

	/* After a restore from a hibernation image, B's memory is not B's. */
	if (booting && p->b_lost)
		refuse(KJ_SIDE_A, entry, KJ_ELOST);
	/* Still on A's page tables, which map every loaded segment. */
	if (booting && !p->b_boots && (err = kj_verify_segments(p)) != KJ_OK)
		refuse(KJ_SIDE_A, entry, err);
	if (real_mode && (err = kj_real_mode_check(&p->entry16_regs)) != KJ_OK)
		refuse(KJ_SIDE_A, entry, err);
#if defined(__x86_64__)
	if (entry32 && !real_mode && (err = kj_protected32_check()) != KJ_OK)
		refuse(KJ_SIDE_A, entry, err);
#endif
	if (booting && !real_mode && !usable_boot_entry(boot_ip, boot_sp))
		refuse(KJ_SIDE_A, entry, KJ_ENOENTRY);
	if (!booting && !arch_compatible(&b->cpu))
		refuse(KJ_SIDE_A, entry, KJ_EPAGING);
	if (lowmem && (err = kj_lowmem_check(p)) != KJ_OK)
		refuse(KJ_SIDE_A, entry, err);

	/* Still on A's page tables: B's boot_params and command line are mapped. */
	if (booting && !p->elfcorehdr)
		cmdline_hdr = kj_cmdline_elfcorehdr(boot_params, p->cmdline_end, &cmdline_hdr_size);
	hdr_addr = p->elfcorehdr ? p->elfcorehdr : cmdline_hdr;
	hdr_size = p->elfcorehdr ? p->elfcorehdr_size : cmdline_hdr_size;
	if (!hdr_size)
		hdr_size = KJ_ELFCOREHDR_DEFAULT_SIZE;

	arch_map_begin();
	err = one_way ? KJ_OK : map_side(&kj_incoming);
	if (!err && !booting)
		err = map_side(&b->cpu);
	if (!err && lowmem)
		err = kj_lowmem_map(p);
	if (err)
		refuse(KJ_SIDE_A, entry, err);
	/*
	 * Nothing can refuse A from here on: only now act. The setup still runs
	 * under A's page tables (the map is not loaded yet).
	 */
	if (booting)
		kexec_tools_setup(p);
	/*
	 * The header and the command line are the loader's business: if they
	 * cannot be mapped, B gets no header (0) or no kexec_jump_back_entry=,
	 * and the transition still happens.
	 */
	hdr_mapped = !hdr_addr || arch_map(hdr_addr, hdr_size) == KJ_OK;
	cmdline_mapped = booting && !one_way && p->cmdline_end &&
			 arch_map(p->cmdline_end, 64) == KJ_OK;
	arch_map_commit();

	/* Recorded only now: a refused entry leaves no trace in the state. */
	p->side_a.cpu = kj_incoming;
	p->side_a.entries++;
	p->jump_back_entry = kj_incoming.reentry;
	/* A's low memory goes to the backup area; B gets a copy, or its own back. */
	if (lowmem && booting)
		kj_lowmem_save(p);
	else if (lowmem)
		kj_lowmem_swap(p);

	if (hdr_mapped) {
		hdr = kj_check_elfcorehdr(hdr_addr, hdr_size);
	} else {
		kj_log("ELF core header at 0x%llx (size 0x%llx) cannot be mapped; passing 0 to B",
		       (unsigned long long)hdr_addr, (unsigned long long)hdr_size);
		hdr = 0;
	}
	p->elfcorehdr_passed = hdr;
	/*
	 * A's note only when there is an A to resume: after a one-way entry
	 * the registers are what relocate_kernel zeroed, and a crash kernel's
	 * header already has the notes its kernel wrote; a note here would be
	 * a phantom CPU with ip 0 in B's vmcore.
	 */
	if (hdr && !one_way)
		kj_crash_note_write(hdr, &p->side_a.cpu);
	p->running = KJ_SIDE_B;
	p->last_status = KJ_OK;

	if (booting) {
		if (one_way)
			kj_log("booting B one-way: entered without a re-entry address (kexec "
			       "without preserve context), so B gets no kexec_jump_back_entry=");
		else if (cmdline_mapped)
			kj_append_jump_back_entry(p->cmdline_end, (unsigned long)kjump_entry_from_b);
		else if (p->cmdline_end)
			kj_log("cmdline_end 0x%lx cannot be mapped; B gets no kexec_jump_back_entry=",
			       p->cmdline_end);
		trace("A->B (boot)", &kj_incoming, boot_ip, boot_sp, hdr);
		p->b_boots++;
		p->transitions++;
		kj_report_busy();
#if defined(__x86_64__)
		if (real_mode)
			kj_boot_real_mode(&p->entry16_regs);
		if (entry32)
			kj_boot_protected32(&p->entry32_regs);
		boot_regs = p->entry64_regs;
		/* B's first C argument is the header, when there is one to give. */
		if (p->elfcorehdr)
			boot_regs.rdi = hdr;
#else
		if (real_mode)
			kj_boot_real_mode(&p->entry16_regs);
		boot_regs = p->entry32_regs;
#endif
		arch_boot(&boot_regs, (unsigned long)hdr, p->elfcorehdr != 0,
			  (unsigned long)kjump_b_returned, kj_incoming.cr3);
	}
	trace("A->B", &kj_incoming, b->cpu.reentry, b->cpu.gpr[KJ_SP], hdr);
	p->transitions++;
	kj_report_busy();
	arch_resume(&b->cpu, KJ_OK, (unsigned long)hdr, 0,
		    (unsigned long)kjump_entry_from_b, 0);
}

/* B (entry FROM_B or B_RETURNED) asks for A. */
static noreturn void switch_to_a(unsigned int entry)
{
	struct kjump_params *p = &kjump_params;
	struct kjump_side *a = &p->side_a;
	int returned = entry == KJ_ENTRY_B_RETURNED;
	int status = returned ? KJ_PEER_RETURNED : KJ_OK;
	int lowmem = kj_lowmem_borrowed(p);
	int err;

	if (!a->cpu.reentry)
		refuse(KJ_SIDE_B, entry, KJ_ENOPEER);
	if (!arch_compatible(&a->cpu))
		refuse(KJ_SIDE_B, entry, KJ_EPAGING);
	if (lowmem && (err = kj_lowmem_check(p)) != KJ_OK)
		refuse(KJ_SIDE_B, entry, err);
	arch_map_begin();
	err = map_side(&a->cpu);
	if (!err && !returned)
		err = map_side(&kj_incoming);
	if (!err && lowmem)
		err = kj_lowmem_map(p);
	if (err)
		refuse(KJ_SIDE_B, entry, err);
	arch_map_commit();
	kj_crash_note_restore();
	/* A's low memory back in place, B's into the backup area (swapped out with B). */
	if (lowmem)
		kj_lowmem_swap(p);

	p->side_b.cpu = kj_incoming;
	p->side_b.entries++;
	if (returned) {
		/* B is finished: the next call from A boots it afresh. */
		p->side_b.cpu.reentry = 0;
		kj_log("B returned from its boot entry with 0x%lx; resuming A",
		       kj_incoming.gpr[KJ_AX]);
	}
	p->running = KJ_SIDE_A;
	p->last_status = status;
	trace(returned ? "B->A (B returned)" : "B->A", &kj_incoming, a->cpu.reentry,
	      a->cpu.gpr[KJ_SP], p->elfcorehdr_passed);
	p->transitions++;
	kj_report_busy();
	arch_resume(&a->cpu, status, (unsigned long)(long)status,
		    returned ? kj_incoming.gpr[KJ_AX] : 0,
		    (unsigned long)kjump_entry_from_a, 0);
}

/*
 * KJ_FLAG_BIOS_LIST: A's kexec -e runs a list of BIOS calls and A resumes
 * at once, B is never booted (docs/bios.md, "As a kexec-jump target"). A
 * is handed purgatory_start as the peer's next entry, so its next kexec -e
 * runs the list again; nothing about the coroutine state changes.
 */
static noreturn void run_bios_list(void)
{
	struct kjump_params *p = &kjump_params;
	int status;

	if (one_way_start(KJ_ENTRY_START))
		kj_fatal("BIOS list: entered without a re-entry address (kexec without preserve "
			 "context); nothing to return the results to");
	status = kj_bios_run_list(p->bios_list);
	p->last_status = status;
	if (status != KJ_OK)
		p->refused++;
	arch_resume(&kj_incoming, status, (unsigned long)(long)status, 0,
		    (unsigned long)purgatory_start, kj_incoming.cr3);
}

noreturn void kjump_enter(unsigned int entry)
{
	struct kjump_params *p = &kjump_params;
	unsigned int side = (entry == KJ_ENTRY_FROM_B || entry == KJ_ENTRY_B_RETURNED)
			    ? KJ_SIDE_B : KJ_SIDE_A;
	int status;

	/* A BIOS call returns with the caller's selectors: read them before they change. */
	if (entry == KJ_ENTRY_BIOS_CALL)
		kj_bios_save_caller();
	/* Built once per load address; the crossing from this caller's selectors. */
	kj_load_tables();
	/* A block that fails its check is not trusted, not even for a port number. */
	status = check_params(p);
	if (status == KJ_OK)
		kj_console_use(p);
	kj_report_busy();
	if (entry == KJ_ENTRY_BIOS_CALL)
		side = status == KJ_OK ? p->running : KJ_SIDE_NONE;

	check_caller_or_die(&kj_incoming, side, entry);

	/* The page-table pool must be page-aligned, so must the image. */
	if (status == KJ_OK && (image_start() & (KJ_IMAGE_ALIGN - 1)))
		status = KJ_ELOAD;
	/*
	 * A hibernation loader's plain kexec into the purgatory memory B
	 * saved (docs/hibernate.md): put A's memory back, then resume A as
	 * when B jumps back. A refusal from here on halts: C is gone.
	 */
	if (status == KJ_OK && one_way_start(entry) && p->restore_size) {
		status = arch_check_paging(&kj_incoming);
		if (status != KJ_OK)
			refuse(side, entry, status);
		kj_restore_a(p);
		switch_to_a(entry);
	}
	if (entry == KJ_ENTRY_BIOS_CALL) {
		/* Any side may call the BIOS, and it stays the side that runs. */
		if (status == KJ_OK)
			status = arch_check_paging(&kj_incoming);
		if (status == KJ_OK && (kj_incoming.gpr[KJ_SP] & (sizeof(long) - 1)))
			status = KJ_ESTACK;
		if (status != KJ_OK)
			kj_log("BIOS call refused: status %d, %s", status, kj_status_name(status));
		kj_bios_enter(status);
	}
	if (status == KJ_OK)
		status = check_side(p, entry);
	if (status == KJ_OK)
		status = arch_check_paging(&kj_incoming);
	if (status == KJ_OK && (kj_incoming.gpr[KJ_SP] & (sizeof(long) - 1)))
		status = KJ_ESTACK;
	if (status != KJ_OK)
		refuse(side, entry, status);

	if (entry == KJ_ENTRY_START && (p->flags & KJ_FLAG_BIOS_LIST))
		run_bios_list();
	if (side == KJ_SIDE_A)
		switch_to_b(entry);
	switch_to_a(entry);
}
