/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included into every purgatory C file (-include). -fvisibility=hidden
 * covers definitions only; this pragma also makes every extern declaration
 * hidden, so the compiler addresses all symbols PC-relative and never
 * through a GOT. The linker script asserts the result.
 */
#pragma GCC visibility push(hidden)
