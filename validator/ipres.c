/*
 * ipres.c - RFC 3779 IP address and AS number resources: decoding from a
 * certificate with OpenSSL's IPAddrBlocks/ASIdentifiers types, and the
 * containment checks of certificate path validation.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "ipres.h"
#include "vrp.h"

static const char *const kind_names[IPRES_KINDS] = {
	"IPv4", "IPv6", "AS",
};

/* The address length in bytes of the IPv4 or IPv6 kind. */
static int
kind_addrlen(int k)
{
	return k == IPRES_V4 ? 4 : 16;
}

static int
afi_kind(uint8_t afi)
{
	return afi == AFI_IPV4 ? IPRES_V4 : IPRES_V6;
}

/*
 * Decode one IPAddressFamily of fn into res.  The caller has checked the
 * whole IPAddrBlocks is canonical, so the ranges come out sorted and
 * apart.
 */
static int
ipres_family(const char *fn, IPAddressFamily *f, struct ipres *res,
    struct err *e)
{
	IPAddressOrRanges	*aors;
	IPAddressOrRange	*aor;
	struct ipres_range	*r;
	const uint8_t		*d;
	unsigned		 afi;
	int			 k, i, n;

	/* RFC 6487 section 4.8.10: an AFI of two octets, no SAFI. */
	if (f->addressFamily == NULL || f->addressFamily->length < 2)
		return err_set(e, "%s: RFC 3779 section 2.2.3.3: "
		    "addressFamily: want 2 octets, have %d", fn,
		    f->addressFamily == NULL ? 0 : f->addressFamily->length);
	if (f->addressFamily->length != 2)
		return err_set(e, "%s: RFC 6487 section 4.8.10: "
		    "addressFamily: want an AFI without SAFI, have %d octets",
		    fn, f->addressFamily->length);
	d = f->addressFamily->data;
	afi = (unsigned)d[0] << 8 | d[1];
	if (afi != 1 && afi != 2)
		return err_set(e, "%s: RFC 6487 section 4.8.10: "
		    "addressFamily: want AFI 1 or 2, have %u", fn, afi);
	k = afi == 1 ? IPRES_V4 : IPRES_V6;
	if (res->present & IPRES_BIT(k))
		return err_set(e, "%s: RFC 3779 section 2.2.3.3: "
		    "addressFamily: want each AFI once, have AFI %u twice",
		    fn, afi);
	res->present |= IPRES_BIT(k);

	if (f->ipAddressChoice->type == IPAddressChoice_inherit) {
		res->inherit |= IPRES_BIT(k);
		return 0;
	}
	aors = f->ipAddressChoice->u.addressesOrRanges;
	n = sk_IPAddressOrRange_num(aors);
	if (n <= 0)
		return err_set(e, "%s: RFC 3779 section 2.2.3.6: "
		    "%s addressesOrRanges: want at least one, have none",
		    fn, kind_names[k]);
	if ((res->addr[k] = calloc((size_t)n, sizeof(*r))) == NULL)
		return err_set(e, "%s: out of memory", fn);
	for (i = 0; i < n; i++) {
		aor = sk_IPAddressOrRange_value(aors, i);
		r = &res->addr[k][i];
		if (X509v3_addr_get_range(aor, afi, r->lo, r->hi, 16) !=
		    kind_addrlen(k))
			return err_set(e, "%s: RFC 3779 section 2.2.3.7: "
			    "%s address %d: want a valid prefix or range, "
			    "have a malformed one", fn, kind_names[k], i + 1);
	}
	res->naddr[k] = (size_t)n;
	return 0;
}

/* Decode sbgp-ipAddrBlock of exts (if present) into res. */
static int
ipres_addr_ext(const char *fn, const STACK_OF(X509_EXTENSION) *exts,
    struct ipres *res, struct err *e)
{
	IPAddrBlocks	*blocks;
	int		 crit, i, n, rc = -1;

	blocks = X509V3_get_d2i(exts, NID_sbgp_ipAddrBlock, &crit, NULL);
	if (blocks == NULL) {
		if (crit == -1)
			return 0;
		if (crit == -2)
			return err_set(e, "%s: RFC 5280 section 4.2: "
			    "sbgp-ipAddrBlock: want at most one, have several",
			    fn);
		return err_set(e, "%s: RFC 3779 section 2.2.3: "
		    "sbgp-ipAddrBlock: want valid DER, have undecodable", fn);
	}
	if (!crit) {
		err_set(e, "%s: RFC 6487 section 4.8.10: sbgp-ipAddrBlock: "
		    "want critical, have non-critical", fn);
		goto out;
	}
	if ((n = sk_IPAddressFamily_num(blocks)) <= 0) {
		err_set(e, "%s: RFC 6487 section 4.8.10: sbgp-ipAddrBlock: "
		    "want at least one address family, have none", fn);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (ipres_family(fn, sk_IPAddressFamily_value(blocks, i), res,
		    e) != 0)
			goto out;
	/* After the AFI checks, which name the problem more exactly. */
	if (!X509v3_addr_is_canonical(blocks)) {
		err_set(e, "%s: RFC 3779 section 2.2.3.6: sbgp-ipAddrBlock: "
		    "want canonical form, have unsorted, overlapping, "
		    "adjacent or non-minimal entries", fn);
		goto out;
	}
	rc = 0;
out:
	sk_IPAddressFamily_pop_free(blocks, IPAddressFamily_free);
	return rc;
}

/* An AS number of fn: non-negative and of 32 bits (RFC 6793). */
static int
asres_int(const char *fn, const ASN1_INTEGER *i, uint32_t *out,
    struct err *e)
{
	uint64_t	 v;

	if (ASN1_INTEGER_get_uint64(&v, i) != 1 || v > ASN_MAX) {
		ERR_clear_error();
		return err_set(e, "%s: RFC 3779 section 3.2.3.8: ASId: "
		    "want 0..%llu, have a value outside", fn, ASN_MAX);
	}
	*out = (uint32_t)v;
	return 0;
}

/* Fill res->as from the canonical asIdsOrRanges of fn. */
static int
asres_list(const char *fn, ASIdOrRanges *ids, struct ipres *res,
    struct err *e)
{
	ASIdOrRange		*a;
	struct asres_range	*r;
	int			 i, n;

	if ((n = sk_ASIdOrRange_num(ids)) <= 0)
		return err_set(e, "%s: RFC 3779 section 3.2.3.4: "
		    "asIdsOrRanges: want at least one, have none", fn);
	if ((res->as = calloc((size_t)n, sizeof(*r))) == NULL)
		return err_set(e, "%s: out of memory", fn);
	for (i = 0; i < n; i++) {
		a = sk_ASIdOrRange_value(ids, i);
		r = &res->as[i];
		if (a->type == ASIdOrRange_id) {
			if (asres_int(fn, a->u.id, &r->lo, e) != 0)
				return -1;
			r->hi = r->lo;
		} else {
			if (asres_int(fn, a->u.range->min, &r->lo, e) != 0 ||
			    asres_int(fn, a->u.range->max, &r->hi, e) != 0)
				return -1;
		}
	}
	res->nas = (size_t)n;
	return 0;
}

/* Decode sbgp-autonomousSysNum of exts (if present) into res. */
static int
asres_ext(const char *fn, const STACK_OF(X509_EXTENSION) *exts,
    struct ipres *res, struct err *e)
{
	ASIdentifiers	*asid;
	int		 crit, rc = -1;

	asid = X509V3_get_d2i(exts, NID_sbgp_autonomousSysNum, &crit, NULL);
	if (asid == NULL) {
		if (crit == -1)
			return 0;
		if (crit == -2)
			return err_set(e, "%s: RFC 5280 section 4.2: "
			    "sbgp-autonomousSysNum: want at most one, "
			    "have several", fn);
		return err_set(e, "%s: RFC 3779 section 3.2.3: "
		    "sbgp-autonomousSysNum: want valid DER, have undecodable",
		    fn);
	}
	if (!crit) {
		err_set(e, "%s: RFC 6487 section 4.8.11: "
		    "sbgp-autonomousSysNum: want critical, have non-critical",
		    fn);
		goto out;
	}
	if (asid->rdi != NULL) {
		err_set(e, "%s: RFC 6487 section 4.8.11: "
		    "sbgp-autonomousSysNum: want no rdi, have rdi", fn);
		goto out;
	}
	if (asid->asnum == NULL) {
		err_set(e, "%s: RFC 6487 section 4.8.11: "
		    "sbgp-autonomousSysNum: want asnum, have none", fn);
		goto out;
	}
	if (!X509v3_asid_is_canonical(asid)) {
		err_set(e, "%s: RFC 3779 section 3.2.3.4: "
		    "sbgp-autonomousSysNum: want canonical form, have "
		    "unsorted, overlapping, adjacent or non-minimal entries",
		    fn);
		goto out;
	}
	res->present |= IPRES_BIT(IPRES_AS);
	if (asid->asnum->type == ASIdentifierChoice_inherit)
		res->inherit |= IPRES_BIT(IPRES_AS);
	else if (asres_list(fn, asid->asnum->u.asIdsOrRanges, res, e) != 0)
		goto out;
	rc = 0;
out:
	ASIdentifiers_free(asid);
	return rc;
}

struct ipres *
ipres_parse(const char *fn, const STACK_OF(X509_EXTENSION) *exts,
    struct err *e)
{
	struct ipres	*res;

	if ((res = calloc(1, sizeof(*res))) == NULL) {
		err_set(e, "%s: out of memory", fn);
		return NULL;
	}
	if (ipres_addr_ext(fn, exts, res, e) != 0 ||
	    asres_ext(fn, exts, res, e) != 0) {
		ERR_clear_error();
		ipres_free(res);
		return NULL;
	}
	return res;
}

void
ipres_free(struct ipres *res)
{
	if (res == NULL)
		return;
	free(res->addr[IPRES_V4]);
	free(res->addr[IPRES_V6]);
	free(res->as);
	free(res);
}

char *
ipres_range_text(uint8_t afi, const struct ipres_range *r, char *buf)
{
	char	 lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN];
	int	 af = afi == AFI_IPV4 ? AF_INET : AF_INET6;
	int	 bits = afi_bits(afi), plen, i, bit, inlo, inhi;

	inet_ntop(af, r->lo, lo, sizeof(lo));
	inet_ntop(af, r->hi, hi, sizeof(hi));
	/* The prefix length: the first bit where lo and hi part. */
	for (plen = 0; plen < bits; plen++) {
		bit = 0x80 >> (plen % 8);
		if ((r->lo[plen / 8] & bit) != (r->hi[plen / 8] & bit))
			break;
	}
	for (i = plen; i < bits; i++) {
		bit = 0x80 >> (i % 8);
		inlo = (r->lo[i / 8] & bit) != 0;
		inhi = (r->hi[i / 8] & bit) != 0;
		if (inlo || !inhi)
			break;
	}
	if (i == bits)
		snprintf(buf, IPRES_RANGE_STRLEN, "%s/%d", lo, plen);
	else
		snprintf(buf, IPRES_RANGE_STRLEN, "%s-%s", lo, hi);
	return buf;
}

/*
 * The index of the last range of r[0..n) whose lo is <= lo, or -1.
 */
static long
addr_search(const struct ipres_range *r, size_t n, const uint8_t lo[16])
{
	size_t	 a = 0, b = n, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (memcmp(r[m].lo, lo, 16) <= 0)
			a = m + 1;
		else
			b = m;
	}
	return (long)a - 1;
}

int
ipres_covers_range(const struct ipres *res, uint8_t afi,
    const uint8_t lo[16], const uint8_t hi[16])
{
	int	 k = afi_kind(afi);
	long	 i;

	if (res == NULL || (afi != AFI_IPV4 && afi != AFI_IPV6) ||
	    (res->inherit & IPRES_BIT(k)))
		return 0;
	i = addr_search(res->addr[k], res->naddr[k], lo);
	return i >= 0 && memcmp(hi, res->addr[k][i].hi, 16) <= 0;
}

int
ipres_covers(const struct ipres *res, uint8_t afi, const uint8_t addr[16],
    uint8_t plen)
{
	uint8_t	 lo[16], hi[16];
	int	 bits = afi_bits(afi), i;

	if ((afi != AFI_IPV4 && afi != AFI_IPV6) || plen > bits)
		return 0;
	memset(lo, 0, sizeof(lo));
	memset(hi, 0, sizeof(hi));
	for (i = 0; i < bits; i++) {
		uint8_t bit = 0x80 >> (i % 8);

		if (i < plen) {
			lo[i / 8] |= addr[i / 8] & bit;
			hi[i / 8] |= addr[i / 8] & bit;
		} else
			hi[i / 8] |= bit;
	}
	return ipres_covers_range(res, afi, lo, hi);
}

int
asres_covers(const struct ipres *res, uint32_t asn)
{
	size_t	 a = 0, b, m;

	if (res == NULL || (res->inherit & IPRES_BIT(IPRES_AS)))
		return 0;
	b = res->nas;
	while (a < b) {
		m = a + (b - a) / 2;
		if (res->as[m].lo <= asn)
			a = m + 1;
		else
			b = m;
	}
	return a > 0 && asn <= res->as[a - 1].hi;
}

/*
 * The first of child's ranges of address kind k not inside one of
 * parent's, or -1.  Both are sorted and apart, so one merge walk.
 */
static long
addr_uncovered(const struct ipres *parent, const struct ipres *child, int k)
{
	const struct ipres_range *p = parent->addr[k], *c = child->addr[k];
	size_t	 i, j = 0, np = parent->naddr[k];

	for (i = 0; i < child->naddr[k]; i++) {
		while (j < np && memcmp(p[j].hi, c[i].lo, 16) < 0)
			j++;
		if (j == np || memcmp(p[j].lo, c[i].lo, 16) > 0 ||
		    memcmp(c[i].hi, p[j].hi, 16) > 0)
			return (long)i;
	}
	return -1;
}

static long
as_uncovered(const struct ipres *parent, const struct ipres *child)
{
	const struct asres_range *p = parent->as, *c = child->as;
	size_t	 i, j = 0, np = parent->nas;

	for (i = 0; i < child->nas; i++) {
		while (j < np && p[j].hi < c[i].lo)
			j++;
		if (j == np || p[j].lo > c[i].lo || c[i].hi > p[j].hi)
			return (long)i;
	}
	return -1;
}

int
ipres_contains(const char *fn, const struct ipres *parent,
    const struct ipres *child, struct err *e)
{
	char			 buf[IPRES_RANGE_STRLEN];
	const struct asres_range *a;
	long			 bad;
	int			 k;

	for (k = 0; k < IPRES_KINDS; k++) {
		if (!(child->present & IPRES_BIT(k)) ||
		    (child->inherit & IPRES_BIT(k)))
			continue;
		if (parent->inherit & IPRES_BIT(k)) {
			err_set(e, "%s: RFC 3779 section %s: %s resources: "
			    "want the issuer's resolved, have inherit", fn,
			    k == IPRES_AS ? "3.3" : "2.3", kind_names[k]);
			return 0;
		}
		if (k == IPRES_AS) {
			if ((bad = as_uncovered(parent, child)) < 0)
				continue;
			a = &child->as[bad];
			err_set(e, "%s: RFC 3779 section 3.3: AS resources: "
			    "want within the issuer's, have AS%u-AS%u outside",
			    fn, a->lo, a->hi);
			return 0;
		}
		if ((bad = addr_uncovered(parent, child, k)) < 0)
			continue;
		err_set(e, "%s: RFC 3779 section 2.3: %s resources: want "
		    "within the issuer's, have %s outside", fn, kind_names[k],
		    ipres_range_text(k == IPRES_V4 ? AFI_IPV4 : AFI_IPV6,
		    &child->addr[k][bad], buf));
		return 0;
	}
	return 1;
}

/* Copy n elements of size sz (NULL for none); *out NULL on failure. */
static int
copy_array(void **out, const void *in, size_t n, size_t sz)
{
	*out = NULL;
	if (n == 0)
		return 0;
	if ((*out = calloc(n, sz)) == NULL)
		return -1;
	memcpy(*out, in, n * sz);
	return 0;
}

int
ipres_inherit(struct ipres *child, const struct ipres *parent,
    struct err *e)
{
	void	*p;
	int	 k, rc;

	for (k = 0; k < IPRES_KINDS; k++) {
		if (!(child->inherit & IPRES_BIT(k)))
			continue;
		if (parent->inherit & IPRES_BIT(k))
			return err_set(e, "RFC 3779 section %s: %s resources: "
			    "want the issuer's resolved, have inherit",
			    k == IPRES_AS ? "3.2.3.3" : "2.2.3.5",
			    kind_names[k]);
		if (k == IPRES_AS) {
			rc = copy_array(&p, parent->as, parent->nas,
			    sizeof(*parent->as));
			child->as = p;
			child->nas = rc == 0 ? parent->nas : 0;
		} else {
			rc = copy_array(&p, parent->addr[k], parent->naddr[k],
			    sizeof(*parent->addr[k]));
			child->addr[k] = p;
			child->naddr[k] = rc == 0 ? parent->naddr[k] : 0;
		}
		if (rc != 0)
			return err_set(e, "out of memory");
		child->inherit &= ~IPRES_BIT(k);
		child->inherited |= IPRES_BIT(k);
	}
	return 0;
}
