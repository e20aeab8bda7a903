/*
 * keypool.h - the RSA-2048 keys of rpki-repogen, generated once and
 * cached in a file.
 *
 * RSA key generation takes about 100 ms per key here, signing under one;
 * a repository of a thousand CAs would spend most of its time making keys.
 * OpenSSL's RSA key generation cannot be seeded, so instead of deriving
 * keys from the seed the pool is a file of PEM private keys (PKCS #8)
 * that grows when a run needs more keys than it holds and is reused by
 * every later run.  Key number i always goes to the same role (see
 * plan.c: EE keys first, then one key per CA in plan order), so the same
 * seed, parameters and pool give byte-identical output; with another pool
 * only the keys and signatures differ, never the content.
 *
 * The file is written whole under a temporary name and renamed, so a
 * concurrent run sees either the old pool or the new one.
 */
#ifndef REPOGEN_KEYPOOL_H
#define REPOGEN_KEYPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>

#include "err.h"
#include "vrp.h"

struct keypool {
	EVP_PKEY	**keys;
	uint8_t		(*ski)[SKI_LEN];	/* RFC 6487 4.8.2 of each */
	size_t		  n;
};

/*
 * The default pool file: $XDG_CACHE_HOME/rpki-repogen/rsa2048.pem, else
 * $HOME/.cache/rpki-repogen/rsa2048.pem, written into buf of size len.
 * Returns 0, or -1 if neither variable is set.
 */
int	keypool_default_path(char *buf, size_t len);

/*
 * Load the first need keys of path, generating the missing ones with
 * nthreads threads and saving the grown pool (progress goes to logfp if
 * not NULL).  Returns 0 and fills kp (free with keypool_free), or -1 with
 * the reason in e.
 */
int	keypool_open(struct keypool *kp, const char *path, size_t need,
	    int nthreads, FILE *logfp, struct err *e);

void	keypool_free(struct keypool *kp);

#endif
