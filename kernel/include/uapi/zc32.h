/*
 * zc32.h - zc32's own system calls and the data-movement ledger, as seen
 * from user space.  Shared by the kernel and user programs; this is a
 * stable interface (docs/design.md sections 3 and 5).
 *
 * Linux system calls keep Linux's i386 numbers (see user/lib/syscall.h);
 * zc32's own calls are numbered from 1000 up and are all listed here.
 */
#ifndef ZC32_UAPI_ZC32_H
#define ZC32_UAPI_ZC32_H

/* zc32 system calls. */
#define SYS_zc_stats        1000  /* (int pid, struct zc_stats *out): see ZC_STATS_* */
#define SYS_zc_stats_reset  1001  /* (void): zero the global and the caller's counters */
#define SYS_zc_trace        1002  /* (int cmd, struct zc_trace_event *buf, int max): see ZC_TRACE_* */
#define SYS_zc_info         1003  /* (struct zc_info *out): kernel build and memory facts */
#define SYS_zc_drop_caches  1004  /* (void): sync, then empty the page cache; returns pages freed */
#define SYS_zc_diskstat     1005  /* (struct zc_diskstat *out, int max): one entry per disk; returns how many */
#define SYS_zc_sendfile_mode 1006 /* (int mode): ZC_SENDFILE_*, or -1 to ask; returns the mode before */
#define SYS_zc_procs        1007  /* (struct zc_procinfo *out, int max): the process table, for ps; returns how many */
#define SYS_zc_netstat      1010  /* (u64 *counters, int n, struct zc_sockinfo *socks, int max): uapi/zc32_net.h */

/* How sendfile moves a page-cache page into a socket (SYS_zc_sendfile_mode,
 * or sendfile=copy|gather on the kernel command line; gather by default). */
#define ZC_SENDFILE_QUERY  (-1)   /* only ask */
#define ZC_SENDFILE_COPY     0    /* one CPU copy: page cache -> socket buffer */
#define ZC_SENDFILE_GATHER   1    /* no CPU copy: the NIC reads the page-cache page */

/* zc_stats' pid argument: a process id, or one of these. */
#define ZC_STATS_SYSTEM    0      /* the whole system since boot */
#define ZC_STATS_SELF     (-1)    /* the calling process */
#define ZC_STATS_CHILDREN (-2)    /* all children the caller has reaped with wait (and theirs) */

/* Kinds of payload movement.  Every byte of file or socket payload the
 * kernel moves goes through a primitive that counts under one of these. */
enum zc_move {
	ZC_CPU_USER_TO_KERNEL,   /* copy_from_user: user buffer -> kernel */
	ZC_CPU_KERNEL_TO_USER,   /* copy_to_user: kernel -> user buffer */
	ZC_CPU_KERNEL_TO_KERNEL, /* kernel memcpy of payload (e.g. page cache -> socket buffer) */
	ZC_DMA_DEV_TO_MEM,       /* a device wrote memory (disk read, NIC receive) */
	ZC_DMA_MEM_TO_DEV,       /* a device read memory (disk write, NIC transmit) */
	ZC_MOVE_KINDS
};

/* Devices that do DMA, for the per-device DMA counters. */
enum zc_dev {
	ZC_DEV_DISK,    /* root disk (virtio-blk) */
	ZC_DEV_SWAP,    /* swap disk (virtio-blk) */
	ZC_DEV_NIC,     /* e1000 */
	ZC_DEV_KINDS
};

/* Why the CPU entered the kernel from user mode. */
enum zc_entry {
	ZC_ENTRY_SYSCALL,
	ZC_ENTRY_FAULT,      /* CPU exception, page faults included */
	ZC_ENTRY_INTERRUPT,  /* device or timer interrupt taken in user mode */
	ZC_ENTRY_KINDS
};

/* The ways to wait for many files at once, for the wait counters
 * (docs/waiting.md): each call, and each file descriptor it examined. */
enum zc_wait {
	ZC_WAIT_SELECT,      /* select, pselect6 */
	ZC_WAIT_POLL,        /* poll */
	ZC_WAIT_EPOLL,       /* epoll_wait, epoll_pwait */
	ZC_WAIT_KINDS
};

/* One set of counters.  The kernel keeps one per process and one global. */
struct zc_stats {
	unsigned long long bytes[ZC_MOVE_KINDS];   /* payload bytes moved, by kind */
	unsigned long long ops[ZC_MOVE_KINDS];     /* number of copies / DMA transfers */
	unsigned long long dma_bytes[ZC_DEV_KINDS][2]; /* [dev][0 = dev->mem, 1 = mem->dev] */
	unsigned long long header_bytes;           /* packet headers written by the CPU (not payload) */
	unsigned long long entries[ZC_ENTRY_KINDS];/* user -> kernel switches, by cause */
	unsigned long long syscalls;               /* same as entries[ZC_ENTRY_SYSCALL] */
	unsigned long long context_switches;       /* times the scheduler switched to this process from another */
	unsigned long long faults_minor;           /* page faults resolved without I/O */
	unsigned long long faults_major;           /* page faults that waited for a disk */
	unsigned long long cow_copies;             /* copy-on-write page copies */
	unsigned long long swap_ins;
	unsigned long long swap_outs;
	unsigned long long evictions;              /* pages reclaimed by the replacement policy */
	unsigned long long evictions_cache;        /* of those, page-cache pages dropped */
	unsigned long long evictions_cache_dirty;  /* of those, written back to the file first */
	unsigned long long swap_writes;            /* disk requests that wrote the swap_outs pages */
	unsigned long long cycles_kernel;          /* rdtsc cycles spent in the kernel on behalf of user entries */
	unsigned long long cycles_total;           /* rdtsc now (global) or since the process started */
	unsigned long long header_dma_bytes;       /* packet headers the NIC read by DMA on transmit (not in dma_bytes) */
	unsigned long long cycles_idle;            /* system only: rdtsc cycles the CPU sat halted, nothing to run */
	unsigned long long wait_calls[ZC_WAIT_KINDS]; /* select / poll / epoll_wait calls */
	unsigned long long wait_fds[ZC_WAIT_KINDS];   /* file descriptors they examined (asked for their state), rescans included */
};

/* Trace control (SYS_zc_trace). */
#define ZC_TRACE_OFF    0   /* stop recording */
#define ZC_TRACE_ON     1   /* clear the buffer and start recording */
#define ZC_TRACE_READ   2   /* copy up to max events to buf; returns the count */

/* One trace event: "DMA disk->pagecache 4096". */
struct zc_trace_event {
	unsigned long long tsc;
	int pid;
	int kind;          /* enum zc_move, or -1 for a non-copy event */
	int dev;           /* enum zc_dev for DMA, else -1 */
	unsigned int bytes;
	char what[24];     /* "pagecache->user", "disk->pagecache", ... */
};

struct zc_info {
	char version[32];
	unsigned int total_pages;
	unsigned int free_pages;
	unsigned int nprocs;
	unsigned int hz;
	unsigned int cached_pages;     /* page cache */
	unsigned int swap_total;       /* slots (pages) */
	unsigned int swap_used;
	unsigned int vm_policy;        /* 0 clock, 1 fifo */
	unsigned int reserve_pages;    /* free frames user memory may not take (kept for the pager) */
	/* Fields are only ever added here, at the end. */
	unsigned int heap_pages;       /* frames the kernel heap holds, its free blocks included */
	unsigned int heap_used_bytes;  /* of which handed out (kmalloc, not yet kfree) */
};

/* One process (SYS_zc_procs). */
struct zc_procinfo {
	int pid;
	int ppid;                      /* 0 for init and kernel threads */
	char state;                    /* 'R' running or runnable, 'S' sleeping, 'Z' zombie */
	char kthread;                  /* 1: a kernel thread (no user memory) */
	char pad[2];
	unsigned int rss_pages;        /* resident user pages */
	char name[16];
};

/* What one disk has done (SYS_zc_diskstat): requests as the driver put
 * them on the device, so a test can see that several were in flight at
 * once and that one request carried several scattered pages.  Counts and
 * peaks start at boot; zc_stats_reset zeroes them too. */
struct zc_diskstat {
	char name[8];                    /* "vda", "vdb", ... */
	unsigned int dev;                /* enum zc_dev: ZC_DEV_DISK or ZC_DEV_SWAP */
	unsigned int max_inflight;       /* most requests the driver puts on the device at once */
	unsigned int max_segs;           /* most data segments (scatter-gather entries) per request */
	unsigned int inflight;           /* requests on the device now */
	unsigned int peak_inflight;      /* the most that were on the device at once */
	unsigned int peak_segs;          /* the most data segments one request had */
	unsigned int peak_bytes;         /* the most bytes one request moved */
	unsigned int pad;
	unsigned long long reads, writes, flushes;   /* requests completed, by kind */
	unsigned long long errors;                   /* of those, how many failed */
	unsigned long long read_bytes, write_bytes;
	unsigned long long multi_seg;    /* reads and writes with more than one data segment */
};

#endif
