/*
 * hash.h - hashing helpers: lowercase hex text of bytes, and SHA-256
 * (OpenSSL's EVP, hardware-accelerated where the CPU can) as hex.  The
 * audit trail's MACs and signatures are in core/audit.h and
 * core/checkpoint.h; this is what every layer may hash with.
 */
#ifndef BRAIN_HASH_H
#define BRAIN_HASH_H

#include <stddef.h>

/* Lowercase hex of len bytes into out (2 * len + 1 bytes). */
void hash_hex(const unsigned char *bytes, size_t len, char *out);

/* Parse 2 * len hex digits (either case) into out; -1 when not hex. */
int hash_unhex(const char *hex, size_t len, unsigned char *out);

/* The SHA-256 of len bytes of data as 64 hex digits and a NUL. */
void hash_sha256_hex(const void *data, size_t len, char out[65]);

#endif
