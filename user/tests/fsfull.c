/*
 * fsfull - a full disk: write() says ENOSPC and the file system stays
 * consistent (the host runs e2fsck -fn on the image afterwards).
 *
 *     fsfull DIR inodes     instead: create files until no inode is left
 *     fsfull [DIR [keep|free [PAD]]]
 *                  default /full; keep: stop while the disk is full;
 *                  PAD: first write a file of PAD KiB
 *
 * Fills the disk with one file in 64 KiB writes until write() fails, then
 * checks: the error is ENOSPC, the file holds exactly what write()
 * reported, further writes and new directories fail the same way, a
 * small write into an already allocated block still works, and deleting
 * the file gives the space back.  Leaves DIR/after (written once space
 * was back) for the host to read.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stat.h>
#include <syscall.h>
#include <ztest.h>

static char buf[65536];

/* Out of inodes (a disk made with few): creating a file or a directory
 * says ENOSPC; deleting one file makes room for one more. */
static int no_inodes(const char *dir)
{
	char path[256];
	long r = 0;
	int made = 0, i;

	CHECK("inodes.mkdir", mkdir(dir, 0755) == 0);
	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof path, "%s/f%d", dir, i);
		r = usys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (r < 0)
			break;
		close((int)r);
		made++;
	}
	printf("# made %d files before %s\n", made, r < 0 ? errname((int)-r) : "-");
	check_err("inodes.enospc", r, -ENOSPC);
	CHECK("inodes.made_some", made > 0);
	check_err("inodes.failed_name_absent", usys_open(path, O_RDONLY, 0), -ENOENT);
	snprintf(path, sizeof path, "%s/d", dir);
	check_err("inodes.mkdir_enospc", usys_mkdir(path, 0755), -ENOSPC);
	snprintf(path, sizeof path, "%s/f0", dir);
	check_eq("inodes.unlink", usys_unlink(path), 0);
	snprintf(path, sizeof path, "%s/again", dir);
	r = usys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK("inodes.create_after_unlink", r >= 0);
	close((int)r);
	sync();
	return ztest_summary();
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/full";
	char fill[256], path[256], after[256];
	long long written = 0;
	long r = 0;
	struct stat st;
	int fd, i, files = 0;

	if (argc > 2 && strcmp(argv[2], "inodes") == 0)
		return no_inodes(dir);
	snprintf(fill, sizeof fill, "%s/fill", dir);
	snprintf(after, sizeof after, "%s/after", dir);
	CHECK("setup.mkdir", mkdir(dir, 0755) == 0);
	memset(buf, 'F', sizeof buf);
	if (argc > 3) {
		/* PAD KiB in another file first, so that on a 1 KiB-block disk the
		 * last free block can fall anywhere inside a page. */
		snprintf(path, sizeof path, "%s/pad", dir);
		fd = (int)usys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK("setup.pad", usys_write(fd, buf, (size_t)atoi(argv[3]) * 1024) == atoi(argv[3]) * 1024);
		close(fd);
	}
	fd = (int)usys_open(fill, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	for (;;) {
		r = usys_write(fd, buf, sizeof buf);
		if (r <= 0)
			break;
		written += r;
		if (r < (long)sizeof buf) {            /* a short write: the next one fails */
			r = usys_write(fd, buf, sizeof buf);
			break;
		}
	}
	printf("# wrote %lld bytes before %s\n", written, r < 0 ? errname((int)-r) : "0");
	check_err("full.enospc", r, -ENOSPC);
	CHECK("full.wrote_something", written > 0);
	check_err("full.again_enospc", usys_write(fd, buf, 4096), -ENOSPC);
	check_eq("full.size_matches_writes", (fstat(fd, &st), st.st_size), written);
	check_eq("full.fsync", usys_fsync(fd), 0);
	close(fd);

	/* The big file can stop one block short of full: its next block would
	 * also need an indirect block.  Small files (one direct block each)
	 * take what is left; then a 1-byte write and a new directory (which
	 * needs a block) both say ENOSPC, while an empty file (an inode and a
	 * directory entry only) can still be made. */
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof path, "%s/small%d", dir, i);
		fd = (int)usys_open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			break;
		files++;
		r = usys_write(fd, "x", 1);
		close(fd);
		if (r == -ENOSPC)
			break;
	}
	CHECK("full.empty_files_still_possible", files > 0);
	check_err("full.small_write_enospc", r, -ENOSPC);
	snprintf(path, sizeof path, "%s/subdir", dir);
	check_err("full.mkdir_enospc", usys_mkdir(path, 0755), -ENOSPC);

	/* Rewriting bytes inside the file's last block needs no new block. */
	fd = (int)usys_open(fill, O_WRONLY, 0);
	usys_lseek(fd, (long)(written - 10), SEEK_SET);
	check_eq("full.overwrite_in_place", usys_write(fd, "0123456789", 10), 10);
	close(fd);

	if (argc > 2 && strcmp(argv[2], "keep") == 0) {
		sync();                /* the host checks the full file system as it is */
		return ztest_summary();
	}

	/* Deleting gives the space back. */
	check_eq("full.unlink", usys_unlink(fill), 0);
	sync();
	fd = (int)usys_open(after, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check_eq("full.write_after_unlink", usys_write(fd, buf, sizeof buf), sizeof buf);
	close(fd);
	snprintf(path, sizeof path, "%s/subdir", dir);
	check_eq("full.mkdir_after_unlink", usys_mkdir(path, 0755), 0);
	sync();
	return ztest_summary();
}
