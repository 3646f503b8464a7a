/*
 * main.c - kmain(), where boot/multiboot.S lands in C.
 *
 * The order matters: the console first (so everything after can print),
 * then what the boot loader told us (command line, memory map, modules),
 * then the CPU tables (GDT, IDT), the kernel's page tables, the page
 * allocator, interrupts, the root filesystem, and finally the first user
 * process.  kmain ends by becoming the scheduler loop.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "multiboot.h"
#include "cmdline.h"
#include "console.h"
#include "trap/pic.h"
#include "timer.h"
#include "random.h"
#include "trap/trap.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/fpu.h"
#include "fs/vfs.h"
#include "fs/writeback.h"
#include "fs/procfs.h"
#include "fs/devfs.h"
#include "pci.h"
#include "e1000.h"
#include "fs/poll.h"
#include "block/block.h"
#include "mm/kheap.h"
#include "fs/ext2/ext2.h"
#include "mm/swap.h"
#include "mm/reclaim.h"
#include "ledger/ledger.h"
#include "net/net.h"
#include "virtio/virtio.h"

#define BOOT_MAPPED (16u << 20)      /* what boot/multiboot.S maps */
#define MAX_MODULES 4

struct multiboot_mmap_entry boot_mmap[32];
int boot_mmap_count;
bool cpu_has_smap;

static struct { uint32_t start, end; } modules[MAX_MODULES];
static int nmodules;

static void *boot_ptr(uint32_t pa, uint32_t len)
{
	if (pa + len > BOOT_MAPPED)
		panic("boot information at %08x is beyond the boot mapping", pa);
	return P2V(pa);
}

/* Copy what we need out of the multiboot information; return top of RAM. */
static uint32_t read_boot_info(uint32_t mbi_pa)
{
	struct multiboot_info *mbi = boot_ptr(mbi_pa, sizeof *mbi);
	cmdline_parse((mbi->flags & MBI_FLAG_CMDLINE) ? boot_ptr(mbi->cmdline, 1) : "");

	uint64_t top = 0;
	if (mbi->flags & MBI_FLAG_MMAP) {
		uint32_t off = 0;
		while (off < mbi->mmap_length && boot_mmap_count < (int)ARRAY_SIZE(boot_mmap)) {
			struct multiboot_mmap_entry *e = boot_ptr(mbi->mmap_addr + off, sizeof *e);
			boot_mmap[boot_mmap_count++] = *e;
			if (e->type == 1 && e->addr + e->len > top)
				top = e->addr + e->len;
			off += e->size + 4;
		}
	} else if (mbi->flags & MBI_FLAG_MEM) {
		boot_mmap[0] = (struct multiboot_mmap_entry){ 20, 0x100000, mbi->mem_upper * 1024ull, 1 };
		boot_mmap_count = 1;
		top = 0x100000 + mbi->mem_upper * 1024ull;
	} else {
		panic("boot loader gave no memory information");
	}
	if (mbi->flags & MBI_FLAG_MODS) {
		struct multiboot_module *m = boot_ptr(mbi->mods_addr, mbi->mods_count * sizeof *m);
		for (uint32_t i = 0; i < mbi->mods_count && nmodules < MAX_MODULES; i++, nmodules++) {
			modules[nmodules].start = m[i].start;
			modules[nmodules].end = m[i].end;
		}
	}
	if (top > DIRECT_MAP_MAX) {
		printk("zc32: using the first %u MiB of RAM\n", DIRECT_MAP_MAX >> 20);
		top = DIRECT_MAP_MAX;
	}
	return ALIGN_DOWN((uint32_t)top, PAGE_SIZE);
}

/* SMEP: the kernel never executes user pages.  SMAP: the kernel reads
 * and writes user pages only inside the copy routines (mm/uaccess.c). */
static void cpu_protections_init(void)
{
	uint32_t a, b, c, d;
	cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return;
	cpuid(7, 0, &a, &b, &c, &d);
	uint32_t cr4 = read_cr4();
	if (b & (1 << 7))
		cr4 |= CR4_SMEP;
	if (b & (1 << 20)) {
		cr4 |= CR4_SMAP;
		cpu_has_smap = true;
	}
	write_cr4(cr4);
	printk("cpu: SMEP %s, SMAP %s\n", (cr4 & CR4_SMEP) ? "on" : "not available",
	       cpu_has_smap ? "on" : "not available");
}

static struct block_device *swap_disk;

static int ext2_sync_root(void *fs) { return ext2_sync(fs); }
static void ext2_shutdown_root(void *fs) { ext2_delete_orphans(fs); }
static void ext2_statfs_root(void *fs, struct statfs *st) { ext2_statfs(fs, st); }
static const struct root_fs_ops ext2_root_ops = { ext2_sync_root, ext2_shutdown_root, ext2_statfs_root };

/* Tell the disks apart by what is on them: an ext2 superblock
 * (ext2_probe) or a Linux swap signature ("SWAPSPACE2" at the end
 * of the first page).  The first ext2 disk becomes the root filesystem
 * (unless root=initrd); the first swap disk is kept for the pager. */
static bool storage_probe(void)
{
	bool mounted = false;
	uint8_t *buf = kmalloc(PAGE_SIZE);
	bool want_disk = strcmp(cmdline_get("root", "auto"), "initrd") != 0;
	for (int i = 0; buf && i < blk_count(); i++) {
		struct block_device *bd = blk_device(i);
		/* The read is counted in the ledger once we know whose it was:
		 * the swap disk's (ZC_DEV_SWAP) or another disk's (ZC_DEV_DISK). */
		bd->ledger_dev = BLK_UNCOUNTED;
		int r = blk_rw(bd, BIO_READ, 0, buf, PAGE_SIZE, "disk->kernel");
		bd->ledger_dev = ZC_DEV_DISK;
		if (r < 0) {
			printk("%s: cannot read\n", bd->name);
			continue;
		}
		bool ext2 = ext2_probe(buf);
		bool swap = !ext2 && memcmp(buf + PAGE_SIZE - SWAP_SIGNATURE_LEN, SWAP_SIGNATURE, SWAP_SIGNATURE_LEN) == 0;
		if (swap && !swap_disk) {
			swap_disk = bd;
			bd->ledger_dev = ZC_DEV_SWAP;
		}
		ledger_dma(bd->ledger_dev, ZC_DMA_DEV_TO_MEM, PAGE_SIZE, "disk->kernel");
		if (ext2) {
			struct inode *root;
			printk("%s: ext2 filesystem\n", bd->name);
			if (!mounted && want_disk && ext2_mount(bd, &root) == 0) {
				vfs_set_root(root);
				vfs_set_root_ops(&ext2_root_ops, root->fs);
				mounted = true;
			}
		} else if (swap) {
			printk("%s: Linux swap area\n", bd->name);
		} else {
			printk("%s: no filesystem or swap signature: not used\n", bd->name);
		}
	}
	kfree(buf);
	return mounted;
}

void kmain(uint32_t magic, uint32_t mbi_pa)
{
	serial_init();
	printk_set_console(console_write_message);   /* COM1 until console= is read */
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot loader (eax=%08x)", magic);
	uint32_t ram_top = read_boot_info(mbi_pa);

	const char *con = cmdline_get("console", "ttyS0");
	console_init(strcmp(con, "vga") == 0 ? CONSOLE_VGA :
		     strcmp(con, "both") == 0 ? CONSOLE_SERIAL | CONSOLE_VGA : CONSOLE_SERIAL);
	printk("zc32 %s booting (cmdline: %s)\n", ZC32_VERSION, cmdline_raw);

	/* Boot-time allocations start after the kernel and any module near it. */
	uint32_t first_free = V2P(kernel_end);
	for (int i = 0; i < nmodules; i++)
		if (modules[i].start < first_free + (32u << 20) && modules[i].end > first_free)
			first_free = modules[i].end;
	early_alloc_init(first_free);

	gdt_init();
	idt_init();
	vm_init(ram_top);
	acpi_init(ram_top);
	pmm_init(ram_top);
	for (int i = 0; i < nmodules; i++)
		pmm_reserve(modules[i].start, modules[i].end);
	printk("mem: %u MiB usable, %u pages free\n", pmm_total_pages() / 256, pmm_free_pages());
	cpu_protections_init();
	fpu_init();

	pic_init();
	timer_init(cmdline_get_int("hz", 100));
	random_seed(boot_epoch << 32);       /* getrandom's generator, from the RTC */
	serial_enable_irq();
	timer_add_callback(poll_tick, 1);    /* poll() timeouts */

	pci_init();
	virtio_blk_init();
	e1000_init();                        /* registers eth0 with the stack */
	net_init();
	reclaim_init();
	sendfile_init();
	bool have_root = storage_probe();
	if (swap_disk && strcmp(cmdline_get("swap", "on"), "off") != 0)
		swap_init(swap_disk);
	else
		printk("swap: %s\n", swap_disk ? "disabled by swap=off" : "no swap disk: running without swap");

	if (!have_root && nmodules > 0)
		initrd_mount(P2V(modules[0].start), modules[0].end - modules[0].start);
	else if (!have_root)
		printk("zc32: no root filesystem: neither an ext2 disk nor an initial ramdisk\n");
	procfs_init();                       /* /proc and /dev, over whichever root */
	devfs_init();

	const char *init = cmdline_get("init", "/bin/init");
	init_argv[0] = (char *)init;
	printk("zc32: starting init: %s\n", init);
	proc_start_init(init, init_argv, console_file_open());
	if (have_root)
		writeback_start();      /* after init, which is pid 1 */
	scheduler();
}
