// SPDX-License-Identifier: GPL-2.0-only
/*
 * purgatory/digest.c: kj_verify_segments walking sha256_regions. Input:
 * per region (KJ_SHA256_REGIONS of them) a 32-bit offset from the arena
 * and a 32-bit length (an offset with the top bit set is taken as an
 * absolute address instead), then one byte for skip_checks, then the
 * expected digest, then the arena's own bytes: only regions inside the
 * arena may be read, and a region outside must be refused.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../purgatory/kjump.h"

#define HEAD (KJ_SHA256_REGIONS * 8 + 1 + 32)

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct kjump_params p;
	uint8_t *arena;
	size_t len = n > HEAD ? n - HEAD : 0;
	unsigned int i;

	arena = malloc(len ? len : 1);
	if (len)
		memcpy(arena, d + HEAD, len);
	memset(&p, 0, sizeof(p));
	for (i = 0; i < KJ_SHA256_REGIONS; i++) {
		uint32_t off = fuzz_u32(d, n, 8 * i), sz = fuzz_u32(d, n, 8 * i + 4);

		p.sha256_regions[i].start = (off & 0x80000000u) ? (uint64_t)off << 20
								: (uintptr_t)arena + off;
		p.sha256_regions[i].len = sz;
	}
	p.skip_checks = n > KJ_SHA256_REGIONS * 8 ? d[KJ_SHA256_REGIONS * 8] & 1 : 0;
	for (i = 0; i < 32 && KJ_SHA256_REGIONS * 8 + 1 + i < n; i++)
		p.sha256_digest[i] = d[KJ_SHA256_REGIONS * 8 + 1 + i];
	arena_start = (uintptr_t)arena;
	arena_len = len;
	image_lo = image_hi = 0;
	if (!setjmp(fatal_jump))
		kj_verify_segments(&p);
	free(arena);
	return 0;
}
