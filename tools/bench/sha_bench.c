// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: SHA-256 throughput of purgatory's code against kexec-tools'
 * util_lib/sha256.c, built with the same compiler and flags and run on
 * the same data in one process, each in turn, so that the ratio does not
 * depend on what else the machine is doing at the time.
 *
 *   sha_bench MIB REPS
 *
 * Prints "sha NAME MB/s" for each implementation (the median of REPS
 * runs over MIB MiB) and "sha_digest_match 1" if all digests agree. The
 * SHA extensions' path runs only where CPUID reports them. memory_read is
 * the speed of reading the buffer alone, for scale.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../lib/sha256.h"

/* kexec-tools' functions, renamed by objcopy (scripts/bench.sh). */
typedef struct {
	uint32_t total[2];
	uint32_t state[8];
	uint8_t buffer[64];
} kt_sha256_context;
void kt_sha256_starts(kt_sha256_context *ctx);
void kt_sha256_update(kt_sha256_context *ctx, const uint8_t *input, size_t length);
void kt_sha256_finish(kt_sha256_context *ctx, uint8_t digest[32]);

static void purgatory_c(const uint8_t *d, size_t n, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, d, n);
	sha256_final(&c, out);
}

static void kexec_tools(const uint8_t *d, size_t n, uint8_t out[32])
{
	kt_sha256_context c;

	kt_sha256_starts(&c);
	kt_sha256_update(&c, d, n);
	kt_sha256_finish(&c, out);
}

/* What arch/x86/sha256_ni.inc needs: SHA, SSSE3, SSE4.1. */
static int sha_ni_available(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
		return 0;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
}

/* Purgatory's path with the SHA extensions (arch/x86_64/sha256_ni.asm). */
static void purgatory_sha_ni(const uint8_t *d, size_t n, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	c.blocks = kj_sha256_ni_blocks;
	sha256_update(&c, d, n);
	sha256_final(&c, out);
}

/*
 * Not a hash: every word of the buffer read once and folded, the ceiling a
 * hash of data that is not in the caches can reach on this machine.
 */
static void read_only(const uint8_t *d, size_t n, uint8_t out[32])
{
	const uint64_t *w = (const uint64_t *)d;
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n / 8; i += 4)
		x ^= w[i] + w[i + 1] + w[i + 2] + w[i + 3];
	memset(out, 0, 32);
	memcpy(out, &x, sizeof(x));
}

struct impl {
	const char *name;
	void (*fn)(const uint8_t *, size_t, uint8_t[32]);
	double mbps[64];
	uint8_t digest[32];
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	unsigned int reps = argc > 2 ? strtoul(argv[2], NULL, 0) : 5, i, j;
	size_t n = mib << 20;
	uint8_t *d = malloc(n);
	struct impl impls[] = {
		{ "purgatory_c", purgatory_c, { 0 }, { 0 } },
		{ "kexec_tools_c", kexec_tools, { 0 }, { 0 } },
		{ "purgatory_sha_ni", purgatory_sha_ni, { 0 }, { 0 } },
		{ "memory_read", read_only, { 0 }, { 0 } },	/* not compared */
	};
	unsigned int count = sizeof(impls) / sizeof(impls[0]), match = 1;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (!d || reps < 1 || reps > 64) {
		fprintf(stderr, "usage: sha_bench MIB REPS (REPS 1-64)\n");
		return 2;
	}
	if (!sha_ni_available()) {
		fprintf(stderr, "sha_bench: this CPU has no SHA extensions; purgatory_sha_ni not run\n");
		impls[2] = impls[3];
		count--;
	}
	for (i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		d[i] = (uint8_t)x;
	}
	/* Round-robin, so that a change in machine load hits every one alike. */
	for (j = 0; j < reps; j++)
		for (i = 0; i < count; i++) {
			double t = now();

			impls[i].fn(d, n, impls[i].digest);
			impls[i].mbps[j] = n / 1e6 / (now() - t);
		}
	for (i = 0; i < count; i++) {
		qsort(impls[i].mbps, reps, sizeof(double), cmp);
		printf("sha %s %.1f\n", impls[i].name, impls[i].mbps[reps / 2]);
		if (impls[i].fn != read_only && memcmp(impls[i].digest, impls[0].digest, 32))
			match = 0;
	}
	printf("sha_mib %zu\nsha_reps %u\nsha_digest_match %u\n", mib, reps, match);
	return match ? 0 : 1;
}
