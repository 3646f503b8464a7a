"""test_signals.py - signals, process groups and the console as a tty
(issues 13 and 14).

  - /test/sigtest (as init) checks handlers, frames, masks, EINTR and
    SA_RESTART, stop/continue, SIGCHLD, process groups, sessions and the
    console's ioctls against Linux's behaviour and errno values.
  - Through the console, as a person types: Ctrl-C (0x03) sends SIGINT to
    the foreground job and the shell prompts again; a program that ignores
    SIGINT keeps running; Ctrl-Z stops a job, `bg` and `fg` continue it;
    `cmd &` runs in the background while the shell reads the next line.
"""

import re

from conftest import check_boot, check_test_program, out_line
from qemu import INIT_STARTED

START = re.escape(INIT_STARTED)

SIGTEST_REQUIRED = [
    "sigaction.sigkill", "handler.ran", "handler.mask_restored", "handler.nodefer_nested",
    "handler.resethand", "siginfo.pid", "sigreturn.edx_restored", "fault.handler_skipped",
    "sigreturn.forged_cs_killed", "sigreturn.no_iopl", "frame.bad_stack_segv",
    "fault.sigfpe_handler", "fault.blocked_kills", "mask.delivered_on_unblock",
    "sigsuspend.eintr", "pause.eintr", "alarm.default_kills", "eintr.pipe_read",
    "restart.pipe_read", "eintr.nanosleep", "eintr.wait4", "stop.wstopsig",
    "cont.wifcontinued", "stop.sigkill_ends", "sigchld.handler", "sigchld.ignored_reaped",
    "exec.keeps_ign_resets_handlers", "tgkill.wrong_group", "pgrp.kill_group",
    "pgrp.kill0_waitpid0", "pgrp.setpgid_after_exec", "sid.setsid_child",
    "tty.tcgets", "tty.winsize_80x24", "tty.fg_is_us", "tty.raw_vtime_waited",
    "tty.bg_read_sigttin", "tty.bg_read_ignored_eio", "tty.tcsetpgrp_and_back",
]


def test_sigtest(run_guest):
    r = run_guest("sigtest", timeout=120)
    check_test_program(r, required=SIGTEST_REQUIRED)
