/*
 * vm.h - address spaces.  A struct mm is one process's view of memory: a
 * page directory (whose top quarter, the kernel, is the same in every
 * process) and a list of areas (vmas) saying which user addresses are
 * valid and how.  A page need not be present to be valid: the page-fault
 * handler fills in valid pages on first touch (demand paging).
 */
#ifndef ZC32_VM_H
#define ZC32_VM_H
#include "types.h"

#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

#define VMA_ANON   0x1     /* zero-filled on first touch */
#define VMA_STACK  0x2
#define VMA_HEAP   0x4

struct vma {
	uint32_t start, end;       /* [start, end), page-aligned */
	uint32_t prot;             /* PROT_* */
	uint32_t flags;            /* VMA_* */
	struct vma *next;          /* sorted by address */
};

struct mm {
	uint32_t *pgdir;           /* kernel virtual address of the page directory */
	struct vma *vmas;
	uint32_t brk_start, brk;   /* the heap: [brk_start, brk) */
};

/* Page-fault error code bits (SDM Vol. 3A, 4.7). */
#define FAULT_PRESENT 0x1                  /* 0: page not present; 1: protection violation */
#define FAULT_WRITE 0x2                  /* write access */
#define FAULT_USER 0x4                  /* from user mode */

void      vm_init(uint32_t ram_top);
void     *ioremap(uint32_t pa, uint32_t size);
uint32_t *kernel_pgdir(void);

struct mm *mm_create(void);
void      mm_destroy(struct mm *mm);
struct mm *mm_clone(struct mm *mm);
void      mm_activate(struct mm *mm);

uint32_t *vm_pte(struct mm *mm, uint32_t va, bool create);
int       vm_map_page(struct mm *mm, uint32_t va, uint32_t pa, uint32_t pte_flags);
void      vm_unmap_range(struct mm *mm, uint32_t start, uint32_t end);
uint32_t  vm_pte_flags(uint32_t prot);

int        vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot, uint32_t flags);
struct vma *vma_find(struct mm *mm, uint32_t addr);

int  vm_fault(struct mm *mm, uint32_t addr, uint32_t err);
long sys_brk(uint32_t newbrk);

#endif
