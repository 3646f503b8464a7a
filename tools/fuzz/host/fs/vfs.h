/*
 * host/fs/vfs.h - the host's stand-in for kernel/fs/vfs.h.  ext2.h holds
 * the on-disk structures the checks read (kernel/fs/ext2/check.c) and
 * the in-memory ones, which embed a VFS inode; the real vfs.h pulls in
 * Linux i386's struct stat, whose size asserts fail on x86_64.  The
 * checks never touch an inode, so an opaque one will do.
 */
#ifndef ZC32_VFS_H
#define ZC32_VFS_H
#include "types.h"

struct inode { uint32_t ino; };       /* only embedded, never used */
struct file;
struct dirent_sink;
struct inode_ops;
struct block_device;
struct proc;

#endif
