"""test_sendfile.py - sendfile(2) and its zero-copy gather path (docs/zero-copy.md).

  - sftest (user/tests/sftest.c) checks, inside the guest, every semantic
    and error of sendfile (187) and sendfile64 (239) over loopback TCP and
    file to file, the copy/gather switch, readahead on a cold file, and
    the pinning rule (pages queued by gather keep their bytes while the
    file is rewritten, truncated and its cache dropped), and the mmap path
    (write() from a shared or private file mapping: one copy, from the
    page cache's own frames, faults counted).
  - `sftest serve` sends to the host through a hostfwd port, where the
    bytes are checked by sha256 and the guest's ledger by the test: copy
    versus gather (CPU kernel->kernel bytes = the file vs 0, NIC payload
    DMA = the file both ways); gather under loss (net.drop_tx: intact,
    retransmissions counted); gather under change (the file rewritten and
    cut while its pages are queued: the peer gets what was queued);
    gather under memory pressure (a 32 MiB guest with a memory hog: intact,
    no deadlock, the free pages back where they started).
"""

import hashlib
import re
import socket
import time

import pytest

from conftest import check_boot, check_test_program, e2fsck, save_log
import mkdata
import qemu


def test_sftest_in_guest(run_guest, storage):
    """user/tests/sftest.c: sendfile's semantics, errors and pinning rule."""
    r = run_guest("sftest", disks=storage.disks, net=qemu.Net(), timeout=180)
    assert "sftest: this line went to the console by sendfile" in r.output
    check_test_program(r, required=[
        "pipe.intact", "console.count",
        "sock.null_off.intact", "sock.off.written_back", "sock64.written_back",
        "sock64.past_4g", "err.offset_fault", "err.offset64_fault", "err.offset_negative",
        "err.in_pipe", "err.out_append", "nonblock.eagain", "nonblock.partial_count",
        "file.intact", "file.one_kernel_copy", "mode.copy.pagecache_to_sockbuf",
        "mode.gather.no_sockbuf_copy", "cold.readahead_windows",
        "pin.cow_copies", "pin.peer_got_original", "pin.file_new_bytes",
        "mmap.shared.copy_from_mapped_pagecache", "mmap.private.copy_from_mapped_pagecache",
        "mmap.private.no_cow", "mmap.shared.faults_counted"])


# ---------------------------------------------------------------------------
# From the host: `sftest serve` sends a file with sendfile to a client on
# 127.0.0.1 (a hostfwd port), then prints the system-wide ledger.

SERVE_RE = re.compile(
    r"sftest: mode (?P<mode>\w+) sent (?P<sent>-?\d+) k2k (?P<k2k>\d+) nic_payload (?P<nic>\d+) "
    r"disk (?P<disk>\d+) retransmits (?P<rtx>\d+) cow (?P<cow>\d+) changed_at (?P<changed_at>-?\d+) "
    r"free_before (?P<free0>\d+) free_after (?P<free1>\d+)")
GUEST_PORT = 8080


def connect(port, deadline=120.0, expect=b""):
    """A connection to the guest through the hostfwd port.  slirp accepts
    at once even while nothing listens in the guest yet, then closes the
    connection: with expect, retry until the guest has sent that line."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=60)
            if not expect or s.makefile("rb").readline() == expect:
                return s
            s.close()
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the guest never answered on the forwarded port {port}")


def read_all(s):
    chunks = []
    while True:
        b = s.recv(1 << 16)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def receive(port, ctl_port=None, deadline=120.0):
    """Read one sendfile from the guest until it closes; retry while the
    guest is not listening yet (nothing comes).  With ctl_port, wait for
    the guest's "ready" there, connect, and read only after "changed"."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        ctl = connect(ctl_port, expect=b"ready\n") if ctl_port else None
        with connect(port) as s:
            if ctl:
                assert ctl.makefile("rb").readline() == b"changed\n"
                ctl.close()
            data = read_all(s)
        if data:
            return data
        time.sleep(0.3)
    pytest.fail("the guest never sent anything on the forwarded port")


def serve(request, storage, file, modes, hog_mib=0, change=False, **kw):
    """Boot `sftest serve`, receive once per mode; returns the guest's
    lines (one dict per mode, in order), the bytes received, the result."""
    port = qemu.free_port()
    ctl_port = next(p for p in iter(qemu.free_port, None) if p != port)
    args = ["serve", str(GUEST_PORT), file, modes, str(hog_mib)] + (["change"] if change else [])
    kw.setdefault("disks", storage.root_only)
    fwd = [(port, GUEST_PORT), (ctl_port, GUEST_PORT + 1)]
    g = qemu.BackgroundBoot(init="/test/sftest", args=args, net=qemu.Net(hostfwd=fwd),
                            timeout=300, **kw)
    data = []
    try:
        for _ in modes.split(","):
            data.append(receive(port, ctl_port if change else None))
    finally:
        r = g.join(timeout=g.timeout + 30)
        save_log(request, r)
    check_boot(r)
    lines = [{k: (v if k == "mode" else int(v)) for k, v in m.groupdict().items()}
             for m in SERVE_RE.finditer(r.output)]
    assert len(lines) == len(modes.split(",")), f"no sftest line per mode\n{r.describe()}"
    return lines, data, r


def sha(b):
    return hashlib.sha256(b).hexdigest()


def test_sendfile_copy_vs_gather_ledger(request, storage):
    """The same cold 1 MiB file, copy then gather: both arrive intact; the
    copy way moves every payload byte once with the CPU (page cache ->
    socket buffer), gather never; the NIC reads the file once either way,
    and the disk reads it once (cold)."""
    size = mkdata.FILES["1m.bin"]
    lines, data, r = serve(request, storage, "/data/1m.bin", "copy,gather")
    for d in data:
        assert len(d) == size and sha(d) == mkdata.expected_sha256("1m.bin")
    info = r.describe()
    for l, want_k2k in zip(lines, (size, 0)):
        mode = l["mode"]
        assert l["sent"] == size, f"{mode}: {l}\n{info}"
        assert l["k2k"] == want_k2k, f"{mode}: CPU kernel->kernel {l['k2k']}, want {want_k2k}\n{info}"
        if l["rtx"] == 0:
            assert l["nic"] == size, f"{mode}: NIC payload DMA {l['nic']}, want {size}\n{info}"
        assert size <= l["disk"] < size + 64 * 1024, f"{mode}: disk DMA {l['disk']}\n{info}"


def test_sendfile_gather_under_loss(request, storage):
    """net.drop_tx=50 drops every 50th data segment before the NIC: the
    gather way resends from the same pinned page-cache pages, and the file
    arrives intact with retransmissions counted and still no CPU copy."""
    size = mkdata.FILES["1m.bin"]
    lines, data, r = serve(request, storage, "/data/1m.bin", "gather", append="net.drop_tx=50")
    assert len(data[0]) == size and sha(data[0]) == mkdata.expected_sha256("1m.bin")
    l, info = lines[0], r.describe()
    assert "every 50-th TCP data segment dropped" in r.output
    assert l["rtx"] > 0, f"no retransmissions counted: {l}\n{info}"
    assert l["k2k"] == 0, f"gather copied {l['k2k']} bytes\n{info}"
    assert l["nic"] >= size, f"NIC payload DMA {l['nic']}: less than the file\n{info}"


def test_sendfile_gather_under_change(request, storage):
    """The file is cut and overwritten while its pages sit in the socket's
    send buffer (the host reads only once the guest says "changed" on a
    second connection, and the guest changes the file when its
    non-blocking sendfile meets a full socket: EAGAIN).  The documented outcome: what
    sendfile queued goes out as it was (copy-on-write of the pinned page-
    cache pages), what it sends afterwards is the file as it now is."""
    lines, data, r = serve(request, storage, "/data/64m.bin", "gather", change=True)
    l, info = lines[0], r.describe()
    at = l["changed_at"]
    assert at > 0, f"the socket never filled: {l}\n{info}"
    assert l["cow"] > 0, f"no page-cache page was copied on write: {l}\n{info}"
    want = mkdata.content("64m.bin")[:at] + b"\x5a" * 100001
    assert len(data[0]) == len(want) == l["sent"], f"got {len(data[0])} bytes, want {len(want)}\n{info}"
    assert sha(data[0]) == sha(want), f"the bytes differ from what was queued\n{info}"
    e2fsck(storage.root)


def test_sendfile_gather_under_memory_pressure(request, storage):
    """64 MiB sent by gather, twice, from a 32 MiB guest while a child keeps
    touching 24 MiB of anonymous memory: the page cache and the hog's
    pages are reclaimed (swap) under the send, which must neither deadlock
    nor corrupt nor leak.  Free pages (page cache dropped) are compared
    around the second send: the first one grows the kernel's own caches
    once (the buffer cache's metadata blocks, ~80 pages), a leak of the
    send buffer's pages would lose up to 64 pages at every send."""
    size = mkdata.FILES["64m.bin"]
    lines, data, r = serve(request, storage, "/data/64m.bin", "gather,gather", hog_mib=24,
                           memory="32M", disks=storage.disks)
    info = r.describe()
    for l, d in zip(lines, data):
        assert len(d) == size and sha(d) == mkdata.expected_sha256("64m.bin")
        assert l["k2k"] == 0, f"gather copied {l['k2k']} bytes\n{info}"
    first, second = lines
    assert abs(second["free1"] - second["free0"]) <= 16, \
        f"free pages {second['free0']} -> {second['free1']} around the second send\n{info}"
    assert second["free1"] >= first["free1"] - 16, \
        f"free pages after each send: {first['free1']}, {second['free1']}\n{info}"
