/* Kernel B: a flat image at B_BASE; its boot stack, command line and mailbox
 * occupy the top of its 256 KiB (tests/qemu/kernel/common/testbed.h). */
#if defined(KJ_ARCH_X86_64)
OUTPUT_FORMAT("elf64-x86-64")
#else
OUTPUT_FORMAT("elf32-i386")
#endif
SECTIONS
{
	. = 0x2000000;
	.text : { KEEP(*(.text.boot)) *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	.bss : { *(.bss .bss.*) *(COMMON) }
	_end = .;
	/DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame) }
}
ASSERT(_end <= 0x2000000 + 0x3b000, "kernel B overlaps its boot stack")
