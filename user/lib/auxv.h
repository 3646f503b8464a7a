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

#define AT_NULL    0    /* end of the vector */
#define AT_PHDR    3    /* address of the program headers */
#define AT_PHENT   4    /* size of one program header (32) */
#define AT_PHNUM   5    /* number of program headers */
#define AT_PAGESZ  6    /* 4096 */
#define AT_BASE    7
#define AT_ENTRY   9    /* the program's entry point (_start) */
#define AT_UID    11
#define AT_EUID   12
#define AT_GID    13
#define AT_EGID   14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25    /* address of 16 random bytes */
#define AT_EXECFN 31

/* auxv as crt0 found it: pairs of longs ending with AT_NULL. */
extern unsigned long *__zc_auxv;

/* Value for type, or 0 if the kernel did not supply it. */
unsigned long getauxval(unsigned long type);

#endif
