/*
 * block.h - the block layer: disks as arrays of 512-byte sectors, and
 * bios, the requests that move whole pages between memory and a disk by
 * DMA.  The filesystem (page cache, ext2 metadata) and swap both use it.
 */
#ifndef ZC32_BLOCK_H
#define ZC32_BLOCK_H
#include "types.h"
#include "uapi/zc32.h"

#define SECTOR_SIZE   512
#define BIO_MAX_SEGS  64

enum bio_op { BIO_READ, BIO_WRITE, BIO_FLUSH };

struct bio_seg {
	uint32_t pa;               /* physical address: the device DMAs here */
	uint32_t len;
};

struct bio {
	struct block_device *bdev;
	enum bio_op op;
	uint64_t sector;
	int nseg;
	struct bio_seg seg[BIO_MAX_SEGS];
	const char *what;          /* ledger label, e.g. "disk->pagecache" */
	volatile bool done;
	int error;                 /* 0 or -EIO */
	void (*end_io)(struct bio *b);   /* optional; runs in interrupt context */
	void *private;             /* the submitter's */
	uint32_t driver_tag;       /* the driver's (virtio-blk: head descriptor) */
	bool issued;               /* the device has it (blk_issued) */
};

/* ledger_dev while storage_probe reads a disk it does not know yet: the
 * bios are not counted, storage_probe counts the read once it knows. */
#define BLK_UNCOUNTED ZC_DEV_KINDS

struct block_device {
	char name[8];              /* "vda", "vdb", ... */
	uint64_t sectors;
	bool readonly;
	enum zc_dev ledger_dev;    /* ZC_DEV_DISK or ZC_DEV_SWAP, set when identified (or BLK_UNCOUNTED) */
	int max_segs;              /* data segments per bio (the driver's and the device's limit) */
	int max_inflight;          /* requests the driver puts on the device at once */
	int (*submit)(struct block_device *bd, struct bio *b);
	void *priv;
	/* What the disk has done, counted by blk_issued and blk_complete in
	 * zc_diskstat's own form (blk_diskstat adds the name and limits). */
	struct zc_diskstat stats;
};

void blk_register(struct block_device *bd);
struct block_device *blk_device(int i);
int  blk_count(void);
void blk_submit(struct bio *b);
int  blk_wait(struct bio *b);
void blk_issued(struct bio *b);                 /* the driver: the device has b now */
void blk_complete(struct bio *b, int error);
void blk_reset_stats(void);
bool blk_diskstat(int i, struct zc_diskstat *out);   /* false past the last disk */
int  blk_rw(struct block_device *bd, enum bio_op op, uint64_t sector, void *kbuf, uint32_t len,
	    const char *what);

#endif
