/*
 * ledger.h - the data-movement ledger (docs/design.md section 5).
 *
 * Every movement of payload goes through a primitive that calls one of
 * these: a CPU copy (copy_to_user, copy_from_user, a kernel-to-kernel
 * payload copy) or a DMA transfer submitted to a device.  Beside them the
 * kernel counts entries from user mode by cause, context switches and
 * page faults.  Counts go to the running process's account and to the
 * global total.
 *
 * The ledger is a leaf: everyone calls it, it calls nothing outside
 * include/ and lib/.  It knows no struct proc: the scheduler names the
 * account to charge (ledger_switch_to), and the zc_stats system calls in
 * kernel/sys.c find a process and hand its account to ledger_read.
 */
#ifndef ZC32_LEDGER_H
#define ZC32_LEDGER_H
#include "types.h"
#include "uapi/zc32.h"

/* One process's account; struct proc embeds it. */
struct ledger_account {
	struct zc_stats stats;     /* this process's counters */
	uint64_t entry_tsc;        /* when it last entered the kernel from user mode */
};

/* The scheduler: charge a (NULL: no process) from now on; pid for the trace. */
void ledger_switch_to(struct ledger_account *a, int pid);

void ledger_copy(enum zc_move kind, uint32_t bytes, const char *what);
void ledger_dma(enum zc_dev dev, enum zc_move dir, uint32_t bytes, const char *what);
void ledger_headers(uint32_t bytes);
void ledger_dma_headers(uint32_t bytes);
void ledger_fault(bool major);
void ledger_context_switch(void);

/* Virtual-memory events (the counters of the same names in zc_stats). */
enum zc_vm_event {
	ZC_VM_COW, ZC_VM_SWAP_IN, ZC_VM_SWAP_OUT,
	ZC_VM_EVICT,                /* an anonymous page: written to swap, or clean in the swap cache */
	ZC_VM_EVICT_CACHE,          /* a clean page-cache page dropped */
	ZC_VM_EVICT_CACHE_DIRTY,    /* a page-cache page written back, then dropped */
	ZC_VM_SWAP_WRITE,           /* one disk request of the pager (several swap_outs) */
};
void ledger_vm(enum zc_vm_event e);
void ledger_wait(enum zc_wait kind, uint32_t calls, uint32_t fds_examined);

/* User -> kernel entry and exit, from the trap and system-call paths. */
void ledger_enter(enum zc_entry cause);
void ledger_exit(void);

/* Reading and resetting, for the zc_stats system calls. */
void ledger_read(struct zc_stats *out, const struct ledger_account *a);  /* NULL: the system's */
void ledger_reset(struct ledger_account *a);         /* zero the system's counters and a's */
/* The idle loop's halts: busy cycles = elapsed - idle (zcopy's cycles
 * per byte).  The interrupt that ends a halt ends the idle time too. */
void ledger_idle_begin(void);
void ledger_idle_end(void);

void ledger_add(struct zc_stats *dst, const struct zc_stats *src);

/* The event trace, for zc_trace. */
void ledger_trace_start(void);                       /* empty it and record */
void ledger_trace_stop(void);
int  ledger_trace_events(const struct zc_trace_event **events);   /* returns how many */

#endif
