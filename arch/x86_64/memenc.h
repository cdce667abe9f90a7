/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory encryption that purgatory cannot take part in (docs/protocol.md,
 * "Not supported"): its page tables carry no encryption bit, so a kernel
 * whose memory is encrypted would have purgatory read ciphertext, and a
 * confidential guest cannot run it at all. kj_memenc_reason decides from
 * what the CPU says (gathered by arch/x86_64/cpu.c); it is apart so that
 * the decision can be tested on the host (tests/memenc.t).
 */
#ifndef KJ_MEMENC_H
#define KJ_MEMENC_H

#include <stdint.h>

#define KJ_CPUID_AMD_MEMENC	0x8000001fu	/* EAX: SME bit 0, SEV bit 1; EBX[5:0]: C-bit */
#define KJ_CPUID_TDX		0x21u		/* "IntelTDX    " in EBX, EDX, ECX in a TD */
#define KJ_MSR_SEV_STATUS	0xc0010131u	/* bit 0: SEV is active in this guest */
#define KJ_MSR_SYSCFG		0xc0010010u	/* bit 23: SME may be used */

struct kj_memenc_facts {
	uint32_t max_leaf;		/* CPUID 0 EAX */
	uint32_t max_ext_leaf;		/* CPUID 0x80000000 EAX */
	uint32_t amd_eax, amd_ebx;	/* CPUID 0x8000001f, if max_ext_leaf reaches it */
	uint32_t tdx_ebx, tdx_edx, tdx_ecx;	/* CPUID 0x21, if max_leaf reaches it */
	int sev_status_ok;		/* the MSR could be read */
	uint64_t sev_status;
	int syscfg_ok;
	uint64_t syscfg;
	uint64_t cr3;			/* the caller's */
};

/* 0 if none is in use; else what is, for the console. */
const char *kj_memenc_reason(const struct kj_memenc_facts *f);

#endif
