/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The flat segment descriptors every GDT purgatory builds is made of (its
 * own, the bridge GDT, the BIOS thunk's): base 0, limit 4 GiB, DPL 0.
 */
#ifndef KJ_X86_DESCRIPTORS_H
#define KJ_X86_DESCRIPTORS_H

#define KJ_DESC_CODE32	0x00cf9a000000ffffull	/* 32-bit code, execute/read */
#define KJ_DESC_CODE64	0x00af9a000000ffffull	/* 64-bit code (L set, D clear) */
#define KJ_DESC_DATA	0x00cf92000000ffffull	/* data, read/write, 4 KiB granular */
/* Set by the CPU in a GDT entry the first time a segment register is loaded from it. */
#define KJ_DESC_ACCESSED	(1ull << 40)

#endif
