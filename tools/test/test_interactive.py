"""test_interactive.py - `make run` as a student meets it (README.md).

  - `make run` (tools/qemu.py's command line) has the e1000 with a port on
    127.0.0.1 forwarded to the guest's port 80, and httpd started from the
    shell serves a file through that forward.
"""

import re
import subprocess
import sys

from conftest import BUILD, check_boot, fetch_from_iso_boot, out_line
import qemu

START = re.escape(qemu.INIT_STARTED)
QEMU_PY = BUILD.parent / "tools" / "qemu.py"


def make_run_command(*flags):
    """The QEMU command `make run` would start (qemu.py --print)."""
    p = subprocess.run([sys.executable, str(QEMU_PY), "--iso", "--print", *flags],
                       capture_output=True, text=True, check=True)
    return p.stdout


def test_make_run_has_the_nic_with_a_local_forward_to_port_80():
    cmd = make_run_command()
    assert re.search(r"-netdev '?user,id=n0,restrict=on,hostfwd=tcp:127\.0\.0\.1:\d+-:80\b", cmd), cmd
    assert "-device e1000,netdev=n0" in cmd, cmd
    assert "-nic none" in make_run_command("--no-net")


def test_curl_through_make_runs_forward(request, built, storage):
    """The ISO boots to the shell as under `make run`, with `make run`'s NIC
    (qemu.interactive_net); httpd is typed at the prompt, and the host
    fetches a file through the forwarded port."""
    r = fetch_from_iso_boot(request, storage, [(START, "httpd -x; echo httpd-done\n"),
                                               (out_line("httpd-done"), "exit\n")])
    check_boot(r, exit_code=0)


def test_student_disk_is_kept_and_its_programs_refreshed(run_guest, tmp_path):
    """make run's disk (tools/student_disk.py) is made once from the
    pristine image; a file the student wrote survives a rebuild, and a
    program that appears in the build tree after that reaches the disk."""
    import shutil
    import student_disk
    pristine = qemu.copy_image(qemu.ROOTFS_IMG, tmp_path / "rootfs.img")
    tree = tmp_path / "tree"
    shutil.copytree(BUILD / "rootfs" / "bin", tree / "bin")
    disk = tmp_path / "disk.img"

    assert "fresh copy" in student_disk.prepare(disk, pristine, tree)
    r = run_guest("sh", input=[(START, "echo mine > /mine.txt; exit 0\n")],
                  disks=[qemu.Disk(disk)], append="swap=off")
    check_boot(r, exit_code=0)

    shutil.copy(tree / "bin" / "echo", tree / "bin" / "newecho")   # "a rebuild"
    (tmp_path / "rootfs.img").unlink()         # the pristine image is remade by the build...
    assert "1 programs refreshed" in student_disk.prepare(disk, pristine, tree)
    r = run_guest("sh", input=[(START, "cat /mine.txt; newecho refreshed-program; exit 0\n")],
                  disks=[qemu.Disk(disk)], append="swap=off")
    check_boot(r, exit_code=0)
    assert re.search(out_line("mine"), r.output, re.M), r.describe()       # ...the student's disk is not
    assert re.search(out_line("refreshed-program"), r.output, re.M), r.describe()
    assert "0 programs refreshed" in student_disk.prepare(disk, pristine, tree)


def test_make_run_boots_the_student_disk():
    assert re.search(r"file=\S*/build/disk\.img,", make_run_command())


def run_qemu_py(*flags):
    """tools/qemu.py as `make run-kernel` runs it, without disks or NIC."""
    return subprocess.run([sys.executable, str(QEMU_PY), "--no-disks", "--no-net", *flags],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def test_exit_message_is_quiet_and_right(built):
    """A clean power-off says so in one line and exits 0; init's exit code
    comes back as qemu.py's; a QEMU error (status 1 as well) is named as
    one and exits non-zero."""
    p = run_qemu_py("--init", "/bin/true")
    assert p.returncode == 0 and p.stderr.strip().endswith("zc32: powered off: init exited with status 0"), p.stderr
    assert "status 1 is both" not in p.stderr and "QEMU exited" not in p.stderr, p.stderr
    p = run_qemu_py("--init", "/bin/false")
    assert p.returncode == 1 and "init exited with status 1" in p.stderr, p.stderr
    p = run_qemu_py("--", "-drive", "file=/nonexistent-zc32-image,if=virtio")
    assert p.returncode != 0 and "QEMU failed to start the machine" in p.stderr, p.stderr


def test_make_run_console_shows_grub_once(built):
    """The console of `make run` (qemu.py --iso, the serial port on this
    terminal) shows GRUB's "Booting `zc32'" once, with no stray quote
    line, and the kernel's banner after it."""
    import os
    import select
    import time
    p = subprocess.Popen([sys.executable, str(QEMU_PY), "--iso", "--no-disks", "--no-net"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, end = b"", time.monotonic() + 120
    try:
        while qemu.INIT_STARTED.encode() not in out and time.monotonic() < end:
            if select.select([p.stdout], [], [], 1)[0]:
                chunk = os.read(p.stdout.fileno(), 4096)
                if not chunk:
                    break
                out += chunk
        p.stdin.write(b"exit\n")
        p.stdin.flush()
        rest, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    text = qemu.normalize(out + rest)
    assert text.count("Booting `zc32'") == 1, text[:600]
    before_kernel = text[:text.index("zc32 0.1 booting")]
    assert not re.search(r"^\s*'\s*$", before_kernel, re.M), before_kernel
    assert p.returncode == 0, err
