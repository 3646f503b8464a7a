/*
 * df - free space on the file system, from statfs(2) (99).
 *     df [PATH...]        default: /
 * Sizes in 1 KiB blocks, as GNU df prints them; "Avail" leaves out the
 * blocks ext2 reserves for root.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <stat.h>

static int df(const char *path)
{
	struct statfs st;

	if (statfs(path, &st) < 0) {
		fprintf(stderr, "df: %s: %s\n", path, strerror(errno));
		return 1;
	}
	unsigned long kib = st.f_bsize / 1024;
	unsigned long total = st.f_blocks * kib, avail = st.f_bavail * kib;
	unsigned long used = (st.f_blocks - st.f_bfree) * kib;
	unsigned long pct = used + avail ? (used * 100 + used + avail - 1) / (used + avail) : 0;
	printf("%-12s %10lu %10lu %10lu %4lu%% %9u %s\n",
	       st.f_type == EXT2_SUPER_MAGIC ? "ext2" : "?", total, used, avail, pct,
	       st.f_ffree, "/");            /* zc32 mounts one file system */
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	printf("%-12s %10s %10s %10s %5s %9s %s\n", "Filesystem", "1K-blocks", "Used", "Available",
	       "Use%", "IFree", "Mounted on");
	if (argc == 1)
		return df("/");
	for (int i = 1; i < argc; i++)
		status |= df(argv[i]);
	return status;
}
