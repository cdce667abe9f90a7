; SPDX-License-Identifier: GPL-2.0-only
;
; x86_64 entry and exit paths of purgatory: only what cannot be C.
;
; Entry: a kernel reaches purgatory by `call` in long mode, interrupts off,
; with the word at 0(%rsp) being where it wants to be resumed. Purgatory has
; one copy of its state, so one CPU at a time may be inside: each stub first
; pushes the caller's RFLAGS on the caller's stack (the only instruction
; before the lock that writes anything) and takes kjump_params.cpu_inside
; with `lock bts`. A CPU that finds it taken touches nothing else of
; purgatory's (busy_refuse). Then every register of the caller is saved in
; kj_incoming so that the C core can judge the call and, whatever it
; decides, hand the caller back its own state. Only the word below the
; caller's %rsp is written (RFLAGS, as an interrupt would push them).
;
; Exit: arch_resume and arch_boot "call" the target by pushing a purgatory
; return label and jumping (push/ret), so the target finds that label on top
; of its stack exactly as if purgatory code had executed `call`.

bits 64
default rel

%include "asm-offsets.inc"
%include "cpu_state.inc"
%include "selectors.inc"

extern kj_incoming
extern kjump_enter
extern kjump_params
extern kj_resume_selectors


%define IN(field)	kj_incoming + field

section .text.entry progbits alloc exec nowrite align=16

; Purgatory's own RFLAGS, loaded as soon as the caller's are saved, through
; the word the stub's pushfq used: IF, TF, NT, AC, DF and the rest clear
; (only the reserved bit 1 set). A caller's TF would single-step purgatory
; into its own 32-entry IDT, NT would make an iretq (an NMI's return)
; fault, IF would take the first interrupt through that IDT, and C code
; assumes DF=0. The caller's come back at resume.
%macro KNOWN_FLAGS 0
	push	qword 2
	popfq
%endmacro

; JNZ_ANY target, regs...: jumps to target when any of regs is nonzero
; (flags change). purgatory_start uses it on every general register but %rsp.
; Linux enters purgatory_start without preserve context by `ret` with every
; general register zeroed; with preserve context by `call *%rdx`, %rdx
; being purgatory_start. Before 6.14 the one-way entry also left a 0 where
; the re-entry word would be; 6.14 to 7.0 (until upstream 786a45757dcd)
; pushed nothing, so %rsp is the end of the control page and the word
; there is whatever follows it, possibly unmapped: purgatory_start must
; not read it then.
%macro JNZ_ANY 2-*
%xdefine %%target %1
%rep %0 - 1
%rotate 1
	test	%1, %1
	jnz	%%target
%endrep
%endmacro


; name, entry kind (enum kj_entry), whether 0(%rsp) holds a re-entry word
; (2: only when some general register is nonzero, see JNZ_ANY)
%macro ENTRY_STUB 3
global %1:function
%1:
	pushfq				; before lock bts changes CF
	lock bts dword [kjump_params + PARAMS_CPU_INSIDE], 0
%if %3
	jc	%%busy
%else
	jc	busy_halt
%endif
	mov	[IN(GPR(0))], rax
	pop	rax
	mov	[IN(CPU_FLAGS)], rax	; the caller's RFLAGS; %rsp is the caller's again
	KNOWN_FLAGS
	mov	[IN(GPR(1))], rbx
	mov	[IN(GPR(2))], rcx
	mov	[IN(GPR(3))], rdx
	mov	[IN(GPR(4))], rsi
	mov	[IN(GPR(5))], rdi
	mov	[IN(GPR(6))], rsp
	mov	[IN(GPR(7))], rbp
	mov	[IN(GPR(8))], r8
	mov	[IN(GPR(9))], r9
	mov	[IN(GPR(10))], r10
	mov	[IN(GPR(11))], r11
	mov	[IN(GPR(12))], r12
	mov	[IN(GPR(13))], r13
	mov	[IN(GPR(14))], r14
	mov	[IN(GPR(15))], r15
%if %3 == 2
	mov	rax, [IN(GPR(0))]
	JNZ_ANY %%word, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	jmp	%%no_word		; Linux's one-way entry: rax = 0, no word read
%%word:
%endif
%if %3
	mov	rax, [rsp]
%else
	mov	eax, 0			; B's ret consumed its return address (mov: flags untouched)
%endif
%%no_word:
	mov	[IN(CPU_REENTRY)], rax
	mov	edi, %2
	jmp	common_entry
%if %3
%%busy:
%if %3 == 2
	JNZ_ANY %%busy_word, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	jmp	busy_halt		; a one-way entry: nothing to refuse to
%%busy_word:
%endif
	lea	rax, [%1]		; where the caller is to find itself called from
	jmp	busy_refuse
%endif
%endmacro

; A's first call: image->start of the kexec image (the ELF entry).
ENTRY_STUB purgatory_start, 1, 2
; A's later calls: purgatory resumes A "from" here, so A records this.
ENTRY_STUB kjump_entry_from_a, 2, 1
; B's calls: its kexec_jump_back_entry=, and where purgatory resumes B from.
ENTRY_STUB kjump_entry_from_b, 3, 1
; B executed `ret` at its boot entry (a program run in physical mode).
ENTRY_STUB kjump_b_returned, 4, 0
; A kernel's call of the BIOS-call service (purgatory/bios.c): an ordinary
; function call, so 0(%sp) is its return address.
ENTRY_STUB kjump_bios_call, 5, 1

common_entry:
	lea	rsp, [kjump_stack_end]	; from here on, only purgatory's stack
	mov	rax, cr0
	mov	[IN(CPU_CR0)], rax
	mov	rax, cr3
	mov	[IN(CPU_CR3)], rax
	mov	rax, cr4
	mov	[IN(CPU_CR4)], rax
	mov	ecx, MSR_EFER
	rdmsr
	shl	rdx, 32
	or	rax, rdx
	mov	[IN(CPU_EFER)], rax
	sgdt	[IN(CPU_GDTR + DTR_LIMIT)]
	sidt	[IN(CPU_IDTR + DTR_LIMIT)]
	SAVE_SELECTORS
	call	kjump_enter		; edi = entry kind; does not return
	ud2

; Another CPU is inside purgatory: refuse this one as refuse() would, with
; KJ_EBUSY, touching nothing of purgatory's but the counter. rax = the
; stub's own address; 0(%rsp) = the caller's RFLAGS, 8(%rsp) = its re-entry
; word. It resumes at that word with %rsp where it was, the stub's address on
; top of its stack (so that calling it again retries), %rax = %rdi =
; KJ_EBUSY, %rdx = 0, %rcx %rsi %r8-%r11 zero, every other register and its
; RFLAGS its own. A 0 word (a one-way entry) has nothing to return to.
busy_refuse:
	cmp	qword [rsp + 8], 0
	je	busy_halt
	lock inc dword [kjump_params + PARAMS_BUSY_REFUSED]
	popfq				; the caller's RFLAGS again
	push	qword [rsp]		; its re-entry word, for the ret below
	mov	[rsp + 8], rax		; the stub where the word was
	mov	rax, KJ_EBUSY
	mov	rdi, rax
	mov	edx, 0			; mov, not xor: RFLAGS are the caller's now
	mov	ecx, 0
	mov	esi, 0
	mov	r8d, 0
	mov	r9d, 0
	mov	r10d, 0
	mov	r11d, 0
	ret

; Another CPU is inside and this one has no re-entry word to be refused to
; (kjump_b_returned, or a one-way purgatory_start): counted, for the CPU
; inside to report, and halted with interrupts off.
busy_halt:
	lock inc dword [kjump_params + PARAMS_BUSY_HALTED]
	jmp	arch_halt

; void arch_resume(const struct kjump_cpu *cpu /*rdi*/, long status /*rsi*/,
;                  unsigned long arg /*rdx*/, unsigned long aux /*rcx*/,
;                  unsigned long return_label /*r8*/, unsigned long cr3 /*r9*/)
;
; The target resumes with: %rsp = its saved %rsp (the slot that held its
; re-entry word), 0(%rsp) = return_label, %rax = status, %rdi = arg,
; %rdx = aux, its own %rbx %rbp %r12-%r15 and RFLAGS, its own GDTR and IDTR;
; %rcx %rsi %r8-%r11 are zero; its CS and SS selectors are its own, their
; descriptors flat (purgatory/bridge_gdt.c).
global arch_resume:function
arch_resume:
	; Its CS and SS first, through the bridge GDT (purgatory/bridge_gdt.c
	; says why), while purgatory's map and stack are still the ones in use.
	push	rdi
	push	rsi
	push	rdx
	push	rcx
	push	r8
	push	r9
	sub	rsp, 8				; the call below on a 16-byte boundary
	call	kj_resume_selectors		; eax = CS | SS << 16
	add	rsp, 8
	pop	r9
	pop	r8
	pop	rcx
	pop	rdx
	pop	rsi
	pop	rdi
	LOAD_CS_SS_PACKED r10
	test	r9, r9
	jz	.keep_cr3
	mov	cr3, r9
.keep_cr3:
	; The target's own EFER: the other kernel may run with other bits (a B
	; without NXE would leave A's first NX fault a reserved-bit fault).
	; LME and LMA stay as they are: both sides run in long mode, and
	; purgatory's own map has no NX bits.
	mov	r10, rdx
	mov	r11, rcx
	mov	ecx, MSR_EFER
	rdmsr
	and	eax, EFER_LME | EFER_LMA
	mov	r9d, [rdi + CPU_EFER]
	and	r9d, ~(EFER_LME | EFER_LMA)
	or	eax, r9d
	mov	edx, [rdi + CPU_EFER + 4]
	wrmsr
	mov	rdx, r10
	mov	rcx, r11
	mov	rax, rsi			; status
	mov	rsi, rdx			; arg, parked
	mov	rdx, rcx			; aux
	mov	rsp, [rdi + GPR(6)]		; the target's own stack
	mov	[rsp], r8			; our label where its re-entry word was
	push	qword [rdi + CPU_REENTRY]	; consumed by the ret below
	push	qword [rdi + CPU_FLAGS]
	; Its descriptor tables come back last: with them loaded, a fault
	; would be the target's to handle, so only register moves follow.
	lgdt	[rdi + CPU_GDTR + DTR_LIMIT]
	lidt	[rdi + CPU_IDTR + DTR_LIMIT]
	LOAD_CALLEE_SAVED rdi
	xor	ecx, ecx
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	mov	rdi, rsi			; arg: first C argument
	xor	esi, esi
	; Nothing of purgatory's is read from here on: the next CPU may come in.
	mov	dword [kjump_params + PARAMS_CPU_INSIDE], 0
	popfq
	ret

; void arch_boot(const struct kjump_regs64 *regs /*rdi*/, unsigned long arg,
;                int pass_arg, unsigned long return_label /*rcx*/,
;                unsigned long cr3 /*r8*/)
;
; Linux's 64-bit boot protocol: flat __BOOT_CS (0x10) and __BOOT_DS (0x18)
; loaded, interrupts off. The C core has already put the header into
; regs->rdi; arg and pass_arg matter only on i386.
global arch_boot:function
arch_boot:
	mov	cr3, r8
	mov	eax, KJ_GDT_DATA
	mov	ds, eax
	mov	es, eax
	mov	ss, eax
	mov	fs, eax
	mov	gs, eax
	lea	rax, [.cs_loaded]
	push	KJ_GDT_CODE64
	push	rax
	o64 retf
.cs_loaded:
	mov	rsp, [rdi + R64_RSP]
	push	rcx				; a ret from B's entry lands here
	push	qword [rdi + R64_RIP]
	push	qword 2				; RFLAGS: only the reserved bit
	mov	rax, [rdi + R64_RAX]
	mov	rbx, [rdi + R64_RBX]
	mov	rcx, [rdi + R64_RCX]
	mov	rdx, [rdi + R64_RDX]
	mov	rsi, [rdi + R64_RSI]
	mov	rbp, [rdi + R64_RBP]
	mov	r8, [rdi + R64_R8]
	mov	r9, [rdi + R64_R9]
	mov	r10, [rdi + R64_R10]
	mov	r11, [rdi + R64_R11]
	mov	r12, [rdi + R64_R12]
	mov	r13, [rdi + R64_R13]
	mov	r14, [rdi + R64_R14]
	mov	r15, [rdi + R64_R15]
	mov	rdi, [rdi + R64_RDI]
	; The next CPU may come in. (kexec-tools boots B on purgatory's own
	; stack_end: the three words popped below are the one thing a CPU
	; entering right now could still overwrite.)
	mov	dword [kjump_params + PARAMS_CPU_INSIDE], 0
	popfq
	ret

%include "halt_stack.inc"
