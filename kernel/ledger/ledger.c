/*
 * ledger.c - counters and the optional event trace behind the ledger.
 *
 * Each counter exists twice: in the running process's struct proc and in
 * ledger_global.  The trace, when switched on with zc_trace(ZC_TRACE_ON),
 * records each movement in order ("DMA disk->pagecache 4096"), so a
 * student can watch the seed notes' diagrams happen.
 */
#include "kernel.h"
#include "x86.h"
#include "ledger/ledger.h"
#include "proc/proc.h"
#include "mm/uaccess.h"
#include "block/block.h"

struct zc_stats ledger_global;

#define PAGE_SIZE_BYTES 4096

#define TRACE_MAX 4096
static struct zc_trace_event trace[TRACE_MAX];
static int trace_len;
static bool trace_on;

static void trace_add(int kind, int dev, uint32_t bytes, const char *what)
{
	if (!trace_on || trace_len >= TRACE_MAX)
		return;
	struct zc_trace_event *e = &trace[trace_len++];
	e->tsc = rdtsc();
	e->pid = current ? current->pid : 0;
	e->kind = kind;
	e->dev = dev;
	e->bytes = bytes;
	strlcpy(e->what, what, sizeof e->what);
}

#define COUNT(field, n) do { \
		ledger_global.field += (n); \
		if (current) current->stats.field += (n); \
	} while (0)

/* Interrupts off around the update: a 64-bit add is two instructions on
 * i386, and loopback network traffic copies from interrupt context too
 * (kernel/net/ip.c). */
void ledger_copy(enum zc_move kind, uint32_t bytes, const char *what)
{
	uint32_t f = irq_save();
	COUNT(bytes[kind], bytes);
	COUNT(ops[kind], 1);
	if (trace_on)
		trace_add(kind, -1, bytes, what);
	irq_restore(f);
}

void ledger_dma(enum zc_dev dev, enum zc_move dir, uint32_t bytes, const char *what)
{
	uint32_t f = irq_save();
	COUNT(bytes[dir], bytes);
	COUNT(ops[dir], 1);
	COUNT(dma_bytes[dev][dir == ZC_DMA_MEM_TO_DEV], bytes);
	trace_add(dir, dev, bytes, what);
	irq_restore(f);
}

void ledger_headers(uint32_t bytes) { COUNT(header_bytes, bytes); }

/* The NIC read bytes of packet headers by DMA, beside the payload that
 * ledger_dma counted: together they are every byte it sent.  Not traced:
 * an event per frame for its headers would halve what the trace holds,
 * and the payload's event already marks the frame. */
void ledger_dma_headers(uint32_t bytes)
{
	uint32_t f = irq_save();
	COUNT(header_dma_bytes, bytes);
	irq_restore(f);
}

void ledger_fault(bool major)
{
	if (major)
		COUNT(faults_major, 1);
	else
		COUNT(faults_minor, 1);
	trace_add(-1, -1, 0, major ? "major fault" : "minor fault");
}

void ledger_context_switch(void) { COUNT(context_switches, 1); }

void ledger_vm(enum zc_vm_event e)
{
	uint32_t f = irq_save();
	switch (e) {
	case ZC_VM_COW:
		COUNT(cow_copies, 1);
		trace_add(-1, -1, PAGE_SIZE_BYTES, "cow copy");
		break;
	case ZC_VM_SWAP_IN:
		COUNT(swap_ins, 1);
		trace_add(ZC_DMA_DEV_TO_MEM, ZC_DEV_SWAP, PAGE_SIZE_BYTES, "swap->memory");
		break;
	case ZC_VM_SWAP_OUT:
		COUNT(swap_outs, 1);
		trace_add(ZC_DMA_MEM_TO_DEV, ZC_DEV_SWAP, PAGE_SIZE_BYTES, "memory->swap");
		break;
	case ZC_VM_EVICT:
		COUNT(evictions, 1);
		break;
	case ZC_VM_EVICT_CACHE:
	case ZC_VM_EVICT_CACHE_DIRTY:
		COUNT(evictions, 1);
		COUNT(evictions_cache, 1);
		if (e == ZC_VM_EVICT_CACHE_DIRTY)
			COUNT(evictions_cache_dirty, 1);
		break;
	case ZC_VM_SWAP_WRITE:
		COUNT(swap_writes, 1);
		break;
	}
	irq_restore(f);
}

void ledger_event(const char *what, uint32_t value) { trace_add(-1, -1, value, what); }

void ledger_enter(enum zc_entry cause)
{
	struct proc *p = current;
	p->entry_tsc = rdtsc();
	p->stats.entries[cause]++;
	ledger_global.entries[cause]++;
}

void ledger_exit(void)
{
	struct proc *p = current;
	uint64_t d = rdtsc() - p->entry_tsc;
	p->stats.cycles_kernel += d;
	ledger_global.cycles_kernel += d;
}

static uint64_t idle_since;         /* rdtsc when the CPU halted, or 0 */

void ledger_idle_begin(void)
{
	uint32_t f = irq_save();
	idle_since = rdtsc();
	irq_restore(f);
}

/* Called first thing by every interrupt: its handler's work (a receive,
 * the segments an ACK lets out) is busy time, not idle. */
void ledger_idle_end(void)
{
	uint32_t f = irq_save();
	if (idle_since) {
		ledger_global.cycles_idle += rdtsc() - idle_since;
		idle_since = 0;
	}
	irq_restore(f);
}

/* dst += src, counter by counter (every field is a 64-bit count). */
void ledger_add(struct zc_stats *dst, const struct zc_stats *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	for (size_t i = 0; i < sizeof *dst / sizeof(uint64_t); i++)
		d[i] += s[i];
}

long sys_zc_stats(int pid, struct zc_stats *out)
{
	struct zc_stats s;
	if (pid == ZC_STATS_SYSTEM) {
		s = ledger_global;
		s.cycles_total = rdtsc();
	} else if (pid == ZC_STATS_CHILDREN) {
		s = current->child_stats;
	} else {
		struct proc *p = pid == -1 ? current : proc_find(pid);
		if (!p)
			return -ESRCH;
		s = p->stats;
		s.cycles_total = rdtsc() - p->start_tsc;
	}
	s.syscalls = s.entries[ZC_ENTRY_SYSCALL];
	return put_user_arg(out, &s, sizeof s);
}

long sys_zc_stats_reset(void)
{
	memset(&ledger_global, 0, sizeof ledger_global);
	memset(&current->stats, 0, sizeof current->stats);
	blk_reset_stats();           /* the disks' counts and peaks (zc_diskstat) */
	return 0;
}

long sys_zc_trace(int cmd, struct zc_trace_event *buf, int max)
{
	switch (cmd) {
	case ZC_TRACE_OFF:
		trace_on = false;
		return 0;
	case ZC_TRACE_ON:
		trace_len = 0;
		trace_on = true;
		return 0;
	case ZC_TRACE_READ: {
		if (max < 0)
			return -EINVAL;
		int n = MIN(max, trace_len);
		int r = put_user_arg(buf, trace, n * sizeof trace[0]);
		return r < 0 ? r : n;
	}
	}
	return -EINVAL;
}
