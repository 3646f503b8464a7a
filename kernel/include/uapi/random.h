/*
 * uapi/random.h - getrandom(2)'s flags (Linux linux/random.h).
 */
#ifndef ZC32_UAPI_RANDOM_H
#define ZC32_UAPI_RANDOM_H

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM   0x2
#define GRND_INSECURE 0x4

#endif
