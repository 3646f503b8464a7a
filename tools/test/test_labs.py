"""test_labs.py - the course: solution markers, handouts, the grader
(docs/labs/README.md).

Every handout is checked so that none can rot: its tree builds (only the
files its stubs change are compiled), boots, fails its own lab's tests and
passes the others'.  `make test` runs the other labs' quick tests
(SMOKE_SECONDS); `make check-handouts` (ZC32_HANDOUT_MATRIX=full) runs all
of them for every handout.
"""

import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, BUILD

import labs  # tools/labs.py (conftest puts tools/ on the path)

_loader = importlib.machinery.SourceFileLoader("grade", str(ROOT / "tools" / "grade"))
_spec = importlib.util.spec_from_loader("grade", _loader)
grade = importlib.util.module_from_spec(_spec)
_loader.exec_module(grade)

LABS = labs.load_labs()
# In a student tree (a handout) the labs handed out fail until solved: the
# handout and grader checks are the instructor's.
HANDED_OUT = labs.handed_out()
instructor_only = pytest.mark.skipif(bool(HANDED_OUT), reason="a student tree (labs "
                                     f"{', '.join(sorted(HANDED_OUT))} handed out)")
FULL_MATRIX = os.environ.get("ZC32_HANDOUT_MATRIX") == "full"
# In make test, a handout runs the other labs' tests that boot once, quickly
# (the slow swap and network ones run in make check-handouts).
SLOW_TESTS = {"test_vm.py::test_clean_swapped_in_pages_are_not_written_again",
              "test_vm.py::test_clock_keeps_a_hot_set", "test_vm.py::test_fork_cow_under_swap",
              "test_sendfile.py::test_sendfile_copy_vs_gather_ledger",
              "test_net.py::test_tcp_small_window_and_retransmission"}
KERNEL = BUILD / "kernel.elf"


def _lab(name):
    return next(l for l in LABS if l.name == name)


# ---- markers and labs (no boot) ---------------------------------------------

def test_labs_are_complete_and_markers_well_formed():
    """At least eight labs, numbered, each with a handout, regions in the
    kernel and graded tests that exist; no malformed marker anywhere."""
    assert len(LABS) >= 8, [l.name for l in LABS]
    assert labs.check() == []
    for l in LABS:
        text = l.handout.read_text()
        for section in ("## Goal", "## Background", "## What to change", "## How it is graded",
                        "## Hints", "## GDB"):
            assert section in text, f"{l.handout}: no {section}"
        assert "make gdb" in text, f"{l.handout}: the GDB recipe does not use make gdb"


GDB_BREAK_RE = re.compile(r"^\(gdb\) (?:break|tbreak) (\w+)", re.M)
GDB_INIT_RE = re.compile(r"--init (/[^\s'\"]+)")


@pytest.mark.parametrize("lab", [l.name for l in LABS])
def test_gdb_recipe_names_real_functions_and_programs(lab, built):
    """Every `(gdb) break FUNC` of a handout's GDB recipe is a function GDB
    finds in build/kernel.elf (static and inlined ones included), and every
    `--init PROGRAM` is built."""
    text = _lab(lab).handout.read_text()
    funcs = GDB_BREAK_RE.findall(text)
    assert funcs, f"{lab}.md: the GDB recipe sets no breakpoint"
    cmd = ["gdb", "-nx", "-batch"] + [a for f in funcs for a in ("-ex", f"break {f}")] + [str(KERNEL)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    assert out.count("Breakpoint ") == len(funcs), f"{lab}.md: {funcs}\n{out}"
    for prog in GDB_INIT_RE.findall(text):
        assert (BUILD / "rootfs" / prog.lstrip("/")).is_file(), f"{lab}.md: no program {prog}"


@pytest.mark.parametrize("text, why", [
    ("/* LAB a: BEGIN */\nx\n/* LAB a: STUB\ny\n", "has no END"),
    ("/* LAB a: BEGIN */\n/* LAB b: BEGIN */\n", "BEGIN inside"),
    ("/* LAB a: BEGIN */\nx\n   LAB a: END */\n", "without its BEGIN and STUB"),
    ("/* LAB a: BEGIN */\n/* LAB b: STUB\n   LAB b: END */\n", "STUB of lab b"),
    ("/* LAB a: BEGIN */\n/* LAB a: STUB\ny; /* no */\n   LAB a: END */\n", "ends its comment"),
    ("x = 1; /* LAB a: BEGIN */\n", "alone on its line"),
])
def test_malformed_markers_are_refused(text, why):
    with pytest.raises(labs.MarkerError, match=why):
        labs.parse_regions(text, "f.c")


def _git_tree(path, files):
    path.mkdir()
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    subprocess.run(["git", "add", "."], cwd=path, check=True)


SAMPLE = """int f(void)
{
\t/* LAB one: BEGIN */
\treturn 1;
\t/* LAB one: STUB
\treturn -38;
\t   LAB one: END */
}
/* LAB two: BEGIN */
int g;
/* LAB two: STUB
   LAB two: END */
"""


def test_handout_replaces_only_its_labs_regions(tmp_path):
    """A handout has the lab's regions replaced by a 'your code here' line
    and the stub, the other labs' regions untouched, only tracked files,
    no .git, no build/; unchanged files keep their dates."""
    src = tmp_path / "src"
    _git_tree(src, {"kernel/a.c": SAMPLE, "kernel/b.c": "int b;\n", "README.md": "r\n"})
    (src / "untracked.c").write_text("x\n")
    (src / "build").mkdir()
    (src / "build/kernel.o").write_text("o\n")
    os.utime(src / "kernel/b.c", (1000, 1000))
    out = tmp_path / "out"
    assert labs.write_handout(src, out, {"one"}) == ["kernel/a.c"]
    a = (out / "kernel/a.c").read_text()
    assert "\t/* LAB one: your code here (docs/labs/one.md) */\n\treturn -38;\n}\n" in a
    assert "return 1;" not in a and "LAB one: BEGIN" not in a
    assert a.endswith("/* LAB two: BEGIN */\nint g;\n/* LAB two: STUB\n   LAB two: END */\n")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == \
        ["README.md", "kernel/a.c", "kernel/b.c"]
    assert (out / "kernel/b.c").stat().st_mtime == 1000
    both = labs.apply_stubs(SAMPLE, "a.c", {"one", "two"})
    assert "int g;" not in both and both.endswith("/* LAB two: your code here (docs/labs/two.md) */\n")
    with pytest.raises(labs.MarkerError, match="not empty"):
        labs.write_handout(src, out, {"one"})


@instructor_only
def test_make_handout_upto(tmp_path):
    """make handout UPTO=cow: syscall's and cow's solutions gone, the
    others' kept, byte for byte."""
    assert labs.lab_names_upto(LABS, "cow") == ["syscall", "cow"]
    out = tmp_path / "tree"
    r = subprocess.run(["make", "-s", "handout", "UPTO=cow", f"OUT={out}"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "LAB syscall: your code here" in (out / "kernel/sys.c").read_text()
    assert "LAB cow: your code here" in (out / "kernel/mm/vm.c").read_text()
    assert (out / "kernel/mm/fault.c").read_bytes() == (ROOT / "kernel/mm/fault.c").read_bytes()
    assert not (out / "build").exists() and not (out / ".git").exists()
    r = subprocess.run(["make", "-s", "handout", "LAB=nosuch", f"OUT={tmp_path / 'x'}"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode != 0 and "no lab named 'nosuch'" in r.stderr


# ---- every handout, booted ----------------------------------------------------

def _build_handout(tmp_path, names):
    out = tmp_path / "handout"
    changed = labs.write_handout(ROOT, out, set(names))
    labs.prepare_kernel_tree(out)
    ok, tail = labs.build_kernel(out, log=tmp_path / "build.log")
    assert ok, tail
    compiled = re.findall(r"^\s+CC\s+(\S+)$", (tmp_path / "build.log").read_text(), re.M)
    sources = [c for c in changed if not c.endswith(".h")]
    if len(sources) == len(changed):       # no header changed: nothing else may be compiled
        assert sorted(compiled) == sorted(changed), "the seeded build compiled other files"
    assert set(sources) <= set(compiled), "a stubbed file was not compiled"
    return out / "build/kernel.elf"


@pytest.mark.parametrize("lab", [l.name for l in LABS])
@instructor_only
def test_handout_builds_fails_its_lab_passes_the_others(lab, tmp_path):
    """The handout of one lab: its kernel builds from the seeded objects
    (compiling just the stubbed files), every test of its lab fails, and
    the other labs' tests pass (make test: the quick ones)."""
    kernel = _build_handout(tmp_path, [lab])
    others = [l for l in LABS if l.name != lab]
    if not FULL_MATRIX:
        others = [labs.Lab(l.name, l.number, l.title, [t for t in l.tests if t[0] not in SLOW_TESTS],
                           l.handout) for l in others]
    rep = grade.grade_kernel(kernel, [_lab(lab)] + others, jobs=2, timeout=300, quiet=True)
    own, rest = rep["labs"][0], rep["labs"][1:]
    bad = [t["test"] for t in own["tests"] if t["status"] == "passed"]
    assert not bad, f"the handout of {lab} passes its own tests {bad}"
    assert own["points"] == 0
    failing = [f"{t['test']}: {t['reason']}" for l in rest for t in l["tests"] if t["status"] != "passed"]
    assert not failing, f"the handout of {lab} fails other labs' tests:\n" + "\n".join(failing)


# ---- the grader -----------------------------------------------------------------

@instructor_only
def test_make_grade_reference_scores_full_marks():
    """make grade's runner on the reference kernel: full marks, a line per
    test and a total, grade.json and junit.xml that agree.  (make test:
    the labs whose tests are all quick - the suite runs the others' tests
    on this kernel anyway; make check-handouts: every lab.)"""
    graded = [l for l in LABS if FULL_MATRIX or not any(t in SLOW_TESTS for t, _ in l.tests)]
    out = BUILD / "grade-test"
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run([labs.PYTHON, str(ROOT / "tools/grade"), "--out", str(out),
                        "--labs", ",".join(l.name for l in graded)], cwd=ROOT,
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stdout + r.stderr
    full = sum(l.points for l in graded)
    assert f"total: {full}/{full}" in r.stdout, r.stdout
    rep = json.loads((out / "grade.json").read_text())
    assert rep["points"] == rep["max"] == full
    assert [l["name"] for l in rep["labs"]] == [l.name for l in graded]
    suites = ET.parse(out / "junit.xml").getroot()
    cases = suites.findall(".//testcase")
    assert len(cases) == sum(len(l.tests) for l in graded) and len(graded) >= 3
    assert not suites.findall(".//failure") and not suites.findall(".//error")


HANG_ENV = "ZC32_GRADE_HANG"        # set: the test below hangs, for the grader to kill


def test_hangs_for_the_grader(run_guest):
    """Not a check of its own: a guest that sleeps a minute, which
    test_grade_times_out_a_hung_test has the grader run and kill."""
    if not os.environ.get(HANG_ENV):
        pytest.skip("only test_grade_times_out_a_hung_test runs it")
    run_guest("sleep", args=["60"], timeout=90)


def test_grade_times_out_a_hung_test(monkeypatch):
    """A test that runs past its time is killed, with the QEMU it started
    (in a session of its own), and scores 0; the report says so."""
    monkeypatch.setenv(HANG_ENV, "1")
    res = grade.run_test("test_labs.py::test_hangs_for_the_grader", KERNEL, timeout=8)
    assert res["status"] == "timeout" and "no result after 8 s" in res["reason"]
    assert res["seconds"] < 30
    qemus = [p for p, name in res["killed"] if name.startswith("qemu-system")]
    assert qemus, f"no QEMU was running after 5 s: {res['killed']}"
    time.sleep(0.5)
    assert not [p for p in qemus if _cmdline(p)], "QEMU survived the timeout"


def _cmdline(pid):
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return b""


@instructor_only
def test_grade_batch_uses_pristine_tests(tmp_path):
    """tools/grade on three student trees: the reference kernel scores
    full marks; a tree that does not build scores 0 with the compiler's
    complaint; the syscall handout, whose own copy of the test was
    'fixed' to pass, loses syscall's points and keeps virtio's."""
    subs = tmp_path / "subs"
    subs.mkdir()
    good = subs / "good"
    labs.write_handout(ROOT, good, set())
    broken = subs / "broken"
    labs.write_handout(ROOT, broken, set())
    sysc = broken / "kernel/sys.c"
    sysc.write_text(sysc.read_text().replace("long sys_uname(void *ubuf)\n{",
                                             "long sys_uname(void *ubuf)\n{ syntax error here"))
    cheat = subs / "cheat"
    labs.write_handout(ROOT, cheat, {"syscall"})
    (cheat / "tools/test/test_foundation.py").write_text("def test_systest():\n    pass\n")
    csv_path = tmp_path / "results.csv"
    r = subprocess.run([labs.PYTHON, str(ROOT / "tools/grade"), "--labs", "syscall,virtio", str(subs),
                        "--out", str(csv_path)], cwd=ROOT, capture_output=True, text=True,
                       timeout=1200)
    assert r.returncode == 0, r.stdout + r.stderr
    rows = {l.split(",")[0]: l.split(",") for l in csv_path.read_text().splitlines()}
    assert rows["submission"][:6] == ["submission", "syscall", "virtio", "total", "max", "note"]
    assert rows["good"][1:5] == ["10", "10", "20", "20"], r.stdout
    assert rows["broken"][1:5] == ["0", "0", "0", "20"] and "does not build" in rows["broken"][5]
    assert "syntax" in (tmp_path / "broken/build.log").read_text()
    assert rows["cheat"][1:5] == ["0", "10", "10", "20"], r.stdout
    rep = json.loads((tmp_path / "cheat/grade.json").read_text())
    assert rep["labs"][0]["tests"][0]["status"] == "failed"
    assert (tmp_path / "good/junit.xml").is_file()
