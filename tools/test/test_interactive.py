"""test_interactive.py - `make run` as a student meets it (issue 14).

  - `make run` (tools/qemu.py's command line) has the e1000 with a port on
    127.0.0.1 forwarded to the guest's port 80, and httpd started from the
    shell serves a file through that forward.
"""

import hashlib
import re
import subprocess
import sys
import urllib.request

from conftest import BUILD, check_boot, out_line, save_log
import mkdata
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
    assert re.search(r"-netdev user,id=n0,restrict=on,hostfwd=tcp:127\.0\.0\.1:\d+-:80\b", cmd), cmd
    assert "-device e1000,netdev=n0" in cmd, cmd
    assert "-nic none" in make_run_command("--no-net")


def test_curl_through_make_runs_forward(request, built, storage):
    """The ISO boots to the shell as under `make run`, with `make run`'s NIC
    (qemu.interactive_net); httpd is typed at the prompt, and the host
    fetches a file through the forwarded port."""
    net = qemu.interactive_net()
    port = net.hostfwd[0][0]
    guest = qemu.BackgroundBoot(mode="iso", disks=storage.disks, net=net, timeout=240,
                                input=[(START, "httpd -x; echo httpd-done\n"),
                                       (out_line("httpd-done"), "exit\n")])
    try:
        assert qemu.wait_http(port, guest), "httpd never answered on make run's forwarded port"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/1k.bin", timeout=60) as r:
            body = r.read()
        assert hashlib.sha256(body).hexdigest() == mkdata.expected_sha256("1k.bin")
        urllib.request.urlopen(f"http://127.0.0.1:{port}/exit", timeout=60).read()
    finally:
        r = guest.join(timeout=240)
        save_log(request, r)
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
