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
 * Size. The tables come from two fixed pools inside the image, used in
 * turn: a transition builds its map in the pool the previous one did not
 * use, so a caller that is still running on purgatory's last map does not
 * see it wiped under its feet. Each map is built from scratch. A pool
 * cannot run out, whatever the addresses (docs/protocol.md has the count):
 * a map holds at most KJ_MAP_RANGES ranges (more is a bug in purgatory,
 * which halts with a message), each at most KJ_MAP_RANGE_MAX long (longer
 * ones are refused with KJ_EMAP), so each touches at most two 2 MiB pages
 * and needs at most two new tables on each level below the root; the low
 * 2 MiB need one more, its table of 4 KiB pages. The depth follows the
 * caller's CR4.LA57 (4 or 5 levels): purgatory cannot change it while
 * paging is on.
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
#define MAX_LEVELS	5
/* Root, the low 2 MiB's table of 4 KiB pages, two tables a level a range. */
#define POOL_PAGES	(2 + KJ_MAP_RANGES * 2 * (MAX_LEVELS - 2))

_Static_assert(KJ_MAP_RANGE_MAX == PAGE_2M, "a range must span at most two 2 MiB pages");

static uint64_t pools[2][POOL_PAGES][512]
	__attribute__((aligned(4096), section(".pagetables")));
static uint64_t (*pool)[512];
static unsigned int pool_index;
static unsigned int pool_used;
static unsigned int ranges;
static unsigned int levels;
static uint64_t *root;

static uint64_t *alloc_table(void)
{
	uint64_t *t;

	if (pool_used == POOL_PAGES)
		kj_fatal("page-table pool exhausted after %u ranges: the bound in idmap.c is wrong",
			 ranges);
	t = pool[pool_used++];
	memset(t, 0, 4096);
	return t;
}

/*
 * The entry at `level` (2: page directory) that maps pa, with every table
 * above it in place.
 */
static uint64_t *entry_at(uint64_t pa, unsigned int level)
{
	uint64_t *table = root;
	unsigned int l;

	for (l = levels; l > level; l--) {
		uint64_t *e = &table[(pa >> (12 + 9 * (l - 1))) & 511];

		if (!(*e & PTE_P))
			*e = (uint64_t)(uintptr_t)alloc_table() | PTE_P | PTE_RW;
		table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
	}
	return &table[(pa >> (12 + 9 * (level - 1))) & 511];
}

static void map_low_2m(void)
{
	uint64_t *pde = entry_at(0, 2);
	uint64_t *pt;
	unsigned int i;

	if (*pde & PTE_P)
		return;
	pt = alloc_table();
	for (i = 0; i < 512; i++)
		pt[i] = i * PAGE_4K | PTE_P | PTE_RW;
	*pde = (uint64_t)(uintptr_t)pt | PTE_P | PTE_RW;
}

static void map_2m(uint64_t pa)
{
	if (pa < PAGE_2M)
		map_low_2m();
	else
		*entry_at(pa, 2) = pa | PTE_P | PTE_RW | PTE_PS;
}

int arch_map(uint64_t addr, uint64_t len)
{
	uint64_t pa, end;

	if (!len)
		len = 1;
	if (!kj_reachable(addr, len) || len > KJ_MAP_RANGE_MAX)
		return KJ_EMAP;
	if (++ranges > KJ_MAP_RANGES)
		kj_fatal("more than %u ranges in one map (0x%llx +0x%llx): a bug in purgatory",
			 KJ_MAP_RANGES, (unsigned long long)addr, (unsigned long long)len);
	end = addr + len;
	for (pa = addr & ~(PAGE_2M - 1); pa < end; pa += PAGE_2M)
		map_2m(pa);
	return KJ_OK;
}

void arch_map_begin(void)
{
	uint64_t first = (uintptr_t)pools[pool_index], end = first + sizeof(pools[0]);

	/* Build in the pool the caller is not running on. */
	if (kj_incoming.cr3 >= first && kj_incoming.cr3 < end)
		pool_index ^= 1;
	pool = pools[pool_index];
	pool_index ^= 1;
	pool_used = 0;
	ranges = 0;
	levels = (kj_incoming.cr4 & CR4_LA57) ? 5 : 4;
	root = alloc_table();
	if (arch_map((uintptr_t)_image_start, _image_end - _image_start))
		kj_fatal("cannot map purgatory itself at 0x%lx", (unsigned long)_image_start);
}

void arch_map_commit(void)
{
	/* The pool lies in the image, so its physical and virtual addresses agree. */
	__asm__ volatile("mov %0, %%cr3" : : "r"((uintptr_t)root) : "memory");
}
