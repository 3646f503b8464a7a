/*
 * uapi/sched.h - a process's own settings: clone(2)'s flags, prctl(2)'s
 * name and set_thread_area(2)'s TLS descriptor (Linux i386: linux/sched.h,
 * linux/prctl.h, asm/ldt.h).  docs/linux-abi.md says what zc32 accepts.
 */
#ifndef ZC32_UAPI_SCHED_H
#define ZC32_UAPI_SCHED_H

#define CLONE_SIGNAL_MASK    0x000000ff   /* Linux's CSIGNAL: the exit signal */
#define CLONE_VM             0x00000100
#define CLONE_FILES          0x00000400
#define CLONE_THREAD         0x00010000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000

#define PR_SET_NAME 15
#define PR_GET_NAME 16

struct user_desc {
	unsigned int entry_number, base_addr, limit;
	unsigned int flags;   /* seg_32bit 0x1, limit_in_pages 0x10, useable 0x40; zc32 heeds: */
};
#define USER_DESC_SEG_NOT_PRESENT 0x20

#endif
