"""zc32_mm.py - GDB commands that show memory as the kernel keeps it.

    zc32-ps                    the process table: pid, state, name, address space
    zc32-pt [PID] [-v]         a process's page tables, page by page or in runs
    zc32-pagecache [MAX]       the page cache: file, page index, references, dirty, pinned

How each kind of user page is represented (docs/page-faults.md,
docs/replacement.md), which is what zc32-pt reads:
  present PTE, frame's struct page has PG_CACHE      a page-cache page (a file's)
  present PTE with PTE_COW (software bit 0x200)      shared until the next write
  present PTE, PG_ANON                               anonymous (heap, stack, a private copy)
  not present, PTE_SWAP (software bit 0x400)         swapped out: bits 12-31 are the slot"""

import struct

import gdb

from zc32_util import (KERNEL_BASE, PAGE_SIZE, Command, Missing, cstr, enum_str, field_offsets,
                       find_proc, lookup_type, p2v, procs, read_bytes, read_u32s, var)

# kernel/include/mmu.h and kernel/mm/pmm.h
PTE_P, PTE_W, PTE_U, PTE_A, PTE_D, PTE_PS = 0x001, 0x002, 0x004, 0x020, 0x040, 0x080
PTE_COW, PTE_SWAP = 0x200, 0x400
PG_FLAGS = [(0x2, "cache"), (0x4, "uptodate"), (0x8, "dirty"), (0x10, "locked"), (0x20, "error"),
            (0x40, "anon"), (0x80, "pageable"), (0x100, "referenced"), (0x200, "swapcache")]
PG_CACHE, PG_DIRTY, PG_ANON, PG_SWAPCACHE = 0x2, 0x8, 0x40, 0x200


class Frames:
    """struct page of any frame, read from the kernel's array
    ('kernel/mm/pmm.c'::pages) a chunk at a time: a page-table walk
    touches thousands of frames, and one gdbstub read each would be slow."""

    CHUNK = 256

    def __init__(self):
        self.base = int(var("pages", "kernel/mm/pmm.c"))
        self.max_pfn = int(var("max_pfn", "kernel/mm/pmm.c"))
        t = lookup_type("struct page")
        self.size = t.sizeof
        self.off = field_offsets(t)
        self.chunks = {}
        self.inodes = {}             # address_space -> inode number
        self.inode_data_off = None
        try:
            self.inode_data_off = field_offsets(gdb.lookup_type("struct inode"))["data"]
        except (gdb.error, KeyError):
            pass

    def get(self, pfn):
        """{refs, flags, mapping, index, mapcount, swap_slot, pins} of frame pfn, or None."""
        if pfn >= self.max_pfn:
            return None
        c = pfn // self.CHUNK
        if c not in self.chunks:
            n = min(self.CHUNK, self.max_pfn - c * self.CHUNK)
            self.chunks[c] = read_bytes(self.base + c * self.CHUNK * self.size, n * self.size)
        raw = self.chunks[c][(pfn % self.CHUNK) * self.size:][:self.size]
        signed = ("refs", "mapcount", "pins")          # ints; the rest are unsigned or pointers

        def word(name):
            if name not in self.off:
                return 0
            return struct.unpack_from("<i" if name in signed else "<I", raw, self.off[name])[0]
        return {k: word(k) for k in ("refs", "flags", "mapping", "index", "mapcount", "swap_slot", "pins",
                                     "hash_next")}

    def inode_number(self, mapping):
        """The inode that embeds this address_space (fs/vfs.h: inode.data), or None."""
        if self.inode_data_off is None or not mapping:
            return None
        if mapping not in self.inodes:
            try:
                ino = gdb.Value(mapping - self.inode_data_off).cast(gdb.lookup_type("struct inode").pointer())
                self.inodes[mapping] = int(ino["ino"])
            except gdb.error:
                self.inodes[mapping] = None
        return self.inodes[mapping]


def pg_flags_str(flags):
    return ",".join(name for bit, name in PG_FLAGS if flags & bit) or "-"


def pte_flags_str(pte):
    return ("r" + ("w" if pte & PTE_W else "-") + ("u" if pte & PTE_U else "-")
            + ("A" if pte & PTE_A else "-") + ("D" if pte & PTE_D else "-")
            + (" cow" if pte & PTE_COW else ""))


def classify(pte, frames, swap_map):
    """(kind, detail, run key) of one user PTE."""
    if not pte & PTE_P:
        if pte & PTE_SWAP:
            slot = pte >> 12
            users = swap_map(slot)
            return "swapped", f"slot {slot}" + (f" ({users} users)" if users is not None else ""), ("swapped",)
        return "invalid", f"raw {pte:#010x}", ("invalid",)
    pfn = pte >> 12
    pg = frames.get(pfn)
    flags = pte_flags_str(pte)
    if pg is None:
        return "frame", f"frame {pfn << 12:#x} (no struct page)", ("frame", flags)
    share = f"refs {pg['refs']} mapcount {pg['mapcount']}"
    if pg["flags"] & PG_CACHE:
        ino = frames.inode_number(pg["mapping"])
        what = f"pagecache ino {ino if ino is not None else '?'} index {pg['index']}"
        if pg["flags"] & PG_DIRTY:
            what += " dirty"
        if pg["pins"]:
            what += f" pinned x{pg['pins']}"
        return "pagecache", f"{what} {share}", ("pagecache", flags, ino)
    if pte & PTE_COW:
        slot = f"swap cache slot {pg['swap_slot']}, " if pg["flags"] & PG_SWAPCACHE else ""
        return "cow", f"shared until written, {slot}{share}", ("cow", flags)
    if pg["flags"] & PG_ANON:
        kind = "anon+swapcache" if pg["flags"] & PG_SWAPCACHE else "anon"
        detail = f"slot {pg['swap_slot']} " if pg["flags"] & PG_SWAPCACHE else ""
        return kind, detail + share, (kind, flags)
    return "other", f"page flags {pg_flags_str(pg['flags'])} {share}", ("other", flags)


def swap_map_reader():
    """slot -> its reference count in mm/swap.c's swap_map, or None."""
    try:
        m = var("swap_map", "kernel/mm/swap.c")
        n = int(var("nslots", "kernel/mm/swap.c"))
    except Missing:
        return lambda slot: None
    return lambda slot: int(m[slot]) if int(m) and slot < n else None


def user_ptes(pgdir_va):
    """(virtual address, pte) of every non-zero user PTE (below KERNEL_BASE)."""
    pdes = read_u32s(pgdir_va, KERNEL_BASE >> 22)
    for i, pde in enumerate(pdes):
        if not pde & PTE_P or pde & PTE_PS:
            continue
        for j, pte in enumerate(read_u32s(p2v(pde & ~0xfff), 1024)):
            if pte:
                yield (i << 22) | (j << 12), pte


def vma_list(mm):
    out = []
    v = mm["vmas"]
    while int(v) and len(out) < 1000:
        out.append(v.dereference())
        v = v["next"]
    return out


VMA_FLAGS = [(0x1, "anon"), (0x2, "stack"), (0x4, "heap"), (0x8, "file"), (0x10, "shared")]


def print_vmas(mm):
    print("areas (vmas):")
    for v in vma_list(mm):
        prot = int(v["prot"])
        p = ("r" if prot & 1 else "-") + ("w" if prot & 2 else "-") + ("x" if prot & 4 else "-")
        fl = ",".join(n for b, n in VMA_FLAGS if int(v["flags"]) & b)
        print(f"  {int(v['start']):#010x}-{int(v['end']):#010x} {p} {fl}")


class Zc32Pt(Command):
    """Walk a process's page tables.
Usage: zc32-pt [PID] [-v]
Without PID, the current process.  Prints the areas (vmas), then the
user PTEs: consecutive pages of one kind in a run (virtual range, pages,
first frame, flags, kind), or with -v one line per page.  Kinds: pagecache
(a file's page, with its inode, index, dirty and NIC pins), cow (shared
until written), anon, anon+swapcache, swapped (not present: the swap slot)."""

    def __init__(self):
        super().__init__("zc32-pt")

    def run(self, arg):
        words = arg.split()
        verbose = "-v" in words
        p = find_proc(" ".join(w for w in words if w != "-v"))
        mm = p["mm"]
        if not int(mm):
            print(f"pid {int(p['pid'])} ({cstr(p['name'])}) has no address space (a kernel thread)")
            return
        pgdir = int(mm["pgdir"])
        print(f"pid {int(p['pid'])} ({cstr(p['name'])}): page directory {pgdir:#x} "
              f"(physical {pgdir - KERNEL_BASE:#x}), rss {int(mm['rss'])}, in swap {int(mm['swapents'])}")
        print_vmas(mm)
        frames, swap_map = Frames(), swap_map_reader()
        runs, counts = [], {}
        for va, pte in user_ptes(pgdir):
            kind, detail, key = classify(pte, frames, swap_map)
            counts[kind] = counts.get(kind, 0) + 1
            line = (va, pte, kind, detail)
            if verbose:
                print_page(*line)
            elif runs and runs[-1]["key"] == key and runs[-1]["end"] == va:
                runs[-1]["end"] = va + PAGE_SIZE
                runs[-1]["n"] += 1
                runs[-1]["last"] = detail
            else:
                runs.append({"key": key, "start": va, "end": va + PAGE_SIZE, "n": 1, "first": line, "last": None})
        for r in runs:
            va, pte, kind, detail = r["first"]
            frame = f"frame {pte & ~0xfff:#010x}" if pte & PTE_P else " " * 16
            flags = pte_flags_str(pte) if pte & PTE_P else ""
            more = f" .. {r['last']}" if r["last"] else ""
            print(f"  {r['start']:#010x}-{r['end']:#010x} {r['n']:5d} pages  {frame}  {flags:<9} {kind}: {detail}{more}")
        print("pages: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


def print_page(va, pte, kind, detail):
    frame = f"frame {pte & ~0xfff:#010x}" if pte & PTE_P else " " * 16
    print(f"  {va:#010x} {frame} {pte_flags_str(pte) if pte & PTE_P else '':<9} {kind}: {detail}")


class Zc32Ps(Command):
    """List the processes: pid, state, name, parent, address space.
Usage: zc32-ps
`*` marks the current process.  mm is the struct mm, pgdir the physical
address of its page directory (what CR3 holds while it runs)."""

    def __init__(self):
        super().__init__("zc32-ps")

    def run(self, arg):
        cur = var("current")
        print(f"  {'PID':>4} {'STATE':<9} {'NAME':<16} {'PPID':>4}  {'MM':<10} {'PGDIR':<10} {'RSS':>5} {'SWAP':>5}  WAITS ON")
        for p in procs():
            mm = p["mm"]
            mark = "*" if int(p.address) == int(cur) else " "
            parent = int(p["parent"]["pid"]) if int(p["parent"]) else 0
            if int(mm):
                space = f"{int(mm):#010x} {int(mm['pgdir']) - KERNEL_BASE:#010x} {int(mm['rss']):5d} {int(mm['swapents']):5d}"
            else:
                space = f"{'-':<10} {'-':<10} {'-':>5} {'-':>5}"
            chan = f"{int(p['chan']):#x}" if int(p["chan"]) else ""
            name = cstr(p["name"]) + (" [kthread]" if bool(p["kthread"]) else "")
            print(f"{mark} {int(p['pid']):4d} {enum_str(p['state'], 'P_'):<9} {name:<16} {parent:4d}  {space}  {chan}")


class Zc32Pagecache(Command):
    """Show the page cache: every cached page of every file.
Usage: zc32-pagecache [MAX]
One line per page (at most MAX, default 200), by file and index: the
inode number, the page index in the file, the frame, references (refs),
user mappings (mapcount), flags (dirty, uptodate, locked, ...) and
`pinned xN` when a send buffer holds it for the NIC's gather DMA
(page_pin in kernel/mm/pmm.h: sendfile)."""

    def __init__(self):
        super().__init__("zc32-pagecache")

    def run(self, arg):
        limit = int(gdb.parse_and_eval(arg)) if arg.strip() else 200
        table = var("hash_table", "kernel/mm/pagecache.c")
        frames = Frames()
        lo, hi = table.type.range()
        rows = []
        for b in read_u32s(int(table.address), hi - lo + 1):
            while b and len(rows) < 100000:          # a chain: struct page's hash_next
                pfn = (b - frames.base) // frames.size
                pg = frames.get(pfn)
                rows.append((frames.inode_number(pg["mapping"]) or 0, pg["index"], pfn, pg))
                b = pg["hash_next"]
        rows.sort(key=lambda r: (r[0], r[1]))
        print(f"page cache: {len(rows)} pages")
        print(f"  {'INODE':>6} {'INDEX':>6} {'FRAME':<10} {'REFS':>4} {'MAPS':>4}  FLAGS")
        for ino, index, pfn, pg in rows[:limit]:
            pinned = f"  pinned x{pg['pins']} (sendfile)" if pg["pins"] else ""
            print(f"  {ino:6d} {index:6d} {pfn << 12:#010x} {pg['refs']:4d} {pg['mapcount']:4d}  "
                  f"{pg_flags_str(pg['flags'])}{pinned}")
        if len(rows) > limit:
            print(f"  ... {len(rows) - limit} more (zc32-pagecache {len(rows)} shows all)")


Zc32Ps()
Zc32Pt()
Zc32Pagecache()
