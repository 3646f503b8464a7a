#!/usr/bin/python3
"""bench_zerocopy.py - `make bench`, the four ways to send a file (docs/zero-copy.md).

  zc-64m     /data/64m.bin sent to tools/zc_sink.py on the host (guestfwd),
             warm cache, each path (read+write, mmap+write, sendfile copy,
             sendfile gather), by `zcopy --warm --json`, one boot per run:
               MB/s on the host's clock: the sink's, from the first byte to
               the end of the stream (the guest's clock counts timer ticks,
               and a busy TCG guest loses some: zcopy's own MB/s reads high);
               guest cycles per payload byte (busy: elapsed - idle; under TCG
               rdtsc follows host time, so these are host-time cycles);
             medians over RUNS boots; each run also boots once with
             e1000.tso=off (no TCP segmentation offload), for comparison.
  zc-icount  the same once under -icount shift=0,sleep=off, where rdtsc
             counts guest instructions: the exact instructions per 64 KiB
             sent on each path (busy cycles / (size / 65536)), with TSO
             and without.

The goals, in the same run: gather's cycles per byte at most a
third of read+write's, and gather's MB/s at least 1.3x read+write's.  One
host core runs the guest, the e1000 model and slirp together; printed,
never asserted.  Each run's receiver sha256 is checked.

Results go to build/bench-zerocopy.json, merged into build/bench.json.

    tools/bench/bench_zerocopy.py [--runs N] [--no-icount]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import mkdata  # noqa: E402
import qemu  # noqa: E402
import zcopy_boot  # noqa: E402
from bench import BenchError, merge_all  # noqa: E402

OUT = qemu.BUILD / "bench-zerocopy.json"
FILE = "64m.bin"
PATHS = ("rw", "mmap", "copy", "gather")
CHUNK = 65536
GOAL_CYCLES_RATIO = 1 / 3      # gather cycles/byte <= this x rw's
GOAL_SPEEDUP = 1.3             # gather MB/s >= this x rw's
TIMEOUT = 900.0


TSO_OFF = "e1000.tso=off"


def one_boot(icount, append=""):
    """zcopy --warm on every path in one boot: {path: run}."""
    with tempfile.TemporaryDirectory(prefix="zc32-bench-zc-") as tmp:
        z = zcopy_boot.boot_zcopy(["--warm", "-b", str(CHUNK), f"/data/{FILE}"], tmp, append=append,
                                  icount=icount, timeout=TIMEOUT)
    if z.error:
        raise BenchError(f"zcopy: {z.error}\n{z.result.describe()}")
    runs = {}
    for run in z.report["runs"]:
        recv = run.get("receiver", {})
        if not run["ok"] or recv.get("sha256") != mkdata.expected_sha256(FILE):
            raise BenchError(f"{run['path']}: failed or wrong sha256 at the receiver: {run.get('error')} {recv}")
        runs[run["path"]] = run
    return runs


def figures(run):
    size = run["sent"]
    host_mb_s = size / run["receiver"]["seconds"] / 1e6 if run["receiver"]["seconds"] else None
    return {"mb_s": host_mb_s, "guest_clock_mb_s": run["mb_s"], "cycles_per_byte": run["cycles_per_byte"],
            "busy_cycles": run["cycles"]["busy"], "syscalls": run["syscalls"],
            # Below 1, the guest sat idle waiting for ACKs: the host side (slirp, the sink) set the pace.
            "busy_fraction": run["cycles"]["busy"] / run["cycles"]["elapsed"],
            "copies_per_byte": run["copies_per_byte"], "retransmits": run["tcp"]["retransmits"]}


def bench_tcg(boots):
    raw, raw_off = [], []
    for _ in range(boots):
        raw.append({p: figures(r) for p, r in one_boot(False).items()})
        raw_off.append({p: figures(r) for p, r in one_boot(False, TSO_OFF).items()})
    med = lambda p, k: statistics.median(b[p][k] for b in raw)
    paths = {p: {"mb_s": med(p, "mb_s"), "cycles_per_byte": med(p, "cycles_per_byte"),
                 "busy_fraction": med(p, "busy_fraction"),
                 "copies_per_byte": raw[0][p]["copies_per_byte"]} for p in PATHS}
    # Ratios per boot (the same host load), then their median.
    speedup = statistics.median(b["gather"]["mb_s"] / b["rw"]["mb_s"] for b in raw)
    cycles = statistics.median(b["gather"]["cycles_per_byte"] / b["rw"]["cycles_per_byte"] for b in raw)
    return {"what": f"/data/{FILE} to the host, warm cache, {CHUNK}-byte calls, median of {boots} boots",
            "qemu": "TCG, e1000 mitigation=off, slirp restrict=on guestfwd to tools/zc_sink.py",
            "paths": paths,
            "gather_vs_rw_mb_s": speedup, "goal_speedup": GOAL_SPEEDUP, "speedup_met": speedup >= GOAL_SPEEDUP,
            "gather_vs_rw_cycles": cycles, "goal_cycles_ratio": GOAL_CYCLES_RATIO,
            "cycles_met": cycles <= GOAL_CYCLES_RATIO, "runs": raw,
            "tso_off": {p: {"mb_s": statistics.median(b[p]["mb_s"] for b in raw_off),
                            "cycles_per_byte": statistics.median(b[p]["cycles_per_byte"] for b in raw_off)}
                        for p in PATHS},
            "runs_tso_off": raw_off}


def bench_icount():
    runs, off = one_boot(True), one_boot(True, TSO_OFF)
    per = {p: runs[p]["cycles"]["busy"] / (runs[p]["sent"] / CHUNK) for p in PATHS}
    per_off = {p: off[p]["cycles"]["busy"] / (off[p]["sent"] / CHUNK) for p in PATHS}
    return {"what": f"guest instructions per {CHUNK} bytes sent, /data/{FILE} warm "
                    "(-icount shift=0,sleep=off: busy cycles = instructions)",
            "instructions_per_64k": per, "gather_vs_rw": per["gather"] / per["rw"],
            "instructions_per_64k_tso_off": per_off,
            "runs": {p: figures(r) for p, r in runs.items()}}


def main():
    p = argparse.ArgumentParser(prog="bench_zerocopy.py", description="zc32 zero-copy benchmarks (make bench)")
    p.add_argument("--runs", type=int, default=3, help="boots (default 3)")
    p.add_argument("--no-icount", action="store_true", help="skip the -icount boot")
    a = p.parse_args()
    results = {"suite": "zerocopy", "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "benchmarks": {}, "errors": {}}
    todo = [("zc-64m", lambda: bench_tcg(a.runs))] + ([] if a.no_icount else [("zc-icount", bench_icount)])
    for name, fn in todo:
        print(f"bench: {name} ...", flush=True)
        try:
            results["benchmarks"][name] = fn()
        except (BenchError, OSError) as e:
            results["errors"][name] = str(e)
            print(f"bench: {name} FAILED: {e}", file=sys.stderr)
    qemu.BUILD.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    merge_all()
    b, ic = results["benchmarks"].get("zc-64m"), results["benchmarks"].get("zc-icount")
    print(f"\n{'path':<8} {'MB/s':>8} {'cycles/B':>9} {'busy':>6} {'copies/B':>9} {'instr/64KiB':>12}"
          f" | without TSO: {'MB/s':>6} {'cycles/B':>9} {'instr/64KiB':>12}")
    for path in PATHS:
        row = b["paths"][path] if b else {}
        off = b["tso_off"][path] if b else {}
        instr = ic["instructions_per_64k"][path] if ic else None
        instr_off = ic["instructions_per_64k_tso_off"][path] if ic else None
        print(f"{path:<8} {row.get('mb_s', 0):8.1f} {row.get('cycles_per_byte', 0):9.2f} "
              f"{row.get('busy_fraction', 0):6.2f} "
              f"{row.get('copies_per_byte', 0):9.3f} {instr or 0:12.0f}"
              f" |              {off.get('mb_s', 0):6.1f} {off.get('cycles_per_byte', 0):9.2f} {instr_off or 0:12.0f}")
    if b:
        print(f"\ngather vs rw: {b['gather_vs_rw_mb_s']:.2f}x MB/s (goal >= {GOAL_SPEEDUP}: "
              f"{'ok' if b['speedup_met'] else 'MISS'}), {b['gather_vs_rw_cycles']:.2f}x cycles/byte "
              f"(goal <= {GOAL_CYCLES_RATIO:.2f}: {'ok' if b['cycles_met'] else 'MISS'})")
    if ic:
        print(f"gather vs rw, instructions per 64 KiB under icount: {ic['gather_vs_rw']:.2f}x")
    print(f"\nbench: wrote {OUT.relative_to(qemu.ROOT)} and build/bench.json")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
