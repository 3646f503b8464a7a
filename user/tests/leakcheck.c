/*
 * leakcheck - does a workload give back every frame it took? (docs/hardening.md)
 *
 *     leakcheck [ROUNDS [PARTS]]
 *
 * The kernel keeps two caches of memory that a workload leaves fuller:
 * the page cache (emptied by zc_drop_caches) and the kernel heap, whose
 * size classes keep their pages once carved (zc_info's heap_pages).  A
 * leak is a frame that is in neither and not free.  So after each round
 * of a workload (processes that fork, exec, write, read, map and unlink
 * files, use pipes and sockets, and exit), once caches are dropped,
 *     free_pages + heap_pages + cached_pages
 * must be what it was after the first round (which warms up everything
 * that is allocated once: init's own pages, the inode cache, heap
 * classes).  The heap's bytes in use must come back too, or a kmalloc
 * leaks.  PARTS (default all) chooses the work, to find what leaks:
 * 1 files, 2 mmap, 4 pipe, 8 socket, 16 anonymous memory, 32 fork + exec.
 * Output: the ztest protocol and one line per round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <mman.h>
#include <socket.h>
#include <zc.h>
#include <ztest.h>

#define CHILDREN   4
#define FILE_BYTES (64 * 1024)

static char buf[FILE_BYTES];
static int parts = 63;

/* A file written, mapped shared and written through the mapping (mmap:
 * with_map), closed and removed. */
static int file_work(const char *path, int id, int with_map)
{
	memset(buf, 'a' + id, sizeof buf);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
		return 1;
	if (with_map) {
		char *m = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED || m[FILE_BYTES - 1] != 'a' + id)
			return 2;
		m[0] = 'z';
		munmap(m, FILE_BYTES);
	}
	close(fd);
	return unlink(path) < 0 ? 3 : 0;
}

static int pipe_work(void)
{
	int p[2];
	if (pipe(p) < 0 || write(p[1], "x", 1) != 1 || read(p[0], buf, 1) != 1)
		return 4;
	close(p[0]);
	close(p[1]);
	return 0;
}

static int anon_work(void)
{
	char *anon = mmap(NULL, 32 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		return 5;
	for (int i = 0; i < 32; i++)
		anon[i * PAGE_SIZE] = (char)i;
	return 0;
}

/* A grandchild that execs echo, its output into path (then removed). */
static int exec_work(const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out >= 0)
			dup2(out, 1);
		char *argv[] = { "echo", "leak", NULL };
		execve("/bin/echo", argv, NULL);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
		return 6;
	return unlink(path) < 0 ? 7 : 0;
}

/* One child's work: the PARTS chosen; 0 if all went well. */
static int child_work(int id)
{
	char path[32];
	int r = 0;
	snprintf(path, sizeof path, "/leak%d.tmp", id);
	if (!r && (parts & 3))
		r = file_work(path, id, parts & 2);
	if (!r && (parts & 4))
		r = pipe_work();
	if (!r && (parts & 8)) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s >= 0)
			close(s);
	}
	if (!r && (parts & 16))
		r = anon_work();
	if (!r && (parts & 32))
		r = exec_work(path);
	return r;
}

/* One round: CHILDREN workers at once; 1 if all of them did their work. */
static int round_ok(void)
{
	pid_t pids[CHILDREN];
	int ok = 1, st;
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(child_work(i));
	}
	for (int i = 0; i < CHILDREN; i++)
		if (pids[i] < 0 || waitpid(pids[i], &st, 0) != pids[i] || st != 0)
			ok = 0;
	return ok;
}

/* free + heap + cache, after the page cache is emptied. */
static unsigned int accounted(struct zc_info *info)
{
	usys_zc_drop_caches();
	zc_info(info);
	return info->free_pages + info->heap_pages + info->cached_pages;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	if (argc > 2)
		parts = atoi(argv[2]);
	struct zc_info start, now;
	printf("leakcheck: %d rounds of %d processes, parts %d\n", rounds, CHILDREN, parts);
	int all_ok = round_ok();                /* the warm-up round */
	unsigned int base = accounted(&start);
	unsigned int worst = base;
	printf("leakcheck: after warm-up: free %u + heap %u + cache %u = %u pages; heap in use %u bytes\n",
	       start.free_pages, start.heap_pages, start.cached_pages, base, start.heap_used_bytes);
	for (int r = 1; r <= rounds; r++) {
		all_ok &= round_ok();
		unsigned int sum = accounted(&now);
		printf("leakcheck: round %d: free %u + heap %u + cache %u = %u pages; heap in use %u bytes\n",
		       r, now.free_pages, now.heap_pages, now.cached_pages, sum, now.heap_used_bytes);
		if (sum < worst)
			worst = sum;
	}
	CHECK("leakcheck.workload_ran", all_ok);
	check_eq("leakcheck.frames_all_accounted", worst, base);
	check_eq("leakcheck.frames_back_at_end", now.free_pages + now.heap_pages + now.cached_pages, base);
	check_eq("leakcheck.heap_bytes_back", now.heap_used_bytes, start.heap_used_bytes);
	return ztest_summary();
}
