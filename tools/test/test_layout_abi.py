"""test_layout_abi.py - the Linux i386 ABI is written down once (docs/layout.md).

errno values, O_*, PROT_*/MAP_*, signals, POLL*, AT_*, CLONE_*, PR_*,
RLIMIT_*, RUSAGE_*, GRND_*, the stat, dirent, ELF, time, rlimit, rusage,
user_desc and iovec layouts live in kernel/include/uapi/, which the kernel
and user/lib and user/tests include.  These checks read the source tree on
the host (no QEMU): a constant or structure of the ABI defined a second
time anywhere else, a macro the kernel defines in two files, a system-call
number that user/lib and the kernel's table disagree on, or a uapi header
that needs another header or holds a function, fails.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UAPI = ROOT / "kernel/include/uapi"
SOURCE_DIRS = ["kernel", "drivers", "boot", "user"]

DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
# Families that belong in uapi even when a new one is not there yet.
ABI_FAMILY = re.compile(r"^(E[A-Z0-9]+|O_[A-Z]+|PROT_[A-Z]+|MAP_[A-Z]+|SIG[A-Z0-9]+|"
                        r"POLL[A-Z]+|S_IF[A-Z]+|CLONE_[A-Z_]+|GRND_[A-Z]+|PR_[SG]ET_[A-Z_]+|"
                        r"RLIMIT_[A-Z]+|RLIM_[A-Z]+|RUSAGE_[A-Z]+|ITIMER_[A-Z]+|ICMP_ECHO[A-Z_]*|USER_HZ)$")
STRUCT = re.compile(r"^\s*struct\s+(\w+)\s*\{", re.M)
# Names in those families that are not ABI constants: ELF's (uapi/elf.h has
# them, but not by family), and libc's own EOF and MAP_FAILED.
NOT_ABI = re.compile(r"^(ELF_|EM_|ET_|E1000|EOF$|MAP_FAILED$)")


def defines(path):
    return DEFINE.findall(path.read_text(errors="replace"))


def structs(path):
    return STRUCT.findall(re.sub(r"/\*.*?\*/", "", path.read_text(errors="replace"), flags=re.S))


def sources():
    for d in SOURCE_DIRS:
        for p in sorted((ROOT / d).rglob("*")):
            if p.suffix in (".c", ".h", ".S") and UAPI not in p.parents:
                yield p


def uapi_headers():
    return sorted(UAPI.glob("*.h"))


def test_no_abi_constant_defined_twice():
    """Every name a uapi header defines is defined nowhere else in the tree,
    and no constant of an ABI family (errno, O_, PROT_, MAP_, SIG, POLL,
    S_IF, CLONE_, GRND_, PR_, RLIMIT_, RUSAGE_, ...) is defined outside uapi."""
    owner = {}
    for h in uapi_headers():
        for name in defines(h):
            if not name.startswith("ZC32_UAPI_"):       # include guards
                assert name not in owner, f"{name} in both {owner[name]} and {h.name}"
                owner[name] = h.name
    assert {"EFAULT", "O_CREAT", "MAP_SHARED", "PROT_WRITE", "SIGSEGV", "POLLIN",
            "AT_RANDOM", "S_IFREG"} <= owner.keys()
    dups = []
    for p in sources():
        for name in defines(p):
            rel = p.relative_to(ROOT)
            if name in owner:
                dups.append(f"{rel}: {name} (uapi/{owner[name]} has it)")
            elif ABI_FAMILY.match(name) and not NOT_ABI.match(name):
                dups.append(f"{rel}: {name} (an ABI constant: put it in kernel/include/uapi/)")
    assert not dups, "ABI constants defined outside kernel/include/uapi:\n" + "\n".join(dups)


def test_no_abi_structure_defined_twice():
    """A structure a uapi header lays out (struct timeval, rlimit64,
    user_desc, iovec, ...) is laid out nowhere else: the kernel and the
    programs use the one copy."""
    owner = {name: h.name for h in uapi_headers() for name in structs(h)}
    assert {"timeval", "rlimit32", "rlimit64", "rusage32", "user_desc", "iovec", "itimerval"} <= owner.keys()
    dups = [f"{p.relative_to(ROOT)}: struct {name} (uapi/{owner[name]} has it)"
            for p in sources() for name in structs(p) if name in owner]
    assert not dups, "ABI structures defined outside kernel/include/uapi:\n" + "\n".join(dups)


def test_kernel_defines_each_macro_once():
    """Inside kernel/, drivers/ and boot/ a macro has one definition: a
    constant two files need goes in a header both include.  Device register
    offsets (REG_*) are each driver's own names for its own device."""
    where = {}
    for p in sources():
        rel = p.relative_to(ROOT).as_posix()
        if rel.startswith("user/"):
            continue
        for name in set(defines(p)):
            if not (name.startswith("ZC32_") or name.startswith("REG_")):
                where.setdefault(name, []).append(rel)
    dups = [f"{name}: {', '.join(files)}" for name, files in sorted(where.items()) if len(files) > 1]
    assert not dups, "macros the kernel defines in more than one file:\n" + "\n".join(dups)


def test_syscall_numbers_agree():
    """user/lib/syscall.h's SYS_NAME is the number the kernel's table
    (kernel/trap/syscall.c) serves with sys_NAME, wherever the kernel has a
    handler of that name (one handler may serve several numbers: fsync
    serves fsync and fdatasync)."""
    table = re.sub(r"/\*.*?\*/", "", (ROOT / "kernel/trap/syscall.c").read_text(), flags=re.S)
    linux = table.split("linux_calls[]", 1)[1].split("};", 1)[0]
    served = {}
    for n, fn in re.findall(r"S\(\s*(\d+)\s*,\s*sys_(\w+)\s*\)", linux):
        served.setdefault(fn, set()).add(int(n))
    user = dict(re.findall(r"#define SYS_(\w+)\s+(\d+)", (ROOT / "user/lib/syscall.h").read_text()))
    assert len(served) > 100 and len(user) > 100
    wrong = [f"SYS_{name} {n}: the kernel serves sys_{name} at {sorted(served[name])}"
             for name, n in sorted(user.items()) if name in served and int(n) not in served[name]]
    assert not wrong, "system-call numbers that disagree:\n" + "\n".join(wrong)


def cross_cc():
    for cc in ("i686-elf-gcc", "i686-linux-gnu-gcc"):
        if shutil.which(cc):
            return cc
    pytest.skip("no i686 cross compiler")


@pytest.mark.parametrize("header", [h.name for h in uapi_headers()])
def test_uapi_header_stands_alone(header):
    """Each uapi header compiles on its own, with no include path (so it
    needs neither side's types.h), and defines no function."""
    path = UAPI / header
    text = path.read_text()
    assert "#include" not in text, f"{header} includes another header"
    body = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    assert not re.search(r"\)\s*\{", body), f"{header} defines a function"
    r = subprocess.run([cross_cc(), "-m32", "-ffreestanding", "-nostdinc", "-fsyntax-only",
                        "-Wall", "-Werror", "-x", "c", str(path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, f"{header} does not compile alone:\n{r.stderr}"


# ---- the ledger as a leaf (docs/layout.md) ---------------------------------

LEDGER = ROOT / "kernel/ledger"
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)   # "..." and <...>


def test_ledger_is_a_leaf():
    """Everyone calls the ledger; it includes nothing outside kernel/include
    (and kernel/lib's declarations there) but its own header."""
    bad = []
    for p in sorted(LEDGER.glob("*.[ch]")):
        for inc in INCLUDE.findall(p.read_text()):
            if not ((ROOT / "kernel/include" / inc).exists() or inc.startswith("ledger/")):
                bad.append(f"{p.relative_to(ROOT)}: #include \"{inc}\"")
    assert not bad, "the ledger includes outside kernel/include:\n" + "\n".join(bad)


def c_functions(text):
    """(name, body) of each function defined at file level in C source text,
    found by matching braces (comments removed first)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out, depth, start, name = [], 0, 0, None
    for i, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                m = re.search(r"(\w+)\s*\([^;{}()]*\)\s*$", text[:i])
                name, start = (m.group(1) if m else None), i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and name:
                out.append((name, text[start:i + 1]))
    return out


def test_ledger_updates_run_with_interrupts_off():
    """The one mechanism that makes counting safe against interrupts: every
    function in ledger.c that changes a counter, the trace or the running
    account does it between irq_save() and irq_restore()."""
    functions = c_functions((LEDGER / "ledger.c").read_text())
    assert len(functions) > 10, "could not find ledger.c's functions"
    unsafe = []
    for name, body in functions:
        if name == "trace_add":         # a helper: its callers hold interrupts off
            continue
        updates = re.search(r"\bCOUNT\(|\btrace_add\(|\brunning\s*=|\btrace_(len|on)\s*=|\bmemset\(|\+=", body)
        if updates and not ("irq_save()" in body and "irq_restore(" in body):
            unsafe.append(name)
    assert not unsafe, f"ledger functions updating counters with interrupts on: {unsafe}"
