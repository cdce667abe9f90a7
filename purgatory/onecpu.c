// SPDX-License-Identifier: GPL-2.0-only
/*
 * One CPU at a time.
 *
 * Purgatory has one copy of its state (kj_incoming, kjump_params, its
 * stack), so only one CPU may run its code. The entry stubs
 * (arch/<arch>/entry.asm) take kjump_params.cpu_inside with a locked
 * bit-test-and-set before they touch anything else, and turn a CPU that
 * finds it taken away on its own stack: refused with KJ_EBUSY when it has a
 * re-entry word, halted when it has none, each counted. The exits clear it
 * once this CPU no longer reads purgatory's state or stack. A kernel that
 * took its other CPUs down before kexec, as Linux does, never meets this.
 *
 * The CPU inside reports what the turned-away CPUs could not say: a
 * console line for every new count, at its entry and before it resumes a
 * side (a CPU turned away after that is reported by the next entry).
 */
#include "kjump.h"

void kj_report_busy(void)
{
	struct kjump_params *p = &kjump_params;
	uint32_t refused = __atomic_load_n(&p->busy_refused, __ATOMIC_RELAXED);
	uint32_t halted = __atomic_load_n(&p->busy_halted, __ATOMIC_RELAXED);
	uint32_t seen = refused + halted;

	if (seen == p->busy_reported)
		return;
	kj_log("another CPU entered purgatory while this one was inside: %u new such entr%s "
	       "(in all %u refused with status %d, %s; %u halted, having no re-entry address)",
	       seen - p->busy_reported, seen - p->busy_reported == 1 ? "y" : "ies", refused,
	       KJ_EBUSY, kj_status_name(KJ_EBUSY), halted);
	p->busy_reported = seen;
}

void kj_cpu_leave(void)
{
	__atomic_store_n(&kjump_params.cpu_inside, 0, __ATOMIC_RELEASE);
}
