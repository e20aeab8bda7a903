/*
 * faults.h - the object faults of rpki-repogen (-faults, issue 4): each
 * a known way for an RPKI object or a publication point to be wrong,
 * injected into a victim chosen from the seed, together with what a
 * correct validator makes of it.
 *
 * faults_apply() picks the victims - member CAs without children, a
 * different one for each fault that spoils a whole CA, a ROA of its own
 * for each fault that spoils one object - and adds to the plan what
 * some faults need (extra ROAs, a chain of CAs below a member, a
 * certificate back up the tree).  While the publication points are
 * written, pubpoint.c calls the hooks below, which change only the
 * victims.  expected.c leaves out what faults_ca_dropped() and
 * faults_roa_dropped() say a correct validator leaves out, and
 * faults_write() explains each fault in DIR/expected/faults.txt.
 * faults.c holds the catalogue and the expected side, faults_inject.c
 * the victims, the plan changes and the hooks.  See
 * tests/repogen/README.md, "Faults".
 */
#ifndef REPOGEN_FAULTS_H
#define REPOGEN_FAULTS_H

#include <stdint.h>
#include <stdio.h>

#include "objects.h"
#include "repogen.h"

enum fault_id {
	FAULT_EXPIRED_CA,
	FAULT_NOTYET_CA,
	FAULT_OVERCLAIM,
	FAULT_EXPIRED_EE,
	FAULT_NOTYET_EE,
	FAULT_REVOKED_EE,
	FAULT_MFT_HASH,
	FAULT_MFT_MISSING,
	FAULT_MFT_UNLISTED,
	FAULT_STALE_MFT,
	FAULT_STALE_CRL,
	FAULT_BAD_SIG,
	FAULT_WRONG_CTYPE,
	FAULT_NO_CTYPE_ATTR,
	FAULT_MAXLEN_SHORT,
	FAULT_AS0_ROA,
	FAULT_DUP_ROA,
	FAULT_CA_LOOP,
	FAULT_DEEP_CHAIN,
	FAULT_BER_LENGTH,
	FAULT_OVERSIZED,
	FAULT_CA_BAD_SIG,
	FAULT_CRL_BAD_SIG,
	FAULT_MFT_BAD_SIG,
	FAULT_REVOKED_MFT,
	FAULT_ROA_OVERCLAIM,
	FAULT_EE_OVERCLAIM,
	FAULT_CA_SHRINK,
	FAULT_FUTURE_MFT,
	FAULT_FUTURE_CRL,
	FAULT_ASPA_OVERCLAIM,
	FAULT_ASPA_SELF,
	FAULT_ROUTER_OVERCLAIM,
	FAULT_UNKNOWN_TYPE,
	FAULT_CRLDP_OTHER,
	FAULT_EE_INHERIT,
	FAULT_N
};

#define FAULT_NO_ROA	UINT32_MAX

/*
 * Deepest CA below its TA that validators accept: rpki-client 8 drops
 * what is deeper (found by experiment, tests/README.md "Chain depth";
 * FORT's limit is 32).  No RFC sets one.
 */
#define FAULT_DEPTH_MAX	12

/* Where one fault went (indices into the plan). */
struct fault_victim {
	uint32_t	 ca;		/* the CA publishing the victim */
	uint32_t	 roa;		/* its ROA (or the one copied), or none */
	uint32_t	 extra;		/* what the fault added to ca: a
					   ROA, ASPA or router certificate */
	uint32_t	 first, n;	/* deep-chain: the CAs it added */
};

struct faults {
	uint8_t		 on[FAULT_N];
	struct fault_victim v[FAULT_N];
	struct rg_range	 over4;		/* overclaim: the victim's IPv4 */
	struct rg_range	 ee_over4;	/* ee-overclaim: EE IPv4 */
	struct rg_range	 shrink4;	/* ca-shrink: the CA's IPv4 */
	struct rg_prefix over_pfx;	/* roa-overclaim: the prefix added */
	uint32_t	 over_before;	/* the ROA's prefixes before it */
};

/* How the faults of one signed object change it (faults_object). */
struct fault_obj {
	const char	*oid;		/* eContentType */
	const uint8_t	*ec;		/* eContent */
	size_t		 eclen;
	unsigned	 cms;		/* CMS_FAULT_* for cms_sign */
	int		 listed;	/* on the manifest */
	uint8_t		*buf;		/* owned: a replaced eContent */
	char		 crldp[RG_URI_MAX];	/* a replaced CRL URI */
};

/* 1 if fault k is asked for in f (which may be NULL) and CA ca is its victim. */
static inline int
faults_on(const struct faults *f, enum fault_id k, size_t ca)
{
	return f != NULL && f->on[k] && f->v[k].ca == ca;
}

/* An IPv4 address (4 octets) as a number. */
static inline uint32_t
faults_v4(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	    (uint32_t)a[2] << 8 | a[3];
}

/* v as an IPv4 address (4 octets) into a. */
static inline void
faults_v4_put(uint8_t *a, uint32_t v)
{
	int	i;

	for (i = 0; i < 4; i++)
		a[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* The last address of IPv4 prefix p. */
static inline uint32_t
faults_v4_end(const struct rg_prefix *p)
{
	return faults_v4(p->addr) | (p->plen == 0 ? UINT32_MAX :
	    (uint32_t)((1ULL << (32 - p->plen)) - 1));
}

/* How many CAs CA ca is below its TA: 0 for a TA. */
static inline size_t
faults_depth(const struct plan *pl, size_t ca)
{
	size_t d = 0;

	while (pl->cas[ca].parent >= 0) {
		ca = (size_t)pl->cas[ca].parent;
		d++;
	}
	return d;
}

/*
 * Fault k's name; 1 if it needs a member CA of its own; 1 if it adds an
 * ASPA (or a router certificate, or a file) to a member CA, one of its
 * own, that has none (faults.c).
 */
const char *faults_name(enum fault_id k);
int	faults_whole_ca(enum fault_id k);
int	faults_aspa(enum fault_id k);
int	faults_adds(enum fault_id k);

/*
 * Parse list ("all", or names separated by commas) into f (zeroed
 * first).  Returns 0, or -1 with a message naming the valid faults in e.
 */
int	faults_select(struct faults *f, const char *list, struct err *e);

/* 1 if f asks for any fault. */
int	faults_any(const struct faults *f);

/* Every fault's name and what it is, for -h. */
void	faults_usage(FILE *fp);

/*
 * Pick the victims of f in pl (built by plan_build, generation 1) from
 * the seed, add what the faults need to pl, and point pl->faults at f,
 * which must outlive pl.  Returns 0, or -1 with the reason in e (too
 * few member CAs or ROAs for the faults asked for, out of memory).
 */
int	faults_apply(struct faults *f, struct plan *pl, struct err *e);

/*
 * Hooks of pubpoint.c; each does nothing when pl->faults is NULL or the
 * object is no victim.
 *
 * faults_cert: before CA ca signs s, the certificate of its child ch
 * (expired-ca, notyet-ca, overclaim, ca-loop).
 */
void	faults_cert(const struct plan *pl, size_t ca, size_t ch,
	    struct cert_spec *s);

/*
 * faults_object: before CA ca signs the object name around ec with the
 * EE certificate s: fills fo from oid, ec, eclen and listed as this
 * object's faults change them, and may change s.  Returns 0 (free fo
 * with faults_object_free), or -1 with the reason in e.
 */
int	faults_object(const struct plan *pl, size_t ca, const char *name,
	    struct cert_spec *s, const char *oid, const uint8_t *ec,
	    size_t eclen, int listed, struct fault_obj *fo, struct err *e);
void	faults_object_free(struct fault_obj *fo);

/*
 * faults_bad_sig: 1 if the file name CA ca publishes is to have its
 * signature spoilt once signed (ca-bad-sig, crl-bad-sig, mft-bad-sig).
 */
int	faults_bad_sig(const struct plan *pl, size_t ca, const char *name);

/*
 * faults_extra_file: the name (of namelen bytes at most) and bytes of a
 * file CA ca publishes and lists besides its objects (unknown-type), or
 * 0 if none.
 */
int	faults_extra_file(const struct plan *pl, size_t ca, char *name,
	    size_t namelen, const uint8_t **der, size_t *len);

/*
 * faults_times: the validity of CA ca's CRL and manifest (and the
 * manifest's EE), given as crl and mft: stale-crl, stale-mft,
 * future-crl, future-mft.
 */
void	faults_times(const struct plan *pl, size_t ca, struct rg_times *crl,
	    struct rg_times *mft);

/*
 * faults_manifest: once f[0..n), CA ca's manifest entries, are complete
 * and the files written to dir: mft-hash spoils one hash, mft-missing
 * removes one listed file.  Returns 0, or -1 with the reason in e.
 */
int	faults_manifest(const struct plan *pl, size_t ca, const char *dir,
	    struct mft_entry *f, size_t n, struct err *e);

/*
 * For expected.c: 1 if a correct validator outputs nothing of CA ca
 * (its certificate or one of its ancestors' is rejected, its
 * publication point fails, or it is deeper than validators go), nothing
 * of ROA i of CA ca, or nothing of its ASPA i or router certificate i.
 */
int	faults_ca_dropped(const struct plan *pl, size_t ca);
int	faults_roa_dropped(const struct plan *pl, size_t ca, size_t i);
int	faults_aspa_dropped(const struct plan *pl, size_t ca, size_t i);
int	faults_router_dropped(const struct plan *pl, size_t ca, size_t i);

/*
 * Write outdir/expected/faults.txt: per fault its name, victim (an
 * rsync URI), expected effect and the RFC section deciding it, tab
 * separated.  Returns 0, or -1 with e.
 */
int	faults_write(const struct faults *f, const struct plan *pl,
	    const char *outdir, struct err *e);

#endif
