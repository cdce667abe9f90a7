// SPDX-License-Identifier: GPL-2.0-only
/*
 * TAP on the serial port for the A-role test kernels (kernel_a.c,
 * bios_test.c): fail() records a failed check inside a test, tap() closes
 * the test as ok or not ok with the first reason, tap_done() prints the
 * line tests/qemu/lib.sh looks for.
 */
#include <stdarg.h>
#include "testbed.h"
#include "../../../../lib/printf.h"
#include "../../../../lib/string.h"

static unsigned int test_no, failures_total, test_failures;
static char first_failure[256];

void fail(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	kj_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!test_failures++)
		memcpy(first_failure, line, sizeof(line));
	if (test_failures <= 5)
		kprintf("# FAIL: %s\n", line);
}

void tap(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	kj_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	test_no++;
	if (test_failures) {
		failures_total++;
		kprintf("not ok %u - %s\n#   %u check(s) failed; first: %s\n", test_no, line,
			test_failures, first_failure);
	} else {
		kprintf("ok %u - %s\n", test_no, line);
	}
	test_failures = 0;
}

unsigned int tap_check_failures(void)
{
	return test_failures;
}

void tap_done(void)
{
	kprintf("# kernel A: done, %u test(s), %u failed\n", test_no, failures_total);
}
