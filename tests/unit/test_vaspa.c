/*
 * test_vaspa.c - ASPA objects (validator/aspa.c) in both eContent forms:
 * the shared fixtures, eContents written here that break one rule each,
 * and ASPAs signed here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aspa.h"

#include "sotest.h"
#include "testutil.h"

#define CURRENT_DOC	"draft-ietf-sidrops-aspa-profile section "
#define DRAFT08_DOC	"draft-ietf-sidrops-aspa-profile-08 section "

typedef struct aspa_obj *(*decoder)(const char *, const uint8_t *, size_t,
    struct err *);

static struct aspa_obj *
text_ok(decoder fn, const char *text)
{
	struct aspa_obj	*a;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = so_der_text(text, &len);
	memset(&e, 0, sizeof(e));
	if ((a = fn("x.asa", der, len, &e)) == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	free(der);
	return a;
}

static void
text_fail(decoder fn, const char *text, const char *want)
{
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = so_der_text(text, &len);
	memset(&e, 0, sizeof(e));
	assert_null(fn("x.asa", der, len, &e));
	assert_contains(e.msg, "x.asa: ");
	assert_contains(e.msg, want);
	free(der);
}

static void
assert_aspa(const struct aspa_obj *a, enum aspa_profile p, uint32_t cust,
    const uint32_t *prov, size_t n)
{
	size_t	i;

	assert_int_equal(a->profile, p);
	assert_int_equal(a->customer, cust);
	assert_int_equal(a->nproviders, n);
	for (i = 0; i < n; i++)
		assert_int_equal(a->providers[i], prov[i]);
}

/* ---- the shared fixtures ------------------------------------------------ */

static const uint32_t	fixture_prov[] = { 2914, 8283, 51088, 206238 };

static void
test_fixture_current(void **state)
{
	struct aspa_obj	*a;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	(void)state;
	der = so_read("aspa-content.der", &len);
	memset(&e, 0, sizeof(e));
	a = aspa_parse_econtent_current("aspa-content.der", der, len, &e);
	assert_non_null(a);
	assert_aspa(a, ASPA_PROFILE_CURRENT, 15562, fixture_prov, 4);
	assert_string_equal(aspa_profile_name(a->profile), "current");
	aspa_obj_free(a);
	a = aspa_parse_econtent("aspa-content.der", der, len, &e);
	assert_non_null(a);
	assert_aspa(a, ASPA_PROFILE_CURRENT, 15562, fixture_prov, 4);
	assert_int_equal(a->nafi_limited, 0);
	assert_null(a->cms.ee);
	aspa_obj_free(a);
	free(der);
	aspa_obj_free(NULL);
}

static void
test_fixture_draft13(void **state)
{
	struct aspa_obj	*a;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	(void)state;
	der = so_read("aspa-content-draft-13.der", &len);
	memset(&e, 0, sizeof(e));
	assert_null(aspa_parse_econtent_current("d13.der", der, len, &e));
	assert_contains(e.msg, "d13.der: " CURRENT_DOC "3.1: version: want 1, "
	    "explicitly encoded, have the draft-08..13 form (version absent, "
	    "ProviderAS sequences)");

	/*
	 * Drafts 08 to 13 share one ASN.1 module, so the combined decoder
	 * takes it as the draft-08 form, with the same payload.
	 */
	a = aspa_parse_econtent("d13.der", der, len, &e);
	assert_non_null(a);
	assert_aspa(a, ASPA_PROFILE_DRAFT08, 15562, fixture_prov, 4);
	assert_string_equal(aspa_profile_name(a->profile), "draft-08");
	aspa_obj_free(a);
	free(der);
}

static void
test_fixture_signed(void **state)
{
	static const uint32_t	 prov[] = { 65001, 65002 };
	struct aspa_obj		*a;
	struct err		 e;
	uint8_t			*der;
	size_t			 len;

	(void)state;
	/* Draft-08 form; AS65002 is limited to IPv4 and kept. */
	der = so_read("aspa-bm.asa", &len);
	memset(&e, 0, sizeof(e));
	a = aspa_parse("aspa-bm.asa", der, len, &e);
	if (a == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_aspa(a, ASPA_PROFILE_DRAFT08, 65000, prov, 2);
	assert_int_equal(a->nafi_limited, 1);
	assert_non_null(a->cms.ee);
	aspa_obj_free(a);
	free(der);
}

/* ---- the current form --------------------------------------------------- */

static void
test_current(void **state)
{
	static const uint32_t	 p1[] = { 0 };
	static const uint32_t	 p2[] = { 1, 4294967295U };
	struct aspa_obj		*a;

	(void)state;
	a = text_ok(aspa_parse_econtent_current,
	    "30{ A0{ 02:01 } 02:01 30{ 02:00 } }");
	assert_aspa(a, ASPA_PROFILE_CURRENT, 1, p1, 1);
	aspa_obj_free(a);
	a = text_ok(aspa_parse_econtent,
	    "30{ A0{ 02:01 } 02:00FFFFFFFE 30{ 02:01 02:00FFFFFFFF } }");
	assert_aspa(a, ASPA_PROFILE_CURRENT, 4294967294U, p2, 2);
	aspa_obj_free(a);

	text_fail(aspa_parse_econtent, "30{ A0{ 02:02 } 02:01 30{ 02:02 } }",
	    CURRENT_DOC "3.1: version: want 1, have 2");
	text_fail(aspa_parse_econtent, "30{ A0{ 02:00 } 02:01 30{ 02:02 } }",
	    CURRENT_DOC "3.1: version: want 1, have 0");
	text_fail(aspa_parse_econtent, "30{ A0{ 02:01 } 02:00 30{ 02:02 } }",
	    CURRENT_DOC "3.2: customerASID: want 1..4294967295");
	text_fail(aspa_parse_econtent,
	    "30{ A0{ 02:01 } 02:0100000000 30{ 02:02 } }",
	    CURRENT_DOC "3.2: customerASID: want 1..4294967295");
	text_fail(aspa_parse_econtent, "30{ A0{ 02:01 } 02:01 30{ } }",
	    CURRENT_DOC "3.3: providers: want 1 or more, have 0");
	text_fail(aspa_parse_econtent, "30{ A0{ 02:01 } 02:01 30{ 02:FF } }",
	    CURRENT_DOC "3.3: providers[0]: want 0..4294967295");
}

static void
test_current_providers(void **state)
{
	(void)state;
	text_fail(aspa_parse_econtent,
	    "30{ A0{ 02:01 } 02:3CCA 30{ 02:205B 02:0B62 } }",
	    CURRENT_DOC "3.3: providers: want strictly ascending, have AS2914 "
	    "after AS8283 at [1]");
	text_fail(aspa_parse_econtent,
	    "30{ A0{ 02:01 } 02:3CCA 30{ 02:0B62 02:0B62 } }",
	    CURRENT_DOC "3.3: providers: want strictly ascending, have AS2914 "
	    "after AS2914 at [1]");
	text_fail(aspa_parse_econtent,
	    "30{ A0{ 02:01 } 02:3CCA 30{ 02:0B62 02:3CCA 02:205B } }",
	    CURRENT_DOC "3.3: providers: want the customer AS15562 absent, "
	    "have it at [1]");
}

/* ---- the draft-08 form -------------------------------------------------- */

static void
test_draft08(void **state)
{
	static const uint32_t	 prov[] = { 65001, 65002, 65003 };
	struct aspa_obj		*a;

	(void)state;
	a = text_ok(aspa_parse_econtent, "30{ 02:00FDE8 30{ 30{ 02:00FDE9 }"
	    " 30{ 02:00FDEA 04:0001 } 30{ 02:00FDEB 04:0002 } } }");
	assert_aspa(a, ASPA_PROFILE_DRAFT08, 65000, prov, 3);
	assert_int_equal(a->nafi_limited, 2);
	aspa_obj_free(a);

	text_fail(aspa_parse_econtent_current, "30{ 02:00FDE8 30{"
	    " 30{ 02:00FDE9 } } }", "have the draft-08..13 form");
	text_fail(aspa_parse_econtent, "30{ 02:00FDE8 30{ 30{ 02:00FDE9"
	    " 04:0003 } } }", DRAFT08_DOC "3.3: providers[0] afiLimit: want "
	    "0001 (IPv4) or 0002 (IPv6), have 2 octet(s)");
	text_fail(aspa_parse_econtent, "30{ 02:00FDE8 30{ 30{ 02:00FDE9"
	    " 04:000101 } } }", "afiLimit: want 0001 (IPv4) or 0002 (IPv6), "
	    "have 3 octet(s)");
	text_fail(aspa_parse_econtent, "30{ A0{ 02:00 } 02:00FDE8 30{"
	    " 30{ 02:00FDE9 } } }", DRAFT08_DOC "3.1: version: want absent "
	    "(DER leaves out the DEFAULT 0), have 0 encoded explicitly");
	text_fail(aspa_parse_econtent, "30{ 02:00FDE8 30{ 30{ 02:00FDEA }"
	    " 30{ 02:00FDE9 } } }", DRAFT08_DOC "3.3: providers: want strictly "
	    "ascending, have AS65001 after AS65002 at [1]");
	text_fail(aspa_parse_econtent, "30{ 02:00FDE8 30{ 30{ 02:00FDE8 } } }",
	    DRAFT08_DOC "3.3: providers: want the customer AS65000 absent");
	text_fail(aspa_parse_econtent, "30{ 02:00FDE8 30{ } }",
	    DRAFT08_DOC "3.3: providers: want 1 or more, have 0");
	text_fail(aspa_parse_econtent, "30{ 02:FF 30{ 30{ 02:01 } } }",
	    DRAFT08_DOC "3.2: customerASID: want 0..4294967295");
	text_fail(aspa_parse_econtent, "30{ 02:01 30{ 30{ 02:FF } } }",
	    DRAFT08_DOC "3.3: providers[0] providerASID: want 0..4294967295");
}

static void
test_encoding(void **state)
{
	(void)state;
	text_fail(aspa_parse_econtent, "04:00", CURRENT_DOC "3: "
	    "ASProviderAttestation: want the current form (version [0] 1, "
	    "providers SEQUENCE OF ASID) or the draft-08 form (version "
	    "absent, providers SEQUENCE OF ProviderAS), have neither");
	text_fail(aspa_parse_econtent, "", "have neither");
	text_fail(aspa_parse_econtent_current, "30{ 02:01 30{ 02:02 } }",
	    CURRENT_DOC "3: ASProviderAttestation: want its ASN.1 structure");
	text_fail(aspa_parse_econtent,
	    "30{ A0{ 02:01 } 02:01 30{ 02:02 } } 00:", "want nothing after it, "
	    "have 2 trailing bytes");
	text_fail(aspa_parse_econtent, "30{ 02:01 30{ 30{ 02:02 } } } 05:",
	    DRAFT08_DOC "3: ASProviderAttestation: want nothing after it");
}

/* ---- signed here -------------------------------------------------------- */

static void
test_signed(void **state)
{
	static const uint32_t	 prov[] = { 2914, 8283 };
	static const char *const text[] = {
		"30{ A0{ 02:01 } 02:3CCA 30{ 02:0B62 02:205B } }",
		"30{ 02:3CCA 30{ 30{ 02:0B62 } 30{ 02:205B 04:0002 } } }",
	};
	EVP_PKEY		*key = so_key();
	X509			*ee = so_ee(key, NULL, 0);
	struct aspa_obj		*a;
	struct err		 e;
	uint8_t			*ec, *der;
	size_t			 eclen, len, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		ec = so_der_text(text[i], &eclen);
		der = so_sign(OID_CT_ASPA, ec, eclen, ee, key, &len);
		memset(&e, 0, sizeof(e));
		if ((a = aspa_parse("x.asa", der, len, &e)) == NULL) {
			print_error("%s\n", e.msg);
			fail();
		}
		assert_aspa(a, i == 0 ? ASPA_PROFILE_CURRENT :
		    ASPA_PROFILE_DRAFT08, 15562, prov, 2);
		assert_true(so_ee_is(a->cms.ee, ee));
		aspa_obj_free(a);
		OPENSSL_free(der);

		der = so_sign(OID_CT_ROA, ec, eclen, ee, key, &len);
		assert_null(aspa_parse("x.asa", der, len, &e));
		assert_contains(e.msg, "x.asa: RFC 6488 section 2.1.3.1: "
		    "eContentType: want 1.2.840.113549.1.9.16.1.49, have "
		    "1.2.840.113549.1.9.16.1.24");
		OPENSSL_free(der);
		free(ec);
	}

	/* Unsorted providers behind a good envelope. */
	ec = so_der_text("30{ A0{ 02:01 } 02:3CCA 30{ 02:205B 02:0B62 } }",
	    &eclen);
	der = so_sign(OID_CT_ASPA, ec, eclen, ee, key, &len);
	assert_null(aspa_parse("x.asa", der, len, &e));
	assert_contains(e.msg, "x.asa: " CURRENT_DOC "3.3: providers: want "
	    "strictly ascending");
	OPENSSL_free(der);
	free(ec);
	X509_free(ee);
	EVP_PKEY_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_current),
		cmocka_unit_test(test_fixture_draft13),
		cmocka_unit_test(test_fixture_signed),
		cmocka_unit_test(test_current),
		cmocka_unit_test(test_current_providers),
		cmocka_unit_test(test_draft08),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_signed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
