/*
 * procfs_text.c - the text of each /proc file, in Linux's formats
 * (man 5 proc; fs/proc/array.c for /proc/PID/stat's 52 fields), from
 * zc32's own counters: the process table, the frame allocator, the page
 * cache, swap, and the scheduler's tick counts.  Times are in clock ticks
 * of USER_HZ (100 a second, what sysconf(_SC_CLK_TCK) says on Linux),
 * whatever the timer's hz= is.
 */
#include "kernel.h"
#include "fs/procfs.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/swap.h"
#include "mm/pagecache.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "timer.h"
#include "uapi/time.h"       /* USER_HZ */

#define PAGE_KB     4
#define TTY_S0      ((4 << 8) | 64)    /* ttyS0: major 4, minor 64 (Documentation/admin-guide/devices.txt) */
#define PF_KTHREAD  0x00200000         /* /proc/PID/stat's flags: a kernel thread */

static uint32_t to_user_hz(uint64_t t)
{
	return (uint32_t)(t * USER_HZ / timer_hz);
}

/* Bytes of user address space: every mapped area, heap included. */
static uint32_t vsize_of(const struct mm *mm)
{
	uint32_t bytes = 0;
	if (!mm)
		return 0;
	for (struct vma *v = mm->vmas; v; v = v->next)
		bytes += v->end - v->start;
	return bytes;
}

static char state_of(const struct proc *p)
{
	return p->state == P_SLEEPING ? 'S' : p->state == P_ZOMBIE ? 'Z' : p->state == P_STOPPED ? 'T' : 'R';
}

static const char *state_name(char s)
{
	return s == 'S' ? "S (sleeping)" : s == 'Z' ? "Z (zombie)" : s == 'T' ? "T (stopped)" : "R (running)";
}

/* /proc/PID/stat: one line, fields in Linux's order. */
static int pid_stat(const struct proc *p, char *buf, size_t size)
{
	int ppid = p->parent ? p->parent->pid : 0;
	const struct zc_stats *st = &p->ledger.stats;
	const struct zc_stats *ch = &p->child_stats;
	uint32_t rss = p->mm ? p->mm->rss : 0;
	return snprintf(buf, size,
		"%d (%s) %c %d %d %d %d %d %u "           /* pid comm state ppid pgrp session tty tpgid flags */
		"%u %u %u %u "                            /* minflt cminflt majflt cmajflt */
		"%u %u 0 0 20 0 1 0 %u "                  /* utime stime cutime cstime prio nice threads itreal starttime */
		"%u %u 4294967295 0 0 0 0 0 "             /* vsize rss rsslim startcode endcode startstack esp eip */
		"0 0 0 0 0 0 0 %d 0 0 0 0 0 0 "           /* signal blocked ignored caught wchan nswap cnswap exit_signal cpu rt policy blkio guest cguest */
		"0 0 0 0 0 0 0 0\n",                      /* start_data .. exit_code */
		p->pid, p->name, state_of(p), ppid, p->pgid, p->sid,
		p->kthread ? 0 : TTY_S0, p->kthread ? -1 : p->pgid, p->kthread ? PF_KTHREAD : 0,
		(uint32_t)st->faults_minor, (uint32_t)ch->faults_minor,
		(uint32_t)st->faults_major, (uint32_t)ch->faults_major,
		to_user_hz(p->utime), to_user_hz(p->stime), to_user_hz(p->start_ticks),
		vsize_of(p->mm), rss, SIGCHLD);
}

static int pid_status(const struct proc *p, char *buf, size_t size)
{
	uint32_t rss_kb = (p->mm ? p->mm->rss : 0) * PAGE_KB;
	uint32_t swap_kb = (p->mm ? p->mm->swapents : 0) * PAGE_KB;
	return snprintf(buf, size,
		"Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		"TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\n"
		"VmSize:\t%8u kB\nVmRSS:\t%8u kB\nVmSwap:\t%8u kB\nThreads:\t1\n",
		p->name, state_name(state_of(p)), p->pid, p->pid, p->parent ? p->parent->pid : 0,
		NOFILE, vsize_of(p->mm) / 1024, rss_kb, swap_kb);
}

static int pid_cmdline(const struct proc *p, char *buf, size_t size)
{
	uint32_t n = MIN((uint32_t)p->cmdline_len, size);
	memcpy(buf, p->cmdline, n);
	return n;
}

static int meminfo(char *buf, size_t size)
{
	uint32_t total = pmm_total_pages() * PAGE_KB, free = pmm_free_pages() * PAGE_KB;
	uint32_t cached = pagecache_pages() * PAGE_KB;
	uint32_t swap_total = swap_slots_total() * PAGE_KB, swap_free = swap_slots_free() * PAGE_KB;
	return snprintf(buf, size,
		"MemTotal:       %8u kB\nMemFree:        %8u kB\nMemAvailable:   %8u kB\n"
		"Buffers:        %8u kB\nCached:         %8u kB\nSwapCached:     %8u kB\n"
		"SwapTotal:      %8u kB\nSwapFree:       %8u kB\nShmem:          %8u kB\n",
		total, free, free + cached, 0u, cached, 0u, swap_total, swap_free, 0u);
}

/* /proc/stat: the CPU's ticks by where they went, and boot time. */
static int stat_file(char *buf, size_t size)
{
	uint32_t user = to_user_hz(cpu_ticks.user), sys = to_user_hz(cpu_ticks.system);
	uint32_t idle = to_user_hz(cpu_ticks.idle);
	int running = 0, procs = 0;
	struct zc_stats total;
	ledger_read(&total, NULL);
	for (int i = 0; i < NPROC; i++) {
		procs += proc_table[i].state != P_UNUSED;
		running += proc_table[i].state == P_RUNNABLE || proc_table[i].state == P_RUNNING;
	}
	return snprintf(buf, size,
		"cpu  %u 0 %u %u 0 0 0 0 0 0\ncpu0 %u 0 %u %u 0 0 0 0 0 0\n"
		"intr 0\nctxt %u\nbtime %u\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n",
		user, sys, idle, user, sys, idle, (uint32_t)total.context_switches,
		(uint32_t)boot_epoch, procs, running);
}

static int uptime(char *buf, size_t size)
{
	uint64_t up = ticks * 100 / timer_hz, idle = cpu_ticks.idle * 100 / timer_hz;
	return snprintf(buf, size, "%u.%02u %u.%02u\n", (uint32_t)(up / 100), (uint32_t)(up % 100),
			(uint32_t)(idle / 100), (uint32_t)(idle % 100));
}

/* zc32 keeps no load averages: 0.00, honestly.  The running/total
 * count and the last pid are real. */
static int loadavg(char *buf, size_t size)
{
	int running = 0, total = 0, last = 0;
	for (int i = 0; i < NPROC; i++) {
		const struct proc *p = &proc_table[i];
		if (p->state == P_UNUSED)
			continue;
		total++;
		running += p->state == P_RUNNABLE || p->state == P_RUNNING;
		last = MAX(last, p->pid);
	}
	return snprintf(buf, size, "0.00 0.00 0.00 %d/%d %d\n", running, total, last);
}

int procfs_text(enum procfs_kind kind, int pid, char *buf, size_t size)
{
	const struct proc *p = pid ? proc_find(pid) : NULL;
	if (pid && (!p || p->state == P_ZOMBIE))
		return -ESRCH;                  /* it died between lookup and open */
	int n;
	switch (kind) {
	case PROCFS_MEMINFO:     n = meminfo(buf, size); break;
	case PROCFS_STAT:        n = stat_file(buf, size); break;
	case PROCFS_UPTIME:      n = uptime(buf, size); break;
	case PROCFS_LOADAVG:     n = loadavg(buf, size); break;
	case PROCFS_PID_STAT:    n = pid_stat(p, buf, size); break;
	case PROCFS_PID_STATUS:  n = pid_status(p, buf, size); break;
	case PROCFS_PID_CMDLINE: return pid_cmdline(p, buf, size);
	default:                 return -EINVAL;
	}
	return MIN((uint32_t)n, size - 1);      /* snprintf's count may exceed what fit */
}
