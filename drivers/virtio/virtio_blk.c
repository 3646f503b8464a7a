/*
 * virtio_blk.c - the virtio block device driver.
 *
 * A request is a descriptor chain: a 16-byte header (operation and start
 * sector) the device reads, the data pages (scatter-gather: one
 * descriptor per segment; the device writes them on a read), and a status
 * byte the device writes.  Submission adds the chain and notifies the
 * device; many requests can be in flight.  Completion comes by interrupt:
 * vblk_irq() pops finished chains off the used ring and completes
 * their bios, which wakes the sleeping processes.
 * Reference: VIRTIO 1.1, 5.2 (block device).
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "pci.h"
#include "cmdline.h"
#include "irq.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "block/block.h"
#include "proc/sched.h"
#include "virtio/virtio.h"

#define VIRTIO_VENDOR        0x1af4
#define VIRTIO_BLK_LEGACY_ID 0x1001
#define VIRTIO_ID_BLOCK      2      /* a transitional device's PCI subsystem ID (4.1.2.1, 5) */

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO      5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH   9

/* Request types and status values (5.2.6). */
#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK    0

/* Config space offsets (5.2.4). */
#define CFG_CAPACITY 0     /* 64-bit, in 512-byte sectors */
#define CFG_SEG_MAX  12

struct blk_req_header {
	uint32_t type, reserved;
	uint64_t sector;
} __attribute__((packed));

struct vblk {
	struct virtio_device vdev;
	struct virtqueue vq;
	struct block_device bd;
	struct blk_req_header *headers;    /* one per possible head descriptor */
	uint8_t *status;
	bool has_flush;
};

static int ndisks;

static int vblk_submit(struct block_device *bd, struct bio *b)
{
	struct vblk *v = bd->priv;
	struct vq_buf bufs[BIO_MAX_SEGS + 2];
	int n = 0;
	if (b->op == BIO_FLUSH && !v->has_flush)
		return (blk_complete(b, 0), 0);
	if (b->nseg > bd->max_segs)
		return -EINVAL;                /* the builder ignored max_segs: a kernel bug, not a hang */
	uint32_t f = irq_save();
	/* Wait for enough free descriptors, and for the device to have fewer
	 * requests than the driver's limit (virtio_blk.max_inflight=). */
	while (v->vq.num_free < b->nseg + 2 || (int)bd->stats.inflight >= bd->max_inflight)
		sleep_on(&v->vq);
	uint16_t head = v->vq.free_head;
	struct blk_req_header *h = &v->headers[head];
	h->type = b->op == BIO_READ ? VIRTIO_BLK_T_IN : b->op == BIO_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
	h->reserved = 0;
	h->sector = b->sector;
	v->status[head] = 0xff;
	bufs[n++] = (struct vq_buf){ V2P(h), sizeof *h };
	/* LAB virtio: BEGIN */
	for (int i = 0; i < b->nseg; i++)
		bufs[n++] = (struct vq_buf){ b->seg[i].pa, b->seg[i].len };
	/* LAB virtio: STUB
	if (b->nseg)                   // one segment: max_segs is 1
		bufs[n++] = (struct vq_buf){ b->seg[0].pa, b->seg[0].len };
	   LAB virtio: END */
	bufs[n++] = (struct vq_buf){ V2P(&v->status[head]), 1 };
	/* The device reads the header (and data on a write); it writes the
	 * data on a read, and always the status byte. */
	int out = b->op == BIO_WRITE ? n - 1 : 1;
	int r = vq_add(&v->vq, bufs, out, n - out, b);
	if (r == 0) {
		b->driver_tag = head;
		blk_issued(b);
		vq_kick(&v->vq);
	}
	irq_restore(f);
	return r;
}

static void vblk_irq(void *arg)
{
	struct vblk *v = arg;
	if (!(v->vdev.t->ack_interrupt(&v->vdev) & 1))
		return;                      /* not ours (shared line) or config change */
	struct bio *b;
	while ((b = vq_pop_used(&v->vq, NULL))) {
		uint16_t head = b->driver_tag;
		blk_complete(b, v->status[head] == VIRTIO_BLK_S_OK ? 0 : -EIO);
	}
	wakeup(&v->vq);
}

/* Reset before bus mastering: the firmware (SeaBIOS) may have left the
 * device running on its own rings, and with DMA on it could still write
 * memory we are about to reuse (VIRTIO 1.1, 3.1.1). */
static bool vblk_reset(struct vblk *v, struct pci_device *pd)
{
	pci_enable_decode(pd);
	uint8_t fw_status = pd->bar_is_io[0] ? v->vdev.t->get_status(&v->vdev) : 0;
	if (!pd->bar_is_io[0] || virtio_reset_and_ack(&v->vdev) < 0) {
		printk("virtio-blk %02x:%02x.%x: cannot reset, ignored\n", pd->bus, pd->dev, pd->fn);
		return false;
	}
	printk("virtio-blk %02x:%02x.%x: reset (firmware left status 0x%02x)\n",
	       pd->bus, pd->dev, pd->fn, fw_status);
	pci_set_master(pd);
	return true;
}

/* The request queue, and a header and status byte per head descriptor. */
static bool vblk_setup_queue(struct vblk *v, struct pci_device *pd)
{
	/* A request is a header, at least one data segment and a status
	 * byte: a queue of fewer than three descriptors could never take one. */
	if (vq_init(&v->vq, &v->vdev, 0) < 0 || v->vq.size < 3) {
		printk("virtio-blk %02x:%02x.%x: no usable queue (size %u), ignored\n",
		       pd->bus, pd->dev, pd->fn, v->vdev.t->queue_size(&v->vdev, 0));
		return false;
	}
	uint32_t hpa = pages_alloc_contig(ALIGN_UP(v->vq.size * sizeof(struct blk_req_header), PAGE_SIZE) / PAGE_SIZE);
	uint32_t spa = page_alloc_zeroed();
	if (!hpa || !spa)
		return false;
	v->headers = P2V(hpa);
	v->status = P2V(spa);
	return true;
}

/* Size and limits from the configuration space (5.2.4) and the queue,
 * then the command line's. */
static void vblk_set_limits(struct vblk *v, uint32_t features)
{
	struct block_device *bd = &v->bd;
	bd->sectors = v->vdev.t->config_read32(&v->vdev, CFG_CAPACITY) |
		      (uint64_t)v->vdev.t->config_read32(&v->vdev, CFG_CAPACITY + 4) << 32;
	bd->readonly = features & (1u << VIRTIO_BLK_F_RO);
	/* LAB virtio: BEGIN */
	bd->max_segs = BIO_MAX_SEGS;
	if (features & (1u << VIRTIO_BLK_F_SEG_MAX))
		bd->max_segs = MIN(BIO_MAX_SEGS, (int)v->vdev.t->config_read32(&v->vdev, CFG_SEG_MAX));
	/* LAB virtio: STUB
	bd->max_segs = 1;
	   LAB virtio: END */
	/* A small queue caps the segments too: a request needing more
	 * descriptors than the queue has would wait for them forever. */
	bd->max_segs = MAX(1, MIN(bd->max_segs, v->vq.size - 2));
	/* A request takes at least three descriptors (header, data, status). */
	/* LAB virtio: BEGIN */
	bd->max_inflight = v->vq.size / 3;
	/* LAB virtio: STUB
	bd->max_inflight = 1;
	   LAB virtio: END */
	/* Limits for experiments and tests (docs/boot.md): one request at a
	 * time, or one segment per request, shows what the disk path loses
	 * without overlap or scatter-gather. */
	int lim = cmdline_get_int("virtio_blk.max_inflight", 0);
	if (lim > 0)
		bd->max_inflight = MIN(bd->max_inflight, lim);
	lim = cmdline_get_int("virtio_blk.max_segs", 0);
	if (lim > 0)
		bd->max_segs = MIN(bd->max_segs, lim);
}

/* One disk: reset, features, queue, limits, interrupt, then it is vdX. */
static void vblk_probe(struct pci_device *pd)
{
	/* The firmware routes INTx and writes the line into config space;
	 * 0xff means "no interrupt".  Completions come only by interrupt, so
	 * a disk without a usable line would leave its readers asleep. */
	if (!irq_line_usable(pd->irq)) {
		printk("virtio-blk %02x:%02x.%x: no usable interrupt line (%d), ignored\n",
		       pd->bus, pd->dev, pd->fn, pd->irq);
		return;
	}
	struct vblk *v = kzalloc(sizeof *v);
	if (!v)
		return;
	v->vdev.t = &virtio_pci_legacy;
	v->vdev.iobase = pd->bar[0];
	v->vdev.irq = pd->irq;
	if (!vblk_reset(v, pd))
		return;
	uint32_t features;
	virtio_negotiate(&v->vdev, 1u << VIRTIO_BLK_F_SEG_MAX | 1u << VIRTIO_BLK_F_RO |
			 1u << VIRTIO_BLK_F_FLUSH, &features);
	if (!vblk_setup_queue(v, pd) || irq_register(pd->irq, vblk_irq, v) < 0) {
		v->vdev.t->set_status(&v->vdev, VIRTIO_STATUS_FAILED);
		return;
	}
	v->has_flush = features & (1u << VIRTIO_BLK_F_FLUSH);
	vblk_set_limits(v, features);
	struct block_device *bd = &v->bd;
	snprintf(bd->name, sizeof bd->name, "vd%c", 'a' + ndisks++);
	bd->submit = vblk_submit;
	bd->priv = v;
	bd->ledger_dev = ZC_DEV_DISK;
	virtio_driver_ok(&v->vdev);
	blk_register(bd);
	printk("%s: virtio-blk, %u MiB, queue %u, %d requests in flight, %d segments/request%s%s\n",
	       bd->name, (uint32_t)(bd->sectors >> 11), v->vq.size, bd->max_inflight, bd->max_segs,
	       bd->readonly ? ", read-only" : "", v->has_flush ? ", flush" : "");
}

void virtio_blk_init(void)
{
	struct pci_device *pd;
	for (int i = 0; (pd = pci_find(VIRTIO_VENDOR, VIRTIO_BLK_LEGACY_ID, i)); i++)
		if (pd->subsystem == VIRTIO_ID_BLOCK)
			vblk_probe(pd);
}
