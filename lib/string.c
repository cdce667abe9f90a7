// SPDX-License-Identifier: GPL-2.0-only
/*
 * Purgatory's string functions, also linked into the test kernels. The
 * loops are built with -fno-tree-loop-distribute-patterns so gcc does not
 * turn them into calls to themselves. memcpy and memset are weak because
 * gnu-efi's libefi (the OVMF test kernel links it) defines its own.
 */
#include "string.h"

/*
 * memcpy and memset as string instructions: a word a step, then the tail
 * bytes. One instruction whatever the length on CPUs with fast strings,
 * and the fewest steps where each iteration counts (make bench runs under
 * QEMU -icount). DF is clear: purgatory's entry loads its own flags, and
 * the C ABI has it clear everywhere else.
 */
#if defined(__x86_64__)
#define REP_WORDS_MOVS	"rep movsq"
#define REP_WORDS_STOS	"rep stosq"
#else
#define REP_WORDS_MOVS	"rep movsl"
#define REP_WORDS_STOS	"rep stosl"
#endif

__attribute__((weak)) void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n / sizeof(long), tail = n % sizeof(long);

	__asm__ volatile(REP_WORDS_MOVS : "+D"(d), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(tail) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

__attribute__((weak)) void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t words = n / sizeof(long), tail = n % sizeof(long);
	unsigned long pattern = (unsigned char)c * (~0ul / 0xff);

	__asm__ volatile(REP_WORDS_STOS : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}
