#!/usr/bin/python3
"""Write the deterministic test files that go into the root image's /data.

Each file's bytes come from a seeded generator, so the host can recompute
its sha256 without reading the image: tools/test and tools/bench call
expected_sha256(name).
"""
import hashlib
import os
import random
import sys

# odd.bin's size is a multiple of neither the page (4096) nor the TCP
# segment (MSS 1460): its last page and its last segment are partial.
FILES = {"1k.bin": 1024, "1m.bin": 1 << 20, "64m.bin": 64 << 20,
         "16m.bin": 16 << 20, "odd.bin": 1234567}


def content(name):
    return random.Random("zc32:" + name).randbytes(FILES[name])


def expected_sha256(name):
    return hashlib.sha256(content(name)).hexdigest()


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    for name in FILES:
        path = os.path.join(outdir, name)
        if os.path.exists(path) and os.path.getsize(path) == FILES[name]:
            continue
        with open(path, "wb") as f:
            f.write(content(name))


if __name__ == "__main__":
    main(sys.argv[1])
