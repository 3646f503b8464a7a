/*
 * vmtest - virtual memory from a program's point of view:
 * copy-on-write after fork, the faults that must kill (null pointer,
 * read-only text, kernel addresses, a stack grown past its 8 MiB limit),
 * mmap/munmap/mprotect semantics and their errors, a file on the ext2
 * root mapped MAP_SHARED and MAP_PRIVATE (a read of a private writable
 * page copies nothing; the tail page of a shared mapping keeps a write
 * made after mprotect across memory pressure), a mapped file truncated
 * under its mappings, and programs demand-paged from the disk by exec.
 *
 * Faults run in forked children (the kernel kills just the child, with
 * SIGSEGV, or SIGBUS past the end of a mapped file, and its one-line
 * report; the parent checks the wait status).
 * Output: the ztest protocol (ok / not ok / summary).  The host
 * (tools/test/test_vm.py) also checks the kernel's kill reports and reads
 * VMTEST_FILE and TRUNC_FILE back from the disk image after power-off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <mman.h>
#include <sha256.h>
#include <zc.h>
#include <ztest.h>

#define VMTEST_FILE  "/vmtest.dat"
#define FILE_PAGES   16
#define STACK_TOP    0xC0000000u
#define STACK_MAX    (8u << 20)

extern char _start[];

/* ---- helpers ---- */

static long long usys_count(int which)
{
	struct zc_stats st;
	memset(&st, 0, sizeof st);
	zc_stats(ZC_STATS_SYSTEM, &st);
	switch (which) {
	case 0: return (long long)st.cow_copies;
	case 1: return (long long)st.faults_major;
	case 2: return (long long)st.faults_minor;
	default: return (long long)st.dma_bytes[ZC_DEV_DISK][0];
	}
}
#define COW_COPIES   usys_count(0)
#define MAJOR_FAULTS usys_count(1)
#define MINOR_FAULTS usys_count(2)
#define DISK_READ    usys_count(3)

/* Run fn(arg) in a child; its wait status (-1 if fork failed). */
static int in_child(void (*fn)(void *), void *arg)
{
	int st;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);              /* survived */
	}
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

/* Check that fn(arg) kills its child with sig. */
static void expect_signal(const char *name, void (*fn)(void *), void *arg, int sig)
{
	int st = in_child(fn, arg);
	if (st == -1)
		ztest_fail(name, "fork/waitpid failed");
	else if (!WIFSIGNALED(st))
		ztest_fail(name, "not killed: exit status %d", WEXITSTATUS(st));
	else if (WTERMSIG(st) != sig)
		ztest_fail(name, "killed by signal %d, want %d", WTERMSIG(st), sig);
	else
		ztest_ok(name);
}

/* Check that fn(arg) exits 0. */
static void expect_exit0(const char *name, void (*fn)(void *), void *arg)
{
	int st = in_child(fn, arg);
	if (st == -1)
		ztest_fail(name, "fork/waitpid failed");
	else if (WIFSIGNALED(st))
		ztest_fail(name, "killed by signal %d", WTERMSIG(st));
	else if (WEXITSTATUS(st) != 0)
		ztest_fail(name, "exit status %d", WEXITSTATUS(st));
	else
		ztest_ok(name);
}

static void *map_anon(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 131 + i / PAGE_SIZE * 7 + i);
}

/* Bytes of p that differ from fill(seed). */
static size_t bad_bytes(const unsigned char *p, size_t len, unsigned int seed)
{
	size_t bad = 0;
	for (size_t i = 0; i < len; i++)
		bad += p[i] != (unsigned char)(seed * 131 + i / PAGE_SIZE * 7 + i);
	return bad;
}

/* pread without pread64 (not in the kernel yet): lseek + read. */
static ssize_t read_at(int fd, void *buf, size_t n, off_t off)
{
	if (lseek(fd, off, SEEK_SET) != off)
		return -1;
	return read(fd, buf, n);
}

static void touch_read(void *p)  { (void)*(volatile int *)p; }
static void touch_write(void *p) { *(volatile int *)p = 0x5a5a5a5a; }

/* ---- copy-on-write ---- */

#define COW_PAGES 64

static void test_cow(void)
{
	size_t len = COW_PAGES * PAGE_SIZE;
	unsigned char *buf = map_anon(len, PROT_READ | PROT_WRITE);
	int to_parent[2], to_child[2], st;
	char c = 'x';

	if (buf == MAP_FAILED || pipe(to_parent) < 0 || pipe(to_child) < 0) {
		ztest_fail("cow.setup", "mmap or pipe failed");
		return;
	}
	fill(buf, len, 1);
	long long copies0 = COW_COPIES;
	pid_t pid = fork();
	if (pid == 0) {
		/* The child writes every page first, then waits until the parent
		 * has written the same pages, then checks it sees only its own. */
		size_t before = bad_bytes(buf, len, 1);
		fill(buf, len, 2);
		write(to_parent[1], &c, 1);
		read(to_child[0], &c, 1);
		_exit(before != 0 ? 2 : bad_bytes(buf, len, 2) != 0 ? 3 : 0);
	}
	if (pid < 0) {
		ztest_fail("cow.fork", "fork failed");
		return;
	}
	read(to_parent[0], &c, 1);              /* the child has written everything */
	check_eq("cow.parent_unchanged_by_child", bad_bytes(buf, len, 1), 0);
	fill(buf, len, 3);
	write(to_child[1], &c, 1);
	waitpid(pid, &st, 0);
	check_eq("cow.child_sees_own", st, 0);
	check_eq("cow.parent_sees_own", bad_bytes(buf, len, 3), 0);
	long long copies = COW_COPIES - copies0;
	printf("vmtest: %lld copy-on-write copies for %d pages written by both\n", copies, COW_PAGES);
	if (copies >= COW_PAGES && copies <= 2 * COW_PAGES + 16)
		ztest_ok("cow.copies_counted");
	else
		ztest_fail("cow.copies_counted", "%lld copies for %d shared pages", copies, COW_PAGES);
	munmap(buf, len);
	close(to_parent[0]); close(to_parent[1]);
	close(to_child[0]); close(to_child[1]);
}

/* A page read-only at fork time, made writable by the child afterwards,
 * must still be copied: the parent keeps its data. */
static void cow_ro_child(void *p)
{
	if (mprotect(p, PAGE_SIZE, PROT_READ | PROT_WRITE) < 0)
		_exit(2);
	fill(p, PAGE_SIZE, 5);
	_exit(bad_bytes(p, PAGE_SIZE, 5) ? 3 : 0);
}

static void test_cow_readonly(void)
{
	unsigned char *p = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (p == MAP_FAILED) {
		ztest_fail("cow.readonly_setup", "mmap failed");
		return;
	}
	fill(p, PAGE_SIZE, 4);
	mprotect(p, PAGE_SIZE, PROT_READ);
	expect_exit0("cow.readonly_child_mprotect_write", cow_ro_child, p);
	check_eq("cow.readonly_parent_unchanged", bad_bytes(p, PAGE_SIZE, 4), 0);
	munmap(p, PAGE_SIZE);
}

/* ---- faults that must kill ---- */

static void null_read(void *a)   { touch_read(NULL); }
static void null_write(void *a)  { touch_write(NULL); }
static void text_write(void *a)  { touch_write(_start); }
static void kernel_read(void *a) { touch_read((void *)0xC0000000); }
static void kernel_write(void *a){ touch_write((void *)0xC0200000); }

/* Each call takes 64 KiB of stack and touches its lowest byte. */
static int recurse(int depth, int max)
{
	volatile char frame[64 * 1024];
	frame[0] = (char)depth;
	if (depth >= max)
		return frame[0];
	return recurse(depth + 1, max) + frame[0];
}

static void stack_within(void *a)  { recurse(0, (int)((STACK_MAX - (512u << 10)) >> 16)); }
static void stack_forever(void *a) { recurse(0, 1 << 30); }

/* Just below the stack area: never part of it. */
static void stack_below(void *a) { touch_write((void *)(STACK_TOP - STACK_MAX - 16)); }

static void test_kill_faults(void)
{
	expect_signal("kill.null_read", null_read, NULL, SIGSEGV);
	expect_signal("kill.null_write", null_write, NULL, SIGSEGV);
	expect_signal("kill.text_write", text_write, NULL, SIGSEGV);
	expect_signal("kill.kernel_read", kernel_read, NULL, SIGSEGV);
	expect_signal("kill.kernel_write", kernel_write, NULL, SIGSEGV);
	expect_exit0("stack.grows_to_7.5MiB", stack_within, NULL);
	printf("vmtest: next, a stack grown past %u MiB (the kernel reports it)\n", STACK_MAX >> 20);
	expect_signal("kill.stack_past_limit", stack_forever, NULL, SIGSEGV);
	expect_signal("kill.below_stack_area", stack_below, NULL, SIGSEGV);
}

/* ---- mmap, munmap, mprotect ---- */

static void test_mmap(void)
{
	/* Anonymous memory starts zeroed. */
	unsigned char *p = map_anon(4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	CHECK("mmap.anon", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	size_t nonzero = 0;
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	check_eq("mmap.anon_zeroed", nonzero, 0);

	/* PROT_NONE: no access at all. */
	void *none = map_anon(PAGE_SIZE, PROT_NONE);
	CHECK("mmap.prot_none", none != MAP_FAILED);
	expect_signal("mmap.prot_none_read", touch_read, none, SIGSEGV);
	expect_signal("mmap.prot_none_write", touch_write, none, SIGSEGV);

	/* PROT_READ: reads zero, writes kill. */
	int *ro = map_anon(PAGE_SIZE, PROT_READ);
	CHECK("mmap.readonly", ro != MAP_FAILED);
	check_eq("mmap.readonly_reads_zero", ro[10], 0);
	expect_signal("mmap.readonly_write", touch_write, ro, SIGSEGV);

	/* mprotect: RW -> R keeps the data and refuses writes; -> NONE
	 * refuses reads; -> RW again allows both, data intact. */
	fill(p, 4 * PAGE_SIZE, 7);
	check_err("mprotect.to_read", usys_mprotect(p, 4 * PAGE_SIZE, PROT_READ), 0);
	check_eq("mprotect.read_keeps_data", bad_bytes(p, 4 * PAGE_SIZE, 7), 0);
	expect_signal("mprotect.read_then_write", touch_write, p + PAGE_SIZE, SIGSEGV);
	check_err("mprotect.to_none", usys_mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	expect_signal("mprotect.none_then_read", touch_read, p + PAGE_SIZE, SIGSEGV);
	check_eq("mprotect.neighbour_readable", p[0] == (unsigned char)(7 * 131), 1);
	check_err("mprotect.to_rw", usys_mprotect(p, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	check_eq("mprotect.rw_keeps_data", bad_bytes(p, 4 * PAGE_SIZE, 7), 0);
	p[PAGE_SIZE + 5] ^= 0xff;
	check_eq("mprotect.rw_write", p[PAGE_SIZE + 5], (unsigned char)~(unsigned char)(7 * 131 + 7 + 5));

	/* munmap of the middle page: it faults, its neighbours stay. */
	check_err("munmap.middle", usys_munmap(p + PAGE_SIZE, PAGE_SIZE), 0);
	expect_signal("munmap.then_touch", touch_read, p + PAGE_SIZE, SIGSEGV);
	check_eq("munmap.neighbours_intact",
		 bad_bytes(p, PAGE_SIZE, 7) + (p[2 * PAGE_SIZE] != (unsigned char)(7 * 131 + 14 + 2 * PAGE_SIZE)), 0);

	/* MAP_FIXED replaces what was there: the new page is zero. */
	void *fx = mmap(p + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check_eq("mmap.fixed_address", (long)fx, (long)(p + 2 * PAGE_SIZE));
	check_eq("mmap.fixed_replaces", p[2 * PAGE_SIZE + 100], 0);
	check_eq("mmap.fixed_neighbour_intact", bad_bytes(p, PAGE_SIZE, 7), 0);
	/* ...and fills a hole too. */
	fx = mmap(p + PAGE_SIZE, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check_eq("mmap.fixed_in_hole", (long)fx, (long)(p + PAGE_SIZE));
	check_eq("mmap.fixed_hole_zero", p[PAGE_SIZE], 0);
	check_err("munmap.whole", usys_munmap(p, 4 * PAGE_SIZE), 0);
	expect_signal("munmap.whole_then_touch", touch_write, p + 3 * PAGE_SIZE, SIGSEGV);
	check_err("munmap.again_is_fine", usys_munmap(p, 4 * PAGE_SIZE), 0);

	/* Bad arguments. */
	int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
	check_err("mmap.einval_len0", usys_mmap2(NULL, 0, rw, anon, -1, 0), -EINVAL);
	check_err("mmap.einval_no_type", usys_mmap2(NULL, PAGE_SIZE, rw, MAP_ANONYMOUS, -1, 0), -EINVAL);
	check_err("mmap.einval_both_types", usys_mmap2(NULL, PAGE_SIZE, rw, anon | MAP_SHARED, -1, 0), -EINVAL);
	/* zc32 has no shared anonymous memory (docs/address-spaces.md). */
	check_err("mmap.einval_shared_anon",
		  usys_mmap2(NULL, PAGE_SIZE, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0), -EINVAL);
	check_err("mmap.einval_bad_prot", usys_mmap2(NULL, PAGE_SIZE, 0x100, anon, -1, 0), -EINVAL);
	check_err("mmap.einval_fixed_unaligned",
		  usys_mmap2((void *)0x20000100, PAGE_SIZE, rw, anon | MAP_FIXED, -1, 0), -EINVAL);
	check_err("mmap.einval_fixed_kernel",
		  usys_mmap2((void *)0xC0000000, PAGE_SIZE, rw, anon | MAP_FIXED, -1, 0), -EINVAL);
	check_err("mmap.einval_fixed_zero",
		  usys_mmap2((void *)0, PAGE_SIZE, rw, anon | MAP_FIXED, -1, 0), -EINVAL);
	check_err("mmap.enomem_huge", usys_mmap2(NULL, 0xF0000000u, rw, anon, -1, 0), -ENOMEM);
	check_err("mmap.ebadf", usys_mmap2(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 99, 0), -EBADF);
	check_err("munmap.einval_unaligned", usys_munmap((void *)0x20000100, PAGE_SIZE), -EINVAL);
	check_err("munmap.einval_len0", usys_munmap((void *)0x20000000, 0), -EINVAL);
	check_err("munmap.einval_kernel", usys_munmap((void *)0xC0000000, PAGE_SIZE), -EINVAL);
	check_err("mprotect.einval_unaligned", usys_mprotect((void *)0x20000100, PAGE_SIZE, PROT_READ), -EINVAL);
	check_err("mprotect.einval_bad_prot", usys_mprotect(ro, PAGE_SIZE, 0x100), -EINVAL);
	check_err("mprotect.enomem_unmapped", usys_mprotect((void *)0x20000000, PAGE_SIZE, PROT_READ), -ENOMEM);
	munmap(none, PAGE_SIZE);
	munmap(ro, PAGE_SIZE);

	/* A system call given a buffer the process may not write gets
	 * -EFAULT, and the process lives on. */
	int fd = open("/data/1k.bin", O_RDONLY);
	void *rdonly = map_anon(PAGE_SIZE, PROT_READ);
	check_err("efault.read_into_readonly", usys_read(fd, rdonly, 100), -EFAULT);
	check_err("efault.read_into_kernel", usys_read(fd, (void *)0xC0001000, 100), -EFAULT);
	close(fd);
	munmap(rdonly, PAGE_SIZE);
}

/* brk: the heap grows zeroed and shrinks away. */
static void test_brk(void)
{
	char *start = sbrk(0);
	char *p = sbrk(64 * PAGE_SIZE);
	CHECK("brk.grow", p == start);
	size_t nonzero = 0;
	for (size_t i = 0; i < 64 * PAGE_SIZE; i += 97)
		nonzero += p[i] != 0;
	check_eq("brk.zeroed", nonzero, 0);
	memset(p, 0x33, 64 * PAGE_SIZE);
	char *top = p + 64 * PAGE_SIZE;
	sbrk(-32 * PAGE_SIZE);
	/* The released pages are gone (the heap's end is page-aligned here
	 * only if it started aligned: touch well inside the released part). */
	expect_signal("brk.shrink_then_touch", touch_read, top - 4 * PAGE_SIZE, SIGSEGV);
	check_eq("brk.kept_part", p[0] == 0x33 && p[31 * PAGE_SIZE] == 0x33, 1);
	sbrk(-32 * PAGE_SIZE);
}

/* ---- file mappings ---- */

static unsigned char filebuf[1 << 20];

static void test_file_map(void)
{
	int fd = open("/data/1m.bin", O_RDONLY);
	CHECK("file.open_1m", fd >= 0);
	if (fd < 0)
		return;
	ssize_t n = read(fd, filebuf, sizeof filebuf);
	check_eq("file.read_1m", n, sizeof filebuf);
	unsigned char *m = mmap(NULL, sizeof filebuf, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("file.mmap_shared_ro", m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	check_eq("file.mmap_matches_read", memcmp(m, filebuf, sizeof filebuf), 0);
	struct sha256 s;
	unsigned char digest[32];
	char hex[65];
	sha256_init(&s);
	sha256_update(&s, m, sizeof filebuf);
	sha256_final(&s, digest);
	sha256_hex(digest, hex);
	printf("vmtest: sha256 of /data/1m.bin through mmap: %s\n", hex);
	expect_signal("file.mmap_ro_write", touch_write, m + 4096, SIGSEGV);
	munmap(m, sizeof filebuf);

	/* MAP_PRIVATE writable: writes are copies, the file stays.  Reads
	 * copy nothing: the page cache's frame is shared until the first
	 * write. */
	long long copies0 = COW_COPIES;
	m = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE_SIZE);
	CHECK("file.mmap_private", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		check_eq("file.private_offset", memcmp(m, filebuf + PAGE_SIZE, 2 * PAGE_SIZE), 0);
		/* Read, the pages are the page cache's, shared copy-on-write. */
		check_eq("file.private_read_copies_nothing", COW_COPIES - copies0, 0);
		m[10] ^= 0xff;
		m[PAGE_SIZE + 10] ^= 0xff;
		check_eq("file.private_write_seen", m[10], (unsigned char)~filebuf[PAGE_SIZE + 10]);
		unsigned char b[16];
		read_at(fd, b, sizeof b, PAGE_SIZE);
		check_eq("file.private_write_not_in_file", memcmp(b, filebuf + PAGE_SIZE, sizeof b), 0);
		check_eq("file.private_write_copies", COW_COPIES - copies0, 2);
		munmap(m, 2 * PAGE_SIZE);
	}

	/* Permission checks against the open mode. */
	check_err("file.eacces_shared_write_on_rdonly",
		  usys_mmap2(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), -EACCES);
	close(fd);
	int wfd = open("/data/1k.bin", O_WRONLY);
	if (wfd >= 0) {
		check_err("file.eacces_wronly", usys_mmap2(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, wfd, 0), -EACCES);
		close(wfd);
	}

	/* MAP_SHARED writable: writes reach the file's page cache at once
	 * (read() sees them while mapped), and the disk after munmap + fsync
	 * (the host checks the image after power-off). */
	size_t len = FILE_PAGES * PAGE_SIZE;
	fd = open(VMTEST_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("file.create", fd >= 0);
	if (fd < 0)
		return;
	memset(filebuf, '.', len);
	check_eq("file.write_initial", write(fd, filebuf, len), len);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("file.mmap_shared_rw", m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	for (size_t pg = 0; pg < FILE_PAGES; pg++)
		snprintf((char *)m + pg * PAGE_SIZE, 64, "vmtest page %u written through MAP_SHARED\n",
			 (unsigned)pg);
	unsigned char b[64];
	read_at(fd, b, sizeof b, 3 * PAGE_SIZE);
	check_eq("file.shared_write_visible_to_read",
		 memcmp(b, "vmtest page 3 written through MAP_SHARED\n", 42), 0);
	/* A forked child sees and writes the same shared pages. */
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(m + 5 * PAGE_SIZE + 100, "child was here", 14);
		_exit(memcmp(m + 5 * PAGE_SIZE, "vmtest page 5", 13) ? 1 : 0);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	check_eq("file.shared_child_sees", st, 0);
	check_eq("file.shared_parent_sees_child", memcmp(m + 5 * PAGE_SIZE + 100, "child was here", 14), 0);
	check_err("file.munmap", usys_munmap(m, len), 0);
	check_err("file.fsync", usys_fsync(fd), 0);
	read_at(fd, b, sizeof b, 15 * PAGE_SIZE);
	check_eq("file.read_after_munmap",
		 memcmp(b, "vmtest page 15 written through MAP_SHARED\n", 43), 0);
	close(fd);
}

/* ---- truncating a mapped file ---- */

#define TRUNC_FILE  "/vmtrunc.dat"
#define TRUNC_FILE2 "/vmtrunc2.dat"
#define TRUNC_LEN   (3 * PAGE_SIZE)
#define TRUNC_CUT   (PAGE_SIZE + PAGE_SIZE / 2)
#define TRUNC_MSG   "page 3 written with write() after the extension\n"

static size_t nonzero(const unsigned char *p, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += p[i] != 0;
	return bad;
}

/* Like expect_signal(.., SIGBUS), announcing the address first: the host
 * matches each announcement with the kill report that follows it. */
static void expect_sigbus(const char *name, void (*fn)(void *), void *addr)
{
	printf("vmtest: expect SIGBUS at 0x%08x (%s)\n", (unsigned)addr,
	       fn == touch_write ? "write" : "read");
	expect_signal(name, fn, addr, SIGBUS);
}

static unsigned char private_byte;

static void check_private_copy(void *p)
{
	_exit(((volatile unsigned char *)p)[5] == private_byte ? 0 : 1);
}

/*
 * A file cut under its mappings, as on Linux: the pages wholly past the
 * new end leave every mapping that shares the page cache's frame
 * (MAP_SHARED, and MAP_PRIVATE pages not copied yet), so touching one is
 * SIGBUS; a private copy stays; the page holding the cut stays mapped,
 * its tail zeroed; and when the file grows again the cut part reads as
 * zeros, through read() and through the mappings, also for bytes written
 * past the end through a mapping meanwhile.  The host then checks the
 * file on the disk (test_vm.py) and e2fsck.
 */
static void test_truncate_map(void)
{
	printf("vmtest: truncating a mapped file\n");
	int fd = open(TRUNC_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("trunc.create", fd >= 0);
	if (fd < 0)
		return;

	/* Not mapped and not cached first: the block holding the cut stays
	 * on the disk, and its part past the cut must read as zeros once
	 * the file grows again. */
	fill(filebuf, TRUNC_LEN, 13);
	check_eq("trunc.write_initial", write(fd, filebuf, TRUNC_LEN), TRUNC_LEN);
	usys_zc_drop_caches();
	check_err("trunc.uncached_shrink", usys_ftruncate(fd, TRUNC_CUT), 0);
	check_err("trunc.uncached_grow", usys_ftruncate(fd, TRUNC_LEN), 0);
	memset(filebuf, 0xee, TRUNC_LEN);
	check_eq("trunc.uncached_read", read_at(fd, filebuf, TRUNC_LEN, 0), TRUNC_LEN);
	check_eq("trunc.uncached_before_cut_intact", bad_bytes(filebuf, TRUNC_CUT, 13), 0);
	check_eq("trunc.uncached_cut_reads_zero", nonzero(filebuf + TRUNC_CUT, TRUNC_LEN - TRUNC_CUT), 0);

	/* Three pages written through MAP_SHARED; two private mappings:
	 * one only read (its PTEs share the cache's frames, copy-on-write),
	 * one whose third page was written (a private copy). */
	int rw = PROT_READ | PROT_WRITE;
	unsigned char *m = mmap(NULL, TRUNC_LEN, rw, MAP_SHARED, fd, 0);
	unsigned char *pr = mmap(NULL, TRUNC_LEN, rw, MAP_PRIVATE, fd, 0);
	unsigned char *pw = mmap(NULL, TRUNC_LEN, rw, MAP_PRIVATE, fd, 0);
	CHECK("trunc.mmap", m != MAP_FAILED && pr != MAP_FAILED && pw != MAP_FAILED);
	if (m == MAP_FAILED || pr == MAP_FAILED || pw == MAP_FAILED)
		return;
	fill(m, TRUNC_LEN, 11);
	check_eq("trunc.private_sees_shared", memcmp(pr, m, TRUNC_LEN), 0);
	pw[2 * PAGE_SIZE + 5] ^= 0xff;
	private_byte = pw[2 * PAGE_SIZE + 5];
	check_eq("trunc.private_copied", private_byte != m[2 * PAGE_SIZE + 5], 1);

	check_err("trunc.ftruncate", usys_ftruncate(fd, TRUNC_CUT), 0);
	check_eq("trunc.mapping_before_cut_intact", bad_bytes(m, TRUNC_CUT, 11), 0);
	memset(filebuf, 0xee, TRUNC_LEN);
	check_eq("trunc.read_stops_at_cut", read_at(fd, filebuf, TRUNC_LEN, 0), TRUNC_CUT);
	check_eq("trunc.read_before_cut_intact", bad_bytes(filebuf, TRUNC_CUT, 11), 0);
	check_eq("trunc.tail_zero_in_mapping", nonzero(m + TRUNC_CUT, 2 * PAGE_SIZE - TRUNC_CUT), 0);
	check_eq("trunc.tail_zero_in_private", nonzero(pr + TRUNC_CUT, 2 * PAGE_SIZE - TRUNC_CUT), 0);
	expect_sigbus("trunc.sigbus_shared_read", touch_read, m + 2 * PAGE_SIZE);
	expect_sigbus("trunc.sigbus_shared_write", touch_write, m + 2 * PAGE_SIZE + 8);
	expect_sigbus("trunc.sigbus_private_uncopied", touch_read, pr + 2 * PAGE_SIZE);
	/* Handed to a system call, a cut page is a bad buffer: -EFAULT, and
	 * the caller lives on (Linux: the same). */
	int pfd[2];
	if (pipe(pfd) == 0) {
		check_err("trunc.syscall_efault", usys_write(pfd[1], m + 2 * PAGE_SIZE, 16), -EFAULT);
		close(pfd[0]);
		close(pfd[1]);
	}
	expect_exit0("trunc.private_copy_in_child", check_private_copy, pw + 2 * PAGE_SIZE);
	check_eq("trunc.private_copy_kept", pw[2 * PAGE_SIZE + 5], private_byte);

	/* A mapping made after the cut: past the end is SIGBUS from the
	 * start, and the half page is the file's own page (a write through
	 * it is in the file), not a private copy. */
	unsigned char *f2 = mmap(NULL, TRUNC_LEN, rw, MAP_SHARED, fd, 0);
	CHECK("trunc.mmap_after_cut", f2 != MAP_FAILED);
	if (f2 == MAP_FAILED)
		return;
	expect_sigbus("trunc.sigbus_new_mapping", touch_read, f2 + 2 * PAGE_SIZE);
	f2[PAGE_SIZE + 100] ^= 0xff;
	unsigned char b[1];
	read_at(fd, b, 1, PAGE_SIZE + 100);
	check_eq("trunc.last_page_shared_with_read", b[0], f2[PAGE_SIZE + 100]);
	check_eq("trunc.last_page_shared_with_mapping", m[PAGE_SIZE + 100], f2[PAGE_SIZE + 100]);
	m[TRUNC_CUT + 10] = 0x99;        /* past the end: in no file */

	/* Grown again: zeros past the old cut, in read() and the mappings. */
	check_err("trunc.extend", usys_ftruncate(fd, TRUNC_LEN), 0);
	memset(filebuf, 0xee, TRUNC_LEN);
	check_eq("trunc.extend_read", read_at(fd, filebuf, TRUNC_LEN, 0), TRUNC_LEN);
	check_eq("trunc.extend_reads_zero", nonzero(filebuf + TRUNC_CUT, TRUNC_LEN - TRUNC_CUT), 0);
	check_eq("trunc.extend_mapping_zero", nonzero(m + TRUNC_CUT, TRUNC_LEN - TRUNC_CUT), 0);
	check_eq("trunc.extend_private_zero", nonzero(pr + TRUNC_CUT, TRUNC_LEN - TRUNC_CUT), 0);
	check_eq("trunc.extend_private_copy_kept", pw[2 * PAGE_SIZE + 5], private_byte);
	size_t msg = strlen(TRUNC_MSG);
	check_eq("trunc.extend_write", usys_lseek(fd, 2 * PAGE_SIZE, SEEK_SET) == 2 * PAGE_SIZE &&
		 write(fd, TRUNC_MSG, msg) == (ssize_t)msg, 1);
	check_eq("trunc.extend_write_in_mapping", memcmp(m + 2 * PAGE_SIZE, TRUNC_MSG, msg), 0);
	check_eq("trunc.extend_write_in_new_mapping", memcmp(f2 + 2 * PAGE_SIZE, TRUNC_MSG, msg), 0);
	munmap(m, TRUNC_LEN);
	munmap(pr, TRUNC_LEN);
	munmap(pw, TRUNC_LEN);
	munmap(f2, TRUNC_LEN);
	check_err("trunc.fsync", usys_fsync(fd), 0);
	close(fd);

	/* open(O_TRUNC) cuts a mapped file too. */
	fd = open(TRUNC_FILE2, O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(filebuf, 'o', PAGE_SIZE);
	check_eq("trunc.o_trunc_setup", fd >= 0 && write(fd, filebuf, PAGE_SIZE) == PAGE_SIZE, 1);
	unsigned char *o = fd < 0 ? MAP_FAILED : mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (o != MAP_FAILED) {
		check_eq("trunc.o_trunc_mapped", o[100], 'o');
		int fd2 = open(TRUNC_FILE2, O_RDWR | O_TRUNC);
		CHECK("trunc.o_trunc_open", fd2 >= 0);
		expect_sigbus("trunc.o_trunc_sigbus", touch_read, o + 100);
		close(fd2);
		munmap(o, PAGE_SIZE);
	}
	close(fd);
	unlink(TRUNC_FILE2);
	printf("vmtest: truncate done\n");
}

/* Write and free 150% of RAM: every page not touched meanwhile goes to
 * swap (clock gives each a second chance, then takes it). */
static void push_out(void)
{
	struct zc_info info;
	zc_info(&info);
	size_t len = (size_t)info.total_pages * 3 / 2 * PAGE_SIZE;
	unsigned char *p = map_anon(len, PROT_READ | PROT_WRITE);
	if (p == MAP_FAILED)
		return;
	for (size_t off = 0; off < len; off += PAGE_SIZE)
		*(volatile unsigned int *)(p + off) = (unsigned int)off;
	munmap(p, len);
}

/* A MAP_SHARED write into a hole of a sparse file (made by ftruncate):
 * the page must get its disk block when it is mapped writable, or
 * writeback has nowhere to put it and the bytes vanish once the page
 * cache lets the page go.  Also: a mapping that reaches past the file's
 * 31-bit offsets is refused. */
static void test_shared_hole_write(void)
{
	int fd = open("/vmhole.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("hole.create", fd >= 0);
	if (fd < 0)
		return;
	check_err("hole.ftruncate", ftruncate(fd, 3 * PAGE_SIZE), 0);
	unsigned char *m = mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("hole.mmap_shared_rw", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		fill(m + PAGE_SIZE, PAGE_SIZE, 31);
		munmap(m, 3 * PAGE_SIZE);
		usys_zc_drop_caches();           /* sync, then forget every cached page */
		unsigned char b[PAGE_SIZE];
		check_eq("hole.read_back_size", read_at(fd, b, PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
		check_eq("hole.shared_write_kept", bad_bytes(b, PAGE_SIZE, 31), 0);
		check_eq("hole.other_pages_zero", read_at(fd, b, PAGE_SIZE, 0) == PAGE_SIZE &&
			 nonzero(b, PAGE_SIZE) == 0, 1);
	}
	check_err("hole.eoverflow", usys_mmap2(NULL, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0x7ffff), -EOVERFLOW);
	close(fd);
}

/* The last page of a MAP_SHARED file mapping that ends inside it: a
 * write made after mprotect(PROT_READ|PROT_WRITE) must survive memory
 * pressure (it once did not: the page was anonymous, sat in the swap
 * cache read-only, mprotect made it writable behind the cache's back, and
 * the next eviction dropped it as clean).  The page is now the page
 * cache's own, so pressure writes it back to the file instead. */
static void test_shared_tail_swap(void)
{
	int fd = open("/vmtest-tail.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("tail.create", fd >= 0);
	if (fd < 0)
		return;
	memset(filebuf, '.', PAGE_SIZE + 100);
	check_eq("tail.write", write(fd, filebuf, PAGE_SIZE + 100), PAGE_SIZE + 100);
	unsigned char *m = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("tail.mmap_shared_rw", m != MAP_FAILED);
	if (m == MAP_FAILED) {
		close(fd);
		return;
	}
	unsigned char *tail = m + PAGE_SIZE;
	fill(tail, PAGE_SIZE, 21);
	push_out();
	check_eq("tail.read_back", bad_bytes(tail, PAGE_SIZE, 21), 0);
	check_err("tail.mprotect_rw", usys_mprotect(m, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	fill(tail, PAGE_SIZE, 22);
	push_out();
	check_eq("tail.write_after_mprotect_kept", bad_bytes(tail, PAGE_SIZE, 22), 0);
	munmap(m, 2 * PAGE_SIZE);
	close(fd);
}

/* ---- exec: programs are demand-paged from the disk ---- */

static int run_prog(const char *path)
{
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };
		execv(path, argv);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid ? st : -1;
}

static void test_exec_paging(void)
{
	long pages = usys_zc_drop_caches();
	printf("vmtest: dropped %ld page-cache pages\n", pages);
	long long maj0 = MAJOR_FAULTS, disk0 = DISK_READ;
	check_eq("exec.cold_runs", run_prog("/bin/true"), 0);
	long long maj = MAJOR_FAULTS - maj0, disk = DISK_READ - disk0;
	long long min0 = MINOR_FAULTS;
	maj0 = MAJOR_FAULTS;
	disk0 = DISK_READ;
	check_eq("exec.warm_runs", run_prog("/bin/true"), 0);
	long long maj2 = MAJOR_FAULTS - maj0, min2 = MINOR_FAULTS - min0, disk2 = DISK_READ - disk0;
	printf("vmtest: exec /bin/true cold: %lld major faults, %lld disk bytes; warm: %lld major, "
	       "%lld minor faults, %lld disk bytes\n", maj, disk, maj2, min2, disk2);
	/* exec reads the ELF header through the page cache, and readahead
	 * brings a small program in with it: its pages are then mapped on
	 * first touch by minor faults, from the page cache. */
	CHECK("exec.cold_reads_disk", disk > 0);
	CHECK("exec.warm_no_major_faults", maj2 == 0 && disk2 == 0);
	CHECK("exec.warm_minor_faults", min2 >= 2);

	/* A page of a big file mapped but not yet read: its first touch
	 * waits for the disk (major fault); the next page came with the
	 * same readahead (minor). */
	int fd = open("/data/64m.bin", O_RDONLY);
	unsigned char *m = fd < 0 ? MAP_FAILED : mmap(NULL, 64 << 20, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("filemap.big_mmap", m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	maj0 = MAJOR_FAULTS;
	min0 = MINOR_FAULTS;
	disk0 = DISK_READ;
	volatile unsigned char x = m[32 << 20];
	long long maj3 = MAJOR_FAULTS - maj0, disk3 = DISK_READ - disk0;
	x = m[(32 << 20) + PAGE_SIZE];
	(void)x;
	long long maj4 = MAJOR_FAULTS - maj0 - maj3, min4 = MINOR_FAULTS - min0;
	printf("vmtest: first touch of /data/64m.bin at 32 MiB: %lld major faults, %lld disk bytes; "
	       "next page: %lld major, %lld minor\n", maj3, disk3, maj4, min4);
	CHECK("filemap.first_touch_major", maj3 == 1 && disk3 >= PAGE_SIZE);
	CHECK("filemap.next_page_minor", maj4 == 0 && min4 >= 1);
	munmap(m, 64 << 20);
	close(fd);
}

int main(void)
{
	struct zc_info before, after;
	zc_info(&before);
	printf("vmtest: %u pages of RAM, %u free, swap %u pages\n", before.total_pages,
	       before.free_pages, before.swap_total);
	test_cow();
	test_cow_readonly();
	test_kill_faults();
	test_mmap();
	test_brk();
	test_file_map();
	test_shared_tail_swap();
	test_shared_hole_write();
	test_truncate_map();
	test_exec_paging();
	zc_info(&after);
	check_eq("vmtest.no_process_leak", after.nprocs, before.nprocs);
	return ztest_summary();
}
