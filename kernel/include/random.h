/* random.h - the kernel's pseudo-random bytes (lib/random.c): NOT
 * cryptographic, see there. */
#ifndef ZC32_RANDOM_H
#define ZC32_RANDOM_H
#include "types.h"
void random_seed(uint64_t seed);
void random_bytes(void *buf, size_t n);
#endif
