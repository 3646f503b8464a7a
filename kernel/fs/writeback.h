/*
 * writeback.h - the flusher: dirty file data and metadata reach the disk
 * a few seconds after they were dirtied, without a sync.
 */
#ifndef ZC32_WRITEBACK_H
#define ZC32_WRITEBACK_H

#define DIRTY_EXPIRE_S 3     /* how long dirty data may wait in memory */

void writeback_start(void);  /* at boot, once the root filesystem is mounted */
void writeback_kick(void);   /* something became dirty: write it back soon */

#endif
