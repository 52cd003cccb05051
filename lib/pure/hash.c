/* hash.c - hex text and SHA-256 digests; see hash.h. */
#include <openssl/evp.h>

#include "diag.h"
#include "pure/hash.h"
#include "banned.h"

void hash_hex(const unsigned char *bytes, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hash_unhex(const char *hex, size_t len, unsigned char *out)
{
	for (size_t i = 0; i < len; i++) {
		int hi = hex_value(hex[2 * i]), lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);

		if (lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* SHA-256 as OpenSSL provides it, fetched once: the implicit fetch of
 * EVP_sha256() on every digest costs more than hashing a short record. */
static EVP_MD *sha256(void)
{
	static EVP_MD *md;

	if (!md && !(md = EVP_MD_fetch(NULL, "SHA256", NULL)))
		diag_oom(); /* only fails when OpenSSL cannot allocate */
	return md;
}

void hash_sha256_parts(size_t n, const void *const *data, const size_t *len,
		       unsigned char out[32])
{
	/* One context for every one-shot digest, reset by each init. */
	static EVP_MD_CTX *ctx;
	unsigned int mdlen = 0;

	if (!ctx && !(ctx = EVP_MD_CTX_new()))
		diag_oom();
	if (!EVP_DigestInit_ex2(ctx, sha256(), NULL))
		diag_oom();
	for (size_t i = 0; i < n; i++)
		if (!EVP_DigestUpdate(ctx, data[i], len[i]))
			diag_oom();
	if (!EVP_DigestFinal_ex(ctx, out, &mdlen) || mdlen != 32)
		diag_oom();
}

void hash_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];

	hash_sha256_parts(1, &data, &len, md);
	hash_hex(md, 32, out);
}

void hash_stream_begin(struct hash_stream *h)
{
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex2(h->ctx, sha256(), NULL))
		diag_oom();
}

void hash_stream_add(struct hash_stream *h, const void *data, size_t len)
{
	if (!EVP_DigestUpdate(h->ctx, data, len))
		diag_oom();
}

void hash_stream_end(struct hash_stream *h, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_DigestFinal_ex(h->ctx, md, &mdlen) || mdlen != 32)
		diag_oom();
	hash_hex(md, 32, out);
	hash_stream_free(h);
}

void hash_stream_free(struct hash_stream *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}
