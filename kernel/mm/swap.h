/*
 * swap.h - the swap area: a disk (found by its Linux swap signature) cut
 * into page-sized slots.  Each slot has a count of the page-table entries
 * that refer to it (fork shares a swapped page between parent and child;
 * the slot is free when the last one lets go).
 */
#ifndef ZC32_SWAP_H
#define ZC32_SWAP_H
#include "types.h"

struct block_device;
struct page;

#define SWAP_CLUSTER 16           /* pages written to swap in one request, at most */
#define SWAP_SIGNATURE     "SWAPSPACE2"      /* mkswap's, in the last bytes of page 0 */
#define SWAP_SIGNATURE_LEN (sizeof SWAP_SIGNATURE - 1)

int  swap_init(struct block_device *bd);
bool swap_enabled(void);
int  swap_cluster(void);                        /* pages per swap write: SWAP_CLUSTER or the disk's max_segs */
int  swap_alloc_run(int n, uint32_t *first);   /* n adjacent free slots */
uint32_t swap_count(uint32_t slot);             /* PTEs (+1 if in the swap cache) holding slot */
void swap_dup(uint32_t slot);
void swap_free(uint32_t slot);
void swap_set_count(uint32_t slot, int count);
struct page *swap_cache_get(uint32_t slot);     /* the frame holding slot's contents, or NULL */
void swap_cache_add(uint32_t slot, struct page *pg);
void swap_cache_del(struct page *pg);            /* no-op unless pg is PG_SWAPCACHE */
int  swap_write_pages(struct page **pages, int n, uint32_t first_slot);
int  swap_read_page(uint32_t slot, uint32_t pa);
uint32_t swap_slots_used(void);
uint32_t swap_slots_free(void);
uint32_t swap_slots_total(void);

#endif
