/*
 * sigprog - a program for the console tests of job control (tools/test/
 * test_signals.py), which drive it by typing.
 *
 *     sigprog wait         say "sigprog: ready", then wait for signals:
 *                          Ctrl-C ends it, Ctrl-Z stops it
 *     sigprog ignore-int   ignore SIGINT, then read a line: Ctrl-C does
 *                          not end it, and it says what it read
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>

int main(int argc, char **argv)
{
	char line[64];

	if (argc > 1 && strcmp(argv[1], "ignore-int") == 0) {
		signal(SIGINT, SIG_IGN);
		printf("sigprog: ignoring SIGINT\n");
		if (readline(0, line, sizeof line) <= 0)
			return 1;
		line[strcspn(line, "\n")] = '\0';
		printf("sigprog: still running, read %s\n", line);
		return 0;
	}
	printf("sigprog: ready (pid %d, group %d)\n", getpid(), getpgrp());
	for (;;)
		pause();
}
