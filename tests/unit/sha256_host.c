// SPDX-License-Identifier: GPL-2.0-only
/* Host driver for tests/unit.t: prints the SHA-256 of stdin, fed in the
 * chunk size given as argv[1] so that every buffering path is exercised;
 * with "ni" as argv[2], whole blocks go through the SHA extensions
 * (kj_sha256_ni_blocks). "ni-available" alone prints 1 or 0. */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/sha256.h"

/* What arch/x86/sha256_ni.inc needs: SHA, SSSE3, SSE4.1. */
static int ni_available(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
		return 0;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
}

int main(int argc, char **argv)
{
	size_t chunk = argc > 1 ? strtoul(argv[1], 0, 10) : 4096, n, i;
	unsigned char *buf = malloc(chunk ? chunk : 1);
	unsigned char digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	if (argc > 1 && !strcmp(argv[1], "ni-available")) {
		printf("%d\n", ni_available());
		return 0;
	}
	sha256_init(&ctx);
	if (argc > 2 && !strcmp(argv[2], "ni"))
		ctx.blocks = kj_sha256_ni_blocks;
	while ((n = fread(buf, 1, chunk ? chunk : 1, stdin)) > 0)
		sha256_update(&ctx, buf, n);
	sha256_final(&ctx, digest);
	for (i = 0; i < sizeof(digest); i++)
		printf("%02x", digest[i]);
	printf("\n");
	free(buf);
	return 0;
}
