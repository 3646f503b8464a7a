# zc32.gdb - GDB set-up for debugging zc32 under qemu-system-i386.
#
# `make gdb` (tools/gdb/run-gdb.py) starts QEMU stopped at the first
# instruction with its gdbstub on a free 127.0.0.1 port and runs
#     gdb -ex 'set $zc32_port = PORT' -x tools/gdb/zc32.gdb
# from the repository root (and sets $zc32_kernel to the kernel it boots:
# build/gdb-Og/kernel.elf for `make gdb`).  By hand, after
# `qemu-system-i386 -s -S ...` (port 1234):  gdb -x tools/gdb/zc32.gdb
#
# Useful kernel functions to break on:
#   kmain             C entry point, after boot/multiboot.S turned on paging
#   syscall_dispatch  every int 0x80: syscall_dispatch(struct trapframe *tf),
#                     tf->eax is the system-call number
#   trap_dispatch     every exception and interrupt: trap_dispatch(tf),
#                     tf->trapno is the vector
#   page_fault        the page-fault path (CR2 holds the faulting address)
# Commands defined here (zc32-help lists them again):
#   zc32-user PROG           load symbols of build/rootfs/bin/PROG or test/PROG (linked at 0x08048000)
#   zc32-tf [ADDR]           print the trapframe of the current trap/syscall
#   zc32-break-syscall NR    break in syscall_dispatch only for system call NR
#   zc32-help

set confirm off
set architecture i386
if $_isvoid($zc32_kernel)
  set $zc32_kernel = "build/kernel.elf"
end
eval "file %s", $zc32_kernel
source tools/gdb/zc32_gdb.py

if $_isvoid($zc32_port)
  set $zc32_port = 1234
end
# gdb retries a refused connection until the timeout: QEMU may still be starting.
set tcp connect-timeout 30
eval "target remote 127.0.0.1:%d", $zc32_port
set confirm on

zc32-help
