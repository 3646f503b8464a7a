/*
 * unistd.h - the POSIX-style system-call wrappers.
 *
 * Each wrapper makes one system call (see syscall.h) and follows the libc
 * convention: on error it returns -1 and sets errno.  Tests that need the
 * exact error code use the raw usys_*() calls from syscall.h instead.
 */
#ifndef ZC_UNISTD_H
#define ZC_UNISTD_H

#include <types.h>
#include <syscall.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#include <uapi/fcntl.h>     /* SEEK_SET, SEEK_CUR, SEEK_END */

#define F_OK 0   /* access(): exists */
#define X_OK 1
#define W_OK 2
#define R_OK 4

extern char **environ;

/* processes */
pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
void _exit(int code) __attribute__((noreturn));
pid_t getpid(void);
pid_t getppid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
int sched_yield(void);
unsigned int sleep(unsigned int seconds);
int usleep(unsigned int usec);
unsigned int alarm(unsigned int seconds);
int pause(void);

/* process groups, sessions and the terminal's foreground group */
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t pid);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);

/* power: reboot(LINUX_REBOOT_CMD_POWER_OFF) asks the kernel to power off */
#include <uapi/reboot.h>
int reboot(unsigned int cmd);

/* file descriptors */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
ssize_t pread(int fd, void *buf, size_t n, loff_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, loff_t off);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
loff_t lseek64(int fd, loff_t off, int whence);   /* via _llseek */
int dup(int fd);
int dup2(int fd, int to);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int isatty(int fd);
int ftruncate(int fd, off_t len);
int truncate(const char *path, off_t len);
int fsync(int fd);
void sync(void);

/* names in the file system */
int chdir(const char *path);
char *getcwd(char *buf, size_t n);
int access(const char *path, int mode);
int unlink(const char *path);
int rmdir(const char *path);
int rename(const char *from, const char *to);

/* the program break: the end of the heap (malloc grows it) */
int brk(void *addr);
void *sbrk(intptr_t increment);

#endif
