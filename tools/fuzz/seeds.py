#!/usr/bin/python3
"""seeds.py - the seed corpora of the host fuzz harnesses (tools/fuzz/),
made from real inputs at build time, never committed:

  elf/   programs zc32 runs: build/rootfs/bin/true and test/raw_hello,
         stripped (the harness reads headers; smaller inputs run faster),
         and true cut short inside its last segment
  ext2/  small whole filesystems from mke2fs -d at 1, 2 and 4 KiB blocks
         (the kernel's features: ^dir_index as the root image), one with
         two groups, all with directories; and a one-block filesystem
         whose descriptor table lies past its end
  ext2dir/  each directory block of those alone, for the entry walk, and
         one whose only record ends 4 bytes short of the block
  net/   one control byte (0: checksums as they are) and a frame: the
         frames tools/mutate.py mutates (TCP SYN with options, data, FIN,
         RST, UDP, ICMP echo, a fragment, ARP), plus IPv4 with options

    tools/fuzz/seeds.py --out build/fuzz/seeds --objcopy i686-linux-gnu-objcopy
"""

import argparse
import random
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS / "test"))

import qemu     # noqa: E402
import mutate   # noqa: E402

BUILD = qemu.BUILD


def elf_seeds(out: Path, objcopy: str) -> None:
    for src in [BUILD / "rootfs" / "bin" / "true", BUILD / "rootfs" / "test" / "raw_hello"]:
        subprocess.run([objcopy, "--strip-all", str(src), str(out / src.name)], check=True)
    # What the harness found first: a file cut inside its last segment's bytes (exec refuses it now).
    data = (out / "true").read_bytes()
    phoff, phnum = struct.unpack_from("<I", data, 28)[0], struct.unpack_from("<H", data, 44)[0]
    ends = [off + filesz for typ, off, _, _, filesz, *_ in
            (struct.unpack_from("<8I", data, phoff + 32 * i) for i in range(phnum)) if typ == 1 and filesz]
    (out / "true-cut").write_bytes(data[:max(ends) - 1])


def ext2_seeds(out: Path) -> None:
    dirs = out.parent / "ext2dir"
    dirs.mkdir()
    with tempfile.TemporaryDirectory(prefix="zc32-seeds-") as tmp:
        tree = Path(tmp) / "tree"
        for d in ["bin", "a/b/c", "many"]:
            (tree / d).mkdir(parents=True)
        for i in range(12):
            (tree / "many" / f"file{i:02d}").write_bytes(bytes([i]) * (i * 37))
        (tree / "a" / "b" / "c" / "deep").write_bytes(b"zc32\n" * 300)
        for bs, kib, per_group in [(1024, 128, 8192), (1024, 384, 256), (2048, 128, 16384), (4096, 256, 32768)]:
            img = out / f"ext2-{bs // 1024}k-{kib}k.img"
            subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-O", "^dir_index", "-b", str(bs), "-g",
                            str(per_group), "-N", "64", "-E", "root_owner=0:0", "-d", str(tree), str(img), f"{kib}k"],
                           check=True, capture_output=True)
            # Each directory block alone too (its first entry is ".": rec_len 12, name_len 1):
            # small inputs put the mutations on the entries.
            data = img.read_bytes()
            for off in range(0, len(data), bs):
                if data[off + 4:off + 8] == b"\x0c\x00\x01\x02" and data[off + 8:off + 9] == b".":
                    (dirs / f"dir-{bs // 1024}k-{off // bs}").write_bytes(data[off:off + bs])
    # A filesystem of one 4 KiB block whose descriptor table (block 1) lay outside it, yet mounted.
    sb = bytearray(1024)
    for fmt, off, value in [("<I", 0, 11), ("<I", 4, 1), ("<I", 24, 2), ("<I", 32, 8), ("<I", 40, 16),
                            ("<H", 56, 0xEF53), ("<I", 76, 1), ("<I", 84, 11), ("<H", 88, 128)]:
        struct.pack_into(fmt, sb, off, value)    # inodes, blocks, 4 KiB, per group, magic, rev 1, first ino, size
    (out / "one-block.img").write_bytes(bytes(1024) + sb + bytes(6144))
    # What the harness found first: a record ending 4 bytes short of the block (dir.c read rec_len past it).
    (dirs / "dir-short-record").write_bytes(struct.pack("<IHBB", 2, 1020, 1, 2) + b"." + bytes(1015))


def net_seeds(out: Path) -> None:
    import test_net as tn
    frames = mutate.frame_templates(tn, random.Random(1))
    frames.append(tn.eth(tn.ip(tn.tcp(4242, 80, tn.TCP_SYN), options=b"\x01\x01\x01\x00")))
    frames.append(tn.eth(tn.ip(b"\x44\x08\x05\x00" + bytes(4), options=b"\x07\x07\x04" + bytes(5))))
    for i, f in enumerate(frames):
        (out / f"frame{i:02d}").write_bytes(b"\0" + f)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=str(BUILD / "fuzz" / "seeds"))
    p.add_argument("--objcopy", default="i686-linux-gnu-objcopy")
    a = p.parse_args(argv)
    out = Path(a.out)
    shutil.rmtree(out, ignore_errors=True)
    for name, make in [("elf", lambda d: elf_seeds(d, a.objcopy)), ("ext2", ext2_seeds), ("net", net_seeds)]:
        (out / name).mkdir(parents=True)
        make(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
