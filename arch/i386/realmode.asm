; SPDX-License-Identifier: GPL-2.0-only
;
; i386 BIOS calls: the way from purgatory's flat 32-bit protected mode
; (paging off) down to the shared real-mode code and back, and the return
; to the caller. The layers:
;
;   purgatory (flat 32-bit)            arch_bios_call: the area's GDT
;     -> flat 32-bit code in the area  rm_pm32_down (realmode16.inc)
;     -> 16-bit protected, real mode, the interrupt, and back up to
;     -> flat 32-bit code in the area  rm_pm32_up_arch
;   purgatory (flat 32-bit)            .back in arch_bios_call
;
; What each step changes is put back by the step that mirrors it, and the
; caller's own state (GDTR, IDTR, CR0, CR3, CR4, selectors, EFLAGS) by
; arch_bios_return from what the entry saved.

bits 32

%include "asm-offsets.inc"
%include "selectors.inc"
%include "cpu_state.inc"

extern _GLOBAL_OFFSET_TABLE_
extern kjump_params
extern kj_resume_selectors

; Offset of a blob label inside the area (the blob is copied to its start).
%define RM(label)	((label) - kj_rm_blob)

%define GPR(n)		(CPU_GPR + (n) * 4)

section .text

; void arch_bios_call(unsigned long area): the area is filled in.
global arch_bios_call:function
arch_bios_call:
	mov	eax, [esp + 4]			; area
	push	ebx
	push	esi
	push	edi
	push	ebp
	sub	esp, 16
	sgdt	[esp]
	sidt	[esp + 8]
	mov	edi, eax
	mov	[edi + RMD_RETURN_SP], esp
	mov	dword [edi + RMD_RETURN_SP + 4], 0
	call	.here
.here:
	pop	eax
	add	eax, .back - .here
	mov	[edi + RMD_RETURN_IP], eax
	mov	dword [edi + RMD_RETURN_IP + 4], 0
	lgdt	[edi + RMD_GDTR]
	lidt	[edi + RMD_NMI_IDTR]		; an NMI handler for every mode from here
	lea	eax, [edi + RM(rm_pm32_down)]
	push	dword KJ_RM_SEL_CODE32
	push	eax
	retf

.back:
	; Purgatory's code again (CS = KJ_RM_SEL_CODE = KJ_GDT_CODE), its stack.
	; The IDT first: purgatory's gates name 0x10, flat code in both GDTs,
	; while the NMI table's name 0x08, which purgatory's GDT need not have.
	lidt	[esp + 8]
	lgdt	[esp]
	add	esp, 16
	LOAD_OWN_DATA_SELECTORS
	pop	ebp
	pop	edi
	pop	esi
	pop	ebx
	ret

; void arch_bios_return(const struct kjump_cpu *cpu,
;                       const struct kj_caller_segs *segs, long status)
;
; Back to the caller as from an ordinary function: %eax = status, its
; callee-saved registers, %esp above its return address, and its CPU state
; as the entry found it. %ecx and %edx are zeroed. The iret frame goes in
; the three words below the caller's %esp + 4, [S-8, S+4): the entry stub
; already used [S-12, S), and S held the return address, now consumed.
; The caller's SS must be flat (base 0), as every i386 kernel's is.
global arch_bios_return:function
arch_bios_return:
	; In an order that keeps every NMI deliverable (docs/bios.md, "NMIs";
	; tests/qemu/bios-nmi.t stops at each labelled step): the caller's
	; control registers first, while purgatory's IDT and GDT stay live;
	; then its CS and SS through the bridge GDT, as arch_resume does
	; (purgatory/bridge_gdt.c); then its IDT, whose gates name its CS, flat
	; in the bridge table; its GDT last.
	mov	ebx, [esp + 4]			; cpu
	mov	ecx, [ebx + CPU_CR4]
	mov	cr4, ecx
	mov	ecx, [ebx + CPU_CR3]
	mov	cr3, ecx
	mov	ecx, [ebx + CPU_CR0]
	mov	cr0, ecx
after_caller_paging:
	push	ebx
	call	kj_resume_selectors		; eax = CS | SS << 16
	add	esp, 4
	LOAD_CS_SS_PACKED
after_caller_cs:
	mov	ebx, [esp + 4]			; cpu
	mov	esi, [esp + 8]			; segs
	mov	eax, [esp + 12]			; status, kept in eax from here on
	lidt	[ebx + CPU_IDTR + DTR_LIMIT]
after_caller_idt:
	lgdt	[ebx + CPU_GDTR + DTR_LIMIT]
after_caller_gdt:
	mov	edx, [ebx + GPR(6)]		; S: where the return address is
	mov	ecx, [ebx + CPU_REENTRY]
	mov	[edx - 8], ecx			; eip
	movzx	ecx, word [esi + SEGS_CS]
	mov	[edx - 4], ecx			; cs
	mov	ecx, [ebx + CPU_FLAGS]
	mov	[edx], ecx			; eflags
	mov	ss, [esi + SEGS_SS]
	lea	esp, [edx - 8]
	; DS, ES, FS and GS only if real mode changed them (purgatory/bios.c
	; checked they load); a refusal leaves them as the caller had them,
	; loadable or not.
	cmp	word [esi + SEGS_RELOAD_DATA], 0
	je	.keep_data
	mov	es, [esi + SEGS_ES]
	mov	fs, [esi + SEGS_FS]
	mov	gs, [esi + SEGS_GS]
	movzx	ecx, word [esi + SEGS_DS]
	mov	esi, [ebx + GPR(4)]
	mov	edi, [ebx + GPR(5)]
	mov	ebp, [ebx + GPR(7)]
	mov	ebx, [ebx + GPR(1)]
	mov	ds, ecx				; last: everything above read through ours
	jmp	.regs_done
.keep_data:
	mov	esi, [ebx + GPR(4)]
	mov	edi, [ebx + GPR(5)]
	mov	ebp, [ebx + GPR(7)]
	mov	ebx, [ebx + GPR(1)]
.regs_done:
	; The next CPU may come in: the frame is on the caller's stack, and
	; nothing of purgatory's is read from here on. Purgatory's address
	; from a call/pop on the caller's stack ([S-12, S-8), inside what the
	; entry checks allow), written through SS, which must be flat.
	call	.got
.got:
	pop	ecx
	add	ecx, _GLOBAL_OFFSET_TABLE_ + $$ - .got wrt ..gotpc
	mov	dword [ss:ecx + (kjump_params + PARAMS_CPU_INSIDE) wrt ..gotoff], 0
	xor	ecx, ecx
	xor	edx, edx
	iretd

; The blob copied to the area; see arch/x86_64/realmode.asm.
section .rodata.realmode progbits alloc noexec nowrite align=16
global kj_rm_blob:data
global kj_rm_blob_end:data
kj_rm_blob:

%include "realmode16.inc"

bits 32
rm_pm32_up_arch:
	; Flat 32-bit protected mode, ebx = area: back to purgatory's code.
	mov	esp, [ebx + RMD_RETURN_SP]
	push	dword KJ_RM_SEL_CODE
	push	dword [ebx + RMD_RETURN_IP]
	retf

kj_rm_blob_end:
