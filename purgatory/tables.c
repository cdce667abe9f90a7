// SPDX-License-Identifier: GPL-2.0-only
/*
 * Purgatory's own GDT and IDT, both arches: rebuilt at every entry, so
 * that nothing of an earlier caller's crossing (a bridge pair) is kept,
 * and because the addresses seen here need not be the ones a later entry
 * runs at (i386 with paging on is refused, but only after the tables are
 * loaded). The descriptors and the gate format are the arch's; loading
 * them, across from the caller's, is purgatory/bridge_gdt.c's.
 */
#include "kjump.h"
#include "bridge_gdt.h"

uint64_t kj_gdt[KJ_GDT_ENTRIES] __attribute__((aligned(16)));
struct kj_idt_gate kj_idt[KJ_IDT_GATES] __attribute__((aligned(16)));

/* arch/<arch>/exceptions.asm, from arch/x86/exception_stubs.inc */
extern char kj_exception_stubs[];

void kj_load_tables(void)
{
	unsigned int v;

	for (v = 0; v < KJ_GDT_ENTRIES; v++)
		kj_gdt[v] = 0;
	arch_own_descriptors(kj_gdt);
	for (v = 0; v < KJ_IDT_GATES; v++)
		kj_idt[v] = arch_idt_gate((uintptr_t)kj_exception_stubs + v * KJ_EXC_STUB_SIZE);
	kj_load_tables_bridged(&kj_incoming);
}
