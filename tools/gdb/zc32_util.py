"""zc32_util.py - what zc32's GDB helpers share: finding kernel variables
(static ones too), reading guest memory in bulk, the process table.

Loaded into GDB's embedded Python by zc32_gdb.py.  A helper that needs a
symbol the kernel does not have (yet) raises Missing, which the command
turns into one line ("zc32-pt: the kernel has no 'proc_table'") instead
of a Python traceback."""

import struct

import gdb

KERNEL_BASE = 0xC0000000       # kernel/include/mmu.h: physical memory is mapped here (P2V)
PAGE_SIZE = 4096


class Missing(Exception):
    """A symbol or type the command needs is not in this kernel."""


def var(name, file=None):
    """The kernel variable `name`; a static one with its file, as GDB
    spells it ('kernel/mm/pmm.c'::pages)."""
    expr = f"'{file}'::{name}" if file else name
    try:
        return gdb.parse_and_eval(expr)
    except gdb.error:
        raise Missing(f"the kernel has no '{name}'" + (f" in {file}" if file else ""))


def lookup_type(name):
    try:
        return gdb.lookup_type(name)
    except gdb.error:
        raise Missing(f"the kernel has no type '{name}'")


def field_offsets(t):
    """{field name: byte offset} of a struct type."""
    return {f.name: f.bitpos // 8 for f in t.strip_typedefs().fields() if f.name}


def enum_names(type_name, prefix):
    """The enumerators of an enum, in order, with prefix cut and in lower
    case (ZC_CPU_USER_TO_KERNEL -> cpu_user_to_kernel)."""
    t = lookup_type(type_name)
    return [f.name[len(prefix):].lower() if f.name.startswith(prefix) else f.name
            for f in sorted(t.fields(), key=lambda f: f.enumval)]


def read_bytes(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def read_u32s(addr, n):
    """n little-endian 32-bit words at addr: one memory read, not n."""
    return struct.unpack(f"<{n}I", read_bytes(addr, 4 * n))


def p2v(pa):
    """The kernel virtual address of a physical one (mmu.h: P2V)."""
    return pa + KERNEL_BASE


def cstr(v):
    """A char array or pointer as a Python string ('' if unreadable)."""
    try:
        return v.string(errors="replace").split("\0")[0]
    except gdb.error:
        return ""


def enum_str(v, prefix=""):
    """An enum value's name with prefix cut: P_RUNNING -> RUNNING."""
    s = str(v)
    return s[len(prefix):] if s.startswith(prefix) else s


def procs():
    """Every used slot of proc_table, in slot order."""
    table = var("proc_table")
    unused = int(gdb.parse_and_eval("P_UNUSED")) if _has_enum("P_UNUSED") else 0
    lo, hi = table.type.range()
    return [table[i] for i in range(lo, hi + 1) if int(table[i]["state"]) != unused]


def _has_enum(name):
    try:
        gdb.parse_and_eval(name)
        return True
    except gdb.error:
        return False


def current_proc():
    """struct proc of the running process, or None (before the first)."""
    cur = var("current")
    return None if int(cur) == 0 else cur.dereference()


def find_proc(arg):
    """The process named by a command's argument: a pid, or empty for the
    current one."""
    arg = arg.strip()
    if not arg:
        p = current_proc()
        if p is None:
            raise Missing("no process is running yet (current is NULL)")
        return p
    pid = int(gdb.parse_and_eval(arg))
    for p in procs():
        if int(p["pid"]) == pid:
            return p
    raise Missing(f"no process with pid {pid}")


class Command(gdb.Command):
    """A zc32 command: run() does the work; Missing and memory errors
    become one line of output."""

    def __init__(self, name, cls=gdb.COMMAND_DATA):
        super().__init__(name, cls)
        self.cmd = name

    def invoke(self, arg, from_tty):
        try:
            self.run(arg)
        except Missing as e:
            print(f"{self.cmd}: {e}")
        except gdb.MemoryError as e:
            print(f"{self.cmd}: cannot read guest memory: {e}")
        except gdb.error as e:
            print(f"{self.cmd}: {e}")

    def run(self, arg):
        raise NotImplementedError
