/*
 * acpi.c - just enough ACPI to turn the machine off (S5, soft off).
 *
 * acpi_init() runs at boot and follows the firmware's tables (ACPI 6.0):
 *   5.2.5.1  the RSDP: "RSD PTR " on a 16-byte boundary in the first KiB
 *            of the EBDA or in 0xE0000-0xFFFFF; 5.2.5.3 its checksums
 *   5.2.6    the header every table starts with (signature, length,
 *            checksum: all bytes of the table add up to 0)
 *   5.2.7/8  the RSDT (32-bit table pointers) or XSDT (64-bit ones)
 *   5.2.9    the FADT ("FACP"): PM1a_CNT_BLK, PM1b_CNT_BLK, the DSDT
 *   7.4.2    \_S5: a package whose first two elements are the SLP_TYP
 *            values for PM1a_CNT and PM1b_CNT
 *   20.2     AML encoding: \_S5 is found by its bytes, NameOp (0x08)
 *            "_S5_" PackageOp (0x12) PkgLength NumElements, elements as
 *            BytePrefix (0x0A) + byte, Zero, One or Ones.  Not an AML
 *            interpreter: nearly every firmware writes \_S5 this way.
 * acpi_power_off() then sets SLP_TYPx and SLP_EN in PM1x_CNT (4.8.3.2.1).
 *
 * The tables are the firmware's and not trusted: each must lie inside one
 * region of the boot memory map (or below 1 MiB), have a sane length and
 * a correct checksum.  Anything else means no ACPI, and power-off falls
 * back to QEMU's fixed ports.  Tables above the direct map (SeaBIOS puts
 * them at the top of RAM, in a reserved region) are read through ioremap.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "multiboot.h"
#include "mm/vm.h"

#define TABLE_MAX  (1u << 20)        /* larger than any table we read */
#define SLP_TYP(t) (((t) & 7) << 10)
#define SLP_EN     (1 << 13)

struct sdt {                         /* 5.2.6 */
	char sig[4];
	uint32_t len;
	uint8_t rev, sum, oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static uint32_t direct_top;          /* physical memory below this is direct-mapped */
static struct { uint32_t pa, len; uint8_t *va; } win;   /* the last ioremap */
static uint32_t budget = 4u << 20;   /* of the ioremap window, so bad tables cannot fill it */
static uint16_t pm1_cnt[2];          /* PM1a_CNT, PM1b_CNT (0: none) */
static uint8_t slp_typ[2];
static bool found;

static uint32_t rd32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static uint8_t sum(const void *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s += ((const uint8_t *)p)[n];
	return s;
}

/* Physical [pa, pa + len) as a kernel pointer, or NULL if the boot memory
 * map has it in no region (the BIOS area below 1 MiB always qualifies). */
static void *map(uint64_t pa, uint32_t len)
{
	uint64_t end = pa + len, top = end <= 0x100000 ? 0x100000 : 0;
	if (!pa || !len || end > 1ull << 32)
		return NULL;
	for (int i = 0; !top && i < boot_mmap_count; i++)
		if (pa >= boot_mmap[i].addr && end <= boot_mmap[i].addr + boot_mmap[i].len)
			top = MIN(boot_mmap[i].addr + boot_mmap[i].len, 1ull << 32);
	if (!top)
		return NULL;
	if (end <= direct_top)
		return P2V(pa);
	if (win.va && pa >= win.pa && end <= (uint64_t)win.pa + win.len)
		return win.va + (pa - win.pa);
	uint32_t n = MIN(top - pa, MAX(len, 64u << 10));  /* and the next tables, likely */
	uint32_t cost = ALIGN_UP(n + (uint32_t)(pa & (PAGE_SIZE - 1)), PAGE_SIZE);
	if (cost > budget)
		return NULL;
	budget -= cost;
	win.pa = pa, win.len = n, win.va = ioremap(pa, n);
	return win.va;
}

/* The table at pa if it has signature sig, a sane length and its checksum. */
static const struct sdt *table(uint64_t pa, const char *sig)
{
	const struct sdt *h = map(pa, sizeof *h);
	if (!h || memcmp(h->sig, sig, 4) || h->len < sizeof *h || h->len > TABLE_MAX)
		return NULL;
	uint32_t len = h->len;
	h = map(pa, len);
	return h && h->len == len && !sum(h, len) ? h : NULL;
}

static const uint8_t *find_rsdp(uint32_t pa, uint32_t len)
{
	const uint8_t *p = map(pa, len);
	for (uint32_t off = 0; p && off + 36 <= len; off += 16)
		if (!memcmp(p + off, "RSD PTR ", 8) && !sum(p + off, 20))
			return p + off;
	return NULL;
}

/* SLP_TYPa and SLP_TYPb from Name(\_S5, Package() {a, b, ...}). */
static bool find_s5(const struct sdt *dsdt)
{
	const uint8_t *end = (const uint8_t *)dsdt + dsdt->len;
	for (const uint8_t *p = (const uint8_t *)(dsdt + 1) + 1; p + 4 <= end; p++) {
		if (memcmp(p, "_S5_", 4) || !(p[-1] == 0x08 || (p[-1] == '\\' && p[-2] == 0x08)))
			continue;
		const uint8_t *q = p + 4;
		if (end - q < 3 || *q++ != 0x12)                 /* PackageOp */
			continue;
		q += 1 + (*q >> 6);                              /* PkgLength: 1 to 4 bytes */
		if (q >= end || *q++ < 2)                        /* NumElements */
			continue;
		int i;
		for (i = 0; i < 2 && q < end; i++) {
			if (*q == 0x0A && q + 1 < end)           /* BytePrefix */
				slp_typ[i] = q[1], q += 2;
			else if (*q == 0x00 || *q == 0x01 || *q == 0xFF)   /* Zero, One, Ones */
				slp_typ[i] = *q++;
			else
				break;
		}
		if (i == 2)
			return true;
	}
	return false;
}

static const char *acpi_find(void)
{
	const uint16_t *ebda_seg = map(0x40e, 2);
	uint32_t ebda = ebda_seg ? (uint32_t)*ebda_seg << 4 : 0;
	const uint8_t *rsdp = ebda >= 0x80000 && ebda < 0xa0000 ? find_rsdp(ebda, 1024) : NULL;
	if (!rsdp && !(rsdp = find_rsdp(0xe0000, 0x20000)))
		return "no RSDP";
	const struct sdt *root = table(rd32(rsdp + 16), "RSDT"), *fadt = NULL;
	uint32_t esz = 4;
	if (!root && rsdp[15] >= 2 && !sum(rsdp, 36) && (root = table(rd32(rsdp + 24) |
			(uint64_t)rd32(rsdp + 28) << 32, "XSDT")))
		esz = 8;
	if (!root)
		return "no RSDT or XSDT";
	const uint8_t *e = (const uint8_t *)(root + 1), *end = (const uint8_t *)root + root->len;
	uint64_t fadt_pa = 0;
	for (; !fadt && e + esz <= end; e += esz) {
		fadt_pa = rd32(e) | (esz == 8 ? (uint64_t)rd32(e + 4) << 32 : 0);
		fadt = table(fadt_pa, "FACP");
	}
	if (!fadt || fadt->len < 116)                    /* the ACPI 1.0 FADT's size */
		return "no FADT";
	const uint8_t *f = (const uint8_t *)fadt;
	uint32_t a = rd32(f + 64), b = rd32(f + 68);
	if (!a || a > 0xfffc || b > 0xfffc || f[89] < 2)   /* PM1_CNT_LEN */
		return "no PM1 control register";
	uint64_t dsdt_pa = rd32(f + 40);
	if (!dsdt_pa && fadt->len >= 148)                 /* X_DSDT */
		dsdt_pa = rd32(f + 140) | (uint64_t)rd32(f + 144) << 32;
	const struct sdt *dsdt = table(dsdt_pa, "DSDT");
	if (!dsdt)
		return "no DSDT";
	if (!find_s5(dsdt))
		return "no \\_S5 in the DSDT";
	pm1_cnt[0] = a, pm1_cnt[1] = b;
	if (b)
		printk("acpi: FADT at 0x%x, PM1a_CNT 0x%x, PM1b_CNT 0x%x, S5 SLP_TYP %u/%u\n",
		       (uint32_t)fadt_pa, a, b, slp_typ[0] & 7, slp_typ[1] & 7);
	else
		printk("acpi: FADT at 0x%x, PM1a_CNT 0x%x, S5 SLP_TYP %u\n", (uint32_t)fadt_pa, a,
		       slp_typ[0] & 7);
	return NULL;
}

void acpi_init(uint32_t ram_top)
{
	direct_top = ram_top;
	const char *why = acpi_find();
	found = !why;
	if (why)
		printk("acpi: %s: power-off falls back to QEMU's ports 0x604 and 0xb004\n", why);
}

/* S5: SLP_TYP into PM1a_CNT, then PM1b_CNT (7.4.2 wants that order), then
 * SLP_EN into both; other bits (SCI_EN) are kept.  Returns if the machine
 * is still on. */
void acpi_power_off(void)
{
	if (!found) {
		outw(0x604, SLP_EN);     /* QEMU's PIIX4 and ICH9 under SeaBIOS */
		outw(0xb004, SLP_EN);    /* Bochs and older QEMU BIOSes */
		return;
	}
	for (int en = 0; en <= SLP_EN; en += SLP_EN)
		for (int i = 0; i < 2; i++)
			if (pm1_cnt[i])
				outw(pm1_cnt[i], (inw(pm1_cnt[i]) & ~(SLP_TYP(7) | SLP_EN)) |
				     SLP_TYP(slp_typ[i]) | en);
}
