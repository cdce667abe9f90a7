// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tell B where to jump back: kexec-tools reserves room after B's command
 * line and points cmdline_end at its terminating NUL. The address we give
 * is purgatory's own entry for B, not A's re-entry: B's later jumps then
 * come through purgatory, which knows where A is (Huang Ying's
 * kexec_jump_back_entry_A_for_B).
 */
#include "kjump.h"
#include "../lib/printf.h"

/* " kexec_jump_back_entry=0x" + 16 hex digits + NUL */
#define APPEND_MAX	42

void kj_append_jump_back_entry(unsigned long cmdline_end, unsigned long entry)
{
	if (!cmdline_end)
		return;
	if (!kj_reachable(cmdline_end, APPEND_MAX) ||
	    kj_overlaps_image(cmdline_end, APPEND_MAX)) {
		kj_log("cmdline_end 0x%lx is not usable; B gets no kexec_jump_back_entry=",
		       cmdline_end);
		return;
	}
	kj_snprintf((char *)cmdline_end, APPEND_MAX, " kexec_jump_back_entry=0x%lx", entry);
}
