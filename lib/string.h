/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KJ_LIB_STRING_H
#define KJ_LIB_STRING_H

#include <stddef.h>

/* gcc may emit calls to these even in freestanding code, so they keep their C names. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
