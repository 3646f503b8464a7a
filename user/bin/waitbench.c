/*
 * waitbench - what one wait costs the kernel, for select, poll and epoll,
 * with N idle connections and one busy one (docs/waiting.md).
 *
 *     waitbench [--json] [-n 1,16,64,128,240] [-i WAITS] [-m select,poll,epoll]
 *
 * The program connects to itself over loopback (127.0.0.1): N+1 TCP
 * connections, of which it watches the client ends.  The server end of
 * connection 0, the busy one, is sent WAITS small messages before each
 * run; the N others stay silent.  Each run makes WAITS waits, each
 * followed by a read of one message, and reports per wait:
 *   fds/wait     descriptors the kernel asked for their state: the ledger's
 *                wait_fds / wait_calls for that mechanism (zc_stats);
 *   cycles/wait  median rdtsc cycles around the call; under QEMU's
 *                -icount shift=0 (make bench) these are guest instructions.
 * select and poll look at every descriptor on every call: both grow with
 * N.  epoll looks only at its ready list: one connection, whatever N is.
 * --json adds one line `waitbench-json: {...}` for tools/bench/bench_wait.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <select.h>
#include <epoll.h>
#include <socket.h>
#include <zc.h>

#define PORT        7171
#define MAX_CONNS   250            /* two descriptors each, under NOFILE (512) */
#define MSG         16             /* bytes the busy connection gets per wait */
#define MAX_WAITS   1000

enum mech { SELECT, POLL, EPOLL, NMECH };
static const char *mech_name[NMECH] = { "select", "poll", "epoll" };
static const enum zc_wait mech_kind[NMECH] = { ZC_WAIT_SELECT, ZC_WAIT_POLL, ZC_WAIT_EPOLL };

static int clients[MAX_CONNS + 1], servers[MAX_CONNS + 1], nconns;
static int listener, epfd;
static fd_set select_set;          /* every client end: select's question */
static int select_nfds;
static struct pollfd pfds[MAX_CONNS + 1];
static unsigned long long samples[MAX_WAITS];

static inline unsigned long long rdtsc(void)
{
	unsigned long long t;

	__asm__ __volatile__("rdtsc" : "=A"(t));
	return t;
}

static int open_listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int one = 1;

	listener = socket(AF_INET, SOCK_STREAM, 0);
	inet_aton("127.0.0.1", &a.sin_addr);
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(listener, (struct sockaddr *)&a, sizeof a) < 0 || listen(listener, 8) < 0)
		return -1;
	epfd = epoll_create1(0);
	return epfd;
}

/* One more connection to ourselves; its client end joins every watch set. */
static int add_connection(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct epoll_event ev = { EPOLLIN, (unsigned long long)nconns };
	int c = socket(AF_INET, SOCK_STREAM, 0);

	inet_aton("127.0.0.1", &a.sin_addr);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) < 0)
		return -1;
	int s = accept(listener, NULL, NULL);
	if (s < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, c, &ev) < 0)
		return -1;
	clients[nconns] = c;
	servers[nconns] = s;
	FD_SET(c, &select_set);
	if (c + 1 > select_nfds)
		select_nfds = c + 1;
	pfds[nconns].fd = c;
	pfds[nconns].events = POLLIN;
	nconns++;
	return 0;
}

/* One wait with no timeout; returns whether the busy connection (0) is
 * ready.  select overwrites its set with the answer, so each call starts
 * from a copy of the question (a 64-byte copy: the part of the cost that
 * is not the kernel's). */
static int wait_once(enum mech m)
{
	static fd_set rd;
	struct epoll_event ev[4];
	int i, n;

	switch (m) {
	case SELECT:
		rd = select_set;
		return select(select_nfds, &rd, NULL, NULL, NULL) > 0 && FD_ISSET(clients[0], &rd);
	case POLL:
		return poll(pfds, nconns, -1) > 0 && (pfds[0].revents & POLLIN);
	default:
		n = epoll_wait(epfd, ev, 4, -1);
		for (i = 0; i < n; i++)
			if (ev[i].data == 0)
				return 1;
		return 0;
	}
}

/* The median of v[0..n) (sorts v: insertion sort, n is small). */
static unsigned long long median(unsigned long long *v, int n)
{
	for (int i = 1; i < n; i++) {
		unsigned long long x = v[i];
		int j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return v[n / 2];
}

struct result {
	enum mech mech;
	int n;                       /* idle connections */
	unsigned fds_per_wait_x100;  /* descriptors examined per wait, in hundredths */
	unsigned long long cycles;   /* median per wait */
	int busy_events;             /* waits that found the busy connection ready */
};

/* WAITS waits with mechanism m; the cycles are measured around the wait only. */
static struct result run(enum mech m, int waits)
{
	struct result r = { m, nconns - 1, 0, 0, 0 };
	struct zc_stats a, b;
	char msg[MSG];
	int i;

	memset(msg, 'x', sizeof msg);
	for (i = 0; i < waits; i++)
		write(servers[0], msg, sizeof msg);
	zc_stats(ZC_STATS_SELF, &a);
	for (i = 0; i < waits; i++) {
		unsigned long long t0 = rdtsc();
		int ready = wait_once(m);
		samples[i] = rdtsc() - t0;
		r.busy_events += ready;
		if (ready)
			read(clients[0], msg, sizeof msg);
	}
	zc_stats(ZC_STATS_SELF, &b);
	unsigned long long calls = b.wait_calls[mech_kind[m]] - a.wait_calls[mech_kind[m]];
	unsigned long long fds = b.wait_fds[mech_kind[m]] - a.wait_fds[mech_kind[m]];
	r.fds_per_wait_x100 = calls ? (unsigned)((fds * 100 + calls / 2) / calls) : 0;
	r.cycles = median(samples, waits);
	return r;
}

/* "1,16,64" into list; returns how many. */
static int parse_list(char *s, int *list, int max)
{
	int n = 0;

	for (char *t = strtok(s, ","); t && n < max; t = strtok(NULL, ","))
		list[n++] = atoi(t);
	return n;
}

static int parse_mechs(char *s, int *use)
{
	for (char *t = strtok(s, ","); t; t = strtok(NULL, ",")) {
		int m;
		for (m = 0; m < NMECH && strcmp(t, mech_name[m]) != 0; m++)
			;
		if (m == NMECH)
			return -1;
		use[m] = 1;
	}
	return 0;
}

static void print_json(const struct result *res, int nres, int waits)
{
	printf("waitbench-json: {\"waits\": %d, \"rows\": [", waits);
	for (int i = 0; i < nres; i++) {
		unsigned f = res[i].fds_per_wait_x100;
		printf("%s{\"mech\": \"%s\", \"n\": %d, \"fds_per_wait\": %d.%02d, \"cycles_per_wait\": %llu, "
		       "\"busy_events\": %d}", i ? ", " : "", mech_name[res[i].mech], res[i].n,
		       f / 100, f % 100, res[i].cycles, res[i].busy_events);
	}
	printf("]}\n");
}

int main(int argc, char **argv)
{
	int ns[16] = { 1, 16, 64, 128, 240 }, nn = 5, waits = 200, json = 0, use[NMECH] = { 1, 1, 1 };
	static struct result res[16 * NMECH];
	int nres = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			nn = parse_list(argv[++i], ns, 16);
		else if (strcmp(argv[i], "-i") == 0 && i + 1 < argc)
			waits = atoi(argv[++i]);
		else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
			memset(use, 0, sizeof use);
			if (parse_mechs(argv[++i], use) < 0)
				goto usage;
		} else
			goto usage;
	}
	if (waits < 1 || waits > MAX_WAITS)
		goto usage;
	if (open_listener() < 0) {
		printf("waitbench: cannot listen on 127.0.0.1:%d\n", PORT);
		return 1;
	}
	printf("waitbench: N idle loopback connections + 1 busy, %d waits each\n", waits);
	printf("  %-7s %5s %10s %12s\n", "mech", "N", "fds/wait", "cycles/wait");
	for (int k = 0; k < nn; k++) {
		if (ns[k] < 0 || ns[k] > MAX_CONNS - 1 || ns[k] + 1 < nconns)
			goto usage;                /* ascending, within the table */
		while (nconns < ns[k] + 1) {
			if (add_connection() < 0) {
				printf("waitbench: connection %d failed\n", nconns);
				return 1;
			}
		}
		for (int m = 0; m < NMECH; m++) {
			if (!use[m])
				continue;
			struct result r = run(m, waits);
			res[nres++] = r;
			printf("  %-7s %5d %7u.%02u %12llu\n", mech_name[m], r.n, r.fds_per_wait_x100 / 100,
			       r.fds_per_wait_x100 % 100, r.cycles);
		}
	}
	if (json)
		print_json(res, nres, waits);
	return 0;
usage:
	printf("usage: waitbench [--json] [-n N,N,... ascending, < %d] [-i WAITS <= %d] [-m select,poll,epoll]\n",
	       MAX_CONNS, MAX_WAITS);
	return 2;
}
