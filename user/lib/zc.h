/*
 * zc.h - zc32's own system calls: the data-movement ledger.
 *
 * The counters and their meaning are in <uapi/zc32.h>, shared with the
 * kernel.  These wrappers return -1 and set errno on error, like the rest
 * of the library; the raw usys_zc_*() calls are in syscall.h.
 */
#ifndef ZC_ZC_H
#define ZC_ZC_H

#include <uapi/zc32.h>


int zc_stats(int pid, struct zc_stats *out);
int zc_stats_reset(void);
int zc_trace(int cmd, struct zc_trace_event *buf, int max);
int zc_info(struct zc_info *out);
int zc_diskstat(struct zc_diskstat *out, int max);   /* how many entries it filled */
int zc_drop_caches(void);                            /* pages freed */
/* Frames free, in the kernel heap or in the page cache, caches dropped
 * first: what a leak check compares before and after a workload. */
unsigned int zc_pages_accounted(void);
int zc_sendfile_mode(int mode);   /* ZC_SENDFILE_COPY/GATHER, or ZC_SENDFILE_QUERY; returns the mode before */
int zc_procs(struct zc_procinfo *out, int max);      /* how many processes it filled in */

/* Names for the ledger's enums ("user->kernel", "disk", "syscall"). */
const char *zc_move_name(int kind);
const char *zc_dev_name(int dev);
const char *zc_entry_name(int entry);

#endif
