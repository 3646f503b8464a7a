/*
 * uapi/auxv.h - the auxiliary vector's types (System V i386 ABI, 3-29;
 * Linux uapi/linux/auxvec.h).  exec puts (type, value) pairs after envp
 * on a new program's stack; crt0 and getauxval() read them.
 */
#ifndef ZC32_UAPI_AUXV_H
#define ZC32_UAPI_AUXV_H

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
#define AT_EXECFN 31    /* address of the program's path */

#endif
