/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BIOS-call service: one real-mode software interrupt, run by purgatory
 * in physical mode on behalf of a kernel. docs/bios.md describes the call
 * and every piece of state it saves; keep the two in step.
 *
 * A caller fills a struct kjump_bios_call and calls purgatory at
 * load + kjump_header.entry_bios_call (see docs/bios.md for the register
 * conventions). Purgatory leaves long or protected mode for real mode in a
 * low-memory area the caller names, runs the interrupt through the IVT,
 * comes back, fills in the output registers and returns a KJ_* status.
 */
#ifndef KJUMP_BIOS_H
#define KJUMP_BIOS_H

#include <stdint.h>

#define KJ_BIOS_MAGIC		0x4342524bu	/* "KRBC" in memory */

/*
 * The low-memory area purgatory copies its 16-bit code, its GDT, the
 * real-mode stack and (x86_64) a page-table root into. It must be RAM the
 * caller does not need during the call: 4 KiB aligned, at or above 4 KiB
 * and ending at or below the conventional-memory size the BIOS reports
 * (BDA 0x413, at most 640 KiB). Purgatory overwrites all of it.
 */
#define KJ_BIOS_AREA_SIZE	0x3000u
#define KJ_BIOS_AREA_ALIGN	0x1000u
/* Bytes of the area's real-mode stack the interrupt handler may use. */
#define KJ_BIOS_STACK_SIZE	0x1800u

/* Flags in kjump_bios_call.flags. */
#define KJ_BIOS_ESDI_BOUNCE	(1u << 0)	/* es:di = bounce buffer (E820, VESA) */
#define KJ_BIOS_PIC_BIOS	(1u << 1)	/* PICs at 0x08/0x70 with pic_mask_call during
						   the call, then at pic_base_master/slave */
#define KJ_BIOS_CONTINUE	(1u << 2)	/* in a list only: in.ebx = the previous call's
						   out.ebx; the list ends here if that is 0 or
						   the previous call set CF (E820 walks) */

/* Registers as the interrupt handler sees them (in) and leaves them (out). */
struct kjump_bios_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint16_t ds, es, fs, gs;
	uint32_t eflags;	/* in: only CF PF AF ZF SF OF are passed; IF, TF, DF clear */
};

struct kjump_bios_call {
	uint32_t magic;			/* KJ_BIOS_MAGIC */
	uint32_t size;			/* sizeof(struct kjump_bios_call) */
	uint32_t vector;		/* the interrupt, 0x00-0xff */
	uint32_t flags;			/* KJ_BIOS_* */
	uint32_t area;			/* low-memory area, KJ_BIOS_AREA_SIZE bytes */
	uint32_t bounce;		/* low-memory bounce buffer; 0 = none */
	uint32_t bounce_size;		/* its size in bytes */
	uint32_t data_size;		/* bytes copied data -> bounce before, back after */
	uint64_t data;			/* the caller's buffer (physical; anywhere) */
	uint16_t pic_mask_call;		/* KJ_BIOS_PIC_BIOS: masks during the call
					   (master in bits 0-7, slave in 8-15) */
	uint8_t pic_base_master;	/* KJ_BIOS_PIC_BIOS: the caller's vector bases, */
	uint8_t pic_base_slave;		/*   programmed again after the call */
	uint8_t cmos_index;		/* written to port 0x70 after the call (bit 7:
					   NMIs off); the port cannot be read back */
	uint8_t reserved[3];
	struct kjump_bios_regs in;	/* registers for the interrupt */
	struct kjump_bios_regs out;	/* written by purgatory on KJ_OK */
	int32_t status;			/* written by purgatory: the returned status */
	uint32_t carry;			/* written by purgatory: out.eflags & CF */
};

/*
 * A list of calls, for the kexec-jump way in (docs/bios.md): a loader sets
 * KJ_FLAG_BIOS_LIST and kjump_params.bios_list, and every entry at
 * purgatory_start runs the list and resumes A, which reads the results in
 * place (the list lives in memory A keeps, outside the kexec segments).
 */
#define KJ_BIOS_LIST_MAGIC	0x5453494cu	/* "LIST" in memory */
#define KJ_BIOS_LIST_MAX	64u

struct kjump_bios_list {
	uint32_t magic;			/* KJ_BIOS_LIST_MAGIC */
	uint32_t count;			/* entries in calls[], at most KJ_BIOS_LIST_MAX */
	uint32_t done;			/* written: calls that ran in the last run */
	int32_t status;			/* written: KJ_OK, or the status that stopped the list */
	uint64_t runs;			/* written: how often the list was run */
	struct kjump_bios_call calls[];
};

#endif /* KJUMP_BIOS_H */
