// SPDX-License-Identifier: GPL-2.0-only
/*
 * i386 CPU state purgatory owns: its GDT and IDT, and the contract that
 * paging is off (as Linux's relocate_kernel_32 leaves it). The caller's GDTR
 * and IDTR were saved by entry.asm and are given back by arch_resume; the
 * segment registers keep the caller's flat descriptors, except when B is
 * booted with 0x10/0x18.
 */
#include "../../purgatory/kjump.h"
#include "desc.h"

struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t zero, type_attr;
	uint16_t offset_high;
};

static uint64_t gdt[KJ_GDT_ENTRIES] __attribute__((aligned(16))) = {
	0,
	0,			/* 0x08: unused, as in Linux's boot GDT */
	0x00cf9a000000ffffull,	/* 0x10: 32-bit code, flat */
	0x00cf92000000ffffull,	/* 0x18: data, flat */
};
static struct idt_gate idt[32] __attribute__((aligned(16)));
static struct kjump_dtr gdtr, idtr;
static int initialised;

extern char kj_exception_stubs[];

void arch_init_once(void)
{
	unsigned int v;

	if (initialised)
		return;
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
	initialised = 1;
}

void arch_load_tables(void)
{
	__asm__ volatile("lgdt %0" : : "m"(gdtr.limit));
	__asm__ volatile("lidt %0" : : "m"(idtr.limit));
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
