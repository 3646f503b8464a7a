"""test_userland.py - the everyday programs (README.md): head, tail, wc,
grep, sort, find and hexdump against Debian's own on the same files.

Input files are written into a copy of the root image with debugfs; the
shell runs each command with its output redirected to a file under /out;
after power-off the host reads those files back (debugfs cat) and runs
the host's tool, with LC_ALL=C, on the same input: the bytes must match.
"""

import os
import random
import re
import subprocess

import pytest

from conftest import ROOTFS_TREE, check_boot, debugfs, debugfs_cat, have_e2fsprogs, out_line
import qemu

pytestmark = pytest.mark.skipif(not have_e2fsprogs(), reason="e2fsprogs (e2fsck, debugfs) missing")

START = re.escape(qemu.INIT_STARTED)


def make_inputs(d):
    """Deterministic text with what trips up these tools: mixed case,
    blank lines, leading blanks, tabs, repeated lines, negative and
    decimal numbers, a last line without a newline, and binary bytes."""
    rng = random.Random(14)
    words = ["the", "The", "THE", "zero", "copy", "page", "cache", "dma", "Disk", "nic", "sendfile",
             "mmap", "fault", "kernel", "user", "a", "an", "ledger", "x86", "swap"]
    lines = []
    for i in range(300):
        kind = rng.randrange(10)
        if kind == 0:
            lines.append("")
        elif kind == 1:
            lines.append("  " + " ".join(rng.choice(words) for _ in range(rng.randrange(1, 6))))
        elif kind == 2:
            lines.append("\t".join(rng.choice(words) for _ in range(3)))
        elif kind == 3 and lines:
            lines.append(rng.choice(lines))
        else:
            lines.append(" ".join(rng.choice(words) for _ in range(rng.randrange(1, 12))))
    (d / "text.txt").write_text("\n".join(lines) + "\n")
    nums = []
    for i in range(120):
        v = rng.choice([rng.randrange(-1000, 1000), rng.randrange(0, 10), 0])
        frac = rng.choice(["", "", ".5", ".25", ".0"])
        pad = rng.choice(["", " ", "  "])
        nums.append(f"{pad}{v}{frac} {rng.choice(words)}")
    nums += ["-0 minus zero", "007 bond", "", "x not a number"]
    (d / "nums.txt").write_text("\n".join(nums))           # no newline at the end
    blob = bytes(rng.randrange(256) for _ in range(300)) + bytes(100) + b"tail end\n"
    (d / "blob.bin").write_bytes(blob)


# (output name, the command in zc32 and on the host, with IN for the input directory)
COMMANDS = [
    ("wc", "wc in/text.txt"),
    ("wc_l", "wc -l in/text.txt"),
    ("wc_w", "wc -w in/text.txt"),
    ("wc_c", "wc -c in/nums.txt"),
    ("wc_two", "wc in/text.txt in/nums.txt"),
    ("wc_lc_two", "wc -lc in/text.txt in/nums.txt"),
    ("wc_stdin", "wc < in/text.txt"),
    ("wc_pipe", "cat in/text.txt | wc"),
    ("grep", "grep the in/text.txt"),
    ("grep_i", "grep -i the in/text.txt"),
    ("grep_vn", "grep -v -n the in/text.txt"),
    ("grep_c", "grep -c copy in/text.txt"),
    ("grep_two", "grep -n zero in/text.txt in/nums.txt"),
    ("grep_none", "grep nothing-like-this in/text.txt"),
    ("sort", "sort in/text.txt"),
    ("sort_r", "sort -r in/text.txt"),
    ("sort_n", "sort -n in/nums.txt"),
    ("sort_nr", "sort -n -r in/nums.txt"),
    ("sort_two", "sort in/nums.txt in/text.txt"),
    ("head", "head in/text.txt"),
    ("head_3", "head -n 3 in/nums.txt"),
    ("head_two", "head -n 2 in/text.txt in/nums.txt"),
    ("tail", "tail in/text.txt"),
    ("tail_5", "tail -n 5 in/nums.txt"),
    ("tail_two", "tail -n 2 in/text.txt in/nums.txt"),
    ("hexdump", "hexdump -C in/blob.bin"),
    ("hexdump_short", "head -n 1 in/text.txt | hexdump -C"),
]


def host_output(cmd, cwd):
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(cmd, shell=True, cwd=cwd, env=env, capture_output=True).stdout


def test_text_tools_match_debian(run_guest, storage, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    make_inputs(inputs)
    debugfs(storage.root, ["mkdir /in", "mkdir /out"] +
            [f"write {inputs / n} /in/{n}" for n in ("text.txt", "nums.txt", "blob.bin")], write=True)
    steps, prev = [], START
    for i, (name, cmd) in enumerate(COMMANDS):
        steps.append((prev, f"{cmd} > /out/{name}; echo done-{i}\n"))
        prev = out_line(f"done-{i}")
    steps.append((prev, "exit 0\n"))
    r = run_guest("sh", input=steps, disks=storage.disks, timeout=120)
    check_boot(r, exit_code=0)
    mismatches = []
    for name, cmd in COMMANDS:
        want = host_output(cmd, tmp_path)
        got = debugfs_cat(storage.root, f"/out/{name}")
        if got != want:
            mismatches.append(f"{cmd!r}:\n  zc32:   {got[:300]!r}\n  Debian: {want[:300]!r}")
    assert not mismatches, "\n".join(mismatches)


FIND_COMMANDS = [
    "find /data",
    "find /data -type f",
    "find / -type d",
    "find /bin -name 's*'",
    "find /bin /data -name '*[0-9]*'",
    "find /data -name '?k.bin' -type f",
]


def test_find_matches_debian(run_guest, storage):
    """find's output in zc32's directory order, against the host's find on
    the tree the image was made from (build/rootfs), both sorted."""
    steps, prev = [], START
    for i, cmd in enumerate(FIND_COMMANDS):
        steps.append((prev, f"echo begin-{i}; {cmd}; echo done-{i}\n"))
        prev = out_line(f"done-{i}")
    steps.append((prev, "exit 0\n"))
    r = run_guest("sh", input=steps, disks=storage.disks, timeout=120)
    check_boot(r, exit_code=0)
    for i, cmd in enumerate(FIND_COMMANDS):
        m = re.search(rf"^(?:\$ )?begin-{i}\n(.*?)^(?:\$ )?done-{i}$", r.output, re.S | re.M)
        assert m, f"no output for {cmd}\n{r.describe()}"
        got = sorted(l for l in m.group(1).splitlines() if l and not l.startswith("$ "))
        words = [f"{ROOTFS_TREE}{w.rstrip('/')}" if w.startswith("/") else w for w in cmd.split(" ")]
        host = host_output(" ".join(words), ROOTFS_TREE).decode().splitlines()
        host = sorted(h[len(str(ROOTFS_TREE)):] or "/" for h in host)
        if cmd == "find / -type d":     # the image has lost+found, the staging tree does not
            host.append("/lost+found")
            host.sort()
            # /proc is mounted over the tree's empty /proc: its pid directories are zc32's own
            got = [g for g in got if not g.startswith("/proc/")]
        assert got == host, f"{cmd}:\n zc32: {got}\n host: {host}"
        if cmd == "find / -type d":
            assert "/tmp" in got, "no /tmp in the image"


def dumpe2fs_header(img):
    p = subprocess.run(["/usr/sbin/dumpe2fs", "-h", str(img)], capture_output=True, text=True, check=True)
    return dict(re.findall(r"^([A-Za-z ]+):\s+(\S+)", p.stdout, re.M))


def test_ps_df_free(run_guest, storage):
    """ps lists the shell (init), itself and the flusher kernel thread
    (zc_procs, 1007); df's counts are the image's own, as the host's
    dumpe2fs reads them after power-off (statfs, 99); free's columns add up."""
    r = run_guest("sh", input=[(START, "ps; df; df /data/1k.bin /nonexistent; free; exit 0\n")],
                  disks=storage.disks)
    check_boot(r, exit_code=0)
    procs = re.findall(r"^(?:\$ )?\s*(\d+)\s+(\d+) ([RSZ])\s+(\d+) (\S+)$", r.output, re.M)
    names = {name: (int(pid), int(ppid), state) for pid, ppid, state, rss, name in procs}
    assert names.get("sh", (0,))[0] == 1, r.describe()       # the shell is init here
    assert "[flusher]" in names, r.describe()
    assert names.get("ps", (0, 0, ""))[2] == "R" and names["ps"][1] == names["sh"][0], r.describe()

    h = dumpe2fs_header(storage.root)
    kib = int(h["Block size"]) // 1024
    blocks, free, reserved = int(h["Block count"]), int(h["Free blocks"]), int(h["Reserved block count"])
    first = int(h["First block"])
    want = f"ext2 {(blocks - first) * kib} {(blocks - first - free) * kib} {(free - reserved) * kib}"
    rows = [" ".join(l.split()[:4]) for l in r.output.splitlines() if l.lstrip("$ ").startswith("ext2 ")]
    assert rows and all(row.lstrip("$ ") == want for row in rows) and len(rows) == 2, \
        f"df rows {rows}, dumpe2fs says {want}\n{r.describe()}"
    assert "df: /nonexistent: No such file or directory" in r.output, r.describe()

    mem = re.search(r"^(?:\$ )?Mem:\s+(\d+)\s+(\d+)\s+(\d+)", r.output, re.M)
    assert mem and int(mem[1]) == int(mem[2]) + int(mem[3]) and int(mem[1]) > 100000, r.describe()
    assert re.search(r"^(?:\$ )?Swap:\s+\d+\s+\d+\s+\d+$", r.output, re.M), r.describe()


def test_stats_and_ztrace_report_on_stderr(run_guest, storage):
    """`stats cat f > out` and `ztrace cat f > out` leave out exactly as
    cat wrote it: the reports go to standard error (the console here)."""
    import hashlib
    import mkdata
    r = run_guest("sh", input=[(START, "stats cat /data/1m.bin > /tmp/s.out; "
                                       "ztrace cat /data/1k.bin > /tmp/z.out; exit 0\n")],
                  disks=storage.disks)
    check_boot(r, exit_code=0)
    assert "zc32 ledger: pid" in r.output and "pagecache->user" in r.output, r.describe()
    assert re.search(r"^ztrace: \d+ events", r.output, re.M), r.describe()
    for out, data in (("/tmp/s.out", "1m.bin"), ("/tmp/z.out", "1k.bin")):
        got = hashlib.sha256(debugfs_cat(storage.root, out)).hexdigest()
        assert got == mkdata.expected_sha256(data), f"{out} is not {data} as cat wrote it"
