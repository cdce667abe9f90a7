# SPDX-License-Identifier: GPL-2.0-only
# The standalone QEMU test: test kernels A and B per arch, and the runner.
# Included by the top-level Makefile.

TK := tests/qemu/kernel
TCFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-pie -fno-pic -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-fcf-protection=none -I$(SRC)/include
TCFLAGS_i386 := -m32 -march=i686
TCFLAGS_x86_64 := -m64 -mno-red-zone -mcmodel=small
TK_LIB := lib/serial.c lib/printf.c lib/string.c lib/sha256.c $(TK)/common/console.c
TK_HDRS := $(wildcard $(TK)/common/*.h include/kjump/*.h lib/*.h)

define TK_RULES
# $(1) = arch, $(2) = a|b
$(O)/tests/$(1)/$(2)/%.o: %.c $(TK_HDRS)
	@mkdir -p $$(@D)
	$(CC) $(TCFLAGS) $(TCFLAGS_$(1)) $(if $(filter b,$(2)),-DKERNEL_B) -c -o $$@ $$<
$(O)/tests/$(1)/$(2)/%.o: %.asm $(wildcard $(TK)/common/*.inc)
	@mkdir -p $$(@D)
	$(NASM) -f $(NASMFMT_$(1)) $(if $(filter b,$(2)),-DKERNEL_B) -o $$@ $$<
endef
$(foreach a,$(ARCHES),$(foreach k,a b,$(eval $(call TK_RULES,$(a),$(k)))))

define TK_ARCH
TK_A_OBJ_$(1) := $$(addprefix $(O)/tests/$(1)/a/,$$(patsubst %.c,%.o,$$(patsubst %.asm,%.o, \
	$(TK)/common/kernel_a.c $(TK)/common/bench.c $(TK)/common/loader.c $(TK)/common/tap.c $(TK_LIB) $(TK)/$(1)/cpu.c $(TK)/$(1)/boot_a.asm \
	$(TK)/$(1)/jump.asm $(TK)/$(1)/stubs.asm $(wildcard $(TK)/$(1)/raw_call.asm) \
	$(TK)/common/one_way_probe.asm)))
TK_B_OBJ_$(1) := $$(addprefix $(O)/tests/$(1)/b/,$$(patsubst %.c,%.o,$$(patsubst %.asm,%.o, \
	$(TK)/common/kernel_b.c $(TK_LIB) $(TK)/$(1)/cpu.c $(TK)/$(1)/boot_b.asm \
	$(TK)/$(1)/jump.asm $(TK)/$(1)/stubs.asm)))

$(O)/tests/$(1)/%.lds: $(TK)/%.lds.S
	@mkdir -p $$(@D)
	$(CPP) -P -undef -D$(LDDEF_$(1)) -o $$@ $$<

$(O)/tests/$(1)/kernel_b.elf: $$(TK_B_OBJ_$(1)) $(O)/tests/$(1)/kernel_b.lds
	$(LD) -m $(LDEMU_$(1)) -nostdlib -z noexecstack --no-warn-rwx-segments -T $(O)/tests/$(1)/kernel_b.lds -o $$@ $$(TK_B_OBJ_$(1))
$(O)/tests/$(1)/kernel_b.bin: $(O)/tests/$(1)/kernel_b.elf
	$(OBJCOPY) -O binary $$< $$@

$(O)/tests/$(1)/blobs.o: $(TK)/blobs.asm $(O)/$(1)/purgatory.bin $(O)/tests/$(1)/kernel_b.bin
	$(NASM) -f $(NASMFMT_$(1)) -DPURGATORY_BIN='"$(O)/$(1)/purgatory.bin"' \
		-DKERNEL_B_BIN='"$(O)/tests/$(1)/kernel_b.bin"' -o $$@ $$<

# The BIOS-call kernel: kernel A's boot path and CPU set-up, its own main.
TK_BIOS_OBJ_$(1) := $$(addprefix $(O)/tests/$(1)/a/,$$(patsubst %.c,%.o,$$(patsubst %.asm,%.o, \
	$(TK)/common/bios_test.c $(TK)/common/tap.c $(TK_LIB) $(TK)/$(1)/cpu.c $(TK)/$(1)/boot_a.asm \
	$(TK)/$(1)/stubs.asm $(TK)/$(1)/sentinel_call.asm)))
$(O)/tests/$(1)/bios_kernel.elf: $$(TK_BIOS_OBJ_$(1)) $(O)/tests/$(1)/blobs.o $(O)/tests/$(1)/kernel_a.lds
	$(LD) -m $(LDEMU_$(1)) -nostdlib -z noexecstack --no-warn-rwx-segments -T $(O)/tests/$(1)/kernel_a.lds -o $$@ \
		$$(TK_BIOS_OBJ_$(1)) $(O)/tests/$(1)/blobs.o
$(O)/tests/$(1)/bios_kernel.bin: $(O)/tests/$(1)/bios_kernel.elf
	$(OBJCOPY) -O binary $$< $$@

$(O)/tests/$(1)/kernel_a.elf: $$(TK_A_OBJ_$(1)) $(O)/tests/$(1)/blobs.o $(O)/tests/$(1)/kernel_a.lds
	$(LD) -m $(LDEMU_$(1)) -nostdlib -z noexecstack --no-warn-rwx-segments -T $(O)/tests/$(1)/kernel_a.lds -o $$@ \
		$$(TK_A_OBJ_$(1)) $(O)/tests/$(1)/blobs.o
$(O)/tests/$(1)/kernel_a.bin: $(O)/tests/$(1)/kernel_a.elf
	$(OBJCOPY) -O binary $$< $$@
endef
$(foreach a,$(ARCHES),$(eval $(call TK_ARCH,$(a))))


# Kernel A for OVMF: the same objects built as PIC and linked with gnu-efi.
EFI_INC := /usr/include/efi
EFI_CFLAGS := $(filter-out -fno-pie -fno-pic,$(TCFLAGS)) $(TCFLAGS_x86_64) -fpic -fshort-wchar \
	-fvisibility=hidden -DKJ_EFI -DGNU_EFI_USE_MS_ABI -maccumulate-outgoing-args \
	-I$(EFI_INC) -I$(EFI_INC)/x86_64
TK_EFI_SRC := $(TK)/common/kernel_a.c $(TK)/common/bench.c $(TK)/common/loader.c $(TK)/common/tap.c $(TK_LIB) $(TK)/x86_64/cpu.c $(TK)/x86_64/efi_main.c \
	$(TK)/x86_64/jump.asm $(TK)/x86_64/stubs.asm $(TK)/x86_64/raw_call.asm
TK_EFI_OBJ := $(addprefix $(O)/tests/x86_64/efi/,$(patsubst %.c,%.o,$(patsubst %.asm,%.o,$(TK_EFI_SRC))))

$(O)/tests/x86_64/efi/%.o: %.c $(TK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -c -o $@ $<
$(O)/tests/x86_64/efi/%.o: %.asm $(wildcard $(TK)/common/*.inc)
	@mkdir -p $(@D)
	$(NASM) -f elf64 -o $@ $<

$(O)/tests/x86_64/kernel_a.so: $(TK_EFI_OBJ) $(O)/tests/x86_64/blobs.o
	$(LD) -nostdlib -znocombreloc -z noexecstack -shared -Bsymbolic --no-undefined --no-warn-rwx-segments \
		-T /usr/lib/elf_x86_64_efi.lds /usr/lib/crt0-efi-x86_64.o $^ \
		-L/usr/lib -lgnuefi -lefi -o $@
$(O)/tests/x86_64/kernel_a.efi: $(O)/tests/x86_64/kernel_a.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@

# Listed after every rule that builds one: make expands a rule's
# prerequisites when it reads the rule.
TEST_KERNELS := $(foreach a,$(ARCHES),$(O)/tests/$(a)/kernel_a.bin $(O)/tests/$(a)/bios_kernel.bin) \
	$(O)/tests/x86_64/kernel_a.efi
.PHONY: test-kernels
test-kernels: $(TEST_KERNELS)
