/*
 * uaccess.c - checked, counted access to user memory (see uaccess.h).
 * The copies themselves are in uaccess_asm.S; with SMAP the window in
 * which the kernel may touch user pages is opened only around them.
 */
#include "kernel.h"
#include "mmu.h"
#include "x86.h"
#include "mm/uaccess.h"
#include "ledger/ledger.h"

/* For the page-fault handler: did a kernel-mode fault come from one of
 * the user-copy instructions?  If the address cannot be made valid, the
 * handler resumes at uaccess_fixup_eip(), which returns -EFAULT. */
bool uaccess_in_copy(uint32_t eip)
{
	return eip >= (uint32_t)uaccess_start && eip < (uint32_t)uaccess_end;
}

uint32_t uaccess_fixup_eip(void)
{
	return (uint32_t)uaccess_fixup;
}

/* One copy to or from user memory: user is whichever of dst and src it is. */
static int copy_user_checked(void *dst, const void *src, const void *user, size_t n)
{
	if (!user_range_ok(user, n))
		return -EFAULT;
	user_access_begin();
	int r = __copy_user(dst, src, n);
	user_access_end();
	return r;
}

int put_user_arg(void *udst, const void *ksrc, size_t n) { return copy_user_checked(udst, ksrc, udst, n); }
int get_user_arg(void *kdst, const void *usrc, size_t n) { return copy_user_checked(kdst, usrc, usrc, n); }

int copy_to_user_as(void *udst, const void *ksrc, size_t n, const char *what)
{
	int r = put_user_arg(udst, ksrc, n);
	if (r == 0)
		ledger_copy(ZC_CPU_KERNEL_TO_USER, n, what);
	return r;
}

int copy_from_user_as(void *kdst, const void *usrc, size_t n, const char *what)
{
	int r = get_user_arg(kdst, usrc, n);
	if (r == 0)
		ledger_copy(ZC_CPU_USER_TO_KERNEL, n, what);
	return r;
}

int copy_to_user(void *udst, const void *ksrc, size_t n)
{
	return copy_to_user_as(udst, ksrc, n, "kernel->user");
}

int copy_from_user(void *kdst, const void *usrc, size_t n)
{
	return copy_from_user_as(kdst, usrc, n, "user->kernel");
}

int strncpy_from_user(char *kdst, const char *usrc, size_t max)
{
	uint32_t a = (uint32_t)usrc;
	if (a >= USER_TOP)
		return -EFAULT;
	size_t lim = MIN(max, USER_TOP - a);
	user_access_begin();
	int r = __strncpy_user(kdst, usrc, lim);
	user_access_end();
	if (r < 0)
		return r;
	if ((size_t)r == lim)
		return lim == max ? -ENAMETOOLONG : -EFAULT;
	return r;
}
