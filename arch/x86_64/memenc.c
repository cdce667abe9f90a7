// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whether the caller runs with memory encryption (memenc.h). What counts:
 * - an Intel TDX guest (CPUID leaf 0x21 signature): private memory is
 *   encrypted and purgatory's unencrypted accesses would not reach it;
 * - an AMD SEV, SEV-ES or SEV-SNP guest (SEV_STATUS bit 0): the same;
 * - AMD SME in use on bare metal: SYSCFG allows it and the caller's CR3
 *   carries the C-bit, as Linux's does when it runs with mem_encrypt=on.
 *   SME allowed but not used by the kernel (no C-bit) is fine.
 * Nothing here reads the CPU, so that every case is testable on the host.
 */
#include "memenc.h"

#define AMD_SME		(1u << 0)
#define AMD_SEV		(1u << 1)
#define SYSCFG_MEM_ENCRYPT	(1ull << 23)
#define SEV_ENABLED	(1ull << 0)

const char *kj_memenc_reason(const struct kj_memenc_facts *f)
{
	if (f->max_leaf >= KJ_CPUID_TDX && f->tdx_ebx == 0x65746e49u &&	/* "Inte" */
	    f->tdx_edx == 0x5844546cu && f->tdx_ecx == 0x20202020u)		/* "lTDX", "    " */
		return "an Intel TDX guest (private memory is encrypted)";
	if (f->max_ext_leaf < KJ_CPUID_AMD_MEMENC || !(f->amd_eax & (AMD_SME | AMD_SEV)))
		return 0;
	if (f->sev_status_ok && (f->sev_status & SEV_ENABLED))
		return "an AMD SEV guest (SEV_STATUS bit 0)";
	if ((f->amd_eax & AMD_SME) && f->syscfg_ok && (f->syscfg & SYSCFG_MEM_ENCRYPT) &&
	    (f->amd_ebx & 0x3f) && (f->cr3 >> (f->amd_ebx & 0x3f) & 1))
		return "AMD SME in use (the caller's CR3 carries the C-bit)";
	return 0;
}
