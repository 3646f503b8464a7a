/* rtc.h - the CMOS real-time clock (drivers/rtc.c): read once at boot. */
#ifndef ZC32_RTC_H
#define ZC32_RTC_H
#include "types.h"
uint64_t rtc_read_epoch(void);     /* seconds since 1970-01-01 00:00 UTC */
#endif
