/*
 * vrpset.h - immutable, sorted, de-duplicated sets of validated payloads,
 * and the diff between two sets.
 *
 * A set is built once with a builder, then never changes: it may be read
 * from several threads and shared by reference (vrpset_ref/vrpset_unref).
 * VRPs, ASPAs and router keys each sit in one flat array sorted by their
 * identity, so that diff() is a single merge and lookups are binary
 * searches.  The orders are a contract callers may rely on: VRPs by
 * vrp_cmp() (AFI, address bytes, prefix length, maxLength, ASN), ASPAs by
 * customer AS, router keys by rkey_cmp() (ASN, SKI, SPKI bytes).
 *
 * Identity and folding:
 *  - VRP: (AFI, prefix, plen, maxLength, ASN).  Duplicates fold into one,
 *    keeping the latest expiry and the TA whose name sorts first.
 *  - ASPA: the customer AS.  Several ASPAs for one customer fold into one
 *    whose providers are the union of theirs (as rpki-client does).
 *  - Router key: (ASN, SKI, SubjectPublicKeyInfo).
 */
#ifndef COMMON_VRPSET_H
#define COMMON_VRPSET_H

#include <stddef.h>
#include <stdint.h>

#include "vrp.h"

struct vrpset {
	struct vrp	*vrps;
	size_t		 nvrps;
	struct aspa	*aspas;
	size_t		 naspas;
	uint32_t	*providers;	/* pool for aspas[i].prov_* */
	size_t		 nproviders;
	struct rkey	*rkeys;
	size_t		 nrkeys;
	uint8_t		*spki;		/* pool for rkeys[i].spki_* */
	size_t		 spkilen;
	char		**tas;		/* TA names, index = vrp.ta etc. */
	size_t		 ntas;
	unsigned int	 refs;		/* see vrpset_ref() */
};

struct vrpset_builder;

/* A new, empty builder, or NULL on out of memory. */
struct vrpset_builder	*vrpset_builder_new(void);

/* Free a builder that was not passed to vrpset_build().  NULL is fine. */
void	vrpset_builder_free(struct vrpset_builder *);

/*
 * Intern a trust-anchor name and return its index for the add functions
 * below, or -1 on out of memory (or more than 65535 names).
 */
int	vrpset_builder_ta(struct vrpset_builder *, const char *name);

/*
 * Add one entry; its ta field must come from vrpset_builder_ta().  The
 * entry is copied.  Return 0, or -1 on out of memory.
 */
int	vrpset_add_vrp(struct vrpset_builder *, const struct vrp *);
int	vrpset_add_aspa(struct vrpset_builder *, uint32_t customer,
	    const uint32_t *providers, size_t nproviders, uint16_t ta,
	    uint32_t expires);
int	vrpset_add_rkey(struct vrpset_builder *, uint32_t asn,
	    const uint8_t ski[SKI_LEN], const uint8_t *spki, size_t spkilen,
	    uint16_t ta, uint32_t expires);

/*
 * The VRPs added to b so far, in the order added (*n of them); valid
 * until the next add or vrpset_build.
 */
const struct vrp *vrpset_builder_vrps(const struct vrpset_builder *b,
	    size_t *n);

/*
 * Sort, fold duplicates and turn the builder into a set with one
 * reference.  The builder is consumed whether or not this succeeds.
 * Returns NULL on out of memory.
 */
struct vrpset	*vrpset_build(struct vrpset_builder *);

/* An empty set with one reference, or NULL on out of memory. */
struct vrpset	*vrpset_empty(void);

/*
 * Take another reference to s; returns s.  References are atomic, so a
 * set may be shared with and released by another thread (the metrics
 * endpoint); the set itself never changes.
 */
struct vrpset	*vrpset_ref(struct vrpset *s);

/* Drop a reference; the last one frees the set.  NULL is fine. */
void	vrpset_unref(struct vrpset *s);

/* Provider list and SPKI bytes of an entry of s. */
static inline const uint32_t *
vrpset_providers(const struct vrpset *s, const struct aspa *a)
{
	return s->providers + a->prov_off;
}

static inline const uint8_t *
vrpset_spki(const struct vrpset *s, const struct rkey *k)
{
	return s->spki + k->spki_off;
}

/* The ASPA of customer AS c in s (binary search), or NULL.  s may be NULL. */
const struct aspa	*vrpset_find_customer(const struct vrpset *s,
			    uint32_t c);

/* Name of trust anchor index ta in s ("" if out of range). */
const char	*vrpset_ta_name(const struct vrpset *s, uint16_t ta);

/*
 * Copy every entry of s into builder b (re-interning TA names), so a
 * caller can derive a new set from an old one (SLURM, diff apply).
 * Returns 0, or -1 on out of memory.
 */
int	vrpset_builder_add_set(struct vrpset_builder *b,
	    const struct vrpset *s);

/* 1 if a and b hold the same identities (TA and expiry ignored). */
int	vrpset_equal(const struct vrpset *a, const struct vrpset *b);

/* Compare two router keys / two ASPAs by identity (memcmp-like). */
int	rkey_cmp(const struct vrpset *sa, const struct rkey *a,
	    const struct vrpset *sb, const struct rkey *b);
int	aspa_cmp(const struct vrpset *sa, const struct aspa *a,
	    const struct vrpset *sb, const struct aspa *b);

/*
 * The difference from one set to another.  Announced entries are
 * those in new but not old; withdrawn are in old but not new, each kind
 * compared by its full identity - for an ASPA the customer and its whole
 * provider list, so an ASPA whose providers changed is in both lists
 * (old record withdrawn, new announced; RFC 8210bis sends that as one
 * announce, which replaces).  Diffs thus compose as set operations.  The
 * two halves are sets in their own right (sorted, TA names copied), so
 * they can be serialized like any other.
 */
struct vrpdiff {
	struct vrpset	*announced;
	struct vrpset	*withdrawn;
};

/*
 * Compute the diff from old to new in one O(n + m) merge.
 * Returns 0 and fills d (free with vrpdiff_free), or -1 on out of memory.
 */
int	vrpset_diff(const struct vrpset *old, const struct vrpset *new,
	    struct vrpdiff *d);

/* Number of changes in d (announced + withdrawn, all kinds). */
size_t	vrpdiff_count(const struct vrpdiff *d);

/* Release what d holds.  A zeroed d is fine. */
void	vrpdiff_free(struct vrpdiff *d);

/*
 * Compose d1 (A to B) and d2 (B to C) into out (A to C), in time linear
 * in their sizes (times log for lookups); nothing of A, B or C is needed.
 * Changes that cancel out (added then removed, removed then re-added)
 * vanish.  Returns 0, or -1 on out of memory.
 */
int	vrpdiff_compose(const struct vrpdiff *d1, const struct vrpdiff *d2,
	    struct vrpdiff *out);

/*
 * Apply d to old: the result holds old minus withdrawn plus announced.
 * Returns a new set with one reference, or NULL on out of memory.
 */
struct vrpset	*vrpset_apply(const struct vrpset *old,
		    const struct vrpdiff *d);

#endif
