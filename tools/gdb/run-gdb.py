#!/usr/bin/python3
"""run-gdb.py - `make gdb`: QEMU stopped at its first instruction, GDB
attached with the kernel's symbols and zc32's helper commands.

    tools/gdb/run-gdb.py [--iso] [--init PATH] [--args ARGS] [--append ...]
                         [--memory SIZE] [--icount] [--pty] [--break FUNC]...
                         [--kernel ELF] [QEMU args...] [-- QEMU args...]

`make gdb` passes --kernel build/gdb-Og/kernel.elf: a kernel built with
-Og for stepping (docs/gdb.md).  GDB loads the symbols of the kernel QEMU
boots: that one, or build/kernel.elf (the default, and always with --iso,
whose image holds build/kernel.elf).

GDB owns this terminal, so the guest's serial console cannot share it.
QEMU runs in the background and its console goes to build/serial.log:
watch it from a second terminal with `tail -f build/serial.log`.  With
--pty the console is a pseudo-terminal instead, so you can also type into
the guest: `screen /dev/pts/N 115200` (or `picocom /dev/pts/N`) in a second
terminal; the path is printed at start.

The gdbstub listens on a free port on 127.0.0.1 only.  QEMU is stopped
before the BIOS runs; `break kmain` then `continue`.  Quitting GDB stops
QEMU.
"""

import argparse
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import qemu  # noqa: E402  (tools/qemu.py)

GDB_SCRIPT = Path(__file__).resolve().parent / "zc32.gdb"
SERIAL_LOG = qemu.BUILD / "serial.log"
QEMU_LOG = qemu.BUILD / "qemu-gdb.log"


def main() -> int:
    ours, passthrough = qemu.split_passthrough(sys.argv[1:])
    p = argparse.ArgumentParser(prog="run-gdb.py", allow_abbrev=False,
                                description=__doc__.split("\n\n")[0])
    qemu.add_common_args(p)
    p.add_argument("--pty", action="store_true",
                   help="serial console on a pseudo-terminal instead of build/serial.log")
    p.add_argument("--break", dest="breaks", action="append", default=[], metavar="FUNC",
                   help="set a breakpoint before handing over (repeatable)")
    p.add_argument("--kernel", metavar="ELF", default=str(qemu.KERNEL),
                   help="the kernel to boot and debug (direct boot; default build/kernel.elf)")
    p.add_argument("--no-disks", action="store_true",
                   help="boot without build/rootfs.img and build/swap.img (root from the initrd)")
    a, unknown = p.parse_known_args(ours)
    kw = qemu.cmd_kwargs(a)
    kernel = qemu.KERNEL if a.iso else Path(a.kernel).resolve()
    if not a.iso:
        kw["kernel"] = kernel
    if not a.no_disks:
        kw["disks"] = qemu.interactive_disks()
    if not a.no_net:
        kw["net"] = qemu.interactive_net()

    port = qemu.free_port()
    serial = "pty" if a.pty else f"file:{SERIAL_LOG}"
    cmd = qemu.qemu_cmd(gdb_port=port, serial=serial, display="none", monitor="none",
                        extra=unknown + passthrough, **kw)
    qemu.BUILD.mkdir(exist_ok=True)
    SERIAL_LOG.write_bytes(b"")
    log = open(QEMU_LOG, "wb")
    # Its own session: Ctrl-C in GDB's terminal must not reach QEMU.
    proc = subprocess.Popen(cmd, cwd=qemu.ROOT, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    print(f"zc32: QEMU (pid {proc.pid}) stopped, gdbstub on 127.0.0.1:{port}")
    print(f"zc32: QEMU command: {' '.join(cmd)}")
    if kw.get("net"):
        print(qemu.describe_net(kw["net"]))
    if a.pty:
        pts = None
        for _ in range(50):
            m = re.search(r"char device redirected to (/dev/pts/\d+)", QEMU_LOG.read_text(errors="replace"))
            if m or proc.poll() is not None:
                pts = m and m.group(1)
                break
            time.sleep(0.1)
        print(f"zc32: serial console on {pts or '(unknown pty: see ' + str(QEMU_LOG) + ')'}: "
              f"in another terminal run `screen {pts or '/dev/pts/N'} 115200`")
    else:
        print(f"zc32: serial console in {SERIAL_LOG.relative_to(qemu.ROOT)}: "
              f"in another terminal run `tail -f {SERIAL_LOG.relative_to(qemu.ROOT)}`")

    print(f"zc32: kernel symbols from {kernel}")
    gdb = ["gdb", "-q", "-ex", f"set $zc32_port = {port}", "-ex", f'set $zc32_kernel = "{kernel}"',
           "-x", str(GDB_SCRIPT)]
    for b in a.breaks:
        gdb += ["-ex", f"break {b}"]
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)     # GDB handles Ctrl-C
    try:
        rc = subprocess.call(gdb, cwd=qemu.ROOT,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    finally:
        signal.signal(signal.SIGINT, old)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
    status = proc.returncode
    print(f"zc32: {qemu.describe_status(status, QEMU_LOG.read_text(errors='replace'))}; QEMU's messages are in "
          f"{QEMU_LOG.relative_to(qemu.ROOT)}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
