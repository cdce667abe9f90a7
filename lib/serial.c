// SPDX-License-Identifier: GPL-2.0-only
/*
 * Polled output on a 16550-compatible UART.
 *
 * The wait for the transmitter is bounded: a port with no UART behind it
 * reads 0xff or 0x00 forever, and purgatory must not hang on a console that
 * is not there. Past the bound the character is dropped.
 */
#include "io.h"
#include "serial.h"

#define UART_THR	0	/* transmit holding register (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_THRE	0x20
#define UART_CLOCK	115200u
#define THRE_POLLS	100000u

void serial_init(uint16_t base, uint32_t baud)
{
	uint32_t div;

	if (!base || !baud)
		return;		/* keep the kernel's own settings */
	div = UART_CLOCK / baud;
	if (!div)
		div = 1;
	outb(base + UART_LCR, 0x83);		/* 8N1, DLAB on */
	outb(base + UART_DLL, div & 0xff);
	outb(base + UART_DLM, (div >> 8) & 0xff);
	outb(base + UART_LCR, 0x03);		/* DLAB off */
	outb(base + UART_IER, 0x00);		/* purgatory polls */
	outb(base + UART_FCR, 0x07);		/* FIFOs on and cleared */
	outb(base + UART_MCR, 0x03);		/* DTR, RTS */
}

void serial_putc(uint16_t base, char c)
{
	unsigned int polls = THRE_POLLS;

	while (!(inb(base + UART_LSR) & UART_LSR_THRE))
		if (!--polls)
			return;
	outb(base + UART_THR, (uint8_t)c);
}
