"""test_net.py - the network stack, from the host (docs/network.md).

Each test boots zc32 with the e1000 on QEMU's user network (slirp,
restrict=on) and talks to it only through 127.0.0.1:
  - httpd serves /data files through a hostfwd port: 1 KiB, 1 MiB and
    64 MiB downloads with sha256 checked, 404, eight clients at once; the
    ledger and netstat say how the bytes moved (one CPU copy, gather DMA);
  - tcpsend streams a file to a guestfwd receiver (one host process per
    connection) and the host checks what arrived;
  - ping gets replies from the gateway;
  - nettest (user/tests/nettest.c) checks the socket calls in the guest,
    over loopback;
  - raw Ethernet frames are injected into the NIC through a dgram netdev
    on 127.0.0.1 (alone, or on a QEMU hub beside slirp) and the guest's frames
    read back: malformed ones must be dropped and counted (netstat) with
    httpd still serving afterwards; TCP spoken by hand with a small window
    and held ACKs; echo requests to an address set with ip=.
The guest runs in a background thread (qemu.BackgroundBoot); the test
drives the network.
"""

import hashlib
import random
import re
import select
import socket
import struct
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import check_boot, check_test_program, save_log
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


def quietly(f, *args, **kw):
    """f(*args, **kw), ignoring failures: for cleaning up after one."""
    try:
        return f(*args, **kw)
    except (OSError, AssertionError, pytest.fail.Exception):
        return None


def netstat_counters(output):
    """{name: value} from netstat's "  name  value  description" lines."""
    return {k: int(v) for k, v in re.findall(r"^\s+(\w+)\s+(\d+)\s", output, re.M)}


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


def test_download_acks_filtered_and_predicted(request, storage):
    """slirp acknowledges every segment, and a 64 KiB TSO netbuf becomes
    about 46 of them in one receive batch: the ones a later ACK covers
    are freed unread (kernel/net/ack_filter.c), and the ones that go up
    take header prediction (tcp_input.c ack_predicted).  The file still
    arrives intact, and every frame is counted as received."""
    port = qemu.free_port()
    g = start_httpd(storage, port, init="/bin/sh", args=[], input="httpd -x\nnetstat\nexit\n")
    try:
        check_file(port, "1m.bin")
    finally:
        r = stop_httpd(request, g, port)
    c = netstat_counters(r.output)
    assert c.get("tcp_acks_filtered", 0) > 100, f"too few ACKs filtered\n{r.describe()}"
    assert c.get("tcp_fast_acks", 0) > 10, f"too few ACKs predicted\n{r.describe()}"
    # Filtered ACKs never reach TCP, but the NIC's count has them all.
    assert c["rx_frames"] >= c["tcp_in"] + c["tcp_acks_filtered"], r.describe()


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


def test_http_ledger_and_gather_dma(request, storage):
    """How the 1 MiB left: the ledger shows one CPU copy into the socket
    (user->socket, exactly the file plus HTTP headers) and NIC DMA of at
    least the file; headers are counted apart, and payload DMA plus header
    DMA is every byte the NIC sent (netstat tx_bytes), and receive DMA every
    byte it received (rx_bytes).  The payload went by gather DMA: each data
    segment is a header buffer plus payload pages."""
    port = qemu.free_port()
    # stats before netstat: nothing is sent in between, so netstat's
    # tx_bytes can only be the same or a frame or two more.
    g = start_httpd(storage, port, init="/bin/sh", args=[],
                    input="ztrace httpd -x -m rw\nstats\nnetstat\nexit\n")
    check_file(port, "1m.bin")
    r = stop_httpd(request, g, port)
    info = r.describe()
    copied = re.search(r"^\s+CPU\s+user->socket\s+(\d+) times\s+(\d+) bytes", r.output, re.M)
    assert copied, f"no user->socket line in ztrace's summary\n{info}"
    # The file, plus three HTTP response headers (the probe, the file, /exit).
    assert (1 << 20) <= int(copied.group(2)) <= (1 << 20) + 1024, info
    sent = re.search(r"^\s+DMA\s+socket->nic\s+(\d+) times\s+(\d+) bytes", r.output, re.M)
    assert sent and int(sent.group(2)) >= 1 << 20, info
    payload_dma = int(re.search(r"memory->nic\s+(\d+) bytes", r.output).group(1))
    header_dma = int(re.search(r"read by NIC DMA\s+(\d+) bytes", r.output).group(1))
    c = netstat_counters(r.output)
    assert payload_dma >= 1 << 20, info
    assert header_dma >= 54 * (c["tcp_out"] - 2), f"header DMA {header_dma} for {c['tcp_out']} segments"
    assert 0 <= c["tx_bytes"] - (payload_dma + header_dma) <= 3 * 1514, \
        f"NIC DMA {payload_dma} + {header_dma} bytes, but the NIC sent {c['tx_bytes']}\n{info}"
    rx_dma = int(re.search(r"nic->memory\s+(\d+) bytes", r.output).group(1))
    # Between stats and netstat only an ACK or a FIN may still arrive.
    assert 0 < rx_dma and 0 <= c["rx_bytes"] - rx_dma <= 4 * 64, \
        f"NIC receive DMA {rx_dma} bytes, but the NIC received {c['rx_bytes']}\n{info}"
    # TCP segmentation offload (e1000.tso, on by default): one netbuf (tcp_out
    # counts them) of headers and payload pages leaves as up to 45 frames,
    # so the CPU writes, and the NIC reads, its headers once for them all.
    gathered = c.get("tx_frames_gathered", 0)
    assert (1 << 20) // 1460 <= gathered <= c["tx_frames"], f"{gathered} gathered frames\n{info}"
    assert header_dma < 54 * gathered // 4, f"header DMA {header_dma} for {gathered} frames: no TSO\n{info}"
    assert c["tx_descs"] >= c["tcp_out"] + (1 << 20) // 4096, info   # a header, then a descriptor per page piece


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


def test_nettest_sockets_in_guest(run_guest):
    """user/tests/nettest.c: every socket call, direct and through
    socketcall(102), against the guest itself over loopback (127.0.0.1
    and its own 10.0.2.15), bad arguments with Linux's errno, and poll
    over pipes, files and sockets.  With a NIC, as in real use."""
    r = run_guest("nettest", net=qemu.Net(), timeout=120)
    oks = check_test_program(r, required=["direct.tcp.127.0.0.1.connect", "socketcall.tcp.127.0.0.1.connect",
                                          "direct.tcp.10.0.2.15.connect", "direct.udp.recvfrom",
                                          "socketcall.udp.recvfrom", "direct.tcp.stream.bytes",
                                          "socketcall.err.getsockname.null_addr", "poll.nval"])
    assert len(oks) > 200


# ---------------------------------------------------------------------------
# Frames built by hand.

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


def tcp(sport, dport, flags, seq=1000, ack=0, payload=b"", off=None, good_csum=True, src=EVIL_IP,
        dst=GUEST_IP, win=8192, opts=b""):
    off = 5 + len(opts) // 4 if off is None else off
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, win, 0, 0) + opts
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(h) + len(payload))
    c = csum(pseudo + h + payload) if good_csum else 0xbeef
    return h[:16] + struct.pack("!H", c) + h[18:] + payload


def icmp_echo(ident, seq, data):
    m = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


# ---------------------------------------------------------------------------
# Talking to the guest frame by frame: a raw link, and TCP spoken by hand.

TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 1, 2, 4, 8, 16


def seq_diff(a, b):
    """a - b for 32-bit sequence numbers, as a signed number."""
    return (a - b + (1 << 31)) % (1 << 32) - (1 << 31)


class RawLink:
    """The host end of a raw Ethernet link to the guest's e1000
    (qemu.raw_net_args or qemu.net_hub_args): a frame for the guest is a
    UDP datagram to 127.0.0.1:raw_port, and the guest's frames arrive at
    peer_port.  The host plays EVIL_IP/EVIL_MAC and answers the guest's
    ARP requests for that address, so the guest can reply to it.  With
    a guest (a BackgroundBoot), waiting for a frame fails as soon as the
    guest has stopped (a panic, say) instead of running into a timeout."""

    def __init__(self, raw_port, peer_port, guest=None):
        self.guest = guest
        self.data_segments = 0          # TCP segments with data from the guest (HandTcp counts)
        self.dest = ("127.0.0.1", raw_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", peer_port))

    def close(self):
        self.sock.close()

    def send(self, frame):
        self.sock.sendto(frame, self.dest)

    def recv(self, timeout, may_stop=False):
        """The guest's next frame (ARP requests for EVIL_IP are answered
        here, not returned), or None after timeout seconds.  A guest that
        powered off meanwhile fails the test, unless may_stop."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            if not select.select([self.sock], [], [], min(left, 1.0))[0]:
                if self.guest is not None and not self.guest.alive():
                    assert may_stop, "the guest stopped"
                    return None
                continue
            f = self.sock.recv(65536)
            if len(f) >= 42 and f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x01" and f[38:42] == EVIL_IP:
                reply = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + EVIL_MAC + EVIL_IP + f[22:28] + f[28:32]
                self.send(f[22:28] + EVIL_MAC + b"\x08\x06" + reply)
                continue
            return f


def parse_ipv4(frame, proto, dst=EVIL_IP):
    """(IP header, IP payload) of a frame from the guest (its MAC: on a
    hub, slirp's frames arrive too) carrying `proto` to dst, else None.
    The guest's header checksum must be right (the NIC fills it)."""
    if len(frame) < 34 or frame[6:12] != GUEST_MAC or frame[12:14] != b"\x08\x00":
        return None
    ihl = (frame[14] & 15) * 4
    iph = frame[14:14 + ihl]
    if iph[9] != proto or iph[16:20] != dst:
        return None
    assert csum(iph) == 0, f"bad IPv4 header checksum from the guest: {iph.hex()}"
    total = struct.unpack("!H", iph[2:4])[0]
    return iph, frame[14 + ihl:14 + total]


def raw_ping(link, dst, ident, seq, data, timeout=3.0, options=b""):
    """Inject an ICMP echo request from EVIL_IP to dst (with IP options if
    given); return the echo reply frame the guest sent back (checked:
    addresses, checksum, the identifier, sequence and data echoed), or
    None if none came."""
    link.send(eth(ip(icmp_echo(ident, seq, data), proto=1, dst=dst, ihl=5 + len(options) // 4,
                     options=options)))
    end = time.monotonic() + timeout
    while (f := link.recv(end - time.monotonic())) is not None:
        p = parse_ipv4(f, 1)
        if not p or p[1][:1] != b"\x00":
            continue
        iph, msg = p
        if struct.unpack("!HH", msg[4:8]) != (ident, seq):
            continue
        assert f[:6] == EVIL_MAC and iph[12:16] == dst, f"echo reply {f.hex()}"
        assert csum(msg) == 0 and msg[8:] == data, f"bad echo reply {msg.hex()}"
        return f
    return None


class HandTcp:
    """One TCP connection to the guest spoken by hand over a RawLink.

    The host is a deliberately simple receiver: it keeps only in-order
    data, offers a fixed window, and can hold its ACKs back for a while to
    make the guest retransmit.  It records what the guest's sender did:
    the most bytes it had beyond our last ACK (max_in_flight, which the
    window we offer must bound) and how many bytes came twice (dup_bytes).
    The link counts the guest's data segments, of every connection and
    whenever they come (link.data_segments)."""

    def __init__(self, link, sport, dport=80, window=65535, dst=GUEST_IP):
        self.link, self.sport, self.dport, self.window, self.dst = link, sport, dport, window, dst
        self.iss = 1000
        self.snd_nxt = self.iss
        self.rcv_nxt = 0
        self.acked = None               # the last ACK we sent
        self.unacked = None             # (seq, payload) of our data not yet acknowledged
        self.data = bytearray()
        self.fin = False
        self.max_in_flight = 0
        self.dup_bytes = 0

    def send(self, flags, payload=b"", opts=b"", seq=None):
        seq = self.snd_nxt if seq is None else seq
        self.link.send(eth(ip(tcp(self.sport, self.dport, flags, seq=seq, ack=self.rcv_nxt,
                                  payload=payload, dst=self.dst, win=self.window, opts=opts),
                              dst=self.dst)))
        if flags & TCP_ACK:
            self.acked = self.rcv_nxt

    def segment(self, timeout, may_stop=False):
        """The guest's next segment on this connection as (seq, ack, flags,
        window, payload), checksums checked, or None after timeout."""
        end = time.monotonic() + timeout
        while True:
            f = self.link.recv(max(0.0, end - time.monotonic()), may_stop)
            if f is None:
                return None
            p = parse_ipv4(f, 6)
            if not p:
                continue
            iph, seg = p
            pseudo = iph[12:20] + struct.pack("!BBH", 0, 6, len(seg))
            assert csum(pseudo + seg) == 0, "bad TCP checksum from the guest (checksum offload)"
            sport, dport, seq, ack, off, flags, win = struct.unpack("!HHIIBBH", seg[:16])
            if len(seg) > (off >> 4) * 4:
                self.link.data_segments += 1
            if (sport, dport) == (self.dport, self.sport):
                return seq, ack, flags, win, seg[(off >> 4) * 4:]

    def connect(self, deadline=60.0):
        """SYN until the guest answers SYN-ACK (RSTs until its server listens)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            self.send(TCP_SYN, opts=b"\x02\x04\x05\xb4", seq=self.iss)      # MSS 1460
            retry = time.monotonic() + 0.5
            while (s := self.segment(retry - time.monotonic())) is not None:
                seq, ack, flags = s[:3]
                if flags & (TCP_SYN | TCP_ACK) == TCP_SYN | TCP_ACK and ack == self.iss + 1:
                    self.snd_nxt = self.iss + 1
                    self.rcv_nxt = (seq + 1) % (1 << 32)
                    self.send(TCP_ACK)
                    return
        pytest.fail(f"no SYN-ACK from the guest's port {self.dport}")

    def write(self, payload):
        self.unacked = (self.snd_nxt, payload)
        self.send(TCP_ACK | TCP_PSH, payload)
        self.snd_nxt += len(payload)

    def read_all(self, hold=0.0, timeout=120.0):
        """Receive until the guest's FIN.  hold: seconds, from the first
        data byte, during which nothing is acknowledged."""
        end = time.monotonic() + timeout
        hold_until = None
        last_write = time.monotonic()
        while not self.fin:
            assert time.monotonic() < end, f"no FIN after {timeout}s ({len(self.data)} bytes)"
            s = self.segment(0.3)
            now = time.monotonic()
            holding = hold_until is not None and now < hold_until
            if not holding and self.acked != self.rcv_nxt:
                self.send(TCP_ACK)                   # the hold is over: acknowledge it all
            if s is None:
                if self.unacked and now - last_write > 1.0:
                    self.send(TCP_ACK | TCP_PSH, self.unacked[1], seq=self.unacked[0])
                    last_write = now
                continue
            seq, ack, flags, win, payload = s
            assert not flags & TCP_RST, f"the guest reset the connection after {len(self.data)} bytes"
            if self.unacked and seq_diff(ack, self.snd_nxt) >= 0:
                self.unacked = None
            seglen = len(payload) + (flags & TCP_FIN)
            if seglen and self.acked is not None:
                self.max_in_flight = max(self.max_in_flight, seq_diff(seq + seglen, self.acked))
            if payload:
                if seq == self.rcv_nxt:
                    self.data += payload
                    self.rcv_nxt = (self.rcv_nxt + len(payload)) % (1 << 32)
                elif seq_diff(seq, self.rcv_nxt) < 0:
                    self.dup_bytes += len(payload)
                if hold and hold_until is None:
                    hold_until = now + hold
            if flags & TCP_FIN and (seq + len(payload)) % (1 << 32) == self.rcv_nxt:
                self.rcv_nxt = (self.rcv_nxt + 1) % (1 << 32)
                self.fin = True
            if seglen and not (hold_until is not None and now < hold_until):
                self.send(TCP_ACK)

    def close(self):
        """Our FIN after the guest's; wait (briefly) for its ACK.  The guest
        may power off first (after GET /exit): that is fine here."""
        fin_seq = self.snd_nxt
        self.snd_nxt += 1
        for _ in range(3):
            self.send(TCP_FIN | TCP_ACK, seq=fin_seq)
            end = time.monotonic() + 1.0
            while (s := self.segment(end - time.monotonic(), may_stop=True)) is not None:
                if s[2] & TCP_ACK and seq_diff(s[1], self.snd_nxt) >= 0:
                    return


def hand_http_get(link, path, sport, hold=0.0, **kw):
    """GET path from the guest's httpd over a HandTcp connection; returns
    (status line, body, the connection)."""
    c = HandTcp(link, sport, **kw)
    c.connect()
    c.write(f"GET {path} HTTP/1.0\r\n\r\n".encode())
    c.read_all(hold=hold)
    c.close()
    head, _, body = bytes(c.data).partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body, c


class RawHttpd:
    """httpd -x under the shell on a raw-only link, netstat after it
    exits.  `with RawHttpd(...) as link:` gives the RawLink to it; if the
    block fails, a GET /exit from exit_port ends the guest at once rather
    than at its timeout.  Afterwards .result is the guest's BootResult,
    its log saved."""

    def __init__(self, request, storage, exit_port, timeout=240):
        raw_port, peer_port = qemu.free_udp_ports(2)
        self.request, self.exit_port, self.result = request, exit_port, None
        self.guest = Guest(init="/bin/sh", input="httpd -x\nnetstat\nexit\n", disks=storage.root_only,
                           net=None, extra=qemu.raw_net_args(raw_port, peer_port), timeout=timeout)
        self.link = RawLink(raw_port, peer_port, self.guest)

    def __enter__(self):
        return self.link

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type:
                quietly(hand_http_get, self.link, "/exit", self.exit_port)
        finally:
            self.link.close()
            self.result = self.guest.join(timeout=self.guest.timeout + 30)
            save_log(self.request, self.result)
        return False


# ---------------------------------------------------------------------------
# Raw links: malformed frames, a small window, another address.

OPT_PORTS = (5001, 5002, 5003)     # source ports of the SYNs with IP options


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
    # Options: only padding is accepted.  Each is a good SYN to httpd from
    # its own port, so a SYN-ACK back would show it was taken.
    yield "IP option record route", eth(ip(tcp(OPT_PORTS[0], 80, syn), ihl=7,
                                          options=bytes([7, 7, 4, 0, 0, 0, 0, 0])))
    yield "IP option loose source route", eth(ip(tcp(OPT_PORTS[1], 80, syn), ihl=7,
                                                options=bytes([131, 7, 4, 10, 0, 2, 2, 0])))
    yield "IP option length past the header", eth(ip(tcp(OPT_PORTS[2], 80, syn), ihl=6,
                                                    options=bytes([68, 40, 5, 0])))
    yield "IP for another host", eth(ip(tcp(1, 80, syn), dst=socket.inet_aton("10.0.2.99")))
    yield "IP from 127.0.0.1 on the wire", eth(ip(tcp(1, 80, syn, src=socket.inet_aton("127.0.0.1")),
                                                 src=socket.inet_aton("127.0.0.1")))
    # "LAND": a SYN from our own address and port to itself would make the
    # listener's child talk to itself for ever.
    yield "LAND (from our own address and port)", eth(ip(tcp(80, 80, syn, src=GUEST_IP), src=GUEST_IP))
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
    raw_port, peer_port = qemu.free_udp_ports(2)
    extra = qemu.net_hub_args(qemu.Net(hostfwd=[(port, 80)]), raw_port, peer_port)
    # httpd under the shell, so netstat can show the counters afterwards.
    g = Guest(init="/bin/sh", input="httpd -x\nnetstat\nexit\n", disks=storage.root_only,
              net=None, extra=extra, timeout=300)
    wait_http(port, g)
    link = RawLink(raw_port, peer_port, g)
    # Who-has from EVIL_IP: the guest learns our MAC address, so its
    # answers (RSTs, SYN-ACKs) leave at once instead of waiting for ARP.
    link.send(eth(struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + EVIL_MAC + EVIL_IP + bytes(6) + GUEST_IP,
                  ethertype=0x0806, dst=b"\xff" * 6))
    sent = 0
    try:
        for what, frame in bad_frames():
            link.send(frame)
            sent += 1
            if sent % 20 == 0:
                time.sleep(0.01)        # let the guest keep up; drops in QEMU's queue are fine too
        # What the guest said back: (sport, dport, flags) of its TCP segments.
        replies = set()
        while (f := link.recv(1.0)) is not None:
            p = parse_ipv4(f, 6)
            if p:
                replies.add(struct.unpack("!HHxxxxxxxxxB", p[1][:14]))
        # A valid ping, with and without padding options, still gets its reply.
        assert raw_ping(link, GUEST_IP, 0x5151, 1, b"still alive?") is not None, "no echo reply"
        assert raw_ping(link, GUEST_IP, 0x5151, 2, b"padded", options=b"\x01\x01\x01\x00") is not None, \
            "no echo reply to a packet with NOP options"
        check_file(port, "1m.bin")      # still serving, and correctly
        status, _ = http_get(port, "/exit")
        assert status == 200
    finally:
        link.close()
    r = g.join()
    save_log(request, r)
    check_boot(r, exit_code=0)
    # RFC 793 resets for a closed port and for an ACK with no connection;
    # SYN-ACKs for the well-formed SYNs of the flood.
    assert (81, 3, TCP_RST | TCP_ACK) in replies, sorted(replies)
    assert (80, 2, TCP_RST) in replies, sorted(replies)
    assert any(sport == 80 and dport >= 10000 and flags == TCP_SYN | TCP_ACK
               for sport, dport, flags in replies), sorted(replies)
    # Nothing was taken from a dropped frame: no answer at all to the SYNs
    # that had a bad checksum, length, flags, fragment bit or IP options.
    taken = sorted(r for r in replies if r[1] in (1, 4) + OPT_PORTS)
    assert not taken, f"the guest answered dropped SYNs: {taken}"
    counters = netstat_counters(r.output)
    # (Runts never reach the guest: QEMU pads them to 60 bytes and the NIC
    # filters them by MAC, so eth_short stays 0.)
    for name in ("eth_bad_type", "arp_bad", "ip_bad_header", "ip_bad_len", "ip_bad_csum",
                 "ip_fragments", "ip_bad_proto", "ip_not_for_us", "ip_martians", "ip_options",
                 "tcp_bad_len", "tcp_bad_csum", "tcp_bad_flags", "tcp_no_socket", "udp_bad",
                 "udp_no_port", "icmp_bad", "tcp_syn_dropped"):
        assert counters.get(name, 0) > 0, f"netstat counter {name} is 0\n{r.describe()}"
    assert counters["ip_options"] >= len(OPT_PORTS), r.describe()


def test_tcp_small_window_and_retransmission(request, storage):
    """A peer that offers an 8 KiB window and acknowledges nothing for
    3 s, then everything: the guest must never have more than the window
    un-ACKed in flight, must resend after its retransmission timeout, and
    the file must arrive intact.  (Once this panicked the kernel: the send
    buffer merged two physically adjacent pages into one chunk.)"""
    httpd = RawHttpd(request, storage, exit_port=5557)
    with httpd as link:
        status, body, c = hand_http_get(link, "/data/1m.bin", 5555, hold=3.0, window=8192)
        assert status == "HTTP/1.1 200 OK"
        assert len(body) == 1 << 20 and body == mkdata.content("1m.bin"), f"{len(body)} bytes, wrong content"
        assert c.max_in_flight <= 8192, f"{c.max_in_flight} bytes in flight beyond our ACK, window 8192"
        assert c.dup_bytes > 0, "nothing was sent twice while we held our ACKs"
        status, _, _ = hand_http_get(link, "/exit", 5556)
        assert status == "HTTP/1.1 200 OK"
    r = httpd.result
    check_boot(r, exit_code=0)
    counters = netstat_counters(r.output)
    assert counters.get("tcp_retransmits", 0) > 0, r.describe()
    # Every data segment, first sent or resent, left by gather DMA: one
    # descriptor for the headers, more for the payload.
    assert counters.get("tx_frames_gathered", 0) == link.data_segments, \
        f"{counters.get('tx_frames_gathered')} gathered frames, {link.data_segments} data segments seen"


def test_tcp_duplicate_acks_not_filtered(request, storage):
    """Three duplicate ACKs sent back to back, so that they may well
    arrive in one receive batch, must each reach TCP: the ACK filter
    (kernel/net/ack_filter.c) replaces an ACK only with one that
    acknowledges more.  The third makes the guest resend the segment at
    the hole at once (fast retransmit, RFC 5681 3.2), and the file still
    arrives intact."""
    httpd = RawHttpd(request, storage, exit_port=5621)
    with httpd as link:
        c = HandTcp(link, 5620, window=8192)
        c.connect()
        while c.segment(0.5) is not None:
            pass                        # SYN-ACKs repeated for SYNs sent while the guest booted
        c.write(b"GET /data/1m.bin HTTP/1.0\r\n\r\n")
        hole = c.rcv_nxt                # the first byte of the answer
        while (s := c.segment(1.0)) is not None and seq_diff(s[0] + len(s[4]), hole + 8192) < 0:
            pass                        # the first window, not acknowledged
        c.unacked = None
        for _ in range(3):
            c.send(TCP_ACK)             # rcv_nxt is still the hole: the same ACK three times
        while (s := c.segment(2.0)) is not None and not (s[0] == hole and s[4]):
            pass
        assert s is not None, "the segment at the hole was not resent after three duplicate ACKs"
        c.read_all()
        c.close()
        head, _, body = bytes(c.data).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK") and body == mkdata.content("1m.bin"), \
            f"{len(body)} bytes, wrong content"
        status, _, _ = hand_http_get(link, "/exit", 5622)
        assert status == "HTTP/1.1 200 OK"
    r = httpd.result
    check_boot(r, exit_code=0)
    assert netstat_counters(r.output).get("tcp_fast_retransmits", 0) >= 1, r.describe()


def test_tcp_acks_out_of_order_data_at_once(request, storage):
    """A segment beyond a hole gets a duplicate ACK at once, so the sender
    learns of the hole (RFC 5681 4.2; no delayed ACK would ever come: the
    guest has nothing in order to acknowledge), and the segment filling
    the hole an ACK of both.  The request, sent back to front, is served."""
    httpd = RawHttpd(request, storage, exit_port=5601)
    with httpd as link:
        c = HandTcp(link, 5600)
        c.connect()
        while c.segment(0.5) is not None:
            pass                        # SYN-ACKs repeated for SYNs sent while the guest booted
        request_bytes = b"GET /exit HTTP/1.0\r\n\r\n"
        front, back = request_bytes[:5], request_bytes[5:]
        c.send(TCP_ACK | TCP_PSH, back, seq=c.snd_nxt + len(front))
        s = c.segment(5.0)
        assert s is not None, "no ACK for a segment beyond a hole"
        assert s[2] == TCP_ACK and s[1] == c.snd_nxt and not s[4], f"not a duplicate ACK: {s}"
        c.write(front)
        c.snd_nxt += len(back)
        c.unacked = None
        s = c.segment(5.0)
        assert s is not None and s[1] == c.snd_nxt, f"the filled hole is not acknowledged: {s}"
        c.read_all()
        c.close()
        assert bytes(c.data).startswith(b"HTTP/1.1 200 OK"), bytes(c.data[:100])
    r = httpd.result
    check_boot(r, exit_code=0)
    assert netstat_counters(r.output).get("tcp_ooo_queued", 0) >= 1, r.describe()


def test_ip_from_command_line_and_echo_reply(request, storage):
    """ip=10.0.2.16 on the kernel command line: the boot log says so, the
    guest pings the gateway from it, slirp forwards HTTP to it, and an
    echo request injected over the raw hub gets its reply frame from
    10.0.2.16, while one for the default 10.0.2.15 is not answered."""
    port, (raw_port, peer_port) = qemu.free_port(), qemu.free_udp_ports(2)
    new_ip = socket.inet_aton("10.0.2.16")
    extra = qemu.net_hub_args(qemu.Net(hostfwd=[(port, 80)], guest_addr="10.0.2.16"), raw_port, peer_port)
    g = Guest(init="/bin/sh", append="ip=10.0.2.16", input="ping -c 3 10.0.2.2\nhttpd -x\nnetstat\nexit\n",
              disks=storage.root_only, net=None, extra=extra, timeout=120)
    link = RawLink(raw_port, peer_port, g)
    try:
        wait_http(port, g)              # httpd runs after ping: ping is done
        assert raw_ping(link, new_ip, 0x4242, 1, b"zc32 echo data!!") is not None, \
            "no echo reply from 10.0.2.16"
        assert raw_ping(link, GUEST_IP, 0x4242, 2, b"not for you", timeout=1.5) is None, \
            "the guest still answers for 10.0.2.15"
    finally:
        link.close()
        quietly(http_get, port, "/exit", timeout=30)     # also after a failure: no waiting for the timeout
        r = g.join(timeout=g.timeout + 30)
        save_log(request, r)
    check_boot(r, exit_code=0)
    assert "net: 10.0.2.16 netmask 255.255.255.0 gateway 10.0.2.2" in r.output, r.describe()
    assert "3 packets transmitted, 3 received" in r.output, r.describe()
    c = netstat_counters(r.output)
    assert c.get("icmp_echo_replies", 0) >= 1 and c.get("ip_not_for_us", 0) >= 1, r.describe()
