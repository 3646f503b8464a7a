/*
 * random.c - pseudo-random bytes for getrandom(2): Marsaglia's xorshift64*
 * generator, seeded from the time-stamp counter and the RTC's time at
 * boot, with the counter stirred in again at each call.
 *
 * This is NOT a cryptographic generator: its state is 64 bits that an
 * observer of a few outputs can recover.  It is enough for what programs
 * on zc32 use getrandom for (hash-table seeds, temporary names); a real
 * kernel gathers entropy from interrupt timings and uses a stream cipher.
 */
#include "kernel.h"
#include "x86.h"
#include "random.h"

static uint64_t state;

/* kmain, at boot: the RTC's time, so two boots start apart. */
void random_seed(uint64_t seed) { state = seed; }

static uint64_t next(void)
{
	state ^= rdtsc();
	if (state == 0)
		state = 0x9e3779b97f4a7c15ull;   /* xorshift must not start at 0 */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 2685821657736338717ull;
}

void random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n) {
		uint64_t v = next();
		size_t k = MIN(n, sizeof v);
		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}
