/* fpu.h - saving the x87/SSE registers across context switches. */
#ifndef ZC32_FPU_H
#define ZC32_FPU_H
#include "types.h"
void fpu_init(void);
void fpu_save(uint8_t *area);
void fpu_restore(const uint8_t *area);
void fpu_init_state(uint8_t *area);
#endif
