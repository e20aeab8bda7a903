/*
 * mft.h - RPKI manifests (RFC 9286): the signed list of the files at a
 * publication point and their SHA-256 hashes.
 */
#ifndef VALIDATOR_MFT_H
#define VALIDATOR_MFT_H

#include <stddef.h>
#include <stdint.h>

#include "cms.h"
#include "err.h"

/* RFC 9286 section 4.2.1: manifestNumber fits in 20 octets. */
#define MFT_NUMBER_MAX	20
#define MFT_HASH_LEN	32		/* SHA-256 */

struct mft_file {
	char		*name;		/* checked per section 4.2.2 */
	uint8_t		 hash[MFT_HASH_LEN];
};

/*
 * A decoded manifest.  number holds manifestNumber as a big-endian
 * magnitude of number_len bytes (0 for the value zero) and number_hex
 * its uppercase hex ("0" for zero).  Times are unix seconds, not yet
 * compared with the clock.  files keeps the order of the fileList.
 * cms carries the EE certificate and signing time (its econtent is
 * NULL: the eContent has been decoded); it is zeroed when the manifest
 * came from mft_parse_econtent.
 */
struct mft {
	uint8_t			 number[MFT_NUMBER_MAX];
	size_t			 number_len;
	char			 number_hex[2 * MFT_NUMBER_MAX + 1];
	int64_t			 this_update;
	int64_t			 next_update;
	struct mft_file		*files;
	size_t			 nfiles;
	struct cms_object	 cms;
};

/*
 * Parse the manifest der/len of file fn: the RFC 6488 envelope with
 * eContentType id-ct-rpkiManifest, then the eContent.  Returns the
 * manifest (free with mft_free), or NULL with one sentence in e.
 */
struct mft	*mft_parse(const char *fn, const uint8_t *der, size_t len,
		    struct err *e);

/*
 * Decode and check a bare Manifest eContent (RFC 9286 section 4.2).
 * Returns the manifest (free with mft_free; its cms is empty), or NULL
 * with one sentence in e.
 */
struct mft	*mft_parse_econtent(const char *fn, const uint8_t *der,
		    size_t len, struct err *e);

/*
 * Compare the manifestNumbers of a and b: <0, 0, >0.
 */
int		 mft_number_cmp(const struct mft *a, const struct mft *b);

/*
 * The entry of m named name, or NULL.
 */
const struct mft_file *mft_find(const struct mft *m, const char *name);

/* Free m and everything it owns.  Accepts NULL. */
void		 mft_free(struct mft *m);

#endif
