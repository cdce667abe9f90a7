// SPDX-License-Identifier: GPL-2.0-only
/*
 * i386 CPU state purgatory owns: its GDT and IDT, its CS and SS while it
 * runs, and the contract that paging is off (as Linux's relocate_kernel_32
 * leaves it). The caller's GDTR and IDTR were saved by entry.asm and are
 * given back by arch_resume, and so are its CS and SS selectors (see
 * purgatory/bridge_gdt.c); DS, ES, FS and GS keep the caller's flat
 * descriptors.
 */
#include "../../purgatory/kjump.h"
#include "desc.h"
#include "../../purgatory/bridge_gdt.h"
#include "../x86/cpu_bits.h"

/* Purgatory's own descriptors (purgatory/tables.c): flat 32-bit code and data. */
void arch_own_descriptors(uint64_t *gdt)
{
	gdt[KJ_GDT_CODE >> 3] = KJ_DESC_CODE32;	/* 0x08 stays unused, as in Linux's boot GDT */
	gdt[KJ_GDT_DATA >> 3] = KJ_DESC_DATA;
}

struct kj_idt_gate arch_idt_gate(uintptr_t handler)
{
	return (struct kj_idt_gate){
		.offset_low = handler & 0xffff,
		.selector = KJ_GDT_CODE,
		.type_attr = 0x8e,	/* present, DPL 0, 32-bit interrupt gate */
		.offset_high = handler >> 16,
	};
}

/* CS by a far return to the next instruction, then SS. */
void arch_load_cs_ss(unsigned int cs, unsigned int ss)
{
	__asm__ volatile("pushl %0\n\t"
			 "call 1f\n"
			 "1:\taddl $(2f - 1b), (%%esp)\n\t"
			 "lret\n"
			 "2:\tmovl %1, %%ss"
			 : : "r"(cs), "r"(ss) : "memory");
}

/* Paging off: linear = physical, 32 bits. */
#define PHYS_LIMIT	(1ull << 32)

uint64_t arch_phys_limit(void)
{
	return PHYS_LIMIT;
}

int arch_check_paging(const struct kjump_cpu *caller)
{
	return (caller->cr0 & CR0_PG) ? KJ_EPAGING : KJ_OK;
}

int arch_compatible(const struct kjump_cpu *target)
{
	(void)target;
	return 1;
}

void arch_map_begin(void)
{
}

/*
 * Paging is off: everything below 4 GiB is there as it is, and nothing
 * above is. The addresses purgatory is handed are 64-bit (a PAE kernel's
 * buffer can lie above 4 GiB); one that does not fit in 32 bits must be
 * refused here, where every caller asks, not truncated by a cast later
 * onto an innocent low address.
 */
int arch_map(uint64_t addr, uint64_t len)
{
	if (!len)
		len = 1;
	/* kj_reachable's test (the limit inline: every range asks), and x86_64's length limit. */
	return kj_below(addr, len, PHYS_LIMIT) && len <= KJ_MAP_RANGE_MAX ? KJ_OK : KJ_EMAP;
}

void arch_map_commit(void)
{
}

struct kj_exc_frame {
	uint32_t vector, error, eip, cs, eflags;
};

noreturn void kjump_exception(const struct kj_exc_frame *f);
noreturn void kjump_exception(const struct kj_exc_frame *f)
{
	kj_fatal("CPU exception %u inside purgatory: error 0x%x eip 0x%x (image offset 0x%lx) "
		 "eflags 0x%x", f->vector, f->error, f->eip,
		 (unsigned long)(f->eip - (uintptr_t)_image_start), f->eflags);
}

/* Paging is off whenever purgatory reads or writes anything: all below 4 GiB is there. */
int arch_accessible(uint64_t addr, uint64_t len, int write)
{
	unsigned long cr0;

	(void)write;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	return len && kj_reachable(addr, len) && !(cr0 & CR0_PG);
}
