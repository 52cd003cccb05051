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

void hash_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		diag_oom(); /* only fails when OpenSSL cannot allocate */
	hash_hex(md, 32, out);
}

void hash_stream_begin(struct hash_stream *h)
{
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL))
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
