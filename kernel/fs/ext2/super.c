/*
 * super.c - mounting an ext2 filesystem and writing its superblock and
 * group descriptors back.  Mounting checks everything later code relies
 * on (check.c: magic, block size, geometry, table locations, features), so
 * a corrupt or foreign disk is refused with a message instead of
 * crashing the kernel later.
 */
#include "kernel.h"
#include "x86.h"
#include "fs/ext2/ext2.h"
#include "fs/bcache.h"
#include "uapi/statfs.h"
#include "block/block.h"
#include "mm/kheap.h"
#include "proc/proc.h"
#include "proc/sched.h"

/*
 * The filesystem lock: recursive, so an operation may call another.  Its
 * holder may wait for the disk many times over (a truncate reads back
 * every indirect block), so a waiter may wait for seconds on a slow disk.
 * killable: a fatal signal (SIGKILL) ends the wait with -EINTR, as
 * Linux's mutex_lock_killable does, for callers that have changed
 * nothing yet and can fail; the holder taking it again never waits.
 */
static int lock(struct ext2_fs *fs, bool killable)
{
	uint32_t f = irq_save();
	while (fs->locked && fs->lock_owner != current) {
		if (killable && current_killed()) {
			irq_restore(f);
			return -EINTR;
		}
		sleep_on(fs);
	}
	fs->locked = true;
	fs->lock_owner = current;
	fs->lock_depth++;
	irq_restore(f);
	return 0;
}

void ext2_lock(struct ext2_fs *fs) { lock(fs, false); }
int ext2_lock_killable(struct ext2_fs *fs) { return lock(fs, true); }

void ext2_unlock(struct ext2_fs *fs)
{
	if (--fs->lock_depth == 0) {
		fs->locked = false;
		fs->lock_owner = NULL;
		wakeup(fs);
	}
}

static int refuse(const char *why)
{
	printk("ext2: refusing to mount: %s\n", why);
	return -EINVAL;
}

static int read_group_descs(struct ext2_fs *fs)
{
	uint32_t per_block = fs->bs / sizeof(struct ext2_group_desc);
	fs->gd_blocks = (fs->ngroups + per_block - 1) / per_block;
	fs->gd = kmalloc(fs->gd_blocks * fs->bs);
	if (!fs->gd)
		return -ENOMEM;
	for (uint32_t i = 0; i < fs->gd_blocks; i++) {
		struct buf *b = bread(fs->bd, fs->sb.s_first_data_block + 1 + i, fs->bs);
		if (!b)
			return -EIO;
		memcpy((uint8_t *)fs->gd + i * fs->bs, b->data, fs->bs);
		brelse(b);
	}
	return ext2_groups_ok(fs) ? 0 : refuse("group descriptor points outside the filesystem");
}

/* Write the superblock and group descriptors if they changed. */
static int write_super(struct ext2_fs *fs)
{
	if (!fs->dirty)
		return 0;
	for (uint32_t i = 0; i < fs->gd_blocks; i++) {
		struct buf *b = bread(fs->bd, fs->sb.s_first_data_block + 1 + i, fs->bs);
		if (!b)
			return -EIO;
		memcpy(b->data, (uint8_t *)fs->gd + i * fs->bs, fs->bs);
		bdirty(b);
		brelse(b);
	}
	fs->sb.s_wtime = vfs_now();
	/* The superblock is bytes 1024-2047 of the disk whatever the block
	 * size: write those two sectors directly. */
	int r = blk_rw(fs->bd, BIO_WRITE, EXT2_SUPER_OFFSET / SECTOR_SIZE, &fs->sb, sizeof fs->sb, "bcache->disk");
	if (r == 0)
		fs->dirty = false;
	return r;
}

/* Push everything to the disk: metadata buffers, superblock, and a cache
 * flush so the data is on stable storage.  Only the superblock and group
 * descriptors need the filesystem lock (a consistent copy of them); each
 * buffer has its own lock, so bsync runs without it.  Under it, bsync's
 * one-at-a-time writes of every dirty buffer (a file's hundreds of new
 * indirect blocks) kept every other ext2 caller waiting for seconds on a
 * slow disk. */
int ext2_sync(struct ext2_fs *fs)
{
	ext2_lock(fs);
	int r = write_super(fs);
	ext2_unlock(fs);
	int r2 = bsync(fs->bd);
	/* The disk may hold the writes in a volatile cache (QEMU's
	 * cache=writeback does): only after the flush are they durable. */
	struct bio flush = { .bdev = fs->bd, .op = BIO_FLUSH, .what = "flush" };
	blk_submit(&flush);
	int r3 = blk_wait(&flush);
	return r < 0 ? r : r2 < 0 ? r2 : r3;
}

bool ext2_probe(const void *disk_start)
{
	const struct ext2_super *s = (const void *)((const uint8_t *)disk_start + EXT2_SUPER_OFFSET);
	return s->s_magic == EXT2_MAGIC;
}

#define EXT2_NAME_LEN 255   /* a directory entry's name_len is one byte */

/* statfs(2): the counts the superblock keeps up to date in memory. */
void ext2_statfs(struct ext2_fs *fs, struct statfs *st)
{
	uint32_t reserved = fs->sb.s_r_blocks_count, free = fs->sb.s_free_blocks_count;
	st->f_type = EXT2_SUPER_MAGIC;
	st->f_bsize = st->f_frsize = fs->bs;
	st->f_blocks = fs->sb.s_blocks_count - fs->sb.s_first_data_block;
	st->f_bfree = free;
	st->f_bavail = free > reserved ? free - reserved : 0;
	st->f_files = fs->sb.s_inodes_count;
	st->f_ffree = fs->sb.s_free_inodes_count;
	st->f_namelen = EXT2_NAME_LEN;
}

int ext2_mount(struct block_device *bd, struct inode **root)
{
	struct ext2_fs *fs = kzalloc(sizeof *fs);
	if (!fs)
		return -ENOMEM;
	fs->bd = bd;
	fs->readonly = bd->readonly;
	list_init(&fs->inodes);
	int r = blk_rw(bd, BIO_READ, EXT2_SUPER_OFFSET / SECTOR_SIZE, &fs->sb, sizeof fs->sb, "disk->kernel");
	const char *why = r == 0 ? ext2_check_super(fs, bd->sectors * SECTOR_SIZE) : NULL;
	if (why)
		r = refuse(why);
	if (r == 0)
		r = read_group_descs(fs);
	if (r == 0)
		r = ext2_iget(fs, EXT2_ROOT_INO, root);
	if (r == 0 && !S_ISDIR((*root)->mode))
		r = refuse("root inode is not a directory");
	if (r < 0) {
		kfree(fs->gd);
		kfree(fs);
		return r;
	}
	printk("ext2: %s mounted: %u KiB blocks, %u groups, %u/%u blocks free, %u/%u inodes free%s\n",
	       bd->name, fs->bs / 1024, fs->ngroups, fs->sb.s_free_blocks_count, fs->sb.s_blocks_count,
	       fs->sb.s_free_inodes_count, fs->sb.s_inodes_count, fs->readonly ? ", read-only" : "");
	return 0;
}
