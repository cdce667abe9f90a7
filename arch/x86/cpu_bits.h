/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Control-register bits and MSRs the arch code touches, named once for C
 * and NASM alike: purgatory/asm-offsets.c passes each to NASM's
 * asm-offsets.inc.
 */
#ifndef KJ_CPU_BITS_H
#define KJ_CPU_BITS_H

#define MSR_EFER	0xc0000080u
#define MSR_FS_BASE	0xc0000100u
#define MSR_GS_BASE	0xc0000101u
#define EFER_LME	(1u << 8)	/* long mode enable */
#define EFER_LMA	(1u << 10)	/* long mode active (read-only) */
#define CR0_EM		(1u << 2)	/* SSE instructions fault (#UD) */
#define CR0_TS		(1u << 3)	/* SSE instructions fault (#NM) */
#define CR0_PG		(1u << 31)
#define CR4_PAE		(1u << 5)
#define CR4_OSFXSR	(1u << 9)	/* SSE instructions allowed */
#define CR4_LA57	(1u << 12)	/* five-level paging; cannot change while paging is on */

#endif
