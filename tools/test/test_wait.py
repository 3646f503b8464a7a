"""test_wait.py - waiting for many files: select, poll and epoll
(docs/waiting.md).

  - waittest (user/tests/waittest.c) checks select, pselect6 and epoll in
    the guest: Linux's errors and edge cases (level- vs edge-triggered on
    a pipe, EPOLLONESHOT re-armed with MOD, DEL of an unknown fd, select on
    a closed fd, timeouts 0 and NULL, a hangup as EPOLLHUP, a watch ending
    with the file's last reference) and the ledger's wait counters;
  - waitbench (user/bin/waitbench.c) holds N idle loopback connections and
    one busy one and reports the descriptors the kernel examined per wait:
    the test checks the scaling as a ratio of those counts (never a time);
  - httpd -w select and -w epoll serve eight clients at once, sha256 checked.
"""

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import check_boot, check_test_program
import qemu
from test_net import HTTP_TIMEOUT, check_file, start_httpd, stop_httpd


def test_waittest_semantics(run_guest):
    r = run_guest("waittest", net=qemu.Net(), timeout=120)
    check_test_program(r, required=[
        "select.closed_fd.ebadf", "select.nfds_negative.einval", "select.timeout.time_left_written",
        "epoll_ctl.add_twice.eexist", "epoll_ctl.del_unknown.enoent", "epoll_ctl.itself.einval",
        "epoll_ctl.regular_file.eperm", "epoll_ctl.loop.eloop",
        "epoll.lt.again_while_data", "epoll.et.once_per_edge", "epoll.oneshot.rearmed",
        "epoll.hangup.epollhup", "epoll.close.last_ref_ends_watch", "epoll.blocking.woken",
        "epoll.tcp.peer_closed.rdhup", "ledger.epoll.fds_examined", "ledger.poll.fds_examined"])


def waitbench_rows(output):
    m = re.search(r"^waitbench-json: (.*)$", output, re.M)
    assert m, "waitbench printed no JSON line"
    return json.loads(m.group(1))["rows"]


def test_waitbench_scaling(run_guest):
    """fds examined per wait: N+1 for select and poll, about 1 for epoll,
    whatever N is: a bounded check on counts the kernel keeps."""
    r = run_guest("waitbench", args=["--json", "-n", "8,128", "-i", "50"], net=qemu.Net(), timeout=180)
    check_boot(r, exit_code=0)
    rows = {(row["mech"], row["n"]): row for row in waitbench_rows(r.output)}
    for mech in ("select", "poll"):
        for n in (8, 128):
            assert rows[(mech, n)]["fds_per_wait"] >= n + 1, rows[(mech, n)]
        assert rows[(mech, 128)]["fds_per_wait"] / rows[(mech, 8)]["fds_per_wait"] > 10
    for n in (8, 128):
        assert rows[("epoll", n)]["fds_per_wait"] <= 2, rows[("epoll", n)]
        assert rows[("epoll", n)]["busy_events"] == 50
    assert rows[("epoll", 128)]["fds_per_wait"] / rows[("epoll", 8)]["fds_per_wait"] < 1.5


@pytest.mark.parametrize("waiter", ["select", "epoll"])
def test_httpd_waits_with(request, storage, waiter):
    """httpd's loop on select or epoll instead of poll: eight downloads at
    once, each checked by sha256."""
    port = qemu.free_port()
    g = start_httpd(storage, port, args=["-x", "-w", waiter])
    try:
        with ThreadPoolExecutor(8) as pool:       # a failed download raises here
            sizes = list(pool.map(lambda _: check_file(port, "1m.bin"), range(8), timeout=HTTP_TIMEOUT))
        assert len(sizes) == 8
    finally:
        r = stop_httpd(request, g, port)
    assert f"waiting with {waiter}" in r.output
    assert r.output.count("httpd: GET /data/1m.bin 200") == 8
