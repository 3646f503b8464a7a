/*
 * time.c - clocks and sleeping.
 */
#include <time.h>
#include <unistd.h>

time_t time(time_t *t)
{
	return (time_t)__sysret(usys_time(t));
}

int gettimeofday(struct timeval *tv, void *tz)
{
	return (int)__sysret(usys_gettimeofday(tv, tz));
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return (int)__sysret(usys_clock_gettime(clk, ts));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)__sysret(usys_nanosleep(req, rem));
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { (time_t)seconds, 0 }, rem = { 0, 0 };

	if (nanosleep(&ts, &rem) < 0)
		return (unsigned int)rem.tv_sec;
	return 0;
}

int usleep(unsigned int usec)
{
	struct timespec ts = { (time_t)(usec / 1000000), (long)(usec % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}
