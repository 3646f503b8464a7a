/*
 * ext2.h - the second extended filesystem, revision 0 and 1, as zc32
 * reads and writes it.  On disk: a superblock at byte 1024, then block
 * groups, each with a block bitmap, an inode bitmap, an inode table and
 * data blocks; a table of group descriptors says where each group's
 * pieces are.  A file's inode lists its blocks: 12 direct, then single,
 * double and triple indirect blocks.
 * Reference: Dave Poirier, "The Second Extended File System: Internal
 * Layout"; Linux Documentation/filesystems/ext2.rst.
 */
#ifndef ZC32_EXT2_H
#define ZC32_EXT2_H
#include "types.h"
#include "list.h"
#include "fs/vfs.h"

#define EXT2_MAGIC        0xEF53
#define EXT2_SUPER_OFFSET 1024    /* the superblock's byte offset, whatever the block size */
#define EXT2_ROOT_INO     2
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_NDIR_BLOCKS  12
#define EXT2_IND_BLOCK    12
#define EXT2_DIND_BLOCK   13
#define EXT2_TIND_BLOCK   14

/* Feature bits zc32 understands; a disk needing others is refused. */
#define EXT2_FEATURE_INCOMPAT_FILETYPE   0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE   0x0002
#define EXT2_INDEX_FL     0x00001000   /* hashed directory (we keep it linear) */

/* Directory entry file types (FILETYPE feature). */
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR      2
#define EXT2_FT_SYMLINK  7

struct ext2_super {
	uint32_t s_inodes_count, s_blocks_count, s_r_blocks_count;
	uint32_t s_free_blocks_count, s_free_inodes_count;
	uint32_t s_first_data_block, s_log_block_size, s_log_frag_size;
	uint32_t s_blocks_per_group, s_frags_per_group, s_inodes_per_group;
	uint32_t s_mtime, s_wtime;
	uint16_t s_mnt_count, s_max_mnt_count, s_magic, s_state, s_errors, s_minor_rev_level;
	uint32_t s_lastcheck, s_checkinterval, s_creator_os, s_rev_level;
	uint16_t s_def_resuid, s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size, s_block_group_nr;
	uint32_t s_feature_compat, s_feature_incompat, s_feature_ro_compat;
	uint8_t  s_uuid[16];
	char     s_volume_name[16];
	uint8_t  rest[1024 - 136];
} __attribute__((packed));

struct ext2_group_desc {
	uint32_t bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
	uint16_t bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count, bg_pad;
	uint8_t  bg_reserved[12];
} __attribute__((packed));

struct ext2_disk_inode {
	uint16_t i_mode, i_uid;
	uint32_t i_size, i_atime, i_ctime, i_mtime, i_dtime;
	uint16_t i_gid, i_links_count;
	uint32_t i_blocks, i_flags, i_osd1;
	uint32_t i_block[15];
	uint32_t i_generation, i_file_acl, i_size_high, i_faddr;
	uint8_t  i_osd2[12];
} __attribute__((packed));

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t  name_len, file_type;
	char     name[];
} __attribute__((packed));

/* One mounted ext2 filesystem. */
struct ext2_fs {
	struct block_device *bd;
	struct ext2_super sb;
	struct ext2_group_desc *gd;
	uint32_t bs;                 /* block size */
	uint32_t ngroups, gd_blocks;
	uint32_t inode_size, first_ino;
	bool filetype;               /* directory entries carry a file type */
	bool dirty;                  /* superblock or group descriptors changed */
	bool readonly;               /* the disk refuses writes: so do we (-EROFS) */
	struct list inodes;          /* cached inodes */
	/* One lock for all metadata changes; the owner may take it again. */
	struct proc *lock_owner;
	int lock_depth;
	bool locked;
};

/* An ext2 inode in memory: the VFS inode plus the on-disk copy. */
struct ext2_inode {
	struct inode vfs;
	struct ext2_disk_inode d;
	struct list link;            /* on fs->inodes */
	uint32_t alloc_hint;         /* last block allocated, for locality */
};

#define EXT2_I(ino) container_of(ino, struct ext2_inode, vfs)

/* super.c */
void ext2_lock(struct ext2_fs *fs);
int  ext2_lock_killable(struct ext2_fs *fs);   /* -EINTR: a fatal signal came first */
void ext2_unlock(struct ext2_fs *fs);
int  ext2_sync(struct ext2_fs *fs);
struct statfs;
void ext2_statfs(struct ext2_fs *fs, struct statfs *st);
/* inode.c */
int  ext2_iget(struct ext2_fs *fs, uint32_t ino, struct inode **out);
int  ext2_write_inode(struct inode *ino);
int  ext2_bmap(struct inode *ino, uint32_t lblock, bool create, uint32_t *pblock);
int  ext2_truncate_blocks(struct inode *ino, uint32_t size);
void ext2_delete_orphans(struct ext2_fs *fs);
extern const struct inode_ops ext2_inode_ops, ext2_ro_inode_ops;
/* alloc.c */
int  ext2_alloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *out);
void ext2_free_block(struct ext2_fs *fs, uint32_t block);
int  ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent, bool dir, uint32_t *out);
void ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir);
/* check.c: the on-disk structures checked before they are trusted */
const char *ext2_check_super(struct ext2_fs *fs, uint64_t disk_bytes);
bool ext2_groups_ok(const struct ext2_fs *fs);
struct ext2_dirent *ext2_dirent_at(uint32_t bs, uint8_t *block, uint32_t off);
/* dir.c */
int  ext2_dir_find(struct inode *dir, const char *name, size_t len, uint32_t *ino);
int  ext2_dir_add(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
int  ext2_dir_remove(struct inode *dir, const char *name, size_t len);
int  ext2_dir_set(struct inode *dir, const char *name, size_t len, uint32_t ino);
int  ext2_dir_empty(struct inode *dir);
int  ext2_getdents(struct file *f, struct dirent_sink *out);
/* namei.c */
int ext2_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);
int ext2_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
int ext2_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode);
#define EXT2_FAST_LINK_MAX 60        /* i_block's 15 words hold a shorter link target */
int ext2_symlink(struct inode *dir, const char *name, size_t len, const char *target, size_t tlen);
int ext2_unlink(struct inode *dir, const char *name, size_t len);
int ext2_rmdir(struct inode *dir, const char *name, size_t len);
int ext2_rename(struct inode *odir, const char *oname, size_t olen,
		struct inode *ndir, const char *nname, size_t nlen);

int ext2_mount(struct block_device *bd, struct inode **root);
bool ext2_probe(const void *disk_start);     /* an ext2 superblock in the disk's first 2 KiB? */

#endif
