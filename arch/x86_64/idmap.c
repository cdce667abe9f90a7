// SPDX-License-Identifier: GPL-2.0-only
/*
 * Purgatory's own identity map (x86_64).
 *
 * A kernel's kexec identity map covers the RAM that kernel knows and the
 * segments of its own image, nothing else: B's map need not contain A's
 * control page (measured: B->A then page-faults with no IDT). So before it
 * resumes a side, purgatory builds page tables that map, identity, with
 * 2 MiB pages: purgatory itself, the caller's re-entry page and stack (for a
 * refusal), the target's re-entry page and stack, and the ELF core header.
 *
 * The tables come from two fixed pools inside the image, used in turn: a
 * transition builds its map in the pool the previous one did not use, so a
 * caller that is still running on purgatory's last map (it did not reload
 * its own CR3 yet) does not see it wiped under its feet. Each map is built
 * from scratch, so nothing outlives two transitions and a pool cannot fill
 * up over time. The depth follows the caller's CR4.LA57 (4 or 5 levels):
 * purgatory cannot change it while paging is on.
 */
#include "../../purgatory/kjump.h"
#include "../../lib/string.h"

#define PTE_P		0x001ull
#define PTE_RW		0x002ull
#define PTE_PS		0x080ull
#define PTE_ADDR	0x000ffffffffff000ull
#define PAGE_2M		(2ull << 20)
#define POOL_PAGES	10
#define CR4_LA57	(1ul << 12)

static uint64_t pools[2][POOL_PAGES][512]
	__attribute__((aligned(4096), section(".pagetables")));
static uint64_t (*pool)[512];
static unsigned int pool_index;
static unsigned int pool_used;
static unsigned int levels;
static uint64_t *root;

static uint64_t *alloc_table(void)
{
	uint64_t *t;

	if (pool_used == POOL_PAGES)
		return 0;
	t = pool[pool_used++];
	memset(t, 0, 4096);
	return t;
}

static int map_2m(uint64_t pa)
{
	uint64_t *table = root;
	unsigned int level;

	for (level = levels; level > 2; level--) {
		unsigned int idx = (pa >> (12 + 9 * (level - 1))) & 511;

		if (!(table[idx] & PTE_P)) {
			uint64_t *next = alloc_table();

			if (!next)
				return KJ_EMAP;
			table[idx] = (uint64_t)(uintptr_t)next | PTE_P | PTE_RW;
		}
		table = (uint64_t *)(uintptr_t)(table[idx] & PTE_ADDR);
	}
	table[(pa >> 21) & 511] = (pa & ~(PAGE_2M - 1)) | PTE_P | PTE_RW | PTE_PS;
	return KJ_OK;
}

int arch_map(uint64_t addr, uint64_t len)
{
	uint64_t pa, end;

	if (!len)
		len = 1;
	if (!kj_reachable(addr, len))
		return KJ_EMAP;
	end = addr + len;
	for (pa = addr & ~(PAGE_2M - 1); pa < end; pa += PAGE_2M)
		if (map_2m(pa))
			return KJ_EMAP;
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

/*
 * Whether [addr, addr + len) is mapped by the page tables in use now,
 * walked in software (their pages are reached identity-mapped, as a kernel
 * calling purgatory has them). For output to the VGA text buffer, which a
 * caller's tables need not map.
 */
int arch_mapped(uint64_t addr, uint64_t len)
{
	unsigned long cr3, cr4;
	unsigned int top;
	uint64_t page;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	top = (cr4 & CR4_LA57) ? 5 : 4;
	for (page = addr & ~0xfffull; page < addr + len; page += 4096) {
		const uint64_t *table = (const uint64_t *)(uintptr_t)(cr3 & PTE_ADDR);
		unsigned int level;

		for (level = top; level >= 1; level--) {
			uint64_t e = table[(page >> (12 + 9 * (level - 1))) & 511];

			if (!(e & PTE_P))
				return 0;
			if (level == 1 || (level <= 3 && (e & PTE_PS)))
				break;
			table = (const uint64_t *)(uintptr_t)(e & PTE_ADDR);
		}
	}
	return 1;
}
