/*
 * walk_impl.h - what walk.c (the pool of jobs), pubpoint.c (one
 * publication point) and products.c (the objects on it) share.
 */
#ifndef VALIDATOR_WALK_IMPL_H
#define VALIDATOR_WALK_IMPL_H

#include <pthread.h>

#include "cert.h"
#include "crl.h"
#include "walk.h"

struct tal;

/* Longest chain of CA key identifiers a job carries (loop detection). */
#define WALK_DEPTH_HARD	64

/*
 * One publication point to process: the CA certificate (resources
 * resolved against its issuer's), its trust anchor, its depth below the
 * TA (0 for the TA), the earliest notAfter of its chain, and the key
 * identifiers of the CAs above it and of itself, to refuse loops.  The
 * CA's certificate file is ca->fn, the URI it was read from; a trust
 * anchor's job also has its TAL, whose URIs all name that certificate
 * (RFC 8630 section 2.2): its children's caIssuers may name any of them.
 */
struct job {
	struct cert	*ca;
	const struct tal *tal;	/* a TA's job: its TAL; else NULL */
	uint32_t	 ta;
	unsigned	 depth;
	int64_t		 expires;
	uint8_t		 (*chain)[SKI_LEN];	/* [0 .. depth] */
	struct job	*next;
};

struct walk;

/* One worker thread's state: its own payload builder and counters. */
struct worker {
	struct walk		*w;
	const struct walk_config *cfg;
	struct vrpset_builder	*b;
	struct walk_stats	 st;
	int			 oom;
};

/*
 * What a publication point gives its objects: the CA's job, its CRL,
 * and the expiry of anything validated under it (the chain's, the CRL's
 * and the manifest's).
 */
struct ppctx {
	struct worker		*wk;
	const struct job	*j;
	const struct crl	*crl;
	int64_t			 expires;
	uint8_t			 ca_key[32];	/* SHA-256 of the CA's key
						   bits, if cfg->memo */
};

/* walk.c */

/*
 * Queue a child CA of job parent (takes ca).  Returns 0, or -1 (out of
 * memory: ca is freed and the worker marked).
 */
int	walk_push(struct worker *wk, const struct job *parent, struct cert *ca);

/* Log one rejected object (e->msg) and count it. */
void	walk_reject(struct worker *wk, enum walk_type t, enum walk_reason r,
	    const struct err *e);

/* pubpoint.c */

/* Process the publication point of job j. */
void	pubpoint_process(struct worker *wk, const struct job *j);

/* products.c */

/*
 * Validate the file fn (rsync URI) of the publication point, der/len,
 * whose SHA-256 is hash (the one the manifest lists), as the type its
 * name gives, and add what it yields to the worker's payloads (a child
 * CA is queued).  The CRL and manifest are not passed here.
 */
void	product_process(struct ppctx *pc, const char *fn, const uint8_t *der,
	    size_t len, const uint8_t hash[32]);

/*
 * Check c, issued by the CA of pc (an EE of a signed object, a router
 * or child CA certificate): issuer key identifier, signature, validity
 * at now, not revoked, resources within the CA's (resolving inherit).
 * A caIssuers that does not name the CA's certificate file (RFC 6487
 * section 4.8.7) is said on the data channel, not rejected.  Returns 0,
 * or -1 with the reason in *r and e.
 */
int	issued_check(struct ppctx *pc, struct cert *c, enum walk_reason *r,
	    struct err *e);

/*
 * The part of issued_check whose answer can change while c does not
 * (memo.h): validity at now, the CRL, the resources, caIssuers.
 */
int	issued_context_check(struct ppctx *pc, struct cert *c,
	    enum walk_reason *r, struct err *e);

/*
 * RFC 6487 section 4.8.8.2: whether ee, the EE certificate of the signed
 * object read from uri, names that file as its signedObject.  Returns 0,
 * or -1 with the diagnostic in e.
 */
int	signedobj_check(const struct cert *ee, const char *uri,
	    struct err *e);

#endif
