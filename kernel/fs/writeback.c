/*
 * writeback.c - the flusher, a kernel thread that writes dirty file pages
 * and metadata back to the disk a few seconds after they were dirtied, as
 * Linux's writeback threads do.  Without it data reaches the disk only on
 * sync, fsync and power-off, and a machine switched off hard (QEMU killed,
 * Ctrl-A X) loses every file written since.
 *
 * Path: write() -> pagecache_mark_dirty or bdirty -> writeback_kick ->
 * flusher wakes, waits DIRTY_EXPIRE_S so a burst of writes goes out
 * together -> vfs_sync (pagecache_sync_all, then the root filesystem's
 * metadata and a disk cache flush).  Anything dirtied meanwhile kicks it
 * again.  Linux waits longer (30 s, dirty_expire_centisecs); zc32's
 * machines are killed often, so it keeps the window short.  While nothing
 * is dirty the flusher sleeps without a timer: an idle machine, or a test
 * counting its own context switches, never sees it run.
 */
#include "kernel.h"
#include "x86.h"
#include "timer.h"
#include "fs/vfs.h"
#include "mm/pagecache.h"
#include "fs/writeback.h"
#include "proc/proc.h"
#include "proc/sched.h"

static volatile bool dirty_pending;   /* kicked since the last writeback started */

void writeback_kick(void)
{
	if (dirty_pending)
		return;
	dirty_pending = true;
	wakeup((void *)&dirty_pending);
}

/* Sleep until something has been dirtied, then let it age. */
static void wait_for_dirty_data(void)
{
	cli();
	while (!dirty_pending)
		sleep_on((void *)&dirty_pending);
	uint64_t due = ticks + (uint64_t)DIRTY_EXPIRE_S * timer_hz;
	while (ticks < due)
		sleep_until(due);
	dirty_pending = false;          /* later dirt kicks the next round */
	sti();
}

static void flusher_main(void)
{
	for (;;) {
		wait_for_dirty_data();
		int r = vfs_sync();
		if (r < 0)
			printk("writeback: error %d writing dirty data back\n", r);
	}
}

void writeback_start(void)
{
	pagecache_notify_dirty(writeback_kick);
	kthread_start("flusher", flusher_main);
}
