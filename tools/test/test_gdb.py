"""test_gdb.py - scripted GDB sessions against the kernel, as a student
would run them: QEMU stopped at reset with its gdbstub on a free 127.0.0.1
port, gdb loads build/kernel.elf (through tools/gdb/zc32.gdb, as `make gdb`
does, where the helper commands are tested), and then:
  - breaks in the C system-call dispatcher on raw_hello's first system
    call (write) and reads the trapframe;
  - uses the helper commands zc32-tf, zc32-break-syscall and zc32-user;
  - makes the kernel jump to address 0 from inside a system call: a
    kernel-mode page fault must panic with registers and a backtrace, and
    QEMU must exit with status 255."""

import re
import shlex
import subprocess
import sys

import qemu
from conftest import BOOT_TIMEOUT, save_log

sys.path.insert(0, str(qemu.ROOT / "tools" / "gdb"))
from sample import kernel_function_namer  # noqa: E402  (tools/gdb/sample.py)

# syscall_dispatch(struct trapframe *tf) is called from entry.S with tf on
# the stack (cdecl), so at its first instruction tf is *(void **)($esp + 4)
# whatever the optimiser does with the argument afterwards.
TF = "((struct trapframe *)(*(unsigned int *)($esp + 4)))"
SYS_write = 4


def gdb_session(request, commands, helpers=False, init="/test/raw_hello"):
    """Boot init under QEMU's gdbstub, run gdb -batch with commands; returns
    (gdb output, BootResult or None, text to show when an assertion fails)."""
    port = qemu.free_port()
    guest = qemu.BackgroundBoot(init=init, gdb_port=port, timeout=BOOT_TIMEOUT)
    gdb = ["gdb", "-batch", "-nx", "-ex", "set pagination off"]
    if helpers:      # what `make gdb` runs: symbols, helpers, target remote
        gdb += ["-ex", f"set $zc32_port = {port}", "-x", "tools/gdb/zc32.gdb", "-ex", "set confirm off"]
    else:
        gdb += ["-ex", "set confirm off", "-ex", "set architecture i386",
                "-ex", f"file {qemu.KERNEL}",
                "-ex", "set tcp connect-timeout 30",     # gdb retries until QEMU listens
                "-ex", f"target remote 127.0.0.1:{port}"]
    for c in commands:
        gdb += ["-ex", c]
    try:
        g = subprocess.run(gdb, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=BOOT_TIMEOUT, cwd=qemu.ROOT)
        out = g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        out = f"gdb timed out\n{e.stdout or ''}{e.stderr or ''}"
    guest.thread.join(BOOT_TIMEOUT + 10)
    r = guest.result
    if r is not None:
        save_log(request, r)
    name = request.node.name
    (qemu.BUILD / "test-logs" / f"{name}.gdb.log").write_text("# " + shlex.join(gdb) + "\n" + out)
    info = f"gdb command: {shlex.join(gdb)}\n--- gdb output ---\n{out}\n---\n" + \
        (r.describe() if r else "QEMU still running")
    return out, r, info


def test_gdb_breaks_in_syscall_dispatch(request, built):
    # No condition on the breakpoint: raw_hello's first system call is a
    # write, and the saved eax must say so.
    out, r, info = gdb_session(request, [
        "break *syscall_dispatch",
        "continue",
        f'printf "ZC32-EAX %u\\n", {TF}->eax',
        f'printf "ZC32-CS %#x\\n", {TF}->cs',
        "bt",
        "kill"])
    assert "Breakpoint 1" in out and "syscall_dispatch" in out, f"breakpoint never hit\n{info}"
    m = re.search(r"^ZC32-EAX (\d+)$", out, re.M)
    assert m, f"could not read tf->eax\n{info}"
    assert int(m.group(1)) == SYS_write, f"tf->eax = {m.group(1)}, expected {SYS_write}\n{info}"
    m = re.search(r"^ZC32-CS (0x[0-9a-f]+|0)$", out, re.M)
    assert m and int(m.group(1), 16) & 3 == 3, f"the trapframe does not come from ring 3\n{info}"
    assert re.search(r"^#0\s.*\bsyscall_dispatch\b", out, re.M), f"bt lacks syscall_dispatch\n{info}"
    assert r is not None, f"QEMU did not exit after gdb's kill\n{info}"
    assert not r.timed_out, f"QEMU had to be killed\n{info}"
    assert "zc32 PANIC" not in r.output, info


def test_gdb_helper_commands(request, built):
    """`make gdb`'s set-up: zc32-break-syscall stops only on the call asked
    for (getpid, 20, raw_hello's second), zc32-tf decodes the frame,
    zc32-user loads a program's symbols at its link address."""
    out, r, info = gdb_session(request, [
        "zc32-break-syscall 20",
        "continue",
        "zc32-tf",
        "zc32-user raw_hello",
        "info symbol _start",
        "kill"], helpers=True)
    assert "zc32-help" in out or "zc32-tf" in out, f"the helpers did not load\n{info}"
    m = re.search(r"system call (\d+): args ebx (0x[0-9a-f]+|0)", out)
    assert m, f"zc32-tf printed no system call line\n{info}"
    assert int(m.group(1)) == 20, f"zc32-break-syscall 20 stopped on call {m.group(1)}\n{info}"
    assert "from user (ring 3)" in out, f"zc32-tf: not a frame from user mode\n{info}"
    assert re.search(r"^_start in section \.text", out, re.M), f"zc32-user loaded no symbols\n{info}"


def test_kernel_fault_panics_with_backtrace(request, built):
    """A page fault in kernel code that is not a user copy is a kernel bug:
    a panic with the registers and a backtrace, and QEMU exits 255."""
    out, r, info = gdb_session(request, [
        "break *syscall_dispatch+6",     # after push %ebp; mov %esp,%ebp; sub: ebp is its frame
        "continue",
        # What `call *0` in syscall_dispatch would do: push the return
        # address, jump to address 0.
        "set $esp = $esp - 4",
        "set *(unsigned int *)$esp = $pc",
        "set $pc = 0",
        "delete",
        "continue"])
    assert r is not None and not r.timed_out, f"QEMU did not stop by itself\n{info}"
    assert re.search(r"zc32 PANIC: page fault \(vector 14\) in kernel mode", r.output), \
        f"no kernel page-fault panic\n{info}"
    assert re.search(r"^\s*eip 0+ cs 0008 .*cr2 0+$", r.output, re.M), \
        f"the panic does not show eip 0 in ring 0 and cr2 0\n{info}"
    assert "backtrace:" in r.output, f"the panic has no backtrace\n{info}"
    trace = [int(a, 16) for a in re.findall(r"^  ([0-9a-f]{8})$",
                                           r.output[r.output.index("backtrace:"):], re.M)]
    name_of = kernel_function_namer(qemu.KERNEL)
    names = [name_of(a) for a in trace]
    assert any(n in ("alltraps", "vector128", "trapret") for n in names), \
        f"the backtrace {[hex(a) for a in trace]} = {names} does not lead back to the trap entry\n{info}"
    assert r.status == 255, f"QEMU status {r.status}, expected 255 after a panic\n{info}"
