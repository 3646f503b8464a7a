/*
 * memfill - use more memory than the machine has, and check that nothing
 * is lost: the swap test.
 *
 *     memfill [-x PERCENT] [-p PROCS] [-r ROUNDS] [-f | -F FORKS] [-q]
 *
 * Each of PROCS fillers (forked children when PROCS > 1) maps PERCENT% of
 * physical memory (zc_info's total_pages; default 400%) as anonymous
 * memory, writes every word of every page with a pattern made of the
 * filler's number, the page's number and the round, then reads every page
 * back, ROUNDS times.  With -f one filler fills, forks, and parent and
 * child each check the inherited pages and overwrite them with their own
 * pattern (copy-on-write while pages and shared swap slots come and go);
 * -F FORKS first forks FORKS children that exit at once (fork while
 * memory is full).  With more pages than RAM the kernel must write pages
 * to the swap disk and read them back.  Each filler prints one line
 *     memfill: filler F pid P pages N rounds R mismatches M swap_outs A swap_ins B
 *              faults_minor C faults_major D
 * and exits 0 only with zero mismatches; then the first process prints the
 * system-wide ledger (with swap_used, the swap slots still in use once
 * every filler has unmapped its pages or exited, and swap_writes, the
 * pager's disk requests) and "memfill: PASS" or "memfill: FAIL ...".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#include <signal.h>
#include <mman.h>
#include <zc.h>

#define WORDS (PAGE_SIZE / 4)

/* The value of word w of page p: differs between fillers, pages, words
 * and rounds, so a page that comes back from the wrong slot (or another
 * process's page) cannot match. */
static inline unsigned int pattern(int filler, unsigned int p, unsigned int w, int round)
{
	return (p * 2654435761u) ^ (w << 20) ^ ((unsigned int)filler << 28) ^
	       ((unsigned int)round * 0x9e3779b9u) ^ w;
}

static void write_all(unsigned int *mem, unsigned int npages, int filler, int round)
{
	for (unsigned int p = 0; p < npages; p++) {
		unsigned int *pg = mem + (size_t)p * WORDS;
		for (unsigned int w = 0; w < WORDS; w++)
			pg[w] = pattern(filler, p, w, round);
	}
}

/* Pages that do not hold pattern(filler, round); the first few are printed. */
static unsigned long verify_all(unsigned int *mem, unsigned int npages, int filler, int round,
				const char *who)
{
	unsigned long mismatches = 0;
	for (unsigned int p = 0; p < npages; p++) {
		unsigned int *pg = mem + (size_t)p * WORDS;
		unsigned int bad = 0;
		for (unsigned int w = 0; w < WORDS; w++)
			bad += pg[w] != pattern(filler, p, w, round);
		if (bad) {
			if (mismatches < 10)
				printf("memfill: %s: page %u: %u words wrong (word 0 is %08x, want %08x)\n",
				       who, p, bad, pg[0], pattern(filler, p, 0, round));
			mismatches++;
		}
	}
	return mismatches;
}

static void report(int filler, unsigned int npages, int rounds, unsigned long mismatches)
{
	struct zc_stats st;
	memset(&st, 0, sizeof st);
	zc_stats(ZC_STATS_SELF, &st);
	printf("memfill: filler %d pid %d pages %u rounds %d mismatches %lu swap_outs %llu "
	       "swap_ins %llu faults_minor %llu faults_major %llu cow_copies %llu\n", filler,
	       getpid(), npages, rounds, mismatches, st.swap_outs, st.swap_ins, st.faults_minor,
	       st.faults_major, st.cow_copies);
}

static unsigned int *map_pages(int filler, unsigned int npages)
{
	unsigned int *mem = mmap(NULL, (size_t)npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		printf("memfill: filler %d: mmap of %u pages failed: %s\n", filler, npages,
		       strerror(errno));
	return mem;
}

static int fill(int filler, unsigned int npages, int rounds, int quiet)
{
	unsigned int *mem = map_pages(filler, npages);
	unsigned long mismatches = 0;
	char who[32];

	if (mem == MAP_FAILED)
		return 2;
	for (int round = 0; round < rounds; round++) {
		write_all(mem, npages, filler, round);
		snprintf(who, sizeof who, "filler %d round %d", filler, round);
		mismatches += verify_all(mem, npages, filler, round, who);
		if (!quiet)
			printf("memfill: filler %d round %d done\n", filler, round);
	}
	report(filler, npages, rounds, mismatches);
	munmap(mem, (size_t)npages * PAGE_SIZE);
	return mismatches ? 1 : 0;
}

/* Copy-on-write under memory pressure: fill, fork, then parent and child
 * each check the inherited pages (many now in swap, their slots shared)
 * and overwrite them with their own pattern.  Returns the parent's result
 * combined with the child's. */
static int fill_fork(unsigned int npages, int extra_forks)
{
	unsigned int *mem = map_pages(0, npages);
	unsigned long bad;
	int status;

	if (mem == MAP_FAILED)
		return 2;
	write_all(mem, npages, 0, 0);
	/* Forks while memory is full: each copies thousands of mappings. */
	for (int i = 0; i < extra_forks; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		if (p < 0) {
			printf("memfill: extra fork %d failed: %s\n", i, strerror(errno));
			return 2;
		}
		waitpid(p, NULL, 0);
	}
	/* How many pages the fork itself pushed out: copy-on-write copies
	 * none, so it needs frames for page tables only; a fork that copies
	 * every resident page (the cow lab's stub) swaps thousands out.  The
	 * child waits on the pipe so that its own faults are not counted. */
	int go[2];
	struct zc_stats before, after;
	if (pipe(go) < 0)
		return 2;
	zc_stats(ZC_STATS_SYSTEM, &before);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(go[0], &c, 1);
	} else if (pid > 0) {
		zc_stats(ZC_STATS_SYSTEM, &after);
		printf("memfill: fork of %u pages swapped out %llu\n", npages, after.swap_outs - before.swap_outs);
		write(go[1], "g", 1);
	}
	if (pid < 0) {
		struct zc_info info;
		zc_info(&info);
		printf("memfill: fork failed: %s (%u pages free)\n", strerror(errno), info.free_pages);
		return 2;
	}
	int me = pid == 0 ? 1 : 0;
	bad = verify_all(mem, npages, 0, 0, me ? "child, inherited" : "parent, before writing");
	write_all(mem, npages, me, 1);
	bad += verify_all(mem, npages, me, 1, me ? "child, own data" : "parent, own data");
	report(me, npages, 2, bad);
	if (pid == 0)
		_exit(bad ? 1 : 0);
	int child_ok = waitpid(pid, &status, 0) == pid && status == 0;
	/* Our copy goes too, so the totals' swap_used shows what is left of
	 * both fillers' pages once they are gone (nothing, or a slot leaks). */
	munmap(mem, (size_t)npages * PAGE_SIZE);
	if (!child_ok) {
		printf("memfill: child failed: wait status %#x\n", status);
		return 1;
	}
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int percent = 400, procs = 1, rounds = 1, quiet = 0, forked = 0, extra_forks = 0, failed = 0;
	struct zc_info info;
	struct zc_stats st;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-x") && i + 1 < argc)
			percent = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-f"))
			forked = 1;
		else if (!strcmp(argv[i], "-F") && i + 1 < argc)
			forked = 1, extra_forks = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-q"))
			quiet = 1;
		else {
			printf("usage: memfill [-x PERCENT_OF_RAM] [-p PROCS] [-r ROUNDS] [-f | -F FORKS] [-q]\n");
			return 2;
		}
	}
	if (zc_info(&info) < 0) {
		printf("memfill: zc_info failed\n");
		return 2;
	}
	unsigned int npages = (unsigned int)((unsigned long long)info.total_pages * percent / 100);
	printf("memfill: %u pages of RAM (%u free), swap %u pages; %d filler(s) of %u pages "
	       "(%d%% of RAM) each, %d round(s)\n", info.total_pages, info.free_pages,
	       info.swap_total, procs, npages, percent, rounds);
	zc_stats_reset();
	if (forked) {
		failed = fill_fork(npages, extra_forks) != 0;
	} else if (procs <= 1) {
		failed = fill(0, npages, rounds, quiet) != 0;
	} else {
		for (int f = 0; f < procs; f++) {
			pid_t pid = fork();
			if (pid < 0) {
				printf("memfill: fork failed\n");
				return 2;
			}
			if (pid == 0)
				_exit(fill(f, npages, rounds, quiet));
		}
		for (int f = 0; f < procs; f++) {
			int status;
			pid_t pid = wait(&status);
			if (pid < 0) {
				failed = 1;
				break;
			}
			if (WIFSIGNALED(status)) {
				printf("memfill: pid %d killed by signal %d\n", pid, WTERMSIG(status));
				failed = 1;
			} else if (WEXITSTATUS(status) != 0) {
				printf("memfill: pid %d exited with %d\n", pid, WEXITSTATUS(status));
				failed = 1;
			}
		}
	}
	zc_stats(ZC_STATS_SYSTEM, &st);
	zc_info(&info);
	printf("memfill: total swap_outs %llu swap_ins %llu faults_minor %llu faults_major %llu "
	       "evictions %llu cow_copies %llu swap_used %u swap_writes %llu\n", st.swap_outs,
	       st.swap_ins, st.faults_minor, st.faults_major, st.evictions, st.cow_copies,
	       info.swap_used, st.swap_writes);
	printf("memfill: %s\n", failed ? "FAIL" : "PASS");
	return failed;
}
