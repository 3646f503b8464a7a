"""test_shell.py - /bin/sh driven through the serial console, booted both
directly (-kernel, init=/bin/sh) and through GRUB (the ISO's /bin/init runs
/bin/sh).  Input is typed once the kernel has started init; the console is
line-buffered, so typed-ahead lines wait in the kernel until sh reads them.
Each step waits for the previous command's output before typing on."""

import re

from conftest import INIT_RE, check_boot, out_line
from qemu import INIT_STARTED

START = re.escape(INIT_STARTED)


def test_shell_echo_and_exit(run_guest):
    r = run_guest("sh", input=[(START, "echo shell-ok\n"),
                               (out_line("shell-ok"), "exit 3\n")])
    check_boot(r, exit_code=3)


def test_shell_command_not_found_is_127(run_guest):
    """A missing program: the shell survives, and its status is 127
    (`exit` with no argument exits with the last command's status)."""
    r = run_guest("sh", input=[(START, "no-such-command-zc32\n"),
                               (None, "echo still-alive\n"),
                               (out_line("still-alive"), "no-such-command-zc32\n"),
                               (None, "exit\n")])
    check_boot(r, exit_code=127)


def test_console_backspace(run_guest):
    """The cooked console handles DEL (what a terminal's Backspace key sends)."""
    r = run_guest("sh", input=[(START, "echo abX\x7fc\n"),
                               (out_line("abc"), "exit 0\n")])
    check_boot(r, exit_code=0)
    assert re.search(out_line("abc"), r.output, re.M), r.describe()


def test_console_ctrl_d_is_eof(run_guest):
    """Ctrl-D at the start of a line makes read() return 0: the shell exits."""
    r = run_guest("sh", input=[(START, "echo before-eof\n"),
                               (out_line("before-eof"), "\x04")])
    check_boot(r, exit_code=0)


def test_iso_boot_shell(run_guest):
    """GRUB boots the ISO; its /bin/init runs /bin/sh on the serial console,
    and the shell's exit status becomes QEMU's."""
    r = run_guest(mode="iso", input=[(START, "echo iso-ok\n"),
                                     (out_line("iso-ok"), "exit 7\n")])
    check_boot(r, exit_code=7)
    i = INIT_RE.search(r.output)
    assert i and i.group(1) == "/bin/init", f"ISO did not start /bin/init\n{r.describe()}"
