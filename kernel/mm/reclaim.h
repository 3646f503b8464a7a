/*
 * reclaim.h - page replacement.  Every frame that can be taken back
 * (anonymous user pages and page-cache pages) is on one list, in the order
 * it arrived.  When free memory runs low, the policy chosen at boot
 * (vm.policy=clock|fifo) picks victims from that list: clean page-cache
 * pages are dropped, dirty ones written back, anonymous pages written to
 * swap.
 */
#ifndef ZC32_RECLAIM_H
#define ZC32_RECLAIM_H
#include "types.h"

struct page;

enum vm_policy { VM_POLICY_CLOCK, VM_POLICY_FIFO };
extern enum vm_policy vm_policy;

#define RESERVE_PAGES 64          /* kept free for the kernel itself (and the pager) */

void     reclaim_init(void);
void     reclaim_add(struct page *pg);
void     reclaim_remove(struct page *pg);
int      reclaim(int want);
uint32_t page_alloc_user(void);   /* a frame for user memory, reclaiming if needed; 0 = none */
int      reclaim_make_room(uint32_t n);   /* n frames free beyond the reserve (may sleep) */

#endif
