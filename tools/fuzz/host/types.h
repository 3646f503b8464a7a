/*
 * host/types.h - the host's stand-in for kernel/include/types.h, so the
 * kernel's pure parsers compile as x86_64 code in the fuzz harnesses:
 * the C library's fixed-width types (size_t and pointers are 64 bits
 * here, which is why the parsers never cast a pointer to uint32_t), and
 * the kernel's helper macros.  The Makefile's fuzz-host rules put this
 * folder first on the include path and -include this file.
 */
#ifndef ZC32_TYPES_H
#define ZC32_TYPES_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;                 /* glibc's, on x86_64 */
typedef long off64_t;
typedef int  pid_t;

#define ARRAY_SIZE(a)       (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)           ((a) < (b) ? (a) : (b))
#define MAX(a, b)           ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)      (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a)    ((x) & ~((a) - 1))
#define container_of(p, t, m) ((t *)((char *)(p) - offsetof(t, m)))

#endif
