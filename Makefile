# SPDX-License-Identifier: GPL-2.0-only
# kjump-purgatory: `make` builds both arches; `make check` runs the QEMU tests;
# `make run` shows the coroutine in QEMU. O=dir builds out of tree.

O ?= build
ARCHES := i386 x86_64

CC := gcc
LD := ld
NASM := nasm
OBJCOPY := objcopy
CPP := cpp
PYTHON := python3

SRC := $(CURDIR)
SHELL := /bin/bash

# Freestanding: no red zone (the caller's stack is not ours), no SSE/x87
# (Linux enters with CR4.OSFXSR clear), no stack protector or unwind tables
# (nothing to support them), hidden visibility (no GOT), PIE code (runs at
# any address with no relocation step).
CFLAGS_COMMON := -std=gnu11 -Os -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-common -fno-zero-initialized-in-bss -fno-tree-loop-distribute-patterns \
	-fvisibility=hidden -fpie -mgeneral-regs-only -fno-jump-tables \
	-fcf-protection=none -I$(SRC)/include \
	-include $(SRC)/include/kjump/hidden.h
CFLAGS_SHA256 := -O2
CFLAGS_i386 := -m32 -march=i686 -mregparm=0
CFLAGS_x86_64 := -m64 -march=x86-64 -mno-red-zone -mcmodel=small
NASMFMT_i386 := elf32
NASMFMT_x86_64 := elf64
LDEMU_i386 := elf_i386
LDEMU_x86_64 := elf_x86_64
LDDEF_i386 := KJ_ARCH_I386
LDDEF_x86_64 := KJ_ARCH_X86_64

PURG_C := purgatory/transition.c purgatory/range.c purgatory/elfcore.c purgatory/cmdline.c \
	purgatory/console.c purgatory/digest.c purgatory/params.c purgatory/crashnote.c \
	purgatory/bios.c purgatory/boot16.c purgatory/pc.c purgatory/rm_area.c \
	purgatory/lowmem.c purgatory/onecpu.c purgatory/bridge_gdt.c purgatory/tables.c \
	purgatory/restore.c \
	lib/serial.c lib/printf.c lib/string.c lib/sha256.c lib/vga.c
ARCH_C_i386 := arch/i386/cpu.c arch/i386/bioscall.c arch/x86/simd.c
ARCH_C_x86_64 := arch/x86_64/cpu.c arch/x86_64/idmap.c arch/x86_64/bioscall.c arch/x86_64/memenc.c \
	arch/x86/simd.c
ARCH_ASM := entry.asm exceptions.asm realmode.asm sha256_ni.asm

.PHONY: all clean check check-matrix soak fuzz run help deps deps-linux bench print-bench-cflags
all: $(foreach a,$(ARCHES),$(O)/$(a)/purgatory.bin $(O)/$(a)/purgatory.ro)

help:
	@echo "make            build $(O)/<arch>/purgatory.{bin,ro} for i386 and x86_64"
	@echo "make deps       install the Debian packages the build and tests need (root)"
	@echo "make check      build everything and run all tests under prove (TAP)"
	@echo "make check-matrix  the kexec-tools x kernel pairings make check leaves out"
	@echo "make soak       the real-kernel chains, 200 round trips each (KJ_SOAK_ROUNDS=N), and BIOS calls under random NMIs"
	@echo "make fuzz       fuzz purgatory's validators for 5 minutes each (KJ_FUZZ_TIME=s), corpus kept"
	@echo "make bench      instruction counts, SHA-256 and size against kexec-tools: docs/bench.md"
	@echo "make run        demo: boot A and B in QEMU and trace their transitions"
	@echo "make O=dir ...  build out of tree"

deps:
	scripts/install-deps.sh

deps-linux:
	scripts/install-deps.sh --linux

# Every test is a tests/**/*.t script printing TAP; prove runs two at a time
# (one QEMU guest per core).
# tests/linux/ boots real kernels; its first run builds three kernels (6.1
# x86_64 and i386, sid's newest) and two kexec-tools versions (about half
# an hour on 2 cores), cached outside the clone after.
check: deps-linux all test-kernels
	KJ_O=$(O) prove -j$${KJ_JOBS:-2} -e bash tests/*.t tests/qemu/*.t tests/linux/*.t

# The kexec-tools x kernel pairings that make check leaves out (make check
# pairs 6.1 and 6.12 with bookworm's 2.0.25 and the newest kernel with sid's
# 2.0.32): the same chain, x86_64, 2 CPUs each (docs/linux.md, "Pairings").
check-matrix: deps-linux all
	KJ_O=$(O) prove -v -j$${KJ_JOBS:-2} -e bash tests/linux/matrix/*.t

# The real-kernel chains only, each for KJ_SOAK_ROUNDS round trips (200;
# the newest kernel's runs on 4 CPUs), one at a time so that each guest has
# both cores (KJ_SOAK_JOBS=3 runs them side by side). A failed chain keeps
# its serial and QEMU reset logs ($(O)/linux/<arch>-<version>/failed-<time>/).
# Use another O= than a make check running at the same time.
soak: deps-linux all test-kernels
	KJ_O=$(O) KJ_ROUNDS=$${KJ_SOAK_ROUNDS:-200} prove -v -j$${KJ_SOAK_JOBS:-1} -e bash tests/linux/*.t
	KJ_O=$(O) KJ_NMI_BIOS=1 prove -v -e bash tests/qemu/nmi.t

# Purgatory's validators under libFuzzer (tests/fuzz.t, which make check
# runs for 12 s a target): KJ_FUZZ_TIME seconds each (300), and every unit
# that adds coverage is merged into tests/fuzz/corpus/.
fuzz: deps
	KJ_O=$(O) KJ_FUZZ_TIME=$${KJ_FUZZ_TIME:-300} KJ_FUZZ_KEEP=1 prove -v -e bash tests/fuzz.t

# What purgatory costs (docs/bench.md): instruction counts under QEMU
# -icount, SHA-256 and size side by side with kexec-tools' purgatory.
# Writes docs/bench.md and docs/bench.png (KJ_BENCH_REPORT=dir elsewhere).
bench: deps-linux all test-kernels
	scripts/bench.sh $(O) $${KJ_BENCH_REPORT:-docs}

# Purgatory's C flags for lib/sha256.c on BENCH_ARCH (x86_64), for the
# host-side SHA-256 bench.
BENCH_ARCH ?= x86_64
print-bench-cflags:
	@echo $(filter-out -Werror -Wall -Wextra,$(CFLAGS_COMMON) $(CFLAGS_$(BENCH_ARCH)) $(CFLAGS_SHA256))

# The demo: three round trips per arch with purgatory's trace on, printed as
# the serial console shows it.
run: deps all test-kernels
	@for arch in i386 x86_64; do \
		echo "=== $$arch: kernel A (SeaBIOS, multiboot) coroutines with kernel B through purgatory ==="; \
		timeout 120 qemu-system-$$arch -machine pc -m 256 -display none -no-reboot -nic none \
			-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-kernel $(O)/tests/$$arch/kernel_a.bin \
			-append "load=0x1000000 conv=61 rounds=3 mode=demo" </dev/null | tr -d '\r'; \
		status=$${PIPESTATUS[0]}; \
		if [ "$$status" != 1 ]; then echo "demo failed: QEMU status $$status"; exit 1; fi; \
	done

# --- per-arch rules, instantiated for each arch ---------------------------
define ARCH_RULES
$(O)/$(1)/asm-offsets.s: purgatory/asm-offsets.c include/kjump/params.h include/kjump/abi.h \
		include/kjump/bios.h purgatory/realmode.h arch/$(1)/desc.h arch/x86/cpu_bits.h
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS_$(1)) -Iarch/$(1) -S -o $$@ $$<

$(O)/$(1)/asm-offsets.inc: $(O)/$(1)/asm-offsets.s
	sed -n 's/.*->\([A-Za-z0-9_]*\) \$$$$\{0,1\}\(-\{0,1\}[0-9]*\).*/%define \1 \2/p' $$< > $$@.tmp
	test -s $$@.tmp && mv $$@.tmp $$@

$(O)/$(1)/obj/%.o: %.c $(wildcard include/kjump/*.h purgatory/*.h lib/*.h arch/x86/*.h arch/$(1)/*.h)
	@mkdir -p $$(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS_$(1)) $$(CFLAGS_FILE) -Iarch/$(1) -c -o $$@ $$<

# The digest's C compression for speed rather than size, as kexec-tools
# builds its own (purgatory/Makefile: sha256.o gets -O2).
$(O)/$(1)/obj/lib/sha256.o: CFLAGS_FILE := $(CFLAGS_SHA256)

$(O)/$(1)/obj/arch/$(1)/%.o: arch/$(1)/%.asm $(O)/$(1)/asm-offsets.inc $(wildcard arch/x86/*.inc arch/$(1)/*.inc)
	@mkdir -p $$(@D)
	$(NASM) -f $(NASMFMT_$(1)) -I$(O)/$(1)/ -Iarch/$(1)/ -Iarch/x86/ -o $$@ $$<

$(O)/$(1)/purgatory.lds: linker/purgatory.lds.S
	@mkdir -p $$(@D)
	$(CPP) -P -undef -D$(LDDEF_$(1)) -o $$@ $$<

$(O)/$(1)/purgatory.elf: $(addprefix $(O)/$(1)/obj/,$(PURG_C:.c=.o) $(ARCH_C_$(1):.c=.o) $(addprefix arch/$(1)/,$(ARCH_ASM:.asm=.o))) $(O)/$(1)/purgatory.lds
	$(LD) -m $(LDEMU_$(1)) -pie --no-dynamic-linker -z noexecstack -z norelro --no-warn-rwx-segments \
		--no-undefined --hash-style=sysv -T $(O)/$(1)/purgatory.lds -o $$@ \
		$$(filter %.o,$$^)

$(O)/$(1)/purgatory.bin: $(O)/$(1)/purgatory.elf
	$(OBJCOPY) -O binary $$(foreach s,.header .text .rodata .params .data .got.plt .got,-j $$(s)) $$< $$@
	$(PYTHON) scripts/kjimage.py check $$@ $(1)

$(O)/$(1)/purgatory.ro: $(O)/$(1)/purgatory.bin $(O)/$(1)/purgatory.elf $(O)/$(1)/asm-offsets.s scripts/mkro.py
	$(PYTHON) scripts/mkro.py --arch $(1) --bin $(O)/$(1)/purgatory.bin \
		--elf $(O)/$(1)/purgatory.elf --offsets $(O)/$(1)/asm-offsets.s -o $$@
endef
$(foreach a,$(ARCHES),$(eval $(call ARCH_RULES,$(a))))

clean:
	rm -rf $(O)

-include tests/qemu/tests.mk
