/*
 * walk.h - top-down validation of a repository cache, from the trust
 * anchors of TALs to the validated payloads (VRPs, ASPAs, router keys).
 *
 * Each CA's publication point is one job: its manifest, CRL and every
 * file the manifest lists (RFC 9286 section 6), then its products; a
 * valid child CA becomes a new job.  Jobs run on a pool of threads; the
 * payloads are sets, so the result does not depend on the order or the
 * thread count.  Every rejected object gets one diagnostic on the data
 * channel naming the file, the rule and what was wrong.
 */
#ifndef VALIDATOR_WALK_H
#define VALIDATOR_WALK_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "log.h"
#include "vrpset.h"

struct sync;
struct tal;

/* What a run checks and how. */
struct walk_config {
	const char	*cache;		/* root of the rsync-layout cache */
	const char	*keep;		/* last valid copies (same layout), or
					   NULL: none kept, none used */
	int64_t		 now;		/* validation time, unix seconds */
	int		 threads;	/* >= 1 */
	unsigned	 max_depth;	/* CAs below a TA */
	size_t		 max_file;	/* bytes per object file */
	size_t		 max_mft_files;	/* entries per manifest */
	int		 strict_manifests; /* a failed manifest drops the CA */
	int		 strict_hash;	/* a missing/mismatched file does */
	int		 strict_crl;	/* a stale CRL does */
	struct sync	*sync;		/* fetch each CA's repository (RRDP
					   or rsync module) and each TA
					   certificate first, or NULL: the
					   cache as it is */
	const atomic_int *cancel;	/* NULL, or once set (another thread:
					   server mode's SIGTERM) no new
					   publication point is started and
					   the run fails */
	struct memo	*memo;		/* ROAs validated before (memo.h),
					   or NULL: each validated in full */
	struct logger	*lg;
};

/* The kinds of object counted in the run summary. */
enum walk_type {
	WT_TA,
	WT_CA,		/* CA certificates below a TA */
	WT_ROUTER,
	WT_MFT,
	WT_CRL,
	WT_ROA,
	WT_ASPA,
	WT_GBR,
	WT_OTHER,	/* files of no type we process */
	WT_N,
};

/* Why an object was rejected. */
enum walk_reason {
	WR_PARSE,	/* encoding or profile (RFC 6487, 6488, 9286 ...) */
	WR_SIGNATURE,	/* does not verify with its issuer's key */
	WR_TIME,	/* expired, not yet valid, stale */
	WR_REVOKED,
	WR_RESOURCES,	/* outside its issuer's resources */
	WR_ISSUER,	/* AKI, depth limit, loop */
	WR_MISSING,	/* listed on the manifest, not in the cache */
	WR_HASH,	/* not the content the manifest lists */
	WR_LOCATION,	/* its EE's signedObject names another file */
	WR_PUBPOINT,	/* dropped with its failed publication point */
	WR_N,
};

struct walk_stats {
	size_t		 valid[WT_N];
	size_t		 invalid[WT_N][WR_N];
	size_t		 pubpoints;		/* processed */
	size_t		 pubpoints_failed;	/* nothing of it used */
	size_t		 pubpoints_kept;	/* the last valid copy used */
	size_t		 fetched;		/* -sync: rsync modules and
						   TA files fetched */
	size_t		 fetch_failed;		/* and failed */
	size_t		 rrdp_fetched;		/* -sync: RRDP repositories
						   brought up to date */
	size_t		 rrdp_snapshots;	/* of those, by a snapshot */
	size_t		 rrdp_deltas;		/* of those, by deltas */
	size_t		 rrdp_failed;		/* failed (rsync instead) */
	size_t		 memo_reused;		/* -memo: ROAs unchanged */
	size_t		 memo_added;		/* ROAs remembered */
	size_t		 vrps;			/* before de-duplication */
	size_t		 aspas;
	size_t		 router_keys;
};

/*
 * Validate the cache from the trust anchors of tals[0..ntals), naming
 * each one's payloads by its TAL name in ta_names.  Returns the set of
 * validated payloads (vrpset_unref it) and fills st; or NULL with the
 * reason in e for a failure of the program (out of memory, no thread,
 * cancelled by cfg->cancel), never for bad data.
 */
struct vrpset	*walk_run(const struct walk_config *cfg,
		    struct tal *const *tals, const char *const *ta_names,
		    size_t ntals, struct walk_stats *st, struct err *e);

/* "TA", "CA", "router", "manifest" ... and "parse", "signature" ... */
const char	*walk_type_name(enum walk_type t);
const char	*walk_reason_name(enum walk_reason r);

#endif
