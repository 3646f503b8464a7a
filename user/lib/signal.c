/*
 * signal.c - names of signals, for messages like "killed by SIGSEGV".
 */
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <ctype.h>

static const char *const names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP",
};

static const char *const texts[] = {
	[SIGHUP] = "Hangup", [SIGINT] = "Interrupt", [SIGQUIT] = "Quit",
	[SIGILL] = "Illegal instruction", [SIGTRAP] = "Trace/breakpoint trap",
	[SIGABRT] = "Aborted", [SIGBUS] = "Bus error",
	[SIGFPE] = "Floating point exception", [SIGKILL] = "Killed",
	[SIGUSR1] = "User defined signal 1", [SIGSEGV] = "Segmentation fault",
	[SIGUSR2] = "User defined signal 2", [SIGPIPE] = "Broken pipe",
	[SIGALRM] = "Alarm clock", [SIGTERM] = "Terminated",
	[SIGCHLD] = "Child exited", [SIGCONT] = "Continued", [SIGSTOP] = "Stopped",
};

#define NNAMES ((int)(sizeof names / sizeof names[0]))

const char *signame(int sig)
{
	return sig > 0 && sig < NNAMES ? names[sig] : NULL;
}

const char *strsignal(int sig)
{
	return sig > 0 && sig < NNAMES && texts[sig] ? texts[sig] : "Unknown signal";
}

int signum(const char *name)
{
	int i;

	if (isdigit(*name)) {
		i = atoi(name);
		return i > 0 && i < NSIG ? i : -1;
	}
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 1; i < NNAMES; i++)
		if (names[i] && strcmp(names[i] + 3, name) == 0)
			return i;
	return -1;
}
