/*
 * forklow - fork when memory is nearly full: the pager's reserve (docs/replacement.md).
 *
 *     forklow            (boot without swap, so anonymous pages stay put)
 *
 * The kernel keeps the last zc_info.reserve_pages free frames for itself
 * and the pager.  This program fills anonymous memory until the free
 * frames are down to the reserve plus a little, then forks.  Copying the
 * address space needs kernel memory (a page table per 4 MiB, a reverse-map
 * entry per page): the fork may succeed if the kernel can make room, or
 * fail with ENOMEM, but it must not take the reserve, not even for the
 * time the child lives (the reverse-map entries' heap pages are never
 * handed back).  Then the parent checks its own data.  Output: the ztest
 * protocol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#include <mman.h>
#include <zc.h>
#include <ztest.h>

#define MARGIN 32                  /* free frames above the reserve when we fork */

int main(void)
{
	struct zc_info info;
	zc_info(&info);
	unsigned int max = info.total_pages;
	unsigned int *mem = mmap(NULL, (size_t)max * PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("forklow.mmap", mem != MAP_FAILED);
	if (mem == MAP_FAILED)
		return ztest_summary();
	printf("forklow: %u pages of RAM, %u free, reserve %u, swap %u\n", info.total_pages,
	       info.free_pages, info.reserve_pages, info.swap_total);
	unsigned int n = 0;
	for (; n < max; n++) {
		if (n % 16 == 0) {
			zc_info(&info);
			if (info.free_pages <= info.reserve_pages + MARGIN)
				break;
		}
		mem[n * (PAGE_SIZE / 4)] = n ^ 0x5a5a5a5a;
	}
	struct zc_info before, after;
	zc_info(&before);
	printf("forklow: filled %u pages, %u free\n", n, before.free_pages);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int err = pid < 0 ? errno : 0, st = -1;
	if (pid > 0)
		waitpid(pid, &st, 0);
	zc_info(&after);
	printf("forklow: fork %s; %u pages free after (reserve %u)\n",
	       pid > 0 ? "succeeded" : strerror(err), after.free_pages, after.reserve_pages);
	CHECK("forklow.fork_ok_or_enomem", (pid > 0 && st == 0) || (pid < 0 && err == ENOMEM));
	CHECK("forklow.reserve_intact", after.free_pages >= after.reserve_pages);
	unsigned int bad = 0;
	for (unsigned int p = 0; p < n; p++)
		bad += mem[p * (PAGE_SIZE / 4)] != (p ^ 0x5a5a5a5a);
	check_eq("forklow.data_intact", bad, 0);
	return ztest_summary();
}
