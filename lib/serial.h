/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KJ_LIB_SERIAL_H
#define KJ_LIB_SERIAL_H

#include <stdint.h>

void serial_init(uint16_t base, uint32_t baud);
void serial_putc(uint16_t base, char c);

#endif
