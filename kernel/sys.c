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
#include "proc/signal.h"
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
#include "uapi/sched.h"
#include "uapi/resource.h"
#include "uapi/random.h"
#include "random.h"

#define NSEC_PER_SEC 1000000000ull

/* Nanoseconds on clock clk: timer ticks since boot, plus the RTC's time
 * at boot for the real-time clocks.  Every clock moves by whole ticks, so
 * all have the tick's resolution (clock_getres), coarse or not; nothing
 * can set the clock, so monotonic, raw and boot time are one clock. */
static int clock_now(int clk, uint64_t *ns)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = boot_epoch * NSEC_PER_SEC + time_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = time_ns();
		return 0;
	}
	return -EINVAL;
}

static uint64_t realtime_ns(void)
{
	uint64_t ns;
	clock_now(CLOCK_REALTIME, &ns);
	return ns;
}

/* A struct timespec in user memory, in the 32-bit layout or the 64-bit
 * one of the *_time64 calls. */
static int get_timespec(const void *uts, bool t64, struct timespec64 *ts)
{
	struct timespec ts32;
	if (t64)
		return get_user_arg(ts, uts, sizeof *ts);
	if (get_user_arg(&ts32, uts, sizeof ts32) < 0)
		return -EFAULT;
	ts->tv_sec = ts32.tv_sec;
	ts->tv_nsec = ts32.tv_nsec;
	return 0;
}

static int put_ns(void *uts, bool t64, uint64_t ns)
{
	struct timespec64 ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
	struct timespec ts32 = { ts.tv_sec, ts.tv_nsec };
	if (t64)
		return put_user_arg(uts, &ts, sizeof ts);
	return put_user_arg(uts, &ts32, sizeof ts32);
}

long sys_time(uint32_t *ut)
{
	uint32_t t = realtime_ns() / NSEC_PER_SEC;
	if (ut && put_user_arg(ut, &t, sizeof t) < 0)
		return -EFAULT;
	return t;
}

long sys_gettimeofday(void *utv, void *tz)
{
	uint64_t ns = realtime_ns();
	struct timeval tv = { ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / 1000 };
	return utv ? put_user_arg(utv, &tv, sizeof tv) : 0;
}

static long clock_gettime_common(int clk, void *uts, bool t64)
{
	uint64_t ns;
	int r = clock_now(clk, &ns);
	return r < 0 ? r : put_ns(uts, t64, ns);
}

long sys_clock_gettime(int clk, void *uts) { return clock_gettime_common(clk, uts, false); }
long sys_clock_gettime64(int clk, void *uts) { return clock_gettime_common(clk, uts, true); }

static long clock_getres_common(int clk, void *ures, bool t64)
{
	uint64_t ns;
	int r = clock_now(clk, &ns);
	if (r < 0 || !ures)                  /* res may be NULL: only check clk */
		return r;
	return put_ns(ures, t64, NSEC_PER_SEC / timer_hz);
}

long sys_clock_getres(int clk, void *ures) { return clock_getres_common(clk, ures, false); }
long sys_clock_getres_time64(int clk, void *ures) { return clock_getres_common(clk, ures, true); }

/* Sleep until clock clk reads at least deadline_ns, in whole timer ticks
 * (a tick ends after the time it stands for).  Interrupted by a signal:
 * -ERESTART_RESTARTBLOCK (EINTR after a handler, proc/signal.c), with the
 * time left in *left. */
static long sleep_until_ns(int clk, uint64_t deadline_ns, uint64_t *left)
{
	uint64_t tick_ns = NSEC_PER_SEC / timer_hz, now;
	clock_now(clk, &now);
	if (deadline_ns <= now)
		return 0;
	uint64_t wake = ticks + (deadline_ns - now + tick_ns - 1) / tick_ns;
	uint32_t f = irq_save();
	while (ticks < wake && !signal_pending(current))
		sleep_until(wake);
	irq_restore(f);
	if (ticks >= wake)
		return 0;
	*left = (wake - ticks) * tick_ns;
	return -ERESTART_RESTARTBLOCK;
}

/* nanosleep and clock_nanosleep: a relative sleep starts one tick later,
 * as the current tick is partly over; its time left goes to urem. */
static long nanosleep_common(int clk, int flags, const void *ureq, void *urem, bool t64)
{
	struct timespec64 req;
	uint64_t now, left = 0;
	if (clk == CLOCK_MONOTONIC_RAW || clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE)
		return -EOPNOTSUPP;          /* Linux cannot sleep on these either */
	if (clock_now(clk, &now) < 0)
		return -EINVAL;
	if (get_timespec(ureq, t64, &req) < 0)
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t ns = (uint64_t)req.tv_sec * NSEC_PER_SEC + req.tv_nsec;
	bool absolute = flags & TIMER_ABSTIME;
	uint64_t deadline = absolute ? ns : now + ns + (ns ? NSEC_PER_SEC / timer_hz : 0);
	long r = sleep_until_ns(clk, deadline, &left);
	if (r < 0 && !absolute && urem && put_ns(urem, t64, left) < 0)
		return -EFAULT;
	return r;
}

long sys_nanosleep(const void *ureq, void *urem)
{
	return nanosleep_common(CLOCK_MONOTONIC, 0, ureq, urem, false);
}

long sys_clock_nanosleep(int clk, int flags, const void *ureq, void *urem)
{
	return nanosleep_common(clk, flags, ureq, urem, false);
}

long sys_clock_nanosleep_time64(int clk, int flags, const void *ureq, void *urem)
{
	return nanosleep_common(clk, flags, ureq, urem, true);
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
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

/* set_thread_area: one TLS segment per process, GDT entry 6 (%gs = 0x33). */
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
	current->tls_state = (d.flags & USER_DESC_SEG_NOT_PRESENT) ? TLS_NOT_PRESENT : TLS_PRESENT;
	gdt_set_tls(d.base_addr, d.limit, current->tls_state);
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
	struct zc_info info = {             /* no hidden padding: the rest is zero */
		.version = "zc32 " ZC32_VERSION, .nprocs = proc_count(), .hz = timer_hz,
		.total_pages = pmm_total_pages(), .free_pages = pmm_free_pages(),
		.cached_pages = pagecache_pages(), .vm_policy = vm_policy,
		.swap_total = swap_slots_total(), .swap_used = swap_slots_used(),
		.reserve_pages = RESERVE_PAGES,
		.heap_pages = kheap_pages(), .heap_used_bytes = kheap_bytes_used(),
	};
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

/* ---- Linux calls that glibc and busybox make at start-up ---------------- */

#define GETRANDOM_CHUNK 256

/* getrandom: bytes from lib/random.c (not cryptographic; see there). */
long sys_getrandom(void *ubuf, size_t n, uint32_t flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE))
		return -EINVAL;
	n = MIN(n, 0x1ffffffu);               /* Linux's largest answer, 32 MiB - 1 */
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	uint8_t chunk[GETRANDOM_CHUNK];
	for (size_t done = 0; done < n; done += GETRANDOM_CHUNK) {
		size_t k = MIN(n - done, (size_t)GETRANDOM_CHUNK);
		random_bytes(chunk, k);
		if (put_user_arg((uint8_t *)ubuf + done, chunk, k) < 0)
			return done ? (long)done : -EFAULT;
	}
	return n;
}

/* prctl: only the process name (what ps and strace=NAME show). */
long sys_prctl(int option, uint32_t arg2)
{
	char name[sizeof current->name];
	switch (option) {
	case PR_SET_NAME:
		memset(name, 0, sizeof name);
		int r = strncpy_from_user(name, (const char *)arg2, sizeof name);
		if (r == -EFAULT)
			return r;
		name[sizeof name - 1] = 0;           /* longer names are cut, as Linux */
		memcpy(current->name, name, sizeof name);
		return 0;
	case PR_GET_NAME:
		return put_user_arg((void *)arg2, current->name, sizeof current->name);
	}
	return -EINVAL;
}

/* Resource limits: fixed, the machine's real bounds where zc32 has one. */
static uint64_t rlimit_of(int resource)
{
	switch (resource) {
	case RLIMIT_STACK:  return USER_STACK_MAX;
	case RLIMIT_CORE:   return 0;             /* no core dumps */
	case RLIMIT_NPROC:  return NPROC;
	case RLIMIT_NOFILE: return NOFILE;
	}
	return RLIM_INFINITY;
}

/* 64-bit limits in 32 bits: ugetrlimit says RLIM_INFINITY as ~0, the
 * old getrlimit as 0x7fffffff (Linux's compatibility rule). */
static long getrlimit_common(int resource, struct rlimit32 *ulim, uint32_t infinity)
{
	if ((unsigned)resource >= RLIM_NLIMITS)
		return -EINVAL;
	uint64_t v = rlimit_of(resource);
	uint32_t v32 = v == RLIM_INFINITY ? infinity : (uint32_t)v;
	struct rlimit32 lim = { v32, v32 };
	return put_user_arg(ulim, &lim, sizeof lim);
}

long sys_ugetrlimit(int resource, struct rlimit32 *u) { return getrlimit_common(resource, u, ~0u); }
long sys_getrlimit(int resource, struct rlimit32 *u) { return getrlimit_common(resource, u, 0x7fffffff); }

/* prlimit64: of the caller only; a new limit is EPERM unless it is what
 * the limit already is (zc32's limits are fixed). */
long sys_prlimit64(int pid, int resource, const struct rlimit64 *unew, struct rlimit64 *uold)
{
	if ((unsigned)resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (pid != 0 && pid != current->pid)
		return proc_find(pid) ? -EPERM : -ESRCH;
	struct rlimit64 lim = { rlimit_of(resource), rlimit_of(resource) }, want;
	if (unew) {
		if (get_user_arg(&want, unew, sizeof want) < 0)
			return -EFAULT;
		if (want.cur > want.max)
			return -EINVAL;
		if (want.cur != lim.cur || want.max != lim.max)
			return -EPERM;
	}
	return uold ? put_user_arg(uold, &lim, sizeof lim) : 0;
}

/* Linux i386 struct sysinfo (64 bytes), sizes in units of mem_unit. */
struct sysinfo32 {
	int32_t uptime;
	uint32_t loads[3];
	uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t totalhigh, freehigh, mem_unit;
	char reserved[8];
};

long sys_sysinfo(struct sysinfo32 *uinfo)
{
	struct sysinfo32 si = {             /* no hidden padding: the rest is zero */
		.uptime = time_ns() / NSEC_PER_SEC, .procs = proc_count(), .mem_unit = PAGE_SIZE,
		.totalram = pmm_total_pages(), .freeram = pmm_free_pages(), .bufferram = pagecache_pages(),
		.totalswap = swap_slots_total(), .freeswap = swap_slots_total() - swap_slots_used(),
	};
	return put_user_arg(uinfo, &si, sizeof si);
}

/* times: zc32 keeps no user/system CPU times per process, so the four
 * times are 0; the result, clock ticks since boot, is real. */
long sys_times(void *ubuf)
{
	uint32_t tms[4] = { 0, 0, 0, 0 };
	if (ubuf && put_user_arg(ubuf, tms, sizeof tms) < 0)
		return -EFAULT;
	return time_ns() / (NSEC_PER_SEC / USER_HZ);
}
