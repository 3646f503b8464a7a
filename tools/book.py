#!/usr/bin/python3
"""book.py - the zc32 book (docs/README.md and its chapters): its figures
and its checks.

A chapter shows what zc32's own tools print, not what someone once typed.
Each such figure sits between two HTML comments that Markdown does not show:

    <!-- figure: stats sha256sum /data/1m.bin -->
    ```text
    ...what the command printed in the guest...
    ```
    <!-- end figure -->

`figure: @boot` is the kernel's boot log up to the first user process.

    tools/book.py --update   boot zc32 once, run every figure's command in
                             its shell, rewrite the blocks (`make book`)
    tools/book.py --check    the contents page, the function and file names
                             every chapter (and README.md, tools/README.md)
                             mentions, a figure in every chapter (no boot;
                             tools/test/test_book.py)

A chapter names the functions a path passes through; --check fails when a
name in a code span or block no longer has a definition in the tree, or a
path no longer exists.  Names that are meant not to exist (an exercise's
new function) are listed in the chapter in a comment:
    <!-- not in the tree: sys_gettid test_gettid -->
"""

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Set

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402
from zcopy_boot import sink_net  # noqa: E402   (zcopy and tcpsend's receiver)

DOCS = qemu.ROOT / "docs"
CONTENTS = DOCS / "README.md"
ROOT_README, TOOLS_README = qemu.ROOT / "README.md", qemu.ROOT / "tools" / "README.md"
SOURCE_DIRS = ("kernel", "drivers", "boot", "user", "tools")
SOURCE_SUFFIXES = (".c", ".h", ".S", ".py")

FIGURE_RE = re.compile(r"(<!-- figure: (?P<cmd>.*?) -->\n)```text\n(?P<body>.*?)```\n(<!-- end figure -->)",
                       re.S)
CHAPTER_RE = re.compile(r"^\d+\. \[[^]]+\]\(([\w./-]+\.md)\)", re.M)
LINK_RE = re.compile(r"\]\(([\w./-]+\.md)(?:#[\w-]*)?\)")
NOT_IN_TREE_RE = re.compile(r"<!-- not in the tree: (.*?) -->")
CODE_BLOCK_RE = re.compile(r"```.*?```", re.S)
CODE_SPAN_RE = re.compile(r"`[^`\n]+`")
CALL_RE = re.compile(r"\b([A-Za-z_]\w*)\((?!s\)|\d\))")     # not "request(s)" or "gettid(2)"
# A repository path, not a path inside the guest (/bin/cat) or under build/.
# A file has a suffix, a folder a trailing slash: "user/kernel switches" is prose.
PATH_RE = re.compile(r"(?<![/\w.-])((?:kernel|drivers|boot|user|tools)/[\w./-]*(?:\.[A-Za-z]+\b|/))")

# Definitions: a C function or function-like macro, an assembly label,
# a Python def or class.  A name that only appears in a comment does not count.
C_FUNCTION_RE = re.compile(r"^[A-Za-z_][\w \t*]*?\b(\w+)\s*\([^;{}]*\)\s*"
                           r"(?:__attribute__\s*\(\(.*?\)\)\s*)?\{", re.M)
C_MACRO_RE = re.compile(r"#\s*define\s+(\w+)\(")
ASM_LABEL_RE = re.compile(r"^\s*(\w+):", re.M)
PY_DEF_RE = re.compile(r"^\s*(?:def|class)\s+(\w+)", re.M)


# ---------------------------------------------------------------------------
# The contents page and the chapters.

def chapters() -> List[Path]:
    """The numbered chapters of docs/README.md, in reading order."""
    return [DOCS / name for name in CHAPTER_RE.findall(CONTENTS.read_text())]


def defined_names() -> Set[str]:
    names: Set[str] = set()
    for top in SOURCE_DIRS:
        for path in (qemu.ROOT / top).rglob("*"):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            text = path.read_text(errors="replace")
            if path.suffix in (".c", ".h"):
                names.update(C_FUNCTION_RE.findall(text))
                names.update(C_MACRO_RE.findall(text))
            elif path.suffix == ".S":
                names.update(ASM_LABEL_RE.findall(text))
            else:
                names.update(PY_DEF_RE.findall(text))
    return names


def path_exists(rel: str) -> bool:
    return (qemu.ROOT / rel).exists() or any(qemu.ROOT.glob(rel + "*"))


def stale_references(doc: Path, names: Set[str]) -> List[str]:
    """Functions and repository paths `doc` mentions that the tree lacks."""
    text = doc.read_text()
    allowed = {w for line in NOT_IN_TREE_RE.findall(text) for w in line.split()}
    prose = CODE_BLOCK_RE.sub("", text)
    code = CODE_BLOCK_RE.findall(text) + CODE_SPAN_RE.findall(prose)
    code = [FIGURE_RE.sub("", c) for c in code]          # what a program printed is not a claim
    problems, where = [], doc.relative_to(qemu.ROOT)
    for fn in sorted({f for c in code for f in CALL_RE.findall(c)} - names - allowed):
        problems.append(f"{where}: function {fn}() is not defined anywhere in the tree")
    for rel in sorted({p for p in PATH_RE.findall(FIGURE_RE.sub("", text))} - allowed):
        if not path_exists(rel):
            problems.append(f"{where}: {rel} does not exist")
    return problems


def check() -> List[str]:
    problems = []
    book = chapters()
    if not book:
        problems.append("docs/README.md lists no numbered chapters")
    for doc in book:
        if not doc.exists():
            problems.append(f"docs/README.md: chapter {doc.name} does not exist")
        elif not FIGURE_RE.search(doc.read_text()):
            problems.append(f"{doc.name}: no figure made by zc32's tools (<!-- figure: ... -->)")
    linked = set(LINK_RE.findall(CONTENTS.read_text()))
    for doc in sorted(DOCS.glob("*.md")):
        if doc != CONTENTS and doc.name not in linked:
            problems.append(f"docs/README.md does not link {doc.name}")
    names = defined_names()
    for doc in sorted(DOCS.rglob("*.md")) + [ROOT_README, TOOLS_README]:
        problems += stale_references(doc, names)
        for link in LINK_RE.findall(doc.read_text()):
            if not (doc.parent / link).exists():
                problems.append(f"{doc.relative_to(qemu.ROOT)}: link to {link}, which does not exist")
    return problems


# ---------------------------------------------------------------------------
# Figures: one boot runs every command.

@dataclass
class Figure:
    doc: Path
    command: str


def figures() -> List[Figure]:
    return [Figure(doc, m.group("cmd")) for doc in sorted(DOCS.rglob("*.md"))
            for m in FIGURE_RE.finditer(doc.read_text())]


PROMPT = r"(?:\$ )?"      # the shell's prompt can land before an echoed marker


def marker(i: int) -> str:
    return f"@@figure-{i}@@"


def run_figures(commands: List[str], workdir: Path) -> Dict[str, str]:
    """Boot once with /bin/sh as init, type each command between two echoed
    markers, and return each command's output (the boot log for @boot)."""
    shell_cmds = [c for c in commands if c != "@boot"]
    steps = []
    previous = re.escape(qemu.INIT_STARTED)          # type each line once the last one is done
    for i, cmd in enumerate(shell_cmds):
        steps.append((previous, f"echo {marker(i)}; {cmd}; echo {marker(i)}/\n"))
        previous = rf"(?m)^{PROMPT}{re.escape(marker(i))}/$"
    steps.append((previous, "sync; exit\n"))
    r = qemu.boot(init="/bin/sh", input=steps, disks=qemu.storage_disks(workdir),
                  net=sink_net(workdir / "sink.jsonl"), timeout=300, step_timeout=120)
    if r.error or r.timed_out:
        raise RuntimeError(f"the figures' boot failed:\n{r.describe()}")
    out: Dict[str, str] = {}
    start, end = r.output.find("zc32 "), r.output.find("\n", r.output.find(qemu.INIT_STARTED))
    out["@boot"] = r.output[start:end + 1]
    for i, cmd in enumerate(shell_cmds):
        m = re.search(rf"(?ms)^{PROMPT}{re.escape(marker(i))}\n(.*?)^{PROMPT}{re.escape(marker(i))}/$",
                      r.output)
        if not m:
            raise RuntimeError(f"no output for figure {cmd!r}:\n{r.describe()}")
        out[cmd] = f"$ {cmd}\n{m.group(1)}"
    root = f"{qemu.ROOT}/"                  # the boot line names the kernel by its host path
    return {cmd: text.replace(root, "") for cmd, text in out.items()}


NUMBER_RE = re.compile(r"\b(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?)\b")
SAME_SHAPE = 0.9       # counters that stayed zero are not printed: allow a few lines to differ


def shape(output: str) -> Set[str]:
    """A figure's lines with every number replaced: what a format change
    alters and a run-to-run difference does not."""
    return {" ".join(NUMBER_RE.sub("#", line).split()) for line in output.splitlines() if line.strip()}


def stale_figures(outputs: Dict[str, str]) -> List[str]:
    """The figures whose printed lines the tools no longer print."""
    problems = []
    for doc in sorted(DOCS.rglob("*.md")):
        for m in FIGURE_RE.finditer(doc.read_text()):
            old, new = shape(m.group("body")), shape(outputs[m.group("cmd")])
            if len(old & new) < SAME_SHAPE * len(old):
                problems.append(f"{doc.name}: figure `{m.group('cmd')}` no longer looks like what it prints "
                                f"(run make book); lines gone: {sorted(old - new)[:5]}")
    return problems


def update() -> int:
    figs = figures()
    with tempfile.TemporaryDirectory() as tmp:
        outputs = run_figures(list(dict.fromkeys(f.command for f in figs)), Path(tmp))
    for doc in sorted({f.doc for f in figs}):
        text = FIGURE_RE.sub(lambda m: f"{m.group(1)}```text\n{outputs[m.group('cmd')]}```\n{m.group(4)}",
                             doc.read_text())
        doc.write_text(text)
        print(f"  BOOK    {doc.relative_to(qemu.ROOT)}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--update", action="store_true", help="boot once and rewrite every figure")
    g.add_argument("--check", action="store_true", help="check contents, names and figures (no boot)")
    a = p.parse_args(argv)
    if a.update:
        return update()
    problems = check()
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
