// SPDX-License-Identifier: GPL-2.0-only
/*
 * purgatory/elfcore.c: kj_check_elfcorehdr on arbitrary bytes, and
 * kj_elfcore_note on every header it accepts. Input: two bytes of the
 * size the loader claims (elfcorehdr_size), then the header itself, in an
 * arena of exactly its size: a claimed size past the arena must be
 * refused, and nothing may read past it.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../purgatory/kjump.h"

uint64_t kj_check_elfcorehdr(uint64_t addr, uint64_t size);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	uint64_t claimed, hdr, addr, len;
	uint8_t *h;
	unsigned int i;

	if (n < 2)
		return 0;
	claimed = d[0] | (uint64_t)d[1] << 8;
	h = malloc(n - 2 ? n - 2 : 1);
	memcpy(h, d + 2, n - 2);
	arena_start = (uintptr_t)h;
	arena_len = n - 2;
	image_lo = image_hi = 0;
	if (!setjmp(fatal_jump)) {
		hdr = kj_check_elfcorehdr((uintptr_t)h, claimed);
		if (hdr && (hdr != (uintptr_t)h || claimed > n - 2))
			abort();	/* accepted something it was not given */
		for (i = 0; hdr && i < 8; i++)
			kj_elfcore_note(hdr, i, &addr, &len);
	}
	free(h);
	return 0;
}
