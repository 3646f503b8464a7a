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

FILES = {"1k.bin": 1024, "1m.bin": 1 << 20, "64m.bin": 64 << 20}


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
