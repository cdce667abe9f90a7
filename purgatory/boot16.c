// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec-tools' real-mode entry (`kexec --real-mode`): B starts at its
 * 16-bit setup code with entry16_regs, in real mode. kexec-tools asks for it
 * by pointing entry32_regs.eip at purgatory's `entry16`; this purgatory
 * recognises that address at B's boot (purgatory/transition.c) and goes
 * down to real mode the way a BIOS call does, from an area inside its own
 * image (kexec-tools loads purgatory below 640 KiB for --real-mode), then
 * jumps instead of calling. An x86_64 purgatory also takes kexec-tools'
 * 32-bit entry (--entry-32bit) the same way, stopping at flat 32-bit
 * protected mode.
 */
#include "kjump.h"
#include "realmode.h"
#include "pc.h"
#include "../arch/x86/descriptors.h"
#include "../lib/io.h"
#include "../lib/string.h"

/* Scratch, filled at every use (kj_rm_fill_area): not in the file. */
static uint8_t boot16_area[KJ_BIOS_AREA_SIZE]
	__attribute__((aligned(KJ_BIOS_AREA_ALIGN), section(".nobits.boot16")));

/* Never run: its address in entry32_regs.eip is the request (see above). */
noreturn void entry16(void)
{
	kj_fatal("entry16 reached as code: B's real-mode entry is started by purgatory itself "
		 "from entry16_regs, not by a jump here");
}

static uint32_t linear16(uint16_t seg, uint32_t off)
{
	return ((uint32_t)seg << 4) + off;
}

int kj_real_mode_check(const struct kjump_regs16 *r)
{
	uint64_t area = (uintptr_t)boot16_area;
	uint32_t ip = linear16(r->cs, r->ip), sp = linear16(r->ss, r->esp);

	if (!kj_legacy_bios_memory_end()) {
		kj_log("real-mode entry refused: no legacy BIOS (no date at F000:FFF5 or no "
		       "conventional memory size in the BIOS data area)");
		return KJ_ENOBIOS;
	}
	if ((uint64_t)area + KJ_BIOS_AREA_SIZE > LOW_MEM_END) {
		kj_log("real-mode entry refused: purgatory (its entry area at 0x%llx) is above what real mode "
		       "reaches (kexec-tools loads it below 640 KiB for --real-mode)",
		       (unsigned long long)area);
		return KJ_ENOENTRY;
	}
	/*
	 * The stack may be purgatory's own: kexec-tools points ss:sp just below
	 * stack_end, and purgatory needs it no more once B runs (every entry
	 * starts afresh at stack_end).
	 */
	if (ip < BDA_END || ip >= ROM_START || kj_overlaps_image(ip, 1) ||
	    r->esp > 0xffff || sp < BDA_END + 16 || sp > ROM_START) {
		kj_log("real-mode entry refused: entry16_regs cs:ip %04x:%04x (want conventional "
		       "memory outside purgatory) or ss:sp %04x:%x (want conventional memory)",
		       r->cs, r->ip, r->ss, r->esp);
		return KJ_ENOENTRY;
	}
	return KJ_OK;
}

/* The entry area filled as for a call with these registers (the caller checked it fits). */
static struct kj_rm_data *entry_area(const struct kjump_bios_regs *in, uint16_t ip, uint16_t cs)
{
	struct kjump_bios_call c;
	uint32_t area = (uint32_t)(uintptr_t)boot16_area;

	memset(&c, 0, sizeof(c));
	c.in = *in;
	kj_rm_fill_area(&c, area, ip, cs);
	return (struct kj_rm_data *)(uintptr_t)(area + KJ_RM_DATA_OFF);
}

noreturn void kj_boot_real_mode(const struct kjump_regs16 *r)
{
	const struct kjump_bios_regs in = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp,
					    r->ds, r->es, r->fs, r->gs, FLAGS_RESERVED };
	struct kj_rm_data *d = entry_area(&in, r->ip, r->cs);

	d->jump = KJ_RM_JUMP_REAL;
	d->jump_ss = r->ss;
	d->jump_esp = r->esp;
	kj_log("booting B in real mode at %04x:%04x (entry16_regs), stack %04x:%04x", r->cs, r->ip,
	       r->ss, r->esp);
	/*
	 * The state real-mode code expects of a PC: NMIs off (a half-done switch
	 * has no handler), A20 as the caller left it, the PICs at the BIOS's
	 * vector bases and all masked (the kernel's setup code unmasks nothing).
	 */
	outb(PORT_CMOS_INDEX, CMOS_NMI_OFF);
	kj_pic_program(BIOS_PIC_BASE_MASTER, BIOS_PIC_BASE_SLAVE);
	/*
	 * B's boot leaves through the area's code: let the next CPU in now.
	 * Only arch_bios_call's few pushes and its far return still use
	 * purgatory's stack, deep below the top where an entering CPU starts.
	 */
	kj_cpu_leave();
	arch_bios_call((uintptr_t)boot16_area);
	kj_fatal("real-mode entry of B returned to purgatory");
}

#if defined(__x86_64__)
int kj_protected32_check(void)
{
	uint64_t area = (uintptr_t)boot16_area;

	if (area + KJ_BIOS_AREA_SIZE > (1ull << 32)) {
		kj_log("32-bit entry refused: purgatory (its entry area at 0x%llx) is above 4 GiB, where "
		       "32-bit code cannot run", (unsigned long long)area);
		return KJ_ENOENTRY;
	}
	return KJ_OK;
}

noreturn void kj_boot_protected32(const struct kjump_regs32 *r)
{
	const struct kjump_bios_regs in = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp,
					    0, 0, 0, 0, FLAGS_RESERVED };
	struct kj_rm_data *d = entry_area(&in, 0, 0);

	/* The boot protocol's __BOOT_CS: flat 32-bit code, not the way back's 64-bit. */
	d->gdt[KJ_RM_SEL_CODE / 8] = KJ_DESC_CODE32;
	d->jump = KJ_RM_JUMP_PM32;
	d->jump_eip = r->eip;
	d->jump_esp = r->esp;
	kj_log("booting B in 32-bit protected mode at 0x%x (entry32_regs), esp 0x%x", r->eip,
	       r->esp);
	kj_cpu_leave();		/* as in kj_boot_real_mode */
	arch_bios_call((uintptr_t)boot16_area);
	kj_fatal("32-bit entry of B returned to purgatory");
}
#endif
