/*
 * memo.h - what earlier runs proved about ROAs and ASPAs that have not
 * changed, so a run redoes only the checks whose answer can change.
 *
 * A ROA's (or ASPA's) bytes, the key of the CA that issued its EE
 * certificate and the URI it was read from decide everything about it
 * except five things: whether the EE certificate is within its
 * validity period now, whether the CA's current CRL revokes it, whether
 * its resources are within the CA's current ones (and what "inherit"
 * resolves to), and whether its caIssuers and cRLDistributionPoints
 * still name the CA's certificate and CRL (those two only said).  A ROA
 * that passed every check once is remembered under the SHA-256 of those
 * three things (memo_key), with what the five checks need and its
 * payloads.  When the same key comes again, the caller redoes the five
 * checks on what the memo gives back (a struct
 * cert and a struct roa as the full path would have made them) instead
 * of decoding the object and verifying its two signatures again.  ASPAs
 * the same way (an aspa_obj instead of a roa).
 *
 * The memo is a file (by default CACHE/.memo), written atomically at the
 * end of a run with the entries that run used or added; entries no run
 * used are dropped.  A file written by another build of the validator
 * (fingerprint), or that is damaged, is ignored whole: the run then
 * validates everything in full.  Its trailer is the HMAC-SHA-256, under
 * a key the caller derives from its signing key, of the SHA-256 of the
 * rest: whoever can write the cache but not read the signing key cannot
 * make the memo say what a ROA does not (without a key, the trailer is
 * that SHA-256 alone, and the memo is as trusted as the cache).
 *
 * Thread safety: memo_*_get and memo_*_put may be called from any
 * number of threads at once; memo_open, memo_save and memo_free may not
 * run at the same time as anything else on the same memo.
 */
#ifndef VALIDATOR_MEMO_H
#define VALIDATOR_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "aspa.h"
#include "cert.h"
#include "err.h"
#include "roa.h"

#define MEMO_KEY_LEN	32
#define MEMO_FP_LEN	32
#define MEMO_MAC_LEN	32

/* Largest memo file read; a bigger one is ignored. */
#define MEMO_FILE_MAX	((size_t)1 << 30)

struct memo;

/*
 * The key of the object read from uri whose bytes have SHA-256
 * file_hash, issued by the CA whose key (the subjectPublicKey bits) has
 * SHA-256 ca_key.
 */
void		 memo_key(const uint8_t file_hash[32], const uint8_t ca_key[32],
		    const char *uri, uint8_t key[MEMO_KEY_LEN]);

/*
 * The memo stored at path, made by the build with fingerprint fp, its
 * trailer keyed with mac_key (NULL: none).  A missing file gives an
 * empty memo; a file of another build, or one that is damaged or was
 * written with another key, gives an empty memo and the reason in *why
 * (a static string; NULL if the file was used or missing).  Returns
 * NULL only if out of memory.
 */
struct memo	*memo_open(const char *path, const uint8_t fp[MEMO_FP_LEN],
		    const uint8_t *mac_key, const char **why);

/*
 * The ROA remembered under key, as ee (fn set to uri; no decoded
 * certificate or key; resources as the certificate states them, inherit
 * unresolved) and roa (no CMS object).  Returns 1 (free both with
 * cert_free and roa_free), 0 if there is none, -1 if out of memory.
 */
int		 memo_roa_get(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
		    const char *uri, struct cert **ee, struct roa **roa);

/*
 * Remember roa and its EE certificate ee under key: both passed every
 * check.  ee's resources may have had inherit resolved (ipres_inherit):
 * what was inherited is stored as inherit.  Out of memory is not an
 * error: the memo is then not saved.
 */
void		 memo_roa_put(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
		    const struct cert *ee, const struct roa *roa);

/* The same for an ASPA (free with aspa_obj_free). */
int		 memo_aspa_get(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
		    const char *uri, struct cert **ee, struct aspa_obj **a);
void		 memo_aspa_put(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
		    const struct cert *ee, const struct aspa_obj *a);

/* Entries found and entries added so far. */
void		 memo_counts(const struct memo *m, size_t *hits, size_t *added);

/*
 * Write the entries used or added to the memo's path, atomically.
 * Nothing is written if the file would be the same.  Returns 0, or -1
 * with the reason in e.
 */
int		 memo_save(struct memo *m, struct err *e);

/* Free m; NULL is a no-op. */
void		 memo_free(struct memo *m);

#endif
