#!/usr/bin/python3
"""run.py - run the host fuzz harnesses (tools/fuzz/fuzz_*.c, built by
`make fuzz-host` into build/fuzz/) for a bounded time each, and read
libFuzzer's figures from its output: executions, coverage (cov: edges,
ft: features), corpus size, and whether it crashed.  A crash leaves the
input in build/fuzz/crashes/; replay it with build/fuzz/fuzz_NAME FILE.

    tools/fuzz/run.py --seconds 60            # what `make fuzz-host` does
    tools/fuzz/run.py --only net --seed 7     # one run, another seed

Used by `make fuzz-host`, tools/test/test_hostfuzz.py (a few seconds
each) and tools/stress.py (minutes each).
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FUZZ = ROOT / "build" / "fuzz"

# name: (harness, seed folder, libFuzzer options)
RUNS = {
    "elf": ("fuzz_elf", "elf", []),
    "ext2": ("fuzz_ext2", "ext2", []),
    "ext2dir": ("fuzz_ext2", "ext2dir", ["-max_len=4096"]),   # directory blocks alone: mutations land on entries
    "net": ("fuzz_net", "net", ["-max_len=2049"]),           # a control byte and a frame of up to NB_RX_SIZE
}

STATUS_RE = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/", re.M)
STAT_RE = re.compile(r"^stat::(\w+):\s+(\d+)", re.M)
CRASH_RE = re.compile(r"fuzz: invariant broken.*|==\d+==ERROR: .*|SUMMARY: .*|runtime error: .*")
ARTIFACT_RE = re.compile(r"Test unit written to (\S+)")


def run(name: str, seconds: float, seed: int = 1, fuzz_dir: Path = FUZZ) -> dict:
    """One bounded run of harness `name` from its seed corpus (in a fresh
    corpus folder, so a run depends only on its seed and its time)."""
    harness, seeds, options = RUNS[name]
    crashes = fuzz_dir / "crashes"
    crashes.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"zc32-fuzz-{name}-") as corpus:
        start = time.monotonic()
        p = subprocess.run([str(fuzz_dir / harness), f"-max_total_time={seconds:g}", f"-seed={seed}",
                            "-print_final_stats=1", "-timeout=10", f"-artifact_prefix={crashes}/{name}-",
                            *options, corpus, str(fuzz_dir / "seeds" / seeds)],
                           capture_output=True, text=True, errors="replace", timeout=seconds + 120)
        took = time.monotonic() - start
    out = p.stdout + p.stderr
    stats = {k: int(v) for k, v in STAT_RE.findall(out)}
    status = STATUS_RE.findall(out)
    last = status[-1] if status else ("0", "0", "0", "0")
    problems = CRASH_RE.findall(out)
    return {"name": name, "harness": harness, "seed": seed, "seconds": round(took, 1),
            "execs": stats.get("number_of_executed_units", int(last[0])),
            "execs_per_sec": stats.get("average_exec_per_sec", 0),
            "cov": int(last[1]), "ft": int(last[2]), "corpus": int(last[3]),
            "crashes": 1 if p.returncode != 0 or problems else 0,
            "problem": "; ".join(problems[:3]) or (f"exit status {p.returncode}" if p.returncode else None),
            "artifact": (ARTIFACT_RE.findall(out) or [None])[0], "returncode": p.returncode, "output": out}


def describe(r: dict) -> str:
    line = (f"{r['harness']} ({r['name']}, seed {r['seed']}): {r['execs']} executions in {r['seconds']} s "
            f"({r['execs_per_sec']}/s), cov {r['cov']}, ft {r['ft']}, corpus {r['corpus']}, {r['crashes']} crashes")
    return line + (f": {r['problem']} (input: {r['artifact']})" if r["crashes"] else "")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--only", default=",".join(RUNS), help="runs, comma-separated: " + " ".join(RUNS))
    a = p.parse_args(argv)
    failed = 0
    for name in a.only.split(","):
        r = run(name, a.seconds, a.seed)
        failed += r["crashes"]
        print(describe(r), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
