/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KJ_LIB_PRINTF_H
#define KJ_LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted output goes: one character at a time. */
typedef void (*kj_putc_fn)(char c, void *ctx);

/*
 * A small vprintf: %c %s %d %i %u %x %X %p and %%, with the l, ll and z
 * length modifiers, a field width and the 0 and - flags. Enough for
 * diagnostics; no floating point.
 */
void kj_vformat(kj_putc_fn out, void *ctx, const char *fmt, va_list ap);

size_t kj_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated); returns the length written. */
size_t kj_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
