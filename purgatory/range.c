// SPDX-License-Identifier: GPL-2.0-only
/*
 * Address ranges, the checks every checker shares: whether purgatory can
 * reach a range, and whether two ranges (or a range and purgatory's own
 * image) overlap. Uses nothing of purgatory but arch_phys_limit and the
 * image's bounds, so that every other file may use it.
 */
#include "kjump.h"

int kj_overlaps_image(uint64_t addr, uint64_t len)
{
	uint64_t start = (uintptr_t)_image_start, end = (uintptr_t)_image_end;

	return addr < end && addr + len > start;
}

int kj_reachable(uint64_t addr, uint64_t len)
{
	return kj_below(addr, len, arch_phys_limit());
}

/*
 * Whether [a, a + alen) and [b, b + blen) meet, without overflow (either
 * may end at 2^64); an empty range meets nothing.
 */
int kj_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && (a >= b ? a - b < blen : b - a < alen);
}
