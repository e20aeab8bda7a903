/*
 * vrpsign.h - the GoRTR/OctoRPKI signature over a VRP file.
 *
 * The scheme (GoRTR prefixfile): each ROA gives the string
 * "prefix,maxLength,asn," with asn as written in the file; the strings
 * are sorted bytewise and concatenated into S.
 *   d1 = SHA-256(S)
 *   d2 = SHA-256(generated "," S valid)     (decimal unix times)
 * metadata.signatureDate holds the hex DER ECDSA P-256 signature over d1
 * and metadata.signature the one over d2 (the names look swapped; that
 * is how GoRTR and OctoRPKI wrote them).  A file verifies when d1
 * verifies and, with time checks on, d2 verifies too and valid is in the
 * future.
 */
#ifndef COMMON_VRPSIGN_H
#define COMMON_VRPSIGN_H

#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>

#include "err.h"
#include "vrpfile.h"

/*
 * Load a PEM EC key on curve P-256: a public key (SubjectPublicKeyInfo,
 * "BEGIN PUBLIC KEY") or a private key ("BEGIN EC PRIVATE KEY" as made by
 * openssl ecparam -genkey, or PKCS#8).  Returns the key (EVP_PKEY_free
 * it), or NULL with the reason, naming path, in e.
 */
EVP_PKEY	*vrpsign_load_pubkey(const char *path, struct err *e);
EVP_PKEY	*vrpsign_load_privkey(const char *path, struct err *e);

/* Same, from PEM text in memory (name used in messages). */
EVP_PKEY	*vrpsign_pubkey_from_pem(const char *pem, size_t len,
		    const char *name, struct err *e);

/*
 * Compute d1 and d2 for the lines in sl (sorted here, sl is reordered)
 * and the given times.  Returns 0, or -1 on out of memory.
 */
int	vrpsign_digests(struct siglines *sl, int64_t generated,
	    int64_t valid, uint8_t d1[32], uint8_t d2[32]);

/*
 * Sign: set m->signature and m->signature_date (replacing any) for the
 * lines in sl and m->generated / m->valid, which must be set.  Returns 0,
 * or -1 with the reason in e.
 */
int	vrpsign_sign(EVP_PKEY *key, struct siglines *sl,
	    struct vrpfile_meta *m, struct err *e);

enum vrpsign_status {
	VRPSIGN_OK = 0,
	VRPSIGN_BAD,		/* signature missing, malformed or wrong */
	VRPSIGN_EXPIRED,	/* signatures good, valid is in the past */
};

/*
 * Check f (read with VRPFILE_SIGLINES) against key.  With checktime,
 * digest 2 must verify as well and metadata.valid must be later than now.
 * Returns the status, with a sentence in e for anything but VRPSIGN_OK.
 */
enum vrpsign_status	vrpsign_verify(EVP_PKEY *key, struct vrpfile *f,
			    int checktime, time_t now, struct err *e);

#endif
