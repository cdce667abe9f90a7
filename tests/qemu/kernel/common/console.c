// SPDX-License-Identifier: GPL-2.0-only
/* Serial console and exit for the test kernels (COM1, QEMU isa-debug-exit). */
#include <stdarg.h>
#include "testbed.h"
#include "../../../../lib/io.h"
#include "../../../../lib/printf.h"
#include "../../../../lib/serial.h"

void console_init(void)
{
	serial_init(SERIAL_PORT, 115200);
}

static void con_putc(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		serial_putc(SERIAL_PORT, '\r');
	serial_putc(SERIAL_PORT, c);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kj_vformat(con_putc, 0, fmt, ap);
	va_end(ap);
}

void qemu_exit(unsigned int code)
{
	outb(DEBUG_EXIT_PORT, (uint8_t)code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void kernel_exception(unsigned long vector, unsigned long error, unsigned long ip)
{
#ifdef KERNEL_B
	const char *who = "kernel B";
#else
	const char *who = "kernel A";
#endif

	kprintf("not ok - %s took CPU exception %lu (error 0x%lx) at 0x%lx\n",
		who, vector, error, ip);
	qemu_exit(EXIT_EXCEPTION);
}
