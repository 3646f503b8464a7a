/*
 * rmap.c - the reverse map: for each physical frame mapped into user
 * space, the list of (address space, virtual address) pairs that map it.
 * Forward, a page table turns a virtual address into a frame; the page
 * replacement policy needs the other direction: to evict a frame it must
 * find and change every page-table entry that points at it, and to give
 * it a second chance it must read their accessed bits.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/kheap.h"

int rmap_add(struct page *pg, struct mm *mm, uint32_t va)
{
	struct rmap *r = kmalloc(sizeof *r);
	if (!r)
		return -ENOMEM;
	r->mm = mm;
	r->va = va;
	uint32_t f = irq_save();
	r->next = pg->rmap;
	pg->rmap = r;
	pg->mapcount++;
	irq_restore(f);
	return 0;
}

void rmap_remove(struct page *pg, struct mm *mm, uint32_t va)
{
	uint32_t f = irq_save();
	for (struct rmap **pp = &pg->rmap; *pp; pp = &(*pp)->next) {
		if ((*pp)->mm == mm && (*pp)->va == va) {
			struct rmap *r = *pp;
			*pp = r->next;
			pg->mapcount--;
			irq_restore(f);
			kfree(r);
			return;
		}
	}
	irq_restore(f);
	panic("rmap_remove: frame %08x not mapped at %08x", page_to_pa(pg), va);
}

/* Was the frame used through any mapping since the last call?  Clears the
 * accessed bits (the clock algorithm's "second chance"). */
int rmap_test_and_clear_young(struct page *pg)
{
	int young = 0;
	for (struct rmap *r = pg->rmap; r; r = r->next) {
		uint32_t *pte = vm_pte(r->mm, r->va, false);
		if (!pte || !(*pte & PTE_P))
			continue;
		if (*pte & PTE_A) {
			young = 1;
			*pte &= ~PTE_A;
			vm_flush(r->mm, r->va);
		}
	}
	return young;
}

/* Was the frame written through any mapping (a PTE's dirty bit), or
 * marked dirty (PG_DIRTY) before?  Changes nothing. */
bool rmap_test_dirty(struct page *pg)
{
	if (pg->flags & PG_DIRTY)
		return true;
	for (struct rmap *r = pg->rmap; r; r = r->next) {
		uint32_t *pte = vm_pte(r->mm, r->va, false);
		if (pte && (*pte & PTE_P) && (*pte & PTE_D))
			return true;
	}
	return false;
}

/* Replace every PTE that maps the frame with new_pte (0, or a swap
 * entry), dropping the mappings' references; the caller must hold its own
 * reference.  Returns how many mappings there were.  A dirty bit found on
 * the way marks the page dirty. */
int rmap_unmap_all(struct page *pg, uint32_t new_pte)
{
	int n = 0;
	while (pg->rmap) {
		struct rmap *r = pg->rmap;
		struct mm *mm = r->mm;
		uint32_t va = r->va;
		uint32_t *pte = vm_pte(mm, va, false);
		ASSERT(pte && (*pte & PTE_P) && PTE_ADDR(*pte) == page_to_pa(pg));
		if (*pte & PTE_D)
			pg->flags |= PG_DIRTY;
		*pte = new_pte;
		vm_flush(mm, va);
		mm->rss--;
		mm->swapents += PTE_IS_SWAP(new_pte);
		rmap_remove(pg, mm, va);
		page_put(page_to_pa(pg));
		n++;
	}
	return n;
}
