/*
 * trap.h - the trap frame: what entry.S saves on the kernel stack when
 * the CPU enters the kernel (system call, exception or interrupt).
 * Lowest address first: pushal's registers, the segment registers, the
 * vector and error code, then what the CPU itself pushed.
 */
#ifndef ZC32_TRAP_H
#define ZC32_TRAP_H
#include "types.h"

struct trapframe {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;   /* pushal */
	uint32_t gs, fs, es, ds;
	uint32_t trapno, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;              /* only when coming from user mode */
};

#define T_DIVIDE   0
#define T_DEBUG    1
#define T_NMI      2
#define T_BRKPT    3
#define T_OFLOW    4
#define T_BOUND    5
#define T_ILLOP    6
#define T_DEVICE   7
#define T_DBLFLT   8
#define T_TSS     10
#define T_SEGNP   11
#define T_STACK   12
#define T_GPFLT   13
#define T_PGFLT   14
#define T_FPERR   16
#define T_ALIGN   17
#define T_MCHK    18
#define T_SIMDERR 19
#define T_IRQ0    32
#define T_SYSCALL 0x80

static inline bool tf_from_user(const struct trapframe *tf) { return (tf->cs & 3) == 3; }

void gdt_init(void);
void tss_set_kernel_stack(uint32_t esp0);
void gdt_set_tls(uint32_t base, uint32_t limit, bool present);
void idt_init(void);
void trap_dispatch(struct trapframe *tf);
void syscall_dispatch(struct trapframe *tf);
void trap_return_to_user(struct trapframe *tf);
void user_fault_kill(struct trapframe *tf, uint32_t addr);
void user_fault_kill_sig(struct trapframe *tf, uint32_t addr, int sig);
void kernel_page_fault_panic(struct trapframe *tf);
/* entry.S */
extern uint32_t trap_vectors[48];          /* the stubs for vectors 0-47 */
void vector128(void);                      /* int 0x80 */
void trapret(void);
const char *trap_name(int trapno);

#endif
