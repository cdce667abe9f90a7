/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KJ_LIB_VGA_H
#define KJ_LIB_VGA_H

#include <stdint.h>

#define VGA_TEXT_BASE	0xb8000u	/* colour text buffer, 80x25 cells of 2 bytes */
#define VGA_TEXT_BYTES	(80u * 25u * 2u)

/*
 * Put the VGA back into 80x25 colour text mode (mode 3) by its registers,
 * without a BIOS, as kexec-tools' --reset-vga asks purgatory to.
 */
void vga_reset(void);
/* Write at the hardware cursor, scrolling at the bottom; the cursor follows. */
void vga_write(const char *s, unsigned int len);

#endif
