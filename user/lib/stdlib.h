/*
 * stdlib.h - memory allocation, number parsing, environment, exit.
 */
#ifndef ZC_STDLIB_H
#define ZC_STDLIB_H

#include <types.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* malloc.c: a first-fit free-list allocator on top of sbrk() */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);

/* exit(): run atexit functions, flush stdio, then exit_group */
void exit(int code) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
int atexit(void (*fn)(void));

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int abs(int x);
long labs(long x);

char *getenv(const char *name);

#endif
