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
struct kernel_dtr kernel_gdtr, kernel_idtr;
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
	kernel_gdtr = (struct kernel_dtr){ sizeof(gdt) - 1, (uint32_t)gdt };
	kernel_idtr = (struct kernel_dtr){ sizeof(idt) - 1, (uint32_t)idt };
	__asm__ volatile("lgdt %0\n\t"
			 "lidt %1\n\t"
			 "ljmp %2, $1f\n"
			 "1:\tmov %3, %%ax\n\t"
			 "mov %%ax, %%ds\n\tmov %%ax, %%es\n\tmov %%ax, %%ss\n\t"
			 "mov %%ax, %%fs\n\tmov %%ax, %%gs"
			 : : "m"(kernel_gdtr), "m"(kernel_idtr), "i"(CS_SEL), "i"(DS_SEL) : "eax", "memory");
}

/* Nothing to map with paging off. */
void arch_b_mmu(unsigned long purgatory_entry, unsigned long peer_page);
void arch_b_mmu(unsigned long purgatory_entry, unsigned long peer_page)
{
	(void)purgatory_entry;
	(void)peer_page;
}

#ifndef KERNEL_B
/* Identity paging with 4 MiB pages over all 4 GiB, for the KJ_EPAGING test. */
static uint32_t page_dir[1024] __attribute__((aligned(4096)));

void paging_on(void);
void paging_on(void)
{
	unsigned int i;

	for (i = 0; i < 1024; i++)
		page_dir[i] = (i << 22) | 0x83;	/* present, writable, 4 MiB */
	__asm__ volatile("mov %%cr4, %%eax\n\t"
			 "or $0x10, %%eax\n\t"	/* PSE */
			 "mov %%eax, %%cr4\n\t"
			 "mov %0, %%cr3\n\t"
			 "mov %%cr0, %%eax\n\t"
			 "or $0x80000000, %%eax\n\t"
			 "mov %%eax, %%cr0"
			 : : "r"(page_dir) : "eax", "memory");
}

void paging_off(void);
void paging_off(void)
{
	__asm__ volatile("mov %%cr0, %%eax\n\t"
			 "and $0x7fffffff, %%eax\n\t"
			 "mov %%eax, %%cr0"
			 : : : "eax", "memory");
}

/* The multiboot command line. */
extern uint32_t multiboot_info;
const char *boot_cmdline(void);
const char *boot_cmdline(void)
{
	const uint32_t *mbi = (const uint32_t *)multiboot_info;

	return (mbi && (mbi[0] & 4)) ? (const char *)mbi[4] : "";
}
#endif
