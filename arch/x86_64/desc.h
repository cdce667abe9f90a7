/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Purgatory's GDT layout. 0x10 and 0x18 are what Linux's boot protocol
 * calls __BOOT_CS and __BOOT_DS (and what kexec-tools' purgatory uses), so
 * B can be booted with them loaded.
 */
#ifndef KJ_X86_64_DESC_H
#define KJ_X86_64_DESC_H

#define KJ_GDT_CODE32	0x08
#define KJ_GDT_CODE64	0x10
#define KJ_GDT_DATA	0x18
#define KJ_GDT_ENTRIES	4

#define KJ_EXC_STUB_SIZE	16	/* bytes between exception stubs */
#define KJ_STACK_SIZE		8192

#endif
