/*
 * e1000.h - Intel 82540EM (e1000) registers and descriptors, as the
 * driver in e1000.c uses them.  Section numbers are from the "PCI/PCI-X
 * Family of Gigabit Ethernet Controllers Software Developer's Manual"
 * (8254x SDM, rev. 4.0).
 */
#ifndef ZC32_E1000_H
#define ZC32_E1000_H
#include "types.h"

#define E1000_VENDOR   0x8086
#define E1000_DEVICE   0x100e      /* 82540EM, QEMU's "e1000" */

/* Registers (13.4), offsets into BAR0's MMIO window; 32-bit accesses only. */
#define REG_CTRL    0x0000         /* device control (13.4.1) */
#define REG_STATUS  0x0008         /* device status (13.4.2) */
#define REG_EERD    0x0014         /* EEPROM read (13.4.4) */
#define REG_ICR     0x00c0         /* interrupt cause read, clears on read (13.4.17) */
#define REG_ITR     0x00c4         /* interrupt throttling (13.4.18) */
#define REG_IMS     0x00d0         /* interrupt mask set (13.4.20) */
#define REG_IMC     0x00d8         /* interrupt mask clear (13.4.21) */
#define REG_RCTL    0x0100         /* receive control (13.4.22) */
#define REG_TCTL    0x0400         /* transmit control (13.4.33) */
#define REG_TIPG    0x0410         /* transmit inter-packet gap (13.4.34) */
#define REG_RDBAL   0x2800         /* receive descriptor ring base, low (13.4.25) */
#define REG_RDBAH   0x2804
#define REG_RDLEN   0x2808         /* ring length in bytes, multiple of 128 (13.4.27) */
#define REG_RDH     0x2810         /* head: next descriptor the NIC fills */
#define REG_RDT     0x2818         /* tail: one past the last descriptor we gave it */
#define REG_RDTR    0x2820         /* receive delay timer (13.4.30) */
#define REG_TDBAL   0x3800         /* transmit descriptor ring base (13.4.38) */
#define REG_TDBAH   0x3804
#define REG_TDLEN   0x3808
#define REG_TDH     0x3810         /* head: next descriptor the NIC reads */
#define REG_TDT     0x3818         /* tail: writing it starts transmission */
#define REG_TIDV    0x3820         /* transmit interrupt delay (13.4.44) */
#define REG_MTA     0x5200         /* multicast table, 128 words (13.4.47) */
#define REG_RAL0    0x5400         /* receive address 0, low (13.4.48) */
#define REG_RAH0    0x5404         /* receive address 0, high; bit 31 = valid */

#define CTRL_SLU    (1u << 6)      /* set link up */
#define CTRL_RST    (1u << 26)     /* device reset, self-clearing */
#define STATUS_FD   (1u << 0)      /* full duplex */
#define STATUS_LU   (1u << 1)      /* link up */
#define STATUS_SPEED_SHIFT 6       /* 00 10, 01 100, 1x 1000 Mb/s */
#define EERD_START  (1u << 0)
#define EERD_DONE   (1u << 4)

/* Interrupt causes, for ICR, IMS and IMC (13.4.17). */
#define ICR_TXDW    (1u << 0)      /* a descriptor with RS was written back */
#define ICR_TXQE    (1u << 1)      /* transmit queue empty */
#define ICR_LSC     (1u << 2)      /* link status change */
#define ICR_RXDMT0  (1u << 4)      /* receive descriptors below the threshold */
#define ICR_RXO     (1u << 6)      /* receiver overrun: frames lost */
#define ICR_RXT0    (1u << 7)      /* receive timer: a frame arrived */

#define RCTL_EN     (1u << 1)      /* receiver enable */
#define RCTL_SBP    (1u << 2)      /* store bad packets */
#define RCTL_UPE    (1u << 3)      /* unicast promiscuous */
#define RCTL_MPE    (1u << 4)      /* multicast promiscuous */
#define RCTL_LPE    (1u << 5)      /* long packets */
#define RCTL_BAM    (1u << 15)     /* accept broadcast (ARP requests) */
#define RCTL_BSIZE_2048 (0u << 16) /* buffer size 2048 with BSEX = 0 */
#define RCTL_SECRC  (1u << 26)     /* strip the Ethernet CRC */

#define TCTL_EN     (1u << 1)      /* transmitter enable */
#define TCTL_PSP    (1u << 3)      /* pad short packets to 64 bytes */
#define TCTL_CT     (0x0fu << 4)   /* collision threshold */
#define TCTL_COLD   (0x40u << 12)  /* collision distance, full duplex */
#define TIPG_DEFAULT 0x0060200a    /* IPGT 10, IPGR1 8, IPGR2 6 (13.4.34) */

/* Receive descriptor (3.2.3): the NIC writes length, status, errors. */
struct e1000_rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
} __attribute__((packed));

#define RXD_STAT_DD   (1u << 0)    /* descriptor done */
#define RXD_STAT_EOP  (1u << 1)    /* end of packet */
/* CRC/alignment, symbol, sequence, carrier extension, RX data errors (3.2.3.2) */
#define RXD_ERR_FRAME 0x97

/* Transmit context descriptor (3.3.6): where the checksums go. */
struct e1000_tx_ctx_desc {
	uint8_t ipcss;              /* IP checksum start */
	uint8_t ipcso;              /* IP checksum offset (where to store it) */
	uint16_t ipcse;             /* IP checksum end, inclusive */
	uint8_t tucss;              /* TCP/UDP checksum start */
	uint8_t tucso;              /* TCP/UDP checksum offset */
	uint16_t tucse;             /* TCP/UDP checksum end; 0 = end of packet */
	uint32_t cmd_len;           /* PAYLEN (TSO), DTYP = 0, TUCMD */
	uint8_t status;
	uint8_t hdrlen;             /* TSO only */
	uint16_t mss;               /* TSO only */
} __attribute__((packed));

/* Transmit data descriptor (3.3.7): one buffer of a packet. */
struct e1000_tx_data_desc {
	uint64_t addr;
	uint32_t cmd_len;           /* length (bits 0-19), DTYP = 1, DCMD */
	uint8_t status;
	uint8_t popts;              /* checksum options, read from a packet's first descriptor */
	uint16_t special;
} __attribute__((packed));

#define TXD_CMD_EOP   (1u << 24)   /* end of packet */
#define TXD_CMD_IFCS  (1u << 25)   /* insert the Ethernet CRC */
#define TXD_CMD_TCP   (1u << 24)   /* context TUCMD: TCP (vs UDP); same bit as EOP */
#define TXD_CMD_IP    (1u << 25)   /* context TUCMD: IPv4 (vs IPv6) */
#define TXD_CMD_RS    (1u << 27)   /* report status: write DD back when done */
#define TXD_CMD_DEXT  (1u << 29)   /* extended descriptor (context or data) */
#define TXD_CMD_TSE   (1u << 26)   /* TCP segmentation (context and every data descriptor, 3.3.6-3.3.7) */
#define TXD_DTYP_D    (1u << 20)   /* data descriptor (with DEXT) */
#define TXD_DTYP_C    (0u << 20)   /* context descriptor (with DEXT) */
#define TXD_STAT_DD   (1u << 0)
#define TXD_POPTS_IXSM 0x1         /* insert the IP checksum */
#define TXD_POPTS_TXSM 0x2         /* insert the TCP/UDP checksum */

void e1000_init(void);

#endif
