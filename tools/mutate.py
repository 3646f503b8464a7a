"""mutate.py - the host half of zc32's mutation fuzzers (docs/hardening.md).

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
                 a dgram netdev on 127.0.0.1 while httpd serves.

Every generator takes a seed, so a run is replayed by its seed (the tests
and `make stress` print it).  run_*() boot the guest and return a dict of
what happened, for the tests (tools/test/test_mutate.py) and for
tools/stress.py's table.
"""

import random
import struct
import subprocess
import time
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


# ---------------------------------------------------------------------------
# Network frames.

def _fix_checksums(tn, frame: bytearray) -> None:
    """Recompute the IPv4 header checksum and the TCP/UDP/ICMP one, so a
    mutant gets past the checksum tests into the parsers behind them."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return
    ihl = (frame[14] & 15) * 4
    if ihl < 20 or 14 + ihl > len(frame):
        return
    frame[24:26] = b"\0\0"
    frame[24:26] = struct.pack("!H", tn.csum(bytes(frame[14:14 + ihl])))
    total = min(struct.unpack_from("!H", frame, 16)[0], len(frame) - 14)
    body = 14 + ihl
    proto, at = frame[23], {6: 16, 17: 6, 1: 2}.get(frame[23])
    if at is None or body + at + 2 > 14 + total:
        return
    frame[body + at:body + at + 2] = b"\0\0"
    seg = bytes(frame[body:14 + total])
    pseudo = bytes(frame[26:34]) + struct.pack("!BBH", 0, proto, len(seg)) if proto != 1 else b""
    frame[body + at:body + at + 2] = struct.pack("!H", tn.csum(pseudo + seg))


def frame_templates(tn, rnd: random.Random) -> List[bytes]:
    """Well-formed frames of every kind the stack parses."""
    port = rnd.randrange(1024, 65536)
    return [
        tn.eth(tn.ip(tn.tcp(port, 80, tn.TCP_SYN, seq=rnd.randrange(1 << 32),
                            opts=b"\x02\x04\x05\xb4\x01\x03\x03\x07"))),
        tn.eth(tn.ip(tn.tcp(port, 80, tn.TCP_ACK | tn.TCP_PSH, seq=1, ack=1, payload=b"GET / HTTP/1.0\r\n\r\n"))),
        tn.eth(tn.ip(tn.tcp(port, 80, tn.TCP_FIN | tn.TCP_ACK, seq=5, ack=5))),
        tn.eth(tn.ip(tn.tcp(port, 80, tn.TCP_RST, seq=9))),
        tn.eth(tn.ip(tn.tcp(port, rnd.randrange(65536), tn.TCP_SYN))),
        tn.eth(tn.ip(struct.pack("!HHHH", port, 53, 16, 0) + b"zc32fuzz", proto=17)),
        tn.eth(tn.ip(tn.icmp_echo(0x4242, rnd.randrange(65536), b"mutant" * 8), proto=1)),
        tn.eth(tn.ip(tn.tcp(port, 80, tn.TCP_SYN), frag=0x2000 | 0)),
        tn.eth(struct.pack("!HHBBH", 1, 0x0800, 6, 4, rnd.choice([1, 2])) + tn.EVIL_MAC + tn.EVIL_IP + bytes(6)
               + tn.GUEST_IP, ethertype=0x0806, dst=b"\xff" * 6),
    ]


def frame_mutant(tn, rnd: random.Random) -> bytes:
    """A template with 1-6 bytes of its headers changed (or cut short, or
    grown), its checksums fixed half of the time."""
    frame = bytearray(rnd.choice(frame_templates(tn, rnd)))
    for _ in range(rnd.randint(1, 6)):
        k = rnd.randrange(12)
        if k < 9:
            off = rnd.randrange(12, max(13, min(len(frame), 74)))   # the headers, past the MAC addresses
            if off >= len(frame):
                continue
            frame[off] = rnd.choice([0, 0xff, rnd.randrange(256), frame[off] ^ (1 << rnd.randrange(8))])
        elif k < 10:
            if len(frame) > 15:
                del frame[rnd.randrange(14, len(frame)):]
        else:
            frame += bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 200)))
    if rnd.random() < 0.5:
        _fix_checksums(tn, frame)
    return bytes(frame)


def run_frame_fuzz(n: int, seed: int, workdir: Path, name: str = "1m.bin", timeout: float = 300) -> Dict:
    """httpd serves on a raw-only link (qemu.raw_net_args: a dgram netdev
    on the loopback, no slirp) while n mutated frames arrive; then
    the file /data/NAME is fetched over TCP spoken by hand on the same link
    and compared with its known content, and GET /exit ends the guest.
    (Not through slirp: QEMU's own user-mode network stack dies of SIGBUS
    on some mutants, an ICMP echo to 255.0.2.15 for one, before the guest
    sees them.)  Returns counts, the boot's result and the first error
    ('error': a failed or wrong download, None if all was well)."""
    import mkdata
    import test_net as tn          # the frame builders and the hand-spoken TCP (tools/test/)
    workdir.mkdir(parents=True, exist_ok=True)
    raw_port, peer_port = qemu.free_udp_ports(2)
    disks = qemu.storage_disks(workdir, swap=False)
    g = qemu.BackgroundBoot(init="/bin/httpd", args=["-x"], disks=disks, net=None,
                            extra=qemu.raw_net_args(raw_port, peer_port), timeout=timeout)
    link = tn.RawLink(raw_port, peer_port, g)
    rnd = random.Random(seed)
    sent, downloaded, error = 0, 0, None
    try:
        time.sleep(2.0)                              # httpd is listening by then
        for i in range(n):
            link.send(frame_mutant(tn, rnd))
            sent += 1
            if i % 16 == 15:
                time.sleep(0.005)                    # let the guest keep up
                while link.recv(0.001, may_stop=True) is not None:
                    pass                             # what the guest says back
            if not g.alive():
                raise AssertionError("the guest stopped")
        status, body, _ = tn.hand_http_get(link, f"/data/{name}", 40000 + seed % 20000)
        if status != "HTTP/1.1 200 OK" or body != mkdata.content(name):
            raise AssertionError(f"GET /data/{name}: {status!r}, {len(body)} bytes, content wrong")
        downloaded = len(body)
    except (OSError, AssertionError) as e:
        error = f"{type(e).__name__}: {e}"
    finally:
        tn.quietly(tn.hand_http_get, link, "/exit", 39999)
        link.close()
        r = g.join(timeout=timeout + 30)
    return {"result": r, "frames": sent, "bytes_downloaded": downloaded, "seed": seed, "error": error}
