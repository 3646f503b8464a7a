/*
 * ledger.h - the data-movement ledger (DESIGN.md section 5).
 *
 * Every movement of payload goes through a primitive that calls one of
 * these: a CPU copy (copy_to_user, copy_from_user, a kernel-to-kernel
 * payload copy) or a DMA transfer submitted to a device.  Beside them the
 * kernel counts entries from user mode by cause, context switches and
 * page faults.  Counts go to the running process and to the global total.
 */
#ifndef ZC32_LEDGER_H
#define ZC32_LEDGER_H
#include "types.h"
#include "uapi/zc32.h"

extern struct zc_stats ledger_global;

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
void ledger_event(const char *what, uint32_t value);   /* a trace-only event */

/* User -> kernel entry and exit, from the trap and system-call paths. */
void ledger_enter(enum zc_entry cause);
void ledger_exit(void);

/* The idle loop's halts: busy cycles = elapsed - idle (zcopy's cycles
 * per byte).  The interrupt that ends a halt ends the idle time too. */
void ledger_idle_begin(void);
void ledger_idle_end(void);

void ledger_add(struct zc_stats *dst, const struct zc_stats *src);
long sys_zc_stats(int pid, struct zc_stats *out);
long sys_zc_stats_reset(void);
long sys_zc_trace(int cmd, struct zc_trace_event *buf, int max);

#endif
