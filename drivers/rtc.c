/*
 * rtc.c - the MC146818 CMOS real-time clock (and its PC clones, QEMU's
 * among them): the wall-clock time at boot, which the timer adds the
 * ticks since boot to.  The clock's registers are read through an index
 * port (0x70) and a data port (0x71).  Facts from the MC146818 datasheet
 * and OSDev's "CMOS" page:
 *   - registers 0, 2, 4, 7, 8, 9: seconds, minutes, hours, day, month,
 *     year (two digits); 0x32: the century (the ACPI FADT's default);
 *   - status register A bit 7 (UIP): an update is in progress, the time
 *     registers may be inconsistent for up to ~2 ms;
 *   - status register B bit 2 (DM): values are binary, else BCD;
 *     bit 1: 24-hour mode, else 12-hour with bit 7 of the hour set for PM.
 * The clock is assumed to run in UTC, as QEMU's does by default.
 */
#include "kernel.h"
#include "x86.h"
#include "rtc.h"

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS   0x04
#define RTC_DAY     0x07
#define RTC_MONTH   0x08
#define RTC_YEAR    0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32
#define STATUS_A_UIP    0x80   /* update in progress */
#define STATUS_B_BINARY 0x04   /* DM: binary, not BCD */
#define STATUS_B_24H    0x02
#define HOUR_PM         0x80   /* 12-hour mode */

struct rtc_time {
	int sec, min, hour, day, mon, year, century;
};

static int cmos_read(int reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
	while (cmos_read(RTC_STATUS_A) & STATUS_A_UIP)
		;                                /* wait for the update to finish */
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->mon = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = cmos_read(RTC_CENTURY);
}

static int from_bcd(int v) { return (v & 0x0f) + (v >> 4) * 10; }

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static uint64_t days_since_1970(int year, int mon, int day)
{
	static const int before_month[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	uint64_t days = 0;
	for (int y = 1970; y < year; y++)
		days += leap(y) ? 366 : 365;
	days += before_month[(mon - 1) % 12] + day - 1;
	if (mon > 2 && leap(year))
		days++;
	return days;
}

uint64_t rtc_read_epoch(void)
{
	/* Read until two reads agree: an update may start right after UIP
	 * was seen clear (OSDev's advice). */
	struct rtc_time t, again;
	read_raw(&t);
	for (read_raw(&again); memcmp(&t, &again, sizeof t) != 0; read_raw(&again))
		t = again;
	int b = cmos_read(RTC_STATUS_B);
	bool pm = !(b & STATUS_B_24H) && (t.hour & HOUR_PM);
	t.hour &= ~HOUR_PM;
	if (!(b & STATUS_B_BINARY)) {
		t.sec = from_bcd(t.sec), t.min = from_bcd(t.min), t.hour = from_bcd(t.hour);
		t.day = from_bcd(t.day), t.mon = from_bcd(t.mon), t.year = from_bcd(t.year);
		t.century = from_bcd(t.century);
	}
	if (!(b & STATUS_B_24H))
		t.hour = t.hour % 12 + (pm ? 12 : 0);   /* 12 AM is 0, 12 PM is 12 */
	int year = (t.century >= 19 && t.century <= 99 ? t.century * 100 : 2000) + t.year;
	if (t.mon < 1 || t.mon > 12 || t.day < 1 || t.day > 31 || year < 1970)
		return 0;                       /* no plausible clock: start at 1970 */
	return ((days_since_1970(year, t.mon, t.day) * 24 + t.hour) * 60 + t.min) * 60 + t.sec;
}
