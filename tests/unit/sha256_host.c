// SPDX-License-Identifier: GPL-2.0-only
/* Host driver for tests/unit.t: prints the SHA-256 of stdin, fed in the
 * chunk size given as argv[1] so that every buffering path is exercised. */
#include <stdio.h>
#include <stdlib.h>
#include "../../lib/sha256.h"

int main(int argc, char **argv)
{
	size_t chunk = argc > 1 ? strtoul(argv[1], 0, 10) : 4096, n, i;
	unsigned char *buf = malloc(chunk ? chunk : 1);
	unsigned char digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	while ((n = fread(buf, 1, chunk ? chunk : 1, stdin)) > 0)
		sha256_update(&ctx, buf, n);
	sha256_final(&ctx, digest);
	for (i = 0; i < sizeof(digest); i++)
		printf("%02x", digest[i]);
	printf("\n");
	free(buf);
	return 0;
}
