// SPDX-License-Identifier: GPL-2.0-only
/*
 * The low-memory area of a mode switch (realmode.h), filled for a BIOS call
 * (bios.c) or a real-mode or 32-bit entry into B (boot16.c): the blob of
 * code, the area's GDT and NMI table, and the registers to load.
 */
#include "kjump.h"
#include "realmode.h"
#include "../arch/x86/descriptors.h"
#include "../lib/string.h"

/* A descriptor with base = the area and a 64 KiB limit: 16-bit code or data. */
static uint64_t seg16(uint32_t base, uint8_t access)
{
	return 0xffffull | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)access << 40 |
	       (uint64_t)(base >> 24) << 56;
}

/* An interrupt gate's first 8 bytes (the 64-bit one adds offset >> 32, here 0). */
static uint64_t nmi_gate(uint16_t selector, uint32_t offset)
{
	return (offset & 0xffffull) | (uint64_t)selector << 16 | 0x8eull << 40 |
	       (uint64_t)(offset >> 16) << 48;
}

/* kj_rm_data.nmi_idt (purgatory/realmode.h): vector 2 for every mode of the way. */
static void fill_nmi_idt(struct kj_rm_data *d, uint32_t area)
{
	uint32_t idt = area + KJ_RM_DATA_OFF + (uint32_t)__builtin_offsetof(struct kj_rm_data, nmi_idt);
	uint16_t rm_ptr[2] = { (uint16_t)(kj_rm_nmi16 - kj_rm_blob), (uint16_t)(area >> 4) };
	uint16_t limit = KJ_RM_NMI_IDT_SIZE - 1;
	uint64_t gate;

	memcpy(d->nmi_idt + KJ_RM_NMI_REAL, rm_ptr, sizeof(rm_ptr));
	gate = nmi_gate(KJ_RM_SEL_CODE32, area + (uint32_t)(kj_rm_nmi32 - kj_rm_blob));
	memcpy(d->nmi_idt + KJ_RM_NMI_GATE32, &gate, sizeof(gate));
#if defined(__x86_64__)
	/* KJ_RM_SEL_CODE is 64-bit code in the area's GDT. */
	gate = nmi_gate(KJ_RM_SEL_CODE, area + (uint32_t)(kj_rm_nmi64 - kj_rm_blob));
	memcpy(d->nmi_idt + KJ_RM_NMI_GATE64, &gate, sizeof(gate));
#endif
	memcpy(d->nmi_idtr, &limit, 2);
	memcpy(d->nmi_idtr + 2, &idt, 4);
	d->nmis = 0;
}

void kj_rm_fill_area(const struct kjump_bios_call *c, uint32_t area, uint16_t ip, uint16_t cs)
{
	struct kj_rm_data *d = (struct kj_rm_data *)(uintptr_t)(area + KJ_RM_DATA_OFF);
	uint32_t gdt = area + KJ_RM_DATA_OFF + (uint32_t)__builtin_offsetof(struct kj_rm_data, gdt);
	uint16_t gdt_limit = sizeof(d->gdt) - 1, ivt_limit = 0x3ff;

	memset((void *)(uintptr_t)area, 0, KJ_RM_STACK_TOP);
	memcpy((void *)(uintptr_t)area, kj_rm_blob, (size_t)(kj_rm_blob_end - kj_rm_blob));
	d->gdt[KJ_RM_SEL_CODE32 / 8] = KJ_DESC_CODE32;
	d->gdt[KJ_RM_SEL_DATA / 8] = KJ_DESC_DATA;
	d->gdt[KJ_RM_SEL_CODE16 / 8] = seg16(area, 0x9a);
	d->gdt[KJ_RM_SEL_DATA16 / 8] = seg16(area, 0x92);
	memcpy(d->gdtr, &gdt_limit, 2);
	memcpy(d->gdtr + 2, &gdt, 4);		/* gdtr[6..9] stay 0: the 64-bit base's upper half */
	memcpy(d->ivtr, &ivt_limit, 2);		/* base 0 */
	fill_nmi_idt(d, area);
	d->target_ip = ip;
	d->target_cs = cs;
	d->in = c->in;
	d->in.eflags = (c->in.eflags & FLAGS_PASSED) | FLAGS_RESERVED;
	if (c->flags & KJ_BIOS_ESDI_BOUNCE) {
		d->in.es = (uint16_t)(c->bounce >> 4);
		d->in.edi = c->bounce & 0xf;
	}
	arch_bios_prepare(area, d);
}
