"""test_foundation.py - issue 2: boot, the kernel command line, process
start, exit-status plumbing through isa-debug-exit, and the in-guest test
programs (system calls, CPU faults, preemption, fork trees, raw int 0x80
programs, the counters)."""

import re

import pytest

from conftest import (BANNER_RE, INIT_RE, KILL_RE, POWEROFF_RE, check_boot,
                      check_test_program, out_line)


def test_boot_banner_and_echo(run_guest):
    r = run_guest("echo", ["hello"])
    check_boot(r, exit_code=0)
    assert r.status == 1, f"QEMU status {r.status}, expected 1 (= exit 0 << 1 | 1)"
    b = BANNER_RE.search(r.output)
    assert b, f"no 'zc32 VERSION booting (cmdline: ...)' banner\n{r.describe()}"
    assert r.output.index("zc32") == b.start(), \
        f"the banner is not the kernel's first message\n{r.describe()}"
    assert "init=/bin/echo" in b.group(2), f"banner's cmdline lacks init=: {b.group(2)!r}"
    i = INIT_RE.search(r.output)
    assert i and i.group(1) == "/bin/echo", f"no 'zc32: starting init: /bin/echo'\n{r.describe()}"
    # The program's line comes after init started and before the power-off.
    after = r.output[i.end():POWEROFF_RE.search(r.output).start()]
    assert re.search(r"^hello$", after, re.M), f"no 'hello' line from /bin/echo\n{r.describe()}"


def test_init_argv(run_guest):
    """Everything after a lone `--` on the command line is init's argv[1..]."""
    r = run_guest("echo", ["one", "two", "3"])
    check_boot(r, exit_code=0)
    assert re.search(r"^one two 3$", r.output, re.M), f"argv not passed through\n{r.describe()}"


@pytest.mark.parametrize("prog,code", [("true", 0), ("false", 1)])
def test_exit_status_plumbing(run_guest, prog, code):
    """init's exit code reaches QEMU's exit status as (code << 1) | 1."""
    r = run_guest(prog)
    check_boot(r, exit_code=code)
    assert r.status == (code << 1) | 1


def test_systest(run_guest):
    r = run_guest("systest")
    check_test_program(r)


def test_preempt(run_guest):
    r = run_guest("preempt")
    check_test_program(r)


def test_forktree(run_guest):
    r = run_guest("forktree")
    check_test_program(r)


# Each CPU exception a user program can cause, and the signal that must kill it
# (DESIGN.md section 3, Exit status).
FAULT_SIGNALS = {14: "SIGSEGV", 13: "SIGSEGV", 6: "SIGILL", 0: "SIGFPE", 3: "SIGTRAP"}


def test_faults_kill_only_the_process(run_guest):
    r = run_guest("faults")
    check_test_program(r)
    kills = [m.groupdict() for m in KILL_RE.finditer(r.output)]
    loose = [l for l in r.lines if "killed by" in l and "zc32: pid" in l]
    assert len(loose) == len(kills), \
        "kill lines not in the contract's format:\n  " + "\n  ".join(
            l for l in loose if not KILL_RE.search(l))
    seen = {}
    for k in kills:
        assert k["name"] == "faults", f"killed process named {k['name']!r}, expected 'faults'"
        seen.setdefault(int(k["vector"]), []).append(k)
    for vector, sig in FAULT_SIGNALS.items():
        assert vector in seen, \
            f"no 'zc32: pid N (faults) killed by {sig}: vector {vector} ...' line\n{r.describe()}"
        for k in seen[vector]:
            assert k["sig"] == sig, f"vector {vector} killed with {k['sig']}, expected {sig}"
    extra = set(seen) - set(FAULT_SIGNALS)
    assert not extra, f"unexpected fault vectors {sorted(extra)}\n{r.describe()}"
    pids = [k["pid"] for k in kills]
    assert len(set(pids)) == len(pids), f"one process killed twice: pids {pids}"


def test_raw_int80_program(run_guest):
    """A -static -nostdlib program making its own int 0x80 calls runs unchanged."""
    r = run_guest("raw_hello")
    check_boot(r, exit_code=0)
    i = INIT_RE.search(r.output)
    assert i, r.describe()
    body = r.output[i.end():POWEROFF_RE.search(r.output).start()]
    assert re.search(r"^.*hello.*$", body, re.M | re.I), f"raw_hello printed nothing\n{r.describe()}"


def test_stats_prints_counters(run_guest):
    r = run_guest("stats")
    check_boot(r, exit_code=0)
    body = r.output[INIT_RE.search(r.output).end():]
    counts = [int(n) for n in re.findall(r"\bsyscalls?\b[\s:=]*(\d+)", body, re.I)]
    assert counts, f"no 'syscalls N' counter in stats' output\n{r.describe()}"
    assert max(counts) > 0, f"every syscall counter is 0 after a program ran\n{r.describe()}"


def test_unknown_command_line_words_are_ignored(run_guest):
    """Words without '=' and unknown keys do not stop the boot."""
    r = run_guest("echo", ["still-ok"], append="quiet zc32.unknown=1")
    check_boot(r, exit_code=0)
    assert re.search(out_line("still-ok"), r.output, re.M), r.describe()


def test_cpu_max_smep_smap(run_guest):
    """DESIGN.md 3: zc32 runs on QEMU's default CPU and on -cpu max alike.
    -cpu max has SMEP and SMAP, so every user access the kernel makes must
    go through the user-copy routines (a stray one would panic)."""
    for prog in ("systest", "faults"):
        r = run_guest(prog, extra=["-cpu", "max"])
        assert "cpu: SMEP on, SMAP on" in r.output, "SMEP/SMAP were not switched on:\n" + r.tail()
        check_test_program(r)
