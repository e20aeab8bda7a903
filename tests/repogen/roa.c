/*
 * roa.c - the eContent of a Route Origin Authorization (RFC 9582 section
 * 4), encoded with OpenSSL's ASN.1 templates:
 *
 *   RouteOriginAttestation ::= SEQUENCE {
 *     version [0] INTEGER DEFAULT 0,          -- left out (DER)
 *     asID ASID,
 *     ipAddrBlocks SEQUENCE (SIZE(1..2)) OF ROAIPAddressFamily }
 *   ROAIPAddressFamily ::= SEQUENCE {
 *     addressFamily OCTET STRING (SIZE(2..3)),  -- AFI, no SAFI
 *     addresses SEQUENCE (SIZE(1..MAX)) OF ROAIPAddress }
 *   ROAIPAddress ::= SEQUENCE {
 *     address IPAddress,                     -- BIT STRING of plen bits
 *     maxLength INTEGER OPTIONAL }
 *
 * Canonical form (section 4.3.3): IPv4 before IPv6, addresses in
 * ascending order, maxLength left out when it equals the prefix length.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>

#include "objects.h"

typedef struct {
	ASN1_BIT_STRING	*address;
	ASN1_INTEGER	*maxLength;
} ROAIPAddress;

DEFINE_STACK_OF(ROAIPAddress)

typedef struct {
	ASN1_OCTET_STRING	*addressFamily;
	STACK_OF(ROAIPAddress)	*addresses;
} ROAIPAddressFamily;

DEFINE_STACK_OF(ROAIPAddressFamily)

typedef struct {
	ASN1_INTEGER			*version;
	ASN1_INTEGER			*asID;
	STACK_OF(ROAIPAddressFamily)	*ipAddrBlocks;
} RouteOriginAttestation;

DECLARE_ASN1_FUNCTIONS(ROAIPAddress)
DECLARE_ASN1_FUNCTIONS(ROAIPAddressFamily)
DECLARE_ASN1_FUNCTIONS(RouteOriginAttestation)

ASN1_SEQUENCE(ROAIPAddress) = {
	ASN1_SIMPLE(ROAIPAddress, address, ASN1_BIT_STRING),
	ASN1_OPT(ROAIPAddress, maxLength, ASN1_INTEGER),
} ASN1_SEQUENCE_END(ROAIPAddress)

ASN1_SEQUENCE(ROAIPAddressFamily) = {
	ASN1_SIMPLE(ROAIPAddressFamily, addressFamily, ASN1_OCTET_STRING),
	ASN1_SEQUENCE_OF(ROAIPAddressFamily, addresses, ROAIPAddress),
} ASN1_SEQUENCE_END(ROAIPAddressFamily)

ASN1_SEQUENCE(RouteOriginAttestation) = {
	ASN1_EXP_OPT(RouteOriginAttestation, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(RouteOriginAttestation, asID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(RouteOriginAttestation, ipAddrBlocks,
	    ROAIPAddressFamily),
} ASN1_SEQUENCE_END(RouteOriginAttestation)

IMPLEMENT_ASN1_FUNCTIONS(ROAIPAddress)
IMPLEMENT_ASN1_FUNCTIONS(ROAIPAddressFamily)
IMPLEMENT_ASN1_FUNCTIONS(RouteOriginAttestation)

/*
 * Set bs to the first plen bits of addr, with exactly that many bits
 * (RFC 3779 section 2.1.1): the unused-bits count is set explicitly, as
 * OpenSSL would otherwise drop trailing zero bits.
 */
static int
bits_set(ASN1_BIT_STRING *bs, const uint8_t *addr, unsigned plen)
{
	unsigned n = (plen + 7) / 8;

	if (!ASN1_BIT_STRING_set(bs, (unsigned char *)addr, (int)n))
		return 0;
	bs->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	bs->flags |= ASN1_STRING_FLAG_BITS_LEFT | (long)(8 * n - plen);
	return 1;
}

static int
cmp_prefix(const void *a, const void *b)
{
	const struct rg_prefix *x = a, *y = b;
	int c;

	if (x->afi != y->afi)
		return x->afi < y->afi ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, sizeof(x->addr))) != 0)
		return c;
	return x->plen < y->plen ? -1 : x->plen > y->plen;
}

static ROAIPAddressFamily *
roa_family(uint8_t afi)
{
	ROAIPAddressFamily	*f;
	unsigned char		 af[2] = { 0, afi };

	if ((f = ROAIPAddressFamily_new()) == NULL)
		return NULL;
	if (!ASN1_OCTET_STRING_set(f->addressFamily, af, sizeof(af))) {
		ROAIPAddressFamily_free(f);
		return NULL;
	}
	return f;
}

static int
roa_address(ROAIPAddressFamily *f, const struct rg_prefix *p)
{
	ROAIPAddress	*a;

	if ((a = ROAIPAddress_new()) == NULL)
		return 0;
	if (!bits_set(a->address, p->addr, p->plen) ||
	    (p->maxlen != p->plen &&
	    ((a->maxLength = ASN1_INTEGER_new()) == NULL ||
	    !ASN1_INTEGER_set_uint64(a->maxLength, p->maxlen))) ||
	    !sk_ROAIPAddress_push(f->addresses, a)) {
		ROAIPAddress_free(a);
		return 0;
	}
	return 1;
}

int
roa_encode(uint32_t asn, const struct rg_prefix *p, size_t n, uint8_t **der,
    size_t *len, struct err *e)
{
	RouteOriginAttestation	*roa;
	ROAIPAddressFamily	*f = NULL;
	struct rg_prefix	*s;
	size_t			 i;
	int			 ok, dn = 0;

	*der = NULL;
	if ((s = malloc(n * sizeof(*s))) == NULL)
		return err_set(e, "AS%u ROA: out of memory", asn);
	memcpy(s, p, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_prefix);
	ok = (roa = RouteOriginAttestation_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(roa->asID, asn);
	for (i = 0; ok && i < n; i++) {
		if (i == 0 || s[i].afi != s[i - 1].afi) {
			ok = (f = roa_family(s[i].afi)) != NULL &&
			    sk_ROAIPAddressFamily_push(roa->ipAddrBlocks, f);
			if (!ok) {
				ROAIPAddressFamily_free(f);
				break;
			}
		}
		ok = roa_address(f, &s[i]);	/* f belongs to roa */
	}
	ok = ok && n > 0 &&
	    (dn = i2d_RouteOriginAttestation(roa, der)) > 0;
	RouteOriginAttestation_free(roa);
	free(s);
	if (!ok)
		return err_set(e, "AS%u ROA: encoding failed", asn);
	*len = (size_t)dn;
	return 0;
}
