/* Kernel A: a flat multiboot image at 1 MiB (QEMU -kernel, address fields). */
#if defined(KJ_ARCH_X86_64)
OUTPUT_FORMAT("elf64-x86-64")
#else
OUTPUT_FORMAT("elf32-i386")
#endif
SECTIONS
{
	. = 0x100000;
	_load_start = .;
	.multiboot : { KEEP(*(.multiboot)) }
	.text : { *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	_load_end = .;
	.bss : { *(.bss .bss.*) *(COMMON) }
	_bss_end = .;
	/DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame) }
}
ASSERT(_bss_end <= 0x1000000, "kernel A must stay below the lowest purgatory load address")
