/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Purgatory's GDT layout. 0x10 and 0x18 are what Linux's boot protocol
 * calls __BOOT_CS and __BOOT_DS (and what kexec-tools' purgatory uses), so
 * B can be booted with them loaded.
 */
#ifndef KJ_I386_DESC_H
#define KJ_I386_DESC_H

#define KJ_GDT_CODE	0x10
#define KJ_GDT_DATA	0x18
/*
 * null, reserved, code, data; the rest are empty until a resume puts the
 * caller's CS and SS there (arch_resume_selectors). 32 entries cover every
 * selector Linux's i386 GDT has (__KERNEL_CS is 0x60, __KERNEL_DS 0x68).
 */
#define KJ_GDT_ENTRIES	32

#define KJ_EXC_STUB_SIZE	16	/* bytes between exception stubs */
#define KJ_STACK_SIZE		8192

#endif
