#!/usr/bin/python3
"""busybox_image.py - build/bbroot.img: zc32's root tree plus Debian's
busybox-static for i386 (`make run-busybox`, `BUSYBOX=1`, the busybox tests).

    tools/busybox_image.py [--tree build/rootfs] [--out build/bbroot.img]

1. tools/busybox_fetch.sh gets the package with apt (cached under
   ~/.cache/zc32/busybox: a second build downloads nothing).
2. The staging tree build/bbroot/ is a copy of build/rootfs/ (hard links:
   no space used) plus
     /bin/busybox             the Debian binary, unchanged
     /bb/APPLET               one hard link to /bin/busybox per applet, so
                              zc32's own /bin/ls, /bin/sh, ... stay as they are
     /etc/profile             PATH=/bin:/bb:/test for `busybox sh -l`
3. mke2fs -d makes the image, as the Makefile makes rootfs.img.

The applet names come from the binary itself: busybox keeps them as one
sorted, NUL-separated string table ("[", "[[", "acpid", ...), which is what
`busybox --list` prints.  Reading the table needs no i386 host (this
machine's kernel may lack IA32 emulation and refuse to run the binary).
"""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
MKE2FS = shutil.which("mke2fs") or "/usr/sbin/mke2fs"
SIZE = "320M"           # rootfs.img's 256M plus room for the files tests write

PROFILE = """\
# /etc/profile: read by `busybox sh -l` (make run-busybox).
# zc32's own programs (/bin) come first; busybox's applets are in /bb.
# Inside busybox's sh, its applets run without a PATH search anyway
# (Debian builds it as a "standalone shell"): `ls` there is busybox's ls,
# `/bin/ls` is zc32's.
export PATH=/bin:/bb:/test
export HOME=/
export PS1='busybox$ '
"""


def applet_names(binary: bytes) -> List[str]:
    """The names `busybox --list` prints, read from the string table that
    starts with "[" and "[[" (sorted, NUL-separated, ends at an empty or
    non-printable string)."""
    start = binary.find(b"[\0[[\0")
    if start < 0:
        sys.exit("busybox_image.py: no applet table in the busybox binary")
    names = []
    for s in binary[start:start + 65536].split(b"\0"):
        if not s or not all(33 <= c < 127 and c != ord("/") for c in s):
            break
        names.append(s.decode())
    return names


def stage(tree: Path, staging: Path, busybox: Path) -> int:
    if staging.exists():
        shutil.rmtree(staging)
    subprocess.run(["cp", "-al", str(tree), str(staging)], check=True)
    dest = staging / "bin" / "busybox"
    shutil.copy2(busybox, dest)
    dest.chmod(0o755)
    bb = staging / "bb"
    bb.mkdir()
    names = applet_names(busybox.read_bytes())
    for name in names:
        os.link(dest, bb / name)
    (staging / "etc").mkdir(exist_ok=True)
    (staging / "etc" / "profile").write_text(PROFILE)
    (staging / "proc").mkdir(exist_ok=True)
    return len(names)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tree", type=Path, default=BUILD / "rootfs")
    p.add_argument("--out", type=Path, default=BUILD / "bbroot.img")
    a = p.parse_args()
    r = subprocess.run([str(ROOT / "tools" / "busybox_fetch.sh")], stdout=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("busybox_image.py: could not get busybox-static:i386 with apt (see above)")
    busybox = Path(r.stdout.strip().splitlines()[-1])
    staging = a.out.parent / "bbroot"
    n = stage(a.tree, staging, busybox)
    a.out.unlink(missing_ok=True)
    subprocess.run([MKE2FS, "-q", "-t", "ext2", "-O", "^dir_index", "-b", "4096", "-L", "zc32bb",
                    "-d", str(staging), str(a.out), SIZE], check=True, stdout=subprocess.DEVNULL)
    print(f"busybox_image.py: {a.out.relative_to(ROOT) if a.out.is_relative_to(ROOT) else a.out}: "
          f"/bin/busybox and {n} applet links in /bb", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
