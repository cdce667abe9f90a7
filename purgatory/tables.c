// SPDX-License-Identifier: GPL-2.0-only
/*
 * Purgatory's own GDT and IDT, both arches: built once for the address
 * purgatory runs at, and again when an entry runs at another (the gates
 * hold absolute addresses; i386 with paging on runs at a virtual address
 * and is refused, but only after the tables are loaded). The kernels swap
 * the image out and back in whole, so the tables come back with it. The
 * descriptors and the gate format are the arch's; loading them, across
 * from the caller's, is purgatory/bridge_gdt.c's.
 */
#include "kjump.h"
#include "bridge_gdt.h"

uint64_t kj_gdt[KJ_GDT_ENTRIES] __attribute__((aligned(16)));
struct kj_idt_gate kj_idt[KJ_IDT_GATES] __attribute__((aligned(16)));

/* arch/<arch>/exceptions.asm, from arch/x86/exception_stubs.inc */
extern char kj_exception_stubs[];

/* The image address the tables were built at; 0: not built. */
static uintptr_t built_at;

void kj_load_tables(void)
{
	unsigned int v;

	if (built_at != (uintptr_t)_image_start) {
		for (v = 0; v < KJ_GDT_ENTRIES; v++)
			kj_gdt[v] = 0;
		arch_own_descriptors(kj_gdt);
		for (v = 0; v < KJ_IDT_GATES; v++)
			kj_idt[v] = arch_idt_gate((uintptr_t)kj_exception_stubs +
						  v * KJ_EXC_STUB_SIZE);
		kj_bridge_forget();
		built_at = (uintptr_t)_image_start;
	}
	kj_load_tables_bridged(&kj_incoming);
}
