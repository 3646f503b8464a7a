"""zc32_gdb.py - zc32's helper commands, loaded by tools/gdb/zc32.gdb into
GDB's embedded Python (not run by /usr/bin/python3).

Every command copes with a kernel that lacks a function or a type yet: it
says what is missing instead of raising a Python traceback."""

import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zc32_util import KERNEL_BASE, Missing, cstr, current_proc  # noqa: E402  (tools/gdb/zc32_util.py)

ROOT = os.getcwd()            # zc32.gdb is sourced from the repository root
ROOTFS_BIN = os.path.join(ROOT, "build", "rootfs", "bin")
ROOTFS_TEST = os.path.join(ROOT, "build", "rootfs", "test")     # the test programs

# Functions whose argument `tf` is the current struct trapframe *.
TF_FUNCTIONS = ("syscall_dispatch", "trap_dispatch", "page_fault")
KEY_FUNCTIONS = [
    ("kmain", "C entry point, paging already on"),
    ("syscall_dispatch", "every int 0x80; tf->eax = system-call number"),
    ("trap_dispatch", "every exception and interrupt; tf->trapno = vector"),
    ("page_fault", "the page-fault path; $cr2 = faulting address"),
]
TRAP_NAMES = {0: "divide error", 1: "debug", 2: "NMI", 3: "breakpoint", 4: "overflow",
              5: "bound", 6: "invalid opcode", 7: "device not available",
              8: "double fault", 10: "invalid TSS", 11: "segment not present",
              12: "stack fault", 13: "general protection", 14: "page fault",
              16: "x87 error", 17: "alignment check", 18: "machine check",
              19: "SIMD error", 0x80: "system call"}


def have_symbol(name):
    try:
        return "No symbol" not in gdb.execute(f"info address {name}", to_string=True)
    except gdb.error:
        return False


def trapframe_type():
    try:
        return gdb.lookup_type("struct trapframe").pointer()
    except gdb.error:
        return None


def find_tf():
    """(tf value, frame function name) from the innermost frame, starting
    at the selected one, that has a `tf` argument; else (None, reason)."""
    tfp = trapframe_type()
    try:
        frame = gdb.selected_frame()
    except gdb.error as e:
        return None, str(e)
    while frame is not None:
        name = frame.name() or "??"
        try:
            tf = frame.read_var("tf")
            if tf.is_optimized_out:
                raise gdb.error("optimized out")
            if tfp is None or str(tf.type.strip_typedefs()) == str(tfp):
                return tf, name
        except (gdb.error, ValueError):
            # At the very first instruction of a cdecl function the
            # argument is at $esp + 4, whatever the debug info says.
            if name in TF_FUNCTIONS and tfp is not None and frame.pc() == _func_start(name):
                esp = frame.read_register("esp")
                ptr = gdb.parse_and_eval(f"*(unsigned int *)({int(esp)} + 4)")
                return ptr.cast(tfp), name
        frame = frame.older()
    return None, f"no frame of {', '.join(TF_FUNCTIONS)} with a 'tf' argument on the stack"


def _func_start(name):
    try:
        return int(gdb.parse_and_eval(f"(unsigned int){name}"))
    except gdb.error:
        return None


def print_tf(tf, where):
    try:
        t = tf.dereference()
        f = {fld.name: int(t[fld.name]) for fld in t.type.fields()}
    except gdb.error as e:
        print(f"zc32-tf: cannot read the trapframe at {tf}: {e}")
        return
    trapno = f.get("trapno", -1)
    cs = f.get("cs", 0)
    user = (cs & 3) == 3
    print(f"trapframe at {int(tf):#010x}" + (f" (from {where})" if where else ""))
    print(f"  trapno {trapno} ({TRAP_NAMES.get(trapno, 'irq' if 32 <= trapno < 48 else '?')})"
          f"  err {f.get('err', 0):#x}  from {'user (ring 3)' if user else 'kernel (ring 0)'}")
    print(f"  eip {f.get('eip', 0):#010x}  cs {cs:#06x}  eflags {f.get('eflags', 0):#010x}")
    if user:
        print(f"  esp {f.get('esp', 0):#010x}  ss {f.get('ss', 0):#06x}")
    regs = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"]
    print("  " + "  ".join(f"{r} {f[r]:#010x}" for r in regs if r in f))
    print("  " + "  ".join(f"{s} {f[s]:#06x}" for s in ("ds", "es", "fs", "gs") if s in f))
    if trapno == 0x80 and "eax" in f:
        print(f"  system call {f['eax']}: args ebx {f.get('ebx', 0):#x} ecx {f.get('ecx', 0):#x} "
              f"edx {f.get('edx', 0):#x} esi {f.get('esi', 0):#x} edi {f.get('edi', 0):#x}")
    # Any fields the kernel adds later.
    known = set(regs) | {"trapno", "err", "eip", "cs", "eflags", "esp", "ss", "ds", "es",
                         "fs", "gs", "esp_unused"}
    rest = [k for k in f if k not in known]
    if rest:
        print("  " + "  ".join(f"{k} {f[k]:#x}" for k in rest))


class Zc32Tf(gdb.Command):
    """Print the current trapframe.
Usage: zc32-tf [ADDRESS]
Without ADDRESS, find the innermost syscall_dispatch / trap_dispatch /
page_fault frame (or any frame with a `tf` argument) from the selected
frame outward and print its tf.  With ADDRESS, print the struct trapframe
there."""

    def __init__(self):
        super().__init__("zc32-tf", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        tfp = trapframe_type()
        if arg.strip():
            if tfp is None:
                print("zc32-tf: the kernel has no 'struct trapframe' type (yet)")
                return
            print_tf(gdb.parse_and_eval(arg).cast(tfp), None)
            return
        tf, where = find_tf()
        if tf is None:
            print(f"zc32-tf: {where}; stop in one of them first (e.g. `break syscall_dispatch`)")
            return
        print_tf(tf, where)


def program_path(prog):
    """build/rootfs/bin/PROG, else test/PROG; a path stays as it is."""
    if os.path.sep in prog:
        return prog
    path = os.path.join(ROOTFS_BIN, prog)
    return path if os.path.isfile(path) else os.path.join(ROOTFS_TEST, prog)


class UserSymbols:
    """The one user program whose symbols are loaded.  Every program is
    linked at 0x08048000, so two at once would give one address two
    names: loading one removes the one before."""

    def __init__(self):
        self.loaded = None
        self.auto = True

    def load(self, path, quiet=False):
        if path == self.loaded:
            return True
        if not os.path.isfile(path):
            print(f"zc32-user: no such program {path}")
            return False
        confirm = gdb.parameter("confirm")
        gdb.execute("set confirm off")
        try:
            if self.loaded:
                gdb.execute(f"remove-symbol-file {self.loaded}", to_string=True)
                self.loaded = None
            out = gdb.execute(f"add-symbol-file {path}", to_string=True)
            self.loaded = path
        finally:
            gdb.execute(f"set confirm {'on' if confirm else 'off'}")
        if not quiet:
            print(out.strip())
        warn_shared_breakpoints(os.path.basename(path))
        return True

    def load_current(self, quiet=False):
        """The program of the running process (current->name), if it is
        one of build/rootfs's; kernel threads and kernel-only moments keep
        what is loaded."""
        try:
            p = current_proc()
            if p is None or bool(p["kthread"]):
                return None
            name = cstr(p["name"])
        except (Missing, gdb.error):
            return None             # before paging is on, `current` cannot be read yet
        path = program_path(name) if name else None
        if path and os.path.isfile(path):
            if path != self.loaded:
                self.load(path, quiet=True)
                if not quiet:
                    print(f"zc32: symbols of {os.path.relpath(path, ROOT)} loaded "
                          f"(pid {int(p['pid'])}, the current process)")
            return path
        return None


user_symbols = UserSymbols()
warned_breakpoints = set()


def warn_shared_breakpoints(prog):
    """Name the breakpoints that now stop in the user program too (a name
    both the kernel and the user library define: memcpy, strlen, ...).
    GDB re-sets them when symbols load, and if one was just hit it warns
    "location number not found" until the next stop.  Once per breakpoint."""
    for bp in gdb.breakpoints():
        try:
            locs = bp.locations                     # GDB 13 and later
        except (AttributeError, gdb.error):
            return
        kernel = [loc for loc in locs if loc.address >= KERNEL_BASE]
        if kernel and len(kernel) < len(locs) and bp.number not in warned_breakpoints:
            warned_breakpoints.add(bp.number)
            src = kernel[0].source[0] if kernel[0].source else "FILE.c"
            src = os.path.relpath(src, ROOT) if os.path.isabs(src) else src
            print(f"zc32: breakpoint {bp.number} ({bp.location}) stops in {prog} too; "
                  f"`break {src}:{bp.location}` stops in the kernel only")


def on_stop(event):
    if user_symbols.auto:
        try:
            user_symbols.load_current()
        except gdb.error as e:
            print(f"zc32: could not load the current program's symbols: {e}")


class Zc32User(gdb.Command):
    """Load the symbols of a user program.
Usage: zc32-user [PROG | on | off]
PROG is a name under build/rootfs/bin or test (e.g. sh, systest) or a path.
Without PROG: the program the current process runs (current->name).
User programs are static ELFs linked at 0x08048000, so their symbols load
at the addresses in the file; loading one removes the one before.  Every
process shares those addresses: a breakpoint in a user function stops in
whichever program runs there; add a condition on the current process if
needed.  `zc32-user off` stops the automatic loading that follows the
current process at every stop; `zc32-user on` starts it again."""

    def __init__(self):
        super().__init__("zc32-user", gdb.COMMAND_FILES, gdb.COMPLETE_FILENAME)

    def invoke(self, arg, from_tty):
        words = gdb.string_to_argv(arg)
        if words in (["on"], ["off"]):
            user_symbols.auto = words == ["on"]
            print(f"zc32-user: automatic loading {'on' if user_symbols.auto else 'off'}")
            return
        if not words:
            if user_symbols.load_current() is None:
                names = sorted(n for d in (ROOTFS_BIN, ROOTFS_TEST) if os.path.isdir(d) for n in os.listdir(d))
                print("zc32-user: the current process runs no program of build/rootfs; "
                      "usage: zc32-user PROG   programs: " + (" ".join(names) or "(none built)"))
            return
        if len(words) > 1:
            print("zc32-user: one program at a time (they all live at 0x08048000)")
        user_symbols.load(program_path(words[0]))


class Zc32BreakSyscall(gdb.Command):
    """Break in syscall_dispatch for one system call.
Usage: zc32-break-syscall NR    (e.g. 4 for write, 3 for read, 11 for execve)
Stops at the first instruction of syscall_dispatch when tf->eax == NR."""

    def __init__(self):
        super().__init__("zc32-break-syscall", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            print("usage: zc32-break-syscall NR")
            return
        if not have_symbol("syscall_dispatch") or trapframe_type() is None:
            print("zc32-break-syscall: the kernel has no syscall_dispatch / struct trapframe yet")
            return
        nr = int(gdb.parse_and_eval(arg))
        gdb.execute("break *syscall_dispatch if "
                    f"((struct trapframe *)(*(unsigned int *)($esp + 4)))->eax == {nr}")


class Zc32Help(gdb.Command):
    """List zc32's GDB commands and the kernel functions worth a breakpoint."""

    def __init__(self):
        super().__init__("zc32-help", gdb.COMMAND_SUPPORT)

    def invoke(self, arg, from_tty):
        print("zc32 GDB helpers (tools/gdb/zc32.gdb; docs/gdb.md):")
        print("  zc32-user [PROG|on|off] load a user program's symbols (default: the current one's;")
        print("                         they follow the current process at every stop unless off)")
        print("  zc32-tf [ADDR]         print the current trapframe")
        print("  zc32-break-syscall NR  break in syscall_dispatch when tf->eax == NR")
        print("  zc32-ps                processes: pid, state, name, address space")
        print("  zc32-pt [PID] [-v]     page tables: ranges, frames, flags; pagecache/cow/anon/swapped")
        print("  zc32-pagecache [MAX]   cached file pages: inode, index, refs, dirty, NIC pins")
        print("  zc32-vq [all]          virtio-blk virtqueues and the requests in flight")
        print("  zc32-e1000 [rx|tx] [all]  the e1000's RX and TX descriptor rings")
        print("  zc32-ledger [PID|self] the ledger, the system's or a process's")
        print("  p ledger_global, p *current, p v->vq, p nic: pretty-printed (p/r for raw)")
        print("kernel functions to break on:")
        for name, what in KEY_FUNCTIONS:
            mark = "" if have_symbol(name) else "   (not in this kernel yet)"
            print(f"  break {name:<17} {what}{mark}")
        print("make gdb starts QEMU stopped at the reset vector: `break kmain`, then `continue`.")


import zc32_frames    # noqa: E402,F401  the trap frame in backtraces
import zc32_printers  # noqa: E402,F401  pretty-printers, zc32-ledger
import zc32_mm        # noqa: E402,F401  zc32-ps, zc32-pt, zc32-pagecache
import zc32_dev       # noqa: E402,F401  zc32-vq, zc32-e1000

gdb.events.stop.connect(on_stop)
Zc32Tf()
Zc32User()
Zc32BreakSyscall()
Zc32Help()
