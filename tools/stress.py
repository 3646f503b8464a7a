#!/usr/bin/python3
"""stress.py - `make stress`: the long versions of the hardening runs,
a table of what was tried and what survived, and JSON in
build/stress.json.  docs/hardening.md explains each row.

    make stress                      # everything
    tools/stress.py --only fuzz,elf  # some rows: fuzz exceptions elf ext2 frames exhaust faultkill hostfuzz
    tools/stress.py --seed 5         # other seeds (each row prints the one it used)
    tools/stress.py --only hostfuzz --hostfuzz-seconds 600

Rows:
  fuzz        user/tests/fuzz.c: >= 10^6 random system calls in many processes
  exceptions  user/tests/hostile.c: every exception kind, many rounds; fork bomb; SIGKILL
  elf         mutated ELF files, each executed several times (tools/mutate.py)
  ext2        mutated ext2 images as the root disk
  frames      mutated frames while httpd serves, then a download
  exhaust     RAM and swap full while httpd serves and files are written,
              at several RAM and swap sizes (128 MiB RAM + 320 MiB swap too),
              the hog growing by brk, by anonymous mmap and by file mappings
  faultkill   SIGKILL for processes paging, at random moments, many rounds
  hostfuzz    the kernel's ELF, ext2 and header parsers under libFuzzer on
              the host (tools/fuzz/), HOSTFUZZ_SECONDS each
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS / "test"))

import qemu     # noqa: E402
import mutate   # noqa: E402
sys.path.insert(0, str(TOOLS / "fuzz"))
import run as fuzz_run   # noqa: E402

HOSTFUZZ_SECONDS = 120

PANIC = "zc32 PANIC"


def make_swap(path: Path, mb: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(mb << 20)
    subprocess.run(["mkswap", str(path)], check=True, capture_output=True)
    return path


def e2fsck_clean(img: Path) -> bool:
    return mutate.e2fsck_clean(img)


def end_httpd(port: int, guest, deadline: float) -> None:
    """Ask httpd -x to exit (GET /exit) until it answers or the guest is
    gone: it may be slow to answer while memory is full."""
    import test_net as tn
    while guest.alive() and time.monotonic() < deadline:
        try:
            tn.http_get(port, "/exit", timeout=30)
            return
        except OSError:
            time.sleep(1)


def run_exhaustion(memory: str, swap_mb: int, workdir: Path, files: int = 24, timeout: float = 600,
                   hog: str = "brk") -> dict:
    """user/tests/exhaust.c as init with `memory` of RAM and a swap disk
    of swap_mb MiB, its hog growing by `hog` (brk, mmap: anonymous
    private mappings, file: private mappings of a file, written; see
    user/tests/hog.h): the host downloads /data/1m.bin (checked) until
    the hog has died, then ends httpd.  What happened, e2fsck's verdict,
    and the boot's result."""
    import test_net as tn
    workdir.mkdir(parents=True, exist_ok=True)
    disks = qemu.storage_disks(workdir, swap=False) + [qemu.Disk(make_swap(workdir / "swap.img", swap_mb))]
    port = qemu.free_port()
    start = time.monotonic()
    g = qemu.BackgroundBoot(init="/test/exhaust", args=[str(files), hog], disks=disks, memory=memory,
                            net=qemu.Net(hostfwd=[(port, 80)]), timeout=timeout)
    downloads, error = 0, None
    try:
        if not qemu.wait_http(port, g, 60.0):
            raise AssertionError("httpd never answered")
        while g.alive() and time.monotonic() - start < timeout - 60:
            tn.check_file(port, "1m.bin")
            downloads += 1
            try:
                if tn.http_get(port, "/data/hog.done", timeout=60)[0] == 200:
                    break
            except OSError:
                pass                                 # 404 until the hog has died
        tn.http_get(port, "/exit", timeout=60)
    except (OSError, AssertionError) as e:
        error = f"{type(e).__name__}: {e}"
        # The run has failed, but the guest's own checks (the hog killed,
        # files intact, memory back) still say what happened: end httpd,
        # which exhaust waits for, rather than the boot at its timeout.
        end_httpd(port, g, start + timeout - 30)
    r = g.join(timeout=timeout + 30)
    ended = re.search(r"exhaust: hog pid \d+ ended after (\d+) s: status (0x[0-9a-f]+|-1)", r.output)
    pages = re.search(r"exhaust: pages free\+heap\+cache (\d+) before, (\d+) after", r.output)
    writer = re.search(r"exhaust: writer: (\d+) files written, (\d+) errors \(first errno (\d+)\)", r.output)
    fsck_clean = e2fsck_clean(disks[0].path)
    return {"memory": memory, "swap_mb": swap_mb, "hog": hog, "result": r, "downloads": downloads, "error": error,
            "hog_secs": int(ended[1]) if ended else None, "seconds": round(time.monotonic() - start, 1),
            "pages_before": int(pages[1]) if pages else None, "pages_after": int(pages[2]) if pages else None,
            "files_written": int(writer[1]) if writer else None, "write_errors": int(writer[2]) if writer else None,
            "fsck_clean": fsck_clean,
            "ok": error is None and PANIC not in r.output and r.exit_code == 0 and fsck_clean}


# ---------------------------------------------------------------------------
# The rows.

FUZZ_RE = re.compile(r"fuzz: seed (\d+): (\d+) calls in (\d+) processes: (\d+) exited, (\d+) killed by a signal, "
                     r"(\d+) hung and killed; pages free\+heap\+cache (\d+) before, (\d+) after")
HOSTILE_RE = re.compile(r"hostile: (\d+) exceptions tried \((\d+) kinds\), fork bomb: (\d+) processes, fork "
                        r"refused with errno (\d+); (\d+) blocked processes killed; pages (\d+) before, (\d+) after")
EXECFUZZ_RE = re.compile(r"execfuzz: (\d+) runs of (\d+) files: (\d+) refused \((\d+) with ENOEXEC\), (\d+) exited, "
                         r"(\d+) killed by a signal, (\d+) ran on")


def boot_ok(r) -> bool:
    return PANIC not in r.output and not r.timed_out and r.exit_code == 0


def row_fuzz(seed, work):
    """A run of 1024 processes, 32 at a time, 5000 calls each, at 128 MiB
    (over 10^6 calls in that one run: the first row must reach it), a
    second with another seed, and one of 256 at 32 MiB, so that the pager
    walks every frame the workers left behind."""
    rows = []
    runs = [("128M", 1024, 32, 5000, 10**6), ("128M", 1024, 32, 4000, 0), ("32M", 256, 16, 4000, 0)]
    for i, (memory, procs, workers, calls, at_least) in enumerate(runs):
        t = time.monotonic()
        disks = qemu.storage_disks(work / f"fuzz{i}")
        r = qemu.boot("kernel", init="/test/fuzz", args=["-s", str(seed + i), "-p", str(procs), "-w", str(workers),
                                                          "-n", str(calls)], disks=disks, memory=memory, timeout=1800)
        m = FUZZ_RE.search(r.output)
        made = int(m[2]) if m else 0
        rows.append({"seed": seed + i, "memory": memory, "calls": made, "processes": procs,
                     "signalled": int(m[5]) if m else None, "hung_killed": int(m[6]) if m else None,
                     "pages_before": int(m[7]) if m else None, "pages_after": int(m[8]) if m else None,
                     "fsck_clean": e2fsck_clean(disks[0].path), "seconds": round(time.monotonic() - t, 1),
                     "ok": boot_ok(r) and "not ok" not in r.output and made >= at_least})
    return rows


def row_exceptions(seed, work):
    t = time.monotonic()
    r = qemu.boot("kernel", init="/test/hostile", args=["-r", "20"], disks=qemu.storage_disks(work / "hostile"),
                  timeout=900)
    m = HOSTILE_RE.search(r.output)
    return [{"tried": int(m[1]) if m else 0, "kinds": int(m[2]) if m else 0, "fork_bomb": int(m[3]) if m else 0,
             "blocked_killed": int(m[5]) if m else 0, "pages_before": int(m[6]) if m else None,
             "pages_after": int(m[7]) if m else None, "seconds": round(time.monotonic() - t, 1),
             "ok": boot_ok(r) and "not ok" not in r.output}]


def row_elf(seed, work):
    t = time.monotonic()
    d = mutate.run_elf_fuzz(300, seed, work / "elf", rounds=4, timeout=1200)
    r = d["result"]
    m = EXECFUZZ_RE.search(r.output)
    return [{"seed": seed, "mutants": d["mutants"], "runs": int(m[1]) if m else 0, "refused": int(m[3]) if m else 0,
             "exited": int(m[5]) if m else 0, "signalled": int(m[6]) if m else 0, "ran_on": int(m[7]) if m else 0,
             "fsck_clean": e2fsck_clean(d["image"]), "seconds": round(time.monotonic() - t, 1),
             "ok": boot_ok(r) and "not ok" not in r.output}]


def row_ext2(seed, work):
    t = time.monotonic()
    d = mutate.run_ext2_fuzz(60, seed, work / "ext2")
    for f in d["failures"]:
        print(f, file=sys.stderr)
    return [{"seed": seed, "images": d["images"], "mounted": d["mounted"], "refused": d["refused"],
             "init_unreadable": d["init_unreadable"], "clean_before": d["clean_before"],
             "clean_after": d["clean_after"], "seconds": round(time.monotonic() - t, 1),
             "failures": len(d["failures"]), "ok": not d["failures"]}]


def row_frames(seed, work):
    rows = []
    for i in range(4):
        t = time.monotonic()
        d = mutate.run_frame_fuzz(20000, seed + i, work / f"frames{i}", timeout=600)
        rows.append({"seed": seed + i, "frames": d["frames"], "bytes_downloaded": d["bytes_downloaded"],
                     "error": d["error"], "seconds": round(time.monotonic() - t, 1),
                     "ok": d["error"] is None and boot_ok(d["result"])})
    return rows


EXHAUST_SIZES = [("32M", 32), ("64M", 64), ("64M", 128), ("128M", 128), ("128M", 320)]


def row_exhaust(seed, work):
    """The hog at every size growing its heap (brk) and growing by
    anonymous mappings (mmap); growing by private mappings of a file
    (file) at the smallest, a middle and the largest size."""
    runs = [("brk", size) for size in EXHAUST_SIZES] + [("mmap", size) for size in EXHAUST_SIZES] + \
        [("file", size) for size in (EXHAUST_SIZES[0], EXHAUST_SIZES[2], EXHAUST_SIZES[4])]
    rows = []
    for hog, (memory, swap) in runs:
        d = run_exhaustion(memory, swap, work / f"exhaust-{hog}-{memory}-{swap}", timeout=900, hog=hog)
        d.pop("result")
        rows.append(d)
    return rows


FAULTKILL_RE = re.compile(r"faultkill: (\d+) rounds \(seed \d+\): slowest reap (\d+) ms; (\d+) killed asleep in "
                          r"the kernel; after the signal at most (\d+) bytes copied, (\d+) faults, \d+ pages "
                          r"evicted; victims: (\d+) major faults")


def row_faultkill(seed, work):
    """user/tests/faultkill.c, 150 rounds at 32 MiB of RAM and 64 MiB of
    swap: victims paging (in faults, in read() and write() copies)
    SIGKILLed at moments drawn from the seed."""
    t = time.monotonic()
    work.mkdir(parents=True, exist_ok=True)
    disks = qemu.storage_disks(work, swap=False) + [qemu.Disk(make_swap(work / "swap.img", 64))]
    r = qemu.boot("kernel", init="/test/faultkill", args=["-r", "150", "-s", str(seed)], disks=disks,
                  memory="32M", timeout=600)
    m = FAULTKILL_RE.search(r.output)
    fsck_clean = e2fsck_clean(disks[0].path)
    return [{"seed": seed, "rounds": int(m[1]) if m else 0, "slowest_ms": int(m[2]) if m else None,
             "asleep": int(m[3]) if m else None, "bytes_after": int(m[4]) if m else None,
             "faults_after": int(m[5]) if m else None, "major_faults": int(m[6]) if m else None,
             "fsck_clean": fsck_clean, "seconds": round(time.monotonic() - t, 1),
             "ok": boot_ok(r) and "not ok" not in r.output and m is not None and fsck_clean}]


def row_hostfuzz(seed, work):
    """Each host harness (tools/fuzz/run.py) for HOSTFUZZ_SECONDS from its
    seeds: executions, coverage, crashes (the input is kept in
    build/fuzz/crashes/)."""
    rows = []
    for name in fuzz_run.RUNS:
        r = fuzz_run.run(name, HOSTFUZZ_SECONDS, seed)
        if r["crashes"]:
            print(r["output"][-3000:], file=sys.stderr)
        r.pop("output")
        rows.append(dict(r, ok=not r["crashes"] and r["execs"] > 0))
    return rows


ROWS = {"fuzz": row_fuzz, "exceptions": row_exceptions, "elf": row_elf, "ext2": row_ext2, "frames": row_frames,
        "exhaust": row_exhaust, "faultkill": row_faultkill, "hostfuzz": row_hostfuzz}


def describe(name, row) -> str:
    """One line of the table for one run."""
    ok = "survived" if row["ok"] else "FAILED"
    if name == "fuzz":
        return (f"fuzz -s {row['seed']} at {row['memory']}: {row['calls']} calls in {row['processes']} processes "
                f"({row['signalled']} killed by a signal, {row['hung_killed']} hung and SIGKILLed); pages "
                f"{row['pages_before']} -> {row['pages_after']}; e2fsck {'clean' if row['fsck_clean'] else 'DAMAGED'}")
    if name == "exceptions":
        return (f"{row['tried']} exceptions ({row['kinds']} kinds), fork bomb of {row['fork_bomb']} processes, "
                f"{row['blocked_killed']} blocked processes SIGKILLed; pages {row['pages_before']} -> "
                f"{row['pages_after']}")
    if name == "elf":
        return (f"{row['mutants']} mutated ELFs, {row['runs']} execs: {row['refused']} refused, {row['exited']} "
                f"exited, {row['signalled']} signalled, {row['ran_on']} SIGKILLed; e2fsck "
                f"{'clean' if row['fsck_clean'] else 'DAMAGED'}")
    if name == "ext2":
        return (f"{row['images']} mutated images: {row['mounted']} mounted and walked, {row['refused']} refused, "
                f"{row['init_unreadable']} with init unreadable; {row['clean_before']} clean before, "
                f"{row['clean_after']} after; {row['failures']} broke a rule")
    if name == "frames":
        return (f"{row['frames']} mutated frames (seed {row['seed']}), then {row['bytes_downloaded']} bytes "
                f"downloaded intact" + (f"; {row['error']}" if row["error"] else ""))
    if name == "hostfuzz":
        return fuzz_run.describe(row)
    if name == "faultkill":
        return (f"{row['rounds']} victims paging SIGKILLed (seed {row['seed']}): slowest reap {row['slowest_ms']} ms, "
                f"{row['asleep']} asleep in the kernel, after the signal at most {row['bytes_after']} bytes copied "
                f"and {row['faults_after']} faults; {row['major_faults']} major faults; e2fsck "
                f"{'clean' if row['fsck_clean'] else 'DAMAGED'}")
    return (f"{row['memory']} RAM + {row['swap_mb']} MiB swap, hog by {row['hog']}: killed after {row['hog_secs']} s "
            f"(run {row['seconds']} s), {row['downloads']} downloads intact, {row['files_written']} files "
            f"written ({row['write_errors']} errors); pages {row['pages_before']} -> {row['pages_after']}; "
            f"e2fsck {'clean' if row['fsck_clean'] else 'DAMAGED'}")


def main(argv=None) -> int:
    global HOSTFUZZ_SECONDS
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default=",".join(ROWS), help="rows to run, comma-separated")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", default=str(qemu.BUILD / "stress.json"))
    p.add_argument("--hostfuzz-seconds", type=float, default=120, help="per host harness (default 120)")
    a = p.parse_args(argv)
    HOSTFUZZ_SECONDS = a.hostfuzz_seconds
    results, failed = {}, 0
    with tempfile.TemporaryDirectory(prefix="zc32-stress-") as tmp:
        for name in a.only.split(","):
            t = time.monotonic()
            rows = ROWS[name](a.seed, Path(tmp) / name)
            results[name] = {"runs": rows, "seconds": round(time.monotonic() - t, 1)}
            for row in rows:
                failed += not row["ok"]
                print(f"{name:<11} {'survived' if row['ok'] else 'FAILED  '} {describe(name, row)}", flush=True)
    Path(a.json).write_text(json.dumps(results, indent=1) + "\n")
    print(f"stress: {sum(len(v['runs']) for v in results.values())} runs, {failed} failed; JSON in {a.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
