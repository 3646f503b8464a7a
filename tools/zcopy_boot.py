#!/usr/bin/python3
"""zcopy_boot.py - boot zc32 with `zcopy --json` as init and a host sink
behind guestfwd, and return what both ends saw.  Used by `make demo`,
tools/test/test_zerocopy.py and tools/bench/bench_zerocopy.py.

    from zcopy_boot import boot_zcopy
    z = boot_zcopy(["-p", "rw,gather", "/data/16m.bin"], workdir)
    z.result     # qemu.BootResult
    z.report     # zcopy's JSON (dict), each run with its "receiver" added:
                 # {"bytes": N, "sha256": HEX, "seconds": S} from tools/zc_sink.py
    z.error      # None, or why there is no report

As a command (`make demo`):

    tools/zcopy_boot.py [--out build/demo] [--append "sendfile=gather"] [ZCOPY ARGS...]

boots once, writes OUT/zcopy.json, then the pictures (tools/zcopy_svg.py).
"""

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402

SINK = qemu.ROOT / "tools" / "zc_sink.py"
SINK_PORT = 9000
JSON_PREFIX = '{"zcopy": '


@dataclass
class ZcopyBoot:
    result: qemu.BootResult
    report: Optional[dict]
    error: Optional[str]


def sink_net(report_file: Path, port: int = SINK_PORT, **kw) -> qemu.Net:
    """An e1000 on slirp where the guest's 10.0.2.100:port is a fresh
    tools/zc_sink.py per connection, appending to report_file."""
    return qemu.Net(guestfwd=[(port, f"/usr/bin/python3 {SINK} {report_file}")], **kw)


def parse_report(output: str) -> Optional[dict]:
    """zcopy's JSON line from the console, or None."""
    for line in output.split("\n"):
        i = line.find(JSON_PREFIX)
        if i >= 0:
            try:
                return json.loads(line[i:])
            except ValueError:
                return None
    return None


def boot_zcopy(zcopy_args: Sequence[str], workdir, append: str = "", icount: bool = False,
               memory: str = qemu.DEFAULT_MEMORY, timeout: float = 300.0) -> ZcopyBoot:
    """One boot: init=/bin/zcopy --json ARGS, root disk copied into workdir,
    no swap disk, the sink on 10.0.2.100:9000."""
    workdir = Path(workdir)
    sink_file = workdir / "sink.jsonl"
    sink_file.unlink(missing_ok=True)
    r = qemu.boot(init="/bin/zcopy", args=["--json", *zcopy_args], append=append,
                  disks=qemu.storage_disks(workdir, swap=False), net=sink_net(sink_file),
                  icount=icount, memory=memory, timeout=timeout)
    report = parse_report(r.output)
    if report is None:
        return ZcopyBoot(r, None, "no JSON line from zcopy")
    sinks = [json.loads(l) for l in sink_file.read_text().splitlines()] if sink_file.exists() else []
    # One sink per connection, in the order zcopy connected: one per run,
    # except runs that failed before connecting.
    connected = [run for run in report["runs"] if run.get("error") != "cannot connect to the receiver"]
    if len(sinks) != len(connected):
        return ZcopyBoot(r, report, f"{len(sinks)} sink reports for {len(connected)} connections")
    for run, sink in zip(connected, sinks):
        run["receiver"] = sink
    return ZcopyBoot(r, report, None)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="zcopy_boot.py",
                                description="boot zc32, run zcopy --json, draw the four paths (make demo)")
    p.add_argument("--out", default=str(qemu.BUILD / "demo"), help="output directory (default build/demo)")
    p.add_argument("--append", default="", help="extra kernel command-line words")
    p.add_argument("zcopy_args", nargs="*", help="arguments for zcopy (default: all paths, cold and warm, "
                   "/data/16m.bin)")
    a = p.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zc32-demo-") as tmp:
        z = boot_zcopy(a.zcopy_args, tmp, append=a.append)
    (out / "console.log").write_text(z.result.output)
    if z.error:
        print(f"zcopy_boot: {z.error}\n{z.result.describe()}", file=sys.stderr)
        return 1
    (out / "zcopy.json").write_text(json.dumps(z.report, indent=1) + "\n")
    import zcopy_svg  # noqa: E402  (beside this file)
    index = zcopy_svg.write_all(z.report, out)
    print(f"zcopy_boot: wrote {out / 'zcopy.json'} and {index}")
    return 0 if all(run["ok"] for run in z.report["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
