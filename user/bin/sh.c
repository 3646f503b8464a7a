/*
 * sh - the zc32 shell.
 *
 *     sh                 read commands from the console, prompt "$ "
 *     sh -c "commands"   run one command line
 *     sh FILE            run a script, line by line
 *
 * A line is split into words (blanks separate; '...' and "..." quote;
 * backslash escapes one character; # starts a comment) with $? (status
 * of the last command), $$ (the shell's pid) and $NAME (environment)
 * expanded outside single quotes.  Commands can be joined:
 *     a | b | c        pipeline: a's output is b's input (pipe, dup2)
 *     a ; b            one after the other
 *     a && b, a || b   b only if a succeeded / failed
 *     < f  > f  >> f   redirect input, output, output appended
 *     a &              a runs in the background; the shell goes on
 * Builtins: cd [dir], pwd, exit [n], jobs, fg [%n], bg [%n], wait.  Other
 * commands are programs, run by fork + execve, found by path or in the
 * directories of $PATH.
 *
 * Job control (interactive shells, on the console): each pipeline is a
 * job in a process group of its own, and a foreground job owns the
 * terminal (tcsetpgrp), so Ctrl-C (SIGINT) and Ctrl-Z (SIGTSTP) from the
 * console reach the job and not the shell.  The shell ignores SIGTSTP,
 * SIGTTIN and SIGTTOU; Ctrl-C at the prompt drops the line typed so far.
 *
 * The exit status of a command is its exit code, 127 if it was not
 * found, 128 + N if signal N killed or stopped it (the shell says so).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <ctype.h>

#define LINE_MAX   1024
#define MAX_TOKENS 128
#define MAX_ARGS   64
#define MAX_CMDS   16

/* ---- 1. Splitting a line into tokens ---- */

enum tok { T_WORD, T_PIPE, T_SEMI, T_AND, T_OR, T_BG, T_IN, T_OUT, T_APPEND, T_END };

struct token {
	enum tok type;
	char *word;              /* T_WORD only */
};

static int last_status;      /* $? */

/* Where words are stored while tokenizing: each NUL-terminated. */
struct store {
	char buf[2 * LINE_MAX];
	size_t len;
};

static int store_put(struct store *s, char c)
{
	if (s->len >= sizeof s->buf)
		return -1;
	s->buf[s->len++] = c;
	return 0;
}

static int store_str(struct store *s, const char *str)
{
	while (*str)
		if (store_put(s, *str++) < 0)
			return -1;
	return 0;
}

/* Expand the $ at *pp (pp points just past it) into the store. */
static int expand(struct store *s, const char **pp)
{
	const char *p = *pp;
	char num[16], name[64];
	size_t n = 0;

	if (*p == '?') {
		snprintf(num, sizeof num, "%d", last_status);
		*pp = p + 1;
		return store_str(s, num);
	}
	if (*p == '$') {
		snprintf(num, sizeof num, "%d", getpid());
		*pp = p + 1;
		return store_str(s, num);
	}
	while ((isalnum(*p) || *p == '_') && n < sizeof name - 1)
		name[n++] = *p++;
	name[n] = '\0';
	*pp = p;
	if (n == 0)
		return store_put(s, '$');        /* a lone '$' stays itself */
	return store_str(s, getenv(name) ? getenv(name) : "");
}

static int is_special(char c)
{
	return c == '|' || c == ';' || c == '&' || c == '<' || c == '>';
}

/* Split the text at *pp into toks, up to and including the next ; && or
 * || (so that $? is expanded only after the commands before it ran).
 * The last token is that separator or T_END; *pp moves past what was
 * used.  Returns the count, or -1 after printing an error. */
static int tokenize(const char **pp, struct token *toks, struct store *s)
{
	const char *p = *pp;
	int n = 0;

	s->len = 0;
	for (;;) {
		while (isspace(*p))
			p++;
		if (n == MAX_TOKENS - 1) {
			fprintf(stderr, "sh: too many words\n");
			return -1;
		}
		if (*p == '\0' || *p == '#') {
			toks[n].type = T_END;
			*pp = p + strlen(p);
			return n;
		}
		toks[n].word = NULL;
		if (is_special(*p)) {
			if (p[0] == '|' && p[1] == '|')      toks[n].type = T_OR, p += 2;
			else if (p[0] == '&' && p[1] == '&') toks[n].type = T_AND, p += 2;
			else if (p[0] == '>' && p[1] == '>') toks[n].type = T_APPEND, p += 2;
			else if (*p == '|') toks[n].type = T_PIPE, p++;
			else if (*p == ';') toks[n].type = T_SEMI, p++;
			else if (*p == '<') toks[n].type = T_IN, p++;
			else if (*p == '>') toks[n].type = T_OUT, p++;
			else toks[n].type = T_BG, p++;
			if (toks[n].type == T_SEMI || toks[n].type == T_AND || toks[n].type == T_OR ||
			    toks[n].type == T_BG) {
				*pp = p;
				return n + 1;
			}
			n++;
			continue;
		}

		/* A word: runs until an unquoted blank or operator. */
		toks[n].type = T_WORD;
		toks[n].word = s->buf + s->len;
		while (*p && !isspace(*p) && !is_special(*p)) {
			int err = 0;

			if (*p == '\'') {                 /* '...': nothing special inside */
				for (p++; *p && *p != '\''; p++)
					err |= store_put(s, *p);
				if (!*p)
					goto unterminated;
				p++;
			} else if (*p == '"') {           /* "...": only $ and \ */
				for (p++; *p && *p != '"';) {
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$'))
						p++, err |= store_put(s, *p++);
					else if (*p == '$')
						p++, err |= expand(s, &p);
					else
						err |= store_put(s, *p++);
				}
				if (!*p)
					goto unterminated;
				p++;
			} else if (*p == '\\' && p[1]) {
				err |= store_put(s, p[1]);
				p += 2;
			} else if (*p == '$') {
				p++;
				err |= expand(s, &p);
			} else {
				err |= store_put(s, *p++);
			}
			if (err)
				goto too_long;
		}
		if (store_put(s, '\0') < 0)
			goto too_long;
		n++;
	}
unterminated:
	fprintf(stderr, "sh: unterminated quote\n");
	return -1;
too_long:
	fprintf(stderr, "sh: line too long\n");
	return -1;
}

/* ---- 2. Commands ---- */

struct cmd {
	char *argv[MAX_ARGS + 1];
	int argc;
	char *in, *out;          /* redirections, or NULL */
	int append;              /* >> rather than > */
};

/* Parse one pipeline starting at toks[*pos]; stops at ; && || or the end.
 * Returns the number of commands, or -1 on a syntax error. */
static int parse_pipeline(struct token *toks, int *pos, struct cmd *cmds)
{
	int i = *pos, n = 0;
	struct cmd *c = &cmds[0];

	memset(c, 0, sizeof *c);
	for (;; i++) {
		struct token *t = &toks[i];

		switch (t->type) {
		case T_WORD:
			if (c->argc == MAX_ARGS) {
				fprintf(stderr, "sh: too many arguments\n");
				return -1;
			}
			c->argv[c->argc++] = t->word;
			break;
		case T_IN:
		case T_OUT:
		case T_APPEND:
			if (toks[i + 1].type != T_WORD) {
				fprintf(stderr, "sh: syntax error: redirection without a file name\n");
				return -1;
			}
			if (t->type == T_IN)
				c->in = toks[++i].word;
			else
				c->out = toks[++i].word, c->append = (t->type == T_APPEND);
			break;
		case T_PIPE:
			if (c->argc == 0 || n + 1 == MAX_CMDS) {
				fprintf(stderr, "sh: syntax error near '|'\n");
				return -1;
			}
			c = &cmds[++n];
			memset(c, 0, sizeof *c);
			break;
		default:                              /* ; && || & end */
			if (c->argc == 0 && (n > 0 || t->type == T_AND || t->type == T_OR ||
					     t->type == T_BG)) {
				fprintf(stderr, "sh: syntax error: missing command\n");
				return -1;
			}
			*pos = i;
			return n + 1;
		}
	}
}

/* Open c's redirections onto fds 0 and 1.  Returns -1 after an error. */
static int redirect(struct cmd *c)
{
	int fd;

	if (c->in) {
		fd = open(c->in, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", c->in, strerror(errno));
			return -1;
		}
		dup2(fd, 0);
		close(fd);
	}
	if (c->out) {
		fd = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 0644);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", c->out, strerror(errno));
			return -1;
		}
		dup2(fd, 1);
		close(fd);
	}
	return 0;
}

/* ---- 3. Jobs: a pipeline and its processes ---- */

#define MAX_JOBS 16

struct job {
	int id;                  /* %n; 0: a free slot */
	pid_t pgid;              /* its process group (job control), else 0 */
	pid_t pids[MAX_CMDS];
	int npids, running;      /* processes started, and not yet ended */
	int stopped, background;
	int status;              /* the shell status of its last command */
	char text[96];           /* the command line, for jobs/fg/bg */
};

static struct job jobs[MAX_JOBS];
static int job_control;      /* interactive: jobs get process groups and the terminal */
static pid_t shell_pgid;

static struct job *job_new(struct cmd *cmds, int n)
{
	int id = 1;

	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id >= id)
			id = jobs[i].id + 1;
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		if (j->id)
			continue;
		memset(j, 0, sizeof *j);
		j->id = id;
		for (int c = 0; c < n; c++)
			for (int a = 0; a < cmds[c].argc; a++)
				snprintf(j->text + strlen(j->text), sizeof j->text - strlen(j->text), "%s%s",
					 a == 0 && c > 0 ? " | " : a > 0 ? " " : "", cmds[c].argv[a]);
		return j;
	}
	return NULL;
}

/* %n, or the most recent job. */
static struct job *job_find(struct cmd *c)
{
	struct job *best = NULL;
	int want = c->argc > 1 ? atoi(c->argv[1] + (c->argv[1][0] == '%')) : 0;

	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		if (!j->id)
			continue;
		if (want && j->id == want)
			return j;
		if (!want && (!best || j->id > best->id))
			best = j;
	}
	return best;
}

/* Turn a wait status into a shell status, saying why a child died. */
static int report(const char *name, int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		if (sig == SIGINT)                 /* Ctrl-C: just end the ^C line */
			fprintf(stderr, "\n");
		else if (sig != SIGPIPE)           /* normal at the start of a pipeline */
			fprintf(stderr, "sh: %s: killed by signal %d (%s)\n", name, sig,
				signame(sig) ? signame(sig) : "?");
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

static void print_job(struct job *j, const char *state)
{
	printf("[%d]+  %-8s %s\n", j->id, state, j->text);
}

/* waitpid said pid changed state: update its job. */
static void job_note(pid_t pid, int status)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		for (int k = 0; j->id && k < j->npids; k++) {
			if (j->pids[k] != pid)
				continue;
			if (WIFSTOPPED(status)) {
				j->stopped = 1;
				j->status = 128 + WSTOPSIG(status);
				if (j->background)         /* a read from the terminal: SIGTTIN */
					print_job(j, "Stopped");
				return;
			}
			j->running--;
			if (k == j->npids - 1)
				j->status = report(j->text, status);
			else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGPIPE &&
				 WTERMSIG(status) != SIGINT)
				report(j->text, status);
			return;
		}
	}
}

/* Wait for a foreground job to end or stop; the terminal comes back to
 * the shell afterwards.  Returns its status. */
static int job_wait(struct job *j)
{
	int st, status;

	while (j->running > 0 && !j->stopped) {
		pid_t pid = waitpid(-1, &st, WUNTRACED);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		job_note(pid, st);
	}
	if (job_control)
		tcsetpgrp(0, shell_pgid);
	status = j->status;
	if (j->stopped) {
		printf("\n");
		print_job(j, "Stopped");
		j->background = 1;
	} else {
		j->id = 0;
	}
	return status;
}

/* Before a prompt: say which background jobs ended, and forget them. */
static void jobs_reap(void)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG | WUNTRACED)) > 0)
		job_note(pid, st);
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		if (j->id && j->running == 0) {
			if (job_control)
				print_job(j, "Done");
			j->id = 0;
		}
	}
}

/* Let a stopped job run again: in the foreground (fg) or not (bg). */
static int job_continue(struct cmd *c, int foreground)
{
	struct job *j = job_find(c);

	if (!job_control) {
		fprintf(stderr, "sh: %s: no job control\n", c->argv[0]);
		return 1;
	}
	if (!j) {
		fprintf(stderr, "sh: %s: no such job\n", c->argv[0]);
		return 1;
	}
	if (foreground) {
		tcsetpgrp(0, j->pgid);             /* first: a Ctrl-C after the echo is the job's */
		printf("%s\n", j->text);
		fflush(stdout);
	} else {
		printf("[%d]+ %s &\n", j->id, j->text);
	}
	j->stopped = 0;
	j->background = !foreground;
	kill(-j->pgid, SIGCONT);
	return foreground ? job_wait(j) : 0;
}

/* ---- 4. Builtins: they change the shell itself, so no fork ---- */

static const char *const builtins[] = { "cd", "pwd", "exit", "jobs", "fg", "bg", "wait" };

static int is_builtin(struct cmd *c)
{
	if (c->argc == 0)
		return 1;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(c->argv[0], builtins[i]) == 0)
			return 1;
	return 0;
}

static int run_builtin(struct cmd *c)
{
	char cwd[256];

	if (c->argc == 0)                      /* only redirections: "> file" */
		return 0;
	if (strcmp(c->argv[0], "cd") == 0) {
		const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");

		if (chdir(dir ? dir : "/") < 0) {
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
			return 1;
		}
		return 0;
	}
	if (strcmp(c->argv[0], "pwd") == 0) {
		if (!getcwd(cwd, sizeof cwd)) {
			perror("sh: pwd");
			return 1;
		}
		printf("%s\n", cwd);
		return 0;
	}
	if (strcmp(c->argv[0], "jobs") == 0) {
		jobs_reap();
		for (int i = 0; i < MAX_JOBS; i++)
			if (jobs[i].id)
				print_job(&jobs[i], jobs[i].stopped ? "Stopped" : "Running");
		return 0;
	}
	if (strcmp(c->argv[0], "fg") == 0 || strcmp(c->argv[0], "bg") == 0)
		return job_continue(c, c->argv[0][0] == 'f');
	if (strcmp(c->argv[0], "wait") == 0) {
		int st;
		pid_t pid;
		while ((pid = waitpid(-1, &st, 0)) > 0 || (pid < 0 && errno == EINTR))
			if (pid > 0)
				job_note(pid, st);
		jobs_reap();
		return 0;
	}
	/* exit */
	exit(c->argc > 1 ? atoi(c->argv[1]) & 0xff : last_status);
}

/* A builtin alone on its line runs in the shell; redirect around it and
 * put fds 0 and 1 back afterwards. */
static int run_builtin_here(struct cmd *c)
{
	int saved_in = dup(0), saved_out = dup(1), status = 1;

	if (redirect(c) == 0)
		status = run_builtin(c);
	fflush(stdout);
	dup2(saved_in, 0);
	dup2(saved_out, 1);
	close(saved_in);
	close(saved_out);
	return status;
}

/* ---- 5. Running programs ---- */

/* In the child: become the program.  Never returns. */
static void exec_command(char **argv)
{
	const char *path = getenv("PATH");
	char buf[256];
	int err = ENOENT;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, environ);
		err = errno;
	} else {
		if (!path || !*path)
			path = "/bin";
		while (*path) {
			size_t len = strcspn(path, ":");

			snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, argv[0]);
			execve(buf, argv, environ);
			if (errno != ENOENT && errno != ENOTDIR)
				err = errno;           /* there, but could not run it */
			path += len;
			if (*path == ':')
				path++;
		}
	}
	if (err == ENOENT) {
		fprintf(stderr, "sh: %s: not found\n", argv[0]);
		_exit(127);
	}
	fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(err));
	_exit(126);
}

static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

/* In a new child: join the job's process group (the first child's pid),
 * take the terminal if it is a foreground job, and undo the shell's own
 * signal settings (execve would keep the ignored ones). */
static void child_job_setup(pid_t pgid, int background)
{
	if (job_control) {
		setpgid(0, pgid);
		if (!background)
			tcsetpgrp(0, getpgrp());       /* SIGTTOU still ignored here */
		for (size_t i = 0; i < sizeof job_signals / sizeof job_signals[0]; i++)
			signal(job_signals[i], SIG_DFL);
	} else if (background) {
		signal(SIGINT, SIG_IGN);           /* POSIX: async commands ignore these */
		signal(SIGQUIT, SIG_IGN);
	}
}

/* Run cmds[0] | cmds[1] | ... as a job; in the foreground, wait and
 * return the status of the last one. */
static int run_pipeline(struct cmd *cmds, int n, int background)
{
	int i, in = 0, status = 0;
	struct job *j;

	if (n == 1 && is_builtin(&cmds[0]) && !background)
		return run_builtin_here(&cmds[0]);
	if (!job_control)
		jobs_reap();                       /* a script's ended background jobs free their slots */
	if (!(j = job_new(cmds, n))) {
		fprintf(stderr, "sh: too many jobs\n");
		return 1;
	}
	j->background = background;
	for (i = 0; i < n; i++) {
		int p[2] = { -1, -1 }, out = 1;
		pid_t pid;

		if (i < n - 1) {
			if (pipe(p) < 0) {
				perror("sh: pipe");
				status = 1;
				break;
			}
			out = p[1];
		}
		pid = fork();
		if (pid == 0) {
			child_job_setup(j->pgid, background);
			/* Child: our stdin is the previous pipe, stdout the next. */
			if (in != 0) {
				dup2(in, 0);
				close(in);
			}
			if (out != 1) {
				dup2(out, 1);
				close(out);
				close(p[0]);               /* the next command's end */
			}
			if (redirect(&cmds[i]) < 0)
				_exit(1);
			if (is_builtin(&cmds[i]))
				exit(run_builtin(&cmds[i]));
			exec_command(cmds[i].argv);
		}
		/* Parent: close our copies, or readers never see end of file. */
		if (in != 0)
			close(in);
		if (out != 1)
			close(out);
		in = p[0];
		if (pid < 0) {
			perror("sh: fork");
			if (in > 0)
				close(in);
			status = 1;
			break;
		}
		if (job_control) {
			if (!j->pgid)
				j->pgid = pid;
			setpgid(pid, j->pgid);         /* as the child does: whoever runs first */
		}
		j->pids[j->npids++] = pid;
		j->running++;
	}
	if (j->npids == 0) {
		j->id = 0;
		return status;
	}
	if (background) {
		if (job_control)
			printf("[%d] %d\n", j->id, j->pids[j->npids - 1]);
		return 0;
	}
	return job_wait(j);
}

/* ---- 6. Lines ---- */

static void run_line(const char *line)
{
	static struct store store;
	static struct token toks[MAX_TOKENS];
	static struct cmd cmds[MAX_CMDS];
	int skip = 0;

	for (;;) {
		int n, pos = 0;

		if (tokenize(&line, toks, &store) < 0) {
			last_status = 2;
			return;
		}
		if (toks[0].type == T_END)
			return;
		if (toks[0].type == T_SEMI)            /* empty command: ";;" */
			continue;
		n = parse_pipeline(toks, &pos, cmds);
		if (n < 0) {
			last_status = 2;
			return;
		}
		if (!skip)
			last_status = run_pipeline(cmds, n, toks[pos].type == T_BG);
		switch (toks[pos].type) {
		case T_AND:  skip = last_status != 0; break;
		case T_OR:   skip = last_status == 0; break;
		case T_SEMI:
		case T_BG:   skip = 0; break;
		default:     return;                   /* T_END */
		}
	}
}

/* Run every line of text (a script or a -c argument). */
static void run_text(char *text)
{
	char *line;

	while ((line = strsep(&text, "\n")) != NULL)
		run_line(line);
}

/* Read a whole script into memory, so no child inherits its descriptor. */
static char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0, cap = 4096;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (!buf)
			break;
		if (len == cap) {
			char *bigger = realloc(buf, 2 * cap + 1);
			if (!bigger) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			free(buf);
			buf = NULL;
			break;
		}
		if (n == 0) {
			buf[len] = '\0';
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	return buf;
}

static void on_sigint(int sig)
{
	/* nothing: the prompt's read returns EINTR, and the shell prompts again */
}

/* An interactive shell on a terminal: its own process group in the
 * foreground, Ctrl-Z and background-terminal signals ignored, Ctrl-C
 * caught (without SA_RESTART, so it interrupts the prompt's read). */
static void start_job_control(void)
{
	struct sigaction sa;

	if (!isatty(0) || tcgetpgrp(0) < 0)
		return;
	shell_pgid = getpid();
	if (getpgrp() != shell_pgid && setpgid(0, 0) < 0)
		shell_pgid = getpgrp();
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	if (tcsetpgrp(0, shell_pgid) == 0)
		job_control = 1;
}

int main(int argc, char **argv)
{
	static char line[LINE_MAX];

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		run_text(argv[2]);
		return last_status;
	}
	if (argc > 1) {
		char *script = read_file(argv[1]);

		if (!script) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		run_text(script);
		return last_status;
	}

	/* Interactive: the console hands us one line per read. */
	start_job_control();
	for (;;) {
		int n;

		jobs_reap();
		printf("$ ");
		n = readline(0, line, sizeof line);
		if (n < 0 && errno == EINTR) {
			printf("\n");                     /* Ctrl-C: drop the line, prompt again */
			continue;
		}
		if (n <= 0)
			break;                             /* end of input (Ctrl-D) */
		if (line[n - 1] != '\n' && n == (int)sizeof line - 1) {
			char c;                            /* too long: drop the rest */
			while (read(0, &c, 1) == 1 && c != '\n')
				;
			fprintf(stderr, "sh: line too long\n");
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		run_line(line);
	}
	return last_status;
}
