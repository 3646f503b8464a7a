"""test_linuxabi.py - the Linux calls glibc and busybox need
(docs/linux-abi.md): the in-guest checks of /test/linuxabi, the wall clock
from the RTC against the host's, the strace switch, and the generated
table of implemented calls."""

import re
import subprocess
import sys
import time

from conftest import ROOT, check_boot, check_test_program, e2fsck

LINUXABI_REQUIRED = [
    "openat.relative_to_dirfd", "openat.bad_dirfd", "openat.dirfd_is_a_file",
    "fstatat64.empty_path_fd", "fstatat64.bad_flags", "statx.fields", "statx.reserved_mask",
    "unlinkat.removedir", "renameat.move", "faccessat.bad_mode", "fchdir.changes_cwd",
    "chmod.mode", "fchown32.minus_one_keeps", "utimensat.omit", "readlink.fast", "readlink.slow",
    "readlink.not_a_link", "clone.glibc_fork", "clone.parent_settid", "clone.vm",
    "vfork.child_exits", "pipe2.nonblock_empty_read", "pipe2.cloexec", "dup3.same_fd",
    "clock_gettime.all_ids", "clock_gettime64.matches", "clock_nanosleep.absolute",
    "clock_nanosleep.coarse_id", "getrandom.fills", "ugetrlimit.stack", "prlimit64.set_other",
    "prctl.set_get_name", "sysinfo.memory", "getrusage.children_faults",
    "set_robust_list.enosys", "rseq.enosys", "tls.survives_kernel_threads",
    "symlink.stat_follows", "symlink.loop", "symlink.open_nofollow", "symlink.execve_follows",
    "symlink.directory_in_path", "symlink.lchown_changes_link", "symlink.make", "symlinkat.relative",
]

STRACE_LINE = re.compile(r"^\[(\d+) (\S+)\] (\w+)\((.*)\) = (\S+)(?: \(not implemented\))?$", re.M)


def test_linuxabi(run_guest, storage):
    """Every new call with good and bad arguments; the disk stays clean.
    The guest's CLOCK_REALTIME comes from the CMOS RTC, which QEMU sets to
    the host's time: they agree within a few seconds."""
    before = time.time()
    r = run_guest("linuxabi", disks=storage.disks)
    check_test_program(r, required=LINUXABI_REQUIRED)
    m = re.search(r"^realtime: (\d+)$", r.output, re.M)
    assert m and before - 5 <= int(m.group(1)) <= time.time() + 5, r.describe()
    e2fsck(storage.root)


def test_strace_named_process(run_guest, storage):
    """strace=linuxabi logs that program's calls: decoded arguments,
    -ERRNO results, and numbers the table lacks marked."""
    r = run_guest("linuxabi", disks=storage.disks, append="strace=linuxabi")
    check_test_program(r)
    calls = STRACE_LINE.findall(r.output)
    assert len(calls) > 200, r.describe()
    assert '[1 linuxabi] openat(AT_FDCWD, "/tmp/linuxabi", 0x10000, 0) = 3' in r.output, r.describe()
    assert '[1 linuxabi] openat(999, "a.txt", 0x0, 0) = -EBADF' in r.output, r.describe()
    assert re.search(r"^\[1 linuxabi\] syscall_311\(.*\) = -ENOSYS \(not implemented\)$",
                     r.output, re.M), r.describe()
    assert "[1 linuxabi] exit_group(" in r.output and ") = ?" in r.output, r.describe()
    # the children forked by clone are traced too (same name), with their pid
    assert any(pid != "1" for pid, *_ in calls), r.describe()
    # while renamed by prctl(PR_SET_NAME), the process is not "linuxabi"
    assert "[1 abcdefghijklmno]" not in r.output, r.describe()


def test_strace_all_and_other_name(run_guest):
    """strace=1 logs every process; another name logs none."""
    r = run_guest("cat", args=["/nonexistent"], append="strace=1")
    check_boot(r, exit_code=1)
    assert '[1 cat] open("/nonexistent", 0x0, 0) = -ENOENT' in r.output, r.describe()
    r = run_guest("cat", args=["/nonexistent"], append="strace=sh")
    check_boot(r, exit_code=1)
    assert not STRACE_LINE.search(r.output), r.describe()


def test_syscall_table_doc_is_current():
    """docs/linux-abi.md's table is what tools/syscall_table.py makes from
    kernel/trap/syscall.c."""
    p = subprocess.run([sys.executable, str(ROOT / "tools" / "syscall_table.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
