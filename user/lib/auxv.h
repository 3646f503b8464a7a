/*
 * auxv.h - the auxiliary vector.
 *
 * The kernel puts (type, value) pairs after envp on the initial stack to
 * tell the program about itself: where its program headers are, its
 * entry point, the page size, a pointer to 16 random bytes.  crt0 finds
 * them; getauxval() looks one up.
 */
#ifndef ZC_AUXV_H
#define ZC_AUXV_H

#include <uapi/auxv.h>      /* AT_*: shared with the kernel */

/* auxv as crt0 found it: pairs of longs ending with AT_NULL. */
extern unsigned long *__zc_auxv;

/* Value for type, or 0 if the kernel did not supply it. */
unsigned long getauxval(unsigned long type);

#endif
