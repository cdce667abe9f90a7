// SPDX-License-Identifier: GPL-2.0-only
/* What the validators call outside themselves, for the host (fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "fuzz.h"
#include "../../purgatory/kjump.h"
#include "../../lib/printf.h"
#include "../../lib/sha256.h"

uint64_t arena_start, arena_len, image_lo, image_hi;
jmp_buf fatal_jump;
unsigned long fatal_calls, log_calls;

/* Formatted for real, so that every log line's arguments go through lib/printf.c. */
static void format(const char *fmt, va_list ap)
{
	char line[512];

	kj_vsnprintf(line, sizeof(line), fmt, ap);
}

void kj_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format(fmt, ap);
	va_end(ap);
	log_calls++;
}

void kj_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format(fmt, ap);
	va_end(ap);
	fatal_calls++;
	longjmp(fatal_jump, 1);
}

int kj_reachable(uint64_t addr, uint64_t len)
{
	return addr >= arena_start && addr - arena_start <= arena_len &&
	       len <= arena_len - (addr - arena_start);
}

/* The arena is all there is: anything else would fault, which the probe turns into 0. */
int arch_accessible(uint64_t addr, uint64_t len, int write)
{
	(void)write;
	return len && kj_reachable(addr, len);
}

int kj_overlaps_image(uint64_t addr, uint64_t len)
{
	return addr < image_hi && addr + len > image_lo;
}

uint64_t fuzz_u64(const uint8_t *d, size_t n, size_t off)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (off + i < n)
			v |= (uint64_t)d[off + i] << (8 * i);
	return v;
}

uint32_t fuzz_u32(const uint8_t *d, size_t n, size_t off)
{
	return (uint32_t)fuzz_u64(d, n < off + 4 ? n : off + 4, off);
}

/*
 * The digest check without SSE: kj_simd_begin says no, so the C
 * compression runs (the SHA extensions' path is checked by tests/unit.t).
 */
int kj_simd_begin(struct kj_simd_state *s)
{
	(void)s;
	return 0;
}

void kj_simd_end(const struct kj_simd_state *s)
{
	(void)s;
	abort();
}

void kj_sha256_ni_blocks(uint32_t state[8], const uint8_t *data, size_t count)
{
	(void)state;
	(void)data;
	(void)count;
	abort();
}
