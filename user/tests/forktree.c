/*
 * forktree - many processes, created and reaped correctly.
 *
 * 1. A tree of processes, depth 3 and fan-out 3 (1 + 3 + 9 + 27).  Each
 *    leaf ends with a status that depends on its place in the tree:
 *    the first child of each parent execs /bin/true (status 0), the
 *    second /bin/false (status 1), the third exits with 2 + the sum of
 *    its path's digits.  Each inner node waits for its three children
 *    (in reverse order), checks each status against what it should be,
 *    and exits with their sum, or 255 if anything was wrong.  The root
 *    compares the grand total with the expected one.
 * 2. Zombies: 64 children that exit at once, reaped with waitpid(-1),
 *    four times over, so that process slots must be reused.
 */
#include <stdio.h>
#include <unistd.h>
#include <wait.h>
#include <zc.h>
#include <ztest.h>

#define DEPTH  3
#define FANOUT 3
#define BAD    255                 /* a node's status when a check failed */

/* What the subtree whose path so far sums to digitsum should produce;
 * `index` is its position among its siblings. */
static int expected(int depth, int index, int digitsum)
{
	int i, sum = 0;

	if (depth == DEPTH)
		return index == 0 ? 0 : index == 1 ? 1 : 2 + digitsum;
	for (i = 0; i < FANOUT; i++)
		sum += expected(depth + 1, i, digitsum + i);
	return sum;
}

static void leaf(int index, int digitsum)
{
	char *true_argv[] = { "true", NULL }, *false_argv[] = { "false", NULL };

	if (index == 0)
		execv("/bin/true", true_argv);
	else if (index == 1)
		execv("/bin/false", false_argv);
	else
		_exit(2 + digitsum);
	_exit(BAD);                    /* exec failed */
}

/* Fork the children of one node, wait for them, and return the sum of
 * their statuses (or BAD). */
static int node(int depth, int digitsum)
{
	pid_t kids[FANOUT], me = getpid();
	int i, st, sum = 0, bad = 0;

	for (i = 0; i < FANOUT; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			if (getppid() != me)
				_exit(BAD);
			if (depth + 1 == DEPTH)
				leaf(i, digitsum + i);
			_exit(node(depth + 1, digitsum + i));
		}
		if (kids[i] < 0)
			bad = 1;
	}
	for (i = FANOUT - 1; i >= 0; i--) {
		if (kids[i] < 0)
			continue;
		if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != expected(depth + 1, i, digitsum + i))
			bad = 1;
		else
			sum += WEXITSTATUS(st);
	}
	return bad ? BAD : sum;
}

#define NZOMBIES 64
#define ROUNDS   4

static void zombies(int round)
{
	pid_t pids[NZOMBIES];
	int seen[NZOMBIES] = { 0 };
	int i, st, forked = 0, reaped = 0, wrong = 0;
	char name[48];

	for (i = 0; i < NZOMBIES; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(i + 1);
		if (pids[i] > 0)
			forked++;
	}
	for (;;) {
		pid_t pid = waitpid(-1, &st, 0);
		int k;

		if (pid < 0)
			break;
		for (k = 0; k < NZOMBIES && pids[k] != pid; k++)
			;
		if (k == NZOMBIES || seen[k] || st != (k + 1) << 8)
			wrong++;
		else
			seen[k] = 1;
		reaped++;
	}
	snprintf(name, sizeof name, "zombies.round%d_forked", round);
	check_eq(name, forked, NZOMBIES);
	snprintf(name, sizeof name, "zombies.round%d_reaped", round);
	check_eq(name, reaped, NZOMBIES);
	snprintf(name, sizeof name, "zombies.round%d_statuses", round);
	check_eq(name, wrong, 0);
}

int main(void)
{
	struct zc_info before, after;
	int total, want = expected(0, 0, 0), round, st;

	total = node(0, 0);
	printf("forktree: %d processes, leaf statuses sum to %d\n",
	       1 + 3 + 9 + 27, total);
	check_eq("forktree.sum", total, want);
	check_err("forktree.all_reaped", usys_waitpid(-1, &st, WNOHANG), -ECHILD);

	usys_zc_info(&before);
	for (round = 1; round <= ROUNDS; round++)
		zombies(round);
	check_err("zombies.none_left", usys_waitpid(-1, &st, WNOHANG), -ECHILD);
	if (usys_zc_info(&after) == 0)
		check_eq("zombies.nprocs_back", after.nprocs, before.nprocs);
	else
		ztest_fail("zombies.nprocs_back", "zc_info failed");
	return ztest_summary();
}
