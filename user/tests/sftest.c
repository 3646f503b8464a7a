/*
 * sftest - sendfile(2) from inside the guest (docs/zero-copy.md), and a sender for
 * the host-side tests of its gather path.
 *
 *   sftest          every semantic and error of sendfile (187) and
 *                   sendfile64 (239), over loopback TCP and file to file:
 *                   offsets, the file position, EOF, short counts, EAGAIN
 *                   on a full non-blocking socket, EFAULT, EBADF, EINVAL,
 *                   into a pipe and onto the console,
 *                   the copy/gather switch, readahead on a cold file, and
 *                   the pinning rule: pages queued by the gather way keep
 *                   the bytes they had (copy-on-write of the page-cache
 *                   page) while the file is rewritten, truncated and its
 *                   cache dropped.
 *   sftest serve PORT FILE MODES [HOG_MIB] [change]
 *                   for each of MODES (copy, gather, or a list: copy,gather)
 *                   accept one TCP connection on PORT, sendfile FILE to it
 *                   that way, wait for the peer to close, then print the
 *                   system-wide ledger of the transfer and the free pages
 *                   before and after (page cache dropped each time):
 *     sftest: mode M sent N k2k K nic_payload P disk D retransmits R cow C
 *             changed_at X free_before F free_after G
 *                   HOG_MIB: a child touches that much anonymous memory
 *                   over and over during the send (memory pressure).
 *                   change: once the socket is full (non-blocking sendfile
 *                   says EAGAIN), overwrite the file from that point on and
 *                   cut it 100001 bytes further (changed_at X); the rest
 *                   of the file is then sent as it now is.
 *
 * Output: `ok NAME` / `not ok NAME: detail` and a summary (ztest.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <socket.h>
#include <mman.h>
#include <zc.h>
#include <uapi/zc32_net.h>
#include <ztest.h>

#define BAD_PTR   ((void *)0x1)          /* page 0 is never mapped */
#define PORT      7070
#define BIG       "/data/1m.bin"
#define BIG_SIZE  (1 << 20)
#define ODD_SIZE  200001                 /* not a multiple of a page or a segment */
#define CHANGE_FILL 0x5a                 /* what "change" writes over the file */

static unsigned char *big;               /* BIG's bytes, read with read() */

static struct sockaddr_in addr(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_aton("127.0.0.1", &a.sin_addr);
	return a;
}

/* A connected loopback pair: *snd sends, *rcv receives. */
static int tcp_pair(int *snd, int *rcv)
{
	static int port = PORT;
	struct sockaddr_in a = addr(++port);
	int one = 1;
	int l = socket(AF_INET, SOCK_STREAM, 0);

	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0)
		return -1;
	*rcv = socket(AF_INET, SOCK_STREAM, 0);
	if (*rcv < 0 || connect(*rcv, (struct sockaddr *)&a, sizeof a) < 0)
		return -1;
	*snd = accept(l, NULL, NULL);
	close(l);
	return *snd < 0 ? -1 : 0;
}

/* Read until EOF; returns the byte count, or -1 on an error. */
static long recv_all(int fd, unsigned char *buf, long max)
{
	long got = 0;

	for (;;) {
		long r = read(fd, buf + got, (size_t)(max - got));
		if (r < 0)
			return -1;
		if (r == 0 || got + r == max)
			return got + r;
		got += r;
	}
}

/* A child that reads rcv to EOF and exits 0 if it got exactly want[0..n). */
static pid_t start_reader(int snd, int rcv, const unsigned char *want, long n)
{
	pid_t pid = fork();

	if (pid == 0) {
		close(snd);
		unsigned char *buf = malloc((size_t)n + 1);
		long got = recv_all(rcv, buf, n + 1);
		if (got != n) {
			printf("sftest: reader got %ld bytes, want %ld\n", got, n);
			_exit(1);
		}
		_exit(memcmp(buf, want, (size_t)n) ? 2 : 0);
	}
	close(rcv);
	return pid;
}

static int reader_result(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + st;
}

/* sendfile (187) of n bytes at *off (NULL: the position) to a fresh
 * loopback connection, checked by a reader; returns sendfile's result
 * and *intact. */
static long send_and_check(int in, long *off, long n, long from, int *intact)
{
	int snd, rcv;

	if (tcp_pair(&snd, &rcv) < 0)
		return -9999;
	long want = from + n > BIG_SIZE ? BIG_SIZE - from : n;
	pid_t pid = start_reader(snd, rcv, big + from, want < 0 ? 0 : want);
	long r = usys_sendfile(snd, in, off, (size_t)n);
	close(snd);
	*intact = reader_result(pid) == 0;
	return r;
}

static void test_socket_semantics(void)
{
	int intact;
	int in = open(BIG, O_RDONLY);

	/* NULL offset: the whole file, the position advances. */
	check_eq("sock.null_off.count", send_and_check(in, NULL, BIG_SIZE, 0, &intact), BIG_SIZE);
	CHECK("sock.null_off.intact", intact);
	check_eq("sock.null_off.pos_advanced", lseek(in, 0, SEEK_CUR), BIG_SIZE);
	/* At the end: nothing more. */
	check_eq("sock.null_off.at_eof", send_and_check(in, NULL, 100, BIG_SIZE, &intact), 0);

	/* An offset: read and written back, the position left alone. */
	lseek(in, 1234, SEEK_SET);
	long off = 100;
	check_eq("sock.off.count", send_and_check(in, &off, 5000, 100, &intact), 5000);
	CHECK("sock.off.intact", intact);
	check_eq("sock.off.written_back", off, 5100);
	check_eq("sock.off.pos_unchanged", lseek(in, 0, SEEK_CUR), 1234);

	/* Short at the end of the file; 0 at and past it; 0 bytes asked. */
	off = BIG_SIZE - 10;
	check_eq("sock.off.short_at_eof", send_and_check(in, &off, 100, BIG_SIZE - 10, &intact), 10);
	CHECK("sock.off.short_intact", intact);
	check_eq("sock.off.short_written_back", off, BIG_SIZE);
	off = BIG_SIZE;
	check_eq("sock.off.at_eof", send_and_check(in, &off, 100, BIG_SIZE, &intact), 0);
	off = BIG_SIZE + 5000;
	check_eq("sock.off.past_eof", send_and_check(in, &off, 100, BIG_SIZE, &intact), 0);
	check_eq("sock.off.past_eof_unchanged", off, BIG_SIZE + 5000);
	off = 0;
	check_eq("sock.count_zero", send_and_check(in, &off, 0, 0, &intact), 0);

	/* An offset in the middle of a page, across many pages. */
	off = 4095;
	check_eq("sock.unaligned.count", send_and_check(in, &off, 300001, 4095, &intact), 300001);
	CHECK("sock.unaligned.intact", intact);

	/* sendfile64: a 64-bit offset. */
	int snd, rcv;
	loff_t off64 = 70000;
	tcp_pair(&snd, &rcv);
	pid_t pid = start_reader(snd, rcv, big + 70000, 200000);
	check_eq("sock64.count", usys_sendfile64(snd, in, &off64, 200000), 200000);
	close(snd);
	CHECK("sock64.intact", reader_result(pid) == 0);
	check_eq("sock64.written_back", off64, 270000);
	check_eq("sock64.pos_unchanged", lseek(in, 0, SEEK_CUR), 1234);
	off64 = 0x100000000LL;           /* past 4 GiB: past the end, not an overflow */
	tcp_pair(&snd, &rcv);
	check_eq("sock64.past_4g", usys_sendfile64(snd, in, &off64, 10), 0);
	close(snd);
	close(rcv);
	close(in);
}

/* Every copy/gather and each error. */
static void test_errors(void)
{
	int in = open(BIG, O_RDONLY), snd, rcv, fds[2];
	long off = 0;
	loff_t off64 = 0;

	tcp_pair(&snd, &rcv);
	check_err("err.in_bad_fd", usys_sendfile(snd, 99, NULL, 10), -EBADF);
	check_err("err.out_bad_fd", usys_sendfile(99, in, NULL, 10), -EBADF);
	check_err("err.in_negative_fd", usys_sendfile(snd, -1, NULL, 10), -EBADF);
	int wonly = open("/sf_wonly", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check_err("err.in_write_only", usys_sendfile(snd, wonly, NULL, 10), -EBADF);
	check_err("err.out_read_only", usys_sendfile(in, in, NULL, 10), -EBADF);
	check_err("err.offset_fault", usys_sendfile(snd, in, BAD_PTR, 10), -EFAULT);
	check_err("err.offset64_fault", usys_sendfile64(snd, in, BAD_PTR, 10), -EFAULT);
	check_err("err.offset_kernel", usys_sendfile(snd, in, (long *)0xC0100000, 10), -EFAULT);
	off = -1;
	check_err("err.offset_negative", usys_sendfile(snd, in, &off, 10), -EINVAL);
	off64 = -4096;
	check_err("err.offset64_negative", usys_sendfile64(snd, in, &off64, 10), -EINVAL);
	check_eq("err.offset_negative_unchanged", off64, -4096);
	check_err("err.count_negative", usys_sendfile(snd, in, NULL, (size_t)-5), -EINVAL);
	/* in_fd must be a regular file. */
	check_err("err.in_socket", usys_sendfile(snd, rcv, NULL, 10), -EINVAL);
	pipe(fds);
	write(fds[1], "abc", 3);
	check_err("err.in_pipe", usys_sendfile(snd, fds[0], NULL, 3), -EINVAL);
	int dir = open("/data", O_RDONLY);
	check_err("err.in_directory", usys_sendfile(snd, dir, NULL, 10), -EINVAL);
	/* out_fd: O_APPEND refused, as on Linux. */
	int app = open("/sf_append", O_WRONLY | O_CREAT | O_APPEND, 0644);
	check_err("err.out_append", usys_sendfile(app, in, NULL, 10), -EINVAL);
	check_eq("err.pos_untouched", lseek(in, 0, SEEK_CUR), 0);
	close(app);
	close(dir);
	close(fds[0]);
	close(fds[1]);
	close(wonly);
	close(snd);
	close(rcv);
	close(in);
	unlink("/sf_wonly");
	unlink("/sf_append");
}

/* A non-blocking socket whose peer does not read fills up: short counts,
 * then EAGAIN with nothing sent and the offset left alone. */
static void test_nonblocking(void)
{
	int in = open(BIG, O_RDONLY), snd, rcv;
	long off = 0, r, partial = 0, calls = 0;

	tcp_pair(&snd, &rcv);
	fcntl(snd, F_SETFL, O_NONBLOCK);
	while ((r = usys_sendfile(snd, in, &off, BIG_SIZE - off)) > 0 && calls++ < 1000)
		if (r < BIG_SIZE)
			partial = 1;
	check_err("nonblock.eagain", r, -EAGAIN);
	CHECK("nonblock.partial_count", partial && off > 0 && off < BIG_SIZE);
	/* ACKs still on their way free send-buffer space after the first
	 * EAGAIN; fill again until the peer's window stays shut (a loaded
	 * host delays them, so the second EAGAIN below must not race them). */
	for (int settle = 0; settle < 50; settle++) {
		usleep(20000);
		if (usys_sendfile(snd, in, &off, BIG_SIZE - off) == -EAGAIN)
			break;
		while (usys_sendfile(snd, in, &off, BIG_SIZE - off) > 0)
			;
	}
	long before = off;
	check_err("nonblock.eagain_again", usys_sendfile(snd, in, &off, 4096), -EAGAIN);
	check_eq("nonblock.offset_unchanged", off, before);
	/* The reader takes it all: the queued bytes then the rest. */
	fcntl(snd, F_SETFL, 0);
	pid_t pid = start_reader(snd, rcv, big, BIG_SIZE);
	check_eq("nonblock.rest", usys_sendfile(snd, in, &off, BIG_SIZE - off), BIG_SIZE - before);
	close(snd);
	CHECK("nonblock.intact", reader_result(pid) == 0);
	close(in);
}

/* file -> file: the ordinary write path, from the page cache. */
static void test_file_to_file(void)
{
	int in = open(BIG, O_RDONLY);
	int out = open("/sf_copy", O_RDWR | O_CREAT | O_TRUNC, 0644);
	long off = 1000;
	struct zc_stats a, b;

	zc_stats(ZC_STATS_SELF, &a);
	long r = usys_sendfile(out, in, &off, ODD_SIZE);
	zc_stats(ZC_STATS_SELF, &b);
	check_eq("file.count", r, ODD_SIZE);
	check_eq("file.one_kernel_copy",
		 b.bytes[ZC_CPU_KERNEL_TO_KERNEL] - a.bytes[ZC_CPU_KERNEL_TO_KERNEL], ODD_SIZE);
	check_eq("file.no_user_copy", (b.bytes[ZC_CPU_KERNEL_TO_USER] - a.bytes[ZC_CPU_KERNEL_TO_USER]) +
		 (b.bytes[ZC_CPU_USER_TO_KERNEL] - a.bytes[ZC_CPU_USER_TO_KERNEL]), 0);
	check_eq("file.out_pos", lseek(out, 0, SEEK_CUR), ODD_SIZE);
	/* sendfile64 appends the next piece at the output's position. */
	loff_t off64 = 1000 + ODD_SIZE;
	check_eq("file.count64", usys_sendfile64(out, in, &off64, 5000), 5000);
	unsigned char *buf = malloc(ODD_SIZE + 5000);
	lseek(out, 0, SEEK_SET);
	check_eq("file.size", read(out, buf, ODD_SIZE + 5000), ODD_SIZE + 5000);
	CHECK("file.intact", memcmp(buf, big + 1000, ODD_SIZE + 5000) == 0);
	free(buf);
	close(out);
	close(in);
	unlink("/sf_copy");
}

/* Any writable file takes sendfile: a pipe (a child reads it), and the
 * console (the line below appears in the output). */
static void test_pipe_and_console(void)
{
	int in = open(BIG, O_RDONLY), fds[2];
	static const char line[] = "sftest: this line went to the console by sendfile\n";
	long off = 3000;

	pipe(fds);
	pid_t pid = start_reader(fds[1], fds[0], big + 3000, ODD_SIZE);
	check_eq("pipe.count", usys_sendfile(fds[1], in, &off, ODD_SIZE), ODD_SIZE);
	close(fds[1]);
	CHECK("pipe.intact", reader_result(pid) == 0);
	close(in);

	int t = open("/sf_text", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(t, line, sizeof line - 1);
	off = 0;
	check_eq("console.count", usys_sendfile(1, t, &off, 1000), sizeof line - 1);
	close(t);
	unlink("/sf_text");
}

static void test_mode_switch(void)
{
	check_eq("mode.default_gather", usys_zc_sendfile_mode(ZC_SENDFILE_QUERY), ZC_SENDFILE_GATHER);
	check_eq("mode.set_copy_returns_old", usys_zc_sendfile_mode(ZC_SENDFILE_COPY), ZC_SENDFILE_GATHER);
	check_eq("mode.query_copy", usys_zc_sendfile_mode(ZC_SENDFILE_QUERY), ZC_SENDFILE_COPY);
	check_err("mode.bad", usys_zc_sendfile_mode(7), -EINVAL);
	check_eq("mode.bad_unchanged", zc_sendfile_mode(ZC_SENDFILE_QUERY), ZC_SENDFILE_COPY);

	/* The copy way: intact, and one kernel->kernel copy of the payload
	 * per byte on top of loopback's own ("loopback" copies headers and
	 * payload at transmission). */
	int in = open(BIG, O_RDONLY), intact;
	struct zc_trace_event *ev = malloc(4096 * sizeof *ev);
	long off = 0;
	zc_trace(ZC_TRACE_ON, NULL, 0);
	check_eq("mode.copy.count", send_and_check(in, &off, ODD_SIZE, 0, &intact), ODD_SIZE);
	zc_trace(ZC_TRACE_OFF, NULL, 0);
	CHECK("mode.copy.intact", intact);
	int n = zc_trace(ZC_TRACE_READ, ev, 4096);
	long copied = 0, gathered = 0;
	for (int i = 0; i < n; i++) {
		if (!strcmp(ev[i].what, "pagecache->sockbuf") && ev[i].kind == ZC_CPU_KERNEL_TO_KERNEL)
			copied += ev[i].bytes;
	}
	check_eq("mode.copy.pagecache_to_sockbuf", copied, ODD_SIZE);

	usys_zc_sendfile_mode(ZC_SENDFILE_GATHER);
	off = 0;
	zc_trace(ZC_TRACE_ON, NULL, 0);
	check_eq("mode.gather.count", send_and_check(in, &off, ODD_SIZE, 0, &intact), ODD_SIZE);
	zc_trace(ZC_TRACE_OFF, NULL, 0);
	CHECK("mode.gather.intact", intact);
	n = zc_trace(ZC_TRACE_READ, ev, 4096);
	copied = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(ev[i].what, "pagecache->sockbuf"))
			copied += ev[i].bytes;
		else if (!strcmp(ev[i].what, "loopback"))
			gathered += ev[i].bytes;
	check_eq("mode.gather.no_sockbuf_copy", copied, 0);
	CHECK("mode.gather.sent", gathered >= ODD_SIZE);
	free(ev);
	close(in);
}

/* A cold sendfile reads ahead like read(): the file in 128 KiB requests,
 * the next one started before it is needed. */
static void test_cold_readahead(void)
{
	int in = open(BIG, O_RDONLY), intact;
	struct zc_diskstat d[4];
	struct zc_stats a, b;

	sleep(3);                /* earlier connections' TIME_WAIT ends: no page held */
	usys_zc_drop_caches();
	zc_stats_reset();
	zc_stats(ZC_STATS_SYSTEM, &a);
	check_eq("cold.count", send_and_check(in, NULL, BIG_SIZE, 0, &intact), BIG_SIZE);
	zc_stats(ZC_STATS_SYSTEM, &b);
	CHECK("cold.intact", intact);
	long disk = (long)(b.dma_bytes[ZC_DEV_DISK][0] - a.dma_bytes[ZC_DEV_DISK][0]);
	CHECK("cold.disk_dma_file", disk >= BIG_SIZE && disk < BIG_SIZE + 256 * 1024);
	int nd = zc_diskstat(d, 4);
	/* Read ahead: whole windows per request, not a page at a time.  How
	 * many overlap depends on how fast the host's disk answers (the next
	 * window is asked for while the first is read, as by read()), so the
	 * peak is printed, not checked. */
	CHECK("cold.readahead_windows", nd > 0 && d[0].peak_bytes >= 64 * 1024 &&
	      d[0].reads <= BIG_SIZE / (64 * 1024) + 4);
	if (nd > 0)
		printf("sftest: cold sendfile: disk DMA %ld bytes in %llu requests, peak %u in flight, %u bytes per request at most\n",
		       disk, d[0].reads, d[0].peak_inflight, d[0].peak_bytes);
	close(in);
}

/*
 * The pinning rule.  The gather way queues page-cache pages in the send
 * buffer; while queued they keep the bytes they had: write() and the tail
 * zeroing of truncate give the file a copy of the page (copy-on-write,
 * counted in cow_copies), dropping the cache frees nothing queued, and
 * truncate only takes the pages out of the file.  The peer therefore gets
 * the file as it was when sendfile queued it.
 */
static void test_pinned_change(void)
{
	const long n = 200000;           /* fits the send buffer and the peer's window */
	int f = open("/sf_change", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int snd, rcv;
	struct zc_stats a, b;
	struct zc_info i0, i1;

	write(f, big, n);
	unsigned char *junk = malloc(n);
	memset(junk, CHANGE_FILL, n);
	tcp_pair(&snd, &rcv);
	long off = 0;
	check_eq("pin.queued", usys_sendfile(snd, f, &off, n), n);   /* nobody reads yet */
	zc_stats(ZC_STATS_SELF, &a);
	lseek(f, 0, SEEK_SET);
	check_eq("pin.overwrite", write(f, junk, n), n);
	check_eq("pin.truncate", ftruncate(f, 5000), 0);
	zc_info(&i0);
	long dropped = usys_zc_drop_caches();
	zc_info(&i1);
	zc_stats(ZC_STATS_SELF, &b);
	CHECK("pin.cow_copies", b.cow_copies - a.cow_copies >= 10);
	printf("sftest: pinned change: %llu copy-on-write copies, drop_caches freed %ld pages\n",
	       b.cow_copies - a.cow_copies, dropped);
	pid_t pid = start_reader(snd, rcv, big, n);
	close(snd);
	CHECK("pin.peer_got_original", reader_result(pid) == 0);
	/* And the file holds what was written, cut at 5000. */
	unsigned char buf[6000];
	lseek(f, 0, SEEK_SET);
	check_eq("pin.file_size", read(f, buf, sizeof buf), 5000);
	CHECK("pin.file_new_bytes", buf[0] == CHANGE_FILL && buf[4999] == CHANGE_FILL);
	close(f);
	unlink("/sf_change");
	free(junk);
}

/*
 * The mmap path: write() to a socket straight from a file mapping, shared
 * or private, copies once, from the page cache's own frames: the faults
 * that mapped them counted, no copy into the mapping (kernel->user) and
 * no copy-on-write, the one copy traced as "mmap pagecache->socket".
 */
static void test_mmap_write(int flags, const char *name)
{
	int in = open(BIG, O_RDONLY), snd, rcv;
	char check[64];
	struct zc_stats a, b;
	struct zc_trace_event *ev = malloc(4096 * sizeof *ev);

	unsigned char *m = mmap(NULL, ODD_SIZE, PROT_READ, flags, in, 0);
	tcp_pair(&snd, &rcv);
	pid_t pid = start_reader(snd, rcv, big, ODD_SIZE);
	zc_trace(ZC_TRACE_ON, NULL, 0);
	zc_stats(ZC_STATS_SELF, &a);
	long r = write(snd, m, ODD_SIZE);
	zc_stats(ZC_STATS_SELF, &b);
	zc_trace(ZC_TRACE_OFF, NULL, 0);
	close(snd);
	long mapped = 0;
	int n = zc_trace(ZC_TRACE_READ, ev, 4096);
	for (int i = 0; i < n; i++)
		if (ev[i].kind == ZC_CPU_USER_TO_KERNEL && !strcmp(ev[i].what, "mmap pagecache->socket"))
			mapped += ev[i].bytes;
	long faults = (long)(b.faults_minor - a.faults_minor + b.faults_major - a.faults_major);
#define MCHECK(what, cond) (snprintf(check, sizeof check, "mmap.%s.%s", name, what), CHECK(check, cond))
	MCHECK("count", r == ODD_SIZE);
	MCHECK("intact", reader_result(pid) == 0);
	MCHECK("one_copy", b.bytes[ZC_CPU_USER_TO_KERNEL] - a.bytes[ZC_CPU_USER_TO_KERNEL] == ODD_SIZE);
	snprintf(check, sizeof check, "mmap.%s.copy_from_mapped_pagecache", name);
	check_eq(check, mapped, ODD_SIZE);
	MCHECK("no_copy_to_user", b.bytes[ZC_CPU_KERNEL_TO_USER] == a.bytes[ZC_CPU_KERNEL_TO_USER]);
	MCHECK("no_cow", b.cow_copies == a.cow_copies);
	MCHECK("faults_counted", faults >= (ODD_SIZE + 4095) / 4096);
	munmap(m, ODD_SIZE);
	free(ev);
	close(in);
}

static void self_tests(void)
{
	int in = open(BIG, O_RDONLY);

	big = malloc(BIG_SIZE);
	if (read(in, big, BIG_SIZE) != BIG_SIZE) {
		printf("sftest: cannot read %s\n", BIG);
		exit(1);
	}
	close(in);
	test_socket_semantics();
	test_errors();
	test_nonblocking();
	test_file_to_file();
	test_pipe_and_console();
	test_mode_switch();
	test_cold_readahead();
	test_pinned_change();
	test_mmap_write(MAP_SHARED, "shared");
	test_mmap_write(MAP_PRIVATE, "private");
}

/* ---- sftest serve: the sender for the host-side tests ---- */

static unsigned long long retransmits(void)
{
	static unsigned long long c[ZC_NET_NCOUNTERS];

	__syscall4(SYS_zc_netstat, (long)c, ZC_NET_NCOUNTERS, 0, 0);
	return c[ZC_NET_tcp_retransmits];
}

static unsigned int free_pages(void)
{
	struct zc_info i;

	usys_zc_drop_caches();
	zc_info(&i);
	return i.free_pages;
}

/* A child that keeps touching mib MiB of anonymous memory (one write per
 * page) until it is killed: the pager must make room while we send.  It
 * says "ready" through a pipe once it has touched everything once. */
static pid_t start_hog(int mib)
{
	int p[2];
	char c;

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		size_t n = (size_t)mib << 20;
		char *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (unsigned int round = 0;; round++) {
			for (size_t i = 0; i < n; i += 4096)
				m[i] = (char)round;
			if (round == 0)
				write(p[1], "r", 1);
		}
	}
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

/* The file is cut to new_size, then overwritten with CHANGE_FILL from off
 * on: the pages the socket has queued (after off) are among them. */
static void change_file(const char *path, long off, long new_size)
{
	int f = open(path, O_RDWR);
	static char fill[65536];
	long size = lseek(f, 0, SEEK_END);

	memset(fill, CHANGE_FILL, sizeof fill);
	if (new_size < size)
		ftruncate(f, size = new_size);
	lseek(f, off, SEEK_SET);
	for (long at = off; at < size; at += sizeof fill)
		write(f, fill, size - at < (long)sizeof fill ? size - at : (long)sizeof fill);
	close(f);
}

/* Send path to s; with change (ctl >= 0), alter the file once the socket
 * is full, then tell the peer on ctl that it may read. */
static long send_file(int s, const char *path, int ctl, long *changed_at)
{
	int change = ctl >= 0;
	int in = open(path, O_RDONLY);
	long total = 0, r;

	if (change)
		fcntl(s, F_SETFL, O_NONBLOCK);
	for (;;) {
		r = usys_sendfile(s, in, NULL, 1 << 20);
		if (r == -EAGAIN && change) {
			/* Full: the last SO_SNDBUF bytes sent are queued, pinned.
			 * Cut the file 100001 bytes after here, then overwrite it
			 * from 128 KiB before here. */
			*changed_at = total;
			change_file(path, total > 131072 ? total - 131072 : 0, total + 100001);
			write(ctl, "changed\n", 8);
			fcntl(s, F_SETFL, 0);
			change = 0;
			continue;
		}
		if (r <= 0)
			break;
		total += r;
	}
	close(in);
	return r < 0 ? r : total;
}

static int listen_any(int port)
{
	struct sockaddr_in a;
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	if (setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0) {
		printf("sftest: cannot listen on %d\n", port);
		exit(1);
	}
	printf("sftest: listening on %d\n", port);
	return l;
}

/* With change, the peer first connects to PORT+1 (the control connection:
 * "ready" once both listen, "changed" once the file has changed) and
 * reads the data only after "changed": the change must find the socket
 * full, its pages queued. */
static int serve(int port, const char *path, const char *modes, int hog_mib, int change)
{
	int l = listen_any(port), ctl_l = change ? listen_any(port + 1) : -1;
	for (const char *m = modes; *m; m += strcspn(m, ",") + (m[strcspn(m, ",")] == ',')) {
		int gather = strncmp(m, "copy", 4) != 0, ctl = -1;
		if (change) {
			ctl = accept(ctl_l, NULL, NULL);
			write(ctl, "ready\n", 6);
		}
		int s = accept(l, NULL, NULL);
		unsigned int free0 = free_pages();
		pid_t hog = hog_mib ? start_hog(hog_mib) : 0;
		unsigned long long rtx0 = retransmits();
		long changed_at = -1;
		struct zc_stats st;
		char buf[64];

		zc_sendfile_mode(gather ? ZC_SENDFILE_GATHER : ZC_SENDFILE_COPY);
		zc_stats_reset();
		long sent = send_file(s, path, ctl, &changed_at);
		shutdown(s, SHUT_WR);
		while (read(s, buf, sizeof buf) > 0)
			;                        /* until the peer has it all and closes */
		zc_stats(ZC_STATS_SYSTEM, &st);
		if (hog) {
			kill(hog, SIGKILL);
			waitpid(hog, NULL, 0);
		}
		close(s);
		if (ctl >= 0)
			close(ctl);
		sleep(3);                        /* TIME_WAIT ends, its socket goes */
		printf("sftest: mode %s sent %ld k2k %llu nic_payload %llu disk %llu retransmits %llu "
		       "cow %llu changed_at %ld free_before %u free_after %u\n",
		       gather ? "gather" : "copy", sent, st.bytes[ZC_CPU_KERNEL_TO_KERNEL],
		       st.dma_bytes[ZC_DEV_NIC][1], st.dma_bytes[ZC_DEV_DISK][0],
		       retransmits() - rtx0, st.cow_copies, changed_at, free0, free_pages());
	}
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 1) {
		self_tests();
		return ztest_summary();
	}
	if (argc >= 5 && strcmp(argv[1], "serve") == 0)
		return serve(atoi(argv[2]), argv[3], argv[4], argc > 5 ? atoi(argv[5]) : 0,
			     argc > 6 && strcmp(argv[6], "change") == 0);
	printf("usage: sftest | sftest serve PORT FILE copy|gather[,...] [HOG_MIB] [change]\n");
	return 2;
}
