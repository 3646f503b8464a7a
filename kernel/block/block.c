/*
 * block.c - the block layer.  blk_submit() hands a bio to its disk's
 * driver and returns at once (several bios may be in flight); the driver
 * calls blk_complete() from its interrupt handler, which wakes whoever
 * sleeps in blk_wait().  Every submitted transfer is entered in the ledger
 * as DMA for its device, so a cold read shows "DMA disk->pagecache".
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "block/block.h"
#include "proc/sched.h"
#include "ledger/ledger.h"

#define MAX_DISKS 8

static struct block_device *disks[MAX_DISKS];
static int ndisks;

void blk_register(struct block_device *bd)
{
	if (ndisks < MAX_DISKS)
		disks[ndisks++] = bd;
}

struct block_device *blk_device(int i) { return i < ndisks ? disks[i] : NULL; }
int blk_count(void) { return ndisks; }

void blk_submit(struct bio *b)
{
	struct block_device *bd = b->bdev;
	uint32_t bytes = 0;
	for (int i = 0; i < b->nseg; i++)
		bytes += b->seg[i].len;
	b->done = false;
	b->error = 0;
	if ((b->op == BIO_WRITE && bd->readonly) ||
	    b->sector + bytes / SECTOR_SIZE > bd->sectors || (bytes % SECTOR_SIZE)) {
		blk_complete(b, -EIO);
		return;
	}
	if (b->op != BIO_FLUSH)
		ledger_dma(bd->ledger_dev, b->op == BIO_READ ? ZC_DMA_DEV_TO_MEM : ZC_DMA_MEM_TO_DEV,
			   bytes, b->what ? b->what : (b->op == BIO_READ ? "disk->memory" : "memory->disk"));
	int r = bd->submit(bd, b);
	if (r < 0)
		blk_complete(b, r);
}

void blk_complete(struct bio *b, int error)
{
	b->error = error;
	b->done = true;
	if (b->end_io)
		b->end_io(b);
	wakeup(b);
}

int blk_wait(struct bio *b)
{
	uint32_t f = irq_save();
	while (!b->done)
		sleep_on(b);
	irq_restore(f);
	return b->error;
}

/* Synchronous transfer of a kernel buffer (direct-mapped, so physically
 * contiguous within each page). */
int blk_rw(struct block_device *bd, enum bio_op op, uint64_t sector, void *kbuf, uint32_t len,
	   const char *what)
{
	struct bio b;
	memset(&b, 0, sizeof b);
	b.bdev = bd;
	b.op = op;
	b.sector = sector;
	b.what = what;
	uint8_t *p = kbuf;
	while (len) {
		if (b.nseg == BIO_MAX_SEGS)
			return -EINVAL;
		uint32_t chunk = MIN(len, PAGE_SIZE - ((uint32_t)p & (PAGE_SIZE - 1)));
		b.seg[b.nseg].pa = V2P(p);
		b.seg[b.nseg].len = chunk;
		b.nseg++;
		p += chunk;
		len -= chunk;
	}
	blk_submit(&b);
	return blk_wait(&b);
}
