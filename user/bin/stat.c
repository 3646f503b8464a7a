/*
 * stat - show a file's inode: what stat64(2) (Linux number 195) reports.
 *     stat PATH...
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <stat.h>

static const char *kind(unsigned mode)
{
	return S_ISREG(mode) ? "regular file" : S_ISDIR(mode) ? "directory" :
	       S_ISLNK(mode) ? "symbolic link" : S_ISCHR(mode) ? "character device" :
	       S_ISFIFO(mode) ? "fifo" : S_ISSOCK(mode) ? "socket" : "other";
}

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: stat PATH...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat64 st;

		if (stat64(argv[i], &st) < 0) {
			fprintf(stderr, "stat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		printf("  File: %s\n", argv[i]);
		printf("  Size: %lld  Blocks: %llu  IO Block: %lu  %s\n", st.st_size, st.st_blocks,
		       st.st_blksize, kind(st.st_mode));
		printf("Device: %llxh  Inode: %llu  Links: %u\n", st.st_dev, st.st_ino, st.st_nlink);
		printf("Access: (%04o)  Uid: %lu  Gid: %lu\n", st.st_mode & 07777, st.st_uid, st.st_gid);
		printf("Modify: %lu  Change: %lu  Access: %lu (seconds since 1970)\n",
		       st.st_mtime, st.st_ctime, st.st_atime);
	}
	return status;
}
