// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host driver for tests/bridge-gdt.t: purgatory/bridge_gdt.c, built for
 * the host with one arch's desc.h (-Iarch/i386 or -Iarch/x86_64), for
 * every CS and SS a caller can have below 0x110 (RPL and TI bits
 * included).
 *
 * It replays an entry and then a resume step by step (kj_gdt kept from
 * one pair to the next, as purgatory keeps it from entry to entry, with
 * the accessed bits the CPU sets when it loads CS and SS), as
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
	       (gdt[sel >> 3] | KJ_DESC_ACCESSED) == (KJ_DESC_OWN_CODE | KJ_DESC_ACCESSED);
}

static int is_stack(const uint64_t *gdt, unsigned int sel)
{
	if (sel == 0)
		return KJ_NULL_SS_OK;
	return (sel & 7) == 0 && (sel >> 3) < KJ_GDT_ENTRIES &&
	       (gdt[sel >> 3] | KJ_DESC_ACCESSED) == (KJ_DESC_DATA | KJ_DESC_ACCESSED);
}

/* What an NMI needs with gdt loaded, CS and SS as given, gates naming gate. */
static void nmi_safe(const uint64_t *gdt, unsigned int cs, unsigned int ss, unsigned int gate,
		     const char *step)
{
	need(is_code(gdt, cs), step);
	need(is_stack(gdt, ss), step);
	need(is_code(gdt, gate), step);
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

	load_tables();

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

			/*
			 * The way in: kj_gdt and kj_idt built once (kept from the
			 * pairs before, as purgatory keeps them across entries),
			 * not loaded yet. The bridge IDT names the bridge code.
			 */
			memset(bridge, 0xa5, sizeof(bridge));
			status = kj_bridge_gdt(bridge, cs, ss, &in);
			need(status == (placed ? 0 : -1), "entry: placeable and unplaceable told apart");
			if (placed)
				nmi_safe(bridge, cs, ss, cs, "entry 1: bridge GDT, the caller's IDT");
			nmi_safe(bridge, in.cs, in.ss, in.bridge_cs, "entry 2: the bridge IDT loaded");
			nmi_safe(bridge, in.bridge_cs, in.bridge_ss, in.bridge_cs, "entry 3: CS and SS on the bridge");
			nmi_safe(kj_gdt, in.bridge_cs, in.bridge_ss, in.bridge_cs, "entry 4: purgatory's GDT loaded");
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, in.bridge_cs, "entry 5: purgatory's CS and SS");
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, KJ_GDT_OWN_CODE, "entry 6: kj_idt loaded");
			/* Loading CS and SS from kj_gdt set those entries' accessed bits. */
			kj_gdt[in.bridge_cs >> 3] |= KJ_DESC_ACCESSED;
			kj_gdt[in.bridge_ss >> 3] |= KJ_DESC_ACCESSED;
			kj_gdt[KJ_GDT_OWN_CODE >> 3] |= KJ_DESC_ACCESSED;
			kj_gdt[KJ_GDT_DATA >> 3] |= KJ_DESC_ACCESSED;

			/* The way out, to the same caller: kj_gdt and kj_idt are loaded. */
			memcpy(before, kj_gdt, sizeof(before));
			memset(bridge, 0xa5, sizeof(bridge));
			status = kj_bridge_gdt(bridge, cs, ss, &out);
			unchanged(before, kj_gdt, "resume 1: an entry of purgatory's loaded GDT changed");
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, KJ_GDT_OWN_CODE, "resume 1: bridge pair placed");
			nmi_safe(kj_gdt, KJ_GDT_OWN_CODE, KJ_GDT_DATA, out.bridge_cs, "resume 2: the bridge IDT loaded");
			nmi_safe(kj_gdt, out.bridge_cs, out.bridge_ss, out.bridge_cs, "resume 3: CS and SS on the bridge");
			kj_gdt[out.bridge_cs >> 3] |= KJ_DESC_ACCESSED;
			kj_gdt[out.bridge_ss >> 3] |= KJ_DESC_ACCESSED;
			nmi_safe(bridge, out.bridge_cs, out.bridge_ss, out.bridge_cs, "resume 4: bridge GDT loaded");
			nmi_safe(bridge, out.cs, out.ss, out.bridge_cs, "resume 5: the caller's CS and SS");
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
