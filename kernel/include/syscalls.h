/* syscalls.h - every system-call handler, for the table in trap/syscall.c
 * and the files that define them.  A list of prototypes only: the structs
 * they name are declared, not defined, so this leaf header pulls in no
 * subsystem. */
#ifndef ZC32_SYSCALLS_H
#define ZC32_SYSCALLS_H
#include "types.h"

struct zc_stats;
struct zc_trace_event;
struct zc_info;
struct zc_procinfo;
struct zc_diskstat;
struct zc_sockinfo;
struct timeval;
struct timespec;
struct epoll_event;

/* fs/fs_syscalls.c */
long sys_creat(const char *path, int mode);
long sys_stat(const char *p, void *b);
long sys_stat64(const char *p, void *b);
long sys_lstat(const char *p, void *b);
long sys_lstat64(const char *p, void *b);
long sys_fstat(int fd, void *b);
long sys_fstat64(int fd, void *b);
long sys_getdents(int fd, void *ubuf, size_t n);
long sys_getdents64(int fd, void *ubuf, size_t n);
long sys_mkdir(const char *path, int mode);
long sys_rmdir(const char *path);
long sys_unlink(const char *path);
long sys_rename(const char *oldp, const char *newp);
long sys_llseek(int fd, uint32_t hi, uint32_t lo, int64_t *result, int whence);
long sys_ftruncate(int fd, long length);
long sys_truncate(const char *path, long length);
long sys_fsync(int fd);
long sys_sync(void);
struct statfs;
long sys_statfs(const char *path, struct statfs *buf);
long sys_access(const char *path, int mode);
long sys_open(const char *path, int flags, int mode);
long sys_chdir(const char *path);
long sys_getcwd(char *buf, size_t size);
long sys_lseek(int fd, long off, int whence);
long sys_fcntl(int fd, int cmd, uint32_t arg);
long sys_openat(int dirfd, const char *path, int flags, int mode);
long sys_fstatat64(int dirfd, const char *path, void *buf, int flags);
long sys_statx(int dirfd, const char *path, int flags, uint32_t mask, void *buf);
long sys_mkdirat(int dirfd, const char *path, int mode);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_renameat(int olddirfd, const char *oldp, int newdirfd, const char *newp);
long sys_faccessat(int dirfd, const char *path, int mode);
long sys_fchdir(int fd);
long sys_symlink(const char *target, const char *path);
long sys_symlinkat(const char *target, int dirfd, const char *path);

/* fs/attr.c */
long sys_chmod(const char *path, uint32_t mode);
long sys_fchmod(int fd, uint32_t mode);
long sys_fchmodat(int dirfd, const char *path, uint32_t mode);
long sys_chown32(const char *path, uint32_t uid, uint32_t gid);
long sys_lchown32(const char *path, uint32_t uid, uint32_t gid);
long sys_fchown32(int fd, uint32_t uid, uint32_t gid);
long sys_fchownat(int dirfd, const char *path, uint32_t uid, uint32_t gid, int flags);
long sys_utimensat(int dirfd, const char *path, const struct timespec *times, int flags);
long sys_readlink(const char *path, char *buf, int size);
long sys_readlinkat(int dirfd, const char *path, char *buf, int size);

/* fs/file_ops.c */
long sys_mmap2(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd, uint32_t pgoff);
long sys_old_mmap(uint32_t *args);
/* fs/sendfile.c */
long sys_sendfile(int out_fd, int in_fd, int32_t *uoff, size_t count);
long sys_sendfile64(int out_fd, int in_fd, int64_t *uoff, size_t count);
long sys_zc_sendfile_mode(int mode);

/* sys.c: time, identity, power and other small calls */
long sys_time(uint32_t *t);
long sys_gettimeofday(void *tv, void *tz);
long sys_clock_gettime(int clk, void *ts);
long sys_nanosleep(const void *req, void *rem);
long sys_clock_gettime64(int clk, void *ts);
long sys_clock_getres(int clk, void *res);
long sys_clock_getres_time64(int clk, void *res);
long sys_clock_nanosleep(int clk, int flags, const void *req, void *rem);
long sys_clock_nanosleep_time64(int clk, int flags, const void *req, void *rem);
long sys_getrandom(void *buf, size_t n, uint32_t flags);
long sys_prctl(int option, uint32_t arg2);
struct rlimit32;
struct rlimit64;
long sys_ugetrlimit(int resource, struct rlimit32 *lim);
long sys_getrlimit(int resource, struct rlimit32 *lim);
long sys_prlimit64(int pid, int resource, const struct rlimit64 *newlim, struct rlimit64 *oldlim);
struct sysinfo32;
long sys_sysinfo(struct sysinfo32 *info);
long sys_times(void *buf);
long sys_uname(void *buf);
long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, void *arg);
long sys_sched_yield(void);
long sys_getuid(void);
long sys_ioctl(int fd, uint32_t cmd, uint32_t arg);
long sys_set_thread_area(void *u_info);
long sys_set_tid_address(int *tidptr);
long sys_exit_group(int code);
long sys_zc_stats(int pid, struct zc_stats *out);
long sys_zc_stats_reset(void);
long sys_zc_trace(int cmd, struct zc_trace_event *buf, int max);
long sys_zc_info(struct zc_info *out);
long sys_zc_diskstat(struct zc_diskstat *out, int max);
long sys_zc_procs(struct zc_procinfo *out, int max);

/* net/socket.c, fs/poll.c, net/net.c */
long sys_socketcall(int call, const uint32_t *uargs);
long sys_socket(int domain, int type, int proto);
long sys_bind(int fd, const void *uaddr, uint32_t len);
long sys_connect(int fd, const void *uaddr, uint32_t len);
long sys_listen(int fd, int backlog);
long sys_accept4(int fd, void *uaddr, uint32_t *ulen, int flags);
long sys_getsockopt(int fd, int level, int name, void *uval, uint32_t *ulen);
long sys_setsockopt(int fd, int level, int name, const void *uval, uint32_t len);
long sys_getsockname(int fd, void *uaddr, uint32_t *ulen);
long sys_getpeername(int fd, void *uaddr, uint32_t *ulen);
long sys_sendto(int fd, const void *ubuf, size_t n, int flags, const void *uaddr, uint32_t len);
long sys_recvfrom(int fd, void *ubuf, size_t n, int flags, void *uaddr, uint32_t *ulen);
long sys_shutdown(int fd, int how);
long sys_poll(void *ufds, uint32_t nfds, int timeout_ms);
long sys_zc_netstat(uint64_t *counters, int n, struct zc_sockinfo *socks, int max);
long sys_zc_drop_caches(void);

/* fs/select.c, fs/epoll.c: waiting for many files (docs/waiting.md) */
long sys_select(int n, void *uin, void *uout, void *uex, struct timeval *utv);
long sys_pselect6(int n, void *uin, void *uout, void *uex, struct timespec *uts, void *usig);
long sys_epoll_create(int size);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *uev);
long sys_epoll_wait(int epfd, struct epoll_event *uevents, int maxevents, int timeout_ms);
long sys_epoll_pwait(int epfd, struct epoll_event *uevents, int maxevents, int timeout_ms,
		     const void *usigmask, uint32_t sigsetsize);

#endif
