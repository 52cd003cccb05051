/* checkpoint.c - signed notes and Ed25519 keys; see checkpoint.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "pure/hash.h"
#include "core/checkpoint.h"
#include "diag.h"
#include "banned.h"

#define EM_DASH "\xe2\x80\x94"

static enum brain_status write_pem(const char *path, EVP_PKEY *key, int private_key)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, private_key ? 0600 : 0644);
	FILE *fp;
	int ok;

	if (fd < 0)
		return diag_errno(BRAIN_IO, errno, "cannot create '%s'", path);
	fp = fdopen(fd, "w");
	if (!fp) {
		close(fd);
		return diag_errno(BRAIN_IO, errno, "cannot write '%s'", path);
	}
	ok = private_key ? PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL)
			 : PEM_write_PUBKEY(fp, key);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
		ok = 0;
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok)
		return diag_error(BRAIN_IO, "cannot write the key to '%s'", path);
	return BRAIN_OK;
}

enum brain_status checkpoint_keygen(const char *path)
{
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	enum brain_status status;
	size_t n = strlen(path) + 5;
	char *pub = xmalloc(n);

	snprintf(pub, n, "%s.pub", path);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &key) <= 0) {
		status = diag_error(BRAIN_IO, "cannot generate an Ed25519 key");
	} else if (access(pub, F_OK) == 0) {
		status = diag_error(BRAIN_IO, "'%s' exists already; not overwritten", pub);
	} else if (!(status = write_pem(path, key, 1)) && (status = write_pem(pub, key, 0))) {
		unlink(path);
	}
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	free(pub);
	return status;
}

void checkpoint_key_id(const char *origin, const unsigned char pub[32],
		       unsigned char id[4])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int n;
	const unsigned char sep[2] = { 0x0a, 0x01 };

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(ctx, origin, strlen(origin)) ||
	    !EVP_DigestUpdate(ctx, sep, 2) || !EVP_DigestUpdate(ctx, pub, 32) ||
	    !EVP_DigestFinal_ex(ctx, md, &n))
		diag_oom();
	EVP_MD_CTX_free(ctx);
	memcpy(id, md, 4);
}

static char *base64(const unsigned char *data, size_t len)
{
	char *out = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

/* Decode standard base64 of exactly want bytes; -1 when it is not that. */
static int unbase64(const char *text, size_t len, unsigned char *out, size_t want)
{
	unsigned char buf[128];
	int n;
	size_t pad = 0;

	if (len == 0 || len % 4 || len / 4 * 3 > sizeof(buf))
		return -1;
	n = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)len);
	if (n < 0)
		return -1;
	while (pad < 2 && text[len - 1 - pad] == '=')
		pad++;
	if ((size_t)n - pad != want)
		return -1;
	memcpy(out, buf, want);
	return 0;
}

char *checkpoint_body(const char *origin, uint64_t size, const unsigned char root[32],
		      const char *chain_hex)
{
	char *root64 = base64(root, 32);
	size_t n = strlen(origin) + strlen(root64) + 128;
	char *body = xmalloc(n);

	snprintf(body, n, "%s\n%" PRIu64 "\n%s\nchain %s\n", origin, size, root64, chain_hex);
	free(root64);
	return body;
}

static EVP_PKEY *read_key(const char *path, int private_key)
{
	FILE *fp = fopen(path, "r");
	EVP_PKEY *key;

	if (!fp) {
		diag_errno(BRAIN_IO, errno, "cannot open key '%s'", path);
		return NULL;
	}
	key = private_key ? PEM_read_PrivateKey(fp, NULL, NULL, NULL)
			  : PEM_read_PUBKEY(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		diag_error(BRAIN_IO, "'%s' is not an Ed25519 %s key in PEM form", path,
			   private_key ? "private" : "public");
		return NULL;
	}
	return key;
}

enum brain_status checkpoint_sign(const char *key_path, const char *origin,
				  uint64_t size, const unsigned char root[32],
				  const char *chain_hex, char **note)
{
	EVP_PKEY *key = read_key(key_path, 1);
	EVP_MD_CTX *ctx;
	unsigned char blob[68], pub[32];
	size_t siglen = 64, publen = 32;
	char *body, *sig64;
	size_t n;

	*note = NULL;
	if (!key)
		return BRAIN_IO;
	body = checkpoint_body(origin, size, root, chain_hex);
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) <= 0 ||
	    EVP_DigestSign(ctx, blob + 4, &siglen, (const unsigned char *)body,
			   strlen(body)) <= 0 ||
	    EVP_PKEY_get_raw_public_key(key, pub, &publen) <= 0) {
		EVP_MD_CTX_free(ctx);
		EVP_PKEY_free(key);
		free(body);
		return diag_error(BRAIN_IO, "cannot sign the checkpoint with '%s'", key_path);
	}
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	checkpoint_key_id(origin, pub, blob);
	sig64 = base64(blob, sizeof(blob));
	n = strlen(body) + strlen(origin) + strlen(sig64) + 16;
	*note = xmalloc(n);
	snprintf(*note, n, "%s\n" EM_DASH " %s %s\n", body, origin, sig64);
	free(body);
	free(sig64);
	return BRAIN_OK;
}

enum brain_status checkpoint_parse(const char *text, size_t len, const char *name,
				   struct checkpoint *cp)
{
	const char *p = text, *end = text + len, *nl;
	const char *lines[6];
	size_t lens[6];
	unsigned char blob[68];
	char *stop;

	memset(cp, 0, sizeof(*cp));
	for (int i = 0; i < 6; i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return diag_error_at(BRAIN_DATA, name, i + 1, "checkpoint note is cut short");
		lines[i] = p;
		lens[i] = (size_t)(nl - p);
		p = nl + 1;
	}
	if (p != end)
		return diag_error_at(BRAIN_DATA, name, 7, "unexpected text after the signature");
	if (lens[0] == 0 || lens[0] >= sizeof(cp->origin) || lens[4] != 0)
		return diag_error_at(BRAIN_DATA, name, 1, "not a checkpoint note");
	memcpy(cp->origin, lines[0], lens[0]);
	cp->origin[lens[0]] = '\0';
	errno = 0;
	cp->size = strtoull(lines[1], &stop, 10);
	if (lens[1] == 0 || stop != lines[1] + lens[1] || errno || lines[1][0] == '0')
		return diag_error_at(BRAIN_DATA, name, 2, "bad tree size");
	if (unbase64(lines[2], lens[2], cp->root, 32))
		return diag_error_at(BRAIN_DATA, name, 3, "bad root hash");
	if (lens[3] != 6 + 64 || memcmp(lines[3], "chain ", 6))
		return diag_error_at(BRAIN_DATA, name, 4, "bad chain line");
	memcpy(cp->chain, lines[3] + 6, 64);
	cp->chain[64] = '\0';
	/* "— <origin> <signature>" */
	size_t dash = strlen(EM_DASH " ");

	if (lens[5] < dash + lens[0] + 2 || memcmp(lines[5], EM_DASH " ", dash) ||
	    memcmp(lines[5] + dash, lines[0], lens[0]) || lines[5][dash + lens[0]] != ' ')
		return diag_error_at(BRAIN_DATA, name, 6, "bad signature line");
	if (unbase64(lines[5] + dash + lens[0] + 1, lens[5] - dash - lens[0] - 1, blob, 68))
		return diag_error_at(BRAIN_DATA, name, 6, "bad signature");
	memcpy(cp->key_id, blob, 4);
	memcpy(cp->sig, blob + 4, 64);
	return BRAIN_OK;
}

enum brain_status checkpoint_verify(const struct checkpoint *cp, const char *pubkey_path)
{
	EVP_PKEY *key = read_key(pubkey_path, 0);
	unsigned char pub[32], id[4];
	size_t publen = 32;
	EVP_MD_CTX *ctx;
	char chain[65];
	char *body;
	int ok;

	if (!key)
		return BRAIN_IO;
	if (EVP_PKEY_get_raw_public_key(key, pub, &publen) <= 0) {
		EVP_PKEY_free(key);
		return diag_error(BRAIN_IO, "cannot read the public key '%s'", pubkey_path);
	}
	checkpoint_key_id(cp->origin, pub, id);
	if (memcmp(id, cp->key_id, 4)) {
		EVP_PKEY_free(key);
		return BRAIN_NO;
	}
	memcpy(chain, cp->chain, 65);
	body = checkpoint_body(cp->origin, cp->size, cp->root, chain);
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) > 0 &&
	     EVP_DigestVerify(ctx, cp->sig, 64, (const unsigned char *)body, strlen(body)) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	free(body);
	return ok ? BRAIN_OK : BRAIN_NO;
}
