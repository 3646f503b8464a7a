#!/usr/bin/python3
"""zc_sink.py - the host end of `zcopy` (and of any guest program that
streams bytes out): read a TCP connection to its end, then append one JSON
line to REPORT saying what arrived.

    tools/zc_sink.py REPORT

QEMU starts it once per guest connection, through a guestfwd rule whose
`cmd:` form makes the process's stdin and stdout the connection
(tools/qemu.py's Net.guestfwd; docs/qemu-notes.md section 3):

    -netdev user,restrict=on,guestfwd=tcp:10.0.2.100:9000-cmd:tools/zc_sink.py build/sink.jsonl

so a guest connecting to 10.0.2.100:9000 talks to a fresh sink.  The
report line is

    {"bytes": 16777216, "sha256": "ab12...", "seconds": 0.161}

where seconds runs from the first byte to the end of the stream, on the
host's clock.  The sink writes nothing back: the sender's ledger then
shows only what sending cost (no reply copied to the sender).  Its stderr
would also go to the guest, so it prints nothing at all; a failure is
reported in the line ("error").
"""

import hashlib
import json
import os
import sys
import time


def drain(fd):
    """Read fd to its end: (bytes, sha256 hex, seconds from the first byte)."""
    digest = hashlib.sha256()
    total = 0
    first = None
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        if first is None:
            first = time.monotonic()
        digest.update(chunk)
        total += len(chunk)
    seconds = time.monotonic() - first if first is not None else 0.0
    return total, digest.hexdigest(), seconds


def main():
    if len(sys.argv) != 2:
        return 2
    report = {}
    try:
        n, sha, seconds = drain(sys.stdin.fileno())
        report = {"bytes": n, "sha256": sha, "seconds": round(seconds, 6)}
    except OSError as e:
        report = {"error": str(e)}
    # One line per connection; O_APPEND keeps lines of parallel sinks whole.
    with open(sys.argv[1], "a") as f:
        f.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
