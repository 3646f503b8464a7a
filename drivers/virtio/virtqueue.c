/*
 * virtqueue.c - split virtqueues, independent of the transport.
 *
 * A request is a chain of descriptors: first the buffers the device reads
 * (e.g. a block request header, or data to write), then the ones it
 * writes (data read from disk, a status byte).  The driver puts the
 * chain's head in the available ring and notifies the device; the device
 * does the DMA and puts the head in the used ring, then interrupts.
 * Reference: VIRTIO 1.1, 2.6 (split virtqueues) and 2.6.2 (legacy layout).
 */
#include "kernel.h"
#include "mmu.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "virtio/virtio.h"

#define barrier() asm volatile("" ::: "memory")

void virtio_driver_ok(struct virtio_device *d)
{
	d->t->set_status(d, d->t->get_status(d) | VIRTIO_STATUS_DRIVER_OK);
}

/* Reset the device (the firmware may have left it running with its own
 * rings) and say that a driver is here. */
int virtio_reset_and_ack(struct virtio_device *d)
{
	d->t->set_status(d, 0);
	if (d->t->get_status(d) != 0)
		return -EIO;
	d->t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	d->t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	return 0;
}

int virtio_negotiate(struct virtio_device *d, uint32_t wanted, uint32_t *got)
{
	uint32_t offered = d->t->get_features(d);
	*got = offered & wanted;
	d->t->set_features(d, *got);
	return 0;
}

/* Bytes of a legacy ring of n entries: descriptors and available ring,
 * padded to a page, then the used ring. */
static uint32_t ring_bytes(uint16_t n)
{
	uint32_t a = ALIGN_UP(16 * n + 6 + 2 * n, PAGE_SIZE);
	return a + ALIGN_UP(6 + 8 * n, PAGE_SIZE);
}

int vq_init(struct virtqueue *vq, struct virtio_device *d, int index)
{
	uint16_t n = d->t->queue_size(d, index);
	if (n == 0 || (n & (n - 1)))
		return -ENODEV;
	int pages = ring_bytes(n) / PAGE_SIZE;
	uint32_t pa = pages_alloc_contig(pages);
	if (!pa)
		return -ENOMEM;
	uint8_t *ring = P2V(pa);
	memset(ring, 0, pages * PAGE_SIZE);
	vq->vdev = d;
	vq->index = index;
	vq->size = n;
	vq->desc = (struct vring_desc *)ring;
	vq->avail = (struct vring_avail *)(ring + 16 * n);
	vq->used = (struct vring_used *)(ring + ALIGN_UP(16 * n + 6 + 2 * n, PAGE_SIZE));
	vq->tokens = kzalloc(n * sizeof(void *));
	if (!vq->tokens)
		return -ENOMEM;
	for (uint16_t i = 0; i < n; i++)
		vq->desc[i].next = i + 1;
	vq->free_head = 0;
	vq->num_free = n;
	vq->last_used = 0;
	d->t->queue_setup(d, index, pa);
	return 0;
}

/* Queue a request of out device-readable then in device-writable buffers.
 * Returns -ENOSPC if there are not enough free descriptors (the caller
 * waits for completions and tries again).  Call with interrupts off. */
int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, int out, int in, void *token)
{
	int n = out + in;
	if (n == 0 || n > vq->num_free)
		return -ENOSPC;
	uint16_t head = vq->free_head, i = head, last = head;
	for (int k = 0; k < n; k++) {
		struct vring_desc *d = &vq->desc[i];
		d->addr = bufs[k].pa;
		d->len = bufs[k].len;
		d->flags = (k >= out ? VRING_DESC_F_WRITE : 0) | (k + 1 < n ? VRING_DESC_F_NEXT : 0);
		last = i;
		i = d->next;
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free -= n;
	vq->tokens[head] = token;
	vq->avail->ring[vq->avail->idx % vq->size] = head;
	barrier();                  /* the ring entry before the index (x86 keeps store order) */
	vq->avail->idx++;
	return 0;
}

void vq_kick(struct virtqueue *vq)
{
	barrier();
	if (!(vq->used->flags & VRING_USED_F_NO_NOTIFY))
		vq->vdev->t->queue_notify(vq->vdev, vq->index);
}

/* Take one completed request off the used ring, freeing its descriptors;
 * NULL if there is none.  Call with interrupts off. */
void *vq_pop_used(struct virtqueue *vq, uint32_t *len)
{
	if (vq->last_used == *(volatile uint16_t *)&vq->used->idx)
		return NULL;
	barrier();
	struct vring_used_elem *e = &vq->used->ring[vq->last_used % vq->size];
	vq->last_used++;
	uint16_t head = e->id, i = head;
	if (len)
		*len = e->len;
	void *token = vq->tokens[head];
	vq->tokens[head] = NULL;
	for (;;) {
		vq->num_free++;
		if (!(vq->desc[i].flags & VRING_DESC_F_NEXT))
			break;
		i = vq->desc[i].next;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
	return token;
}
