"""test_zerocopy.py - the four ways of sending a file (issue 9, DESIGN.md
section 1), measured by zcopy and checked against the design's table.

One boot per file: `zcopy --json` sends it cold, then warm, each way
(read+write, mmap+write, sendfile copy, sendfile gather) to
tools/zc_sink.py on the host (guestfwd), which records the byte count and
sha256 of what arrived.  For every run the test checks the outcome (the
receiver's sha256) and the mechanism, from the sender's ledger:
  - CPU copies of payload: 2x, 1x, 1x, 0x the file, each of the right kind;
  - NIC DMA of payload = the file; disk DMA = the file's blocks cold, 0 warm;
  - system calls: the kernel's count equals the calls zcopy made, and per
    chunk of the file: read+write 2, mmap 1 write (+ mmap, munmap) with the
    faults that mapped the file, sendfile 1 per call;
  - no page faults except on the mmap path.
The files: /data/16m.bin, and /data/odd.bin, whose size is a multiple of
neither the page nor the TCP segment.

test_zcopy_svg_* check tools/zcopy_svg.py (make demo's pictures) on a
canned report: well-formed SVG, one arrow per non-zero movement, labelled
with the measured numbers.
"""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import check_boot, save_log
import mkdata
import zcopy_boot
import zcopy_svg

CHUNK = 65536
PAGE = 4096
PATHS = ("rw", "mmap", "copy", "gather")
COPY_FACTOR = {"rw": 2, "mmap": 1, "copy": 1, "gather": 0}
COPY_KIND = {"rw": ("user_to_kernel", "kernel_to_user"), "mmap": ("user_to_kernel",),
             "copy": ("kernel_to_kernel",), "gather": ()}


def chunks(size):
    return -(-size // CHUNK)


def expected_calls(path, size):
    """(calls that move data, all calls) zcopy makes for one file, from
    DESIGN.md section 1; every run also calls shutdown() and one read()
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
    expect("NIC DMA of payload", run["dma"]["mem_to_nic"], size)
    expect("disk DMA", run["dma"]["disk_to_mem"], -(-size // PAGE) * PAGE if cache == "cold" else 0)
    expect("disk writes", run["dma"]["mem_to_disk"], 0)
    if run["headers"]["cpu"] < 40 * (size // 1460):
        bad.append(f"header bytes {run['headers']['cpu']}: fewer than 40 per full segment")
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
