#!/usr/bin/python3
"""labs.py - the course's assignments: handouts, solution markers, student trees.

Each assignment ("lab") is one handout, docs/labs/NAME.md, whose first line
is `# Lab N: Title` (N is its place in the course) and whose grading table
has rows like "| `test_FILE.py::test_NAME` | POINTS |" (tests in tools/test/).
Its solution lives in the kernel source between markers
(docs/labs/README.md):

    /* LAB cow: BEGIN */
    ...the solution, compiled in the instructor's tree...
    /* LAB cow: STUB
    ...what the student gets instead (inside the comment here)...
       LAB cow: END */

Each marker is alone on its line.  A student tree replaces every line from
BEGIN to END by the stub's lines, after one line that says where to work.

    tools/labs.py list                        the labs, their tests and regions
    tools/labs.py check                       markers well formed, every lab complete
    tools/labs.py handout --lab cow --out DIR  a student tree without cow's solution
    tools/labs.py handout --upto cow --out DIR without cow's nor any earlier lab's

`make handout LAB=cow OUT=DIR` (or UPTO=cow) runs the last one.  tools/grade
grades trees, and uses prepare_kernel_tree() and build_kernel() from here.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
LABS_DIR = Path("docs/labs")
TEST_DIR = Path("tools/test")
KERNEL_DIRS = ("boot", "kernel", "drivers")      # the kernel's source: where markers may be
PYTHON = "/usr/bin/python3"

TITLE_RE = re.compile(r"^# Lab (\d+): (.+?)\s*$")
TEST_ROW_RE = re.compile(r"^\|\s*`(test_\w+\.py::[^`\s]+)`\s*\|\s*(\d+)\s*\|", re.M)
NAME = r"([a-z][a-z0-9_-]*)"
BEGIN_RE = re.compile(r"^(\s*)/\* LAB " + NAME + r": BEGIN \*/\s*$")
STUB_RE = re.compile(r"^\s*/\* LAB " + NAME + r": STUB\s*$")
END_RE = re.compile(r"^\s*LAB " + NAME + r": END \*/\s*$")
ANY_MARKER_RE = re.compile(r"\bLAB " + NAME + r": (BEGIN|STUB|END)\b")
HANDED_OUT_RE = re.compile(r"^\s*/\* LAB " + NAME + r": your code here", re.M)


class MarkerError(Exception):
    pass


@dataclass
class Lab:
    name: str
    number: int
    title: str
    tests: List[tuple]            # (pytest node id under tools/test, points)
    handout: Path

    @property
    def points(self) -> int:
        return sum(p for _, p in self.tests)


@dataclass
class Region:
    lab: str
    path: str                     # relative to the tree
    begin: int                    # 1-based line numbers of the three markers
    stub: int
    end: int
    indent: str
    stub_lines: List[str] = field(default_factory=list)


# ---- the labs ------------------------------------------------------------

def load_labs(root: Path = ROOT) -> List[Lab]:
    """Every handout in docs/labs/ (README.md is the index), in course order."""
    labs = []
    for md in sorted((root / LABS_DIR).glob("*.md")):
        if md.name == "README.md":
            continue
        text = md.read_text()
        m = TITLE_RE.match(text.splitlines()[0] if text else "")
        if not m:
            raise MarkerError(f"{md}: the first line must be '# Lab N: Title'")
        tests = [(t, int(p)) for t, p in TEST_ROW_RE.findall(text)]
        labs.append(Lab(md.stem, int(m.group(1)), m.group(2), tests, md))
    labs.sort(key=lambda l: (l.number, l.name))
    return labs


def lab_names_upto(labs: Sequence[Lab], name: str) -> List[str]:
    """name and every lab before it in the course."""
    last = next((l for l in labs if l.name == name), None)
    if last is None:
        raise MarkerError(f"no lab named {name!r} (docs/labs/{name}.md)")
    return [l.name for l in labs if (l.number, l.name) <= (last.number, last.name)]


# ---- markers ---------------------------------------------------------------

def parse_regions(text: str, path: str) -> List[Region]:
    """The marked regions of one file; MarkerError (with file:line) if the
    markers are not BEGIN, STUB, END of one lab, in that order, unnested."""
    regions, cur = [], None
    for no, line in enumerate(text.splitlines(), 1):
        b, s, e = BEGIN_RE.match(line), STUB_RE.match(line), END_RE.match(line)
        where = f"{path}:{no}"
        if b:
            if cur:
                raise MarkerError(f"{where}: BEGIN inside the region of lab {cur.lab}")
            cur = Region(b.group(2), path, no, 0, 0, b.group(1))
        elif s:
            if not cur or cur.stub or s.group(1) != cur.lab:
                raise MarkerError(f"{where}: STUB of lab {s.group(1)} without its BEGIN")
            cur.stub = no
        elif e:
            if not cur or not cur.stub or e.group(1) != cur.lab:
                raise MarkerError(f"{where}: END of lab {e.group(1)} without its BEGIN and STUB")
            cur.end = no
            regions.append(cur)
            cur = None
        elif ANY_MARKER_RE.search(line):
            raise MarkerError(f"{where}: a LAB marker must be alone on its line: {line.strip()}")
        elif cur and cur.stub:
            if "*/" in line:
                raise MarkerError(f"{where}: '*/' inside the stub of lab {cur.lab} ends its comment")
            cur.stub_lines.append(line)
    if cur:
        raise MarkerError(f"{path}:{cur.begin}: the region of lab {cur.lab} has no END")
    return regions


def tracked_files(root: Path) -> List[str]:
    """The files git tracks in root (as they are in the working tree); in a
    tree without git (a handout as written), every file but build/'s."""
    if not (root / ".git").exists():
        return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                      if p.is_file() and p.relative_to(root).parts[0] != "build")
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True,
                         capture_output=True).stdout.decode()
    return [f for f in out.split("\0") if f and (root / f).is_file()]


def find_regions(root: Path = ROOT) -> Dict[str, List[Region]]:
    """path -> its regions, for every tracked file with a LAB marker."""
    found = {}
    for f in tracked_files(root):
        if not f.endswith((".c", ".h", ".S")):
            continue
        text = (root / f).read_text(errors="replace")
        if "LAB " not in text:
            continue
        regions = parse_regions(text, f)
        if regions:
            found[f] = regions
    return found


def handed_out(root: Path = ROOT) -> set:
    """The labs whose solutions this tree lacks (a student tree)."""
    found = set()
    for f in tracked_files(root):
        if f.split("/")[0] in KERNEL_DIRS and f.endswith((".c", ".h", ".S")):
            found |= set(HANDED_OUT_RE.findall((root / f).read_text(errors="replace")))
    return found


def apply_stubs(text: str, path: str, labs) -> str:
    """text with the regions of labs replaced by their stubs."""
    lines = text.splitlines(keepends=True)
    for r in reversed(parse_regions(text, path)):
        if r.lab not in labs:
            continue
        note = f"{r.indent}/* LAB {r.lab}: your code here (docs/labs/{r.lab}.md) */\n"
        lines[r.begin - 1:r.end] = [note] + [l + "\n" for l in r.stub_lines]
    return "".join(lines)


# ---- student trees -----------------------------------------------------------

def write_handout(root: Path, out: Path, labs) -> List[str]:
    """Copy root's tracked files to out (no .git, no build/), with the regions
    of labs replaced by their stubs.  Unchanged files keep their times, so a
    build seeded from root's build/ recompiles only what changed.  Returns
    the files changed."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise MarkerError(f"{out} is not empty")
    changed = []
    for f in tracked_files(root):
        src, dst = root / f, out / f
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        if f.endswith((".c", ".h", ".S")) and f.split("/")[0] in KERNEL_DIRS:
            text = src.read_text()
            if "LAB " in text:
                new = apply_stubs(text, f, labs)
                if new != text:
                    dst.write_text(new)
                    changed.append(f)
    return changed


def kernel_sources(tree: Path) -> List[Path]:
    return [p for d in KERNEL_DIRS if (tree / d).is_dir()
            for p in (tree / d).rglob("*") if p.is_file()]


def prepare_kernel_tree(tree: Path, ref: Path = ROOT) -> None:
    """Seed tree/build/ with ref's kernel objects, so that `make` in tree
    compiles only the kernel files that differ from ref's (ref must be
    built).  Files equal to ref's are dated back to 1970; the others keep
    a newer date, so make sees them, and what includes them, as changed."""
    for d in KERNEL_DIRS:
        src = ref / "build" / d
        if src.is_dir():
            shutil.copytree(src, tree / "build" / d, dirs_exist_ok=True)
    for p in kernel_sources(tree):
        rel = p.relative_to(tree)
        theirs = ref / rel
        if theirs.is_file() and theirs.read_bytes() == p.read_bytes():
            os.utime(p, (1, 1))
        elif p.stat().st_mtime < 2:
            os.utime(p, None)


def build_kernel(tree: Path, timeout: float = 600, log: Optional[Path] = None):
    """`make build/kernel.elf` in tree: (ok, last lines of the output)."""
    try:
        r = subprocess.run(["make", "-C", str(tree), "build/kernel.elf"], capture_output=True,
                           text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        out, ok = r.stdout + r.stderr, r.returncode == 0
    except subprocess.TimeoutExpired as e:
        out, ok = (e.stdout or b"").decode(errors="replace") + "\nbuild timed out", False
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(out)
    return ok and (tree / "build/kernel.elf").is_file(), "\n".join(out.splitlines()[-15:])


# ---- checks ------------------------------------------------------------------

def check(root: Path = ROOT) -> List[str]:
    """Problems with the labs and markers (an empty list if none)."""
    problems = []
    try:
        labs = load_labs(root)
        regions = find_regions(root)
    except MarkerError as e:
        return [str(e)]
    names = {l.name for l in labs}
    marked = {r.lab for rs in regions.values() for r in rs} | handed_out(root)
    for path, rs in regions.items():
        if path.split("/")[0] not in KERNEL_DIRS:
            problems.append(f"{path}: markers belong in {', '.join(KERNEL_DIRS)}/ only")
        for r in rs:
            if r.lab not in names:
                problems.append(f"{path}:{r.begin}: lab {r.lab} has no handout docs/labs/{r.lab}.md")
    for l in labs:
        if l.name not in marked:
            problems.append(f"docs/labs/{l.name}.md: no region of lab {l.name} in the source")
        if not l.tests:
            problems.append(f"docs/labs/{l.name}.md: no graded tests in its table")
        for test, _ in l.tests:
            file, func = test.split("::")[0], test.split("::")[1].split("[")[0]
            tf = root / TEST_DIR / file
            if not tf.is_file() or not re.search(rf"^def {func}\(", tf.read_text(), re.M):
                problems.append(f"docs/labs/{l.name}.md: no test {test} in {TEST_DIR}")
    numbers = [l.number for l in labs]
    if len(set(numbers)) != len(numbers):
        problems.append("two labs share a number: " + str(sorted(numbers)))
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="the labs in course order")
    sub.add_parser("check", help="markers and handouts are complete and well formed")
    h = sub.add_parser("handout", help="write a student tree")
    g = h.add_mutually_exclusive_group(required=True)
    g.add_argument("--lab", help="replace this lab's regions by their stubs")
    g.add_argument("--upto", help="... this lab's and every earlier lab's")
    h.add_argument("--out", required=True, type=Path)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "list":
            regions = find_regions()
            for l in load_labs():
                files = sorted({p for p, rs in regions.items() for r in rs if r.lab == l.name})
                print(f"{l.number:2} {l.name:12} {l.points:3} points  {l.title}")
                print(f"   regions in: {' '.join(files)}")
                for t, p in l.tests:
                    print(f"   {p:3}  {t}")
            return 0
        if a.cmd == "check":
            problems = check()
            for p in problems:
                print(p, file=sys.stderr)
            print(f"labs: {len(load_labs())} labs, "
                  f"{sum(len(r) for r in find_regions().values())} regions, "
                  f"{len(problems)} problems")
            return 1 if problems else 0
        labs = load_labs()
        names = lab_names_upto(labs, a.upto) if a.upto else lab_names_upto(labs, a.lab)[-1:]
        changed = write_handout(ROOT, a.out, set(names))
        print(f"handout: {a.out} without the solution of {', '.join(names)} "
              f"({len(changed)} files: {' '.join(changed)})")
        return 0
    except MarkerError as e:
        print(f"labs: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
