"""test_layout_net.py - the network's place in the tree, checked on the
host from the sources (no build, no QEMU): poll belongs to the files, the
stack knows an interface and not a card, and a NIC driver sees of the
stack only net/netif.h and net/netbuf.h (docs/network.md)."""

import re

import qemu

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)   # "..." and <...>
# A function declared (not defined) at file level, not static: a call by
# name across layers that no header owns.
C_DECLARATION = re.compile(r"^(?!static)[a-z][\w \*]*\b\w+\([^;{]*\);", re.M)


def resolved_includes(root, path):
    """The files path's #include lines reach, searched as the
    kernel's CFLAGS do: the file's own directory, then -Ikernel/include
    -Ikernel -Idrivers."""
    for name in INCLUDE.findall(path.read_text()):
        for d in (path.parent, root / "kernel/include", root / "kernel", root / "drivers"):
            if (d / name).is_file():
                yield (d / name).resolve().relative_to(root.resolve()).as_posix()
                break


def sources(root, folder):
    return sorted(p for p in (root / folder).rglob("*") if p.suffix in (".c", ".h"))


def network_layering_faults(root):
    """Where the tree breaks the network's rules (docs/network.md): files and
    poll do not reach into the stack; the stack knows an interface, not a
    card; a driver sees of the stack only net/netif.h and net/netbuf.h;
    and no .c file there calls across a layer through its own declaration
    (drivers/timer.c once declared net_tick to call it)."""
    faults = []
    for p in sources(root, "kernel/fs"):
        faults += [f"{p.name} includes {h}" for h in resolved_includes(root, p) if h.startswith("kernel/net/")]
    for p in sources(root, "kernel/net"):
        faults += [f"{p.name} includes {h}" for h in resolved_includes(root, p) if h.startswith("drivers/")]
    for p in sources(root, "drivers"):
        faults += [f"{p.name} includes {h}" for h in resolved_includes(root, p)
                   if h.startswith("kernel/net/") and h not in ("kernel/net/netif.h", "kernel/net/netbuf.h")]
    for p in sources(root, "kernel/net") + sources(root, "drivers"):
        if p.suffix == ".c":
            faults += [f"{p.name} declares {d}" for d in C_DECLARATION.findall(p.read_text())]
    return faults


def test_network_layering():
    assert network_layering_faults(qemu.ROOT) == []
