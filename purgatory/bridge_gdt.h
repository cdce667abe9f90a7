/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bridge between a caller's descriptor tables and purgatory's
 * (purgatory/bridge_gdt.c), crossed on every entry and every resume.
 */
#ifndef KJ_BRIDGE_GDT_H
#define KJ_BRIDGE_GDT_H

#include <stdint.h>
#include "desc.h"

/* Purgatory's own GDT and IDT (purgatory/tables.c), built once per load address. */
extern uint64_t kj_gdt[KJ_GDT_ENTRIES];
extern struct kj_idt_gate kj_idt[KJ_IDT_GATES];
/* Drop the kept bridge tables: kj_gdt and kj_idt were built anew. */
void kj_bridge_forget(void);
/* The arch's part of them (arch/<arch>/cpu.c): its own descriptors, a gate to handler. */
void arch_own_descriptors(uint64_t *gdt);
struct kj_idt_gate arch_idt_gate(uintptr_t handler);

/*
 * The selectors of one crossing: the bridge pair (two entries of kj_gdt
 * that are not the caller's indexes, valid in kj_gdt and in the bridge
 * table alike; the bridge IDT's gates use bridge_cs), and the caller's own
 * CS and SS, flat in the bridge table.
 */
struct kj_bridge {
	uint16_t bridge_cs, bridge_ss;
	uint16_t cs, ss;
};

/*
 * Fills table[KJ_GDT_ENTRIES] with flat descriptors at a caller's CS and
 * SS indexes (cs, ss) and at a bridge pair, and puts the same pair into
 * kj_gdt: entries that hold these descriptors already, or free ones (no
 * entry in use changes). Returns 0, or -1 when the caller's selectors cannot
 * be placed (LDT, RPL, an index beyond the table, CS and SS sharing one):
 * the table then holds purgatory's own selectors instead, and out->cs and
 * out->ss name them.
 */
int kj_bridge_gdt(uint64_t *table, unsigned int cs, unsigned int ss, struct kj_bridge *out);

#endif
