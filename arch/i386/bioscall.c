// SPDX-License-Identifier: GPL-2.0-only
/*
 * i386 parts of a BIOS call that C can do: finding the call block and the
 * area's code selector.
 */
#include "../../purgatory/kjump.h"
#include "../../purgatory/realmode.h"
#include "../x86/descriptors.h"

/* Segment bases live in the descriptors here; the selectors say it all. */
void arch_bios_save_bases(struct kj_caller_segs *s)
{
	s->fs_base = 0;
	s->gs_base = 0;
}

/*
 * cdecl: the argument is the word above the return address. Paging is off
 * (arch_check_paging), so the caller's stack address is its physical one.
 */
unsigned long arch_bios_block(void)
{
	return *(const uint32_t *)(kj_incoming.gpr[KJ_SP] + 4);
}

void arch_bios_prepare(unsigned long area, struct kj_rm_data *d)
{
	(void)area;
	d->gdt[KJ_RM_SEL_CODE / 8] = KJ_DESC_CODE32;
	d->root = 0;
	d->cr4_transit = 0;
}
