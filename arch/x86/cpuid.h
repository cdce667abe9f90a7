/* SPDX-License-Identifier: GPL-2.0-only */
/* CPUID for purgatory's C code on both arches (leaf, subleaf). */
#ifndef KJ_CPUID_H
#define KJ_CPUID_H

#include <stdint.h>

static inline void kj_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
			    uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

#endif
