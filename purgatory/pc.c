// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PC as real-mode code finds it (pc.h): used by the BIOS-call service
 * (bios.c) and kexec-tools' real-mode and 32-bit entries (boot16.c).
 */
#include "pc.h"
#include "../lib/io.h"

uint16_t kj_peek16(uintptr_t addr)
{
	uint16_t v;

	__asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

uint8_t kj_peek8(uintptr_t addr)
{
	uint8_t v;

	__asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(addr) : "memory");
	return v;
}

uint64_t kj_peek64(uintptr_t addr)
{
	uint32_t lo, hi;

	__asm__ volatile("movl (%2), %0\n\tmovl 4(%2), %1" : "=&r"(lo), "=&r"(hi) : "r"(addr)
			 : "memory");
	return (uint64_t)hi << 32 | lo;
}

/*
 * A legacy BIOS puts its release date at F000:FFF5 and its conventional
 * memory size (32-640 KiB) in the BIOS data area. UEFI firmware without a
 * compatibility module has neither (measured under OVMF: no date, and
 * nothing behind the IVT). Returns the end of conventional memory the BIOS
 * leaves to others (below the EBDA), or 0 if there is no legacy BIOS.
 */
uint32_t kj_legacy_bios_memory_end(void)
{
	static const char pattern[] = "99/99/99";
	uint32_t kib, end, ebda;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		char c = (char)kj_peek8(BIOS_DATE + i);

		if (pattern[i] == '/' ? c != '/' : (c < '0' || c > '9'))
			return 0;
	}
	kib = kj_peek16(BDA_BASE_KIB);
	if (kib < 32 || kib > 640)
		return 0;
	end = kib * 1024;
	ebda = (uint32_t)kj_peek16(BDA_EBDA_SEG) << 4;
	if (ebda >= BDA_END && ebda < end)
		end = ebda;
	return end;
}

/* ICW1-4: edge triggered, cascaded on IRQ 2, 8086 mode; then all masked. */
void kj_pic_program(uint8_t base_master, uint8_t base_slave)
{
	outb(PORT_PIC1_CMD, 0x11);
	outb(PORT_PIC2_CMD, 0x11);
	outb(PORT_PIC1_DATA, base_master);
	outb(PORT_PIC2_DATA, base_slave);
	outb(PORT_PIC1_DATA, 0x04);
	outb(PORT_PIC2_DATA, 0x02);
	outb(PORT_PIC1_DATA, 0x01);
	outb(PORT_PIC2_DATA, 0x01);
	/* ICW1 cleared the masks: nothing may come through before they are set. */
	outb(PORT_PIC1_DATA, 0xff);
	outb(PORT_PIC2_DATA, 0xff);
}
