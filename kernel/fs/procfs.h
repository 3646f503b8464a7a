/* procfs.h - /proc (fs/procfs.c; its files' text: fs/procfs_text.c). */
#ifndef ZC32_PROCFS_H
#define ZC32_PROCFS_H
#include "types.h"

#define PROCFS_MOUNT    "/proc"
#define PROCFS_TEXT_MAX 2048       /* the longest file: /proc/PID/status */

enum procfs_kind {
	PROCFS_ROOT = 1, PROCFS_SELF, PROCFS_MEMINFO, PROCFS_STAT, PROCFS_UPTIME, PROCFS_LOADAVG,
	PROCFS_PID_DIR, PROCFS_PID_STAT, PROCFS_PID_STATUS, PROCFS_PID_CMDLINE, PROCFS_PID_EXE,
};

void procfs_init(void);                                       /* mount it at /proc */
int  procfs_readlink(const char *rest, char *buf, size_t size);   /* rest: below /proc/ */
int  procfs_exe_target(const char *norm, char *out, size_t size);
/* The text of one file, in buf: its length or -errno (procfs_text.c). */
int  procfs_text(enum procfs_kind kind, int pid, char *buf, size_t size);

#endif
