// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host driver for tests/idmap.t: arch/x86_64/idmap.c, the page-table pools
 * and their reuse, run on the host against random sequences of maps, as
 * transitions, BIOS calls and incremental additions (a range added after a
 * commit) ask for them, and several maps in one entry, as a BIOS list asks
 * for one a call, at 4 and 5 levels. The tables hold host addresses,
 * which the driver walks like the CPU would.
 *
 * Checked after every call:
 * - every range that arch_map accepted since arch_map_begin is mapped,
 *   identity, in the map loaded (after a commit), and arch_map refuses
 *   exactly the ranges beyond the limit or longer than KJ_MAP_RANGE_MAX;
 * - a map that was loaded and still is loses no mapping: a pool is never
 *   rebuilt while it is loaded (purgatory runs on it);
 * - the caller's map, when the caller called on one of purgatory's pools,
 *   is not changed at all by its entry;
 * - every map loaded maps purgatory's image;
 * - no pool runs out (kj_fatal is a failure).
 * Prints TAP. Mutations it catches: building in the caller's pool,
 * rebuilding the loaded pool without first leaving it, reusing a pool
 * whose record does not match, taking the caller's CR3 for the loaded map
 * at a later map of the same entry.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../purgatory/kjump.h"
#include "../../arch/x86/cpu_bits.h"

#define IMAGE_BYTES	(64u << 10)
#define PTE_P		1ull
#define PTE_PS		0x80ull
#define PTE_ADDR	0x000ffffffffff000ull
#define PAGE_2M		(2ull << 20)

/* Purgatory's image: the pools are inside idmap.c; this stands for the rest. */
char _image_start[IMAGE_BYTES] __attribute__((aligned(4096)));
__asm__(".globl _image_end\n.set _image_end, _image_start + 65536");
_Static_assert(IMAGE_BYTES == 65536, "the .set above");

struct kjump_cpu kj_incoming;
static uint64_t cr3;		/* what the "CPU" has loaded */
static const char *fault;
static unsigned long checks, commits, on_pool, multi;

void kj_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# kj_fatal: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	printf("not ok 1 - kj_fatal called\n1..1\n");
	exit(1);
}

void kj_log(const char *fmt, ...)
{
	(void)fmt;
}

uint64_t arch_phys_limit(void)
{
	return 1ull << ((kj_incoming.cr4 & CR4_LA57) ? 56 : 47);
}

void arch_write_cr3(uint64_t value)
{
	cr3 = value;
}

uint64_t arch_read_cr3(void)
{
	return cr3;
}

static void need(int cond, const char *what)
{
	checks++;
	if (!cond && !fault)
		fault = what;
}

/* The 2 MiB page at pa in the map at root, identity? (levels 4 or 5) */
static int maps(uint64_t root, unsigned int levels, uint64_t pa)
{
	uint64_t *t = (uint64_t *)(uintptr_t)(root & PTE_ADDR);
	unsigned int l;

	for (l = levels; l > 2; l--) {
		uint64_t e = t[(pa >> (12 + 9 * (l - 1))) & 511];

		if (!(e & PTE_P))
			return 0;
		t = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
	}
	{
		uint64_t e = t[(pa >> 21) & 511];

		if (!(e & PTE_P))
			return 0;
		if (e & PTE_PS)
			return (e & PTE_ADDR & ~(PAGE_2M - 1)) == (pa & ~(PAGE_2M - 1));
		/* The low 2 MiB: a table of 512 4 KiB pages, identity. */
		t = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
		for (l = 0; l < 512; l++)
			if ((t[l] & PTE_ADDR) != (pa & ~(PAGE_2M - 1)) + l * 4096ull || !(t[l] & PTE_P))
				return 0;
		return 1;
	}
}

static int maps_range(uint64_t root, unsigned int levels, uint64_t addr, uint64_t len)
{
	uint64_t pa;

	for (pa = addr & ~(PAGE_2M - 1); pa < addr + len; pa += PAGE_2M)
		if (!maps(root, levels, pa))
			return 0;
	return 1;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Addresses a few places: low memory, around 4 GiB, far up, near the limit. */
static uint64_t random_addr(unsigned int levels)
{
	static const uint64_t bases[] = { 0, 0x100000, 0x1000000, 0x7fe00000, 0xfffff000,
					  0x140000000ull, 0x8000000000ull, 0x7ffffff00000ull };
	uint64_t a = bases[next() % (sizeof(bases) / sizeof(bases[0]))] + (next() % 8) * 0x1f3000;

	if (levels == 5 && next() % 4 == 0)
		a += (next() % 3) << 48;
	return a;
}

struct range {
	uint64_t addr, len;
};

/* The loaded map's mapped 2 MiB pages among a sample, to see none go. */
static void sample_mapped(uint64_t root, unsigned int levels, const struct range *r,
			  unsigned int n, unsigned char *out)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = maps_range(root, levels, r[i].addr, r[i].len);
}

/* Every table of a map, copied (or compared with the copy): at most 64. */
#define MAX_TABLES 64
static uint64_t *tables[MAX_TABLES];
static uint64_t copies[MAX_TABLES][512];
static unsigned int ntables;

static void collect(uint64_t *t, unsigned int level)
{
	unsigned int i;

	if (ntables == MAX_TABLES)
		return;
	tables[ntables] = t;
	memcpy(copies[ntables++], t, 4096);
	if (level == 1)
		return;
	for (i = 0; i < 512; i++)
		if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
			collect((uint64_t *)(uintptr_t)(t[i] & PTE_ADDR), level - 1);
}

static int unchanged(void)
{
	unsigned int i;

	for (i = 0; i < ntables; i++)
		if (memcmp(tables[i], copies[i], 4096))
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long entries = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000, e;
	uint64_t foreign_cr3[2] = { 0x7000, 0x9000 };	/* A's and B's own tables */
	struct range history[64];
	unsigned int nhistory = 0, i;

	if (argc > 2)
		rng = strtoull(argv[2], NULL, 0) | 1;
	printf("# %lu entries, seed 0x%llx\n", entries, (unsigned long long)rng);
	for (e = 0; e < entries && !fault; e++) {
		unsigned int levels = next() % 3 == 0 ? 5 : 4;
		unsigned int side = e & 1, n = 1 + next() % 6, extra = next() % 3, k, pass, passes;
		struct range accepted[KJ_MAP_RANGES + 4];
		unsigned int naccepted = 0;
		unsigned char before[64], after[64];
		int caller_on_pool = 0;
		static unsigned int last_levels = 4;

		/*
		 * Mostly the caller's own tables; sometimes purgatory's last map,
		 * which it did not leave (its depth then is the same: CR4.LA57
		 * cannot change while paging is on).
		 */
		if (cr3 && cr3 != foreign_cr3[0] && cr3 != foreign_cr3[1] && next() % 4 == 0) {
			caller_on_pool = 1;
			levels = last_levels;
			on_pool++;
		}
		kj_incoming.cr4 = levels == 5 ? CR4_LA57 : 0;
		kj_incoming.cr3 = caller_on_pool ? cr3 : foreign_cr3[side];
		cr3 = kj_incoming.cr3;
		ntables = 0;
		if (caller_on_pool)
			collect((uint64_t *)(uintptr_t)(cr3 & PTE_ADDR), levels);
		/*
		 * A third of the entries map more than once, as a BIOS list does
		 * for each of its calls: a later arch_map_begin finds one of
		 * purgatory's pools loaded, not the caller's map.
		 */
		passes = next() % 3 == 0 ? 2 + next() % 2 : 1;
		for (pass = 0; pass < passes; pass++) {
		uint64_t at_begin = cr3;

		if (pass) {
			n = 1 + next() % 4;
			extra = next() % 2;
			naccepted = 0;
			multi++;
		}
		arch_map_begin();
		need(cr3 == at_begin, "arch_map_begin loaded a map");
		for (k = 0; k < n + extra; k++) {
			struct range r;
			int status, want;
			uint64_t loaded_before = cr3;

			if (k == n) {
				arch_map_commit();
				commits++;
				need(maps_range(cr3, levels, (uintptr_t)_image_start, IMAGE_BYTES),
				     "a committed map without purgatory's image");
				for (i = 0; i < naccepted; i++)
					need(maps_range(cr3, levels, accepted[i].addr, accepted[i].len),
					     "a committed map without a range arch_map accepted");
			}
			/* Half of the time a range asked for before (the steady state). */
			if (nhistory && next() % 2) {
				r = history[next() % nhistory];
			} else {
				r.addr = random_addr(levels);
				r.len = next() % 5 == 0 ? (next() % 3) * PAGE_2M + 1 : 1 + next() % 0x30000;
			}
			if (naccepted == KJ_MAP_RANGES - 1)
				break;		/* the image is the first of at most nine */
			want = r.addr < arch_phys_limit() && r.len <= arch_phys_limit() - r.addr &&
			       r.len <= KJ_MAP_RANGE_MAX;
			if (loaded_before != foreign_cr3[0] && loaded_before != foreign_cr3[1])
				sample_mapped(loaded_before, levels, history, nhistory, before);
			status = arch_map(r.addr, r.len);
			need((status == KJ_OK) == want, "arch_map accepted or refused the wrong range");
			/* A map that stays loaded only gains mappings. */
			if (cr3 == loaded_before && cr3 != foreign_cr3[0] && cr3 != foreign_cr3[1]) {
				sample_mapped(cr3, levels, history, nhistory, after);
				for (i = 0; i < nhistory; i++)
					need(!before[i] || after[i], "a loaded map lost a mapping");
				need(maps_range(cr3, levels, (uintptr_t)_image_start, IMAGE_BYTES),
				     "the loaded map lost purgatory's image");
			}
			if (status == KJ_OK) {
				accepted[naccepted++] = r;
				if (nhistory < 64)
					history[nhistory++] = r;
				else
					history[next() % 64] = r;
			}
		}
		arch_map_commit();
		commits++;
		need(cr3 != foreign_cr3[0] && cr3 != foreign_cr3[1], "the commit loaded no pool");
		need(maps_range(cr3, levels, (uintptr_t)_image_start, IMAGE_BYTES),
		     "a committed map without purgatory's image");
		for (i = 0; i < naccepted; i++)
			need(maps_range(cr3, levels, accepted[i].addr, accepted[i].len),
			     "a committed map without a range arch_map accepted");
		}
		/* The caller's pool, if it called on one: not a word changed. */
		if (caller_on_pool)
			need(unchanged(), "the caller's pool was rewritten");
		last_levels = levels;
	}
	if (fault)
		printf("# after %lu entries: %s\n", e, fault);
	printf("%s 1 - x86_64 idmap.c on the host: %lu entries (4 and 5 levels, %lu callers on "
	       "purgatory's last map, %lu later maps in the same entry, ranges added after a "
	       "commit), %lu commits, %lu checks: every "
	       "accepted range mapped, the right ranges refused, no loaded map losing a mapping, no "
	       "caller's pool rewritten, no pool exhausted\n",
	       fault ? "not ok" : "ok", e, on_pool, multi, commits, checks);
	printf("1..1\n");
	return fault != 0;
}
