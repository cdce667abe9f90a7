/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host fuzzing of purgatory's validators (tests/fuzz.t, make fuzz): the
 * purgatory sources are built for the host unchanged and linked with the
 * stubs in stubs.c. "Memory purgatory can reach" is one arena per input,
 * sized exactly (AddressSanitizer flags any read past it): kj_reachable
 * says yes only inside it, kj_overlaps_image says yes only inside a range
 * the harness names as purgatory's image.
 */
#ifndef KJ_FUZZ_H
#define KJ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

/* The arena: [arena_start, arena_start + arena_len). */
extern uint64_t arena_start, arena_len;
/* Purgatory's image, for kj_overlaps_image (0, 0: nowhere). */
extern uint64_t image_lo, image_hi;
/* kj_fatal returns here (a documented halt is an outcome, not a crash). */
extern jmp_buf fatal_jump;
extern unsigned long fatal_calls, log_calls;

/* Little-endian reads from the fuzz input, 0 past its end. */
uint64_t fuzz_u64(const uint8_t *d, size_t n, size_t off);
uint32_t fuzz_u32(const uint8_t *d, size_t n, size_t off);

#endif
