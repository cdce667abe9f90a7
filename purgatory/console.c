// SPDX-License-Identifier: GPL-2.0-only
/*
 * Diagnostics. Everything purgatory says goes to the serial port the loader
 * configured (console_serial, serial_base, serial_baud: kexec-tools' names)
 * and, with console_vga, to the VGA text screen; with neither configured
 * purgatory is silent but still returns its status.
 */
#include <stdarg.h>
#include "kjump.h"
#include "../lib/io.h"
#include "../lib/printf.h"
#include "../lib/serial.h"
#include "../lib/vga.h"

static uint16_t console_port;
static uint16_t uart_programmed;	/* the port serial_init last set up */
static int console_vga;

/* One line for the VGA screen, written whole when it ends. */
static char vga_line[160];
static unsigned int vga_len;

/*
 * Called with a parameter block that passed its check; until the first
 * such block purgatory is silent. The UART is programmed once per port
 * (and only with a nonzero serial_baud), not at every transition, so a
 * kernel's own settings stand.
 */
void kj_console_use(const struct kjump_params *p)
{
	console_port = (p->console_serial && p->serial_base) ? p->serial_base : 0;
	console_vga = p->console_vga != 0;
	if (console_port && p->serial_baud && uart_programmed != console_port) {
		serial_init(console_port, p->serial_baud);
		uart_programmed = console_port;
	}
}

/*
 * The text buffer is written only when the page tables in use map it: a
 * caller's own tables (kernel B's, in the tests) need not.
 */
static void vga_flush(void)
{
	if (vga_len && arch_accessible(VGA_TEXT_BASE, VGA_TEXT_BYTES, 1))
		vga_write(vga_line, vga_len);
	vga_len = 0;
}

static void console_putc(char c, void *ctx)
{
	(void)ctx;
	if (console_vga) {
		vga_line[vga_len++] = c;
		if (c == '\n' || vga_len == sizeof(vga_line))
			vga_flush();
	}
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
