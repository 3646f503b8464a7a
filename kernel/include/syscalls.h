/* syscalls.h - every system-call handler, for the table in trap/syscall.c. */
#ifndef ZC32_SYSCALLS_H
#define ZC32_SYSCALLS_H
#include "types.h"
#include "proc/proc.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "ledger/ledger.h"

/* sys.c: time, identity, power and other small calls */
long sys_time(uint32_t *t);
long sys_gettimeofday(void *tv, void *tz);
long sys_clock_gettime(int clk, void *ts);
long sys_nanosleep(const void *req, void *rem);
long sys_uname(void *buf);
long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, void *arg);
long sys_sched_yield(void);
long sys_getuid(void);
long sys_ioctl(int fd, uint32_t cmd, uint32_t arg);
long sys_ignore(void);
long sys_set_thread_area(void *u_info);
long sys_set_tid_address(int *tidptr);
long sys_exit_group(int code);
long sys_zc_info(struct zc_info *out);

#endif
