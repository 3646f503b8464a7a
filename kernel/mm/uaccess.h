/*
 * uaccess.h - the only ways the kernel touches user memory.
 *
 * copy_to_user / copy_from_user move payload (file data, socket data,
 * pipe data) and are counted in the data-movement ledger as CPU copies.
 * get_user_arg / put_user_arg move system-call arguments and results
 * (a struct timespec, a status word): not payload, not counted.
 * All of them check that the range lies in user space and turn a fault
 * on a bad address into -EFAULT instead of a kernel crash.
 */
#ifndef ZC32_UACCESS_H
#define ZC32_UACCESS_H
#include "types.h"
#include "mmu.h"

int  copy_to_user(void *udst, const void *ksrc, size_t n);
int  copy_from_user(void *kdst, const void *usrc, size_t n);
/* The same, naming what moved for the ledger's trace ("pagecache->user"). */
int  copy_to_user_as(void *udst, const void *ksrc, size_t n, const char *what);
int  copy_from_user_as(void *kdst, const void *usrc, size_t n, const char *what);
int  put_user_arg(void *udst, const void *ksrc, size_t n);
int  get_user_arg(void *kdst, const void *usrc, size_t n);
int  strncpy_from_user(char *kdst, const char *usrc, size_t max);   /* length, -EFAULT, -ENAMETOOLONG */
/* Does [uaddr, uaddr + n) lie entirely in user space (below the kernel)? */
static inline bool user_range_ok(const void *uaddr, size_t n)
{
	uint32_t a = (uint32_t)uaddr;
	return a + n >= a && a + n <= USER_TOP;
}
bool uaccess_in_copy(uint32_t eip);                                 /* for the page-fault handler */
uint32_t uaccess_fixup_eip(void);

/* uaccess_asm.S: the copy loops, and the bounds of the code that may fault. */
int __copy_user(void *dst, const void *src, size_t n);
int __strncpy_user(char *dst, const char *src, size_t max);
extern char uaccess_start[], uaccess_end[], uaccess_fixup[];

#endif
