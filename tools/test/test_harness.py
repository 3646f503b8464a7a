"""test_harness.py - the harness's own checks, on made-up console output
(no QEMU): each failure the suite promises to catch is caught, and the
command lines keep the flags the platform contract requires."""

import re

import pytest

import qemu
from conftest import check_boot, check_protocol, out_line

GOOD = """zc32 0.2 booting (cmdline: /boot/kernel.elf console=ttyS0 init=/bin/x)
zc32: starting init: /bin/x
ok one
ok two
summary: 2 passed, 0 failed
zc32: init exited with status 0, powering off
"""


def result(output=GOOD, status=1, timed_out=False, error=None):
    return qemu.BootResult(cmd=["qemu-system-i386"], status=status, output=output,
                           raw=output.encode(), stderr="", timed_out=timed_out, duration=0.1,
                           init_time=0.05, first_byte_time=0.01, error=error)


def test_good_run_passes():
    r = result()
    check_boot(r, exit_code=0)
    assert check_protocol(r, required=["one", "two"]) == ["one", "two"]


@pytest.mark.parametrize("r,why", [
    (result(timed_out=True, status=-9), "timed out"),
    (result(GOOD.replace("ok two", "zc32 PANIC: oops"), status=255), "kernel panic"),
    (result(status=0), "triple fault"),
    (result(GOOD.replace("zc32: init exited with status 0, powering off", "")), "no 'zc32: init exited"),
    (result(GOOD.replace("status 0,", "status 2,")), "power-off line says"),
    (result(status=5), "power-off line says"),
    (result(error="gave up"), "gave up"),
])
def test_check_boot_catches(r, why):
    with pytest.raises(AssertionError, match=re.escape(why)):
        check_boot(r, exit_code=0)


def test_check_boot_wrong_exit_code():
    with pytest.raises(AssertionError, match="expected 3"):
        check_boot(result(), exit_code=3)


@pytest.mark.parametrize("output,why", [
    (GOOD.replace("ok two", "not ok two: 1 != 2"), "in-guest checks failed"),
    (GOOD.replace("summary: 2 passed, 0 failed\n", ""), "no 'summary"),
    (GOOD.replace("0 failed", "1 failed"), "1 failed"),
    (GOOD.replace("2 passed", "3 passed"), "3 passed but 2"),
    ("summary: 0 passed, 0 failed\nzc32: init exited with status 0, powering off\n", "no passed"),
])
def test_check_protocol_catches(output, why):
    with pytest.raises(AssertionError, match=re.escape(why)):
        check_protocol(result(output))


def test_check_protocol_required():
    with pytest.raises(AssertionError, match="never reported"):
        check_protocol(result(), required=["one", "three"])


def test_exit_code_decoding():
    assert result(status=1).exit_code == 0
    assert result(status=15).exit_code == 7
    assert result(status=0).exit_code is None and result(status=0).triple_fault
    assert result(status=-9, timed_out=True).exit_code is None


def test_out_line_skips_the_echoed_command():
    pat = re.compile(out_line("iso-ok"), re.M)
    assert not pat.search("$ echo iso-ok\n")
    assert pat.search("$ echo iso-ok\niso-ok\n")
    assert pat.search("echo iso-ok\n$ iso-ok\n")       # typed before the prompt appeared
    assert not pat.search("echo iso-ok\nxiso-ok\n")


def test_qemu_cmd_contract():
    cmd = qemu.qemu_cmd(init="/bin/sh", args=["a", "b"])
    assert cmd[0] == "qemu-system-i386"
    s = " ".join(cmd)
    for flag in ["-no-reboot", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-m 128M",
                 "-nic none", "-display none", "-monitor none", "-serial stdio"]:
        assert flag in s, flag
    assert cmd[cmd.index("-append") + 1] == "console=ttyS0 init=/bin/sh -- a b"
    iso = qemu.qemu_cmd("iso", icount=True, gdb_port=1234)
    assert iso[iso.index("-cdrom") + 1].endswith("build/zc32.iso") and "-kernel" not in iso
    assert "shift=0,sleep=off" in iso and "tcp:127.0.0.1:1234" in iso and "-S" in iso
    with pytest.raises(ValueError):
        qemu.qemu_cmd("iso", init="/bin/sh")


def test_network_is_restricted_and_local():
    args = qemu.device_args(net=qemu.Net(hostfwd=[(8080, 80)], guestfwd=[(9000, "cat,x")]))
    nd = args[args.index("-netdev") + 1]
    assert "restrict=on" in nd
    assert "hostfwd=tcp:127.0.0.1:8080-:80" in nd
    assert "guestfwd=tcp:10.0.2.100:9000-cmd:cat,,x" in nd
    assert "e1000,netdev=n0,mitigation=off" in args


def test_disks_pin_the_transport():
    args = qemu.device_args([qemu.Disk("a.img"), qemu.Disk("b.img", transport="modern")])
    devs = [args[i + 1] for i, a in enumerate(args) if a == "-device"]
    assert devs[0].endswith("disable-modern=on") and devs[1].endswith("disable-legacy=on")
