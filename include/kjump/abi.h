/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kjump-purgatory ABI, version 1: the image header, the parameter block and
 * the status codes. Shared by purgatory itself, by loaders of purgatory.bin
 * and by the test kernels. Everything here is described in docs/abi.md; keep
 * the two in step.
 *
 * All addresses are physical. Purgatory runs identity-mapped (x86_64) or
 * with paging off (i386), so a physical address is also the address it
 * dereferences.
 */
#ifndef KJUMP_ABI_H
#define KJUMP_ABI_H

#include <stdint.h>

#define KJ_HEADER_MAGIC		"KJUMPPG1"	/* 8 bytes, no NUL inside the image */
#define KJ_ABI_VERSION		1u
#define KJ_PARAMS_MAGIC		0x4b4a5042u	/* "BPJK" in memory: params present */
#define KJ_IMAGE_ALIGN		4096u		/* purgatory.bin load alignment */

/* e_machine values, reused as the header's arch field. */
#define KJ_ARCH_I386		3u
#define KJ_ARCH_X86_64		62u

/*
 * The header at offset 0 of purgatory.bin (and of the single section of
 * purgatory.ro). Offsets are from the start of the image.
 */
struct kjump_header {
	char magic[8];			/* KJ_HEADER_MAGIC */
	uint32_t abi_version;		/* KJ_ABI_VERSION */
	uint32_t header_size;		/* sizeof(struct kjump_header) */
	uint32_t arch;			/* KJ_ARCH_* */
	uint32_t image_size;		/* bytes in memory: the file, then scratch from the
					   next 4 KiB boundary (not zeroed by a loader) */
	uint32_t load_align;		/* KJ_IMAGE_ALIGN */
	uint32_t entry_start;		/* first entry, from kernel A */
	uint32_t entry_from_a;		/* later entries from A (set by purgatory) */
	uint32_t entry_from_b;		/* B's kexec_jump_back_entry */
	uint32_t params;		/* struct kjump_params */
	uint32_t params_size;		/* sizeof(struct kjump_params) */
	uint32_t stack_end;		/* top of purgatory's own stack */
	uint32_t entry_bios_call;	/* the BIOS-call service (include/kjump/bios.h) */
};

/*
 * Status codes. Purgatory hands one to the side it resumes: in %eax/%rax,
 * and (see docs/protocol.md) as the first C argument when resuming A.
 * Negative values are errors: the transition did NOT happen and the caller
 * is resumed at once, its state unchanged.
 */
#define KJ_OK			0	/* peer ran and came back */
#define KJ_PEER_RETURNED	1	/* B returned from its boot entry with ret;
					   its return value is in %edx/%rdx */
#define KJ_EPARAMS		(-1)	/* parameter block missing or wrong version */
#define KJ_ESIDE		(-2)	/* entry does not match the side that runs */
#define KJ_ENOENTRY		(-3)	/* B's entry point is not set or invalid */
#define KJ_ESTACK		(-4)	/* caller's stack misaligned */
#define KJ_EPAGING		(-5)	/* paging state purgatory cannot handle */
#define KJ_EMAP			(-6)	/* target not mappable by purgatory's tables */
#define KJ_EAGAIN		(-7)	/* second first-entry: B already started */
#define KJ_ELOAD		(-8)	/* image not loaded at a KJ_IMAGE_ALIGN boundary */
#define KJ_EDIGEST		(-9)	/* loaded segments fail their SHA-256 check */
#define KJ_ENOPEER		(-10)	/* B asks for A, but A was left one-way */
/* The BIOS-call service's own refusals (include/kjump/bios.h, docs/bios.md). */
#define KJ_EBIOSCALL		(-11)	/* call block missing, wrong magic or size */
#define KJ_ENOBIOS		(-12)	/* no legacy BIOS (e.g. UEFI without CSM) */
#define KJ_EAREA		(-13)	/* low-memory area unusable */
#define KJ_EBOUNCE		(-14)	/* bounce buffer unusable or too small */
#define KJ_EVECTOR		(-15)	/* IVT entry points nowhere sensible */
#define KJ_ESEGMENT		(-16)	/* a data selector of the caller's cannot be reloaded */
#define KJ_EBACKUP		(-17)	/* borrowed low memory or its backup area unusable */
#define KJ_EBUSY		(-18)	/* another CPU is inside purgatory */
#define KJ_ELOST		(-19)	/* A was resumed from a hibernation image
					   without B's memory: load B again */

/*
 * Written to kjump_params.debug_exit_port (when nonzero) just before a
 * fatal halt, so that a QEMU test with isa-debug-exit ends at once with
 * status (0x40 << 1) | 1 = 129 instead of waiting for a timeout.
 */
#define KJ_DEBUG_EXIT_FATAL	0x40

/* Flags in kjump_params.flags. */
#define KJ_FLAG_TRACE		(1u << 0)	/* one serial line per transition */
#define KJ_FLAG_BIOS_LIST	(1u << 1)	/* purgatory_start runs the BIOS calls at
						   bios_list and resumes A; no B */

/* Values of kjump_params.running. */
#define KJ_SIDE_NONE		0u
#define KJ_SIDE_A		1u
#define KJ_SIDE_B		2u

/* The register block layouts kexec-tools writes (entry64_regs, entry32_regs). */
struct kjump_regs64 {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
};

struct kjump_regs32 {
	uint32_t eax, ebx, ecx, edx, esi, edi, esp, ebp, eip;
};

/*
 * kexec-tools' real-mode entry block (entry16_regs, i386 `kexec --real-mode`):
 * B starts at cs:ip in real mode with these registers. ip comes before cs,
 * as a far pointer has them.
 */
struct kjump_regs16 {
	uint32_t eax, ebx, ecx, edx, esi, edi, esp, ebp;
	uint16_t ds, es, ss, fs, gs, ip, cs, pad;
};

struct kjump_sha256_region {
	uint64_t start;
	uint64_t len;
};

#define KJ_SHA256_REGIONS	16

#endif /* KJUMP_ABI_H */
