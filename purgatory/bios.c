// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BIOS-call service (docs/bios.md): a kernel hands purgatory a struct
 * kjump_bios_call, purgatory checks everything it is about to trust, runs
 * the interrupt in real mode from the caller's low-memory area, and returns
 * the interrupt's registers.
 *
 * This file is the arch-neutral part: the checks, the area's contents, and
 * the platform state around the call (PICs, A20, NMI mask). The mode
 * switches are arch/<arch>/realmode.asm and arch/x86/realmode16.inc; the
 * caller's CPU state is saved by the entry stub and given back by
 * arch_bios_return.
 */
#include "kjump.h"
#include "realmode.h"
#include "../arch/x86/descriptors.h"
#include "../lib/io.h"
#include "../lib/string.h"

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

/* Arithmetic flags a caller may pass in: CF PF AF ZF SF OF. */
#define FLAGS_PASSED	0x08d5u
#define FLAGS_RESERVED	0x0002u
#define FLAGS_CF	0x0001u

#define KNOWN_FLAGS	(KJ_BIOS_ESDI_BOUNCE | KJ_BIOS_PIC_BIOS | KJ_BIOS_CONTINUE)

/* The block's layout is the same on both arches; docs/bios.md gives these offsets. */
_Static_assert(sizeof(struct kjump_bios_call) == 136, "call block size");
_Static_assert(__builtin_offsetof(struct kjump_bios_call, data) == 32, "call block layout");
_Static_assert(__builtin_offsetof(struct kjump_bios_call, in) == 48, "call block layout");
_Static_assert(__builtin_offsetof(struct kjump_bios_call, out) == 88, "call block layout");
_Static_assert(__builtin_offsetof(struct kjump_bios_call, status) == 128, "call block layout");

static struct kj_caller_segs caller_segs;

void kj_bios_save_caller(void)
{
	struct kj_caller_segs *s = &caller_segs;

	__asm__ volatile("mov %%cs, %0" : "=m"(s->cs));
	__asm__ volatile("mov %%ss, %0" : "=m"(s->ss));
	__asm__ volatile("mov %%ds, %0" : "=m"(s->ds));
	__asm__ volatile("mov %%es, %0" : "=m"(s->es));
	__asm__ volatile("mov %%fs, %0" : "=m"(s->fs));
	__asm__ volatile("mov %%gs, %0" : "=m"(s->gs));
	arch_bios_save_bases(s);
}

/*
 * Physical reads of firmware structures. Through asm, because address 0 (the
 * IVT entry of vector 0) is a null pointer to the compiler.
 */
static uint16_t peek16(uintptr_t addr)
{
	uint16_t v;

	__asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static uint8_t peek8(uintptr_t addr)
{
	uint8_t v;

	__asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(addr) : "memory");
	return v;
}

static uint64_t peek64(uintptr_t addr)
{
	uint32_t lo, hi;

	__asm__ volatile("movl (%2), %0\n\tmovl 4(%2), %1" : "=&r"(lo), "=&r"(hi) : "r"(addr)
			 : "memory");
	return (uint64_t)hi << 32 | lo;
}

/*
 * Whether a selector of the caller's can be loaded again from its GDT:
 * returning from a call reloads CS and SS always, and DS, ES, FS and GS
 * after real mode changed them. A kernel that loaded a selector itself
 * has it in its GDT; a selector cached from an earlier GDT (firmware's)
 * would fault on reload, so it is checked before anything changes.
 */
enum sel_use { SEL_CODE, SEL_STACK, SEL_DATA };

#define DESC_PRESENT	(1ull << 47)
#define DESC_CODE_DATA	(1ull << 44)
#define DESC_EXEC	(1ull << 43)
#define DESC_RW		(1ull << 41)	/* writable data, readable code */

static int selector_loadable(uint16_t sel, enum sel_use use, const struct kjump_dtr *gdtr)
{
	uint64_t d;

	if (!(sel & ~3u))	/* null: fine in a data register; in SS only in 64-bit mode */
		return use == SEL_DATA || (use == SEL_STACK && sizeof(long) == 8);
	if ((sel & 4) || (uint32_t)(sel | 7) > gdtr->limit)
		return 0;	/* LDT selectors are not followed */
	d = peek64(gdtr->base + (sel & ~7u));
	if ((d & (DESC_PRESENT | DESC_CODE_DATA)) != (DESC_PRESENT | DESC_CODE_DATA))
		return 0;
	switch (use) {
	case SEL_CODE:
		return (d & DESC_EXEC) != 0;
	case SEL_STACK:
		return !(d & DESC_EXEC) && (d & DESC_RW);
	default:
		return !(d & DESC_EXEC) || (d & DESC_RW);
	}
}

/* Whether [a, a + alen) and [b, b + blen) meet; either may end at 2^64. */
static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && (a >= b ? a - b < blen : b - a < alen);
}

/*
 * Whether the area would overwrite what the way back needs: the caller's
 * GDT and IDT (reloaded from their linear addresses) and the words around
 * its stack pointer (the return frame). Compared as linear addresses: the
 * area is physical, and equal to linear wherever the caller can see it.
 */
static int over_caller(uint64_t area)
{
	const struct kjump_cpu *in = &kj_incoming;

	return overlaps(area, KJ_BIOS_AREA_SIZE, in->gdtr.base, in->gdtr.limit + 1ull) ||
	       overlaps(area, KJ_BIOS_AREA_SIZE, in->idtr.base, in->idtr.limit + 1ull) ||
	       overlaps(area, KJ_BIOS_AREA_SIZE, in->gpr[KJ_SP] - KJ_STACK_BELOW,
			KJ_STACK_BELOW + KJ_STACK_ABOVE);
}

/*
 * A legacy BIOS puts its release date at F000:FFF5 and its conventional
 * memory size (32-640 KiB) in the BIOS data area. UEFI firmware without a
 * compatibility module has neither (measured under OVMF: no date, and
 * nothing behind the IVT). Returns the end of conventional memory the BIOS
 * leaves to others (below the EBDA), or 0 if there is no legacy BIOS.
 */
static uint32_t legacy_bios_memory_end(void)
{
	static const char pattern[] = "99/99/99";
	uint32_t kib, end, ebda;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		char c = (char)peek8(BIOS_DATE + i);

		if (pattern[i] == '/' ? c != '/' : (c < '0' || c > '9'))
			return 0;
	}
	kib = peek16(BDA_BASE_KIB);
	if (kib < 32 || kib > 640)
		return 0;
	end = kib * 1024;
	ebda = (uint32_t)peek16(BDA_EBDA_SEG) << 4;
	if (ebda >= BDA_END && ebda < end)
		end = ebda;
	return end;
}

/* Platform state the call touches, as it was before (what can be read back). */
struct platform_state {
	uint8_t pic_master_mask;	/* OCW1: the IMRs are readable */
	uint8_t pic_slave_mask;
	uint8_t sysctl_a;		/* port 0x92, for A20 */
};

/* ICW1-4: edge triggered, cascaded on IRQ 2, 8086 mode; then all masked. */
static void pic_program(uint8_t base_master, uint8_t base_slave)
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

static void platform_enter(const struct kjump_bios_call *c, struct platform_state *s)
{
	/* NMIs off first: a transition half done has no handler for one. */
	outb(PORT_CMOS_INDEX, CMOS_NMI_OFF);
	s->pic_master_mask = inb(PORT_PIC1_DATA);
	s->pic_slave_mask = inb(PORT_PIC2_DATA);
	s->sysctl_a = inb(PORT_SYSCTL_A);
	/* Real-mode code may touch memory above 1 MiB (int 15h/87h): A20 on. */
	outb(PORT_SYSCTL_A, (uint8_t)((s->sysctl_a | SYSCTL_A20) & ~SYSCTL_RESET));
	if (c->flags & KJ_BIOS_PIC_BIOS) {
		pic_program(BIOS_PIC_BASE_MASTER, BIOS_PIC_BASE_SLAVE);
		outb(PORT_PIC1_DATA, (uint8_t)c->pic_mask_call);
		outb(PORT_PIC2_DATA, (uint8_t)(c->pic_mask_call >> 8));
	} else {
		/* The caller's vector bases mean nothing to the BIOS: mask everything. */
		outb(PORT_PIC1_DATA, 0xff);
		outb(PORT_PIC2_DATA, 0xff);
	}
}

static void platform_leave(const struct kjump_bios_call *c, const struct platform_state *s)
{
	uint8_t sysctl = inb(PORT_SYSCTL_A);

	if (c->flags & KJ_BIOS_PIC_BIOS)
		pic_program(c->pic_base_master, c->pic_base_slave);
	outb(PORT_PIC1_DATA, s->pic_master_mask);
	outb(PORT_PIC2_DATA, s->pic_slave_mask);
	outb(PORT_SYSCTL_A, (uint8_t)(((sysctl & ~SYSCTL_A20) | (s->sysctl_a & SYSCTL_A20)) &
				      ~SYSCTL_RESET));
	/* Last: it may let NMIs in again. */
	outb(PORT_CMOS_INDEX, c->cmos_index);
}

/* A descriptor with base = the area and a 64 KiB limit: 16-bit code or data. */
static uint64_t seg16(uint32_t base, uint8_t access)
{
	return 0xffffull | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)access << 40 |
	       (uint64_t)(base >> 24) << 56;
}

/* An interrupt gate's first 8 bytes (the 64-bit one adds offset >> 32, here 0). */
static uint64_t nmi_gate(uint16_t selector, uint32_t offset)
{
	return (offset & 0xffffull) | (uint64_t)selector << 16 | 0x8eull << 40 |
	       (uint64_t)(offset >> 16) << 48;
}

/* kj_rm_data.nmi_idt (purgatory/realmode.h): vector 2 for every mode of the way. */
static void fill_nmi_idt(struct kj_rm_data *d, uint32_t area)
{
	uint32_t idt = area + KJ_RM_DATA_OFF + (uint32_t)__builtin_offsetof(struct kj_rm_data, nmi_idt);
	uint16_t rm_ptr[2] = { (uint16_t)(kj_rm_nmi16 - kj_rm_blob), (uint16_t)(area >> 4) };
	uint16_t limit = KJ_RM_NMI_IDT_SIZE - 1;
	uint64_t gate;

	memcpy(d->nmi_idt + KJ_RM_NMI_REAL, rm_ptr, sizeof(rm_ptr));
	gate = nmi_gate(KJ_RM_SEL_CODE32, area + (uint32_t)(kj_rm_nmi32 - kj_rm_blob));
	memcpy(d->nmi_idt + KJ_RM_NMI_GATE32, &gate, sizeof(gate));
#if defined(__x86_64__)
	/* KJ_RM_SEL_CODE is 64-bit code in the area's GDT. */
	gate = nmi_gate(KJ_RM_SEL_CODE, area + (uint32_t)(kj_rm_nmi64 - kj_rm_blob));
	memcpy(d->nmi_idt + KJ_RM_NMI_GATE64, &gate, sizeof(gate));
#endif
	memcpy(d->nmi_idtr, &limit, 2);
	memcpy(d->nmi_idtr + 2, &idt, 4);
	d->nmis = 0;
}

static void fill_area(const struct kjump_bios_call *c, uint32_t area, uint16_t ip, uint16_t cs)
{
	struct kj_rm_data *d = (struct kj_rm_data *)(uintptr_t)(area + KJ_RM_DATA_OFF);
	uint32_t gdt = area + KJ_RM_DATA_OFF + (uint32_t)__builtin_offsetof(struct kj_rm_data, gdt);
	uint16_t gdt_limit = sizeof(d->gdt) - 1, ivt_limit = 0x3ff;

	memset((void *)(uintptr_t)area, 0, KJ_RM_STACK_TOP);
	memcpy((void *)(uintptr_t)area, kj_rm_blob, (size_t)(kj_rm_blob_end - kj_rm_blob));
	d->gdt[KJ_RM_SEL_CODE32 / 8] = KJ_DESC_CODE32;
	d->gdt[KJ_RM_SEL_DATA / 8] = KJ_DESC_DATA;
	d->gdt[KJ_RM_SEL_CODE16 / 8] = seg16(area, 0x9a);
	d->gdt[KJ_RM_SEL_DATA16 / 8] = seg16(area, 0x92);
	memcpy(d->gdtr, &gdt_limit, 2);
	memcpy(d->gdtr + 2, &gdt, 4);		/* gdtr[6..9] stay 0: the 64-bit base's upper half */
	memcpy(d->ivtr, &ivt_limit, 2);		/* base 0 */
	fill_nmi_idt(d, area);
	d->target_ip = ip;
	d->target_cs = cs;
	d->in = c->in;
	d->in.eflags = (c->in.eflags & FLAGS_PASSED) | FLAGS_RESERVED;
	if (c->flags & KJ_BIOS_ESDI_BOUNCE) {
		d->in.es = (uint16_t)(c->bounce >> 4);
		d->in.edi = c->bounce & 0xf;
	}
	arch_bios_prepare(area, d);
}

static int refuse_call(const struct kjump_bios_call *c, int status, const char *why)
{
	kj_log("BIOS call int 0x%02x refused: %s; status %d, %s", c->vector & 0xff, why, status,
	       kj_status_name(status));
	return status;
}

/*
 * The block is mapped and its magic and size are right. A call from a list
 * (in_list) returns through arch_resume, after which the kernel reloads its
 * own selectors, so they are not checked; KJ_BIOS_CONTINUE means something
 * only there.
 */
static int bios_call(struct kjump_bios_call *c, int in_list)
{
	struct kjump_params *p = &kjump_params;
	uint64_t block = (uintptr_t)c;
	struct kj_rm_data *d;
	struct platform_state saved;
	uint32_t conv_end, target;
	uint16_t ip, cs;
	int use_bounce;

	if (c->vector > 0xff || (c->flags & ~KNOWN_FLAGS) ||
	    (!in_list && (c->flags & KJ_BIOS_CONTINUE)))
		return refuse_call(c, KJ_EBIOSCALL, "vector above 0xff or unknown flags");
	conv_end = legacy_bios_memory_end();
	if (!conv_end)
		return refuse_call(c, KJ_ENOBIOS, "no legacy BIOS (no date at F000:FFF5 or no "
				   "conventional memory size in the BIOS data area)");
	if ((c->area & (KJ_BIOS_AREA_ALIGN - 1)) || c->area < KJ_BIOS_AREA_ALIGN ||
	    (uint64_t)c->area + KJ_BIOS_AREA_SIZE > conv_end)
		return refuse_call(c, KJ_EAREA, "area not 4 KiB aligned, or not inside conventional "
				   "memory below the EBDA");
	if (kj_overlaps_image(c->area, KJ_BIOS_AREA_SIZE) ||
	    overlaps(c->area, KJ_BIOS_AREA_SIZE, block, sizeof(*c)))
		return refuse_call(c, KJ_EAREA, "area overlaps purgatory or the call block");
	if (over_caller(c->area))
		return refuse_call(c, KJ_EAREA, "area overlaps the caller's GDT, IDT or stack");

	use_bounce = c->bounce || c->bounce_size || c->data_size ||
		     (c->flags & KJ_BIOS_ESDI_BOUNCE);
	if (use_bounce) {
		if (c->bounce < BDA_END || !c->bounce_size ||
		    (uint64_t)c->bounce + c->bounce_size > conv_end)
			return refuse_call(c, KJ_EBOUNCE, "bounce buffer not inside conventional memory "
					   "(0x500 up to the EBDA)");
		if (kj_overlaps_image(c->bounce, c->bounce_size) ||
		    overlaps(c->bounce, c->bounce_size, c->area, KJ_BIOS_AREA_SIZE) ||
		    overlaps(c->bounce, c->bounce_size, block, sizeof(*c)))
			return refuse_call(c, KJ_EBOUNCE, "bounce buffer overlaps purgatory, the area "
					   "or the call block");
		if (c->data_size > c->bounce_size)
			return refuse_call(c, KJ_EBOUNCE, "bounce buffer smaller than data_size");
		if (c->data_size &&
		    (!c->data || kj_overlaps_image(c->data, c->data_size) ||
		     overlaps(c->data, c->data_size, c->area, KJ_BIOS_AREA_SIZE) ||
		     arch_map(c->data, c->data_size) != KJ_OK))
			return refuse_call(c, KJ_EBOUNCE, "data buffer is 0, unreachable, or overlaps "
					   "purgatory or the area");
		arch_map_commit();
	}

	ip = peek16(c->vector * 4);
	cs = peek16(c->vector * 4 + 2);
	target = (uint32_t)cs * 16 + ip;
	if (!target || !(target >= ROM_START || (target >= BDA_END && target < conv_end)) ||
	    target >= LOW_MEM_END || overlaps(target, 1, c->area, KJ_BIOS_AREA_SIZE)) {
		kj_log("IVT entry %u is %04x:%04x (0x%x)", c->vector, cs, ip, target);
		return refuse_call(c, KJ_EVECTOR, "IVT entry is zero or points outside the BIOS "
				   "ROM and conventional memory");
	}

	if (!in_list) {
		static const char names[] = "DSESFSGS";
		const uint16_t sel[4] = { caller_segs.ds, caller_segs.es, caller_segs.fs,
					  caller_segs.gs };
		unsigned int i;

		for (i = 0; i < 4; i++)
			if (!selector_loadable(sel[i], SEL_DATA, &kj_incoming.gdtr)) {
				kj_log("caller's %c%c is 0x%x, which its GDT (base 0x%lx limit 0x%x) "
				       "cannot load again", names[2 * i], names[2 * i + 1], sel[i],
				       kj_incoming.gdtr.base, kj_incoming.gdtr.limit);
				return refuse_call(c, KJ_ESEGMENT, "a data selector could not be "
						   "given back after real mode");
			}
	}

	fill_area(c, c->area, ip, cs);
	if (c->data_size)
		memcpy((void *)(uintptr_t)c->bounce, (const void *)(uintptr_t)c->data, c->data_size);
	platform_enter(c, &saved);
	caller_segs.reload_data = 1;
	arch_bios_call(c->area);
	platform_leave(c, &saved);
	if (c->data_size)
		memcpy((void *)(uintptr_t)c->data, (const void *)(uintptr_t)c->bounce, c->data_size);

	d = (struct kj_rm_data *)(uintptr_t)(c->area + KJ_RM_DATA_OFF);
	p->nmis += d->nmis;
	c->out = d->out;
	c->carry = d->out.eflags & FLAGS_CF;
	p->bios_calls++;
	if (p->flags & KJ_FLAG_TRACE)
		kj_log("BIOS call int 0x%02x ax 0x%04x -> ax 0x%04x cf %u", c->vector,
		       c->in.eax & 0xffff, c->out.eax & 0xffff, c->carry);
	return KJ_OK;
}

noreturn void kj_bios_enter(int status)
{
	unsigned long block = arch_bios_block();
	struct kjump_bios_call *c = (struct kjump_bios_call *)block;
	const struct kjump_dtr *gdtr = &kj_incoming.gdtr;

	caller_segs.reload_data = 0;
	/* Every return reloads these two; if that cannot work there is no return. */
	if (!selector_loadable(caller_segs.cs, SEL_CODE, gdtr) ||
	    !selector_loadable(caller_segs.ss, SEL_STACK, gdtr))
		kj_fatal("BIOS call: the caller's CS 0x%x or SS 0x%x cannot be loaded again from "
			 "its GDT (base 0x%lx limit 0x%x); cannot return", caller_segs.cs,
			 caller_segs.ss, gdtr->base, gdtr->limit);
	if (status == KJ_OK) {
		/* The first MiB holds the IVT, the BDA, the BIOS, the area and the bounce buffer. */
		arch_map_begin();
		if (!block || kj_overlaps_image(block, sizeof(*c)) ||
		    arch_map(block, sizeof(*c)) != KJ_OK || arch_map(0, LOW_MEM_END) != KJ_OK ||
		    arch_map(gdtr->base, (uint64_t)gdtr->limit + 1) != KJ_OK) {
			status = KJ_EBIOSCALL;
			kj_log("BIOS call refused: call block at 0x%lx (or the caller's GDT) is 0, "
			       "unreachable or inside purgatory; status %d", block, status);
			c = 0;
		}
		arch_map_commit();
	}
	if (status == KJ_OK && (c->magic != KJ_BIOS_MAGIC || c->size != sizeof(*c))) {
		kj_log("BIOS call refused: call block at 0x%lx has magic 0x%x size %u (want 0x%x "
		       "and %u); status %d", block, c->magic, c->size, KJ_BIOS_MAGIC,
		       (unsigned int)sizeof(*c), KJ_EBIOSCALL);
		status = KJ_EBIOSCALL;
		c = 0;
	}
	if (status == KJ_OK) {
		status = bios_call(c, 0);
		c->status = status;
	}
	if (status != KJ_OK)
		kjump_params.refused++;
	arch_bios_return(&kj_incoming, &caller_segs, status);
}

/* One console line per call of a list: what a kernel reading it back also gets. */
static void log_list_call(unsigned int i, const struct kjump_bios_list *l,
			  const struct kjump_bios_call *c)
{
	const struct kjump_bios_regs *o = &c->out;

	kj_log("BIOS list %u/%u: int 0x%02x eax 0x%x -> status %d cf %u eax 0x%x ebx 0x%x "
	       "ecx 0x%x edx 0x%x", i + 1, l->count, c->vector, c->in.eax, c->status, c->carry,
	       o->eax, o->ebx, o->ecx, o->edx);
	if (c->status == KJ_OK && c->data_size && c->data_size <= 32) {
		const uint8_t *d = (const uint8_t *)(uintptr_t)c->data;
		char hex[65];
		unsigned int k;

		for (k = 0; k < c->data_size; k++) {
			hex[2 * k] = "0123456789abcdef"[d[k] >> 4];
			hex[2 * k + 1] = "0123456789abcdef"[d[k] & 15];
		}
		hex[2 * k] = 0;
		kj_log("BIOS list %u/%u: data %s", i + 1, l->count, hex);
	}
}

/*
 * A map of purgatory, len bytes of the list at addr and the first MiB,
 * loaded; 0 or KJ_EMAP. Once the list's whole length has been mapped, it
 * can be mapped again.
 */
static int map_list(uint64_t addr, uint64_t len)
{
	int err;

	arch_map_begin();
	err = arch_map(addr, len);
	if (!err)
		err = arch_map(0, LOW_MEM_END);
	if (!err)
		arch_map_commit();
	return err;
}

int kj_bios_run_list(uint64_t addr)
{
	struct kjump_bios_list *l = (struct kjump_bios_list *)(uintptr_t)addr;
	const struct kjump_bios_call *prev = 0;
	unsigned int i;
	int status = KJ_OK;

	if (!addr || kj_overlaps_image(addr, sizeof(*l)) || map_list(addr, sizeof(*l)) != KJ_OK) {
		kj_log("BIOS list at 0x%llx is 0, unreachable or inside purgatory; status %d",
		       (unsigned long long)addr, KJ_EBIOSCALL);
		return KJ_EBIOSCALL;
	}
	if (l->magic != KJ_BIOS_LIST_MAGIC || l->count > KJ_BIOS_LIST_MAX ||
	    kj_overlaps_image(addr, sizeof(*l) + l->count * sizeof(l->calls[0])) ||
	    map_list(addr, sizeof(*l) + l->count * sizeof(l->calls[0])) != KJ_OK) {
		kj_log("BIOS list at 0x%llx has magic 0x%x count %u (want 0x%x, at most %u); "
		       "status %d", (unsigned long long)addr, l->magic, l->count,
		       KJ_BIOS_LIST_MAGIC, KJ_BIOS_LIST_MAX, KJ_EBIOSCALL);
		return KJ_EBIOSCALL;
	}
	l->done = 0;
	for (i = 0; i < l->count; i++) {
		struct kjump_bios_call *c = &l->calls[i];

		/* A fresh map for each call: its data buffer is one more range. */
		if (i)
			map_list(addr, sizeof(*l) + l->count * sizeof(l->calls[0]));

		if (c->magic != KJ_BIOS_MAGIC || c->size != sizeof(*c)) {
			kj_log("BIOS list %u/%u: magic 0x%x size %u; status %d", i + 1, l->count,
			       c->magic, c->size, KJ_EBIOSCALL);
			status = KJ_EBIOSCALL;
			break;
		}
		if (c->flags & KJ_BIOS_CONTINUE) {
			/* The end of a walk is not an error: the list stops here. */
			if (!prev || prev->carry || !prev->out.ebx)
				break;
			c->in.ebx = prev->out.ebx;
		}
		status = bios_call(c, 1);
		c->status = status;
		l->done++;
		log_list_call(i, l, c);
		if (status != KJ_OK)
			break;
		prev = c;
	}
	l->status = status;
	l->runs++;
	kj_log("BIOS list at 0x%llx: %u of %u calls ran, status %d", (unsigned long long)addr,
	       l->done, l->count, status);
	return status;
}

/*
 * kexec-tools' real-mode entry (`kexec --real-mode`): B starts at its
 * 16-bit setup code with entry16_regs, in real mode. kexec-tools asks for it
 * by pointing entry32_regs.eip at purgatory's `entry16`; this purgatory
 * recognises that address at B's boot (purgatory/transition.c) and goes
 * down to real mode the way a BIOS call does, from an area inside its own
 * image (kexec-tools loads purgatory below 640 KiB for --real-mode), then
 * jumps instead of calling. An x86_64 purgatory also takes kexec-tools'
 * 32-bit entry (--entry-32bit) the same way, stopping at flat 32-bit
 * protected mode.
 */
static uint8_t boot16_area[KJ_BIOS_AREA_SIZE] __attribute__((aligned(KJ_BIOS_AREA_ALIGN)));

/* Never run: its address in entry32_regs.eip is the request (see above). */
noreturn void entry16(void)
{
	kj_fatal("entry16 reached as code: B's real-mode entry is started by purgatory itself "
		 "from entry16_regs, not by a jump here");
}

static uint32_t linear16(uint16_t seg, uint32_t off)
{
	return ((uint32_t)seg << 4) + off;
}

int kj_real_mode_check(const struct kjump_regs16 *r)
{
	uint64_t area = (uintptr_t)boot16_area;
	uint32_t ip = linear16(r->cs, r->ip), sp = linear16(r->ss, r->esp);

	if (!legacy_bios_memory_end()) {
		kj_log("real-mode entry refused: no legacy BIOS (no date at F000:FFF5 or no "
		       "conventional memory size in the BIOS data area)");
		return KJ_ENOBIOS;
	}
	if ((uint64_t)area + KJ_BIOS_AREA_SIZE > LOW_MEM_END) {
		kj_log("real-mode entry refused: purgatory (its entry area at 0x%llx) is above what real mode "
		       "reaches (kexec-tools loads it below 640 KiB for --real-mode)",
		       (unsigned long long)area);
		return KJ_ENOENTRY;
	}
	/*
	 * The stack may be purgatory's own: kexec-tools points ss:sp just below
	 * stack_end, and purgatory needs it no more once B runs (every entry
	 * starts afresh at stack_end).
	 */
	if (ip < BDA_END || ip >= ROM_START || kj_overlaps_image(ip, 1) ||
	    r->esp > 0xffff || sp < BDA_END + 16 || sp > ROM_START) {
		kj_log("real-mode entry refused: entry16_regs cs:ip %04x:%04x (want conventional "
		       "memory outside purgatory) or ss:sp %04x:%x (want conventional memory)",
		       r->cs, r->ip, r->ss, r->esp);
		return KJ_ENOENTRY;
	}
	return KJ_OK;
}

/* The entry area filled as for a call with these registers (the caller checked it fits). */
static struct kj_rm_data *entry_area(const struct kjump_bios_regs *in, uint16_t ip, uint16_t cs)
{
	struct kjump_bios_call c;
	uint32_t area = (uint32_t)(uintptr_t)boot16_area;

	memset(&c, 0, sizeof(c));
	c.in = *in;
	fill_area(&c, area, ip, cs);
	return (struct kj_rm_data *)(uintptr_t)(area + KJ_RM_DATA_OFF);
}

noreturn void kj_boot_real_mode(const struct kjump_regs16 *r)
{
	const struct kjump_bios_regs in = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp,
					    r->ds, r->es, r->fs, r->gs, FLAGS_RESERVED };
	struct kj_rm_data *d = entry_area(&in, r->ip, r->cs);

	d->jump = KJ_RM_JUMP_REAL;
	d->jump_ss = r->ss;
	d->jump_esp = r->esp;
	kj_log("booting B in real mode at %04x:%04x (entry16_regs), stack %04x:%04x", r->cs, r->ip,
	       r->ss, r->esp);
	/*
	 * The state real-mode code expects of a PC: NMIs off (a half-done switch
	 * has no handler), A20 as the caller left it, the PICs at the BIOS's
	 * vector bases and all masked (the kernel's setup code unmasks nothing).
	 */
	outb(PORT_CMOS_INDEX, CMOS_NMI_OFF);
	pic_program(BIOS_PIC_BASE_MASTER, BIOS_PIC_BASE_SLAVE);
	/*
	 * B's boot leaves through the area's code: let the next CPU in now.
	 * Only arch_bios_call's few pushes and its far return still use
	 * purgatory's stack, deep below the top where an entering CPU starts.
	 */
	kj_cpu_leave();
	arch_bios_call((uintptr_t)boot16_area);
	kj_fatal("real-mode entry of B returned to purgatory");
}

#if defined(__x86_64__)
int kj_protected32_check(void)
{
	uint64_t area = (uintptr_t)boot16_area;

	if (area + KJ_BIOS_AREA_SIZE > (1ull << 32)) {
		kj_log("32-bit entry refused: purgatory (its entry area at 0x%llx) is above 4 GiB, where "
		       "32-bit code cannot run", (unsigned long long)area);
		return KJ_ENOENTRY;
	}
	return KJ_OK;
}

noreturn void kj_boot_protected32(const struct kjump_regs32 *r)
{
	const struct kjump_bios_regs in = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp,
					    0, 0, 0, 0, FLAGS_RESERVED };
	struct kj_rm_data *d = entry_area(&in, 0, 0);

	/* The boot protocol's __BOOT_CS: flat 32-bit code, not the way back's 64-bit. */
	d->gdt[KJ_RM_SEL_CODE / 8] = KJ_DESC_CODE32;
	d->jump = KJ_RM_JUMP_PM32;
	d->jump_eip = r->eip;
	d->jump_esp = r->esp;
	kj_log("booting B in 32-bit protected mode at 0x%x (entry32_regs), esp 0x%x", r->eip,
	       r->esp);
	kj_cpu_leave();		/* as in kj_boot_real_mode */
	arch_bios_call((uintptr_t)boot16_area);
	kj_fatal("32-bit entry of B returned to purgatory");
}
#endif
