"""test_net.py - the network stack, from the host (issue 5).

Each test boots zc32 with the e1000 on QEMU's user network (slirp,
restrict=on) and talks to it only through 127.0.0.1:
  - httpd serves /data files through a hostfwd port: 1 KiB, 1 MiB and
    64 MiB downloads with sha256 checked, 404, eight clients at once;
  - tcpsend streams a file to a guestfwd receiver (one host process per
    connection) and the host checks what arrived;
  - ping gets replies from the gateway;
  - raw Ethernet frames, malformed on purpose, are injected into the NIC
    through a UDP socket netdev on a QEMU hub; the kernel must drop and
    count them (netstat) and httpd must still serve a download afterwards.
The guest runs in a background thread (qemu.boot); the test drives HTTP.
"""

import hashlib
import random
import re
import socket
import struct
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import check_boot, save_log
import mkdata
import qemu

HTTP_TIMEOUT = 120.0


Guest = qemu.BackgroundBoot


def http_get(port, path, timeout=HTTP_TIMEOUT):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.status, r.read()


def wait_http(port, guest, deadline=60.0):
    if not qemu.wait_http(port, guest, deadline):
        pytest.fail("httpd never answered on the forwarded port")


def start_httpd(storage, port, **kw):
    kw.setdefault("init", "/bin/httpd")
    kw.setdefault("args", ["-x"])
    kw.setdefault("net", qemu.Net(hostfwd=[(port, 80)]))
    kw.setdefault("timeout", 240)
    g = Guest(disks=storage.root_only, **kw)
    wait_http(port, g)
    return g


def stop_httpd(request, g, port, exit_code=0):
    """GET /exit, wait for the power-off, save the console log, check the boot."""
    try:
        status, body = http_get(port, "/exit", timeout=30)
        assert status == 200
    finally:
        r = g.join(timeout=g.timeout + 30)
        save_log(request, r)
    check_boot(r, exit_code=exit_code)
    return r


def check_file(port, name):
    status, body = http_get(port, f"/data/{name}")
    assert status == 200, f"GET /data/{name}: status {status}"
    assert len(body) == mkdata.FILES[name], f"{name}: {len(body)} bytes"
    assert hashlib.sha256(body).hexdigest() == mkdata.expected_sha256(name), f"{name}: wrong sha256"
    return len(body)


def test_http_downloads(request, storage):
    port = qemu.free_port()
    g = start_httpd(storage, port)
    try:
        for name in ("1k.bin", "1m.bin", "64m.bin"):
            check_file(port, name)
        with pytest.raises(urllib.error.HTTPError) as e:
            http_get(port, "/data/no-such-file")
        assert e.value.code == 404
    finally:
        r = stop_httpd(request, g, port)
    assert "httpd: GET /data/64m.bin 200 67108864 bytes" in r.output


def test_http_eight_clients(request, storage):
    port = qemu.free_port()
    g = start_httpd(storage, port)
    errors = []

    def client(i):
        try:
            check_file(port, "1m.bin")
        except BaseException as e:      # noqa: BLE001 - reported below
            errors.append(f"client {i}: {e!r}")

    try:
        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(HTTP_TIMEOUT)
        assert not errors, "\n".join(errors)
    finally:
        r = stop_httpd(request, g, port)
    assert r.output.count("httpd: GET /data/1m.bin 200") == 8


def test_ping_gateway(request, run_guest):
    r = run_guest("ping", ["-c", "3", "10.0.2.2"], net=qemu.Net())
    check_boot(r, exit_code=0)
    assert "3 packets transmitted, 3 received" in r.output, r.describe()


def test_tcpsend_to_host(request, storage, tmp_path):
    out = tmp_path / "received.bin"
    net = qemu.Net(guestfwd=[(9000, f"sh -c 'cat > {out}'")])
    r = qemu.boot(init="/bin/tcpsend", args=["/data/1m.bin", "10.0.2.100", "9000"],
                  disks=storage.root_only, net=net, timeout=120)
    save_log(request, r)
    check_boot(r, exit_code=0)
    assert re.search(r"tcpsend: sent 1048576 bytes", r.output), r.describe()
    data = out.read_bytes()
    assert len(data) == 1 << 20
    assert hashlib.sha256(data).hexdigest() == mkdata.expected_sha256("1m.bin")


# ---------------------------------------------------------------------------
# Malformed frames.

GUEST_MAC = bytes.fromhex("525400123456")      # QEMU's default e1000 MAC
EVIL_MAC = bytes.fromhex("02000000beef")
GUEST_IP = socket.inet_aton("10.0.2.15")
EVIL_IP = socket.inet_aton("10.0.2.77")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(payload, ethertype=0x0800, dst=GUEST_MAC):
    return dst + EVIL_MAC + struct.pack("!H", ethertype) + payload


def ip(payload, proto=6, total=None, frag=0x4000, ihl=5, version=4, good_csum=True,
       src=EVIL_IP, dst=GUEST_IP, options=b""):
    total = 20 + len(options) + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0, total, 1, frag, 64, proto, 0,
                    src, dst) + options
    c = csum(h) if good_csum else 0x1234
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def tcp(sport, dport, flags, seq=1000, ack=0, payload=b"", off=5, good_csum=True, src=EVIL_IP):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, 8192, 0, 0)
    pseudo = src + GUEST_IP + struct.pack("!BBH", 0, 6, len(h) + len(payload))
    c = csum(pseudo + h + payload) if good_csum else 0xbeef
    return h[:16] + struct.pack("!H", c) + h[18:] + payload


def bad_frames():
    """(what, frame) pairs: each must be dropped without harm."""
    rnd = random.Random(5)
    syn, fin, rst, psh, ack = 2, 1, 4, 8, 16
    yield "runt", b"\x52\x54"
    yield "ethernet header only", eth(b"")
    yield "unknown ethertype", eth(b"x" * 50, ethertype=0x88b5)
    yield "short ARP", eth(b"\x00\x01\x08\x00", ethertype=0x0806)
    yield "ARP wrong sizes", eth(struct.pack("!HHBBH", 1, 0x0800, 9, 4, 1) + b"\0" * 40, ethertype=0x0806)
    yield "IP header cut short", eth(ip(b"")[:12])
    yield "IP version 6 in a v4 header", eth(ip(tcp(1, 80, syn), version=6))
    yield "IP header length 3", eth(ip(tcp(1, 80, syn), ihl=3))
    yield "IP header length past the frame", eth(ip(b"", ihl=15))
    yield "IP total length past the frame", eth(ip(tcp(1, 80, syn), total=1400))
    yield "IP total length below the header", eth(ip(tcp(1, 80, syn), total=10))
    yield "IP bad checksum", eth(ip(tcp(1, 80, syn), good_csum=False))
    yield "IP fragment (MF)", eth(ip(tcp(1, 80, syn), frag=0x2000))
    yield "IP fragment (offset)", eth(ip(b"y" * 16, frag=0x0010))
    yield "IP unknown protocol", eth(ip(b"z" * 20, proto=99))
    yield "IP for another host", eth(ip(tcp(1, 80, syn), dst=socket.inet_aton("10.0.2.99")))
    yield "TCP header cut short", eth(ip(tcp(1, 80, syn)[:10]))
    yield "TCP data offset 2", eth(ip(tcp(1, 80, syn, off=2)))
    yield "TCP data offset past the segment", eth(ip(tcp(1, 80, syn, off=15)))
    yield "TCP bad checksum", eth(ip(tcp(1, 80, syn, good_csum=False)))
    yield "TCP SYN+FIN", eth(ip(tcp(1, 80, syn | fin)))
    yield "TCP SYN+RST", eth(ip(tcp(1, 80, syn | rst)))
    yield "TCP no flags", eth(ip(tcp(1, 80, 0)))
    yield "TCP FIN+PSH+URG (Christmas tree)", eth(ip(tcp(1, 80, fin | psh | 32)))
    yield "TCP ACK for no connection", eth(ip(tcp(2, 80, ack, ack=5)))
    yield "TCP to a closed port", eth(ip(tcp(3, 81, syn)))
    yield "TCP bad MSS option", eth(ip(tcp(4, 80, syn, off=6) + b"\x02\x09\x05"))
    yield "UDP short", eth(ip(b"\0\1\0", proto=17))
    yield "UDP length past the packet", eth(ip(struct.pack("!HHHH", 1, 53, 900, 0) + b"q" * 8, proto=17))
    yield "UDP to no socket", eth(ip(struct.pack("!HHHH", 1, 53, 12, 0) + b"abcd", proto=17))
    yield "ICMP bad checksum", eth(ip(struct.pack("!BBHHH", 8, 0, 0x1111, 1, 1) + b"p" * 8, proto=1))
    yield "ICMP short", eth(ip(b"\x08", proto=1))
    for i in range(20):
        yield f"random garbage {i}", eth(bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 1500))))
        yield f"random IP payload {i}", eth(ip(bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 200))),
                                             proto=rnd.choice([1, 6, 17])))
    # A flood of well-formed SYNs from a forged address: more than the
    # listen queue holds.
    for i in range(300):
        yield f"SYN flood {i}", eth(ip(tcp(10000 + i, 80, syn, seq=rnd.randrange(1 << 32))))


def test_malformed_frames_then_download(request, storage):
    port = qemu.free_port()
    raw_port, peer_port = qemu.free_port(), qemu.free_port()
    extra = qemu.net_hub_args(qemu.Net(hostfwd=[(port, 80)]), raw_port, peer_port)
    # httpd under the shell, so netstat can show the counters afterwards.
    g = Guest(init="/bin/sh", input="httpd -x\nnetstat\nexit\n", disks=storage.root_only,
              net=None, extra=extra, timeout=300)
    wait_http(port, g)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.bind(("127.0.0.1", peer_port))
    sent = 0
    try:
        for what, frame in bad_frames():
            sender.sendto(frame, ("127.0.0.1", raw_port))
            sent += 1
            if sent % 20 == 0:
                time.sleep(0.01)        # let the guest keep up; drops in QEMU's queue are fine too
        time.sleep(0.5)
        check_file(port, "1m.bin")      # still serving, and correctly
        status, _ = http_get(port, "/exit")
        assert status == 200
    finally:
        sender.close()
    r = g.join()
    save_log(request, r)
    check_boot(r, exit_code=0)
    counters = dict(re.findall(r"^\s+(\w+)\s+(\d+)\s", r.output, re.M))
    # (Runts never reach the guest: QEMU pads them to 60 bytes and the NIC
    # filters them by MAC, so eth_short stays 0.)
    for name in ("eth_bad_type", "arp_bad", "ip_bad_header", "ip_bad_len", "ip_bad_csum",
                 "ip_fragments", "ip_bad_proto", "ip_not_for_us", "tcp_bad_len", "tcp_bad_csum",
                 "tcp_bad_flags", "tcp_no_socket", "udp_bad", "udp_no_port", "icmp_bad",
                 "tcp_syn_dropped"):
        assert int(counters.get(name, 0)) > 0, f"netstat counter {name} is 0\n{r.describe()}"
