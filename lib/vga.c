// SPDX-License-Identifier: GPL-2.0-only
/*
 * VGA text mode, for kexec-tools' console_vga and reset_vga: registers
 * only, no BIOS. The mode-3 register values are the standard ones of the
 * IBM VGA (80x25 colour text, 9-dot characters, 400 lines).
 */
#include "vga.h"
#include "io.h"

#define VGA_MISC_WRITE	0x3c2
#define VGA_MISC_READ	0x3cc
#define VGA_SEQ_INDEX	0x3c4
#define VGA_CRTC_INDEX	0x3d4
#define VGA_GC_INDEX	0x3ce
#define VGA_AC_INDEX	0x3c0
#define VGA_INSTAT_1	0x3da		/* reading it resets the attribute flip-flop */

static const uint8_t seq_mode3[5] = { 0x03, 0x00, 0x03, 0x00, 0x02 };
static const uint8_t crtc_mode3[25] = {
	0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00,
	0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
};
static const uint8_t gc_mode3[9] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff };
static const uint8_t ac_mode3[21] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d,
	0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00,
};

void vga_reset(void)
{
	unsigned int i;

	outb(VGA_MISC_WRITE, 0x67);
	for (i = 0; i < sizeof(seq_mode3); i++) {
		outb(VGA_SEQ_INDEX, (uint8_t)i);
		outb(VGA_SEQ_INDEX + 1, seq_mode3[i]);
	}
	/* CRTC registers 0-7 are write-protected while bit 7 of register 0x11 is set. */
	outb(VGA_CRTC_INDEX, 0x11);
	outb(VGA_CRTC_INDEX + 1, inb(VGA_CRTC_INDEX + 1) & 0x7f);
	for (i = 0; i < sizeof(crtc_mode3); i++) {
		outb(VGA_CRTC_INDEX, (uint8_t)i);
		outb(VGA_CRTC_INDEX + 1, crtc_mode3[i]);
	}
	for (i = 0; i < sizeof(gc_mode3); i++) {
		outb(VGA_GC_INDEX, (uint8_t)i);
		outb(VGA_GC_INDEX + 1, gc_mode3[i]);
	}
	(void)inb(VGA_INSTAT_1);
	for (i = 0; i < sizeof(ac_mode3); i++) {
		outb(VGA_AC_INDEX, (uint8_t)i);
		outb(VGA_AC_INDEX, ac_mode3[i]);
	}
	(void)inb(VGA_INSTAT_1);
	outb(VGA_AC_INDEX, 0x20);		/* palette access off: the screen shows again */
}

static unsigned int cursor_get(void)
{
	unsigned int pos;

	outb(VGA_CRTC_INDEX, 0x0e);
	pos = (unsigned int)inb(VGA_CRTC_INDEX + 1) << 8;
	outb(VGA_CRTC_INDEX, 0x0f);
	pos |= inb(VGA_CRTC_INDEX + 1);
	return pos < 80 * 25 ? pos : 0;
}

static void cursor_set(unsigned int pos)
{
	outb(VGA_CRTC_INDEX, 0x0e);
	outb(VGA_CRTC_INDEX + 1, (uint8_t)(pos >> 8));
	outb(VGA_CRTC_INDEX, 0x0f);
	outb(VGA_CRTC_INDEX + 1, (uint8_t)pos);
}

void vga_write(const char *s, unsigned int len)
{
	volatile uint16_t *cell = (volatile uint16_t *)(uintptr_t)VGA_TEXT_BASE;
	unsigned int pos = cursor_get(), i, k;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			pos += 80 - pos % 80;
		else if (s[i] != '\r')
			cell[pos++] = (uint16_t)(0x0700 | (uint8_t)s[i]);
		if (pos >= 80 * 25) {
			for (k = 0; k < 80 * 24; k++)
				cell[k] = cell[k + 80];
			for (k = 80 * 24; k < 80 * 25; k++)
				cell[k] = 0x0720;
			pos -= 80;
		}
	}
	cursor_set(pos);
}
