/*
 * sys.c - small system calls: clocks and sleeping, uname, reboot,
 * thread-local storage, identity (everyone is root), and zc32's own
 * calls that read the ledger (zc_stats, zc_trace) and the system (zc_info,
 * zc_diskstat).
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "syscalls.h"
#include "timer.h"
#include "trap/trap.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "mm/pagecache.h"
#include "fs/bcache.h"
#include "mm/swap.h"
#include "mm/reclaim.h"
#include "block/block.h"
#include "ledger/ledger.h"
#include "uapi/time.h"
#include "uapi/utsname.h"
#include "uapi/reboot.h"

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
	struct timeval tv = { boot_epoch + ns / 1000000000ull, (ns % 1000000000ull) / 1000 };
	if (utv && put_user_arg(utv, &tv, sizeof tv) < 0)
		return -EFAULT;
	return 0;
}

long sys_clock_gettime(int clk, void *uts)
{
	uint64_t ns = time_ns();
	struct timespec ts = { ns / 1000000000ull, ns % 1000000000ull };
	if (clk == CLOCK_REALTIME)
		ts.tv_sec += boot_epoch;
	else if (clk != CLOCK_MONOTONIC && clk != CLOCK_MONOTONIC_RAW && clk != CLOCK_BOOTTIME)
		return -EINVAL;
	return put_user_arg(uts, &ts, sizeof ts);
}

/* Sleep at least the requested time, in whole timer ticks. */
long sys_nanosleep(const void *ureq, void *urem)
{
	struct timespec req;
	if (get_user_arg(&req, ureq, sizeof req) < 0)
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)req.tv_sec * 1000000000ull + req.tv_nsec;
	uint64_t tick_ns = 1000000000ull / timer_hz;
	uint64_t deadline = ticks + (ns + tick_ns - 1) / tick_ns + (ns ? 1 : 0);
	uint32_t f = irq_save();
	while (ticks < deadline && !current->killed)
		sleep_until(deadline);
	irq_restore(f);
	if (ticks < deadline) {
		uint64_t left = (deadline - ticks) * tick_ns;
		struct timespec rem = { left / 1000000000ull, left % 1000000000ull };
		if (urem && put_user_arg(urem, &rem, sizeof rem) < 0)
			return -EFAULT;
		return -EINTR;
	}
	return 0;
}

long sys_uname(void *ubuf)
{
	/* LAB syscall: BEGIN */
	struct utsname u;
	memset(&u, 0, sizeof u);
	strlcpy(u.sysname, "zc32", UTSNAME_LEN);
	strlcpy(u.nodename, "zc32", UTSNAME_LEN);
	strlcpy(u.release, ZC32_VERSION, UTSNAME_LEN);
	strlcpy(u.version, "zc32 " ZC32_VERSION " " __DATE__, UTSNAME_LEN);
	strlcpy(u.machine, "i686", UTSNAME_LEN);
	strlcpy(u.domainname, "(none)", UTSNAME_LEN);
	return put_user_arg(ubuf, &u, sizeof u);
	/* LAB syscall: STUB
	return -ENOSYS;
	   LAB syscall: END */
}

/* reboot(2) with Linux's magic numbers (uapi/reboot.h). */
long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, void *arg)
{
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		printk("zc32: reboot(POWER_OFF) by pid %d, powering off\n", current->pid);
		power_off(0);
	case LINUX_REBOOT_CMD_RESTART:
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

/* zc_stats: the whole system's ledger, a process's, or the sum of the
 * caller's reaped children's. */
long sys_zc_stats(int pid, struct zc_stats *uout)
{
	struct zc_stats s;
	if (pid == ZC_STATS_SYSTEM) {
		ledger_read(&s, NULL);
		s.cycles_total = rdtsc();
	} else if (pid == ZC_STATS_CHILDREN) {
		s = current->child_stats;
	} else {
		struct proc *p = pid == ZC_STATS_SELF ? current : proc_find(pid);
		if (!p)
			return -ESRCH;
		ledger_read(&s, &p->ledger);
		s.cycles_total = rdtsc() - p->start_tsc;
	}
	s.syscalls = s.entries[ZC_ENTRY_SYSCALL];
	return put_user_arg(uout, &s, sizeof s);
}

/* zc_stats_reset: the system's and the caller's counters, and the disks'. */
long sys_zc_stats_reset(void)
{
	ledger_reset(&current->ledger);
	blk_reset_stats();
	return 0;
}

long sys_zc_trace(int cmd, struct zc_trace_event *ubuf, int max)
{
	const struct zc_trace_event *events;
	int n;
	switch (cmd) {
	case ZC_TRACE_OFF:
		ledger_trace_stop();
		return 0;
	case ZC_TRACE_ON:
		ledger_trace_start();
		return 0;
	case ZC_TRACE_READ:
		if (max < 0)
			return -EINVAL;
		n = MIN(max, ledger_trace_events(&events));
		int r = put_user_arg(ubuf, events, n * sizeof events[0]);
		return r < 0 ? r : n;
	}
	return -EINVAL;
}

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

/* zc_diskstat(out, max): up to max entries, one per disk in probe order
 * (block/block.c keeps the counters); returns how many were copied. */
long sys_zc_diskstat(struct zc_diskstat *uout, int max)
{
	if (max < 0)
		return -EINVAL;
	struct zc_diskstat d;
	int n = 0;
	for (; n < max && blk_diskstat(n, &d); n++) {
		int r = put_user_arg(&uout[n], &d, sizeof d);
		if (r < 0)
			return r;
	}
	return n;
}
