"""mutate.py - the host half of zc32's mutation fuzzers (issue 12).

Each fuzzer takes good input, changes a few fields that matter, and lets
the kernel meet the result; what must hold is in docs/hardening.md.

  ELF files      elf_mutants(): the ELF header and program headers of
                 /bin/true with fields set to edge values (0, -1, the
                 kernel's half, past the file, misaligned, huge counts),
                 written into the image's /elf for user/tests/execfuzz.c.
  ext2 images    ext2_mutants(): a small filesystem with bytes of its
                 superblock, group descriptors, inodes, directory blocks or
                 block pointers changed, mounted as the root disk with the
                 initial ramdisk behind it (user/tests/fswalk.c walks it).
  frames         frame_mutants(): good Ethernet/ARP/IPv4/ICMP/UDP/TCP
                 frames with bytes flipped, injected into the e1000 through
                 a UDP socket netdev on 127.0.0.1 while httpd serves.

Every generator takes a seed, so a run is replayed by its seed (the tests
and `make stress` print it).  run_*() boot the guest and return a dict of
what happened, for the tests (tools/test/test_mutate.py) and for
tools/stress.py's table.
"""

import random
import struct
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

import qemu

BUILD = qemu.BUILD
ELF_SOURCE = BUILD / "rootfs" / "bin" / "true"

EHDR = struct.Struct("<16sHHIIIIIHHHHHH")   # e_ident .. e_shstrndx (ELF32)
PHDR = struct.Struct("<8I")                 # p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align

# Values a parser gets wrong: zero, all ones, sign bits, the kernel's half,
# one page, just past a page, and sizes that overflow when added.
EDGE_VALUES = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0xc0000000, 0xbffff000, 0x1000, 0x1001,
               0xfff, 0x08048000, 0x10000000, 0xfffff000, 0x40000000]

# (field name, offset in the ELF header, size)
EHDR_FIELDS = [("e_ident.class", 4, 1), ("e_ident.data", 5, 1), ("e_ident.version", 6, 1),
               ("e_type", 16, 2), ("e_machine", 18, 2), ("e_version", 20, 4), ("e_entry", 24, 4),
               ("e_phoff", 28, 4), ("e_shoff", 32, 4), ("e_flags", 36, 4), ("e_ehsize", 40, 2),
               ("e_phentsize", 42, 2), ("e_phnum", 44, 2), ("e_shnum", 48, 2)]
PHDR_FIELDS = [("p_type", 0), ("p_offset", 4), ("p_vaddr", 8), ("p_paddr", 12), ("p_filesz", 16),
               ("p_memsz", 20), ("p_flags", 24), ("p_align", 28)]


def _put(data: bytearray, off: int, size: int, value: int) -> None:
    if off + size <= len(data):
        data[off:off + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")


def _edge(rnd: random.Random, old: int) -> int:
    """An edge value, or the old value nudged (off by one, a page, a bit)."""
    k = rnd.randrange(4)
    if k == 0:
        return rnd.choice(EDGE_VALUES)
    if k == 1:
        return old + rnd.choice([-1, 1, -0x1000, 0x1000, 0x10, -0x10])
    if k == 2:
        return old ^ (1 << rnd.randrange(32))
    return rnd.randrange(1 << 32)


def elf_mutant(src: bytes, rnd: random.Random) -> Tuple[bytes, str]:
    """One mutant of the ELF file src: 1-3 changes, and what they were."""
    data = bytearray(src)
    phoff, = struct.unpack_from("<I", data, 28)
    phnum, = struct.unpack_from("<H", data, 44)
    what = []
    for _ in range(rnd.randint(1, 3)):
        k = rnd.randrange(10)
        if k < 3:
            name, off, size = rnd.choice(EHDR_FIELDS)
            old = int.from_bytes(data[off:off + size], "little")
            _put(data, off, size, _edge(rnd, old))
        elif k < 9 and phnum:
            i = rnd.randrange(phnum)
            fname, foff = rnd.choice(PHDR_FIELDS)
            off = phoff + i * PHDR.size + foff
            old, = struct.unpack_from("<I", data, off) if off + 4 <= len(data) else (0,)
            _put(data, off, 4, _edge(rnd, old))
            name = f"phdr[{i}].{fname}"
        else:
            cut = rnd.choice([0, 4, 16, 52, phoff + 8, len(data) // 2, len(data) - 1])
            del data[max(0, cut):]
            name = f"truncated at {cut}"
        what.append(name)
    return bytes(data), ", ".join(what)


def elf_mutants(n: int, seed: int, src: Path = ELF_SOURCE) -> List[Tuple[bytes, str]]:
    rnd = random.Random(seed)
    good = src.read_bytes()
    return [elf_mutant(good, rnd) for _ in range(n)]


def debugfs_script(img: Path, commands: List[str], workdir: Path) -> None:
    """Run debugfs -w with a command file (many writes in one run)."""
    script = workdir / "debugfs.cmd"
    script.write_text("\n".join(commands) + "\n")
    r = subprocess.run(["debugfs", "-w", "-f", str(script), str(img)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def run_elf_fuzz(n: int, seed: int, workdir: Path, rounds: int = 1, timeout: float = 600) -> Dict:
    """n mutants of /bin/true in /elf of a copy of the root image, each run
    `rounds` times by execfuzz as init.  The boot's result and counts."""
    workdir.mkdir(parents=True, exist_ok=True)
    disks = qemu.storage_disks(workdir, swap=False)
    cmds = ["mkdir elf"]
    for i, (data, _) in enumerate(elf_mutants(n, seed)):
        path = workdir / f"m{i:05d}"
        path.write_bytes(data)
        cmds.append(f"write {path} elf/m{i:05d}")
    debugfs_script(disks[0].path, cmds, workdir)
    r = qemu.boot("kernel", init="/test/execfuzz", args=["/elf", str(rounds)], disks=disks, timeout=timeout)
    return {"result": r, "image": disks[0].path, "mutants": n, "seed": seed}


# ---------------------------------------------------------------------------
# ext2 images.

FS_BLOCKS_1K = 6144              # the filesystem: 6 MiB of 1 KiB blocks ...
DISK_BYTES = 8 << 20             # ... on an 8 MiB disk: the rest must stay as it was
TAIL_BYTE = 0xa5
EXT2_TARGETS = ["superblock", "group descriptors", "inode", "directory block", "block pointers"]

# Superblock fields (offset, size): counts, geometry, revision, features.
SB_FIELDS = [(0, 4), (4, 4), (20, 4), (24, 4), (32, 4), (40, 4), (56, 2), (76, 4), (84, 4), (88, 2),
             (92, 4), (96, 4), (100, 4), (12, 4), (16, 4)]
GD_FIELDS = [(0, 4), (4, 4), (8, 4), (12, 2), (14, 2), (16, 2)]
INODE_FIELDS = [(0, 2), (4, 4), (26, 2), (28, 4), (32, 4), (108, 4)] + [(40 + 4 * i, 4) for i in range(15)]


def ext2_tree(root: Path) -> Path:
    """The files of the base image: fswalk itself (init, when the damaged
    image still mounts), directories, and files big enough for single and
    double indirect blocks (1 KiB blocks)."""
    (root / "test").mkdir(parents=True, exist_ok=True)
    (root / "test" / "fswalk").write_bytes((BUILD / "rootfs" / "test" / "fswalk").read_bytes())
    (root / "test" / "fswalk").chmod(0o755)
    rnd = random.Random(1)
    for d in ["a", "a/b", "a/b/c", "many"]:
        (root / d).mkdir(parents=True, exist_ok=True)
    for i in range(40):
        (root / "many" / f"file{i:02d}").write_bytes(bytes([i]) * (i * 37))
    for name, size in [("small", 100), ("twelve", 12 * 1024), ("indirect", 200 * 1024),
                       ("dindirect", 600 * 1024), ("a/b/c/deep", 5000)]:
        (root / name).write_bytes(bytes(rnd.randrange(256) for _ in range(min(size, 4096))) * (size // 4096 + 1))
    return root


def ext2_base(workdir: Path) -> Path:
    """An 8 MiB disk holding a 6 MiB ext2 (mke2fs -d), the rest TAIL_BYTE."""
    tree = ext2_tree(workdir / "tree")
    img = workdir / "base.img"
    img.write_bytes(bytes([TAIL_BYTE]) * DISK_BYTES)
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-N", "256", "-E", "root_owner=0:0",
                    "-d", str(tree), str(img), str(FS_BLOCKS_1K)], check=True, capture_output=True)
    return img


def _u32(data, off):
    return struct.unpack_from("<I", data, off)[0]


def _inode_offset(data, ino):
    """Byte offset of inode ino (1 KiB blocks, one group descriptor block at 2)."""
    ipg, isz = _u32(data, 1024 + 40), struct.unpack_from("<H", data, 1024 + 88)[0]
    group, index = (ino - 1) // ipg, (ino - 1) % ipg
    table = _u32(data, 2048 + 32 * group + 8)
    return table * 1024 + index * isz


def _mutate_fields(data, rnd, base, fields, n):
    for _ in range(n):
        off, size = rnd.choice(fields)
        old = int.from_bytes(data[base + off:base + off + size], "little")
        _put(data, base + off, size, _edge(rnd, old))


def ext2_mutant(base: bytes, rnd: random.Random, target: str) -> bytes:
    """base with 1-4 fields (or bytes) of one kind of structure changed."""
    data = bytearray(base)
    n = rnd.randint(1, 4)
    if target == "superblock":
        _mutate_fields(data, rnd, 1024, SB_FIELDS, n)
    elif target == "group descriptors":
        groups = (FS_BLOCKS_1K - 1 + 8191) // 8192
        _mutate_fields(data, rnd, 2048 + 32 * rnd.randrange(groups), GD_FIELDS, n)
    elif target == "inode":
        ino = rnd.choice([2, 11, 12, 13, 14, 15, 16, rnd.randrange(1, 64)])
        _mutate_fields(data, rnd, _inode_offset(data, ino), INODE_FIELDS, n)
    elif target == "directory block":
        ino = rnd.choice([2, 2, 11, 12, 13])      # the root, and the first directories made
        blk = _u32(data, _inode_offset(data, ino) + 40)
        for _ in range(n):
            if 0 < blk < FS_BLOCKS_1K:
                off = blk * 1024 + rnd.randrange(1024)
                data[off] = rnd.choice([0, 0xff, rnd.randrange(256), data[off] ^ (1 << rnd.randrange(8))])
    else:                                         # block pointers: the big files' i_block and indirect blocks
        ino = rnd.randrange(11, 64)
        at = _inode_offset(data, ino)
        for _ in range(n):
            k = rnd.randrange(15)
            ind = _u32(data, at + 40 + 4 * 12)
            if k == 14 and 0 < ind < FS_BLOCKS_1K:
                _put(data, ind * 1024 + 4 * rnd.randrange(256), 4, _edge(rnd, 0))
            else:
                _put(data, at + 40 + 4 * k, 4, _edge(rnd, _u32(data, at + 40 + 4 * k)))
    return bytes(data)


def e2fsck_clean(img: Path) -> bool:
    return subprocess.run(["e2fsck", "-fn", str(img)], capture_output=True).returncode == 0


def run_ext2_fuzz(n: int, seed: int, workdir: Path, timeout: float = 60) -> Dict:
    """n mutants, each booted as the root disk (the initial ramdisk is the
    root if the mount is refused) with fswalk as init.  Counts of each
    outcome; 'failures' lists what broke the rules."""
    workdir.mkdir(parents=True, exist_ok=True)
    base = ext2_base(workdir).read_bytes()
    fs_end = FS_BLOCKS_1K * 1024
    rnd = random.Random(seed)
    out = {"images": 0, "mounted": 0, "refused": 0, "init_unreadable": 0, "clean_before": 0,
           "clean_after": 0, "failures": [], "seed": seed}
    for i in range(n):
        target = EXT2_TARGETS[i % len(EXT2_TARGETS)]
        img = workdir / "mutant.img"
        img.write_bytes(ext2_mutant(base, rnd, target))
        clean_before = e2fsck_clean(img)
        r = qemu.boot("kernel", init="/test/fswalk", disks=[qemu.Disk(img)], memory="64M", timeout=timeout)
        after = img.read_bytes()
        clean_after = e2fsck_clean(img)
        out["images"] += 1
        out["clean_before"] += clean_before
        out["clean_after"] += clean_after
        if "fswalk: root ext2" in r.output:
            out["mounted"] += 1
        elif "fswalk: root other" in r.output:
            out["refused"] += 1
        else:
            out["init_unreadable"] += 1
        why = []
        if r.timed_out or "zc32 PANIC" in r.output or r.exit_code is None:
            why.append("panic, hang or no power-off")
        if after[fs_end:] != bytes([TAIL_BYTE]) * (DISK_BYTES - fs_end):
            why.append("wrote past the end of the filesystem")
        if clean_before and not clean_after:
            why.append("a clean filesystem came back damaged")
        if why:
            keep = workdir / f"failed-{i}.img"
            keep.write_bytes(img.read_bytes())
            out["failures"].append(f"image {i} ({target}, seed {seed}): {', '.join(why)}; kept as {keep}\n"
                                   + r.tail(15))
    return out
