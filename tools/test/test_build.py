"""test_build.py - the artefacts `make` produces, checked on the host
(no QEMU): the kernel is a multiboot ELF32, the initrd a cpio newc archive
holding the programs, the programs static ELF32 i386 at 0x08048000, the ISO
an ISO 9660 image."""

import re
import shutil
import struct
import subprocess

import pytest

import qemu
from conftest import BUILD, guest_path

# Programs the foundation tests (test_foundation.py) and benchmarks run.
PROGRAMS = ["init", "sh", "echo", "true", "false", "systest", "faults", "preempt",
            "forktree", "raw_hello", "stats", "nullsys"]

PT_LOAD, PT_INTERP, PT_DYNAMIC = 1, 3, 2

pytestmark = pytest.mark.usefixtures("built")


def elf_header(path):
    """(class, data, machine, entry, [(p_type, p_vaddr, p_memsz)]) of an ELF file."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", f"{path} is not an ELF file"
    ei_class, ei_data = data[4], data[5]
    assert ei_class == 1, f"{path}: not ELF32 (EI_CLASS {ei_class})"
    assert ei_data == 1, f"{path}: not little-endian"
    (e_type, e_machine, _, e_entry, e_phoff, _, _, _, e_phentsize,
     e_phnum) = struct.unpack_from("<HHIIIIIHHH", data, 16)
    phdrs = []
    for i in range(e_phnum):
        p_type, _, p_vaddr, _, _, p_memsz = struct.unpack_from("<IIIIII", data, e_phoff + i * e_phentsize)
        phdrs.append((p_type, p_vaddr, p_memsz))
    return e_type, e_machine, e_entry, phdrs


def cpio_names(path):
    """Names in a cpio newc archive (magic 070701), parsed by hand."""
    data = path.read_bytes()
    names, off = [], 0
    while True:
        magic = data[off:off + 6]
        assert magic in (b"070701", b"070702"), f"{path}: bad cpio magic {magic!r} at {off}"
        fields = [int(data[off + 6 + 8 * i: off + 14 + 8 * i], 16) for i in range(13)]
        filesize, namesize = fields[6], fields[11]
        name = data[off + 110: off + 110 + namesize - 1].decode()
        if name == "TRAILER!!!":
            return names
        names.append(name[2:] if name.startswith("./") else name)
        off = (off + 110 + namesize + 3) & ~3
        off = (off + filesize + 3) & ~3
        assert off <= len(data), f"{path}: truncated archive"


def test_kernel_is_multiboot():
    r = subprocess.run(["grub-file", "--is-x86-multiboot", str(qemu.KERNEL)])
    assert r.returncode == 0, "grub-file --is-x86-multiboot rejects build/kernel.elf"


def test_kernel_is_elf32_i386_higher_half():
    e_type, machine, entry, phdrs = elf_header(qemu.KERNEL)
    assert machine == 3, f"e_machine {machine}, expected 3 (EM_386)"
    # The multiboot header must sit in the first 8 KiB (docs/qemu-notes.md 4).
    head = qemu.KERNEL.read_bytes()[:8192]
    found = any(struct.unpack_from("<I", head, i)[0] == 0x1BADB002 and
                (sum(struct.unpack_from("<III", head, i)) & 0xFFFFFFFF) == 0
                for i in range(0, len(head) - 11, 4))
    assert found, "no valid multiboot 1 header in the first 8 KiB"
    assert any(t == PT_LOAD and v >= 0xC0000000 for t, v, _ in phdrs), \
        "no segment linked in the top 1 GiB (0xC0000000 and up)"


def test_initrd_is_cpio_with_programs():
    names = set(cpio_names(qemu.INITRD))
    missing = [p for p in PROGRAMS if guest_path(p)[1:] not in names]
    assert not missing, f"initrd lacks {missing}"


@pytest.mark.parametrize("prog", PROGRAMS)
def test_program_is_static_elf32_at_0x08048000(prog):
    path = BUILD / "rootfs" / guest_path(prog)[1:]
    assert path.is_file(), f"{path} missing"
    e_type, machine, entry, phdrs = elf_header(path)
    assert e_type == 2, f"{prog}: e_type {e_type}, expected ET_EXEC"
    assert machine == 3, f"{prog}: e_machine {machine}, expected EM_386"
    types = [t for t, _, _ in phdrs]
    assert PT_INTERP not in types and PT_DYNAMIC not in types, f"{prog} is not static"
    loads = [v for t, v, _ in phdrs if t == PT_LOAD]
    assert loads and min(loads) >= 0x08048000, \
        f"{prog}: lowest PT_LOAD at {min(loads, default=0):#x}, expected 0x08048000 or above"
    assert 0x08048000 <= entry < 0xC0000000, f"{prog}: entry {entry:#x} outside user space"


def test_iso_is_iso9660():
    with open(qemu.ISO, "rb") as f:
        f.seek(0x8001)
        assert f.read(5) == b"CD001", "build/zc32.iso has no ISO 9660 volume descriptor"


def cross_nm():
    """The nm of the build's cross toolchain (the host's nm need not exist)."""
    for name in ("i686-elf-nm", "i686-linux-gnu-nm", "nm"):
        if shutil.which(name):
            return name
    pytest.fail("no nm: install binutils-i686-linux-gnu (tools/deps.sh)", pytrace=False)


def object_symbols(objs, defined):
    """Names the object files define (defined=True) or use without defining."""
    out = subprocess.run([cross_nm(), "--defined-only" if defined else "--undefined-only", *map(str, objs)],
                         capture_output=True, text=True, check=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line and not line.endswith(":")}


def current_objects(folder):
    """The object files of the sources in folder now: build/ may still hold
    objects of files that have moved away (kernel/fs/pagecache.o)."""
    srcs = [p for p in (qemu.ROOT / folder).rglob("*") if p.suffix in (".c", ".S")]
    return [qemu.BUILD / p.relative_to(qemu.ROOT).with_suffix(".o") for p in srcs]


def test_mm_depends_on_no_fs_net_or_drivers():
    """Memory management, the page cache included, is below the file system:
    kernel/mm includes nothing from fs/, net/ or drivers/ and calls nothing
    defined there (a filesystem reaches the page cache, and the page cache
    reaches a file only through its struct address_space)."""
    mm = qemu.ROOT / "kernel" / "mm"
    bad = []
    for src in sorted(mm.glob("*.[chS]")):
        for n, line in enumerate(src.read_text().splitlines(), 1):
            m = re.match(r'\s*#\s*include\s*"([^"]+)"', line)
            if m and (m[1].startswith(("fs/", "net/")) or (qemu.ROOT / "drivers" / m[1]).exists()):
                bad.append(f"kernel/mm/{src.name}:{n}: {line.strip()}")
    assert not bad, "mm includes a header of a layer above it:\n" + "\n".join(bad)
    # drivers/timer.c is the kernel's clock (ticks, timer_hz), whose header
    # lives in kernel/include/ for everyone to read (docs/layout.md).
    above = [o for d in ("kernel/fs", "kernel/net", "drivers") for o in current_objects(d)
             if o.name != "timer.o"]
    used = object_symbols(current_objects("kernel/mm"), defined=False)
    calls = sorted(used & object_symbols(above, defined=True))
    assert not calls, f"kernel/mm uses symbols defined in fs/, net/ or drivers/: {calls}"


def test_test_programs_live_in_test_not_bin():
    """user/tests/NAME.c is /test/NAME: /bin holds only the tools."""
    tests = sorted(p.stem for p in (BUILD.parent / "user" / "tests").glob("*.c"))
    in_bin = [t for t in tests if (BUILD / "rootfs" / "bin" / t).exists()]
    assert not in_bin, f"test programs in /bin: {in_bin}"
    missing = [t for t in tests if not (BUILD / "rootfs" / "test" / t).is_file()]
    assert not missing, f"test programs missing from /test: {missing}"
