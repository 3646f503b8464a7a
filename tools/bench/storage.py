"""storage.py - the storage benchmarks of `make bench`, run by
bench.py; results go to build/bench-storage.json.

  read-seq  sequential read() of /data/64m.bin in 128 KiB calls, timed in
            the guest with clock_gettime (hz=1000, so 1 ms resolution):
            cold (after zc_drop_caches: every byte comes off the disk by
            DMA) and warm (from the page cache), MB/s (10^6 bytes/s), median
            over RUNS boots x 3 reads each, under plain TCG
  read4k    guest instructions for one 4 KiB read() of a cached file,
            under -icount shift=0,sleep=off where rdtsc counts
            instructions (loop overhead subtracted, like nullsys)

Every boot uses a fresh sparse copy of build/rootfs.img, so the image in
build/ is never written.  Goals are printed, never asserted.
"""

import json
import re
import statistics
import tempfile

import qemu  # tools/qemu.py (bench.py puts tools/ on sys.path)

OUT = qemu.BUILD / "bench-storage.json"
TIMEOUT = 180.0
FILE = "/data/64m.bin"
GOALS = {                      # name: (goal, unit, what); goal None: no goal, just the figure
    "read-cold": (None, "MB/s", f"sequential read of {FILE}, cold cache (disk DMA)"),
    "read-warm": (None, "MB/s", f"sequential read of {FILE}, warm cache"),
    "read4k": (1400, "instr", "one 4 KiB read() of a cached file (icount: instructions)"),
}
SEQ_RE = re.compile(r"^readbench: (cold|warm) (\d+) bytes (\d+) ns (\d+) dma$", re.M)
READ4K_RE = re.compile(r"readbench: read4k (\d+) reads, ([0-9.]+) cycles/read")
POWEROFF_RE = re.compile(r"zc32: init exited with status (\d+), powering off", re.M)


class BenchError(Exception):
    pass


def boot_readbench(args, **kw):
    with tempfile.TemporaryDirectory(prefix="zc32-bench-") as tmp:
        disks = qemu.storage_disks(tmp, swap=False)
        r = qemu.boot(init="/test/readbench", args=args, disks=disks, timeout=TIMEOUT, **kw)
    if r.timed_out or r.exit_code != 0 or "zc32 PANIC" in r.output or not POWEROFF_RE.search(r.output):
        raise BenchError(f"readbench {' '.join(args)}: boot failed\n{r.describe()}")
    return r


def bench_read_seq(runs):
    samples = {"cold": [], "warm": []}
    for _ in range(runs):
        r = boot_readbench(["seq", FILE, "3"], append="hz=1000")
        found = SEQ_RE.findall(r.output)
        if len(found) != 6:
            raise BenchError(f"read-seq: expected 6 'readbench: cold|warm ...' lines\n{r.describe()}")
        for kind, nbytes, ns, dma in found:
            nbytes, ns, dma = int(nbytes), int(ns), int(dma)
            if kind == "cold" and dma < nbytes:
                raise BenchError(f"read-seq: a cold read DMAed only {dma} of {nbytes} bytes")
            if kind == "warm" and dma != 0:
                raise BenchError(f"read-seq: a warm read made the disk DMA {dma} bytes")
            samples[kind].append({"bytes": nbytes, "ns": ns, "dma_bytes": dma,
                                  "mb_s": nbytes / ns * 1000 if ns > 0 else None})
    out = {}
    for kind in ("cold", "warm"):
        name = f"read-{kind}"
        goal, unit, what = GOALS[name]
        rates = [s["mb_s"] for s in samples[kind] if s["mb_s"] is not None]
        out[name] = {"what": what, "unit": unit, "median": statistics.median(rates) if rates else None,
                     "goal": goal, "met": None, "clock": "guest clock_gettime, hz=1000 (1 ms)",
                     "qemu": "TCG", "runs": samples[kind]}
    return out


def bench_read4k(runs):
    raw = []
    for _ in range(runs):
        r = boot_readbench(["read4k", "/data/1m.bin", "10"], icount=True)
        m = READ4K_RE.search(r.output)
        if not m:
            raise BenchError(f"read4k: no 'readbench: read4k N reads, X cycles/read' line\n{r.describe()}")
        raw.append({"reads": int(m.group(1)), "per_read": float(m.group(2)), "line": m.group(0)})
    goal, unit, what = GOALS["read4k"]
    median = statistics.median(x["per_read"] for x in raw)
    return {"read4k": {"what": what, "unit": unit, "median": median, "goal": goal,
                       "met": median <= goal, "qemu": "-icount shift=0,sleep=off", "runs": raw}}


BENCHES = {"read-seq": bench_read_seq, "read4k": bench_read4k}


def run(names, runs, header):
    """Run the named storage benchmarks; write OUT; returns the results."""
    results = dict(header, suite="storage", benchmarks={}, errors={})
    for name in names:
        print(f"bench: {name} ...", flush=True)
        try:
            # read4k is exact under icount, but a median of one run says
            # nothing about its spread: at least 3 boots.
            results["benchmarks"].update(BENCHES[name](runs if name == "read-seq" else max(3, runs // 2)))
        except BenchError as e:
            results["errors"][name] = str(e)
            print(f"bench: {name} FAILED: {e}")
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    return results


def report(results):
    print(f"\n{'storage':<13} {'median':>14} {'goal':>14}  {'':4}  what")
    for name, (goal, unit, what) in GOALS.items():
        b = results["benchmarks"].get(name)
        g = f"<= {goal} {unit}" if goal is not None else "-"
        if b is None:
            print(f"{name:<13} {'-':>14} {g:>14}  {'':4}  {what}")
            continue
        v = f"{b['median']:.1f} {unit}" if b["median"] is not None else "-"
        met = "" if b["met"] is None else ("ok" if b["met"] else "MISS")
        print(f"{name:<13} {v:>14} {g:>14}  {met:4}  {what}")
    print(f"bench: wrote {OUT.relative_to(qemu.ROOT)}")
