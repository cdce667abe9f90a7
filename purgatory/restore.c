// SPDX-License-Identifier: GPL-2.0-only
/*
 * Putting A's memory back from a hibernation image (include/kjump/restore.h,
 * docs/hibernate.md).
 *
 * Purgatory's memory here is what B saved while A was suspended: A's
 * recorded CPU state, and running == B. A kernel C, booted on the same
 * machine after a power-off, loaded it back where it was, with the restore
 * image beside it, and entered purgatory_start by a plain kexec. Nothing of
 * C survives: every refusal here is a halt with a message (kj_fatal), and
 * every check runs before the first byte of A's memory is written, so a
 * refused image leaves memory as C's kexec left it.
 *
 * Everything is read and written through purgatory's own map, a few ranges
 * of at most KJ_MAP_RANGE_MAX at a time: C's page tables lie in memory the
 * runs overwrite, and C's kexec map need not cover all of it.
 */
#include "kjump.h"
#include <kjump/restore.h>
#include "../lib/sha256.h"
#include "../lib/string.h"

#define CHUNK	KJ_MAP_RANGE_MAX

/* Load a map of purgatory, [a, a + alen) and, if blen, [b, b + blen); each at most CHUNK. */
static void map_ranges(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	arch_map_begin();
	if (arch_map(a, alen) || (blen && arch_map(b, blen)))
		kj_fatal("restore: 0x%llx or 0x%llx cannot be mapped",
			 (unsigned long long)a, (unsigned long long)b);
	arch_map_commit();
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Run i of the image, copied out through a map of its 32 bytes. */
static struct kjump_restore_run read_run(uint64_t image, uint64_t i)
{
	uint64_t at = image + sizeof(struct kjump_restore_header) +
		      i * sizeof(struct kjump_restore_run);
	struct kjump_restore_run r;

	map_ranges(at, sizeof(r), 0, 0);
	memcpy(&r, (const void *)(uintptr_t)at, sizeof(r));
	return r;
}

static void check_digest(const struct kjump_params *p)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	uint64_t off, n;

	sha256_init(&ctx);
	for (off = 0; off < p->restore_size; off += n) {
		n = min64(CHUNK, p->restore_size - off);
		map_ranges(p->restore_image + off, n, 0, 0);
		sha256_update(&ctx, (const void *)(uintptr_t)(p->restore_image + off), (size_t)n);
	}
	sha256_final(&ctx, digest);
	if (memcmp(digest, p->restore_sha256, sizeof(digest)))
		kj_fatal("restore: the SHA-256 of the restore image at 0x%llx (0x%llx bytes) does "
			 "not match restore_sha256: A's memory not written",
			 (unsigned long long)p->restore_image, (unsigned long long)p->restore_size);
}

/* One run against the image and what must survive the writes. */
static void check_run(const struct kjump_params *p, const struct kjump_restore_header *h,
		      const struct kjump_restore_run *r, uint64_t i, uint64_t prev_end)
{
	const char *why = 0;

	if (!r->len)
		why = "is empty";
	else if (r->flags & ~(uint64_t)KJ_RUN_ZERO)
		why = "has unknown flags";
	else if (r->dst < prev_end)
		why = "is not above the run before it";
	else if (!kj_reachable(r->dst, r->len))
		why = "is beyond the memory purgatory reaches";
	else if (kj_overlaps_image(r->dst, r->len))
		why = "overlaps purgatory";
	else if (kj_overlaps(r->dst, r->len, p->restore_image, p->restore_size))
		why = "overlaps the restore image";
	else if (kj_lowmem_borrowed(p) &&
		 kj_overlaps(r->dst, r->len, p->backup_start, p->backup_src_size))
		why = "overlaps the low-memory backup area";
	else if (!(r->flags & KJ_RUN_ZERO) &&
		 (r->src < h->data_offset || r->src > h->total_size ||
		  r->len > h->total_size - r->src))
		why = "takes its data from outside the image's data";
	if (why)
		kj_fatal("restore: run %llu (0x%llx +0x%llx, data at 0x%llx, flags 0x%llx) %s: "
			 "A's memory not written", (unsigned long long)i,
			 (unsigned long long)r->dst, (unsigned long long)r->len,
			 (unsigned long long)r->src, (unsigned long long)r->flags, why);
}

static struct kjump_restore_header check_image(const struct kjump_params *p)
{
	struct kjump_restore_header h;
	uint64_t i, prev_end = 0, bytes = 0;

	if (p->restore_size < sizeof(h) || !kj_reachable(p->restore_image, p->restore_size) ||
	    kj_overlaps_image(p->restore_image, p->restore_size))
		kj_fatal("restore: the restore image 0x%llx (+0x%llx) is too short, beyond the memory "
			 "purgatory reaches, or over purgatory", (unsigned long long)p->restore_image,
			 (unsigned long long)p->restore_size);
	if (p->running != KJ_SIDE_B || !p->side_a.cpu.reentry)
		kj_fatal("restore: this purgatory state holds no suspended A (running: %u, A's "
			 "re-entry 0x%lx): it was not saved while B ran", p->running,
			 p->side_a.cpu.reentry);
	/* What the resume after the writes needs, checked before them. */
	if (!arch_compatible(&p->side_a.cpu))
		kj_fatal("restore: A's paging (CR4 0x%lx) is not what this entry runs with: A cannot "
			 "be resumed from here", p->side_a.cpu.cr4);
	if (!kj_reachable(p->side_a.cpu.reentry, 1) ||
	    p->side_a.cpu.gpr[KJ_SP] < 4096 + 64 ||
	    !kj_reachable(p->side_a.cpu.gpr[KJ_SP] - 64, 128))
		kj_fatal("restore: A's re-entry 0x%lx or stack 0x%lx is beyond the memory purgatory "
			 "reaches", p->side_a.cpu.reentry, p->side_a.cpu.gpr[KJ_SP]);
	check_digest(p);
	map_ranges(p->restore_image, sizeof(h), 0, 0);
	memcpy(&h, (const void *)(uintptr_t)p->restore_image, sizeof(h));
	if (h.magic != KJ_RESTORE_MAGIC || h.version != KJ_RESTORE_VERSION ||
	    h.header_size != sizeof(h) || h.total_size != p->restore_size ||
	    h.nruns > (h.total_size - sizeof(h)) / sizeof(struct kjump_restore_run) ||
	    h.data_offset < sizeof(h) + h.nruns * sizeof(struct kjump_restore_run) ||
	    h.data_offset > h.total_size)
		kj_fatal("restore: the restore image's header is not one of version %u (magic "
			 "0x%llx, version %u, %llu runs, data at 0x%llx, size 0x%llx)",
			 KJ_RESTORE_VERSION, (unsigned long long)h.magic, h.version,
			 (unsigned long long)h.nruns, (unsigned long long)h.data_offset,
			 (unsigned long long)h.total_size);
	if (kj_lowmem_borrowed(p) && kj_lowmem_check(p) != KJ_OK)
		kj_fatal("restore: the borrowed low memory cannot be given back to A");
	for (i = 0; i < h.nruns; i++) {
		struct kjump_restore_run r = read_run(p->restore_image, i);

		check_run(p, &h, &r, i, prev_end);
		prev_end = r.dst + r.len;
		bytes += r.len;
	}
	if (bytes != h.bytes)
		kj_fatal("restore: the runs cover 0x%llx bytes, the header says 0x%llx",
			 (unsigned long long)bytes, (unsigned long long)h.bytes);
	return h;
}

static void write_run(const struct kjump_params *p, const struct kjump_restore_run *r)
{
	uint64_t off, n;

	for (off = 0; off < r->len; off += n) {
		n = min64(CHUNK, r->len - off);
		if (r->flags & KJ_RUN_ZERO) {
			map_ranges(r->dst + off, n, 0, 0);
			memset((void *)(uintptr_t)(r->dst + off), 0, (size_t)n);
		} else {
			uint64_t src = p->restore_image + r->src + off;

			map_ranges(r->dst + off, n, src, n);
			memcpy((void *)(uintptr_t)(r->dst + off), (const void *)(uintptr_t)src,
			       (size_t)n);
		}
	}
}

void kj_restore_a(struct kjump_params *p)
{
	struct kjump_restore_header h = check_image(p);
	uint64_t i;

	kj_log("restore: image at 0x%llx, 0x%llx bytes, SHA-256 good; writing %llu runs, "
	       "0x%llx bytes of A's memory", (unsigned long long)p->restore_image,
	       (unsigned long long)p->restore_size, (unsigned long long)h.nruns,
	       (unsigned long long)h.bytes);
	for (i = 0; i < h.nruns; i++) {
		struct kjump_restore_run r = read_run(p->restore_image, i);

		write_run(p, &r);
	}
	/*
	 * The image has A's low memory where A has it; while B ran, A's copy
	 * was in the backup area, and the resume swaps the two (lowmem.c). A
	 * copy makes both A's, so the swap leaves A's in place.
	 */
	if (kj_lowmem_borrowed(p)) {
		arch_map_begin();
		if (kj_lowmem_map(p))
			kj_fatal("restore: the borrowed low memory cannot be mapped");
		arch_map_commit();
		memcpy((void *)(uintptr_t)p->backup_start,
		       (const void *)(uintptr_t)p->backup_src_start, p->backup_src_size);
	}
	/* B's memory was not saved: A's next call must not resume or boot it. */
	p->b_lost = 1;
	p->side_b.cpu.reentry = 0;
	p->restores++;
	p->restore_image = 0;
	p->restore_size = 0;
	kj_log("restore: A's memory is back; resuming A at 0x%lx", p->side_a.cpu.reentry);
}
