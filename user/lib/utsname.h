/*
 * utsname.h - uname(): the system's name and version.
 * Layout of Linux's struct new_utsname (system call 122).
 */
#ifndef ZC_UTSNAME_H
#define ZC_UTSNAME_H

#define UTSNAME_LEN 65

struct utsname {
	char sysname[UTSNAME_LEN];     /* "zc32" */
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];     /* "i686" */
	char domainname[UTSNAME_LEN];
};

int uname(struct utsname *u);

#endif
