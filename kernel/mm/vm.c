/*
 * vm.c - page tables and address spaces.
 *
 * vm_init() replaces the boot page tables with the kernel's own: all RAM
 * direct-mapped at 0xC0000000 in 4 KiB pages, plus a window for device
 * registers.  Those kernel page tables are made once and shared: every
 * process's page directory points its top 256 entries at them, so the
 * kernel half never changes after boot.
 *
 * The user half is per process: mm_create/mm_clone/mm_destroy, pages
 * mapped one at a time with vm_map_page (which records the mapping in the
 * frame's reverse map, mm/rmap.c), and areas (vmas) that say what may be
 * mapped where.  Paths: exec (loading a program), fork (sharing an address
 * space copy-on-write), the page-fault handler, brk/mmap/munmap.
 */
#include "kernel.h"
#include "mmu.h"
#include "x86.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "mm/swap.h"
#include "mm/reclaim.h"
#include "mm/pagecache.h"

static uint32_t *kpgdir;
static uint32_t ioremap_next = IOREMAP_BASE;

void vm_init(uint32_t ram_top)
{
	kpgdir = P2V(early_alloc(PAGE_SIZE));
	/* Page tables for the direct map and the ioremap window, made now so
	 * the kernel's page-directory entries never change later. */
	for (uint32_t va = KERNEL_BASE; va < KERNEL_BASE + ram_top; va += 1 << 22)
		kpgdir[PDX(va)] = early_alloc(PAGE_SIZE) | PTE_P | PTE_W;
	for (uint32_t va = IOREMAP_BASE; va < IOREMAP_BASE + IOREMAP_SIZE; va += 1 << 22)
		kpgdir[PDX(va)] = early_alloc(PAGE_SIZE) | PTE_P | PTE_W;
	for (uint32_t pa = 0; pa < ram_top; pa += PAGE_SIZE) {
		uint32_t *pt = P2V(PTE_ADDR(kpgdir[PDX(pa + KERNEL_BASE)]));
		pt[PTX(pa + KERNEL_BASE)] = pa | PTE_P | PTE_W;
	}
	write_cr3(V2P(kpgdir));
}

/* Map device registers (MMIO) uncached into the kernel's window. */
void *ioremap(uint32_t pa, uint32_t size)
{
	uint32_t off = pa & (PAGE_SIZE - 1);
	uint32_t va = ioremap_next;
	size = ALIGN_UP(size + off, PAGE_SIZE);
	if (va + size > IOREMAP_BASE + IOREMAP_SIZE)
		panic("ioremap: window full");
	for (uint32_t i = 0; i < size; i += PAGE_SIZE) {
		uint32_t *pt = P2V(PTE_ADDR(kpgdir[PDX(va + i)]));
		pt[PTX(va + i)] = (ALIGN_DOWN(pa, PAGE_SIZE) + i) | PTE_P | PTE_W | PTE_PCD | PTE_PWT;
		invlpg(va + i);
	}
	ioremap_next += size;
	return (void *)(va + off);
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof *mm);
	if (!mm)
		return NULL;
	uint32_t pa = page_alloc_zeroed();
	if (!pa) {
		kfree(mm);
		return NULL;
	}
	mm->pgdir = P2V(pa);
	memcpy(&mm->pgdir[PDX(KERNEL_BASE)], &kpgdir[PDX(KERNEL_BASE)], 256 * 4);
	return mm;
}

void mm_activate(struct mm *mm)
{
	write_cr3(V2P(mm ? mm->pgdir : kpgdir));
}

/* After changing a PTE of mm: drop the stale TLB entry if mm is loaded. */
void vm_flush(struct mm *mm, uint32_t va)
{
	if (read_cr3() == V2P(mm->pgdir))
		invlpg(va);
}

/* The PTE for user address va, making the page table if create is set. */
uint32_t *vm_pte(struct mm *mm, uint32_t va, bool create)
{
	uint32_t *pde = &mm->pgdir[PDX(va)];
	if (!(*pde & PTE_P)) {
		if (!create)
			return NULL;
		uint32_t pa = page_alloc_zeroed();
		if (!pa)
			return NULL;
		*pde = pa | PTE_P | PTE_W | PTE_U;
	}
	uint32_t *pt = P2V(PTE_ADDR(*pde));
	return &pt[PTX(va)];
}

uint32_t vm_pte_flags(uint32_t prot)
{
	if (prot == PROT_NONE)
		return 0;
	return PTE_P | PTE_U | ((prot & PROT_WRITE) ? PTE_W : 0);
}

/* Drop whatever a PTE holds: a mapped frame (and its rmap entry) or a
 * swap slot. */
static void clear_pte(struct mm *mm, uint32_t va, uint32_t *pte)
{
	if (*pte & PTE_P) {
		uint32_t pa = PTE_ADDR(*pte);
		struct page *pg = pa_to_page(pa);
		if ((*pte & PTE_D) && !(pg->flags & PG_ANON))
			pg->flags |= PG_DIRTY;      /* a shared file mapping was written */
		*pte = 0;
		vm_flush(mm, va);
		rmap_remove(pg, mm, va);
		mm->rss--;
		page_put(pa);
	} else if (PTE_IS_SWAP(*pte)) {
		swap_free(PTE_SLOT(*pte));
		*pte = 0;
		mm->swapents--;
	}
}

/* Map frame pa at user address va; the mapping takes over the caller's
 * reference to the frame, and on failure drops it, so a caller only
 * returns the error. */
int vm_map_page(struct mm *mm, uint32_t va, uint32_t pa, uint32_t pte_flags)
{
	uint32_t *pte = vm_pte(mm, va, true);
	struct page *pg = pa_to_page(pa);
	if (!pte || rmap_add(pg, mm, va) < 0) {
		page_put(pa);
		return -ENOMEM;
	}
	clear_pte(mm, va, pte);
	*pte = pa | pte_flags;
	vm_flush(mm, va);
	mm->rss++;
	if (!(pg->flags & PG_PAGEABLE) && (pg->flags & PG_ANON))
		reclaim_add(pg);
	return 0;
}

void vm_unmap_range(struct mm *mm, uint32_t start, uint32_t end)
{
	for (uint32_t va = start; va < end; va += PAGE_SIZE) {
		uint32_t *pte = vm_pte(mm, va, false);
		if (!pte) {
			va = ALIGN_DOWN(va, 1 << 22) + (1 << 22) - PAGE_SIZE;
			continue;
		}
		clear_pte(mm, va, pte);
	}
}

int vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags)
{
	return vma_create(mm, start, end, prot, flags) ? 0 : -ENOMEM;
}

/* A new area, linked into mm's sorted list; NULL if out of memory. */
struct vma *vma_create(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags)
{
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	struct vma **pp = &mm->vmas;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
	return v;
}

struct vma *vma_find(struct mm *mm, uint32_t addr)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (addr >= v->start && addr < v->end)
			return v;
	return NULL;
}

void vma_free(struct vma *v)
{
	if (v->file)
		mapping_put(v->file);
	kfree(v);
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	for (struct vma *v = mm->vmas; v; v = v->next)
		vm_unmap_range(mm, v->start, v->end);
	for (uint32_t i = 0; i < PDX(KERNEL_BASE); i++)
		if (mm->pgdir[i] & PTE_P)
			page_put(PTE_ADDR(mm->pgdir[i]));
	page_put(V2P(mm->pgdir));
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		mm->vmas = v->next;
		vma_free(v);
	}
	kfree(mm);
}

/*
 * fork: a copy of the address space that shares every frame.  Private
 * writable pages become read-only in both parent and child, marked
 * copy-on-write: the first write by either faults, and the fault handler
 * copies the page then (mm/fault.c).  Swapped-out pages share their slot.
 */
struct mm *mm_clone(struct mm *src)
{
	/* The copy takes kernel memory: a page directory, page tables and
	 * an rmap entry per resident page.  Under memory pressure free frames
	 * can be down to the reserve, so make room first (this may sleep and
	 * swap some of src out, which only makes the copy cheaper). */
	uint32_t tables = 0;
	for (uint32_t i = 0; i < PDX(KERNEL_BASE); i++)
		tables += (src->pgdir[i] & PTE_P) != 0;
	/* If that much cannot be freed, fork fails (-ENOMEM) rather than
	 * take the reserve the pager needs (kernel heap pages for rmap
	 * entries are never given back to the page allocator). */
	if (reclaim_make_room(2 * tables + 4 + src->rss / 96) < 0)   /* rmap: 32-byte blocks */
		return NULL;
	struct mm *dst = mm_create();
	if (!dst)
		return NULL;
	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	for (struct vma *v = src->vmas; v; v = v->next) {
		struct vma *nv = vma_create(dst, v->start, v->end, v->prot, v->flags);
		if (!nv)
			goto fail;
		nv->file = v->file;
		nv->file_off = v->file_off;
		nv->file_size = v->file_size;
		if (nv->file)
			mapping_get(nv->file);
		for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE) {
			uint32_t *spte = vm_pte(src, va, false);
			if (!spte) {
				va = ALIGN_DOWN(va, 1 << 22) + (1 << 22) - PAGE_SIZE;
				continue;
			}
			if (PTE_IS_SWAP(*spte)) {
				uint32_t *dpte = vm_pte(dst, va, true);
				if (!dpte)
					goto fail;
				swap_dup(PTE_SLOT(*spte));
				*dpte = *spte;
				dst->swapents++;
				continue;
			}
			if (!(*spte & PTE_P))
				continue;
			/* LAB cow: BEGIN */
			/* Read-only private pages are marked too: a later
			 * mprotect(PROT_WRITE) must copy, not share the frame. */
			if (!(v->flags & VMA_SHARED)) {
				*spte = (*spte & ~PTE_W) | PTE_COW;
				vm_flush(src, va);
			}
			uint32_t pa = PTE_ADDR(*spte);
			page_get(pa);
			/* LAB cow: STUB
			uint32_t pa = PTE_ADDR(*spte);
			if (v->flags & VMA_SHARED) {
				page_get(pa);              // shared areas share the frame
			} else {
				uint32_t copy = page_alloc_user();   // private: copy it now
				if (!copy)
					goto fail;
				pa_to_page(copy)->flags |= PG_ANON;
				memcpy(P2V(copy), P2V(pa), PAGE_SIZE);
				pa = copy;
			}
			   LAB cow: END */
			if (vm_map_page(dst, va, pa, *spte & (PTE_P | PTE_W | PTE_U | PTE_COW)) < 0)
				goto fail;
		}
	}
	return dst;
fail:
	mm_destroy(dst);
	return NULL;
}
