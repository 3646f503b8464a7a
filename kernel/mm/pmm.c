/*
 * pmm.c - physical page allocator.
 *
 * At boot, every frame the multiboot memory map calls usable RAM, minus
 * the kernel image, the boot modules and the allocator's own array, goes
 * on one free list.  Single-page allocation takes from its head, O(1).
 * The rare multi-page request (kernel stacks, virtqueue rings) scans for a
 * run of free frames.  Frames are reference-counted (struct page.refs).
 */
#include "kernel.h"
#include "mmu.h"
#include "mm/pmm.h"
#include "x86.h"
#include "multiboot.h"
#include "mm/reclaim.h"
#include "mm/swap.h"

static struct page *pages;         /* one per frame below max_pfn */
static uint32_t max_pfn;
static uint32_t nfree, ntotal;
static struct list free_list = LIST_INIT(free_list);

/* Boot-time allocator for the kernel's page tables and the page array:
 * hands out frames from the end of the kernel until pmm_init() runs. */
static uint32_t early_next;

void early_alloc_init(uint32_t first_free) { early_next = ALIGN_UP(first_free, PAGE_SIZE); }
uint32_t early_alloc(uint32_t bytes)
{
	uint32_t pa = early_next;
	early_next += ALIGN_UP(bytes, PAGE_SIZE);
	memset(P2V(pa), 0, ALIGN_UP(bytes, PAGE_SIZE));
	return pa;
}

struct page *pa_to_page(uint32_t pa)
{
	uint32_t pfn = pa >> PAGE_SHIFT;
	ASSERT(pfn < max_pfn);
	return &pages[pfn];
}

uint32_t page_to_pa(struct page *p) { return (uint32_t)(p - pages) << PAGE_SHIFT; }

/* Make [start, end) usable.  Called for each RAM range of the memory map. */
static void pmm_add_range(uint32_t start, uint32_t end)
{
	for (uint32_t pa = ALIGN_UP(start, PAGE_SIZE); pa + PAGE_SIZE <= end && (pa >> PAGE_SHIFT) < max_pfn; pa += PAGE_SIZE) {
		struct page *p = &pages[pa >> PAGE_SHIFT];
		if (!(p->flags & PG_RESERVED) || p->refs != -1)
			continue;
		p->flags = 0;
		p->refs = 0;
		list_push_back(&free_list, &p->link);
		nfree++;
		ntotal++;
	}
}

/* Take frames out of the free list again (e.g. a boot module). */
void pmm_reserve(uint32_t start, uint32_t end)
{
	for (uint32_t pa = ALIGN_DOWN(start, PAGE_SIZE); pa < end && (pa >> PAGE_SHIFT) < max_pfn; pa += PAGE_SIZE) {
		struct page *p = &pages[pa >> PAGE_SHIFT];
		if (p->refs == 0) {
			list_remove(&p->link);
			nfree--;
			ntotal--;
		}
		p->flags = PG_RESERVED;
		p->refs = -2;                     /* never handed out, never freed */
	}
}

void pmm_init(uint32_t ram_top)
{
	max_pfn = ram_top >> PAGE_SHIFT;
	pages = P2V(early_alloc(max_pfn * sizeof(struct page)));
	for (uint32_t i = 0; i < max_pfn; i++) {
		pages[i].flags = PG_RESERVED;
		pages[i].refs = -1;               /* -1: hole until a RAM range claims it */
		list_init(&pages[i].link);
	}
	/* Everything below early_next (low memory, kernel, modules, the page
	 * tables and this array) stays reserved. */
	uint32_t low = early_next;
	for (int i = 0; i < boot_mmap_count; i++) {
		struct multiboot_mmap_entry *e = &boot_mmap[i];
		if (e->type != 1 || e->addr >= ram_top)
			continue;
		uint32_t s = e->addr, t = e->addr + e->len > ram_top ? ram_top : e->addr + e->len;
		if (t <= low)
			continue;
		pmm_add_range(s < low ? low : s, t);
	}
}

uint32_t page_alloc(void)
{
	uint32_t f = irq_save();
	if (list_empty(&free_list)) {
		irq_restore(f);
		return 0;
	}
	struct page *p = list_entry(free_list.next, struct page, link);
	list_remove(&p->link);
	p->refs = 1;
	nfree--;
	irq_restore(f);
	return page_to_pa(p);
}

uint32_t page_alloc_zeroed(void)
{
	uint32_t pa = page_alloc();
	if (pa)
		memset(P2V(pa), 0, PAGE_SIZE);
	return pa;
}

uint32_t pages_alloc_contig(int n)
{
	uint32_t f = irq_save();
	for (uint32_t start = 0; start + n <= max_pfn; start++) {
		int k = 0;
		while (k < n && pages[start + k].refs == 0)
			k++;
		if (k < n) {
			start += k;
			continue;
		}
		for (k = 0; k < n; k++) {
			list_remove(&pages[start + k].link);
			pages[start + k].refs = 1;
		}
		nfree -= n;
		irq_restore(f);
		return start << PAGE_SHIFT;
	}
	irq_restore(f);
	return 0;
}

/* The last reference is gone: back to the free list. */
static void page_free_unreferenced(struct page *p)
{
	uint32_t f = irq_save();
	ASSERT(p->refs == 0 && !(p->flags & PG_CACHE) && !p->mapcount && !p->pins);
	if (p->flags & PG_PAGEABLE)
		reclaim_remove(p);
	swap_cache_del(p);                   /* its slot no longer has a copy in RAM */
	p->flags = 0;
	list_push_front(&free_list, &p->link);
	nfree++;
	irq_restore(f);
}

/* One incl or decl instruction each: an interrupt (a DMA completion
 * dropping its page) cannot come in the middle of it on one CPU. */
void page_get(uint32_t pa)
{
	struct page *p = pa_to_page(pa);
	ASSERT(p->refs > 0);
	asm volatile("incl %0" : "+m"(p->refs));
}

void page_put(uint32_t pa)
{
	struct page *p = pa_to_page(pa);
	bool zero;
	ASSERT(p->refs > 0);
	asm volatile("decl %0; sete %1" : "+m"(p->refs), "=q"(zero) : : "memory");
	if (zero)
		page_free_unreferenced(p);
}

uint32_t pmm_free_pages(void) { return nfree; }
uint32_t pmm_total_pages(void) { return ntotal; }
