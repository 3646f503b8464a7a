#!/usr/bin/python3
"""stress.py - `make stress`: the long versions of the hardening runs
(issue 12), a table of what was tried and what survived, and JSON in
build/stress.json.  docs/hardening.md explains each row.

    make stress                      # everything
    tools/stress.py --only fuzz,elf  # some rows: fuzz exceptions elf ext2 frames exhaust
    tools/stress.py --seed 5         # other seeds (each row prints the one it used)

Rows:
  fuzz        user/tests/fuzz.c: >= 10^6 random system calls in many processes
  exceptions  user/tests/hostile.c: every exception kind, many rounds; fork bomb; SIGKILL
  elf         mutated ELF files, each executed several times (tools/mutate.py)
  ext2        mutated ext2 images as the root disk
  frames      mutated frames while httpd serves, then a download
  exhaust     RAM and swap full while httpd serves and files are written,
              at several RAM and swap sizes (128 MiB RAM + 320 MiB swap too)
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

PANIC = "zc32 PANIC"


def make_swap(path: Path, mb: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(mb << 20)
    subprocess.run(["mkswap", str(path)], check=True, capture_output=True)
    return path


def e2fsck_clean(img: Path) -> bool:
    return mutate.e2fsck_clean(img)


def run_exhaustion(memory: str, swap_mb: int, workdir: Path, files: int = 24, timeout: float = 600) -> dict:
    """user/tests/exhaust.c as init with `memory` of RAM and a swap disk
    of swap_mb MiB: the host downloads /data/1m.bin (checked) until the
    hog has died, then ends httpd.  What happened, e2fsck's verdict, and
    the boot's result."""
    import test_net as tn
    workdir.mkdir(parents=True, exist_ok=True)
    disks = qemu.storage_disks(workdir, swap=False) + [qemu.Disk(make_swap(workdir / "swap.img", swap_mb))]
    port = qemu.free_port()
    start = time.monotonic()
    g = qemu.BackgroundBoot(init="/test/exhaust", args=[str(files)], disks=disks, memory=memory,
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
    r = g.join(timeout=timeout + 30)
    hog = re.search(r"exhaust: hog pid \d+ ended after (\d+) s: status (0x[0-9a-f]+|-1)", r.output)
    pages = re.search(r"exhaust: pages free\+heap\+cache (\d+) before, (\d+) after", r.output)
    writer = re.search(r"exhaust: writer: (\d+) files written, (\d+) errors \(first errno (\d+)\)", r.output)
    return {"memory": memory, "swap_mb": swap_mb, "result": r, "downloads": downloads, "error": error,
            "hog_secs": int(hog[1]) if hog else None, "seconds": round(time.monotonic() - start, 1),
            "pages_before": int(pages[1]) if pages else None, "pages_after": int(pages[2]) if pages else None,
            "files_written": int(writer[1]) if writer else None, "write_errors": int(writer[2]) if writer else None,
            "fsck_clean": e2fsck_clean(disks[0].path),
            "ok": error is None and PANIC not in r.output and r.exit_code == 0}
