/*
 * fault.c - the page-fault handler (vector 14).
 *
 * The CPU reports the address it could not use (CR2) and why (the error
 * code: page not present or protection, read or write, user or kernel).
 *   - A user-mode fault, or a kernel fault inside a user-copy routine on a
 *     user address, goes to vm_fault(), which finds the address's area
 *     (vma) and makes the access possible:
 *       demand zero    first touch of heap, stack or anonymous mmap
 *       file page      first touch of a program's text/data or a file
 *                      mapping: the page-cache frame itself is mapped
 *       copy-on-write  first write to a page shared since fork
 *       swap-in        the page was written to swap: read it back
 *     and the faulting instruction is restarted.
 *   - If the access is not allowed, a user program is killed with
 *     SIGSEGV and a one-line report; a user-copy routine returns -EFAULT.
 *   - If it cannot be done (RAM and swap full, a swap read failed), the
 *     process is marked killed (SIGKILL) and dies on its way back to user
 *     mode; a user copy first fails with -EFAULT, so the system call
 *     unwinds and lets go of its locks.
 *   - Any other kernel-mode fault is a kernel bug: panic.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "trap/trap.h"
#include "proc/proc.h"
#include "mm/vm.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/reclaim.h"
#include "mm/uaccess.h"
#include "fs/vfs.h"
#include "fs/pagecache.h"
#include "ledger/ledger.h"

void kernel_page_fault_panic(struct trapframe *tf);

static int new_anon_page(uint32_t *pa)
{
	*pa = page_alloc_user();
	if (!*pa)
		return -ENOMEM;
	pa_to_page(*pa)->flags |= PG_ANON;
	return 0;
}

static int do_anon_fault(struct mm *mm, struct vma *v, uint32_t va)
{
	uint32_t pa;
	if (new_anon_page(&pa) < 0)
		return -ENOMEM;
	memset(P2V(pa), 0, PAGE_SIZE);
	int r = vm_map_page(mm, va, pa, vm_pte_flags(v->prot));
	if (r < 0) {
		page_put(pa);
		return r;
	}
	ledger_fault(false);
	return 0;
}

/* First write to a page shared since fork (or a private file page). */
static int do_cow(struct mm *mm, struct vma *v, uint32_t va, uint32_t *pte)
{
	uint32_t old = *pte, old_pa = PTE_ADDR(old);
	struct page *pg = pa_to_page(old_pa);
	if ((pg->flags & PG_ANON) && pg->mapcount == 1 && pg->refs == 1) {
		/* Everyone else has copied already: the page is ours. */
		*pte = (old | PTE_W) & ~PTE_COW;
		vm_flush(mm, va);
		ledger_fault(false);
		return 0;
	}
	uint32_t pa;
	if (new_anon_page(&pa) < 0)
		return -ENOMEM;
	if (*pte != old) {              /* changed while we waited for memory */
		page_put(pa);
		return 0;
	}
	memcpy(P2V(pa), P2V(old_pa), PAGE_SIZE);
	int r = vm_map_page(mm, va, pa, vm_pte_flags(v->prot));
	if (r < 0) {
		page_put(pa);
		return r;
	}
	ledger_vm(ZC_VM_COW);
	ledger_fault(false);
	return 0;
}

static int do_swap_in(struct mm *mm, struct vma *v, uint32_t va, uint32_t *pte)
{
	uint32_t old = *pte, slot = PTE_SLOT(old), pa;
	struct page *cached = swap_cache_get(slot);   /* still being written out? */
	if (cached) {
		/* Take the frame back without a disk read.  The pager still
		 * holds it and the disk is reading it, and other PTEs may hold
		 * the same slot (fork): map it read-only, copy-on-write, so
		 * nobody changes it under the DMA or behind the others' backs. */
		pa = page_to_pa(cached);
		page_get(pa);
		uint32_t flags = vm_pte_flags(v->prot);
		if (flags & PTE_W)
			flags = (flags & ~PTE_W) | PTE_COW;
		int r = vm_map_page(mm, va, pa, flags);   /* frees our use of the slot */
		if (r < 0) {
			page_put(pa);
			return r;
		}
		ledger_fault(false);
		return 0;
	} else {
		if (new_anon_page(&pa) < 0)
			return -ENOMEM;
		if (*pte != old) {
			page_put(pa);
			return 0;
		}
		if (swap_read_page(slot, pa) < 0) {
			page_put(pa);
			return -EIO;
		}
	}
	if (*pte != old) {                 /* someone else resolved it meanwhile */
		page_put(pa);
		return 0;
	}
	int r = vm_map_page(mm, va, pa, vm_pte_flags(v->prot));   /* frees our use of the slot */
	if (r < 0) {
		page_put(pa);
		return r;
	}
	ledger_vm(ZC_VM_SWAP_IN);
	ledger_fault(true);
	return 0;
}

/* A page of a file-backed area: a program's text and data, or mmap. */
static int do_file_fault(struct mm *mm, struct vma *v, uint32_t va, uint32_t err)
{
	uint32_t off = va - v->start;
	uint32_t pos = v->file_off + off;
	bool whole = off + PAGE_SIZE <= v->file_size && pos % PAGE_SIZE == 0;
	bool shared = v->flags & VMA_SHARED;
	int r;
	if (whole) {
		bool major;
		int err;
		struct page *pg = pagecache_get_major(v->file, pos / PAGE_SIZE, &major, &err);
		if (!pg)
			return err;
		uint32_t pa = page_to_pa(pg);
		if (shared || !(v->prot & PROT_WRITE)) {
			/* Map the page cache's own frame: no copy at all. */
			r = vm_map_page(mm, va, pa, vm_pte_flags(v->prot));
		} else if (err & FAULT_WRITE) {
			uint32_t copy;
			r = new_anon_page(&copy);
			if (r == 0) {
				memcpy(P2V(copy), P2V(pa), PAGE_SIZE);
				page_put(pa);
				pa = copy;
				ledger_vm(ZC_VM_COW);
				r = vm_map_page(mm, va, pa, vm_pte_flags(v->prot));
			}
		} else {
			/* Private and writable: share the cached frame until the
			 * first write, which copies it (copy-on-write). */
			r = vm_map_page(mm, va, pa, (vm_pte_flags(v->prot) & ~PTE_W) | PTE_COW);
		}
		if (r < 0) {
			page_put(pa);
			return r;
		}
		ledger_fault(major);
		return 0;
	}
	/* The page straddles the end of the file's part (or lies past it):
	 * a private page, file bytes copied in, the rest zero. */
	uint32_t pa;
	if (new_anon_page(&pa) < 0)
		return -ENOMEM;
	memset(P2V(pa), 0, PAGE_SIZE);
	bool major = false;
	if (off < v->file_size) {
		uint32_t n = MIN(PAGE_SIZE, v->file_size - off);
		/* Major only if a file page had to come from the disk. */
		for (uint32_t i = pos / PAGE_SIZE; i <= (pos + n - 1) / PAGE_SIZE; i++) {
			bool m = false;
			int e = 0;
			struct page *fp = pagecache_get_major(v->file, i, &m, &e);
			if (!fp) {
				page_put(pa);
				return e;
			}
			page_put(page_to_pa(fp));
			major |= m;
		}
		ssize_t got = pagecache_read(v->file, pos, P2V(pa), n, false);
		if (got < 0) {
			page_put(pa);
			return got;
		}
	}
	if ((r = vm_map_page(mm, va, pa, vm_pte_flags(v->prot))) < 0) {
		page_put(pa);
		return r;
	}
	ledger_fault(major);
	return 0;
}

/*
 * Make the access to addr possible: 0 if the instruction can be restarted,
 * -EFAULT if the access is not allowed, -ENOMEM/-EIO if it cannot be done.
 */
int vm_fault(struct mm *mm, uint32_t addr, uint32_t err)
{
	if (!mm || addr >= USER_TOP)
		return -EFAULT;
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return -EFAULT;
	if (err & FAULT_WRITE) {
		if (!(v->prot & PROT_WRITE))
			return -EFAULT;
	} else if (!(v->prot & (PROT_READ | PROT_EXEC))) {
		return -EFAULT;
	}
	uint32_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	uint32_t *pte = vm_pte(mm, va, true);
	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_P) {
		if (!(*pte & PTE_U))
			return -EFAULT;                 /* PROT_NONE page */
		if ((err & FAULT_WRITE) && !(*pte & PTE_W)) {
			if (*pte & PTE_COW)
				return do_cow(mm, v, va, pte);
			return -EFAULT;
		}
		vm_flush(mm, va);                       /* a stale TLB entry */
		return 0;
	}
	if (PTE_IS_SWAP(*pte))
		return do_swap_in(mm, v, va, pte);
	if (v->flags & VMA_FILE)
		return do_file_fault(mm, v, va, err);
	return do_anon_fault(mm, v, va);
}

/*
 * The access cannot be done (no frame even after reclaiming, or the swap
 * disk failed): the process must die, but not here.  A fault inside a
 * user copy happens in the middle of a system call that may hold locks
 * (a write() holds the inode's write lock) and references (the page-cache
 * page being copied); exiting from here would leave them taken for ever.
 * So mark the process killed, with its one-line report, and let it die on
 * the way back to user mode (trap_return_to_user), after the call has
 * unwound like any other failed copy.
 */
static void fault_kill_later(int r, uint32_t addr)
{
	if (current->killed)
		return;                       /* already dying: say it once */
	printk("zc32: pid %d (%s) killed: %s at 0x%08x\n", current->pid, current->name,
	       r == -ENOMEM ? "out of memory (RAM and swap are full)" : "I/O error paging in", addr);
	current->killed = SIGKILL;
}

void page_fault(struct trapframe *tf)
{
	uint32_t addr = read_cr2();
	bool from_user = tf_from_user(tf);

	if (from_user || (current && addr < USER_TOP && uaccess_in_copy(tf->eip))) {
		/* Resolving a fault may sleep (disk reads), so let interrupts in. */
		sti();
		int r = vm_fault(current->mm, addr, tf->err);
		if (r == 0)
			return;
		if (r == -ENOMEM || r == -EIO) {
			fault_kill_later(r, addr);
			if (from_user)
				return;               /* trap_dispatch -> trap_return_to_user ends it */
		} else if (from_user) {
			user_fault_kill(tf, addr);
		}
		tf->eip = uaccess_fixup_eip();       /* the copy fails: the call gets -EFAULT */
		return;
	}
	kernel_page_fault_panic(tf);
}
