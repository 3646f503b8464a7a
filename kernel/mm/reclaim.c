/*
 * reclaim.c - page replacement: taking frames back when memory runs low.
 *
 * Every reclaimable frame is on one list in the order it arrived:
 * anonymous user pages (heap, stack, copies) and page-cache pages.  A
 * "hand" walks the list, and the policy decides what it takes:
 *   fifo   the oldest frame, whatever its history;
 *   clock  second chance: a frame used since the hand last passed (its
 *          PTEs' accessed bits, or PG_REFERENCED for the page cache) has
 *          the bit cleared and is skipped this time.
 * A victim from the page cache is dropped (written back first if dirty);
 * an anonymous victim is written to swap, up to SWAP_CLUSTER adjacent
 * slots in one disk request, and every PTE that mapped it now holds the
 * slot instead (found through the reverse map).  An anonymous victim
 * still in the swap cache (swapped in by a read, never written since)
 * already has a good copy in its slot: it is dropped without a write,
 * unless a PTE's dirty bit says it was written after all.  A batch is at
 * most swap_cluster() pages: what the swap disk takes in one request.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "mutex.h"
#include "cmdline.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/swap.h"
#include "mm/reclaim.h"
#include "mm/pagecache.h"
#include "ledger/ledger.h"
#include "proc/proc.h"

enum vm_policy vm_policy = VM_POLICY_CLOCK;

static struct list pageable = LIST_INIT(pageable);
static struct list *hand = &pageable;
static uint32_t npageable;
static struct mutex reclaim_lock;

void reclaim_add(struct page *pg)
{
	uint32_t f = irq_save();
	if (!(pg->flags & PG_PAGEABLE)) {
		pg->flags |= PG_PAGEABLE;
		list_push_back(&pageable, &pg->link);
		npageable++;
	}
	irq_restore(f);
}

void reclaim_remove(struct page *pg)
{
	uint32_t f = irq_save();
	if (pg->flags & PG_PAGEABLE) {
		if (hand == &pg->link)
			hand = hand->next;
		list_remove(&pg->link);
		pg->flags &= ~PG_PAGEABLE;
		npageable--;
	}
	irq_restore(f);
}

/* The swap write of slots first..first+n-1 failed: they hold nothing.
 * Every PTE that holds one of them maps its frame again (read-only and
 * copy-on-write, as after a swap-in: the first write makes it its own
 * again), which drops the PTE's use of the slot.  The PTEs are found by
 * walking the address spaces of all processes: slow, but only after a
 * disk error. */
static void swap_out_unmap_undo(struct page **batch, int n, uint32_t first)
{
	for (int i = 0; i < NPROC; i++) {
		struct mm *mm = proc_table[i].state != P_UNUSED ? proc_table[i].mm : NULL;
		if (!mm)
			continue;
		for (struct vma *v = mm->vmas; v; v = v->next) {
			/* Present even for PROT_NONE (the frame is mapped, just
			 * not for the user), as mprotect leaves such PTEs. */
			uint32_t flags = PTE_P | (v->prot != PROT_NONE ? PTE_U : 0) |
					 ((v->prot & PROT_WRITE) ? PTE_COW : 0);
			for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE) {
				uint32_t *pte = vm_pte(mm, va, false);
				if (!pte) {
					va = ALIGN_DOWN(va, 1 << 22) + (1 << 22) - PAGE_SIZE;
					continue;
				}
				if (!PTE_IS_SWAP(*pte) || PTE_SLOT(*pte) < first ||
				    PTE_SLOT(*pte) >= first + (uint32_t)n)
					continue;
				uint32_t pa = page_to_pa(batch[PTE_SLOT(*pte) - first]);
				page_get(pa);
				vm_map_page(mm, va, pa, flags);    /* frees the PTE's use of the slot */
			}
		}
	}
}

/* The pager may have slept since it picked these (writing back a dirty
 * page-cache victim, or an earlier page of the one-at-a-time fallback of
 * swap_out), and meanwhile every mapping of a page may have gone (exit,
 * munmap, a copy-on-write copy): then only our hold is left, there is
 * nothing to write, and no slot must be taken.  Such pages are let go and
 * taken out of the batch; *n is what is left.  Returns the frames freed. */
static int drop_unmapped(struct page **batch, int *n)
{
	int freed = 0, k = 0;
	for (int i = 0; i < *n; i++) {
		struct page *pg = batch[i];
		if (pg->mapcount == 0) {
			freed += pg->refs == 1;
			page_put(page_to_pa(pg));
		} else {
			batch[k++] = pg;
		}
	}
	*n = k;
	return freed;
}

/* From now on the page tables point at the slots first..first+n-1, and a
 * fault on one finds the frame in the swap cache (locked while the write
 * is in flight).  No sleep since drop_unmapped: every page is still mapped. */
static void unmap_to_slots(struct page **batch, int n, uint32_t first)
{
	for (int i = 0; i < n; i++) {
		struct page *pg = batch[i];
		pg->flags |= PG_LOCKED;
		int count = rmap_unmap_all(pg, SWAP_PTE(first + i));
		ASSERT(count > 0);
		swap_set_count(first + i, count);
		swap_cache_add(first + i, pg);
	}
}

/* The swap write ended (error < 0: it failed and the PTEs hold the frames
 * again).  Unlock each page and let go of our hold.  Returns the frames
 * freed. */
static int swap_out_done(struct page **batch, int n, uint32_t first, int error)
{
	int freed = 0;
	for (int i = 0; i < n; i++) {
		struct page *pg = batch[i];
		pg->flags &= ~PG_LOCKED;
		wakeup(pg);
		if (error < 0) {
			/* A PTE still holds the slot (its address space is not
			 * on the process table yet, or there was no memory for
			 * the rmap entry): the frame stays in the swap cache,
			 * held for ever, as the slot's only copy. */
			if (swap_count(first + i) > 1)
				continue;
			/* Newer than its (unwritten) slot: out of the swap cache,
			 * which frees the slot; mapped again, the frame stays. */
			swap_cache_del(pg);
			pg->flags |= PG_DIRTY;
			page_put(page_to_pa(pg));
			continue;
		}
		ledger_vm(ZC_VM_SWAP_OUT);
		ledger_vm(ZC_VM_EVICT);
		if (pg->mapcount == 0)
			freed++;
		/* Our hold: frees the frame (and takes it out of the swap
		 * cache) unless a fault mapped it again meanwhile; then it
		 * stays in the cache, clean. */
		page_put(page_to_pa(pg));
	}
	return freed;
}

/* Write a batch of anonymous victims to swap, in one disk request if a run
 * of free slots is long enough, and unmap them.  The caller holds a
 * reference to each page; swap_out drops it.  Returns the frames freed. */
static int swap_out(struct page **batch, int n)
{
	uint32_t first;
	int freed = drop_unmapped(batch, &n);
	if (n == 0)
		return freed;
	if (swap_alloc_run(n, &first) < 0) {
		/* No run that long: one page at a time, or none at all. */
		if (n > 1) {
			for (int i = 0; i < n; i++)
				freed += swap_out(&batch[i], 1);
			return freed;
		}
		page_put(page_to_pa(batch[0]));
		return freed;
	}
	unmap_to_slots(batch, n, first);
	int r = swap_write_pages(batch, n, first);
	if (r == 0) {
		ledger_vm(ZC_VM_SWAP_WRITE);
	} else {
		/* The slots hold nothing: the frames go back into the page
		 * tables, and the pages may be picked again later. */
		printk("swap: write error %d, keeping %d page(s) in memory\n", r, n);
		swap_out_unmap_undo(batch, n, first);
	}
	return freed + swap_out_done(batch, n, first, r);
}

/* An anonymous victim still in the swap cache, not written since its slot
 * was (the caller checked: rmap_test_dirty): point its PTEs back at the
 * slot and drop the frame, no disk write.  The caller holds a reference;
 * we drop it.  1 if freed. */
static int drop_clean_anon(struct page *pg)
{
	uint32_t slot = pg->swap_slot;
	int n = rmap_unmap_all(pg, SWAP_PTE(slot));
	ASSERT(!(pg->flags & PG_DIRTY));
	while (n-- > 0)
		swap_dup(slot);                       /* each PTE holds the slot again */
	ledger_vm(ZC_VM_EVICT);
	page_put(page_to_pa(pg));                     /* frees it, out of the swap cache */
	return 1;
}

/* A page-cache victim: unmapped (it refaults from the cache), written
 * back if dirty, and dropped unless someone took it meanwhile.  1 if freed. */
static int evict_cache_page(struct page *pg)
{
	page_get(page_to_pa(pg));
	if (pg->mapcount)
		rmap_unmap_all(pg, 0);
	bool dirty = pg->flags & PG_DIRTY;
	if (dirty) {
		struct address_space *mapping = pg->mapping;
		mapping_get(mapping);
		pagecache_writeback(mapping);
		mapping_put(mapping);
	}
	bool dropped = pg->refs == 2 && !(pg->flags & (PG_DIRTY | PG_LOCKED)) && (pg->flags & PG_CACHE);
	if (dropped)
		pagecache_drop(pg);
	page_put(page_to_pa(pg));
	if (dropped)
		ledger_vm(dirty ? ZC_VM_EVICT_CACHE_DIRTY : ZC_VM_EVICT_CACHE);
	return dropped;
}

/* Could the pager take this frame now?  Page-cache pages always (written
 * back first if dirty); an anonymous page only if it has somewhere to go:
 * its clean copy in the swap cache, or a free swap slot.  With swap full
 * and nothing else left, reclaim frees nothing, quickly, and the
 * allocation fails into the out-of-memory path. */
static bool evictable(struct page *pg)
{
	if (pg->flags & PG_LOCKED)
		return false;
	if (pg->flags & PG_CACHE)
		return true;
	return (pg->flags & PG_ANON) && swap_enabled() && pg->mapcount && pg->refs == pg->mapcount &&
	       ((pg->flags & PG_SWAPCACHE) || swap_slots_free() > 0);
}

/* Pages picked for swap that will not be written after all: they stay
 * mapped, and the references reclaim took go. */
static void release_batch(struct page **batch, int n)
{
	for (int i = 0; i < n; i++)
		page_put(page_to_pa(batch[i]));
}

/* Free at least want frames if possible.  May sleep (disk writes).  A
 * process with SIGKILL pending stops at once: it is about to free its own
 * memory, and one slow disk write after another (a nearly full swap area
 * takes a page at a time) kept a killed fuzz worker alive for a minute. */
int reclaim(int want)
{
	struct page *batch[SWAP_CLUSTER];
	int nb = 0, freed = 0;
	mutex_lock(&reclaim_lock);
	uint32_t budget = 2 * npageable + 2;
	while (freed + nb < want && budget-- > 0 && npageable > 0 && !current_killed()) {
		uint32_t f = irq_save();
		if (hand == &pageable)
			hand = hand->next;
		struct page *pg = list_entry(hand, struct page, link);
		hand = hand->next;
		irq_restore(f);
		if (!evictable(pg))
			continue;
		if (vm_policy == VM_POLICY_CLOCK) {
			/* LAB clock: BEGIN */
			bool young = (pg->flags & PG_REFERENCED) || rmap_test_and_clear_young(pg);
			pg->flags &= ~PG_REFERENCED;
			if (young)
				continue;
			/* LAB clock: STUB
			   LAB clock: END */
		}
		if (pg->flags & PG_CACHE) {
			freed += evict_cache_page(pg);
			continue;
		}
		page_get(page_to_pa(pg));                     /* anonymous: held until written */
		if (pg->flags & PG_SWAPCACHE) {
			if (!rmap_test_dirty(pg)) {
				freed += drop_clean_anon(pg);
				continue;
			}
			/* Written without the fault that would have taken it
			 * out of the swap cache: its slot is out of date, so it
			 * goes to swap like any other page. */
			swap_cache_del(pg);
		}
		batch[nb++] = pg;
		if (nb >= swap_cluster()) {                   /* what the swap disk takes in one request */
			freed += swap_out(batch, nb);
			nb = 0;
		}
	}
	if (nb && current_killed())
		release_batch(batch, nb);
	else if (nb)
		freed += swap_out(batch, nb);
	mutex_unlock(&reclaim_lock);
	return freed;
}

/* A frame for user memory.  The last RESERVE_PAGES stay for the kernel
 * (page tables, buffers, the pager's own needs), so user pages come from
 * reclaim before the kernel can run dry.  A process with SIGKILL pending
 * stops retrying: it is about to free its memory anyway. */
uint32_t page_alloc_user(void)
{
	for (int tries = 0; tries < 16; tries++) {
		if (pmm_free_pages() > RESERVE_PAGES) {
			uint32_t pa = page_alloc();
			if (pa)
				return pa;
		}
		if (tries > 0 && current_killed())
			break;
		if (reclaim(SWAP_CLUSTER * 2) == 0 && tries >= 2)
			break;
	}
	return 0;
}

/* Make sure n frames are free beyond the reserve, for a kernel job that
 * must not run dry half-way and cannot sleep once started (fork copying
 * an address space).  May sleep.  0, or -ENOMEM if reclaim cannot. */
int reclaim_make_room(uint32_t n)
{
	for (int tries = 0; pmm_free_pages() < RESERVE_PAGES + n; tries++) {
		int want = (int)(RESERVE_PAGES + n - pmm_free_pages());
		if (reclaim(want) == 0 && tries >= 2)
			return -ENOMEM;
		if (tries >= 16 || (tries > 0 && current_killed()))
			return -ENOMEM;
	}
	return 0;
}

void reclaim_init(void)
{
	const char *p = cmdline_get("vm.policy", "clock");
	vm_policy = strcmp(p, "fifo") == 0 ? VM_POLICY_FIFO : VM_POLICY_CLOCK;
	printk("vm: page replacement policy %s\n", vm_policy == VM_POLICY_FIFO ? "fifo" : "clock");
}
