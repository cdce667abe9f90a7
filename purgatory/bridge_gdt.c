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
 * bridge pair of purgatory's, two entries of purgatory's GDT that are not
 * the caller's indexes and hold the same code and data descriptors there
 * (its own code and data entries, unless the caller's selectors use those
 * indexes; then free entries, which keep the pair afterwards). At every
 * instruction the loaded GDT then has code at CS's index and at the
 * selector of the loaded IDT's gates, and data at SS's. No loaded entry
 * is ever rewritten.
 *
 * Purgatory's IDT has a twin for each bridge table, with the same gates
 * on the bridge pair's code selector (the bridge IDT).
 * In (kj_load_tables_bridged): bridge GDT (the caller's IDT, whose gates
 * name the caller's CS, still loaded), the bridge IDT, CS and SS on the
 * bridge pair, purgatory's GDT, purgatory's own CS and SS, and kj_idt:
 * the BIOS thunk's GDT has code at purgatory's own code selector too
 * (realmode.h), and not at the bridge's index, so while purgatory runs its
 * gates must name its own selector.
 * Out (kj_resume_selectors): the bridge IDT, CS and SS on the bridge pair,
 * the bridge GDT, the caller's CS and SS; arch_resume gives back the
 * caller's GDTR and IDTR last, and the descriptor caches keep what was
 * loaded (flat is what Linux's relocate_kernel and the boot protocol
 * have).
 *
 * Built once, used again (make bench): kj_gdt and kj_idt are built once
 * per load address (purgatory/tables.c), the bridge tables of the last
 * two pairs of caller selectors are kept with their bridge IDTs (the two
 * sides of a coroutine). None of them is loaded when it is written.
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

/*
 * An entry of kj_gdt other than a, b and c for the descriptor desc: the
 * first one that holds it already, else the first free one; 0 if none.
 * "Holds it" ignores the accessed bit, which the CPU sets in an entry the
 * first time CS or SS is loaded from it: kj_gdt lives as long as the load,
 * so without that every pair after the first use of its entries would
 * take new ones until none were left (found in review: the 15th new CS/SS
 * pair halted purgatory).
 */
static int holds(uint64_t entry, uint64_t desc)
{
	return (entry | KJ_DESC_ACCESSED) == (desc | KJ_DESC_ACCESSED);
}

static unsigned int pair_index(uint64_t desc, unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int i, free = 0;

	for (i = 1; i < KJ_GDT_ENTRIES; i++) {
		if (i == a || i == b || i == c)
			continue;
		if (holds(kj_gdt[i], desc))
			return i;
		if (kj_gdt[i] == 0 && !free)
			free = i;
	}
	return free;
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
	bcs = pair_index(KJ_DESC_OWN_CODE, cs >> 3, ss >> 3, 0);
	bss = bcs ? pair_index(KJ_DESC_DATA, cs >> 3, ss >> 3, bcs) : 0;
	if (!bcs || !bss)
		kj_fatal("purgatory's GDT (%u entries) has no two free entries to cross through",
			 KJ_GDT_ENTRIES);

	/* Only a free entry is written: one in use keeps even its accessed bit. */
	if (!kj_gdt[bcs])
		kj_gdt[bcs] = KJ_DESC_OWN_CODE;
	if (!kj_gdt[bss])
		kj_gdt[bss] = KJ_DESC_DATA;

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

/*
 * The bridge tables of the last two pairs of caller selectors (one CPU at
 * a time): A's and B's, in a coroutine. A slot is written only while it
 * is not the loaded GDT, which is never the case between crossings.
 */
struct bridge_slot {
	uint64_t table[KJ_GDT_ENTRIES] __attribute__((aligned(16)));
	struct kj_idt_gate idt[KJ_IDT_GATES] __attribute__((aligned(16)));	/* on bridge_cs */
	struct kj_bridge b;
	uint16_t cs, ss;
	int status, valid;
};
static struct bridge_slot slots[2];
static unsigned int next_slot;

void kj_bridge_forget(void)
{
	slots[0].valid = slots[1].valid = 0;
}

static const struct bridge_slot *bridge_for(unsigned int cs, unsigned int ss)
{
	struct bridge_slot *s;
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (slots[i].valid && slots[i].cs == cs && slots[i].ss == ss)
			return &slots[i];
	s = &slots[next_slot];
	next_slot ^= 1;
	s->status = kj_bridge_gdt(s->table, cs, ss, &s->b);
	for (i = 0; i < KJ_IDT_GATES; i++) {
		s->idt[i] = kj_idt[i];
		s->idt[i].selector = s->b.bridge_cs;
	}
	s->cs = (uint16_t)cs;
	s->ss = (uint16_t)ss;
	s->valid = 1;
	return s;
}

void kj_load_tables_bridged(const struct kjump_cpu *caller)
{
	const struct bridge_slot *s = bridge_for(caller->cs, caller->ss);

	load_gdt(s->table);
	load_idt(s->idt);
	arch_load_cs_ss(s->b.bridge_cs, s->b.bridge_ss);
	load_gdt(kj_gdt);
	arch_load_cs_ss(KJ_GDT_OWN_CODE, KJ_GDT_DATA);
	load_idt(kj_idt);
}

uint32_t kj_resume_selectors(const struct kjump_cpu *cpu)
{
	const struct bridge_slot *s = bridge_for(cpu->cs, cpu->ss);

	if (s->status)
		kj_log("caller's CS 0x%x and SS 0x%x cannot be given back (need GDT selectors "
		       "with RPL 0 below 0x%x%s); resuming with 0x%x and 0x%x", cpu->cs, cpu->ss,
		       KJ_GDT_ENTRIES * 8, KJ_NULL_SS_OK ? ", or a null SS" : "",
		       KJ_GDT_OWN_CODE, KJ_GDT_DATA);
	load_idt(s->idt);
	arch_load_cs_ss(s->b.bridge_cs, s->b.bridge_ss);
	load_gdt(s->table);
	return s->b.cs | (uint32_t)s->b.ss << 16;
}
