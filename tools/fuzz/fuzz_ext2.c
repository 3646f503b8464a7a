/*
 * fuzz_ext2.c - libFuzzer harness for the ext2 checks (kernel/fs/ext2/check.c).
 *
 * An input above 4 KiB is a disk.  Mounting: the superblock at byte
 * 1024 goes through ext2_check_super with the input as the whole disk;
 * if it is accepted, the group descriptors are read from the blocks
 * after it, as read_group_descs does (kernel/fs/ext2/super.c), and go
 * through ext2_groups_ok.  What an accepted filesystem must give
 * (ext2 layout: Poirier, "The Second Extended File System"):
 *   - a block size of 1, 2 or 4 KiB, the first data block 1 or 0 to
 *     match, and the filesystem inside the disk;
 *   - an inode size, a power of two from 128 to the block size;
 *   - enough groups for s_blocks_count, and inodes for s_inodes_count;
 *   - the descriptor table inside the filesystem;
 *   - each group's block bitmap, inode bitmap and inode table inside
 *     the filesystem and inside that group.
 * Directories: an input of 4 KiB or less is directory blocks instead,
 * walked at each block size (1, 2 and 4 KiB) entry by entry with
 * ext2_dirent_at, as kernel/fs/ext2/dir.c walks one: each entry it
 * returns lies inside the block with its name, and the walk ends.  The
 * block is a heap copy of exactly its size, so AddressSanitizer stops a
 * read past its end.
 */
#include "fuzz.h"
#include "fs/ext2/ext2.h"

#define SECTOR       512
#define DIR_MAX      4096          /* an input up to this size is a directory block, a larger one a disk */

static void walk_dir_block(const uint8_t *src, uint32_t bs)
{
	uint8_t *blk = fuzz_dup(src, bs);
	uint32_t steps = 0;
	for (uint32_t off = 0; off < bs; steps++) {
		struct ext2_dirent *d = ext2_dirent_at(bs, blk, off);
		if (!d)
			break;                       /* the kernel says -EIO */
		CHECK((uint8_t *)d == blk + off, "entry at %u returned elsewhere", off);
		CHECK(d->rec_len >= 8 && d->rec_len % 4 == 0 && off + d->rec_len <= bs,
		      "entry at %u: rec_len %u in a %u-byte block", off, d->rec_len, bs);
		CHECK(8u + d->name_len <= d->rec_len, "entry at %u: name of %u in a record of %u",
		      off, d->name_len, d->rec_len);
		CHECK(steps < bs / 8, "walk of a %u-byte block did not end", bs);
		off += d->rec_len;
	}
	fuzz_free(blk, bs);
}

/* [start, start + n) inside group g of fs, and inside the filesystem. */
static void check_in_group(const struct ext2_fs *fs, uint32_t g, uint32_t start, uint32_t n, const char *what)
{
	const struct ext2_super *s = &fs->sb;
	uint64_t first = s->s_first_data_block + (uint64_t)g * s->s_blocks_per_group;
	uint64_t end = first + s->s_blocks_per_group;
	if (end > s->s_blocks_count)
		end = s->s_blocks_count;
	CHECK(start >= first && (uint64_t)start + n <= end,
	      "group %u: %s at blocks %u+%u, the group is [%llu, %llu)", g, what, start, n,
	      (unsigned long long)first, (unsigned long long)end);
}

static void check_mount(const uint8_t *data, size_t size)
{
	struct ext2_fs fs;
	uint64_t disk = size / SECTOR * SECTOR;
	memset(&fs, 0, sizeof fs);
	memcpy(&fs.sb, data + 1024, sizeof fs.sb);
	if (ext2_check_super(&fs, disk))
		return;                          /* refused */
	const struct ext2_super *s = &fs.sb;
	CHECK(fs.bs == 1024u << s->s_log_block_size && fs.bs <= 4096, "block size %u", fs.bs);
	CHECK(s->s_first_data_block == (fs.bs == 1024), "first data block %u at %u-byte blocks",
	      s->s_first_data_block, fs.bs);
	CHECK(s->s_blocks_count > s->s_first_data_block && (uint64_t)s->s_blocks_count * fs.bs <= disk,
	      "%u blocks of %u on a disk of %llu bytes", s->s_blocks_count, fs.bs, (unsigned long long)disk);
	CHECK(fs.inode_size >= 128 && fs.inode_size <= fs.bs && !(fs.inode_size & (fs.inode_size - 1)),
	      "inode size %u", fs.inode_size);
	CHECK(s->s_blocks_per_group && s->s_inodes_per_group && s->s_inodes_per_group <= 8 * fs.bs,
	      "group geometry %u blocks, %u inodes", s->s_blocks_per_group, s->s_inodes_per_group);
	CHECK(fs.ngroups >= 1 && (uint64_t)fs.ngroups * s->s_blocks_per_group >= s->s_blocks_count - s->s_first_data_block,
	      "%u groups for %u blocks", fs.ngroups, s->s_blocks_count);
	CHECK((uint64_t)fs.ngroups * s->s_inodes_per_group >= s->s_inodes_count && s->s_inodes_count >= fs.first_ino,
	      "%u inodes in %u groups", s->s_inodes_count, fs.ngroups);

	/* The descriptor table, as read_group_descs reads it. */
	uint32_t per_block = fs.bs / sizeof(struct ext2_group_desc);
	uint32_t gd_blocks = (fs.ngroups + per_block - 1) / per_block;
	uint64_t table = s->s_first_data_block + 1;
	CHECK(table + gd_blocks <= s->s_blocks_count, "descriptor table at blocks %llu+%u, past the %u blocks",
	      (unsigned long long)table, gd_blocks, s->s_blocks_count);
	size_t bytes = (size_t)gd_blocks * fs.bs;
	if (table * fs.bs + bytes > size)
		return;                          /* cannot happen once the check above holds */
	fs.gd = (struct ext2_group_desc *)fuzz_dup(data + table * fs.bs, bytes);
	if (ext2_groups_ok(&fs)) {
		uint32_t itable = (s->s_inodes_per_group * fs.inode_size + fs.bs - 1) / fs.bs;
		for (uint32_t g = 0; g < fs.ngroups; g++) {
			check_in_group(&fs, g, fs.gd[g].bg_block_bitmap, 1, "block bitmap");
			check_in_group(&fs, g, fs.gd[g].bg_inode_bitmap, 1, "inode bitmap");
			check_in_group(&fs, g, fs.gd[g].bg_inode_table, itable, "inode table");
		}
	}
	fuzz_free((uint8_t *)fs.gd, bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > DIR_MAX) {
		check_mount(data, size);
		return 0;
	}
	for (uint32_t bs = 1024; bs <= 4096; bs *= 2)
		for (size_t off = 0; off + bs <= size; off += bs)
			walk_dir_block(data + off, bs);
	return 0;
}
