/*
 * virtio_pci.c - the legacy virtio-over-PCI transport: the device's
 * registers are a small block of I/O ports behind BAR0.  zc32 pins this
 * interface in QEMU with -device virtio-blk-pci,disable-modern=on.
 * Reference: VIRTIO 1.1, 4.1.4.8 (legacy interfaces: a note on PCI
 * device layout); QEMU include/standard-headers/linux/virtio_pci.h.
 */
#include "x86.h"
#include "mmu.h"
#include "virtio/virtio.h"

#define REG_HOST_FEATURES  0x00
#define REG_GUEST_FEATURES 0x04
#define REG_QUEUE_PFN      0x08
#define REG_QUEUE_NUM      0x0c
#define REG_QUEUE_SEL      0x0e
#define REG_QUEUE_NOTIFY   0x10
#define REG_STATUS         0x12
#define REG_ISR            0x13
#define REG_CONFIG         0x14    /* device-specific config, without MSI-X */

static uint8_t get_status(struct virtio_device *d) { return inb(d->iobase + REG_STATUS); }
static void set_status(struct virtio_device *d, uint8_t s) { outb(d->iobase + REG_STATUS, s); }
static uint32_t get_features(struct virtio_device *d) { return inl(d->iobase + REG_HOST_FEATURES); }
static void set_features(struct virtio_device *d, uint32_t f) { outl(d->iobase + REG_GUEST_FEATURES, f); }
static uint32_t config_read32(struct virtio_device *d, int off) { return inl(d->iobase + REG_CONFIG + off); }

static uint16_t queue_size(struct virtio_device *d, int q)
{
	outw(d->iobase + REG_QUEUE_SEL, q);
	return inw(d->iobase + REG_QUEUE_NUM);
}

static void queue_setup(struct virtio_device *d, int q, uint32_t ring_pa)
{
	outw(d->iobase + REG_QUEUE_SEL, q);
	outl(d->iobase + REG_QUEUE_PFN, ring_pa >> PAGE_SHIFT);
}

static void queue_notify(struct virtio_device *d, int q) { outw(d->iobase + REG_QUEUE_NOTIFY, q); }

/* Reading ISR acknowledges the interrupt and lowers the INTx line. */
static uint8_t ack_interrupt(struct virtio_device *d) { return inb(d->iobase + REG_ISR); }

const struct virtio_transport virtio_pci_legacy = {
	.get_status = get_status,
	.set_status = set_status,
	.get_features = get_features,
	.set_features = set_features,
	.config_read32 = config_read32,
	.queue_size = queue_size,
	.queue_setup = queue_setup,
	.queue_notify = queue_notify,
	.ack_interrupt = ack_interrupt,
};
