// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86_64 parts of a BIOS call that C can do: saving the caller's FS/GS
 * bases (before anything reloads a selector), finding the call block, and
 * the area's long-mode pieces.
 */
#include "../../purgatory/kjump.h"
#include "../../purgatory/realmode.h"
#include "../x86/descriptors.h"
#include "../../lib/string.h"
#include "../x86/cpu_bits.h"

#define CR3_ROOT	0x000ffffffffff000ull

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

void arch_bios_save_bases(struct kj_caller_segs *s)
{
	s->fs_base = rdmsr(MSR_FS_BASE);
	s->gs_base = rdmsr(MSR_GS_BASE);
}

/* SysV: the first argument is in %rdi. */
unsigned long arch_bios_block(void)
{
	return kj_incoming.gpr[KJ_DI];
}

void arch_bios_prepare(unsigned long area, struct kj_rm_data *d)
{
	unsigned long cr3;

	d->gdt[KJ_RM_SEL_CODE / 8] = KJ_DESC_CODE64;
	/* Purgatory's map is live (arch_map_commit): copy its root below 1 MiB. */
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	memcpy((void *)(area + KJ_RM_ROOT_OFF), (const void *)(uintptr_t)(cr3 & CR3_ROOT), 4096);
	d->root = area + KJ_RM_ROOT_OFF;
	/* PAE for long mode; LA57 stays what it is (it cannot change while paging is on). */
	d->cr4_transit = CR4_PAE | (kj_incoming.cr4 & CR4_LA57);
}
