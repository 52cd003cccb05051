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

/* The SHA-256 of n pieces in turn (data[i], len[i] bytes; borrowed) as 32
 * bytes: the digest of their concatenation, without making it. */
void hash_sha256_parts(size_t n, const void *const *data, const size_t *len,
		       unsigned char out[32]);

/* A SHA-256 over bytes that come in pieces (a batch of records read line
 * by line), for the idempotence of a batch:
 *
 *     struct hash_stream h;
 *     hash_stream_begin(&h);
 *     hash_stream_add(&h, line, len); ...
 *     hash_stream_end(&h, hex);            // frees what begin took
 */
struct hash_stream {
	void *ctx;   /* OpenSSL's EVP_MD_CTX, owned until hash_stream_end */
};

void hash_stream_begin(struct hash_stream *h);
void hash_stream_add(struct hash_stream *h, const void *data, size_t len);
void hash_stream_end(struct hash_stream *h, char out[65]);

/* Release a stream without its digest (safe after end, or on a zeroed one). */
void hash_stream_free(struct hash_stream *h);

#endif
