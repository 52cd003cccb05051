/*
 * checkpoint.h - signed checkpoints of the audit log (C2SP signed-note
 * and tlog-checkpoint form) and their Ed25519 keys.
 *
 * A checkpoint of the log at size n is the note
 *
 *     <origin>\n<n>\n<base64 Merkle root of lines 1..n>\nchain <hex h_n>\n
 *     \n
 *     — <origin> <base64(key id || Ed25519 signature of the text above)>\n
 *
 * key id = the first 4 bytes of SHA-256(origin || 0x0A || 0x01 || public
 * key).  The verifier is always handed the public key by the operator; a
 * key named inside the state directory is never trusted.
 *
 * Keys are PEM files: the private key PKCS#8 (mode 0600), the public key
 * SubjectPublicKeyInfo, so `openssl pkeyutl -verify -rawin -pubin` can
 * check a signature with nothing of ours.
 */
#ifndef BRAIN_CHECKPOINT_H
#define BRAIN_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct checkpoint {
	char origin[256];          /* log origin */
	uint64_t size;             /* n */
	unsigned char root[32];    /* Merkle root of lines 1..n */
	char chain[65];            /* hex h_n */
	unsigned char key_id[4];   /* from the signature line */
	unsigned char sig[64];     /* Ed25519 signature */
};

/* Create a key pair: private key at path (0600, refused if it exists) and
 * public key at path.pub.  BRAIN_IO on failure (reported). */
enum brain_status checkpoint_keygen(const char *path);

/* The signed text ("body") of a checkpoint: the four lines.  Caller frees. */
char *checkpoint_body(const char *origin, uint64_t size, const unsigned char root[32],
		      const char *chain_hex);

/* Sign a checkpoint with the private key file; the whole note in *note
 * (caller frees). */
enum brain_status checkpoint_sign(const char *key_path, const char *origin,
				  uint64_t size, const unsigned char root[32],
				  const char *chain_hex, char **note);

/* Parse a note (BRAIN_DATA, reported with name, when malformed). */
enum brain_status checkpoint_parse(const char *text, size_t len, const char *name,
				   struct checkpoint *cp);

/* Check the signature and key id of a parsed note against the public key
 * file: BRAIN_OK, BRAIN_NO (no match: reported), BRAIN_IO (key unreadable). */
enum brain_status checkpoint_verify(const struct checkpoint *cp, const char *pubkey_path);

/* Key id for origin and a raw 32-byte public key. */
void checkpoint_key_id(const char *origin, const unsigned char pub[32],
		       unsigned char id[4]);

#endif
