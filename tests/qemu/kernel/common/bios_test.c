// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BIOS-call test kernel (SeaBIOS, i386 and x86_64; booted by multiboot
 * like kernel A, x86_64 through boot_a.asm's stub into long mode). It loads
 * purgatory twice, at load= and at lowload= (below 1 MiB, where the
 * overlap refusals can be provoked), and calls the BIOS through it:
 *
 *   - int 15h E820 against the map QEMU's multiboot loader took from the
 *     same firmware at boot;
 *   - int 10h teletype against VGA text memory and the BIOS cursor;
 *   - int 1Ah against the CMOS RTC read directly and QEMU's -rtc base date;
 *   - int 15h E801 and 88h, and int 12h, against -m (mem=) and the BDA;
 *   - calls=N consecutive calls with the CPU and platform state compared
 *     before and after each (docs/bios.md lists what is saved);
 *   - every refusal docs/bios.md documents, each with its exact status.
 *
 * Output is TAP on the serial port (tests/qemu/bios.t adds the plan).
 * Command line: load= lowload= area= bounce= mem=MiB date=YYYYMMDD calls=N
 * high=1: only E820 and the consecutive calls, for purgatory loaded above
 * 4 GiB (x86_64), where the memory-size expectations of a small guest do
 * not apply.
 */
#include <kjump/abi.h>
#include <kjump/bios.h>
#include "testbed.h"
#include "../../../../lib/io.h"
#include "../../../../lib/string.h"

extern const uint8_t purgatory_blob[], purgatory_blob_end[];
const char *boot_cmdline(void);
void a_main(void);
void raw_call_came_back(void);
long sentinel_call(unsigned long fn, void *arg, unsigned long *out);
long start_call(unsigned long entry, unsigned long *next);
extern const unsigned long call_sentinels[];
extern uint32_t multiboot_info;

#if defined(__x86_64__)
#define NSENTINELS 6
#else
#define NSENTINELS 4
#endif

static struct {
	unsigned long load, lowload, area, bounce, mem, date, calls, high;
	unsigned long nmis;	/* NMIs the host injects into purgatory's windows (bios-nmi.t) */
	unsigned long nmisoak;	/* NMIs injected at random moments (nmi.t) */
} cfg = { 0x1000000, 0x40000, 0x10000, 0x14000, 64, 20010203, 1000, 0, 0, 0 };



void raw_call_came_back(void)
{
	kprintf("not ok - raw_call is not used by this kernel\n");
	qemu_exit(EXIT_SETUP);
}

static void parse_cmdline(const char *s)
{
	static const struct { const char *key; unsigned long *val; } keys[] = {
		{ "load=", &cfg.load }, { "lowload=", &cfg.lowload }, { "area=", &cfg.area },
		{ "bounce=", &cfg.bounce }, { "mem=", &cfg.mem }, { "date=", &cfg.date },
		{ "calls=", &cfg.calls }, { "high=", &cfg.high }, { "nmis=", &cfg.nmis },
		{ "nmisoak=", &cfg.nmisoak },
	};
	unsigned int i;

	while (*s) {
		while (*s == ' ')
			s++;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t n = strlen(keys[i].key);
			const char *p = s + n;
			unsigned long v = 0, base = 10;

			if (memcmp(s, keys[i].key, n))
				continue;
			if (p[0] == '0' && p[1] == 'x') {
				base = 16;
				p += 2;
			}
			for (; *p && *p != ' '; p++)
				v = v * base + (unsigned long)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
			*keys[i].val = v;
			break;
		}
		while (*s && *s != ' ')
			s++;
	}
}

/*
 * Firmware structures at low physical addresses, through asm: to the
 * compiler, address 0 is a null pointer and 0x413 an out-of-bounds one.
 */
static uint16_t peek16(uintptr_t addr)
{
	uint16_t v;

	__asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void poke16(uintptr_t addr, uint16_t v)
{
	__asm__ volatile("movw %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

/* --- purgatory ---------------------------------------------------------- */

struct instance {
	unsigned long load;
	unsigned long entry;		/* load + header.entry_bios_call */
	unsigned long start;		/* load + header.entry_start */
	struct kjump_params *params;
};
static struct instance high, low;

static void load_purgatory(struct instance *in, unsigned long at)
{
	const struct kjump_header *h = (const void *)purgatory_blob;
	struct kjump_params *p;

	memcpy((void *)at, purgatory_blob, (size_t)(purgatory_blob_end - purgatory_blob));
	p = (struct kjump_params *)(at + h->params);
	p->console_serial = 1;
	p->serial_base = SERIAL_PORT;
	p->debug_exit_port = DEBUG_EXIT_PORT;
	in->load = at;
	in->entry = at + h->entry_bios_call;
	in->start = at + h->entry_start;
	in->params = p;
}

/*
 * An address this arch's purgatory cannot reach: on i386 (paging off, 32
 * bits) one whose low 32 bits are an innocent low address it would alias;
 * on x86_64 one above every MAXPHYADDR.
 */
#if defined(__x86_64__)
#define UNREACHABLE(low)	((1ull << 52) | (low))
#else
#define UNREACHABLE(low)	((1ull << 32) | (low))
#endif

/* --- CPU and platform state around a call ------------------------------- */

static unsigned long get_flags(void)
{
	unsigned long f;

	__asm__ volatile("pushf\n\tpop %0" : "=r"(f));
	return f;
}

static void set_flags(unsigned long f)
{
	__asm__ volatile("push %0\n\tpopf" : : "r"(f) : "memory", "cc");
}

struct snap {
	unsigned long cr0, cr3, cr4, flags;
	uint64_t efer, fs_base, gs_base;
	struct kernel_dtr gdtr, idtr;
	uint16_t cs, ss, ds, es, fs, gs;
	uint8_t pic_master_mask, pic_slave_mask, sysctl_a;
};

static void take_snap(struct snap *s)
{
	memset(s, 0, sizeof(*s));
	__asm__ volatile("mov %%cr0, %0" : "=r"(s->cr0));
	__asm__ volatile("mov %%cr3, %0" : "=r"(s->cr3));
	__asm__ volatile("mov %%cr4, %0" : "=r"(s->cr4));
	s->flags = get_flags();
	__asm__ volatile("sgdt %0" : "=m"(s->gdtr));
	__asm__ volatile("sidt %0" : "=m"(s->idtr));
	__asm__ volatile("mov %%cs, %0" : "=m"(s->cs));
	__asm__ volatile("mov %%ss, %0" : "=m"(s->ss));
	__asm__ volatile("mov %%ds, %0" : "=m"(s->ds));
	__asm__ volatile("mov %%es, %0" : "=m"(s->es));
	__asm__ volatile("mov %%fs, %0" : "=m"(s->fs));
	__asm__ volatile("mov %%gs, %0" : "=m"(s->gs));
#if defined(__x86_64__)
	s->efer = rdmsr(MSR_EFER);
	s->fs_base = rdmsr(MSR_FS_BASE);
	s->gs_base = rdmsr(MSR_GS_BASE);
#endif
	s->pic_master_mask = inb(0x21);
	s->pic_slave_mask = inb(0xa1);
	s->sysctl_a = inb(0x92);
}

/* Compares two snapshots; 0 if equal, else the number of fields that differ. */
static unsigned int snap_diff(const char *when, const struct snap *a, const struct snap *b)
{
	unsigned int n = 0;

#define FIELD(f)                                                                         \
	do {                                                                             \
		if (a->f != b->f) {                                                      \
			n++;                                                             \
			fail("%s: " #f " was 0x%llx, is 0x%llx", when,                 \
			     (unsigned long long)a->f, (unsigned long long)b->f);        \
		}                                                                        \
	} while (0)
	FIELD(cr0); FIELD(cr3); FIELD(cr4); FIELD(flags); FIELD(efer);
	FIELD(fs_base); FIELD(gs_base);
	FIELD(gdtr.limit); FIELD(gdtr.base); FIELD(idtr.limit); FIELD(idtr.base);
	FIELD(cs); FIELD(ss); FIELD(ds); FIELD(es); FIELD(fs); FIELD(gs);
	FIELD(pic_master_mask); FIELD(pic_slave_mask); FIELD(sysctl_a);
#undef FIELD
	return n;
}

/*
 * One call through an instance, checked for state drift and for the
 * callee-saved registers and stack pointer an ordinary function keeps.
 */
static unsigned long drift_checked, drifted;

static long bios(const struct instance *in, struct kjump_bios_call *c)
{
	struct snap before, after;
	unsigned long out[NSENTINELS + 1];
	unsigned int i, bad = 0;
	long status;

	take_snap(&before);
	status = sentinel_call(in->entry, c, out);
	take_snap(&after);
	bad += snap_diff("state after the call", &before, &after);
	for (i = 0; i < NSENTINELS; i++)
		if (out[i] != call_sentinels[i]) {
			bad++;
			fail("callee-saved register %u: 0x%lx, want 0x%lx", i, out[i],
			     call_sentinels[i]);
		}
	if (out[NSENTINELS]) {
		bad++;
		fail("stack pointer moved by %ld across the call", (long)out[NSENTINELS]);
	}
	drift_checked++;
	if (bad)
		drifted++;
	return status;
}

static void call_init(struct kjump_bios_call *c, unsigned int vector, uint32_t eax)
{
	memset(c, 0, sizeof(*c));
	c->magic = KJ_BIOS_MAGIC;
	c->size = sizeof(*c);
	c->vector = vector;
	c->area = cfg.area;
	c->cmos_index = 0;	/* NMIs on, as this kernel leaves them */
	c->in.eax = eax;
	c->status = 0x7777;
}

/* --- E820 ---------------------------------------------------------------- */

struct e820 {
	uint64_t base, len;
	uint32_t type, attr;
} __attribute__((packed));

#define MAX_E820 32
static struct e820 boot_map[MAX_E820];
static unsigned int boot_entries;

/* The map QEMU's multiboot loader got from the firmware's int 15h E820. */
static void read_boot_map(void)
{
	const uint32_t *mbi = (const uint32_t *)(uintptr_t)multiboot_info;
	uintptr_t p, end;

	if (!mbi || !(mbi[0] & (1u << 6)))
		return;
	p = mbi[12];
	end = p + mbi[11];
	while (p < end && boot_entries < MAX_E820) {
		const uint8_t *e = (const uint8_t *)p;
		uint32_t size;

		memcpy(&size, e, 4);
		memcpy(&boot_map[boot_entries].base, e + 4, 8);
		memcpy(&boot_map[boot_entries].len, e + 12, 8);
		memcpy(&boot_map[boot_entries].type, e + 20, 4);
		boot_entries++;
		p += size + 4;
	}
}

#define SMAP 0x534d4150u

/* One E820 step through purgatory, into *e; returns the status. */
static long e820_step(const struct instance *in, uint32_t *cont, struct e820 *e,
		      struct kjump_bios_call *c)
{
	long status;

	call_init(c, 0x15, 0xe820);
	c->in.edx = SMAP;
	c->in.ebx = *cont;
	c->in.ecx = sizeof(*e);
	c->flags = KJ_BIOS_ESDI_BOUNCE;
	c->bounce = cfg.bounce;
	c->bounce_size = 64;
	c->data = (uintptr_t)e;
	c->data_size = sizeof(*e);
	memset(e, 0, sizeof(*e));
	status = bios(in, c);
	*cont = c->out.ebx;
	return status;
}

static void test_e820(void)
{
	struct kjump_bios_call c;
	struct e820 got[MAX_E820];
	uint32_t cont = 0;
	unsigned int n = 0, i;

	if (!boot_entries)
		fail("the multiboot loader passed no memory map");
	do {
		long status = e820_step(&high, &cont, &got[n], &c);

		if (status != KJ_OK || c.carry || c.out.eax != SMAP) {
			fail("E820 step %u: status %ld carry %u eax 0x%x", n, status, c.carry,
			     c.out.eax);
			break;
		}
		n++;
	} while (cont && n < MAX_E820);
	CHECK_EQ("E820 entries", n, boot_entries);
	for (i = 0; i < n && i < boot_entries; i++) {
		CHECK_EQ("E820 base", got[i].base, boot_map[i].base);
		CHECK_EQ("E820 length", got[i].len, boot_map[i].len);
		CHECK_EQ("E820 type", got[i].type, boot_map[i].type);
		kprintf("#   e820 %u: 0x%llx-0x%llx type %u\n", i, (unsigned long long)got[i].base,
			(unsigned long long)(got[i].base + got[i].len - 1), got[i].type);
	}
	tap("int 15h E820 through purgatory returns the %u entries the firmware gave the "
	    "multiboot loader at boot", boot_entries);
}

/* --- int 10h ------------------------------------------------------------- */

static void test_teletype(void)
{
	static const char text[] = "KJ10 ok";
	const volatile uint16_t *vga = (const volatile uint16_t *)0xb8000;
	struct kjump_bios_call c;
	unsigned int i;

	call_init(&c, 0x10, 0x0200);		/* set cursor: row 12, column 3 */
	c.in.edx = 12 << 8 | 3;
	CHECK_EQ("int 10h set cursor status", bios(&high, &c), KJ_OK);
	for (i = 0; text[i]; i++) {
		call_init(&c, 0x10, 0x0e00 | (uint8_t)text[i]);
		c.in.ebx = 0x0007;
		CHECK_EQ("int 10h teletype status", bios(&high, &c), KJ_OK);
	}
	for (i = 0; text[i]; i++)
		CHECK_EQ("character in VGA text memory", vga[12 * 80 + 3 + i] & 0xff,
			 (uint8_t)text[i]);
	call_init(&c, 0x10, 0x0300);		/* get cursor */
	CHECK_EQ("int 10h get cursor status", bios(&high, &c), KJ_OK);
	CHECK_EQ("cursor row and column after the text", c.out.edx & 0xffff,
		 12 << 8 | (3 + (sizeof(text) - 1)));
	tap("int 10h teletype writes \"%s\" into VGA text memory at row 12, column 3, and "
	    "the cursor follows", text);
}

/* --- int 1Ah ------------------------------------------------------------- */

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* 20010203 -> 0x20010203: the decimal digits as BCD nibbles. */
static uint32_t to_bcd(unsigned long v)
{
	uint32_t bcd = 0;
	unsigned int shift;

	for (shift = 0; v && shift < 32; shift += 4, v /= 10)
		bcd |= (uint32_t)(v % 10) << shift;
	return bcd;
}

static void test_rtc(void)
{
	struct kjump_bios_call c;
	unsigned int tries;
	uint32_t want_date = to_bcd(cfg.date);
	int matched = 0;

	/* Time: equal to the CMOS clock read around the call, in a second that did not tick. */
	for (tries = 0; tries < 5 && !matched; tries++) {
		uint32_t t0 = (uint32_t)cmos(4) << 16 | cmos(2) << 8 | cmos(0), t1;

		call_init(&c, 0x1a, 0x0200);
		CHECK_EQ("int 1Ah/02h status", bios(&high, &c), KJ_OK);
		t1 = (uint32_t)cmos(4) << 16 | cmos(2) << 8 | cmos(0);
		if (t0 != t1)
			continue;
		matched = 1;
		CHECK_EQ("int 1Ah/02h carry", c.carry, 0);
		CHECK_EQ("int 1Ah/02h hh:mm:ss (BCD) against CMOS", (c.out.ecx & 0xffff) << 8 |
			 (c.out.edx >> 8 & 0xff), t0);
	}
	if (!matched)
		fail("the RTC second ticked during each of 5 tries");
	/* Date: -rtc base fixes it, in BCD: CX = century and year, DX = month and day. */
	call_init(&c, 0x1a, 0x0400);
	CHECK_EQ("int 1Ah/04h status", bios(&high, &c), KJ_OK);
	CHECK_EQ("int 1Ah/04h carry", c.carry, 0);
	CHECK_EQ("int 1Ah/04h date (BCD century, year, month, day)",
		 (c.out.ecx & 0xffff) << 16 | (c.out.edx & 0xffff), want_date);
	tap("int 1Ah reads the RTC: time equal to the CMOS clock, date %lu as -rtc base set it",
	    cfg.date);
}

/*
 * A caller whose flags hold NT and AC: purgatory must run on flags of its
 * own (with NT set, an iret is a task return on i386 and #GP in long mode,
 * and the call returns through one) and give the caller its own back.
 */
#define FLAGS_AC	0x40000ul
#define FLAGS_NT	0x4000ul
static void test_caller_flags(void)
{
	struct kjump_bios_call c;
	unsigned long before, after;
	long status;

	call_init(&c, 0x1a, 0x0400);
	before = get_flags() | FLAGS_NT | FLAGS_AC;
	set_flags(before);
	status = bios(&high, &c);
	after = get_flags();
	set_flags(after & ~(FLAGS_NT | FLAGS_AC));
	CHECK_EQ("int 1Ah/04h status with NT and AC set", status, KJ_OK);
	CHECK_EQ("int 1Ah/04h date with NT and AC set", (c.out.ecx & 0xffff) << 16 |
		 (c.out.edx & 0xffff), to_bcd(cfg.date));
	CHECK_EQ("caller's NT and AC after the call", after & (FLAGS_NT | FLAGS_AC),
		 FLAGS_NT | FLAGS_AC);
	tap("a caller with NT and AC set in its flags: the call runs and returns (purgatory "
	    "works on flags of its own) and the caller gets its flags back, NT and AC included");
}

/* --- memory sizes ------------------------------------------------------- */

/*
 * SeaBIOS keeps the top 128 KiB below -m for itself (an E820 "reserved"
 * entry) and reports the rest in E801 and 88h. So the expected sizes come
 * from -m minus that entry, and the test first checks that the two add up
 * to -m exactly.
 */
static void test_memory_sizes(void)
{
	struct kjump_bios_call c;
	uint64_t mem = (uint64_t)cfg.mem << 20, ram_end = 0, kept = 0;
	uint32_t below16, above16, ext;
	unsigned int i;

	for (i = 0; i < boot_entries; i++)
		if (boot_map[i].base == 0x100000 && boot_map[i].type == 1)
			ram_end = boot_map[i].base + boot_map[i].len;
	for (i = 0; i < boot_entries; i++)
		if (ram_end && boot_map[i].base == ram_end && boot_map[i].type == 2)
			kept = boot_map[i].len;
	CHECK_EQ("usable RAM above 1 MiB plus what the firmware keeps at its top, against -m",
		 ram_end + kept, mem);
	if (cfg.mem > 64)
		fail("mem=%lu: the expected values below assume at most 64 MiB (no 88h cap)", cfg.mem);
	below16 = ram_end > (16u << 20) ? 15 * 1024 : (uint32_t)((ram_end - (1u << 20)) >> 10);
	above16 = ram_end > (16u << 20) ? (uint32_t)((ram_end - (16u << 20)) >> 16) : 0;
	ext = (uint32_t)((ram_end - (1u << 20)) >> 10);

	call_init(&c, 0x15, 0xe801);
	CHECK_EQ("E801 status", bios(&high, &c), KJ_OK);
	CHECK_EQ("E801 carry", c.carry, 0);
	CHECK_EQ("E801 AX: KiB between 1 and 16 MiB", c.out.eax & 0xffff, below16);
	CHECK_EQ("E801 BX: 64 KiB blocks above 16 MiB", c.out.ebx & 0xffff, above16);
	CHECK_EQ("E801 CX", c.out.ecx & 0xffff, below16);
	CHECK_EQ("E801 DX", c.out.edx & 0xffff, above16);
	tap("int 15h E801 agrees with -m %lu (0x%llx usable, 0x%llx kept by the firmware): "
	    "0x%x KiB below 16 MiB, 0x%x blocks above", cfg.mem, (unsigned long long)ram_end,
	    (unsigned long long)kept, below16, above16);

	call_init(&c, 0x15, 0x8800);
	CHECK_EQ("88h status", bios(&high, &c), KJ_OK);
	CHECK_EQ("88h carry", c.carry, 0);
	CHECK_EQ("88h AX: KiB above 1 MiB", c.out.eax & 0xffff, ext);
	tap("int 15h 88h agrees with -m %lu: 0x%x KiB above 1 MiB", cfg.mem, ext);

	call_init(&c, 0x12, 0);
	CHECK_EQ("int 12h status", bios(&high, &c), KJ_OK);
	CHECK_EQ("int 12h AX: conventional KiB, as in the BDA", c.out.eax & 0xffff,
		 peek16(0x413));
	tap("int 12h returns the BDA's conventional memory size (%u KiB)",
	    peek16(0x413));
}

/* --- many calls ---------------------------------------------------------- */

/* PICs as Linux leaves them: IRQs at 0x20/0x28, a recognisable mask. */
#define KERNEL_PIC_BASE_MASTER	0x20
#define KERNEL_PIC_BASE_SLAVE	0x28
#define KERNEL_PIC_MASK_MASTER	0xb8
#define KERNEL_PIC_MASK_SLAVE	0xed

static void pic_setup(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, KERNEL_PIC_BASE_MASTER);
	outb(0xa1, KERNEL_PIC_BASE_SLAVE);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, KERNEL_PIC_MASK_MASTER);
	outb(0xa1, KERNEL_PIC_MASK_SLAVE);
}

static void test_many_calls(void)
{
	struct kjump_bios_call c;
	struct e820 first;
	unsigned long i, before_checked = drift_checked, before_drifted = drifted;
	uint64_t calls_before = high.params->bios_calls;
	uint32_t last_ticks = 0;

	for (i = 0; i < cfg.calls && !tap_check_failures(); i++) {
		uint32_t cont = 0;

		switch (i % 3) {
		case 0:
			call_init(&c, 0x12, 0);
			if (i % 2) {
				/* The BIOS's PIC bases during the call, the kernel's after. */
				c.flags = KJ_BIOS_PIC_BIOS;
				c.pic_mask_call = 0xffff;
				c.pic_base_master = KERNEL_PIC_BASE_MASTER;
				c.pic_base_slave = KERNEL_PIC_BASE_SLAVE;
			}
			CHECK_EQ("int 12h status", bios(&high, &c), KJ_OK);
			CHECK_EQ("int 12h AX", c.out.eax & 0xffff, peek16(0x413));
			break;
		case 1:
			call_init(&c, 0x1a, 0x0000);
			CHECK_EQ("int 1Ah/00h status", bios(&high, &c), KJ_OK);
			{
				uint32_t ticks = (c.out.ecx & 0xffff) << 16 | (c.out.edx & 0xffff);

				if (ticks < last_ticks)
					fail("tick count went back: 0x%x after 0x%x", ticks, last_ticks);
				last_ticks = ticks;
			}
			break;
		case 2:
			CHECK_EQ("E820 status", e820_step(&high, &cont, &first, &c), KJ_OK);
			CHECK_EQ("E820 first base", first.base, boot_map[0].base);
			CHECK_EQ("E820 first length", first.len, boot_map[0].len);
			CHECK_EQ("E820 first type", first.type, boot_map[0].type);
			break;
		}
		CHECK_EQ("returned status in the block", c.status, KJ_OK);
	}
	CHECK_EQ("calls made", i, cfg.calls);
	CHECK_EQ("calls with drift", drifted - before_drifted, 0);
	CHECK_EQ("purgatory's bios_calls counter", high.params->bios_calls - calls_before, cfg.calls);
	tap("%lu consecutive BIOS calls, exact results and no drift in GDTR IDTR CR0 CR3 CR4 "
	    "EFER FS/GS base, selectors, flags, PIC masks, port 0x92, callee-saved registers, "
	    "stack pointer (%lu compared)", i, drift_checked - before_checked);
}

/* --- refusals ------------------------------------------------------------ */

static void expect_refusal(const char *what, const struct instance *in,
			   struct kjump_bios_call *c, long want, int block_status_written)
{
	long status = bios(in, c);

	CHECK_EQ("status returned", status, want);
	CHECK_EQ("status in the block", c->status, block_status_written ? want : 0x7777);
	tap("refused with %ld: %s", want, what);
}

/*
 * The service called with the stack pointer at stack_top - 1 word (the
 * return address), as from a kernel whose stack lies there.
 */
static long call_on_stack(const struct instance *in, struct kjump_bios_call *c,
			  unsigned long stack_top)
{
	long r;

#if defined(__x86_64__)
	__asm__ volatile("mov %%rsp, %%r12\n\t"
			 "mov %[st], %%rsp\n\t"
			 "call *%[fn]\n\t"
			 "mov %%r12, %%rsp"
			 : "=a"(r), "+D"(c)
			 : [st] "r"(stack_top), [fn] "r"(in->entry)
			 : "r12", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "memory", "cc");
#else
	__asm__ volatile("mov %%esp, %%ebx\n\t"
			 "mov %[st], %%esp\n\t"
			 "push %[c]\n\t"
			 "call *%[fn]\n\t"
			 "mov %%ebx, %%esp"
			 : "=a"(r)
			 : [st] "r"(stack_top), [fn] "r"(in->entry), [c] "r"(c)
			 : "ebx", "ecx", "edx", "memory", "cc");
#endif
	return r;
}

/*
 * The area over what the way back reloads or writes: the caller's GDT
 * and IDT (copied into the area and loaded from there for the call) and
 * the words around its stack pointer (the call made on a stack inside the
 * area). Each must be refused before the area is touched.
 */
static void test_area_over_caller(void)
{
	struct kjump_bios_call c;
	struct kernel_dtr g, i, moved;
	long status;

	__asm__ volatile("sgdt %0" : "=m"(g));
	__asm__ volatile("sidt %0" : "=m"(i));

	memcpy((void *)cfg.area, (const void *)g.base, g.limit + 1u);
	moved = g;
	moved.base = cfg.area;
	__asm__ volatile("lgdt %0" : : "m"(moved) : "memory");
	call_init(&c, 0x12, 0);
	expect_refusal("area over the caller's GDT (KJ_EAREA)", &high, &c, KJ_EAREA, 1);
	__asm__ volatile("lgdt %0" : : "m"(g) : "memory");

	memcpy((void *)(cfg.area + 0x800), (const void *)i.base, i.limit + 1u);
	moved = i;
	moved.base = cfg.area + 0x800;
	__asm__ volatile("lidt %0" : : "m"(moved) : "memory");
	call_init(&c, 0x12, 0);
	expect_refusal("area over the caller's IDT (KJ_EAREA)", &high, &c, KJ_EAREA, 1);
	__asm__ volatile("lidt %0" : : "m"(i) : "memory");

	call_init(&c, 0x12, 0);
	status = call_on_stack(&high, &c, cfg.area + 0x800);
	CHECK_EQ("status returned", status, KJ_EAREA);
	CHECK_EQ("status in the block", c.status, KJ_EAREA);
	tap("refused with %d: area over the caller's stack (KJ_EAREA)", KJ_EAREA);
}

static void set_ivt(unsigned int vector, uint16_t cs, uint16_t ip)
{
	poke16(vector * 4, ip);
	poke16(vector * 4 + 2, cs);
}

/*
 * nmisoak=1 (tests/qemu/nmi.t): the BIOS calls of test_many_calls while the
 * host injects NMIs at random moments. An NMI lands in this kernel's
 * handler, purgatory's (its IDT, or the mode switch's NMI table), or, while
 * the BIOS runs, the real-mode IVT's vector 2, which this kernel points at
 * a counter of its own for the run: the host checks that the three counts
 * add up to what it injected.
 */
#define IVT_NMI_SEG	0x7000		/* below the EBDA, clear of area, bounce and lowload */
#define IVT_NMI_COUNT	0x10
static void run_nmi_soak(void)
{
	/* inc dword [cs:0x0010]; iret */
	static const uint8_t handler[] = { 0x2e, 0x66, 0xff, 0x06, IVT_NMI_COUNT, 0x00, 0xcf };
	volatile uint32_t *ivt_count = (volatile uint32_t *)((uintptr_t)IVT_NMI_SEG * 16 + IVT_NMI_COUNT);
	uint64_t own, purg;

	memcpy((void *)((uintptr_t)IVT_NMI_SEG * 16), handler, sizeof(handler));
	*ivt_count = 0;
	set_ivt(2, IVT_NMI_SEG, 0);
	kprintf("# NMI injection starts\n");
	test_many_calls();
	kprintf("# NMI injection ends\n");
	nmi_settle();
	own = *(volatile uint64_t *)nmi_counter;
	purg = high.params->nmis;
	kprintf("# NMIs counted: kernel %llu purgatory %llu ivt %lu total %llu\n",
		(unsigned long long)own, (unsigned long long)purg, (unsigned long)*ivt_count,
		(unsigned long long)(own + purg + *ivt_count));
}

static void test_refusals(void)
{
	struct kjump_bios_call c;
	uint16_t saved_ip = peek16(0x66 * 4), saved_cs = peek16(0x66 * 4 + 2);
	uint32_t conv_end = (uint32_t)peek16(0x413) * 1024;
	uint32_t ebda = (uint32_t)peek16(0x40e) << 4;

	if (ebda && ebda < conv_end)
		conv_end = ebda;

	call_init(&c, 0x12, 0);
	c.magic = 0x12345678;
	expect_refusal("call block with a wrong magic (KJ_EBIOSCALL)", &high, &c, KJ_EBIOSCALL, 0);
	call_init(&c, 0x100, 0);
	expect_refusal("vector 0x100 (KJ_EBIOSCALL)", &high, &c, KJ_EBIOSCALL, 1);
	call_init(&c, 0x12, 0);
	c.flags = 1u << 31;
	expect_refusal("an unknown flag (KJ_EBIOSCALL)", &high, &c, KJ_EBIOSCALL, 1);

	call_init(&c, 0x12, 0);
	c.area = cfg.area + 0x10;
	expect_refusal("area not 4 KiB aligned (KJ_EAREA)", &high, &c, KJ_EAREA, 1);
	call_init(&c, 0x12, 0);
	c.area = (conv_end & ~0xfffu) - 0x2000;
	expect_refusal("area running past conventional memory into the EBDA (KJ_EAREA)", &high, &c,
		       KJ_EAREA, 1);
	call_init(&c, 0x12, 0);
	c.area = 0;
	expect_refusal("area at 0, over the IVT (KJ_EAREA)", &high, &c, KJ_EAREA, 1);
	call_init(&c, 0x12, 0);
	c.area = 0xfffff000;
	expect_refusal("area whose end wraps past 4 GiB (KJ_EAREA)", &high, &c, KJ_EAREA, 1);
	call_init(&c, 0x12, 0);
	c.area = low.load + 0x1000;
	expect_refusal("area overlapping purgatory (KJ_EAREA)", &low, &c, KJ_EAREA, 1);
	test_area_over_caller();

	call_init(&c, 0x12, 0);
	c.bounce = 0x100000;
	c.bounce_size = 0x100;
	expect_refusal("bounce buffer at 1 MiB (KJ_EBOUNCE)", &high, &c, KJ_EBOUNCE, 1);
	call_init(&c, 0x12, 0);
	c.bounce = 0xfff00;
	c.bounce_size = 0x200;
	expect_refusal("bounce buffer crossing 1 MiB (KJ_EBOUNCE)", &high, &c, KJ_EBOUNCE, 1);
	call_init(&c, 0x12, 0);
	c.bounce = conv_end;
	c.bounce_size = 0x100;
	expect_refusal("bounce buffer in the EBDA, the BIOS's own data (KJ_EBOUNCE)", &high, &c,
		       KJ_EBOUNCE, 1);
	call_init(&c, 0x12, 0);
	c.bounce = cfg.bounce;
	c.bounce_size = 20;
	c.data = (uintptr_t)&c.reserved;
	c.data_size = 24;
	expect_refusal("bounce buffer smaller than the data (KJ_EBOUNCE)", &high, &c, KJ_EBOUNCE, 1);
	call_init(&c, 0x12, 0);
	c.bounce = cfg.bounce;
	c.bounce_size = 0x100;
	c.data = UNREACHABLE(0x10000);
	c.data_size = 0x100;
	expect_refusal("data buffer this purgatory cannot reach, at 0x1_0001_0000 (i386) or "
		       "above MAXPHYADDR (x86_64) (KJ_EBOUNCE)", &high, &c, KJ_EBOUNCE, 1);
	call_init(&c, 0x12, 0);
	c.bounce = low.load + 0x2000;
	c.bounce_size = 0x100;
	expect_refusal("bounce buffer overlapping purgatory (KJ_EBOUNCE)", &low, &c, KJ_EBOUNCE, 1);
	call_init(&c, 0x12, 0);
	c.bounce = cfg.area + 0x800;
	c.bounce_size = 0x100;
	expect_refusal("bounce buffer overlapping the area (KJ_EBOUNCE)", &high, &c, KJ_EBOUNCE, 1);

	set_ivt(0x66, 0, 0);
	call_init(&c, 0x66, 0);
	expect_refusal("IVT entry 0000:0000 (KJ_EVECTOR)", &high, &c, KJ_EVECTOR, 1);
	set_ivt(0x66, 0xa000, 0x0000);
	call_init(&c, 0x66, 0);
	expect_refusal("IVT entry A000:0000, video memory (KJ_EVECTOR)", &high, &c, KJ_EVECTOR, 1);
	set_ivt(0x66, (uint16_t)(cfg.area >> 4), 0x0100);
	call_init(&c, 0x66, 0);
	expect_refusal("IVT entry inside the area purgatory overwrites (KJ_EVECTOR)", &high, &c,
		       KJ_EVECTOR, 1);
	set_ivt(0x66, saved_cs, saved_ip);

	/*
	 * A selector the caller's GDT can no longer back (loaded, then its
	 * descriptor cleared): real mode would destroy the cached copy and the
	 * return could not load it again, so the call is refused untouched.
	 */
	{
		struct kernel_dtr g;
		uint64_t *gdt;
		uint16_t fs_sel = 0x28;
#if defined(__x86_64__)
		uint64_t fs_base = rdmsr(MSR_FS_BASE);
#endif

		__asm__ volatile("sgdt %0" : "=m"(g));
		gdt = (uint64_t *)g.base;
		gdt[fs_sel / 8] = 0x00cf92000000ffffull;
		__asm__ volatile("mov %0, %%fs" : : "r"(fs_sel) : "memory");
		gdt[fs_sel / 8] = 0;
		call_init(&c, 0x12, 0);
		expect_refusal("FS holding a selector its GDT no longer backs (KJ_ESEGMENT)", &high,
			       &c, KJ_ESEGMENT, 1);
		__asm__ volatile("mov %0, %%fs" : : "r"(0) : "memory");
#if defined(__x86_64__)
		wrmsr(MSR_FS_BASE, fs_base);
#endif
	}

	/* The low instance works when nothing overlaps it. */
	call_init(&c, 0x12, 0);
	CHECK_EQ("status", bios(&low, &c), KJ_OK);
	CHECK_EQ("int 12h AX", c.out.eax & 0xffff, peek16(0x413));
	tap("purgatory loaded below 1 MiB (0x%lx) runs a call whose area and bounce buffer "
	    "stay clear of it", low.load);

	low.params->magic = 0;
	call_init(&c, 0x12, 0);
	expect_refusal("parameter block without its magic (KJ_EPARAMS)", &low, &c, KJ_EPARAMS, 0);
	low.params->magic = KJ_PARAMS_MAGIC;
}

/* --- the list mode (Linux's way in, here entered like relocate_kernel) --- */

#define LIST_ADDR	0x20000ul
#define LIST_CALLS	32u

static struct kjump_bios_list *build_e820_list(void)
{
	struct kjump_bios_list *l = (struct kjump_bios_list *)LIST_ADDR;
	unsigned long data = LIST_ADDR + sizeof(*l) + LIST_CALLS * sizeof(l->calls[0]);
	unsigned int i;

	memset(l, 0, sizeof(*l) + LIST_CALLS * (sizeof(l->calls[0]) + sizeof(struct e820)));
	l->magic = KJ_BIOS_LIST_MAGIC;
	l->count = LIST_CALLS;
	for (i = 0; i < LIST_CALLS; i++) {
		struct kjump_bios_call *c = &l->calls[i];

		call_init(c, 0x15, 0xe820);
		c->flags = KJ_BIOS_ESDI_BOUNCE | (i ? KJ_BIOS_CONTINUE : 0);
		c->in.ecx = sizeof(struct e820);
		c->in.edx = SMAP;
		c->bounce = cfg.bounce;
		c->bounce_size = 64;
		c->data = data + i * sizeof(struct e820);
		c->data_size = sizeof(struct e820);
	}
	return l;
}

static long run_list_at(uint64_t addr)
{
	unsigned long next = 0;
	long status;

	high.params->flags |= KJ_FLAG_BIOS_LIST;
	high.params->bios_list = addr;
	status = start_call(high.start, &next);
	high.params->flags &= ~KJ_FLAG_BIOS_LIST;
#if defined(__x86_64__)
	/* The list's caller gets its data selectors and their bases back itself. */
	wrmsr(MSR_FS_BASE, 0x00007f5e10000000ull);
	wrmsr(MSR_GS_BASE, 0x00007f5e20000000ull);
#endif
	CHECK_EQ("the peer's next entry handed back: purgatory_start", next, high.start);
	return status;
}

static long run_list(void)
{
	return run_list_at(LIST_ADDR);
}

static void test_list(void)
{
	struct kjump_bios_list *l = build_e820_list();
	unsigned int i;
	uint64_t runs;

	CHECK_EQ("first run: status", run_list(), KJ_OK);
	CHECK_EQ("first run: list status", l->status, KJ_OK);
	CHECK_EQ("calls that ran: one per E820 entry, then the walk's end", l->done, boot_entries);
	for (i = 0; i < l->done && i < boot_entries; i++) {
		const struct e820 *e = (const struct e820 *)(uintptr_t)l->calls[i].data;

		CHECK_EQ("call status", l->calls[i].status, KJ_OK);
		CHECK_EQ("E820 base", e->base, boot_map[i].base);
		CHECK_EQ("E820 length", e->len, boot_map[i].len);
		CHECK_EQ("E820 type", e->type, boot_map[i].type);
	}
	CHECK_EQ("second run: status", run_list(), KJ_OK);
	CHECK_EQ("runs", l->runs, 2);
	CHECK_EQ("second run: calls that ran", l->done, boot_entries);
	tap("list mode, entered at purgatory_start like Linux's kexec -e: an E820 walk of %u "
	    "calls matches the boot map, twice, and A gets purgatory_start back as next entry",
	    boot_entries);

	l->magic = 0x1234;
	CHECK_EQ("status", run_list(), KJ_EBIOSCALL);
	CHECK_EQ("runs unchanged", l->runs, 2);
	l->magic = KJ_BIOS_LIST_MAGIC;
	l->count = KJ_BIOS_LIST_MAX + 1;
	CHECK_EQ("status", run_list(), KJ_EBIOSCALL);
	CHECK_EQ("runs unchanged", l->runs, 2);
	l->count = LIST_CALLS;
	l->calls[2].magic = 0;
	CHECK_EQ("status", run_list(), KJ_EBIOSCALL);
	CHECK_EQ("list status", l->status, KJ_EBIOSCALL);
	CHECK_EQ("calls that ran before the bad one", l->done, 2);
	tap("list mode refuses a list with a wrong magic or more than %u calls, and stops at a "
	    "malformed call (KJ_EBIOSCALL)", KJ_BIOS_LIST_MAX);

	l->calls[2].magic = KJ_BIOS_MAGIC;
	runs = l->runs;
	CHECK_EQ("status", run_list_at(UNREACHABLE(LIST_ADDR)), KJ_EBIOSCALL);
	CHECK_EQ("runs unchanged", l->runs, runs);
	tap("list mode refuses a list at 0x%llx, which this purgatory cannot reach "
	    "(KJ_EBIOSCALL), and does not run the list its low bits name",
	    (unsigned long long)UNREACHABLE(LIST_ADDR));
}

void a_main(void)
{
	console_init();
	parse_cmdline(boot_cmdline());
	kprintf("# BIOS-call kernel (%s): load=0x%lx lowload=0x%lx area=0x%lx bounce=0x%lx "
		"mem=%lu date=%lu calls=%lu high=%lu\n",
#if defined(__x86_64__)
		"x86_64",
#else
		"i386",
#endif
		cfg.load, cfg.lowload, cfg.area, cfg.bounce, cfg.mem, cfg.date, cfg.calls, cfg.high);
	read_boot_map();
	load_purgatory(&high, cfg.load);
	load_purgatory(&low, cfg.lowload);
#if defined(__x86_64__)
	/* Values no purgatory code would set, so a clobbered base shows. */
	wrmsr(MSR_FS_BASE, 0x00007f5e10000000ull);
	wrmsr(MSR_GS_BASE, 0x00007f5e20000000ull);
#endif
	pic_setup();

	if (cfg.nmisoak) {
		run_nmi_soak();
		tap_done();
		qemu_exit(EXIT_DONE);
	}
	test_e820();
	if (!cfg.high) {
		test_teletype();
		test_rtc();
		test_caller_flags();
		test_memory_sizes();
	}
	test_many_calls();
	if (cfg.nmis) {
		/* Purgatory's handlers, or this kernel's once its IDT is back. */
		CHECK_EQ("NMIs counted by purgatory and this kernel",
			 high.params->nmis + *(volatile uint64_t *)nmi_counter, cfg.nmis);
		tap("%lu NMI(s) injected by the host inside the BIOS call: counted, every call "
		    "exact", cfg.nmis);
	}
	if (!cfg.high) {
		test_refusals();
		test_list();
	}
	kprintf("# %lu calls checked for state drift, %lu drifted\n", drift_checked, drifted);
	tap_done();
	qemu_exit(EXIT_DONE);
}
