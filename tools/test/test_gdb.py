"""test_gdb.py - scripted GDB sessions against the kernel, as a student
would run them: QEMU stopped at reset with its gdbstub on a free 127.0.0.1
port, gdb loads build/kernel.elf (through tools/gdb/zc32.gdb, as `make gdb`
does, where the helper commands are tested), and then:
  - breaks in the C system-call dispatcher on raw_hello's first system
    call (write) and reads the trapframe;
  - uses the helper commands zc32-tf, zc32-break-syscall and zc32-user;
  - makes the kernel jump to address 0 from inside a system call: a
    kernel-mode page fault must panic with registers and a backtrace, and
    QEMU must exit with status 255;
  - backtraces through the trap frame (entry.S's CFI) from sys_read into
    cat's read() and main(), and from the timer interrupt into the
    kernel code it interrupted;
  - `make gdb`'s -Og kernel (build/gdb-Og): the virtio driver's locals
    are readable, zc32-vq dumps a request in flight;
  - the helpers of docs/gdb.md on /test/gdbwalk's address space:
    zc32-ps, zc32-pt, zc32-pagecache, zc32-e1000, zc32-ledger and the
    pretty-printers."""

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


def gdb_session(request, commands, helpers=False, init="/test/raw_hello", kernel=qemu.KERNEL, **boot_kw):
    """Boot init (and boot_kw: args, disks, net, memory) under QEMU's
    gdbstub, run gdb -batch with commands; returns (gdb output, BootResult
    or None, text to show when an assertion fails)."""
    port = qemu.free_port()
    guest = qemu.BackgroundBoot(init=init, gdb_port=port, timeout=BOOT_TIMEOUT, kernel=kernel, **boot_kw)
    gdb = ["gdb", "-batch", "-nx", "-ex", "set pagination off"]
    if helpers:      # what `make gdb` runs: symbols, helpers, target remote
        gdb += ["-ex", f"set $zc32_port = {port}", "-ex", f'set $zc32_kernel = "{kernel}"',
                "-x", "tools/gdb/zc32.gdb", "-ex", "set confirm off"]
    else:
        gdb += ["-ex", "set confirm off", "-ex", "set architecture i386",
                "-ex", f"file {kernel}",
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


def frames(out, after=0):
    """The backtrace lines (#N ...) of gdb's output from position `after`."""
    return re.findall(r"^#(\d+)\s+(.*)$", out[after:], re.M)


def one_backtrace(out, start_marker):
    """The frames of the first bt printed after start_marker."""
    i = out.index(start_marker)
    bt = []
    for n, text in frames(out, i):
        if bt and int(n) == 0:
            break
        bt.append(text)
    return bt


def test_gdb_backtrace_through_trap_frames(request, built):
    """`bt` from sys_read, while cat waits for the console, goes on through
    syscall_dispatch and the trap frame into cat's read() (which executed
    int 0x80), copy() and main(), whose symbols the helpers loaded by
    themselves; from the timer interrupt it reaches the kernel code the
    interrupt arrived in.  `break sys_read` matches the kernel only, even
    with cat's symbols loaded (the user stubs are usys_*)."""
    out, r, info = gdb_session(request, [
        "break sys_read",
        "continue",
        "echo ZC32-BT-SYSCALL\\n",
        "bt",
        "break sys_read",
        "delete",
        "break timer_tick",
        "continue",
        "echo ZC32-BT-IRQ\\n",
        "bt",
        "kill"], helpers=True, init="/bin/cat")
    assert "zc32: symbols of build/rootfs/bin/cat loaded" in out, f"cat's symbols were not loaded\n{info}"
    assert "ZC32-BT-SYSCALL" in out, f"sys_read was never reached\n{info}"
    bt = one_backtrace(out, "ZC32-BT-SYSCALL")
    names = " | ".join(bt)
    assert bt and bt[0].startswith("sys_read"), f"bt does not start in sys_read: {names}\n{info}"
    # syscall_dispatch, or its helper `call` and then syscall_dispatch
    assert any("syscall_dispatch" in f for f in bt[1:3]), f"no syscall_dispatch frame: {names}\n{info}"
    trap = [i for i, f in enumerate(bt) if f.startswith("[trap frame")]
    assert trap, f"no trap frame in the backtrace: {names}\n{info}"
    assert "int 0x80, system call 3, from user mode" in bt[trap[0]], f"wrong trap frame: {names}\n{info}"
    user = bt[trap[0] + 1:]
    assert any(re.search(r"\bread \(.*at user/lib/file\.c", f) for f in user), \
        f"bt does not reach read(), the user function that executed int 0x80: {names}\n{info}"
    assert any(re.search(r"\bmain \(.*at user/bin/cat\.c", f) for f in user), \
        f"bt does not reach cat's main(): {names}\n{info}"
    assert "corrupt stack" not in out and "inner to this frame" not in out, info
    m = re.search(r"^Breakpoint 2 at 0x[0-9a-f]+: (.*)$", out, re.M)
    assert m and m.group(1).startswith("file kernel/fs/file.c"), \
        f"`break sys_read` with cat's symbols loaded did not match the kernel alone: {m and m.group(1)}\n{info}"
    assert "location number not found" not in out, f"GDB warned about breakpoint locations\n{info}"

    assert "ZC32-BT-IRQ" in out, f"the timer interrupt was never reached\n{info}"
    bt = one_backtrace(out, "ZC32-BT-IRQ")
    names = " | ".join(bt)
    trap = [i for i, f in enumerate(bt) if f.startswith("[trap frame")]
    assert bt[0].startswith("timer_tick") and trap, f"no trap frame under timer_tick: {names}\n{info}"
    assert "interrupt, irq 0, from kernel mode" in bt[trap[0]], f"wrong trap frame: {names}\n{info}"
    assert len(bt) > trap[0] + 1 and re.match(r"(0xc[0-9a-f]+ in )?\w+ \(.*\) at (kernel|drivers)/",
                                              bt[trap[0] + 1]), \
        f"bt does not continue into the interrupted kernel function: {names}\n{info}"


def line_of(path, text):
    """The line number of the first line of a source file holding text."""
    for n, line in enumerate((qemu.ROOT / path).read_text().splitlines(), 1):
        if text in line:
            return n
    raise AssertionError(f"{text!r} not found in {path}")


def test_gdb_og_kernel_and_virtqueue(request, built, storage):
    """make gdb's kernel: built with -Og in build/gdb-Og without touching
    build/kernel.elf; in it the virtio driver's `v` is readable, and
    zc32-vq shows the request the device has completed and the driver not
    yet popped, with its descriptor chain."""
    before = qemu.KERNEL.stat().st_mtime_ns
    make = subprocess.run(["make", "-s", "gdb-kernel"], cwd=qemu.ROOT, capture_output=True, text=True,
                          timeout=600)
    assert make.returncode == 0, f"make gdb-kernel failed:\n{make.stdout}{make.stderr}"
    og = qemu.BUILD / "gdb-Og" / "kernel.elf"
    assert og.is_file(), "make gdb-kernel built no build/gdb-Og/kernel.elf"
    assert qemu.KERNEL.stat().st_mtime_ns == before, "make gdb-kernel rebuilt build/kernel.elf"
    wake = line_of("drivers/virtio/virtio_blk.c", "wakeup(&v->vq);")
    out, r, info = gdb_session(request, [
        "break vblk_irq",
        "continue",
        "echo ZC32-VQ\\n",
        "zc32-vq",
        "delete",
        f"break virtio_blk.c:{wake}",
        "continue",
        "echo ZC32-V\\n",
        "p *v",
        "p v->vq",
        "kill"], helpers=True, init="/bin/cat", args=["/data/1k.bin"], kernel=og,
        disks=storage.disks)
    assert "ZC32-V\n" in out, f"vblk_irq's wakeup line was never reached\n{info}"
    v = out[out.index("ZC32-V\n"):]
    assert "optimized out" not in v, f"`p *v` in the -Og kernel: optimized out\n{info}"
    assert re.search(r"\$\d+ = \{vdev = .*vq = virtqueue 0: 256 descriptors, \d+ free.*has_flush = ", v), \
        f"`p *v` printed no vblk\n{info}"
    assert re.search(r"\$\d+ = virtqueue 0: 256 descriptors, \d+ free, avail\.idx \d+, used\.idx \d+", v), \
        f"the virtqueue pretty-printer did not run\n{info}"
    vq = out[out.index("ZC32-VQ"):out.index("ZC32-V\n")]
    assert re.search(r"^vda: virtqueue 0: 256 descriptors", vq, re.M), f"zc32-vq shows no vda\n{info}"
    m = re.search(r"^    avail\[\d+\] head (\d+): done bio 0x[0-9a-f]+: BIO_READ sector \d+, (\d+) segment", vq, re.M)
    assert m, f"zc32-vq shows no completed read waiting to be popped\n{info}"
    chain = re.findall(r"^      desc +\d+: addr 0x[0-9a-f]+ len +(\d+) +device (reads|writes)", vq, re.M)
    # virtio-blk 5.2.6: a header the device reads, the data it writes, a status byte it writes
    assert len(chain) == int(m.group(2)) + 2 and chain[0] == ("16", "reads") and chain[-1] == ("1", "writes"), \
        f"the request's descriptor chain is not header, data, status: {chain}\n{info}"


def test_gdb_helpers_show_memory_and_devices(request, built, storage):
    """/test/gdbwalk's child, stopped at its getppid(): zc32-ps lists both
    processes, zc32-pt tells its page-cache, copy-on-write, anonymous and
    swapped pages apart, zc32-pagecache shows /data/1m.bin's pages under
    the inode the host's debugfs names, zc32-e1000 the sent ARP request,
    and the ledger prints by name, with syscalls counted.  Then, when the
    parent's sendfile over loopback TCP gets its first ACK (sb_release),
    zc32-pagecache shows the file's first page pinned."""
    out, r, info = gdb_session(request, [
        "zc32-break-syscall 64",
        "continue",
        "echo ZC32-PS\\n", "zc32-ps",
        "echo ZC32-PT\\n", "zc32-pt",
        "echo ZC32-PC\\n", "zc32-pagecache 1000",
        "echo ZC32-NIC\\n", "zc32-e1000",
        "echo ZC32-LEDGER\\n", "zc32-ledger", "zc32-ledger self", "p ledger_global", "p *current",
        "delete", "break sb_release", "continue",        # the parent's loopback sendfile: an ACK
        "echo ZC32-PIN\\n", "zc32-pagecache 16",
        "kill"], helpers=True, init="/test/gdbwalk", disks=storage.disks, net=qemu.Net(), memory="32M")
    assert r is not None, info
    m = re.search(r"gdbwalk: file pages at 0x([0-9a-f]+) \(sum \d+\), cow pages at 0x([0-9a-f]+)", r.output)
    assert m, f"gdbwalk did not start\n{info}"
    file_va, cow_va = int(m.group(1), 16), int(m.group(2), 16)
    assert "ZC32-LEDGER" in out, f"gdbwalk's child never stopped\n{info}"
    section = lambda a, b: out[out.index(a):out.index(b)]

    ps = section("ZC32-PS", "ZC32-PT")
    rows = re.findall(r"^([* ])\s+(\d+) (\w+)\s+(\S+)\s+(\d+)\s+0x[0-9a-f]+ 0x[0-9a-f]+\s+(\d+)\s+(\d+)", ps, re.M)
    walk = [row for row in rows if row[3] == "gdbwalk"]
    assert len(walk) == 2, f"zc32-ps does not list gdbwalk and its child: {rows}\n{info}"
    child = [row for row in walk if row[0] == "*"]
    assert child and child[0][2] == "RUNNING" and child[0][4] == [w for w in walk if w[0] == " "][0][1], \
        f"zc32-ps: the current process is not the running child of the first gdbwalk: {walk}\n{info}"
    child_pid, child_swap = child[0][1], int(child[0][6])

    pt = section("ZC32-PT", "ZC32-PC")
    runs = re.findall(r"^  0x([0-9a-f]+)-0x([0-9a-f]+) +(\d+) pages .*? ([a-z+]+): (.*)$", pt, re.M)
    kinds = {}
    for start, end, n, kind, detail in runs:
        kinds.setdefault(kind, []).append((int(start, 16), int(end, 16), int(n), detail))
    assert any(s <= file_va and file_va + 16 * 4096 <= e and "pagecache ino" in d
               for s, e, n, d in kinds.get("pagecache", [])), \
        f"zc32-pt: /data/1m.bin's 16 mapped pages are not page-cache pages\n{info}"
    assert any(cow_va <= s < cow_va + 8 * 4096 for s, e, n, d in kinds.get("cow", [])), \
        f"zc32-pt: no copy-on-write page among the pages shared with the parent\n{info}"
    assert any("slot" in d for s, e, n, d in kinds.get("swapped", [])), f"zc32-pt: no swapped-out page\n{info}"
    assert kinds.get("anon"), f"zc32-pt: no anonymous page\n{info}"
    m = re.search(r"^pages: (.*)$", pt, re.M)
    counts = dict((k, int(n)) for k, n in re.findall(r"([a-z+]+) (\d+)", m.group(1))) if m else {}
    assert counts.get("swapped") == child_swap > 0, \
        f"zc32-pt counts {counts.get('swapped')} swapped pages, the mm says {child_swap}\n{info}"
    ino = int(re.search(r"pagecache ino (\d+) index 0 ", pt[pt.index(f"0x{file_va:08x}-"):]).group(1))

    stat = subprocess.run(["debugfs", "-R", "stat /data/1m.bin", str(qemu.ROOTFS_IMG)],
                          capture_output=True, text=True).stdout
    assert re.search(rf"^Inode: {ino}\s", stat, re.M), f"zc32-pt's inode {ino} is not /data/1m.bin's:\n{stat}"
    pc = section("ZC32-PC", "ZC32-NIC")
    cached = {int(i) for i in re.findall(rf"^ +{ino} +(\d+) 0x[0-9a-f]+ +\d+ +\d+  cache,", pc, re.M)}
    assert set(range(16)) <= cached, f"zc32-pagecache lacks pages 0-15 of inode {ino}: {sorted(cached)}\n{info}"

    nic = section("ZC32-NIC", "ZC32-LEDGER")
    assert re.search(r"^TX ring: 256 descriptors", nic, re.M) and re.search(r"^RX ring: 256 descriptors", nic, re.M), \
        f"zc32-e1000 shows no rings\n{info}"
    assert re.search(r"^    tx +\d+: data +addr 0x[0-9a-f]+ len +42 EOP RS DD", nic, re.M), \
        f"zc32-e1000: no sent 42-byte frame (the ARP request for the gateway)\n{info}"

    ledger = section("ZC32-LEDGER", "ZC32-PIN")
    m = re.search(r"^  syscalls +(\d+)$", ledger, re.M)
    e = re.search(r"^  entries\.syscall +(\d+)$", ledger, re.M)
    assert m and e and int(m.group(1)) == int(e.group(1)) > 0, \
        f"the ledger's syscalls field is not the count of system-call entries\n{info}"
    assert re.search(rf"^ledger of pid {child_pid} \(gdbwalk\):", ledger, re.M), f"zc32-ledger self\n{info}"
    own = ledger[ledger.index(f"ledger of pid {child_pid}"):]
    assert re.search(r"^  swap_outs +[1-9]", own, re.M), f"the child's own ledger has no swap_outs\n{info}"
    assert re.search(r"^\$\d+ = \{bytes\.cpu_user_to_kernel = \d+, .*syscalls = [1-9]", ledger, re.M), \
        f"p ledger_global is not pretty-printed with named counters\n{info}"
    assert re.search(rf"^\$\d+ = pid {child_pid} \(gdbwalk\) RUNNING = \{{parent = \d+, mm = 0x", ledger, re.M), \
        f"p *current is not pretty-printed\n{info}"

    pin = out[out.index("ZC32-PIN"):]
    assert re.search(rf"^ +{ino} +0 0x[0-9a-f]+ +\d+ +\d+  cache,.*  pinned x[1-9]", pin, re.M), \
        f"zc32-pagecache: page 0 of inode {ino} is not pinned while sendfile's ACK is handled\n{info}"
