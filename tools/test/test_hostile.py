"""test_hostile.py - hardening (docs/hardening.md): a hostile user program must not
stop the machine.

Memory exhaustion (user/tests/memhog.c, run as init): a hog grows its heap
page after page, or by mappings (anonymous, or of a file, written;
user/tests/hog.h), until RAM and swap are full.  It must end in a bounded time
(the boot's timeout) with the hog killed by the out-of-memory killer,
init's own data intact, a command still running, and the machine powering
off with init's exit code.  The killer must choose the hog (the largest
process) even when init is the one whose fault found memory full, and say
so in one line.

Leaks: after a workload, with caches dropped, every frame is free, in the
kernel heap or in the page cache, as before it.

Bad programs: an ELF file the kernel must refuse with ENOEXEC.

The system-call fuzzer (user/tests/fuzz.c): a bounded run with a fixed
seed; `fuzz -s SEED -p PROCS -w WORKERS -n CALLS` as init replays or
lengthens one.  brk on a heap that munmap and mprotect have cut
(user/tests/brksplit.c): the fuzzer's lost pages and its panic in the
pager.

Exceptions, a fork bomb and processes blocked in the kernel
(user/tests/hostile.c); SIGKILL for processes paging in faults and in
read() and write() copies (user/tests/faultkill.c); RAM and swap full while httpd serves and files
are written (user/tests/exhaust.c, tools/stress.py).  docs/hardening.md
has the whole list; `make stress` runs the long versions.
"""

import re
import struct
from pathlib import Path

import pytest

from conftest import KILL_RE, PANIC_RE, check_test_program, debugfs, e2fsck, have_e2fsprogs, make_swap
import qemu

pytestmark = pytest.mark.skipif(not have_e2fsprogs(), reason="e2fsprogs (mke2fs, e2fsck, debugfs) missing")

# Generous: the 320 MiB fill takes ~30 s under TCG on an idle host, and the
# machine is shared.  A hog that is never stopped hits this.
EXHAUST_TIMEOUT = 300.0

# The out-of-memory killer's line (kernel/mm/oom.c): the victim, then why.
OOM_KILL_RE = re.compile(
    r"zc32: pid (?P<pid>\d+) \((?P<name>[^)]*)\) killed: out of memory \(RAM and swap are full\)"
    r".*, the largest: (?P<ram>\d+) pages in RAM \+ (?P<swap>\d+) in swap", re.M)
HOG_END_RE = re.compile(r"memhog: hog pid (?P<pid>\d+) ended after (?P<secs>\d+) s: status (?P<st>0x[0-9a-f]+|-1)",
                        re.M)
REQUIRED = ["memhog.hog_ended", "memhog.hog_killed", "memhog.init_data_intact",
            "memhog.command_runs", "memhog.frames_back", "memhog.slots_back"]


def run_memhog(run_guest, disks, memory, args=(), append=""):
    r = run_guest("memhog", list(args), memory=memory, timeout=EXHAUST_TIMEOUT, disks=disks, append=append)
    check_test_program(r, required=REQUIRED)
    end = HOG_END_RE.search(r.output)
    assert end, r.describe()
    return r, end


def check_oom_kill(r, end):
    """One out-of-memory report, naming the hog (not init) as the largest."""
    kills = list(OOM_KILL_RE.finditer(r.output))
    assert len(kills) == 1, f"want one out-of-memory report\n{r.describe()}"
    k = kills[0]
    assert k["pid"] == end["pid"] and k["name"] == "memhog", r.describe()
    assert int(k["ram"]) + int(k["swap"]) > 1000, r.describe()
    assert "zc32: pid 1 " not in r.output, "init was killed\n" + r.describe()


def test_exhaustion_with_large_swap_ends(run_guest, storage):
    """128 MiB of RAM and the default 320 MiB swap disk: the hog fills both
    and is killed; nothing else is (once swap_alloc_run scanned the
    whole swap map per page once it was nearly full, and the machine made
    no progress for ten minutes)."""
    r, end = run_memhog(run_guest, storage.disks, "128M")
    assert "swap: vdb: 81919 slots" in r.output
    check_oom_kill(r, end)


def test_exhaustion_with_small_swap_ends(run_guest, storage, tmp_path):
    """64 MiB of RAM, 64 MiB of swap: the hog fills both and dies of its
    own fault; init, faulting its own pages back in meanwhile, survives."""
    swap = make_swap(tmp_path / "swap64.img", 64)
    r, end = run_memhog(run_guest, [qemu.Disk(storage.root), qemu.Disk(swap)], "64M")
    check_oom_kill(r, end)


def test_oom_killer_kills_the_hog_for_init(run_guest, storage, tmp_path):
    """64 MiB of RAM, 64 MiB of swap: the hog stops when swap is nearly
    full, and init touches 16 MiB of fresh memory.  Init's own fault (on
    those pages, or on its text, evicted meanwhile) finds memory full: the
    killer chooses the hog (the largest), init's fault waits for it to
    exit and is retried, and init carries on (it used to be the one
    killed, which powered the machine off)."""
    swap = make_swap(tmp_path / "swap64.img", 64)
    r, end = run_memhog(run_guest, [qemu.Disk(storage.root), qemu.Disk(swap)], "64M", ["-s"])
    check_oom_kill(r, end)
    assert re.search(r"killed: out of memory \(RAM and swap are full\) when pid 1 \(memhog\) faulted at "
                     r"0x[0-9a-f]{8} \([a-z ,]+\), the largest", r.output), r.describe()
    assert "ok memhog.init_touched_fresh_pages" in r.output


def test_oom_killer_never_kills_init_when_the_victim_is_slow(run_guest, storage, tmp_path):
    """As above, but with vm.oom_wait=0: init's fault does not wait for
    the hog to exit before giving up, as if the victim took longer than
    the 10 s a faulting process waits.  Any other process would die too;
    init retries its fault, finds the hog still dying, waits again, and
    carries on (it used to be killed after the wait, powering off)."""
    swap = make_swap(tmp_path / "swap64.img", 64)
    r, end = run_memhog(run_guest, [qemu.Disk(storage.root), qemu.Disk(swap)], "64M", ["-s"],
                        append="vm.oom_wait=0")
    check_oom_kill(r, end)
    assert "when pid 1 (memhog) faulted" in r.output, r.describe()
    assert "ok memhog.init_touched_fresh_pages" in r.output


HOG_AT_RE = re.compile(r"memhog: hog at (?P<mib>\d+) MiB, page (?P<page>0x[0-9a-f]{8})", re.M)
HOG_FAULTS_RE = re.compile(r"memhog: the hog's faults: (?P<minor>\d+) minor, (?P<major>\d+) major, "
                           r"(?P<cow>\d+) copy-on-write copies, (?P<swapped>\d+) pages swapped out", re.M)
MMAP_BASE = 0x40000000     # mappings come from below the stack, far above the heap (kernel/mm/mmap.c)


@pytest.mark.parametrize("mode", ["mmap", "file"])
def test_exhaustion_by_mmap_ends(run_guest, storage, tmp_path, mode):
    """32 MiB of RAM, 32 MiB of swap: the hog grows by 1 MiB private
    mappings instead of brk (memhog -m, user/tests/hog.h), anonymous
    (mmap) or of one 1 MiB file, each page written so that it is copied
    from the page cache (file).  The killer ends it, with its one line,
    as it ends a heap: init's data intact, a command runs, the frames and
    swap slots come back.  The hog's pages lie in the mapping area (its
    report of where it got to), and a file mapping's are copies."""
    swap = make_swap(tmp_path / "swap32.img", 32)
    r, end = run_memhog(run_guest, [qemu.Disk(storage.root), qemu.Disk(swap)], "32M", ["-m", mode])
    assert f"the hog grows by {mode}" in r.output, r.describe()
    check_oom_kill(r, end)
    at, faults = HOG_AT_RE.search(r.output), HOG_FAULTS_RE.search(r.output)
    assert at and faults, r.describe()
    assert int(at["page"], 16) >= MMAP_BASE, f"the hog's page {at['page']} is not a mapping's\n{r.describe()}"
    assert int(faults["swapped"]) > 4000, r.describe()          # 32 MiB of swap is 8191 slots
    # Anonymous pages come zeroed: its only copies are of the few pages
    # fork left shared with init (stack, data).
    assert int(faults["cow"]) > 4000 if mode == "file" else int(faults["cow"]) < 64, r.describe()


def test_no_frames_leak_after_a_workload(run_guest, storage):
    """Rounds of processes that fork, exec, write, map and unlink files and
    use pipes and sockets (user/tests/leakcheck.c): once caches are
    dropped, free + kernel-heap + page-cache pages come back to their value
    after the first round, and the heap's bytes in use too.  Without the
    heap's pages in zc_info the free count alone drifts down as
    the heap's size classes grow, and a leak looks like that."""
    r = run_guest("leakcheck", ["4"], disks=storage.disks)
    check_test_program(r, required=["leakcheck.workload_ran", "leakcheck.frames_all_accounted",
                                    "leakcheck.frames_back_at_end", "leakcheck.heap_bytes_back"])


# ---------------------------------------------------------------------------
# Bad programs.

ELF_PHDR = struct.Struct("<8I")    # p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
PT_LOAD = 1


def misaligned_elf(src: Path, dst: Path) -> Path:
    """A copy of src whose text segment (the second PT_LOAD) has p_offset
    16 bytes further than p_vaddr modulo the page size."""
    data = bytearray(src.read_bytes())
    phoff, = struct.unpack_from("<I", data, 28)
    phnum, = struct.unpack_from("<H", data, 44)
    loads = [phoff + i * ELF_PHDR.size for i in range(phnum)
             if ELF_PHDR.unpack_from(data, phoff + i * ELF_PHDR.size)[0] == PT_LOAD]
    ph = list(ELF_PHDR.unpack_from(data, loads[1]))
    assert ph[4] > 0 and (ph[1] - ph[2]) % 4096 == 0, ph
    ph[1] += 16
    ELF_PHDR.pack_into(data, loads[1], *ph)
    dst.write_bytes(data)
    return dst


def test_elf_offset_and_vaddr_out_of_step_refused(run_guest, storage, tmp_path):
    """A PT_LOAD whose p_offset and p_vaddr differ modulo the page size
    cannot be mapped page for page: exec refuses it with ENOEXEC, as Linux
    does (it used to be loaded, 16 bytes off)."""
    bad = misaligned_elf(qemu.BUILD / "rootfs" / "bin" / "true", tmp_path / "misaligned")
    debugfs(storage.root, f"write {bad} misaligned", write=True)
    r = run_guest("/misaligned", disks=storage.disks)
    assert not r.timed_out and not PANIC_RE.search(r.output), r.describe()
    assert "zc32: cannot run init /misaligned: error -8; powering off" in r.output, r.describe()


def test_elf_segment_past_end_of_file_refused(run_guest, storage, tmp_path):
    """/bin/true cut one byte short of its last segment's file bytes: exec
    refuses it with ENOEXEC from a disk as from the initial ramdisk (from
    a disk it used to start, and die of SIGBUS if it touched the missing
    byte).  tools/fuzz/fuzz_elf.c found the difference."""
    data = (qemu.BUILD / "rootfs" / "bin" / "true").read_bytes()
    phoff, = struct.unpack_from("<I", data, 28)
    phnum, = struct.unpack_from("<H", data, 44)
    ends = [ph[1] + ph[4] for ph in (ELF_PHDR.unpack_from(data, phoff + i * ELF_PHDR.size) for i in range(phnum))
            if ph[0] == PT_LOAD and ph[4]]
    cut = tmp_path / "cut"
    cut.write_bytes(data[:max(ends) - 1])
    debugfs(storage.root, f"write {cut} cut", write=True)
    r = run_guest("/cut", disks=storage.disks)
    assert not r.timed_out and not PANIC_RE.search(r.output), r.describe()
    assert "zc32: cannot run init /cut: error -8; powering off" in r.output, r.describe()


# ---------------------------------------------------------------------------
# The system-call fuzzer.

FUZZ_RE = re.compile(r"fuzz: seed (?P<seed>\d+): (?P<calls>\d+) calls in (?P<procs>\d+) processes: "
                     r"(?P<exited>\d+) exited, (?P<signalled>\d+) killed by a signal, (?P<hung>\d+) hung "
                     r"and killed; pages free\+heap\+cache (?P<before>\d+) before, (?P<after>\d+) after", re.M)


def test_syscall_fuzzer(run_guest, storage):
    """16 processes, 4 at a time, 2000 random system calls each
    (user/tests/fuzz.c, seed 2: on the kernel before fcntl's fix it
    panicked in sys_fcntl).  No panic; every worker ends (hung ones are
    killed, and SIGKILL must work on them); the frames come back; the
    filesystem the workers wrote to is clean."""
    r = run_guest("fuzz", ["-s", "2"], disks=storage.disks, timeout=180)
    check_test_program(r, required=["fuzz.every_worker_ended", "fuzz.sigkill_ends_hung_workers",
                                    "fuzz.calls_made", "fuzz.no_frames_lost"])
    m = FUZZ_RE.search(r.output)
    assert m and int(m["calls"]) > 3000, r.describe()
    e2fsck(storage.root)


def test_fuzz_files_while_memory_and_disk_run_out(run_guest, storage):
    """48 processes, 8 at a time, write, truncate, seek and read files and
    grow their heaps (fuzz -c 3,4,5,6,19,45,92,93,140,146,192): the disk
    fills up and kernel memory runs short.  Afterwards e2fsck must find
    the filesystem clean.  Before the buffer cache tried its other idle
    buffers when kmalloc failed, about every other run of this left
    inodes marked in use that no directory names, and blocks counted in a
    file's i_blocks that no pointer reaches (error paths of ext2's
    new_inode and new_block that did not give back what they took)."""
    r = run_guest("fuzz", ["-s", "8", "-p", "48", "-w", "8", "-n", "4000",
                           "-c", "3,4,5,6,19,45,92,93,140,146,192"], disks=storage.disks, timeout=240)
    check_test_program(r, required=["fuzz.every_worker_ended", "fuzz.sigkill_ends_hung_workers"])
    e2fsck(storage.root)


def test_brk_on_a_cut_heap(run_guest, storage):
    """brk after munmap and mprotect have cut the heap into pieces
    (user/tests/brksplit.c, 32 MiB of RAM): the pages above a shrunk
    break are gone (SIGSEGV), none is stranded outside every area when
    the process exits (the fuzzer's lost pages, fuzz -s 7), and the pager,
    walking every frame while a child fills twice the RAM, finds no reverse
    map into a freed address space (the fuzzer's panic in rmap_unmap_all
    and rmap_test_and_clear_young, fuzz -s 8 -p 48 -w 8 -n 4000)."""
    r = run_guest("brksplit", disks=storage.disks, memory="32M", timeout=120)
    check_test_program(r, required=["brksplit.shrink_unmaps_every_piece", "brksplit.grows_again_with_zeros",
                                    "brksplit.frames_back", "brksplit.slots_back",
                                    "brksplit.pager_walks_every_frame"])


HOSTILE_RE = re.compile(r"hostile: (?P<tried>\d+) exceptions tried \((?P<kinds>\d+) kinds\), fork bomb: "
                        r"(?P<bomb>\d+) processes, fork refused with errno (?P<errno>\d+); (?P<killed>\d+) "
                        r"blocked processes killed", re.M)


def test_hostile_exceptions_fork_bomb_and_blocked_kills(run_guest, storage):
    """user/tests/hostile.c: 69 kinds of CPU exception and privileged
    instruction from ring 3, each in a child killed with Linux's signal
    (#NP from a TLS segment set_thread_area marked not present: SIGBUS;
    #SS from loading that segment into SS: SIGBUS; sysexit and outs:
    #GP, SIGSEGV; a TLS selector that cannot be reloaded on the way back
    to user mode becomes null, where a forged one used to panic the
    kernel; in SS, which cannot be null, it is SIGILL, or the program's
    SIGILL handler runs, where it panicked the kernel at trapret's iret)
    (checked from the wait status in the guest, and here from the kernel's
    one-line reports); a fork bomb that ends with fork refused (EAGAIN: the
    process table is full) and the system still running /bin/true; seven
    processes blocked in the kernel (pipe read and write, nanosleep, the
    console, poll, wait, accept) each ended by SIGKILL.  Afterwards no
    process and no frame is left over."""
    r = run_guest("hostile", disks=storage.disks, timeout=120)
    check_test_program(r, required=["hostile.de.div_zero", "hostile.mf.x87_divide", "hostile.gp.lgdt",
                                    "hostile.fork_bomb_refused", "hostile.after_bomb_exec_works",
                                    "hostile.np.gs_tls_not_present", "hostile.gp.gs_forged_in_frame",
                                    "hostile.gp.outs", "hostile.gp.sysexit", "hostile.ss.not_present",
                                    "hostile.ss.past_limit", "hostile.ill.ss_tls_gone_while_loaded",
                                    "hostile.ill.ss_tls_gone_handler_runs",
                                    "hostile.sigkill_ends.accept", "hostile.no_process_left",
                                    "hostile.frames_back"])
    m = HOSTILE_RE.search(r.output)
    assert m and int(m["kinds"]) >= 69 and m["errno"] == "11" and int(m["killed"]) == 7, r.describe()
    kills = {(k["sig"], k["vector"]) for k in KILL_RE.finditer(r.output)}
    for want in [("SIGFPE", "0"), ("SIGTRAP", "3"), ("SIGTRAP", "1"), ("SIGSEGV", "4"), ("SIGSEGV", "5"),
                 ("SIGILL", "6"), ("SIGBUS", "11"), ("SIGBUS", "12"), ("SIGSEGV", "13"), ("SIGSEGV", "14"),
                 ("SIGFPE", "16")]:
        assert want in kills, f"no kill report with {want}\n{r.describe()}"
    assert re.search(r"killed by SIGILL: iret to user mode with ss 0x33 not loadable", r.output), r.describe()


def test_hostile_exceptions_on_cpu_max(run_guest):
    """The same exceptions on QEMU's -cpu max, which has SMEP and SMAP.
    There QEMU 7.2 pops the frame of a ring-3 iret to ring 0 as a
    supervisor read of the user stack, which SMAP refuses on a present
    page: a fault from user mode that no mapping can satisfy.  It must
    kill the program with SIGSEGV (Linux's signal for that iret) instead
    of being retried for ever, which hung the machine here."""
    r = run_guest("hostile", ["-b"], extra=["-cpu", "max"], timeout=120)
    assert "cpu: SMEP on, SMAP on" in r.output, "SMEP/SMAP were not switched on:\n" + r.tail()
    check_test_program(r, required=["hostile.gp.iret_ring0", "hostile.gp.gs_forged_in_frame",
                                    "hostile.ss.not_present", "hostile.ill.ss_tls_gone_while_loaded",
                                    "hostile.no_process_left", "hostile.frames_back"])


def test_exhaustion_under_load(tmp_path):
    """64 MiB of RAM, 64 MiB of swap: a hog fills both while httpd serves
    (the host downloads 1m.bin and checks it until the hog has died) and a
    writer writes and fsyncs 24 files (user/tests/exhaust.c).  The
    killer ends the hog and nothing else; every file written reads back
    with its pattern; memory comes back; e2fsck finds the disk clean."""
    import stress
    d = stress.run_exhaustion("64M", 64, tmp_path, timeout=300)
    r = d["result"]
    check_test_program(r, required=["exhaust.hog_killed", "exhaust.writer_wrote", "exhaust.files_intact",
                                    "exhaust.httpd_served_and_exited", "exhaust.frames_back"])
    assert d["error"] is None and d["downloads"] >= 1, f"{d['error']}\n{r.describe()}"
    assert d["fsck_clean"], "e2fsck -fn found the root disk damaged"
    kills = list(OOM_KILL_RE.finditer(r.output))
    assert len(kills) == 1 and kills[0]["name"] == "exhaust", r.describe()


HOG_LIMIT_S = 30


def test_exhaustion_by_file_mappings_under_load(tmp_path):
    """128 MiB of RAM, 320 MiB of swap, the hog growing by private
    mappings of a file (exhaust's file mode: each page copied from one of
    the file's pages) while httpd serves and the writer writes.  Once
    swap was full, every file page anybody missed (the hog's file, httpd's
    and init's text, 1m.bin) was read with 32 pages ahead, each evicting a
    cached page that someone needed next: the system refaulted for 12 to
    190 s (about a minute typically) before the killer ended the hog, and
    one 1 MiB download took over 120 s.  Now the page cache reads only the
    page asked for when memory is that short (too_short_to_read_ahead,
    kernel/mm/pagecache.c): the hog must be killed within 30 s (3 to 8 s
    here) and every download come back intact."""
    import stress
    d = stress.run_exhaustion("128M", 320, tmp_path, timeout=300, hog="file")
    r = d["result"]
    check_test_program(r, required=["exhaust.hog_killed", "exhaust.files_intact",
                                    "exhaust.httpd_served_and_exited", "exhaust.frames_back"])
    assert "exhaust: the hog grows by file" in r.output, r.describe()
    assert d["error"] is None and d["downloads"] >= 1, f"{d['error']}\n{r.describe()}"
    assert d["hog_secs"] is not None and d["hog_secs"] <= HOG_LIMIT_S, \
        f"the hog lived {d['hog_secs']} s with memory full\n{r.describe()}"
    assert d["fsck_clean"], "e2fsck -fn found the root disk damaged"
    kills = list(OOM_KILL_RE.finditer(r.output))
    assert len(kills) == 1 and kills[0]["name"] == "exhaust", r.describe()


FAULTKILL_RE = re.compile(r"faultkill: (?P<rounds>\d+) rounds \(seed \d+\): slowest reap (?P<ms>\d+) ms; "
                          r"(?P<asleep>\d+) killed asleep in the kernel; after the signal at most (?P<bytes>\d+) "
                          r"bytes copied, (?P<faults>\d+) faults, (?P<evicted>\d+) pages evicted; victims: "
                          r"(?P<major>\d+) major faults, (?P<swapped>\d+) pages swapped out", re.M)


def test_sigkill_ends_a_process_in_fault_and_reclaim(run_guest, storage, tmp_path):
    """user/tests/faultkill.c at 32 MiB of RAM and 64 MiB of swap: 24
    victims that keep memory short (touching 40 MiB, read()ing a 16 MiB
    file into a 16 MiB buffer, write()ing one), each SIGKILLed at a random
    moment.  Each must be reaped, killed by SIGKILL, within 2 s, and must
    have done next to nothing after the signal (its ledger: at most two
    pages copied, two faults): without the SIGKILL checks in the copy
    loops of pagecache_read and pagecache_write, a killed reader or writer
    copied up to 15 MiB more.  Some victims must have been asleep in the
    kernel (waiting for the disk in a fault) when killed, and all of them
    must have been paging.  Afterwards memory, swap slots and the process
    count are back, a command runs, and the disk is clean."""
    swap = make_swap(tmp_path / "swap64.img", 64)
    r = run_guest("faultkill", disks=[qemu.Disk(storage.root), qemu.Disk(swap)], memory="32M", timeout=180)
    rounds = [f"faultkill.{victim}.{i}" for i, victim in zip(range(24), ["touch", "read", "write"] * 8)]
    check_test_program(r, required=rounds + ["faultkill.command_runs", "faultkill.no_process_left",
                                             "faultkill.slots_back", "faultkill.frames_back"])
    m = FAULTKILL_RE.search(r.output)
    assert m and int(m["rounds"]) == 24, r.describe()
    assert int(m["asleep"]) >= 1, "no victim was killed asleep in the kernel\n" + r.describe()
    assert int(m["major"]) > 1000 and int(m["swapped"]) > 1000, "the victims were not paging\n" + r.describe()
    assert "out of memory" not in r.output, r.describe()
    e2fsck(storage.root)


LOCKKILL_RE = re.compile(r"lockkill: both victims reaped (?P<ms>\d+) ms after SIGKILL, (?P<when>.*)$", re.M)
LOCKKILL_DISK_BPS = 512 * 1024     # a slow disk: each metadata read takes ~8 ms, as on a loaded host


def test_sigkill_ends_a_wait_for_the_filesystem_lock(run_guest, storage):
    """user/tests/lockkill.c: a holder truncates a file whose 192 indirect
    blocks must come back from a slow disk, all under ext2's filesystem
    lock; a writer and a process faulting in pages of a mapped file wait
    for that lock and get SIGKILL.  Each must be reaped, killed by
    SIGKILL, before the truncate is over: the wait ends at the signal
    (on the old kernel it lasted until the holder let go, over 10 s on a
    loaded host).  The disk stays clean: a killed waiter gives up before
    it changes anything."""
    disks = [qemu.Disk(storage.root, throttle_bps=LOCKKILL_DISK_BPS), qemu.Disk(storage.swap)]
    r = run_guest("lockkill", disks=disks, timeout=240)
    check_test_program(r, required=["lockkill.write.0", "lockkill.fault.0", "lockkill.holder_finished",
                                    "lockkill.files_removed"])
    m = LOCKKILL_RE.search(r.output)
    assert m and m["when"] == "while the truncate still held the lock", r.describe()
    e2fsck(storage.root)
