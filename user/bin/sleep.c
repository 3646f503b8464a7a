/*
 * sleep - wait for a while.
 *     sleep SECONDS        SECONDS may have a fraction: 0.25
 * Uses nanosleep(2): the process blocks and the CPU runs others (or halts).
 */
#include <stdio.h>
#include <time.h>
#include <ctype.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 0 };
	const char *p;
	long scale = 100000000;        /* nanoseconds per first decimal digit */

	if (argc != 2 || (!isdigit(argv[1][0]) && argv[1][0] != '.')) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	for (p = argv[1]; isdigit(*p); p++)
		ts.tv_sec = ts.tv_sec * 10 + (*p - '0');
	if (*p == '.')
		for (p++; isdigit(*p) && scale > 0; p++, scale /= 10)
			ts.tv_nsec += (*p - '0') * scale;
	if (nanosleep(&ts, NULL) < 0) {
		perror("sleep");
		return 1;
	}
	return 0;
}
