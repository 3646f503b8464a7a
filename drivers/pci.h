/* pci.h - PCI devices found at boot (drivers/pci.c). */
#ifndef ZC32_PCI_H
#define ZC32_PCI_H
#include "types.h"

struct pci_device {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class, subclass;
	uint16_t subsystem;
	uint8_t irq;                  /* legacy INTx line, routed by the firmware */
	uint32_t bar[6];              /* decoded base addresses */
	uint32_t bar_size[6];
	bool bar_is_io[6];
};

void pci_init(void);
struct pci_device *pci_find(uint16_t vendor, uint16_t device, int index);
void pci_enable(struct pci_device *d);      /* I/O, memory and bus mastering on */
void pci_enable_decode(struct pci_device *d);   /* I/O and memory only */
void pci_set_master(struct pci_device *d);      /* bus mastering (DMA) on */

#endif
