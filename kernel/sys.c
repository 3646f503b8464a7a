/*
 * sys.c - small system calls: clocks and sleeping, uname, reboot,
 * thread-local storage, identity (everyone is root), and zc_info.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "syscalls.h"
#include "timer.h"
#include "trap/trap.h"
#include "proc/sched.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "fs/pagecache.h"
#include "fs/bcache.h"
#include "mm/swap.h"
#include "mm/reclaim.h"

struct timespec32 { int32_t sec, nsec; };
struct timeval32 { int32_t sec, usec; };

long sys_time(uint32_t *ut)
{
	uint32_t t = boot_epoch + time_ns() / 1000000000ull;
	if (ut && put_user_arg(ut, &t, sizeof t) < 0)
		return -EFAULT;
	return t;
}

long sys_gettimeofday(void *utv, void *tz)
{
	uint64_t ns = time_ns();
	struct timeval32 tv = { boot_epoch + ns / 1000000000ull, (ns % 1000000000ull) / 1000 };
	if (utv && put_user_arg(utv, &tv, sizeof tv) < 0)
		return -EFAULT;
	return 0;
}

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

long sys_clock_gettime(int clk, void *uts)
{
	uint64_t ns = time_ns();
	struct timespec32 ts = { ns / 1000000000ull, ns % 1000000000ull };
	if (clk == CLOCK_REALTIME)
		ts.sec += boot_epoch;
	else if (clk != CLOCK_MONOTONIC && clk != 4 /* MONOTONIC_RAW */ && clk != 7 /* BOOTTIME */)
		return -EINVAL;
	return put_user_arg(uts, &ts, sizeof ts);
}

/* Sleep at least the requested time, in whole timer ticks. */
long sys_nanosleep(const void *ureq, void *urem)
{
	struct timespec32 req;
	if (get_user_arg(&req, ureq, sizeof req) < 0)
		return -EFAULT;
	if (req.sec < 0 || req.nsec < 0 || req.nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)req.sec * 1000000000ull + req.nsec;
	uint64_t tick_ns = 1000000000ull / timer_hz;
	uint64_t deadline = ticks + (ns + tick_ns - 1) / tick_ns + (ns ? 1 : 0);
	uint32_t f = irq_save();
	while (ticks < deadline && !current->killed)
		sleep_until(deadline);
	irq_restore(f);
	if (ticks < deadline) {
		uint64_t left = (deadline - ticks) * tick_ns;
		struct timespec32 rem = { left / 1000000000ull, left % 1000000000ull };
		if (urem && put_user_arg(urem, &rem, sizeof rem) < 0)
			return -EFAULT;
		return -EINTR;
	}
	return 0;
}

long sys_uname(void *ubuf)
{
	char u[6][65];
	memset(u, 0, sizeof u);
	strlcpy(u[0], "zc32", 65);
	strlcpy(u[1], "zc32", 65);
	strlcpy(u[2], ZC32_VERSION, 65);
	strlcpy(u[3], "zc32 " ZC32_VERSION " " __DATE__, 65);
	strlcpy(u[4], "i686", 65);
	strlcpy(u[5], "(none)", 65);
	return put_user_arg(ubuf, u, sizeof u);
}

/* reboot(2) with Linux's magic numbers. */
#define REBOOT_MAGIC1   0xfee1dead
#define REBOOT_MAGIC2   672274793
#define REBOOT_MAGIC2A  85072278
#define REBOOT_MAGIC2B  369367448
#define REBOOT_MAGIC2C  537993216
#define CMD_RESTART     0x01234567
#define CMD_HALT        0xCDEF0123
#define CMD_POWER_OFF   0x4321FEDC

long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, void *arg)
{
	if (magic1 != REBOOT_MAGIC1 || (magic2 != REBOOT_MAGIC2 && magic2 != REBOOT_MAGIC2A &&
					 magic2 != REBOOT_MAGIC2B && magic2 != REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case CMD_POWER_OFF:
	case CMD_HALT:
		printk("zc32: reboot(POWER_OFF) by pid %d, powering off\n", current->pid);
		power_off(0);
	case CMD_RESTART:
		printk("zc32: reboot(RESTART) by pid %d\n", current->pid);
		outb(0x64, 0xfe);                 /* keyboard controller reset line */
		power_off(0);
	}
	return -EINVAL;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

long sys_getuid(void) { return 0; }

#define TCGETS 0x5401
long sys_ioctl(int fd, uint32_t cmd, uint32_t arg)
{
	if (!fd_get(fd))
		return -EBADF;
	return -ENOTTY;
}

/* Signal dispositions and masks: accepted and ignored (no handlers yet). */
long sys_ignore(void) { return 0; }

/* set_thread_area: one TLS segment per process, GDT entry 6 (%gs = 0x33). */
struct user_desc {
	uint32_t entry_number, base_addr, limit;
	uint32_t flags;
};

long sys_set_thread_area(void *uinfo)
{
	struct user_desc d;
	if (get_user_arg(&d, uinfo, sizeof d) < 0)
		return -EFAULT;
	if (d.entry_number != (uint32_t)-1 && d.entry_number != SEG_TLS / 8)
		return -EINVAL;
	if (d.base_addr >= USER_TOP)
		return -EINVAL;
	d.entry_number = SEG_TLS / 8;
	current->tls_base = d.base_addr;
	current->tls_limit = d.limit;
	current->tls_present = true;
	gdt_set_tls(d.base_addr, d.limit, true);
	return put_user_arg(uinfo, &d, sizeof d);
}

long sys_set_tid_address(int *tidptr) { return current->pid; }

long sys_exit_group(int code) { return sys_exit(code); }

long sys_zc_info(struct zc_info *uout)
{
	struct zc_info info;
	memset(&info, 0, sizeof info);
	strlcpy(info.version, "zc32 " ZC32_VERSION, sizeof info.version);
	info.total_pages = pmm_total_pages();
	info.free_pages = pmm_free_pages();
	info.nprocs = proc_count();
	info.hz = timer_hz;
	info.cached_pages = pagecache_pages();
	info.swap_total = swap_slots_total();
	info.swap_used = swap_slots_used();
	info.vm_policy = vm_policy;
	info.reserve_pages = RESERVE_PAGES;
	info.heap_pages = kheap_pages();
	info.heap_used_bytes = kheap_bytes_used();
	return put_user_arg(uout, &info, sizeof info);
}

/* Write back everything, then drop every clean, unmapped page-cache page,
 * so the next read of a file comes from the disk (a "cold" cache), and
 * the metadata buffers' memory. */
long sys_zc_drop_caches(void)
{
	vfs_sync();
	long freed = pagecache_evict(NULL, 0x7fffffff);
	bcache_drop();
	return freed;
}
