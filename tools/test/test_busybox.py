"""test_busybox.py - Debian's busybox-static (i386) runs unmodified on zc32
(docs/busybox.md).

Each test boots a fresh copy of build/bbroot.img (tools/busybox_image.py:
zc32's root tree plus /bin/busybox and its applet links in /bb) with
busybox as init: `init=/bin/busybox -- sh`, and types the test's script
on the console.  Busybox's shell is a "standalone shell": its applets run
in a forked child without an exec.

What each test checks beyond the output: files the guest wrote are read
back on the host (debugfs) and the image passes e2fsck; hashes are the
host's; tar's archive is parsed by Python's tarfile; httpd's 64 MiB
arrive intact while the ledger shows no CPU copy of the payload.
"""

import hashlib
import io
import re
import socket
import subprocess
import tarfile
import time
import urllib.request
from pathlib import Path

import pytest

import mkdata
import qemu
from conftest import check_boot, check_test_program, debugfs, debugfs_cat, e2fsck, save_log

BB_IMG = qemu.BUILD / "bbroot.img"
BUSYBOX_DEB_BIN = Path.home() / ".cache" / "zc32" / "busybox" / "root" / "bin" / "busybox"
DONE = "BB-SCRIPT-DONE"




@pytest.fixture
def bb(built, tmp_path):
    if not BB_IMG.is_file():
        pytest.fail("missing build/bbroot.img: run `make test` (it builds it)", pytrace=False)
    return qemu.storage_disks(tmp_path, root_image=BB_IMG)


def boot_script(request, disks, script, timeout=90, **kw):
    """Run script in busybox's sh, pid 1, which reads it from the console
    (a script file would need openat to be read).  The script ends by
    printing DONE and exiting 0, so a clean power-off with status 0 means
    it ran to its end."""
    r = qemu.boot(init="/bin/busybox", args=["sh"], disks=disks, timeout=timeout,
                  input=script_text(script), **kw)
    save_log(request, r)
    return r


def script_text(script):
    return script.strip() + f"\necho {DONE}\nexit 0\n"


def script_output(r):
    """What the script printed (after the kernel's start line)."""
    return r.output.split("zc32: starting init: /bin/busybox\n", 1)[-1]


def check_script(r):
    check_boot(r, exit_code=0)
    out = script_output(r)
    assert re.search(rf"^{DONE}$", out, re.M), f"the script did not run to its end\n{r.describe()}"
    return out


# ---------------------------------------------------------------------------
# The image and busybox itself.

def test_image_has_busybox_beside_zc32_programs(bb):
    """/bin/busybox is Debian's binary byte for byte, every applet of its
    table is a link to it in /bb, and zc32's own /bin/ls, /bin/sh stay."""
    root = Path(bb[0].path)
    assert debugfs_cat(root, "/bin/busybox") == BUSYBOX_DEB_BIN.read_bytes()
    listing = debugfs(root, "ls -l /bb")
    busybox_ino = re.search(r"Inode: (\d+)", debugfs(root, "stat /bin/busybox")).group(1)
    links = re.findall(r"^\s*(\d+)\s+\S+\s+\(\d+\)\s+\d+\s+\d+\s+\d+\s+\S+\s+\S+\s+(\S+)\s*$", listing, re.M)
    names = {name for ino, name in links if ino == busybox_ino}
    assert {"ls", "sh", "ps", "top", "ping", "httpd", "sha256sum", "tar", "awk"} <= names
    assert len(names) > 200, f"{len(names)} applet links"
    assert debugfs_cat(root, "/bin/ls") == (qemu.BUILD / "rootfs" / "bin" / "ls").read_bytes()


def test_tls_selector_while_a_kernel_thread_runs(run_guest, storage):
    """glibc keeps a set_thread_area selector in %gs; user/tests/tlsswitch.c
    holds one while the flusher kernel thread writes its file back.  Traps
    must not carry that %gs into kernel frames (kernel/trap/entry.S): the
    TLS slot is not present while the flusher runs, and reloading it was
    a kernel panic that any busybox command writing a file set off."""
    r = run_guest("tlsswitch", disks=storage.disks)
    check_test_program(r, required=["gs.before", "write", "gs.after"])


def test_busybox_as_init(request, bb):
    """busybox APPLET as pid 1, no shell: uname reports zc32, and init's
    exit status is the applet's."""
    r = qemu.boot(init="/bin/busybox", args=["uname", "-s", "-r", "-m"], disks=bb, timeout=60)
    save_log(request, r)
    check_boot(r, exit_code=0)
    assert re.search(r"^zc32 \S+ i686$", script_output(r), re.M), r.describe()


def test_interactive_shell_edits_lines(request, bb):
    """busybox's interactive sh puts the console in raw mode (TCSETS) and
    reads key by key: Tab completes "ech" to "echo" before Enter is
    pressed (in the kernel's cooked mode the shell would see nothing until
    the end of the line, and the step waiting for "echo" would time out)."""
    r = qemu.boot(init="/bin/busybox", args=["sh", "-i"], disks=bb, timeout=60,
                  input=[(r"(?m)^/ # ", "ech\t"),
                         (r"(?m)^/ # echo", " tab-completed\n"),
                         (r"(?m)^tab-completed$", "exit 0\n")], step_timeout=20)
    save_log(request, r)
    check_boot(r, exit_code=0)


def test_shell_builtins(request, bb):
    """The shell's own language: for, while, arithmetic, case, functions,
    test, and the exit status of a failing builtin."""
    r = boot_script(request, bb, """
for i in 1 2 3; do echo "for-$i"; done
n=0; while [ $n -lt 5 ]; do n=$((n + 1)); done; echo "while-$n"
f() { echo "func-$1-$#"; return 7; }; f x y; echo "status-$?"
case zc32 in z*) echo case-ok ;; *) echo case-bad ;; esac
[ 3 -gt 2 ] && [ -n "$n" ] && echo test-ok
""")
    out = check_script(r)
    for want in ("for-1", "for-2", "for-3", "while-5", "func-x-2", "status-7", "case-ok", "test-ok"):
        assert re.search(rf"^{want}$", out, re.M), f"{want} missing\n{r.describe()}"


# ---------------------------------------------------------------------------
# The shell: redirection, pipes, command substitution, jobs, traps.

def test_shell_redirection(request, bb):
    r = boot_script(request, bb, """
echo first > /tmp/r.txt
echo second >> /tmp/r.txt
while read line; do echo "got-$line"; done < /tmp/r.txt
""")
    out = check_script(r)
    assert "got-first\ngot-second" in out, r.describe()
    assert debugfs_cat(Path(bb[0].path), "/tmp/r.txt") == b"first\nsecond\n"


def test_shell_pipes_and_substitution(request, bb):
    r = boot_script(request, bb, """
echo "sub-$(echo inner)"
echo "lines-$(printf 'a\\nb\\nc\\n' | sort -r | head -n 2 | wc -l)"
printf 'x y z\\n' | while read a b c; do echo "piped-$c$b$a"; done
""")
    out = check_script(r)
    for want in ("sub-inner", "lines-2", "piped-zyx"):
        assert re.search(rf"^{want}$", out, re.M), f"{want} missing\n{r.describe()}"


def test_shell_background_and_wait(request, bb):
    r = boot_script(request, bb, """
(sleep 1; exit 5) & p=$!
echo "started-$([ $p -gt 1 ] && echo yes)"
wait $p; echo "waited-$?"
for i in 1 2 3; do (exit $i) & done; wait; echo all-waited
""")
    out = check_script(r)
    for want in ("started-yes", "waited-5", "all-waited"):
        assert re.search(rf"^{want}$", out, re.M), f"{want} missing\n{r.describe()}"


def test_shell_trap(request, bb):
    r = boot_script(request, bb, """
trap 'echo trapped-USR1' USR1
kill -USR1 $$
trap 'echo on-exit' EXIT
echo after-trap
""")
    out = check_script(r)
    assert re.search(r"^trapped-USR1\n(?:.*\n)*after-trap$", out, re.M), r.describe()
    assert "on-exit" in out


# ---------------------------------------------------------------------------
# Core applets, and what they left on the disk.

def test_ls_l(request, bb):
    r = boot_script(request, bb, "ls -l /data\nls -ld /bb\nls /bb | wc -l")
    out = check_script(r)
    assert re.search(r"^-rw-r--r--\s+1 0\s+0\s+1024 .* 1k\.bin$", out, re.M), r.describe()
    assert re.search(r"^-rw-r--r--\s+1 0\s+0\s+1234567 .* odd\.bin$", out, re.M), r.describe()
    assert re.search(r"^dr\S+\s+\d+ 0\s+0\s+\d+ .* /bb$", out, re.M), r.describe()


def test_cat_wc_sort(request, bb):
    r = boot_script(request, bb, """
printf 'pear\\napple\\nfig\\n' > /tmp/fruit
cat /tmp/fruit /tmp/fruit | wc -l
sort /tmp/fruit
wc -c /data/odd.bin
""")
    out = check_script(r)
    assert re.search(r"^6$", out, re.M), r.describe()
    assert "apple\nfig\npear\n" in out
    assert re.search(r"^1234567 /data/odd\.bin$", out, re.M)


def test_cp_mv_rm_mkdir(request, bb):
    """The files the applets leave are what the host reads back, and the
    file system is clean afterwards."""
    r = boot_script(request, bb, """
mkdir -p /tmp/a/b/c /tmp/keep
cp /data/1m.bin /tmp/a/b/c/one
cp /data/odd.bin /tmp/a/b/odd
mv /tmp/a/b/odd /tmp/keep/odd
rm -r /tmp/a
ls /tmp
sync
""")
    check_script(r)
    root = Path(bb[0].path)
    assert hashlib.sha256(debugfs_cat(root, "/tmp/keep/odd")).hexdigest() == mkdata.expected_sha256("odd.bin")
    assert "File not found" in debugfs(root, "stat /tmp/a") + debugfs_stderr(root, "stat /tmp/a")
    e2fsck(root)


def debugfs_stderr(img, command):
    p = subprocess.run([str(Path("/usr/sbin/debugfs")), "-R", command, str(img)], capture_output=True, text=True)
    return p.stderr


def test_sha256sum(request, bb):
    r = boot_script(request, bb, "sha256sum /data/1m.bin /data/odd.bin")
    out = check_script(r)
    for name in ("1m.bin", "odd.bin"):
        assert f"{mkdata.expected_sha256(name)}  /data/{name}" in out, r.describe()


def test_find_grep_sed_awk(request, bb):
    r = boot_script(request, bb, """
find /data -name '*.bin' -size +1000k | sort
printf 'alpha 1\\nbeta 2\\ngamma 3\\n' > /tmp/t
grep -n beta /tmp/t
sed -e 's/a/A/g' -e '/gamma/d' /tmp/t
awk '{ s += $2 } END { print "sum=" s }' /tmp/t
""")
    out = check_script(r)
    assert "/data/16m.bin\n/data/1m.bin\n/data/64m.bin\n/data/odd.bin\n" in out, r.describe()
    assert re.search(r"^2:beta 2$", out, re.M)
    assert "AlphA 1\nbetA 2\n" in out
    assert re.search(r"^sum=6$", out, re.M)


def test_tar_round_trip(request, bb):
    """tar packs two files, unpacks them elsewhere, the hashes match, and
    the archive itself is a tar Python reads."""
    r = boot_script(request, bb, """
tar -cf /tmp/d.tar -C /data 1k.bin odd.bin
mkdir -p /tmp/x && tar -xf /tmp/d.tar -C /tmp/x
sha256sum /tmp/x/1k.bin /tmp/x/odd.bin
sync
""")
    out = check_script(r)
    for name in ("1k.bin", "odd.bin"):
        assert f"{mkdata.expected_sha256(name)}  /tmp/x/{name}" in out, r.describe()
    with tarfile.open(fileobj=io.BytesIO(debugfs_cat(Path(bb[0].path), "/tmp/d.tar"))) as t:
        assert t.getnames() == ["1k.bin", "odd.bin"]
        assert hashlib.sha256(t.extractfile("odd.bin").read()).hexdigest() == mkdata.expected_sha256("odd.bin")


# ---------------------------------------------------------------------------
# /proc: ps and top.

def test_ps(request, bb):
    """ps lists init (busybox's sh, cmdline from /proc/1/cmdline), the
    flusher kernel thread (no cmdline: [comm]), a background sleep, and
    itself: an applet run in a forked shell, renamed with prctl, shows as
    {comm} cmdline, as on Linux."""
    r = boot_script(request, bb, "sleep 5 &\nps\nkill $!")
    out = check_script(r)
    assert re.search(r"^PID\s+USER\s+COMMAND$", out, re.M), r.describe()
    assert re.search(r"^\s*1 0\s+/bin/busybox sh$", out, re.M), r.describe()
    assert re.search(r"^\s*\d+ 0\s+\[flusher\]$", out, re.M), r.describe()
    assert re.search(r"^\s*\d+ 0\s+sleep 5$", out, re.M), r.describe()
    assert re.search(r"^\s*\d+ 0\s+\{ps\} /bin/busybox sh$", out, re.M), r.describe()


def test_top_batch(request, bb):
    r = boot_script(request, bb, "top -n1 -b")
    out = check_script(r)
    assert re.search(r"^Mem: \d+K used, \d+K free", out, re.M), r.describe()
    assert re.search(r"^CPU:\s+\d+% usr", out, re.M), r.describe()
    assert re.search(r"^Load average: 0\.00 0\.00 0\.00 \d+/\d+ \d+$", out, re.M), r.describe()
    assert re.search(r"^\s*1\s+0\s+\S+\s+S\s+.*sh$", out, re.M), r.describe()


# ---------------------------------------------------------------------------
# Network: ping over the raw ICMP socket, httpd through sendfile.

def test_ping_gateway(request, bb):
    r = boot_script(request, bb, "ping -c 3 10.0.2.2", net=qemu.Net())
    out = check_script(r)
    assert re.search(r"^3 packets transmitted, 3 packets received, 0% packet loss$", out, re.M), r.describe()
    assert len(re.findall(r"^64 bytes from 10\.0\.2\.2: seq=\d ttl=\d+ time=", out, re.M)) == 3


def test_date_close_to_host(request, bb):
    before = time.time()
    r = boot_script(request, bb, "echo date=$(date +%s)")
    out = check_script(r)
    m = re.search(r"^date=(\d+)$", out, re.M)
    assert m, r.describe()
    assert before - 5 <= int(m.group(1)) <= time.time() + 5


def ledger_copies(block):
    """{"u2k"|"k2u"|"k2k": bytes} from one `stats` report (system totals)."""
    kinds = {"to kernel": "u2k", "to user": "k2u", "within kernel": "k2k"}
    return {kinds[k]: int(v) for k, v in
            re.findall(r"^\s+(?:CPU copies)?\s+(to kernel|to user|within kernel)\s+(\d+) bytes", block, re.M)}


def nic_dma_out(block):
    m = re.search(r"^\s+(?:DMA by device)?\s+memory->nic\s+(\d+) bytes", block, re.M)
    return int(m.group(1)) if m else 0


def test_httpd_64m_zero_copy(request, bb):
    """busybox httpd -f serves /data/64m.bin to the host intact, through
    sendfile with gather DMA: between the two ledger snapshots the CPU
    copied no payload (only requests and headers), and the NIC read the
    64 MiB itself.  The guest waits for the host on a second port (nc -l):
    the host connects there once its download is complete."""
    port, done_port = qemu.free_port(), qemu.free_port()
    script = f"""
httpd -f -p 80 -h / &
stats 2>/tmp/before
echo HTTPD-READY
nc -l -p 81 </dev/null >/dev/null
stats 2>/tmp/after
echo LEDGER-BEFORE; cat /tmp/before; echo LEDGER-AFTER; cat /tmp/after; echo LEDGER-END
kill %1
"""
    g = qemu.BackgroundBoot(init="/bin/busybox", args=["sh"], input=script_text(script), disks=bb, timeout=300,
                            net=qemu.Net(hostfwd=[(port, 80), (done_port, 81)]))
    try:
        assert qemu.wait_http(port, g), "busybox httpd never answered"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/64m.bin", timeout=240) as resp:
            digest = hashlib.sha256()
            while chunk := resp.read(1 << 20):
                digest.update(chunk)
        assert digest.hexdigest() == mkdata.expected_sha256("64m.bin")
        with socket.create_connection(("127.0.0.1", done_port), timeout=30):
            pass
    finally:
        r = g.join(timeout=360)
        save_log(request, r)
    out = check_script(r)
    # The typed script is echoed first: the markers count as whole lines only.
    m = re.search(r"^LEDGER-BEFORE$(.*)^LEDGER-AFTER$(.*)^LEDGER-END$", out, re.M | re.S)
    assert m, r.describe()
    before, after = m.group(1), m.group(2)
    b, a = ledger_copies(before), ledger_copies(after)
    for kind in ("u2k", "k2u", "k2k"):
        assert a[kind] - b[kind] < 64 << 10, f"{kind}: {a[kind] - b[kind]} bytes copied by the CPU\n{r.describe()}"
    assert nic_dma_out(after) - nic_dma_out(before) >= 64 << 20, r.describe()

