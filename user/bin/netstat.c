/*
 * netstat - the network stack's counters and sockets.
 *     netstat [-a]        -a: show the counters that are zero too
 * Reads them with zc32's own system call SYS_zc_netstat (uapi/zc32_net.h):
 * frames and bytes through the NIC, and every dropped packet under the
 * reason it was dropped.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <socket.h>
#include <uapi/zc32_net.h>

#define MAX_SOCKS 64

static const char *const names[] = {
#define NAME(n, d) #n,
	ZC_NET_COUNTERS(NAME)
#undef NAME
};
static const char *const descs[] = {
#define DESC(n, d) d,
	ZC_NET_COUNTERS(DESC)
#undef DESC
};
static const char *const states[] = {
#define STATE(s) #s,
	ZC_TCP_STATES(STATE)
#undef STATE
};

static void addr(char *buf, unsigned int a, unsigned short port)
{
	const unsigned char *b = (const unsigned char *)&a;
	sprintf(buf, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], ntohs(port));
}

int main(int argc, char **argv)
{
	int all = argc > 1 && strcmp(argv[1], "-a") == 0;
	static unsigned long long c[ZC_NET_NCOUNTERS];
	static struct zc_sockinfo s[MAX_SOCKS];
	long n = __syscall4(SYS_zc_netstat, (long)c, ZC_NET_NCOUNTERS, (long)s, MAX_SOCKS);
	if (n < 0) {
		fprintf(stderr, "netstat: %s\n", strerror((int)-n));
		return 1;
	}
	printf("Counters:\n");
	for (int i = 0; i < ZC_NET_NCOUNTERS; i++)
		if (c[i] || all)
			printf("  %-22s %12llu  %s\n", names[i], c[i], descs[i]);
	printf("Sockets:\nProto  Local                  Remote                 State        Send-Q  Recv-Q\n");
	for (long i = 0; i < n; i++) {
		char l[32], r[32];
		addr(l, s[i].laddr, s[i].lport);
		addr(r, s[i].raddr, s[i].rport);
		const char *proto = s[i].proto == 6 ? "tcp" : s[i].proto == 17 ? "udp" : "icmp";
		printf("%-6s %-22s %-22s %-12s %6u  %6u\n", proto, l, r,
		       s[i].proto == 6 ? states[s[i].state] : "-", s[i].sendq, s[i].recvq);
	}
	return 0;
}
