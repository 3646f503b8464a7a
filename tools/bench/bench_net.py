#!/usr/bin/python3
"""bench_net.py - `make bench`, network figures.

  http-64m   download throughput of /data/64m.bin from the guest's httpd
             (httpd -m rw: read() + write(), the classic path; the other
             paths are bench_zerocopy.py's) to a client on the host,
             through slirp's hostfwd on 127.0.0.1: one cold download (the
             file comes off the disk first), then WARM downloads from the
             page cache; MB/s (10^6 bytes/s) on the host's clock, from
             sending the request to the last byte, sha256 checked after
             each download (outside the timed part).  Median of the warm
             downloads over RUNS boots.

The goal is Linux 6.1's figure in the same QEMU with the same devices
(about 75 MB/s warm, docs/qemu-notes.md section 7).  One host core
runs the guest, the e1000 model and slirp together, so the guest's CPU time
per byte decides the figure.  Goals are printed, never asserted.

Results go to build/bench-net.json, merged into build/bench.json.

    tools/bench/bench_net.py [--runs N] [--warm N] [--profile]

--profile samples the guest's EIP during the warm downloads through QEMU's
gdbstub (tools/gdb/sample.py) and prints where the guest's CPU time went
(the sampling itself slows the guest down a little).
"""

import argparse
import hashlib
import json
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "gdb"))
import mkdata  # noqa: E402  (tools/mkdata.py: the /data files' sizes and sha256)
from sample import Sampler  # noqa: E402  (tools/gdb/sample.py)
import qemu  # noqa: E402
from bench import BenchError, clean_boot, merge_all  # noqa: E402

OUT = qemu.BUILD / "bench-net.json"
FILE = "64m.bin"
GOAL_MB_S = 75.0
TIMEOUT = 600.0


def download(port, path):
    """GET path over one connection; returns (body bytes, seconds)."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        t0 = time.monotonic()
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: zc32\r\nConnection: close\r\n\r\n".encode())
        buf = bytearray()
        view = memoryview(bytearray(1 << 20))
        want = None                 # header + Content-Length, once the header is in
        while want is None or len(buf) < want:
            n = s.recv_into(view)
            if n == 0:
                break
            buf += view[:n]
            if want is None and b"\r\n\r\n" in buf:
                head = bytes(buf).split(b"\r\n\r\n", 1)[0]
                length = [int(l.split(b":", 1)[1]) for l in head.split(b"\r\n")
                          if l.lower().startswith(b"content-length:")]
                want = len(head) + 4 + length[0] if length else None
        seconds = time.monotonic() - t0
    head, _, body = bytes(buf).partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise BenchError(f"GET {path}: {head[:80]!r}")
    return body, seconds


def check(body, name):
    if len(body) != mkdata.FILES[name] or hashlib.sha256(body).hexdigest() != mkdata.expected_sha256(name):
        raise BenchError(f"GET /data/{name}: {len(body)} bytes, wrong length or sha256")


def bench_http(runs, warm, profile=False):
    raw = []
    for _ in range(runs):
        port = qemu.free_port()
        gdb_port = qemu.free_port() if profile else None
        with tempfile.TemporaryDirectory(prefix="zc32-bench-net-") as tmp:
            g = qemu.BackgroundBoot(init="/bin/httpd", args=["-x", "-m", "rw"], timeout=TIMEOUT,
                                    disks=qemu.storage_disks(tmp, swap=False),
                                    net=qemu.Net(hostfwd=[(port, 80)]), gdb_port=gdb_port)
            sampler = Sampler(gdb_port) if profile else None
            if sampler:
                sampler.start()       # QEMU waits stopped for the debugger until then
            try:
                if not qemu.wait_http(port, g):
                    raise BenchError("httpd never answered")
                run = {"cold_mb_s": None, "warm_mb_s": []}
                for i in range(1 + warm):
                    if sampler:
                        sampler.sampling = i > 0
                    body, seconds = download(port, f"/data/{FILE}")
                    check(body, FILE)
                    rate = len(body) / seconds / 1e6
                    if i == 0:
                        run["cold_mb_s"] = rate
                    else:
                        run["warm_mb_s"].append(rate)
                if sampler:
                    sampler.stop()
                    print(sampler.report())
                    (qemu.BUILD / "bench-net-samples.txt").write_text(
                        "".join(f"{a:#x}\n" for a in sampler.samples))
                    sampler.detach()
                download(port, "/exit")
            finally:
                r = g.join(timeout=TIMEOUT + 30)
            clean_boot(r, "http-64m")
        raw.append(run)
    warm_rates = [x for run in raw for x in run["warm_mb_s"]]
    median = statistics.median(warm_rates)
    return {"what": f"download /data/{FILE} from httpd (read+write) to the host, warm cache",
            "unit": "MB/s", "median": median, "goal": GOAL_MB_S, "met": median >= GOAL_MB_S,
            "median_cold_mb_s": statistics.median(run["cold_mb_s"] for run in raw),
            "qemu": "TCG, e1000 mitigation=off, slirp restrict=on hostfwd 127.0.0.1",
            "clock": "host time.monotonic, request sent to last byte", "runs": raw}


def main():
    p = argparse.ArgumentParser(prog="bench_net.py", description="zc32 network benchmarks (make bench)")
    p.add_argument("--runs", type=int, default=3, help="boots (default 3)")
    p.add_argument("--warm", type=int, default=3, help="warm downloads per boot (default 3)")
    p.add_argument("--profile", action="store_true", help="sample the guest's EIP (tools/gdb/sample.py)")
    a = p.parse_args()
    results = {"suite": "net", "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
               "benchmarks": {}, "errors": {}}
    print("bench: http-64m ...", flush=True)
    try:
        results["benchmarks"]["http-64m"] = bench_http(a.runs, a.warm, a.profile)
    except (BenchError, OSError) as e:
        results["errors"]["http-64m"] = str(e)
        print(f"bench: http-64m FAILED: {e}", file=sys.stderr)
    qemu.BUILD.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    merge_all()
    b = results["benchmarks"].get("http-64m")
    if b:
        print(f"\nhttp-64m    warm {b['median']:.1f} MB/s (goal >= {GOAL_MB_S:.0f}: "
              f"{'ok' if b['met'] else 'MISS'}), cold {b['median_cold_mb_s']:.1f} MB/s  "
              f"httpd read+write, /data/{FILE} to the host")
    print(f"\nbench: wrote {OUT.relative_to(qemu.ROOT)} and build/bench.json")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
