/*
 * check.c - what mounting and directory reads check in ext2's on-disk
 * structures before trusting them: pure functions of the bytes read, so
 * tools/fuzz/fuzz_ext2.c runs this same code on the host.
 */
#include "fs/ext2/ext2.h"

/* The superblock (at byte 1024) of a filesystem zc32 can mount on a
 * disk of disk_bytes; fills in fs's geometry from it.  NULL if so, else
 * why not.  Everything later code relies on: magic, block size, group
 * geometry, features. */
const char *ext2_check_super(struct ext2_fs *fs, uint64_t disk_bytes)
{
	struct ext2_super *s = &fs->sb;
	if (s->s_magic != EXT2_MAGIC)
		return "bad magic";
	if (s->s_log_block_size > 2)
		return "block size above 4 KiB";
	fs->bs = 1024 << s->s_log_block_size;
	if (s->s_rev_level > 1)
		return "unknown revision";
	if (s->s_rev_level == 1) {
		if (s->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE)
			return "filesystem needs features zc32 lacks (incompat)";
		if (s->s_feature_ro_compat & ~(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE))
			return "filesystem needs features zc32 lacks (ro_compat)";
		fs->inode_size = s->s_inode_size;
		fs->first_ino = s->s_first_ino;
		fs->filetype = s->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	} else {
		fs->inode_size = 128;
		fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	}
	if (fs->inode_size < 128 || fs->inode_size > fs->bs || (fs->inode_size & (fs->inode_size - 1)))
		return "bad inode size";
	if (s->s_blocks_per_group == 0 || s->s_blocks_per_group > 8 * fs->bs ||
	    s->s_inodes_per_group == 0 || s->s_inodes_per_group > 8 * fs->bs)
		return "bad group geometry";
	if (s->s_first_data_block != (fs->bs == 1024 ? 1u : 0u) || s->s_blocks_count <= s->s_first_data_block)
		return "bad first data block";
	if ((uint64_t)s->s_blocks_count * fs->bs > disk_bytes)
		return "filesystem larger than the disk";
	fs->ngroups = (s->s_blocks_count - s->s_first_data_block + s->s_blocks_per_group - 1) / s->s_blocks_per_group;
	/* The descriptor table, in the blocks after the superblock's, must be
	 * in the filesystem too (a 1-block one put it outside). */
	uint32_t per_block = fs->bs / sizeof(struct ext2_group_desc);
	if (s->s_first_data_block + 1 + ((uint64_t)fs->ngroups + per_block - 1) / per_block > s->s_blocks_count)
		return "group descriptors past the end of the filesystem";
	if ((uint64_t)fs->ngroups * s->s_inodes_per_group < s->s_inodes_count || s->s_inodes_count < fs->first_ino)
		return "bad inode count";
	return NULL;
}

/* Do blocks [start, start + n) lie in group g?  A group's bitmaps and
 * inode table must (Linux: ext2_check_descriptors), or the allocator
 * would write over another group's metadata, or outside the disk. */
static bool in_group(const struct ext2_fs *fs, uint32_t g, uint32_t start, uint32_t n)
{
	uint32_t first = fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group;
	uint32_t last = g == fs->ngroups - 1 ? fs->sb.s_blocks_count - 1
					      : first + fs->sb.s_blocks_per_group - 1;
	return start >= first && start <= last && n - 1 <= last - start;
}

/* Every group descriptor in fs->gd keeps its bitmaps and inode table
 * inside its own group. */
bool ext2_groups_ok(const struct ext2_fs *fs)
{
	uint32_t itable_blocks = (fs->sb.s_inodes_per_group * fs->inode_size + fs->bs - 1) / fs->bs;
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		const struct ext2_group_desc *d = &fs->gd[g];
		if (!in_group(fs, g, d->bg_block_bitmap, 1) || !in_group(fs, g, d->bg_inode_bitmap, 1) ||
		    !in_group(fs, g, d->bg_inode_table, itable_blocks))
			return false;
	}
	return true;
}

/* The directory entry at byte off of a block of bs bytes, or NULL if it
 * is corrupt: a record of at least 8 bytes, a multiple of 4, inside the
 * block, with room for its name.  off + 8 first: after a record that
 * ends 4 bytes short of the block, rec_len would lie past its end. */
struct ext2_dirent *ext2_dirent_at(uint32_t bs, uint8_t *block, uint32_t off)
{
	struct ext2_dirent *d = (struct ext2_dirent *)(block + off);
	if (off + 8 <= bs && d->rec_len >= 8 && (d->rec_len & 3) == 0 && off + d->rec_len <= bs &&
	    8u + d->name_len <= d->rec_len)
		return d;
	return NULL;
}
