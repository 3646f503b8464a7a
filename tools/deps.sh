#!/bin/sh
# deps.sh - check that every host command zc32's build, tests and benchmarks
# need is installed.  Silent and fast when everything is there (it runs on
# every `make`).  Otherwise: as root, install the missing Debian packages;
# as anyone else, print the exact apt-get command and fail.
#
# Each check maps to one or more Debian 12 packages:
#   qemu-system-i386        -> qemu-system-x86
#   grub-mkrescue, grub-file -> grub-common
#   GRUB's i386-pc modules  -> grub-pc-bin   (grub-mkrescue needs them for a BIOS ISO)
#   xorriso                 -> xorriso
#   mformat                 -> mtools
#   i686-*-gcc, -ld, -ar,   -> gcc-i686-linux-gnu binutils-i686-linux-gnu
#     -objcopy, -nm            (the Makefile's CROSS; -nm for tools/gdb/sample.py)
#   gdb                     -> gdb
#   mke2fs, e2fsck, debugfs -> e2fsprogs
#   hexdump                 -> bsdextrautils (tests compare zc32's hexdump -C with it)
#   cpio                    -> cpio
#   /usr/bin/python3+pytest -> python3-pytest
#   mkswap                  -> util-linux
#   flock                   -> util-linux (tools/busybox_fetch.sh holds /tmp/apt.lock)
#   dpkg-deb                -> dpkg (unpacks busybox-static:i386, fetched by apt-get download)
#   git                     -> git (test_labs.py diffs and commits handout trees with it)
#   clang                   -> clang (Debian 12: clang-14; make fuzz-host, test_hostfuzz)
#   libFuzzer, ASan, UBSan  -> libclang-rt-14-dev (only recommended by clang-14's
#     runtime libraries        libclang-common-14-dev: checked by file, in clang's
#                              resource directory)
#
# Not checked: the Makefile and tools/ also run cp, truncate, chmod, find,
# sort (coreutils, findutils: Essential packages, on every Debian system).
# The host's own binutils (nm, objdump) are NOT used: they are not on a
# minimal Debian; the cross ones above are.

PATH="$PATH:/usr/sbin:/sbin"    # mke2fs, e2fsck, debugfs, mkswap live there
export PATH

missing=""

need() {    # need PACKAGE...: add packages to the missing list (no duplicates)
	for p in "$@"; do
		case " $missing " in
		*" $p "*) ;;
		*) missing="$missing $p" ;;
		esac
	done
}

have() {
	command -v "$1" >/dev/null 2>&1
}

have qemu-system-i386 || need qemu-system-x86
have grub-mkrescue    || need grub-common
have grub-file        || need grub-common
[ -f /usr/lib/grub/i386-pc/multiboot.mod ] || need grub-pc-bin
have xorriso          || need xorriso
have mformat          || need mtools
if ! have i686-elf-gcc; then
	have i686-linux-gnu-gcc || need gcc-i686-linux-gnu
	have i686-linux-gnu-ld  || need binutils-i686-linux-gnu
	have i686-linux-gnu-nm  || need binutils-i686-linux-gnu
fi
have gdb              || need gdb
have mke2fs           || need e2fsprogs
have e2fsck           || need e2fsprogs
have debugfs          || need e2fsprogs
have hexdump          || need bsdextrautils   # test_userland compares zc32's hexdump -C with it
have cpio             || need cpio
have mkswap           || need util-linux
have flock            || need util-linux
have dpkg-deb         || need dpkg
have git              || need git        # test_labs.py
have clang            || need clang
if ! have clang || [ ! -f "$(clang -print-runtime-dir)/libclang_rt.fuzzer-x86_64.a" ]; then
	need libclang-rt-14-dev
fi
if [ ! -x /usr/bin/python3 ]; then
	need python3-pytest
elif ! /usr/bin/python3 -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("pytest") is None)' 2>/dev/null; then
	need python3-pytest
fi

[ -z "$missing" ] && exit 0

missing="${missing# }"
if [ "$(id -u)" -ne 0 ]; then
	echo "zc32: missing host packages: $missing" >&2
	echo "zc32: install them with:" >&2
	echo "    sudo apt-get install $missing" >&2
	exit 1
fi

echo "zc32: installing missing host packages: $missing"
export DEBIAN_FRONTEND=noninteractive
# Update the package lists only when apt does not know a package yet.
for p in $missing; do
	if ! apt-cache show "$p" >/dev/null 2>&1; then
		apt-get update || exit 1
		break
	fi
done
# shellcheck disable=SC2086
if ! apt-get install -y $missing; then
	# Stale lists can make an install fail with 404s: refresh once and retry.
	apt-get update && apt-get install -y $missing || exit 1
fi
