"""conftest.py - fixtures and helpers for zc32's host-side test suite.

`make test` runs `/usr/bin/python3 -m pytest -q -p no:cacheprovider tools/test`
after `make` has built everything.  Each test boots QEMU (tools/qemu.py),
reads the serial console and checks it.  Every boot's console is also saved
under build/test-logs/TESTNAME.log, for reading after a failure.

Helpers (import them in test files: `from conftest import ...`):
  run_guest(init, args=(), mode="kernel", timeout=60, input=None, ...)
      fixture; boots with `init=/bin/NAME -- args` and returns a qemu.BootResult
  check_boot(r, exit_code=0)
      fails on a timeout, a `zc32 PANIC`, a triple fault, a missing power-off
      line, or the wrong exit code
  check_test_program(r, required=())
      check_boot, then check_protocol, then exit code 0
  check_protocol(r, required=())
      parses the in-guest test protocol (`ok NAME`, `not ok NAME: detail`,
      `summary: P passed, F failed`) and fails on any `not ok`, a missing
      summary, F != 0, or a required check that never ran

Storage:
  storage
      fixture; fresh sparse copies of build/rootfs.img and build/swap.img in
      the test's tmp dir: storage.root, storage.swap (Paths), storage.disks
      (qemu.Disk list for run_guest(..., disks=storage.disks)),
      storage.root_only (just the root disk)
  make_swap(path, mb)
      a new sparse swap image of mb MiB made by mkswap
  make_ext2(path, size="64M", block_size=4096, tree=None)
      a new ext2 image made like build/rootfs.img (mke2fs -t ext2 -d TREE)
  e2fsck(img)
      runs `e2fsck -fn` and fails unless the file system is clean
  debugfs_cat(img, path) / debugfs(img, "command", write=False)
      read a file from the image on the host / run any debugfs command
"""

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))

import qemu  # noqa: E402  (tools/qemu.py)

ROOT = qemu.ROOT
BUILD = qemu.BUILD
ROOTFS_BIN = BUILD / "rootfs" / "bin"
ROOTFS_TEST = BUILD / "rootfs" / "test"      # the test programs (user/tests/NAME.c)


def guest_path(prog: str) -> str:
    """A program's path in the guest: /test/NAME for a test program,
    /bin/NAME for the others."""
    return f"/test/{prog}" if (ROOTFS_TEST / prog).exists() else f"/bin/{prog}"
LOG_DIR = BUILD / "test-logs"
BOOT_TIMEOUT = 60.0     # generous: a healthy boot takes well under a second
STEP_TIMEOUT = 20.0     # longest wait for the output an input step expects

ARTEFACTS = [qemu.KERNEL, qemu.INITRD, qemu.ISO]

# Kernel console lines (docs/design.md section 3).  Not anchored at the
# start of a line: a kernel message can follow output that did not end in a
# newline (a shell prompt, a partial line) on the same console line.
BANNER_RE = re.compile(r"zc32 (\S+) booting \(cmdline: (.*)\)$", re.M)
INIT_RE = re.compile(r"zc32: starting init: (\S+)", re.M)
POWEROFF_RE = re.compile(r"zc32: init exited with status (-?\d+), powering off", re.M)
PANIC_RE = re.compile(r"^.*zc32 PANIC.*$", re.M)
KILL_RE = re.compile(
    r"zc32: pid (?P<pid>\d+) \((?P<name>[^)]*)\) killed by (?P<sig>SIG[A-Z]+): "
    r"vector (?P<vector>\d+) \((?P<what>[^)]*)\) eip (?P<eip>0x[0-9a-fA-F]+) "
    r"addr (?P<addr>0x[0-9a-fA-F]+) err (?P<err>0x[0-9a-fA-F]+)"
    r"(?: \((?P<err_words>[a-z ,]+)\))?", re.M)   # page faults: the error code in words

# In-guest test protocol.
OK_RE = re.compile(r"^ok (\S.*?)\s*$", re.M)
NOT_OK_RE = re.compile(r"^not ok (\S.*?)\s*$", re.M)
SUMMARY_RE = re.compile(r"^summary: (\d+) passed, (\d+) failed\s*$", re.M)


def out_line(text: str) -> str:
    """A regex (for re.M) for a line of program output that is `text`, but
    not for the kernel's echo of the command that printed it (`echo TEXT`).
    Shell prompts may precede the output on the same line, since typed
    input is echoed before the shell prints its prompt; the echo of a typed
    line can also take a prompt in its middle ("echo a; echo $ done"), so
    the text must start the line, after prompts only."""
    return r"^(?:\$ )*" + re.escape(text) + r"$"


def check_boot(r: "qemu.BootResult", exit_code=0) -> None:
    """Fail unless the boot ran to a clean power-off with `exit_code`
    (None: any exit code)."""
    info = r.describe()
    assert not r.timed_out, f"QEMU timed out\n{info}"
    m = PANIC_RE.search(r.output)
    assert m is None, f"kernel panic: {m.group(0)}\n{info}"
    assert not r.triple_fault, f"triple fault (QEMU status 0 with -no-reboot)\n{info}"
    assert r.error is None, f"{r.error}\n{info}"
    assert r.exit_code is not None, f"QEMU did not leave through isa-debug-exit\n{info}"
    p = POWEROFF_RE.search(r.output)
    assert p, f"no 'zc32: init exited with status N, powering off' line\n{info}"
    assert int(p.group(1)) == r.exit_code, \
        f"power-off line says status {p.group(1)}, QEMU says exit code {r.exit_code}\n{info}"
    if exit_code is not None:
        assert r.exit_code == exit_code, \
            f"guest exit code {r.exit_code}, expected {exit_code}\n{info}"


def parse_protocol(output: str):
    """(oks, not_oks, summaries): check names, 'NAME: detail' strings and
    (passed, failed) pairs, in output order."""
    return (OK_RE.findall(output), NOT_OK_RE.findall(output),
            [(int(p), int(f)) for p, f in SUMMARY_RE.findall(output)])


def check_protocol(r: "qemu.BootResult", required=()) -> list:
    """Fail unless the in-guest test program reported success.  Returns the
    names of the passed checks."""
    info = r.describe()
    oks, not_oks, summaries = parse_protocol(r.output)
    assert not not_oks, "in-guest checks failed:\n  " + "\n  ".join(not_oks) + f"\n{info}"
    assert summaries, f"no 'summary: P passed, F failed' line\n{info}"
    passed, failed = summaries[-1]
    assert failed == 0, f"summary reports {failed} failed\n{info}"
    assert passed >= 1, f"summary reports no passed checks\n{info}"
    assert passed == len(oks), \
        f"summary says {passed} passed but {len(oks)} 'ok' lines were printed\n{info}"
    names = {o.split(":")[0].strip() for o in oks}
    missing = [n for n in required if n not in names]
    assert not missing, f"checks never reported: {missing}\n{info}"
    return [o.strip() for o in oks]


def check_test_program(r: "qemu.BootResult", required=()) -> list:
    """An in-guest test program run as init: first the boot (panic, timeout,
    triple fault, power-off), then its checks, then its exit status 0."""
    check_boot(r, exit_code=None)
    oks = check_protocol(r, required)
    check_boot(r, exit_code=0)
    return oks


def fetch_from_test_httpd(port: int, guest: "qemu.BackgroundBoot") -> None:
    """A guest running `httpd -x` with a forward to host port `port`: wait
    until it answers, fetch /data/1k.bin and check its sha256, then ask
    the server to exit (GET /exit)."""
    import hashlib
    import urllib.request
    import mkdata
    assert qemu.wait_http(port, guest), "httpd never answered on the forwarded port"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/1k.bin", timeout=60) as resp:
        body = resp.read()
    assert hashlib.sha256(body).hexdigest() == mkdata.expected_sha256("1k.bin")
    urllib.request.urlopen(f"http://127.0.0.1:{port}/exit", timeout=60).read()


def fetch_from_iso_boot(request, storage, steps) -> "qemu.BootResult":
    """Boot the ISO as `make run` does (its NIC and forward), type `steps`,
    which start `httpd -x` at the prompt, fetch a file through the forward
    (fetch_from_test_httpd), and return the finished boot, its log saved."""
    net = qemu.interactive_net()
    guest = qemu.BackgroundBoot(mode="iso", disks=storage.disks, net=net, timeout=240, input=steps)
    try:
        fetch_from_test_httpd(net.hostfwd[0][0], guest)
    finally:
        r = guest.join(timeout=240)
        save_log(request, r)
    return r


def _log_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)


def save_log(request, r: "qemu.BootResult", suffix: str = "") -> Path:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    path = LOG_DIR / f"{_log_name(request)}{suffix}.log"
    path.write_text(f"# {' '.join(r.cmd)}\n# status {r.status} exit_code {r.exit_code} "
                    f"timed_out {r.timed_out} duration {r.duration:.2f}s\n"
                    + r.output + ("\n# QEMU stderr:\n" + r.stderr if r.stderr else ""))
    return path


@pytest.fixture(scope="session")
def built():
    """The build artefacts every test needs; `make test` builds them first."""
    missing = [str(p.relative_to(ROOT)) for p in ARTEFACTS if not p.is_file()]
    if missing:
        pytest.fail(f"missing build artefacts {missing}: run `make` (or `make test`) first",
                    pytrace=False)


@pytest.fixture
def run_guest(request, built):
    """run_guest(init, args=(), mode="kernel", timeout=60, input=None, **boot_kwargs)

    init: a program name ("echo" means /bin/echo, "systest" /test/systest) or a path; None keeps the
    kernel's default (/bin/init).  mode="iso" boots build/zc32.iso through
    GRUB, whose grub.cfg always starts /bin/init (so init and args must be
    None there; drive /bin/sh through `input` instead).  The console of
    each boot is saved in build/test-logs/."""
    count = [0]

    def run(init=None, args=(), mode="kernel", timeout=BOOT_TIMEOUT, input=None, **kw):
        if input is not None:
            kw.setdefault("step_timeout", STEP_TIMEOUT)
        if init is not None and "/" not in init:
            init = guest_path(init)
        if mode == "iso":
            assert init is None and not args, "an ISO boot always runs /bin/init"
            r = qemu.boot("iso", input=input, timeout=timeout, **kw)
        else:
            r = qemu.boot(mode, init=init, args=list(args), input=input, timeout=timeout, **kw)
        count[0] += 1
        save_log(request, r, "" if count[0] == 1 else f"-{count[0]}")
        return r

    return run


# ---------------------------------------------------------------------------
# Storage: disk images for the guest, e2fsprogs on the host.

ROOTFS_TREE = BUILD / "rootfs"


def _tool(name: str) -> str:
    """e2fsprogs live in /usr/sbin, which a user's PATH may lack."""
    return shutil.which(name) or str(Path("/usr/sbin") / name)


@dataclass
class Storage:
    root: Path                      # copy of build/rootfs.img
    swap: Path                      # copy of build/swap.img

    @property
    def disks(self):
        return [qemu.Disk(self.root), qemu.Disk(self.swap)]

    @property
    def root_only(self):
        return [qemu.Disk(self.root)]


@pytest.fixture
def storage(built, tmp_path):
    """Fresh sparse copies of the root and swap images for one test: the
    guest may write to them, and the host checks them after power-off."""
    for img in (qemu.ROOTFS_IMG, qemu.SWAP_IMG):
        if not img.is_file():
            pytest.fail(f"missing {img.relative_to(ROOT)}: run `make` first", pytrace=False)
    disks = qemu.storage_disks(tmp_path)
    return Storage(root=Path(disks[0].path), swap=Path(disks[1].path))


def make_swap(path: Path, mb: int) -> Path:
    """A sparse swap image of mb MiB with mkswap's signature."""
    path = Path(path)
    path.unlink(missing_ok=True)
    subprocess.run(["truncate", "-s", f"{mb}M", str(path)], check=True)
    path.chmod(0o600)
    subprocess.run([_tool("mkswap"), str(path)], check=True, capture_output=True)
    return path


def make_ext2(path, size="64M", block_size=4096, tree=ROOTFS_TREE, extra=()):
    """An ext2 image made the way the Makefile makes build/rootfs.img
    (mke2fs -t ext2 -d TREE, no dir_index), with another size or block size."""
    path = Path(path)
    path.unlink(missing_ok=True)
    cmd = [_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-O", "^dir_index", "-b", str(block_size),
           "-L", "zc32test", *extra]
    if tree is not None:
        cmd += ["-d", str(tree)]
    subprocess.run(cmd + [str(path), str(size)], check=True, capture_output=True)
    return path


def debugfs(img, command, write=False) -> str:
    """Run a debugfs command (or a list of them, in order) on an image;
    returns its standard output.  write=True opens the image read-write."""
    args = [_tool("debugfs")] + (["-w"] if write else [])
    script = None
    if isinstance(command, (list, tuple)):
        args += ["-f", "-"]
        script = "\n".join(command).encode() + b"\n"
    else:
        args += ["-R", command]
    p = subprocess.run(args + [str(img)], input=script, capture_output=True)
    assert p.returncode == 0, f"debugfs {command!r} failed: {p.stderr.decode(errors='replace')}"
    return p.stdout.decode(errors="replace")


def debugfs_cat(img, path) -> bytes:
    """A file's bytes as the host's ext2 code reads them from the image."""
    p = subprocess.run([_tool("debugfs"), "-R", f"cat {path}", str(img)], capture_output=True)
    err = p.stderr.decode(errors="replace")
    assert p.returncode == 0 and "File not found" not in err, f"debugfs cat {path}: {err}"
    return p.stdout


def e2fsck(img) -> str:
    """`e2fsck -fn` (forced check, change nothing): fails unless clean."""
    p = subprocess.run([_tool("e2fsck"), "-fn", str(img)], capture_output=True)
    out = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
    assert p.returncode == 0, f"e2fsck -fn {img}: exit status {p.returncode}\n{out}"
    return out


def have_e2fsprogs() -> bool:
    return all(Path(_tool(t)).exists() for t in ("e2fsck", "debugfs", "mke2fs"))
