/*
 * utsname.h - uname(): the system's name and version.
 * Layout of Linux's struct new_utsname (system call 122).
 */
#ifndef ZC_UTSNAME_H
#define ZC_UTSNAME_H

#include <uapi/utsname.h>   /* the layout, shared with the kernel */

int uname(struct utsname *u);

#endif
