/*
 * uapi/time.h - clocks and the time structures of Linux i386's
 * clock_gettime (265), gettimeofday (78) and nanosleep (162) (32-bit
 * seconds), and of the *_time64 calls (403, 406, 407: 64-bit).
 */
#ifndef ZC32_UAPI_TIME_H
#define ZC32_UAPI_TIME_H

#define CLOCK_REALTIME      0
#define CLOCK_MONOTONIC     1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE  5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME      7

#define TIMER_ABSTIME 1             /* clock_nanosleep: req is a time, not a length */
#define USER_HZ 100                 /* clock ticks of times(), /proc and AT_CLKTCK */

struct timespec {
	long tv_sec;
	long tv_nsec;
};

struct timespec64 {                 /* linux/time_types.h: struct __kernel_timespec */
	long long tv_sec;
	long long tv_nsec;
};

struct timeval {
	long tv_sec;
	long tv_usec;
};

#define ITIMER_REAL 0               /* setitimer: the only timer zc32 has */
struct itimerval {
	struct timeval it_interval;     /* reload value, 0: once */
	struct timeval it_value;        /* time to the next expiry, 0: disarmed */
};

#endif
