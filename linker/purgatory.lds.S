/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One image, linked at 0 and run wherever it is loaded: every reference in
 * it is PC-relative. The asserts at the end prove it: a pointer stored in
 * data would need a dynamic relocation, and a non-hidden symbol a GOT slot.
 *
 * The image starts with struct kjump_header (include/kjump/abi.h), written
 * here because only the linker knows the offsets it holds.
 */
#if defined(KJ_ARCH_X86_64)
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
#define ARCH_ID 62
#define GOT_PLT_RESERVED 24
#else
OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
#define ARCH_ID 3
#define GOT_PLT_RESERVED 12
#endif

ENTRY(purgatory_start)

SECTIONS
{
	. = 0;
	_image_start = .;

	.header : {
		BYTE(0x4b) BYTE(0x4a) BYTE(0x55) BYTE(0x4d)	/* "KJUM" */
		BYTE(0x50) BYTE(0x50) BYTE(0x47) BYTE(0x31)	/* "PPG1" */
		LONG(1)						/* abi_version */
		LONG(56)					/* header_size */
		LONG(ARCH_ID)
		LONG(_image_end - _image_start)			/* image_size */
		LONG(4096)					/* load_align */
		LONG(purgatory_start - _image_start)
		LONG(kjump_entry_from_a - _image_start)
		LONG(kjump_entry_from_b - _image_start)
		LONG(kjump_params - _image_start)
		LONG(SIZEOF(.params))
		LONG(kjump_stack_end - _image_start)
		LONG(kjump_bios_call - _image_start)
	}

	.text : {
		*(.text.entry)
		*(.text .text.*)
	}
	.rodata : { *(.rodata .rodata.*) }

	. = ALIGN(64);
	.params : { KEEP(*(.data.kjparams)) }
	/*
	 * Zero-initialised data stays in the file (-fno-zero-initialized-in-bss
	 * and the .bss patterns here): the image must run with no loader step
	 * that zeroes, and kexec-tools cannot set a symbol that lives in NOBITS.
	 * Only the scratch below (.nobits) is left out.
	 */
	/* i386 GOT-relative addressing needs the GOT's address, never its contents. */
	.got.plt : { *(.got.plt) }
	.got : { *(.got) }
	.data : {
		*(.data .data.*)
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);	/* inside the section, so the file holds the padding */
	}
	/*
	 * Scratch memory: the stack, the page-table pools, the real-mode
	 * boot area. Part of the image in memory (image_size counts it) but
	 * not of the file: purgatory.bin ends with .data, and purgatory.ro
	 * has it as a NOBITS section that kexec-tools places the same way
	 * (at the next 4 KiB boundary after the file's bytes). Nothing in it
	 * may be assumed zero; no symbol kexec-tools sets may live in it.
	 */
	.nobits (NOLOAD) : ALIGN(4096) {
		*(.nobits.pagetables)
		*(.nobits .nobits.*)
	}
	_image_end = .;

	.rela.dyn : { *(.rela.*) }
	.rel.dyn : { *(.rel.*) }
	.dynamic : { *(.dynamic) }
	.dynsym : { *(.dynsym) }
	.dynstr : { *(.dynstr) }
	.hash : { *(.hash) }
	.gnu.hash : { *(.gnu.hash) }

	/DISCARD/ : {
		*(.interp) *(.note .note.*) *(.comment) *(.eh_frame) *(.eh_frame_hdr)
		*(.plt) *(.plt.*) *(.iplt)
	}
}

ASSERT(SIZEOF(.got) == 0, "purgatory must not use a GOT: mark symbols hidden")
ASSERT(SIZEOF(.got.plt) == 0 || SIZEOF(.got.plt) == GOT_PLT_RESERVED,
       "purgatory must not call through a PLT")
ASSERT(SIZEOF(.rela.dyn) == 0, "purgatory must have no dynamic relocations")
ASSERT(SIZEOF(.rel.dyn) == 0, "purgatory must have no dynamic relocations")
ASSERT(_image_start == 0, "purgatory is linked at 0")
ASSERT(kj_rm_blob_end - kj_rm_blob <= 0x600, "BIOS-call blob larger than its place in the area (KJ_RM_CODE_MAX)")
