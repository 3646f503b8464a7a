"""test_hostfuzz.py - the kernel's pure parsers fuzzed on the host, bounded
runs (tools/fuzz/, docs/hardening.md "Fuzzing the parsers on the host").

`make fuzz-host` builds each harness with clang's libFuzzer,
AddressSanitizer and UBSan around the kernel's own source (exec's ELF
checks in kernel/proc/elf.h, ext2's in kernel/fs/ext2/check.c, the
received-header checks in kernel/net/wire.c) and seeds from real inputs.
Here each runs a few seconds from its seeds with a fixed libFuzzer seed:
no crash and no broken invariant, and a run that really ran (executions
and coverage parsed from libFuzzer's output).  The seeds include the two
inputs the harnesses found first (tools/fuzz/seeds.py), so those fixes
are checked on every run.  `make stress` runs them for minutes each.
"""

import shutil
import subprocess
import sys

import pytest

import qemu

sys.path.insert(0, str(qemu.ROOT / "tools" / "fuzz"))
import run as fuzz_run   # noqa: E402

SECONDS = 5

pytestmark = pytest.mark.skipif(shutil.which("clang") is None, reason="clang (libFuzzer) missing: tools/deps.sh")


@pytest.fixture(scope="module")
def harnesses():
    """build/fuzz/fuzz_* and the seed corpora, through the Makefile."""
    targets = [f"build/fuzz/fuzz_{h}" for h in ("elf", "ext2", "net")] + ["build/fuzz/seeds.stamp"]
    r = subprocess.run(["make", "-s", *targets], cwd=qemu.ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("name", list(fuzz_run.RUNS))
def test_harness_runs_clean(harnesses, name):
    r = fuzz_run.run(name, SECONDS, seed=1)
    print(fuzz_run.describe(r))
    assert r["crashes"] == 0, fuzz_run.describe(r) + "\n" + r["output"][-3000:]
    assert r["execs"] > 1000 and r["cov"] > 0 and r["ft"] > 0, fuzz_run.describe(r)
