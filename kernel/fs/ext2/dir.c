/*
 * dir.c - ext2 directories: a directory's blocks hold variable-length
 * entries (inode, record length, name length, file type, name), which
 * together cover each block exactly.  Removing an entry merges it into the
 * one before; adding one splits an entry with room to spare, or appends a
 * block.  Directory blocks are metadata: they go through the buffer cache.
 * Every entry is checked before it is trusted, so a corrupt directory
 * gives -EIO, never a wild pointer.
 */
#include "kernel.h"
#include "fs/ext2/ext2.h"
#include "fs/bcache.h"
#include "uapi/dirent.h"

#define DIRENT_SIZE(len) ALIGN_UP(8 + (len), 4)

static void corrupt(struct inode *dir, uint32_t blk)
{
	printk("ext2: directory inode %u: bad entry in block %u\n", dir->ino, blk);
}

/* Visit every entry; fn returns nonzero to stop (and that is returned). */
typedef int (*dirent_fn)(struct inode *dir, struct buf *b, struct ext2_dirent *d,
			 struct ext2_dirent *prev, void *arg);

static int for_each_dirent(struct inode *dir, dirent_fn fn, void *arg)
{
	struct ext2_fs *fs = dir->fs;
	uint32_t nblocks = dir->data.size / fs->bs;
	for (uint32_t lb = 0; lb < nblocks; lb++) {
		uint32_t pb;
		int r = ext2_bmap(dir, lb, false, &pb);
		if (r < 0)
			return r;
		if (!pb)
			continue;
		struct buf *b = bread(fs->bd, pb, fs->bs);
		if (!b)
			return -EIO;
		struct ext2_dirent *prev = NULL;
		for (uint32_t off = 0; off < fs->bs;) {
			struct ext2_dirent *d = ext2_dirent_at(fs->bs, b->data, off);
			if (!d) {
				corrupt(dir, pb);
				brelse(b);
				return -EIO;
			}
			if ((r = fn(dir, b, d, prev, arg)) != 0) {
				brelse(b);
				return r;
			}
			prev = d;
			off += d->rec_len;
		}
		brelse(b);
	}
	return 0;
}

struct find_arg {
	const char *name;
	size_t len;
	uint32_t ino;            /* in: new inode for ext2_dir_set; out: found inode */
	enum { DIR_FIND, DIR_REMOVE, DIR_SET } op;
};

static int find_fn(struct inode *dir, struct buf *b, struct ext2_dirent *d,
		   struct ext2_dirent *prev, void *arg)
{
	struct find_arg *a = arg;
	if (!d->inode || d->name_len != a->len || memcmp(d->name, a->name, a->len) != 0)
		return 0;
	if (a->op == DIR_REMOVE) {
		if (prev)
			prev->rec_len += d->rec_len;
		else
			d->inode = 0;
		bdirty(b);
	} else if (a->op == DIR_SET) {
		d->inode = a->ino;
		bdirty(b);
	} else {
		a->ino = d->inode;
	}
	return 1;
}

int ext2_dir_find(struct inode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct find_arg a = { name, len, 0, DIR_FIND };
	int r = for_each_dirent(dir, find_fn, &a);
	if (r > 0)
		*ino = a.ino;
	return r < 0 ? r : r == 0 ? -ENOENT : 0;
}

int ext2_dir_remove(struct inode *dir, const char *name, size_t len)
{
	struct find_arg a = { name, len, 0, DIR_REMOVE };
	int r = for_each_dirent(dir, find_fn, &a);
	return r < 0 ? r : r == 0 ? -ENOENT : 0;
}

int ext2_dir_set(struct inode *dir, const char *name, size_t len, uint32_t ino)
{
	struct find_arg a = { name, len, ino, DIR_SET };
	int r = for_each_dirent(dir, find_fn, &a);
	return r < 0 ? r : r == 0 ? -ENOENT : 0;
}

static uint8_t file_type(struct ext2_fs *fs, uint32_t mode)
{
	if (!fs->filetype)
		return 0;
	return S_ISDIR(mode) ? EXT2_FT_DIR : S_ISLNK(mode) ? EXT2_FT_SYMLINK : EXT2_FT_REG_FILE;
}

struct add_arg {
	const char *name;
	size_t len;
	uint32_t ino, mode;
};

static int add_fn(struct inode *dir, struct buf *b, struct ext2_dirent *d,
		  struct ext2_dirent *prev, void *arg)
{
	struct add_arg *a = arg;
	struct ext2_fs *fs = dir->fs;
	uint32_t need = DIRENT_SIZE(a->len);
	uint32_t used = d->inode ? DIRENT_SIZE(d->name_len) : 0;
	if (d->rec_len < used + need)
		return 0;
	struct ext2_dirent *n = d;
	if (d->inode) {
		n = (struct ext2_dirent *)((uint8_t *)d + used);
		n->rec_len = d->rec_len - used;
		d->rec_len = used;
	}
	n->inode = a->ino;
	n->name_len = a->len;
	n->file_type = file_type(fs, a->mode);
	memcpy(n->name, a->name, a->len);
	bdirty(b);
	return 1;
}

int ext2_dir_add(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode)
{
	struct ext2_fs *fs = dir->fs;
	struct add_arg a = { name, len, ino, mode };
	if (len == 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	int r = for_each_dirent(dir, add_fn, &a);
	if (r != 0)
		return r < 0 ? r : 0;
	/* No room: append a block holding just this entry. */
	uint32_t pb;
	if ((r = ext2_bmap(dir, dir->data.size / fs->bs, true, &pb)) < 0)
		return r;
	struct buf *b = bget_zeroed(fs->bd, pb, fs->bs);
	if (!b)
		return -EIO;
	struct ext2_dirent *d = (struct ext2_dirent *)b->data;
	d->rec_len = fs->bs;                 /* one free entry over the block: add_fn fills it */
	add_fn(dir, b, d, NULL, &a);
	brelse(b);
	dir->data.size += fs->bs;
	return ext2_write_inode(dir);
}

static int empty_fn(struct inode *dir, struct buf *b, struct ext2_dirent *d,
		    struct ext2_dirent *prev, void *arg)
{
	if (!d->inode)
		return 0;
	if (d->name_len == 1 && d->name[0] == '.')
		return 0;
	if (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.')
		return 0;
	return 1;
}

/* 1 if the directory holds only "." and "..", 0 if not, or -errno. */
int ext2_dir_empty(struct inode *dir)
{
	int r = for_each_dirent(dir, empty_fn, NULL);
	return r < 0 ? r : r == 0;
}

/* The first entry of a directory block that starts at or after off: an
 * offset set by lseek may fall inside an entry (Linux goes on from the next). */
static uint32_t first_entry_from(struct ext2_fs *fs, struct buf *b, uint32_t off)
{
	for (uint32_t o = 0; o < off;) {
		struct ext2_dirent *d = ext2_dirent_at(fs->bs, b->data, o);
		if (!d)
			return o;                   /* the caller reports it */
		if (o + d->rec_len > off)
			return o + d->rec_len;
		o += d->rec_len;
	}
	return off;
}

static uint8_t dirent_type(const struct ext2_dirent *d)
{
	return d->file_type == EXT2_FT_DIR ? DT_DIR : d->file_type == EXT2_FT_SYMLINK ? DT_LNK : DT_REG;
}

/* Emit the entries of the directory block holding f->pos, from f->pos on;
 * f->pos follows, so a full buffer stops before the entry that missed. */
static int getdents_block(struct file *f, struct buf *b, uint32_t pb, struct dirent_sink *out)
{
	struct ext2_fs *fs = f->inode->fs;
	uint64_t base = f->pos - f->pos % fs->bs;
	for (uint32_t off = first_entry_from(fs, b, f->pos % fs->bs); off < fs->bs;) {
		f->pos = base + off;
		struct ext2_dirent *d = ext2_dirent_at(fs->bs, b->data, off);
		if (!d) {
			corrupt(f->inode, pb);
			return -EIO;
		}
		off += d->rec_len;
		int r = d->inode ? dirent_emit(out, d->inode, base + off, d->name, d->name_len,
					       dirent_type(d)) : 0;
		if (r < 0)
			return r;
	}
	f->pos = base + fs->bs;
	return 0;
}

/* getdents / getdents64: the entries from byte offset f->pos on. */
int ext2_getdents(struct file *f, struct dirent_sink *out)
{
	struct inode *dir = f->inode;
	struct ext2_fs *fs = dir->fs;
	int r = ext2_lock_killable(fs);
	if (r < 0)
		return r;
	while (r == 0 && f->pos < dir->data.size) {
		uint32_t lb = f->pos / fs->bs, pb;
		if ((r = ext2_bmap(dir, lb, false, &pb)) < 0)
			break;
		if (!pb) {                         /* a hole holds no entries */
			f->pos = (uint64_t)(lb + 1) * fs->bs;
			continue;
		}
		struct buf *b = bread(fs->bd, pb, fs->bs);
		if (!b) {
			r = -EIO;
			break;
		}
		r = getdents_block(f, b, pb, out);
		brelse(b);
	}
	ext2_unlock(fs);
	return r;
}
