/*
 * termios.h - the terminal's modes: canonical (line editing) or raw,
 * echo, the signal keys (Ctrl-C, Ctrl-Z, Ctrl-\).  The console answers
 * these through ioctl (drivers/tty.c).
 */
#ifndef ZC_TERMIOS_H
#define ZC_TERMIOS_H

#include <uapi/termios.h>   /* struct termios, flags, ioctl numbers */

int tcgetattr(int fd, struct termios *t);
/* action: TCSANOW, TCSADRAIN or TCSAFLUSH (drop unread input) */
int tcsetattr(int fd, int action, const struct termios *t);

#endif
