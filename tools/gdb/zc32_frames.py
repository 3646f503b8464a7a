"""zc32_frames.py - names the trap frame in GDB's backtraces.

kernel/trap/entry.S describes the trap frame to GDB with DWARF CFI marked
as a signal frame, so `bt` continues from syscall_dispatch or
trap_dispatch into the interrupted code.  GDB prints such a frame as
"<signal handler called>"; this frame filter says what it really is:

    #2  [trap frame 0xc05a1fb4: int 0x80, system call 3, from user mode]

The struct trapframe sits at the stub's esp + 4 (the argument pushed for
the C function)."""

import gdb
from gdb.FrameDecorator import FrameDecorator, SymValueWrapper

from zc32_util import KERNEL_BASE

SYSCALL_VECTOR = 0x80
EXCEPTIONS = {0: "divide error", 3: "breakpoint", 6: "invalid opcode", 13: "general protection",
              14: "page fault"}


def describe_trapframe(frame):
    try:
        tf = gdb.parse_and_eval(f"(struct trapframe *)({int(frame.read_register('esp'))} + 4)")
        trapno, cs = int(tf["trapno"]), int(tf["cs"])
        if trapno == SYSCALL_VECTOR:
            what = f"int 0x80, system call {int(tf['eax'])}"
        elif 32 <= trapno < 48:
            what = f"interrupt, irq {trapno - 32}"
        else:
            what = f"vector {trapno} ({EXCEPTIONS.get(trapno, 'exception')})"
        where = "from user mode" if cs & 3 == 3 else "from kernel mode"
        return f"[trap frame {int(tf):#x}: {what}, {where}]"
    except gdb.error:
        return "[trap frame]"


def read_vars(frame, items):
    """The frame's (symbol, value) pairs, each value tried now: one GDB
    cannot read becomes "<error: ...>" text (printed as `...`), the others
    stay for GDB to print as it does without a filter (with @entry
    values).  GDB prints frames through Python once a frame filter is on,
    and there one unreadable argument (a user frame whose ebp holds a
    system-call argument, as in __syscall6) would end the backtrace."""
    out = []
    for item in items or []:
        sym, value = item.symbol(), item.value()
        if value is None and isinstance(sym, gdb.Symbol):
            try:
                sym.value(frame).fetch_lazy()
            except (gdb.error, RuntimeError) as e:
                value = f"<error: {e}>"
        out.append(SymValueWrapper(sym, value))
    return out


class SafeFrameDecorator(FrameDecorator):
    """Any frame: its arguments and locals read up front (read_vars)."""

    def frame_args(self):
        return read_vars(self.inferior_frame(), super().frame_args())

    def frame_locals(self):
        return read_vars(self.inferior_frame(), super().frame_locals())


class TrapFrameDecorator(SafeFrameDecorator):
    """The trap frame: named after what entered the kernel."""

    def function(self):
        return describe_trapframe(self.inferior_frame())

    def address(self):
        return None


class TrapFrameFilter:
    def __init__(self):
        self.name = "zc32-trapframe"
        self.priority = 100
        self.enabled = True
        gdb.frame_filters[self.name] = self

    def filter(self, frames):
        for f in frames:
            frame = f.inferior_frame()
            if frame.type() == gdb.SIGTRAMP_FRAME and frame.pc() >= KERNEL_BASE:
                yield TrapFrameDecorator(f)
            else:
                yield SafeFrameDecorator(f)


TrapFrameFilter()
