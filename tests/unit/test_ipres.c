/*
 * test_ipres.c - RFC 3779 resources (validator/ipres.c): decoding and
 * its profile checks, and containment and coverage checked against a
 * bitmap of a small address and AS number universe with random ranges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "ipres.h"
#include "vrp.h"

#include "testutil.h"

/* The universes: 10.0.0.0 + [0, U), AS 64000 + [0, U). */
#define U	1024
#define AS0	64000

static uint32_t rng = 12345;

static unsigned
rnd(unsigned n)
{
	rng = rng * 1103515245 + 12345;
	return (rng >> 8) % n;
}

static void
v4(unsigned off, uint8_t a[16])
{
	memset(a, 0, 16);
	a[0] = 10;
	a[2] = (uint8_t)(off >> 8);
	a[3] = (uint8_t)off;
}

/* A certificate holding only the given extensions (NULL: left out). */
static X509 *
cert_with(IPAddrBlocks *blocks, int ipcrit, ASIdentifiers *asid,
    int ascrit)
{
	X509	*x = X509_new();

	assert_non_null(x);
	if (blocks != NULL)
		assert_int_equal(X509_add1_ext_i2d(x, NID_sbgp_ipAddrBlock,
		    blocks, ipcrit, X509V3_ADD_DEFAULT), 1);
	if (asid != NULL)
		assert_int_equal(X509_add1_ext_i2d(x,
		    NID_sbgp_autonomousSysNum, asid, ascrit,
		    X509V3_ADD_DEFAULT), 1);
	return x;
}

static struct ipres *
parse_ok(X509 *x)
{
	struct ipres	*res;
	struct err	 e;

	memset(&e, 0, sizeof(e));
	res = ipres_parse("t.cer", X509_get0_extensions(x), &e);
	if (res == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	X509_free(x);
	return res;
}

static void
parse_fails(X509 *x, const char *want)
{
	struct err	 e;

	assert_null(ipres_parse("t.cer", X509_get0_extensions(x), &e));
	assert_contains(e.msg, "t.cer: ");
	assert_contains(e.msg, want);
	X509_free(x);
}

static void
cleanup_blocks(IPAddrBlocks *blocks, ASIdentifiers *asid)
{
	sk_IPAddressFamily_pop_free(blocks, IPAddressFamily_free);
	ASIdentifiers_free(asid);
}

/* Mark 1-6 random ranges of the universe in bits. */
static void
random_bits(uint8_t *bits)
{
	unsigned	 n, i, a, b, j;

	memset(bits, 0, U);
	n = 1 + rnd(6);
	for (i = 0; i < n; i++) {
		a = rnd(U);
		b = a + rnd(rnd(4) == 0 ? 300 : 40);
		for (j = a; j <= b && j < U; j++)
			bits[j] = 1;
	}
}

/* Add [a, b] of the universe to blocks or asid. */
static void
add_range(IPAddrBlocks *blocks, ASIdentifiers *asid, unsigned a,
    unsigned b)
{
	ASN1_INTEGER	*min, *max = NULL;
	uint8_t		 lo[16], hi[16];

	if (blocks != NULL) {
		v4(a, lo);
		v4(b, hi);
		assert_int_equal(X509v3_addr_add_range(blocks, IANA_AFI_IPV4,
		    NULL, lo, hi), 1);
		return;
	}
	min = ASN1_INTEGER_new();
	ASN1_INTEGER_set(min, AS0 + a);
	if (b > a) {
		max = ASN1_INTEGER_new();
		ASN1_INTEGER_set(max, AS0 + b);
	}
	assert_int_equal(X509v3_asid_add_id_or_range(asid, V3_ASID_ASNUM,
	    min, max), 1);
}

/*
 * Add the runs of bits, last first, some cut in two adjacent pieces:
 * OpenSSL's canonize sorts and merges them but refuses overlaps.
 */
static void
add_runs(const uint8_t *bits, IPAddrBlocks *blocks, ASIdentifiers *asid)
{
	unsigned	 a, b = U, cut;

	while (b > 0) {
		while (b > 0 && !bits[b - 1])
			b--;
		if (b == 0)
			break;
		for (a = b - 1; a > 0 && bits[a - 1]; a--)
			continue;
		cut = a + rnd(b - a);
		if (cut > a && rnd(3) == 0) {
			add_range(blocks, asid, cut, b - 1);
			add_range(blocks, asid, a, cut - 1);
		} else
			add_range(blocks, asid, a, b - 1);
		b = a;
	}
}

/*
 * Bits of a likely child of parent: half the time its intersection with
 * random ranges, sometimes with one address more; else random.
 */
static void
child_bits(const uint8_t *parent, uint8_t *bits)
{
	unsigned	 i, any = 0;

	random_bits(bits);
	if (rnd(2) == 0)
		return;
	for (i = 0; i < U; i++)
		any |= bits[i] &= parent[i];
	if (!any)
		memcpy(bits, parent, U);
	if (rnd(4) == 0)
		bits[rnd(U)] = 1;
}

/* The set of the bits, decoded from a certificate. */
static struct ipres *
set_of(const uint8_t *vbits, const uint8_t *abits)
{
	IPAddrBlocks	*blocks = sk_IPAddressFamily_new_null();
	ASIdentifiers	*asid = ASIdentifiers_new();
	struct ipres	*res;

	add_runs(vbits, blocks, NULL);
	add_runs(abits, NULL, asid);
	assert_int_equal(X509v3_addr_canonize(blocks), 1);
	assert_int_equal(X509v3_asid_canonize(asid), 1);
	res = parse_ok(cert_with(blocks, 1, asid, 1));
	cleanup_blocks(blocks, asid);
	return res;
}

/* A random set, its members marked in the bitmaps. */
static struct ipres *
random_set(uint8_t *vbits, uint8_t *abits)
{
	random_bits(vbits);
	random_bits(abits);
	return set_of(vbits, abits);
}

static void
test_property_containment(void **state)
{
	static uint8_t	 pv[U], pa[U], cv[U], ca[U];
	struct ipres	*parent, *child;
	struct err	 e;
	unsigned	 round, i, v4in, asin, yes = 0;
	uint8_t		 addr[16];

	(void)state;
	for (round = 0; round < 400; round++) {
		parent = random_set(pv, pa);
		child_bits(pv, cv);
		child_bits(pa, ca);
		child = set_of(cv, ca);
		/* Decoding keeps exactly the addresses and ASes. */
		for (i = 0; i < U; i++) {
			v4(i, addr);
			assert_int_equal(ipres_covers(parent, AFI_IPV4, addr,
			    32), pv[i]);
			assert_int_equal(asres_covers(parent, AS0 + i),
			    pa[i]);
		}
		v4in = asin = 1;
		for (i = 0; i < U; i++) {
			v4in &= !cv[i] || pv[i];
			asin &= !ca[i] || pa[i];
		}
		/* Compare each kind alone, then both. */
		child->present = IPRES_BIT(IPRES_V4);
		assert_int_equal(ipres_contains("c", parent, child, &e),
		    v4in);
		if (!v4in)
			assert_contains(e.msg, "c: RFC 3779 section 2.3: IPv4 "
			    "resources: want within the issuer's, have ");
		child->present = IPRES_BIT(IPRES_AS);
		assert_int_equal(ipres_contains("c", parent, child, &e),
		    asin);
		if (!asin)
			assert_contains(e.msg, "section 3.3: AS resources");
		child->present |= IPRES_BIT(IPRES_V4);
		assert_int_equal(ipres_contains("c", parent, child, &e),
		    v4in && asin);
		yes += v4in && asin;
		/* A set contains itself. */
		assert_int_equal(ipres_contains("c", parent, parent, &e), 1);
		ipres_free(parent);
		ipres_free(child);
	}
	/* Both verdicts were seen often. */
	assert_true(yes > 40 && yes < 360);
}

static void
test_property_prefixes(void **state)
{
	static uint8_t	 pv[U], pa[U];
	struct ipres	*set;
	unsigned	 round, k, plen, start, n, i, want;
	uint8_t		 addr[16];

	(void)state;
	for (round = 0; round < 100; round++) {
		set = random_set(pv, pa);
		for (k = 0; k < 50; k++) {
			plen = 22 + rnd(11);
			n = 1u << (32 - plen);
			start = rnd(U / n) * n;
			want = 1;
			for (i = start; i < start + n; i++)
				want &= pv[i];
			v4(start, addr);
			assert_int_equal(ipres_covers(set, AFI_IPV4, addr,
			    (uint8_t)plen), want);
		}
		v4(0, addr);
		assert_false(ipres_covers(set, AFI_IPV4, addr, 8));
		assert_false(ipres_covers(set, AFI_IPV6, addr, 32));
		assert_false(ipres_covers(set, AFI_IPV4, addr, 33));
		ipres_free(set);
	}
}

/* Many ranges: binary search agrees with a linear scan. */
static void
test_large_set(void **state)
{
	IPAddrBlocks	*blocks = sk_IPAddressFamily_new_null();
	ASIdentifiers	*asid = ASIdentifiers_new();
	struct ipres	*res;
	uint8_t		 lo[16];
	unsigned	 i;

	(void)state;
	/* 5000 /24s, every other one, from 20.0.0.0; ASes 2i. */
	for (i = 0; i < 5000; i++) {
		memset(lo, 0, 16);
		lo[0] = 20;
		lo[1] = (uint8_t)((2 * i) >> 8);
		lo[2] = (uint8_t)(2 * i);
		assert_int_equal(X509v3_addr_add_prefix(blocks, IANA_AFI_IPV4,
		    NULL, lo, 24), 1);
		assert_int_equal(X509v3_asid_add_id_or_range(asid,
		    V3_ASID_ASNUM, ASN1_INTEGER_new(), NULL), 1);
		ASN1_INTEGER_set(sk_ASIdOrRange_value(
		    asid->asnum->u.asIdsOrRanges, i)->u.id, 2 * i);
	}
	assert_int_equal(X509v3_addr_canonize(blocks), 1);
	assert_int_equal(X509v3_asid_canonize(asid), 1);
	res = parse_ok(cert_with(blocks, 1, asid, 1));
	cleanup_blocks(blocks, asid);
	assert_int_equal(res->naddr[IPRES_V4], 5000);
	assert_int_equal(res->nas, 5000);
	for (i = 0; i < 10000; i++) {
		memset(lo, 0, 16);
		lo[0] = 20;
		lo[1] = (uint8_t)(i >> 8);
		lo[2] = (uint8_t)i;
		assert_int_equal(ipres_covers(res, AFI_IPV4, lo, 24),
		    i % 2 == 0);
		assert_int_equal(ipres_covers(res, AFI_IPV4, lo, 23), 0);
		assert_int_equal(asres_covers(res, i), i % 2 == 0);
	}
	ipres_free(res);
}

static void
test_inherit(void **state)
{
	IPAddrBlocks	*pb = sk_IPAddressFamily_new_null();
	IPAddrBlocks	*cb = sk_IPAddressFamily_new_null();
	ASIdentifiers	*ca = ASIdentifiers_new();
	unsigned char	 net[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct ipres	*parent, *child;
	struct err	 e;

	(void)state;
	X509v3_addr_add_prefix(pb, IANA_AFI_IPV6, NULL, net, 32);
	parent = parse_ok(cert_with(pb, 1, NULL, 0));
	X509v3_addr_add_inherit(cb, IANA_AFI_IPV4, NULL);
	X509v3_addr_add_inherit(cb, IANA_AFI_IPV6, NULL);
	X509v3_asid_add_inherit(ca, V3_ASID_ASNUM);
	child = parse_ok(cert_with(cb, 1, ca, 1));
	assert_int_equal(child->inherit, IPRES_BIT(IPRES_V4) |
	    IPRES_BIT(IPRES_V6) | IPRES_BIT(IPRES_AS));

	/* Inherited kinds are the parent's: always contained. */
	assert_int_equal(ipres_contains("c", parent, child, &e), 1);
	/* Unresolved, it covers nothing. */
	assert_false(ipres_covers(child, AFI_IPV6, net, 48));
	assert_int_equal(ipres_inherit(child, parent, &e), 0);
	assert_int_equal(child->inherit, 0);
	assert_int_equal(child->inherited, IPRES_BIT(IPRES_V4) |
	    IPRES_BIT(IPRES_V6) | IPRES_BIT(IPRES_AS));
	assert_true(ipres_covers(child, AFI_IPV6, net, 48));
	assert_false(ipres_covers(child, AFI_IPV4, net, 8));
	assert_false(asres_covers(child, 65000));
	/* Resolved, the child holds exactly the parent's. */
	assert_int_equal(ipres_contains("c", child, parent, &e), 1);

	/* An explicit child under a parent still inheriting. */
	ipres_free(child);
	child = parse_ok(cert_with(cb, 1, ca, 1));
	assert_int_equal(ipres_contains("p", child, parent, &e), 0);
	assert_contains(e.msg, "p: RFC 3779 section 2.3: IPv6 resources: "
	    "want the issuer's resolved, have inherit");
	assert_int_equal(ipres_inherit(parent, child, &e), 0);
	assert_int_equal(ipres_inherit(child, child, &e), -1);
	assert_contains(e.msg, "want the issuer's resolved, have inherit");
	ipres_free(child);
	ipres_free(parent);
	sk_IPAddressFamily_pop_free(pb, IPAddressFamily_free);
	cleanup_blocks(cb, ca);
}

static void
test_range_text(void **state)
{
	struct ipres_range	 r;
	char			 buf[IPRES_RANGE_STRLEN];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.lo[0] = r.hi[0] = 10;
	r.hi[1] = r.hi[2] = r.hi[3] = 255;
	assert_string_equal(ipres_range_text(AFI_IPV4, &r, buf),
	    "10.0.0.0/8");
	r.lo[3] = 1;
	r.hi[1] = r.hi[2] = 0;
	r.hi[3] = 5;
	assert_string_equal(ipres_range_text(AFI_IPV4, &r, buf),
	    "10.0.0.1-10.0.0.5");
	memset(&r, 0, sizeof(r));
	r.lo[0] = r.hi[0] = 0x20;
	r.lo[1] = r.hi[1] = 0x01;
	r.lo[2] = r.hi[2] = 0x0d;
	r.lo[3] = r.hi[3] = 0xb8;
	memset(r.hi + 4, 0xff, 12);
	assert_string_equal(ipres_range_text(AFI_IPV6, &r, buf),
	    "2001:db8::/32");
	memset(r.hi, 0xff, 16);
	memset(r.lo, 0, 16);
	assert_string_equal(ipres_range_text(AFI_IPV6, &r, buf), "::/0");
}

/* An IPAddressFamily with addressFamily octets fam, inheriting. */
static IPAddrBlocks *
family_blocks(const unsigned char *fam, int len)
{
	IPAddrBlocks	*blocks = sk_IPAddressFamily_new_null();
	IPAddressFamily	*f = IPAddressFamily_new();

	ASN1_OCTET_STRING_set(f->addressFamily, fam, len);
	f->ipAddressChoice->type = IPAddressChoice_inherit;
	f->ipAddressChoice->u.inherit = ASN1_NULL_new();
	sk_IPAddressFamily_push(blocks, f);
	return blocks;
}

static void
test_decode_rules(void **state)
{
	static const unsigned char afi3[] = { 0, 3 }, safi[] = { 0, 1, 1 };
	unsigned char	 net[16] = { 10 }, half[16] = { 10, 128 };
	IPAddrBlocks	*b;
	ASIdentifiers	*a;
	struct ipres	*res;

	(void)state;
	b = family_blocks(afi3, 2);
	parse_fails(cert_with(b, 1, NULL, 0), "RFC 6487 section 4.8.10: "
	    "addressFamily: want AFI 1 or 2, have 3");
	sk_IPAddressFamily_pop_free(b, IPAddressFamily_free);

	b = family_blocks(safi, 3);
	parse_fails(cert_with(b, 1, NULL, 0), "RFC 6487 section 4.8.10: "
	    "addressFamily: want an AFI without SAFI, have 3 octets");
	sk_IPAddressFamily_pop_free(b, IPAddressFamily_free);

	b = sk_IPAddressFamily_new_null();
	X509v3_addr_add_prefix(b, IANA_AFI_IPV4, NULL, net, 8);
	parse_fails(cert_with(b, 0, NULL, 0), "RFC 6487 section 4.8.10: "
	    "sbgp-ipAddrBlock: want critical, have non-critical");
	/* Out of order and overlapping: not canonical. */
	X509v3_addr_add_prefix(b, IANA_AFI_IPV4, NULL, half, 9);
	parse_fails(cert_with(b, 1, NULL, 0), "RFC 3779 section 2.2.3.6: "
	    "sbgp-ipAddrBlock: want canonical form");
	sk_IPAddressFamily_pop_free(b, IPAddressFamily_free);

	b = sk_IPAddressFamily_new_null();
	parse_fails(cert_with(b, 1, NULL, 0), "sbgp-ipAddrBlock: want at "
	    "least one address family, have none");
	sk_IPAddressFamily_pop_free(b, IPAddressFamily_free);

	a = ASIdentifiers_new();
	X509v3_asid_add_inherit(a, V3_ASID_RDI);
	X509v3_asid_add_inherit(a, V3_ASID_ASNUM);
	parse_fails(cert_with(NULL, 0, a, 1), "RFC 6487 section 4.8.11: "
	    "sbgp-autonomousSysNum: want no rdi, have rdi");
	ASIdentifiers_free(a);

	a = ASIdentifiers_new();
	X509v3_asid_add_inherit(a, V3_ASID_ASNUM);
	parse_fails(cert_with(NULL, 0, a, 0), "section 4.8.11: "
	    "sbgp-autonomousSysNum: want critical, have non-critical");
	res = parse_ok(cert_with(NULL, 0, a, 1));
	assert_int_equal(res->present, IPRES_BIT(IPRES_AS));
	assert_int_equal(res->inherit, IPRES_BIT(IPRES_AS));
	ipres_free(res);
	ASIdentifiers_free(a);

	/* AS 2^32 does not fit. */
	a = ASIdentifiers_new();
	X509v3_asid_add_id_or_range(a, V3_ASID_ASNUM, ASN1_INTEGER_new(),
	    NULL);
	ASN1_INTEGER_set_uint64(sk_ASIdOrRange_value(a->asnum->u.asIdsOrRanges,
	    0)->u.id, 4294967296ULL);
	parse_fails(cert_with(NULL, 0, a, 1), "RFC 3779 section 3.2.3.8: "
	    "ASId: want 0..4294967295");
	ASIdentifiers_free(a);

	/* Neither extension: an empty set, not an error here. */
	res = parse_ok(X509_new());
	assert_int_equal(res->present, 0);
	assert_false(asres_covers(res, 1));
	ipres_free(res);
	ipres_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_property_containment),
		cmocka_unit_test(test_property_prefixes),
		cmocka_unit_test(test_large_set),
		cmocka_unit_test(test_inherit),
		cmocka_unit_test(test_range_text),
		cmocka_unit_test(test_decode_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
