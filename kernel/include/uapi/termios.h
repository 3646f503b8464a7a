/*
 * uapi/termios.h - the terminal interface of Linux i386 (asm-generic/
 * termbits.h, asm-generic/ioctls.h, man 3 termios): struct termios as
 * TCGETS passes it (c_cc has 19 entries), its flags, the window size and
 * the tty ioctls the console answers (drivers/tty.c).
 */
#ifndef ZC32_UAPI_TERMIOS_H
#define ZC32_UAPI_TERMIOS_H

#define NCCS 19
struct termios {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[NCCS];
};

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_cc indexes */
#define VINTR    0
#define VQUIT    1
#define VERASE   2
#define VKILL    3
#define VEOF     4
#define VTIME    5
#define VMIN     6
#define VSWTC    7
#define VSTART   8
#define VSTOP    9
#define VSUSP   10
#define VEOL    11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT  15
#define VEOL2   16

/* c_iflag */
#define IGNBRK  0x0001
#define BRKINT  0x0002
#define ISTRIP  0x0020
#define INLCR   0x0040
#define IGNCR   0x0080
#define ICRNL   0x0100
#define IXON    0x0400
/* c_oflag */
#define OPOST   0x0001
#define ONLCR   0x0004
/* c_cflag */
#define B38400  0x000f
#define CS8     0x0030
#define CREAD   0x0080
#define HUPCL   0x0400
/* c_lflag */
#define ISIG    0x0001
#define ICANON  0x0002
#define ECHO    0x0008
#define ECHOE   0x0010
#define ECHOK   0x0020
#define ECHONL  0x0040
#define NOFLSH  0x0080
#define TOSTOP  0x0100
#define ECHOCTL 0x0200
#define ECHOKE  0x0800
#define IEXTEN  0x8000

/* tcsetattr's actions (the libc side of TCSETS, TCSETSW, TCSETSF) */
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2
/* TCFLSH's argument */
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

/* ioctl requests */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403   /* after output drains */
#define TCSETSF    0x5404   /* after output drains, dropping unread input */
#define TCFLSH     0x540B
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define FIONBIO    0x5421
#define TIOCNOTTY  0x5422
#define TIOCGSID   0x5429

#endif
