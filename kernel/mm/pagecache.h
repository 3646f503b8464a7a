/*
 * pagecache.h - the page cache: the one place file data lives in memory.
 * A cached page is a whole physical frame holding one page of one file,
 * found by (file, page index).  read() copies out of it, write() copies
 * into it, and mmap() maps its frames into a process - the same frames,
 * never a private copy.
 *
 * The page cache, and memory management around it (faults, mmap,
 * reclaim), know a file only as a struct address_space (Linux's name):
 * its size, its cached pages, the disk it lives on, and the operations
 * its filesystem registers.  A filesystem embeds one in each inode
 * (fs/vfs.h), so the file system depends on memory management, never
 * the other way round.
 */
#ifndef ZC32_PAGECACHE_H
#define ZC32_PAGECACHE_H
#include "types.h"
#include "list.h"
#include "mm/pmm.h"

struct address_space;
struct block_device;

struct address_space_ops {
	/* Where block lblock of the file is on the disk (0 = a hole); with
	 * create, allocate it first.  May sleep. */
	int  (*bmap)(struct address_space *mapping, uint32_t lblock, bool create, uint32_t *pblock);
	/* Hold the file (its inode) while a mapping or a writeback uses it; let go. */
	void (*get)(struct address_space *mapping);
	void (*put)(struct address_space *mapping);
};

struct address_space {
	const struct address_space_ops *ops;   /* NULL: not cached (the initrd) */
	struct block_device *bdev;
	uint32_t block_size;
	uint32_t size;                 /* the file's size in bytes */
	struct list pages;             /* its cached pages (page->mapping_link) */
};

static inline void mapping_get(struct address_space *m) { m->ops->get(m); }
static inline void mapping_put(struct address_space *m) { m->ops->put(m); }

#define READAHEAD_PAGES 32        /* up to 128 KiB per disk read on a miss */

struct page *pagecache_get(struct address_space *m, uint32_t index);       /* filled, referenced */
struct page *pagecache_get_major(struct address_space *m, uint32_t index, bool *major, int *err);  /* major: waited for the disk */
void   pagecache_drop(struct page *pg);
void   pagecache_notify_dirty(void (*fn)(void));     /* fn runs when a clean page becomes dirty */
int    pagecache_prepare_shared_write(struct page *pg);   /* blocks for a MAP_SHARED write */
int    pagecache_writeback(struct address_space *m);                  /* write dirty pages, wait */
int    pagecache_sync_all(void);
void   pagecache_truncate(struct address_space *m, uint32_t size);  /* unmaps and drops the pages past size */
void   pagecache_extend(struct address_space *m, uint32_t old_size); /* zeros past the old end of its page */
int    pagecache_evict(struct address_space *m, int want);            /* clean, unmapped pages freed */
uint32_t pagecache_pages(void);

ssize_t pagecache_read(struct address_space *m, uint32_t pos, void *dst, size_t n, bool to_user);
/* Grows m->size as it goes; the caller (the filesystem) records the new
 * size and times in its inode, and frees blocks left past the end if it
 * fails part-way. */
ssize_t pagecache_write(struct address_space *m, uint32_t pos, const void *src, size_t n, bool from_user);

#endif
