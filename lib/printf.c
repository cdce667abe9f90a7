// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include "printf.h"

static void put_padded(kj_putc_fn out, void *ctx, const char *s, int len,
		       int width, char pad, int left)
{
	int i;

	if (!left)
		for (i = len; i < width; i++)
			out(pad, ctx);
	for (i = 0; i < len; i++)
		out(s[i], ctx);
	if (left)
		for (i = len; i < width; i++)
			out(' ', ctx);
}

/*
 * Divides *n by base and returns the remainder, one bit at a time: i386 has
 * no 64-bit divide, and purgatory links no libgcc to provide one.
 */
static unsigned int divmod(unsigned long long *n, unsigned int base)
{
	unsigned long long q = 0, r = 0;
	int bit;

	for (bit = 63; bit >= 0; bit--) {
		r = (r << 1) | ((*n >> bit) & 1);
		if (r >= base) {
			r -= base;
			q |= 1ull << bit;
		}
	}
	*n = q;
	return (unsigned int)r;
}

static int utoa(unsigned long long v, unsigned int base, int upper, char *buf)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, i;

	do {
		tmp[n++] = digits[divmod(&v, base)];
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

void kj_vformat(kj_putc_fn out, void *ctx, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		char buf[24];
		int width = 0, left = 0, lng = 0, len;
		char pad = ' ';
		unsigned long long v;
		const char *s;

		if (*fmt != '%') {
			out(*fmt, ctx);
			continue;
		}
		fmt++;
		for (; *fmt == '0' || *fmt == '-'; fmt++) {
			if (*fmt == '0')
				pad = '0';
			else
				left = 1;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng += (*fmt == 'l') ? 1 : (sizeof(size_t) > sizeof(int) ? 1 : 0);

		switch (*fmt) {
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			put_padded(out, ctx, buf, 1, width, ' ', left);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			for (len = 0; s[len]; len++)
				;
			put_padded(out, ctx, s, len, width, ' ', left);
			break;
		case 'd':
		case 'i': {
			long long sv = lng >= 2 ? va_arg(ap, long long) :
				       lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			int neg = sv < 0;

			v = neg ? -(unsigned long long)sv : (unsigned long long)sv;
			len = 0;
			if (neg)
				buf[len++] = '-';
			len += utoa(v, 10, 0, buf + len);
			put_padded(out, ctx, buf, len, width, pad, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			len = utoa(v, *fmt == 'u' ? 10 : 16, *fmt == 'X', buf);
			put_padded(out, ctx, buf, len, width, pad, left);
			break;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			buf[0] = '0';
			buf[1] = 'x';
			len = 2 + utoa(v, 16, 0, buf + 2);
			put_padded(out, ctx, buf, len, width, ' ', left);
			break;
		case '%':
			out('%', ctx);
			break;
		default:	/* unknown conversion: show it rather than guess */
			out('%', ctx);
			if (!*fmt)
				return;
			out(*fmt, ctx);
		}
	}
}

struct sn_ctx {
	char *buf;
	size_t size, len;
};

static void sn_putc(char c, void *p)
{
	struct sn_ctx *sn = p;

	if (sn->len + 1 < sn->size)
		sn->buf[sn->len] = c;
	sn->len++;
}

size_t kj_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sn_ctx sn = { buf, size, 0 };

	kj_vformat(sn_putc, &sn, fmt, ap);
	if (size)
		buf[sn.len < size ? sn.len : size - 1] = '\0';
	return sn.len < size ? sn.len : (size ? size - 1 : 0);
}

size_t kj_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = kj_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
