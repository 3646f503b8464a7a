/*
 * namei.c - ext2's name operations: lookup, create, mkdir, unlink,
 * rmdir, rename.  Each runs under the filesystem lock and changes the
 * directory entries, the inodes' link counts and the bitmaps together, so
 * that after sync the disk passes e2fsck.
 */
#include "kernel.h"
#include "fs/ext2/ext2.h"
#include "fs/bcache.h"

int ext2_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct ext2_fs *fs = dir->fs;
	uint32_t ino;
	int r = ext2_lock_killable(fs);   /* a dying caller gives up first */
	if (r < 0)
		return r;
	r = ext2_dir_find(dir, name, len, &ino);
	if (r == 0)
		r = ext2_iget(fs, ino, out);
	ext2_unlock(fs);
	return r;
}

/* A fresh inode with mode, one link, no blocks. */
static int new_inode(struct inode *dir, uint32_t mode, struct inode **out)
{
	struct ext2_fs *fs = dir->fs;
	uint32_t ino;
	int r = ext2_alloc_inode(fs, dir->ino, S_ISDIR(mode), &ino);
	if (r < 0)
		return r;
	/* Write a clean on-disk inode first, then load it like any other. */
	struct ext2_inode tmp = { .vfs = { .fs = fs, .ino = ino, .mode = mode, .nlink = 1 } };
	tmp.vfs.atime = tmp.vfs.mtime = tmp.vfs.ctime = vfs_now();
	if ((r = ext2_write_inode(&tmp.vfs)) < 0) {
		ext2_free_inode(fs, ino, S_ISDIR(mode));   /* else allocated, in no directory */
		return r;
	}
	return ext2_iget(fs, ino, out);
}

/* A "fast" symbolic link keeps its target in i_block itself, with no
 * data block: what Linux and mke2fs make for a target under 60 bytes. */
static int set_fast_link(struct inode *ino, const char *target, size_t tlen)
{
	struct ext2_inode *ei = EXT2_I(ino);
	memcpy((uint8_t *)&ei->d + offsetof(struct ext2_disk_inode, i_block), target, tlen);
	ino->data.size = tlen;
	return ext2_write_inode(ino);
}

/* A new directory's first block: "." and "..". */
static int dir_first_block(struct inode *ino, struct inode *parent)
{
	struct ext2_fs *fs = ino->fs;
	uint32_t pb;
	int r = ext2_bmap(ino, 0, true, &pb);
	if (r < 0)
		return r;
	struct buf *b = bget_zeroed(fs->bd, pb, fs->bs);
	if (!b)
		return -EIO;
	struct ext2_dirent *dot = (struct ext2_dirent *)b->data;
	dot->inode = ino->ino;
	dot->rec_len = 12;
	dot->name_len = 1;
	dot->file_type = fs->filetype ? EXT2_FT_DIR : 0;
	dot->name[0] = '.';
	struct ext2_dirent *dotdot = (struct ext2_dirent *)(b->data + 12);
	dotdot->inode = parent->ino;
	dotdot->rec_len = fs->bs - 12;
	dotdot->name_len = 2;
	dotdot->file_type = dot->file_type;
	dotdot->name[0] = dotdot->name[1] = '.';
	brelse(b);
	ino->data.size = fs->bs;
	ino->nlink = 2;
	ext2_write_inode(ino);
	return 0;
}

/* A new inode of mode, named name in dir.  A symbolic link has its
 * target, a directory its "." and "..", before its name appears. */
static int create_entry(struct inode *dir, const char *name, size_t len, uint32_t mode,
			const char *target, size_t tlen, struct inode **out)
{
	struct ext2_fs *fs = dir->fs;
	uint32_t existing;
	int r = ext2_lock_killable(fs);
	if (r < 0)
		return r;
	r = ext2_dir_find(dir, name, len, &existing);
	if (r == 0)
		r = -EEXIST;
	else if (r == -ENOENT)
		r = new_inode(dir, mode, out);
	if (r == 0 && ((target && (r = set_fast_link(*out, target, tlen)) < 0) ||
		       (S_ISDIR(mode) && (r = dir_first_block(*out, dir)) < 0) ||
		       (r = ext2_dir_add(dir, name, len, (*out)->ino, (*out)->mode)) < 0)) {
		(*out)->nlink = 0;
		inode_put(*out);                 /* frees the inode again */
	}
	if (r == 0) {
		if (S_ISDIR(mode))
			dir->nlink++;            /* the new directory's ".." */
		dir->mtime = dir->ctime = vfs_now();
		ext2_write_inode(dir);
	}
	ext2_unlock(fs);
	return r;
}

int ext2_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
	return create_entry(dir, name, len, S_IFREG | (mode & 07777), NULL, 0, out);
}

/* Only fast links: a longer target would need a data block written
 * through the page cache, which zc32 does not do (ENAMETOOLONG). */
int ext2_symlink(struct inode *dir, const char *name, size_t len, const char *target, size_t tlen)
{
	struct inode *ino;
	if (tlen >= EXT2_FAST_LINK_MAX)
		return -ENAMETOOLONG;
	int r = create_entry(dir, name, len, S_IFLNK | 0777, target, tlen, &ino);
	if (r == 0)
		inode_put(ino);
	return r;
}

int ext2_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode)
{
	struct inode *ino;
	int r = create_entry(dir, name, len, S_IFDIR | (mode & 07777), NULL, 0, &ino);
	if (r == 0)
		inode_put(ino);
	return r;
}

/* unlink and rmdir: the name goes, and with it a link of the inode (a
 * directory's every link, once it is empty). */
static int remove_entry(struct inode *dir, const char *name, size_t len, bool isdir)
{
	struct ext2_fs *fs = dir->fs;
	struct inode *ino;
	int r = ext2_lock_killable(fs);
	if (r < 0)
		return r;
	r = ext2_lookup(dir, name, len, &ino);
	if (r < 0)
		goto out;
	if (S_ISDIR(ino->mode) != isdir)
		r = isdir ? -ENOTDIR : -EISDIR;
	else if (isdir && (r = ext2_dir_empty(ino)) >= 0)
		r = r ? 0 : -ENOTEMPTY;
	if (r == 0 && (r = ext2_dir_remove(dir, name, len)) == 0) {
		dir->mtime = dir->ctime = vfs_now();
		if (isdir) {
			ino->nlink = 0;
			dir->nlink--;
		} else {
			ino->nlink--;
			ino->ctime = dir->mtime;
			ext2_write_inode(ino);
		}
		ext2_write_inode(dir);
	}
	inode_put(ino);                          /* deletes it if that was the last link */
out:
	ext2_unlock(fs);
	return r;
}

int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	return remove_entry(dir, name, len, false);
}

int ext2_rmdir(struct inode *dir, const char *name, size_t len)
{
	if ((len == 1 && name[0] == '.'))
		return -EINVAL;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return -ENOTEMPTY;
	return remove_entry(dir, name, len, true);
}

/* Is directory ino the same as, or inside, directory sub?  (Moving a
 * directory into itself would cut it off from the tree.) */
static int is_ancestor(struct inode *ino, struct inode *sub)
{
	struct ext2_fs *fs = ino->fs;
	uint32_t cur = sub->ino;
	for (int depth = 0; depth < 4096; depth++) {
		if (cur == ino->ino)
			return 1;
		if (cur == EXT2_ROOT_INO)
			return 0;
		struct inode *d;
		int r = ext2_iget(fs, cur, &d);
		if (r < 0)
			return r;
		uint32_t parent;
		r = ext2_dir_find(d, "..", 2, &parent);
		inode_put(d);
		if (r < 0)
			return r;
		cur = parent;
	}
	return -ELOOP;
}

/* May src (a directory if isdir) replace dst?  0, or rename(2)'s error:
 * a directory replaces only an empty directory, a file only a file. */
static int may_replace(struct inode *dst, bool isdir)
{
	if (!S_ISDIR(dst->mode))
		return isdir ? -ENOTDIR : 0;
	if (!isdir)
		return -EISDIR;
	int r = ext2_dir_empty(dst);
	return r < 0 ? r : r == 0 ? -ENOTEMPTY : 0;
}

int ext2_rename(struct inode *odir, const char *oname, size_t olen,
		struct inode *ndir, const char *nname, size_t nlen)
{
	struct ext2_fs *fs = odir->fs;
	struct inode *src = NULL, *dst = NULL;
	int r = ext2_lock_killable(fs);
	if (r < 0)
		return r;
	r = ext2_lookup(odir, oname, olen, &src);
	if (r < 0)
		goto out;
	bool isdir = S_ISDIR(src->mode);
	if (isdir && (r = is_ancestor(src, ndir)) != 0) {
		r = r > 0 ? -EINVAL : r;
		goto out;
	}
	r = ext2_lookup(ndir, nname, nlen, &dst);
	if (r == 0) {
		if (dst == src)
			goto out;                    /* same file: nothing to do */
		/* If dst may go: point its name at src and drop the old file. */
		if ((r = may_replace(dst, isdir)) < 0 || (r = ext2_dir_set(ndir, nname, nlen, src->ino)) < 0)
			goto out;
		if (S_ISDIR(dst->mode)) {
			dst->nlink = 0;
			ndir->nlink--;
		} else {
			dst->nlink--;
		}
		dst->ctime = vfs_now();
		ext2_write_inode(dst);
	} else if (r == -ENOENT) {
		if ((r = ext2_dir_add(ndir, nname, nlen, src->ino, src->mode)) < 0)
			goto out;
	} else {
		goto out;
	}
	if ((r = ext2_dir_remove(odir, oname, olen)) < 0)
		goto out;
	if (isdir && odir != ndir) {
		ext2_dir_set(src, "..", 2, ndir->ino);
		odir->nlink--;
		ndir->nlink++;
	}
	src->ctime = odir->mtime = odir->ctime = ndir->mtime = ndir->ctime = vfs_now();
	ext2_write_inode(src);
	ext2_write_inode(odir);
	if (ndir != odir)
		ext2_write_inode(ndir);
out:
	if (dst)
		inode_put(dst);
	if (src)
		inode_put(src);
	ext2_unlock(fs);
	return r;
}
