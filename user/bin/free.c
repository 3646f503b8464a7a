/*
 * free - how the machine's memory is used, in KiB, from zc_info (1003):
 * frames in use and free, the page cache, the pager's reserve, and swap.
 */
#include <stdio.h>
#include <zc.h>

#define KIB_PER_PAGE 4

int main(void)
{
	struct zc_info in;

	if (zc_info(&in) != 0) {
		fprintf(stderr, "free: zc_info failed\n");
		return 1;
	}
	unsigned int used = in.total_pages - in.free_pages;
	printf("%-6s %10s %10s %10s %10s %10s\n", "", "total", "used", "free", "cache", "reserve");
	printf("%-6s %10u %10u %10u %10u %10u\n", "Mem:", in.total_pages * KIB_PER_PAGE,
	       used * KIB_PER_PAGE, in.free_pages * KIB_PER_PAGE,
	       in.cached_pages * KIB_PER_PAGE, in.reserve_pages * KIB_PER_PAGE);
	printf("%-6s %10u %10u %10u\n", "Swap:", in.swap_total * KIB_PER_PAGE,
	       in.swap_used * KIB_PER_PAGE, (in.swap_total - in.swap_used) * KIB_PER_PAGE);
	return 0;
}
