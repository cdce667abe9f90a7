// SPDX-License-Identifier: GPL-2.0-only
/*
 * The descriptor table a side is resumed through.
 *
 * A kernel keeps running on the CS and SS selectors it had when it called
 * purgatory, and the first iret after an interrupt reloads them from the
 * GDT it has then. Its own GDT cannot supply the descriptors on the way
 * back: Linux invalidates it before the call (limit 0). So the target is
 * resumed through a GDT of purgatory's that holds flat descriptors at the
 * target's CS and SS indexes; then its own GDTR goes back, and the
 * descriptor caches keep what was loaded (flat is what Linux's
 * relocate_kernel and the boot protocol have).
 *
 * The caller's indexes may be purgatory's own (the i386 test kernel A has
 * SS 0x10, purgatory's code selector), and an NMI can come at any
 * instruction: whatever GDT is loaded must hold a code descriptor at CS's
 * index and at the one purgatory's IDT gates name, and a data descriptor
 * at SS's. So no loaded entry is ever overwritten. CS, SS and the gates
 * first move to a bridge pair, two entries free in purgatory's GDT and
 * not the caller's, which the resume GDT holds too; then the resume GDT
 * is loaded; then the caller's CS and SS. Every step keeps all three
 * valid. kj_gdt is rebuilt at every entry, so the bridge pair is gone by
 * the next.
 */
#include "kjump.h"
#include "resume_gdt.h"

/* A GDT selector with RPL 0, not the null one, with an index the table has. */
static int placeable(unsigned int sel)
{
	return (sel & 7) == 0 && sel >= 8 && (sel >> 3) < KJ_GDT_ENTRIES;
}

/* The first free entry of kj_gdt other than a, b and c, or 0. */
static unsigned int free_index(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int i;

	for (i = 1; i < KJ_GDT_ENTRIES; i++)
		if (kj_gdt[i] == 0 && i != a && i != b && i != c)
			return i;
	return 0;
}

int kj_resume_gdt(uint64_t *resume, unsigned int cs, unsigned int ss, struct kj_resume_sels *out)
{
	int null_ss = ss == 0 && KJ_NULL_SS_OK;
	int status = 0;
	unsigned int i, bcs, bss;

	if (!placeable(cs) || !(null_ss || placeable(ss)) || cs >> 3 == ss >> 3) {
		kj_log("caller's CS 0x%x and SS 0x%x cannot be given back (need GDT selectors "
		       "with RPL 0 below 0x%x%s); resuming with 0x%x and 0x%x", cs, ss,
		       KJ_GDT_ENTRIES * 8, KJ_NULL_SS_OK ? ", or a null SS" : "",
		       KJ_GDT_OWN_CODE, KJ_GDT_DATA);
		cs = KJ_GDT_OWN_CODE;
		ss = KJ_GDT_DATA;
		null_ss = 0;
		status = -1;
	}
	bcs = free_index(cs >> 3, ss >> 3, 0);
	bss = bcs ? free_index(cs >> 3, ss >> 3, bcs) : 0;
	if (!bcs || !bss)
		kj_fatal("purgatory's GDT (%u entries) has no two free entries to resume through",
			 KJ_GDT_ENTRIES);

	/* The loaded table first, the gates after: each is valid when it changes. */
	kj_gdt[bcs] = KJ_DESC_OWN_CODE;
	kj_gdt[bss] = KJ_DESC_DATA;
	for (i = 0; i < KJ_IDT_GATES; i++)
		kj_idt[i].selector = bcs << 3;

	for (i = 0; i < KJ_GDT_ENTRIES; i++)
		resume[i] = 0;
	resume[bcs] = KJ_DESC_OWN_CODE;
	resume[bss] = KJ_DESC_DATA;
	resume[cs >> 3] = KJ_DESC_OWN_CODE;
	if (!null_ss)
		resume[ss >> 3] = KJ_DESC_DATA;

	out->bridge_cs = bcs << 3;
	out->bridge_ss = bss << 3;
	out->cs = cs;
	out->ss = null_ss ? 0 : ss;
	return status;
}

uint32_t kj_resume_selectors(const struct kjump_cpu *cpu)
{
	static uint64_t resume_gdt[KJ_GDT_ENTRIES] __attribute__((aligned(16)));
	struct kjump_dtr gdtr = { .limit = sizeof(resume_gdt) - 1 };
	struct kj_resume_sels s;

	kj_resume_gdt(resume_gdt, cpu->cs, cpu->ss, &s);
	arch_load_cs_ss(s.bridge_cs, s.bridge_ss);
	gdtr.base = (unsigned long)resume_gdt;
	__asm__ volatile("lgdt %0" : : "m"(gdtr.limit) : "memory");
	return s.cs | (uint32_t)s.ss << 16;
}
