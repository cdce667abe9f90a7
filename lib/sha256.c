// SPDX-License-Identifier: GPL-2.0-only
/*
 * SHA-256 (FIPS 180-4), small and portable: purgatory checks the loaded
 * segments against kexec-tools' sha256_digest with it, the test kernels
 * compute that digest with it, and tests/unit.t checks it against another
 * implementation. No tables of pointers, so it is position independent.
 */
#include "sha256.h"
#include "string.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t round_constants[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The same for the square roots of the first 8 primes. */
static const uint32_t initial_hash[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* FIPS 180-4's functions; Ch and Maj in forms with one operation less. */
#define CH(e, f, g)	((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c)	(((a) & (b)) | ((c) & ((a) | (b))))
#define BIG_S0(a)	(ror(a, 2) ^ ror(a, 13) ^ ror(a, 22))
#define BIG_S1(e)	(ror(e, 6) ^ ror(e, 11) ^ ror(e, 25))
#define SMALL_S0(x)	(ror(x, 7) ^ ror(x, 18) ^ ((x) >> 3))
#define SMALL_S1(x)	(ror(x, 17) ^ ror(x, 19) ^ ((x) >> 10))

/*
 * One round, with the working variables named in the order they have in
 * this round: instead of moving all eight along, the caller rotates the
 * names, and only d and h are written.
 */
#define ROUND(a, b, c, d, e, f, g, h, k, w)                                         \
	do {                                                                        \
		uint32_t t1_ = (h) + BIG_S1(e) + CH(e, f, g) + (k) + (w);          \
		(d) += t1_;                                                         \
		(h) = t1_ + BIG_S0(a) + MAJ(a, b, c);                               \
	} while (0)

/* The message schedule in 16 words, each replaced by the word 16 places on. */
#define NEXT_W(i)                                                                   \
	(w[i] += SMALL_S1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] + SMALL_S0(w[((i) + 1) & 15]))

/* Sixteen rounds from round r on; W(i) gives the schedule word i of the sixteen. */
#define SIXTEEN_ROUNDS(r, W)                                                        \
	do {                                                                        \
		ROUND(a, b, c, d, e, f, g, h, round_constants[(r) + 0], W(0));     \
		ROUND(h, a, b, c, d, e, f, g, round_constants[(r) + 1], W(1));     \
		ROUND(g, h, a, b, c, d, e, f, round_constants[(r) + 2], W(2));     \
		ROUND(f, g, h, a, b, c, d, e, round_constants[(r) + 3], W(3));     \
		ROUND(e, f, g, h, a, b, c, d, round_constants[(r) + 4], W(4));     \
		ROUND(d, e, f, g, h, a, b, c, round_constants[(r) + 5], W(5));     \
		ROUND(c, d, e, f, g, h, a, b, round_constants[(r) + 6], W(6));     \
		ROUND(b, c, d, e, f, g, h, a, round_constants[(r) + 7], W(7));     \
		ROUND(a, b, c, d, e, f, g, h, round_constants[(r) + 8], W(8));     \
		ROUND(h, a, b, c, d, e, f, g, round_constants[(r) + 9], W(9));     \
		ROUND(g, h, a, b, c, d, e, f, round_constants[(r) + 10], W(10));   \
		ROUND(f, g, h, a, b, c, d, e, round_constants[(r) + 11], W(11));   \
		ROUND(e, f, g, h, a, b, c, d, round_constants[(r) + 12], W(12));   \
		ROUND(d, e, f, g, h, a, b, c, round_constants[(r) + 13], W(13));   \
		ROUND(c, d, e, f, g, h, a, b, round_constants[(r) + 14], W(14));   \
		ROUND(b, c, d, e, f, g, h, a, round_constants[(r) + 15], W(15));   \
	} while (0)

#define LOADED_W(i)	(w[i])

/*
 * The 64 rounds unrolled by sixteen, so that every schedule index is a
 * constant and the eight working variables stay in registers (fully
 * unrolled was 1-3% faster and three times the code).
 */
static void compress(uint32_t state[8], const uint8_t block[64])
{
	uint32_t w[16], a, b, c, d, e, f, g, h;
	unsigned int i, r;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(block + 4 * i);
	a = state[0]; b = state[1]; c = state[2]; d = state[3];
	e = state[4]; f = state[5]; g = state[6]; h = state[7];
	SIXTEEN_ROUNDS(0, LOADED_W);
	for (r = 16; r < 64; r += 16)
		SIXTEEN_ROUNDS(r, NEXT_W);
	state[0] += a; state[1] += b; state[2] += c; state[3] += d;
	state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

void sha256_init(struct sha256_ctx *ctx)
{
	memcpy(ctx->h, initial_hash, sizeof(ctx->h));
	ctx->bytes = 0;
	ctx->fill = 0;
	ctx->blocks = 0;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	ctx->bytes += len;
	if (ctx->fill) {
		while (len && ctx->fill < 64) {
			ctx->block[ctx->fill++] = *p++;
			len--;
		}
		if (ctx->fill < 64)
			return;
		compress(ctx->h, ctx->block);
		ctx->fill = 0;
	}
	if (ctx->blocks && len >= 64) {
		ctx->blocks(ctx->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	for (; len >= 64; p += 64, len -= 64)
		compress(ctx->h, p);
	while (len--)
		ctx->block[ctx->fill++] = *p++;
}

void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE])
{
	uint64_t bits = ctx->bytes * 8;
	unsigned int i;

	ctx->block[ctx->fill++] = 0x80;
	if (ctx->fill > 56) {
		while (ctx->fill < 64)
			ctx->block[ctx->fill++] = 0;
		compress(ctx->h, ctx->block);
		ctx->fill = 0;
	}
	while (ctx->fill < 56)
		ctx->block[ctx->fill++] = 0;
	for (i = 0; i < 8; i++)
		ctx->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	compress(ctx->h, ctx->block);
	for (i = 0; i < 32; i++)
		digest[i] = (uint8_t)(ctx->h[i / 4] >> (24 - 8 * (i % 4)));
}
