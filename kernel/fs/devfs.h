/* devfs.h - /dev/null and /dev/zero (fs/devfs.c). */
#ifndef ZC32_DEVFS_H
#define ZC32_DEVFS_H
#define DEVFS_MOUNT "/dev"
#define DEVFS_DEV   0x0005             /* st_dev of /dev's files */
void devfs_init(void);                 /* mount it at /dev */
#endif
