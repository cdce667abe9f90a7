/* SPDX-License-Identifier: GPL-2.0-only */
/* Purgatory's internal interfaces: between the arch-neutral core and arch/. */
#ifndef KJ_PURGATORY_H
#define KJ_PURGATORY_H

#include <stdint.h>
#include <kjump/params.h>

#define noreturn __attribute__((noreturn))

/* How control arrived; set by the entry stubs in arch/<arch>/entry.asm. */
enum kj_entry {
	KJ_ENTRY_START = 1,	/* purgatory_start: A's first call */
	KJ_ENTRY_FROM_A = 2,	/* kjump_entry_from_a: A's later calls */
	KJ_ENTRY_FROM_B = 3,	/* kjump_entry_from_b: every call from B */
	KJ_ENTRY_B_RETURNED = 4,/* B executed ret at its boot entry */
	KJ_ENTRY_BIOS_CALL = 5,	/* kjump_bios_call: a kernel calls the BIOS-call service */
};

extern struct kjump_params kjump_params;
extern struct kjump_cpu kj_incoming;	/* the caller, saved by the entry stub */

/* Image bounds and entry labels (linker script and entry.asm). */
extern char _image_start[], _image_end[];
extern char purgatory_start[], kjump_entry_from_a[], kjump_entry_from_b[];
extern char kjump_b_returned[], kjump_bios_call[];

/* purgatory/transition.c: called by every entry stub, on purgatory's stack. */
noreturn void kjump_enter(unsigned int entry);

/* purgatory/transition.c: a status code in words, for log lines. */
const char *kj_status_name(int status);

/*
 * purgatory/bios.c: the BIOS-call service. kj_bios_save_caller runs before
 * anything reloads a selector; kj_bios_enter gets the status of the checks
 * every entry shares and returns to the caller with the call's status.
 */
void kj_bios_save_caller(void);
noreturn void kj_bios_enter(int status);
/* KJ_FLAG_BIOS_LIST: run the list at addr (A's kexec -e); KJ_OK or the status that stopped it. */
int kj_bios_run_list(uint64_t addr);

/* purgatory/console.c: take the console settings of a block that passed its check. */
void kj_console_use(const struct kjump_params *p);
void kj_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void kj_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * purgatory/elfcore.c: the header address to hand to B, or 0 if it fails.
 * size is what the header may span (the caller applies the default).
 */
uint64_t kj_check_elfcorehdr(uint64_t addr, uint64_t size);
#define KJ_ELFCOREHDR_DEFAULT_SIZE	(64u * 1024)

/* The index-th PT_NOTE (address, size) of an accepted header; 0 if none. */
int kj_elfcore_note(uint64_t hdr, unsigned int index, uint64_t *addr, uint64_t *size);

/*
 * purgatory/crashnote.c: fill the first empty CPU note of the header with A's
 * registers (after arch_map_commit: it maps the buffer itself), and put the
 * buffer's bytes back before A resumes.
 */
void kj_crash_note_write(uint64_t hdr, const struct kjump_cpu *a);
void kj_crash_note_restore(void);

/*
 * purgatory/lowmem.c: the low memory a preserve-context B borrows from A
 * (kexec-tools' backup region without panic_kernel). Check (KJ_OK or
 * KJ_EBACKUP, with a console line) and map before the commit; save A's copy
 * before B's boot, swap at every later transition.
 */
int kj_lowmem_borrowed(const struct kjump_params *p);
int kj_lowmem_check(const struct kjump_params *p);
int kj_lowmem_map(const struct kjump_params *p);
void kj_lowmem_save(const struct kjump_params *p);
void kj_lowmem_swap(const struct kjump_params *p);

/*
 * purgatory/onecpu.c: log the entries the stubs turned away because this
 * CPU was inside (KJ_EBUSY); and let the next CPU in, for an exit that
 * leaves through code that is not purgatory's own (the real-mode and 32-bit
 * boots of B; arch_resume, arch_boot and the BIOS return clear it in asm).
 */
void kj_report_busy(void);
void kj_cpu_leave(void);

/* purgatory/digest.c: KJ_OK, or KJ_EDIGEST when the loaded segments changed. */
int kj_verify_segments(const struct kjump_params *p);

/*
 * purgatory/restore.c: check the restore image named in p, write A's memory
 * from it and mark B lost; any failed check halts with a message, before
 * anything is written.
 */
void kj_restore_a(struct kjump_params *p);

/* purgatory/cmdline.c */
void kj_append_jump_back_entry(unsigned long cmdline_end, unsigned long entry);
/*
 * kexec-tools names the ELF core header only on B's command line
 * (elfcorehdr=): find it through B's boot_params. 0 if there is none;
 * *size is the size given with it, or 0.
 */
uint64_t kj_cmdline_elfcorehdr(unsigned long boot_params, unsigned long cmdline_end,
			       uint64_t *size);

/* purgatory/range.c: address checks shared by every checker. */
/*
 * The words around a caller's stack pointer S that purgatory may write:
 * the entry stubs use [S-8, S) on x86_64 and [S-12, S) on i386; a resume,
 * a refusal with KJ_EBUSY or a BIOS call's return writes within [S-32, S+8)
 * on x86_64 and [S-16, S+4) on i386. [S - 4 words, S + 2 words) covers them.
 */
#define KJ_STACK_BELOW	(4 * sizeof(long))
#define KJ_STACK_ABOVE	(2 * sizeof(long))
int kj_overlaps_image(uint64_t addr, uint64_t len);
/* [addr, addr + len) lies below limit, without overflow. */
static inline int kj_below(uint64_t addr, uint64_t len, uint64_t limit)
{
	return addr < limit && len <= limit - addr;
}
/* kj_below(addr, len, arch_phys_limit()). */
int kj_reachable(uint64_t addr, uint64_t len);
int kj_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen);

/* --- Implemented per arch, in arch/<arch>/ --- */

/*
 * purgatory/tables.c: builds purgatory's GDT and IDT for the address it
 * runs at and loads them and purgatory's own flat CS and SS
 * (kj_load_tables_bridged), so that an iret (NMI) finds them in
 * purgatory's GDT. The caller's GDTR, IDTR and selectors are saved in
 * kj_incoming.
 */
void kj_load_tables(void);
/* First physical address purgatory cannot reach. */
uint64_t arch_phys_limit(void);
/* 0, or KJ_EPAGING when the caller's paging state is not one we handle. */
int arch_check_paging(const struct kjump_cpu *caller);
/*
 * SSE for the SHA extensions (arch/x86/simd.c): whether the CPU has what
 * kj_sha256_ni_blocks needs, and, around its use, the caller's CR0 and CR4
 * saved and SSE enabled (begin returns 0 and changes nothing without them).
 */
struct kj_simd_state {
	unsigned long cr0, cr4;
};
int kj_sha_ni_usable(void);
int kj_simd_begin(struct kj_simd_state *s);
void kj_simd_end(const struct kj_simd_state *s);
/*
 * Purgatory's own identity map (x86_64; on i386 only the checks, paging is
 * off): begin, add ranges, then commit loads it. 0 or KJ_EMAP. A range added
 * after a commit is live once arch_map_commit is called again. A range
 * longer than KJ_MAP_RANGE_MAX, or beyond arch_phys_limit(), is KJ_EMAP; a
 * map holds at most KJ_MAP_RANGES ranges, purgatory itself counted (the
 * most any path adds is listed in docs/protocol.md), which is what lets the
 * page-table pool be sized so that it cannot run out.
 */
#define KJ_MAP_RANGES		9u
#define KJ_MAP_RANGE_MAX	(2ull << 20)
void arch_map_begin(void);
/* x86_64: CR3 (arch/x86_64/cpu.c); idmap.c's only privileged instructions. */
void arch_write_cr3(uint64_t cr3);
uint64_t arch_read_cr3(void);
int arch_map(uint64_t addr, uint64_t len);
void arch_map_commit(void);
/*
 * Whether purgatory can read (and, with write, write) [addr, addr + len)
 * under the page tables in use now, found out by trying; never faults.
 */
int arch_accessible(uint64_t addr, uint64_t len, int write);
/* Whether the target runs with the same paging depth as purgatory's map. */
int arch_compatible(const struct kjump_cpu *target);

/*
 * Resume a side at cpu->reentry on its own stack, as if purgatory code at
 * return_label had called it (see docs/protocol.md for the exact frame).
 * Restores its callee-saved registers, flags, GDTR and IDTR, and its CS
 * and SS selectors (kj_resume_selectors). cr3 != 0 is loaded first
 * (x86_64); 0 keeps purgatory's map.
 */
noreturn void arch_resume(const struct kjump_cpu *cpu, long status,
			  unsigned long arg, unsigned long aux,
			  unsigned long return_label, unsigned long cr3);

/*
 * purgatory/bridge_gdt.c. kj_load_tables_bridged loads kj_gdt and kj_idt
 * (built by kj_load_tables) and purgatory's CS and SS, crossing from
 * the caller's through a bridge GDT. kj_resume_selectors, arch_resume's
 * helper, crosses back: it loads the bridge GDT that gives cpu its CS and
 * SS and returns them, packed as CS | SS << 16, for arch_resume to load.
 */
void kj_load_tables_bridged(const struct kjump_cpu *caller);
uint32_t kj_resume_selectors(const struct kjump_cpu *cpu);
/* Far-returns to cs and loads ss, in the GDT loaded now (arch/<arch>/cpu.c). */
void arch_load_cs_ss(unsigned int cs, unsigned int ss);

/*
 * kexec-tools' real-mode entry (purgatory/bios.c): entry16 is the address
 * it names in entry32_regs.eip; the check says whether entry16_regs can be
 * started (KJ_OK, or a status after a console line), and the boot does it.
 */
noreturn void entry16(void);
int kj_real_mode_check(const struct kjump_regs16 *r);
noreturn void kj_boot_real_mode(const struct kjump_regs16 *r);
#if defined(__x86_64__)
/* The same for kexec-tools' 32-bit entry (entry32_regs) under x86_64. */
int kj_protected32_check(void);
noreturn void kj_boot_protected32(const struct kjump_regs32 *r);
#endif

/*
 * Boot B with the loader's register block, under the page tables in cr3
 * (x86_64: A's, which the kexec ABI promises cover B's image). When
 * pass_arg, arg reaches B as its first C argument. A ret from B's entry
 * lands at return_label.
 */
noreturn void arch_boot(const void *regs, unsigned long arg, int pass_arg,
			unsigned long return_label, unsigned long cr3);

noreturn void arch_halt(void);

#endif
