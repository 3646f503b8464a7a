/*
 * gdbwalk - an address space with every kind of page, for GDB's helpers.
 *
 *     gdbwalk            (boot with the root and swap disks, a NIC, 32 MiB)
 *
 * tools/test/test_gdb.py stops in this program's child and walks its page
 * tables with zc32-pt (docs/gdb.md), which must tell these apart:
 *   - page-cache pages: /data/1m.bin mapped read-only, 16 pages touched;
 *   - copy-on-write pages: 8 anonymous pages written before fork, of
 *     which the child then writes the first (its own copy) and not the rest;
 *   - swapped-out pages: the child fills more anonymous memory than the
 *     guest has RAM, so the pager writes its oldest pages to swap.
 * Before the fork it sends one UDP datagram to the slirp gateway, so the
 * e1000's rings hold a sent frame (zc32-e1000).  The child stops at
 * getppid(), a call nothing else here makes (zc32-break-syscall 64), and
 * exits.  The parent then sendfiles 4 pages of the file over a loopback
 * TCP connection: in the gather way each page stays pinned in the page
 * cache until its bytes are acknowledged (a stop in sb_release shows it,
 * zc32-pagecache), and exits 0 when all went well.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <mman.h>
#include <socket.h>
#include <zc.h>

#define FILE_PAGES 16
#define COW_PAGES   8
#define EXTRA_PAGES 1024          /* beyond RAM: this much at least goes to swap */
#define SEND_PAGES  4
#define LOOP_PORT   7070

static void send_datagram(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	inet_aton("10.0.2.2", &to.sin_addr);        /* slirp's gateway; restrict=on drops it */
	if (s < 0 || sendto(s, "gdbwalk", 7, 0, (struct sockaddr *)&to, sizeof to) != 7)
		printf("gdbwalk: no datagram sent (no network?)\n");
	if (s >= 0)
		close(s);
}

/* More anonymous memory than RAM, every page written: the oldest go to swap. */
static void fill_beyond_ram(void)
{
	struct zc_info info;
	zc_info(&info);
	size_t pages = info.total_pages + EXTRA_PAGES;
	char *p = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("gdbwalk: mmap of %u pages failed\n", (unsigned)pages);
		return;
	}
	for (size_t i = 0; i < pages; i++)
		p[i * PAGE_SIZE] = (char)i;
	printf("gdbwalk: child filled %u pages at %p\n", (unsigned)pages, p);
}

/* sendfile SEND_PAGES pages of fd to a loopback connection and read them
 * back; true when every byte arrived. */
static int send_pages_over_loopback(int fd)
{
	static char buf[SEND_PAGES * PAGE_SIZE];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(LOOP_PORT) };
	inet_aton("127.0.0.1", &a.sin_addr);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0)
		return 0;
	int rcv = socket(AF_INET, SOCK_STREAM, 0);
	if (rcv < 0 || connect(rcv, (struct sockaddr *)&a, sizeof a) < 0)
		return 0;
	int snd = accept(l, NULL, NULL);
	off_t off = 0;
	if (snd < 0 || sendfile(snd, fd, &off, sizeof buf) != (ssize_t)sizeof buf)
		return 0;
	close(snd);
	size_t got = 0;
	ssize_t r;
	while (got < sizeof buf && (r = read(rcv, buf + got, sizeof buf - got)) > 0)
		got += (size_t)r;
	printf("gdbwalk: %u bytes sent with sendfile over loopback\n", (unsigned)got);
	return got == sizeof buf;
}

int main(void)
{
	int fd = open("/data/1m.bin", O_RDONLY);
	const char *file = fd < 0 ? MAP_FAILED : mmap(NULL, FILE_PAGES * PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED) {
		printf("gdbwalk: cannot map /data/1m.bin\n");
		return 1;
	}
	unsigned sum = 0;
	for (int i = 0; i < FILE_PAGES; i++)
		sum += (unsigned char)file[i * PAGE_SIZE];
	char *cow = mmap(NULL, COW_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < COW_PAGES; i++)
		cow[i * PAGE_SIZE] = 'a' + i;
	send_datagram();
	printf("gdbwalk: file pages at %p (sum %u), cow pages at %p\n", file, sum, cow);

	int pid = fork();
	if (pid == 0) {
		cow[0] = 'A';                 /* the child's own copy of page 0 */
		fill_beyond_ram();
		for (int i = 1; i < COW_PAGES; i++)     /* read back from swap: still shared */
			(void)*(volatile char *)&cow[i * PAGE_SIZE];
		getppid();                    /* the stop for GDB */
		_exit(cow[0] == 'A' && cow[PAGE_SIZE] == 'b' ? 0 : 3);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	printf("gdbwalk: child exited with status %d\n", status);
	int sent = send_pages_over_loopback(fd);
	return status == 0 && sent ? 0 : 1;
}
