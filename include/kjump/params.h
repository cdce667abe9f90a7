/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parameter block: what a loader writes before the first entry, and
 * what purgatory records about each side while the kernels coroutine.
 *
 * The same bytes serve two kinds of loader. A loader of purgatory.bin finds
 * the block through kjump_header.params and fills it as a struct. kexec-tools
 * finds the fields it knows (entry64_regs, serial_base, ...) as ELF symbols
 * of the same names and sizes in purgatory.ro; scripts/mkro.py exports them
 * from the offsets below, so the two views cannot drift apart.
 *
 * "unsigned long" is the native word: 4 bytes on i386, 8 on x86_64, as in
 * kexec-tools' own purgatory.
 */
#ifndef KJUMP_PARAMS_H
#define KJUMP_PARAMS_H

#include <kjump/abi.h>

#if defined(__x86_64__)
#define KJ_NGPR 16	/* rax rbx rcx rdx rsi rdi rsp rbp r8..r15 */
#elif defined(__i386__)
#define KJ_NGPR 8	/* eax ebx ecx edx esi edi esp ebp */
#else
#error "kjump-purgatory is for i386 and x86_64"
#endif

/* Indices into kjump_cpu.gpr; the order is that of kexec-tools' register blocks. */
enum {
	KJ_AX, KJ_BX, KJ_CX, KJ_DX, KJ_SI, KJ_DI, KJ_SP, KJ_BP,
#if defined(__x86_64__)
	KJ_R8, KJ_R9, KJ_R10, KJ_R11, KJ_R12, KJ_R13, KJ_R14, KJ_R15,
#endif
};

/*
 * A descriptor-table register as sgdt/sidt store it (limit, then base),
 * padded in front so that the base is naturally aligned.
 */
struct kjump_dtr {
	uint16_t pad[sizeof(unsigned long) / 2 - 1];
	uint16_t limit;
	unsigned long base;
};

/* One side's CPU state as it was when it last called into purgatory. */
struct kjump_cpu {
	unsigned long gpr[KJ_NGPR];	/* gpr[KJ_SP] points at the re-entry word */
	unsigned long reentry;		/* the word at gpr[KJ_SP]: where to resume it */
	unsigned long flags;
	unsigned long cr0, cr3, cr4;
	uint64_t efer;			/* 0 on i386 */
	struct kjump_dtr gdtr, idtr;
	/*
	 * Segment selectors at the call. CS and SS are given back when the
	 * side resumes (on i386; on x86_64 purgatory's own 0x10/0x18, which
	 * are Linux's); DS, ES, FS and GS are never reloaded by purgatory.
	 */
	uint16_t cs, ss, ds, es, fs, gs;
	uint32_t reserved_sel;
};

struct kjump_side {
	struct kjump_cpu cpu;
	uint64_t entries;		/* how often this side called into purgatory */
};

struct kjump_params {
	/* --- Written by the loader (preset magic/version/size are in the image). --- */
	uint32_t magic;			/* KJ_PARAMS_MAGIC; anything else: refused */
	uint32_t abi_version;		/* KJ_ABI_VERSION */
	uint32_t size;			/* sizeof(struct kjump_params) */
	uint32_t flags;			/* KJ_FLAG_* */
	uint64_t elfcorehdr;		/* A's ELF core header; 0: B's elfcorehdr=, or none */
	uint64_t elfcorehdr_size;	/* bytes the header may span; 0 = 64 KiB; at most 2 MiB */
	uint16_t debug_exit_port;	/* outb here before a fatal halt; 0 = none */
	uint16_t reserved0;
	uint32_t reserved1;
	uint64_t bios_list;		/* KJ_FLAG_BIOS_LIST: struct kjump_bios_list */

	/* --- kexec-tools' symbols (each exported under its own name). --- */
#if defined(__x86_64__)
	struct kjump_regs64 entry64_regs;	/* how B is booted */
#endif
	/* How B is booted on i386; on x86_64, when entry64_regs.rip is 0
	 * (kexec-tools' 32-bit loader: kexec --entry-32bit or --real-mode). */
	struct kjump_regs32 entry32_regs;
	/* With entry32_regs.eip = entry16: B starts in real mode (kj_boot_real_mode). */
	struct kjump_regs16 entry16_regs;
	/*
	 * kexec-tools writes the same block here for its purgatory's debug
	 * hooks (kexec -d --real-mode), which this purgatory does not have;
	 * only the write must find the symbol.
	 */
	struct kjump_regs16 entry16_debug_regs;
	struct kjump_sha256_region sha256_regions[KJ_SHA256_REGIONS];
	uint8_t sha256_digest[32];
	int skip_checks;
	uint8_t reset_vga;
	uint8_t console_vga;
	uint8_t console_serial;		/* nonzero: diagnostics on the 8250 below */
	uint8_t panic_kernel;
	uint16_t serial_base;		/* I/O port, e.g. 0x3f8 */
	uint16_t reserved2;
	uint32_t serial_baud;		/* 0: leave the UART as the kernel set it */
	unsigned long backup_start;
	unsigned long backup_src_start;
	unsigned long backup_src_size;
	unsigned long cmdline_end;	/* B's command line NUL; 0 = do not append */
	unsigned long jump_back_entry;	/* A's re-entry address (kexec-tools name) */

	/* --- Written by purgatory; a loader may read them. --- */
	uint32_t running;		/* KJ_SIDE_*: who purgatory last resumed */
	int32_t last_status;		/* last status handed to a side */
	uint64_t transitions;		/* completed switches between sides */
	uint64_t refused;		/* entries refused with an error status */
	uint64_t b_boots;		/* times B was entered at its boot entry */
	uint64_t elfcorehdr_passed;	/* the header address B last received */
	uint64_t nmis;			/* NMIs taken (and ignored) inside purgatory */
	uint64_t bios_calls;		/* BIOS calls run (include/kjump/bios.h) */
	struct kjump_side side_a;
	struct kjump_side side_b;
	/*
	 * One CPU at a time (docs/protocol.md): the entry stubs take cpu_inside
	 * with a locked bit-test-and-set before they touch anything of
	 * purgatory's, and every way out clears it once purgatory's own state
	 * and stack are no longer used. A CPU that finds it taken is turned
	 * away without touching the rest: refused with KJ_EBUSY when it has a
	 * re-entry word, halted when it has none. purgatory counts both, and
	 * the CPU inside logs the new ones (busy_reported: how many it has).
	 */
	uint32_t cpu_inside;		/* nonzero while a CPU runs purgatory's code */
	uint32_t busy_refused;		/* entries refused with KJ_EBUSY */
	uint32_t busy_halted;		/* entries halted: nothing to return them to */
	uint32_t busy_reported;		/* of the two, how many are on the console */

	/*
	 * --- Written by a hibernation loader into the purgatory memory B
	 * saved (include/kjump/restore.h, docs/hibernate.md); purgatory
	 * clears restore_image and restore_size once A's memory is back. ---
	 */
	uint64_t restore_image;		/* the restore image; 0: no restore */
	uint64_t restore_size;		/* its bytes */
	uint8_t restore_sha256[32];	/* its SHA-256 */
	/* --- Written by purgatory. --- */
	uint32_t restores;		/* times A was resumed from a restore image */
	uint32_t b_lost;		/* nonzero: B's memory did not survive (A was
					   restored); A's next call is refused, KJ_ELOST */
};

#endif /* KJUMP_PARAMS_H */
