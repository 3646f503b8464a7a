"""test_rawicmp.py - raw ICMP sockets (kernel/net/raw.c, docs/network.md).

user/tests/rawicmp.c opens socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) as
busybox's ping does, sends echo requests it built itself, and checks that
recvfrom returns whole IP packets (header, checksums, sender), that poll
sees them, that a raw socket beside a ping socket sees every ICMP packet
while the ping socket still gets its reply, the raw_in counter, and bad
input with Linux's errno values; with the e1000, the gateway (QEMU's
slirp, 10.0.2.2) answers its pings.
"""

import qemu
from conftest import check_test_program

REQUIRED = ["recv.own_request", "recv.reply_with_ip_header", "recv.from", "ledger.raw_in",
            "raw.sees_both", "ping_socket.reply", "sendto.short", "sendto.efault"]


def test_raw_icmp_loopback(run_guest):
    r = run_guest("rawicmp")
    check_test_program(r, required=REQUIRED)


def test_raw_icmp_gateway(run_guest):
    r = run_guest("rawicmp", args=["net"], net=qemu.Net())
    check_test_program(r, required=REQUIRED + ["gateway.reply"])
