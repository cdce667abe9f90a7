/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The restore image: A's memory, as a hibernation loader (tools/kjhib.c)
 * hands it to purgatory to put back in physical mode (docs/hibernate.md).
 *
 * The loader, in a freshly booted kernel C, loads two kexec segments:
 * purgatory's memory as B saved it while A was suspended (its image and its
 * recorded state of A), at the address it had, and this image, somewhere no
 * run below writes to. It points kjump_params.restore_image/restore_size at
 * the image, puts the image's SHA-256 in restore_sha256, and kexec -e enters
 * purgatory_start without a re-entry address (a plain kexec). Purgatory then
 * checks the whole image first (digest, header, every run), writes nothing
 * if any check fails, and halts with a message (C is gone: there is nobody
 * to return an error to). Otherwise it writes every run, and resumes A at
 * its recorded re-entry, as when B jumps back.
 *
 * Layout: the header, then nruns runs, then the data the runs point at.
 * Runs are sorted by dst and do not overlap; a run with KJ_RUN_ZERO is
 * zero-filled and has no data. Everything is little-endian, 64-bit, on both
 * arches.
 */
#ifndef KJUMP_RESTORE_H
#define KJUMP_RESTORE_H

#include <stdint.h>

#define KJ_RESTORE_MAGIC	0x524f545345524a4bull	/* "KJRESTOR" in memory */
#define KJ_RESTORE_VERSION	1u

struct kjump_restore_header {
	uint64_t magic;			/* KJ_RESTORE_MAGIC */
	uint32_t version;		/* KJ_RESTORE_VERSION */
	uint32_t header_size;		/* sizeof(struct kjump_restore_header) */
	uint64_t nruns;			/* struct kjump_restore_run that follow */
	uint64_t data_offset;		/* where run data starts, from the header */
	uint64_t total_size;		/* header, runs and data: restore_size */
	uint64_t bytes;			/* sum of every run's len (zero runs too) */
};

#define KJ_RUN_ZERO		1u	/* fill [dst, dst + len) with zeros */

struct kjump_restore_run {
	uint64_t dst;			/* physical address */
	uint64_t len;			/* bytes, > 0 */
	uint64_t src;			/* offset of the data from the header */
	uint64_t flags;			/* KJ_RUN_* */
};

#endif /* KJUMP_RESTORE_H */
