/*
 * pagecache.h - the page cache: the one place file data lives in memory.
 * A cached page is a whole physical frame holding one page of one file,
 * found by (inode, page index).  read() copies out of it, write() copies
 * into it, and later mmap() maps its frames into a process and sendfile()
 * hands them to the NIC - the same frames, never a private copy.
 */
#ifndef ZC32_PAGECACHE_H
#define ZC32_PAGECACHE_H
#include "types.h"
#include "mm/pmm.h"

struct inode;

#define READAHEAD_PAGES 32        /* up to 128 KiB per disk read on a miss */

struct page *pagecache_get(struct inode *ino, uint32_t index);       /* filled, referenced */
struct page *pagecache_get_major(struct inode *ino, uint32_t index, bool *major, int *err);  /* major: waited for the disk */
void   pagecache_drop(struct page *pg);
struct page *pagecache_get_for_write(struct inode *ino, uint32_t index, bool whole, int *err);
void   pagecache_mark_dirty(struct page *pg);
void   pagecache_notify_dirty(void (*fn)(void));     /* fn runs when a clean page becomes dirty */
int    pagecache_prepare_shared_write(struct page *pg);   /* blocks for a MAP_SHARED write */
int    pagecache_writeback(struct inode *ino);                        /* write dirty pages, wait */
int    pagecache_sync_all(void);
void   pagecache_truncate(struct inode *ino, uint32_t size);        /* unmaps and drops the pages past size */
void   pagecache_extend(struct inode *ino, uint32_t old_size);     /* zeros past the old end of its page */
int    pagecache_evict(struct inode *ino, int want);                  /* clean, unmapped pages freed */
uint32_t pagecache_pages(void);

ssize_t pagecache_read(struct inode *ino, uint32_t pos, void *dst, size_t n, bool to_user);
ssize_t pagecache_write(struct inode *ino, uint32_t pos, const void *src, size_t n, bool from_user);

#endif
