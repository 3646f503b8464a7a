# zc32 - top-level build.  `make` builds everything into build/;
# `make run` boots it; `make test` runs the test suite.  See README.md.

# ---- host packages ----------------------------------------------------
# tools/deps.sh installs missing Debian packages (as root) or prints the
# apt-get line.  It runs while this Makefile is read, before the compiler
# is chosen below: on a fresh machine the cross compiler only exists once
# it has run.  Its messages go to stderr, so they reach the terminal.
ifeq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
else
DEPS_STATUS := $(shell tools/deps.sh 1>&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error zc32: host packages are missing (see above))
endif
endif

# ---- toolchain --------------------------------------------------------
# Prefer an i686-elf cross compiler, else Debian's i686-linux-gnu one.
CROSS ?= $(shell if command -v i686-elf-gcc >/dev/null 2>&1; then echo i686-elf-; \
                 elif command -v i686-linux-gnu-gcc >/dev/null 2>&1; then echo i686-linux-gnu-; fi)
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
AR      := $(CROSS)ar
OBJCOPY := $(CROSS)objcopy
PYTHON  := /usr/bin/python3
LIBGCC   = $(shell $(CC) -m32 -print-libgcc-file-name)
QEMU    := qemu-system-i386

B := build

# Warnings on, -Werror off so a newer compiler does not break a student's build.
# OPT is -O2 for everything make test and make bench run; `make gdb` builds
# a second kernel with GDB_OPT (below) in a directory of its own.
OPT ?= -O2
COMMON_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pie -no-pie -fno-stack-protector \
        -fno-builtin -nostdlib -fno-omit-frame-pointer -g $(OPT) -Wall -Wextra \
        -Wno-unused-parameter -fno-asynchronous-unwind-tables -fcf-protection=none
KERNEL_CFLAGS := $(COMMON_CFLAGS) -mgeneral-regs-only -fno-strict-aliasing \
        -Ikernel/include -Ikernel -Idrivers -MMD -MP
USER_CFLAGS := $(COMMON_CFLAGS) -Iuser/lib -Ikernel/include -MMD -MP
ASFLAGS := -m32 -g -Ikernel/include -MMD -MP

Q := @
ifeq ($(V),1)
Q :=
endif

# ---- kernel -----------------------------------------------------------
KERNEL_SRCS := $(wildcard boot/*.S) \
        $(wildcard kernel/*.c kernel/*/*.c kernel/*/*.S kernel/*/*/*.c) \
        $(wildcard drivers/*.c drivers/*/*.c)
KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(basename $(KERNEL_SRCS)))

$(B)/kernel.elf: $(KERNEL_OBJS) boot/linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -z noexecstack -T boot/linker.ld -o $@ $(KERNEL_OBJS) $(LIBGCC)

$(B)/kernel/%.o $(B)/drivers/%.o $(B)/boot/%.o: private CFLAGS := $(KERNEL_CFLAGS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# ---- user space -------------------------------------------------------
ULIB_SRCS := $(wildcard user/lib/*.c user/lib/*.S)
ULIB_OBJS := $(patsubst %,$(B)/%.o,$(basename $(ULIB_SRCS)))
$(B)/user/%.o: private CFLAGS := $(USER_CFLAGS)

$(B)/user/libzc.a: $(ULIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# Programs: user/bin/NAME.c becomes /bin/NAME, and the test program
# user/tests/NAME.c becomes /test/NAME (out of the way of the tools).
# Files named raw_*.c are built -static -nostdlib without libzc: they make
# their own int 0x80 calls, as a program from another toolchain would.
UPROGS := $(addprefix $(B)/rootfs/bin/,$(notdir $(basename $(wildcard user/bin/*.c)))) \
          $(addprefix $(B)/rootfs/test/,$(notdir $(basename $(wildcard user/tests/*.c))))
USER_LDFLAGS := -m32 -static -nostdlib -no-pie -Wl,-Ttext-segment=0x08048000 -Wl,--build-id=none

$(B)/rootfs/test/raw_%: $(B)/user/tests/raw_%.o
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $<

$(B)/rootfs/bin/%: $(B)/user/bin/%.o $(B)/user/libzc.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $(B)/user/lib/crt0.o $< $(B)/user/libzc.a -lgcc

$(B)/rootfs/test/%: $(B)/user/tests/%.o $(B)/user/libzc.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $(B)/user/lib/crt0.o $< $(B)/user/libzc.a -lgcc

# The root tree: programs, the files under user/root/, and an empty /tmp.
ROOT_FILES := $(shell find user/root -type f 2>/dev/null)
$(B)/rootfs.stamp: $(UPROGS) $(ROOT_FILES) Makefile
	@mkdir -p $(B)/rootfs $(B)/rootfs/tmp $(B)/rootfs/proc $(B)/rootfs/dev
	@# A program whose source is gone (or moved to user/tests/) leaves /bin.
	$(Q)for f in $(B)/rootfs/bin/*; do [ -f user/bin/$$(basename $$f).c ] || rm -f $$f; done
	$(Q)if [ -d user/root ]; then cp -r user/root/. $(B)/rootfs/; fi
	@# Symbolic links for linuxabi's tests: a short one (kept in the inode), a long one (in a block),
	@# and in /links, where no test copies the tree, a loop, a chain, a dangling one and one to a directory.
	$(Q)ln -sfn ../bin/echo $(B)/rootfs/test/echo.link && ln -sfn ../bin/$$(printf './%.0s' $$(seq 30))echo $(B)/rootfs/test/long.link
	$(Q)mkdir -p $(B)/rootfs/links && cd $(B)/rootfs/links && ln -sfn loop.link loop.link && \
	    ln -sfn /test/echo.link chain.link && ln -sfn nowhere dangling.link && ln -sfn ../test dir.link
	@touch $@

# The root filesystem: ext2 made from the staging tree by mke2fs -d (no
# hand-written mkfs).  4 KiB blocks; dir_index off because zc32 keeps
# directories linear.  The image is sparse, so its size costs nothing.
ROOTFS_SIZE ?= 256M
DATA_FILES := $(addprefix $(B)/rootfs/data/,1k.bin 1m.bin 64m.bin 16m.bin odd.bin)
$(B)/rootfs.img: $(B)/rootfs.stamp $(DATA_FILES)
	@echo "  MKE2FS  $@"
	$(Q)rm -f $@ && mke2fs -q -t ext2 -O ^dir_index -b 4096 -L zc32root -d $(B)/rootfs $@ $(ROOTFS_SIZE) >/dev/null

# Deterministic test data (tools/mkdata.py knows each file's sha256).
$(DATA_FILES) &: tools/mkdata.py
	@echo "  DATA    $(B)/rootfs/data"
	$(Q)$(PYTHON) tools/mkdata.py $(B)/rootfs/data

# The swap disk: a Linux swap signature made by mkswap.  Big enough for
# two programs of 4x a 32 MiB guest's RAM at once (tools/test/test_vm.py),
# and sparse, so unused slots cost no host disk space (mkswap's warning
# about holes is for swap files on a host file system: not our case).
SWAP_MB ?= 320
$(B)/swap.img: Makefile
	@echo "  MKSWAP  $@"
	$(Q)rm -f $@ && truncate -s $(SWAP_MB)M $@ && chmod 600 $@ && \
		mkswap $@ >$(B)/mkswap.log 2>&1 || (cat $(B)/mkswap.log; false)

# Initial ramdisk: the root tree as a cpio newc archive (Linux's initramfs format).
$(B)/initrd.cpio: $(B)/rootfs.stamp
	@echo "  CPIO    $@"
	$(Q)rm -rf $(B)/initrd-root && mkdir -p $(B)/initrd-root && cd $(B)/rootfs && \
		find . -mindepth 1 -not -path './data*' | LC_ALL=C sort | cpio --quiet -pdm ../initrd-root
	$(Q)for f in $(B)/initrd-root/bin/* $(B)/initrd-root/test/*; do $(OBJCOPY) --strip-debug $$f; done
	$(Q)cd $(B)/initrd-root && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc > ../initrd.cpio

# Debian's busybox-static (i386) beside zc32's programs: /bin/busybox and
# its applets as links in /bb (tools/busybox_image.py, docs/busybox.md).
# apt fetches the package once into ~/.cache/zc32/busybox.
$(B)/bbroot.img: $(B)/rootfs.stamp $(DATA_FILES) tools/busybox_image.py tools/busybox_fetch.sh
	@echo "  BUSYBOX $@"
	$(Q)$(PYTHON) tools/busybox_image.py --tree $(B)/rootfs --out $@

# BUSYBOX=1: make run, run-kernel, run-vga and gdb boot the busybox image.
ifeq ($(BUSYBOX),1)
BB_IMG := $(B)/bbroot.img
export ZC32_ROOT_IMAGE := $(abspath $(BB_IMG))
endif

# ---- bootable ISO -----------------------------------------------------
$(B)/zc32.iso: $(B)/kernel.elf $(B)/initrd.cpio iso/grub.cfg
	@echo "  ISO     $@"
	$(Q)rm -rf $(B)/isodir && mkdir -p $(B)/isodir/boot/grub
	$(Q)$(OBJCOPY) --strip-debug $(B)/kernel.elf $(B)/isodir/boot/kernel.elf
	$(Q)cp $(B)/initrd.cpio $(B)/isodir/boot/
	$(Q)cp iso/grub.cfg $(B)/isodir/boot/grub/
	$(Q)grub-mkrescue -o $@ $(B)/isodir >$(B)/grub-mkrescue.log 2>&1 || (cat $(B)/grub-mkrescue.log; false)

# ---- host fuzzing (docs/hardening.md) ----------------------------------
# The kernel's pure parsers (proc/elf.h, fs/ext2/check.c, net/wire.c)
# built for the host, x86_64, with libFuzzer, AddressSanitizer and UBSan
# around the harnesses of tools/fuzz/.  Alignment is not checked: x86
# loads any alignment and csum_add relies on it (an IPv4 header sits
# 2 bytes off a word after the Ethernet header).  Seeds are made from
# build/'s programs, mke2fs and test frames (tools/fuzz/seeds.py).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize=alignment \
        -fno-sanitize-recover=all -fno-strict-aliasing -Wall -Wextra -Wno-unused-parameter \
        -Itools/fuzz/host -Ikernel/include -Ikernel -include tools/fuzz/host/types.h
FUZZERS := $(addprefix $(B)/fuzz/,fuzz_elf fuzz_ext2 fuzz_net)
$(B)/fuzz/fuzz_elf: tools/fuzz/fuzz_elf.c kernel/proc/elf.h kernel/include/uapi/elf.h
$(B)/fuzz/fuzz_ext2: tools/fuzz/fuzz_ext2.c kernel/fs/ext2/check.c kernel/fs/ext2/ext2.h
$(B)/fuzz/fuzz_net: tools/fuzz/fuzz_net.c kernel/net/wire.c kernel/net/net.h kernel/net/tcp.h kernel/net/udp.h
$(FUZZERS): tools/fuzz/fuzz.h $(wildcard tools/fuzz/host/*.h tools/fuzz/host/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(B)/fuzz/seeds.stamp: tools/fuzz/seeds.py tools/mutate.py $(B)/rootfs.stamp
	@echo "  SEEDS   $(B)/fuzz/seeds"
	$(Q)$(PYTHON) tools/fuzz/seeds.py --out $(B)/fuzz/seeds --objcopy $(OBJCOPY)
	@touch $@

# Each harness for FUZZ_SECONDS (its seed folder, a fresh corpus).
fuzz-host: $(FUZZERS) $(B)/fuzz/seeds.stamp
	$(Q)$(PYTHON) tools/fuzz/run.py --seconds $(FUZZ_SECONDS)

# ---- top-level targets --------------------------------------------------
.PHONY: all deps run run-vga run-kernel run-busybox gdb gdb-kernel test bench demo book stress clean clean-disk fuzz-host
.DEFAULT_GOAL := all

all: $(B)/kernel.elf $(B)/initrd.cpio $(B)/zc32.iso $(B)/rootfs.img $(B)/swap.img $(BB_IMG)

# Install missing Debian packages (as root) or print the command to do it
# (this already happened while the Makefile was read; see the top).
deps:
	@true

# The console is this terminal.  Quit QEMU with Ctrl-A then X.
run: all
	@echo "zc32: booting build/zc32.iso; quit with Ctrl-A then X"
	$(Q)$(PYTHON) tools/qemu.py --iso $(QEMUFLAGS)

run-kernel: all
	@echo "zc32: booting build/kernel.elf with -kernel; quit with Ctrl-A then X"
	$(Q)$(PYTHON) tools/qemu.py $(QEMUFLAGS)

# Debian's busybox sh on the console: init runs /bin/busybox sh -i -l.
run-busybox:
	$(Q)$(MAKE) --no-print-directory run-kernel BUSYBOX=1 \
		QEMUFLAGS="--args '--exec /bin/busybox sh -i -l' $(QEMUFLAGS)"

run-vga: all
	$(Q)$(PYTHON) tools/qemu.py --iso --vga $(QEMUFLAGS)

# QEMU stopped at the first instruction, GDB attached with kernel symbols.
# The kernel it boots is built for stepping: -Og keeps variables readable
# and `next` in source order, in build/gdb-Og/ so build/ stays -O2 for
# tests and benchmarks.  `make gdb GDB_OPT=-O2` debugs the -O2 code itself
# (in build/gdb-O2/), as it runs in make test (docs/gdb.md).
GDB_OPT ?= -Og
GDB_B := $(B)/gdb$(GDB_OPT)
gdb: all gdb-kernel
	$(Q)$(PYTHON) tools/gdb/run-gdb.py --kernel $(GDB_B)/kernel.elf $(QEMUFLAGS)

gdb-kernel:
	$(Q)$(MAKE) --no-print-directory B=$(GDB_B) OPT=$(GDB_OPT) $(GDB_B)/kernel.elf

test: all $(B)/bbroot.img
	$(Q)$(PYTHON) -m pytest -q -p no:cacheprovider tools/test $(PYTEST_ARGS)

# Boot zc32, send /data/16m.bin the four ways (zcopy --json) to a sink on
# the host, and draw them: build/demo/index.html (docs/zero-copy.md).
demo: all
	$(Q)$(PYTHON) tools/zcopy_boot.py --out $(B)/demo $(DEMOFLAGS)

# Boot zc32 once and rewrite every figure in the book (docs/README.md) with
# what its command prints today (tools/book.py).
book: all
	$(Q)$(PYTHON) tools/book.py --update

# The long hardening runs (docs/hardening.md): a table, and JSON in build/stress.json.
stress: all $(FUZZERS) $(B)/fuzz/seeds.stamp
	$(Q)$(PYTHON) tools/stress.py $(STRESSFLAGS)

bench: all
	$(Q)$(PYTHON) tools/bench/bench.py
	$(Q)$(PYTHON) tools/bench/bench_vm.py
	$(Q)$(PYTHON) tools/bench/bench_net.py
	$(Q)$(PYTHON) tools/bench/bench_zerocopy.py
	$(Q)$(PYTHON) tools/bench/bench_wait.py

# ---- the course: labs, handouts, grading (docs/labs/README.md) ----------
.PHONY: handout grade check-handouts
# make handout LAB=cow OUT=DIR: a student tree without cow's solution;
# UPTO=cow instead: without cow's nor any earlier lab's.
handout:
	@test -n "$(OUT)" -a -n "$(LAB)$(UPTO)" || \
		{ echo "usage: make handout LAB=name OUT=dir (or UPTO=name)"; false; }
	$(Q)$(PYTHON) tools/labs.py handout $(if $(UPTO),--upto $(UPTO),--lab $(LAB)) --out $(OUT)

# make grade [LAB=a,b]: score this tree's kernel; build/grade/grade.json, junit.xml.
grade: all
	$(Q)$(PYTHON) tools/grade $(if $(LAB),--labs $(LAB)) $(GRADEFLAGS)

# Every handout against every lab's tests (make test checks each handout
# against its own lab's tests and a smoke of the others).
check-handouts: all
	$(Q)ZC32_HANDOUT_MATRIX=full $(PYTHON) -m pytest -q -p no:cacheprovider tools/test/test_labs.py $(PYTEST_ARGS)

clean:
	rm -rf $(B)

# make run's root disk, build/disk.img, keeps the student's files across
# builds (tools/student_disk.py); this starts it over from rootfs.img.
clean-disk:
	rm -f $(B)/disk.img $(B)/disk.stamp $(B)/bbdisk.img $(B)/bbdisk.stamp

# Keep the object files of programs (make would delete them as intermediate
# files and rebuild them next time).
.SECONDARY:

-include $(shell find $(B) -name '*.d' 2>/dev/null)
