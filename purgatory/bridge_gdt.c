// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bridge between a caller's descriptor tables and purgatory's.
 *
 * A kernel runs on its own CS and SS selectors when it calls purgatory,
 * and an interrupt's iret reloads them from whatever GDT is loaded then;
 * an NMI can come at any instruction. Purgatory's GDT knows nothing of the
 * caller's selectors, and the caller's GDT may be invalid (Linux zaps it
 * before the call) or name purgatory's selectors as something else (the
 * i386 test kernel A's SS is 0x10, purgatory's code selector). So on the
 * way in and on the way out purgatory crosses through a third table, the
 * bridge GDT: flat descriptors at the caller's CS and SS indexes, and a
 * bridge pair of purgatory's, two entries free in purgatory's GDT and not
 * the caller's, which purgatory's GDT holds too. At every instruction the
 * loaded GDT then has code at CS's index and at the selector of the loaded
 * IDT's gates, and data at SS's. No loaded entry is ever rewritten.
 *
 * In (kj_load_tables_bridged): bridge GDT (the caller's IDT, whose gates
 * name the caller's CS, still loaded), purgatory's IDT (gates on the
 * bridge code selector), CS and SS on the bridge pair, purgatory's GDT,
 * purgatory's own CS and SS, and the gates back on purgatory's own code
 * selector: the BIOS thunk's GDT has code there too (realmode.h), and
 * not at the bridge's index, so while purgatory runs its gates must name
 * its own selector.
 * Out (kj_resume_selectors): CS and SS on the bridge pair, the bridge GDT,
 * the caller's CS and SS; arch_resume gives back the caller's GDTR and
 * IDTR last, and the descriptor caches keep what was loaded (flat is what
 * Linux's relocate_kernel and the boot protocol have).
 *
 * kj_gdt is rebuilt at every entry, so no bridge pair outlives the next.
 */
#include "kjump.h"
#include "bridge_gdt.h"
#include "realmode.h"

_Static_assert(KJ_RM_SEL_CODE == KJ_GDT_OWN_CODE,
	       "the BIOS thunk's GDT must keep purgatory's IDT gates valid");

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

/* Every gate of purgatory's IDT to code selector sel. */
static void gates_to(unsigned int sel)
{
	unsigned int i;

	for (i = 0; i < KJ_IDT_GATES; i++)
		kj_idt[i].selector = sel;
}

int kj_bridge_gdt(uint64_t *table, unsigned int cs, unsigned int ss, struct kj_bridge *out)
{
	int null_ss = ss == 0 && KJ_NULL_SS_OK;
	int status = 0;
	unsigned int i, bcs, bss;

	if (!placeable(cs) || !(null_ss || placeable(ss)) || cs >> 3 == ss >> 3) {
		cs = KJ_GDT_OWN_CODE;
		ss = KJ_GDT_DATA;
		null_ss = 0;
		status = -1;
	}
	bcs = free_index(cs >> 3, ss >> 3, 0);
	bss = bcs ? free_index(cs >> 3, ss >> 3, bcs) : 0;
	if (!bcs || !bss)
		kj_fatal("purgatory's GDT (%u entries) has no two free entries to cross through",
			 KJ_GDT_ENTRIES);

	/* The loaded table first, the gates after: each is valid when it changes. */
	kj_gdt[bcs] = KJ_DESC_OWN_CODE;
	kj_gdt[bss] = KJ_DESC_DATA;
	gates_to(bcs << 3);

	for (i = 0; i < KJ_GDT_ENTRIES; i++)
		table[i] = 0;
	table[bcs] = KJ_DESC_OWN_CODE;
	table[bss] = KJ_DESC_DATA;
	table[cs >> 3] = KJ_DESC_OWN_CODE;
	if (!null_ss)
		table[ss >> 3] = KJ_DESC_DATA;

	out->bridge_cs = bcs << 3;
	out->bridge_ss = bss << 3;
	out->cs = cs;
	out->ss = null_ss ? 0 : ss;
	return status;
}

static void load_gdt(const uint64_t *table)
{
	struct kjump_dtr gdtr = { .limit = KJ_GDT_ENTRIES * 8 - 1, .base = (unsigned long)table };

	__asm__ volatile("lgdt %0" : : "m"(gdtr.limit) : "memory");
}

static void load_idt(const struct kj_idt_gate *table)
{
	struct kjump_dtr idtr = { .limit = KJ_IDT_GATES * sizeof(*table) - 1,
				  .base = (unsigned long)table };

	__asm__ volatile("lidt %0" : : "m"(idtr.limit) : "memory");
}

/* The bridge table of the crossing in progress (one CPU at a time). */
static uint64_t bridge_table[KJ_GDT_ENTRIES] __attribute__((aligned(16)));

void kj_load_tables_bridged(const struct kjump_cpu *caller)
{
	struct kj_bridge b;

	kj_bridge_gdt(bridge_table, caller->cs, caller->ss, &b);
	load_gdt(bridge_table);
	load_idt(kj_idt);
	arch_load_cs_ss(b.bridge_cs, b.bridge_ss);
	load_gdt(kj_gdt);
	arch_load_cs_ss(KJ_GDT_OWN_CODE, KJ_GDT_DATA);
	gates_to(KJ_GDT_OWN_CODE);
}

uint32_t kj_resume_selectors(const struct kjump_cpu *cpu)
{
	struct kj_bridge b;

	if (kj_bridge_gdt(bridge_table, cpu->cs, cpu->ss, &b))
		kj_log("caller's CS 0x%x and SS 0x%x cannot be given back (need GDT selectors "
		       "with RPL 0 below 0x%x%s); resuming with 0x%x and 0x%x", cpu->cs, cpu->ss,
		       KJ_GDT_ENTRIES * 8, KJ_NULL_SS_OK ? ", or a null SS" : "",
		       KJ_GDT_OWN_CODE, KJ_GDT_DATA);
	arch_load_cs_ss(b.bridge_cs, b.bridge_ss);
	load_gdt(bridge_table);
	return b.cs | (uint32_t)b.ss << 16;
}
