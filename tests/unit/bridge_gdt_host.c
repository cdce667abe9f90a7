// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host driver for tests/bridge-gdt.t: purgatory/bridge_gdt.c, built for
 * the host with one arch's desc.h (-Iarch/i386 or -Iarch/x86_64), for
 * every CS and SS a caller can have below 0x110 (RPL and TI bits
 * included).
 *
 * It replays an entry and then a resume step by step, as
 * kj_load_tables_bridged and arch_resume perform them, and checks at
 * every step what an NMI arriving there needs: the GDT loaded holds a
 * code descriptor at CS's index and at the selector the loaded IDT's
 * gates name, and a data descriptor at SS's (or SS is null where that is
 * valid). The caller's own tables are modelled as a GDT with code at its
 * CS index and data at its SS index and an IDT whose gates name its CS.
 * It also checks that no entry of a loaded GDT changes, that the caller
 * gets its own selectors back whenever they can be placed, and that the
 * ones that cannot are refused and resumed on purgatory's own. Prints
 * TAP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../purgatory/kjump.h"
#include "../../purgatory/bridge_gdt.h"

uint64_t kj_gdt[KJ_GDT_ENTRIES];
struct kj_idt_gate kj_idt[KJ_IDT_GATES];
void kj_log(const char *fmt, ...)
{
	(void)fmt;
}

void kj_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	printf("\nnot ok - kj_fatal called\n");
	exit(1);
}

void arch_load_cs_ss(unsigned int cs, unsigned int ss)
{
	(void)cs;
	(void)ss;
}

/* Purgatory's own GDT and IDT, as kj_load_tables (purgatory/tables.c) leaves them. */
static void load_tables(void)
{
	unsigned int i;

	memset(kj_gdt, 0, sizeof(kj_gdt));
#ifdef KJ_GDT_CODE64
	kj_gdt[KJ_GDT_CODE32 >> 3] = KJ_DESC_CODE32;
#endif
	kj_gdt[KJ_GDT_OWN_CODE >> 3] = KJ_DESC_OWN_CODE;
	kj_gdt[KJ_GDT_DATA >> 3] = KJ_DESC_DATA;
	for (i = 0; i < KJ_IDT_GATES; i++)
		kj_idt[i].selector = KJ_GDT_OWN_CODE;
}

static const char *fault;

static void need(int ok, const char *what)
{
	if (!ok && !fault)
		fault = what;
}

static int is_code(const uint64_t *gdt, unsigned int sel)
{
	return sel >= 8 && (sel & 7) == 0 && (sel >> 3) < KJ_GDT_ENTRIES &&
	       gdt[sel >> 3] == KJ_DESC_OWN_CODE;
}

static int is_stack(const uint64_t *gdt, unsigned int sel)
{
	if (sel == 0)
		return KJ_NULL_SS_OK;
	return (sel & 7) == 0 && (sel >> 3) < KJ_GDT_ENTRIES && gdt[sel >> 3] == KJ_DESC_DATA;
}

/* What an NMI needs with gdt loaded, CS and SS as given, gates naming gate. */
static void nmi_safe(const uint64_t *gdt, unsigned int cs, unsigned int ss, unsigned int gate,
		     const char *step)
{
	need(is_code(gdt, cs), step);
	need(is_stack(gdt, ss), step);
	need(is_code(gdt, gate), step);
}

/* The selector purgatory's IDT gates name; all of them must name the same. */
static unsigned int idt_gate(void)
{
	unsigned int i;

	for (i = 1; i < KJ_IDT_GATES; i++)
		need(kj_idt[i].selector == kj_idt[0].selector, "purgatory's gates disagree");
	return kj_idt[0].selector;
}

/* A GDT entry that changed while the table was loaded. */
static void unchanged(const uint64_t *before, const uint64_t *now, const char *step)
{
	unsigned int i;

	for (i = 0; i < KJ_GDT_ENTRIES; i++)
		need(before[i] == 0 || now[i] == before[i], step);
}

static int placeable(unsigned int sel)
{
	return (sel & 7) == 0 && sel >= 8 && (sel >> 3) < KJ_GDT_ENTRIES;
}

int main(void)
{
	unsigned int cs, ss, pairs = 0, refused = 0, failed = 0, t = 0;
	uint64_t caller[KJ_GDT_ENTRIES], bridge[KJ_GDT_ENTRIES], before[KJ_GDT_ENTRIES];
	struct kj_bridge in, out;

	for (cs = 0; cs < 0x110; cs++)
		for (ss = 0; ss < 0x110; ss++) {
			int placed = placeable(cs) && (placeable(ss) || (ss == 0 && KJ_NULL_SS_OK)) &&
				     cs >> 3 != ss >> 3;
			int status;

			fault = NULL;
			/* The caller's tables, when its selectors are GDT selectors at all. */
			memset(caller, 0, sizeof(caller));
			if (placed) {
				caller[cs >> 3] = KJ_DESC_OWN_CODE;
				if (ss)
					caller[ss >> 3] = KJ_DESC_DATA;
				nmi_safe(caller, cs, ss, cs, "entry 0: the caller's tables");
			}

			/* The way in: kj_gdt and kj_idt built, not loaded yet. */
			load_tables();
			memset(bridge, 0xa5, sizeof(bridge));
			status = kj_bridge_gdt(bridge, cs, ss, &in);
			need(status == (placed ? 0 : -1), "entry: placeable and unplaceable told apart");
			if (placed)
				nmi_safe(bridge, cs, ss, cs, "entry 1: bridge GDT, the caller's IDT");
			nmi_safe(bridge, in.cs, in.ss, idt_gate(), "entry 2: purgatory's IDT loaded");
			nmi_safe(bridge, in.bridge_cs, in.bridge_ss, idt_gate(), "entry 3: CS and SS on the bridge");
			nmi_safe(kj_gdt, in.bridge_cs, in.bridge_ss, idt_gate(), "entry 4: purgatory's GDT loaded");
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, idt_gate(), "entry 5: purgatory's CS and SS");
			/* As kj_load_tables_bridged ends: the gates back on purgatory's own code. */
			for (unsigned int g = 0; g < KJ_IDT_GATES; g++)
				kj_idt[g].selector = KJ_GDT_OWN_CODE;
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, idt_gate(), "entry 6: gates on purgatory's own code");

			/* The way out, to the same caller: kj_gdt and kj_idt are loaded. */
			memcpy(before, kj_gdt, sizeof(before));
			memset(bridge, 0xa5, sizeof(bridge));
			status = kj_bridge_gdt(bridge, cs, ss, &out);
			unchanged(before, kj_gdt, "resume 1: an entry of purgatory's loaded GDT changed");
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, idt_gate(), "resume 1: bridge pair and gates");
			nmi_safe(kj_gdt, out.bridge_cs, out.bridge_ss, idt_gate(), "resume 2: CS and SS on the bridge");
			nmi_safe(bridge, out.bridge_cs, out.bridge_ss, idt_gate(), "resume 3: bridge GDT loaded");
			nmi_safe(bridge, out.cs, out.ss, idt_gate(), "resume 4: the caller's CS and SS");
			if (placed) {
				need(status == 0, "placeable selectors refused");
				need(out.cs == cs && out.ss == ss, "the caller's own selectors not given back");
			} else {
				need(status == -1, "unplaceable selectors not refused");
				need(out.cs == KJ_GDT_OWN_CODE && out.ss == KJ_GDT_DATA,
				     "a refused caller not resumed on purgatory's own selectors");
				refused++;
			}
			pairs++;
			if (fault) {
				failed++;
				if (failed <= 5)
					printf("# CS 0x%x SS 0x%x: %s (bridge in 0x%x/0x%x, out 0x%x/0x%x)\n",
					       cs, ss, fault, in.bridge_cs, in.bridge_ss, out.bridge_cs,
					       out.bridge_ss);
			}
		}
	printf("%s %u - %s: %u CS/SS pairs below 0x110 entered and resumed with every step NMI-safe, "
	       "no loaded GDT entry rewritten, the caller's selectors back (%u refused as unplaceable)\n",
	       failed ? "not ok" : "ok", ++t, KJ_ARCH_NAME, pairs, refused);
	printf("1..%u\n", t);
	return failed != 0;
}
