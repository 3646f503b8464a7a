/*
 * ping - send ICMP echo requests and wait for the replies.
 *     ping [-c COUNT] [HOST]        HOST defaults to the gateway, 10.0.2.2
 * Uses a ping socket, socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), as
 * Linux's unprivileged ping does: we write the echo request, the kernel
 * fills in the identifier and checksum, and replies come back on the
 * socket.  Exits 0 if any reply came.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <socket.h>

#define PAYLOAD 56

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	int count = 4;
	const char *host = "10.0.2.2";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			count = atoi(argv[++i]);
		else
			host = argv[i];
	}
	struct sockaddr_in to = { .sin_family = AF_INET };
	if (!inet_aton(host, &to.sin_addr)) {
		fprintf(stderr, "ping: %s: not an IPv4 address\n", host);
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd < 0) {
		fprintf(stderr, "ping: socket: %s\n", strerror(errno));
		return 2;
	}
	printf("PING %s: %d data bytes\n", host, PAYLOAD);
	int received = 0;
	for (int seq = 1; seq <= count; seq++) {
		unsigned char pkt[8 + PAYLOAD], reply[1500];
		memset(pkt, 0, sizeof pkt);
		pkt[0] = ICMP_ECHO_REQUEST;
		pkt[6] = (unsigned char)(seq >> 8);
		pkt[7] = (unsigned char)seq;
		for (int i = 0; i < PAYLOAD; i++)
			pkt[8 + i] = (unsigned char)i;
		long long t0 = now_us();
		if (sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&to, sizeof to) < 0) {
			fprintf(stderr, "ping: sendto: %s\n", strerror(errno));
			continue;
		}
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			long long left = 2000 - (now_us() - t0) / 1000;   /* QEMU holds frames for 1 s after RX is enabled */
			if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
				printf("no reply for icmp_seq=%d\n", seq);
				break;
			}
			struct sockaddr_in from;
			socklen_t flen = sizeof from;
			ssize_t n = recvfrom(fd, reply, sizeof reply, 0, (struct sockaddr *)&from, &flen);
			if (n < 8 || reply[0] != ICMP_ECHO_REPLY || ((reply[6] << 8) | reply[7]) != seq)
				continue;
			long long us = now_us() - t0;
			printf("%d bytes from %s: icmp_seq=%d time=%lld.%03lld ms\n", (int)n, host, seq,
			       us / 1000, us % 1000);
			received++;
			break;
		}
		if (seq < count)
			usleep(200000);
	}
	printf("--- %s ping statistics ---\n%d packets transmitted, %d received\n", host, count, received);
	return received ? 0 : 1;
}
