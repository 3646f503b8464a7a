/*
 * tcpsend - stream a file to a TCP receiver.
 *     tcpsend FILE [IP [PORT]]      default 10.0.2.100 port 9000
 * Under QEMU, 10.0.2.100:9000 is a guestfwd rule: each connection starts
 * a receiver process on the host.  After the last byte tcpsend shuts
 * down its sending side and waits for the receiver to close, so when it
 * exits 0 the receiver has had everything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <socket.h>

#define BUF_SIZE (64 * 1024)

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: tcpsend FILE [IP [PORT]]\n");
		return 2;
	}
	const char *ip = argc > 2 ? argv[2] : "10.0.2.100";
	int port = argc > 3 ? atoi(argv[3]) : 9000;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (!inet_aton(ip, &to.sin_addr)) {
		fprintf(stderr, "tcpsend: %s: not an IPv4 address\n", ip);
		return 2;
	}
	int in = open(argv[1], O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "tcpsend: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof to) < 0) {
		fprintf(stderr, "tcpsend: connect %s:%d: %s\n", ip, port, strerror(errno));
		return 1;
	}
	char *buf = malloc(BUF_SIZE);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long long total = 0;
	for (;;) {
		ssize_t n = read(in, buf, BUF_SIZE);
		if (n < 0) {
			fprintf(stderr, "tcpsend: read: %s\n", strerror(errno));
			return 1;
		}
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(s, buf + off, (size_t)(n - off));
			if (w <= 0) {
				fprintf(stderr, "tcpsend: write: %s\n", strerror(errno));
				return 1;
			}
			off += w;
		}
		total += (unsigned long long)n;
	}
	shutdown(s, SHUT_WR);
	while (read(s, buf, BUF_SIZE) > 0)
		;                              /* until the receiver closes */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(s);
	long long ms = timespec_diff_ns(&t0, &t1) / 1000000;
	printf("tcpsend: sent %llu bytes in %lld ms (%llu KB/s)\n", total, ms,
	       ms ? total / (unsigned long long)ms : 0);
	return 0;
}
