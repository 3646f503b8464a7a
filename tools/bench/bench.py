#!/usr/bin/python3
"""bench.py - `make bench`: zc32's benchmarks, separate from the tests.

Foundation figures:
  boot-kernel  QEMU start -> init running -> power-off, booted with -kernel
               and init=/bin/true; median of N runs
  boot-iso     the same through GRUB and the ISO (/bin/init -> /bin/sh,
               which is sent `exit` on the serial console)
  nullsys      cost of a null system call, booted with
               -icount shift=0,sleep=off (rdtsc counts guest instructions),
               init=/test/nullsys, which prints
               `nullsys: N calls, X cycles/call` (loop overhead subtracted)

Storage figures (tools/bench/storage.py, build/bench-storage.json):
  read-seq     sequential read of /data/64m.bin, cold and warm cache, MB/s
  read4k       instructions for one 4 KiB read() of a cached file (icount)

Results go to build/bench-foundation.json (medians and raw runs), and all
build/bench-*.json files are merged into build/bench.json.  Goals are
printed beside the figures; missing one is not an error (timings are never
asserted), but a run that fails to boot is, and makes the exit status 1.

    tools/bench/bench.py [--runs N] [--only boot-kernel,boot-iso,nullsys,read-seq,read4k]
"""

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import qemu  # noqa: E402  (tools/qemu.py)
import storage  # noqa: E402  (tools/bench/storage.py)

OUT = qemu.BUILD / "bench-foundation.json"
COMBINED = qemu.BUILD / "bench.json"
TIMEOUT = 60.0

GOALS = {                      # name: (goal, unit, what)
    "boot-kernel": (0.25, "s", "boot -kernel, start to power-off"),
    "boot-iso": (0.8, "s", "boot ISO (GRUB), start to power-off"),
    "nullsys": (150, "instr", "null system call (icount: instructions)"),
}
POWEROFF_RE = re.compile(r"zc32: init exited with status (\d+), powering off", re.M)
NULLSYS_RE = re.compile(r"nullsys:\s*(\d+)\s+calls,\s*([0-9.]+)\s+cycles/call")


class BenchError(Exception):
    pass


def clean_boot(r, what, code=0):
    if r.timed_out or r.exit_code != code or "zc32 PANIC" in r.output or not POWEROFF_RE.search(r.output):
        raise BenchError(f"{what}: boot failed\n{r.describe()}")


def bench_boot_kernel(runs):
    raw = []
    for _ in range(runs):
        r = qemu.boot(init="/bin/true", timeout=TIMEOUT)
        clean_boot(r, "boot-kernel")
        raw.append(times(r))
    return summarize(raw, "boot-kernel")


def bench_boot_iso(runs):
    raw = []
    for _ in range(runs):
        # /bin/init runs /bin/sh; `exit` typed once init has started ends it.
        r = qemu.boot("iso", input="exit\n", timeout=TIMEOUT, step_timeout=30)
        clean_boot(r, "boot-iso")
        raw.append(times(r))
    return summarize(raw, "boot-iso")


def times(r):
    """Seconds from QEMU's start to: the first serial byte (GRUB's on the
    ISO), the kernel's banner, init's start, QEMU's exit."""
    return {"total_s": r.duration, "init_s": r.init_time, "banner_s": r.banner_time,
            "first_byte_s": r.first_byte_time}


def summarize(raw, name):
    med = lambda key: statistics.median(x[key] for x in raw if x[key] is not None) \
        if any(x[key] is not None for x in raw) else None
    goal, unit, what = GOALS[name]
    total = med("total_s")
    return {"what": what, "unit": unit, "median": total, "goal": goal,
            "met": total is not None and total <= goal,
            "median_init_s": med("init_s"), "median_banner_s": med("banner_s"),
            "median_first_byte_s": med("first_byte_s"),
            "runs": raw}


def bench_nullsys(runs):
    raw = []
    for _ in range(runs):
        r = qemu.boot(init="/test/nullsys", icount=True, timeout=TIMEOUT)
        clean_boot(r, "nullsys")
        m = NULLSYS_RE.search(r.output)
        if not m:
            raise BenchError(f"nullsys: no 'nullsys: N calls, X cycles/call' line\n{r.describe()}")
        raw.append({"calls": int(m.group(1)), "per_call": float(m.group(2)),
                    "line": m.group(0), "total_s": r.duration})
    goal, unit, what = GOALS["nullsys"]
    median = statistics.median(x["per_call"] for x in raw)
    return {"what": what, "unit": unit, "median": median, "goal": goal, "met": median <= goal,
            "qemu": "-icount shift=0,sleep=off", "runs": raw}


BENCHES = {"boot-kernel": bench_boot_kernel, "boot-iso": bench_boot_iso, "nullsys": bench_nullsys}


def merge_all():
    """build/bench.json: every build/bench-SUITE.json under its SUITE name."""
    combined = {}
    for f in sorted(qemu.BUILD.glob("bench-*.json")):
        try:
            combined[f.stem[len("bench-"):]] = json.loads(f.read_text())
        except (OSError, ValueError) as e:
            combined[f.stem[len("bench-"):]] = {"error": f"unreadable: {e}"}
    COMBINED.write_text(json.dumps(combined, indent=2) + "\n")


def fmt(v, unit):
    if v is None:
        return "-"
    return f"{v:.3f} s" if unit == "s" else f"{v:.1f} {unit}"


def main():
    p = argparse.ArgumentParser(prog="bench.py", description="zc32 benchmarks (make bench)")
    p.add_argument("--runs", type=int, default=5, help="runs per boot benchmark (default 5)")
    p.add_argument("--nullsys-runs", type=int, default=3,
                   help="runs of nullsys (deterministic under icount; default 3)")
    p.add_argument("--storage-runs", type=int, default=3,
                   help="boots of read-seq, 3 reads each (default 3)")
    p.add_argument("--only", default=",".join(list(BENCHES) + list(storage.BENCHES)),
                   help="comma-separated subset")
    a = p.parse_args()
    names = [n.strip() for n in a.only.split(",") if n.strip()]
    bad = [n for n in names if n not in BENCHES and n not in storage.BENCHES]
    if bad:
        p.error(f"unknown benchmark(s) {bad}; choose from {list(BENCHES) + list(storage.BENCHES)}")
    storage_names = [n for n in names if n in storage.BENCHES]
    names = [n for n in names if n in BENCHES]

    qemu_version = subprocess.run([qemu.QEMU, "--version"], capture_output=True,
                                  text=True).stdout.splitlines()[0:1]
    results = {"suite": "foundation",
               "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
               "host": platform.node(), "python": platform.python_version(),
               "qemu": qemu_version[0] if qemu_version else None,
               "benchmarks": {}, "errors": {}}
    for name in names:
        print(f"bench: {name} ...", flush=True)
        try:
            runs = a.nullsys_runs if name == "nullsys" else a.runs
            results["benchmarks"][name] = BENCHES[name](runs)
        except BenchError as e:
            results["errors"][name] = str(e)
            print(f"bench: {name} FAILED: {e}", file=sys.stderr)

    qemu.BUILD.mkdir(exist_ok=True)
    if names:
        OUT.write_text(json.dumps(results, indent=2) + "\n")
    header = {k: results[k] for k in ("date", "host", "python", "qemu")}
    storage_results = storage.run(storage_names, a.storage_runs, header) if storage_names else None
    merge_all()

    if names:
        print()
        print(f"{'benchmark':<13} {'median':>14} {'goal':>14}  {'':4} {'banner at':>9} {'init at':>9}  what")
    for name in names:
        b = results["benchmarks"].get(name)
        goal, unit, what = GOALS[name]
        if b is None:
            print(f"{name:<13} {'FAILED':>14} {'<= ' + fmt(goal, unit):>14}  {'':4} {'':>9} {'':>9}  {what}")
            continue
        at = lambda k: fmt(b[k], "s") if b.get(k) is not None else ""
        print(f"{name:<13} {fmt(b['median'], unit):>14} {'<= ' + fmt(goal, unit):>14}  "
              f"{'ok' if b['met'] else 'MISS':4} {at('median_banner_s'):>9} {at('median_init_s'):>9}  {what}")
    if names:
        print(f"\nbench: wrote {OUT.relative_to(qemu.ROOT)} and {COMBINED.relative_to(qemu.ROOT)}")
    if storage_results:
        storage.report(storage_results)
    return 1 if results["errors"] or (storage_results and storage_results["errors"]) else 0


if __name__ == "__main__":
    sys.exit(main())
