// SPDX-License-Identifier: GPL-2.0-only
/*
 * i386 test kernels: their own GDT (selectors deliberately unlike
 * purgatory's 0x10/0x18, so a kernel running on purgatory's descriptors
 * would show) and an IDT that reports exceptions.
 */
#include "../common/testbed.h"

#ifdef KERNEL_B
#define CS_SEL 0x20
#define DS_SEL 0x28
#else
#define CS_SEL 0x08
#define DS_SEL 0x10
#endif

struct dtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

struct gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
};

static uint64_t gdt[6] __attribute__((aligned(16))) = {
	[CS_SEL / 8] = 0x00cf9a000000ffffull,
	[DS_SEL / 8] = 0x00cf92000000ffffull,
};
static struct gate idt[32] __attribute__((aligned(16)));
struct dtr kernel_gdtr, kernel_idtr;
uint16_t kernel_cs = CS_SEL, kernel_ds = DS_SEL;
extern char exception_stubs[];

void cpu_setup(void);
void cpu_setup(void)
{
	unsigned int v;

	for (v = 0; v < 32; v++) {
		uint32_t h = (uint32_t)exception_stubs + v * 16;

		idt[v] = (struct gate){ h & 0xffff, CS_SEL, 0, 0x8e, h >> 16 };
	}
	kernel_gdtr = (struct dtr){ sizeof(gdt) - 1, (uint32_t)gdt };
	kernel_idtr = (struct dtr){ sizeof(idt) - 1, (uint32_t)idt };
	__asm__ volatile("lgdt %0\n\t"
			 "lidt %1\n\t"
			 "ljmp %2, $1f\n"
			 "1:\tmov %3, %%ax\n\t"
			 "mov %%ax, %%ds\n\tmov %%ax, %%es\n\tmov %%ax, %%ss\n\t"
			 "mov %%ax, %%fs\n\tmov %%ax, %%gs"
			 : : "m"(kernel_gdtr), "m"(kernel_idtr), "i"(CS_SEL), "i"(DS_SEL) : "eax", "memory");
}

/* Nothing to map with paging off. */
void arch_b_mmu(unsigned long purgatory_entry);
void arch_b_mmu(unsigned long purgatory_entry)
{
	(void)purgatory_entry;
}

#ifndef KERNEL_B
/* The multiboot command line. */
extern uint32_t multiboot_info;
const char *boot_cmdline(void);
const char *boot_cmdline(void)
{
	const uint32_t *mbi = (const uint32_t *)multiboot_info;

	return (mbi && (mbi[0] & 4)) ? (const char *)mbi[4] : "";
}
#endif
