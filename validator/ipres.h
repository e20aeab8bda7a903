/*
 * ipres.h - RFC 3779 IP address and AS number resources of a resource
 * certificate, held compactly for containment checks.
 *
 * A set has three kinds of resources: IPv4 addresses, IPv6 addresses and
 * AS numbers.  Each kind is absent, "inherit" (the issuer's resources of
 * that kind, RFC 3779 sections 2.2.3.5 and 3.2.3.3) or a sorted array of
 * inclusive, non-overlapping, non-adjacent ranges.  Addresses are 16
 * bytes in network byte order; an IPv4 address uses the first 4 and the
 * rest are zero (as in struct vrp), so one memcmp orders both families.
 * Lookups are binary searches: a CA may hold thousands of ranges.
 */
#ifndef VALIDATOR_IPRES_H
#define VALIDATOR_IPRES_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "err.h"

/* The kinds of resources, as indices and as bits of present/inherit. */
enum ipres_kind {
	IPRES_V4 = 0,
	IPRES_V6 = 1,
	IPRES_AS = 2,
	IPRES_KINDS = 3,
};

#define IPRES_BIT(k)	(1u << (k))

/* An inclusive address range [lo, hi]. */
struct ipres_range {
	uint8_t		lo[16];
	uint8_t		hi[16];
};

/* An inclusive AS number range [lo, hi]. */
struct asres_range {
	uint32_t	lo;
	uint32_t	hi;
};

struct ipres {
	struct ipres_range	*addr[2];	/* [IPRES_V4], [IPRES_V6] */
	size_t			 naddr[2];
	struct asres_range	*as;
	size_t			 nas;
	unsigned		 present;	/* IPRES_BIT: kind is named */
	unsigned		 inherit;	/* IPRES_BIT: kind is inherit */
	unsigned		 inherited;	/* IPRES_BIT: copied from the
						   issuer by ipres_inherit */
};

/*
 * Decode the sbgp-ipAddrBlock and sbgp-autonomousSysNum extensions among
 * a certificate's extensions exts (RFC 3779; NULL: none) into a new
 * set.  Checks: each extension at most once and critical (RFC 6487
 * sections 4.8.10, 4.8.11), AFI 1 or 2 without SAFI (4.8.10), no RDI
 * (4.8.11), AS numbers of 32 bits, canonical form (RFC 3779 sections
 * 2.2.3.6, 3.2.3.4).  A certificate with neither extension
 * gives an empty set (present == 0); whether that is allowed is the
 * caller's profile check.  Returns the set (free with ipres_free), or
 * NULL with a diagnostic naming fn in e.
 */
struct ipres	*ipres_parse(const char *fn,
		    const STACK_OF(X509_EXTENSION) *exts, struct err *e);

/* Free a set; NULL is a no-op. */
void		 ipres_free(struct ipres *res);

/*
 * Whether child's resources lie within parent's (RFC 3779 sections 2.3
 * and 3.3; RFC 6487 section 7.2).  A kind the child inherits is the
 * parent's and so always contained; a kind the child lists explicitly
 * must lie in the parent's ranges of that kind, and parent must not
 * still inherit it (resolve it first with ipres_inherit).  Returns 1 if
 * contained, 0 if not, with a diagnostic naming fn and the first range
 * outside in e.
 */
int		 ipres_contains(const char *fn, const struct ipres *parent,
		    const struct ipres *child, struct err *e);

/*
 * Replace each kind child inherits by a copy of parent's ranges of that
 * kind, so the set holds its effective resources and its own children
 * and objects can be checked against it.  The resolved kinds move from
 * inherit to inherited.  A kind parent still inherits is an error.
 * Returns 0, or -1 with the reason in e (also on out of memory).
 */
int		 ipres_inherit(struct ipres *child, const struct ipres *parent,
		    struct err *e);

/*
 * Whether the prefix addr/plen of afi (AFI_IPV4 or AFI_IPV6, addr as in
 * struct ipres_range) lies within one range of res.  0 for a kind res
 * inherits and has not resolved, or does not have.
 */
int		 ipres_covers(const struct ipres *res, uint8_t afi,
		    const uint8_t addr[16], uint8_t plen);

/*
 * Whether the address range [lo, hi] of afi lies within one range of res.
 */
int		 ipres_covers_range(const struct ipres *res, uint8_t afi,
		    const uint8_t lo[16], const uint8_t hi[16]);

/* Whether AS number asn lies within one AS range of res. */
int		 asres_covers(const struct ipres *res, uint32_t asn);

/*
 * Write "lo-hi" (or "a.b.c.d/n" where the range is one prefix) for an
 * address range of afi into buf of IPRES_RANGE_STRLEN bytes.  Returns buf.
 */
#define IPRES_RANGE_STRLEN	(2 * 46 + 2)
char		*ipres_range_text(uint8_t afi, const struct ipres_range *r,
		    char *buf);

#endif
