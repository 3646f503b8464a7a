/*
 * netbuf.c - packet buffers (see netbuf.h): one page each, a linear part
 * for headers, and page-reference fragments for payload.  Used on every
 * network path; allocated in interrupt context too (the e1000 refills its
 * receive ring there), which page_alloc allows.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "mm/pmm.h"
#include "net/netbuf.h"

/* One freed netbuf kept for the next allocation: the e1000 takes a fresh
 * receive buffer for every frame, and a batch of ACKs frees one a frame
 * (ack_filter.c), so the spare goes round without the page allocator. */
static struct netbuf *spare;

static struct netbuf *nb_new(uint32_t off)
{
	uint32_t f = irq_save();
	struct netbuf *nb = spare;
	spare = NULL;
	irq_restore(f);
	if (!nb) {
		uint32_t pa = page_alloc();
		if (!pa)
			return NULL;
		nb = P2V(pa);
	}
	memset(nb, 0, offsetof(struct netbuf, frag));   /* every received ACK comes here */
	list_init(&nb->link);
	nb->data = (uint8_t *)nb + off;
	return nb;
}

struct netbuf *nb_alloc(void) { return nb_new(NB_TX_OFF); }
struct netbuf *nb_alloc_rx(void) { return nb_new(NB_RX_OFF); }

void nb_free(struct netbuf *nb)
{
	if (!nb)
		return;
	for (int i = 0; i < nb->nfrags; i++)
		page_put(ALIGN_DOWN(nb->frag[i].pa, PAGE_SIZE));
	uint32_t f = irq_save();
	bool keep = !spare;
	if (keep)
		spare = nb;
	irq_restore(f);
	if (!keep)
		page_put(V2P(nb));
}

/* The linear part must stay inside the page, after the struct. */
static void nb_check(struct netbuf *nb)
{
	uint8_t *lo = (uint8_t *)(nb + 1), *hi = (uint8_t *)nb + PAGE_SIZE;
	if (nb->data < lo || nb->data + nb->len > hi)
		panic("netbuf %p: data %p len %u outside its page", nb, nb->data, nb->len);
}

uint8_t *nb_push(struct netbuf *nb, uint32_t n)
{
	nb->data -= n;
	nb->len += n;
	nb_check(nb);
	return nb->data;
}

uint8_t *nb_put(struct netbuf *nb, uint32_t n)
{
	uint8_t *p = nb->data + nb->len;
	nb->len += n;
	nb_check(nb);
	return p;
}

void nb_add_frag(struct netbuf *nb, uint32_t pa, uint32_t len)
{
	ASSERT(nb->nfrags < NB_MAX_FRAGS);
	ASSERT((pa & (PAGE_SIZE - 1)) + len <= PAGE_SIZE);
	nb->frag[nb->nfrags].pa = pa;
	nb->frag[nb->nfrags].len = len;
	nb->nfrags++;
	nb->frag_len += len;
}

uint32_t nb_pa(struct netbuf *nb) { return V2P(nb->data); }

