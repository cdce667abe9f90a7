// SPDX-License-Identifier: GPL-2.0-only
/*
 * Diagnostics. Everything purgatory says goes to the serial port the loader
 * configured (console_serial, serial_base, serial_baud: kexec-tools' names);
 * with none configured purgatory is silent but still returns its status.
 */
#include <stdarg.h>
#include "kjump.h"
#include "../lib/io.h"
#include "../lib/printf.h"
#include "../lib/serial.h"

static uint16_t console_port;
static uint16_t uart_programmed;	/* the port serial_init last set up */

/*
 * Called with a parameter block that passed its check; until the first
 * such block purgatory is silent. The UART is programmed once per port
 * (and only with a nonzero serial_baud), not at every transition, so a
 * kernel's own settings stand.
 */
void kj_console_use(const struct kjump_params *p)
{
	console_port = (p->console_serial && p->serial_base) ? p->serial_base : 0;
	if (console_port && p->serial_baud && uart_programmed != console_port) {
		serial_init(console_port, p->serial_baud);
		uart_programmed = console_port;
	}
}

static void console_putc(char c, void *ctx)
{
	(void)ctx;
	if (!console_port)
		return;
	if (c == '\n')
		serial_putc(console_port, '\r');
	serial_putc(console_port, c);
}

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	const char *s;

	for (s = prefix; *s; s++)
		console_putc(*s, 0);
	kj_vformat(console_putc, 0, fmt, ap);
	console_putc('\n', 0);
}

void kj_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("kjump: ", fmt, ap);
	va_end(ap);
}

noreturn void kj_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("kjump: FATAL: ", fmt, ap);
	va_end(ap);
	kj_log("halting: there is no safe way back to the caller");
	if (kjump_params.debug_exit_port)
		outb(kjump_params.debug_exit_port, KJ_DEBUG_EXIT_FATAL);
	arch_halt();
}
