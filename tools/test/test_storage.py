"""test_storage.py - storage: the root file system on a virtio disk.

Each test boots with fresh sparse copies of build/rootfs.img and
build/swap.img (the `storage` fixture), or with an image made for the test
by mke2fs.  After the guest has powered off, the host checks the image
with its own ext2 code: `e2fsck -fn` must find it clean, and files the
guest wrote must read back byte for byte through `debugfs -R 'cat ...'`.

  - the file-system calls (user/tests/fstest.c), on 4 KiB and 1 KiB blocks
  - a 64 MiB file written and read back (single, double and, on 1 KiB
    blocks, triple indirect blocks), checked against tools/mkdata.py
  - several processes reading and writing at once (fsconc.c)
  - random operations checked against a model of every file (fsrandom.c)
  - the ledger: a cold read DMAs the file from the disk, a warm one does not
  - the shell: redirection and pipes typed on the serial console
  - the storage programs: ls, cp, mv, mkdir, rm, stat, sync, sha256sum
  - bad disks: a corrupt superblock is refused (initrd fallback), a corrupt
    inode or directory entry gives -EIO, a full disk gives -ENOSPC and
    stays consistent
"""

import hashlib
import re
import struct
import sys

import pytest

from conftest import (BUILD, PANIC_RE, POWEROFF_RE, ROOTFS_TREE, check_boot, check_protocol,
                      check_test_program, debugfs, debugfs_cat, e2fsck, have_e2fsprogs,
                      make_ext2, out_line, parse_protocol)
from qemu import INIT_STARTED, Disk

sys.path.insert(0, str(BUILD.parent / "tools"))
import mkdata  # noqa: E402  (tools/mkdata.py)

pytestmark = pytest.mark.skipif(not have_e2fsprogs(), reason="e2fsprogs (e2fsck, debugfs) missing")

START = re.escape(INIT_STARTED)
KEEP_RE = re.compile(r"^keep: (\S+) ([0-9a-f]{64})$", re.M)
REFUSE_RE = re.compile(r"ext2: refusing to mount: (.*)$", re.M)
MOUNTED_RE = re.compile(r"ext2: vda mounted: (\d+) KiB blocks", re.M)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def xorshift_bytes(size: int, seed: int) -> bytes:
    """The bytes fstest's keep_file() writes: xorshift32, low byte of each step."""
    out = bytearray(size)
    x = seed
    for i in range(size):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x & 0xFF
    return bytes(out)


@pytest.fixture(params=[4096, 1024], ids=["4k", "1k"])
def root_image(request, storage, tmp_path):
    """The root disk for a test that runs on both block sizes: the copy of
    build/rootfs.img (4 KiB blocks), or the same tree made by mke2fs -b 1024."""
    if request.param == 4096:
        return storage.root
    return make_ext2(tmp_path / "rootfs-1k.img", size="200M", block_size=1024)


def boot_disks(root, storage):
    return [Disk(root), Disk(storage.swap)]


# ---------------------------------------------------------------------------
# The calls, a big file, concurrency, the ledger.

def test_fs_calls(run_guest, storage, root_image):
    r = run_guest("fstest", disks=boot_disks(root_image, storage))
    check_test_program(r, required=["open.creat", "open.excl_exists", "open.append_data",
                                    "rename.into_own_subdir", "getdents64.count",
                                    "stat64.layout_size", "llseek.result",
                                    "hole.rest_of_page_zero", "sync.final"])
    m = MOUNTED_RE.search(r.output)
    assert m and int(m.group(1)) * 1024 in (1024, 4096), r.describe()
    e2fsck(root_image)
    # What fstest left in /fstest/keep, read by the host's ext2 code.
    sums = dict(KEEP_RE.findall(r.output))
    expect = {"small.bin": (1000, 1), "pages.bin": (3 * 4096 + 17, 2),
              "indirect.bin": (300 * 1024 + 5, 3)}
    for name, (size, seed) in expect.items():
        data = debugfs_cat(root_image, f"/fstest/keep/{name}")
        assert data == xorshift_bytes(size, seed), f"{name}: host reads different bytes"
        assert sha256(data) == sums[name], f"{name}: guest sha256 differs from the host's"
    assert debugfs_cat(root_image, "/fstest/keep/renamed.bin") == xorshift_bytes(5000, 4)
    assert debugfs_cat(root_image, "/fstest/keep/trunc.bin") == xorshift_bytes(20000, 5)[:7777]
    listing = debugfs(root_image, "ls -l /fstest/keep")
    assert "renamed-from.bin" not in listing and "deleted.bin" not in listing, listing


def test_big_file(run_guest, storage, root_image, request):
    """A copy of /data/64m.bin, fsync'd, read back cold; then a sparse file
    with data 100 MiB in.  The host checks both through debugfs."""
    r = run_guest("bigfile", ["/data/64m.bin", "/big.bin"], timeout=180,
                  disks=boot_disks(root_image, storage))
    check_test_program(r)
    want = mkdata.expected_sha256("64m.bin")
    m = re.search(r"^bigfile: sha256 ([0-9a-f]{64})$", r.output, re.M)
    assert m and m.group(1) == want, f"guest read back the wrong bytes\n{r.describe()}"
    e2fsck(root_image)
    assert sha256(debugfs_cat(root_image, "/big.bin")) == want
    tail = bytes((i * 31 + 7) & 0xFF for i in range(8192))
    sparse = debugfs_cat(root_image, "/big.bin.sparse")
    at = 100 * 1024 * 1024 + 12345
    assert len(sparse) == at + 8192 and sparse[at:] == tail and sparse[:at].count(0) == at
    blocks = debugfs(root_image, "stat /big.bin")
    assert "(DIND)" in blocks, f"64 MiB should need the double indirect block:\n{blocks[:2000]}"
    if "1k" in request.node.name:
        assert "(TIND)" in debugfs(root_image, "stat /big.bin.sparse"), \
            "100 MiB in, 1 KiB blocks need the triple indirect block"


def test_concurrent_readers_and_writers(run_guest, storage, root_image):
    r = run_guest("fsconc", ["/conc"], disks=boot_disks(root_image, storage))
    check_test_program(r, required=["children.all_ok", "append.intact", "striped.intact"])
    e2fsck(root_image)
    log = debugfs_cat(root_image, "/conc/log")
    assert len(log) == 3 * 150 * 100 and log.count(b"\n") == 450


def test_random_operations_against_a_model(run_guest, storage, root_image):
    """1500 random creates, rewrites, appends, overwrites, truncates,
    renames and unlinks (and cache drops); every file must match the
    guest's in-memory model, and the disk must pass e2fsck."""
    r = run_guest("fsrandom", ["1500", "7"], disks=boot_disks(root_image, storage), timeout=120)
    check_test_program(r, required=["ops.no_errors", "disk.contents", "disk.no_missing"])
    e2fsck(root_image)


def test_big_directory_against_a_model(run_guest, storage, root_image):
    """Names with random lengths created, renamed and unlinked in one
    directory (entries split, merged and reused, blocks appended);
    getdents64 lists exactly the model's names; e2fsck checks the blocks."""
    r = run_guest("fsrandom", ["dir", "3", "3000"], disks=boot_disks(root_image, storage),
                  timeout=120)
    check_test_program(r, required=["dir.no_errors", "dir.listed_all", "dir.no_unknown"])
    e2fsck(root_image)


def test_ledger_cold_and_warm_read(run_guest, storage):
    """After zc_drop_caches, reading /data/1m.bin makes the disk DMA at
    least 1 MiB into memory and read() copy exactly 1 MiB to the user; a
    second read copies the same and the disk does nothing."""
    r = run_guest("cachetest", ["/data/1m.bin"], disks=storage.disks)
    check_test_program(r, required=["cold.disk_dma_at_least_size", "cold.copy_to_user_exact",
                                    "warm.no_disk_dma", "warm.copy_to_user_exact"])


def test_ledger_counts_the_probe_read_by_device(run_guest, storage):
    """storage_probe reads the first page of every disk before it knows
    what the disk is; the ledger counts that read as the device it turns
    out to be.  With swap=off it is the only read of the swap disk, so
    `stats` (the whole system since boot) shows exactly one page of swap
    DMA, and the root disk's count does not include it."""
    r = run_guest("stats", [], disks=storage.disks, append="swap=off")
    check_boot(r, exit_code=0)
    dma = dict(re.findall(r"^\s+(?:DMA by device)?\s+(disk|swap)->memory\s+(\d+) bytes$",
                          r.output, re.M))
    assert set(dma) == {"disk", "swap"}, r.describe()
    assert int(dma["swap"]) == 4096, f"swap->memory {dma['swap']}, not the probe's page\n{r.describe()}"
    assert int(dma["disk"]) > 0, r.describe()


DISK_LINE_RE = re.compile(r"^# cold: (vd\w+): (\d+) reads .* up to (\d+) of (\d+) in flight, "
                          r"up to (\d+) of (\d+) segments and (\d+) bytes per request", re.M)
# 2 MB/s: cachetest's warm-up read of the file leaves QEMU's throttle
# bucket full, so each request of the cold read then waits tens of
# milliseconds, far longer than the guest takes to queue the next one.
SLOW_DISK_BPS = 2 << 20


def slow_disks(storage):
    return [Disk(storage.root, throttle_bps=SLOW_DISK_BPS), Disk(storage.swap)]


def test_disk_requests_overlap_and_gather(run_guest, storage):
    """A cold read of /data/1m.bin from a slow disk: more than one request
    is on the device at once (virtio-blk's several requests in flight),
    and a request gathers several scattered page-cache frames, more than
    a page (scatter-gather DMA).  zc_diskstat's peaks say so."""
    r = run_guest("cachetest", ["/data/1m.bin", "disk"], disks=slow_disks(storage))
    check_test_program(r, required=["cold.disk_within_limits", "cold.disk_requests_overlap",
                                    "cold.disk_scatter_gather", "cold.disk_request_over_a_page"])
    assert DISK_LINE_RE.search(r.output), r.describe()


def test_disk_limits_make_the_checks_fail(run_guest, storage):
    """The same run with virtio-blk limited to one request in flight and one
    segment per request: the driver keeps to the limits, and the overlap
    and scatter-gather checks fail - they measure something.  (A request
    may still exceed a page when the frames happen to be adjacent.)"""
    r = run_guest("cachetest", ["/data/1m.bin", "disk"], disks=slow_disks(storage),
                  append="virtio_blk.max_inflight=1 virtio_blk.max_segs=1")
    check_boot(r, exit_code=1)
    assert re.search(r"vda: virtio-blk, .* 1 requests in flight, 1 segments/request", r.output), \
        r.describe()
    oks, not_oks, _ = parse_protocol(r.output)
    failed = {n.split(":")[0] for n in not_oks} - {"cold.disk_request_over_a_page"}
    assert failed == {"cold.disk_requests_overlap", "cold.disk_scatter_gather"}, r.describe()
    assert "cold.disk_within_limits" in oks, r.describe()
    m = DISK_LINE_RE.search(r.output)
    assert m and m.group(3) == "1" and m.group(5) == "1", r.describe()


FSYNC_MARK = "fsynctest: synced, waiting to be killed"


def test_fsync_is_durable_across_a_power_cut(run_guest, storage):
    """fsync writes the file and sends the disk a flush (zc_diskstat counts
    it), for a file and for its directory; then the host kills QEMU - no
    sync at power-off - and the synced file is on the image, byte for byte.
    The kill comes at once, before the flusher's DIRTY_EXPIRE_S (3 s) are
    up, so the disk is exactly as fsync left it: e2fsck finds it clean, and
    the file written after the fsync is simply not there."""
    size, seed = 300 * 1024 + 11, 7
    r = run_guest("fsynctest", ["/durable", str(size), str(seed)], disks=boot_disks(storage.root, storage),
                  kill_on=re.escape(FSYNC_MARK) + "$")
    assert r.killed and not PANIC_RE.search(r.output), r.describe()
    assert not POWEROFF_RE.search(r.output), "the guest must not have powered off cleanly"
    check_protocol(r, required=["fsync.result", "fsync.wrote_the_data", "fsync.flushed",
                                "fsync_dir.flushed"])
    assert debugfs_cat(storage.root, "/durable/synced") == xorshift_bytes(size, seed)
    assert "unsynced" not in debugfs(storage.root, "ls /durable")
    e2fsck(storage.root)


WRITEBACK_MARK = "writeback-waited"


def test_writeback_without_sync_survives_a_hard_kill(run_guest, storage):
    """Files written in the shell, with no sync, reach the disk by
    themselves: the flusher (kernel/fs/writeback.c) writes dirty pages and
    metadata DIRTY_EXPIRE_S (3 s) after they were dirtied.  The host kills
    QEMU (SIGKILL, no power-off sync) 8 s after the writes and finds the
    files on the image, byte for byte, and e2fsck finds it clean."""
    r = run_guest("sh", input=[
        (START, "mkdir /keep; echo written without sync > /keep/note; "
                "cp /data/1m.bin /keep/copy.bin; sleep 8; echo " + WRITEBACK_MARK + "\n"),
    ], disks=storage.disks, kill_on=out_line(WRITEBACK_MARK), timeout=60)
    assert r.killed and not PANIC_RE.search(r.output), r.describe()
    assert not POWEROFF_RE.search(r.output), "the guest must not have powered off cleanly"
    assert debugfs_cat(storage.root, "/keep/note") == b"written without sync\n", r.describe()
    assert sha256(debugfs_cat(storage.root, "/keep/copy.bin")) == mkdata.expected_sha256("1m.bin")
    e2fsck(storage.root)


def test_failed_flush_gives_fsync_eio(run_guest, storage, tmp_path):
    """The disk fails its flush requests (QEMU blkdebug): fsync of a file and
    of a directory reports EIO, and so does the sync at power-off."""
    rules = tmp_path / "flush-fails.conf"
    rules.write_text('[inject-error]\nevent = "flush_to_os"\niotype = "flush"\nerrno = "5"\n')
    disks = [Disk(storage.root, blkdebug=rules), Disk(storage.swap)]
    r = run_guest("fsynctest", ["/durable", "50000", "3", "eio"], disks=disks)
    check_test_program(r, required=["fsync.eio", "fsync_dir.eio"])
    assert "vfs: sync at power-off failed: error -5" in r.output, r.describe()


def test_tiny_virtqueue(run_guest, storage):
    """A disk whose queue has 4 descriptors (QEMU's smallest): a request
    then fits one data segment... two; the driver caps its requests to
    what fits instead of waiting forever for descriptors, and the file
    system works."""
    disks = [Disk(storage.root, queue_size=4), Disk(storage.swap, queue_size=4)]
    r = run_guest("cachetest", ["/data/1m.bin"], disks=disks)
    check_test_program(r, required=["cold.copy_to_user_exact", "cold.disk_within_limits"])
    assert re.search(r"vda: virtio-blk, .*queue 4, 1 requests in flight, 2 segments/request", r.output), \
        r.describe()


def test_one_request_in_flight_concurrent_readers(run_guest, storage):
    """fsconc with one request in flight and one segment: start_read then
    sleeps in vblk_submit after queueing the reader's own page, and a cache
    drop must not evict that page before the reader holds it (readers got
    EIO)."""
    r = run_guest("fsconc", ["/conc"], disks=boot_disks(storage.root, storage),
                  append="virtio_blk.max_inflight=1 virtio_blk.max_segs=1")
    check_test_program(r, required=["children.all_ok", "append.intact", "striped.intact"])
    e2fsck(storage.root)


# ---------------------------------------------------------------------------
# The shell and the programs, typed on the serial console.

def shell(run_guest, disks, commands, timeout=60):
    """Type each command once the previous one's output marker appeared."""
    steps, prev = [], START
    for i, c in enumerate(commands):
        marker = f"done-{i}"
        steps.append((prev, f"{c}; echo {marker}\n"))
        prev = out_line(marker)
    steps.append((prev, "exit 0\n"))
    return run_guest("sh", input=steps, disks=disks, timeout=timeout)


def line(pattern):
    """A regex for an output line; a shell prompt may precede it."""
    return re.compile(r"(?:^|\$ )" + pattern + r"$", re.M)


def test_shell_redirection_and_pipes(run_guest, storage):
    r = shell(run_guest, storage.disks, [
        "echo hi > /f",
        "cat < /f | cat",
        "echo more >> /f",
        "cat /f | cat | cat > /g",
        "ls /data > /list",
        "cat /data/1k.bin | sha256sum",
        "sha256sum < /data/1m.bin",
        "cat < /nonexistent",
        "echo still-here",
    ])
    check_boot(r, exit_code=0)
    out = r.output
    assert re.search(out_line("hi"), out, re.M), r.describe()
    assert line(rf"{mkdata.expected_sha256('1k.bin')}  -").search(out), r.describe()
    assert line(rf"{mkdata.expected_sha256('1m.bin')}  -").search(out), r.describe()
    assert re.search(out_line("still-here"), out, re.M), r.describe()
    e2fsck(storage.root)
    assert debugfs_cat(storage.root, "/f") == b"hi\nmore\n"
    assert debugfs_cat(storage.root, "/g") == b"hi\nmore\n"
    assert debugfs_cat(storage.root, "/list") == "".join(f"{n}\n" for n in sorted(mkdata.FILES)).encode()


def test_storage_programs(run_guest, storage):
    r = shell(run_guest, storage.disks, [
        "mkdir -p /p/q/r",
        "cp /data/1m.bin /p/q/r",
        "cp /data/1k.bin /data/1m.bin /p",
        "mv /p/q/r/1m.bin /p/q/moved.bin",
        "ls -l /p/q",
        "stat /p/q/moved.bin",
        "sha256sum /p/q/moved.bin /p/1k.bin",
        "mkdir /gone; cp /data/1k.bin /gone/a; mkdir /gone/sub; cp /data/1k.bin /gone/sub/b",
        "rm -r /gone",
        "rm /p/1m.bin",
        "ls /",
        "rm /nonexistent",
        "sync",
    ])
    check_boot(r, exit_code=0)
    out = r.output
    assert line(r"-rw-r--r--\s+1\s+1048576\s+\d+ moved.bin").search(out), r.describe()
    assert line(r"drwxr-xr-x\s+2\s+\d+\s+\d+ r/").search(out), r.describe()
    assert line(r"\s*Size: 1048576\s+Blocks: \d+\s+IO Block: 4096\s+regular file").search(out)
    assert line(rf"{mkdata.expected_sha256('1m.bin')}  /p/q/moved.bin").search(out), r.describe()
    assert line(rf"{mkdata.expected_sha256('1k.bin')}  /p/1k.bin").search(out), r.describe()
    assert re.search(r"rm: /nonexistent: No such file", out), r.describe()
    e2fsck(storage.root)
    assert sha256(debugfs_cat(storage.root, "/p/q/moved.bin")) == mkdata.expected_sha256("1m.bin")
    top = debugfs(storage.root, "ls /")
    assert "gone" not in top and " p " in top.replace("\n", " ") + " ", top
    assert "1m.bin" not in debugfs(storage.root, "ls /p")
    assert "1m.bin" not in debugfs(storage.root, "ls /p/q/r")


# ---------------------------------------------------------------------------
# Bad disks.

def poke(img, offset, fmt, value):
    """Overwrite a little-endian field of the image in place."""
    with open(img, "r+b") as f:
        f.seek(offset)
        f.write(struct.pack("<" + fmt, value))


def peek(img, offset, fmt):
    with open(img, "rb") as f:
        f.seek(offset)
        return struct.unpack("<" + fmt, f.read(struct.calcsize(fmt)))[0]


SB = 1024   # the superblock's byte offset, whatever the block size
SUPERBLOCK_DAMAGE = {
    # name: (offset, format, value, what the kernel says)
    "block_size": (SB + 24, "I", 9, "block size above 4 KiB"),
    "blocks_count": (SB + 4, "I", 0x7FFFFFFF, "filesystem larger than the disk"),
    "inodes_per_group": (SB + 40, "I", 0, "bad group geometry"),
    "incompat_feature": (SB + 96, "I", 0x10002, "features zc32 lacks"),
    "inode_size": (SB + 88, "H", 100, "bad inode size"),
    "inode_table": (4096 + 8, "I", 0x7FFFFFF0, "group descriptor points outside"),
    # Group 1's descriptor (32 bytes after group 0's): its inode table at
    # 0xffffffff (the table's end wrapped around to a small block number),
    # no inode bitmap, a block bitmap that is group 0's (docs/hardening.md).
    "group1_inode_table_wraps": (4096 + 32 + 8, "I", 0xFFFFFFFF, "group descriptor points outside"),
    "group1_inode_bitmap_zero": (4096 + 32 + 4, "I", 0, "group descriptor points outside"),
    "group1_block_bitmap_in_group0": (4096 + 32, "I", 17, "group descriptor points outside"),
}


@pytest.mark.parametrize("damage", list(SUPERBLOCK_DAMAGE))
def test_corrupt_superblock_refused(run_guest, storage, damage):
    """The mount is refused with a message; the kernel goes on with the
    initial ramdisk as its root and runs programs from it."""
    off, fmt, value, message = SUPERBLOCK_DAMAGE[damage]
    poke(storage.root, off, fmt, value)
    r = run_guest("echo", ["fallback-root-ok"], disks=storage.disks)
    check_boot(r, exit_code=0)
    m = REFUSE_RE.search(r.output)
    assert m and message in m.group(1), f"no 'ext2: refusing to mount: {message}'\n{r.describe()}"
    assert not MOUNTED_RE.search(r.output)
    assert re.search(r"^fallback-root-ok$", r.output, re.M), r.describe()


def test_corrupt_superblock_without_initrd(run_guest, storage):
    """No initrd to fall back on: a clear message and a clean power-off,
    not a panic (QEMU status (127 << 1) | 1)."""
    off, fmt, value, message = SUPERBLOCK_DAMAGE["block_size"]
    poke(storage.root, off, fmt, value)
    r = run_guest("echo", ["unreachable"], disks=storage.disks, initrd=None)
    assert not r.timed_out and not PANIC_RE.search(r.output), r.describe()
    assert REFUSE_RE.search(r.output), r.describe()
    assert "zc32: no root filesystem" in r.output, r.describe()
    assert re.search(r"zc32: cannot run init /bin/echo: error -2; powering off", r.output), r.describe()
    assert r.exit_code == 127, r.describe()


def test_root_inode_not_a_directory_refused(run_guest, storage):
    debugfs(storage.root, "sif <2> mode 0100644", write=True)
    r = run_guest("echo", ["fallback-root-ok"], disks=storage.disks)
    check_boot(r, exit_code=0)
    assert "ext2: refusing to mount: root inode is not a directory" in r.output, r.describe()
    assert re.search(r"^fallback-root-ok$", r.output, re.M), r.describe()


def probe_results(r):
    """{path: {call: result}} from `probe` output lines."""
    res = {}
    for m in re.finditer(r"^probe (\S+) (.*)$", r.output, re.M):
        res[m.group(1)] = dict(kv.split("=", 1) for kv in m.group(2).split())
    return res


def test_corrupt_inodes_give_eio(run_guest, storage):
    """Inodes whose block pointers lead outside the file system, and a
    directory entry naming a free inode: -EIO for those files, the rest of
    the disk keeps working and nothing panics."""
    img = storage.root
    debugfs(img, ["mkdir /bad", "mkdir /bad/dir", "cd /bad", "write /dev/null free"], write=True)
    for cmd in ("sif /data/1k.bin block[0] 0x7fffff00",      # a direct block
                "sif /data/1m.bin block[IND] 0x7fffff00",    # the indirect block
                "sif /bad/dir block[0] 0x7fffff00",          # a directory's block
                "sif /bad/free links_count 0"):              # entry -> unused inode
        debugfs(img, cmd, write=True)
    paths = ["/data/1k.bin", "/data/1m.bin", "/bad/dir", "/bad/free", "/data/64m.bin"]
    r = run_guest("probe", paths, disks=storage.disks)
    check_boot(r, exit_code=0)
    res = probe_results(r)
    assert res["/data/1k.bin"]["read"] == "EIO", r.describe()
    assert res["/data/1m.bin"]["read"] == "EIO", r.describe()      # after the 12 direct blocks
    assert res["/bad/dir"]["getdents"] == "EIO" and res["/bad/dir"]["create"] == "EIO", r.describe()
    assert res["/bad/free"]["stat"] == "EIO" and res["/bad/free"]["open"] == "EIO", r.describe()
    assert res["/data/64m.bin"]["read"] == str(64 << 20), "an intact file must still read"


def dir_block(img, path):
    """(byte offset, block size) of a directory's first block in the image."""
    bs = 1024 << peek(img, SB + 24, "I")
    block = int(debugfs(img, f"bmap {path} 0").strip())
    return block * bs, bs


DIRENT_DAMAGE = {
    # Entry 0 is ".", 1 is "..", 2 is the first name; offsets in the block.
    "rec_len_zero": lambda base: (base + 12 + 4, "H", 0),        # ".."'s rec_len
    "rec_len_misaligned": lambda base: (base + 4, "H", 13),      # "."'s rec_len
    "rec_len_past_block": lambda base: (base + 12 + 4, "H", 0xFFF0),
    "name_len_past_rec": lambda base: (base + 6, "B", 200),       # "."'s name_len
}


@pytest.mark.parametrize("damage", list(DIRENT_DAMAGE))
def test_corrupt_directory_entry_gives_eio(run_guest, storage, damage):
    img = storage.root
    base, bs = dir_block(img, "/data")
    off, fmt, value = DIRENT_DAMAGE[damage](base)
    poke(img, off, fmt, value)
    r = run_guest("probe", ["/data", "/data/1k.bin", "/bin/echo"], disks=storage.disks)
    check_boot(r, exit_code=0)
    res = probe_results(r)
    assert res["/data"]["getdents"] == "EIO", r.describe()
    assert res["/data"]["create"] == "EIO", r.describe()
    assert res["/data/1k.bin"]["stat"] == "EIO" and res["/data/1k.bin"]["open"] == "EIO", r.describe()
    assert res["/bin/echo"]["stat"] == "0", "other directories must keep working"
    assert re.search(r"ext2: directory inode \d+: bad entry in block \d+", r.output), r.describe()


@pytest.fixture
def small_tree(tmp_path):
    """A root tree with just the programs, for a small (quickly full) disk."""
    import shutil
    tree = tmp_path / "tree"
    shutil.copytree(ROOTFS_TREE / "bin", tree / "bin")
    shutil.copytree(ROOTFS_TREE / "test", tree / "test")
    size_kib = sum(f.stat().st_size for d in ("bin", "test") for f in (tree / d).iterdir()) // 1024
    return tree, f"{size_kib * 2 + 2048}K"


@pytest.mark.parametrize("block_size,mode,pad", [(4096, "free", 0), (4096, "keep", 0),
                                                 (1024, "free", 0), (1024, "keep", 1),
                                                 (1024, "keep", 2), (1024, "keep", 3)])
def test_full_disk_enospc_and_consistent(run_guest, storage, small_tree, tmp_path,
                                         block_size, mode, pad):
    """write() reports ENOSPC on a full disk and the file system stays
    consistent - also when the last free block falls inside a page (1 KiB
    blocks, PAD KiB written first), and while the disk is still full."""
    tree, size = small_tree
    img = make_ext2(tmp_path / "small.img", size=size, block_size=block_size, tree=tree)
    r = run_guest("fsfull", ["/full", mode, str(pad)], disks=[Disk(img), Disk(storage.swap)])
    check_test_program(r, required=["full.enospc", "full.size_matches_writes"])
    e2fsck(img)
    if mode == "free":
        assert debugfs_cat(img, "/full/after") == b"F" * 65536
    else:
        m = re.search(r"^# wrote (\d+) bytes before ENOSPC$", r.output, re.M)
        assert m, r.describe()
        data = debugfs_cat(img, "/full/fill")
        assert len(data) == int(m.group(1)) and data[:-10] == b"F" * (len(data) - 10)
        assert data[-10:] == b"0123456789"


RESET_RE = re.compile(r"^virtio-blk (\S+): reset \(firmware left status 0x([0-9a-f]{2})\)$", re.M)


def test_virtio_blk_reset_before_use(run_guest, storage):
    """Each disk is reset before the driver sets it up (and before bus
    mastering is on), and the log says what the firmware left: SeaBIOS
    leaves the disks running (DRIVER_OK, 4), on rings of its own."""
    r = run_guest("echo", ["reset-ok"], disks=storage.disks)
    check_boot(r, exit_code=0)
    resets = RESET_RE.findall(r.output)
    assert len(resets) == 2, r.describe()
    assert any(int(status, 16) & 4 for _, status in resets), \
        f"expected the firmware to leave a disk at DRIVER_OK\n{r.describe()}"
    # The reset line comes before the disk is set up and announced.
    assert r.output.index("virtio-blk 00:") < r.output.index("vda: virtio-blk"), r.describe()


def test_garbage_disk_ignored(run_guest, storage):
    """A disk of garbage (no signature) is left alone: no mount, no swap."""
    with open(storage.root, "r+b") as f:
        f.seek(0)
        f.write(b"\xa5" * 65536)
    r = run_guest("echo", ["garbage-disk-ok"], disks=storage.root_only)
    check_boot(r, exit_code=0)
    assert "no filesystem or swap signature: not used" in r.output, r.describe()
    assert not PANIC_RE.search(r.output)


@pytest.mark.parametrize("block_size", [4096, 1024])
def test_out_of_inodes(run_guest, storage, small_tree, tmp_path, block_size):
    """A disk made with few inodes: open(O_CREAT) and mkdir say ENOSPC,
    no half-made name is left behind, and unlinking makes room again."""
    tree, size = small_tree
    img = make_ext2(tmp_path / "few-inodes.img", size=size, block_size=block_size, tree=tree,
                    extra=["-N", "128"])
    r = run_guest("fsfull", ["/full", "inodes"], disks=[Disk(img), Disk(storage.swap)])
    check_test_program(r, required=["inodes.enospc", "inodes.mkdir_enospc",
                                    "inodes.create_after_unlink"])
    e2fsck(img)


def test_read_only_disk_mounted_read_only(run_guest, storage):
    """A disk QEMU presents read-only (VIRTIO_BLK_F_RO) is mounted read-only:
    changes get EROFS at once instead of vanishing at writeback."""
    r = shell(run_guest, [Disk(storage.root, readonly=True)], [
        "echo hi > /f",
        "mkdir /newdir",
        "rm /data/1k.bin",
        "mv /data /d2",
        "sha256sum /data/1k.bin",
        "sync",
    ])
    check_boot(r, exit_code=0)
    assert re.search(r"ext2: vda mounted: .*, read-only$", r.output, re.M), r.describe()
    for msg in ("sh: /f: Read-only file system", "mkdir: /newdir: Read-only file system",
                "rm: /data/1k.bin: Read-only file system", "mv: /data -> /d2: Read-only file system"):
        assert msg in r.output, f"missing {msg!r}\n{r.describe()}"
    assert line(rf"{mkdata.expected_sha256('1k.bin')}  /data/1k.bin").search(r.output), r.describe()
    e2fsck(storage.root)
