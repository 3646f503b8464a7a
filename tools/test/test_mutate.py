"""test_mutate.py - the mutation fuzzers (tools/mutate.py), bounded runs.

Each run has a fixed seed, so a failure replays; `make stress` runs the
long versions (tools/stress.py).  What must hold (docs/hardening.md):

  ELF files    each mutant of /bin/true is refused by execve (ENOEXEC
               mostly) or runs and ends, by itself, by a signal or by
               SIGKILL; no panic, the filesystem clean afterwards.
  ext2 images  each damaged root disk is refused at mount or walked with
               errors; no panic or hang, not one byte written past the end
               of the filesystem, and an image that e2fsck found clean
               before the boot is clean after it.
  frames       mutated Ethernet/ARP/IPv4/ICMP/UDP/TCP frames (half of them
               with their checksums fixed, to reach the parsers behind the
               checks) while httpd serves, through a -netdev dgram on
               127.0.0.1: a 1 MiB download afterwards is intact.
"""

import re

import pytest

from conftest import PANIC_RE, check_boot, check_test_program, e2fsck, have_e2fsprogs
import mutate

pytestmark = pytest.mark.skipif(not have_e2fsprogs(), reason="e2fsprogs (mke2fs, e2fsck, debugfs) missing")


def test_mutated_elf_files(tmp_path):
    d = mutate.run_elf_fuzz(60, seed=1, workdir=tmp_path)
    r = d["result"]
    check_test_program(r, required=["execfuzz.ran_every_file", "execfuzz.sigkill_ends_every_run",
                                    "execfuzz.some_refused"])
    assert "execfuzz: 60 runs of 60 files" in r.output, r.describe()
    e2fsck(d["image"])


def test_mutated_ext2_images(tmp_path):
    d = mutate.run_ext2_fuzz(10, seed=1, workdir=tmp_path)
    assert not d["failures"], "\n\n".join(d["failures"])
    assert d["images"] == 10 and d["mounted"] > 0 and d["refused"] > 0, d


def test_mutated_frames_then_download(tmp_path):
    d = mutate.run_frame_fuzz(1500, seed=1, workdir=tmp_path)
    r = d["result"]
    # The frames came through QEMU's dgram netdev, both of its ends on the
    # loopback (qemu.raw_netdev), and the guest had no other link.
    netdevs = [r.cmd[i + 1] for i, a in enumerate(r.cmd) if a == "-netdev"]
    assert len(netdevs) == 1 and netdevs[0].startswith("dgram,"), netdevs
    assert re.findall(r"\.host=([^,]+)", netdevs[0]) == ["127.0.0.1", "127.0.0.1"], netdevs
    assert not PANIC_RE.search(r.output), r.describe()
    assert d["error"] is None and d["bytes_downloaded"] == 1 << 20, f"{d['error']}\n{r.describe()}"
    check_boot(r, exit_code=0)
