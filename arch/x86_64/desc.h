/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Purgatory's GDT layout. 0x10 and 0x18 are what Linux's boot protocol
 * calls __BOOT_CS and __BOOT_DS (and what kexec-tools' purgatory uses), so
 * B can be booted with them loaded.
 */
#ifndef KJ_X86_64_DESC_H
#define KJ_X86_64_DESC_H

#include <stdint.h>
#include "../x86/descriptors.h"

#define KJ_GDT_CODE32	0x08
#define KJ_GDT_CODE64	0x10
#define KJ_GDT_DATA	0x18
/*
 * null, 32-bit code, 64-bit code, data; the rest are free for the resume's
 * bridge pair (purgatory/bridge_gdt.c). 32 entries as on i386: the bridge
 * GDT has as many, and every selector a kernel's CS or SS can have below
 * 0x100 can be given back.
 */
#define KJ_GDT_ENTRIES	32

/* What purgatory/bridge_gdt.c needs to know of this arch's tables. */
#define KJ_GDT_OWN_CODE		KJ_GDT_CODE64
#define KJ_DESC_OWN_CODE	KJ_DESC_CODE64
#define KJ_NULL_SS_OK		1	/* a null SS is valid at CPL 0 in 64-bit mode */
#define KJ_IDT_GATES		32
struct kj_idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

#define KJ_EXC_STUB_SIZE	16	/* bytes between exception stubs */
#define KJ_STACK_SIZE		8192

#endif
