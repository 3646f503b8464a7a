/*
 * trap.h - the way into the kernel: the GDT and IDT, trap vectors, and
 * what trap_dispatch does with a saved trap frame (trapframe.h).
 */
#ifndef ZC32_TRAP_H
#define ZC32_TRAP_H
#include "types.h"
#include "trapframe.h"

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

void gdt_init(void);
void tss_set_kernel_stack(uint32_t esp0);
enum tls_state { TLS_NONE, TLS_PRESENT, TLS_NOT_PRESENT };   /* set_thread_area's descriptor */
void gdt_set_tls(uint32_t base, uint32_t limit, int state);
void idt_init(void);
void trap_dispatch(struct trapframe *tf);
void syscall_dispatch(struct trapframe *tf);
void trap_return_to_user(struct trapframe *tf);
void user_fault_kill_sig(struct trapframe *tf, uint32_t addr, int sig);
/* entry.S */
extern uint32_t trap_vectors[48];          /* the stubs for vectors 0-47 */
void vector128(void);                      /* int 0x80 */
void trapret(void);

#endif
