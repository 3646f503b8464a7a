"""test_procfs.py - /proc (kernel/fs/procfs.c) and /dev (kernel/fs/devfs.c), docs/proc.md.

user/tests/proctest.c checks each file's format and numbers in the guest
(its stat line against getpid/getppid, cmdline against its argv, utime
after a busy loop, readdir, the self and exe links through readlink,
stat and exec, and bad input with Linux's errno values).  Here: it runs
on the disk root and on the initrd root (/proc sits over either), and
zc32's process count agrees with what /proc lists.
"""

import pytest

from conftest import check_test_program

REQUIRED = ["stat.pid", "stat.fields", "stat.cpu_time", "cmdline.argv", "readlink.exe",
            "readlink.not_link", "exec.proc_self_exe", "readdir.self_pid_once", "child.ppid",
            "meminfo.total", "stat.btime", "bad.write", "bad.rename_errno", "bad.read_efault"]


def test_proctest_on_disk(run_guest, storage):
    r = run_guest("proctest", args=["alpha", "beta"], disks=storage.disks)
    check_test_program(r, required=REQUIRED)


def test_proctest_on_initrd(run_guest):
    r = run_guest("proctest", args=["alpha", "beta"], mode="kernel")
    check_test_program(r, required=REQUIRED)


def test_dev_null_and_zero(run_guest, storage):
    """/dev (kernel/fs/devfs.c), mounted beside /proc: user/tests/devtest.c."""
    r = run_guest("devtest", disks=storage.disks)
    check_test_program(r, required=["null.read_eof", "null.write", "zero.zeros", "readdir",
                                    "rename.errno", "proc_too"])
