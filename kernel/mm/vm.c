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
 * mapped one at a time with vm_map_page, and areas (vmas) that say what
 * may be mapped where.  Paths: exec (loading a program), fork (copying an
 * address space), the page-fault handler (mapping on first touch), brk.
 */
#include "kernel.h"
#include "mmu.h"
#include "x86.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "ledger/ledger.h"

uint32_t early_alloc(uint32_t bytes);
static uint32_t *kpgdir;
static uint32_t ioremap_next = IOREMAP_BASE;

uint32_t *kernel_pgdir(void) { return kpgdir; }

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
	return PTE_P | PTE_U | ((prot & PROT_WRITE) ? PTE_W : 0);
}

/* Map frame pa at user address va; the mapping takes over one reference. */
int vm_map_page(struct mm *mm, uint32_t va, uint32_t pa, uint32_t pte_flags)
{
	uint32_t *pte = vm_pte(mm, va, true);
	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_P)
		page_put(PTE_ADDR(*pte));
	*pte = pa | pte_flags;
	if (current && current->mm == mm)
		invlpg(va);
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
		if (*pte & PTE_P) {
			page_put(PTE_ADDR(*pte));
			*pte = 0;
			if (current && current->mm == mm)
				invlpg(va);
		}
	}
}

int vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags)
{
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return -ENOMEM;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	struct vma **pp = &mm->vmas;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
	return 0;
}

struct vma *vma_find(struct mm *mm, uint32_t addr)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (addr >= v->start && addr < v->end)
			return v;
	return NULL;
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	for (uint32_t i = 0; i < PDX(KERNEL_BASE); i++) {
		if (!(mm->pgdir[i] & PTE_P))
			continue;
		uint32_t *pt = P2V(PTE_ADDR(mm->pgdir[i]));
		for (int j = 0; j < 1024; j++)
			if (pt[j] & PTE_P)
				page_put(PTE_ADDR(pt[j]));
		page_put(V2P(pt));
	}
	page_put(V2P(mm->pgdir));
	while (mm->vmas) {
		struct vma *v = mm->vmas;
		mm->vmas = v->next;
		kfree(v);
	}
	kfree(mm);
}

/* fork: a copy of the address space.  Every present page is copied now
 * (eager copy). */
struct mm *mm_clone(struct mm *src)
{
	struct mm *dst = mm_create();
	if (!dst)
		return NULL;
	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	for (struct vma *v = src->vmas; v; v = v->next) {
		if (vma_add(dst, v->start, v->end, v->prot, v->flags) < 0)
			goto fail;
		for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE) {
			uint32_t *pte = vm_pte(src, va, false);
			if (!pte) {
				va = ALIGN_DOWN(va, 1 << 22) + (1 << 22) - PAGE_SIZE;
				continue;
			}
			if (!(*pte & PTE_P))
				continue;
			uint32_t pa = page_alloc();
			if (!pa)
				goto fail;
			memcpy(P2V(pa), P2V(PTE_ADDR(*pte)), PAGE_SIZE);
			if (vm_map_page(dst, va, pa, *pte & (PTE_P | PTE_W | PTE_U)) < 0) {
				page_put(pa);
				goto fail;
			}
		}
	}
	return dst;
fail:
	mm_destroy(dst);
	return NULL;
}

/*
 * The page-fault handler's decision for a user address: 0 if the access
 * is now possible (the instruction will be restarted), -EFAULT if it is
 * not allowed (the caller kills the process or fails the system call).
 */
int vm_fault(struct mm *mm, uint32_t addr, uint32_t err)
{
	if (!mm || addr >= USER_TOP)
		return -EFAULT;
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return -EFAULT;
	if ((err & FAULT_WRITE) && !(v->prot & PROT_WRITE))
		return -EFAULT;
	if (err & FAULT_PRESENT)
		return -EFAULT;            /* present but not allowed */
	if (!(v->flags & VMA_ANON))
		return -EFAULT;
	uint32_t pa = page_alloc_zeroed();
	if (!pa)
		return -ENOMEM;
	if (vm_map_page(mm, ALIGN_DOWN(addr, PAGE_SIZE), pa, vm_pte_flags(v->prot)) < 0) {
		page_put(pa);
		return -ENOMEM;
	}
	ledger_fault(false);
	return 0;
}

/* brk(2): move the end of the heap.  Returns the new end, or the old one
 * if the request cannot be met (Linux's convention). */
long sys_brk(uint32_t newbrk)
{
	struct mm *mm = current->mm;
	if (newbrk < mm->brk_start || newbrk > USER_STACK_TOP - USER_STACK_MAX - (16 << 20))
		return mm->brk;
	struct vma *heap = vma_find(mm, mm->brk_start);
	for (struct vma *v = mm->vmas; !heap && v; v = v->next)
		if (v->flags & VMA_HEAP)
			heap = v;
	uint32_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(newbrk, PAGE_SIZE);
	if (new_end > old_end) {
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v != heap && v->start < new_end && v->end > old_end)
				return mm->brk;        /* would run into another area */
	} else if (new_end < old_end) {
		vm_unmap_range(mm, new_end, old_end);
	}
	if (heap)
		heap->end = new_end;
	mm->brk = newbrk;
	return newbrk;
}
