/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PC as real-mode code finds it (purgatory/pc.c): the low-memory map a
 * BIOS keeps, the chipset ports a BIOS call touches, and reads of firmware
 * structures at physical addresses.
 */
#ifndef KJ_PC_H
#define KJ_PC_H

#include <stdint.h>

#define LOW_MEM_END	0x100000u	/* what real mode reaches */
#define BDA_END		0x500u		/* IVT (0x000-0x3ff) and BIOS data area */
#define BDA_EBDA_SEG	0x40eu		/* segment of the extended BIOS data area */
#define BDA_BASE_KIB	0x413u		/* conventional memory in KiB (int 12h) */
#define ROM_START	0xc0000u	/* option ROMs and the system BIOS */
#define BIOS_DATE	0xffff5u	/* "mm/dd/yy" in every PC-compatible BIOS */

#define PORT_PIC1_CMD	0x20
#define PORT_PIC1_DATA	0x21
#define PORT_PIC2_CMD	0xa0
#define PORT_PIC2_DATA	0xa1
#define PORT_CMOS_INDEX	0x70		/* bit 7 masks NMIs; write-only on PC chipsets */
#define PORT_SYSCTL_A	0x92		/* bit 1 fast A20; bit 0 resets the CPU */
#define CMOS_NMI_OFF	0x80
#define SYSCTL_A20	0x02
#define SYSCTL_RESET	0x01
#define BIOS_PIC_BASE_MASTER	0x08	/* where a BIOS expects IRQ 0-7 */
#define BIOS_PIC_BASE_SLAVE	0x70	/* and IRQ 8-15 */

/*
 * Physical reads of firmware structures. Through asm, because address 0
 * (the IVT entry of vector 0) is a null pointer to the compiler.
 */
uint8_t kj_peek8(uintptr_t addr);
uint16_t kj_peek16(uintptr_t addr);
uint64_t kj_peek64(uintptr_t addr);
/*
 * The end of conventional memory a legacy BIOS leaves to others (below the
 * EBDA), or 0 when there is no legacy BIOS.
 */
uint32_t kj_legacy_bios_memory_end(void);
/* Both 8259s programmed to these vector bases, every IRQ masked. */
void kj_pic_program(uint8_t base_master, uint8_t base_slave);

#endif
