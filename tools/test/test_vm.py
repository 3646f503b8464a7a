"""test_vm.py - virtual memory: page faults, copy-on-write,
mmap, swapping to a virtio disk, running out of memory.

Every boot has 32 MiB of RAM and fresh copies of the root and swap disks
(the `storage` fixture), so the programs below need the swap disk to use
several times more memory than the machine has.  The guest programs are
user/tests/memfill.c, swapfull.c and vmtest.c; besides their own verdicts
the tests check the ledger counters they print, the kernel's one-line kill
reports, and the disk images after power-off.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import (KILL_RE, check_boot, check_test_program, debugfs_cat, e2fsck,
                      have_e2fsprogs, make_swap)
import qemu

MEM = "32M"
SWAP_TIMEOUT = 180.0       # a 4x fill takes ~10 s under TCG; leave room for a slow host

FILLER_RE = re.compile(
    r"memfill: filler (?P<filler>\d+) pid (?P<pid>\d+) pages (?P<pages>\d+) rounds (?P<rounds>\d+) "
    r"mismatches (?P<mismatches>\d+) swap_outs (?P<swap_outs>\d+) swap_ins (?P<swap_ins>\d+) "
    r"faults_minor (?P<minor>\d+) faults_major (?P<major>\d+)", re.M)
TOTAL_RE = re.compile(
    r"memfill: total swap_outs (?P<swap_outs>\d+) swap_ins (?P<swap_ins>\d+) "
    r"faults_minor (?P<minor>\d+) faults_major (?P<major>\d+) evictions (?P<evictions>\d+) "
    r"cow_copies (?P<cow>\d+) swap_used (?P<swap_used>\d+) swap_writes (?P<swap_writes>\d+)", re.M)
RAM_RE = re.compile(r"memfill: (\d+) pages of RAM", re.M)
# Boot lines (kernel/main.c storage_probe, kernel/mm/swap.c swap_init,
# kernel/mm/reclaim.c reclaim_init).
NOT_USED_LINE = "vdb: no filesystem or swap signature: not used"
NO_SWAP_LINE = "swap: no swap disk: running without swap"
BAD_HEADER_LINE = "swap: vdb: bad swap header, not used"
CLOCK_LINE = "vm: page replacement policy clock"
# Swap slots memfill's totals may still count once every filler is gone:
# pages of the reporting process itself that went to swap while it waited
# and that it has not written since (its argument strings at the top of
# the stack, say; a page it only read stays in the swap cache).  A leak of
# the fillers' slots would be thousands.
OWN_SLOTS = 8
OOM_RE = re.compile(r"zc32: pid (\d+) \((\w+)\) killed: out of memory \(RAM and swap are full\)", re.M)
OOM_AT_RE = re.compile(r"killed: out of memory \(RAM and swap are full\) at (0x[0-9a-f]{8}) \(([a-z ,]+)\)"
                       r"(?:, the largest: \d+ pages in RAM \+ \d+ in swap)?$", re.M)


def fault_words(err: int) -> str:
    """The page-fault error code in words, as the kernel prints it."""
    return (f"{'user' if err & 4 else 'kernel'} {'write' if err & 2 else 'read'}, "
            f"{'protection' if err & 1 else 'not present'}")

pytestmark = pytest.mark.skipif(not have_e2fsprogs(), reason="e2fsprogs (mke2fs, e2fsck, debugfs) missing")


def memfill(run_guest, storage, args, append="", disks=None):
    """Run memfill as init on a 32 MiB guest; check it passed; returns
    (result, per-filler dicts, totals dict, RAM pages)."""
    r = run_guest("memfill", args, memory=MEM, append=append, timeout=SWAP_TIMEOUT,
                  disks=storage.disks if disks is None else disks)
    check_boot(r, exit_code=None)
    fillers = [{k: int(v) for k, v in m.groupdict().items()} for m in FILLER_RE.finditer(r.output)]
    t = TOTAL_RE.search(r.output)
    ram = RAM_RE.search(r.output)
    info = r.describe()
    assert fillers and t and ram, f"memfill printed no report\n{info}"
    for f in fillers:
        assert f["mismatches"] == 0, f"filler {f['filler']} found {f['mismatches']} bad pages\n{info}"
    assert "memfill: PASS" in r.output, info
    check_boot(r, exit_code=0)
    return r, fillers, {k: int(v) for k, v in t.groupdict().items()}, int(ram.group(1))


def test_fill_four_times_ram(run_guest, storage):
    """One program fills and checks 4x the RAM: every page goes to swap
    and comes back, and the ledger says so."""
    r, (f,), total, ram = memfill(run_guest, storage, ["-x", "400", "-q"])
    assert f["pages"] >= 4 * ram - 4
    overflow = f["pages"] - ram
    # Writing 4x RAM pushes at least the overflow out; reading it all back
    # brings (nearly) every page in, each one a major fault.
    assert total["swap_outs"] >= overflow, r.describe()
    assert total["swap_ins"] >= overflow, r.describe()
    assert f["major"] >= overflow and f["minor"] >= f["pages"] - 16, r.describe()
    assert CLOCK_LINE in r.output.splitlines(), "clock is not the default policy\n" + r.describe()
    # Clustered writes: the pager wrote several pages per disk request
    # (up to SWAP_CLUSTER = 16; scattered victims still get adjacent slots).
    assert total["swap_writes"] > 0, r.describe()
    assert total["swap_outs"] >= 4 * total["swap_writes"], \
        f"{total['swap_outs']} pages in {total['swap_writes']} swap writes\n{r.describe()}"
    assert total["swap_used"] <= OWN_SLOTS, f"swap slots leaked\n{r.describe()}"


def test_two_fillers_at_once(run_guest, storage):
    """Two processes, each 4x the RAM, paging against each other."""
    r, fillers, total, ram = memfill(run_guest, storage, ["-x", "400", "-p", "2", "-q"])
    assert len(fillers) == 2 and {f["filler"] for f in fillers} == {0, 1}
    assert total["swap_ins"] >= 2 * (fillers[0]["pages"] - ram), r.describe()
    assert total["swap_outs"] >= total["swap_ins"] - ram, r.describe()
    assert total["swap_used"] <= OWN_SLOTS, f"swap slots leaked\n{r.describe()}"


def test_fork_cow_under_swap(run_guest, storage):
    """A forked child and its parent both check the inherited pages (many
    of them in swap, their slots shared) and overwrite them: each sees only
    its own data."""
    r, fillers, total, ram = memfill(run_guest, storage, ["-x", "150", "-f", "-q"])
    assert sorted(f["filler"] for f in fillers) == [0, 1]
    assert all(f["rounds"] == 2 for f in fillers)
    assert total["swap_ins"] > 0 and total["swap_outs"] > 0
    # Pages still resident and shared at the first write are copied.
    assert total["cow"] > 0, r.describe()
    # The fork copied nothing: it pushed out a few pages for page tables
    # at most (a fork that copies each resident page pushes out thousands).
    m = re.search(r"memfill: fork of (\d+) pages swapped out (\d+)", r.output)
    assert m and int(m[2]) < int(m[1]) // 10, r.describe()
    # Parent and child unmapped or exited: every shared slot is free.
    assert total["swap_used"] <= OWN_SLOTS, f"swap slots leaked\n{r.describe()}"


WSLOOP_RE = re.compile(r"wsloop: policy (?P<policy>\w+) pages (?P<pages>\d+) free (?P<free>\d+) "
                       r"passes (?P<passes>\d+) major_faults (?P<major>\d+) swap_ins (?P<swap_ins>\d+) "
                       r"swap_outs (?P<swap_outs>\d+) bad (?P<bad>\d+)", re.M)
WSPASS_RE = re.compile(r"wsloop: pass (?P<k>\d+) major_faults (?P<major>\d+) swap_ins (?P<swap_ins>\d+) "
                       r"swap_outs (?P<swap_outs>\d+)", re.M)


def wsloop(run_guest, storage, args, append=""):
    """Run wsloop as init on a 32 MiB guest: (summary dict, per-pass dicts)."""
    r = run_guest("wsloop", args, memory=MEM, append=append, timeout=SWAP_TIMEOUT,
                  disks=storage.disks)
    check_boot(r, exit_code=0)
    m = WSLOOP_RE.search(r.output)
    assert m, f"wsloop printed no summary\n{r.describe()}"
    total = {k: (v if k == "policy" else int(v)) for k, v in m.groupdict().items()}
    passes = [{k: int(v) for k, v in p.groupdict().items()} for p in WSPASS_RE.finditer(r.output)]
    assert total["bad"] == 0 and len(passes) == total["passes"], r.describe()
    return r, total, passes


def test_clean_swapped_in_pages_are_not_written_again(run_guest, storage):
    """A page swapped in by a read and never written keeps its swap slot
    (the swap cache): evicting it again is free.  wsloop writes an array
    of 1.2x the free memory once, then only reads it: the first read pass
    pushes out the pages written before it, later passes page in and out
    as much but write (almost) nothing to swap."""
    r, total, passes = wsloop(run_guest, storage, ["120", "3"])
    n, free = total["pages"], total["free"]
    for p in passes:
        # Still a working set larger than RAM: every pass pages in.
        assert p["swap_ins"] >= n - free, r.describe()
    # Pass 1 evicts the dirty pages the write left in RAM, once each.
    assert passes[0]["swap_outs"] <= free + 64, r.describe()
    for p in passes[1:]:
        assert p["swap_outs"] <= n // 100, f"pass {p['k']} wrote clean pages to swap\n{r.describe()}"


def test_page_cache_evicted_under_pressure(run_guest, storage):
    """Replacement takes page-cache pages too, clean and dirty: while a
    filler holds RAM's worth of anonymous memory, cachepress copies the
    64 MiB /data/64m.bin (twice RAM) to /cp.bin without fsync and reads the
    copy back.  The source's clean pages must be dropped as the copy goes
    on, the copy's dirty pages written back and dropped; the data arrives
    intact and e2fsck is clean."""
    r = run_guest("cachepress", ["/data/64m.bin", "/cp.bin"], memory=MEM, timeout=SWAP_TIMEOUT,
                  disks=storage.disks)
    check_test_program(r, required=["cachepress.copied", "cachepress.read_back",
                                    "cachepress.filler_data_intact"])
    sys_path = str(qemu.ROOT / "tools")
    import sys
    if sys_path not in sys.path:
        sys.path.insert(0, sys_path)
    import mkdata
    m = re.search(r"cachepress: sha256 ([0-9a-f]{64})", r.output)
    assert m and m.group(1) == mkdata.expected_sha256("64m.bin"), r.describe()
    c = re.search(r"cachepress: (?P<bytes>\d+) bytes, (?P<ram>\d+) pages of RAM; evictions (?P<ev>\d+) "
                  r"evictions_cache (?P<cache>\d+) evictions_cache_dirty (?P<dirty>\d+) "
                  r"swap_outs (?P<outs>\d+)", r.output)
    assert c, r.describe()
    c = {k: int(v) for k, v in c.groupdict().items()}
    file_pages = c["bytes"] // 4096
    # Source and copy: twice the file's pages went through a page cache
    # that can hold at most RAM's worth.
    assert c["cache"] >= 2 * file_pages - c["ram"], r.describe()
    assert c["dirty"] > 0, "no dirty page-cache page was written back and evicted\n" + r.describe()
    assert c["ev"] >= c["cache"] + c["outs"], r.describe()
    e2fsck(storage.root)


def test_swap_with_four_segments_per_request(run_guest, storage):
    """virtio_blk.max_segs=4 (docs/boot.md): the swap disk takes 4 data
    segments per request, so the pager's clusters are 4 pages, not
    SWAP_CLUSTER's 16 (a 16-page cluster in one request panicked)."""
    r, (f,), total, ram = memfill(run_guest, storage, ["-x", "150", "-q"],
                                  append="virtio_blk.max_segs=4")
    assert re.search(r"^vdb: virtio-blk, .* 4 segments/request", r.output, re.M), r.describe()
    assert total["swap_outs"] >= f["pages"] - ram and total["swap_ins"] > 0, r.describe()
    assert total["swap_outs"] <= 4 * total["swap_writes"], r.describe()
    # Still clustered: most requests carry the 4 pages they can.
    assert total["swap_outs"] >= 3 * total["swap_writes"], r.describe()
    assert total["swap_used"] <= OWN_SLOTS, f"swap slots leaked\n{r.describe()}"


def test_swap_write_error_keeps_pages_mapped(run_guest, storage, tmp_path):
    """The swap disk fails one write (QEMU blkdebug): the pages of that
    cluster go back into their page tables (the slots hold nothing) and
    are swapped out again later; no frame or slot is kept for ever (they
    leaked, held by the pager, their never-written slots in use)."""
    rules = tmp_path / "write-fails-once.conf"
    rules.write_text('[inject-error]\nevent = "write_aio"\niotype = "write"\nerrno = "5"\n'
                     'once = "on"\n')
    disks = [qemu.Disk(storage.root), qemu.Disk(storage.swap, blkdebug=rules)]
    r, (f,), total, ram = memfill(run_guest, storage, ["-x", "150", "-q"], disks=disks)
    assert re.search(r"^swap: write error", r.output, re.M), \
        r.describe()
    assert total["swap_outs"] >= f["pages"] - ram, r.describe()
    assert total["swap_used"] <= OWN_SLOTS, f"swap slots leaked\n{r.describe()}"


def test_fifo_policy(run_guest, storage):
    """vm.policy=fifo replaces pages too, without losing any."""
    r, (f,), total, ram = memfill(run_guest, storage, ["-x", "200", "-q"], append="vm.policy=fifo")
    assert "vm: page replacement policy fifo" in r.output
    assert total["swap_ins"] >= f["pages"] - ram


def test_no_swap_disk(run_guest, storage):
    """Without a swap disk, memory that fits in RAM still works."""
    r, (f,), total, ram = memfill(run_guest, storage, ["-x", "50", "-q"], disks=storage.root_only)
    assert NO_SWAP_LINE in r.output.splitlines(), r.describe()
    assert total["swap_outs"] == 0 and total["swap_ins"] == 0


def test_fork_at_low_memory_keeps_the_reserve(run_guest, storage):
    """Without swap, a process fills RAM down to the kernel's reserve and
    forks: the fork fails with ENOMEM (or succeeds with a child that can
    run) instead of copying the address space into the frames kept for the
    pager; the parent's data is intact (user/tests/forklow.c)."""
    r = run_guest("forklow", [], memory=MEM, timeout=SWAP_TIMEOUT, disks=storage.root_only)
    check_test_program(r, required=["forklow.fork_ok_or_enomem", "forklow.reserve_intact",
                                    "forklow.data_intact"])
    assert not OOM_RE.search(r.output), r.describe()


def test_disk_without_swap_signature_is_not_written(run_guest, storage, tmp_path):
    """A second disk of zeros is not swap: the kernel says so, never
    writes it, and a program larger than RAM is stopped instead."""
    blank = tmp_path / "blank.img"
    subprocess.run(["truncate", "-s", "64M", str(blank)], check=True)
    r = run_guest("swapfull", ["10"], memory=MEM, timeout=SWAP_TIMEOUT,
                  disks=[qemu.Disk(storage.root), qemu.Disk(blank)])
    check_test_program(r)
    assert OOM_RE.search(r.output), r.describe()
    lines = r.output.splitlines()
    assert NOT_USED_LINE in lines and NO_SWAP_LINE in lines, r.describe()
    with open(blank, "rb") as fh:
        while chunk := fh.read(1 << 20):
            assert chunk.count(0) == len(chunk), "the kernel wrote to a disk without a swap signature"


@pytest.mark.parametrize("damage", ["version", "last_page"])
def test_swap_signature_with_bad_header_is_not_used(run_guest, storage, tmp_path, damage):
    """A disk with the SWAPSPACE2 signature but a header the kernel cannot
    trust (an unknown version; more slots than the disk has) is refused at
    boot and never written; a program larger than RAM is stopped instead."""
    bad = make_swap(tmp_path / "badswap.img", 16)
    with open(bad, "r+b") as fh:
        if damage == "version":
            fh.seek(1024)                  # union swap_header: info.version
            fh.write((2).to_bytes(4, "little"))
        else:
            fh.seek(1028)                  # info.last_page: past the end of the disk
            fh.write((16 * 256 * 2).to_bytes(4, "little"))
    before = bad.read_bytes()
    r = run_guest("swapfull", ["10"], memory=MEM, timeout=SWAP_TIMEOUT,
                  disks=[qemu.Disk(storage.root), qemu.Disk(bad)])
    check_test_program(r)
    lines = r.output.splitlines()
    assert "vdb: Linux swap area" in lines and BAD_HEADER_LINE in lines, r.describe()
    assert not re.search(r"swap: vdb: \d+ slots", r.output), r.describe()
    assert OOM_RE.search(r.output), r.describe()
    assert bad.read_bytes() == before, "the kernel wrote to a swap disk whose header it refused"


def test_out_of_swap(run_guest, storage, tmp_path):
    """RAM and an 8 MiB swap disk run out: the offender is killed with the
    clear message, the kernel lives on, another process's data is intact,
    and the offender's swap slots come back."""
    small = make_swap(tmp_path / "swap8.img", 8)
    r = run_guest("swapfull", [], memory=MEM, timeout=SWAP_TIMEOUT,
                  disks=[qemu.Disk(storage.root), qemu.Disk(small)])
    check_test_program(r, required=["swapfull.offender_stopped", "swapfull.victim_data_intact",
                                    "swapfull.offender_slots_freed", "swapfull.memory_usable_after",
                                    "swapfull.slots_freed_at_exit"])
    m = OOM_RE.search(r.output)
    assert m and m.group(2) == "swapfull", f"no out-of-memory report\n{r.describe()}"
    st = re.search(r"swapfull: offender pid (\d+): wait status", r.output)
    assert st and st.group(1) == m.group(1), "the wrong process was killed\n" + r.describe()
    assert "swap: vdb: 2047 slots" in r.output


def test_out_of_swap_inside_write(run_guest, storage, tmp_path):
    """RAM and swap run out inside a system call: the offender write()s a
    fresh buffer bigger than RAM + swap in one call, so its pages are
    demand-zero faulted inside copy_from_user while write() holds the
    file's write lock and a page-cache page.  The copy must fail, the call
    unwind, and the offender die on its way out: a second process then
    appends to the same file and finishes, and the disk is clean."""
    small = make_swap(tmp_path / "swap8.img", 8)
    r = run_guest("swapfull", ["-w"], memory=MEM, timeout=SWAP_TIMEOUT,
                  disks=[qemu.Disk(storage.root), qemu.Disk(small)])
    check_test_program(r, required=["swapfull.write_offender_killed",
                                    "swapfull.second_writer_finished",
                                    "swapfull.victim_data_intact", "swapfull.offender_slots_freed",
                                    "swapfull.offender_frames_freed",
                                    "swapfull.memory_usable_after"])
    ooms = OOM_RE.findall(r.output)
    st = re.search(r"swapfull: offender pid (\d+): wait status", r.output)
    # Exactly one report, for the offender, though the kernel went on
    # unwinding the write after the failed copy.
    assert len(ooms) == 1 and ooms[0] == (st.group(1), "swapfull"), r.describe()
    # ... and it was copy_from_user that faulted: a kernel read.
    at = OOM_AT_RE.search(r.output)
    assert at and at.group(2) == "kernel read, not present", r.describe()
    data = debugfs_cat(storage.root, "/swapfull.dat")
    line = b"swapfull: second writer was here\n"
    # The offender's part: whole pages of zeros (its buffer was never
    # written), as much as fitted before memory ran out; then the line.
    assert data.endswith(line), f"/swapfull.dat ends {data[-64:]!r}"
    body = data[:-len(line)]
    assert len(body) >= (1 << 20) and len(body) % 4096 == 0, len(body)
    assert body.count(0) == len(body), "the offender's part of /swapfull.dat is not zeros"
    e2fsck(storage.root)


def test_vmtest(run_guest, storage):
    """COW, faults that kill, mmap/munmap/mprotect, file mappings, exec
    demand paging (user/tests/vmtest.c); then the host checks the kill
    reports and the file written through MAP_SHARED."""
    r = run_guest("vmtest", [], memory=MEM, timeout=120, disks=storage.disks)
    check_test_program(r, required=[
        "cow.child_sees_own", "cow.parent_sees_own", "cow.copies_counted",
        "cow.readonly_parent_unchanged", "kill.null_read", "kill.text_write", "kill.kernel_read",
        "kill.stack_past_limit", "stack.grows_to_7.5MiB", "mmap.readonly_write",
        "mprotect.read_then_write", "munmap.then_touch", "mmap.fixed_replaces",
        "mmap.einval_shared_anon",
        "file.mmap_matches_read", "file.private_read_copies_nothing", "file.private_write_not_in_file",
        "file.private_write_copies", "tail.read_back", "tail.write_after_mprotect_kept",
        "hole.shared_write_kept", "hole.other_pages_zero", "hole.eoverflow",
        "file.shared_write_visible_to_read", "exec.warm_no_major_faults",
        "filemap.first_touch_major",
        "trunc.uncached_cut_reads_zero", "trunc.mapping_before_cut_intact",
        "trunc.read_before_cut_intact", "trunc.tail_zero_in_mapping",
        "trunc.tail_zero_in_private", "trunc.sigbus_shared_read", "trunc.sigbus_shared_write",
        "trunc.sigbus_private_uncopied", "trunc.syscall_efault", "trunc.private_copy_kept", "trunc.sigbus_new_mapping",
        "trunc.last_page_shared_with_read", "trunc.extend_reads_zero",
        "trunc.extend_mapping_zero", "trunc.extend_private_zero",
        "trunc.extend_write_in_mapping", "trunc.o_trunc_sigbus"])
    kills = [m.groupdict() for m in KILL_RE.finditer(r.output)]
    # Past the end of a truncated mapped file: SIGBUS (Linux's answer),
    # each at the address the guest announced, as a page fault on a page
    # that is not present; every other kill is SIGSEGV.
    before, rest = r.output.split("vmtest: truncating a mapped file\n", 1)
    trunc, _ = rest.split("vmtest: truncate done", 1)
    expected = re.findall(r"vmtest: expect SIGBUS at (0x[0-9a-f]{8}) \((read|write)\)", trunc)
    bus = [m.groupdict() for m in KILL_RE.finditer(trunc)]
    assert len(expected) == 5 and len(bus) == len(expected), r.describe()
    for (addr, access), k in zip(expected, bus):
        assert (k["name"], k["sig"], k["vector"], k["what"]) == ("vmtest", "SIGBUS", "14", "page fault"), k
        assert int(k["addr"], 16) == int(addr, 16), (addr, k)
        assert k["err_words"] == f"user {access}, not present", (access, k)
    assert kills and all(k["name"] == "vmtest" and k["sig"] == "SIGSEGV"
                         for k in kills if k not in bus), r.describe()
    # Page-fault reports decode the error code in words.
    for k in kills:
        if k["vector"] == "14":
            assert k["err_words"] == fault_words(int(k["err"], 16)), r.describe()
    # The stack overflow: the report after the announcement, at an address
    # just below the 8 MiB stack area (0xc0000000 - 8 MiB = 0xbf800000).
    after = r.output.split("a stack grown past 8 MiB", 1)[1]
    k = KILL_RE.search(after)
    addr = int(k.group("addr"), 16)
    assert 0xBF700000 <= addr < 0xBF800000, f"stack overflow reported at {addr:#x}"
    assert int(k.group("vector")) == 14
    # The null-pointer read: address 0, user-mode read of a missing page.
    assert any(int(k["addr"], 16) == 0 and int(k["err"], 16) == 0x4 and
               k["err_words"] == "user read, not present" for k in kills)
    # The write to program text: a user write to a present, read-only page.
    assert any(k["err_words"] == "user write, protection" for k in kills), r.describe()
    # mmap of /data/1m.bin hashed in the guest = the file's known sha256.
    sys_path = str(qemu.ROOT / "tools")
    import sys
    if sys_path not in sys.path:
        sys.path.insert(0, sys_path)
    import mkdata
    m = re.search(r"sha256 of /data/1m.bin through mmap: ([0-9a-f]{64})", r.output)
    assert m and m.group(1) == mkdata.expected_sha256("1m.bin")
    # Writes through MAP_SHARED reached the disk (munmap + fsync, then the
    # power-off sync), and the file system is clean.
    data = debugfs_cat(storage.root, "/vmtest.dat")
    assert len(data) == 16 * 4096
    for pg in range(16):
        line = f"vmtest page {pg} written through MAP_SHARED\n".encode()
        chunk = data[pg * 4096:(pg + 1) * 4096]
        assert chunk.startswith(line), f"page {pg} of /vmtest.dat: {chunk[:64]!r}"
        rest = chunk[len(line) + 1:]
        if pg == 5:
            assert rest[100 - len(line) - 1:100 - len(line) - 1 + 14] == b"child was here"
        else:
            assert rest.count(b".") == len(rest)
    # The truncated file: the 1.5 pages before the cut as written through
    # MAP_SHARED (one byte flipped through the mapping made after the
    # cut), zeros up to the old end of page 3, then what write() put there.
    data = debugfs_cat(storage.root, "/vmtrunc.dat")
    page, cut, msg = 4096, 4096 + 2048, b"page 3 written with write() after the extension\n"
    want = bytearray((11 * 131 + i // page * 7 + i) & 0xFF for i in range(cut))
    want[page + 100] ^= 0xFF
    want += bytes(2 * page - cut) + msg + bytes(page - len(msg))
    assert len(data) == 3 * page and data == bytes(want), \
        f"/vmtrunc.dat: {len(data)} bytes, first difference at " \
        f"{next((i for i, (a, b) in enumerate(zip(data, want)) if a != b), None)}"
    e2fsck(storage.root)


HOT_RE = re.compile(r"wsloop: policy .* hot_pages (\d+)$", re.M)


def test_clock_keeps_a_hot_set(run_guest, storage):
    """Second chance (vm.policy=clock, the default) keeps a hot set that a
    loop larger than RAM keeps using: wsloop's array is 1.3x the free
    memory, its first 20% read again at every step.  From the second pass
    on only the cold pages fault (FIFO faults on them all, ~pages per pass:
    tools/bench/bench_vm.py policy-hot); docs/labs/clock.md."""
    r, total, passes = wsloop(run_guest, storage, ["130", "2", "20"])
    m = HOT_RE.search(r.output)
    assert total["policy"] == "clock" and m, r.describe()
    n, hot = total["pages"], int(m.group(1))
    assert hot > n // 10, r.describe()
    for p in passes[1:]:
        assert p["major"] <= n - hot // 2, \
            f"pass {p['k']}: {p['major']} major faults for {n} pages, {hot} of them hot\n{r.describe()}"
