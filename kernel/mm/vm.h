/*
 * vm.h - address spaces.  A struct mm is one process's view of memory: a
 * page directory (whose top quarter, the kernel, is the same in every
 * process) and a list of areas (vmas) saying which user addresses are
 * valid and how.  A page need not be present to be valid: the page-fault
 * handler (mm/fault.c) fills valid pages in on first touch (demand paging),
 * copies shared ones on the first write (copy-on-write) and reads swapped
 * ones back (mm/swap.c).
 */
#ifndef ZC32_VM_H
#define ZC32_VM_H
#include "types.h"

#include "uapi/mman.h"          /* PROT_*, MAP_* */

#define VMA_ANON   0x1     /* zero-filled on first touch */
#define VMA_STACK  0x2
#define VMA_HEAP   0x4
#define VMA_FILE   0x8     /* contents come from file (page cache) */
#define VMA_SHARED 0x10    /* MAP_SHARED: writes go to the file's pages */

struct address_space;

struct vma {
	uint32_t start, end;       /* [start, end), page-aligned */
	uint32_t prot;             /* PROT_* */
	uint32_t flags;            /* VMA_* */
	struct address_space *file;   /* VMA_FILE: the file, its byte offset at start, */
	uint32_t file_off;         /* and how many bytes of the area come from it */
	uint32_t file_size;        /* (the rest is zero, like .bss; an mmap: all of it,
	                              what lies past the file's end is SIGBUS) */
	struct vma *next;          /* sorted by address */
};

struct mm {
	uint32_t *pgdir;           /* kernel virtual address of the page directory */
	struct vma *vmas;
	uint32_t brk_start, brk;   /* the heap: [brk_start, brk) */
	uint32_t rss;              /* resident pages */
	uint32_t swapents;         /* pages in swap: PTEs holding a slot */
};

/* Page-fault error code bits (SDM Vol. 3A, 4.7). */
#define FAULT_PRESENT 0x1          /* 0: page not present; 1: protection violation */
#define FAULT_WRITE   0x2          /* write access */
#define FAULT_USER    0x4          /* from user mode */

/* "user write, not present": the three bits above in words, for reports. */
const char *vm_fault_describe(uint32_t err);

/* A non-present PTE with PTE_SWAP set holds a swap slot in bits 12-31. */
#define SWAP_PTE(slot)   (((uint32_t)(slot) << 12) | PTE_SWAP)
#define PTE_IS_SWAP(pte) (!((pte) & PTE_P) && ((pte) & PTE_SWAP))
#define PTE_SLOT(pte)    ((pte) >> 12)

void      vm_init(uint32_t ram_top);
void     *ioremap(uint32_t pa, uint32_t size);

struct mm *mm_create(void);
void      mm_destroy(struct mm *mm);
struct mm *mm_clone(struct mm *mm);
void      mm_activate(struct mm *mm);

uint32_t *vm_pte(struct mm *mm, uint32_t va, bool create);
int       vm_map_page(struct mm *mm, uint32_t va, uint32_t pa, uint32_t pte_flags);
void      vm_unmap_range(struct mm *mm, uint32_t start, uint32_t end);
void      vm_flush(struct mm *mm, uint32_t va);
uint32_t  vm_pte_flags(uint32_t prot);

struct vma *vma_create(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags);
int        vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags);
struct vma *vma_find(struct mm *mm, uint32_t addr);
void       vma_free(struct vma *v);

/* fault.c */
struct trapframe;
int  page_fault(struct trapframe *tf, uint32_t addr);   /* vector 14: 0 or a signal */
int  vm_fault(struct mm *mm, uint32_t addr, uint32_t err);
/* vm_fault's answer for a file page wholly past the end of the file: the
 * user is killed with SIGBUS, a user copy fails with -EFAULT.  (An errno
 * no other step of the fault path returns.) */
#define VM_FAULT_SIGBUS (-ENXIO)
/* oom.c: the fault at addr found RAM and swap full; true = retry it */
bool oom_kill(uint32_t addr, uint32_t err);
/* mmap.c */
long sys_brk(uint32_t newbrk);
long vm_mmap(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, struct address_space *file,
	     uint32_t pgoff);
long sys_munmap(uint32_t addr, uint32_t len);
long sys_mprotect(uint32_t addr, uint32_t len, uint32_t prot);

/* rmap.c: which PTEs map a frame. */
struct page;
int  rmap_add(struct page *pg, struct mm *mm, uint32_t va);
void rmap_remove(struct page *pg, struct mm *mm, uint32_t va);
int  rmap_test_and_clear_young(struct page *pg);
bool rmap_test_dirty(struct page *pg);
int  rmap_unmap_all(struct page *pg, uint32_t new_pte);

#endif
