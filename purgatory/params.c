// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parameter block, preset so that a loader that knows only kexec-tools'
 * symbols (and so never writes magic, version or size) still passes the
 * check in kjump_enter. Its own input section lets the linker script place
 * it and measure it for the header.
 */
#include "kjump.h"

struct kjump_params kjump_params __attribute__((section(".data.kjparams"), aligned(64))) = {
	.magic = KJ_PARAMS_MAGIC,
	.abi_version = KJ_ABI_VERSION,
	.size = sizeof(struct kjump_params),
	.running = KJ_SIDE_NONE,
};
