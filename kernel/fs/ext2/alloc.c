/*
 * alloc.c - allocating and freeing blocks and inodes with the bitmaps.
 * Each group's block bitmap has one bit per block of the group, its
 * inode bitmap one bit per inode.  The free counts in the group
 * descriptor and the superblock move with every bit, so e2fsck finds
 * them consistent.
 */
#include "kernel.h"
#include "fs/ext2/ext2.h"
#include "fs/bcache.h"

static int find_zero_bit(const uint8_t *map, uint32_t nbits, uint32_t start)
{
	for (uint32_t i = 0; i < nbits; i++) {
		uint32_t b = (start + i) % nbits;
		if (map[b / 8] == 0xff) {
			i += 7 - b % 8;          /* skip the rest of a full byte */
			continue;
		}
		if (!(map[b / 8] & (1 << (b % 8))))
			return b;
	}
	return -1;
}

/* A free block, preferably at or after goal (so a file's blocks stay together). */
int ext2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *out)
{
	uint32_t bpg = fs->sb.s_blocks_per_group, first = fs->sb.s_first_data_block;
	if (goal < first || goal >= fs->sb.s_blocks_count)
		goal = first;
	uint32_t g0 = (goal - first) / bpg;
	for (uint32_t k = 0; k <= fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups;
		if (fs->gd[g].bg_free_blocks_count == 0)
			continue;
		uint32_t nbits = MIN(bpg, fs->sb.s_blocks_count - first - g * bpg);
		struct buf *b = bread(fs->bd, fs->gd[g].bg_block_bitmap, fs->bs);
		if (!b)
			return -EIO;
		int bit = find_zero_bit(b->data, nbits, g == g0 && k == 0 ? (goal - first) % bpg : 0);
		if (bit < 0) {
			brelse(b);
			continue;
		}
		b->data[bit / 8] |= 1 << (bit % 8);
		bdirty(b);
		brelse(b);
		fs->gd[g].bg_free_blocks_count--;
		fs->sb.s_free_blocks_count--;
		fs->dirty = true;
		*out = first + g * bpg + bit;
		return 0;
	}
	return -ENOSPC;
}

void ext2_free_block(struct ext2_fs *fs, uint32_t block)
{
	uint32_t bpg = fs->sb.s_blocks_per_group, first = fs->sb.s_first_data_block;
	if (block < first || block >= fs->sb.s_blocks_count) {
		printk("ext2: freeing block %u outside the filesystem (corrupt inode?)\n", block);
		return;
	}
	uint32_t g = (block - first) / bpg, bit = (block - first) % bpg;
	struct buf *b = bread(fs->bd, fs->gd[g].bg_block_bitmap, fs->bs);
	if (!b)
		return;
	if (b->data[bit / 8] & (1 << (bit % 8))) {
		b->data[bit / 8] &= ~(1 << (bit % 8));
		bdirty(b);
		fs->gd[g].bg_free_blocks_count++;
		fs->sb.s_free_blocks_count++;
		fs->dirty = true;
	} else {
		printk("ext2: block %u was already free\n", block);
	}
	brelse(b);
	bforget(fs->bd, block);
}

/* A free inode: directories go to the group with the most free inodes
 * (spreading them out), files to their parent's group. */
int ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, bool dir, uint32_t *out)
{
	uint32_t ipg = fs->sb.s_inodes_per_group;
	uint32_t g0 = (parent - 1) / ipg;
	if (dir) {
		for (uint32_t g = 0; g < fs->ngroups; g++)
			if (fs->gd[g].bg_free_inodes_count > fs->gd[g0].bg_free_inodes_count)
				g0 = g;
	}
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups;
		if (fs->gd[g].bg_free_inodes_count == 0)
			continue;
		struct buf *b = bread(fs->bd, fs->gd[g].bg_inode_bitmap, fs->bs);
		if (!b)
			return -EIO;
		uint32_t start = g == 0 ? fs->first_ino - 1 : 0;
		int bit = -1;
		for (uint32_t i = start; i < ipg; i++)
			if (!(b->data[i / 8] & (1 << (i % 8)))) {
				bit = i;
				break;
			}
		if (bit < 0 || g * ipg + bit + 1 > fs->sb.s_inodes_count) {
			brelse(b);
			continue;
		}
		b->data[bit / 8] |= 1 << (bit % 8);
		bdirty(b);
		brelse(b);
		fs->gd[g].bg_free_inodes_count--;
		if (dir)
			fs->gd[g].bg_used_dirs_count++;
		fs->sb.s_free_inodes_count--;
		fs->dirty = true;
		*out = g * ipg + bit + 1;
		return 0;
	}
	return -ENOSPC;
}

void ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	uint32_t ipg = fs->sb.s_inodes_per_group, g = (ino - 1) / ipg, bit = (ino - 1) % ipg;
	struct buf *b = bread(fs->bd, fs->gd[g].bg_inode_bitmap, fs->bs);
	if (!b)
		return;
	if (b->data[bit / 8] & (1 << (bit % 8))) {
		b->data[bit / 8] &= ~(1 << (bit % 8));
		bdirty(b);
		fs->gd[g].bg_free_inodes_count++;
		if (dir)
			fs->gd[g].bg_used_dirs_count--;
		fs->sb.s_free_inodes_count++;
		fs->dirty = true;
	}
	brelse(b);
}
