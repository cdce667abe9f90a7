/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Purgatory's GDT layout. 0x10 and 0x18 are what Linux's boot protocol
 * calls __BOOT_CS and __BOOT_DS (and what kexec-tools' purgatory uses), so
 * B can be booted with them loaded.
 */
#ifndef KJ_I386_DESC_H
#define KJ_I386_DESC_H

#include <stdint.h>
#include "../x86/descriptors.h"

#define KJ_GDT_CODE	0x10
#define KJ_GDT_DATA	0x18
/*
 * null, reserved, code, data; the rest are free for the resume's bridge
 * pair (purgatory/bridge_gdt.c), whose bridge GDT has as many entries. 32
 * cover every selector Linux's i386 GDT has (__KERNEL_CS is 0x60,
 * __KERNEL_DS 0x68).
 */
#define KJ_GDT_ENTRIES	32

/* What purgatory/bridge_gdt.c needs to know of this arch's tables. */
#define KJ_GDT_OWN_CODE		KJ_GDT_CODE
#define KJ_DESC_OWN_CODE	KJ_DESC_CODE32
#define KJ_NULL_SS_OK		0	/* protected mode: SS must be a data segment */
#define KJ_IDT_GATES		32
struct kj_idt_gate {
	uint16_t offset_low, selector;
	uint8_t zero, type_attr;
	uint16_t offset_high;
};

#define KJ_EXC_STUB_SIZE	16	/* bytes between exception stubs */
#define KJ_STACK_SIZE		8192

#endif
