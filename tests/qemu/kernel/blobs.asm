; SPDX-License-Identifier: GPL-2.0-only
; Kernel A carries the two things it loads: purgatory.bin and kernel B.
section .rodata
align 4096
global purgatory_blob, purgatory_blob_end, kernel_b_blob, kernel_b_blob_end
purgatory_blob:
	incbin PURGATORY_BIN
purgatory_blob_end:
align 16
kernel_b_blob:
	incbin KERNEL_B_BIN
kernel_b_blob_end:
