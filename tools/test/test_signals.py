"""test_signals.py - signals, process groups and the console as a tty
(docs/signals.md).

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


def test_ctrl_c_ends_the_foreground_job_not_the_shell(run_guest):
    """Ctrl-C while a program runs in the foreground: the terminal echoes
    ^C, the job dies of SIGINT (status 130), the shell prompts again."""
    r = run_guest("sh", input=[(START, "sigprog wait\n"),
                               ("sigprog: ready", "\x03"),
                               (None, "echo after-int $?\n"),
                               (out_line("after-int 130"), "exit 0\n")])
    check_boot(r, exit_code=0)
    assert "^C" in r.output, r.describe()


def test_ctrl_c_at_the_prompt_drops_the_line(run_guest):
    """Ctrl-C while typing: the half-typed line is gone and the shell lives."""
    r = run_guest("sh", input=[(START, "echo abc"), (None, "\x03"),
                               (None, "echo prompt-ok\n"),
                               (out_line("prompt-ok"), "exit 0\n")])
    check_boot(r, exit_code=0)
    assert not re.search(r"abcecho|abc prompt", r.output), r.describe()


def test_program_ignoring_sigint_keeps_running(run_guest):
    """A program that ignores SIGINT is not ended by Ctrl-C: it goes on
    reading and exits 0 on its own."""
    r = run_guest("sh", input=[(START, "sigprog ignore-int\n"),
                               ("sigprog: ignoring SIGINT", "\x03"),
                               (None, "bye\n"),
                               ("sigprog: still running, read bye", "echo status $?\n"),
                               (out_line("status 0"), "exit 0\n")])
    check_boot(r, exit_code=0)


def test_ctrl_z_then_jobs_bg_fg(run_guest):
    """Ctrl-Z stops the foreground job (the kernel reports it to the
    shell's waitpid with WUNTRACED); jobs lists it; bg continues it in the
    background (SIGCONT); fg gives it the terminal again, where Ctrl-C
    ends it."""
    r = run_guest("sh", input=[(START, "sigprog wait\n"),
                               ("sigprog: ready", "\x1a"),
                               (r"\[1\]\+\s+Stopped\s+sigprog wait", "echo stopped $?\n"),
                               (out_line("stopped 148"), "jobs\n"),
                               (r"\[1\]\+\s+Stopped\s+sigprog wait", "bg\n"),
                               (r"\[1\]\+ sigprog wait &", "jobs\n"),
                               (r"\[1\]\+\s+Running\s+sigprog wait", "fg\n"),
                               (out_line("sigprog wait"), "\x03"),
                               (None, "echo fg-done $?\n"),
                               (out_line("fg-done 130"), "jobs; echo no-jobs-left\n"),
                               (out_line("no-jobs-left"), "exit 0\n")])
    check_boot(r, exit_code=0)
    assert "^Z" in r.output, r.describe()
    after = r.output[r.output.index("fg-done 130"):]
    assert "sigprog wait" not in after.replace("echo", ""), r.describe()


def test_background_job_and_wait(run_guest):
    """`cmd &` prints [n] pid and the shell reads the next line at once;
    `wait` waits for a background job, which is then reported Done; a
    background job runs on while the shell takes commands, until fg."""
    r = run_guest("sh", input=[(START, "true &\n"),
                               (r"\[1\] \d+", "wait; echo waited\n"),
                               (out_line("waited"), "sigprog wait &\n"),
                               (r"\[1\] \d+", "echo shell-free\n"),
                               (out_line("shell-free"), "jobs\n"),
                               (r"\[1\]\+\s+Running\s+sigprog wait", "fg\n"),
                               (out_line("sigprog wait"), "\x03"),
                               (None, "echo bg-done $?\n"),
                               (out_line("bg-done 130"), "exit 0\n")])
    check_boot(r, exit_code=0)
    assert re.search(r"\[1\]\+\s+Done\s+true", r.output), r.describe()


def test_background_reader_stops_until_fg(run_guest):
    """A background job that reads the terminal is stopped by SIGTTIN (the
    shell says so); fg gives it the terminal, and its read, restarted,
    gets the next line typed."""
    r = run_guest("sh", input=[(START, "sigprog ignore-int &\n"),
                               (r"\[1\] \d+", "sleep 1; echo slept\n"),
                               (r"\[1\]\+\s+Stopped\s+sigprog ignore-int", "fg\n"),
                               (out_line("sigprog ignore-int"), "fg-input\n"),
                               ("sigprog: still running, read fg-input", "exit 0\n")])
    check_boot(r, exit_code=0)


def test_httpd_in_the_background_serves_through_make_runs_forward(request, built, storage):
    """As under `make run` (the ISO, its NIC and forward): `httpd &` at the
    prompt, the shell stays usable, and the host fetches a file through the
    forwarded port; then the server is told to exit and `wait` reaps it."""
    from conftest import fetch_from_iso_boot

    r = fetch_from_iso_boot(request, storage, [(START, "httpd -x &\n"),
                                               (r"\[1\] \d+", "echo shell-free\n"),
                                               ("httpd: exit requested", "wait; echo waited\n"),
                                               (out_line("waited"), "exit\n")])
    check_boot(r, exit_code=0)
    assert re.search(out_line("shell-free"), r.output, re.M), r.describe()
    assert re.search(r"\[1\]\+\s+Done\s+httpd -x", r.output), r.describe()


def test_raw_mode_reads_keys_without_echo(run_guest):
    """A program that turns ICANON, ECHO and ISIG off reads each key as it
    is typed (no Enter), sees no echo, and gets Ctrl-C as the byte 0x03;
    the terminal is cooked again after it restores the modes."""
    r = run_guest("sh", input=[(START, "sigprog raw 3\n"),
                               ("sigprog: raw ready", "q"),
                               ("sigprog: key 0x71", "\x03"),
                               ("sigprog: key 0x03", "\r"),
                               ("sigprog: key 0x0a", "echo cooked-again $?\n"),
                               (out_line("cooked-again 0"), "exit 0\n")])
    check_boot(r, exit_code=0)
    between = r.output[r.output.index("raw ready"):r.output.index("sigprog: key 0x0a")]
    assert between.split("\n")[1:] == ["sigprog: key 0x71", "sigprog: key 0x03", ""], \
        r.describe()                    # nothing echoed between the keys


def test_line_editing_and_ctrl_backslash(run_guest):
    """Canonical mode: ^U kills the line, ^W erases a word; Ctrl-\\ sends
    SIGQUIT to the foreground job (status 131)."""
    r = run_guest("sh", input=[(START, "echo wrong\x15echo foo bar\x17baz\n"),
                               (out_line("foo baz"), "sigprog wait\n"),
                               ("sigprog: ready", "\x1c"),
                               (None, "echo quit $?\n"),
                               (out_line("quit 131"), "exit 0\n")])
    check_boot(r, exit_code=0)
    assert "killed by signal 3 (SIGQUIT)" in r.output, r.describe()
