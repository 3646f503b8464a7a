/*
 * virtio.h - the virtio device model: a device with status and feature
 * bits, some configuration space, and virtqueues through which the driver
 * hands the device buffers to read (DMA memory -> device) or fill
 * (device -> memory).  The virtqueue code (virtqueue.c) knows nothing of
 * PCI; a transport (virtio_pci.c) supplies the register accesses.
 * Reference: Virtual I/O Device (VIRTIO) Version 1.1, sections 2 and 4.1.
 */
#ifndef ZC32_VIRTIO_H
#define ZC32_VIRTIO_H
#include "types.h"

/* Device status bits (spec 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED      128

/* Split virtqueue layout (spec 2.6). */
#define VRING_DESC_F_NEXT     1
#define VRING_DESC_F_WRITE    2     /* the device writes this buffer */
#define VRING_USED_F_NO_NOTIFY 1

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
} __attribute__((packed));

struct vring_avail {
	uint16_t flags, idx;
	uint16_t ring[];
} __attribute__((packed));

struct vring_used_elem {
	uint32_t id, len;
} __attribute__((packed));

struct vring_used {
	uint16_t flags, idx;
	struct vring_used_elem ring[];
} __attribute__((packed));

struct virtio_device;

struct virtio_transport {
	uint8_t  (*get_status)(struct virtio_device *d);
	void     (*set_status)(struct virtio_device *d, uint8_t status);
	uint32_t (*get_features)(struct virtio_device *d);
	void     (*set_features)(struct virtio_device *d, uint32_t features);
	uint32_t (*config_read32)(struct virtio_device *d, int off);
	uint16_t (*queue_size)(struct virtio_device *d, int q);
	void     (*queue_setup)(struct virtio_device *d, int q, uint32_t ring_pa);
	void     (*queue_notify)(struct virtio_device *d, int q);
	uint8_t  (*ack_interrupt)(struct virtio_device *d);
};

struct virtio_device {
	const struct virtio_transport *t;
	uint32_t iobase;
	int irq;
	void *driver;            /* the driver's own state */
};

/* One buffer of a request: physical address and length. */
struct vq_buf {
	uint32_t pa, len;
};

struct virtqueue {
	struct virtio_device *vdev;
	int index;
	uint16_t size;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t free_head, num_free, last_used;
	void **tokens;            /* per head descriptor: the request */
};

int   virtio_reset_and_ack(struct virtio_device *d);
int   virtio_negotiate(struct virtio_device *d, uint32_t wanted, uint32_t *got);
void  virtio_driver_ok(struct virtio_device *d);

int   vq_init(struct virtqueue *vq, struct virtio_device *d, int index);
int   vq_add(struct virtqueue *vq, const struct vq_buf *bufs, int out, int in, void *token);
void  vq_kick(struct virtqueue *vq);
void *vq_pop_used(struct virtqueue *vq, uint32_t *len);

/* virtio_pci.c */
extern const struct virtio_transport virtio_pci_legacy;

/* virtio_blk.c: find the virtio disks and register them with the block layer. */
void virtio_blk_init(void);

#endif
