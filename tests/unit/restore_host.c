// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host driver for tests/restore.t: purgatory/restore.c, which puts A's
 * memory back from a hibernation image, run on the host. restore.c uses
 * physical addresses as pointers, so host addresses stand for physical
 * ones: one allocation is "physical memory", 2 MiB that the driver calls
 * unreachable, 16 MiB that kj_reachable accepts, 2 MiB unreachable again
 * (a write past the memory lands where the test sees it). Inside the
 * memory: a fake purgatory image (kj_overlaps_image) holding the parameter
 * block, A's low memory and its backup area, the targets of the runs, and
 * the restore image.
 *
 * restore.c is built with -fno-builtin, as purgatory is, so that every
 * copy is a call, and linked with -Wl,--wrap for memcpy, memset and
 * sha256_update. Each of those calls, made while kj_restore_a runs, must
 * touch the allocation only inside the map committed last (arch_map_begin,
 * arch_map and arch_map_commit below keep it, with the real one's limits:
 * ranges of at most KJ_MAP_RANGE_MAX, at most KJ_MAP_RANGES in a map,
 * purgatory's image counted), and otherwise only the host stack, where
 * restore.c's locals are (and, to read, the executable's own data). The
 * calls that write into the allocation are counted: "nothing written" is
 * seen as it happens, and in the bytes.
 *
 * Checked (TAP, one line each):
 * - a good image (data and zero runs, odd lengths, runs longer than 2 MiB
 *   and across 2 MiB boundaries, runs touching purgatory, the backup area
 *   and the image), low memory borrowed: every byte of the 20 MiB as a
 *   model of the runs says, the backup area equal to the low memory, and
 *   the parameter block's b_lost, restores, restore_image, restore_size
 *   and B's re-entry; then the same without borrowed low memory, and an
 *   image without runs;
 * - bad images and parameter blocks (the image, its header, its runs, A's
 *   recorded state: running, re-entry, stack, paging depth; the borrowed
 *   low memory), each refused through kj_fatal with a message naming the
 *   problem, with nothing written anywhere in the 20 MiB (the parameter
 *   block included); the digest is recomputed after every mutation but the
 *   one that tests it, so that the check under test is the one that fires;
 * - random small images (seed in argv[2]), whole and mutated, against a
 *   validator and a model written again from include/kjump/restore.h and
 *   docs/abi.md: refused exactly when the validator refuses, then with
 *   nothing written; accepted otherwise, with memory as the model says;
 *   and every check reached by some mutation.
 *
 * Mutations of restore.c it catches (tried by hand): a check left out
 * (each of the runs' and the header's, A's state, kj_lowmem_check), runs
 * written as they are checked, fields set before the checks, off-by-one
 * order and data bounds, a map of more than 2 MiB, a map left out, the
 * data mapped at the wrong address, zero runs copied as data, the low
 * memory copied the wrong way or before the runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../purgatory/kjump.h"
#include "../../arch/x86/cpu_bits.h"
#include <kjump/restore.h>
#include "../../lib/sha256.h"

#define MIB		(1ull << 20)
#define GUARD		(2 * MIB)	/* unreachable, below and above the memory */
#define MEM_SIZE	(16 * MIB)
#define ALLOC_SIZE	(GUARD + MEM_SIZE + GUARD)
#define HDR		((uint64_t)sizeof(struct kjump_restore_header))
#define RUN		((uint64_t)sizeof(struct kjump_restore_run))

/* The fixed cases' layout, as offsets into the memory. */
#define LOW_OFF		0x10000ull	/* A's low memory, which B borrows */
#define LOW_LEN		0x70000ull
#define BACKUP_OFF	0x100000ull	/* its backup area */
#define PURG_OFF	0x200000ull	/* purgatory's image */
#define PURG_LEN	0x40000ull
#define PARAMS_OFF	(PURG_OFF + 0x1000)
#define IMAGE_OFF	0xc00000ull	/* the restore image, up to the memory's end */

/* A's and C's CR4: 4-level paging, other bits unlike (only LA57 must match). */
#define A_CR4		0x3606f0ul
#define C_CR4		0x1606f0ul

/*
 * The random part's layout: a 256 KiB window across a 2 MiB boundary, the
 * only memory kj_reachable accepts then. Offsets into the window.
 */
#define WIN_OFF		(4 * MIB - 0x20000)
#define WIN_SIZE	0x40000ull
#define WIN_LOW		0x0ull		/* low memory, 1 to 0x3000 bytes */
#define WIN_BACKUP	0x8000ull
#define WIN_PURG	0xc000ull
#define WIN_PURG_LEN	0x4000ull
#define WIN_TARGETS_END	0x30000ull	/* runs are made in [0, here) */
#define WIN_IMAGE	0x30000ull	/* the image: here + up to 0xf8, to the end */
#define RANDOM_RUNS	12
#define RANDOM_RUN_MAX	0x1400ull

void *__real_memcpy(void *dst, const void *src, size_t n);
void *__real_memset(void *dst, int c, size_t n);
void __real_sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void *__wrap_memcpy(void *dst, const void *src, size_t n);
void *__wrap_memset(void *dst, int c, size_t n);
void __wrap_sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);

static uint8_t *alloc;			/* guard, memory, guard */
static uint64_t alloc_lo, alloc_hi, mem;	/* mem: the memory's first byte */
static uint64_t reach_lo, reach_hi;	/* what kj_reachable accepts */
static uint64_t purg_lo, purg_hi;	/* what kj_overlaps_image calls purgatory */
static struct kjump_params *p;		/* inside purgatory's image */
struct kjump_cpu kj_incoming;		/* C's CPU at the plain kexec: its paging depth */
static uintptr_t stack_top;		/* main's frame: restore.c's locals lie below */

/* One kj_restore_a call: how it ended, and what it did on the way. */
static int inside;
static jmp_buf fatal_jump;
static char fatal_msg[512];
static char breach_msg[512];		/* the first breach of the map discipline */
static unsigned long writes;		/* memcpy/memset calls into the allocation */
static int log_to_tap;

/* The map restore.c builds (arch_map_*) and the one it last committed. */
struct range {
	uint64_t lo, hi;
};
static struct range building[KJ_MAP_RANGES], loaded[KJ_MAP_RANGES];
static unsigned int nbuilding, nloaded, map_open, most_ranges;
static unsigned long maps_begun, maps_this_call;

/*
 * Maps in one kj_restore_a call past which it is stopped: the good image
 * needs 42; a restore.c that let a run of 2^64 bytes through would loop
 * for ever, 2 MiB a map.
 */
#define RUNAWAY_MAPS	100000ul

static unsigned int tests, failures;

static void result(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	failures += !ok;
	printf("%s %u - ", ok ? "ok" : "not ok", ++tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void breach(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void breach(const char *fmt, ...)
{
	va_list ap;

	if (breach_msg[0])
		return;
	va_start(ap, fmt);
	vsnprintf(breach_msg, sizeof(breach_msg), fmt, ap);
	va_end(ap);
}

/* --- What restore.c calls: purgatory's other files, for the host. --- */

void kj_log(const char *fmt, ...)
{
	va_list ap;

	if (!log_to_tap)
		return;
	printf("# kj_log: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A halt in purgatory: here the end of the kj_restore_a call under test. */
void kj_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fatal_msg, sizeof(fatal_msg), fmt, ap);
	va_end(ap);
	if (!inside) {
		printf("Bail out! kj_fatal outside kj_restore_a: %s\n", fatal_msg);
		exit(1);
	}
	inside = 0;
	longjmp(fatal_jump, 1);
}

/* arch/x86_64/cpu.c's: A must run with the paging depth purgatory was entered with. */
int arch_compatible(const struct kjump_cpu *target)
{
	return (target->cr4 & CR4_LA57) == (kj_incoming.cr4 & CR4_LA57);
}

int kj_reachable(uint64_t addr, uint64_t len)
{
	return addr >= reach_lo && addr < reach_hi && len <= reach_hi - addr;
}

/* purgatory/range.c's, with the fake image's bounds. */
int kj_overlaps_image(uint64_t addr, uint64_t len)
{
	return addr < purg_hi && addr + len > purg_lo;
}

/* purgatory/range.c's. */
int kj_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && (a >= b ? a - b < blen : b - a < alen);
}

/* purgatory/lowmem.c's three, as they are there. */
int kj_lowmem_borrowed(const struct kjump_params *q)
{
	return !q->panic_kernel && q->backup_start && q->backup_src_size;
}

int kj_lowmem_check(const struct kjump_params *q)
{
	uint64_t low = q->backup_src_start, area = q->backup_start, len = q->backup_src_size;

	if (len > KJ_MAP_RANGE_MAX || !kj_reachable(low, len) || !kj_reachable(area, len))
		return KJ_EBACKUP;
	if (kj_overlaps_image(low, len) || kj_overlaps_image(area, len) ||
	    kj_overlaps(low, len, area, len))
		return KJ_EBACKUP;
	return KJ_OK;
}

int kj_lowmem_map(const struct kjump_params *q)
{
	int err = arch_map(q->backup_src_start, q->backup_src_size);

	return err ? err : arch_map(q->backup_start, q->backup_src_size);
}

static void add_range(uint64_t addr, uint64_t len)
{
	if (!len) {
		breach("arch_map(0x%llx, 0): an empty range", (unsigned long long)addr);
		return;
	}
	if (len > KJ_MAP_RANGE_MAX)
		breach("arch_map(0x%llx, 0x%llx): longer than KJ_MAP_RANGE_MAX",
		       (unsigned long long)addr, (unsigned long long)len);
	if (!kj_reachable(addr, len))
		breach("arch_map(0x%llx, 0x%llx): beyond the memory", (unsigned long long)addr,
		       (unsigned long long)len);
	if (nbuilding == KJ_MAP_RANGES) {
		breach("arch_map(0x%llx, 0x%llx): more than %u ranges in one map, purgatory's "
		       "counted", (unsigned long long)addr, (unsigned long long)len, KJ_MAP_RANGES);
		return;
	}
	building[nbuilding].lo = addr;
	building[nbuilding++].hi = addr + len;
	if (nbuilding > most_ranges)
		most_ranges = nbuilding;
}

/* As arch/x86_64/idmap.c's: a new map, purgatory's image its first range (or a runaway stopped). */
void arch_map_begin(void)
{
	if (inside && ++maps_this_call > RUNAWAY_MAPS) {
		breach("more than %lu maps in one call: stopped", RUNAWAY_MAPS);
		snprintf(fatal_msg, sizeof(fatal_msg), "(stopped by the test)");
		inside = 0;
		longjmp(fatal_jump, 1);
	}
	nbuilding = 0;
	map_open = 1;
	maps_begun++;
	add_range(purg_lo, purg_hi - purg_lo);
}

/* Always KJ_OK: a range the real one would refuse is a breach here. */
int arch_map(uint64_t addr, uint64_t len)
{
	if (!map_open)
		breach("arch_map(0x%llx, 0x%llx) before arch_map_begin", (unsigned long long)addr,
		       (unsigned long long)len);
	add_range(addr, len);
	return KJ_OK;
}

void arch_map_commit(void)
{
	unsigned int i;

	if (!map_open)
		breach("arch_map_commit before arch_map_begin");
	for (i = 0; i < nbuilding; i++)
		loaded[i] = building[i];
	nloaded = nbuilding;
}

/* Whether the committed map covers [lo, hi). */
static int mapped(uint64_t lo, uint64_t hi)
{
	unsigned int i;

	while (lo < hi) {
		for (i = 0; i < nloaded; i++)
			if (loaded[i].lo <= lo && lo < loaded[i].hi)
				break;
		if (i == nloaded)
			return 0;
		lo = loaded[i].hi;
	}
	return 1;
}

/* The executable's own code and data (GNU ld's default linker script). */
extern const char __executable_start[], _end[];

/*
 * Whether a call made by kj_restore_a may touch [ptr, ptr + n): in the
 * allocation only through the committed map; elsewhere only the host stack
 * below main, where restore.c's locals are, and, to read, the executable's
 * data (lib/sha256.c copies its own constants). 0: a breach, and the call
 * does nothing: an address restore.c failed to refuse must not reach the
 * host's own memory.
 */
static int may_touch(const void *ptr, size_t n, int write, const char *what)
{
	uint64_t lo = (uintptr_t)ptr, hi = lo + n;
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);

	if (!inside || !n)
		return 1;
	if (lo >= alloc_lo && hi <= alloc_hi && hi > lo) {
		if (!mapped(lo, hi))
			breach("%s 0x%llx +0x%zx: not in the map committed", what,
			       (unsigned long long)lo, n);
		writes += write;
		return 1;
	}
	if ((hi <= alloc_lo || lo >= alloc_hi) && hi > lo &&
	    ((lo >= here - MIB && hi <= stack_top) ||
	     (!write && lo >= (uintptr_t)__executable_start && hi <= (uintptr_t)_end)))
		return 1;
	breach("%s 0x%llx +0x%zx: neither the memory nor the stack", what, (unsigned long long)lo, n);
	return 0;
}

void *__wrap_memcpy(void *dst, const void *src, size_t n)
{
	int ok = may_touch(src, n, 0, "memcpy from");

	if (!(may_touch(dst, n, 1, "memcpy to") && ok))
		return dst;
	return __real_memcpy(dst, src, n);
}

void *__wrap_memset(void *dst, int c, size_t n)
{
	if (!may_touch(dst, n, 1, "memset of"))
		return dst;
	return __real_memset(dst, c, n);
}

void __wrap_sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	if (may_touch(data, len, 0, "sha256_update of"))
		__real_sha256_update(ctx, data, len);
}

/* kj_restore_a(p): 1 if it returned, 0 if it halted (fatal_msg says why). */
static int restore(void)
{
	fatal_msg[0] = breach_msg[0] = 0;
	writes = maps_this_call = 0;
	nloaded = nbuilding = map_open = 0;	/* C's kexec map: nothing of ours */
	inside = 1;
	if (setjmp(fatal_jump))
		return 0;
	kj_restore_a(p);
	inside = 0;
	return 1;
}

/* --- Images. --- */

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t get64(uint64_t addr)
{
	uint64_t v;

	memcpy(&v, (const void *)(uintptr_t)addr, sizeof(v));
	return v;
}

static void put64(uint64_t addr, uint64_t v)
{
	memcpy((void *)(uintptr_t)addr, &v, sizeof(v));
}

static void fill_random(uint64_t addr, uint64_t len, uint64_t *rng)
{
	uint8_t *b = (uint8_t *)(uintptr_t)addr;
	uint64_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(next(rng) >> 32);
}

/* Field addresses, by offset: an image may lie at any byte. */
#define H_FIELD(image, f)	((image) + offsetof(struct kjump_restore_header, f))
#define R_FIELD(image, i, f)	((image) + HDR + (i) * RUN + offsetof(struct kjump_restore_run, f))

/*
 * The header and run table at image, then [table end, total_size) random:
 * the data the runs' src point at, and the gaps. bytes: the lengths' sum.
 */
static void write_image(uint64_t image, const struct kjump_restore_run *runs, uint64_t nruns,
			uint64_t data_offset, uint64_t total_size, uint64_t *rng)
{
	struct kjump_restore_header h = {
		.magic = KJ_RESTORE_MAGIC, .version = KJ_RESTORE_VERSION,
		.header_size = (uint32_t)HDR, .nruns = nruns, .data_offset = data_offset,
		.total_size = total_size,
	};
	uint64_t i;

	for (i = 0; i < nruns; i++)
		h.bytes += runs[i].len;
	memcpy((void *)(uintptr_t)image, &h, HDR);
	memcpy((void *)(uintptr_t)(image + HDR), runs, nruns * RUN);
	fill_random(image + HDR + nruns * RUN, total_size - HDR - nruns * RUN, rng);
}

static void sha256_of(uint64_t addr, uint64_t len, uint8_t digest[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, (const void *)(uintptr_t)addr, (size_t)len);
	sha256_final(&ctx, digest);
}

/* restore_sha256 for the image as it is now (if it lies in the allocation at all). */
static void seal(void)
{
	if (p->restore_image >= alloc_lo && p->restore_image < alloc_hi &&
	    p->restore_size <= alloc_hi - p->restore_image)
		sha256_of(p->restore_image, p->restore_size, p->restore_sha256);
}

/*
 * A parameter block as B saved it with A suspended (A's re-entry and stack
 * at a and a_sp, in memory the runs may well write: A's), and a loader's
 * restore fields. C entered with A's paging depth, other CR4 bits unlike.
 */
static void set_params(uint64_t image, uint64_t size, uint64_t low, uint64_t backup,
		       uint64_t low_len, uint64_t a, uint64_t a_sp)
{
	memset(p, 0, sizeof(*p));
	p->magic = KJ_PARAMS_MAGIC;
	p->abi_version = KJ_ABI_VERSION;
	p->size = sizeof(*p);
	p->running = KJ_SIDE_B;
	p->side_a.cpu.reentry = (unsigned long)a;
	p->side_a.cpu.gpr[KJ_SP] = (unsigned long)a_sp;
	p->side_a.cpu.cr4 = A_CR4;
	kj_incoming.cr4 = C_CR4;
	p->side_b.cpu.reentry = (unsigned long)0xffffffff8200beefull;
	p->transitions = 7;
	p->backup_src_start = low;
	p->backup_start = backup;
	p->backup_src_size = low_len;
	p->restore_image = image;
	p->restore_size = size;
	seal();
}

/* The sum of the run lengths, put in the header (after a mutation of a length). */
static void fix_bytes(uint64_t image)
{
	uint64_t i, n = get64(H_FIELD(image, nruns)), sum = 0;

	for (i = 0; i < n; i++)
		sum += get64(R_FIELD(image, i, len));
	put64(H_FIELD(image, bytes), sum);
}

/* --- The spec, written again: a validator and a model. --- */

typedef unsigned __int128 u128;

static int ref_reachable(uint64_t a, uint64_t len)
{
	return a >= reach_lo && (u128)a + len <= reach_hi;
}

static int ref_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && (u128)a < (u128)b + blen && (u128)b < (u128)a + alen;
}

/* Why the image p names must be refused (include/kjump/restore.h, docs/abi.md), or 0. */
static const char *ref_refusal(void)
{
	uint64_t image = p->restore_image, size = p->restore_size, i;
	uint64_t low = p->backup_src_start, area = p->backup_start, low_len = p->backup_src_size;
	int borrowed = !p->panic_kernel && area && low_len;
	struct kjump_restore_header h;
	uint8_t digest[SHA256_DIGEST_SIZE];
	u128 end = 0, sum = 0;

	if (size < HDR || !ref_reachable(image, size) ||
	    ref_overlap(image, size, purg_lo, purg_hi - purg_lo))
		return "image short, unreachable or over purgatory";
	if (p->running != KJ_SIDE_B || !p->side_a.cpu.reentry)
		return "no suspended A";
	if ((p->side_a.cpu.cr4 & CR4_LA57) != (kj_incoming.cr4 & CR4_LA57))
		return "A's paging depth";
	/* The resume's re-entry, and its frame around A's stack pointer. */
	if (!ref_reachable(p->side_a.cpu.reentry, 1) || p->side_a.cpu.gpr[KJ_SP] < 64 ||
	    !ref_reachable(p->side_a.cpu.gpr[KJ_SP] - 64, 128))
		return "A's re-entry or stack";
	sha256_of(image, size, digest);
	if (memcmp(digest, p->restore_sha256, sizeof(digest)))
		return "digest";
	memcpy(&h, (const void *)(uintptr_t)image, HDR);
	if (h.magic != KJ_RESTORE_MAGIC || h.version != KJ_RESTORE_VERSION ||
	    h.header_size != HDR || h.total_size != size)
		return "header";
	if (HDR + (u128)h.nruns * RUN > h.total_size || h.data_offset < HDR + (u128)h.nruns * RUN ||
	    h.data_offset > h.total_size)
		return "run table or data_offset";
	if (borrowed && (low_len > KJ_MAP_RANGE_MAX || !ref_reachable(low, low_len) ||
			 !ref_reachable(area, low_len) ||
			 ref_overlap(low, low_len, purg_lo, purg_hi - purg_lo) ||
			 ref_overlap(area, low_len, purg_lo, purg_hi - purg_lo) ||
			 ref_overlap(low, low_len, area, low_len)))
		return "low memory";
	for (i = 0; i < h.nruns; i++) {
		struct kjump_restore_run r;

		memcpy(&r, (const void *)(uintptr_t)(image + HDR + i * RUN), RUN);
		if (!r.len || (r.flags & ~(uint64_t)KJ_RUN_ZERO) || r.dst < end ||
		    !ref_reachable(r.dst, r.len) ||
		    ref_overlap(r.dst, r.len, purg_lo, purg_hi - purg_lo) ||
		    ref_overlap(r.dst, r.len, image, size) ||
		    (borrowed && ref_overlap(r.dst, r.len, area, low_len)) ||
		    (!(r.flags & KJ_RUN_ZERO) &&
		     (r.src < h.data_offset || (u128)r.src + r.len > h.total_size)))
			return "a run";
		end = (u128)r.dst + r.len;
		sum += r.len;
	}
	if (sum != h.bytes)
		return "bytes";
	return 0;
}

/*
 * What kj_restore_a must leave of [lo, lo + size), given a copy of it from
 * before the call at shadow, for an image ref_refusal accepts: every run
 * written, then the low memory copied into the backup area when borrowed,
 * then the parameter block's fields.
 */
static void model(uint8_t *shadow, uint64_t lo)
{
#define AT(addr)	(shadow + ((addr) - lo))
	struct kjump_restore_header h;
	struct kjump_params *q = (struct kjump_params *)AT((uintptr_t)p);
	uint64_t i, k;

	memcpy(&h, AT(p->restore_image), HDR);
	for (i = 0; i < h.nruns; i++) {
		struct kjump_restore_run r;

		memcpy(&r, AT(p->restore_image + HDR + i * RUN), RUN);
		for (k = 0; k < r.len; k++)
			AT(r.dst)[k] = (r.flags & KJ_RUN_ZERO) ? 0 : AT(p->restore_image + r.src)[k];
	}
	if (kj_lowmem_borrowed(p))
		for (k = 0; k < p->backup_src_size; k++)
			AT(p->backup_start)[k] = AT(p->backup_src_start)[k];
	q->b_lost = 1;
	q->side_b.cpu.reentry = 0;
	q->restores++;
	q->restore_image = 0;
	q->restore_size = 0;
#undef AT
}

/* The first offset where a and b differ, or n. */
static size_t first_difference(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		if (*(const uint64_t *)(a + i) != *(const uint64_t *)(b + i))
			break;
	for (; i < n; i++)
		if (a[i] != b[i])
			break;
	return i;
}

/* --- 1. Good images. --- */

/*
 * Sorted by dst, as offsets into the memory: into the low memory (page and
 * odd sizes), up to the backup area and from its end, up to purgatory and
 * from its end, two runs end to end, data longer than 2 MiB across two
 * 2 MiB boundaries, zeros 2 MiB and one byte, two bytes across a boundary,
 * zeros up to the restore image.
 */
static const struct {
	uint64_t off, len, flags;
} good_runs[] = {
	{ 0x011000, 0x3000, 0 },
	{ 0x020007, 0x1f9, 0 },
	{ 0x0fff00, 0x100, KJ_RUN_ZERO },
	{ 0x170000, 0x80, 0 },
	{ 0x1ff000, 0x1000, KJ_RUN_ZERO },
	{ 0x240000, 0x100, 0 },
	{ 0x300000, 0x1234, KJ_RUN_ZERO },
	{ 0x301234, 0x10, 0 },
	{ 0x3ff800, 0x280123, 0 },
	{ 0x700000, 0x200001, KJ_RUN_ZERO },
	{ 0x9fffff, 0x2, 0 },
	{ 0xbff000, 0x1000, KJ_RUN_ZERO },
};
#define NGOOD	(sizeof(good_runs) / sizeof(good_runs[0]))
#define GOOD_DATA_OFFSET	0x200ull
#define GOOD_REENTRY		0x9ffff0ull	/* A's, inside run 10 */
#define GOOD_STACK		0x5f0000ull	/* A's, inside run 8 */

static uint8_t *pristine, *before, *expected;	/* copies of the whole allocation */
static uint64_t good_total;

/*
 * The allocation filled with a pattern, the good image built (data laid out
 * in the reverse order of the runs, zero runs with src that point nowhere),
 * the parameter block set: kept in pristine, which every fixed case starts
 * from.
 */
static void build_good(void)
{
	struct kjump_restore_run runs[NGOOD];
	uint64_t rng = 0x243f6a8885a308d3ull, cursor = GOOD_DATA_OFFSET;
	size_t i;

	fill_random(alloc_lo, ALLOC_SIZE, &rng);
	for (i = NGOOD; i-- > 0;) {
		runs[i].dst = mem + good_runs[i].off;
		runs[i].len = good_runs[i].len;
		runs[i].flags = good_runs[i].flags;
		if (runs[i].flags & KJ_RUN_ZERO) {
			runs[i].src = i == 2 ? ~0ull : 0x1234;
		} else {
			runs[i].src = cursor;
			cursor += runs[i].len + 0x10;
		}
	}
	good_total = cursor + 0x20;
	write_image(mem + IMAGE_OFF, runs, NGOOD, GOOD_DATA_OFFSET, good_total, &rng);
	set_params(mem + IMAGE_OFF, good_total, mem + LOW_OFF, mem + BACKUP_OFF, LOW_LEN,
		   mem + GOOD_REENTRY, mem + GOOD_STACK);
	memcpy(pristine, alloc, ALLOC_SIZE);
}

/* Every run's target as the image in pristine says. */
static int runs_written(char *why, size_t whylen)
{
	uint64_t image = mem + IMAGE_OFF, n = get64(H_FIELD(image, nruns)), i, k;

	for (i = 0; i < n; i++) {
		uint64_t dst = get64(R_FIELD(image, i, dst)), len = get64(R_FIELD(image, i, len));
		uint64_t src = get64(R_FIELD(image, i, src));
		int zero = get64(R_FIELD(image, i, flags)) & KJ_RUN_ZERO;
		const uint8_t *got = (const uint8_t *)(uintptr_t)dst;
		const uint8_t *want = pristine + (image + src - alloc_lo);

		for (k = 0; k < len; k++)
			if (got[k] != (zero ? 0 : want[k])) {
				snprintf(why, whylen, "run %llu byte 0x%llx is 0x%02x",
					 (unsigned long long)i, (unsigned long long)k, got[k]);
				return 0;
			}
	}
	return 1;
}

/* Memory against expected: "" or where it first differs. */
static const char *compare_all(const uint8_t *want, char *buf, size_t buflen)
{
	size_t at = first_difference(alloc, want, ALLOC_SIZE);

	if (at == ALLOC_SIZE)
		return "";
	snprintf(buf, buflen, ": memory offset 0x%llx is 0x%02x, not 0x%02x",
		 (unsigned long long)((int64_t)at - (int64_t)GUARD), alloc[at], want[at]);
	return buf;
}

static void good_cases(void)
{
	char why[256] = "", diff[256];
	int returned, ok;
	unsigned long maps_before;

	/* The good image, as built. */
	memcpy(alloc, pristine, ALLOC_SIZE);
	memcpy(expected, pristine, ALLOC_SIZE);
	model(expected, alloc_lo);
	maps_before = maps_begun;
	most_ranges = 0;
	log_to_tap = 1;
	returned = restore();
	log_to_tap = 0;
	result(returned, "a good image of %zu runs (data and zeros, odd lengths, 2.5 MiB of data and "
	       "2 MiB + 1 of zeros in 2 MiB pieces, across 2 MiB boundaries, touching purgatory, "
	       "the backup area and the image), low memory borrowed: accepted%s%s", NGOOD,
	       returned ? "" : ": ", returned ? "" : fatal_msg);
	ok = returned && runs_written(why, sizeof(why));
	result(ok, "every run's target as the image says (data copied, zeros written)%s%s",
	       ok ? "" : ": ", why);
	result(returned && !*compare_all(expected, diff, sizeof(diff)),
	       "nothing else in the 20 MiB changed (the image, purgatory, the gaps between runs, "
	       "the guards)%s", compare_all(expected, diff, sizeof(diff)));
	result(!memcmp(alloc + GUARD + BACKUP_OFF, alloc + GUARD + LOW_OFF, LOW_LEN) &&
	       memcmp(pristine + GUARD + BACKUP_OFF, pristine + GUARD + LOW_OFF, LOW_LEN),
	       "the backup area holds the low memory as the runs left it");
	result(p->b_lost == 1 && p->restores == 1 && p->restore_image == 0 && p->restore_size == 0 &&
	       p->side_b.cpu.reentry == 0 && p->side_a.cpu.reentry == mem + GOOD_REENTRY &&
	       p->side_a.cpu.gpr[KJ_SP] == mem + GOOD_STACK && p->running == KJ_SIDE_B,
	       "parameter block: b_lost %u, restores %u, restore_image 0x%llx, restore_size 0x%llx, "
	       "B's re-entry 0x%lx, A's re-entry and stack kept", p->b_lost, p->restores,
	       (unsigned long long)p->restore_image, (unsigned long long)p->restore_size,
	       p->side_b.cpu.reentry);
	result(returned && !breach_msg[0] && writes > 0,
	       "every read and write through the map committed, %lu maps of at most %u ranges "
	       "(purgatory's counted), none over 2 MiB%s%s", maps_begun - maps_before, most_ranges,
	       breach_msg[0] ? ": " : "", breach_msg);

	/*
	 * A crash kernel's parameters (panic_kernel): nothing is borrowed, so
	 * a run may cover the backup area, and no copy is made.
	 */
	memcpy(alloc, pristine, ALLOC_SIZE);
	p->panic_kernel = 1;
	put64(R_FIELD(mem + IMAGE_OFF, 2, len), 0x200);
	fix_bytes(mem + IMAGE_OFF);
	seal();
	memcpy(expected, alloc, ALLOC_SIZE);
	model(expected, alloc_lo);
	returned = restore();
	result(returned && !breach_msg[0] && !*compare_all(expected, diff, sizeof(diff)),
	       "panic_kernel (nothing borrowed): a run over the backup area accepted, no low-memory "
	       "copy, memory as the model says%s%s%s", returned ? "" : ": ", returned ? "" : fatal_msg,
	       returned ? compare_all(expected, diff, sizeof(diff)) : "");

	/* No runs at all: only the low-memory copy and the fields. */
	memcpy(alloc, pristine, ALLOC_SIZE);
	put64(H_FIELD(mem + IMAGE_OFF, nruns), 0);
	put64(H_FIELD(mem + IMAGE_OFF, bytes), 0);
	seal();
	memcpy(expected, alloc, ALLOC_SIZE);
	model(expected, alloc_lo);
	returned = restore();
	result(returned && !breach_msg[0] && !*compare_all(expected, diff, sizeof(diff)),
	       "an image without runs: accepted, only the low memory copied and the fields set%s%s%s",
	       returned ? "" : ": ", returned ? "" : fatal_msg,
	       returned ? compare_all(expected, diff, sizeof(diff)) : "");
}

/* --- 2. Bad images. --- */

/*
 * Bad case i, made from the good image in pristine: what it is, words the
 * halt's message must hold. The digest is recomputed after all but the
 * first. 0 past the last.
 */
static int make_bad(unsigned int i, const char **what, const char **says)
{
	uint64_t image = mem + IMAGE_OFF, total = good_total;
	uint64_t table_end = HDR + NGOOD * RUN, purg = mem + PURG_OFF, edge = mem + MEM_SIZE;

	memcpy(alloc, pristine, ALLOC_SIZE);
	kj_incoming.cr4 = C_CR4;
#define BAD(text, words)	(*what = (text), *says = (words))
#define RUN_SET(k, f, v)	put64(R_FIELD(image, k, f), (v))
#define HDR_SET(f, v)		put64(H_FIELD(image, f), (v))
	switch (i) {
	case 0:
		BAD("one data byte flipped after the digest was taken", "SHA-256");
		*(uint8_t *)(uintptr_t)(image + get64(R_FIELD(image, 8, src)) + 0x12345) ^= 0x40;
		return 1;
	case 1:
		BAD("bad magic", "header");
		HDR_SET(magic, KJ_RESTORE_MAGIC ^ 1);
		break;
	case 2:
		BAD("version 2", "header");
		*(uint32_t *)(uintptr_t)H_FIELD(image, version) = KJ_RESTORE_VERSION + 1;
		break;
	case 3:
		BAD("header_size 56", "header");
		*(uint32_t *)(uintptr_t)H_FIELD(image, header_size) = (uint32_t)HDR + 8;
		break;
	case 4:
		BAD("total_size one less than restore_size", "header");
		HDR_SET(total_size, total - 1);
		break;
	case 5:
		BAD("restore_size 8 more than total_size (the digest over all of it)", "header");
		p->restore_size = total + 8;
		break;
	case 6:
		BAD("nruns one more than the image has room for", "header");
		HDR_SET(nruns, (total - HDR) / RUN + 1);
		break;
	case 7:
		BAD("nruns 2^59 (the table's size 0 mod 2^64)", "header");
		HDR_SET(nruns, 1ull << 59);
		break;
	case 8:
		BAD("data_offset one byte inside the run table", "header");
		HDR_SET(data_offset, table_end - 1);
		break;
	case 9:
		BAD("data_offset one past total_size", "header");
		HDR_SET(data_offset, total + 1);
		break;
	case 10:
		BAD("an empty run", "is empty");
		RUN_SET(6, len, 0);
		fix_bytes(image);
		break;
	case 11:
		BAD("a run with flag bit 1 (unknown)", "has unknown flags");
		RUN_SET(7, flags, 2);
		break;
	case 12:
		BAD("a run with flag bit 63 and KJ_RUN_ZERO", "has unknown flags");
		RUN_SET(6, flags, KJ_RUN_ZERO | 1ull << 63);
		break;
	case 13:
		BAD("two runs out of order", "is not above the run before it");
		RUN_SET(6, dst, mem + 0x300010);
		RUN_SET(7, dst, mem + 0x300000);
		break;
	case 14:
		BAD("a run overlapping the one before by one byte", "is not above the run before it");
		RUN_SET(7, dst, mem + 0x301233);
		break;
	case 15:
		BAD("a run ending one byte into purgatory", "overlaps purgatory");
		RUN_SET(4, len, 0x1001);
		fix_bytes(image);
		break;
	case 16:
		BAD("a run starting on purgatory's last byte", "overlaps purgatory");
		RUN_SET(5, dst, purg + PURG_LEN - 1);
		break;
	case 17:
		BAD("a run ending one byte into the restore image", "overlaps the restore image");
		RUN_SET(11, len, 0x1001);
		fix_bytes(image);
		break;
	case 18:
		BAD("a run starting on the restore image's last byte", "overlaps the restore image");
		RUN_SET(11, dst, image + total - 1);
		break;
	case 19:
		BAD("a run ending one byte into the low-memory backup area", "backup area");
		RUN_SET(2, len, 0x101);
		fix_bytes(image);
		break;
	case 20:
		BAD("a run starting on the backup area's last byte", "backup area");
		RUN_SET(3, dst, mem + BACKUP_OFF + LOW_LEN - 1);
		break;
	case 21:
		BAD("a data run whose data ends one byte past total_size", "outside the image's data");
		RUN_SET(10, src, total - 1);
		break;
	case 22:
		BAD("a data run whose data starts one byte before data_offset",
		    "outside the image's data");
		RUN_SET(0, src, GOOD_DATA_OFFSET - 1);
		break;
	case 23:
		BAD("a data run with src 2^64 - 1 (src + len wraps)", "outside the image's data");
		RUN_SET(10, src, ~0ull);
		break;
	case 24:
		BAD("a data run with src past total_size", "outside the image's data");
		RUN_SET(10, src, total + 0x10);
		break;
	case 25:
		BAD("header bytes one more than the runs' lengths", "the runs cover");
		HDR_SET(bytes, get64(H_FIELD(image, bytes)) + 1);
		break;
	case 26:
		BAD("a run at the first byte past the memory", "beyond the memory purgatory reaches");
		RUN_SET(11, dst, edge);
		break;
	case 27:
		BAD("a run across the end of the memory", "beyond the memory purgatory reaches");
		RUN_SET(11, dst, edge - 0x800);
		break;
	case 28:
		BAD("a run whose end wraps past 2^64", "beyond the memory purgatory reaches");
		RUN_SET(11, dst, edge - 0x800);
		RUN_SET(11, len, -(edge - 0x800));
		fix_bytes(image);
		break;
	case 29:
		BAD("restore_size one less than the header", "too short");
		p->restore_size = HDR - 1;
		break;
	case 30:
		BAD("the restore image across purgatory's start", "or over purgatory");
		p->restore_image = purg - 0x800;
		p->restore_size = 0x1000;
		break;
	case 31:
		BAD("the restore image across the end of the memory", "beyond the memory purgatory reaches");
		p->restore_image = edge - 0x100;
		p->restore_size = 0x200;
		break;
	case 32:
		BAD("running is A, not B", "holds no suspended A");
		p->running = KJ_SIDE_A;
		break;
	case 33:
		BAD("A's re-entry 0", "holds no suspended A");
		p->side_a.cpu.reentry = 0;
		break;
	case 34:
		BAD("A with 5-level paging, C entered with 4", "A's paging");
		p->side_a.cpu.cr4 |= CR4_LA57;
		break;
	case 35:
		BAD("C with 5-level paging, A with 4", "A's paging");
		kj_incoming.cr4 |= CR4_LA57;
		break;
	case 36:
		BAD("A's re-entry at the first byte past the memory", "or stack");
		p->side_a.cpu.reentry = (unsigned long)edge;
		break;
	case 37:
		BAD("A's stack pointer 63 bytes below the end of the memory", "or stack");
		p->side_a.cpu.gpr[KJ_SP] = (unsigned long)(edge - 63);
		break;
	case 38:
		BAD("A's stack pointer 0x40 (the frame below it would wrap)", "or stack");
		p->side_a.cpu.gpr[KJ_SP] = 0x40;
		break;
	case 39:
		BAD("a backup area overlapping the low memory", "borrowed low memory cannot be given back");
		p->backup_start = mem + LOW_OFF + 0x1000;
		break;
	case 40:
		BAD("borrowed low memory longer than 2 MiB", "borrowed low memory cannot be given back");
		p->backup_src_size = KJ_MAP_RANGE_MAX + 0x1000;
		p->backup_start = mem + 0x400000;
		break;
	case 41:
		BAD("a backup area over purgatory", "borrowed low memory cannot be given back");
		p->backup_start = purg + PURG_LEN - 0x1000;
		break;
	default:
		return 0;
	}
#undef BAD
#undef RUN_SET
#undef HDR_SET
	seal();
	return 1;
}

static void bad_cases(void)
{
	const char *what, *says, *diff;
	unsigned int i;
	char buf[256], problem[768];

	for (i = 0; make_bad(i, &what, &says); i++) {
		int returned;

		memcpy(before, alloc, ALLOC_SIZE);
		returned = restore();
		diff = compare_all(before, buf, sizeof(buf));
		problem[0] = 0;
		if (returned)
			snprintf(problem, sizeof(problem), ": accepted");
		else if (!strstr(fatal_msg, says))
			snprintf(problem, sizeof(problem), ": the message does not say \"%s\"", says);
		else if (*diff || writes)
			snprintf(problem, sizeof(problem), ": %lu writes%s", writes, diff);
		else if (breach_msg[0])
			snprintf(problem, sizeof(problem), ": %s", breach_msg);
		if (!returned)
			printf("# kj_fatal: %s\n", fatal_msg);
		result(!problem[0], "refused, nothing written: %s%s", what, problem);
	}
}

/* --- 3. Random images. --- */

static uint64_t win;			/* the window's first byte */
static uint64_t rng;
static uint64_t made_at, made_nruns, made_total;	/* the image random_image made */

/*
 * A valid image in the window: up to 12 runs in [win, win + 0x30000),
 * around the backup area and purgatory (sometimes touching them, sometimes
 * end to end), a third of them zeros; data in a random order with random
 * gaps; low memory of a random length, borrowed or not.
 */
static void random_image(void)
{
	struct kjump_restore_run runs[RANDOM_RUNS];
	uint64_t want = next(&rng) % (RANDOM_RUNS + 1), n = 0, i;
	uint64_t cursor = win + next(&rng) % 0x100, low_len = 1 + next(&rng) % 0x3000;
	uint64_t image = win + WIN_IMAGE + 8 * (next(&rng) % 0x20);
	uint64_t backup = win + WIN_BACKUP, data_offset, order[RANDOM_RUNS];
	uint64_t forbidden[2][2] = { { backup, backup + low_len },
				     { win + WIN_PURG, win + WIN_PURG + WIN_PURG_LEN } };

	while (n < want) {
		uint64_t gap = next(&rng) % 4 ? next(&rng) % 0x2000 : 0;
		uint64_t len = next(&rng) % 4 ? 1 + next(&rng) % RANDOM_RUN_MAX : 1 + next(&rng) % 16;
		uint64_t dst = cursor + gap;
		int k, moved = 0;

		if (dst + len > win + WIN_TARGETS_END)
			break;
		for (k = 0; k < 2; k++)
			if (kj_overlaps(dst, len, forbidden[k][0], forbidden[k][1] - forbidden[k][0])) {
				cursor = forbidden[k][1] + (next(&rng) % 2 ? 0 : next(&rng) % 0x100);
				moved = 1;
			}
		if (moved)
			continue;
		runs[n].dst = dst;
		runs[n].len = len;
		runs[n].flags = next(&rng) % 3 ? 0 : KJ_RUN_ZERO;
		runs[n].src = next(&rng) % 2 ? 0 : next(&rng);	/* zero runs: anything */
		order[n] = n;
		cursor = dst + len;
		n++;
	}
	for (i = n; i > 1; i--) {
		uint64_t j = next(&rng) % i, t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
	data_offset = HDR + n * RUN + (next(&rng) % 4 ? 0 : next(&rng) % 0x40);
	cursor = data_offset;
	for (i = 0; i < n; i++) {
		struct kjump_restore_run *r = &runs[order[i]];

		if (r->flags & KJ_RUN_ZERO)
			continue;
		r->src = cursor;
		cursor += r->len + (next(&rng) % 4 ? 0 : next(&rng) % 0x20);
	}
	fill_random(win, WIN_SIZE, &rng);
	write_image(image, runs, n, data_offset, cursor + (next(&rng) % 4 ? 0 : next(&rng) % 0x40),
		    &rng);
	made_at = image;
	made_nruns = n;
	made_total = get64(H_FIELD(image, total_size));
	set_params(image, made_total, win + WIN_LOW, backup, low_len,
		   win + next(&rng) % WIN_TARGETS_END, win + 64 + next(&rng) % (WIN_TARGETS_END - 64));
	p->panic_kernel = next(&rng) % 8 == 0;
	if (next(&rng) % 4 == 0) {
		p->side_a.cpu.cr4 |= CR4_LA57;
		kj_incoming.cr4 |= CR4_LA57;
	}
	seal();
}

/*
 * One random change to the image random_image made (its fields as made:
 * an earlier change may have moved restore_image or changed nruns) or to
 * the parameter block; 0: leave the digest stale.
 */
static int mutate(char *what, size_t whatlen)
{
	uint64_t image = made_at, n = made_nruns;
	uint64_t table = HDR + n * RUN, i = n ? next(&rng) % n : 0;
	uint64_t field = next(&rng) % 4, at = image + HDR + i * RUN + 8 * field;
	static const int64_t deltas[] = { 1, -1, 0x10, -0x10, 0x1000, -0x1000 };
	int64_t delta = deltas[next(&rng) % 6];

	switch (next(&rng) % 12) {
	case 0: {
		uint64_t off = next(&rng) % table;

		*(uint8_t *)(uintptr_t)(image + off) ^= (uint8_t)(1u << (next(&rng) % 8));
		snprintf(what, whatlen, "bit in header or run table at 0x%llx", (unsigned long long)off);
		return 1;
	}
	case 1:
		if (!n)
			break;
		put64(at, get64(at) ^ 1ull << (next(&rng) % 64));
		snprintf(what, whatlen, "bit of run %llu field %llu", (unsigned long long)i,
			 (unsigned long long)field);
		return 1;
	case 2:
		if (!n)
			break;
		put64(at, get64(at) + (uint64_t)delta);
		snprintf(what, whatlen, "run %llu field %llu %+lld", (unsigned long long)i,
			 (unsigned long long)field, (long long)delta);
		return 1;
	case 3: {
		/* A run's dst just over, or just clear of, an edge of what it may not cover. */
		uint64_t len, edges[9], e;

		if (!n)
			break;
		len = get64(R_FIELD(image, i, len));
		edges[0] = purg_lo;
		edges[1] = purg_hi;
		edges[2] = p->backup_start;
		edges[3] = p->backup_start + p->backup_src_size;
		edges[4] = image;
		edges[5] = image + p->restore_size;
		edges[6] = reach_hi;
		edges[7] = reach_lo;
		edges[8] = i ? get64(R_FIELD(image, i - 1, dst)) + get64(R_FIELD(image, i - 1, len))
			     : reach_lo;
		e = edges[next(&rng) % 9];
		/* Ending at the edge (-len) or one byte over it (-len + 1), starting at it or before. */
		switch (next(&rng) % 4) {
		case 0: e -= len; break;
		case 1: e -= len - 1; break;
		case 2: break;
		case 3: e -= 1; break;
		}
		put64(R_FIELD(image, i, dst), e);
		snprintf(what, whatlen, "run %llu moved to an edge", (unsigned long long)i);
		return 1;
	}
	case 4: {
		static const size_t fields[] = {
			offsetof(struct kjump_restore_header, nruns),
			offsetof(struct kjump_restore_header, data_offset),
			offsetof(struct kjump_restore_header, total_size),
			offsetof(struct kjump_restore_header, bytes),
			offsetof(struct kjump_restore_header, magic),
			offsetof(struct kjump_restore_header, version),
		};
		size_t f = fields[next(&rng) % 6];

		put64(image + f, get64(image + f) + (uint64_t)(next(&rng) % 2 ? 1 : -1));
		snprintf(what, whatlen, "header field at %zu +-1", f);
		return 1;
	}
	case 5:
		p->restore_size = next(&rng) % 4 ? p->restore_size + (uint64_t)delta
						 : next(&rng) % (HDR + 1);
		snprintf(what, whatlen, "restore_size 0x%llx", (unsigned long long)p->restore_size);
		return 1;
	case 6:
		p->restore_image = next(&rng) % 2 ? p->restore_image + (uint64_t)delta
						  : purg_hi - next(&rng) % 0x100;
		snprintf(what, whatlen, "restore_image 0x%llx", (unsigned long long)p->restore_image);
		return 1;
	case 7:
		/* A's state as the resume needs it, around the edges of the memory. */
		switch (next(&rng) % 6) {
		case 0: p->running = (uint32_t)(next(&rng) % 3); break;
		case 1: p->side_a.cpu.reentry = 0; break;
		case 2: p->side_a.cpu.cr4 ^= CR4_LA57; break;
		case 3: p->side_a.cpu.reentry = (unsigned long)(reach_hi - next(&rng) % 2); break;
		case 4: p->side_a.cpu.gpr[KJ_SP] = (unsigned long)(reach_hi - 64 + next(&rng) % 2); break;
		case 5: p->side_a.cpu.gpr[KJ_SP] = (unsigned long)(reach_lo + 64 - next(&rng) % 2); break;
		}
		snprintf(what, whatlen, "running %u, A's re-entry 0x%lx, stack 0x%lx, CR4 0x%lx",
			 p->running, p->side_a.cpu.reentry, p->side_a.cpu.gpr[KJ_SP],
			 p->side_a.cpu.cr4);
		return 1;
	case 8:
		switch (next(&rng) % 5) {
		case 0: p->panic_kernel ^= 1; break;
		case 1: p->backup_start = 0; break;
		case 2: p->backup_start = p->backup_src_start + next(&rng) % (p->backup_src_size + 1); break;
		case 3: p->backup_src_size += (uint64_t)delta; break;
		case 4: p->backup_start = purg_lo - next(&rng) % 0x10; break;
		}
		snprintf(what, whatlen, "low memory 0x%lx +0x%lx, backup 0x%lx, panic_kernel %u",
			 p->backup_src_start, p->backup_src_size, p->backup_start, p->panic_kernel);
		return 1;
	case 9:
		if (made_total <= table)
			break;
		*(uint8_t *)(uintptr_t)(image + table + next(&rng) % (made_total - table)) ^= 1;
		snprintf(what, whatlen, "data byte flipped");
		return 0;
	case 10:
		if (!n)
			break;
		put64(R_FIELD(image, i, flags), (next(&rng) % 2) | 1ull << (next(&rng) % 64));
		snprintf(what, whatlen, "run %llu flags", (unsigned long long)i);
		return 1;
	case 11:
		if (n < 2)
			break;
		if (next(&rng) % 2) {
			uint8_t t[RUN];

			memcpy(t, (void *)(uintptr_t)(image + HDR), RUN);
			memcpy((void *)(uintptr_t)(image + HDR), (void *)(uintptr_t)(image + HDR + i * RUN), RUN);
			memcpy((void *)(uintptr_t)(image + HDR + i * RUN), t, RUN);
			snprintf(what, whatlen, "runs 0 and %llu swapped", (unsigned long long)i);
		} else {
			put64(R_FIELD(image, i, len), 0);
			snprintf(what, whatlen, "run %llu empty", (unsigned long long)i);
		}
		return 1;
	}
	snprintf(what, whatlen, "header version +1");
	*(uint32_t *)(uintptr_t)H_FIELD(image, version) += 1;
	return 1;
}

/* The refusals' messages, to count which checks the mutations reached. */
static const char *const reasons[] = {
	"the runs cover", "SHA-256", "header", "too short", "no suspended A", "A's paging",
	"or stack", "borrowed low memory", "is empty", "unknown flags", "not above",
	"beyond the memory purgatory reaches", "overlaps purgatory", "overlaps the restore image",
	"backup area", "outside the image's data",
};
#define NREASONS	(sizeof(reasons) / sizeof(reasons[0]))

static void random_cases(unsigned long iterations, uint64_t seed)
{
	unsigned long it, valid = 0, valid_bad = 0, mutated = 0, refused = 0, accepted = 0;
	unsigned long mutated_bad = 0, seen[NREASONS] = { 0 }, runs_total = 0;
	unsigned int k;
	uint8_t *window_before = before, *window_expected = expected;
	char first_valid[768] = "", first_mutated[768] = "";

	win = mem + WIN_OFF;
	reach_lo = win;
	reach_hi = win + WIN_SIZE;
	purg_lo = win + WIN_PURG;
	purg_hi = purg_lo + WIN_PURG_LEN;
	p = (struct kjump_params *)(uintptr_t)(purg_lo + 0x100);
	rng = seed;
	printf("# random part: %lu images, seed 0x%llx (KJ_SEED=0x%llx repeats it)\n", iterations,
	       (unsigned long long)seed, (unsigned long long)seed);
	for (it = 0; it < iterations; it++) {
		char what[4][160] = { "", "", "", "" }, *first;
		unsigned int changes = 0;
		const char *refusal;
		int returned, ok, reseal = 1;
		size_t at;

		random_image();
		if (it % 2) {
			changes = next(&rng) % 4 ? 1 : 2 + next(&rng) % 3;
			for (k = 0; k < changes; k++)
				reseal &= mutate(what[k], sizeof(what[k]));
			if (reseal && next(&rng) % 16) {
				/*
				 * Half the time with the header's sum of lengths made
				 * to agree: a changed length must then be refused by
				 * the runs' own checks.
				 */
				if (next(&rng) % 2 && get64(H_FIELD(made_at, nruns)) == made_nruns)
					fix_bytes(made_at);
				seal();
			}
		}
		refusal = ref_refusal();
		memcpy(window_before, (void *)(uintptr_t)win, WIN_SIZE);
		memcpy(window_expected, (void *)(uintptr_t)win, WIN_SIZE);
		if (!refusal)
			model(window_expected, win);
		returned = restore();
		if (returned) {
			at = first_difference((const uint8_t *)(uintptr_t)win, window_expected, WIN_SIZE);
			ok = !refusal && at == WIN_SIZE;
			accepted += changes != 0;
			runs_total += changes ? 0 : made_nruns;
		} else {
			at = first_difference((const uint8_t *)(uintptr_t)win, window_before, WIN_SIZE);
			ok = refusal && at == WIN_SIZE && !writes;
			refused += changes != 0;
			for (k = 0; k < NREASONS; k++)
				if (strstr(fatal_msg, reasons[k])) {
					seen[k]++;
					break;
				}
		}
		ok = ok && !breach_msg[0];
		if (changes) {
			mutated++;
			mutated_bad += !ok;
			first = first_mutated;
		} else {
			valid++;
			valid_bad += !ok;
			first = first_valid;
		}
		if (!ok && !*first)
			snprintf(first, sizeof(first_valid),
				 "image %lu (%s%s%s%s%s%s%s): validator %s, kj_restore_a %s%s, %s at window "
				 "offset 0x%zx, %lu writes%s%s", it, what[0], changes > 1 ? "; " : "", what[1],
				 changes > 2 ? "; " : "", what[2], changes > 3 ? "; " : "", what[3],
				 refusal ? refusal : "accepts", returned ? "returned" : "halted: ",
				 returned ? "" : fatal_msg, at == WIN_SIZE ? "memory right" : "memory wrong",
				 at, writes, breach_msg[0] ? "; " : "", breach_msg);
	}
	if (*first_valid)
		printf("# %s\n", first_valid);
	result(!valid_bad, "%lu random valid images (%lu runs in all): every one accepted, memory "
	       "as the model says, through the map", valid, runs_total);
	if (*first_mutated)
		printf("# %s\n", first_mutated);
	printf("# mutated: %lu refused, %lu accepted (still valid); refusals by check:", refused,
	       accepted);
	for (k = 0; k < NREASONS; k++)
		printf(" \"%s\" %lu%s", reasons[k], seen[k], k + 1 < NREASONS ? "," : "\n");
	result(!mutated_bad, "%lu random mutated images: refused with nothing written exactly when "
	       "the validator refuses (%lu), otherwise memory as the model says (%lu)", mutated,
	       refused, accepted);
	/* A mutation mix that stopped reaching a check would test it no more. */
	for (k = 0; k < NREASONS && (seen[k] || iterations < 2000); k++)
		;
	result(k == NREASONS, "the random mutations reached every check%s%s",
	       k == NREASONS ? "" : ": none refused by ", k == NREASONS ? "" : reasons[k]);
}

int main(int argc, char **argv)
{
	unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 0) : 4000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x2545f4914f6cdd1dull;

	stack_top = (uintptr_t)__builtin_frame_address(0);
	alloc = aligned_alloc(2 * MIB, ALLOC_SIZE);
	pristine = malloc(ALLOC_SIZE);
	before = malloc(ALLOC_SIZE);
	expected = malloc(ALLOC_SIZE);
	if (!alloc || !pristine || !before || !expected) {
		printf("Bail out! cannot allocate 4 x %llu MiB\n", ALLOC_SIZE / MIB);
		return 1;
	}
	alloc_lo = (uintptr_t)alloc;
	alloc_hi = alloc_lo + ALLOC_SIZE;
	mem = alloc_lo + GUARD;
	reach_lo = mem;
	reach_hi = mem + MEM_SIZE;
	purg_lo = mem + PURG_OFF;
	purg_hi = purg_lo + PURG_LEN;
	p = (struct kjump_params *)(uintptr_t)(mem + PARAMS_OFF);
	if (!seed)
		seed = 1;	/* xorshift's one fixed point */
	build_good();
	good_cases();
	bad_cases();
	random_cases(iterations, seed);
	printf("1..%u\n", tests);
	free(alloc);
	free(pristine);
	free(before);
	free(expected);
	return failures != 0;
}
