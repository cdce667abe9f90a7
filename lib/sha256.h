/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KJ_LIB_SHA256_H
#define KJ_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	unsigned int fill;
	/*
	 * Whole blocks go here if set (sha256_init clears it): an
	 * accelerated compression with the same state layout, such as
	 * kj_sha256_ni_blocks (arch/<arch>/sha256_ni.asm).
	 */
	void (*blocks)(uint32_t state[8], const uint8_t *data, size_t count);
};

/* The SHA extensions' compression (arch/<arch>/sha256_ni.asm); count >= 1. */
void kj_sha256_ni_blocks(uint32_t state[8], const uint8_t *data, size_t count);

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
