/* tty.h - the console's line discipline (drivers/tty.c): termios, line
 * editing, echo, Ctrl-C/Ctrl-Z/Ctrl-\\ as signals, job control. */
#ifndef ZC32_TTY_H
#define ZC32_TTY_H
#include "types.h"

void tty_input(char c);                     /* a typed byte (serial interrupt) */
int  tty_read(char *kbuf, int n, bool nonblock);   /* one line, or raw bytes */
int  tty_write_check(void);                 /* TOSTOP: 0 or -ERESTARTSYS */
bool tty_readable(void);
long tty_ioctl(uint32_t cmd, uint32_t arg);

#endif
