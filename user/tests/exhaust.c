/*
 * exhaust - RAM and swap run out while httpd serves and files are written.
 *
 *     exhaust [FILES [brk|mmap|file]]
 *
 * Run as init, with a network (httpd's port forwarded) and swap.  Three
 * children at once:
 *   - httpd -x, serving /data until the host asks for /exit;
 *   - a writer: FILES files (default 24) of 256 KiB under /exhaust, each
 *     with its own pattern, written and fsync'ed; a failed call (ENOSPC,
 *     ENOMEM, EIO) is counted and reported, never a panic;
 *   - a hog: grows page after page, writing each, until the
 *     out-of-memory killer ends it (RAM and swap full).  It grows its
 *     heap (brk, the default), or by 1 MiB anonymous private mappings
 *     (mmap), or by private mappings of a 1 MiB file (file): hog.h.
 * Meanwhile the host downloads files and checks them (sha256), until
 * /data/hog.done appears (init makes it when the hog has died); then it
 * asks httpd to exit.  When httpd has exited, init reads every file the writer
 * finished back and compares it with its pattern, and checks that memory
 * came back.  Then the host runs e2fsck -fn.  Output:
 *     exhaust: hog pid P ended after S s: status 0xST (N pages)
 *     exhaust: the hog's faults: N minor, M major, C copy-on-write copies, W pages swapped out
 *     exhaust: writer: W files written, E errors (first errno X)
 *     exhaust: pages free+heap+cache A before, B after
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <errno.h>
#include <mman.h>
#include <stat.h>
#include <syscall.h>
#include <zc.h>
#include <ztest.h>
#include "hog.h"

#define FILE_BYTES  (256 * 1024)
#define HOG_LIMIT_S 240
#define LEAK_SLACK  32         /* httpd's and the writer's sockets and files may still be closing */
#define STATUS_FILE "/exhaust.status"
#define DONE_FILE   "/data/hog.done"

static unsigned int fill_word(int file, unsigned int i) { return (unsigned int)file * 2654435761u ^ i; }

/* One file's pattern, into buf (FILE_BYTES). */
static void pattern(int file, unsigned int *buf)
{
	for (unsigned int i = 0; i < FILE_BYTES / 4; i++)
		buf[i] = fill_word(file, i);
}

/* The writer's results travel back through a file: written, errors, errno. */
static void writer(int files)
{
	static unsigned int buf[FILE_BYTES / 4];
	int written = 0, errors = 0, first = 0;
	mkdir("/exhaust", 0755);
	for (int f = 0; f < files; f++) {
		char name[64];
		snprintf(name, sizeof name, "/exhaust/f%02d", f);
		pattern(f, buf);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, FILE_BYTES) != FILE_BYTES || fsync(fd) < 0) {
			if (!errors++)
				first = errno;
			if (fd >= 0)
				close(fd);
			unlink(name);                          /* only whole files are checked later */
			continue;
		}
		close(fd);
		written++;
	}
	int fd = open(STATUS_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int st[3] = { written, errors, first };
	if (fd < 0 || write(fd, st, sizeof st) != sizeof st)
		_exit(2);
	close(fd);
	_exit(0);
}

static enum hog_mode hog_mode = HOG_BRK;
static int hog_fd = -1;                                /* file mode's file */

static void hog(void)
{
	for (;;) {
		char *p = hog_next_page(hog_mode, hog_fd);
		if (!p)
			_exit(3);                              /* no more address space: not what we want either */
		memset(p, 0x5a, 4096);
	}
}

static pid_t spawn(void (*fn)(int), int arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

static void run_httpd(int unused)
{
	(void)unused;
	char *argv[] = { "/bin/httpd", "-x", NULL };
	execve(argv[0], argv, NULL);
	_exit(4);
}

static void run_hog(int unused) { (void)unused; hog(); }

/* How the hog's memory came: the ledger of our reaped children, so far
 * only the hog (httpd and the writer are reaped later). */
static void report_hog_faults(void)
{
	struct zc_stats s;
	if (zc_stats(ZC_STATS_CHILDREN, &s) == 0)
		printf("exhaust: the hog's faults: %llu minor, %llu major, %llu copy-on-write copies, "
		       "%llu pages swapped out\n", s.faults_minor, s.faults_major, s.cow_copies, s.swap_outs);
}

static long long now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

static unsigned int want[FILE_BYTES / 4], got[FILE_BYTES / 4];

/* Every file the writer finished has its pattern. */
static int files_intact(int files)
{
	int bad = 0;
	for (int f = 0; f < files; f++) {
		char name[64];
		snprintf(name, sizeof name, "/exhaust/f%02d", f);
		int fd = open(name, O_RDONLY);
		if (fd < 0)
			continue;                              /* never finished: unlinked */
		pattern(f, want);
		if (read(fd, got, FILE_BYTES) != FILE_BYTES || memcmp(want, got, FILE_BYTES) != 0) {
			printf("exhaust: %s differs from its pattern\n", name);
			bad++;
		}
		close(fd);
	}
	return bad;
}

int main(int argc, char **argv)
{
	int files = argc > 1 ? atoi(argv[1]) : 24;
	if (argc > 2)
		hog_mode = hog_mode_parse(argv[2]);
	if (hog_mode == HOG_BAD || (hog_mode == HOG_FILE_MAP && (hog_fd = hog_file_open()) < 0)) {
		printf("exhaust: bad hog mode, or cannot write %s\n", HOG_FILE);
		return 2;
	}
	printf("exhaust: the hog grows by %s\n", hog_mode_names[hog_mode]);
	memset(want, 1, sizeof want);                 /* our own pages, before the count */
	memset(got, 1, sizeof got);
	unsigned int before = zc_pages_accounted();
	pid_t httpd = spawn(run_httpd, 0), wr = spawn(writer, files);
	long long start = now_s();
	pid_t hogpid = spawn(run_hog, 0);

	/* The hog must end (the killer), in a bounded time. */
	int st = -1;
	while (waitpid(hogpid, &st, WNOHANG) == 0 && now_s() - start < HOG_LIMIT_S)
		usleep(100000);
	printf("exhaust: hog pid %d ended after %lld s: status 0x%x\n", hogpid, now_s() - start, st);
	report_hog_faults();
	int done = open(DONE_FILE, O_WRONLY | O_CREAT, 0644);   /* the host polls it through httpd */
	if (done >= 0)
		close(done);
	CHECK("exhaust.hog_killed", st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	if (st == -1)
		kill(hogpid, SIGKILL);

	int wst, hst;
	CHECK("exhaust.writer_ended", waitpid(wr, &wst, 0) == wr && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	int res[3] = { 0, 0, 0 };
	int fd = open(STATUS_FILE, O_RDONLY);
	if (fd >= 0) {
		read(fd, res, sizeof res);
		close(fd);
	}
	printf("exhaust: writer: %d files written, %d errors (first errno %d)\n", res[0], res[1], res[2]);
	CHECK("exhaust.writer_wrote", res[0] > 0);
	CHECK("exhaust.httpd_served_and_exited",
	      waitpid(httpd, &hst, 0) == httpd && WIFEXITED(hst) && WEXITSTATUS(hst) == 0);
	check_eq("exhaust.files_intact", files_intact(files), 0);
	unsigned int after = zc_pages_accounted();
	printf("exhaust: pages free+heap+cache %u before, %u after\n", before, after);
	CHECK("exhaust.frames_back", after + LEAK_SLACK >= before);
	return ztest_summary();
}
