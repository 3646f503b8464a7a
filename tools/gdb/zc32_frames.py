"""zc32_frames.py - names the trap frame in GDB's backtraces.

kernel/trap/entry.S describes the trap frame to GDB with DWARF CFI marked
as a signal frame, so `bt` continues from syscall_dispatch or
trap_dispatch into the interrupted code.  GDB prints such a frame as
"<signal handler called>"; this frame filter says what it really is:

    #2  [trap frame 0xc05a1fb4: int 0x80, system call 3, from user mode]

The struct trapframe sits at the stub's esp + 4 (the argument pushed for
the C function)."""

import gdb
from gdb.FrameDecorator import FrameDecorator

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


class TrapFrameDecorator(FrameDecorator):
    def __init__(self, fobj):
        super().__init__(fobj)
        self.fobj = fobj

    def function(self):
        return describe_trapframe(self.fobj.inferior_frame())

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
                yield f


TrapFrameFilter()
