#!/usr/bin/python3
"""qemu.py - the one place that builds zc32's QEMU command lines.

Used as a module by the tests, the benchmarks and the GDB launcher:

    from qemu import qemu_cmd, boot
    r = boot(init="/bin/echo", args=["hello"])
    r.status      # QEMU's exit status: (guest code << 1) | 1 after isa-debug-exit
    r.exit_code   # the guest's code (init's exit status), or None
    r.output      # serial console text, "\\r\\n" folded to "\\n"
    r.timed_out   # True if QEMU had to be killed

and as the command behind `make run`, `make run-kernel` and `make run-vga`:

    tools/qemu.py [--iso] [--vga] [--init PATH] [--append "k=v ..."]
                  [--memory 256M] [--gdb PORT] [--icount] [--print] [--no-net]
                  [QEMU args...] [-- QEMU args...]

Anything the script does not recognise (or anything after a lone `--`) is
passed to QEMU unchanged, so `make run-kernel QEMUFLAGS="--init /bin/sh -d int -D q.log"`
works.  In the terminal the console is the serial port; quit with Ctrl-A X.

Platform facts (docs/design.md 3-4, docs/qemu-notes.md 4-5):
- always qemu-system-i386 (GDB cannot debug a 32-bit kernel under x86_64);
- `-device isa-debug-exit,iobase=0xf4,iosize=0x04`: a guest write of v to
  port 0xf4 makes QEMU exit with (v << 1) | 1;
- `-no-reboot`: a triple fault exits QEMU with status 0 instead of rebooting;
- `-icount shift=0,sleep=off` makes rdtsc count guest instructions exactly;
- no network device unless asked for (QEMU's default NIC is unrestricted
  slirp); when asked for, `-netdev user,restrict=on` with forwards bound to
  127.0.0.1 only.  `make run` and `make gdb` ask for one
  (interactive_net: a free local port to the guest's port 80).
"""

import argparse
import os
import re
import selectors
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
# ZC32_KERNEL: boot another kernel with this tree's disks and tests (tools/grade
# runs the instructor's tests on a student's kernel this way).
KERNEL = Path(os.environ.get("ZC32_KERNEL") or BUILD / "kernel.elf")
INITRD = BUILD / "initrd.cpio"
ISO = BUILD / "zc32.iso"
ROOTFS_IMG = BUILD / "rootfs.img"     # ext2 root disk (mke2fs -d build/rootfs)
SWAP_IMG = BUILD / "swap.img"         # Linux swap signature (mkswap)

QEMU = "qemu-system-i386"
DEFAULT_MEMORY = "128M"
DEFAULT_TIMEOUT = 60.0
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
ICOUNT = ["-icount", "shift=0,sleep=off"]

# Kernel messages the harness relies on (docs/design.md section 3).
INIT_STARTED = "zc32: starting init"
BANNER = " booting (cmdline: "
PANIC = "zc32 PANIC"


# ---------------------------------------------------------------------------
# Devices.  Disks and the NIC are described here, so
# every caller (tests, bench, gdb, make run) gets the same flags.

@dataclass
class Disk:
    """A virtio-blk disk backed by a raw image file.

    The PCI transport is pinned, as docs/design.md section 4 says:
    transport="legacy" gives disable-modern=on (1af4:1001, port I/O),
    transport="modern" gives disable-legacy=on (1af4:1042, MMIO)."""
    path: Union[str, Path]
    transport: str = "legacy"
    readonly: bool = False
    serial: Optional[str] = None      # visible to the guest through virtio-blk's ID request
    cache: str = "writeback"
    throttle_bps: Optional[int] = None    # QEMU moves at most this many bytes a second
    blkdebug: Optional[Union[str, Path]] = None  # a blkdebug rules file: inject disk errors
    queue_size: Optional[int] = None      # virtqueue entries (QEMU's default 256; at least 4)


@dataclass
class Net:
    """An e1000 NIC on QEMU's user-mode network (slirp), always restrict=on.

    hostfwd:  [(host_port, guest_port)]  host 127.0.0.1:host_port -> guest guest_port
    guestfwd: [(guest_port, command)]    guest -> 10.0.2.100:guest_port runs
              `command` on the host, one process per connection (stdin/stdout
              are the connection).
    guest_addr: where hostfwd connections go, for a guest booted with
              another ip= than slirp's default 10.0.2.15."""
    hostfwd: List[Tuple[int, int]] = field(default_factory=list)
    guestfwd: List[Tuple[int, str]] = field(default_factory=list)
    guestfwd_addr: str = "10.0.2.100"
    guest_addr: Optional[str] = None          # hostfwd target; slirp's default is 10.0.2.15
    mac: Optional[str] = None
    pcap: Optional[Union[str, Path]] = None   # dump every frame to this file


def copy_image(src: Union[str, Path], dest: Union[str, Path]) -> Path:
    """A fresh sparse copy of a disk image (cp --sparse=always), so a guest
    may write to it and the host can inspect it afterwards while the
    original in build/ stays untouched.  Returns dest."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "--sparse=always", str(src), str(dest)], check=True)
    return dest


def storage_disks(workdir: Union[str, Path], root: bool = True, swap: bool = True,
                  root_image: Union[str, Path] = ROOTFS_IMG,
                  swap_image: Union[str, Path] = SWAP_IMG) -> List[Disk]:
    """Disks for a boot with storage: fresh copies, in workdir, of the root
    image (as rootfs.img) and of the swap image (as swap.img), root first.
    The guest finds each disk by its signature (ext2 superblock, swap
    header), so the order only matters when two disks carry the same one."""
    disks = []
    if root:
        disks.append(Disk(copy_image(root_image, Path(workdir) / "rootfs.img")))
    if swap:
        disks.append(Disk(copy_image(swap_image, Path(workdir) / "swap.img")))
    return disks


def _opt_escape(value: str) -> str:
    """Escape a value for a QEMU option string: commas are doubled."""
    return str(value).replace(",", ",,")


def _hostfwds(net: Net) -> str:
    """slirp's hostfwd options: always from 127.0.0.1 on the host."""
    guest = net.guest_addr or ""
    return "".join(f",hostfwd=tcp:127.0.0.1:{int(h)}-{guest}:{int(g)}" for h, g in net.hostfwd)


def device_args(disks: Sequence[Disk] = (), net: Optional[Net] = None) -> List[str]:
    """QEMU arguments for zc32's devices: virtio-blk disks in order (the
    first is normally the root disk, the guest finds each one by its
    signature anyway) and, optionally, the e1000 NIC.  Without `net` the
    machine gets no NIC at all."""
    args: List[str] = []
    for i, d in enumerate(disks):
        if d.transport not in ("legacy", "modern"):
            raise ValueError(f"disk transport must be legacy or modern, not {d.transport!r}")
        image = _opt_escape(Path(d.path).resolve())
        if d.blkdebug:
            # QEMU's blkdebug driver between the disk and its image fails
            # the requests its rules name (docs/interop in QEMU's tree).
            image = f"blkdebug:{_opt_escape(Path(d.blkdebug).resolve())}:{image}"
        drive = f"file={image},if=none,id=disk{i},format=raw,cache={d.cache}"
        if d.readonly:
            drive += ",readonly=on"
        if d.throttle_bps:
            # A slow disk: once a burst of a tenth of a second's worth has
            # passed, requests wait in QEMU's throttle queue, so the guest
            # sees them in flight for milliseconds, not microseconds.
            drive += f",throttling.bps-total={int(d.throttle_bps)}"
        pin = "disable-modern=on" if d.transport == "legacy" else "disable-legacy=on"
        dev = f"virtio-blk-pci,drive=disk{i},{pin}"
        if d.serial:
            dev += f",serial={_opt_escape(d.serial)}"
        if d.queue_size:
            dev += f",queue-size={int(d.queue_size)}"
        args += ["-drive", drive, "-device", dev]
    if net is None:
        args += ["-nic", "none"]
    else:
        nd = "user,id=n0,restrict=on"
        nd += _hostfwds(net)
        for guest_port, command in net.guestfwd:
            nd += f",guestfwd=tcp:{net.guestfwd_addr}:{int(guest_port)}-cmd:{_opt_escape(command)}"
        dev = "e1000,netdev=n0,mitigation=off"
        if net.mac:
            dev += f",mac={net.mac}"
        args += ["-netdev", nd, "-device", dev]
        if net.pcap:
            args += ["-object", f"filter-dump,id=dump0,netdev=n0,file={_opt_escape(Path(net.pcap).resolve())}"]
    return args



def raw_netdev(raw_port: int, peer_port: int) -> str:
    """The netdev that carries raw frames between the host and the guest:
    QEMU's dgram backend (7.2 and later), one UDP datagram per Ethernet
    frame, bound to 127.0.0.1:raw_port and sending to 127.0.0.1:peer_port.
    Both ends are on the loopback, whatever the caller passes."""
    return (f"dgram,id=raw0,local.type=inet,local.host=127.0.0.1,local.port={int(raw_port)},"
            f"remote.type=inet,remote.host=127.0.0.1,remote.port={int(peer_port)}")


def net_hub_args(net: Net, raw_port: int, peer_port: int) -> List[str]:
    """QEMU arguments for an e1000 that hears both slirp and raw frames
    (network bad-input tests).  Use with net=None (device_args then only
    adds `-nic none`) and pass the result as `extra`.

    A QEMU hub joins three ports: slirp (restrict=on, with net's forwards),
    a dgram netdev (raw_netdev) and the e1000.  Every UDP datagram sent from
    127.0.0.1:peer_port to 127.0.0.1:raw_port is delivered to the guest
    as one raw Ethernet frame; frames from the guest go to slirp and are
    also sent to 127.0.0.1:peer_port.  Both ends stay on the loopback."""
    nd = "user,id=n0,restrict=on" + _hostfwds(net)
    for guest_port, command in net.guestfwd:
        nd += f",guestfwd=tcp:{net.guestfwd_addr}:{int(guest_port)}-cmd:{_opt_escape(command)}"
    dev = "e1000,netdev=hp0,mitigation=off"
    if net.mac:
        dev += f",mac={net.mac}"
    return ["-netdev", nd,
            "-netdev", raw_netdev(raw_port, peer_port),
            "-netdev", "hubport,id=hp0,hubid=0",
            "-netdev", "hubport,id=hp1,hubid=0,netdev=n0",
            "-netdev", "hubport,id=hp2,hubid=0,netdev=raw0",
            "-device", dev]


def raw_net_args(raw_port: int, peer_port: int, mac: Optional[str] = None) -> List[str]:
    """QEMU arguments for an e1000 whose only link is a dgram netdev on the
    loopback (raw_netdev): no slirp, so a host script is the guest's whole network
    (it must answer the guest's ARP requests itself) and can speak TCP by
    hand without slirp resetting connections it does not know.  Use with
    net=None.  Datagrams from 127.0.0.1:peer_port to 127.0.0.1:raw_port
    are frames to the guest; the guest's frames arrive at peer_port."""
    dev = "e1000,netdev=raw0,mitigation=off"
    if mac:
        dev += f",mac={mac}"
    return ["-netdev", raw_netdev(raw_port, peer_port), "-device", dev]

# ---------------------------------------------------------------------------
# Command lines.

def kernel_cmdline(init: Optional[str] = None, args: Sequence[str] = (),
                   append: str = "", console: str = "ttyS0") -> str:
    """The kernel command line for a direct (-kernel) boot:
    `console=ttyS0 [APPEND] [init=PATH] [-- ARG...]`."""
    parts = []
    if console:
        parts.append(f"console={console}")
    if append:
        parts.append(append)
    if init:
        parts.append(f"init={init}")
    if args:
        parts.append("--")
        for a in map(str, args):
            if '"' in a:
                raise ValueError(f"init argument {a!r}: the kernel command line cannot carry a double quote")
            parts.append(f'"{a}"' if " " in a or not a else a)   # the kernel takes "a b" as one word
    return " ".join(parts)


def qemu_cmd(mode: str = "kernel", *, append: str = "", init: Optional[str] = None,
             args: Sequence[str] = (), memory: str = DEFAULT_MEMORY,
             gdb_port: Optional[int] = None, icount: bool = False,
             serial: str = "stdio", display: Optional[str] = "none", monitor: Optional[str] = "none",
             nographic: bool = False, disks: Sequence[Disk] = (), net: Optional[Net] = None,
             extra: Sequence[str] = (), kernel: Union[str, Path] = KERNEL,
             initrd: Optional[Union[str, Path]] = INITRD,
             iso: Union[str, Path] = ISO, debug_exit: bool = True) -> List[str]:
    """Build a qemu-system-i386 command line.

    mode     "kernel": -kernel build/kernel.elf -initrd build/initrd.cpio -append ...
             "iso":    -cdrom build/zc32.iso -boot d (GRUB's grub.cfg decides the
                       command line, so append/init/args are not allowed)
    serial   a QEMU chardev for COM1 ("stdio", "file:PATH", "mon:stdio", ...)
    display  -display value (None: QEMU's default window); ignored when nographic is set
    monitor  -monitor value, or None for QEMU's default
    nographic  -nographic (serial and monitor multiplexed on the terminal,
               Ctrl-A X quits): for interactive use
    gdb_port start stopped (-S) with the gdbstub on 127.0.0.1:gdb_port
    icount   -icount shift=0,sleep=off: rdtsc counts guest instructions
    extra    appended last, verbatim
    debug_exit  the isa-debug-exit device (False: the kernel powers off
             through ACPI, and QEMU exits with status 0)
    """
    cmd = [QEMU, "-m", str(memory), "-no-reboot"] + (DEBUG_EXIT if debug_exit else [])
    if mode == "kernel":
        cmd += ["-kernel", str(kernel)]
        if initrd:
            cmd += ["-initrd", str(initrd)]
        cmd += ["-append", kernel_cmdline(init, args, append)]
    elif mode == "iso":
        if append or init or args:
            raise ValueError("an ISO boot takes its kernel command line from iso/grub.cfg; "
                             "use mode='kernel' to pass append/init/args")
        cmd += ["-cdrom", str(iso), "-boot", "d"]
    else:
        raise ValueError(f"mode must be 'kernel' or 'iso', not {mode!r}")
    if nographic:
        cmd += ["-nographic"]
        if serial and serial != "mon:stdio":
            cmd += ["-serial", serial]
    else:
        if display:
            cmd += ["-display", display]
        if serial:
            cmd += ["-serial", serial]
        if monitor is not None:
            cmd += ["-monitor", monitor]
    cmd += device_args(disks, net)
    if icount:
        cmd += ICOUNT
    if gdb_port is not None:
        cmd += ["-gdb", f"tcp:127.0.0.1:{int(gdb_port)}", "-S"]
    cmd += [str(a) for a in extra]
    return cmd


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (bound to port 0 and
    released; another process could take it before QEMU does, rarely)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_udp_ports(n: int) -> List[int]:
    """n distinct UDP ports on 127.0.0.1, free right now: for raw_netdev's
    two ends.  All n are held at once while chosen, so two can never be
    the same port (two free_port() calls in a row may return one port
    twice, and a TCP port that is free says nothing of UDP)."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


# ---------------------------------------------------------------------------
# Booting with the serial console on a pipe.

@dataclass
class BootResult:
    cmd: List[str]
    status: Optional[int]        # QEMU's exit status; negative = killed by that signal
    output: str                  # serial text, "\r\n" and stray "\r" folded to "\n"
    raw: bytes                   # serial bytes as received
    stderr: str                  # QEMU's own messages
    timed_out: bool
    duration: float              # seconds from QEMU start to exit (or kill)
    init_time: Optional[float]   # seconds until the "zc32: starting init" line, if seen
    first_byte_time: Optional[float]  # seconds until the first serial byte (GRUB's, on the ISO)
    banner_time: Optional[float] = None  # seconds until the kernel's "zc32 ... booting" banner
    error: Optional[str] = None  # harness-side problem (an expect step never matched, ...)
    killed: bool = False         # boot(kill_on=...) saw its pattern and killed QEMU

    @property
    def exit_code(self) -> Optional[int]:
        """The guest's exit code: status >> 1 when QEMU left through
        isa-debug-exit (odd status), else None."""
        if self.status is not None and self.status > 0 and self.status & 1:
            return self.status >> 1
        return None

    @property
    def triple_fault(self) -> bool:
        """-no-reboot turns a triple fault (CPU reset) into QEMU exit status 0."""
        return self.status == 0 and not self.timed_out

    @property
    def lines(self) -> List[str]:
        return self.output.split("\n")

    def tail(self, n: int = 40) -> str:
        return "\n".join(self.lines[-n:])

    def describe(self) -> str:
        """A few lines saying how the boot went, for assertion messages."""
        what = ("timed out (killed)" if self.timed_out else
                "killed on its kill_on pattern" if self.killed else
                f"QEMU status {self.status}" + (f" = guest exit code {self.exit_code}"
                                                 if self.exit_code is not None else
                                                 " (triple fault or QEMU quit)" if self.status == 0 else ""))
        s = f"{what} after {self.duration:.2f}s\ncommand: {shlex.join(self.cmd)}\n"
        if self.error:
            s += f"harness: {self.error}\n"
        if self.stderr.strip():
            s += f"QEMU stderr:\n{self.stderr.strip()}\n"
        s += f"--- serial output (last lines) ---\n{self.tail()}\n---"
        return s


def normalize(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# An input script is a list of steps.  Each step is
#   (pattern, text): wait until `pattern` (a regex, searched with re.MULTILINE
#                    in the normalised output after the previous match) appears,
#                    then write `text` to the serial port;
#   text:            write `text` at once (after the previous step).
Step = Union[str, Tuple[Optional[str], str]]


def boot(mode: str = "kernel", *, init: Optional[str] = None, args: Sequence[str] = (),
         append: str = "", input: Optional[Union[str, Sequence[Step]]] = None,
         timeout: float = DEFAULT_TIMEOUT, memory: str = DEFAULT_MEMORY,
         icount: bool = False, gdb_port: Optional[int] = None,
         disks: Sequence[Disk] = (), net: Optional[Net] = None,
         extra: Sequence[str] = (), env: Optional[dict] = None,
         step_timeout: Optional[float] = None, kill_on: Optional[str] = None,
         **kw) -> BootResult:
    """Boot zc32 in QEMU with COM1 on a pipe and wait for QEMU to exit.

    input  None: nothing is typed (stdin stays open and empty).
           A string: typed once the kernel has printed "zc32: starting init"
           (the console is ready then; typed-ahead lines wait in the kernel's
           line discipline).
           A list of steps: see Step above.
    QEMU is killed after `timeout` seconds (result.timed_out is then True),
    or when an input step has waited `step_timeout` seconds for its pattern
    (result.error then names the step).
    kill_on  a regex: once it appears on the console, QEMU is killed with
             SIGKILL at once - the guest gets no chance to sync, as when
             the power fails (result.killed is then True)."""
    cmd = qemu_cmd(mode, append=append, init=init, args=args, memory=memory,
                   icount=icount, gdb_port=gdb_port, disks=disks, net=net,
                   extra=extra, serial="stdio", display="none", monitor="none", **kw)
    if input is None:
        steps: List[Tuple[Optional[str], str]] = []
    elif isinstance(input, str):
        steps = [(re.escape(INIT_STARTED), input)]
    else:
        steps = [s if isinstance(s, tuple) else (None, s) for s in input]

    start = time.monotonic()
    deadline = start + timeout
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT, env=env,
                            start_new_session=True)
    raw = bytearray()
    err = bytearray()
    first_byte_time = init_time = banner_time = None
    timed_out = False
    killed = False
    kill_re = re.compile(kill_on, re.M) if kill_on else None
    error = None
    search_from = 0
    step_since = start
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, raw)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    open_streams = 2
    try:
        while open_streams:
            # Feed the script as far as the output allows.
            while steps:
                pattern, text = steps[0]
                if pattern is not None:
                    m = re.compile(pattern, re.M).search(normalize(bytes(raw)), search_from)
                    if not m:
                        break
                    search_from = m.end()
                try:
                    proc.stdin.write(text.encode())
                    proc.stdin.flush()
                except (BrokenPipeError, OSError):
                    pass
                steps.pop(0)
                step_since = time.monotonic()
            now = time.monotonic()
            if now >= deadline:
                timed_out = True
                break
            if steps and step_timeout is not None and now - step_since >= step_timeout:
                error = (f"gave up after {step_timeout:.0f}s waiting for {steps[0][0]!r} "
                         f"(to send {steps[0][1]!r})")
                _kill(proc)
                break
            exited = proc.poll() is not None
            events = sel.select(timeout=min(0.2 if exited else 0.5, deadline - now))
            if exited and not events:
                break       # QEMU is gone and its pipes are drained (a child may hold them)
            for key, _ in events:
                chunk = os.read(key.fileobj.fileno(), 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                key.data.extend(chunk)
                if key.data is raw:
                    t = time.monotonic() - start
                    if first_byte_time is None:
                        first_byte_time = t
                    if banner_time is None and BANNER.encode() in raw:
                        banner_time = t
                    if init_time is None and INIT_STARTED.encode() in raw:
                        init_time = t
                    if kill_re and not killed and kill_re.search(normalize(bytes(raw))):
                        _kill(proc)
                        killed = True
        if timed_out:
            _kill(proc)
        try:
            status = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill(proc)
            status = proc.wait()
        # Collect what is left in the pipes after a kill.
        for key in list(sel.get_map().values()):
            try:
                os.set_blocking(key.fileobj.fileno(), False)
                while True:
                    chunk = os.read(key.fileobj.fileno(), 65536)
                    if not chunk:
                        break
                    key.data.extend(chunk)
            except (BlockingIOError, OSError):
                pass
    finally:
        sel.close()
        if proc.poll() is None:
            _kill(proc)
            proc.wait()
        for f in (proc.stdin, proc.stdout, proc.stderr):
            try:
                f.close()
            except OSError:
                pass
    duration = time.monotonic() - start
    if steps and error is None:
        error = f"input step never reached: waiting for {steps[0][0]!r} to send {steps[0][1]!r}"
    return BootResult(cmd=cmd, status=status, output=normalize(bytes(raw)), raw=bytes(raw),
                      stderr=err.decode("utf-8", errors="replace"), timed_out=timed_out,
                      duration=duration, init_time=init_time,
                      first_byte_time=first_byte_time, banner_time=banner_time, error=error,
                      killed=killed)


class BackgroundBoot:
    """boot() in a thread, so a test or a benchmark can talk to the guest
    (over the network, say) while it runs.  join() returns the BootResult."""

    def __init__(self, **kw):
        self.result: Optional[BootResult] = None
        self.timeout = kw.get("timeout", DEFAULT_TIMEOUT)
        self.thread = threading.Thread(target=self._run, args=(kw,), daemon=True)
        self.thread.start()

    def _run(self, kw):
        self.result = boot(**kw)

    def alive(self) -> bool:
        return self.thread.is_alive()

    def join(self, timeout: float = 120.0) -> BootResult:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "QEMU did not finish"
        return self.result


def wait_http(port: int, guest: BackgroundBoot, deadline: float = 60.0) -> bool:
    """Wait until an HTTP server in the guest answers on 127.0.0.1:port
    (slirp accepts on the host side at once, and resets the connection
    while nothing listens in the guest).  False if it never did."""
    end = time.monotonic() + deadline
    while time.monotonic() < end and guest.alive():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(b"GET /__probe HTTP/1.1\r\nHost: x\r\n\r\n")
                if s.recv(16).startswith(b"HTTP/1.1"):
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # QEMU runs in its own session
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------------------
# Command-line interface (make run / run-kernel / run-vga, and run-gdb.py).

def add_common_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--iso", action="store_true", help="boot build/zc32.iso through GRUB (default: -kernel)")
    p.add_argument("--init", metavar="PATH", help="first program, e.g. /bin/sh (direct boot only)")
    p.add_argument("--args", metavar="ARGS", default="",
                   help="arguments for init, space separated (direct boot only)")
    p.add_argument("--append", metavar="CMDLINE", default="",
                   help="extra kernel command-line words, e.g. 'hz=1000' (direct boot only)")
    p.add_argument("--memory", metavar="SIZE", default=DEFAULT_MEMORY, help="guest RAM (default 128M)")
    p.add_argument("--icount", action="store_true",
                   help="-icount shift=0,sleep=off: rdtsc counts guest instructions")
    p.add_argument("--no-net", action="store_true",
                   help="no network card (default: an e1000 with 127.0.0.1:PORT forwarded to "
                        "the guest's port 80, PORT free and printed at start)")


def split_passthrough(argv: Sequence[str]) -> Tuple[List[str], List[str]]:
    """Split argv at a lone `--`: before it our options (unknown ones go to
    QEMU too), after it arguments for QEMU only."""
    argv = list(argv)
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    return argv, []


def cmd_kwargs(a: argparse.Namespace) -> dict:
    kw = dict(memory=a.memory, icount=a.icount)
    if a.iso:
        if a.init or a.append or a.args:
            sys.exit("qemu.py: --init/--args/--append need a direct boot (drop --iso); "
                     "the ISO's command line is in iso/grub.cfg")
        kw["mode"] = "iso"
    else:
        kw.update(mode="kernel", init=a.init, append=a.append, args=a.args.split())
    return kw


def interactive_disks(prepare: bool = True) -> List[Disk]:
    """The disks of `make run`: the student's root disk build/disk.img,
    kept across builds with its programs refreshed (tools/student_disk.py;
    prepare=False leaves it alone), and the swap disk.  With ZC32_ROOT_IMAGE
    set (the Makefile's BUSYBOX=1) the root disk is build/bbdisk.img, a copy
    of that image kept the same way."""
    import student_disk
    disks = []
    pristine, disk = ROOTFS_IMG, student_disk.DISK
    if os.environ.get("ZC32_ROOT_IMAGE"):     # BUSYBOX=1: build/bbroot.img, kept as bbdisk.img
        pristine, disk = Path(os.environ["ZC32_ROOT_IMAGE"]), BUILD / "bbdisk.img"
    if pristine.exists():
        if prepare:
            print(student_disk.prepare(disk, pristine), file=sys.stderr)
        disks.append(Disk(disk))
    if SWAP_IMG.exists():
        disks.append(Disk(SWAP_IMG))
    if not disks:
        print("zc32: no build/rootfs.img: booting from the initrd", file=sys.stderr)
    return disks


HTTP_GUEST_PORT = 80      # where httpd listens in the guest by default


SINK_GUEST_PORT = 9000
SINK_CMD = f"/usr/bin/python3 {ROOT / 'tools' / 'zc_sink.py'} {BUILD / 'sink.jsonl'}"


def interactive_net(host_port: Optional[int] = None) -> Net:
    """The NIC of `make run` and `make gdb`: an e1000 on slirp (restrict=on)
    with 127.0.0.1:host_port (a free port if None) forwarded to the guest's
    port 80, where `httpd` listens; and the guest's 10.0.2.100:9000 runs
    tools/zc_sink.py, the receiver `zcopy` sends to by default (one process
    per connection; its reports go to build/sink.jsonl)."""
    return Net(hostfwd=[(host_port or free_port(), HTTP_GUEST_PORT)],
               guestfwd=[(SINK_GUEST_PORT, SINK_CMD)])


def describe_net(net: Net) -> str:
    host, guest = net.hostfwd[0]
    return (f"zc32: e1000 network: 127.0.0.1:{host} on this machine is port {guest} in the guest; "
            f"run `httpd` in zc32, then in another terminal "
            f"`curl http://127.0.0.1:{host}/data/1k.bin | sha256sum`; "
            f"`zcopy FILE` sends to tools/zc_sink.py (reports in build/sink.jsonl)")


def qemu_failed(status: int, qemu_stderr: str) -> bool:
    """Status 1 is both a guest exit code 0 (isa-debug-exit writes
    (0 << 1) | 1) and QEMU's own error status: QEMU's message on standard
    error tells them apart."""
    return status == 1 and "qemu-system" in qemu_stderr


def describe_status(status: int, qemu_stderr: str = "") -> str:
    if status < 0:
        return f"QEMU killed by signal {-status}"
    if qemu_failed(status, qemu_stderr):
        return "QEMU failed to start the machine (its message is above)"
    if status & 1:
        return f"powered off: init exited with status {status >> 1}"
    if status == 0:
        return "QEMU quit (Ctrl-A X), or the guest triple-faulted (-no-reboot)"
    return f"QEMU exited with status {status} (QEMU error)"


def run_on_terminal(cmd: List[str]) -> Tuple[int, str]:
    """Run QEMU with the console on this terminal.  Its standard error is
    passed through as it comes and kept, for describe_status."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    err = bytearray()
    for chunk in iter(lambda: proc.stderr.read1(4096), b""):
        sys.stderr.buffer.write(chunk)
        sys.stderr.flush()
        err += chunk
    return proc.wait(), err.decode(errors="replace")


def main(argv: Optional[Sequence[str]] = None) -> int:
    ours, passthrough = split_passthrough(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(
        prog="qemu.py", allow_abbrev=False,
        description="Boot zc32 in qemu-system-i386 with the serial console on this terminal "
                    "(Ctrl-A X quits).  Unknown arguments and everything after -- go to QEMU.")
    add_common_args(p)
    p.add_argument("--vga", action="store_true",
                   help="show the VGA screen: a window if $DISPLAY/$WAYLAND_DISPLAY is set "
                        "(serial stays on this terminal), else curses in this terminal "
                        "(serial goes to build/serial.log)")
    p.add_argument("--gdb", metavar="PORT", type=int,
                   help="start stopped with the gdbstub on 127.0.0.1:PORT (see also make gdb)")
    p.add_argument("--print", action="store_true", help="print the QEMU command and exit")
    p.add_argument("--no-disks", action="store_true",
                   help="boot without build/rootfs.img and build/swap.img (root from the initrd)")
    a, unknown = p.parse_known_args(ours)
    kw = cmd_kwargs(a)
    kw["gdb_port"] = a.gdb
    kw["extra"] = unknown + passthrough
    if not a.no_disks:
        kw["disks"] = interactive_disks(prepare=not a.print)
    if not a.no_net:
        kw["net"] = interactive_net()
    if a.vga:
        if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
            cmd = qemu_cmd(display=None, serial="mon:stdio", monitor=None, **kw)
        else:
            log = BUILD / "serial.log"
            cmd = qemu_cmd(display="curses", serial=f"file:{log}", monitor=None, **kw)
            print(f"zc32: no $DISPLAY: VGA in this terminal (curses), serial in {log}; "
                  "quit with Esc-2 then 'quit' (QEMU monitor)", file=sys.stderr)
    else:
        # Not -nographic: with it SeaBIOS copies the VGA text screen to the
        # serial port too (its "sercon"), and GRUB's screen came out twice.
        # The console multiplexes COM1 and the monitor (Ctrl-A X quits,
        # Ctrl-A C is the monitor), and signal=off hands Ctrl-C to the guest.
        kw["extra"] = ["-chardev", "stdio,id=console,mux=on,signal=off",
                       "-mon", "chardev=console"] + kw["extra"]
        cmd = qemu_cmd(display="none", serial="chardev:console", monitor=None, **kw)
    if a.print:
        print(shlex.join(cmd))
        return 0
    if kw.get("net"):
        print(describe_net(kw["net"]), file=sys.stderr)
    if a.gdb is not None:
        print(f"zc32: QEMU stopped, waiting for gdb on 127.0.0.1:{a.gdb}", file=sys.stderr)
    # Ctrl-C reaches the guest (the terminal is raw under -nographic); ignore
    # a stray SIGINT here so this script never leaves QEMU orphaned.
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        status, qemu_stderr = run_on_terminal(cmd)
    finally:
        signal.signal(signal.SIGINT, old)
    print(f"\nzc32: {describe_status(status, qemu_stderr)}", file=sys.stderr)
    # 0 for a clean power-off (init exited 0) or a user quit, so make is quiet.
    if qemu_failed(status, qemu_stderr):
        return 1
    if status & 1:
        return status >> 1
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
