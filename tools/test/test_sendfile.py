"""test_sendfile.py - sendfile(2) and its zero-copy gather path (issue 9).

  - sftest (user/tests/sftest.c) checks, inside the guest, every semantic
    and error of sendfile (187) and sendfile64 (239) over loopback TCP and
    file to file, the copy/gather switch, readahead on a cold file, and
    the pinning rule (pages queued by gather keep their bytes while the
    file is rewritten, truncated and its cache dropped).
"""

from conftest import check_test_program
import qemu


def test_sftest_in_guest(run_guest, storage):
    """user/tests/sftest.c: sendfile's semantics, errors and pinning rule."""
    r = run_guest("sftest", disks=storage.disks, net=qemu.Net(), timeout=180)
    check_test_program(r, required=[
        "sock.null_off.intact", "sock.off.written_back", "sock64.written_back",
        "sock64.past_4g", "err.offset_fault", "err.offset64_fault", "err.offset_negative",
        "err.in_pipe", "err.out_append", "nonblock.eagain", "nonblock.partial_count",
        "file.intact", "file.one_kernel_copy", "mode.copy.pagecache_to_sockbuf",
        "mode.gather.no_sockbuf_copy", "cold.several_in_flight",
        "pin.cow_copies", "pin.peer_got_original", "pin.file_new_bytes"])
