// SPDX-License-Identifier: GPL-2.0-only
/*
 * Purgatory's own identity map (x86_64).
 *
 * A kernel's kexec identity map covers the RAM that kernel knows and the
 * segments of its own image, nothing else: B's map need not contain A's
 * control page (measured: B->A then page-faults with no IDT). So before it
 * resumes a side, purgatory builds page tables that map, identity: itself,
 * the caller's re-entry page and stack (for a refusal), the target's
 * re-entry page and stack, the borrowed low memory, the ELF core header.
 *
 * Page sizes. Above 2 MiB, 2 MiB pages: each one lies around memory the
 * kernels use as RAM, so it does not straddle a change of MTRR memory type
 * (a 1 GiB page would, over a PCI hole). The first 2 MiB are mapped with
 * 4 KiB pages, all of them, whenever any of it is needed: there the fixed
 * MTRRs give VGA memory, option ROMs and the BIOS types of their own in
 * ranges down to 4 KiB, and a large page spanning several types is
 * undefined (Intel SDM vol. 3A, "Large Page Size Considerations"). Every
 * entry uses PAT entry 0 (write-back), so the MTRR type is what applies.
 *
 * Size. The tables come from two fixed pools inside the image. A pool
 * cannot run out, whatever the addresses (docs/protocol.md has the count):
 * a map holds at most KJ_MAP_RANGES ranges (more is a bug in purgatory,
 * which halts with a message), each at most KJ_MAP_RANGE_MAX long (longer
 * ones are refused with KJ_EMAP), so each touches at most two 2 MiB pages
 * and needs at most two new tables on each level below the root; the low
 * 2 MiB need one more, its table of 4 KiB pages. The depth follows the
 * caller's CR4.LA57 (4 or 5 levels): purgatory cannot change it while
 * paging is on.
 *
 * Built once, used again. Each pool remembers the ranges it was built
 * from, as 2 MiB page spans in the order they were added, with the load
 * address and depth. A map is built lazily: while the ranges asked for
 * match a pool's record, range by range, nothing is written, and the
 * commit loads that pool. Two directions of a coroutine ask for two
 * different sequences, so in the steady state each pool serves one and a
 * transition writes no page table at all (make bench: A->B, B->A). At
 * the first range that matches no record, the map is built from scratch,
 * the ranges so far replayed, in a pool that is not the one the caller
 * runs on (a caller still on purgatory's last map must not see it wiped
 * under its feet), after stepping off it if it is the one loaded
 * (start_build), and the next build goes to the other pool. A record describes every table in its pool, so a
 * pool's mappings are exactly those of its record's ranges: a reused map
 * may map more than this entry asked for (what the same sequence asked
 * for before, past this entry's last range), never less.
 */
#include "../../purgatory/kjump.h"
#include "../../lib/string.h"
#include "../x86/cpu_bits.h"

#define PTE_P		0x001ull
#define PTE_RW		0x002ull
#define PTE_PS		0x080ull
#define PTE_ADDR	0x000ffffffffff000ull
#define PAGE_4K		4096ull
#define PAGE_2M		(2ull << 20)
_Static_assert(PAGE_2M == 1ull << 21, "arch_map shifts by 21");
#define MAX_LEVELS	5
/* Root, the low 2 MiB's table of 4 KiB pages, two tables a level a range. */
#define POOL_PAGES	(2 + KJ_MAP_RANGES * 2 * (MAX_LEVELS - 2))

_Static_assert(KJ_MAP_RANGE_MAX == PAGE_2M, "a range must span at most two 2 MiB pages");

#define NPOOLS		2

/* Scratch (not in the file, not zeroed by a loader): records[] says what is valid. */
static uint64_t pools[NPOOLS][POOL_PAGES][512]
	__attribute__((aligned(4096), section(".nobits.pagetables")));

/* A range as the page tables see it: the 2 MiB pages it touches. */
struct span {
	uint64_t first, last;	/* 2 MiB page numbers, inclusive */
};

/* What a pool holds: its tables map exactly these spans. */
struct pool_record {
	uint64_t image;		/* _image_start when built; 0: never built */
	unsigned int levels;
	unsigned int used;	/* tables allocated */
	unsigned int nspans;
	struct span spans[KJ_MAP_RANGES];
};
static struct pool_record records[NPOOLS];

/* The map being put together for this entry. */
static struct span wanted[KJ_MAP_RANGES];
static unsigned int nwanted;
static unsigned int levels;
static unsigned int candidates;	/* bit p: pool p's record starts with wanted[] */
static int building = -1;	/* pool being written, or -1 while replaying */
static int loaded = -1;		/* pool loaded by the last commit, or -1 */
static unsigned int next_build;	/* where the next fresh build goes, if free */
static uint64_t map_limit;	/* arch_phys_limit() for this entry's depth */

static uint64_t *root_of(unsigned int p)
{
	return pools[p][0];
}

static int pool_of(uint64_t cr3)
{
	unsigned int p;

	for (p = 0; p < NPOOLS; p++)
		if ((cr3 & PTE_ADDR) == (uintptr_t)root_of(p))
			return (int)p;
	return -1;
}

static uint64_t *alloc_table(unsigned int p)
{
	struct pool_record *r = &records[p];
	uint64_t *t;

	if (r->used == POOL_PAGES)
		kj_fatal("page-table pool exhausted after %u ranges: the bound in idmap.c is wrong",
			 r->nspans);
	t = pools[p][r->used++];
	memset(t, 0, 4096);
	return t;
}

/*
 * The entry at `level` (2: page directory) that maps pa in pool p, with
 * every table above it in place.
 */
static uint64_t *entry_at(unsigned int p, uint64_t pa, unsigned int level)
{
	uint64_t *table = root_of(p);
	unsigned int l;

	for (l = levels; l > level; l--) {
		uint64_t *e = &table[(pa >> (12 + 9 * (l - 1))) & 511];

		if (!(*e & PTE_P))
			*e = (uint64_t)(uintptr_t)alloc_table(p) | PTE_P | PTE_RW;
		table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
	}
	return &table[(pa >> (12 + 9 * (level - 1))) & 511];
}

static void map_low_2m(unsigned int p)
{
	uint64_t *pde = entry_at(p, 0, 2);
	uint64_t *pt;
	unsigned int i;

	if (*pde & PTE_P)
		return;
	pt = alloc_table(p);
	for (i = 0; i < 512; i++)
		pt[i] = i * PAGE_4K | PTE_P | PTE_RW;
	*pde = (uint64_t)(uintptr_t)pt | PTE_P | PTE_RW;
}

static void build_span(unsigned int p, const struct span *s)
{
	uint64_t page;

	for (page = s->first; page <= s->last; page++) {
		if (!page)
			map_low_2m(p);
		else
			*entry_at(p, page * PAGE_2M, 2) = page * PAGE_2M | PTE_P | PTE_RW | PTE_PS;
	}
	records[p].spans[records[p].nspans++] = *s;
}

/*
 * Build wanted[] from scratch in a pool that is not the caller's (a caller
 * still on purgatory's last map must not see it wiped under its feet). If
 * that pool is the one loaded, stand on another map while it is rebuilt:
 * the other pool if it was built for this image and depth (its first range
 * is purgatory; it may be the caller's, which is only read), else the
 * caller's own map, which has purgatory in it since the caller entered
 * through it.
 */
static void start_build(void)
{
	int busy = pool_of(kj_incoming.cr3);
	unsigned int p = next_build, i;

	if ((int)p == busy)
		p ^= 1;
	if ((int)p == loaded) {
		const struct pool_record *other = &records[p ^ 1];

		if (other->image == (uintptr_t)_image_start && other->levels == levels) {
			arch_write_cr3((uintptr_t)root_of(p ^ 1));
			loaded = (int)(p ^ 1);
		} else {
			arch_write_cr3(kj_incoming.cr3);
			loaded = busy;
		}
	}
	records[p].image = (uintptr_t)_image_start;
	records[p].levels = levels;
	records[p].used = 0;
	records[p].nspans = 0;
	alloc_table(p);		/* the root */
	for (i = 0; i < nwanted; i++)
		build_span(p, &wanted[i]);
	building = (int)p;
	next_build = p ^ 1;
}

/* Drop the pools whose record does not have s at position n. */
static void match(unsigned int n, uint64_t first, uint64_t last)
{
	unsigned int p;

	for (p = 0; p < NPOOLS; p++) {
		const struct pool_record *r = &records[p];

		if ((candidates & (1u << p)) &&
		    (r->nspans <= n || r->spans[n].first != first || r->spans[n].last != last))
			candidates &= ~(1u << p);
	}
}

int arch_map(uint64_t addr, uint64_t len)
{
	unsigned int n = nwanted;
	struct span *s = &wanted[n];

	if (!len)
		len = 1;
	/* kj_reachable's test, with the limit arch_map_begin read. */
	if (!kj_below(addr, len, map_limit) || len > KJ_MAP_RANGE_MAX)
		return KJ_EMAP;
	if (n == KJ_MAP_RANGES)
		kj_fatal("more than %u ranges in one map (0x%llx +0x%llx): a bug in purgatory",
			 KJ_MAP_RANGES, (unsigned long long)addr, (unsigned long long)len);
	s->first = addr >> 21;
	s->last = (addr + len - 1) >> 21;
	nwanted = n + 1;
	if (building >= 0) {
		build_span((unsigned int)building, s);
		return KJ_OK;
	}
	match(n, s->first, s->last);
	if (!candidates)
		start_build();
	return KJ_OK;
}

void arch_map_begin(void)
{
	unsigned int p;

	levels = (kj_incoming.cr4 & CR4_LA57) ? 5 : 4;
	map_limit = arch_phys_limit();
	nwanted = 0;
	building = -1;
	candidates = 0;
	for (p = 0; p < NPOOLS; p++)
		if (records[p].image == (uintptr_t)_image_start && records[p].levels == levels)
			candidates |= 1u << p;
	/*
	 * The map loaded now: the caller's at an entry's first map, but one of
	 * the pools at a later one in the same entry (a BIOS list maps each of
	 * its calls; found in review: taking the caller's CR3 here let
	 * start_build rebuild the pool the CPU was running on).
	 */
	loaded = pool_of(arch_read_cr3());
	if (arch_map((uintptr_t)_image_start, _image_end - _image_start))
		kj_fatal("cannot map purgatory itself at 0x%lx", (unsigned long)_image_start);
}

void arch_map_commit(void)
{
	unsigned int p = 0;

	if (building >= 0)
		p = (unsigned int)building;
	else
		while (!(candidates & (1u << p)))
			p++;
	loaded = (int)p;
	/* The pool lies in the image, so its physical and virtual addresses agree. */
	arch_write_cr3((uintptr_t)root_of(p));
}
