/*
 * inode.c - ext2 inodes in memory, and the map from a file's block
 * numbers to disk blocks (bmap) through direct and indirect blocks.
 *
 * Inodes are cached in fs->inodes while the filesystem is mounted.  An
 * inode whose link count and reference count both reach zero is deleted:
 * its blocks are freed, its bitmap bit cleared and its dtime set.
 */
#include "kernel.h"
#include "fs/ext2/ext2.h"
#include "fs/bcache.h"
#include "mm/pagecache.h"
#include "mm/kheap.h"

static int inode_location(struct ext2_fs *fs, uint32_t ino, uint32_t *block, uint32_t *off)
{
	if (ino < 1 || ino > fs->sb.s_inodes_count)
		return -EIO;
	uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group;
	uint32_t index = (ino - 1) % fs->sb.s_inodes_per_group;
	*block = fs->gd[g].bg_inode_table + index * fs->inode_size / fs->bs;
	*off = index * fs->inode_size % fs->bs;
	return 0;
}

static const struct address_space_ops ext2_aops;

static void to_vfs(struct ext2_inode *ei)
{
	struct inode *v = &ei->vfs;
	v->mode = ei->d.i_mode;
	v->data.size = ei->d.i_size;
	v->nlink = ei->d.i_links_count;
	v->uid = ei->d.i_uid;
	v->gid = ei->d.i_gid;
	v->atime = ei->d.i_atime;
	v->mtime = ei->d.i_mtime;
	v->ctime = ei->d.i_ctime;
	v->blocks = ei->d.i_blocks;
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct inode **out)
{
	list_for_each(it, &fs->inodes) {
		struct ext2_inode *ei = list_entry(it, struct ext2_inode, link);
		if (ei->vfs.ino == ino) {
			inode_get(&ei->vfs);
			*out = &ei->vfs;
			return 0;
		}
	}
	uint32_t block, off;
	if (inode_location(fs, ino, &block, &off) < 0)
		return -EIO;
	struct ext2_inode *ei = kzalloc(sizeof *ei);
	if (!ei)
		return -ENOMEM;
	struct buf *b = bread(fs->bd, block, fs->bs);
	if (!b) {
		kfree(ei);
		return -EIO;
	}
	memcpy(&ei->d, b->data + off, sizeof ei->d);
	brelse(b);
	if (ei->d.i_links_count == 0 || (ei->d.i_mode & S_IFMT) == 0) {
		printk("ext2: directory entry points to unused inode %u\n", ino);
		kfree(ei);
		return -EIO;
	}
	inode_init(&ei->vfs);
	ei->vfs.ino = ino;
	ei->vfs.ops = fs->readonly ? &ext2_ro_inode_ops : &ext2_inode_ops;
	ei->vfs.data.ops = &ext2_aops;
	ei->vfs.data.bdev = fs->bd;
	ei->vfs.data.block_size = fs->bs;
	ei->vfs.fs = fs;
	ei->vfs.dev = 0x0800;
	to_vfs(ei);
	/* Files past 2 GiB are beyond zc32's 32-bit offsets. */
	if (S_ISREG(ei->vfs.mode) && ei->d.i_size_high)
		ei->vfs.data.size = 0x7fffffff;
	list_push_back(&fs->inodes, &ei->link);
	*out = &ei->vfs;
	return 0;
}

/* Copy the in-memory inode into its inode-table block (written on sync). */
int ext2_write_inode(struct inode *ino)
{
	struct ext2_fs *fs = ino->fs;
	struct ext2_inode *ei = EXT2_I(ino);
	uint32_t block, off;
	ei->d.i_mode = ino->mode;
	ei->d.i_size = ino->data.size;
	ei->d.i_links_count = ino->nlink;
	ei->d.i_uid = ino->uid;
	ei->d.i_gid = ino->gid;
	ei->d.i_atime = ino->atime;
	ei->d.i_mtime = ino->mtime;
	ei->d.i_ctime = ino->ctime;
	ei->d.i_blocks = ino->blocks;
	ei->d.i_flags &= ~EXT2_INDEX_FL;        /* we keep directories linear */
	if (inode_location(fs, ino->ino, &block, &off) < 0)
		return -EIO;
	ext2_lock(fs);
	struct buf *b = bread(fs->bd, block, fs->bs);
	if (b) {
		memcpy(b->data + off, &ei->d, sizeof ei->d);
		bdirty(b);
		brelse(b);
	}
	ext2_unlock(fs);
	return b ? 0 : -EIO;
}

/* A new block for the inode, near its last one so files stay contiguous.
 * Indirect blocks (zero) start out zeroed. */
static int new_block(struct inode *ino, uint32_t *out, bool zero)
{
	struct ext2_fs *fs = ino->fs;
	struct ext2_inode *ei = EXT2_I(ino);
	uint32_t goal = ei->alloc_hint ? ei->alloc_hint + 1 :
		fs->gd[(ino->ino - 1) / fs->sb.s_inodes_per_group].bg_inode_table;
	int r = ext2_alloc_block(fs, goal, out);
	if (r < 0)
		return r;
	ei->alloc_hint = *out;
	ino->blocks += fs->bs / 512;
	if (zero) {
		struct buf *b = bget_zeroed(fs->bd, *out, fs->bs);
		if (!b) {
			/* The caller will not link it: give it back. */
			ext2_free_block(fs, *out);
			ino->blocks -= fs->bs / 512;
			return -EIO;
		}
		brelse(b);
	}
	return 0;
}

/* Entry index of indirect block `block`; with create, fill a hole with a
 * new block (zeroed if it is itself an indirect block). */
static int walk_indirect(struct inode *ino, uint32_t block, uint32_t index, bool create,
			 bool zero, uint32_t *out, bool *allocated)
{
	struct ext2_fs *fs = ino->fs;
	if (block >= fs->sb.s_blocks_count)
		return -EIO;
	struct buf *b = bread(fs->bd, block, fs->bs);
	if (!b)
		return -EIO;
	uint32_t *entries = (uint32_t *)b->data;
	uint32_t v = entries[index];
	if (!v && create) {
		int r = new_block(ino, &v, zero);
		if (r < 0) {
			brelse(b);
			return r;
		}
		entries[index] = v;
		bdirty(b);
		*allocated = true;
	}
	brelse(b);
	*out = v;
	return 0;
}

/* Where is file block lblock?  *pblock = 0 for a hole (without create). */
int ext2_bmap(struct inode *ino, uint32_t lblock, bool create, uint32_t *pblock)
{
	struct ext2_fs *fs = ino->fs;
	struct ext2_inode *ei = EXT2_I(ino);
	uint32_t ppb = fs->bs / 4;
	uint32_t path[4], depth;
	/* The slots that lead to the block: i_block[path[0]], then one entry
	 * per level of indirect blocks. */
	if (lblock < EXT2_NDIR_BLOCKS) {
		path[0] = lblock;
		depth = 0;
	} else if ((lblock -= EXT2_NDIR_BLOCKS) < ppb) {
		path[0] = EXT2_IND_BLOCK;
		path[1] = lblock;
		depth = 1;
	} else if ((lblock -= ppb) < ppb * ppb) {
		path[0] = EXT2_DIND_BLOCK;
		path[1] = lblock / ppb;
		path[2] = lblock % ppb;
		depth = 2;
	} else {
		lblock -= ppb * ppb;
		if (lblock / (ppb * ppb) >= ppb)
			return -EFBIG;
		path[0] = EXT2_TIND_BLOCK;
		path[1] = lblock / (ppb * ppb);
		path[2] = lblock / ppb % ppb;
		path[3] = lblock % ppb;
		depth = 3;
	}
	int r = ext2_lock_killable(fs);     /* a dying reader, writer or fault gives up */
	if (r < 0)
		return r;
	bool allocated = false;
	uint32_t v = ei->d.i_block[path[0]];
	if (!v && create) {
		if ((r = new_block(ino, &v, depth > 0)) < 0)
			goto out;
		ei->d.i_block[path[0]] = v;
		allocated = true;
	}
	for (uint32_t level = 1; level <= depth && v; level++)
		if ((r = walk_indirect(ino, v, path[level], create, level < depth, &v, &allocated)) < 0)
			goto out;
	if (v >= fs->sb.s_blocks_count) {
		printk("ext2: inode %u maps to block %u outside the filesystem\n", ino->ino, v);
		r = -EIO;
		goto out;
	}
	*pblock = v;
	if (allocated)
		ext2_write_inode(ino);
out:
	ext2_unlock(fs);
	return r;
}

/* Free the blocks of one subtree that lie at or past file block keep.
 * depth 0: *slot is a data block; depth n: an indirect block whose
 * entries are subtrees of depth n-1.  base: first file block it covers. */
static void trunc_tree(struct inode *ino, uint32_t *slot, int depth, uint64_t base, uint32_t keep)
{
	struct ext2_fs *fs = ino->fs;
	uint32_t ppb = fs->bs / 4;
	if (!*slot)
		return;
	if (depth > 0) {
		uint64_t span = 1;
		for (int i = 1; i < depth; i++)
			span *= ppb;
		struct buf *b = bread(fs->bd, *slot, fs->bs);
		if (!b)
			return;
		uint32_t *e = (uint32_t *)b->data;
		for (uint32_t i = 0; i < ppb; i++) {
			if (base + (i + 1) * span <= keep)
				continue;
			if (e[i]) {
				trunc_tree(ino, &e[i], depth - 1, base + i * span, keep);
				bdirty(b);
			}
		}
		brelse(b);
	}
	if (base >= keep) {
		ext2_free_block(fs, *slot);
		ino->blocks -= fs->bs / 512;
		*slot = 0;
	}
}

/* Free the blocks past size (for truncate and delete). */
int ext2_truncate_blocks(struct inode *ino, uint32_t size)
{
	struct ext2_fs *fs = ino->fs;
	struct ext2_inode *ei = EXT2_I(ino);
	uint32_t ppb = fs->bs / 4;
	uint32_t keep = (size + fs->bs - 1) / fs->bs;
	if (S_ISLNK(ino->mode) && ino->blocks == 0)
		return 0;                        /* fast symlink: the target is in i_block */
	ext2_lock(fs);
	uint32_t *blk = (uint32_t *)((uint8_t *)&ei->d + offsetof(struct ext2_disk_inode, i_block));   /* 4-byte aligned */
	for (uint32_t i = 0; i < EXT2_NDIR_BLOCKS; i++)
		trunc_tree(ino, &blk[i], 0, i, keep);
	trunc_tree(ino, &blk[EXT2_IND_BLOCK], 1, EXT2_NDIR_BLOCKS, keep);
	trunc_tree(ino, &blk[EXT2_DIND_BLOCK], 2, EXT2_NDIR_BLOCKS + ppb, keep);
	trunc_tree(ino, &blk[EXT2_TIND_BLOCK], 3, EXT2_NDIR_BLOCKS + ppb + (uint64_t)ppb * ppb, keep);
	ext2_unlock(fs);
	return 0;
}

static int ext2_truncate(struct inode *ino, uint32_t size)
{
	if (size > ino->data.size) {
		pagecache_extend(&ino->data, ino->data.size);
		ino->data.size = size;           /* growing: the new part is a hole */
	} else {
		/* The new end first: pagecache_truncate may sleep, and a fault
		 * or a read meanwhile must not bring the cut pages back. */
		ino->data.size = size;
		pagecache_truncate(&ino->data, size);
		ext2_truncate_blocks(ino, size);
	}
	ino->mtime = ino->ctime = vfs_now();
	return ext2_write_inode(ino);
}

/* Free a file's blocks and its inode: no name is left.  With free_mem
 * the in-memory inode goes too (no user is left either). */
static void delete_inode(struct inode *ino, bool free_mem)
{
	struct ext2_fs *fs = ino->fs;
	struct ext2_inode *ei = EXT2_I(ino);
	ext2_lock(fs);
	ino->data.size = 0;
	pagecache_truncate(&ino->data, 0);
	ext2_truncate_blocks(ino, 0);
	ei->d.i_dtime = vfs_now();
	ext2_write_inode(ino);
	ext2_free_inode(fs, ino->ino, S_ISDIR(ino->mode));
	list_remove(&ei->link);
	ext2_unlock(fs);
	if (free_mem)
		kfree(ei);
}

/* The last reference is gone.  If no directory names it either, delete it. */
static void ext2_release(struct inode *ino)
{
	/* A set dtime: ext2_delete_orphans() deleted it already. */
	if (ino->nlink == 0 && !EXT2_I(ino)->d.i_dtime)
		delete_inode(ino, true);         /* else it stays cached */
}

/* At power-off: files unlinked while still open would otherwise stay on
 * the disk with no name and no dtime (ext2 has no orphan list), which
 * e2fsck reports.  Delete them now.  Their open files still point at the
 * in-memory inodes, so those stay allocated (the machine is going down). */
void ext2_delete_orphans(struct ext2_fs *fs)
{
	for (bool again = true; again;) {
		again = false;
		list_for_each(it, &fs->inodes) {
			struct ext2_inode *ei = list_entry(it, struct ext2_inode, link);
			if (ei->vfs.nlink == 0) {
				delete_inode(&ei->vfs, false);   /* off the list: start over */
				again = true;
				break;
			}
		}
	}
}

static ssize_t ext2_read_kernel(struct inode *ino, void *kbuf, uint32_t off, size_t n)
{
	return pagecache_read(&ino->data, off, kbuf, n, false);
}

/* A symbolic link's target: a "fast" link (no data block) keeps it in
 * i_block itself, a longer one in its data, read like a file's. */
static ssize_t ext2_readlink(struct inode *ino, char *kbuf, size_t n)
{
	size_t len = MIN(ino->data.size, n);
	if (ino->blocks == 0) {
		struct ext2_inode *ei = EXT2_I(ino);
		len = MIN(len, sizeof ei->d.i_block);
		memcpy(kbuf, (uint8_t *)&ei->d + offsetof(struct ext2_disk_inode, i_block), len);
		return len;
	}
	return ext2_read_kernel(ino, kbuf, 0, len);
}

static ssize_t dir_read(struct file *f, char *ubuf, size_t n) { return -EISDIR; }
static int dir_fsync(struct file *f) { return vfs_sync(); }   /* entries are metadata: sync it all */

static const struct file_ops ext2_dir_ops = {
	.read = dir_read,                    /* directories are read with getdents */
	.close = generic_file_close,
	.getdents = ext2_getdents,
	.fsync = dir_fsync,
};

static int ext2_open(struct inode *ino, struct file *f)
{
	if (((struct ext2_fs *)ino->fs)->readonly && (f->flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	if (S_ISDIR(ino->mode))
		f->ops = &ext2_dir_ops;
	else if (S_ISREG(ino->mode))
		f->ops = &generic_file_ops;
	else
		return -ENXIO;
	return 0;
}

/* What the page cache asks of an ext2 file (mm/pagecache.h). */
static int ext2_bmap_page_cache(struct address_space *m, uint32_t lblock, bool create, uint32_t *pblock)
{
	return ext2_bmap(MAPPING_INODE(m), lblock, create, pblock);
}

static const struct address_space_ops ext2_aops = {
	.bmap = ext2_bmap_page_cache,
	.get = inode_mapping_get,
	.put = inode_mapping_put,
};

const struct inode_ops ext2_inode_ops = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.symlink = ext2_symlink,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.truncate = ext2_truncate,
	.write_inode = ext2_write_inode,
	.read_kernel = ext2_read_kernel,
	.open = ext2_open,
	.release = ext2_release,
	.readlink = ext2_readlink,
};

/* On a read-only disk: no operation that would write (the system calls
 * answer -EROFS where an operation is missing). */
const struct inode_ops ext2_ro_inode_ops = {
	.lookup = ext2_lookup,
	.read_kernel = ext2_read_kernel,
	.open = ext2_open,
	.release = ext2_release,
	.readlink = ext2_readlink,
};
