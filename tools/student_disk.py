#!/usr/bin/python3
"""student_disk.py - the root disk of `make run`, kept across rebuilds.

build/rootfs.img is remade by every build that changes a program, and the
tests boot copies of it as it is.  A student's own files must not vanish
that way, so `make run`, `make run-kernel`, `make run-vga` and `make gdb`
boot build/disk.img instead:

  - made once, as a copy of build/rootfs.img;
  - at each boot after a build, the programs that changed since the last
    refresh (build/rootfs/bin/* and test/*, newer than build/disk.stamp) are
    written into its /bin and /test with debugfs (rm, then write), and /tmp
    made if missing;
    everything else on it stays as the student left it;
  - `make clean-disk` deletes it, and the next boot starts from a fresh
    copy.

    tools/student_disk.py            make or refresh build/disk.img
"""

import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DISK = BUILD / "disk.img"
PRISTINE = BUILD / "rootfs.img"
TREE = BUILD / "rootfs"
DEBUGFS = "/usr/sbin/debugfs" if Path("/usr/sbin/debugfs").exists() else "debugfs"


PROGRAM_DIRS = ("bin", "test")      # the tools, and the test programs


def changed_programs(tree: Path, stamp: Path) -> List[Path]:
    """The programs in tree/bin and tree/test built after the last refresh
    (all of them if there was none)."""
    since = stamp.stat().st_mtime if stamp.exists() else 0.0
    return sorted(p for d in PROGRAM_DIRS if (tree / d).is_dir() for p in (tree / d).iterdir()
                  if p.is_file() and p.stat().st_mtime > since)


def refresh(disk: Path, programs: List[Path]) -> None:
    """Replace /bin/NAME on the image by each program, and make /tmp.
    debugfs -f goes on after a failing line (an rm of a program the disk
    does not have yet, a mkdir of a /tmp that exists)."""
    script = ["mkdir /tmp"] + [f"mkdir /{d}" for d in PROGRAM_DIRS]
    for p in programs:
        where = f"/{p.parent.name}/{p.name}"
        script += [f"rm {where}", f"write {p} {where}"]
    r = subprocess.run([DEBUGFS, "-w", "-f", "-", str(disk)], input="\n".join(script) + "\n",
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"student_disk.py: debugfs could not update {disk}:\n{r.stderr}")


def prepare(disk: Path = DISK, pristine: Path = PRISTINE, tree: Path = TREE) -> str:
    """Make disk from pristine if it does not exist, else bring its
    programs up to date with tree.  Returns a line saying what happened."""
    stamp = disk.with_suffix(".stamp")
    if not disk.exists():
        subprocess.run(["cp", "--sparse=always", str(pristine), str(disk)], check=True)
        stamp.touch()
        return f"zc32: {disk.name}: a fresh copy of {pristine.name} (your files stay on it across builds; " \
               f"`make clean-disk` starts over)"
    programs = changed_programs(tree, stamp)
    if programs:
        refresh(disk, programs)
    stamp.touch()
    return f"zc32: {disk.name}: your disk, kept across builds ({len(programs)} programs refreshed; " \
           f"`make clean-disk` starts over)"


if __name__ == "__main__":
    print(prepare(), file=sys.stderr)
