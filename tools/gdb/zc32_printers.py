"""zc32_printers.py - pretty-printers (gdb.printing) for the structures a
student looks at most, and the zc32-ledger command.

    p ledger_global            struct zc_stats: counters by name, not arrays
    p *current                 struct proc: pid, state, name, address space, ...
    p v->vq                    struct virtqueue: ring indices and what is in flight
    p 'e1000.c'::nic           the e1000's state: ring positions, descriptors in use

`p/r VALUE` prints the raw structure, as without these printers."""

import gdb
import gdb.printing

from zc32_util import Command, Missing, cstr, enum_names, enum_str, find_proc, var


# ---- the ledger ---------------------------------------------------------

class ZcStatsPrinter:
    """struct zc_stats (uapi/zc32.h): the arrays indexed by enum zc_move,
    zc_dev and zc_entry become one named counter each."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        return None                 # just the named counters

    def children(self):
        v = self.val
        try:
            moves = enum_names("enum zc_move", "ZC_")
            devs = enum_names("enum zc_dev", "ZC_DEV_")
            entries = enum_names("enum zc_entry", "ZC_ENTRY_")
        except Missing:
            moves = devs = entries = None
        for f in v.type.strip_typedefs().fields():
            x = v[f.name]
            if f.name in ("bytes", "ops") and moves:
                for i, m in enumerate(moves[:-1]):           # the last is ZC_MOVE_KINDS
                    yield f"{f.name}.{m}", x[i]
            elif f.name == "dma_bytes" and devs:
                for i, d in enumerate(devs[:-1]):
                    yield f"dma_bytes.{d}.dev_to_mem", x[i][0]
                    yield f"dma_bytes.{d}.mem_to_dev", x[i][1]
            elif f.name == "entries" and entries:
                for i, e in enumerate(entries[:-1]):
                    yield f"entries.{e}", x[i]
            else:
                yield f.name, x


class Zc32Ledger(Command):
    """Print the ledger: the system's, or one process's.
Usage: zc32-ledger [PID | self]
Without PID: the whole system since boot (ledger_global).  With a pid, or
`self` for the current process: that process's account (proc->ledger)."""

    def __init__(self):
        super().__init__("zc32-ledger")

    def run(self, arg):
        arg = arg.strip()
        if not arg:
            stats, who = var("ledger_global", "kernel/ledger/ledger.c"), "the system (ledger_global)"
        else:
            p = find_proc("" if arg == "self" else arg)
            stats, who = p["ledger"]["stats"], f"pid {int(p['pid'])} ({cstr(p['name'])})"
        print(f"ledger of {who}:")
        for name, value in ZcStatsPrinter(stats).children():
            if int(value):
                print(f"  {name:<34} {int(value)}")
        print("  (counters at 0 not shown)")


# ---- processes ------------------------------------------------------------

class ProcPrinter:
    """struct proc (kernel/proc/proc.h): the fields that say who and where."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        p = self.val
        return f"pid {int(p['pid'])} ({cstr(p['name'])}) {enum_str(p['state'], 'P_')}"

    def children(self):
        p = self.val
        parent = p["parent"]
        yield "parent", int(parent["pid"]) if int(parent) else 0
        yield "mm", p["mm"]
        yield "tf", p["tf"]
        yield "kstack", p["kstack"]
        yield "chan", p["chan"]
        yield "killed", p["killed"]
        yield "kthread", p["kthread"]
        files = p["files"]
        lo, hi = files.type.range()
        yield "open_fds", str([i for i in range(lo, hi + 1) if int(files[i])])
        yield "cwd", cstr(p["cwd"])
        yield "ledger", p["ledger"]["stats"]


# ---- devices ----------------------------------------------------------------

class ShortPrinter:
    """A one-line summary (to_string) and a few raw fields (FIELDS) as children."""
    FIELDS = ()

    def __init__(self, val):
        self.val = val

    def children(self):
        for f in self.FIELDS:
            yield f, self.val[f]


class VirtqueuePrinter(ShortPrinter):
    """struct virtqueue (drivers/virtio/virtio.h): the split ring's indices
    (docs/disk.md); zc32-vq also lists the requests in flight."""
    FIELDS = ("desc", "avail", "used", "tokens", "vdev")

    def to_string(self):
        q = self.val
        try:
            avail, used = int(q["avail"]["idx"]), int(q["used"]["idx"])
        except gdb.MemoryError:
            avail = used = "?"
        return (f"virtqueue {int(q['index'])}: {int(q['size'])} descriptors, {int(q['num_free'])} free, "
                f"avail.idx {avail}, used.idx {used}, last_used {int(q['last_used'])}, "
                f"free_head {int(q['free_head'])}")


class E1000Printer(ShortPrinter):
    """The e1000 driver's state (drivers/e1000.c, struct e1000_nic): where
    the driver is in each ring (docs/network.md); zc32-e1000 dumps them."""
    FIELDS = ("regs", "rx", "tx", "rx_discard", "ctx_valid")

    def to_string(self):
        n = self.val
        return (f"e1000: irq {int(n['irq'])}, rx_next {int(n['rx_next'])}, tx_tail {int(n['tx_tail'])}, "
                f"tx_clean {int(n['tx_clean'])}, tx_used {int(n['tx_used'])}")


def build_printers():
    pp = gdb.printing.RegexpCollectionPrettyPrinter("zc32")
    pp.add_printer("zc_stats", "^zc_stats$", ZcStatsPrinter)
    pp.add_printer("proc", "^proc$", ProcPrinter)
    pp.add_printer("virtqueue", "^virtqueue$", VirtqueuePrinter)
    pp.add_printer("e1000_nic", "^e1000_nic$", E1000Printer)
    return pp


gdb.printing.register_pretty_printer(gdb.current_objfile(), build_printers(), replace=True)
Zc32Ledger()
