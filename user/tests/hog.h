/*
 * hog.h - how a memory hog (memhog.c, exhaust.c) gets its next page.
 *
 * Three ways to grow, chosen by name (-m on the command line):
 *
 *   brk   the heap, a page at a time (sbrk);
 *   mmap  anonymous private mappings of HOG_CHUNK bytes (MAP_PRIVATE |
 *         MAP_ANONYMOUS), each a new area, its pages taken on first touch;
 *   file  private mappings of HOG_CHUNK bytes of one file, all of them of
 *         the same bytes: each write faults the file's page in through the
 *         page cache and then copies it (copy-on-write), so the hog keeps
 *         the file's pages moving in and out of the cache while its copies
 *         fill RAM and swap.
 *
 * Shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS) is not a fourth:
 * zc32 refuses it (EINVAL, kernel/mm/mmap.c says why), and a shared file
 * mapping writes its pages back to the file, so it fills the disk, not
 * memory.
 *
 * The hog writes every page it gets; whoever includes this decides what.
 */
#ifndef HOG_H
#define HOG_H

#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <mman.h>

#define HOG_CHUNK     (1 << 20)              /* one mapping: 1 MiB, 256 pages */
#define HOG_FILE      "/hog.map"

enum hog_mode { HOG_BRK, HOG_MMAP, HOG_FILE_MAP, HOG_BAD };

static const char *const hog_mode_names[] = { "brk", "mmap", "file" };

static enum hog_mode hog_mode_parse(const char *name)
{
	for (int m = HOG_BRK; m < HOG_BAD; m++)
		if (!strcmp(name, hog_mode_names[m]))
			return (enum hog_mode)m;
	return HOG_BAD;
}

/* file mode: HOG_CHUNK bytes of a non-zero pattern on the disk, written
 * before the hog starts (so the page cache must read them back once
 * memory is short), a page at a time: a buffer of the whole chunk would
 * be the caller's own memory, swapped out and counted against it.  The
 * descriptor, or -1. */
static int hog_file_open(void)
{
	static unsigned int buf[PAGE_SIZE / 4];
	int fd = open(HOG_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (unsigned int page = 0; page < HOG_CHUNK / PAGE_SIZE; page++) {
		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
			buf[i] = (page * PAGE_SIZE / 4 + i) ^ 0x600dfeedu;
		if (write(fd, buf, PAGE_SIZE) != PAGE_SIZE)
			return -1;
	}
	return fsync(fd) < 0 ? -1 : fd;
}

/* The next page for the hog, or NULL once the kernel refuses to grow the
 * address space (not what a test wants: the out-of-memory killer should
 * have ended the hog first).  fd: hog_file_open()'s, for file mode. */
static char *hog_next_page(enum hog_mode mode, int fd)
{
	static char *chunk;
	static unsigned int left;                    /* pages of chunk not handed out yet */
	if (mode == HOG_BRK) {
		char *p = sbrk(PAGE_SIZE);
		return p == (char *)-1 ? NULL : p;
	}
	if (left == 0) {
		int anon = mode == HOG_MMAP;
		chunk = mmap(NULL, HOG_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | (anon ? MAP_ANONYMOUS : 0),
			     anon ? -1 : fd, 0);
		if (chunk == MAP_FAILED)
			return NULL;
		left = HOG_CHUNK / PAGE_SIZE;
	}
	left--;
	chunk += PAGE_SIZE;
	return chunk - PAGE_SIZE;
}

#endif
