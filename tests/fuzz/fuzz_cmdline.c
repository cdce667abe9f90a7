// SPDX-License-Identifier: GPL-2.0-only
/*
 * purgatory/cmdline.c: kj_cmdline_elfcorehdr reading B's command line
 * through a boot_params page, and kj_append_jump_back_entry writing at a
 * cmdline_end the input chooses. Input: one byte for where cmdline_end
 * lies (0-63 bytes before the end of the arena), then the command line.
 * The arena is the boot_params page followed by the command line, sized
 * exactly: nothing may be read or written past it.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../purgatory/kjump.h"

uint64_t kj_cmdline_elfcorehdr(unsigned long boot_params, unsigned long cmdline_end,
			       uint64_t *size);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t len, back;
	uint8_t *arena;
	uint64_t cmd, size = 0;

	if (n < 1)
		return 0;
	back = d[0] % 64;
	len = n - 1;
	arena = calloc(1, 4096 + len);
	memcpy(arena + 4096, d + 1, len);
	cmd = (uintptr_t)(arena + 4096);
	memcpy(arena + 0x202, "HdrS", 4);
	*(uint32_t *)(arena + 0x228) = (uint32_t)cmd;
	*(uint32_t *)(arena + 0x0c8) = (uint32_t)(cmd >> 32);
	arena_start = (uintptr_t)arena;
	arena_len = 4096 + len;
	image_lo = image_hi = 0;
	if (!setjmp(fatal_jump)) {
		kj_cmdline_elfcorehdr((uintptr_t)arena, cmd + len, &size);
		if (back <= len)
			kj_append_jump_back_entry(cmd + len - back, 0xffffffff81000000ul);
	}
	free(arena);
	return 0;
}
