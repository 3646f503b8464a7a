"""test_zerocopy.py - the four ways of sending a file (docs/design.md
section 1, docs/zero-copy.md), measured by zcopy and checked against the design's table.

One boot per file: `zcopy --json` sends it cold, then warm, each way
(read+write, mmap+write, sendfile copy, sendfile gather) to
tools/zc_sink.py on the host (guestfwd), which records the byte count and
sha256 of what arrived.  For every run the test checks the outcome (the
receiver's sha256) and the mechanism, from the sender's ledger:
  - CPU copies of payload: 2x, 1x, 1x, 0x the file, each of the right kind;
  - NIC DMA of payload = the file (plus what TCP retransmitted, if it
    did: netstat's count); disk DMA = the file's blocks cold, 0 warm;
  - system calls: the kernel's count equals the calls zcopy made, and per
    chunk of the file: read+write 2, mmap 1 write (+ mmap, munmap) with the
    faults that mapped the file, sendfile 1 per call;
  - no page faults except on the mmap path.
The files: /data/16m.bin, and /data/odd.bin, whose size is a multiple of
neither the page nor the TCP segment.

test_httpd_four_ways fetches one file from httpd each way and checks
httpd's copies with `stats`.

test_zcopy_svg_* check tools/zcopy_svg.py (make demo's pictures) on a
canned report: well-formed SVG, one arrow per non-zero movement, labelled
with the measured numbers.
"""

import hashlib
import json
import re
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import check_boot, save_log
import mkdata
import qemu
import zcopy_boot
import zcopy_svg

CHUNK = 65536
PAGE = 4096
MSS = 1460
TSO_MAX = 65535 - 40     # the most payload one TSO netbuf carries (kernel/net/tcp_output.c)
PATHS = ("rw", "mmap", "copy", "gather")
COPY_FACTOR = {"rw": 2, "mmap": 1, "copy": 1, "gather": 0}
COPY_KIND = {"rw": ("user_to_kernel", "kernel_to_user"), "mmap": ("user_to_kernel",),
             "copy": ("kernel_to_kernel",), "gather": ()}


def chunks(size):
    return -(-size // CHUNK)


def expected_calls(path, size):
    """(calls that move data, all calls) zcopy makes for one file, from
    docs/design.md section 1; every run also calls shutdown() and one read()
    that returns 0 when the receiver closes."""
    n = chunks(size)
    if path == "rw":
        return 2 * n, 2 * n + 2           # read + write per chunk
    if path == "mmap":
        return n, n + 2 + 2                # write per chunk, plus mmap and munmap
    return n, n + 2                        # one sendfile per chunk


def run_problems(run, name):
    """Every way a run differs from the design, as short strings."""
    size = mkdata.FILES[name]
    path, cache = run["path"], run["cache"]
    bad = []

    def expect(what, got, want):
        if got != want:
            bad.append(f"{what}: {got}, expected {want}")

    if not run["ok"]:
        return [f"zcopy failed: {run.get('error')}"]
    expect("bytes sent", run["sent"], size)
    recv = run.get("receiver", {})
    expect("bytes received", recv.get("bytes"), size)
    expect("sha256 received", recv.get("sha256"), mkdata.expected_sha256(name))
    # CPU copies: the factor, all of the expected kinds.
    expect("CPU copies of payload", run["copies"]["total"], COPY_FACTOR[path] * size)
    for kind in ("user_to_kernel", "kernel_to_user", "kernel_to_kernel"):
        expect(f"copies {kind}", run["copies"][kind], size if kind in COPY_KIND[path] else 0)
    # DMA: the NIC reads the whole file; the disk reads its blocks only cold.
    # A segment sent again is read again: exact unless TCP retransmitted.
    resent = run["tcp"]["retransmits"]
    if resent == 0:
        expect("NIC DMA of payload", run["dma"]["mem_to_nic"], size)
    elif not size < run["dma"]["mem_to_nic"] <= size + resent * MSS:
        bad.append(f"NIC DMA {run['dma']['mem_to_nic']} for {size} bytes and {resent} retransmissions")
    # Cold, the disk reads the file's blocks, plus the few metadata blocks
    # (inode, indirect blocks: one per 1024 data blocks, and 2 more)
    # that zc_drop_caches dropped too, as Linux's drop_caches=3 does.
    disk, blocks = run["dma"]["disk_to_mem"], -(-size // PAGE) * PAGE
    if cache == "warm":
        expect("disk DMA", disk, 0)
    elif not blocks <= disk <= blocks + (size // (1024 * PAGE) + 4) * PAGE:
        bad.append(f"disk DMA: {disk}, expected the file's {blocks} and a few metadata blocks")
    expect("disk writes", run["dma"]["mem_to_disk"], 0)
    # With TCP segmentation offload one header serves up to 64 KiB
    # (test_tso_headers_once_per_64k below).
    if run["headers"]["cpu"] < 40 * (size // TSO_MAX):
        bad.append(f"header bytes {run['headers']['cpu']}: fewer than 40 per 64 KiB")
    # System calls: the kernel counted exactly the calls zcopy made, and
    # those are the design's per chunk.
    data, total = expected_calls(path, size)
    expect("system calls (kernel)", run["syscalls"], run["calls"]["total"])
    expect("calls moving data", run["calls"]["data"], data)
    expect("calls in all", run["calls"]["total"], total)
    faults = run["faults"]["minor"] + run["faults"]["major"]
    if path == "mmap":
        if not 1 <= faults <= chunks(size) * (CHUNK // PAGE):
            bad.append(f"{faults} page faults mapping {size} bytes")
        if cache == "cold" and run["faults"]["major"] == 0:
            bad.append("cold mmap: no major fault")
    else:
        expect("page faults", faults, 0)
    return bad


@pytest.fixture(scope="module")
def zcopy_runs(request, tmp_path_factory):
    """name -> zcopy's report, one boot per file, booted on first use."""
    cache = {}

    def get(name):
        if name not in cache:
            z = zcopy_boot.boot_zcopy(["-p", ",".join(PATHS), f"/data/{name}"],
                                      tmp_path_factory.mktemp(name), timeout=300)
            cache[name] = z
        return cache[name]
    return get


@pytest.mark.parametrize("name", ["16m.bin", "odd.bin"])
def test_zcopy_four_paths(request, zcopy_runs, name):
    z = zcopy_runs(name)
    save_log(request, z.result)
    check_boot(z.result, exit_code=None)
    assert z.error is None, f"{z.error}\n{z.result.describe()}"
    runs = z.report["runs"]
    assert [(r["path"], r["cache"]) for r in runs] == \
        [(p, c) for c in ("cold", "warm") for p in PATHS], "zcopy ran other paths than asked"
    problems = {f"{r['path']} {r['cache']}": run_problems(r, name) for r in runs}
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, "\n".join(f"{k}: {'; '.join(v)}" for k, v in problems.items()) + \
        "\n" + z.result.describe()
    check_boot(z.result, exit_code=0)


def test_tso_headers_once_per_64k(request, tmp_path):
    """The same warm gather send with the e1000's TCP segmentation
    offload (the default) and with e1000.tso=off: both arrive intact;
    without TSO the CPU writes a header (at least 40 bytes) per segment,
    with it at most one per 64 KiB, so at least 10 times fewer bytes."""
    headers = {}
    for tso in ("on", "off"):
        z = zcopy_boot.boot_zcopy(["--warm", "-p", "gather", "/data/1m.bin"], tmp_path / tso,
                                  append=f"e1000.tso={tso}", timeout=300)
        save_log(request, z.result)
        assert z.error is None, f"{z.error}\n{z.result.describe()}"
        run = z.report["runs"][0]
        assert run["ok"] and run["receiver"]["sha256"] == mkdata.expected_sha256("1m.bin"), \
            f"tso={tso}: {run}\n{z.result.describe()}"
        headers[tso] = run["headers"]["cpu"]
    assert headers["off"] >= 40 * ((1 << 20) // MSS), f"tso=off: {headers}"
    assert headers["on"] * 10 <= headers["off"], f"TSO wrote headers per segment: {headers}"


# ---------------------------------------------------------------------------
# make demo's pictures, on a canned report.

CANNED = Path(__file__).resolve().parent / "zcopy-canned.json"


def svg_arrows(svg_text):
    """{label text of each arrow} of one path's picture."""
    root = ET.fromstring(svg_text)
    ns = {"s": "http://www.w3.org/2000/svg"}
    return [g.get("data-move") + " " + " ".join("".join(t.itertext()) for t in g.iter("{http://www.w3.org/2000/svg}text"))
            for g in root.iterfind(".//s:g[@class='arrow']", ns)]


def test_zcopy_svg_pictures(tmp_path):
    report = json.loads(CANNED.read_text())
    index = zcopy_svg.write_all(report, tmp_path)
    html = Path(index).read_text()
    for run in report["runs"]:
        svg = (tmp_path / zcopy_svg.svg_name(run)).read_text()
        ET.fromstring(svg)                                   # well-formed
        arrows = {a.split(" ", 1)[0]: a for a in svg_arrows(svg)}
        moves = zcopy_svg.movements(run)
        # One arrow per movement with a non-zero count, none for the others.
        assert sorted(arrows) == sorted(m.key for m in moves if m.bytes), run["path"]
        for m in moves:
            if m.bytes:
                assert f"{m.bytes:,}" in arrows[m.key], f"{run['path']} {m.key}: {arrows[m.key]}"
        assert zcopy_svg.svg_name(run) in html
    rw_warm = next(r for r in report["runs"] if r["path"] == "rw" and r["cache"] == "warm")
    assert f"{rw_warm['syscalls']:,}" in html, "the table lacks the measured system calls"


def test_zcopy_svg_no_arrow_for_zero(tmp_path):
    """gather's picture has no CPU arrow; a warm run has no disk arrow."""
    report = json.loads(CANNED.read_text())
    gather = next(r for r in report["runs"] if r["path"] == "gather" and r["cache"] == "warm")
    keys = [a.split(" ", 1)[0] for a in svg_arrows(zcopy_svg.path_svg(gather))]
    assert not any(k.startswith("cpu") for k in keys), keys
    assert "disk_to_cache" not in keys and "cache_to_nic" in keys, keys


# ---------------------------------------------------------------------------
# httpd, each way: curl's view (the file intact) and the ledger's (stats).

HTTPD_MODES = ("rw", "mmap", "copy", "gather")
SMALL = 4096        # HTTP requests and response headers: far below one page


def httpd_copies(output):
    """[{kind: bytes}] from each `stats httpd ...` report, in order."""
    reports = output.split("zc32 ledger: pid")[1:]
    kinds = {"to kernel": "u2k", "to user": "k2u", "within kernel": "k2k"}
    return [{kinds[k]: int(v) for k, v in
             re.findall(r"^\s+(?:CPU copies)?\s+(to kernel|to user|within kernel)\s+(\d+) bytes",
                        rep, re.M)} for rep in reports]


def test_httpd_four_ways(request, storage):
    """One boot, httpd run four times under `stats`, once per -m: the same
    file arrives intact each time, and httpd's copies are the path's:
    rw copies the file out of and back into the kernel, mmap only into the
    socket, sendfile copy once inside the kernel, gather not at all."""
    port = qemu.free_port()
    script = "".join(f"stats httpd -x -m {m}\n" for m in HTTPD_MODES) + "exit\n"
    g = qemu.BackgroundBoot(init="/bin/sh", input=script, disks=storage.root_only,
                            net=qemu.Net(hostfwd=[(port, 80)]), timeout=240)
    try:
        for mode in HTTPD_MODES:
            assert qemu.wait_http(port, g), f"httpd -m {mode} never answered"
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/1m.bin", timeout=120) as resp:
                body = resp.read()
            assert hashlib.sha256(body).hexdigest() == mkdata.expected_sha256("1m.bin"), mode
            urllib.request.urlopen(f"http://127.0.0.1:{port}/exit", timeout=30).read()
    finally:
        r = g.join(timeout=300)
        save_log(request, r)
    check_boot(r)
    size = mkdata.FILES["1m.bin"]
    copies = httpd_copies(r.output)
    assert len(copies) == len(HTTPD_MODES), r.describe()
    for mode, c in zip(HTTPD_MODES, copies):
        assert f"(exit status 0)" in r.output
        want = {"rw": (size, size, 0), "mmap": (size, 0, 0), "copy": (0, 0, size), "gather": (0, 0, 0)}[mode]
        for kind, w in zip(("u2k", "k2u", "k2k"), want):
            assert w <= c[kind] <= w + SMALL, f"httpd -m {mode}: {kind} copied {c[kind]} bytes, expected {w}" \
                                              f" (+ requests and headers)\n{r.describe()}"
