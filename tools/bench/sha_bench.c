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
 * runs over MIB MiB) and "sha_digest_match 1" if all digests agree.
 */
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

#ifdef SHA_ACCEL
/* Purgatory's accelerated path (arch/x86/sha256_ni.asm), on a CPU that has it. */
int sha256_accel_available(void);
static void purgatory_accel(const uint8_t *d, size_t n, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	c.accel = 1;
	sha256_update(&c, d, n);
	sha256_final(&c, out);
}
#endif

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
#ifdef SHA_ACCEL
		{ "purgatory_sha_ni", purgatory_accel, { 0 }, { 0 } },
#endif
	};
	unsigned int count = sizeof(impls) / sizeof(impls[0]), match = 1;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (!d || reps < 1 || reps > 64) {
		fprintf(stderr, "usage: sha_bench MIB REPS (REPS 1-64)\n");
		return 2;
	}
#ifdef SHA_ACCEL
	if (!sha256_accel_available()) {
		fprintf(stderr, "sha_bench: this CPU has no SHA extensions\n");
		count--;
	}
#endif
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
		if (memcmp(impls[i].digest, impls[0].digest, 32))
			match = 0;
	}
	printf("sha_mib %zu\nsha_reps %u\nsha_digest_match %u\n", mib, reps, match);
	return match ? 0 : 1;
}
