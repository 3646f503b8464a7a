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
 *     A page of a file mapping wholly past the end of the file (cut by
 *     truncate, or never there) is the same, with SIGBUS (Linux's answer).
 *   - If RAM and swap are full, the out-of-memory killer (mm/oom.c)
 *     kills the largest process; if that is another one, the access is
 *     retried once the victim has exited.
 *   - If it cannot be done (this process was the victim, or a swap read
 *     failed), the process is marked killed (SIGKILL) and dies on its way
 *     back to user mode; a user copy first fails with -EFAULT, so the
 *     system call unwinds and lets go of its locks.
 *   - Any other kernel-mode fault is a kernel bug: panic.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "trapframe.h"
#include "proc/proc.h"
#include "mm/vm.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/reclaim.h"
#include "mm/uaccess.h"
#include "mm/pagecache.h"
#include "ledger/ledger.h"

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
	if (r < 0)
		return r;
	ledger_fault(false);
	return 0;
}

/* First write to a page shared since fork (or a private file page, or a
 * page still in the swap cache): make it this PTE's own and writable.
 * The caller counts the fault. */
static int cow_break(struct mm *mm, struct vma *v, uint32_t va, uint32_t *pte)
{
	uint32_t old = *pte, old_pa = PTE_ADDR(old);
	struct page *pg = pa_to_page(old_pa);
	if ((pg->flags & PG_ANON) && pg->mapcount == 1 && pg->refs == 1) {
		/* Everyone else has copied already: the page is ours.  If it
		 * came from swap, its slot is about to be out of date: out of
		 * the swap cache (other PTEs holding the slot keep the disk
		 * copy, which is still theirs). */
		swap_cache_del(pg);
		*pte = (old | PTE_W) & ~PTE_COW;
		vm_flush(mm, va);
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
	if (r < 0)
		return r;
	ledger_vm(ZC_VM_COW);
	return 0;
}

static int do_cow(struct mm *mm, struct vma *v, uint32_t va, uint32_t *pte)
{
	int r = cow_break(mm, v, va, pte);
	if (r == 0)
		ledger_fault(false);
	return r;
}

/*
 * The PTE holds a swap slot.  A frame in the swap cache (being written
 * out, or swapped in earlier and still clean) is mapped again without I/O;
 * otherwise the slot is read from the disk.  After a read fault the frame
 * stays in the swap cache, mapped read-only (copy-on-write if the area is
 * writable), so that while nobody writes it, evicting it again needs no
 * disk write.  A write fault, or the first write later (do_cow), takes it
 * out of the cache and frees this PTE's use of the slot.
 */
static int do_swap_in(struct mm *mm, struct vma *v, uint32_t va, uint32_t *pte, uint32_t err)
{
	uint32_t old = *pte, slot = PTE_SLOT(old), pa;
	uint32_t flags = vm_pte_flags(v->prot);
	uint32_t ro = (flags & PTE_W) ? (flags & ~PTE_W) | PTE_COW : flags;
	struct page *pg = swap_cache_get(slot);
	bool major = false;
	int r;
	if (pg) {
		/* Take the frame back.  It may still be under the pager's
		 * write (PG_LOCKED), and other PTEs may hold the same slot
		 * (fork): read-only, so nobody changes it under the DMA or
		 * behind the others' backs. */
		pa = page_to_pa(pg);
		page_get(pa);
	} else {
		if (new_anon_page(&pa) < 0)
			return -ENOMEM;
		if (*pte != old) {
			page_put(pa);
			return 0;
		}
		if ((r = swap_read_page(slot, pa)) < 0 || *pte != old) {
			page_put(pa);              /* or someone else resolved it meanwhile */
			return r < 0 ? -EIO : 0;
		}
		major = true;
		if ((pg = swap_cache_get(slot))) {
			/* A process sharing the slot read it too, and was
			 * first: use its frame, so the slot has one copy. */
			page_put(pa);
			pa = page_to_pa(pg);
			page_get(pa);
		} else if (err & FAULT_WRITE) {
			/* Written at once: no point keeping the slot's copy. */
			if ((r = vm_map_page(mm, va, pa, flags)) < 0)   /* frees our use of the slot */
				return r;
			goto done;
		} else {
			/* LAB swapin: BEGIN */
			pg = pa_to_page(pa);
			swap_cache_add(slot, pg);  /* before vm_map_page drops our use of the slot */
			/* LAB swapin: STUB
			if ((r = vm_map_page(mm, va, pa, flags)) < 0)   // the slot is let go
				return r;
			goto done;
			   LAB swapin: END */
		}
	}
	if ((r = vm_map_page(mm, va, pa, ro)) < 0)    /* frees our use of the slot */
		return r;
	/* A write: copy (or take over) the page now rather than in a
	 * second fault. */
	if ((err & FAULT_WRITE) && (flags & PTE_W) && (r = cow_break(mm, v, va, pte)) < 0)
		return r;
done:
	if (major)
		ledger_vm(ZC_VM_SWAP_IN);
	ledger_fault(major);
	return 0;
}

/* Does the area's page at file position pos (page-aligned) lie wholly
 * past the end of its file?  The file's size is read now: the file may have
 * been cut since the area was made, or while we slept. */
static bool past_eof(struct vma *v, uint32_t pos)
{
	return pos >= ALIGN_UP(v->file->size, PAGE_SIZE);
}

/* Map pg, a page-cache page, at va; the mapping takes over the caller's
 * reference.  Shared, or never writable: the page cache's own frame, no
 * copy at all (if the CPU may write it, it needs disk blocks first).
 * Private and writable: a write copies it now; a read maps the cached
 * frame read-only until the first write copies it (copy-on-write). */
static int map_cache_page(struct mm *mm, struct vma *v, uint32_t va, uint32_t err, struct page *pg)
{
	uint32_t pa = page_to_pa(pg), flags = vm_pte_flags(v->prot), copy;
	bool shared = v->flags & VMA_SHARED;
	if (shared || !(v->prot & PROT_WRITE)) {
		if (shared && (v->prot & PROT_WRITE) && pagecache_prepare_shared_write(pg) < 0) {
			page_put(pa);
			return VM_FAULT_SIGBUS;
		}
		return vm_map_page(mm, va, pa, flags);
	}
	if (!(err & FAULT_WRITE))
		return vm_map_page(mm, va, pa, (flags & ~PTE_W) | PTE_COW);
	int r = new_anon_page(&copy);
	if (r == 0)
		memcpy(P2V(copy), P2V(pa), PAGE_SIZE);
	page_put(pa);
	if (r < 0)
		return r;
	ledger_vm(ZC_VM_COW);
	return vm_map_page(mm, va, copy, flags);
}

/* Fill the private page at pa with the file's bytes for the area's offset
 * off, where the file's part of the area ends inside the page (the rest
 * stays zero, like .bss).  *major: a file page had to come from the disk. */
static int fill_from_file(struct vma *v, uint32_t off, uint32_t pa, bool *major)
{
	uint32_t pos = v->file_off + off, n = MIN(PAGE_SIZE, v->file_size - off);
	for (uint32_t i = pos / PAGE_SIZE; i <= (pos + n - 1) / PAGE_SIZE; i++) {
		bool m = false;
		int err = 0;
		struct page *fp = pagecache_get_major(v->file, i, &m, &err);
		if (!fp)
			return past_eof(v, pos) ? VM_FAULT_SIGBUS : err;
		page_put(page_to_pa(fp));
		*major |= m;
	}
	ssize_t got = pagecache_read(v->file, pos, P2V(pa), n, false);
	return got < 0 ? got : 0;
}

/* A page of a file-backed area: a program's text and data, or mmap.  A
 * whole page of the file maps the page cache's frame; a page the file's
 * part ends in (or lies past) is a private copy.  A page that should come
 * from the file but lies wholly past its end (cut by truncate, or never
 * there) is VM_FAULT_SIGBUS, as on Linux. */
static int do_file_fault(struct mm *mm, struct vma *v, uint32_t va, uint32_t err)
{
	uint32_t off = va - v->start, pos = v->file_off + off, pa;
	bool major = false;
	int r = 0;
	if (off < v->file_size && past_eof(v, pos))
		return VM_FAULT_SIGBUS;
	if (off + PAGE_SIZE <= v->file_size && pos % PAGE_SIZE == 0) {
		struct page *pg = pagecache_get_major(v->file, pos / PAGE_SIZE, &major, &r);
		if (!pg)
			return past_eof(v, pos) ? VM_FAULT_SIGBUS : r;   /* cut while we waited? */
		r = map_cache_page(mm, v, va, err, pg);
	} else {
		if (new_anon_page(&pa) < 0)
			return -ENOMEM;
		memset(P2V(pa), 0, PAGE_SIZE);
		if (off < v->file_size)
			r = fill_from_file(v, off, pa, &major);
		if (r == 0)
			r = vm_map_page(mm, va, pa, vm_pte_flags(v->prot));
		else
			page_put(pa);
	}
	if (r == 0)
		ledger_fault(major);
	return r;
}

/*
 * Make the access to addr possible: 0 if the instruction can be restarted,
 * -EFAULT if the access is not allowed, VM_FAULT_SIGBUS if it is past the
 * end of a mapped file, -ENOMEM/-EIO if it cannot be done.
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
	uint32_t *pte = vm_pte(mm, va, false);
	if (!pte) {
		/* A new page table: kernel memory, but for this user page, so
		 * like the page itself it must come from above the reserve
		 * (reclaiming first), not from what the pager needs. */
		if (reclaim_make_room(1) < 0 || !(pte = vm_pte(mm, va, true)))
			return -ENOMEM;
	}
	if (*pte & PTE_P) {
		if (!(err & FAULT_PRESENT)) {
			/* The CPU saw no page, but there is one now (mapped
			 * while we made the page table, or a stale TLB entry):
			 * retry; a real violation faults again, as such. */
			vm_flush(mm, va);
			return 0;
		}
		/* A protection fault on a present page. */
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
		return do_swap_in(mm, v, va, pte, err);
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
static void fault_kill_later(int r, uint32_t addr, uint32_t err)
{
	if (current->killed)
		return;                       /* already dying: say it once */
	printk("zc32: pid %d (%s) killed: %s at 0x%08x (%s)\n", current->pid, current->name,
	       r == -ENOMEM ? "out of memory (RAM and swap are full)" : "I/O error paging in", addr,
	       vm_fault_describe(err));
	current->killed = SIGKILL;
}

const char *vm_fault_describe(uint32_t err)
{
	static const char *const words[8] = {
		"kernel read, not present",  "kernel read, protection",
		"kernel write, not present", "kernel write, protection",
		"user read, not present",    "user read, protection",
		"user write, not present",   "user write, protection",
	};
	return words[err & (FAULT_PRESENT | FAULT_WRITE | FAULT_USER)];
}

/* 0 when the fault is dealt with; otherwise the signal the faulting code
 * dies of, which trap_dispatch reports (and, from kernel mode, panics). */
int page_fault(struct trapframe *tf, uint32_t addr)
{
	/* Who faulted: the saved CS (the error code's FAULT_USER bit says
	 * the same, except for the CPU's own implicit accesses to kernel
	 * tables, which must not turn a user fault into a panic). */
	bool from_user = tf_from_user(tf);

	/* From user mode, yet a supervisor access refused on a present page:
	 * the CPU's own implicit access on the program's behalf, which SMAP
	 * refuses on user pages whatever the page allows (QEMU 7.2's -cpu max
	 * pops a ring-3 iret's frame this way).  No mapping can make it
	 * succeed, and retrying it would loop for ever. */
	if (from_user && (tf->err & (FAULT_PRESENT | FAULT_USER)) == FAULT_PRESENT && addr < USER_TOP)
		return SIGSEGV;

	if (from_user || (current && addr < USER_TOP && uaccess_in_copy(tf->eip))) {
		/* Resolving a fault may sleep (disk reads), so let interrupts in. */
		sti();
		int r = vm_fault(current->mm, addr, tf->err);
		if (r == 0)
			return 0;
		if (r == -ENOMEM && !current->killed && oom_kill(addr, tf->err))
			return 0;                     /* another process died for it: retry */
		if (r == -ENOMEM || r == -EIO || r == -EINTR) {   /* -EINTR: killed, waiting */
			fault_kill_later(r, addr, tf->err);
			if (from_user)
				return 0;             /* trap_dispatch -> trap_return_to_user ends it */
		} else if (from_user) {
			return r == VM_FAULT_SIGBUS ? SIGBUS : SIGSEGV;
		}
		tf->eip = uaccess_fixup_eip();       /* the copy fails: the call gets -EFAULT */
		return 0;
	}
	return SIGSEGV;                              /* a kernel bug */
}
