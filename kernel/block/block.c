/*
 * block.c - the block layer.  blk_submit() hands a bio to its disk's
 * driver and returns at once (several bios may be in flight); the driver
 * calls blk_complete() from its interrupt handler, which wakes whoever
 * sleeps in blk_wait().  Every submitted transfer is entered in the ledger
 * as DMA for its device, so a cold read shows "DMA disk->pagecache".
 * The driver calls blk_issued() when the device has a request; from there
 * to blk_complete() it is in flight, and the disk's counters (zc_diskstat)
 * keep the peaks: requests at once, segments and bytes per request.
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

static uint32_t bio_bytes(const struct bio *b)
{
	uint32_t bytes = 0;
	for (int i = 0; i < b->nseg; i++)
		bytes += b->seg[i].len;
	return bytes;
}

void blk_submit(struct bio *b)
{
	struct block_device *bd = b->bdev;
	uint32_t bytes = bio_bytes(b);
	b->done = false;
	b->error = 0;
	b->issued = false;
	if ((b->op == BIO_WRITE && bd->readonly) ||
	    b->sector + bytes / SECTOR_SIZE > bd->sectors || (bytes % SECTOR_SIZE)) {
		blk_complete(b, -EIO);
		return;
	}
	if (b->op != BIO_FLUSH && bd->ledger_dev != BLK_UNCOUNTED)
		ledger_dma(bd->ledger_dev, b->op == BIO_READ ? ZC_DMA_DEV_TO_MEM : ZC_DMA_MEM_TO_DEV,
			   bytes, b->what ? b->what : (b->op == BIO_READ ? "disk->memory" : "memory->disk"));
	int r = bd->submit(bd, b);
	if (r < 0)
		blk_complete(b, r);
}

/* The driver has put b on the device (call with interrupts off): it is in
 * flight until blk_complete.  The peaks are what shows that several
 * requests overlap and that one request gathers scattered pages. */
void blk_issued(struct bio *b)
{
	struct zc_diskstat *s = &b->bdev->stats;
	uint32_t bytes = bio_bytes(b);
	b->issued = true;
	s->inflight++;
	s->peak_inflight = MAX(s->peak_inflight, s->inflight);
	s->peak_segs = MAX(s->peak_segs, (uint32_t)b->nseg);
	s->peak_bytes = MAX(s->peak_bytes, bytes);
}

/* The end of a bio: from the driver's interrupt handler, or at once if it
 * never reached the device (bad sector range, read-only disk, no queue). */
void blk_complete(struct bio *b, int error)
{
	if (b->issued) {
		struct zc_diskstat *s = &b->bdev->stats;
		uint32_t bytes = bio_bytes(b);
		s->inflight--;
		if (error)
			s->errors++;
		if (b->op == BIO_FLUSH) {
			s->flushes++;
		} else {
			if (b->op == BIO_READ)
				s->reads++, s->read_bytes += bytes;
			else
				s->writes++, s->write_bytes += bytes;
			if (b->nseg > 1)
				s->multi_seg++;
		}
	}
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

/* One synchronous bio for [p, p + len): a segment per page it touches
 * (the caller keeps that within the disk's max_segs). */
static int rw_bio(struct block_device *bd, enum bio_op op, uint64_t sector, uint8_t *p,
		  uint32_t len, const char *what)
{
	struct bio b = { .bdev = bd, .op = op, .sector = sector, .what = what };
	while (len) {
		uint32_t chunk = MIN(len, PAGE_SIZE - ((uint32_t)p & (PAGE_SIZE - 1)));
		b.seg[b.nseg++] = (struct bio_seg){ V2P(p), chunk };
		p += chunk;
		len -= chunk;
	}
	blk_submit(&b);
	return blk_wait(&b);
}

/* One sector of p that straddles a page boundary, for a disk that takes
 * one segment per request: through a bounce buffer on the kernel stack,
 * which is direct-mapped and, sector-aligned, within one page. */
static int rw_bounced_sector(struct block_device *bd, enum bio_op op, uint64_t sector,
			     uint8_t *p, const char *what)
{
	uint8_t bounce[SECTOR_SIZE] __attribute__((aligned(SECTOR_SIZE)));
	if (op == BIO_WRITE)
		memcpy(bounce, p, SECTOR_SIZE);
	int r = rw_bio(bd, op, sector, bounce, SECTOR_SIZE, what);
	if (r == 0 && op == BIO_READ)
		memcpy(p, bounce, SECTOR_SIZE);
	return r;
}

/* Synchronous transfer of a kernel buffer (direct-mapped, so physically
 * contiguous within each page).  A buffer spanning more pages than the
 * disk takes segments goes as several bios, each a whole number of
 * sectors; the one case that cannot be cut so (one segment per request,
 * a sector straddling a page boundary) goes through a bounce page. */
int blk_rw(struct block_device *bd, enum bio_op op, uint64_t sector, void *kbuf, uint32_t len,
	   const char *what)
{
	uint32_t max_segs = MAX(1, MIN(bd->max_segs, BIO_MAX_SEGS));
	uint8_t *p = kbuf;
	if (len % SECTOR_SIZE)
		return -EINVAL;
	while (len) {
		uint32_t room = max_segs * PAGE_SIZE - ((uint32_t)p & (PAGE_SIZE - 1));
		uint32_t n = len <= room ? len : ALIGN_DOWN(room, SECTOR_SIZE);
		int r;
		if (n) {
			r = rw_bio(bd, op, sector, p, n, what);
		} else {
			n = SECTOR_SIZE;
			r = rw_bounced_sector(bd, op, sector, p, what);
		}
		if (r < 0)
			return r;
		p += n;
		len -= n;
		sector += n / SECTOR_SIZE;
	}
	return 0;
}

/* zc_stats_reset: counts and peaks start again (requests in flight stay). */
void blk_reset_stats(void)
{
	uint32_t f = irq_save();
	for (int i = 0; i < ndisks; i++) {
		struct zc_diskstat *s = &disks[i]->stats;
		uint32_t inflight = s->inflight;
		memset(s, 0, sizeof *s);
		s->inflight = s->peak_inflight = inflight;
	}
	irq_restore(f);
}

/* Disk i's counters, in probe order, for zc_diskstat (sys.c copies them
 * out to the caller); false past the last disk. */
bool blk_diskstat(int i, struct zc_diskstat *d)
{
	if (i < 0 || i >= ndisks)
		return false;
	struct block_device *bd = disks[i];
	uint32_t f = irq_save();             /* one consistent snapshot */
	*d = bd->stats;
	irq_restore(f);
	strlcpy(d->name, bd->name, sizeof d->name);
	d->dev = bd->ledger_dev;
	d->max_inflight = bd->max_inflight;
	d->max_segs = bd->max_segs;
	return true;
}
