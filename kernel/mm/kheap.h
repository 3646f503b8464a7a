/* kheap.h - kmalloc/kfree for small kernel objects. */
#ifndef ZC32_KHEAP_H
#define ZC32_KHEAP_H
#include "types.h"
void *kmalloc(size_t n);
void *kzalloc(size_t n);
void  kfree(void *p);
uint32_t kheap_pages(void);        /* frames the heap holds (free blocks included) */
uint32_t kheap_bytes_used(void);   /* bytes in blocks handed out, headers included */
#endif
