/* errno.h - Linux's errno values (uapi/errno.h); system calls return them negated. */
#ifndef ZC32_ERRNO_H
#define ZC32_ERRNO_H
#include "uapi/errno.h"
#endif
