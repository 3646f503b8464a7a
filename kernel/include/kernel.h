/*
 * kernel.h - what nearly every kernel file needs: printing, panics,
 * assertions, string and memory helpers.
 */
#ifndef ZC32_KERNEL_H
#define ZC32_KERNEL_H
#include "types.h"
#include "uapi/errno.h"       /* Linux's values; system calls return them negated */

#define ZC32_VERSION "0.1"

/* lib/printk.c */
int  printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int  snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int  vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
/* Where printk's text goes: the console driver's writer, connected by the
 * boot glue as soon as the UART is up.  Until then printk drops its text. */
typedef void (*printk_sink_t)(const char *buf, int n);
void printk_set_console(printk_sink_t write);

/* panic.c: kernel bugs stop the machine with registers and a backtrace. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void backtrace_from(uint32_t ebp);
#define ASSERT(c) do { if (!(c)) panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__); } while (0)

/* lib/string.c */
void  *memset(void *d, int c, size_t n);
void  *memcpy(void *d, const void *s, size_t n);
void  *memmove(void *d, const void *s, size_t n);
int    memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int    strcmp(const char *a, const char *b);
int    strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *d, const char *s, size_t n);
char  *strchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);

/* power.c */
void power_off(int code) __attribute__((noreturn));     /* sync, then exit */
void machine_exit(int code) __attribute__((noreturn));  /* exit now (panics) */

/* acpi.c: the PM1 control registers and \_S5 from the firmware's tables */
void acpi_init(uint32_t ram_top);
void acpi_power_off(void);                /* returns if the machine is still on */

#endif
