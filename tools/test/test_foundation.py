"""test_foundation.py - the foundation: boot, the kernel command line, process
start, exit-status plumbing through isa-debug-exit, and the in-guest test
programs (system calls, CPU faults, preemption, fork trees, raw int 0x80
programs, the counters)."""

import re
import socket
import time

import pytest

import qemu

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


# A check of each section of systest and preempt: a section that stopped
# running (or a program that exits early with a clean summary) fails here.
SYSTEST_REQUIRED = [
    "auxv.pagesz", "auxv.phnum_is_e_phnum", "auxv.phdr_maps_entry", "auxv.random_bytes",
    "fork.child_gets_zero", "fork.orphan_adopted_by_init", "fork.table_full_eagain",
    "fork.table_full_all_reaped", "waitpid.status_encoding", "waitpid.bad_status_ptr",
    "waitpid.bad_options", "wait4.bad_rusage", "wait4.bad_rusage_reaped", "wait4.rusage_minflt", "kill.sigterm_status",
    "kill.minus1_caller_spared", "kill.minus1_reaches_others", "kill.zero_reaches_caller",
    "kill.zero_reaches_others", "kill.no_such_group", "kill.sleeping_child",
    "kill.spinning_child_dies", "uname.machine", "sched_yield.ok",
]


def test_systest(run_guest):
    r = run_guest("systest")
    check_test_program(r, required=SYSTEST_REQUIRED)


def test_preempt(run_guest):
    r = run_guest("preempt")
    check_test_program(r, required=["preempt.interleaved", "preempt.switches",
                                    "preempt.a_status", "preempt.b_status",
                                    "preempt.alone_no_switch"])


def test_forktree(run_guest):
    r = run_guest("forktree")
    check_test_program(r)


# Each CPU exception a user program can cause, and the signal that must kill it
# (docs/design.md section 3, Exit status).
FAULT_SIGNALS = {14: "SIGSEGV", 13: "SIGSEGV", 6: "SIGILL", 0: "SIGFPE", 3: "SIGTRAP"}


# user/tests/faults.c's table, in order: the first round of kill lines
# comes in this order, one per fault.
FAULT_NAMES = ["null_read", "null_write", "kernel_read", "kernel_write", "text_write",
               "bad_selector", "ud2", "divide_by_zero", "divide_overflow", "int3", "cli",
               "hlt", "inb", "outb", "read_cr3", "jump_kernel", "call_null", "int_0x20",
               "int_0x0e", "kernel_stack_pointer"]
# What the one-line report must say for some of them: vector, addr (CR2),
# and the page-fault error code's bits (1 present, 2 write, 4 user).
FAULT_REPORTS = {
    "null_read": (14, 0x0, 0x4), "null_write": (14, 0x0, 0x6),
    "kernel_read": (14, 0xC0000000, 0x5), "kernel_write": (14, 0xC0100000, 0x7),
    "ud2": (6, 0, 0), "divide_by_zero": (0, 0, 0), "int3": (3, 0, 0), "cli": (13, 0, 0),
    "jump_kernel": (14, 0xC0100000, 0x5), "call_null": (14, 0x0, 0x4),
}


def test_faults_kill_only_the_process(run_guest):
    r = run_guest("faults")
    check_test_program(r, required=[f"fault.{n}" for n in FAULT_NAMES] +
                       ["faults.parent_survived", "faults.no_process_leak", "faults.no_page_leak"])
    kills = [m.groupdict() for m in KILL_RE.finditer(r.output)]
    first_round = dict(zip(FAULT_NAMES, kills))
    for name, (vector, addr, err) in FAULT_REPORTS.items():
        k = first_round.get(name)
        assert k, f"no kill line for fault.{name}\n{r.describe()}"
        got = (int(k["vector"]), int(k["addr"], 16), int(k["err"], 16))
        assert got == (vector, addr, err), \
            f"fault.{name}: report says vector/addr/err {got}, expected {(vector, addr, err)}"
    # The reported eip of text_write is the faulting store, inside the program.
    tw = first_round["text_write"]
    assert 0x08048000 <= int(tw["eip"], 16) < 0x08100000 and int(tw["addr"], 16) == int(tw["eip"], 16) \
        or 0x08048000 <= int(tw["addr"], 16) < 0x08100000, f"text_write report: {tw}"
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


def stats_rows(text):
    """stats' table (user/bin/stats.c: `  %-22s %-16s %14llu ...`) as
    {(group, row): number}; a blank group carries over from the row above."""
    rows, group = {}, None
    for line in text.splitlines():
        m = re.match(r"^  (.{22}) (.{16}) +(\d+)", line)
        if not m:
            continue
        group = m.group(1).strip() or group
        rows[(group, m.group(2).strip())] = int(m.group(3))
    return rows


def test_stats_prints_counters(run_guest):
    """`stats PROG` runs PROG and prints what PROG alone cost: sha256sum
    of /bin/true from the initrd makes system calls, takes page faults
    (its pages are loaded on first touch), and reads 1024 bytes out of
    the kernel ("to user"; by path, "kernel->user" as ztrace names it).
    The report is on standard error, apart from the program's output."""
    r = run_guest("stats", ["sha256sum", "/bin/true"])
    check_boot(r, exit_code=0)
    body = r.output[INIT_RE.search(r.output).end():]
    rows = stats_rows(body)
    entries = {k[1]: v for k, v in rows.items() if k[0] == "entries into kernel"}
    assert set(entries) >= {"syscall", "fault", "interrupt"}, f"entry rows by cause: {rows}"
    assert entries["syscall"] >= 5, f"sha256sum made {entries['syscall']} system calls?\n{body}"
    assert entries["fault"] >= 1, f"sha256sum took {entries['fault']} faults?\n{body}"
    assert rows.get(("page faults", "minor"), 0) + rows.get(("page faults", "major"), 0) \
        >= entries["fault"] - 2, f"faults and page faults disagree\n{body}"
    assert ("context switches", "") in rows, f"no context switches row\n{body}"
    assert rows[("cycles", "total")] > rows[("cycles", "in kernel")] > 0, f"cycles\n{body}"
    size = (qemu.BUILD / "initrd-root" / "bin" / "true").stat().st_size   # as in the initrd
    assert rows.get(("CPU copies", "to user"), 0) >= size, \
        f"copies to user below the file's {size} bytes\n{body}"
    # The trace's paths into user memory (kernel->user from the initrd,
    # pagecache->user from a disk) add up to the "to user" counter.
    to_user = sum(v for (group, what), v in rows.items() if group == "CPU" and what.endswith("->user"))
    assert to_user == rows[("CPU copies", "to user")], f"paths and counters disagree\n{body}"


def test_unknown_command_line_words_are_ignored(run_guest):
    """Words without '=' and unknown keys do not stop the boot."""
    r = run_guest("echo", ["still-ok"], append="quiet zc32.unknown=1")
    check_boot(r, exit_code=0)
    assert re.search(out_line("still-ok"), r.output, re.M), r.describe()


def test_cpu_max_smep_smap(run_guest):
    """docs/design.md 3: zc32 runs on QEMU's default CPU and on -cpu max alike.
    -cpu max has SMEP and SMAP, so every user access the kernel makes must
    go through the user-copy routines (a stray one would panic)."""
    for prog in ("systest", "faults"):
        r = run_guest(prog, extra=["-cpu", "max"])
        assert "cpu: SMEP on, SMAP on" in r.output, "SMEP/SMAP were not switched on:\n" + r.tail()
        check_test_program(r)


# kernel/acpi.c's boot line when it found the FADT and \_S5 in the DSDT.
ACPI_RE = re.compile(r"^acpi: FADT at 0x[0-9a-f]+, PM1a_CNT 0x([0-9a-f]+)"
                     r"(?:, PM1b_CNT 0x[0-9a-f]+)?, S5 SLP_TYP \d+(?:/\d+)?$", re.M)


def check_acpi_power_off(r):
    """The kernel found PM1a_CNT in the firmware's FADT (SeaBIOS puts the
    PM I/O block at 0x600 on the PIIX4 and on the ICH9 alike, so the port
    is 0x604), init's exit powered the machine off through it, and QEMU
    exited by itself with status 0."""
    m = ACPI_RE.search(r.output)
    assert m, f"no ACPI tables found (boot line)\n{r.describe()}"
    assert m.group(1) == "604", f"PM1a_CNT 0x{m.group(1)}, not 0x604\n{r.describe()}"
    assert not r.timed_out, f"the machine did not power off\n{r.describe()}"
    assert POWEROFF_RE.search(r.output), r.describe()
    assert "zc32 PANIC" not in r.output, r.describe()
    assert r.status == 0 and r.exit_code is None, f"QEMU status {r.status}\n{r.describe()}"


def test_acpi_power_off_without_debug_exit(run_guest):
    """Without the isa-debug-exit device, init's exit still powers the
    machine off (ACPI, through the FADT's PM1a_CNT and the DSDT's \\_S5),
    and QEMU exits by itself with status 0."""
    check_acpi_power_off(run_guest("true", debug_exit=False))


def test_acpi_power_off_q35(run_guest):
    """The same on QEMU's q35 machine (ICH9), whose FADT differs from the
    default pc machine's (revision 3, the FADT elsewhere in memory)."""
    check_acpi_power_off(run_guest("true", debug_exit=False, extra=["-machine", "q35"]))


def monitor_command(s, command):
    """Send a command to QEMU's human monitor (None: just read the greeting)
    and wait for the next (qemu) prompt."""
    if command is not None:
        s.sendall(command.encode() + b"\n")
    got = b""
    while not got.rstrip().endswith(b"(qemu)"):
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def vga_text(path):
    """The VGA text screen (80x25 character/attribute pairs at 0xb8000) as lines."""
    data = path.read_bytes()
    chars = bytes(data[i] for i in range(0, min(len(data), 80 * 25 * 2), 2))
    return [chars[i:i + 80].decode("latin-1").rstrip() for i in range(0, len(chars), 80)]


@pytest.mark.parametrize("console", ["vga", "both"])
def test_console_vga(request, built, tmp_path, console):
    """console=vga sends the kernel's messages and the programs' output to
    the VGA text screen only, console=both to the screen and COM1.  The
    screen is read from guest memory through QEMU's monitor."""
    mon = tmp_path / "mon.sock"
    # sh -c: nothing needs typing (the serial trigger for input would not
    # show with console=vga); the sleep keeps the screen up to be read.
    g = qemu.BackgroundBoot(init="/bin/sh", args=["-c", "echo on-the-screen; sleep 20"],
                            append=f"console={console}",
                            extra=["-monitor", f"unix:{mon},server=on,wait=off"], timeout=60)
    screen = tmp_path / "vga.bin"
    lines = []
    try:
        deadline = time.monotonic() + 30
        while not mon.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(str(mon))
            monitor_command(s, None)                       # the greeting
            while time.monotonic() < deadline and g.alive():
                monitor_command(s, f'pmemsave 0xb8000 4000 "{screen}"')
                lines = vga_text(screen)
                if any(l.strip() == "on-the-screen" for l in lines):
                    break
                time.sleep(0.5)
            monitor_command(s, "quit")                     # returns when QEMU closes the socket
    except OSError as e:
        pytest.fail(f"QEMU monitor: {e}")
    r = g.join(timeout=30)
    shown = "\n".join(lines)
    assert any(l.startswith("zc32 ") and "booting" in l for l in lines), f"no banner on the screen:\n{shown}"
    assert any(l.strip() == "on-the-screen" for l in lines), f"the echo is not on the screen:\n{shown}"
    on_serial = re.search(out_line("on-the-screen"), r.output, re.M) is not None
    assert on_serial == (console == "both"), \
        f"console={console}: echo on COM1 is {on_serial}\n{r.describe()}"
