/*
 * bcache.c - the metadata buffer cache: a fixed number of block-sized
 * buffers, found by (device, block number), recycled least recently used
 * first.  Writes are delayed: bdirty() marks a buffer, bsync() writes the
 * dirty ones (on sync, fsync, power-off and by the flusher), and a dirty buffer that must
 * be recycled is written first.  A buffer in use is "locked" (one user at
 * a time, others sleep), which is what makes read-modify-write of a bitmap
 * or an inode table block safe across disk waits.  zc_drop_caches gives
 * the memory of idle, clean buffers back (bcache_drop).
 */
#include "kernel.h"
#include "x86.h"
#include "fs/bcache.h"
#include "fs/writeback.h"
#include "block/block.h"
#include "mm/kheap.h"
#include "proc/sched.h"

#define NBUF 256

static struct buf bufs[NBUF];
static struct list lru = LIST_INIT(lru);        /* least recently released first */
static bool initialised;

static void bcache_init(void)
{
	for (int i = 0; i < NBUF; i++)
		list_push_back(&lru, &bufs[i].lru);
	initialised = true;
}

static int bwrite(struct buf *b)
{
	int r = blk_rw(b->bdev, BIO_WRITE, (uint64_t)b->blockno * (b->size / SECTOR_SIZE), b->data,
		       b->size, "bcache->disk");
	if (r == 0)
		b->dirty = false;
	return r;
}

/* Find the buffer for a block, or recycle one; returned locked and referenced. */
static struct buf *bget(struct block_device *bd, uint32_t blockno, uint32_t size)
{
	if (!initialised)
		bcache_init();
again:
	for (int i = 0; i < NBUF; i++) {
		struct buf *b = &bufs[i];
		if (b->bdev == bd && b->blockno == blockno && b->size == size && b->data) {
			b->refs++;
			uint32_t f = irq_save();
			while (b->locked)
				sleep_on(b);
			irq_restore(f);
			if (b->bdev != bd || b->blockno != blockno) {
				b->refs--;
				goto again;
			}
			b->locked = true;
			list_remove(&b->lru);
			list_push_back(&lru, &b->lru);
			return b;
		}
	}
	/* Recycle the least recently used idle buffer.  One that needs new
	 * memory (none yet, dropped, or another size) and gets none is left
	 * empty, and the next idle one is tried: out of memory, a filesystem
	 * operation half done must not fail for want of a buffer that exists. */
	bool idle = false;
	list_for_each(it, &lru) {
		struct buf *b = list_entry(it, struct buf, lru);
		if (b->refs || b->locked)
			continue;
		idle = true;
		b->locked = true;
		if (b->dirty && bwrite(b) < 0)
			printk("bcache: write of block %u failed\n", b->blockno);
		if (!b->data || b->size != size) {
			kfree(b->data);
			b->data = kmalloc(size);
			if (!b->data) {
				b->bdev = NULL;
				b->valid = b->dirty = false;
				b->locked = false;
				wakeup(b);
				continue;
			}
		}
		b->bdev = bd;
		b->blockno = blockno;
		b->size = size;
		b->valid = b->dirty = false;
		b->refs++;            /* not = 1: a waiter for the old block may hold one */
		list_remove(&b->lru);
		list_push_back(&lru, &b->lru);
		return b;
	}
	if (idle)
		return NULL;          /* no memory for any of them */
	panic("bcache: all %d buffers in use", NBUF);
}

struct buf *bread(struct block_device *bd, uint32_t blockno, uint32_t size)
{
	struct buf *b = bget(bd, blockno, size);
	if (!b)
		return NULL;
	if (!b->valid) {
		if (blk_rw(bd, BIO_READ, (uint64_t)blockno * (size / SECTOR_SIZE), b->data, size,
			   "disk->bcache") < 0) {
			b->bdev = NULL;               /* do not keep a failed block */
			brelse(b);
			return NULL;
		}
		b->valid = true;
	}
	return b;
}

/* A buffer for a block about to be overwritten entirely: no read needed. */
struct buf *bget_zeroed(struct block_device *bd, uint32_t blockno, uint32_t size)
{
	struct buf *b = bget(bd, blockno, size);
	if (b) {
		memset(b->data, 0, size);
		b->valid = true;
		b->dirty = true;
	}
	return b;
}

void bdirty(struct buf *b)
{
	if (!b->dirty)
		writeback_kick();       /* the flusher writes it in a few seconds */
	b->dirty = true;
}

void brelse(struct buf *b)
{
	b->refs--;
	b->locked = false;
	wakeup(b);
}

int bsync(struct block_device *bd)
{
	int err = 0;
	for (int i = 0; i < NBUF; i++) {
		struct buf *b = &bufs[i];
		if (b->bdev != bd || !b->dirty)
			continue;
		uint32_t f = irq_save();
		while (b->locked)
			sleep_on(b);
		irq_restore(f);
		if (b->bdev != bd || !b->dirty)
			continue;
		b->locked = true;
		if (bwrite(b) < 0)
			err = -EIO;
		b->locked = false;
		wakeup(b);
	}
	return err;
}

void bforget(struct block_device *bd, uint32_t blockno)
{
	for (int i = 0; i < NBUF; i++)
		if (bufs[i].bdev == bd && bufs[i].blockno == blockno && !bufs[i].refs && !bufs[i].locked) {
			bufs[i].valid = bufs[i].dirty = false;
			bufs[i].bdev = NULL;
		}
}

/* Free the data of every idle, clean buffer (zc_drop_caches), so that a
 * leak check sees the heap come back; the cache refills as blocks are
 * read again.  Dirty ones stay: the caller syncs first. */
void bcache_drop(void)
{
	for (int i = 0; i < NBUF; i++) {
		struct buf *b = &bufs[i];
		if (b->refs || b->locked || b->dirty || !b->data)
			continue;
		kfree(b->data);
		b->data = NULL;
		b->bdev = NULL;
		b->valid = false;
	}
}
