/*
 * pagecache.c - the page cache.
 *
 * Cached pages are found through a hash of (file, index), kept on their
 * file's list (for writeback and truncate) and on the replacement list
 * of mm/reclaim.c, which evicts them when memory runs low.  The cache
 * holds one reference to each page; a reader holds another while it
 * copies.  A file is its struct address_space (mm/pagecache.h): nothing
 * here knows inodes or filesystems.
 *
 * Reading a missing page reads up to READAHEAD_PAGES of the file at once:
 * pages are inserted locked (PG_LOCKED), the filesystem's bmap says where
 * each block is, runs of adjacent blocks become one bio with one segment
 * per run of physically adjacent memory, and the disk DMAs straight into
 * the cache's frames.  The bio's completion (in the disk's interrupt)
 * unlocks the pages and wakes whoever waits for them.  While a reader
 * moves through a file, the next window is started before it is needed.
 *
 * Writing copies into cached pages and marks them dirty; the disk blocks
 * are allocated at write() time, so a full disk is reported by write().
 * Dirty pages go back to the disk, adjacent blocks clustered into one
 * bio, on fsync, sync and power-off, and a few seconds after they were
 * dirtied (the flusher of fs/writeback.c, told through on_dirty).
 *
 * A page that sendfile's gather way queued in a socket is pinned
 * (page_pin, mm/pmm.h) until the peer acknowledged it: the NIC may read it
 * again for a retransmission.  Such a page is never written in place:
 * write() and truncate's tail zeroing first give the file a copy of it
 * (unshare_pinned: copy-on-write of the page-cache page), and the socket
 * keeps the old frame, which is freed when the socket lets go.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "mm/pagecache.h"
#include "block/block.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/sched.h"
#include "mm/reclaim.h"
#include "mm/vm.h"
#include "ledger/ledger.h"

#define HASH_SIZE 4096

static struct page *hash_table[HASH_SIZE];
static uint32_t ncached;

uint32_t pagecache_pages(void) { return ncached; }

static uint32_t bucket(struct address_space *mapping, uint32_t index)
{
	return (((uint32_t)mapping >> 5) ^ (index * 2654435761u)) & (HASH_SIZE - 1);
}

static struct page *lookup(struct address_space *mapping, uint32_t index)
{
	for (struct page *pg = hash_table[bucket(mapping, index)]; pg; pg = pg->hash_next)
		if (pg->mapping == mapping && pg->index == index)
			return pg;
	return NULL;
}

static void insert(struct page *pg, struct address_space *mapping, uint32_t index)
{
	uint32_t f = irq_save();
	uint32_t b = bucket(mapping, index);
	pg->mapping = mapping;
	pg->index = index;
	pg->flags |= PG_CACHE;
	pg->hash_next = hash_table[b];
	hash_table[b] = pg;
	list_push_back(&mapping->pages, &pg->mapping_link);
	ncached++;
	irq_restore(f);
	reclaim_add(pg);
}

/* Take a page out of the cache; the caller then drops the cache's reference. */
static void remove(struct page *pg)
{
	uint32_t f = irq_save();
	struct page **pp = &hash_table[bucket(pg->mapping, pg->index)];
	while (*pp != pg)
		pp = &(*pp)->hash_next;
	*pp = pg->hash_next;
	list_remove(&pg->mapping_link);
	reclaim_remove(pg);
	pg->flags &= ~(PG_CACHE | PG_UPTODATE | PG_DIRTY | PG_REFERENCED);
	pg->mapping = NULL;
	ncached--;
	irq_restore(f);
}

/* Used: the clock policy gives it a second chance (mm/reclaim.c). */
static void touch(struct page *pg)
{
	pg->flags |= PG_REFERENCED;
}

/* Drop a clean, unused page (the caller holds one extra reference). */
void pagecache_drop(struct page *pg)
{
	remove(pg);
	page_put(page_to_pa(pg));
}

static void wait_unlocked(struct page *pg)
{
	if (!(pg->flags & PG_LOCKED))
		return;
	uint32_t f = irq_save();
	while (pg->flags & PG_LOCKED)
		sleep_on(pg);
	irq_restore(f);
}

/* Free up to want clean, unused, unmapped pages of one file (or of all
 * files if mapping is NULL).  Never sleeps. */
int pagecache_evict(struct address_space *mapping, int want)
{
	int freed = 0;
	for (uint32_t b = 0; b < HASH_SIZE && freed < want; b++) {
		struct page *pg = hash_table[b];
		while (pg && freed < want) {
			struct page *next = pg->hash_next;
			if ((!mapping || pg->mapping == mapping) && pg->refs == 1 && !pg->mapcount &&
			    !(pg->flags & (PG_DIRTY | PG_LOCKED))) {
				pagecache_drop(pg);
				freed++;
			}
			pg = next;
		}
	}
	return freed;
}

static struct page *new_cache_page(void)
{
	uint32_t pa = page_alloc_user();
	if (!pa)
		return NULL;
	struct page *pg = pa_to_page(pa);
	pg->flags = 0;
	pg->io_pending = 0;
	return pg;
}

/* pg (held by the caller) is about to be written.  If a socket has it
 * pinned, put a copy in its place in the cache and return the copy
 * (referenced; the caller's reference to pg is dropped): the file
 * changes, the bytes queued for the network do not.  Mappings of pg are
 * taken down, so they fault the copy in.  NULL if there is no memory. */
static struct page *unshare_pinned(struct page *pg)
{
	if (!pg->pins)
		return pg;
	struct page *copy = new_cache_page();        /* may sleep in reclaim */
	wait_unlocked(pg);                            /* no writeback reading it half-way */
	if (!pg->pins || !(pg->flags & PG_CACHE)) {
		if (copy)
			page_put(page_to_pa(copy));          /* acknowledged meanwhile */
		return pg;
	}
	if (!copy) {
		page_put(page_to_pa(pg));
		return NULL;
	}
	rmap_unmap_all(pg, 0);                        /* first: it moves PTE dirty bits to pg */
	memcpy(P2V(page_to_pa(copy)), P2V(page_to_pa(pg)), PAGE_SIZE);
	copy->flags = PG_UPTODATE | (pg->flags & PG_DIRTY);
	struct address_space *mapping = pg->mapping;
	uint32_t index = pg->index;
	remove(pg);
	page_put(page_to_pa(pg));                     /* the cache's reference */
	page_put(page_to_pa(pg));                     /* the caller's */
	insert(copy, mapping, index);
	page_get(page_to_pa(copy));
	ledger_vm(ZC_VM_COW);
	return copy;
}

/* ---- building bios from file blocks -------------------------------- */

struct io_builder {
	struct address_space *mapping;
	enum bio_op op;
	const char *what;
	struct bio *bio;
	uint32_t next_pblock;
};

/* One block of a page finished (or failed) its transfer. */
static void page_io_done(struct page *pg, int error)
{
	uint32_t f = irq_save();
	if (error)
		pg->flags |= PG_ERROR;
	if (--pg->io_pending == 0) {
		pg->flags &= ~PG_LOCKED;
		if (!(pg->flags & PG_ERROR))
			pg->flags |= PG_UPTODATE;
		wakeup(pg);
	}
	irq_restore(f);
}

/* Completion of a page-cache bio, in the disk's interrupt handler. */
static void io_end(struct bio *b)
{
	uint32_t bs = ((struct address_space *)b->private)->block_size;
	for (int i = 0; i < b->nseg; i++)
		for (uint32_t off = 0; off < b->seg[i].len; off += bs)
			page_io_done(pa_to_page(b->seg[i].pa + off), b->error);
	kfree(b);
}

static void io_submit(struct io_builder *io)
{
	if (io->bio)
		blk_submit(io->bio);
	io->bio = NULL;
}

/* Add one block transfer: page bytes [off, off + block size) <-> disk block pblock. */
static void io_add_block(struct io_builder *io, struct page *pg, uint32_t off, uint32_t pblock)
{
	uint32_t bs = io->mapping->block_size, pa = page_to_pa(pg) + off;
	struct bio *b = io->bio;
	if (b && pblock == io->next_pblock) {
		struct bio_seg *last = &b->seg[b->nseg - 1];
		if (last->pa + last->len == pa && last->len + bs <= 65536) {
			last->len += bs;
			goto added;
		}
		if (b->nseg < b->bdev->max_segs) {
			b->seg[b->nseg++] = (struct bio_seg){ pa, bs };
			goto added;
		}
	}
	io_submit(io);
	b = io->bio = kzalloc(sizeof *b);
	if (!b) {
		page_io_done(pg, -ENOMEM);
		return;
	}
	b->bdev = io->mapping->bdev;
	b->op = io->op;
	b->sector = (uint64_t)pblock * (bs / SECTOR_SIZE);
	b->what = io->what;
	b->end_io = io_end;
	b->private = io->mapping;
	b->seg[0] = (struct bio_seg){ pa, bs };
	b->nseg = 1;
added:
	pg->io_pending++;
	io->next_pblock = pblock + 1;
}

/* Is memory too short for reading ahead?  Free frames are down to the
 * reserve and the page cache holds less than a few windows: the rest of
 * memory is anonymous pages that cannot leave (swap full, or none), so
 * each frame read ahead evicts a cached page somebody needs, often one
 * read ahead a moment before and not used yet.  Under exhaust's hog
 * growing by private file mappings (each page copied from one file's
 * pages) at 128 MiB + 320 MiB, that refaulting went on for 12 to 190 s,
 * the out-of-memory killer waiting since every reclaim still freed
 * something, and one 1 MiB download from httpd took over 120 s; reading
 * only the page asked for, the hog was killed within 6 s. */
static bool too_short_to_read_ahead(uint32_t count)
{
	return pmm_free_pages() <= RESERVE_PAGES + count && ncached < 4 * READAHEAD_PAGES;
}

/* Start reading pages [index, index + count) that are not cached yet,
 * stopping at the first cached one or at the end of the file.  Returns
 * how many pages were inserted (locked, with their reads in flight).
 *
 * pin (may be NULL): if the page at index is inserted, *pin is set to it
 * with a reference for the caller.  The reference is taken before
 * anything here can sleep: bmap may wait for the buffer cache and
 * blk_submit for free descriptors, and meanwhile the page's own bio may
 * complete and a cache drop or reclaim evict the page, since they take
 * only pages nobody else holds. */
static int start_read(struct address_space *mapping, uint32_t index, uint32_t count, struct page **pin)
{
	uint32_t bs = mapping->block_size, bpp = PAGE_SIZE / bs;
	uint32_t file_pages = (mapping->size + PAGE_SIZE - 1) / PAGE_SIZE;
	struct io_builder io = { mapping, BIO_READ, "disk->pagecache", NULL, 0 };
	int started = 0;
	if (too_short_to_read_ahead(count))
		count = pin ? 1 : 0;                 /* the page asked for, nothing ahead */
	for (uint32_t i = index; i < index + count && i < file_pages; i++) {
		if (lookup(mapping, i))
			break;
		struct page *pg = new_cache_page();
		if (!pg)
			break;
		if (lookup(mapping, i)) {
			/* Finding a frame may sleep in reclaim; meanwhile another
			 * reader inserted this page.  Two copies must never exist. */
			page_put(page_to_pa(pg));
			break;
		}
		pg->flags = PG_LOCKED;
		pg->io_pending = 1;                  /* held until all blocks are queued */
		insert(pg, mapping, i);
		if (pin && i == index) {
			page_get(page_to_pa(pg));
			*pin = pg;
		}
		started++;
		for (uint32_t k = 0; k < bpp; k++) {
			uint32_t pblock = 0, lblock = i * bpp + k;
			if ((uint64_t)lblock * bs < mapping->size && mapping->ops->bmap(mapping, lblock, false, &pblock) < 0) {
				pg->flags |= PG_ERROR;
				break;
			}
			if (pblock)
				io_add_block(&io, pg, k * bs, pblock);
			else
				memset((char *)P2V(page_to_pa(pg)) + k * bs, 0, bs);   /* a hole */
		}
		page_io_done(pg, 0);
	}
	io_submit(&io);
	return started;
}

/* Keep the disk busy ahead of a sequential reader: each time it enters
 * a new half-window, start reading the next window if it is not cached. */
static void read_ahead(struct address_space *mapping, uint32_t index)
{
	if (index % (READAHEAD_PAGES / 2) == 0) {
		uint32_t ahead = index + READAHEAD_PAGES / 2;
		if (!lookup(mapping, ahead))
			start_read(mapping, ahead, READAHEAD_PAGES, NULL);
	}
}

/* The page at index, filled with the file's data and referenced; NULL
 * with *err = -EIO if it cannot be read, -ENOMEM if no memory is left.
 * *major: we had to wait for the disk. */
struct page *pagecache_get_major(struct address_space *mapping, uint32_t index, bool *major, int *err)
{
	*major = false;
	*err = -EIO;
	/* The common case first: cached, filled and not busy. */
	struct page *hit = lookup(mapping, index);
	if (hit && (hit->flags & (PG_UPTODATE | PG_LOCKED | PG_ERROR)) == PG_UPTODATE) {
		page_get(page_to_pa(hit));
		touch(hit);
		read_ahead(mapping, index);
		return hit;
	}
	for (int tries = 0; tries < 4; tries++) {
		struct page *pg = lookup(mapping, index);
		int n;
		bool ours = false;
		if (pg) {
			page_get(page_to_pa(pg));
			if (pg->flags & PG_LOCKED)
				*major = true;
		} else if ((n = start_read(mapping, index, READAHEAD_PAGES, &pg)) > 0) {
			*major = ours = true;            /* pg came back referenced */
			/* A sequential reader (at the start of the file, or just
			 * past a cached page) will want the next window as well:
			 * ask for it before sleeping, so the disk has a second
			 * request queued instead of idling while we copy. */
			if (index == 0 || lookup(mapping, index - 1))
				start_read(mapping, index + n, READAHEAD_PAGES, NULL);
		} else if (lookup(mapping, index)) {
			continue;                        /* inserted by another while start_read slept */
		} else {
			*err = -ENOMEM;                  /* no frame for it */
			return NULL;
		}
		wait_unlocked(pg);
		if (!(pg->flags & PG_CACHE) || (pg->flags & PG_ERROR)) {
			bool failed = pg->flags & PG_ERROR;
			if (failed && (pg->flags & PG_CACHE))
				pagecache_drop(pg);          /* the cache's reference */
			page_put(page_to_pa(pg));
			/* Another's read that failed (a process killed while it
			 * waited for the filesystem gives up on its pages) is
			 * tried again, once, as on Linux. */
			if (failed && (ours || tries > 0 || current_killed()))
				return NULL;
			continue;
		}
		touch(pg);
		read_ahead(mapping, index);
		return pg;
	}
	/* Held, yet taken out of the cache before we could use it, again and
	 * again: only truncate does that to a held page, and the file keeps
	 * shrinking under us.  Not a disk error. */
	*err = -ENOMEM;
	return NULL;
}

struct page *pagecache_get(struct address_space *mapping, uint32_t index)
{
	bool major;
	int err;
	return pagecache_get_major(mapping, index, &major, &err);
}

/* A page about to be written.  whole: the caller overwrites all of it (or
 * it lies past the end of the file), so there is nothing to read first.
 * NULL with *err = -EIO or -ENOMEM if there is none. */
static struct page *get_for_write(struct address_space *mapping, uint32_t index, bool whole, int *err)
{
	if (!whole) {
		bool major;
		return pagecache_get_major(mapping, index, &major, err);
	}
	*err = -ENOMEM;
	struct page *pg;
again:
	if ((pg = lookup(mapping, index))) {
		page_get(page_to_pa(pg));
		wait_unlocked(pg);
		pg->flags &= ~PG_ERROR;
		return pg;
	}
	if (!(pg = new_cache_page()))
		return NULL;
	if (lookup(mapping, index)) {
		/* A reader inserted it while reclaim found us a frame. */
		page_put(page_to_pa(pg));
		goto again;
	}
	memset(P2V(page_to_pa(pg)), 0, PAGE_SIZE);
	pg->flags = PG_UPTODATE;
	insert(pg, mapping, index);
	page_get(page_to_pa(pg));
	return pg;
}

/* Who hears when a clean page becomes dirty: the flusher registers here
 * (the page cache knows no filesystem code by name). */
static void (*on_dirty)(void);

void pagecache_notify_dirty(void (*fn)(void)) { on_dirty = fn; }

static void mark_dirty(struct page *pg)
{
	if (!(pg->flags & PG_DIRTY) && on_dirty)
		on_dirty();
	pg->flags |= PG_DIRTY | PG_UPTODATE;
}

/* ---- read() and write() ---------------------------------------------- */

ssize_t pagecache_read(struct address_space *mapping, uint32_t pos, void *dst, size_t n, bool to_user)
{
	if (pos >= mapping->size)
		return 0;
	n = MIN(n, mapping->size - pos);
	size_t done = 0;
	while (done < n && !current_killed()) {   /* SIGKILL: the process is to die, stop */
		uint32_t off = pos % PAGE_SIZE, chunk = MIN(n - done, PAGE_SIZE - off);
		bool major;
		int err;
		struct page *pg = pagecache_get_major(mapping, pos / PAGE_SIZE, &major, &err);
		if (!pg)
			return done ? (ssize_t)done : err;   /* -EIO or -ENOMEM, as it was */
		const char *src = (char *)P2V(page_to_pa(pg)) + off;
		int r = 0;
		if (to_user)
			r = copy_to_user_as((char *)dst + done, src, chunk, "pagecache->user");
		else
			memcpy((char *)dst + done, src, chunk);
		page_put(page_to_pa(pg));
		if (r < 0)
			return done ? (ssize_t)done : r;
		done += chunk;
		pos += chunk;
	}
	return done;
}

ssize_t pagecache_write(struct address_space *mapping, uint32_t pos, const void *src, size_t n, bool from_user)
{
	uint32_t bs = mapping->block_size;
	size_t done = 0;
	int err = 0;
	if ((uint64_t)pos + n > 0x7fffffff)
		return -EFBIG;
	if (pos > mapping->size)
		pagecache_extend(mapping, mapping->size);   /* the gap reads as zeros */
	while (done < n) {
		if (current_killed()) {
			err = -EINTR;            /* SIGKILL: stop copying, as Linux does */
			break;
		}
		uint32_t index = pos / PAGE_SIZE, off = pos % PAGE_SIZE;
		uint32_t chunk = MIN(n - done, PAGE_SIZE - off);
		bool whole = (off == 0 && chunk == PAGE_SIZE) || (uint64_t)index * PAGE_SIZE >= mapping->size;
		/* The page first, holding the file's present bytes (holes read as
		 * zeros): were the blocks allocated first, reading the page would
		 * fetch whatever a new block held on the disk before. */
		struct page *pg = get_for_write(mapping, index, whole, &err);
		if (pg && !(pg = unshare_pinned(pg)))
			err = -ENOMEM;
		if (!pg)
			break;
		/* Then the disk blocks: a full disk stops us here.  What already
		 * has its blocks is still written, so no allocated block lies
		 * past the end of the file (e2fsck would object). */
		uint32_t lb, first = pos / bs, last = (pos + chunk - 1) / bs;
		for (lb = first; lb <= last; lb++) {
			uint32_t pb;
			if ((err = mapping->ops->bmap(mapping, lb, true, &pb)) < 0)
				break;
		}
		if (lb <= last)
			chunk = lb == first ? 0 : lb * bs - pos;
		if (chunk == 0) {
			page_put(page_to_pa(pg));
			break;
		}
		int alloc_err = err;
		char *dst = (char *)P2V(page_to_pa(pg)) + off;
		if (from_user)
			err = copy_from_user_as(dst, (const char *)src + done, chunk, "user->pagecache");
		else
			memcpy(dst, (const char *)src + done, chunk);
		if (err == 0)
			mark_dirty(pg);
		page_put(page_to_pa(pg));
		if (err < 0)
			break;
		done += chunk;
		pos += chunk;
		if (pos > mapping->size)
			mapping->size = pos;
		if ((err = alloc_err) < 0)
			break;
	}
	return done ? (ssize_t)done : err;
}

/* A shared writable mapping is about to let the CPU write pg: give its
 * holes disk blocks first (inside the file's size), or writeback would
 * find nowhere to put the bytes and drop them (Linux: page_mkwrite).  A
 * page that gets a new block is marked dirty, so that the block's old
 * contents on the disk never show.  -ENOSPC on a full disk: the fault
 * then kills with SIGBUS, as on Linux. */
int pagecache_prepare_shared_write(struct page *pg)
{
	struct address_space *mapping = pg->mapping;
	uint32_t bs = mapping->block_size, bpp = PAGE_SIZE / bs;
	for (uint32_t k = 0; k < bpp; k++) {
		uint32_t lb = pg->index * bpp + k, pb = 0;
		if ((uint64_t)lb * bs >= mapping->size)
			break;
		if (mapping->ops->bmap(mapping, lb, false, &pb) == 0 && pb)
			continue;                    /* has its block */
		int err = mapping->ops->bmap(mapping, lb, true, &pb);
		if (err < 0)
			return err;
		mark_dirty(pg);
	}
	return 0;
}

/* ---- writeback and truncate -------------------------------------------- */

#define WB_BATCH 128

static int writeback_batch(struct address_space *mapping, struct page **pages, int n)
{
	uint32_t bs = mapping->block_size, bpp = PAGE_SIZE / bs;
	struct io_builder io = { mapping, BIO_WRITE, "pagecache->disk", NULL, 0 };
	int err = 0;
	/* In file order, so adjacent blocks cluster into one bio. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && pages[j - 1]->index > pages[j]->index; j--) {
			struct page *t = pages[j];
			pages[j] = pages[j - 1];
			pages[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		struct page *pg = pages[i];
		wait_unlocked(pg);
		pg->flags = (pg->flags & ~(PG_DIRTY | PG_ERROR)) | PG_LOCKED;
		pg->io_pending = 1;
		for (uint32_t k = 0; k < bpp; k++) {
			uint32_t lblock = pg->index * bpp + k, pblock = 0;
			if ((uint64_t)lblock * bs >= mapping->size)
				break;
			int r = mapping->ops->bmap(mapping, lblock, false, &pblock);
			if (r == -EINTR) {
				mark_dirty(pg);      /* a dying fsync gave up waiting for the
							 * filesystem: not written, still dirty */
				err = r;
				break;
			}
			if (r == 0 && pblock)
				io_add_block(&io, pg, k * bs, pblock);
		}
		page_io_done(pg, 0);
	}
	io_submit(&io);
	for (int i = 0; i < n; i++) {
		wait_unlocked(pages[i]);
		if (pages[i]->flags & PG_ERROR) {
			pages[i]->flags |= PG_DIRTY;
			err = -EIO;
		}
		page_put(page_to_pa(pages[i]));
	}
	return err;
}

int pagecache_writeback(struct address_space *mapping)
{
	struct page **batch = kmalloc(WB_BATCH * sizeof *batch);
	int err = 0;
	if (!batch)
		return -ENOMEM;
	for (;;) {
		int n = 0;
		uint32_t f = irq_save();
		list_for_each(it, &mapping->pages) {
			struct page *pg = list_entry(it, struct page, mapping_link);
			if ((pg->flags & PG_DIRTY) && n < WB_BATCH) {
				page_get(page_to_pa(pg));
				batch[n++] = pg;
			}
		}
		irq_restore(f);
		if (n == 0)
			break;
		int r = writeback_batch(mapping, batch, n);
		if (r < 0) {
			err = r;
			break;
		}
	}
	kfree(batch);
	return err;
}

int pagecache_sync_all(void)
{
	int err = 0;
	for (;;) {
		struct address_space *dirty = NULL;
		for (uint32_t b = 0; b < HASH_SIZE && !dirty; b++)
			for (struct page *pg = hash_table[b]; pg && !dirty; pg = pg->hash_next)
				if (pg->flags & PG_DIRTY)
					dirty = pg->mapping;
		if (!dirty)
			return err;
		mapping_get(dirty);
		int r = pagecache_writeback(dirty);
		mapping_put(dirty);
		if (r < 0)
			return r;
	}
}

/* Zero the file's bytes from pos to the end of the page holding pos, in
 * the page cache (read from the disk first if the page is not cached):
 * past the end of a file they must read as zeros when it grows again,
 * yet the block holding the end keeps them on the disk, and a mapping
 * may have written there since (the page is mapped whole).  Zeroed in
 * place, so every mapping of the page sees it too. */
static void zero_tail(struct address_space *mapping, uint32_t pos)
{
	if (pos % PAGE_SIZE == 0 || pos >= ALIGN_UP(mapping->size, PAGE_SIZE))
		return;
	struct page *pg = pagecache_get(mapping, pos / PAGE_SIZE);
	if (pg)
		pg = unshare_pinned(pg);
	if (!pg)
		return;                  /* unreadable, or no memory: the disk's bytes stay */
	memset((char *)P2V(page_to_pa(pg)) + pos % PAGE_SIZE, 0, PAGE_SIZE - pos % PAGE_SIZE);
	mark_dirty(pg);
	page_put(page_to_pa(pg));
}

/*
 * The file is cut to size (the filesystem has set mapping->size already, so
 * no fault, read() or readahead brings the cut pages back meanwhile).
 * Each cached page wholly past it is first taken out of every page table
 * that maps it (rmap_unmap_all: MAP_SHARED mappings, and MAP_PRIVATE ones
 * not yet copied on write; a private copy is anonymous and stays), so
 * the next touch there faults and finds the end of the file (SIGBUS,
 * mm/fault.c), and only then dropped from the cache.  The page holding
 * the cut stays, mapped, with its tail zeroed.
 */
void pagecache_truncate(struct address_space *mapping, uint32_t size)
{
	uint32_t first = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	for (;;) {
		struct page *victim = NULL;
		list_for_each(it, &mapping->pages) {
			struct page *pg = list_entry(it, struct page, mapping_link);
			if (pg->index >= first) {
				victim = pg;
				break;
			}
		}
		if (!victim)
			break;
		if (victim->flags & PG_LOCKED) {
			wait_unlocked(victim);
			continue;
		}
		rmap_unmap_all(victim, 0);   /* the cache's reference keeps it meanwhile */
		pagecache_drop(victim);
	}
	zero_tail(mapping, size);
}

/* The file grows from old_size (ftruncate, or a write() past the end):
 * what lies between old_size and the end of its page reads as zeros. */
void pagecache_extend(struct address_space *mapping, uint32_t old_size)
{
	zero_tail(mapping, old_size);
}
