/*
 * test_vroa.c - ROAs (validator/roa.c, RFC 9582): the real and the
 * known-bad ROAs of the shared fixtures, eContents written here that
 * break one rule each, and ROAs signed here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "roa.h"
#include "vrp.h"

#include "sotest.h"
#include "testutil.h"

/* AS64496: 192.0.2.0/24-28, 198.51.100.0/24; 2001:db8::/32-48. */
#define GOOD_ROA							\
	"30{ 02:00FBF0 30{"						\
	"  30{ 04:0001 30{ 30{ 03:00C00002 02:1C } 30{ 03:00C63364 } } }" \
	"  30{ 04:0002 30{ 30{ 03:0020010DB8 02:30 } } } } }"

static struct roa *
econtent_ok(const char *text)
{
	struct roa	*r;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = so_der_text(text, &len);
	memset(&e, 0, sizeof(e));
	if ((r = roa_parse_econtent("x.roa", der, len, &e)) == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	free(der);
	return r;
}

static void
econtent_fail(const char *text, const char *want)
{
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = so_der_text(text, &len);
	memset(&e, 0, sizeof(e));
	assert_null(roa_parse_econtent("x.roa", der, len, &e));
	assert_contains(e.msg, "x.roa: ");
	assert_contains(e.msg, want);
	free(der);
}

/* Prefix i of r as text "p/len-maxlen". */
static const char *
pfx(const struct roa *r, size_t i, char *buf)
{
	struct vrp	v;
	size_t		n;

	memset(&v, 0, sizeof(v));
	memcpy(v.addr, r->prefixes[i].addr, sizeof(v.addr));
	v.afi = r->prefixes[i].afi;
	v.plen = r->prefixes[i].plen;
	n = prefix_format(&v, buf);
	snprintf(buf + n, 8, "-%u", r->prefixes[i].maxlen);
	return buf;
}

/* ---- the shared fixtures ------------------------------------------------ */

static void
test_fixture_example(void **state)
{
	struct roa	*r;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;
	char		 buf[64];

	(void)state;
	/*
	 * BER (indefinite lengths) at the CMS level, as the RIPE NCC
	 * published it in 2019: roa_parse wants DER.  Its eContent is DER
	 * and is what openssl cms -cmsout -print shows: AS209870,
	 * 2a0c:b642:fc0::/43 with maxLength 43.
	 */
	der = so_read("example-ripe.roa", &len);
	memset(&e, 0, sizeof(e));
	assert_null(roa_parse("example-ripe.roa", der, len, &e));
	assert_contains(e.msg, "example-ripe.roa: RFC 6488 section 2: "
	    "ContentInfo: want DER");
	free(der);

	der = so_econtent("example-ripe.roa", OID_CT_ROA, &len);
	r = roa_parse_econtent("example-ripe.roa", der, len, &e);
	assert_non_null(r);
	assert_int_equal(r->asid, 209870);
	assert_int_equal(r->nprefixes, 1);
	assert_int_equal(r->prefixes[0].afi, AFI_IPV6);
	assert_string_equal(pfx(r, 0, buf), "2a0c:b642:fc0::/43-43");
	assert_null(r->cms.ee);
	roa_free(r);
	free(der);
}

static void
test_fixtures_bad(void **state)
{
	static const struct {
		const char	*name, *want;
	} fx[] = {
		{ "prefix-len-overflow.roa", "RFC 9582 section 4.3.2.1: "
		    "address: want at most 32 bits (IPv4), have 124" },
		{ "maxlen-overflow.roa", "RFC 9582 section 4.3.2.2: maxLength "
		    "of 192.0.2.0/24: want 24..32, have 124" },
		{ "maxlen-underflow.roa", "RFC 9582 section 4.3.2.2: "
		    "maxLength of 192.0.2.0/24: want 24..32, have 2" },
	};
	struct err	 e;
	uint8_t		*der;
	size_t		 len, i;

	(void)state;
	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
		der = so_read(fx[i].name, &len);
		memset(&e, 0, sizeof(e));
		assert_null(roa_parse(fx[i].name, der, len, &e));
		assert_contains(e.msg, fx[i].name);
		assert_contains(e.msg, fx[i].want);
		free(der);
	}
	roa_free(NULL);
}

/* ---- eContents ---------------------------------------------------------- */

static void
test_good(void **state)
{
	struct roa	*r;
	char		 buf[64];

	(void)state;
	r = econtent_ok(GOOD_ROA);
	assert_int_equal(r->asid, 64496);
	assert_int_equal(r->nprefixes, 3);
	assert_string_equal(pfx(r, 0, buf), "192.0.2.0/24-28");
	assert_string_equal(pfx(r, 1, buf), "198.51.100.0/24-24");
	assert_string_equal(pfx(r, 2, buf), "2001:db8::/32-48");
	assert_int_equal(r->prefixes[0].afi, AFI_IPV4);
	assert_int_equal(r->prefixes[2].afi, AFI_IPV6);
	roa_free(r);

	/* AS0 (RFC 7607), a default route and a host route. */
	r = econtent_ok("30{ 02:00 30{ 30{ 04:0001 30{ 30{ 03:00 02:00 }"
	    " 30{ 03:00C0000201 02:20 } } } } }");
	assert_int_equal(r->asid, 0);
	assert_string_equal(pfx(r, 0, buf), "0.0.0.0/0-0");
	assert_string_equal(pfx(r, 1, buf), "192.0.2.1/32-32");
	roa_free(r);

	/* The largest AS number and a /128. */
	r = econtent_ok("30{ 02:00FFFFFFFF 30{ 30{ 04:0002 30{ 30{"
	    " 03:0020010DB8000000000000000000000001 } } } } }");
	assert_int_equal(r->asid, 4294967295U);
	assert_string_equal(pfx(r, 0, buf), "2001:db8::1/128-128");
	roa_free(r);
}

static void
test_version(void **state)
{
	(void)state;
	econtent_fail("30{ A0{ 02:00 } 02:01 30{ 30{ 04:0001 30{ 30{"
	    " 03:00C00002 } } } } }", "RFC 9582 section 4.1: version: want "
	    "absent (DER leaves out the DEFAULT 0), have 0 encoded "
	    "explicitly");
	econtent_fail("30{ A0{ 02:01 } 02:01 30{ 30{ 04:0001 30{ 30{"
	    " 03:00C00002 } } } } }", "RFC 9582 section 4.1: version: want 0, "
	    "have 1");
}

static void
test_asid(void **state)
{
	(void)state;
	econtent_fail("30{ 02:FF 30{ 30{ 04:0001 30{ 30{ 03:00C00002 } } } } }",
	    "RFC 9582 section 4.2: asID: want 0..4294967295, have -1");
	econtent_fail("30{ 02:0100000000 30{ 30{ 04:0001 30{ 30{"
	    " 03:00C00002 } } } } }", "RFC 9582 section 4.2: asID: want "
	    "0..4294967295, have 4294967296");
}

static void
test_families(void **state)
{
	(void)state;
	econtent_fail("30{ 02:01 30{ 30{ 04:0003 30{ 30{ 03:00C00002 } } } } }",
	    "RFC 9582 section 4.3.1: ipAddrBlocks[0] addressFamily: want "
	    "0001 (IPv4) or 0002 (IPv6), have 0003");
	econtent_fail("30{ 02:01 30{ 30{ 04:000101 30{ 30{ 03:00C00002 } } }"
	    " } }", "RFC 9582 section 4.3.1: ipAddrBlocks[0] addressFamily: "
	    "want 2 octets (an AFI, no SAFI), have 3");
	econtent_fail("30{ 02:01 30{ 30{ 04:0001 30{ 30{ 03:00C00002 } } }"
	    " 30{ 04:0001 30{ 30{ 03:00C63364 } } } } }", "RFC 9582 section "
	    "4.3.1: ipAddrBlocks[1] addressFamily: want each AFI once, have "
	    "IPv4 again");
	econtent_fail("30{ 02:01 30{ 30{ 04:0001 30{ 30{ 03:00C00002 } } }"
	    " 30{ 04:0002 30{ 30{ 03:0020010DB8 } } }"
	    " 30{ 04:0002 30{ 30{ 03:0020010DB9 } } } } }", "RFC 9582 section "
	    "4.3: ipAddrBlocks: want 1..2 address families, have 3");
	econtent_fail("30{ 02:01 30{ } }", "RFC 9582 section 4.3: "
	    "ipAddrBlocks: want 1..2 address families, have 0");
	econtent_fail("30{ 02:01 30{ 30{ 04:0001 30{ } } } }", "RFC 9582 "
	    "section 4.3.2: ipAddrBlocks[0] addresses: want 1 or more, have 0");
}

static void
test_addresses(void **state)
{
	(void)state;
	econtent_fail("30{ 02:01 30{ 30{ 04:0002 30{ 30{"
	    " 03:0720010DB800000000000000000000000080 } } } } }",
	    "RFC 9582 section 4.3.2.1: address: want at most 128 bits "
	    "(IPv6), have 129");
	econtent_fail("30{ 02:01 30{ 30{ 04:0001 30{ 30{ 03:00C00002 02:10 } }"
	    " } } }", "RFC 9582 section 4.3.2.2: maxLength of 192.0.2.0/24: "
	    "want 24..32, have 16");
	econtent_fail("30{ 02:01 30{ 30{ 04:0001 30{ 30{ 03:00C00002 02:21 } }"
	    " } } }", "maxLength of 192.0.2.0/24: want 24..32, have 33");
	econtent_fail("30{ 02:01 30{ 30{ 04:0002 30{ 30{ 03:0020010DB8 02:FF }"
	    " } } } }", "maxLength of 2001:db8::/32: want 32..128, have -1");
	/* 192.0.2.0/28 written with a non-zero bit past the prefix. */
	econtent_fail("30{ 02:01 30{ 30{ 04:0001 30{ 30{ 03:04C0000201 } } } }"
	    " }", "RFC 9582 section 4: RouteOriginAttestation: want DER, have "
	    "an encoding that does not re-encode to itself");
}

static void
test_encoding(void **state)
{
	struct err	 e;
	uint8_t		*der, *b;
	size_t		 len;

	(void)state;
	econtent_fail("04:00", "RFC 9582 section 4: RouteOriginAttestation: "
	    "want its ASN.1 structure, have bytes that do not decode as it");
	econtent_fail("", "do not decode");
	der = so_der_text(GOOD_ROA, &len);
	b = malloc(len + 1);
	assert_non_null(b);
	memcpy(b, der, len);
	b[len] = 0;
	memset(&e, 0, sizeof(e));
	assert_null(roa_parse_econtent("x.roa", b, len + 1, &e));
	assert_contains(e.msg, "RouteOriginAttestation: want nothing after "
	    "it, have 1 trailing bytes");
	assert_null(roa_parse_econtent("x.roa", b, len - 1, &e));
	free(b);
	free(der);
}

/* ---- signed here -------------------------------------------------------- */

static void
test_signed(void **state)
{
	EVP_PKEY	*key = so_key();
	X509		*ee = so_ee(key, NULL, 0);
	struct roa	*r;
	struct err	 e;
	uint8_t		*ec, *der;
	size_t		 eclen, len;

	(void)state;
	ec = so_der_text(GOOD_ROA, &eclen);
	der = so_sign(OID_CT_ROA, ec, eclen, ee, key, &len);
	memset(&e, 0, sizeof(e));
	r = roa_parse("x.roa", der, len, &e);
	if (r == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(r->asid, 64496);
	assert_int_equal(r->nprefixes, 3);
	assert_non_null(r->cms.ee);
	assert_null(r->cms.econtent);
	assert_int_equal(r->cms.signing_time, 1700000000);
	roa_free(r);
	OPENSSL_free(der);

	/* A ROA eContent signed as an ASPA. */
	der = so_sign(OID_CT_ASPA, ec, eclen, ee, key, &len);
	assert_null(roa_parse("x.roa", der, len, &e));
	assert_contains(e.msg, "x.roa: RFC 6488 section 2.1.3.1: eContentType: "
	    "want 1.2.840.113549.1.9.16.1.24, have 1.2.840.113549.1.9.16.1.49");
	OPENSSL_free(der);
	free(ec);

	/* A bad eContent behind a good envelope. */
	ec = so_der_text("30{ 02:01 30{ 30{ 04:0003 30{ 30{ 03:00C00002 } } }"
	    " } }", &eclen);
	der = so_sign(OID_CT_ROA, ec, eclen, ee, key, &len);
	assert_null(roa_parse("x.roa", der, len, &e));
	assert_contains(e.msg, "x.roa: RFC 9582 section 4.3.1");
	OPENSSL_free(der);
	free(ec);
	X509_free(ee);
	EVP_PKEY_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_example),
		cmocka_unit_test(test_fixtures_bad),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_asid),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_signed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
