/*
 * fsconc - several processes using the file system at once.
 *
 *     fsconc [DIR]        works in DIR (default /conc), made fresh
 *
 * At the same time, on a cold page cache:
 *   - READERS processes read /data/1m.bin and compare its sha256 with the
 *     parent's (they meet on the same pages while the disk fills them);
 *   - WRITERS processes each write their own file in odd-sized pieces,
 *     yielding between writes, so their block allocations interleave;
 *   - APPENDERS processes append fixed-size records to one shared file
 *     with O_APPEND (each record must land whole, none overwritten);
 *   - two processes write alternate 4 KiB stripes of one shared file;
 *   - one process empties the page cache (zc_drop_caches) over and over.
 * Then the parent checks every file's contents.  Children report through
 * their exit status; only the parent prints ok / not ok lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <stat.h>
#include <sha256.h>
#include <zc.h>
#include <ztest.h>

#define READERS   3
#define WRITERS   4
#define APPENDERS 3
#define WFILE     (300 * 1024 + 77)   /* bytes per writer file */
#define RECORDS   150                 /* records per appender */
#define RECLEN    100
#define STRIPES   64                  /* 4 KiB stripes in the shared file */

static char dir[200];
static char buf[65536];

static char pattern(int who, long off)
{
	return (char)(who * 37 + off * 13 + off / 4096);
}

static int sha_file(const char *path, unsigned char out[32])
{
	struct sha256 s;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	sha256_init(&s);
	while ((n = read(fd, buf, 4096 + 123)) > 0)   /* reads that straddle pages */
		sha256_update(&s, buf, (size_t)n);
	close(fd);
	sha256_final(&s, out);
	return n < 0 ? -1 : 0;
}

static int reader(const unsigned char *want)
{
	unsigned char got[32];
	return sha_file("/data/1m.bin", got) == 0 && memcmp(got, want, 32) == 0 ? 0 : 1;
}

static int writer(int who)
{
	char path[256];
	long off = 0;
	int fd;

	snprintf(path, sizeof path, "%s/w%d", dir, who);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 2;
	while (off < WFILE) {
		long n = 1000 + who * 311, i;
		if (n > WFILE - off)
			n = WFILE - off;
		for (i = 0; i < n; i++)
			buf[i] = pattern(who, off + i);
		if (write(fd, buf, (size_t)n) != n)
			return 3;
		off += n;
		sched_yield();
	}
	return close(fd) == 0 ? 0 : 4;
}

static int appender(int who)
{
	char path[256], rec[RECLEN];
	int fd, i;

	snprintf(path, sizeof path, "%s/log", dir);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0)
		return 2;
	for (i = 0; i < RECORDS; i++) {
		memset(rec, 'a' + who, sizeof rec);
		snprintf(rec, sizeof rec, "<%d:%04d>", who, i);
		rec[strlen(rec)] = ' ';
		rec[RECLEN - 1] = '\n';
		if (write(fd, rec, RECLEN) != RECLEN)
			return 3;
		if (i % 7 == 0)
			sched_yield();
	}
	close(fd);
	return 0;
}

/* Stripes who, who + 2, who + 4, ... of the shared file, each one page. */
static int striper(int who)
{
	char path[256];
	int fd, s, i;

	snprintf(path, sizeof path, "%s/striped", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return 2;
	for (s = who; s < STRIPES; s += 2) {
		for (i = 0; i < 4096; i++)
			buf[i] = pattern(10 + who, (long)s * 4096 + i);
		if (lseek(fd, (off_t)s * 4096, SEEK_SET) < 0 || write(fd, buf, 4096) != 4096)
			return 3;
		sched_yield();
	}
	close(fd);
	return 0;
}

/* Empty the page cache again and again while the others work, so their
 * pages must come back from the disk (and appends find the last page gone). */
static int dropper(int rounds)
{
	int i;
	for (i = 0; i < rounds; i++) {
		usys_zc_drop_caches();
		sched_yield();
	}
	return 0;
}

static pid_t spawn(int (*fn)(int), int arg)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

static const unsigned char *reader_want;
static int reader_entry(int unused) { return reader(reader_want); }

static void check_writer_file(int who)
{
	char path[256], name[64];
	long off = 0, bad = -1;
	int fd = -1;
	ssize_t n;

	snprintf(path, sizeof path, "%s/w%d", dir, who);
	snprintf(name, sizeof name, "writer%d.data", who);
	fd = open(path, O_RDONLY);
	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0) {
		long i;
		for (i = 0; i < n && bad < 0; i++)
			if (buf[i] != pattern(who, off + i))
				bad = off + i;
		off += n;
	}
	close(fd);
	if (off == WFILE && bad < 0)
		ztest_ok(name);
	else
		ztest_fail(name, "size %ld (want %d), first bad byte at %ld", off, WFILE, bad);
}

static void check_log(void)
{
	static int seen[APPENDERS][RECORDS];
	char path[256];
	int fd, total = 0, bad = 0, who, i;
	ssize_t n;

	memset(seen, 0, sizeof seen);
	snprintf(path, sizeof path, "%s/log", dir);
	fd = open(path, O_RDONLY);
	while ((n = read(fd, buf, RECLEN)) == RECLEN) {
		int w = -1, seq = -1;
		total++;
		if (buf[0] != '<' || buf[RECLEN - 1] != '\n') {
			bad++;
			continue;
		}
		w = buf[1] - '0';
		seq = atoi(buf + 3);
		if (w < 0 || w >= APPENDERS || seq < 0 || seq >= RECORDS || buf[RECLEN - 2] != 'a' + w)
			bad++;
		else
			seen[w][seq]++;
	}
	close(fd);
	for (who = 0; who < APPENDERS; who++)
		for (i = 0; i < RECORDS; i++)
			if (seen[who][i] != 1)
				bad++;
	check_eq("append.records", total, APPENDERS * RECORDS);
	check_eq("append.size", n, 0);
	check_eq("append.intact", bad, 0);
}

static void check_striped(void)
{
	char path[256];
	int fd, s, i, bad = 0;

	snprintf(path, sizeof path, "%s/striped", dir);
	fd = open(path, O_RDONLY);
	for (s = 0; s < STRIPES; s++) {
		if (read(fd, buf, 4096) != 4096) {
			bad++;
			break;
		}
		for (i = 0; i < 4096; i++)
			if (buf[i] != pattern(10 + s % 2, (long)s * 4096 + i)) {
				bad++;
				break;
			}
	}
	close(fd);
	check_eq("striped.intact", bad, 0);
}

int main(int argc, char **argv)
{
	pid_t pids[READERS + WRITERS + APPENDERS + 3];
	unsigned char want[32];
	char path[256];
	int np = 0, i, st, fails = 0;

	strlcpy(dir, argc > 1 ? argv[1] : "/conc", sizeof dir);
	CHECK("setup.mkdir", mkdir(dir, 0755) == 0);
	snprintf(path, sizeof path, "%s/log", dir);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	snprintf(path, sizeof path, "%s/striped", dir);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	CHECK("setup.sha", sha_file("/data/1m.bin", want) == 0);
	reader_want = want;
	CHECK("setup.drop_caches", usys_zc_drop_caches() >= 0);   /* the readers start cold */

	for (i = 0; i < READERS; i++)
		pids[np++] = spawn(reader_entry, 0);
	for (i = 0; i < WRITERS; i++)
		pids[np++] = spawn(writer, i);
	for (i = 0; i < APPENDERS; i++)
		pids[np++] = spawn(appender, i);
	pids[np++] = spawn(striper, 0);
	pids[np++] = spawn(striper, 1);
	pids[np++] = spawn(dropper, 200);
	for (i = 0; i < np; i++) {
		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("# child %d (pid %d) status 0x%x\n", i, pids[i], st);
			fails++;
		}
	}
	check_eq("children.all_ok", fails, 0);

	/* Check once from the cache, once from the disk. */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			CHECK("verify.drop_caches", usys_zc_drop_caches() >= 0);
		for (i = 0; i < WRITERS; i++)
			check_writer_file(i);
		check_log();
		check_striped();
	}
	sync();
	return ztest_summary();
}
