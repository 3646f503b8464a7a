/*
 * mmap.c - changing an address space's areas: brk (the heap), mmap
 * (anonymous memory, or a file's page-cache pages mapped in place;
 * sys_mmap2 in fs/file_ops.c checks the file descriptor first), munmap
 * and mprotect.  None of them allocates memory for the pages
 * themselves: they change vmas, and the page-fault handler does the rest
 * on first touch.
 */
#include "kernel.h"
#include "mmu.h"
#include "mm/vm.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "mm/pagecache.h"
#include "proc/proc.h"

#define MMAP_TOP      (USER_STACK_TOP - USER_STACK_MAX - PAGE_SIZE)   /* below the stack and a guard page */

/* Make sure no vma crosses addr: split the one that does. */
static int split_at(struct mm *mm, uint32_t addr)
{
	struct vma *v = vma_find(mm, addr);
	if (!v || v->start == addr)
		return 0;
	struct vma *n = kzalloc(sizeof *n);
	if (!n)
		return -ENOMEM;
	*n = *v;
	n->start = addr;
	if (n->file) {
		mapping_get(n->file);
		uint32_t cut = addr - v->start;
		n->file_off += cut;
		n->file_size = n->file_size > cut ? n->file_size - cut : 0;
	}
	v->end = addr;
	if (v->file_size > v->end - v->start)
		v->file_size = v->end - v->start;
	v->next = n;
	return 0;
}

/* Remove [start, end) from the address space: pages and areas. */
static int unmap_region(struct mm *mm, uint32_t start, uint32_t end)
{
	int r;
	if ((r = split_at(mm, start)) < 0 || (r = split_at(mm, end)) < 0)
		return r;
	struct vma **pp = &mm->vmas;
	while (*pp) {
		struct vma *v = *pp;
		if (v->start >= start && v->end <= end) {
			vm_unmap_range(mm, v->start, v->end);
			*pp = v->next;
			vma_free(v);
		} else {
			pp = &v->next;
		}
	}
	return 0;
}

static bool region_free(struct mm *mm, uint32_t start, uint32_t end)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (v->start < end && v->end > start)
			return false;
	return start >= PAGE_SIZE && end <= MMAP_TOP && start < end;
}

/* A free range of len bytes, searching down from the top of the mmap area. */
static uint32_t find_gap(struct mm *mm, uint32_t len)
{
	uint32_t top = MMAP_TOP;
	for (;;) {
		if (top < len + mm->brk + (16 << 20))
			return 0;                        /* leave the heap room to grow */
		uint32_t start = top - len;
		struct vma *hit = NULL;
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < top && v->end > start && (!hit || v->start < hit->start))
				hit = v;
		if (!hit)
			return start;
		top = hit->start;
	}
}

/* mmap2 once the file, if any, is checked (by sys_mmap2): map len bytes
 * at addr (a hint; exactly there with MAP_FIXED), anonymous memory or the
 * file's pages from page pgoff on.  The start address, or -errno. */
long vm_mmap(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, struct address_space *file,
	     uint32_t pgoff)
{
	struct mm *mm = current->mm;
	if (len == 0 || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (!(flags & MAP_SHARED) == !(flags & MAP_PRIVATE))
		return -EINVAL;                      /* exactly one of the two */
	/* Shared anonymous memory needs an object that outlives each
	 * mapping (Linux: shmem), so that fork shares the frames for writing
	 * and swap-out keeps one copy for every process; zc32 has none, and
	 * such a mapping would silently act private.  Refused (Linux accepts
	 * it): share memory through a MAP_SHARED file mapping instead. */
	if ((flags & MAP_SHARED) && (flags & MAP_ANONYMOUS))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0 || len > MMAP_TOP)
		return -ENOMEM;
	/* The whole mapping must lie in the file's 31-bit offsets, or pages
	 * near its end would wrap to the start of the file. */
	if (file && (uint64_t)pgoff * PAGE_SIZE + len > 0x80000000ull)
		return -EOVERFLOW;
	uint32_t start;
	if (flags & MAP_FIXED) {
		if (addr & (PAGE_SIZE - 1) || addr < PAGE_SIZE || addr + len > MMAP_TOP || addr + len < addr)
			return -EINVAL;
		start = addr;
		int r = unmap_region(mm, start, start + len);
		if (r < 0)
			return r;
	} else if (addr && !(addr & (PAGE_SIZE - 1)) && region_free(mm, addr, addr + len)) {
		start = addr;                        /* the hint is free: use it */
	} else if (!(start = find_gap(mm, len))) {
		return -ENOMEM;
	}
	uint32_t vflags = (flags & MAP_SHARED) ? VMA_SHARED : 0;
	vflags |= file ? VMA_FILE : VMA_ANON;
	struct vma *v = vma_create(mm, start, start + len, prot, vflags);
	if (!v)
		return -ENOMEM;
	if (file) {
		v->file = file;
		mapping_get(file);
		v->file_off = pgoff << PAGE_SHIFT;
		/* The whole area maps the file, however long the file is now:
		 * the fault handler checks the file's size at each fault, so
		 * a page past the end is SIGBUS, and one the file has grown
		 * into since is the file's. */
		v->file_size = len;
	}
	return start;
}

long sys_munmap(uint32_t addr, uint32_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || len == 0 || addr >= USER_TOP)
		return -EINVAL;
	uint32_t end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (end > USER_TOP || end < addr)
		return -EINVAL;
	return unmap_region(current->mm, addr, end);
}

long sys_mprotect(uint32_t addr, uint32_t len, uint32_t prot)
{
	struct mm *mm = current->mm;
	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	uint32_t end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (end > USER_TOP || end < addr)
		return -EINVAL;
	/* Every page of the range must be mapped (Linux: -ENOMEM otherwise). */
	for (uint32_t a = addr; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (!v)
			return -ENOMEM;
		a = v->end;
	}
	int r;
	if ((r = split_at(mm, addr)) < 0 || (r = split_at(mm, end)) < 0)
		return r;
	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (v->start < addr || v->end > end)
			continue;
		v->prot = prot;
		for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE) {
			uint32_t *pte = vm_pte(mm, va, false);
			if (!pte || !(*pte & PTE_P))
				continue;
			struct page *pg = pa_to_page(PTE_ADDR(*pte));
			/* A page still in the swap cache must stay read-only
			 * until its first write takes it out (do_cow), in a
			 * MAP_SHARED area too: the private page past the end of
			 * the file's part is anonymous, and swaps like any other
			 * (written behind the cache's back, it would be dropped
			 * as clean and the write lost). */
			bool swapcache = pg->flags & PG_SWAPCACHE;
			bool own = (pg->flags & PG_ANON) && !swapcache && !(*pte & PTE_COW);
			uint32_t e = *pte & ~(PTE_W | PTE_U);
			if (prot != PROT_NONE)
				e |= PTE_U;
			if ((prot & PROT_WRITE) && (own || ((v->flags & VMA_SHARED) && !swapcache)))
				e |= PTE_W;
			else if (prot & PROT_WRITE)
				e |= PTE_COW;                /* a shared frame: copy on the first write */
			*pte = e;
			vm_flush(mm, va);
		}
	}
	return 0;
}

/* The heap area that ends at end, to grow in place; NULL if there is none
 * (munmap took it away) or it is no longer plain read-write (mprotect). */
static struct vma *heap_ending_at(struct mm *mm, uint32_t end)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if ((v->flags & VMA_HEAP) && v->end == end && v->prot == (PROT_READ | PROT_WRITE))
			return v;
	return NULL;
}

/*
 * brk(2): move the end of the heap.  Returns the new end, or the old one
 * if the request cannot be met (Linux's convention).
 *
 * As in Linux, brk works on the range between the old and the new break,
 * whatever areas munmap and mprotect have made of the heap: shrinking
 * unmaps [new, old) like munmap, and growing needs [old, new) free and
 * then extends the heap area ending at the old break (or makes a new
 * one).  So no area ever ends below a page it mapped: exit unmaps area by
 * area, and a page outside every area would never be freed, its reverse
 * map pointing at a freed address space for the pager to trip on.
 */
long sys_brk(uint32_t newbrk)
{
	struct mm *mm = current->mm;
	if (newbrk < mm->brk_start || newbrk > MMAP_TOP)
		return mm->brk;
	uint32_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(newbrk, PAGE_SIZE);
	if (new_end > old_end) {
		for (struct vma *v = mm->vmas; v; v = v->next)
			if (v->start < new_end && v->end > old_end)
				return mm->brk;        /* would run into another area */
		struct vma *heap = heap_ending_at(mm, old_end);
		if (heap)
			heap->end = new_end;
		else if (!vma_create(mm, old_end, new_end, PROT_READ | PROT_WRITE, VMA_ANON | VMA_HEAP))
			return mm->brk;
	} else if (new_end < old_end && unmap_region(mm, new_end, old_end) < 0) {
		return mm->brk;
	}
	mm->brk = newbrk;
	return newbrk;
}
