/*
 * malloc.c - the heap: a first-fit free-list allocator on sbrk().
 *
 * This is the classic allocator from Kernighan & Ritchie, section 8.7.
 * Memory is handed out in units of one header (8 bytes).  Each block
 * starts with a header holding its size in units; free blocks are also
 * linked into a circular list sorted by address, so that free() can merge
 * a block with its free neighbours.  When no free block is big enough,
 * morecore() moves the program break up with sbrk() (the brk system
 * call); the kernel maps the new pages lazily, on first touch, with a
 * page fault each (counted in the ledger as minor faults).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef union header {
	struct {
		union header *next;   /* next free block (when on the free list) */
		size_t units;         /* size of this block, header included */
	} s;
	long long align;              /* forces 8-byte alignment of blocks */
} Header;

#define MIN_MORECORE 2048         /* units: ask the kernel for 16 KiB at least */

static Header base;               /* zero-size block that anchors the list */
static Header *freep;             /* where the last search stopped */

/* Put a block on the free list, merging it with adjacent free blocks. */
void free(void *ap)
{
	Header *bp, *p;

	if (!ap)
		return;
	bp = (Header *)ap - 1;
	for (p = freep; !(bp > p && bp < p->s.next); p = p->s.next)
		if (p >= p->s.next && (bp > p || bp < p->s.next))
			break;                    /* bp is at one end of the arena */

	if (bp + bp->s.units == p->s.next) {      /* merge with the upper neighbour */
		bp->s.units += p->s.next->s.units;
		bp->s.next = p->s.next->s.next;
	} else {
		bp->s.next = p->s.next;
	}
	if (p + p->s.units == bp) {               /* merge with the lower neighbour */
		p->s.units += bp->s.units;
		p->s.next = bp->s.next;
	} else {
		p->s.next = bp;
	}
	freep = p;
}

/* Grow the heap by at least nu units and put the new block on the list. */
static Header *morecore(size_t nu)
{
	Header *h;
	char *p;

	if (nu < MIN_MORECORE)
		nu = MIN_MORECORE;
	if (nu > 0x7fffffff / sizeof(Header))
		return NULL;
	p = sbrk((intptr_t)(nu * sizeof(Header)));
	if (p == (char *)-1)
		return NULL;
	h = (Header *)p;
	h->s.units = nu;
	free(h + 1);
	return freep;
}

void *malloc(size_t n)
{
	Header *p, *prev;
	size_t nunits;

	if (n > 0x7fffffff - 2 * sizeof(Header)) {
		errno = ENOMEM;
		return NULL;
	}
	nunits = (n + sizeof(Header) - 1) / sizeof(Header) + 1;
	if (!freep) {                             /* first call: empty list */
		base.s.next = freep = &base;
		base.s.units = 0;
	}
	prev = freep;
	for (p = prev->s.next;; prev = p, p = p->s.next) {
		if (p->s.units >= nunits) {
			if (p->s.units == nunits) {       /* exact fit: unlink it */
				prev->s.next = p->s.next;
			} else {                          /* hand out the tail end */
				p->s.units -= nunits;
				p += p->s.units;
				p->s.units = nunits;
			}
			freep = prev;
			return p + 1;
		}
		if (p == freep && !(p = morecore(nunits))) {   /* wrapped around */
			errno = ENOMEM;
			return NULL;
		}
	}
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > 0xffffffffU / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *ap, size_t n)
{
	Header *bp;
	size_t have;
	void *np;

	if (!ap)
		return malloc(n);
	if (n == 0) {
		free(ap);
		return NULL;
	}
	bp = (Header *)ap - 1;
	have = (bp->s.units - 1) * sizeof(Header);
	if (n <= have)
		return ap;
	np = malloc(n);
	if (np) {
		memcpy(np, ap, have);
		free(ap);
	}
	return np;
}
