/*
 * sha256.h - SHA-256 (FIPS 180-4), so a guest program can checksum a file
 * and the host compare it with hashlib or tools/mkdata.py.
 *
 *     struct sha256 s;
 *     sha256_init(&s);
 *     sha256_update(&s, buf, n);       as often as needed
 *     sha256_final(&s, digest);        32 bytes
 *     sha256_hex(digest, hex);         65 bytes: 64 hex digits and a NUL
 */
#ifndef ZC_SHA256_H
#define ZC_SHA256_H

#include <types.h>

struct sha256 {
	uint32_t h[8];
	unsigned long long len;      /* bytes hashed so far */
	unsigned char block[64];     /* a partial block waiting for more */
	unsigned int used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char digest[32]);
void sha256_hex(const unsigned char digest[32], char hex[65]);

#endif
