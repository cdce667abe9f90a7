// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BIOS-call service (docs/bios.md): a kernel hands purgatory a struct
 * kjump_bios_call, purgatory checks everything it is about to trust, runs
 * the interrupt in real mode from the caller's low-memory area, and returns
 * the interrupt's registers.
 *
 * This file is the arch-neutral part: the checks, the platform state around
 * the call (PICs, A20, NMI mask) and list mode. The area's contents are
 * rm_area.c's, the PC's firmware and chipset helpers pc.c's; the mode
 * switches are arch/<arch>/realmode.asm and arch/x86/realmode16.inc; the
 * caller's CPU state is saved by the entry stub and given back by
 * arch_bios_return. kexec-tools' real-mode and 32-bit entries into B, which
 * use the same way down, are boot16.c.
 */
#include "kjump.h"
#include "realmode.h"
#include "pc.h"
#include "../arch/x86/descriptors.h"
#include "../lib/io.h"
#include "../lib/string.h"

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
	d = kj_peek64(gdtr->base + (sel & ~7u));
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

/*
 * Whether the area would overwrite what the way back needs: the caller's
 * GDT and IDT (reloaded from their linear addresses) and the words around
 * its stack pointer (the return frame). Compared as linear addresses: the
 * area is physical, and equal to linear wherever the caller can see it.
 */
static int over_caller(uint64_t area)
{
	const struct kjump_cpu *in = &kj_incoming;

	return kj_overlaps(area, KJ_BIOS_AREA_SIZE, in->gdtr.base, in->gdtr.limit + 1ull) ||
	       kj_overlaps(area, KJ_BIOS_AREA_SIZE, in->idtr.base, in->idtr.limit + 1ull) ||
	       kj_overlaps(area, KJ_BIOS_AREA_SIZE, in->gpr[KJ_SP] - KJ_STACK_BELOW,
			KJ_STACK_BELOW + KJ_STACK_ABOVE);
}

/* Platform state the call touches, as it was before (what can be read back). */
struct platform_state {
	uint8_t pic_master_mask;	/* OCW1: the IMRs are readable */
	uint8_t pic_slave_mask;
	uint8_t sysctl_a;		/* port 0x92, for A20 */
};

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
		kj_pic_program(BIOS_PIC_BASE_MASTER, BIOS_PIC_BASE_SLAVE);
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
		kj_pic_program(c->pic_base_master, c->pic_base_slave);
	outb(PORT_PIC1_DATA, s->pic_master_mask);
	outb(PORT_PIC2_DATA, s->pic_slave_mask);
	outb(PORT_SYSCTL_A, (uint8_t)(((sysctl & ~SYSCTL_A20) | (s->sysctl_a & SYSCTL_A20)) &
				      ~SYSCTL_RESET));
	/* Last: it may let NMIs in again. */
	outb(PORT_CMOS_INDEX, c->cmos_index);
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
	conv_end = kj_legacy_bios_memory_end();
	if (!conv_end)
		return refuse_call(c, KJ_ENOBIOS, "no legacy BIOS (no date at F000:FFF5 or no "
				   "conventional memory size in the BIOS data area)");
	if ((c->area & (KJ_BIOS_AREA_ALIGN - 1)) || c->area < KJ_BIOS_AREA_ALIGN ||
	    (uint64_t)c->area + KJ_BIOS_AREA_SIZE > conv_end)
		return refuse_call(c, KJ_EAREA, "area not 4 KiB aligned, or not inside conventional "
				   "memory below the EBDA");
	if (kj_overlaps_image(c->area, KJ_BIOS_AREA_SIZE) ||
	    kj_overlaps(c->area, KJ_BIOS_AREA_SIZE, block, sizeof(*c)))
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
		    kj_overlaps(c->bounce, c->bounce_size, c->area, KJ_BIOS_AREA_SIZE) ||
		    kj_overlaps(c->bounce, c->bounce_size, block, sizeof(*c)))
			return refuse_call(c, KJ_EBOUNCE, "bounce buffer overlaps purgatory, the area "
					   "or the call block");
		if (c->data_size > c->bounce_size)
			return refuse_call(c, KJ_EBOUNCE, "bounce buffer smaller than data_size");
		if (c->data_size &&
		    (!c->data || kj_overlaps_image(c->data, c->data_size) ||
		     kj_overlaps(c->data, c->data_size, c->area, KJ_BIOS_AREA_SIZE) ||
		     arch_map(c->data, c->data_size) != KJ_OK))
			return refuse_call(c, KJ_EBOUNCE, "data buffer is 0, unreachable, or overlaps "
					   "purgatory or the area");
		arch_map_commit();
	}

	ip = kj_peek16(c->vector * 4);
	cs = kj_peek16(c->vector * 4 + 2);
	target = (uint32_t)cs * 16 + ip;
	if (!target || !(target >= ROM_START || (target >= BDA_END && target < conv_end)) ||
	    target >= LOW_MEM_END || kj_overlaps(target, 1, c->area, KJ_BIOS_AREA_SIZE)) {
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

	kj_rm_fill_area(c, c->area, ip, cs);
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
	uint64_t list_len;

	if (!addr || kj_overlaps_image(addr, sizeof(*l)) || map_list(addr, sizeof(*l)) != KJ_OK) {
		kj_log("BIOS list at 0x%llx is 0, unreachable or inside purgatory; status %d",
		       (unsigned long long)addr, KJ_EBIOSCALL);
		return KJ_EBIOSCALL;
	}
	list_len = sizeof(*l) + (uint64_t)l->count * sizeof(l->calls[0]);
	if (l->magic != KJ_BIOS_LIST_MAGIC || l->count > KJ_BIOS_LIST_MAX ||
	    kj_overlaps_image(addr, list_len) || map_list(addr, list_len) != KJ_OK) {
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
			map_list(addr, list_len);

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

