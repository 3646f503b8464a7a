/*
 * init - the first user process.
 *
 * The kernel starts /bin/init (or the program named by init=) as pid 1,
 * with fds 0, 1 and 2 already open on the console.  init:
 *   1. sets the environment every program inherits (PATH=/bin:/test, HOME=/),
 *   2. forks and execs /bin/sh,
 *   3. waits: it is the parent of every orphan, so it reaps any zombie
 *      handed to it, and when the shell exits, init exits with the
 *      shell's status.  The kernel then powers the machine off, and QEMU
 *      exits with status (code << 1) | 1.
 *
 * Arguments after a lone `--` on the kernel command line reach init as
 * argv[1..] and are passed on to the shell:
 *     -- -c systest ; faults      runs `sh -c "systest ; faults"` (the
 *                                 words after -c are joined with spaces,
 *                                 since the command line has no quoting)
 *     -- /tests.sh                runs `sh /tests.sh`
 *     -- --exec PROG ARG...       runs PROG instead of /bin/sh, with
 *                                 argv PROG ARG... (make run-busybox:
 *                                 `--exec /bin/busybox sh -l`)
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#include <signal.h>

static char *init_env[] = { "PATH=/bin:/test", "HOME=/", NULL };

#define MAX_ARGS 32

int main(int argc, char **argv)
{
	static char command[1024];
	char *sh_argv[MAX_ARGS + 2];
	int sh_argc = 0, i, status;
	pid_t sh, pid;

	environ = init_env;
	const char *shell = "/bin/sh";
	if (argc > 2 && strcmp(argv[1], "--exec") == 0) {
		shell = argv[2];
		argv += 2;
		argc -= 2;
		sh_argv[sh_argc++] = (char *)shell;
	} else {
		sh_argv[sh_argc++] = "sh";
	}
	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		for (i = 2; i < argc; i++) {
			if (i > 2)
				strncat(command, " ", sizeof command - strlen(command) - 1);
			strncat(command, argv[i], sizeof command - strlen(command) - 1);
		}
		sh_argv[sh_argc++] = "-c";
		sh_argv[sh_argc++] = command;
	} else {
		for (i = 1; i < argc && sh_argc < MAX_ARGS; i++)
			sh_argv[sh_argc++] = argv[i];
	}
	sh_argv[sh_argc] = NULL;

	printf("init: starting %s\n", shell);
	sh = fork();
	if (sh < 0) {
		perror("init: fork");
		return 1;
	}
	if (sh == 0) {
		execve(shell, sh_argv, init_env);
		perror("init: exec");
		_exit(127);
	}

	/* Reap every child that ends, ours or adopted, until the shell does. */
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			perror("init: waitpid");
			return 1;
		}
		if (pid != sh)
			continue;
		if (WIFSIGNALED(status)) {
			printf("init: sh killed by signal %d\n", WTERMSIG(status));
			return 128 + WTERMSIG(status);
		}
		printf("init: sh exited with status %d\n", WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
}
