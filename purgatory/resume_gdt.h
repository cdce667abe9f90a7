/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The descriptor table a side is resumed through (purgatory/resume_gdt.c).
 */
#ifndef KJ_RESUME_GDT_H
#define KJ_RESUME_GDT_H

#include <stdint.h>
#include "desc.h"

/* The arch's own GDT and IDT (arch/<arch>/cpu.c), rebuilt at every entry. */
extern uint64_t kj_gdt[KJ_GDT_ENTRIES];
extern struct kj_idt_gate kj_idt[KJ_IDT_GATES];

/*
 * The selectors of one resume, in the order they are loaded: CS and SS
 * move to the bridge pair (valid in purgatory's GDT and in the resume
 * GDT alike; purgatory's IDT gates use bridge_cs from now on), then the
 * resume GDT is loaded, then CS and SS become the caller's.
 */
struct kj_resume_sels {
	uint16_t bridge_cs, bridge_ss;
	uint16_t cs, ss;
};

/*
 * Fills resume[KJ_GDT_ENTRIES] for a caller whose CS and SS were cs and
 * ss, puts the bridge pair into kj_gdt and points kj_idt's gates at it.
 * Returns 0, or -1 when the caller's selectors cannot be placed (LDT,
 * RPL, an index beyond the table, CS and SS sharing one): the target then
 * resumes on purgatory's own selectors, which is logged.
 */
int kj_resume_gdt(uint64_t *resume, unsigned int cs, unsigned int ss, struct kj_resume_sels *out);

#endif
