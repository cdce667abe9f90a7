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
#include "../lib/string.h"

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

/* Linux's memparse: a number (0x for hex) with an optional K, M or G. */
static const char *parse_size(const char *s, const char *end, uint64_t *v)
{
	unsigned int base = 10, digits = 0;

	*v = 0;
	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; s < end; s++, digits++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		*v = *v * base + d;
	}
	if (!digits)
		return 0;
	if (s < end && (*s == 'K' || *s == 'k'))
		*v <<= 10, s++;
	else if (s < end && (*s == 'M' || *s == 'm'))
		*v <<= 20, s++;
	else if (s < end && (*s == 'G' || *s == 'g'))
		*v <<= 30, s++;
	return s;
}

#define BP_HDRS			0x202	/* boot_params.hdr.header: "HdrS" */
#define BP_CMD_LINE_PTR		0x228
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define HDRS_MAGIC		0x53726448u
#define CMDLINE_MAX		(64u * 1024)

/* boot_params fields at their offsets: 0x202 is not 4-byte aligned. */
static uint32_t bp_u32(const uint8_t *bp, unsigned int off)
{
	uint32_t v;

	__builtin_memcpy(&v, bp + off, sizeof(v));
	return v;
}

uint64_t kj_cmdline_elfcorehdr(unsigned long boot_params, unsigned long cmdline_end,
			       uint64_t *size)
{
	static const char key[] = "elfcorehdr=";
	const uint8_t *bp = (const uint8_t *)boot_params;
	const char *s, *end = (const char *)cmdline_end;
	uint64_t cmd, addr = 0;

	/*
	 * Read under A's page tables, which need not map what the loader
	 * named: tried first, so that a bad pointer means no header, not a
	 * page fault.
	 */
	if (!boot_params || !cmdline_end)
		return 0;
	if (!arch_accessible(boot_params, 4096, 0)) {
		kj_log("boot_params 0x%lx cannot be read; no elfcorehdr= taken from B's command line",
		       boot_params);
		return 0;
	}
	if (bp_u32(bp, BP_HDRS) != HDRS_MAGIC)
		return 0;
	cmd = bp_u32(bp, BP_CMD_LINE_PTR) | (uint64_t)bp_u32(bp, BP_EXT_CMD_LINE_PTR) << 32;
	if (!cmd || cmd > cmdline_end || cmdline_end - cmd > CMDLINE_MAX)
		return 0;
	if (!arch_accessible(cmd, cmdline_end - cmd + 1, 0)) {
		kj_log("B's command line 0x%llx-0x%lx cannot be read; no elfcorehdr= taken from it",
		       (unsigned long long)cmd, cmdline_end);
		return 0;
	}
	/* elfcorehdr=[size@]address; as in Linux, the last one counts. */
	for (s = (const char *)(uintptr_t)cmd; s + sizeof(key) - 1 < end; s++) {
		uint64_t v, w;
		const char *p;

		if ((s != (const char *)(uintptr_t)cmd && s[-1] != ' ') ||
		    memcmp(s, key, sizeof(key) - 1))
			continue;
		p = parse_size(s + sizeof(key) - 1, end, &v);
		if (p && p < end && *p == '@' && parse_size(p + 1, end, &w)) {
			*size = v;
			addr = w;
		} else if (p) {
			*size = 0;
			addr = v;
		}
	}
	return addr;
}
