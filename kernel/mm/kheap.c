/*
 * kheap.c - the kernel heap.  Small objects come from power-of-two size
 * classes (32 bytes to 2 KiB), each class carving whole pages into equal
 * blocks kept on a free list.  Bigger requests take contiguous pages.
 * A 16-byte header in front of each block remembers its size.
 *
 * A size class's pages are never given back: a freed block goes on its
 * class's free list.  So that a leak check can tell that cache of free
 * blocks from a leak, the heap counts the frames it holds and the bytes
 * handed out (kheap_pages, kheap_bytes_used; zc_info reports both).
 */
#include "kernel.h"
#include "mmu.h"
#include "x86.h"
#include "mm/pmm.h"
#include "mm/kheap.h"

#define MIN_SHIFT 5                  /* 32 bytes */
#define MAX_SHIFT 11                 /* 2048 bytes */
#define NCLASSES  (MAX_SHIFT - MIN_SHIFT + 1)
#define HDR_MAGIC 0x6b6d616c         /* "kmal" */

struct header {
	uint32_t magic;
	uint32_t shift;                  /* size class, or 0 for a page run */
	uint32_t npages;                 /* for page runs */
	uint32_t pad;
};

struct free_block { struct free_block *next; };
static struct free_block *free_blocks[NCLASSES];
static uint32_t npages, bytes_used;   /* frames held; bytes in blocks handed out */

uint32_t kheap_pages(void) { return npages; }
uint32_t kheap_bytes_used(void) { return bytes_used; }

void *kmalloc(size_t n)
{
	size_t need = n + sizeof(struct header);
	struct header *h;
	if (need > (1u << MAX_SHIFT)) {
		int np = ALIGN_UP(need, PAGE_SIZE) / PAGE_SIZE;
		uint32_t pa = np == 1 ? page_alloc() : pages_alloc_contig(np);
		if (!pa)
			return NULL;
		h = P2V(pa);
		h->shift = 0;
		h->npages = np;
		uint32_t f = irq_save();
		npages += np;
		bytes_used += np * PAGE_SIZE;
		irq_restore(f);
	} else {
		int shift = MIN_SHIFT;
		while ((1u << shift) < need)
			shift++;
		int c = shift - MIN_SHIFT;
		uint32_t f = irq_save();
		if (!free_blocks[c]) {
			uint32_t pa = page_alloc();
			if (!pa) {
				irq_restore(f);
				return NULL;
			}
			char *page = P2V(pa);
			for (uint32_t off = 0; off < PAGE_SIZE; off += 1u << shift) {
				struct free_block *b = (void *)(page + off);
				b->next = free_blocks[c];
				free_blocks[c] = b;
			}
			npages++;
		}
		h = (struct header *)free_blocks[c];
		free_blocks[c] = free_blocks[c]->next;
		bytes_used += 1u << shift;
		irq_restore(f);
		h->shift = shift;
	}
	h->magic = HDR_MAGIC;
	return h + 1;
}

void *kzalloc(size_t n)
{
	void *p = kmalloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	struct header *h = (struct header *)p - 1;
	if (h->magic != HDR_MAGIC)
		panic("kfree: bad pointer %p", p);
	h->magic = 0;
	if (h->shift == 0) {
		uint32_t pa = V2P(h), f = irq_save();
		npages -= h->npages;
		bytes_used -= h->npages * PAGE_SIZE;
		irq_restore(f);
		for (uint32_t i = 0; i < h->npages; i++)
			page_put(pa + i * PAGE_SIZE);
		return;
	}
	int c = h->shift - MIN_SHIFT;
	uint32_t f = irq_save();
	bytes_used -= 1u << h->shift;
	struct free_block *b = (void *)h;
	b->next = free_blocks[c];
	free_blocks[c] = b;
	irq_restore(f);
}
