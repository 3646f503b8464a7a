#!/usr/bin/python3
"""bench_wait.py - `make bench`, waiting for many connections (docs/waiting.md).

  wait-scaling  waitbench (user/bin/waitbench.c) booted once under
                -icount shift=0,sleep=off, so rdtsc counts guest
                instructions: for N = 1 .. 240 idle loopback connections
                and one busy one, per wait with select, poll and epoll,
                the descriptors the kernel examined (the ledger's wait
                counters) and the instructions (median of WAITS waits).

The goal, printed and never asserted: at the largest N, epoll examines at
most 2 descriptors per wait and costs at most a fifth of poll's
instructions.  Results go to build/bench-wait.json (merged into
build/bench.json) and the figure to build/wait-scaling.svg (tools/wait_svg.py).

    tools/bench/bench_wait.py [--waits N] [--ns 1,16,64,128,240]
"""

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402
import wait_svg  # noqa: E402
from bench import BenchError, merge_all  # noqa: E402

OUT = qemu.BUILD / "bench-wait.json"
SVG = qemu.BUILD / "wait-scaling.svg"
TIMEOUT = 600.0
JSON_RE = re.compile(r"^waitbench-json: (.*)$", re.M)


def run(waits, ns):
    args = ["--json", "-n", ns, "-i", str(waits)]
    r = qemu.boot(init="/bin/waitbench", args=args, icount=True, net=qemu.Net(), timeout=TIMEOUT)
    m = JSON_RE.search(r.output)
    if r.timed_out or r.exit_code != 0 or "zc32 PANIC" in r.output or not m:
        raise BenchError(f"waitbench: boot failed\n{r.describe()}")
    report = json.loads(m.group(1))
    report["qemu"] = "-icount shift=0,sleep=off"
    report["command"] = "waitbench " + " ".join(args)
    return report


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--waits", type=int, default=200)
    p.add_argument("--ns", default="1,16,64,128,240")
    a = p.parse_args()
    try:
        report = run(a.waits, a.ns)
    except BenchError as e:
        print(e)
        return 1
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    SVG.write_text(wait_svg.wait_svg(report["rows"]))
    merge_all()
    print(f"{'mech':8} {'N':>5} {'fds/wait':>9} {'instr/wait':>11}")
    for row in report["rows"]:
        print(f"{row['mech']:8} {row['n']:5} {row['fds_per_wait']:9.2f} {row['cycles_per_wait']:11}")
    top = max(row["n"] for row in report["rows"])
    at = {row["mech"]: row for row in report["rows"] if row["n"] == top}
    if "epoll" in at and "poll" in at:
        ok = at["epoll"]["fds_per_wait"] <= 2 and at["epoll"]["cycles_per_wait"] * 5 <= at["poll"]["cycles_per_wait"]
        print(f"goal at N={top}: epoll <= 2 fds/wait and <= 1/5 of poll's instructions: "
              f"{'met' if ok else 'missed'}")
    print(f"wrote {OUT} and {SVG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
