/*
 * uapi/time.h - clocks and the 32-bit time structures of Linux i386's
 * clock_gettime (265), gettimeofday (78) and nanosleep (162).
 */
#ifndef ZC32_UAPI_TIME_H
#define ZC32_UAPI_TIME_H

#define CLOCK_REALTIME      0
#define CLOCK_MONOTONIC     1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_BOOTTIME      7

struct timespec {
	long tv_sec;
	long tv_nsec;
};

struct timeval {
	long tv_sec;
	long tv_usec;
};

#endif
