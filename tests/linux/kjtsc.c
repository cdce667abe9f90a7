// SPDX-License-Identifier: GPL-2.0-only
/*
 * kjtsc: print the CPU's time-stamp counter, for make bench's real-kernel
 * figures (scripts/bench.sh). Under QEMU -icount shift=0 the TSC advances
 * with the virtual clock, one per guest instruction while a CPU runs, so
 * the difference of two readings, in A and in B, is what happened between
 * them in instructions (idle time counts as time: sleep=off jumps the
 * clock to the next timer instead).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	printf("%llu\n", (unsigned long long)hi << 32 | lo);
	return 0;
}
