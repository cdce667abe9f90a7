// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec-tools' integrity check: before B is started, the SHA-256 of the
 * loaded segments (sha256_regions, filled in by the loader from what it
 * loaded) must equal sha256_digest. It runs before B's first boot only,
 * under A's page tables, which map every segment of the image; once B has
 * run, its memory no longer matches what was loaded, by design.
 *
 * Unlike kexec-tools' purgatory, a mismatch does not spin: the caller gets
 * KJ_EDIGEST back and keeps running.
 */
#include "kjump.h"
#include "../lib/printf.h"
#include "../lib/sha256.h"
#include "../lib/string.h"

static void log_digest(const char *what, const uint8_t *d)
{
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	unsigned int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		kj_snprintf(hex + 2 * i, 3, "%02x", d[i]);
	kj_log("  %s %s", what, hex);
}

/* The digest of the regions, or KJ_EDIGEST if one is out of reach. */
static int hash_regions(const struct kjump_params *p, struct sha256_ctx *ctx,
			unsigned int *regions)
{
	unsigned int i;

	for (i = 0; i < KJ_SHA256_REGIONS; i++) {
		const struct kjump_sha256_region *r = &p->sha256_regions[i];

		if (!r->len)
			continue;
		if (!kj_reachable(r->start, r->len) || r->len > (size_t)-1) {
			kj_log("sha256 region %u (0x%llx, 0x%llx bytes) is outside the memory "
			       "purgatory can reach: B not started", i,
			       (unsigned long long)r->start, (unsigned long long)r->len);
			return KJ_EDIGEST;
		}
		sha256_update(ctx, (const void *)(uintptr_t)r->start, (size_t)r->len);
		(*regions)++;
	}
	return KJ_OK;
}

int kj_verify_segments(const struct kjump_params *p)
{
	struct sha256_ctx ctx;
	struct kj_simd_state simd;
	uint8_t digest[SHA256_DIGEST_SIZE];
	unsigned int regions = 0;
	int err, accel;

	if (p->skip_checks)
		return KJ_OK;
	sha256_init(&ctx);
	/* With the SHA extensions where the CPU has them; CR0 and CR4 as found after. */
	accel = kj_simd_begin(&simd);
	if (accel)
		ctx.blocks = kj_sha256_ni_blocks;
	err = hash_regions(p, &ctx, &regions);
	if (accel)
		kj_simd_end(&simd);
	if (err != KJ_OK)
		return err;
	if (!regions)
		return KJ_OK;	/* the loader asked for no check */
	sha256_final(&ctx, digest);
	if (!memcmp(digest, p->sha256_digest, sizeof(digest)))
		return KJ_OK;
	kj_log("SHA-256 of the %u loaded region(s) does not match sha256_digest: B not started",
	       regions);
	log_digest("computed:", digest);
	log_digest("expected:", p->sha256_digest);
	return KJ_EDIGEST;
}
