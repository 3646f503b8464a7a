/*
 * uapi/utsname.h - uname()'s answer: Linux's struct new_utsname (system
 * call 122).  Shared by the kernel and user/lib.
 */
#ifndef ZC32_UAPI_UTSNAME_H
#define ZC32_UAPI_UTSNAME_H

#define UTSNAME_LEN 65

struct utsname {
	char sysname[UTSNAME_LEN];     /* "zc32" */
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];     /* "i686" */
	char domainname[UTSNAME_LEN];
};

#endif
