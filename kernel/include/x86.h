/*
 * x86.h - thin wrappers around the i386 instructions the kernel needs:
 * port I/O, control registers, interrupt flag, TLB, time stamp counter.
 * Reference: Intel SDM Vol. 2 (instruction set) and Vol. 3 (system).
 */
#ifndef ZC32_X86_H
#define ZC32_X86_H
#include "types.h"

static inline uint8_t inb(uint16_t port)
{ uint8_t v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port)
{ uint16_t v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port)
{ uint32_t v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outb(uint16_t port, uint8_t v)
{ asm volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v)
{ asm volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v)
{ asm volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline uint32_t read_cr0(void) { uint32_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr2(void) { uint32_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void) { uint32_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr4(void) { uint32_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { asm volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint32_t v) { asm volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint32_t v) { asm volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline void invlpg(uint32_t va) { asm volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline uint32_t read_eflags(void)
{ uint32_t f; asm volatile("pushfl; popl %0" : "=r"(f)); return f; }

#define EFLAGS_IF 0x200
#define EFLAGS_AC 0x40000

static inline void cli(void) { asm volatile("cli" ::: "memory"); }
static inline void sti(void) { asm volatile("sti" ::: "memory"); }
static inline void hlt(void) { asm volatile("hlt" ::: "memory"); }

/* Disable interrupts and return the previous state, for short critical
 * sections that an interrupt handler might also enter. */
static inline uint32_t irq_save(void)
{ uint32_t f = read_eflags(); cli(); return f; }
static inline void irq_restore(uint32_t f)
{ if (f & EFLAGS_IF) sti(); }

static inline uint64_t rdtsc(void)
{ uint64_t v; asm volatile("rdtsc" : "=A"(v)); return v; }

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{ asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub)); }

/* SMAP: open and close the window in which the kernel may touch user pages. */
extern bool cpu_has_smap;
static inline void user_access_begin(void) { if (cpu_has_smap) asm volatile("stac" ::: "memory"); }
static inline void user_access_end(void)   { if (cpu_has_smap) asm volatile("clac" ::: "memory"); }

#endif
