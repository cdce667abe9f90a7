// SPDX-License-Identifier: GPL-2.0-only
/*
 * SSE inside purgatory, for the SHA extensions (arch/x86/sha256_ni.inc),
 * both arches.
 *
 * Linux enters purgatory with a CR4 that relocate_kernel has cut down to
 * what its identity map needs (OSFXSR clear: every SSE instruction is
 * #UD), and a kernel may have CR0.TS set (#NM). kj_simd_begin sets what
 * SSE needs and kj_simd_end puts the caller's CR0 and CR4 back, bit for
 * bit; the XMM registers the routine uses are saved and restored by the
 * routine itself. Nothing else in purgatory uses SSE (-mgeneral-regs-only).
 */
#include "../../purgatory/kjump.h"
#include "cpu_bits.h"
#include "cpuid.h"

#define CPUID1_ECX_SSSE3	(1u << 9)
#define CPUID1_ECX_SSE41	(1u << 19)
#define CPUID1_EDX_SSE2		(1u << 26)
#define CPUID7_EBX_SHA		(1u << 29)

/* 0: not asked yet, 1: no, 2: yes. Kept in the image: the CPU stays the same. */
static unsigned int sha_ni;

int kj_sha_ni_usable(void)
{
	uint32_t a, b, c, d;

	if (!sha_ni) {
		int yes = 0;

		kj_cpuid(0, 0, &a, &b, &c, &d);
		if (a >= 7) {
			uint32_t c1, d1;

			kj_cpuid(1, 0, &a, &b, &c1, &d1);
			kj_cpuid(7, 0, &a, &b, &c, &d);
			yes = (c1 & CPUID1_ECX_SSSE3) && (c1 & CPUID1_ECX_SSE41) &&
			      (d1 & CPUID1_EDX_SSE2) && (b & CPUID7_EBX_SHA);
		}
		sha_ni = yes ? 2 : 1;
	}
	return sha_ni == 2;
}

int kj_simd_begin(struct kj_simd_state *s)
{
	if (!kj_sha_ni_usable())
		return 0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(s->cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(s->cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(s->cr4 | CR4_OSFXSR) : "memory");
	__asm__ volatile("mov %0, %%cr0" : : "r"(s->cr0 & ~(unsigned long)(CR0_TS | CR0_EM))
			 : "memory");
	return 1;
}

void kj_simd_end(const struct kj_simd_state *s)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(s->cr0) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(s->cr4) : "memory");
}
