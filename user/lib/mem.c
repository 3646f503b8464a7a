/*
 * mem.c - the program break (brk/sbrk) and memory mappings (mmap).
 *
 * Linux's brk system call never returns an error code: it returns the
 * new break, or the old one if it could not move it.  brk(0) just asks
 * where the break is.  sbrk(n) moves it by n bytes and returns the old
 * break, which is the start of the new memory: malloc uses it.
 */
#include <unistd.h>
#include <mman.h>

static char *cur_brk;   /* our copy of the break; NULL until first asked */

static int brk_init(void)
{
	long r;

	if (cur_brk)
		return 0;
	r = usys_brk(NULL);
	if (__sysret(r) < 0)
		return -1;
	cur_brk = (char *)r;
	return 0;
}

int brk(void *addr)
{
	long r = usys_brk(addr);

	if ((unsigned long)r != (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	cur_brk = addr;
	return 0;
}

void *sbrk(intptr_t increment)
{
	char *old;

	if (brk_init() < 0)
		return (void *)-1;
	old = cur_brk;
	if (increment == 0)
		return old;
	/* Refuse to wrap around the address space. */
	if ((increment > 0 && (uintptr_t)old + increment < (uintptr_t)old) ||
	    (increment < 0 && (uintptr_t)old < (uintptr_t)-increment)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (brk(old + increment) < 0)
		return (void *)-1;
	return old;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r;

	if (off & (PAGE_SIZE - 1)) {     /* mmap2 counts the offset in pages */
		errno = EINVAL;
		return MAP_FAILED;
	}
	r = usys_mmap2(addr, len, prot, flags, fd, (unsigned long)off / PAGE_SIZE);
	/* Addresses above 2 GiB look negative as a long: only -4095..-1 are errors. */
	if ((unsigned long)r > -4096UL) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

int munmap(void *addr, size_t len)            { return __sysret(usys_munmap(addr, len)); }
int mprotect(void *addr, size_t len, int prot) { return __sysret(usys_mprotect(addr, len, prot)); }
int madvise(void *addr, size_t len, int advice) { return __sysret(usys_madvise(addr, len, advice)); }
