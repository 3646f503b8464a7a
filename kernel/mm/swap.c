/*
 * swap.c - the swap area.
 *
 * The disk carries the Linux swap header made by mkswap: page 0 holds the
 * version, the number of the last usable page, a list of bad pages and
 * the signature "SWAPSPACE2" in its last 10 bytes.  Pages 1..last_page are
 * slots.
 *
 * The swap cache: swap_cache[slot] points at a frame that holds the
 * slot's contents (PG_SWAPCACHE, pg->swap_slot = slot), so a fault on the
 * slot maps that frame instead of reading the disk.  A page is in it while
 * it is being written out, and after a swap-in by a read fault: such a
 * page is mapped read-only, so while it stays in the cache it is still the
 * same as its slot, and evicting it again costs no disk write
 * (mm/reclaim.c).  The first write to it (do_cow) takes it out of the
 * cache, and so does freeing the frame (page_free_unreferenced).
 *
 * swap_map[slot] counts the page-table entries that hold the slot, plus
 * one while the slot is in the swap cache (0 = free).
 *
 * Slot allocation (the pager's swap_alloc_run) must stay cheap when the
 * area is nearly full, which is exactly when the pager runs most.  As in
 * Linux's allocator (mm/swapfile.c, struct swap_cluster_info), the map is
 * cut into clusters of SWAP_CLUSTER slots, each with a count of its free
 * slots: a full area answers at once from the total, and a nearly full
 * one costs a walk over the cluster counts (1/16 of the map), starting
 * where the last run was found (next fit).
 * Reference: Linux include/linux/swap.h, union swap_header.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "mm/pmm.h"
#include "mm/kheap.h"
#include "mm/swap.h"
#include "block/block.h"
#include "ledger/ledger.h"

struct swap_header {
	uint8_t  bootbits[1024];
	uint32_t version, last_page, nr_badpages;
	uint8_t  uuid[16];
	char     volume_name[16];
	uint32_t padding[117];
	uint32_t badpages[1];
};

static struct block_device *swap_bd;
static uint16_t *swap_map;
static struct page **swap_cache;
static uint32_t nslots, used, usable;       /* usable: slots neither header nor bad */
static uint8_t *cluster_free;               /* free slots in each cluster of SWAP_CLUSTER */
static uint32_t nclusters, next_cluster;    /* where the next search starts */

#define SLOT_BAD 0xffff

bool swap_enabled(void) { return swap_bd != NULL; }
uint32_t swap_slots_used(void) { return used; }
uint32_t swap_slots_free(void) { return usable - used; }
uint32_t swap_slots_total(void) { return nslots ? nslots - 1 : 0; }

/* The slot's count dropped to 0: it is free again. */
static void slot_released(uint32_t slot)
{
	used--;
	cluster_free[slot / SWAP_CLUSTER]++;
}

/* Pages the pager may write in one request: SWAP_CLUSTER, or fewer if the
 * swap disk takes fewer data segments per request (virtio_blk.max_segs=,
 * a small virtqueue); swap_write_pages sends one segment per page. */
int swap_cluster(void)
{
	if (!swap_bd)
		return 1;
	return MAX(1, MIN(MIN(SWAP_CLUSTER, BIO_MAX_SEGS), swap_bd->max_segs));
}

/* Page-table entries (plus the swap cache) holding slot; 0 = free. */
uint32_t swap_count(uint32_t slot)
{
	return slot < nslots && swap_map[slot] != SLOT_BAD ? swap_map[slot] : 0;
}

int swap_init(struct block_device *bd)
{
	struct swap_header *h = kmalloc(PAGE_SIZE);
	if (!h)
		return -ENOMEM;
	int r = blk_rw(bd, BIO_READ, 0, h, PAGE_SIZE, "swap->kernel");
	if (r == 0 && memcmp((char *)h + PAGE_SIZE - SWAP_SIGNATURE_LEN, SWAP_SIGNATURE, SWAP_SIGNATURE_LEN) != 0)
		r = -EINVAL;
	if (r == 0 && (h->version != 1 || h->last_page < 2 || h->nr_badpages > 637 ||
		       (uint64_t)(h->last_page + 1) * 8 > bd->sectors))
		r = -EINVAL;
	if (r < 0) {
		printk("swap: %s: bad swap header, not used\n", bd->name);
		kfree(h);
		return r;
	}
	nslots = h->last_page + 1;
	nclusters = (nslots + SWAP_CLUSTER - 1) / SWAP_CLUSTER;
	swap_map = kzalloc(nslots * sizeof *swap_map);
	swap_cache = kzalloc(nslots * sizeof *swap_cache);
	cluster_free = kzalloc(nclusters);
	if (!swap_map || !swap_cache || !cluster_free) {
		kfree(swap_map);
		kfree(swap_cache);
		kfree(cluster_free);
		kfree(h);
		return -ENOMEM;
	}
	swap_map[0] = SLOT_BAD;                         /* the header */
	for (uint32_t i = 0; i < h->nr_badpages; i++)
		if (h->badpages[i] < nslots)
			swap_map[h->badpages[i]] = SLOT_BAD;
	for (uint32_t s = 0; s < nslots; s++)
		if (swap_map[s] == 0) {
			usable++;
			cluster_free[s / SWAP_CLUSTER]++;
		}
	swap_bd = bd;
	printk("swap: %s: %u slots (%u MiB)\n", bd->name, nslots - 1, (nslots - 1) / 256);
	kfree(h);
	return 0;
}

/* The first of n adjacent free slots in cluster c, or 0 (slot 0 is the
 * header, never free). */
static uint32_t run_in_cluster(uint32_t c, int n)
{
	uint32_t end = MIN((c + 1) * SWAP_CLUSTER, nslots);
	int len = 0;
	for (uint32_t s = c * SWAP_CLUSTER; s < end; s++) {
		len = swap_map[s] == 0 ? len + 1 : 0;
		if (len == n)
			return s + 1 - n;
	}
	return 0;
}

/* n adjacent free slots, in one cluster (so n <= SWAP_CLUSTER pages go
 * out in one disk request).  Only clusters with n free slots are looked
 * into; -ENOSPC at once if the whole area has fewer. */
int swap_alloc_run(int n, uint32_t *first)
{
	ASSERT(n >= 1 && n <= SWAP_CLUSTER);
	if (!swap_bd || swap_slots_free() < (uint32_t)n)
		return -ENOSPC;
	for (uint32_t k = 0; k < nclusters; k++) {
		uint32_t c = (next_cluster + k) % nclusters;
		uint32_t s = cluster_free[c] >= n ? run_in_cluster(c, n) : 0;
		if (!s)
			continue;
		for (int i = 0; i < n; i++)
			swap_map[s + i] = 1;
		used += n;
		cluster_free[c] -= n;
		next_cluster = c;
		*first = s;
		return 0;
	}
	return -ENOSPC;
}

void swap_dup(uint32_t slot)
{
	ASSERT(slot < nslots && swap_map[slot] && swap_map[slot] != SLOT_BAD);
	swap_map[slot]++;
}

void swap_free(uint32_t slot)
{
	ASSERT(slot < nslots && swap_map[slot] && swap_map[slot] != SLOT_BAD);
	if (--swap_map[slot] == 0)
		slot_released(slot);
}

/* Set a freshly allocated slot's count to the number of PTEs now holding it. */
void swap_set_count(uint32_t slot, int count)
{
	swap_map[slot] = count;
	if (count == 0)
		slot_released(slot);
}

struct page *swap_cache_get(uint32_t slot)
{
	return slot < nslots ? swap_cache[slot] : NULL;
}

/* pg now holds slot's contents: put it in the swap cache, which keeps the
 * slot allocated (one more count) for as long as the page stays there. */
void swap_cache_add(uint32_t slot, struct page *pg)
{
	ASSERT(slot < nslots && !swap_cache[slot] && !(pg->flags & PG_SWAPCACHE));
	swap_dup(slot);
	swap_cache[slot] = pg;
	pg->swap_slot = slot;
	pg->flags = (pg->flags | PG_SWAPCACHE) & ~PG_DIRTY;   /* same as the slot from now on */
}

/* pg is about to differ from its slot (a write) or to be freed: out of the
 * swap cache; the slot is freed if no page-table entry holds it either. */
void swap_cache_del(struct page *pg)
{
	uint32_t f = irq_save();
	if (pg->flags & PG_SWAPCACHE) {
		ASSERT(swap_cache[pg->swap_slot] == pg);
		swap_cache[pg->swap_slot] = NULL;
		pg->flags &= ~PG_SWAPCACHE;
		swap_free(pg->swap_slot);
	}
	irq_restore(f);
}

/* The pager's request.  It is not allocated: the pager runs exactly when
 * memory is short, and by the time it writes, the page tables already
 * point at the slots, so it must not fail for want of memory.  One is
 * enough: reclaim() holds reclaim_lock across the write. */
static struct bio pager_bio;

/* Write n pages to slots first..first+n-1: one request, one segment per
 * page, so n <= swap_cluster().  Only the pager (under reclaim_lock)
 * calls this. */
int swap_write_pages(struct page **pages, int n, uint32_t first)
{
	struct bio *b = &pager_bio;
	ASSERT(n <= BIO_MAX_SEGS && n <= swap_bd->max_segs);
	memset(b, 0, sizeof *b);
	b->bdev = swap_bd;
	b->op = BIO_WRITE;
	b->sector = (uint64_t)first * (PAGE_SIZE / SECTOR_SIZE);
	b->what = "memory->swap";
	for (int i = 0; i < n; i++)
		b->seg[b->nseg++] = (struct bio_seg){ page_to_pa(pages[i]), PAGE_SIZE };
	blk_submit(b);
	return blk_wait(b);
}

/* One request of one segment: the frame is direct-mapped, like all RAM. */
int swap_read_page(uint32_t slot, uint32_t pa)
{
	return blk_rw(swap_bd, BIO_READ, (uint64_t)slot * (PAGE_SIZE / SECTOR_SIZE), P2V(pa), PAGE_SIZE,
		      "swap->memory");
}
