/*
 * bcache.h - the buffer cache for filesystem metadata: superblock, group
 * descriptors, bitmaps, inode tables, directory and indirect blocks.
 * (File data is in the page cache instead.)  A buffer holds one block;
 * bread() returns it locked for the caller's use, brelse() gives it back.
 */
#ifndef ZC32_BCACHE_H
#define ZC32_BCACHE_H
#include "types.h"
#include "list.h"

struct block_device;

struct buf {
	struct block_device *bdev;
	uint32_t blockno;
	uint32_t size;
	uint8_t *data;
	int refs;
	bool valid, dirty, locked;
	struct list lru;
};

struct buf *bread(struct block_device *bd, uint32_t blockno, uint32_t size);   /* NULL on error */
struct buf *bget_zeroed(struct block_device *bd, uint32_t blockno, uint32_t size);
void bdirty(struct buf *b);
void brelse(struct buf *b);
int  bsync(struct block_device *bd);         /* write all dirty buffers of bd */
void bforget(struct block_device *bd, uint32_t blockno);  /* a freed block: drop it */
void bcache_drop(void);                       /* free idle clean buffers' memory */

#endif
