"""test_layout.py - the allowed dependencies between folders (docs/layout.md).

The table "Who may include whom" in docs/layout.md is the only copy of the
rules: this test parses it, resolves every `#include "..."` and
`#include <...>` in kernel/, drivers/ and boot/ the way the compiler does
(the file's own folder for "...", then the Makefile's -I paths), and fails
listing every include the table does not allow, every source file in a
folder the table does not name, and every extern declaration in a .c file,
at the top level or in a function body: `extern ...`, or the prototype of a
function the file does not define (it belongs in the header of the file
that defines the symbol, even one defined in assembly).  Since a header in
kernel/include/ can hide a call, it also finds by name the uses of drivers'
symbols outside drivers/ and the boot glue, and of others' symbols in the
leaves.  It also fails when a tracked file cites something outside the repository (a folder beside
it, an issue number): the tree stands on its own.  It reads the sources
only: no build, no QEMU."""

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import labs
import qemu

ROOT = qemu.ROOT
LAYOUT_DOC = ROOT / "docs" / "layout.md"
TABLE_HEADING = "## Who may include whom"
EVERY_FOLDER = "every folder"       # the row of the shared core
EVERYTHING = "everything"           # a row that may include any folder

SOURCE_DIRS = ("kernel", "drivers", "boot")
SOURCE_SUFFIXES = (".c", ".h", ".S")
INCLUDE_PATHS = ("kernel/include", "kernel", "drivers")   # the Makefile's -I, in order

# `#include "x.h"` or `#include <x.h>`: gcc -Ikernel resolves both in the tree.
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*(?:"([^"]+)"|<([^>]+)>)')
EXTERN_RE = re.compile(r"^\s*extern\b")                  # at the top level or inside a function
# A function declared in a .c file, not static: `void f(int);` (C makes it
# extern), at the top level or inside a function body.  At least two words
# before the parenthesis (a type and the name), so a call `f(x);` is not one;
# a statement that starts with a keyword (`else f(x);`) and `asm volatile(...)`
# are not either.
PROTOTYPE_RE = re.compile(r"^[ \t]*(?!(?:static|extern|typedef|return|else|do|case|goto)\b)"
                          r"[A-Za-z_][\w \t*]*?\b(\w+)\s*"
                          r"\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*\)\))?\s*;", re.M)
NOT_FUNCTION_NAMES = {"volatile", "__volatile__", "asm", "__asm__", "sizeof", "if", "while", "for", "switch"}
# What a .c file defines for others: a function that is not static, a
# variable at the top level that is not static; an assembly file's .globl.
DEFINED_FUNCTION_RE = re.compile(r"^(?!static\b)[A-Za-z_][\w \t*]*?\b(\w+)\s*\([^;{}]*\)\s*"
                                 r"(?:__attribute__\s*\(\(.*?\)\)\s*)?\{", re.M)
DEFINED_VARIABLE_RE = re.compile(r"^(?!static\b|extern\b|typedef\b|return\b)(?:(?:const|volatile|unsigned|struct|enum)\s+)*"
                                 r"\w+[\s*]+(\w+)\s*(?:\[[^\]]*\]\s*)?[=;]", re.M)
GLOBL_RE = re.compile(r"^\s*\.globl\s+(\w+)", re.M)
WORD_RE = re.compile(r"\b[A-Za-z_]\w*\b")
BOOT_GLUE = "kernel/*"              # the row that starts every subsystem and driver
BLOCK_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
LINE_COMMENT_RE = re.compile(r"//[^\n]*")
QUOTED_RE = re.compile(r"`([^`]+)`")


def matches(path: str, pattern: str) -> bool:
    """`dir/` matches everything under dir; anything else is a glob that
    matches one path segment per segment (`kernel/*` is the files at the
    top of kernel/, not those in its subfolders)."""
    if pattern.endswith("/"):
        return path.startswith(pattern)
    parts, globs = path.split("/"), pattern.split("/")
    return len(parts) == len(globs) and all(fnmatch.fnmatchcase(p, g) for p, g in zip(parts, globs))


@dataclass
class Layout:
    folders: dict   # pattern -> the folder (row) it belongs to, named by the row's first pattern
    allowed: dict   # folder -> set of folders it may include, or None: everything
    core: set       # folders every folder may include

    def folder_of(self, path: str):
        """The folder a repository path belongs to: the row of the most
        specific pattern that matches it (None if no row names it)."""
        hits = [p for p in self.folders if matches(path, p)]
        return self.folders[max(hits, key=len)] if hits else None

    def allows(self, src: str, dst: str) -> bool:
        if src == dst or dst in self.core:
            return True
        return self.allowed[src] is None or dst in self.allowed[src]


def table_rows(text: str):
    """The cells of each row of the table under TABLE_HEADING."""
    lines = text.split(TABLE_HEADING, 1)[1].splitlines()
    table = [l for l in lines[next(i for i, l in enumerate(lines) if l.startswith("|")):]]
    table = table[:next((i for i, l in enumerate(table) if not l.startswith("|")), len(table))]
    for line in table[2:]:                      # after the header and the |---| line
        yield [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_layout(text: str) -> Layout:
    folders, allowed, core, wanted = {}, {}, set(), []
    for cells in table_rows(text):
        who, may = cells[0], cells[1]
        targets = QUOTED_RE.findall(may)
        if who == EVERY_FOLDER:
            wanted.append((None, targets))
            continue
        patterns = QUOTED_RE.findall(who)
        assert patterns, f"docs/layout.md: a row names no folder: {cells}"
        name = patterns[0]
        for p in patterns:
            folders[p] = name
        allowed[name] = None if may == EVERYTHING else set()
        wanted.append((name, targets))
    for name, targets in wanted:                # folder patterns -> folder names
        for t in targets:
            assert t in folders, f"docs/layout.md: `{t}` has no row of its own"
            (core if name is None else allowed[name]).add(folders[t])
    return Layout(folders, allowed, core)


def without_comments(text: str) -> str:
    """C source with its comments blanked out, line numbers kept."""
    text = BLOCK_COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return LINE_COMMENT_RE.sub("", text)


def resolve_include(root: Path, src: str, name: str, angle: bool = False):
    """The repository path `#include "name"` in src opens, as gcc finds it;
    `#include <name>` searches only the -I paths, not the file's folder."""
    for base in (() if angle else (str(Path(src).parent),)) + INCLUDE_PATHS:
        candidate = root / base / name
        if candidate.is_file():
            return candidate.resolve().relative_to(root.resolve()).as_posix()
    return None


def source_files(root: Path):
    for d in SOURCE_DIRS:
        for f in sorted((root / d).rglob("*")):
            if f.suffix in SOURCE_SUFFIXES and f.is_file():
                yield f.relative_to(root).as_posix()


def layout_violations(root: Path, layout: Layout):
    """One line per include outside the table, file outside its folders,
    and extern declaration in a .c file."""
    problems = []
    for src in source_files(root):
        folder = layout.folder_of(src)
        if folder is None:
            problems.append(f"{src}: in no folder of docs/layout.md's table")
            continue
        code = without_comments((root / src).read_text(errors="replace"))
        for n, line in enumerate(code.splitlines(), 1):
            m = INCLUDE_RE.match(line)
            if m:
                name = m.group(1) or m.group(2)
                shown = f'"{name}"' if m.group(1) else f"<{name}>"
                target = resolve_include(root, src, name, angle=not m.group(1))
                dst = target and layout.folder_of(target)
                if target is None:
                    problems.append(f"{src}:{n}: #include {shown} is not in the tree")
                elif dst is None:
                    problems.append(f"{src}:{n}: #include {shown}: {target} is in no folder of the table")
                elif not layout.allows(folder, dst):
                    problems.append(f"{src}:{n}: #include {shown}: {folder} may not include {dst}")
            if src.endswith(".c") and EXTERN_RE.match(line):
                problems.append(f"{src}:{n}: extern in a .c file (declare it in the owner's header): "
                                f"{line.strip()}")
        if src.endswith(".c"):
            problems += [f"{src}:{n}: declares {name}(), defined in another file "
                         f"(declare it in the owner's header)" for n, name in foreign_prototypes(code)]
    return sorted(problems, key=by_file_and_line)


def foreign_prototypes(code: str):
    """(line, name) of each prototype (at the top level or in a function
    body) of a function this file does not define: an extern declaration
    without the word extern."""
    for m in PROTOTYPE_RE.finditer(code):
        name = m.group(1)
        if name not in NOT_FUNCTION_NAMES and not re.search(r"\b%s\s*\([^;]*\)\s*\{" % re.escape(name), code):
            yield code.count("\n", 0, m.start()) + 1, name


def by_file_and_line(problem: str):
    path, _, rest = problem.partition(":")
    line = rest.split(":", 1)[0]
    return path, int(line) if line.isdigit() else 0


def the_layout() -> Layout:
    return parse_layout(LAYOUT_DOC.read_text())


# What a tracked file may not cite: the repository stands on its own, so a
# reference names a file in it (docs/design.md, docs/qemu-notes.md, ...), not
# a folder beside it, a design note by its outside name, or a tracker's
# issue number.  Each pattern is written so that it does not match itself.
OUTSIDE_REFERENCE_RES = (
    re.compile(r"(?<![\w.-])/wor[k]/"),         # the machine's work folder (not build/grade/work/)
    re.compile(r"\.\./share[d]"),                # a folder beside the repository
    re.compile(r"(?<![\w/.-])DESIG[N]\.md"),      # the design contract is docs/design.md
    re.compile(r"\bissue[s]?[ -]#?[0-9]", re.I),  # an issue tracker's number
)


def outside_references(root: Path, files):
    """One line per citation of something outside the repository."""
    problems = []
    for name in files:
        path = root / name
        if not path.is_file() or "__pycache__" in path.parts:      # a tree without git: skip Python's caches
            continue
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for pattern in OUTSIDE_REFERENCE_RES:
                m = pattern.search(line)
                if m:
                    problems.append(f"{name}:{n}: cites {m.group(0)!r}, outside the repository: {line.strip()}")
    return problems


def test_no_references_outside_the_repository():
    """No tracked file cites a path outside the tree, an outside design
    note or an issue number: the fact it needs is in a file of the tree."""
    problems = outside_references(ROOT, labs.tracked_files(ROOT))
    assert not problems, ("references outside the repository (%d):\n  " % len(problems)) + "\n  ".join(problems)


def test_outside_reference_check_catches_each_kind(tmp_path):
    """The check itself: each kind of outside reference is caught, and what
    looks like one but is not (docs/design.md, a random seed, an issued
    request) is not."""
    lines = ["see docs/design.md section 3", "a random seed 7", "blk_issued(b); issued 3 requests",
             "copied into build/grade/wo" "rk/NAME/", "see /wo" "rk/shared/QEMU-NOTES.md", "../sha" "red/notes",
             "DESI" "GN.md: power off", "hardening (iss" "ue 12)", "iss" "ues 13 and 14", "the iss" "ue-2 tests"]
    (tmp_path / "f.c").write_text("\n".join(lines) + "\n")
    assert [p.split(":")[1] for p in outside_references(tmp_path, ["f.c"])] == ["5", "6", "7", "8", "9", "10"]


def defined_symbols(root: Path):
    """symbol -> the file that defines it, for every function and variable
    a .c or .S file in kernel/, drivers/ and boot/ gives other files."""
    owner = {}
    for src in source_files(root):
        code = without_comments((root / src).read_text(errors="replace"))
        if src.endswith(".S"):
            names = GLOBL_RE.findall(code)
        elif src.endswith(".c"):
            names = DEFINED_FUNCTION_RE.findall(code) + DEFINED_VARIABLE_RE.findall(code)
        else:
            continue
        for name in names:
            owner.setdefault(name, src)
    return owner


def symbol_violations(root: Path, layout: Layout):
    """What a header in kernel/include/ could hide from the include check:
    a .c file outside drivers/ and the boot glue that uses a function or
    variable a driver defines (the stack and the file systems reach a
    device only through what the driver registers), and a leaf (a row that
    may include nothing: kernel/lib/, kernel/ledger/, ...) that uses a
    symbol defined outside its own folder and kernel/lib/ (a leaf calls no
    one).  Uses are found by name, in the code with comments removed."""
    owner = defined_symbols(root)
    leaves = {name for name, allowed in layout.allowed.items() if allowed == set()}
    lib = layout.folder_of("kernel/lib/x.c")
    problems = []
    for src in source_files(root):
        folder = layout.folder_of(src)
        if not src.endswith(".c") or folder is None:
            continue
        words = set(WORD_RE.findall(without_comments((root / src).read_text(errors="replace"))))
        for name in sorted(words & owner.keys()):
            dst = layout.folder_of(owner[name])
            if dst == "drivers/" and folder not in ("drivers/", BOOT_GLUE):
                problems.append(f"{src}: uses {name}, which the driver {owner[name]} defines")
            elif folder in leaves and dst not in (folder, lib):
                problems.append(f"{src}: a leaf, uses {name}, which {owner[name]} defines")
    return problems


def test_no_hidden_calls_into_drivers_or_out_of_leaves():
    """Only drivers/ and the boot glue use a driver's symbols, and the
    leaves call no one, whatever headers declare them (kernel/include/timer.h
    once hid that the stack and the file systems read drivers/timer.c's
    clock, and kernel/lib/random.c its boot_epoch)."""
    problems = symbol_violations(ROOT, the_layout())
    assert not problems, ("calls around docs/layout.md (%d):\n  " % len(problems)) + "\n  ".join(problems)


def write_tree(root, files):
    """A small source tree for the checks' own tests: {path: text}."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_symbol_check_catches_hidden_calls(tmp_path):
    """The check itself: a clock defined in a driver and read by the stack
    through a kernel/include header, a leaf that reads it, a driver and the
    boot glue that may, and a static driver function of the same name as a
    stack's own are caught or not as they should be."""
    files = {
        "kernel/include/timer.h": "extern volatile unsigned long ticks;\nvoid timer_init(int hz);\n",
        "drivers/timer.c": '#include "timer.h"\nvolatile unsigned long ticks;\nvoid timer_init(int hz)\n{\n}\n'
                           "static void helper(void)\n{\n}\n",
        "drivers/e1000.c": '#include "timer.h"\nvoid e1000_tick(void)\n{\n\tticks++;\n}\n',
        "kernel/main.c": '#include "timer.h"\nvoid kmain(void)\n{\n\ttimer_init(100);\n}\n',
        "kernel/net/tcp.c": '#include "timer.h"\nstatic void helper(void)\n{\n}\n'
                            "int tcp_rto(void)\n{\n\treturn ticks + 3;\n}\n",
        "kernel/lib/random.c": '#include "timer.h"\nint seed(void)\n{\n\treturn tcp_rto() ^ ticks;\n}\n',
    }
    write_tree(tmp_path, files)
    assert symbol_violations(tmp_path, the_layout()) == [
        "kernel/lib/random.c: a leaf, uses tcp_rto, which kernel/net/tcp.c defines",
        "kernel/lib/random.c: uses ticks, which the driver drivers/timer.c defines",
        "kernel/net/tcp.c: uses ticks, which the driver drivers/timer.c defines",
    ]


def test_includes_follow_docs_layout():
    """Every #include in kernel/, drivers/ and boot/ is one docs/layout.md
    allows, and no .c file declares an extern."""
    problems = layout_violations(ROOT, the_layout())
    assert not problems, ("outside docs/layout.md (%d):\n  " % len(problems)) + "\n  ".join(problems)


def test_layout_table_reads_as_intended():
    """The parsed table says what docs/layout.md says in words: leaves stay
    leaves, mm does not reach fs, fs does not reach net, net and the block
    layer do not reach drivers, drivers reach the stack."""
    layout = the_layout()
    assert layout.core == {"kernel/include/", "kernel/lib/", "kernel/cmdline.*", "kernel/proc/"}
    assert layout.allowed["kernel/ledger/"] == set()
    assert layout.folder_of("kernel/fs/ext2/inode.c") == "kernel/fs/"
    assert layout.folder_of("kernel/include/uapi/zc32.h") == "kernel/include/"
    assert layout.folder_of("kernel/cmdline.h") == "kernel/cmdline.*"
    assert layout.folder_of("kernel/main.c") == layout.folder_of("boot/multiboot.S") == "kernel/*"
    assert not layout.allows("kernel/mm/", "kernel/fs/")
    assert not layout.allows("kernel/fs/", "kernel/net/")
    assert not layout.allows("kernel/net/", "drivers/")
    assert not layout.allows("kernel/block/", "drivers/")
    assert not layout.allows("kernel/ledger/", "kernel/block/")
    assert layout.allows("drivers/", "kernel/net/") and layout.allows("kernel/net/", "kernel/fs/")
    assert layout.allows("kernel/*", "drivers/")


def test_layout_check_catches_bad_includes_and_externs(tmp_path):
    """The check itself, on a small tree with one good include and each kind
    of fault: an include the table forbids (in quotes or angle brackets),
    an include of nothing (an angle include does not search the file's own
    folder), a file in no folder of the table, an extern in a .c file and a
    prototype of a function defined elsewhere, at the top level or in a
    function body (one in a comment, one in a header, a forward declaration
    of the file's own function, a call and `asm volatile(...)` are fine)."""
    files = {
        "kernel/fs/vfs.h": "",
        "kernel/mm/vm.h": "",
        "kernel/fs/file.c": '#include "mm/vm.h"\n#include "vfs.h"\n#include <mm/vm.h>\n',
        "kernel/mm/fault.c": '#include "vm.h"\n/* extern int in_a_comment; */\n#include "fs/vfs.h"\n'
                             "#include <fs/vfs.h>\n#include <vm.h>\n"
                             "void fault(void)\n{\n\textern int ticks;\n\tvoid net_tick(void);\n"
                             "\tnet_poll(1);\n\tif (ticks)\n\t\tfault();\n\telse net_poll(2);\n"
                             '\tasm volatile("" ::: "memory");\n}\n',
        "kernel/mm/pmm.c": '#include "missing.h"\nextern int boot_mmap_count;\n'
                           "static void later(void);\nvoid pmm_init(void);\nvoid swtch(int *a,\n\tint b);\n"
                           "void pmm_init(void)\n{\n\tlater();\n}\nstatic void later(void) {}\n",
        "kernel/mm/pmm.h": "extern int boot_mmap_count;\nvoid pmm_init(void);\n",
        "kernel/newdir/x.c": "",
    }
    write_tree(tmp_path, files)
    assert layout_violations(tmp_path, the_layout()) == [
        'kernel/mm/fault.c:3: #include "fs/vfs.h": kernel/mm/ may not include kernel/fs/',
        "kernel/mm/fault.c:4: #include <fs/vfs.h>: kernel/mm/ may not include kernel/fs/",
        "kernel/mm/fault.c:5: #include <vm.h> is not in the tree",
        "kernel/mm/fault.c:8: extern in a .c file (declare it in the owner's header): extern int ticks;",
        "kernel/mm/fault.c:9: declares net_tick(), defined in another file (declare it in the owner's header)",
        'kernel/mm/pmm.c:1: #include "missing.h" is not in the tree',
        "kernel/mm/pmm.c:2: extern in a .c file (declare it in the owner's header): extern int boot_mmap_count;",
        "kernel/mm/pmm.c:5: declares swtch(), defined in another file (declare it in the owner's header)",
        "kernel/newdir/x.c: in no folder of docs/layout.md's table",
    ]
