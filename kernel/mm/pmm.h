/*
 * pmm.h - the physical page allocator.  Every 4 KiB frame of RAM has a
 * struct page: a reference count (a frame shared by two page tables, or
 * by the page cache and a mapping, is freed only when the last one lets
 * go) and a link on the free list.
 */
#ifndef ZC32_PMM_H
#define ZC32_PMM_H
#include "types.h"
#include "list.h"

struct address_space;

struct page {
	int refs;                  /* 0 = free */
	uint32_t flags;            /* PG_* */
	struct list link;          /* free list while free; the page cache's LRU while cached */
	/* Page cache: which file page this frame holds (mm/pagecache.c). */
	struct address_space *mapping;
	uint32_t index;            /* page number within the file */
	struct page *hash_next;
	struct list mapping_link;  /* on mapping->pages */
	int io_pending;            /* block transfers still in flight for this page */
	/* Reverse map: the user page-table entries that point at this frame. */
	struct rmap *rmap;
	int mapcount;
	uint32_t swap_slot;        /* PG_SWAPCACHE: the swap slot this frame holds (mm/swap.c) */
	int pins;                  /* holders that need its bytes unchanged: send buffers (page_pin) */
};

struct rmap {
	struct mm *mm;
	uint32_t va;
	struct rmap *next;
};

#define PG_RESERVED 0x1        /* kernel image, boot data, holes: never freed */
#define PG_CACHE    0x2        /* in the page cache */
#define PG_UPTODATE 0x4        /* holds the file's data */
#define PG_DIRTY    0x8        /* newer than the disk */
#define PG_LOCKED   0x10       /* I/O in progress: wait before using */
#define PG_ERROR    0x20       /* the read failed */
#define PG_ANON     0x40       /* an anonymous user page (heap, stack, private copy) */
#define PG_PAGEABLE 0x80       /* on the replacement list (mm/reclaim.c) */
#define PG_REFERENCED 0x100    /* used since the clock hand last passed (page cache) */
#define PG_SWAPCACHE 0x200     /* an anonymous page whose swap slot holds the same data */

void     early_alloc_init(uint32_t first_free);   /* before pmm_init: memory past the kernel */
uint32_t early_alloc(uint32_t bytes);           /* physical address, page-aligned, never freed */
/* A send buffer queued this page-cache page for gather DMA (sendfile):
 * until it is unpinned, the page cache never writes it in place but
 * gives the file a copy instead (pagecache_write, truncate: copy-on-write
 * of the cache page), so a retransmission sends the same bytes.
 * Interrupts off: the ACK that unpins runs in the NIC's interrupt. */
static inline void page_pin(struct page *p)   { p->pins++; }
static inline void page_unpin(struct page *p) { p->pins--; }
void     pmm_init(uint32_t ram_top);
void     pmm_reserve(uint32_t start, uint32_t end);
uint32_t page_alloc(void);              /* physical address, 0 if none; refs = 1 */
uint32_t page_alloc_zeroed(void);
uint32_t pages_alloc_contig(int n);      /* n physically contiguous pages */
/* One more, one fewer reference to the frame at pa (freed at zero).  The
 * only way to take or drop one: interrupt handlers drop references too. */
void     page_get(uint32_t pa);
void     page_put(uint32_t pa);
struct page *pa_to_page(uint32_t pa);
uint32_t pmm_free_pages(void);
uint32_t pmm_total_pages(void);
uint32_t page_to_pa(struct page *p);

#endif
