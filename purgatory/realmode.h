/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The low-memory area of a BIOS call, as purgatory lays it out. C fills it
 * (purgatory/bios.c, arch/<arch>/bioscall.c); the 16-bit code copied into
 * it (arch/<arch>/realmode.asm, arch/x86/realmode16.inc) reads it through
 * the offsets asm-offsets.c derives from here.
 *
 *   +0x0000  code: the blob kj_rm_blob..kj_rm_blob_end, copied
 *   +0x0600  struct kj_rm_data
 *   +0x0800  real-mode stack, KJ_BIOS_STACK_SIZE bytes, top at +0x2000
 *   +0x2000  x86_64: a copy of the root of purgatory's page tables. CR3
 *            holds 32 bits while paging is off, and the copy is below 1 MiB
 *            wherever purgatory itself was loaded; the lower levels it
 *            points to stay in purgatory's image, addressed with 52 bits.
 */
#ifndef KJ_REALMODE_H
#define KJ_REALMODE_H

#include <stdint.h>
#include <kjump/bios.h>
#include <kjump/params.h>

#define KJ_RM_CODE_MAX		0x0600u
#define KJ_RM_DATA_OFF		0x0600u
#define KJ_RM_STACK_TOP		0x2000u
#define KJ_RM_ROOT_OFF		0x2000u

/*
 * The area's GDT. SEL_CODE and SEL_DATA have the values of purgatory's own
 * code and data selectors (64-bit code on x86_64, flat 32-bit code on
 * i386), so the way back lands with selectors that mean the same thing in
 * purgatory's GDT.
 */
#define KJ_RM_SEL_CODE32	0x08	/* flat 32-bit code: compatibility mode, way down */
#define KJ_RM_SEL_CODE		0x10	/* purgatory's code selector */
#define KJ_RM_SEL_DATA		0x18	/* flat data */
#define KJ_RM_SEL_CODE16	0x20	/* 16-bit code, base = area, limit 64 KiB */
#define KJ_RM_SEL_DATA16	0x28	/* 16-bit data, base = area, limit 64 KiB */
#define KJ_RM_GDT_ENTRIES	6

#define KJ_RM_JUMP_REAL		1	/* kj_rm_data.jump */
#define KJ_RM_JUMP_PM32		2

/*
 * The NMI table of the mode switch (kj_rm_data.nmi_idt): one 48-byte table
 * that gives vector 2 a handler in every mode the way down and up passes
 * through, because each mode reads vector 2 at another offset: real mode
 * a far pointer at +8, 32-bit protected mode (and 16-bit, through the same
 * 32-bit gate) an 8-byte gate at +16, long mode a 16-bit gate at +32. The
 * other vectors' slots overlap and are not usable; only NMIs can arrive
 * with interrupts off, and purgatory raises no exception on the way.
 */
#define KJ_RM_NMI_REAL		8	/* IP, CS */
#define KJ_RM_NMI_GATE32	16
#define KJ_RM_NMI_GATE64	32
#define KJ_RM_NMI_IDT_SIZE	48

struct kj_rm_data {
	uint64_t gdt[KJ_RM_GDT_ENTRIES];
	uint8_t nmi_idt[KJ_RM_NMI_IDT_SIZE];	/* see above; 8-byte aligned */
	uint8_t nmi_idtr[10];		/* limit, base (the 64-bit base's upper half 0) */
	uint16_t pad_nmi;
	uint32_t nmis;			/* NMIs its handlers took during this call */
	/*
	 * Descriptor-table pointers as lgdt/lidt read them: a 16-bit limit,
	 * then the base. The GDT pointer's base is followed by four zero
	 * bytes, so the same 10 bytes serve lgdt in 64-bit mode.
	 */
	uint8_t gdtr[10];
	uint8_t ivtr[6];		/* the real-mode IVT: limit 0x3ff, base 0 */
	uint16_t target_ip, target_cs;	/* the handler, from the IVT; call far reads ip first */
	uint32_t root;			/* x86_64: area + KJ_RM_ROOT_OFF */
	uint32_t cr4_transit;		/* x86_64: CR4 while paging is being turned off and on */
	/*
	 * jump != 0: not a call but an entry point, and nothing comes back.
	 * KJ_RM_JUMP_REAL (kj_boot_real_mode): real mode, the registers from
	 * `in`, SS:ESP from here, a far jump to target_cs:target_ip.
	 * KJ_RM_JUMP_PM32 (kj_boot_protected32): flat 32-bit protected mode,
	 * paging off, the registers from `in`, ESP from here, CS 0x10 and
	 * data 0x18 (the boot protocol's), a jump to jump_eip.
	 */
	uint16_t jump, jump_ss;
	uint32_t jump_esp;
	uint32_t jump_eip;
	uint32_t pad;
	uint64_t return_ip;		/* purgatory code to come back to, and its stack */
	uint64_t return_sp;
	struct kjump_bios_regs in;	/* in.eflags already filtered */
	struct kjump_bios_regs out;
};

_Static_assert(KJ_RM_DATA_OFF + sizeof(struct kj_rm_data) <= KJ_RM_STACK_TOP - KJ_BIOS_STACK_SIZE,
	       "area data runs into the real-mode stack");
_Static_assert(KJ_RM_ROOT_OFF + 4096 <= KJ_BIOS_AREA_SIZE, "page-table root outside the area");

/*
 * The caller's selectors and the bases their reload destroys (x86_64).
 * DS, ES, FS and GS are reloaded only when a call went to real mode
 * (reload_data): a refusal never touched them, and a caller may hold a
 * selector its current GDT cannot back (a firmware's, still cached).
 */
struct kj_caller_segs {
	uint16_t cs, ss, ds, es, fs, gs;
	uint16_t reload_data;
	uint16_t pad;
	uint64_t fs_base, gs_base;	/* 0 on i386 */
};

/* Arithmetic flags a caller may pass in (CF PF AF ZF SF OF), and bit 1, always set. */
#define FLAGS_PASSED	0x08d5u
#define FLAGS_RESERVED	0x0002u
#define FLAGS_CF	0x0001u

/*
 * purgatory/rm_area.c: the area at `area` filled for the call c describes
 * (its registers, flags and bounce buffer) into the handler at cs:ip.
 */
struct kjump_bios_call;
void kj_rm_fill_area(const struct kjump_bios_call *c, uint32_t area, uint16_t ip, uint16_t cs);

/* arch/<arch>/realmode.asm */
extern char kj_rm_blob[], kj_rm_blob_end[];
/* The NMI handlers inside the blob: real mode, 32-bit code, 64-bit code (x86_64). */
extern char kj_rm_nmi16[], kj_rm_nmi32[], kj_rm_nmi64[];
/* Runs the call described by the filled area; returns once it has come back
 * (never, for a real-mode entry: kj_rm_data.jump). */
void arch_bios_call(unsigned long area);
/* Returns to the caller of kjump_bios_call with status in %eax/%rax. */
__attribute__((__noreturn__)) void arch_bios_return(const struct kjump_cpu *cpu,
						const struct kj_caller_segs *segs, long status);

/* arch/<arch>/bioscall.c */
/* The FS and GS bases a selector reload destroys (x86_64; 0 on i386). */
void arch_bios_save_bases(struct kj_caller_segs *segs);
/* The call block the caller passed (first C argument). */
unsigned long arch_bios_block(void);
/* Arch-specific parts of the area: the GDT's code selector, the root copy. */
void arch_bios_prepare(unsigned long area, struct kj_rm_data *d);

#endif
