// SPDX-License-Identifier: GPL-2.0-only
/*
 * i386 CPU state purgatory owns: its GDT and IDT, its CS and SS while it
 * runs, and the contract that paging is off (as Linux's relocate_kernel_32
 * leaves it). The caller's GDTR and IDTR were saved by entry.asm and are
 * given back by arch_resume, and so are its CS and SS selectors (see
 * arch_resume_selectors); DS, ES, FS and GS keep the caller's flat
 * descriptors.
 */
#include "../../purgatory/kjump.h"
#include "desc.h"

struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t zero, type_attr;
	uint16_t offset_high;
};

#define DESC_CODE32_FLAT	0x00cf9a000000ffffull
#define DESC_DATA_FLAT		0x00cf92000000ffffull

static uint64_t gdt[KJ_GDT_ENTRIES] __attribute__((aligned(16)));
static struct idt_gate idt[32] __attribute__((aligned(16)));
static struct kjump_dtr gdtr, idtr;

extern char kj_exception_stubs[];

/*
 * Rebuilt at every entry: with paging on (refused, but the tables are
 * loaded first) the addresses seen here need not be the physical ones a
 * later entry runs at.
 */
void arch_load_tables(void)
{
	unsigned int v;

	/* All of it: a resume may have put a caller's selectors in it. */
	for (v = 0; v < KJ_GDT_ENTRIES; v++)
		gdt[v] = 0;
	gdt[KJ_GDT_CODE >> 3] = DESC_CODE32_FLAT;	/* 0x08 stays unused, as in Linux's boot GDT */
	gdt[KJ_GDT_DATA >> 3] = DESC_DATA_FLAT;
	for (v = 0; v < 32; v++) {
		uint32_t handler = (uint32_t)kj_exception_stubs + v * KJ_EXC_STUB_SIZE;

		idt[v] = (struct idt_gate){
			.offset_low = handler & 0xffff,
			.selector = KJ_GDT_CODE,
			.type_attr = 0x8e,	/* present, DPL 0, 32-bit interrupt gate */
			.offset_high = handler >> 16,
		};
	}
	gdtr.limit = sizeof(gdt) - 1;
	gdtr.base = (unsigned long)gdt;
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (unsigned long)idt;
	__asm__ volatile("lgdt %0" : : "m"(gdtr.limit));
	__asm__ volatile("lidt %0" : : "m"(idtr.limit));
	/*
	 * The caller's CS and SS selectors mean nothing in this GDT; an NMI's
	 * iret would reload them from it. Use ours while purgatory runs.
	 */
	__asm__ volatile("call 1f\n"
			 "1:\tpopl %%eax\n\t"
			 "addl $(2f - 1b), %%eax\n\t"
			 "pushl %0\n\t"
			 "pushl %%eax\n\t"
			 "lret\n"
			 "2:\tmovl %1, %%eax\n\t"
			 "movl %%eax, %%ss"
			 : : "i"(KJ_GDT_CODE), "i"(KJ_GDT_DATA) : "eax", "memory");
}

/* A GDT selector with RPL 0 whose index purgatory's GDT has, not the null one. */
static int selector_fits(unsigned int sel)
{
	return (sel & 7) == 0 && sel >= 8 && (sel >> 3) < KJ_GDT_ENTRIES;
}

/*
 * Called by arch_resume just before it leaves: the selectors the target's
 * CS and SS get back, packed as CS | SS << 16.
 *
 * A kernel keeps running on the selectors it had when it called, and the
 * first iret after an interrupt reloads CS from its GDT: Linux i386 resumed
 * with purgatory's 0x10 takes an "iret exception" at once, its GDT having
 * no code descriptor there (measured on 6.1). The caller's own GDT cannot
 * provide the descriptors either: Linux invalidates it before the call.
 * So purgatory puts flat descriptors (code for CS, data for SS) at the
 * caller's indexes in its own GDT, arch_resume loads CS and SS from there,
 * and the caller's GDTR goes back last; the descriptor caches keep what was
 * loaded. Flat is what Linux's relocate_kernel and the boot protocol have.
 * Selectors that cannot be placed (LDT, RPL not 0, index beyond
 * KJ_GDT_ENTRIES, CS and SS sharing one) are reported, and the target
 * resumes on purgatory's own 0x10/0x18 as before.
 */
uint32_t arch_resume_selectors(const struct kjump_cpu *cpu)
{
	unsigned int cs = cpu->cs, ss = cpu->ss;

	if (!selector_fits(cs) || !selector_fits(ss) || cs == ss) {
		kj_log("caller's CS 0x%x and SS 0x%x cannot be given back (need GDT selectors "
		       "with RPL 0 below 0x%x); resuming with 0x%x and 0x%x", cs, ss,
		       KJ_GDT_ENTRIES * 8, KJ_GDT_CODE, KJ_GDT_DATA);
		return KJ_GDT_CODE | KJ_GDT_DATA << 16;
	}
	gdt[cs >> 3] = DESC_CODE32_FLAT;
	gdt[ss >> 3] = DESC_DATA_FLAT;
	return cs | ss << 16;
}

uint64_t arch_phys_limit(void)
{
	return 1ull << 32;	/* paging off: linear = physical, 32 bits */
}

#define CR0_PG	(1ul << 31)

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
	return kj_reachable(addr, len ? len : 1) ? KJ_OK : KJ_EMAP;
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

/* Paging is off whenever purgatory writes anything: every address is there. */
int arch_mapped(uint64_t addr, uint64_t len)
{
	unsigned long cr0;

	(void)addr;
	(void)len;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	return !(cr0 & CR0_PG);
}
