"""test_gdb.py - a scripted GDB session against the kernel, as a student
would run one: QEMU stopped at reset with its gdbstub on a free 127.0.0.1
port, gdb loads build/kernel.elf, breaks in the C system-call dispatcher
on raw_hello's first write(2), and reads the trapframe."""

import re
import shlex
import subprocess
import threading

import qemu
from conftest import BOOT_TIMEOUT, save_log

# syscall_dispatch(struct trapframe *tf) is called from entry.S with tf on
# the stack (cdecl), so at its first instruction tf is *(void **)($esp + 4)
# whatever the optimiser does with the argument afterwards.
TF = "((struct trapframe *)(*(unsigned int *)($esp + 4)))"
SYS_write = 4


def test_gdb_breaks_in_syscall_dispatch(request, built):
    port = qemu.free_port()
    result = {}
    booter = threading.Thread(
        target=lambda: result.update(r=qemu.boot(init="/bin/raw_hello", gdb_port=port,
                                                 timeout=BOOT_TIMEOUT)),
        daemon=True)
    booter.start()
    gdb = ["gdb", "-batch", "-nx",
           "-ex", "set pagination off",
           "-ex", "set confirm off",
           "-ex", "set architecture i386",
           "-ex", f"file {qemu.KERNEL}",
           "-ex", "set tcp connect-timeout 30",    # gdb retries until QEMU listens
           "-ex", f"target remote 127.0.0.1:{port}",
           "-ex", f"break *syscall_dispatch if {TF}->eax == {SYS_write}",
           "-ex", "continue",
           "-ex", f'printf "ZC32-EAX %u\\n", {TF}->eax',
           "-ex", f'printf "ZC32-CS %#x\\n", {TF}->cs',
           "-ex", "bt",
           "-ex", "kill"]
    try:
        g = subprocess.run(gdb, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=BOOT_TIMEOUT, cwd=qemu.ROOT)
        out = g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        out = f"gdb timed out\n{e.stdout or ''}{e.stderr or ''}"
    booter.join(BOOT_TIMEOUT + 10)
    r = result.get("r")
    if r is not None:
        save_log(request, r)
    (qemu.BUILD / "test-logs" / "test_gdb_session.log").write_text(
        "# " + shlex.join(gdb) + "\n" + out)
    info = f"gdb command: {shlex.join(gdb)}\n--- gdb output ---\n{out}\n---\n" + \
        (r.describe() if r else "QEMU still running")

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
