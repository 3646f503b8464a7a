/*
 * fuzz.h - what the host fuzz harnesses share: a check that stops the
 * run with a message (libFuzzer then saves the input as crash-*), and a
 * copy of part of an input into a buffer of exactly its size, so that
 * AddressSanitizer catches a parser reading one byte past what it was
 * given, not only past the whole input.
 */
#ifndef ZC32_FUZZ_H
#define ZC32_FUZZ_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond, ...) do {                                                        \
	if (!(cond)) {                                                               \
		fprintf(stderr, "fuzz: invariant broken at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__);                                        \
		fputc('\n', stderr);                                                 \
		__builtin_trap();                                                    \
	}                                                                            \
} while (0)

/* n bytes of src in a heap buffer of exactly n bytes (free it). */
static inline uint8_t *fuzz_dup(const uint8_t *src, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);
	if (!p)
		abort();
	memcpy(p, src, n);
	return n ? p : p + 1;      /* an empty buffer: any read is past its end */
}

static inline void fuzz_free(uint8_t *p, size_t n)
{
	free(n ? p : p - 1);
}

static inline uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

#endif
