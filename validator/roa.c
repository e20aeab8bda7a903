/*
 * roa.c - Route Origin Authorizations (RFC 9582), decoded with OpenSSL's
 * ASN.1 templates:
 *
 *   RouteOriginAttestation ::= SEQUENCE {
 *     version      [0] INTEGER DEFAULT 0,
 *     asID         ASID,                     -- INTEGER (0..4294967295)
 *     ipAddrBlocks SEQUENCE (SIZE(1..2)) OF ROAIPAddressFamily }
 *   ROAIPAddressFamily ::= SEQUENCE {
 *     addressFamily OCTET STRING (SIZE(2)),  -- 0001 or 0002, no SAFI
 *     addresses     SEQUENCE (SIZE(1..MAX)) OF ROAIPAddress }
 *   ROAIPAddress ::= SEQUENCE {
 *     address   IPAddress,                   -- BIT STRING, RFC 3779
 *     maxLength INTEGER OPTIONAL }
 *
 * An AS0 ROA (RFC 6483 section 4, RFC 7607) is a valid ROA.  Whether
 * the prefixes lie within the EE certificate's resources is the
 * validator's check (RFC 9582 section 5), not the parser's.  The
 * canonical order of section 4.3.3 is asked of signers; the parser does
 * not reject other orders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "asn1util.h"
#include "roa.h"
#include "vrp.h"

typedef struct {
	ASN1_BIT_STRING	*address;
	ASN1_INTEGER	*maxLength;
} RoaIPAddress;

DEFINE_STACK_OF(RoaIPAddress)

typedef struct {
	ASN1_OCTET_STRING	*addressFamily;
	STACK_OF(RoaIPAddress)	*addresses;
} RoaIPAddressFamily;

DEFINE_STACK_OF(RoaIPAddressFamily)

typedef struct {
	ASN1_INTEGER			*version;
	ASN1_INTEGER			*asID;
	STACK_OF(RoaIPAddressFamily)	*ipAddrBlocks;
} RouteOriginAttestation;

ASN1_SEQUENCE(RoaIPAddress) = {
	ASN1_SIMPLE(RoaIPAddress, address, ASN1_BIT_STRING),
	ASN1_OPT(RoaIPAddress, maxLength, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(RoaIPAddress)

ASN1_SEQUENCE(RoaIPAddressFamily) = {
	ASN1_SIMPLE(RoaIPAddressFamily, addressFamily, ASN1_OCTET_STRING),
	ASN1_SEQUENCE_OF(RoaIPAddressFamily, addresses, RoaIPAddress),
} static_ASN1_SEQUENCE_END(RoaIPAddressFamily)

ASN1_SEQUENCE(RouteOriginAttestation) = {
	ASN1_EXP_OPT(RouteOriginAttestation, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(RouteOriginAttestation, asID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(RouteOriginAttestation, ipAddrBlocks,
	    RoaIPAddressFamily),
} static_ASN1_SEQUENCE_END(RouteOriginAttestation)

/* Text of an INTEGER for a diagnostic, into buf. */
static const char *
int_text(const ASN1_INTEGER *ai, char *buf, size_t size)
{
	char	*s = i2s_ASN1_INTEGER(NULL, ai);

	snprintf(buf, size, "%s", s != NULL ? s : "(unprintable)");
	OPENSSL_free(s);
	return buf;
}

/* RFC 9582 section 4.3.1: the AFI, two octets, IPv4 or IPv6. */
static int
roa_afi(const char *fn, int i, const ASN1_OCTET_STRING *os, uint8_t *afi,
    struct err *e)
{
	const uint8_t	*p = ASN1_STRING_get0_data(os);
	int		 n = ASN1_STRING_length(os);
	char		 hex[2 * 3 + 1];

	if (n != 2)
		return err_set(e, "%s: RFC 9582 section 4.3.1: "
		    "ipAddrBlocks[%d] addressFamily: want 2 octets (an AFI, "
		    "no SAFI), have %d", fn, i, n);
	if (p[0] != 0 || (p[1] != AFI_IPV4 && p[1] != AFI_IPV6))
		return err_set(e, "%s: RFC 9582 section 4.3.1: "
		    "ipAddrBlocks[%d] addressFamily: want 0001 (IPv4) or "
		    "0002 (IPv6), have %s", fn, i, hex_upper_n(p, 2, hex));
	*afi = p[1];
	return 0;
}

/* One ROAIPAddress of family afi into *out (sections 4.3.2.1-2). */
static int
roa_address(const char *fn, const RoaIPAddress *ra, uint8_t afi,
    struct roa_prefix *out, struct err *e)
{
	const ASN1_BIT_STRING	*bs = ra->address;
	struct vrp		 v;
	char			 pfx[PREFIX_STRLEN], num[64];
	int			 max = afi_bits(afi);
	int64_t			 bits, ml;

	bits = 8 * (int64_t)ASN1_STRING_length(bs);
	if (bs->flags & ASN1_STRING_FLAG_BITS_LEFT)
		bits -= bs->flags & 0x07;
	if (bits < 0 || bits > max)
		return err_set(e, "%s: RFC 9582 section 4.3.2.1: address: want "
		    "at most %d bits (%s), have %lld", fn, max,
		    afi == AFI_IPV4 ? "IPv4" : "IPv6", (long long)bits);
	memset(out, 0, sizeof(*out));
	if (ASN1_STRING_length(bs) > 0)		/* no data for a /0 */
		memcpy(out->addr, ASN1_STRING_get0_data(bs),
		    (size_t)ASN1_STRING_length(bs));
	out->afi = afi;
	out->plen = (uint8_t)bits;
	out->maxlen = (uint8_t)bits;
	if (ra->maxLength == NULL)
		return 0;
	if (!ASN1_INTEGER_get_int64(&ml, ra->maxLength) || ml < bits ||
	    ml > max) {
		memset(&v, 0, sizeof(v));
		memcpy(v.addr, out->addr, sizeof(v.addr));
		v.afi = afi;
		v.plen = out->plen;
		prefix_format(&v, pfx);
		return err_set(e, "%s: RFC 9582 section 4.3.2.2: maxLength of "
		    "%s: want %d..%d, have %s", fn, pfx, out->plen, max,
		    int_text(ra->maxLength, num, sizeof(num)));
	}
	out->maxlen = (uint8_t)ml;
	return 0;
}

/* The ipAddrBlocks (section 4.3) into r->prefixes. */
static int
roa_blocks(const char *fn, const RouteOriginAttestation *a, struct roa *r,
    struct err *e)
{
	const RoaIPAddressFamily	*f;
	uint8_t				 afi = 0, seen = 0;
	size_t				 total = 0;
	int				 i, j, nf, na;

	nf = sk_RoaIPAddressFamily_num(a->ipAddrBlocks);
	if (nf < 1 || nf > 2)
		return err_set(e, "%s: RFC 9582 section 4.3: ipAddrBlocks: "
		    "want 1..2 address families, have %d", fn, nf);
	for (i = 0; i < nf; i++) {
		f = sk_RoaIPAddressFamily_value(a->ipAddrBlocks, i);
		na = sk_RoaIPAddress_num(f->addresses);
		if (na < 1)
			return err_set(e, "%s: RFC 9582 section 4.3.2: "
			    "ipAddrBlocks[%d] addresses: want 1 or more, have "
			    "0", fn, i);
		total += (size_t)na;
	}
	if ((r->prefixes = calloc(total, sizeof(*r->prefixes))) == NULL)
		return err_set(e, "%s: out of memory", fn);
	for (i = 0; i < nf; i++) {
		f = sk_RoaIPAddressFamily_value(a->ipAddrBlocks, i);
		if (roa_afi(fn, i, f->addressFamily, &afi, e) != 0)
			return -1;
		if (seen & (1 << afi))
			return err_set(e, "%s: RFC 9582 section 4.3.1: "
			    "ipAddrBlocks[%d] addressFamily: want each AFI "
			    "once, have %s again", fn, i,
			    afi == AFI_IPV4 ? "IPv4" : "IPv6");
		seen |= (uint8_t)(1 << afi);
		na = sk_RoaIPAddress_num(f->addresses);
		for (j = 0; j < na; j++, r->nprefixes++)
			if (roa_address(fn, sk_RoaIPAddress_value(f->addresses,
			    j), afi, &r->prefixes[r->nprefixes], e) != 0)
				return -1;
	}
	return 0;
}

struct roa *
roa_parse_econtent(const char *fn, const uint8_t *der, size_t len,
    struct err *e)
{
	RouteOriginAttestation	*a;
	struct roa		*r = NULL;
	uint64_t		 as;
	char			 num[64];
	int			 rc = -1;

	a = (RouteOriginAttestation *)cms_econtent_decode(fn, "RFC 9582 "
	    "section 4: RouteOriginAttestation",
	    ASN1_ITEM_rptr(RouteOriginAttestation), der, len, e);
	if (a == NULL)
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		err_set(e, "%s: out of memory", fn);
		goto out;
	}
	if (cms_econtent_version0(fn, "RFC 9582 section 4.1", a->version,
	    e) != 0)
		goto out;
	if (!ASN1_INTEGER_get_uint64(&as, a->asID) || as > ASN_MAX) {
		err_set(e, "%s: RFC 9582 section 4.2: asID: want "
		    "0..4294967295, have %s", fn,
		    int_text(a->asID, num, sizeof(num)));
		goto out;
	}
	r->asid = (uint32_t)as;
	if (roa_blocks(fn, a, r, e) != 0)
		goto out;
	rc = 0;
 out:
	ASN1_item_free((ASN1_VALUE *)a, ASN1_ITEM_rptr(RouteOriginAttestation));
	ERR_clear_error();
	if (rc != 0) {
		roa_free(r);
		r = NULL;
	}
	return r;
}

struct roa *
roa_parse(const char *fn, const uint8_t *der, size_t len, struct err *e)
{
	struct cms_object	 cms;
	struct roa		*r;

	if (cms_parse(fn, der, len, OID_CT_ROA, &cms, e) != 0)
		return NULL;
	r = roa_parse_econtent(fn, cms.econtent, cms.econtent_len, e);
	free(cms.econtent);
	cms.econtent = NULL;
	cms.econtent_len = 0;
	if (r == NULL) {
		cms_object_clear(&cms);
		return NULL;
	}
	r->cms = cms;			/* the EE certificate moves to r */
	return r;
}

void
roa_free(struct roa *r)
{
	if (r == NULL)
		return;
	free(r->prefixes);
	cms_object_clear(&r->cms);
	free(r);
}
