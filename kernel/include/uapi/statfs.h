/*
 * uapi/statfs.h - struct statfs as Linux i386's statfs(2) (99) fills it:
 * every field 32 bits.  Shared by the kernel and user/lib (df).
 */
#ifndef ZC32_UAPI_STATFS_H
#define ZC32_UAPI_STATFS_H

#define EXT2_SUPER_MAGIC 0xEF53

struct statfs {
	unsigned int f_type;      /* filesystem magic */
	unsigned int f_bsize;     /* block size */
	unsigned int f_blocks;    /* blocks in all */
	unsigned int f_bfree;     /* free blocks */
	unsigned int f_bavail;    /* free blocks an ordinary user may take */
	unsigned int f_files;     /* inodes in all */
	unsigned int f_ffree;     /* free inodes */
	int f_fsid[2];
	unsigned int f_namelen;   /* longest file name */
	unsigned int f_frsize;
	unsigned int f_flags;
	unsigned int f_spare[4];
};

#endif
