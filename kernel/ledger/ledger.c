/*
 * ledger.c - counters and the optional event trace behind the ledger.
 *
 * Each counter exists twice: in the running process's account and in
 * the global total.  The trace, when switched on with zc_trace(ZC_TRACE_ON),
 * records each movement in order ("DMA disk->pagecache 4096"), so a
 * student can watch the data move (docs/ledger.md).
 *
 * Every function that changes a counter or the trace does it with
 * interrupts off (irq_save ... irq_restore): a 64-bit add is two
 * instructions on i386, and interrupt handlers count too (a disk
 * completion, loopback network traffic copied in kernel/net/ip.c).
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "ledger/ledger.h"

static struct zc_stats ledger_global;   /* the system's counters (GDB: p ledger_global) */
static struct ledger_account *running;   /* whose account is charged */
static int running_pid;

#define TRACE_MAX 4096
static struct zc_trace_event trace[TRACE_MAX];
static int trace_len;
static bool trace_on;

/* Callers have interrupts off. */
static void trace_add(int kind, int dev, uint32_t bytes, const char *what)
{
	if (!trace_on || trace_len >= TRACE_MAX)
		return;
	struct zc_trace_event *e = &trace[trace_len++];
	e->tsc = rdtsc();
	e->pid = running_pid;
	e->kind = kind;
	e->dev = dev;
	e->bytes = bytes;
	strlcpy(e->what, what, sizeof e->what);
}

/* Callers have interrupts off. */
#define COUNT(field, n) do { \
		ledger_global.field += (n); \
		if (running) running->stats.field += (n); \
	} while (0)

void ledger_switch_to(struct ledger_account *a, int pid)
{
	uint32_t f = irq_save();
	running = a;
	running_pid = pid;
	irq_restore(f);
}

void ledger_copy(enum zc_move kind, uint32_t bytes, const char *what)
{
	uint32_t f = irq_save();
	COUNT(bytes[kind], bytes);
	COUNT(ops[kind], 1);
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

void ledger_headers(uint32_t bytes)
{
	uint32_t f = irq_save();
	COUNT(header_bytes, bytes);
	irq_restore(f);
}

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
	uint32_t f = irq_save();
	if (major)
		COUNT(faults_major, 1);
	else
		COUNT(faults_minor, 1);
	trace_add(-1, -1, 0, major ? "major fault" : "minor fault");
	irq_restore(f);
}

void ledger_context_switch(void)
{
	uint32_t f = irq_save();
	COUNT(context_switches, 1);
	irq_restore(f);
}

void ledger_vm(enum zc_vm_event e)
{
	uint32_t f = irq_save();
	switch (e) {
	case ZC_VM_COW:
		COUNT(cow_copies, 1);
		trace_add(-1, -1, PAGE_SIZE, "cow copy");
		break;
	case ZC_VM_SWAP_IN:
		COUNT(swap_ins, 1);
		trace_add(ZC_DMA_DEV_TO_MEM, ZC_DEV_SWAP, PAGE_SIZE, "swap->memory");
		break;
	case ZC_VM_SWAP_OUT:
		COUNT(swap_outs, 1);
		trace_add(ZC_DMA_MEM_TO_DEV, ZC_DEV_SWAP, PAGE_SIZE, "memory->swap");
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

void ledger_enter(enum zc_entry cause)
{
	uint32_t f = irq_save();
	running->entry_tsc = rdtsc();
	COUNT(entries[cause], 1);
	if (cause == ZC_ENTRY_SYSCALL)
		COUNT(syscalls, 1);    /* kept in memory too, so GDB reads it */
	irq_restore(f);
}

void ledger_exit(void)
{
	uint32_t f = irq_save();
	uint64_t cycles = rdtsc() - running->entry_tsc;
	COUNT(cycles_kernel, cycles);
	irq_restore(f);
}

void ledger_read(struct zc_stats *out, const struct ledger_account *a)
{
	uint32_t f = irq_save();
	*out = a ? a->stats : ledger_global;
	irq_restore(f);
}

void ledger_reset(struct ledger_account *a)
{
	uint32_t f = irq_save();
	memset(&ledger_global, 0, sizeof ledger_global);
	memset(&a->stats, 0, sizeof a->stats);
	irq_restore(f);
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

void ledger_wait(enum zc_wait kind, uint32_t calls, uint32_t fds_examined)
{
	uint32_t f = irq_save();
	COUNT(wait_calls[kind], calls);
	COUNT(wait_fds[kind], fds_examined);
	irq_restore(f);
}

/* dst += src, counter by counter (every field is a 64-bit count). */
void ledger_add(struct zc_stats *dst, const struct zc_stats *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	uint32_t f = irq_save();
	for (size_t i = 0; i < sizeof *dst / sizeof(uint64_t); i++)
		d[i] += s[i];
	irq_restore(f);
}

void ledger_trace_start(void)
{
	uint32_t f = irq_save();
	trace_len = 0;
	trace_on = true;
	irq_restore(f);
}

void ledger_trace_stop(void)
{
	uint32_t f = irq_save();
	trace_on = false;
	irq_restore(f);
}

int ledger_trace_events(const struct zc_trace_event **events)
{
	*events = trace;
	return trace_len;
}
