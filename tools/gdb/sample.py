#!/usr/bin/python3
"""sample.py - a sampling profiler for the guest, through QEMU's gdbstub.

Every few milliseconds it stops the guest (the gdb remote protocol's
interrupt byte), reads EIP, and lets the guest go on; at the end it maps
the addresses to kernel functions (nm build/kernel.elf) and prints where
the CPU was: which kernel functions, user mode, or the idle loop.  Unlike
a profiler in the timer interrupt, it also sees code that runs with
interrupts off (most of the network stack does).

As a module (tools/bench/bench_net.py --profile uses it):

    s = Sampler(port); s.start()     # QEMU started with -gdb ... -S: this continues it
    ...                              # the workload
    s.stop(); print(s.report())

By hand: start QEMU with `tools/qemu.py --gdb PORT ...` (it waits stopped),
then `tools/gdb/sample.py PORT SECONDS`.
"""

import bisect
import collections
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
KERNEL = ROOT / "build" / "kernel.elf"


def _packet(body: str) -> bytes:
    return f"${body}#{sum(body.encode()) & 0xff:02x}".encode()


class Gdbstub:
    """Just enough of the gdb remote protocol: no-ack mode, continue,
    interrupt, read one register."""

    def __init__(self, port, timeout=30.0):
        end = time.monotonic() + timeout
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)
        self.buf = b""
        self.s.sendall(b"+" + _packet("QStartNoAckMode"))
        self._reply()

    def _reply(self) -> str:
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                body = self.buf[start + 1:end].decode(errors="replace")
                self.buf = self.buf[end + 3:]
                return body
            chunk = self.s.recv(4096)
            if not chunk:
                raise ConnectionError("gdbstub closed the connection")
            self.buf += chunk         # "+" acks before a "$" are skipped by the find

    def cont(self):
        self.s.sendall(_packet("c"))

    def interrupt(self) -> str:
        self.s.sendall(b"\x03")
        return self._reply()          # a stop reply, T02... or S02

    def eip(self) -> int:
        # 'g' reads all registers as little-endian hex: eax ecx edx ebx
        # esp ebp esi edi eip ..., 8 hex digits each, so eip is the 9th.
        self.s.sendall(_packet("g"))
        r = self._reply()
        return int.from_bytes(bytes.fromhex(r[64:72]), "little")

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


class Sampler:
    def __init__(self, port, interval=0.002):
        self.port, self.interval = port, interval
        self.samples = []
        self.sampling = False         # set True while the workload to profile runs
        self._stop = threading.Event()
        self._thread = None
        self.gdb = None

    def start(self):
        self.gdb = Gdbstub(self.port)
        self.gdb.cont()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                if not self.sampling:
                    continue
                self.gdb.interrupt()
                self.samples.append(self.gdb.eip())
                self.gdb.cont()
        except (OSError, ConnectionError, ValueError):
            pass                      # QEMU went away

    def stop(self):
        self.sampling = False
        self._stop.set()
        if self._thread:
            self._thread.join(5)

    def detach(self):
        """Let the guest run on without the profiler."""
        if self.gdb:
            try:
                self.gdb.s.sendall(_packet("D"))
            except OSError:
                pass
            self.gdb.close()

    def report(self, top=30) -> str:
        return report(self.samples, top)


def cross_tool(name: str) -> str:
    """The cross binutils command the Makefile builds with: $CROSS if set,
    else i686-elf- when i686-elf-gcc is on the PATH, else Debian's
    i686-linux-gnu- (tools/deps.sh installs it).  The host's own `nm`
    (package binutils) may not be installed at all."""
    cross = os.environ.get("CROSS") or ("i686-elf-" if shutil.which("i686-elf-gcc") else "i686-linux-gnu-")
    return cross + name


def kernel_function_namer(kernel=KERNEL):
    """A function that names the kernel function holding an address
    (None below the first symbol), from `nm -n` of the kernel's ELF."""
    out = subprocess.run([cross_tool("nm"), "-n", str(kernel)],
                         capture_output=True, text=True, check=True).stdout
    syms = [(int(a, 16), n) for a, t, n in (l.split() for l in out.splitlines() if len(l.split()) == 3)
            if t in "tTwW"]
    addrs, names = [a for a, _ in syms], [n for _, n in syms]

    def name_of(addr):
        i = bisect.bisect_right(addrs, addr) - 1
        return names[i] if i >= 0 else None
    return name_of


def report(samples, top=30) -> str:
    if not samples:
        return "sample: no samples"
    name_of = kernel_function_namer()
    count = collections.Counter()
    for eip in samples:
        count["(user mode)" if eip < 0xC0000000 else (name_of(eip) or "?")] += 1
    n = len(samples)
    lines = [f"sample: {n} samples of EIP through the gdbstub"]
    for name, c in count.most_common(top):
        lines.append(f"  {100.0 * c / n:5.1f}%  {c:6d}  {name}")
    return "\n".join(lines)


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    s = Sampler(int(argv[1]))
    s.start()
    s.sampling = True
    time.sleep(float(argv[2]))
    s.stop()
    s.detach()
    print(s.report())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
