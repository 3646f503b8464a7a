/*
 * kill - send a signal to processes.
 *     kill [-SIGNAL] PID...     SIGNAL is a name (KILL, SIGTERM) or a
 *                               number; the default is TERM.
 * A PID of 0, or -PGID after the signal (kill -TERM -7), signals a
 * process group, as kill(2) does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <errno.h>

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc > 1 && argv[1][0] == '-') {
		sig = signum(argv[1] + 1);
		if (sig < 0) {
			fprintf(stderr, "kill: unknown signal %s\n", argv[1] + 1);
			return 2;
		}
		i++;
	}
	if (i == argc) {
		fprintf(stderr, "usage: kill [-SIGNAL] PID...\n");
		return 2;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (*end || end == argv[i]) {
			fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
			status = 1;
		} else if (kill((int)pid, sig) < 0) {
			fprintf(stderr, "kill: %ld: %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
