/*
 * pci.c - finding devices on the PCI bus through configuration space
 * mechanism #1 (I/O ports 0xCF8 address, 0xCFC data).  Each function's
 * vendor/device IDs, class, BARs (the address ranges where its registers
 * are, sized by writing all ones) and interrupt line are recorded, and a
 * boot log line is printed per device.
 * Reference: PCI Local Bus Specification 3.0, 3.2.2.3.2 and 6.1-6.2.5.
 */
#include "kernel.h"
#include "x86.h"
#include "pci.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define CFG_VENDOR   0x00
#define CFG_COMMAND  0x04
#define CFG_CLASS    0x08
#define CFG_HEADER   0x0e
#define CFG_BAR0     0x10
#define CFG_SUBSYS   0x2e
#define CFG_IRQ      0x3c
#define CMD_IO       0x1
#define CMD_MEM      0x2
#define CMD_MASTER   0x4
#define MAX_DEVICES  32

static struct pci_device devices[MAX_DEVICES];
static int ndevices;

static uint32_t cfg_addr(int bus, int dev, int fn, int off)
{
	return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}

static uint32_t cfg_read(int bus, int dev, int fn, int off)
{
	outl(PCI_ADDR, cfg_addr(bus, dev, fn, off));
	return inl(PCI_DATA);
}

static void cfg_write(int bus, int dev, int fn, int off, uint32_t v)
{
	outl(PCI_ADDR, cfg_addr(bus, dev, fn, off));
	outl(PCI_DATA, v);
}

static uint32_t pci_read32(struct pci_device *d, int off) { return cfg_read(d->bus, d->dev, d->fn, off); }
static uint16_t pci_read16(struct pci_device *d, int off) { return pci_read32(d, off & ~3) >> ((off & 2) * 8); }

static void pci_write16(struct pci_device *d, int off, uint16_t v)
{
	uint32_t old = pci_read32(d, off & ~3);
	int shift = (off & 2) * 8;
	cfg_write(d->bus, d->dev, d->fn, off & ~3, (old & ~(0xffffu << shift)) | (uint32_t)v << shift);
}

/* Size a BAR by writing all ones and reading back the mask. */
static void read_bars(struct pci_device *d)
{
	for (int i = 0; i < 6; i++) {
		int off = CFG_BAR0 + 4 * i;
		uint32_t orig = pci_read32(d, off);
		cfg_write(d->bus, d->dev, d->fn, off, 0xffffffff);
		uint32_t mask = pci_read32(d, off);
		cfg_write(d->bus, d->dev, d->fn, off, orig);
		if (!mask || mask == 0xffffffff)
			continue;
		d->bar_is_io[i] = orig & 1;
		if (d->bar_is_io[i]) {
			d->bar[i] = orig & ~3u;
			d->bar_size[i] = ~(mask & ~3u) + 1;
		} else {
			d->bar[i] = orig & ~15u;
			d->bar_size[i] = ~(mask & ~15u) + 1;
			if (((orig >> 1) & 3) == 2)
				i++;                  /* 64-bit BAR: the next one is its high half */
		}
	}
}

static void scan_bus(int bus);

static void probe(int bus, int dev, int fn)
{
	uint32_t id = cfg_read(bus, dev, fn, CFG_VENDOR);
	if ((id & 0xffff) == 0xffff || ndevices == MAX_DEVICES)
		return;
	struct pci_device *d = &devices[ndevices++];
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	uint32_t cls = pci_read32(d, CFG_CLASS);
	d->class = cls >> 24;
	d->subclass = cls >> 16;
	d->subsystem = pci_read16(d, CFG_SUBSYS);
	d->irq = pci_read32(d, CFG_IRQ) & 0xff;
	if (d->class == 0x06 && d->subclass == 0x04) {          /* PCI-to-PCI bridge */
		int secondary = (pci_read32(d, 0x18) >> 8) & 0xff;
		printk("pci: %02x:%02x.%x bridge to bus %d\n", bus, dev, fn, secondary);
		if (secondary > bus)
			scan_bus(secondary);
		return;
	}
	read_bars(d);
	printk("pci: %02x:%02x.%x %04x:%04x class %02x.%02x irq %d", bus, dev, fn,
	       d->vendor, d->device, d->class, d->subclass, d->irq);
	for (int i = 0; i < 6; i++)
		if (d->bar_size[i])
			printk(" bar%d %s 0x%x+0x%x", i, d->bar_is_io[i] ? "io" : "mem", d->bar[i], d->bar_size[i]);
	printk("\n");
}

static void scan_bus(int bus)
{
	for (int dev = 0; dev < 32; dev++) {
		if ((cfg_read(bus, dev, 0, CFG_VENDOR) & 0xffff) == 0xffff)
			continue;
		bool multi = (cfg_read(bus, dev, 0, CFG_HEADER & ~3) >> 16) & 0x80;
		for (int fn = 0; fn < (multi ? 8 : 1); fn++)
			probe(bus, dev, fn);
	}
}

/* Bus 0, and any bus behind a bridge on it. */
void pci_init(void)
{
	scan_bus(0);
}

struct pci_device *pci_find(uint16_t vendor, uint16_t device, int index)
{
	for (int i = 0; i < ndevices; i++)
		if (devices[i].vendor == vendor && devices[i].device == device && index-- == 0)
			return &devices[i];
	return NULL;
}

/* Let the CPU reach the device's registers (its BARs). */
void pci_enable_decode(struct pci_device *d)
{
	uint16_t cmd = pci_read16(d, CFG_COMMAND);
	pci_write16(d, CFG_COMMAND, cmd | CMD_IO | CMD_MEM);
}

/* Let the device DMA.  A driver calls this only once the device is
 * quiet: a device the firmware left running would otherwise go on
 * using the firmware's rings in memory the kernel has taken over. */
void pci_set_master(struct pci_device *d)
{
	uint16_t cmd = pci_read16(d, CFG_COMMAND);
	pci_write16(d, CFG_COMMAND, cmd | CMD_MASTER);
}

void pci_enable(struct pci_device *d)
{
	pci_enable_decode(d);
	pci_set_master(d);
}
