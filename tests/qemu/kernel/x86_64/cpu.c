// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86_64 test kernels: their own GDT (selectors unlike purgatory's
 * 0x10/0x18), an IDT that reports exceptions, and for B its own page
 * tables. B's map covers only B's memory and purgatory, never A: that is
 * what a Linux B booted with a restricted memory map has, and why purgatory
 * must bring its own page tables to resume A.
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
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
};

static uint64_t gdt[6] __attribute__((aligned(16))) = {
	[CS_SEL / 8] = 0x00af9a000000ffffull,
	[DS_SEL / 8] = 0x00cf92000000ffffull,
};
static struct gate idt[32] __attribute__((aligned(16)));
struct kernel_dtr kernel_gdtr, kernel_idtr;
uint16_t kernel_cs = CS_SEL, kernel_ds = DS_SEL;
uint64_t kernel_cr3;
uint64_t kernel_efer;

#define EFER_SCE	(1ull << 0)
#define EFER_NXE	(1ull << 11)
/*
 * The two kernels run with different EFERs, as two different kernels may
 * (a B without NX support, say): A with NXE and without SCE, B the other
 * way round. Each checks at every re-entry that it got its own back
 * (check_tables).
 */
#ifdef KERNEL_B
#define EFER_ON		EFER_SCE
#define EFER_OFF	EFER_NXE
#else
#define EFER_ON		EFER_NXE
#define EFER_OFF	EFER_SCE
#endif

uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static void set_efer(void)
{
	wrmsr(MSR_EFER, (rdmsr(MSR_EFER) | EFER_ON) & ~EFER_OFF);
	kernel_efer = rdmsr(MSR_EFER);
}
extern char exception_stubs[];

void cpu_setup(void);
void cpu_setup(void)
{
	unsigned int v;

	for (v = 0; v < 32; v++) {
		uint64_t h = (uint64_t)exception_stubs + v * 16;

		idt[v] = (struct gate){ h & 0xffff, CS_SEL, 0, 0x8e, (h >> 16) & 0xffff, h >> 32, 0 };
	}
	kernel_gdtr = (struct kernel_dtr){ sizeof(gdt) - 1, (uint64_t)gdt };
	kernel_idtr = (struct kernel_dtr){ sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("mov %%cr3, %0" : "=r"(kernel_cr3));
	set_efer();
	__asm__ volatile("lgdt %0\n\t"
			 "lidt %1\n\t"
			 "pushq %2\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\tmov %3, %%eax\n\t"
			 "mov %%eax, %%ds\n\tmov %%eax, %%es\n\tmov %%eax, %%ss"
			 : : "m"(kernel_gdtr), "m"(kernel_idtr), "i"(CS_SEL), "i"(DS_SEL)
			 : "rax", "memory");
}

#ifdef KERNEL_B
static uint64_t pt_pool[16][512] __attribute__((aligned(4096)));
static unsigned int pt_used;

static uint64_t *pt_alloc(void)
{
	uint64_t *t = pt_pool[pt_used++];
	unsigned int i;

	for (i = 0; i < 512; i++)
		t[i] = 0;
	return t;
}

/* As deep as the paging in use: CR4.LA57 cannot change in long mode. */
static void map_2m(uint64_t *root, uint64_t pa)
{
	uint64_t *t = root, cr4;
	int level;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	for (level = (cr4 & (1ul << 12)) ? 5 : 4; level > 2; level--) {
		unsigned int idx = (pa >> (12 + 9 * (level - 1))) & 511;

		if (!(t[idx] & 1))
			t[idx] = (uint64_t)pt_alloc() | 3;
		t = (uint64_t *)(t[idx] & ~0xfffull);
	}
	t[(pa >> 21) & 511] = (pa & ~0x1fffffull) | 0x83;
}

/* B's identity map: its own 2 MiB and the 6 MiB around purgatory's entry. */
void arch_b_mmu(unsigned long purgatory_entry, unsigned long peer_page);
void arch_b_mmu(unsigned long purgatory_entry, unsigned long peer_page)
{
	uint64_t *pml4;
	uint64_t base = (purgatory_entry & ~0x1fffffull) - 0x200000;

	pt_used = 0;
	pml4 = pt_alloc();
	map_2m(pml4, B_BASE);
	map_2m(pml4, base);
	map_2m(pml4, base + 0x200000);
	map_2m(pml4, base + 0x400000);
	/* A's CPU note, which B reads like Linux B reads A's old memory. */
	map_2m(pml4, peer_page & ~0x1fffffull);
	kernel_cr3 = (uint64_t)pml4;
	__asm__ volatile("mov %0, %%cr3" : : "r"(kernel_cr3) : "memory");
}
#elif !defined(KJ_EFI)
/* The multiboot command line. */
extern uint32_t multiboot_info;
const char *boot_cmdline(void);
const char *boot_cmdline(void)
{
	const uint32_t *mbi = (const uint32_t *)(uint64_t)multiboot_info;

	return (mbi && (mbi[0] & 4)) ? (const char *)(uint64_t)mbi[4] : "";
}
#endif
