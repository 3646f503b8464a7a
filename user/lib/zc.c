/*
 * zc.c - wrappers for zc32's own system calls (the ledger), and names
 * for the ledger's categories, used by `stats` and the demos.
 */
#include <zc.h>
#include <syscall.h>

int zc_stats(int pid, struct zc_stats *out)  { return (int)__sysret(usys_zc_stats(pid, out)); }
int zc_stats_reset(void)                     { return (int)__sysret(usys_zc_stats_reset()); }
int zc_trace(int cmd, struct zc_trace_event *buf, int max) { return (int)__sysret(usys_zc_trace(cmd, buf, max)); }
int zc_info(struct zc_info *out)             { return (int)__sysret(usys_zc_info(out)); }
int zc_diskstat(struct zc_diskstat *out, int max) { return (int)__sysret(usys_zc_diskstat(out, max)); }
int zc_drop_caches(void)                     { return (int)__sysret(usys_zc_drop_caches()); }
int zc_sendfile_mode(int mode)               { return (int)__sysret(usys_zc_sendfile_mode(mode)); }
int zc_procs(struct zc_procinfo *out, int max)     { return (int)__sysret(usys_zc_procs(out, max)); }

const char *zc_move_name(int kind)
{
	static const char *const names[ZC_MOVE_KINDS] = {
		/* Kinds, not paths: "X->Y" names are the trace's paths
		 * (ztrace), so the kinds say where the bytes went. */
		[ZC_CPU_USER_TO_KERNEL]   = "to kernel",
		[ZC_CPU_KERNEL_TO_USER]   = "to user",
		[ZC_CPU_KERNEL_TO_KERNEL] = "within kernel",
		[ZC_DMA_DEV_TO_MEM]       = "to memory",
		[ZC_DMA_MEM_TO_DEV]       = "to device",
	};
	return kind >= 0 && kind < ZC_MOVE_KINDS ? names[kind] : "?";
}

const char *zc_dev_name(int dev)
{
	static const char *const names[ZC_DEV_KINDS] = {
		[ZC_DEV_DISK] = "disk",
		[ZC_DEV_SWAP] = "swap",
		[ZC_DEV_NIC]  = "nic",
	};
	return dev >= 0 && dev < ZC_DEV_KINDS ? names[dev] : "?";
}

const char *zc_entry_name(int entry)
{
	static const char *const names[ZC_ENTRY_KINDS] = {
		[ZC_ENTRY_SYSCALL]   = "syscall",
		[ZC_ENTRY_FAULT]     = "fault",
		[ZC_ENTRY_INTERRUPT] = "interrupt",
	};
	return entry >= 0 && entry < ZC_ENTRY_KINDS ? names[entry] : "?";
}

unsigned int zc_pages_accounted(void)
{
	struct zc_info info;
	zc_drop_caches();
	if (zc_info(&info) < 0)
		return 0;
	return info.free_pages + info.heap_pages + info.cached_pages;
}
