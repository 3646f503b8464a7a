#!/usr/bin/python3
"""bench_vm.py - `make bench`, virtual-memory figures.

  swap-rate    pages swapped out and in per second on the 4x workload:
               init=/test/memfill -- -x 400 (fill and check 4x the RAM) on a
               32 MiB guest with the root and swap disks; the ledger's
               swap_outs and swap_ins over the time from init's start to
               power-off (host wall clock, so it varies with the host)
  policy       major faults of a looping working set slightly larger than
               RAM (init=/test/wsloop -- 120 4: an array of 1.2x the free
               pages, written once, then read 4 times in order), once with
               vm.policy=clock and once with vm.policy=fifo.  A plain loop
               defeats both policies alike: expect a tie
  policy-hot   the same with a hot set inside the cold loop
               (init=/test/wsloop -- 130 3 20: 1.3x the free pages, the first
               20% hot; each step of a pass over the cold pages also reads
               hot page p % nhot), clock vs FIFO: clock keeps the hot pages
  pfcost       guest instructions for one demand-zero page fault (first
               write to a fresh anonymous page), init=/test/pfcost under
               -icount shift=0,sleep=off, where rdtsc counts instructions;
               loop overhead subtracted.  Goal <= 1800.

Results go to build/bench-vm.json (medians and raw runs), merged into
build/bench.json with the other suites.  Goals are printed, never asserted.

    tools/bench/bench_vm.py [--runs N] [--only swap-rate,policy,policy-hot,pfcost]
"""

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402
from bench import BenchError, clean_boot, merge_all  # noqa: E402

OUT = qemu.BUILD / "bench-vm.json"
MEM = "32M"
TIMEOUT = 300.0
PF_GOAL = 1800

TOTAL_RE = re.compile(r"memfill: total swap_outs (\d+) swap_ins (\d+) faults_minor (\d+) "
                      r"faults_major (\d+)", re.M)
FILLER_RE = re.compile(r"memfill: filler 0 pid \d+ pages (\d+) .* mismatches (\d+)", re.M)
WSLOOP_RE = re.compile(r"wsloop: policy (\w+) pages (\d+) free (\d+) passes (\d+) major_faults (\d+) "
                       r"swap_ins (\d+) swap_outs (\d+) bad (\d+)", re.M)
PFCOST_RE = re.compile(r"pfcost: (\d+) faults, ([0-9.]+) cycles/fault", re.M)


def boot_with_disks(init, args, append="", memory=MEM, icount=False):
    with tempfile.TemporaryDirectory(prefix="zc32-bench-vm-") as tmp:
        return qemu.boot(init=init, args=args, append=append, memory=memory, icount=icount,
                         disks=qemu.storage_disks(tmp), timeout=TIMEOUT)


def bench_swap_rate(runs):
    raw = []
    for _ in range(runs):
        r = boot_with_disks("/test/memfill", ["-x", "400", "-q"])
        clean_boot(r, "swap-rate")
        t, f = TOTAL_RE.search(r.output), FILLER_RE.search(r.output)
        if not t or not f or int(f.group(2)) != 0:
            raise BenchError(f"swap-rate: memfill failed\n{r.describe()}")
        secs = r.duration - (r.init_time or 0)
        outs, ins = int(t.group(1)), int(t.group(2))
        raw.append({"pages": int(f.group(1)), "swap_outs": outs, "swap_ins": ins,
                    "faults_major": int(t.group(4)), "seconds": secs,
                    "swap_outs_per_s": outs / secs, "swap_ins_per_s": ins / secs,
                    "pages_per_s": (outs + ins) / secs})
    med = lambda k: statistics.median(x[k] for x in raw)
    return {"what": "pages swapped out + in per second, memfill -x 400 on -m 32M",
            "unit": "pages/s", "median": med("pages_per_s"),
            "median_swap_outs_per_s": med("swap_outs_per_s"),
            "median_swap_ins_per_s": med("swap_ins_per_s"),
            "median_seconds": med("seconds"), "runs": raw}


POLICY_HOT_ARGS = ["130", "3", "20"]


def bench_policy(runs, args=("120", "4"),
                 what="major faults, wsloop 120% of free pages, 4 read passes, -m 32M"):
    out = {"what": what, "unit": "faults", "wsloop": list(args)}
    for policy in ("clock", "fifo"):
        raw = []
        for _ in range(runs):
            r = boot_with_disks("/test/wsloop", list(args), append=f"vm.policy={policy}")
            clean_boot(r, f"policy {policy}")
            m = WSLOOP_RE.search(r.output)
            if not m or m.group(1) != policy or int(m.group(8)) != 0:
                raise BenchError(f"policy {policy}: bad wsloop output\n{r.describe()}")
            raw.append({"pages": int(m.group(2)), "free_pages": int(m.group(3)),
                        "passes": int(m.group(4)), "major_faults": int(m.group(5)),
                        "swap_ins": int(m.group(6)), "swap_outs": int(m.group(7)),
                        "seconds": r.duration - (r.init_time or 0)})
        out[policy] = {"median_major_faults": statistics.median(x["major_faults"] for x in raw),
                       "runs": raw}
    p = out["clock"]["runs"][0]
    out["page_touches"] = p["pages"] * p["passes"]
    return out


def bench_policy_hot(runs):
    out = bench_policy(runs, POLICY_HOT_ARGS,
                       "major faults, wsloop 130% of free pages with a 20% hot set, 3 read "
                       "passes, -m 32M")
    c, f = out["clock"]["median_major_faults"], out["fifo"]["median_major_faults"]
    out["fifo_over_clock"] = f / c if c else None
    return out


def bench_pfcost(runs):
    raw = []
    for _ in range(runs):
        r = qemu.boot(init="/test/pfcost", args=["2048"], icount=True, timeout=60)
        clean_boot(r, "pfcost")
        m = PFCOST_RE.search(r.output)
        if not m:
            raise BenchError(f"pfcost: no 'pfcost: N faults, X cycles/fault' line\n{r.describe()}")
        raw.append({"faults": int(m.group(1)), "per_fault": float(m.group(2)), "line": m.group(0)})
    median = statistics.median(x["per_fault"] for x in raw)
    return {"what": "demand-zero page fault (icount: guest instructions)", "unit": "instr",
            "median": median, "goal": PF_GOAL, "met": median <= PF_GOAL,
            "qemu": "-icount shift=0,sleep=off", "runs": raw}


BENCHES = {"swap-rate": bench_swap_rate, "policy": bench_policy, "policy-hot": bench_policy_hot,
           "pfcost": bench_pfcost}


def main():
    p = argparse.ArgumentParser(prog="bench_vm.py", description="zc32 VM benchmarks (make bench)")
    p.add_argument("--runs", type=int, default=3, help="runs of the swap-rate benchmark (default 3)")
    p.add_argument("--policy-runs", type=int, default=1,
                   help="runs per policy (fault counts barely vary; default 1)")
    p.add_argument("--only", default=",".join(BENCHES), help="comma-separated subset")
    a = p.parse_args()
    names = [n.strip() for n in a.only.split(",") if n.strip()]
    bad = [n for n in names if n not in BENCHES]
    if bad:
        p.error(f"unknown benchmark(s) {bad}; choose from {list(BENCHES)}")
    results = {"suite": "vm", "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
               "benchmarks": {}, "errors": {}}
    runs = {"swap-rate": a.runs, "policy": a.policy_runs, "policy-hot": a.policy_runs, "pfcost": 1}
    for name in names:
        print(f"bench: {name} ...", flush=True)
        try:
            results["benchmarks"][name] = BENCHES[name](runs[name])
        except BenchError as e:
            results["errors"][name] = str(e)
            print(f"bench: {name} FAILED: {e}", file=sys.stderr)
    qemu.BUILD.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    merge_all()

    b = results["benchmarks"]
    print()
    if "swap-rate" in b:
        s = b["swap-rate"]
        print(f"swap-rate   {s['median']:.0f} pages/s ({s['median_swap_outs_per_s']:.0f} out, "
              f"{s['median_swap_ins_per_s']:.0f} in; {s['median_seconds']:.1f} s)  "
              f"memfill -x 400, -m {MEM}")
    if "policy" in b:
        s = b["policy"]
        print(f"policy      clock {s['clock']['median_major_faults']:.0f}, fifo "
              f"{s['fifo']['median_major_faults']:.0f} major faults for {s['page_touches']} page "
              f"reads  wsloop 120% x 4 passes")
    if "policy-hot" in b:
        s = b["policy-hot"]
        print(f"policy-hot  clock {s['clock']['median_major_faults']:.0f}, fifo "
              f"{s['fifo']['median_major_faults']:.0f} major faults  wsloop "
              f"{' '.join(POLICY_HOT_ARGS)} (20% hot set)")
    if "pfcost" in b:
        s = b["pfcost"]
        print(f"pfcost      {s['median']:.1f} instr  <= {PF_GOAL}  {'ok' if s['met'] else 'MISS'}  "
              f"demand-zero fault under icount")
    print(f"\nbench: wrote {OUT.relative_to(qemu.ROOT)} and build/bench.json")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
