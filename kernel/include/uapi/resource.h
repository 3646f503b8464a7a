/*
 * uapi/resource.h - resource limits and usage (Linux i386:
 * linux/resource.h): getrlimit's 32-bit pair, prlimit64's 64-bit one,
 * and getrusage's struct rusage (72 bytes).
 */
#ifndef ZC32_UAPI_RESOURCE_H
#define ZC32_UAPI_RESOURCE_H

#define RLIMIT_CPU    0
#define RLIMIT_STACK  3
#define RLIMIT_CORE   4
#define RLIMIT_NPROC  6
#define RLIMIT_NOFILE 7
#define RLIM_NLIMITS  16
#define RLIM_INFINITY (~0ull)

struct rlimit32 { unsigned int cur, max; };
struct rlimit64 { unsigned long long cur, max; };

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)

struct rusage32 {
	int utime_sec, utime_usec, stime_sec, stime_usec;
	int maxrss, ixrss, idrss, isrss;
	int minflt, majflt, nswap, inblock, oublock;
	int msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

#endif
