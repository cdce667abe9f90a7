// SPDX-License-Identifier: GPL-2.0-only
/*
 * The low memory a preserve-context B borrows from A.
 *
 * A kernel needs some RAM below 1 MiB (Linux: its real-mode trampoline, which
 * starts its other CPUs and, on x86_64, its wakeup code), so kexec-tools gives
 * B A's first RAM range below 640 KiB (backup_src_start, backup_src_size) on
 * top of the window that A's kernel swaps. Nothing swaps that range by
 * itself: what B writes there would still be there when A resumes, and A
 * brings its CPUs back through its own trampoline after every kexec jump.
 *
 * kexec-tools (with patches/kexec-tools/0006) reserves a backup area of the
 * same size inside the window, keeps it out of B's memory map and names it in
 * backup_start, as it does for a crash kernel. Purgatory keeps A's copy of
 * the range there whenever B runs: before B's boot it copies the range in (B
 * starts with A's low memory, BIOS data area and all, as after a normal
 * boot), and at every later transition either way it swaps the range with
 * the area. A's kernel swaps the area with the rest of the window, so B's
 * copy rides along with B's memory while A runs. ELF core headers made by
 * kexec-tools point the range's PT_LOAD at backup_start, so B's /proc/vmcore
 * reads A's low memory there.
 *
 * A crash kernel (panic_kernel) never comes back: kexec_tools_setup() makes
 * its one copy, and nothing here applies.
 */
#include "kjump.h"
#include "../lib/string.h"

int kj_lowmem_borrowed(const struct kjump_params *p)
{
	return !p->panic_kernel && p->backup_start && p->backup_src_size;
}

int kj_lowmem_check(const struct kjump_params *p)
{
	uint64_t low = p->backup_src_start, area = p->backup_start, len = p->backup_src_size;

	/* kexec-tools borrows at most 640 KiB; the map takes ranges up to 2 MiB. */
	if (len > KJ_MAP_RANGE_MAX || !kj_reachable(low, len) || !kj_reachable(area, len)) {
		kj_log("borrowed low memory 0x%llx (+0x%llx) or its backup at 0x%llx is longer than "
		       "0x%llx or beyond 0x%llx", (unsigned long long)low, (unsigned long long)len,
		       (unsigned long long)area, (unsigned long long)KJ_MAP_RANGE_MAX,
		       (unsigned long long)arch_phys_limit());
		return KJ_EBACKUP;
	}
	if (kj_overlaps_image(low, len) || kj_overlaps_image(area, len) ||
	    kj_overlaps(low, len, area, len)) {
		kj_log("borrowed low memory 0x%llx (+0x%llx) and its backup at 0x%llx overlap "
		       "each other or purgatory 0x%lx-0x%lx", (unsigned long long)low,
		       (unsigned long long)len, (unsigned long long)area,
		       (unsigned long)_image_start, (unsigned long)_image_end);
		return KJ_EBACKUP;
	}
	return KJ_OK;
}

int kj_lowmem_map(const struct kjump_params *p)
{
	int err = arch_map(p->backup_src_start, p->backup_src_size);

	return err ? err : arch_map(p->backup_start, p->backup_src_size);
}

void kj_lowmem_save(const struct kjump_params *p)
{
	memcpy((void *)p->backup_start, (const void *)p->backup_src_start, p->backup_src_size);
}

void kj_lowmem_swap(const struct kjump_params *p)
{
	unsigned char *x = (unsigned char *)p->backup_src_start;
	unsigned char *y = (unsigned char *)p->backup_start;
	unsigned long n = p->backup_src_size, i = 0;

	/* Words while they fit (both ends are at least 1 KiB aligned in practice). */
	if (!(((unsigned long)x | (unsigned long)y) & (sizeof(long) - 1)))
		for (; i + sizeof(long) <= n; i += sizeof(long)) {
			unsigned long t = *(unsigned long *)(x + i);

			*(unsigned long *)(x + i) = *(unsigned long *)(y + i);
			*(unsigned long *)(y + i) = t;
		}
	for (; i < n; i++) {
		unsigned char t = x[i];

		x[i] = y[i];
		y[i] = t;
	}
}
