/*
 * tty.c - the console's line discipline: what happens to a typed byte
 * between the UART's interrupt and a program's read(), as Linux's n_tty.
 *
 *   serial_irq -> tty_input: the c_iflag mapping (\r to \n), then
 *     ISIG: Ctrl-C, Ctrl-\ and Ctrl-Z send SIGINT, SIGQUIT and SIGTSTP to
 *           the terminal's foreground process group (signal_send_pgrp);
 *     ICANON: line editing (erase, kill, word erase) in the line being
 *           typed, which becomes readable at '\n' or Ctrl-D;
 *     raw (ICANON off): every byte is readable at once;
 *     ECHO: typed bytes are written back to the screen.
 *   read -> tty_read: a process outside the foreground group gets SIGTTIN
 *     (job control); canonical mode returns at most one line, raw mode
 *     follows VMIN and VTIME.
 *   ioctl -> tty_ioctl: termios (TCGETS/TCSETS*), the window size, the
 *     foreground process group (TIOCGPGRP/TIOCSPGRP), the session.
 *
 * The console is the controlling terminal of init's session (sid 1) from
 * boot, with init's group in the foreground, as if init had opened it.
 */
#include "kernel.h"
#include "x86.h"
#include "timer.h"
#include "console.h"
#include "tty.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "mm/uaccess.h"
#include "fs/poll.h"
#include "uapi/termios.h"

#define INPUT_SIZE 1024
#define CTRL(c) ((c) - '@')
#define DISABLED 0                      /* a c_cc entry of 0 is switched off */
#define WINSIZE_ROWS 24                 /* the serial console cannot tell: a vt100's */
#define WINSIZE_COLS 80

/* Linux's defaults (tty_std_termios, INIT_C_CC). */
static struct termios termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f,
		  [VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VMIN] = 1, [VSTART] = CTRL('Q'),
		  [VSTOP] = CTRL('S'), [VSUSP] = CTRL('Z'), [VREPRINT] = CTRL('R'),
		  [VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V') },
};
static struct winsize winsize = { WINSIZE_ROWS, WINSIZE_COLS, 0, 0 };
static int tty_sid = 1, fg_pgrp = 1;    /* init's session, init's group */
static int timed_readers;               /* raw reads waiting with VTIME */

/* input[r..w) is ready for read(); input[w..e) is the line being edited. */
static struct {
	char buf[INPUT_SIZE];
	uint32_t r, w, e;
} input;

/* Told when input becomes readable: epoll watches of console files (fs/poll.h). */
struct wait_queue console_wq = { LIST_INIT(console_wq.entries) };

#define LFLAG(f) (termios.c_lflag & (f))

/* ---- the interrupt side ---- */

static bool is_ctrl(char c)
{
	return (uint8_t)c < 0x20 || c == 0x7f;
}

/* Echo c as typed: control characters as ^X with ECHOCTL. */
static void echo(char c)
{
	if (!LFLAG(ECHO)) {
		if (c == '\n' && LFLAG(ECHONL))
			console_write_kernel("\n", 1);
		return;
	}
	if (LFLAG(ECHOCTL) && is_ctrl(c) && c != '\n' && c != '\t') {
		char s[2] = { '^', c ^ 0x40 };
		console_write_kernel(s, 2);
	} else {
		console_write_kernel(&c, 1);
	}
}

/* Rub out the last character of the line being edited. */
static bool erase_one(void)
{
	if (input.e == input.w)
		return false;
	char c = input.buf[--input.e % INPUT_SIZE];
	if (LFLAG(ECHO) && LFLAG(ECHOE)) {
		int width = (LFLAG(ECHOCTL) && is_ctrl(c)) ? 2 : 1;
		for (int i = 0; i < width; i++)
			console_write_kernel("\b \b", 3);
	}
	return true;
}

static void make_readable(void)
{
	input.w = input.e;
	wakeup(&input);
	if (timed_readers)
		wakeup((void *)&ticks);         /* a VTIME reader sleeps on the clock */
	poll_wake(&console_wq, POLLIN);
}

static void flush_input(void)
{
	input.r = input.w = input.e;
}

/* ISIG: a signal character sends its signal to the foreground group. */
static bool signal_char(char c)
{
	int sig = 0;
	if (c == DISABLED)
		return false;
	if (c == termios.c_cc[VINTR])
		sig = SIGINT;
	else if (c == termios.c_cc[VQUIT])
		sig = SIGQUIT;
	else if (c == termios.c_cc[VSUSP])
		sig = SIGTSTP;
	if (!sig)
		return false;
	if (!LFLAG(NOFLSH))
		flush_input();
	echo(c);
	if (fg_pgrp > 0)
		signal_send_pgrp(fg_pgrp, sig, SI_KERNEL, 0);
	return true;
}

/* ICANON: the editing characters.  True if c was one. */
static bool edit_char(char c)
{
	if (c == DISABLED)
		return false;
	if (c == termios.c_cc[VERASE] || c == '\b') {
		erase_one();
		return true;
	}
	if (c == termios.c_cc[VKILL]) {
		while (erase_one())
			;
		return true;
	}
	if (LFLAG(IEXTEN) && c == termios.c_cc[VWERASE]) {
		while (input.e != input.w && input.buf[(input.e - 1) % INPUT_SIZE] == ' ')
			erase_one();
		while (input.e != input.w && input.buf[(input.e - 1) % INPUT_SIZE] != ' ')
			erase_one();
		return true;
	}
	return false;
}

static bool ends_line(char c)
{
	return c == '\n' || (c != DISABLED && (c == termios.c_cc[VEOF] ||
	       c == termios.c_cc[VEOL] || c == termios.c_cc[VEOL2]));
}

/* One byte from the keyboard (the serial interrupt, interrupts off). */
void tty_input(char c)
{
	if (termios.c_iflag & ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (termios.c_iflag & IGNCR)
			return;
		if (termios.c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (termios.c_iflag & INLCR)) {
		c = '\r';
	}
	if (LFLAG(ISIG) && signal_char(c))
		return;
	bool canon = LFLAG(ICANON);
	if (canon && edit_char(c))
		return;
	if (input.e - input.r >= INPUT_SIZE)
		return;                          /* buffer full: drop */
	input.buf[input.e++ % INPUT_SIZE] = c;
	if (!canon || c != termios.c_cc[VEOF])
		echo(c);
	if (!canon || ends_line(c) || input.e - input.r == INPUT_SIZE)
		make_readable();
}

/* ---- the process side ---- */

static bool is_controlling_tty(struct proc *p)
{
	return tty_sid > 0 && p->sid == tty_sid;
}

/* Job control: a process of a background group of the terminal's session
 * that reads (SIGTTIN) or changes the terminal (SIGTTOU) stops, with its
 * group, until the shell puts it in the foreground.  A reader that
 * ignores or blocks SIGTTIN gets EIO; a writer that does, goes ahead. */
static int job_control(int sig)
{
	struct proc *p = current;
	if (!is_controlling_tty(p) || p->pgid == fg_pgrp || fg_pgrp <= 0)
		return 0;
	if (signal_blocked_or_ignored(p, sig))
		return sig == SIGTTIN ? -EIO : 0;
	signal_send_pgrp(p->pgid, sig, SI_KERNEL, 0);
	return -ERESTARTSYS;
}

/* Canonical: wait for a whole line; return at most one.  A VEOF ends the
 * line without being read; alone it reads as end of file (0). */
static int read_line(char *kbuf, int n, bool nonblock)
{
	while (input.r == input.w) {
		if (nonblock)
			return -EAGAIN;
		if (signal_pending(current))
			return -ERESTARTSYS;
		sleep_on(&input);
		if (!LFLAG(ICANON))
			return 0;                    /* switched to raw meanwhile: read again */
	}
	int got = 0;
	while (got < n && input.r != input.w) {
		char c = input.buf[input.r++ % INPUT_SIZE];
		if (c == termios.c_cc[VEOF] && c != DISABLED)
			break;
		kbuf[got++] = c;
		if (c == '\n')
			break;
	}
	return got;
}

/* Raw: VMIN bytes at least (fewer if n is smaller); VTIME tenths of a
 * second without input end the wait (VMIN 0: a timeout for any byte). */
static int read_raw(char *kbuf, int n, bool nonblock)
{
	uint32_t vmin = termios.c_cc[VMIN], vtime = termios.c_cc[VTIME];
	uint32_t want = MAX(1u, MIN(vmin, (uint32_t)n)), seen = input.w - input.r;
	uint64_t deadline = ticks + (vtime * timer_hz + 9) / 10;
	for (;;) {
		uint32_t avail = input.w - input.r;
		if (avail != seen && vmin > 0)
			deadline = ticks + (vtime * timer_hz + 9) / 10;   /* inter-byte timer */
		seen = avail;
		if (avail >= want || (vmin == 0 && (vtime == 0 || ticks >= deadline)) ||
		    (vtime && avail > 0 && ticks >= deadline))
			break;
		if (nonblock)
			return avail ? (int)avail : -EAGAIN;
		if (signal_pending(current))
			return -ERESTARTSYS;
		if (vtime) {
			timed_readers++;
			sleep_until(deadline);
			timed_readers--;
		} else {
			sleep_on(&input);
		}
		if (LFLAG(ICANON))
			return 0;
	}
	int got = 0;
	while (got < n && input.r != input.w)
		kbuf[got++] = input.buf[input.r++ % INPUT_SIZE];
	return got;
}

int tty_read(char *kbuf, int n, bool nonblock)
{
	int r = job_control(SIGTTIN);
	if (r < 0)
		return r;
	uint32_t f = irq_save();
	r = LFLAG(ICANON) ? read_line(kbuf, n, nonblock) : read_raw(kbuf, n, nonblock);
	irq_restore(f);
	return r;
}

/* With TOSTOP set, a background process's write stops it (SIGTTOU). */
int tty_write_check(void)
{
	return LFLAG(TOSTOP) ? job_control(SIGTTOU) : 0;
}

bool tty_readable(void)
{
	return input.r != input.w;
}

/* ---- ioctl ---- */

static void set_termios(const struct termios *t, bool flush)
{
	uint32_t f = irq_save();
	termios = *t;
	if (flush)
		flush_input();
	if (!LFLAG(ICANON))
		make_readable();                 /* the half-typed line is raw input now */
	wakeup(&input);
	irq_restore(f);
}

static long set_fg_pgrp(const int *upgrp)
{
	int pgrp, r;
	if (!is_controlling_tty(current))
		return -ENOTTY;
	if ((r = job_control(SIGTTOU)) < 0)
		return r;
	if (get_user_arg(&pgrp, upgrp, sizeof pgrp) < 0)
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (!pgrp_exists(pgrp, 0))
		return -ESRCH;
	if (!pgrp_exists(pgrp, current->sid))
		return -EPERM;
	fg_pgrp = pgrp;
	return 0;
}

/* TIOCSCTTY: a session leader without a terminal takes the console, if
 * no other session has it (or arg is 1: steal it, as root may). */
static long set_controlling_tty(uint32_t arg)
{
	struct proc *p = current;
	if (p->sid != p->pid)
		return -EPERM;
	if (tty_sid == p->sid)
		return 0;
	if (tty_sid > 0 && arg != 1)
		return -EPERM;
	tty_sid = p->sid;
	fg_pgrp = p->pgid;
	return 0;
}

/* TIOCNOTTY: a session leader gives the console up. */
static long drop_controlling_tty(void)
{
	struct proc *p = current;
	if (!is_controlling_tty(p))
		return -ENOTTY;
	if (p->sid == p->pid)
		tty_sid = fg_pgrp = 0;
	return 0;
}

static long put_int(uint32_t uarg, int v)
{
	return put_user_arg((void *)uarg, &v, sizeof v);
}

long tty_ioctl(uint32_t cmd, uint32_t arg)
{
	struct termios t;
	long r;
	switch (cmd) {
	case TCGETS:
		return put_user_arg((void *)arg, &termios, sizeof termios);
	case TCSETS: case TCSETSW: case TCSETSF:
		if (get_user_arg(&t, (const void *)arg, sizeof t) < 0)
			return -EFAULT;
		if ((r = job_control(SIGTTOU)) < 0)
			return r;
		set_termios(&t, cmd == TCSETSF);    /* output is synchronous: W is drained */
		return 0;
	case TIOCGWINSZ:
		return put_user_arg((void *)arg, &winsize, sizeof winsize);
	case TIOCSWINSZ:
		if (get_user_arg(&winsize, (const void *)arg, sizeof winsize) < 0)
			return -EFAULT;
		if (fg_pgrp > 0)
			signal_send_pgrp(fg_pgrp, SIGWINCH, SI_KERNEL, 0);
		return 0;
	case TIOCGPGRP:
		return is_controlling_tty(current) ? put_int(arg, fg_pgrp) : -ENOTTY;
	case TIOCSPGRP:
		return set_fg_pgrp((const int *)arg);
	case TIOCGSID:
		return is_controlling_tty(current) ? put_int(arg, tty_sid) : -ENOTTY;
	case TIOCSCTTY:
		return set_controlling_tty(arg);
	case TIOCNOTTY:
		return drop_controlling_tty();
	case FIONREAD:
		return put_int(arg, input.w - input.r);
	case TCFLSH:
		if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH) {
			uint32_t f = irq_save();
			flush_input();
			irq_restore(f);
		}
		return 0;
	default:
		return -ENOTTY;
	}
}
