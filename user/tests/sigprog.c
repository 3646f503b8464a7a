/*
 * sigprog - a program for the console tests of job control (tools/test/
 * test_signals.py), which drive it by typing.
 *
 *     sigprog wait         say "sigprog: ready", then wait for signals:
 *                          Ctrl-C ends it, Ctrl-Z stops it
 *     sigprog ignore-int   ignore SIGINT, then read a line: Ctrl-C does
 *                          not end it, and it says what it read
 *     sigprog raw N        raw mode without echo (ICANON, ECHO and ISIG
 *                          off, VMIN 1): read N keys one by one, print
 *                          each one's code, then restore the terminal
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <stdlib.h>
#include <termios.h>

/* Keys as they are typed: no line editing, no echo, Ctrl-C is a byte. */
static int raw_keys(int n)
{
	struct termios saved, t;
	unsigned char c;

	if (tcgetattr(0, &saved) < 0)
		return 1;
	t = saved;
	t.c_lflag &= ~(ICANON | ECHO | ISIG);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSAFLUSH, &t);
	printf("sigprog: raw ready\n");
	for (int i = 0; i < n && read(0, &c, 1) == 1; i++)
		printf("sigprog: key 0x%02x\n", c);
	tcsetattr(0, TCSANOW, &saved);
	return 0;
}

int main(int argc, char **argv)
{
	char line[64];

	if (argc > 2 && strcmp(argv[1], "raw") == 0)
		return raw_keys(atoi(argv[2]));

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
