/*
 * time.h - clocks and sleeping.
 */
#ifndef ZC_TIME_H
#define ZC_TIME_H

#include <types.h>

#include <uapi/time.h>      /* timespec, timeval, CLOCK_*: shared with the kernel */

time_t time(time_t *t);
int gettimeofday(struct timeval *tv, void *tz);
int clock_gettime(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);

/* Nanoseconds between two timespecs (b - a). */
static inline long long timespec_diff_ns(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

#endif
