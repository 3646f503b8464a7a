"""zc32_dev.py - GDB commands that dump the rings zc32 shares with its
devices: the virtio-blk virtqueues and the e1000's RX and TX descriptor
rings (docs/disk.md, docs/network.md, docs/gdb.md).

    zc32-vq [all]                    each virtio disk's queue and its requests in flight
    zc32-e1000 [rx|tx] [all]         the NIC's registers and descriptors in use"""

import struct

import gdb

from zc32_printers import E1000Printer, VirtqueuePrinter
from zc32_util import Command, cstr, lookup_type, read_bytes, var

# Virtio 1.1, 2.6.5: struct virtq_desc (addr u64, len u32, flags u16, next u16)
VRING_DESC_F_NEXT, VRING_DESC_F_WRITE = 1, 2
VRING_DESC_SIZE = 16

# Intel 8254x manual 13.4 (register offsets) and 3.2.3 / 3.3.3 (descriptor bits)
REG_RDH, REG_RDT, REG_TDH, REG_TDT = 0x2810, 0x2818, 0x3810, 0x3818
RXD_STAT_DD, RXD_STAT_EOP = 0x01, 0x02
TXD_CMD_EOP, TXD_CMD_RS, TXD_CMD_TSE, TXD_CMD_DEXT = 1 << 24, 1 << 27, 1 << 26, 1 << 29
TXD_DTYP_D, TXD_STAT_DD = 1 << 20, 0x01
RECENT = 4            # descriptors shown before the driver's position, for what just happened


# ---- virtio-blk -----------------------------------------------------------

def virtio_disks():
    """(name, struct vblk) of every block device driven by virtio_blk.c."""
    disks = var("disks", "kernel/block/block.c")
    n = int(var("ndisks", "kernel/block/block.c"))
    submit = int(var("vblk_submit").address)
    vblk_t = lookup_type("struct vblk").pointer()
    for i in range(n):
        bd = disks[i]
        if int(bd) and int(bd["submit"]) == submit:
            yield cstr(bd["name"]), bd["priv"].cast(vblk_t).dereference()


def read_desc(vq, i):
    addr, length, flags, nxt = struct.unpack("<QIHH", read_bytes(int(vq["desc"]) + i * VRING_DESC_SIZE,
                                                                 VRING_DESC_SIZE))
    return addr, length, flags, nxt


def desc_line(i, d):
    addr, length, flags, nxt = d
    words = ["device writes" if flags & VRING_DESC_F_WRITE else "device reads"]
    if flags & VRING_DESC_F_NEXT:
        words.append(f"next {nxt}")
    return f"      desc {i:3d}: addr {addr:#010x} len {length:6d}  {', '.join(words)}"


def print_chain(vq, head):
    i, seen = head, 0
    while seen < int(vq["size"]):
        d = read_desc(vq, i)
        print(desc_line(i, d))
        if not d[2] & VRING_DESC_F_NEXT:
            break
        i, seen = d[3], seen + 1


def print_virtqueue(name, v, show_all):
    vq = v["vq"]
    print(f"{name}: {VirtqueuePrinter(vq).to_string()}")
    size = int(vq["size"])
    avail_idx, used_idx, last_used = int(vq["avail"]["idx"]), int(vq["used"]["idx"]), int(vq["last_used"])
    ring = vq["avail"]["ring"]
    pending = (avail_idx - last_used) & 0xffff
    print(f"  {pending} request(s) between last_used and avail.idx "
          f"({(used_idx - last_used) & 0xffff} completed in the used ring, not yet popped)")
    bio_t = None
    try:
        bio_t = gdb.lookup_type("struct bio").pointer()
    except gdb.error:
        pass
    for k in range(pending):
        slot = (last_used + k) & 0xffff
        head = int(ring[slot % size])
        done = ((slot - last_used) & 0xffff) < ((used_idx - last_used) & 0xffff)
        token = vq["tokens"][head]
        what = ""
        if bio_t is not None and int(token):
            b = token.cast(bio_t).dereference()
            what = f" bio {int(token):#x}: {str(b['op'])} sector {int(b['sector'])}, {int(b['nseg'])} segment(s)"
        print(f"    avail[{slot % size}] head {head}: {'done' if done else 'at the device'}{what}")
        print_chain(vq, head)
    if show_all:
        print("  every descriptor:")
        for i in range(size):
            print(desc_line(i, read_desc(vq, i)))


class Zc32Vq(Command):
    """Dump each virtio disk's virtqueue.
Usage: zc32-vq [all]
For every virtio-blk disk: the split ring's indices (avail.idx, used.idx,
the driver's last_used, free descriptors), then each request handed to
the device and not yet popped by the driver (vq_pop_used): its head,
whether the device has finished it, its bio, and its descriptor chain
(header, data segments, status byte).  With `all`: every descriptor."""

    def __init__(self):
        super().__init__("zc32-vq")

    def run(self, arg):
        found = False
        for name, v in virtio_disks():
            found = True
            print_virtqueue(name, v, arg.strip() == "all")
        if not found:
            print("zc32-vq: no virtio disk registered (booted without disks, or not probed yet)")


# ---- e1000 ------------------------------------------------------------------

def nic_register(nic, reg):
    try:
        return int(nic["regs"][reg // 4])
    except gdb.error:
        return None


def rx_line(i, d, nic):
    addr, length, _csum, status, errors, _special = struct.unpack("<QHHBBH", d)
    words = [w for bit, w in ((RXD_STAT_DD, "DD"), (RXD_STAT_EOP, "EOP")) if status & bit]
    mark = "  <- rx_next" if i == int(nic["rx_next"]) else ""
    return (f"    rx {i:3d}: addr {addr:#010x} len {length:5d} status {status:#04x} "
            f"{' '.join(words) or '(empty: the NIC may fill it)'}{' errors %#x' % errors if errors else ''}{mark}")


def tx_line(i, d, nic):
    addr, cmd_len, status = struct.unpack_from("<QIB", d)
    if cmd_len & TXD_CMD_DEXT and not cmd_len & TXD_DTYP_D:
        kind, length = "context", cmd_len & 0xfffff
    else:
        kind, length = "data" if cmd_len & TXD_CMD_DEXT else "legacy", cmd_len & 0xfffff
    words = [w for bit, w in ((TXD_CMD_EOP, "EOP"), (TXD_CMD_RS, "RS"), (TXD_CMD_TSE, "TSE")) if cmd_len & bit]
    if kind == "context":
        words = [w for w in words if w == "TSE"]        # EOP's bit means TCP in a context
    done = "DD" if status & TXD_STAT_DD else "not done"
    nb = nic["tx_nb"][i]
    nb_s = f" netbuf {int(nb):#x}" if int(nb) else ""
    addr_s = f"addr {addr:#010x}" if kind != "context" else "(checksum/TSO context)"
    return f"    tx {i:3d}: {kind:<7} {addr_s} len {length:5d} {' '.join(words)} {done}{nb_s}"


def print_rx(nic, show_all):
    n = nic["rx_nb"].type.range()[1] + 1
    raw = read_bytes(int(nic["rx"]), 16 * n)
    rdh, rdt = nic_register(nic, REG_RDH), nic_register(nic, REG_RDT)
    print(f"RX ring: {n} descriptors at {int(nic['rx']):#x}; RDH {rdh} RDT {rdt} (the NIC fills RDH..RDT-1), "
          f"rx_next {int(nic['rx_next'])} (the driver's next to read)")
    nxt = int(nic["rx_next"])
    for i in range(n):
        d = raw[16 * i:16 * i + 16]
        filled = d[12] & RXD_STAT_DD
        if show_all or filled or (i - nxt) % n < 2 or (nxt - i) % n in range(1, RECENT + 1):
            print(rx_line(i, d, nic))


def print_tx(nic, show_all):
    n = nic["tx_nb"].type.range()[1] + 1
    raw = read_bytes(int(nic["tx"]), 16 * n)
    tdh, tdt = nic_register(nic, REG_TDH), nic_register(nic, REG_TDT)
    clean, tail = int(nic["tx_clean"]), int(nic["tx_tail"])
    print(f"TX ring: {n} descriptors at {int(nic['tx']):#x}; TDH {tdh} TDT {tdt}, "
          f"tx_clean {clean} .. tx_tail {tail}: {int(nic['tx_used'])} in use (sent or queued, not reclaimed)")
    for i in range(n):
        in_use = (i - clean) % n < (tail - clean) % n
        recent = (clean - i) % n in range(1, RECENT + 1)        # sent and reclaimed just before
        if show_all or in_use or recent:
            print(tx_line(i, raw[16 * i:16 * i + 16], nic) + ("" if in_use or show_all else "  (reclaimed)"))


class Zc32E1000(Command):
    """Dump the e1000's RX and TX descriptor rings.
Usage: zc32-e1000 [rx|tx] [all]
The head and tail registers (read from the NIC), the driver's positions,
and the descriptors that matter: RX ones the NIC has filled (DD), the
next the driver reads and the 4 it read last; TX ones between tx_clean
and tx_tail (queued or sent, not yet reclaimed) and the 4 reclaimed last,
with their type (context/data), length, EOP, RS, TSE and DD.  With
`all`: every descriptor."""

    def __init__(self):
        super().__init__("zc32-e1000")

    def run(self, arg):
        words = arg.split()
        nic = var("nic", "drivers/e1000.c")
        if not int(nic["regs"]):
            print("zc32-e1000: no e1000 (booted without a NIC, or not probed yet)")
            return
        print(E1000Printer(nic).to_string())
        show_all = "all" in words
        if "tx" not in words:
            print_rx(nic, show_all)
        if "rx" not in words:
            print_tx(nic, show_all)


Zc32Vq()
Zc32E1000()
