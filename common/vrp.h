/*
 * vrp.h - validated payload types: VRPs, ASPAs and BGPsec router keys.
 *
 * These are plain values with no pointers, so that a set of them is one
 * array and needs no per-entry allocation.  Trust anchors are referred to
 * by a small index into the owning set's name table (see vrpset.h).
 */
#ifndef COMMON_VRP_H
#define COMMON_VRP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define AFI_IPV4	1
#define AFI_IPV6	2

#define ASN_MAX		4294967295ULL

/* Longest text form of a prefix: an IPv6 address, '/', three digits. */
#define PREFIX_STRLEN	(46 + 4)

/* Subject Key Identifier length (RFC 6487 section 4.8.2: SHA-1). */
#define SKI_LEN		20

/*
 * A Validated ROA Payload (RFC 6811, RFC 9582).  32 bytes.
 * addr holds the network in network byte order; for IPv4 only the first
 * four bytes are used and the rest are zero.  Bits past plen are zero.
 */
struct vrp {
	uint8_t		addr[16];
	uint32_t	asn;
	uint32_t	expires;	/* unix time, 0 if unknown */
	uint16_t	ta;		/* index into the set's TA names */
	uint8_t		afi;		/* AFI_IPV4 or AFI_IPV6 */
	uint8_t		plen;
	uint8_t		maxlen;
	uint8_t		pad[3];
};

/*
 * A Validated ASPA Payload: a customer AS and its sorted, de-duplicated
 * provider ASes.  The providers live in the owning set's provider pool,
 * at [prov_off, prov_off + prov_n).
 */
struct aspa {
	uint32_t	customer;
	uint32_t	prov_off;
	uint32_t	prov_n;
	uint32_t	expires;
	uint16_t	ta;
	uint16_t	pad;
};

/*
 * A BGPsec router key (RFC 8209, RFC 8210 section 5.10).  The DER
 * SubjectPublicKeyInfo lives in the owning set's byte pool at
 * [spki_off, spki_off + spki_len).
 */
struct rkey {
	uint32_t	asn;
	uint8_t		ski[SKI_LEN];
	uint32_t	spki_off;
	uint32_t	spki_len;
	uint32_t	expires;
	uint16_t	ta;
	uint16_t	pad;
};

/* Address width in bits for an AFI: 32 or 128. */
static inline int
afi_bits(uint8_t afi)
{
	return afi == AFI_IPV4 ? 32 : 128;
}

/*
 * Parse "a.b.c.d/len" or "x:y::/len" into v->afi, v->addr and v->plen.
 * Rejects a missing or malformed length, a length beyond the address
 * width and set host bits.  On error returns -1 with the rule broken in e
 * (the caller adds the location).  Returns 0 on success.
 */
int	prefix_parse(const char *s, struct vrp *v, struct err *e);

/*
 * Write the canonical text form of v's prefix ("10.0.0.0/8",
 * "2001:db8::/32", RFC 5952 for IPv6) into buf of at least PREFIX_STRLEN
 * bytes.  Returns the length written.
 */
size_t	prefix_format(const struct vrp *v, char *buf);

/*
 * Parse an AS number written as "AS65000", "as65000" or "65000".
 * Returns 0 and stores the value, or -1 with the reason in e.
 */
int	asn_parse(const char *s, uint32_t *asn, struct err *e);

/*
 * Total order on the identity of a VRP: AFI, address, prefix length,
 * maxLength, ASN.  The trust anchor and expiry are not part of the
 * identity: the same VRP from two TAs is one VRP to a router.
 */
int	vrp_cmp(const struct vrp *a, const struct vrp *b);

/*
 * 1 if the prefix of inner lies within outer's (same AFI, outer->plen <=
 * inner->plen, and the first outer->plen bits agree), else 0.
 */
int	prefix_covers(const struct vrp *outer, const struct vrp *inner);

#endif
