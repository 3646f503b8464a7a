/*
 * fault.c - the page-fault handler (vector 14).
 *
 * The CPU tells us the address it could not use (CR2) and why (the error
 * code: page not present or protection, read or write, user or kernel).
 *   - A user-mode fault, or a kernel fault inside a user-copy routine on a
 *     user address, asks vm_fault() whether the page is valid (in a vma)
 *     and, if so, has it filled in; the faulting instruction then restarts.
 *   - If vm_fault() says no: a user program is killed with SIGSEGV; a
 *     user-copy routine returns -EFAULT to its system call instead.
 *   - Any other kernel-mode fault is a kernel bug: panic.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "trap/trap.h"
#include "proc/proc.h"
#include "mm/vm.h"
#include "mm/uaccess.h"

void kernel_page_fault_panic(struct trapframe *tf);

void page_fault(struct trapframe *tf)
{
	uint32_t addr = read_cr2();
	bool from_user = tf_from_user(tf);

	if (from_user || (current && addr < USER_TOP && uaccess_in_copy(tf->eip))) {
		/* Faults may sleep (later: swap-in), so let interrupts in. */
		sti();
		int r = vm_fault(current->mm, addr, tf->err);
		if (r == 0)
			return;
		if (from_user)
			user_fault_kill(tf, addr);
		tf->eip = uaccess_fixup_eip();       /* the system call gets -EFAULT */
		return;
	}
	kernel_page_fault_panic(tf);
}
