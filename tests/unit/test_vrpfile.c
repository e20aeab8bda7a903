/*
 * test_vrpfile.c - reading and writing VRP files: OctoRPKI/GoRTR JSON,
 * rpki-client JSON (both ASPA forms) and CSV; strict rejection with
 * located messages; write/parse round trips.
 *
 * Every input is handed to vrpfile_parse() in a buffer of exactly its
 * length, with no NUL after it, so that reading past the end shows up
 * under AddressSanitizer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "encoding.h"
#include "vrpfile.h"

#include "testutil.h"

#define NAME	"test.json"

/*
 * Router keys must be P-256 SubjectPublicKeyInfos (RFC 8208 section 3.2).
 * PUBKEY_B64 is the body of GoRTR's cf.pub, PUBKEY2_B64 that of
 * fixtures/signed/demo-fixture.pub.pem, P384_B64 a P-384 key.
 */
#define PUBKEY_B64 "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEvh5HhsIBgt8gOLbTHrDc" \
	"DMB9Kk2LzxJj75hAr9FCjyCljETiw5ArYYmFvgM4htqAdvBf1IOFtPGKRP1bllg5A=="
#define PUBKEY2_B64 "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAES2Xfj7B2+kdHAatTEjYH" \
	"apulVjamQidfX2qJpRdu+HaAW4KLjXqjvYl/69tlo6FdJCFKSRInR9za5FKuts4giQ=="
#define P384_B64 "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEiT/ToYsbo6lgO6yx631NqH0f/X9V" \
	"smrh0YxvI8izvUwqP5j662dK5mbB9yWjo6127bdfQi8h0BkbDHuQ+Dr0wr4ibm6n49vI" \
	"Fgag5umpheyc+aT8AddYWxq3FGtazTkh"

/* Parse len bytes of s from an exact-size heap copy. */
static int
parse_n(const char *s, size_t len, int flags, struct vrpfile *f,
    struct err *e)
{
	char	*copy = malloc(len ? len : 1);
	int	 rc;

	assert_non_null(copy);
	memcpy(copy, s, len);
	memset(e, 0, sizeof(*e));
	rc = vrpfile_parse(copy, len, NAME, flags, f, e);
	free(copy);
	return rc;
}

static int
parse(const char *s, struct vrpfile *f, struct err *e)
{
	return parse_n(s, strlen(s), VRPFILE_SIGLINES, f, e);
}

static void
parse_ok(const char *s, struct vrpfile *f)
{
	struct err e;

	if (parse(s, f, &e) != 0) {
		print_error("parse failed: %s\n", e.msg);
		fail();
	}
	assert_non_null(f->set);
}

static int
is_zeroed(const struct vrpfile *f)
{
	static const struct vrpfile zero;

	return memcmp(f, &zero, sizeof(zero)) == 0;
}

static const char *
fmt_prefix(const struct vrp *v)
{
	static char buf[PREFIX_STRLEN];

	prefix_format(v, buf);
	return buf;
}

/* ---- accepted formats -------------------------------------------------- */

/* Whether sl holds the line want. */
static int
has_line(const struct siglines *sl, const char *want)
{
	size_t	i;

	for (i = 0; i < sl->n; i++)
		if (strcmp(sl->pool + sl->off[i], want) == 0)
			return 1;
	return 0;
}

static void
test_octorpki(void **state)
{
	const char *doc =
	    "{\n"
	    "  \"metadata\": { \"counts\": 3, \"generated\": 1700000000,\n"
	    "    \"valid\": 1700003600, \"serial\": 7 },\n"
	    "  \"roas\": [\n"
	    "    { \"prefix\": \"10.0.0.0/8\", \"maxLength\": 24,\n"
	    "      \"asn\": \"AS65000\", \"ta\": \"ripe\" },\n"
	    "    { \"prefix\": \"2001:DB8::/32\", \"maxLength\": 48,\n"
	    "      \"asn\": 65001, \"ta\": \"arin\" },\n"
	    "    { \"prefix\": \"192.0.2.0/24\", \"maxLength\": 24,\n"
	    "      \"asn\": \"as0\", \"ta\": \"apnic\", \"expires\": 5 }\n"
	    "  ]\n"
	    "}\n";
	struct vrpfile		 f;
	const struct vrpset	*s;

	(void)state;
	parse_ok(doc, &f);
	s = f.set;
	assert_int_equal(f.meta.format, VRPFILE_OCTORPKI);
	assert_int_equal(f.nroas, 3);
	assert_int_equal(s->nvrps, 3);
	assert_int_equal(s->naspas + s->nrkeys, 0);
	assert_true(f.meta.has_generated && f.meta.has_valid &&
	    f.meta.has_counts && f.meta.has_serial);
	assert_int_equal(f.meta.generated, 1700000000);
	assert_int_equal(f.meta.valid, 1700003600);
	assert_int_equal(f.meta.counts, 3);
	assert_int_equal(f.meta.serial, 7);
	assert_null(f.meta.signature);

	/* Sorted: 10/8, 192.0.2/24, then IPv6. */
	assert_string_equal(fmt_prefix(&s->vrps[0]), "10.0.0.0/8");
	assert_int_equal(s->vrps[0].maxlen, 24);
	assert_int_equal(s->vrps[0].asn, 65000);
	assert_string_equal(vrpset_ta_name(s, s->vrps[0].ta), "ripe");
	assert_string_equal(fmt_prefix(&s->vrps[1]), "192.0.2.0/24");
	assert_int_equal(s->vrps[1].asn, 0);
	assert_int_equal(s->vrps[1].expires, 5);
	assert_string_equal(fmt_prefix(&s->vrps[2]), "2001:db8::/32");
	assert_int_equal(s->vrps[2].asn, 65001);
	assert_string_equal(vrpset_ta_name(s, s->vrps[2].ta), "arin");

	/*
	 * The signature input keeps the prefix and ASN as written in the
	 * file (in no particular order: the digest sorts the lines).
	 */
	assert_int_equal(f.sig.n, 3);
	assert_true(has_line(&f.sig, "10.0.0.0/8,24,AS65000,"));
	assert_true(has_line(&f.sig, "2001:DB8::/32,48,65001,"));
	assert_true(has_line(&f.sig, "192.0.2.0/24,24,as0,"));
	vrpfile_free(&f);
	assert_true(is_zeroed(&f));
}

/*
 * Signature lines made from the parsed entries where the text is what
 * the writer writes, copied where it is not, duplicates kept: the same
 * lines as the text's, whichever way each was made.  Through
 * vrpfile_parse_take, which frees the text (ASan: once).
 */
static void
test_siglines_made(void **state)
{
	const char	*doc = "{\"roas\":["
	    "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"asn\":\"AS1\"},"
	    "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"asn\":\"AS1\"},"
	    "{\"prefix\":\"2001:db8::/32\",\"maxLength\":32,\"asn\":\"AS2\"},"
	    "{\"prefix\":\"2001:0db8::/32\",\"maxLength\":33,\"asn\":\"AS2\"},"
	    "{\"prefix\":\"10.1.0.0/16\",\"maxLength\":24,\"asn\":3},"
	    "{\"prefix\":\"10.2.0.0/16\",\"maxLength\":16,\"asn\":\"as4\"}"
	    "]}";
	static const char *want[] = {
		"10.0.0.0/8,8,AS1,", "10.0.0.0/8,8,AS1,",
		"2001:db8::/32,32,AS2,", "2001:0db8::/32,33,AS2,",
		"10.1.0.0/16,24,3,", "10.2.0.0/16,16,as4,",
	};
	struct vrpfile	 f;
	struct err	 e;
	char		*buf;
	size_t		 i, j, seen;

	(void)state;
	assert_non_null(buf = strdup(doc));
	if (vrpfile_parse_take(buf, strlen(doc), "t.json", VRPFILE_SIGLINES,
	    &f, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(f.nroas, 6);
	assert_int_equal(f.set->nvrps, 5);	/* the duplicate folded */
	assert_int_equal(f.sig.n, 6);		/* but signed twice */
	for (i = 0; i < 6; i++) {
		seen = 0;
		for (j = 0; j < 6; j++)
			seen += strcmp(want[j], want[i]) == 0;
		for (j = 0; j < f.sig.n; j++)
			seen -= strcmp(f.sig.pool + f.sig.off[j], want[i])
			    == 0;
		if (seen != 0)
			fail_msg("line %s: count differs", want[i]);
	}
	vrpfile_free(&f);

	/* A bad file: the text is freed all the same. */
	assert_non_null(buf = strdup("{\"roas\":[{\"prefix\":1}]}"));
	assert_int_equal(vrpfile_parse_take(buf, strlen(buf), "t.json",
	    VRPFILE_SIGLINES, &f, &e), -1);
	assert_true(is_zeroed(&f));
}

static void
test_no_siglines_without_flag(void **state)
{
	const char	*doc = "{\"roas\":[{\"prefix\":\"10.0.0.0/8\","
	    "\"maxLength\":8,\"asn\":1}]}";
	struct vrpfile	 f;
	struct err	 e;

	(void)state;
	assert_int_equal(parse_n(doc, strlen(doc), 0, &f, &e), 0);
	assert_int_equal(f.nroas, 1);
	assert_int_equal(f.sig.n, 0);
	assert_null(f.sig.pool);
	/* A missing "ta" is the empty TA name. */
	assert_string_equal(vrpset_ta_name(f.set, f.set->vrps[0].ta), "");
	vrpfile_free(&f);
}

static const char rpkiclient_doc[] =
    "{\n"
    "\t\"metadata\": {\n"
    "\t\t\"buildmachine\": \"rpki.example.net\",\n"
    "\t\t\"buildtime\": \"2024-01-01T00:00:00Z\",\n"
    "\t\t\"generated\": 1704067200,\n"
    "\t\t\"elapsedtime\": 42,\n"
    "\t\t\"roas\": 2,\n"
    "\t\t\"vrps\": 2,\n"
    "\t\t\"uniquevrps\": 2\n"
    "\t},\n"
    "\t\"roas\": [\n"
    "\t\t{ \"asn\": 65000, \"prefix\": \"10.0.0.0/8\", \"maxLength\": 24,"
    " \"ta\": \"ripe\", \"expires\": 1704153600 },\n"
    "\t\t{ \"asn\": 65001, \"prefix\": \"2001:db8::/32\", \"maxLength\":"
    " 48, \"ta\": \"arin\", \"expires\": 1704153601 }\n"
    "\t],\n"
    "\t\"bgpsec_keys\": [\n"
    "\t\t{ \"asn\": 65000, \"ski\": \"0123456789ABCDEF0123456789abcdef"
    "01234567\", \"pubkey\": \"" PUBKEY_B64 "\", \"ta\": \"ripe\","
    " \"expires\": 1704153602 }\n"
    "\t],\n"
    "\t\"aspas\": [\n"
    "\t\t{ \"customer_asid\": 65000, \"expires\": 1704153603,"
    " \"providers\": [ 3, 1, 2, 2 ] },\n"
    "\t\t{ \"customer_asid\": 64999, \"expires\": 1704153604,"
    " \"providers\": [ \"AS7\" ] }\n"
    "\t]\n"
    "}";

static void
test_rpkiclient(void **state)
{
	static const uint8_t	 ski[SKI_LEN] = { 0x01, 0x23, 0x45, 0x67,
	    0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd,
	    0xef, 0x01, 0x23, 0x45, 0x67 };
	static const uint32_t	 prov[] = { 1, 2, 3 };
	struct vrpfile		 f;
	const struct vrpset	*s;
	uint8_t			*spki;
	size_t			 spkilen;

	(void)state;
	parse_ok(rpkiclient_doc, &f);
	s = f.set;
	assert_int_equal(f.meta.format, VRPFILE_RPKICLIENT);
	assert_int_equal(f.meta.generated, 1704067200);
	assert_int_equal(s->nvrps, 2);
	assert_int_equal(s->vrps[0].expires, 1704153600);
	assert_int_equal(s->vrps[1].expires, 1704153601);
	assert_string_equal(fmt_prefix(&s->vrps[1]), "2001:db8::/32");

	assert_int_equal(f.nrkeys, 1);
	assert_int_equal(s->nrkeys, 1);
	assert_int_equal(s->rkeys[0].asn, 65000);
	assert_memory_equal(s->rkeys[0].ski, ski, SKI_LEN);
	assert_int_equal(s->rkeys[0].expires, 1704153602);
	spki = base64_decode(PUBKEY_B64, strlen(PUBKEY_B64), 0, &spkilen);
	assert_non_null(spki);
	assert_int_equal(spkilen, 91);
	assert_int_equal(s->rkeys[0].spki_len, 91);
	assert_memory_equal(vrpset_spki(s, &s->rkeys[0]), spki, 91);
	free(spki);

	assert_int_equal(f.naspas, 2);
	assert_int_equal(s->naspas, 2);
	assert_int_equal(s->aspas[0].customer, 64999);
	assert_int_equal(s->aspas[0].prov_n, 1);
	assert_int_equal(vrpset_providers(s, &s->aspas[0])[0], 7);
	assert_int_equal(s->aspas[1].customer, 65000);
	assert_int_equal(s->aspas[1].prov_n, 3);
	assert_memory_equal(vrpset_providers(s, &s->aspas[1]), prov,
	    sizeof(prov));
	assert_int_equal(s->aspas[1].expires, 1704153603);
	vrpfile_free(&f);
}

static void
test_rpkiclient8(void **state)
{
	const char *doc =
	    "{ \"metadata\": { \"buildmachine\": \"x\", \"generated\": 1 },\n"
	    "  \"roas\": [],\n"
	    "  \"provider_authorizations\": {\n"
	    "    \"ipv4\": [\n"
	    "      { \"customer_asid\": 65000, \"expires\": 10,"
	    " \"providers\": [ 2, 1 ] },\n"
	    "      { \"customer_asid\": 65001, \"providers\": [ 7 ] } ],\n"
	    "    \"ipv6\": [\n"
	    "      { \"customer_asid\": 65000, \"expires\": 20,"
	    " \"providers\": [ 3, \"AS2\", 5 ] },\n"
	    "      { \"customer_asid\": 65002, \"providers\": [ 8 ] } ]\n"
	    "  }\n"
	    "}\n";
	static const uint32_t	 want[] = { 1, 2, 3, 5 };
	struct vrpfile		 f;
	const struct vrpset	*s;

	(void)state;
	parse_ok(doc, &f);
	s = f.set;
	assert_int_equal(f.meta.format, VRPFILE_RPKICLIENT8);
	assert_int_equal(f.naspas, 4);
	assert_int_equal(s->naspas, 3);
	/* 65000 is in both lists: the union of the two. */
	assert_int_equal(s->aspas[0].customer, 65000);
	assert_int_equal(s->aspas[0].prov_n, 4);
	assert_memory_equal(vrpset_providers(s, &s->aspas[0]), want,
	    sizeof(want));
	assert_int_equal(s->aspas[0].expires, 20);
	assert_int_equal(s->aspas[1].customer, 65001);
	assert_int_equal(s->aspas[2].customer, 65002);
	assert_int_equal(vrpset_providers(s, &s->aspas[2])[0], 8);
	vrpfile_free(&f);

	/* Either list may be missing. */
	parse_ok("{\"roas\":[],\"provider_authorizations\":{\"ipv6\":"
	    "[{\"customer_asid\":1,\"providers\":[2]}]}}", &f);
	assert_int_equal(f.set->naspas, 1);
	/* No rpki-client metadata: an OctoRPKI file with ASPAs. */
	assert_int_equal(f.meta.format, VRPFILE_OCTORPKI);
	vrpfile_free(&f);
	parse_ok("{\"metadata\":{\"buildmachine\":\"x\"},\"roas\":[],"
	    "\"provider_authorizations\":{\"ipv4\":[]}}", &f);
	assert_int_equal(f.meta.format, VRPFILE_RPKICLIENT8);
	vrpfile_free(&f);
}

static void
test_csv(void **state)
{
	static const char *const docs[] = {
	    ("ASN,IP Prefix,Max Length,Trust Anchor\n"
	    "AS65000,10.0.0.0/8,24,ripe\n"
	    "AS65001,2001:db8::/32,48,arin\n"),
	    /* rpki-client 8: a fifth Expires column. */
	    ("ASN,IP Prefix,Max Length,Trust Anchor,Expires\n"
	    "AS65000,10.0.0.0/8,24,ripe,1704153600\n"
	    "AS65001,2001:db8::/32,48,arin,1704153601\n"),
	    /* CRLF line ends, no final newline. */
	    ("ASN,IP Prefix,Max Length,Trust Anchor\r\n"
	    "AS65000,10.0.0.0/8,24,ripe\r\n"
	    "65001,2001:db8::/32,48,arin"),
	    /* No header; blank lines are skipped. */
	    ("AS65000,10.0.0.0/8,24,ripe\n\n"
	    "AS65001,2001:db8::/32,48,arin\n\n"),
	};
	struct vrpfile	f;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		parse_ok(docs[i], &f);
		assert_int_equal(f.meta.format, VRPFILE_CSV);
		assert_int_equal(f.nroas, 2);
		assert_int_equal(f.set->nvrps, 2);
		assert_string_equal(fmt_prefix(&f.set->vrps[0]),
		    "10.0.0.0/8");
		assert_int_equal(f.set->vrps[0].asn, 65000);
		assert_int_equal(f.set->vrps[0].maxlen, 24);
		assert_string_equal(vrpset_ta_name(f.set,
		    f.set->vrps[0].ta), "ripe");
		assert_string_equal(fmt_prefix(&f.set->vrps[1]),
		    "2001:db8::/32");
		assert_int_equal(f.set->vrps[1].asn, 65001);
		assert_string_equal(vrpset_ta_name(f.set,
		    f.set->vrps[1].ta), "arin");
		vrpfile_free(&f);
	}
	/* A header alone is an empty set, not an error. */
	parse_ok("ASN,IP Prefix,Max Length,Trust Anchor\n", &f);
	assert_int_equal(f.set->nvrps, 0);
	vrpfile_free(&f);
}

static void
test_gortr_fixture(void **state)
{
	struct vrpfile		 f;
	struct err		 e;
	const struct vrpset	*s;

	(void)state;
	if (vrpfile_load(SHARED_DIR "/fixtures/gortr/test.rpki.json",
	    VRPFILE_SIGLINES, &f, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	s = f.set;
	assert_int_equal(f.meta.format, VRPFILE_OCTORPKI);
	assert_int_equal(s->nvrps, 2);
	assert_string_equal(fmt_prefix(&s->vrps[0]), "10.0.0.0/25");
	assert_int_equal(s->vrps[0].maxlen, 26);
	assert_int_equal(s->vrps[0].asn, 65000);
	assert_string_equal(vrpset_ta_name(s, s->vrps[0].ta), "Test ROA");
	assert_string_equal(fmt_prefix(&s->vrps[1]), "10.1.0.0/25");
	assert_int_equal(s->vrps[1].asn, 65001);
	/* The file's own metadata, counts included, as written. */
	assert_int_equal(f.meta.counts, 1);
	assert_int_equal(f.meta.generated, 1577865600);
	assert_int_equal(f.meta.valid, 1577866200);
	assert_int_equal(f.meta.serial, 1);
	assert_int_equal(f.sig.n, 2);
	vrpfile_free(&f);
}

static void
test_signed_fixtures_parse(void **state)
{
	static const char *const names[] = { "valid-asn-string.json",
	    "valid-asn-number.json", "tampered-roa.json", "expired.json" };
	char		path[512];
	struct vrpfile	f;
	struct err	e;
	size_t		i;

	(void)state;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/fixtures/signed/%s",
		    SHARED_DIR, names[i]);
		if (vrpfile_load(path, VRPFILE_SIGLINES, &f, &e) != 0) {
			print_error("%s\n", e.msg);
			fail();
		}
		assert_int_equal(f.nroas, 50);
		assert_int_equal(f.sig.n, 50);
		assert_int_equal(f.meta.counts, 50);
		assert_non_null(f.meta.signature);
		assert_non_null(f.meta.signature_date);
		vrpfile_free(&f);
	}
}

static void
test_duplicates_fold(void **state)
{
	const char *doc =
	    "{\"roas\":[\n"
	    "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"asn\":1,"
	    "\"ta\":\"ripe\",\"expires\":5},\n"
	    "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"asn\":\"AS1\","
	    "\"ta\":\"apnic\",\"expires\":3},\n"
	    "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"asn\":\"as1\","
	    "\"ta\":\"arin\",\"expires\":9},\n"
	    "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":9,\"asn\":1,"
	    "\"ta\":\"ripe\"}],\n"
	    "\"aspas\":[{\"customer_asid\":5,\"providers\":[1,2]},"
	    "{\"customer_asid\":5,\"providers\":[2,3]},"
	    "{\"customer_asid\":6,\"providers\":[1]}],\n"
	    "\"bgpsec_keys\":[{\"asn\":1,\"ski\":\""
	    "0000000000000000000000000000000000000000\",\"pubkey\":\""
	    PUBKEY_B64 "\"},"
	    "{\"asn\":1,\"ski\":\"0000000000000000000000000000000000000000\","
	    "\"pubkey\":\"" PUBKEY_B64 "\",\"ta\":\"x\"},"
	    "{\"asn\":1,\"ski\":\"0000000000000000000000000000000000000000\","
	    "\"pubkey\":\"" PUBKEY2_B64 "\"}]}";
	struct vrpfile f;

	(void)state;
	parse_ok(doc, &f);
	assert_int_equal(f.nroas, 4);
	assert_int_equal(f.set->nvrps, 2);
	assert_string_equal(vrpset_ta_name(f.set, f.set->vrps[0].ta),
	    "apnic");
	assert_int_equal(f.set->vrps[0].expires, 9);
	assert_int_equal(f.naspas, 3);
	assert_int_equal(f.set->naspas, 2);
	assert_int_equal(f.set->aspas[0].prov_n, 3);
	assert_int_equal(f.nrkeys, 3);
	assert_int_equal(f.set->nrkeys, 2);
	assert_int_equal(f.set->rkeys[0].spki_len, 91);
	vrpfile_free(&f);
}

static void
test_unknown_members_ignored(void **state)
{
	struct vrpfile f;

	(void)state;
	parse_ok("{\"x\":[1,{\"a\":null}],\"roas\":[{\"prefix\":\"10.0.0.0/8\","
	    "\"maxLength\":8,\"asn\":1,\"comment\":\"hi\"}],\"y\":true,"
	    "\"metadata\":{\"foo\":\"bar\"}}", &f);
	assert_int_equal(f.set->nvrps, 1);
	assert_false(f.meta.has_generated);
	vrpfile_free(&f);
	/* Whitespace around the document. */
	parse_ok(" \r\n\t{ \"roas\" : [ ] } \n\n", &f);
	assert_int_equal(f.set->nvrps, 0);
	vrpfile_free(&f);
}

/* ---- rejection ------------------------------------------------------------ */

#define R0 "{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,\"asn\":\"AS1\"," \
	"\"ta\":\"x\"}"
#define SKI40 "0123456789abcdef0123456789abcdef01234567"

static const struct {
	const char	*in;
	const char	*want[3];
} bad[] = {
	/* Malformed JSON: truncated at various points. */
	{ "{", { "line 1, column 2", "want a member name" } },
	{ "{\"roas\"", { "line 1, column 8", "want ':'",
	    "have end of file" } },
	{ "{\"roas\":", { "roas: want an array" } },
	{ "{\"roas\":[", { "line 1", "malformed JSON" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,",
	    { "line 1", "malformed JSON" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8", { "malformed JSON" } },
	{ "{\"roas\":[" R0, { "want ','", "have end of file" } },
	{ "{\"roas\":[]", { "want ','", "have end of file" } },
	{ "{\"roas\":[]}\n{", { "line 2, column 1", "trailing data" } },
	{ "{\"roas\":[]} x", { "line 1, column 13", "trailing data" } },
	{ "{\"roas\":[]}}", { "trailing data" } },
	/* Missing or extra commas. */
	{ "{\"roas\":[" R0 "\n " R0 "]}", { "line 2, column 2",
	    "want ','" } },
	{ "{\"metadata\":{} \"roas\":[]}", { "line 1, column 16",
	    "want ','" } },
	{ "{\"roas\":[" R0 ",]}", { "malformed JSON" } },
	{ "{\"roas\":[],}", { "want a member name" } },
	{ "{roas:[]}", { "line 1, column 2", "want a member name" } },
	/* Document structure. */
	{ "{\"roas\":{}}", { "line 1, column 9", "roas: want an array" } },
	{ "{\"roas\":null}", { "roas: want an array" } },
	{ "{\"roas\":[],\"aspas\":{}}", { "aspas: want an array" } },
	{ "{\"roas\":[],\"bgpsec_keys\":\"x\"}",
	    { "bgpsec_keys: want an array" } },
	{ "{\"roas\":[],\"roas\":[]}", { "member \"roas\" given twice" } },
	{ "{\"roas\":[],\"aspas\":[],\"aspas\":[]}",
	    { "member \"aspas\" given twice" } },
	{ "{\"metadata\":{\"counts\":0}}", { "missing member \"roas\"" } },
	{ "{}", { "missing member \"roas\"" } },
	{ "{\"metadata\":[],\"roas\":[]}",
	    { "metadata: want an object, have an array" } },
	{ "{\"metadata\":{\"generated\":\"now\"},\"roas\":[]}",
	    { "metadata.generated: want an integer, have a string" } },
	{ "{\"metadata\":{\"serial\":1,\"serial\":2},\"roas\":[]}",
	    { "metadata.serial: member given twice" } },
	/* ROA entries. */
	{ "{\"roas\":[1]}", { "roas[0]: want an object, have a number" } },
	{ "{\"roas\":[" R0 ",[]]}", { "roas[1]: want an object, "
	    "have an array" } },
	{ "{\"roas\":[" R0 ",{\"maxLength\":8,\"asn\":1}]}",
	    { "roas[1]: missing member \"prefix\"" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"asn\":1}]}",
	    { "roas[0]: missing member \"maxLength\"" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8}]}",
	    { "roas[0]: missing member \"asn\"" } },
	{ "{\"roas\":[{\"prefix\":10,\"maxLength\":8,\"asn\":1}]}",
	    { "roas[0].prefix: want a string, have a number" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":\"8\","
	    "\"asn\":1}]}",
	    { "roas[0].maxLength: want an integer, have a string" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":true}]}", { "roas[0].asn: want an integer, "
	    "have a boolean" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":null}]}", { "roas[0].asn: want an integer, "
	    "have null" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":1,\"ta\":5}]}", { "roas[0].ta: want a string, "
	    "have a number" } },
	{ "{\"roas\":[" R0 ",{\"prefix\":\"10.0.0.1/8\",\"maxLength\":8,"
	    "\"asn\":1}]}", { "roas[1].prefix", "\"10.0.0.1/8\"",
	    "host bits set past /8" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/33\",\"maxLength\":33,"
	    "\"asn\":1}]}", { "roas[0].prefix", "prefix length: want <= 32,"
	    " have 33" } },
	{ "{\"roas\":[{\"prefix\":\"2001:db8::/129\",\"maxLength\":129,"
	    "\"asn\":1}]}", { "roas[0].prefix", "want <= 128, have 129" } },
	{ "{\"roas\":[{\"prefix\":\"1.2.3/24\",\"maxLength\":24,"
	    "\"asn\":1}]}", { "roas[0].prefix", "malformed IPv4" } },
	{ "{\"roas\":[" R0 ",{\"prefix\":\"10.0.0.0/24\",\"maxLength\":16,"
	    "\"asn\":1}]}", { "roas[1].maxLength",
	    "want 24 <= maxLength <= 32", "have 16" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":33,"
	    "\"asn\":1}]}", { "roas[0].maxLength",
	    "want 8 <= maxLength <= 32", "have 33" } },
	{ "{\"roas\":[{\"prefix\":\"2001:db8::/32\",\"maxLength\":129,"
	    "\"asn\":1}]}", { "roas[0].maxLength",
	    "want 32 <= maxLength <= 128", "have 129" } },
	{ "{\"roas\":[{\"prefix\":\"2001:db8::/32\",\"maxLength\":256,"
	    "\"asn\":1}]}", { "roas[0].maxLength", "want 0 <= value <= 255",
	    "have 256" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":24.5,"
	    "\"asn\":1}]}", { "roas[0].maxLength", "want an integer",
	    "have 24.5" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":-8,"
	    "\"asn\":1}]}", { "roas[0].maxLength", "have -8" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":4294967296}]}", { "roas[0].asn",
	    "want 0 <= value <= 4294967295", "have 4294967296" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":\"AS4294967296\"}]}", { "roas[0].asn",
	    "\"AS4294967296\"", "want <= 4294967295" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":\"AS-1\"}]}", { "roas[0].asn", "\"AS-1\"",
	    "want AS<number> or <number>" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":1e400}]}", { "roas[0].asn", "want an integer",
	    "have inf" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":1e19}]}", { "roas[0].asn", "4294967295",
	    "have 10000000000000000000" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":-1}]}", { "roas[0].asn", "want 0 <= value", "have -1" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":1.5}]}", { "roas[0].asn", "want an integer",
	    "have 1.5" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":1,\"expires\":-5}]}", { "roas[0].expires",
	    "have -5" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"prefix\":\"10.0.0.0/8\","
	    "\"maxLength\":8,\"asn\":1}]}",
	    { "roas[0].prefix: member given twice" } },
	{ "{\"roas\":[{\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"
	    "\"asn\":1,\"asn\":2}]}", { "roas[0].asn: member given twice" } },
	/* ASPAs. */
	{ "{\"roas\":[],\"aspas\":[{\"customer_asid\":65000,"
	    "\"providers\":[1,65000]}]}", { "aspas[0].providers[1]",
	    "customer AS65000 listed as its own provider" } },
	{ "{\"roas\":[],\"aspas\":[{\"customer_asid\":1,\"providers\":[2]},"
	    "{\"customer_asid\":65000,\"providers\":[]}]}",
	    { "aspas[1].providers", "want at least one provider",
	    "have none" } },
	{ "{\"roas\":[],\"aspas\":[{\"customer_asid\":65000,"
	    "\"providers\":5}]}", { "aspas[0].providers",
	    "want an array, have a number" } },
	{ "{\"roas\":[],\"aspas\":[{\"providers\":[1]}]}",
	    { "aspas[0]: missing member \"customer_asid\"" } },
	{ "{\"roas\":[],\"aspas\":[{\"customer_asid\":\"AS1\","
	    "\"providers\":[2]}]}", { "aspas[0].customer_asid",
	    "want an integer, have a string" } },
	{ "{\"roas\":[],\"aspas\":[{\"customer_asid\":1,"
	    "\"providers\":[2,\"ASX\"]}]}", { "aspas[0].providers[1]",
	    "\"ASX\"" } },
	{ "{\"roas\":[],\"provider_authorizations\":[]}",
	    { "provider_authorizations: want an object, have an array" } },
	{ "{\"roas\":[],\"provider_authorizations\":{\"ipv4\":{}}}",
	    { "provider_authorizations.ipv4: want an array, have an object" } },
	{ "{\"roas\":[],\"provider_authorizations\":{\"ipv4\":[],\"ipv6\":"
	    "[{\"customer_asid\":9,\"providers\":[9]}]}}",
	    { "provider_authorizations.ipv6[0].providers[0]",
	    "customer AS9 listed as its own provider" } },
	/* Router keys. */
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":"
	    "\"0123456789abcdef0123456789abcdef012345\",\"pubkey\":\"AAAA\"}]}",
	    { "bgpsec_keys[0].ski", "want 20 bytes of hex",
	    "0123456789abcdef0123456789abcdef012345" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "00\","
	    "\"pubkey\":\"AAAA\"}]}", { "bgpsec_keys[0].ski",
	    "want 20 bytes of hex" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":"
	    "\"zz23456789abcdef0123456789abcdef01234567\",\"pubkey\":"
	    "\"AAAA\"}]}", { "bgpsec_keys[0].ski", "want 20 bytes of hex" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\","
	    "\"pubkey\":\"!!!!\"}]}", { "bgpsec_keys[0].pubkey",
	    "SubjectPublicKeyInfo", "\"!!!!\"" } },
	/* Good base64, but not a P-256 SubjectPublicKeyInfo. */
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\","
	    "\"pubkey\":\"AAAA\"}]}", { "bgpsec_keys[0].pubkey",
	    "P-256 SubjectPublicKeyInfo", "\"AAAA\"" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\","
	    "\"pubkey\":\"" PUBKEY_B64 "AAAA\"}]}", { "bgpsec_keys[0].pubkey",
	    "base64" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\","
	    "\"pubkey\":\"" P384_B64 "\"}]}", { "bgpsec_keys[0].pubkey",
	    "P-256" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\","
	    "\"pubkey\":\" " PUBKEY_B64 "\"}]}", { "bgpsec_keys[0].pubkey",
	    "base64" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\","
	    "\"pubkey\":\"AAA\"}]}", { "bgpsec_keys[0].pubkey", "base64" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\","
	    "\"pubkey\":\"\"}]}", { "bgpsec_keys[0].pubkey", "base64" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":\"" SKI40 "\"}]}",
	    { "bgpsec_keys[0]: missing member \"pubkey\"" } },
	{ "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":\"AS\",\"ski\":\"" SKI40
	    "\",\"pubkey\":\"AAAA\"}]}", { "bgpsec_keys[0].asn", "\"AS\"" } },
	/* Empty input. */
	{ "", { "empty file" } },
	{ " \n\t\r\n", { "empty file" } },
	/* CSV. */
	{ "ASN,IP Prefix,Max Length,Trust Anchor\nAS1,10.0.0.0/8,8,ripe\n"
	    "AS2,10.0.0.1/8,8,ripe\n", { "line 3", "10.0.0.1/8",
	    "host bits" } },
	{ "AS1,10.0.0.0/8,8\n", { "line 1",
	    "want ASN,IP Prefix,Max Length,Trust Anchor" } },
	{ "AS1,10.0.0.0/8,8,ripe\nASX,10.0.0.0/8,8,ripe\n", { "line 2",
	    "ASN \"ASX\"" } },
	{ "AS1,10.0.0.0/8,x,ripe\n", { "line 1", "Max Length: want 8..32",
	    "have \"x\"" } },
	{ "AS1,10.0.0.0/24,16,ripe\n", { "line 1", "want 24..32",
	    "have \"16\"" } },
	{ "AS1,2001:db8::/32,129,ripe\n", { "line 1", "want 32..128",
	    "have \"129\"" } },
	{ "AS1,10.0.0.0/8,,ripe\n", { "line 1", "Max Length" } },
	{ "AS1,10.0.0.0/8,+24,ripe\n", { "line 1", "Max Length",
	    "have \"+24\"" } },
	{ "AS1,10.0.0.0/8, 24,ripe\n", { "line 1", "Max Length" } },
	{ "AS1,0.0.0.0/0,-0,ripe\n", { "line 1", "Max Length" } },
	{ "\n\nAS1,10.0.0.0/33,33,ripe\n", { "line 3", "have 33" } },
	/* A JSON array is not a VRP file (read as CSV). */
	{ "[" R0 "]", { "line 1" } },
	/* Input that ends inside the CSV header word. */
	{ "AS", { "line 1" } },
	{ "ASN", { "line 1" } },
};

static void
test_reject_table(void **state)
{
	struct vrpfile	f;
	struct err	e;
	size_t		i, j;

	(void)state;
	assert_true(sizeof(bad) / sizeof(bad[0]) >= 25);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&f, 0x5a, sizeof(f));
		if (parse(bad[i].in, &f, &e) != -1) {
			print_error("case %zu accepted: %s\n", i, bad[i].in);
			vrpfile_free(&f);
			fail();
		}
		if (!is_zeroed(&f)) {
			print_error("case %zu: f not zeroed\n", i);
			fail();
		}
		if (strncmp(e.msg, NAME ": ", strlen(NAME) + 2) != 0) {
			print_error("case %zu: \"%s\" does not start with "
			    "the file name\n", i, e.msg);
			fail();
		}
		for (j = 0; j < 3 && bad[i].want[j] != NULL; j++) {
			if (strstr(e.msg, bad[i].want[j]) == NULL) {
				print_error("case %zu: %s\n  message \"%s\"\n"
				    "  does not contain \"%s\"\n", i,
				    bad[i].in, e.msg, bad[i].want[j]);
				fail();
			}
		}
	}
}

static void
test_reject_nul(void **state)
{
	static const char doc[] = "{\"roas\":[{\"prefix\":\"10.0.0.0/8\","
	    "\"maxLength\":8,\"asn\":\"AS1\0\"}]}";
	static const char csv[] = "AS1,10.0.0.0/8,8,ri\0pe\n";
	struct vrpfile	f;
	struct err	e;

	(void)state;
	assert_int_equal(parse_n(doc, sizeof(doc) - 1, 0, &f, &e), -1);
	assert_contains(e.msg, NAME ": NUL byte in input");
	assert_true(is_zeroed(&f));
	assert_int_equal(parse_n(csv, sizeof(csv) - 1, 0, &f, &e), -1);
	assert_contains(e.msg, "NUL byte");
	/* A NUL straight after the document is in the input, too. */
	assert_int_equal(parse_n("{\"roas\":[]}", 12, 0, &f, &e), -1);
	assert_contains(e.msg, "NUL byte");
	/* The same bytes without the NUL are fine. */
	assert_int_equal(parse_n("{\"roas\":[]}", 11, 0, &f, &e), 0);
	vrpfile_free(&f);
}

/* 200 ROAs, an ASPA and two router keys, the second with lastkey. */
static size_t
many_entries(char *doc, size_t cap, const char *lastkey)
{
	size_t len = 0, i;

	len += (size_t)snprintf(doc + len, cap - len, "{\"roas\":[");
	for (i = 0; i < 200; i++)
		len += (size_t)snprintf(doc + len, cap - len,
		    "%s{\"prefix\":\"10.%zu.0.0/16\",\"maxLength\":24,"
		    "\"asn\":%zu}", i ? "," : "", i, i);
	len += (size_t)snprintf(doc + len, cap - len, "],\"aspas\":"
	    "[{\"customer_asid\":1,\"providers\":[2]}],\"bgpsec_keys\":"
	    "[{\"asn\":1,\"ski\":\"" SKI40 "\",\"pubkey\":\"" PUBKEY_B64
	    "\"},{\"asn\":1,\"ski\":\"" SKI40 "\",\"pubkey\":\"%s\"}]}",
	    lastkey);
	assert_true(len < cap);
	return len;
}

/* One bad entry after many good ones, in the last array: all rejected. */
static void
test_reject_whole_file(void **state)
{
	char		*doc;
	size_t		 cap = 64 * 1024, len;
	struct vrpfile	 f;
	struct err	 e;

	(void)state;
	doc = malloc(cap);
	assert_non_null(doc);
	len = many_entries(doc, cap, "A===");
	memset(&f, 0x5a, sizeof(f));
	assert_int_equal(parse_n(doc, len, VRPFILE_SIGLINES, &f, &e), -1);
	assert_contains(e.msg, "bgpsec_keys[1].pubkey");
	assert_true(is_zeroed(&f));
	/* Fix the last entry and the same file parses. */
	len = many_entries(doc, cap, PUBKEY2_B64);
	assert_int_equal(parse_n(doc, len, VRPFILE_SIGLINES, &f, &e), 0);
	assert_int_equal(f.set->nvrps, 200);
	assert_int_equal(f.set->nrkeys, 2);
	assert_int_equal(f.sig.n, 200);
	vrpfile_free(&f);
	free(doc);
}

/* Every proper prefix of a valid document is rejected, cleanly. */
static void
test_truncations(void **state)
{
	size_t		len = strlen(rpkiclient_doc), n;
	struct vrpfile	f;
	struct err	e;

	(void)state;
	assert_int_equal(parse_n(rpkiclient_doc, len, VRPFILE_SIGLINES, &f,
	    &e), 0);
	vrpfile_free(&f);
	for (n = 0; n < len; n++) {
		memset(&f, 0x5a, sizeof(f));
		if (parse_n(rpkiclient_doc, n, VRPFILE_SIGLINES, &f, &e)
		    != -1) {
			print_error("prefix of %zu bytes accepted\n", n);
			vrpfile_free(&f);
			fail();
		}
		assert_true(is_zeroed(&f));
		assert_int_equal(strncmp(e.msg, NAME ": ", strlen(NAME) + 2),
		    0);
		if (n > 0)
			assert_non_null(strstr(e.msg, "line "));
	}
}

/* Random byte changes: never a crash, always a clean verdict. */
static void
test_mutations(void **state)
{
	size_t		len = strlen(rpkiclient_doc), i;
	char		*doc = malloc(len);
	uint64_t	s = 0x6d757461746531ULL;
	static const char alphabet[] = "{}[],:\"\\ 0123456789-+.eE/aAsS\n\t";
	struct vrpfile	f;
	struct err	e;
	int		rejected = 0;

	(void)state;
	assert_non_null(doc);
	for (i = 0; i < 3000; i++) {
		size_t k, nmut = 1 + i % 3;

		memcpy(doc, rpkiclient_doc, len);
		for (k = 0; k < nmut; k++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			doc[s % len] = alphabet[(s >> 32) %
			    (sizeof(alphabet) - 1)];
		}
		memset(&e, 0, sizeof(e));
		if (vrpfile_parse(doc, len, NAME, VRPFILE_SIGLINES, &f, &e)
		    == 0) {
			assert_non_null(f.set);
			assert_int_equal(f.sig.n, f.nroas);
			vrpfile_free(&f);
		} else {
			rejected++;
			assert_true(is_zeroed(&f));
			assert_int_equal(strncmp(e.msg, NAME ": ",
			    strlen(NAME) + 2), 0);
		}
	}
	/* Most single-byte changes to this document break it. */
	assert_true(rejected > 1500);
	free(doc);
}

static void
test_load_errors(void **state)
{
	struct vrpfile	f;
	struct err	e;

	(void)state;
	assert_int_equal(vrpfile_load("/nonexistent/dir/vrps.json", 0, &f,
	    &e), -1);
	assert_contains(e.msg, "/nonexistent/dir/vrps.json");
	assert_true(is_zeroed(&f));
	assert_int_equal(vrpfile_load(SHARED_DIR "/fixtures/signed/"
	    "README.md", 0, &f, &e), -1);
	assert_contains(e.msg, SHARED_DIR "/fixtures/signed/README.md: "
	    "line 1");
}

/* ---- writing and round trips ------------------------------------------- */

/* A set with every kind of payload, TA names that need escaping. */
static struct vrpset *
rich_set(int vrps_only)
{
	static const uint32_t	 p1[] = { 3, 1, 2 }, p2[] = { 4294967295U };
	uint8_t			 ski[SKI_LEN], *k1, *k2;
	size_t			 k1len, k2len;
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrp		 v;
	struct err		 e;
	size_t			 i;
	int			 ta[3];
	static const struct {
		const char	*p;
		uint8_t		 maxlen;
		uint32_t	 asn;
		int		 ta;
		uint32_t	 expires;
	} roas[] = {
		{ "10.0.0.0/8", 24, 65000, 0, 1704153600 },
		{ "10.0.0.0/8", 8, 65000, 1, 0 },
		{ "0.0.0.0/0", 32, 0, 0, 1 },
		{ "192.0.2.255/32", 32, 4294967295U, 2, 4294967295U },
		{ "2001:db8::/32", 48, 65001, 1, 17 },
		{ "::/0", 128, 1, 2, 0 },
		{ "2001:db8:0:0:1::/80", 128, 64512, 0, 0 },
	};

	ta[0] = vrpset_builder_ta(b, "ripe");
	ta[1] = vrpset_builder_ta(b, vrps_only ? "arin" :
	    "we\"ird\\ta \xc3\xa9\t");
	ta[2] = vrpset_builder_ta(b, vrps_only ? "apnic" : "");
	for (i = 0; i < sizeof(roas) / sizeof(roas[0]); i++) {
		memset(&v, 0, sizeof(v));
		assert_int_equal(prefix_parse(roas[i].p, &v, &e), 0);
		v.maxlen = roas[i].maxlen;
		v.asn = roas[i].asn;
		v.ta = (uint16_t)ta[roas[i].ta];
		v.expires = roas[i].expires;
		assert_int_equal(vrpset_add_vrp(b, &v), 0);
	}
	if (!vrps_only) {
		assert_int_equal(vrpset_add_aspa(b, 65000, p1, 3,
		    (uint16_t)ta[0], 5), 0);
		assert_int_equal(vrpset_add_aspa(b, 1, p2, 1,
		    (uint16_t)ta[0], 0), 0);
		for (i = 0; i < SKI_LEN; i++)
			ski[i] = (uint8_t)(i * 13);
		k1 = base64_decode(PUBKEY_B64, strlen(PUBKEY_B64), 0, &k1len);
		k2 = base64_decode(PUBKEY2_B64, strlen(PUBKEY2_B64), 0,
		    &k2len);
		assert_true(k1 != NULL && k2 != NULL);
		/* Same AS and SKI, different keys: two router keys. */
		assert_int_equal(vrpset_add_rkey(b, 65000, ski, k1, k1len,
		    (uint16_t)ta[0], 9), 0);
		assert_int_equal(vrpset_add_rkey(b, 65000, ski, k2, k2len,
		    (uint16_t)ta[1], 0), 0);
		free(k1);
		free(k2);
	}
	return vrpset_build(b);
}

/* Write s as fmt into memory, parse it back. */
static void
write_parse(const struct vrpset *s, enum vrpfile_format fmt,
    const struct vrpfile_meta *m, struct vrpfile *f, char **text)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);
	struct err e;

	assert_non_null(fp);
	assert_int_equal(vrpfile_write(fp, s, fmt, m), 0);
	assert_int_equal(fclose(fp), 0);
	if (parse_n(buf, len, VRPFILE_SIGLINES, f, &e) != 0) {
		print_error("%s: %s\n---\n%s\n---\n",
		    vrpfile_format_name(fmt), e.msg, buf);
		fail();
	}
	/* The format reads back as written. */
	assert_int_equal(f->meta.format, fmt);
	if (text != NULL)
		*text = buf;
	else
		free(buf);
}

static void
test_roundtrip_formats(void **state)
{
	static const enum vrpfile_format fmts[] = { VRPFILE_OCTORPKI,
	    VRPFILE_RPKICLIENT, VRPFILE_RPKICLIENT8, VRPFILE_CSV };
	struct vrpset	*full = rich_set(0), *vonly = rich_set(1);
	struct vrpfile	 f;
	size_t		 i, k;

	(void)state;
	assert_int_equal(full->naspas, 2);
	assert_int_equal(full->nrkeys, 2);
	for (i = 0; i < 4; i++) {
		const struct vrpset *s = fmts[i] == VRPFILE_CSV ? vonly :
		    full;

		write_parse(s, fmts[i], NULL, &f, NULL);
		if (!vrpset_equal(f.set, s)) {
			print_error("%s: round trip differs\n",
			    vrpfile_format_name(fmts[i]));
			fail();
		}
		/* VRP trust anchors survive every format. */
		for (k = 0; k < s->nvrps; k++)
			assert_string_equal(vrpset_ta_name(f.set,
			    f.set->vrps[k].ta), vrpset_ta_name(s,
			    s->vrps[k].ta));
		/* Expiry survives the JSON formats. */
		if (fmts[i] != VRPFILE_CSV) {
			for (k = 0; k < s->nvrps; k++)
				assert_int_equal(f.set->vrps[k].expires,
				    s->vrps[k].expires);
			for (k = 0; k < s->naspas; k++)
				assert_int_equal(f.set->aspas[k].expires,
				    s->aspas[k].expires);
			for (k = 0; k < s->nrkeys; k++) {
				assert_int_equal(f.set->rkeys[k].expires,
				    s->rkeys[k].expires);
				assert_string_equal(vrpset_ta_name(f.set,
				    f.set->rkeys[k].ta), vrpset_ta_name(s,
				    s->rkeys[k].ta));
			}
		}
		assert_int_equal(f.nroas, s->nvrps);
		/* The written ROA lines are the signature input lines. */
		if (fmts[i] == VRPFILE_OCTORPKI) {
			struct siglines sl;

			memset(&sl, 0, sizeof(sl));
			assert_int_equal(siglines_from_set(&sl, s), 0);
			assert_int_equal(sl.n, f.sig.n);
			for (k = 0; k < sl.n; k++)
				assert_string_equal(sl.pool + sl.off[k],
				    f.sig.pool + f.sig.off[k]);
			siglines_free(&sl);
		}
		vrpfile_free(&f);
	}
	vrpset_unref(full);
	vrpset_unref(vonly);
}

static void
test_roundtrip_empty(void **state)
{
	static const enum vrpfile_format fmts[] = { VRPFILE_OCTORPKI,
	    VRPFILE_RPKICLIENT, VRPFILE_RPKICLIENT8, VRPFILE_CSV };
	struct vrpset	*s = vrpset_empty();
	struct vrpfile	 f;
	size_t		 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		write_parse(s, fmts[i], NULL, &f, NULL);
		assert_true(vrpset_equal(f.set, s));
		vrpfile_free(&f);
	}
	vrpset_unref(s);
}

/* xorshift64 */
static uint64_t
nx(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void
test_roundtrip_random(void **state)
{
	static const enum vrpfile_format fmts[] = { VRPFILE_OCTORPKI,
	    VRPFILE_RPKICLIENT, VRPFILE_RPKICLIENT8 };
	uint64_t		 x = 0x726f756e64ULL;
	struct vrpset_builder	*b;
	struct vrpset		*s;
	struct vrpfile		 f;
	uint8_t			 keys[6][91];
	size_t			 i, j;
	int			 round, bit;

	(void)state;
	/* Router keys must be real P-256 keys: make a few. */
	for (i = 0; i < 6; i++) {
		EVP_PKEY	*k = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
				    "P-256");
		unsigned char	*p = keys[i];

		assert_non_null(k);
		assert_int_equal(i2d_PUBKEY(k, NULL), 91);
		assert_int_equal(i2d_PUBKEY(k, &p), 91);
		EVP_PKEY_free(k);
	}
	for (round = 0; round < 10; round++) {
		b = vrpset_builder_new();
		for (i = 0; i < 500; i++) {
			struct vrp v;

			memset(&v, 0, sizeof(v));
			v.afi = nx(&x) & 1 ? AFI_IPV4 : AFI_IPV6;
			v.plen = (uint8_t)(nx(&x) % (afi_bits(v.afi) + 1));
			for (j = 0; j < 16; j++)
				v.addr[j] = (uint8_t)nx(&x);
			for (bit = v.plen; bit < 128; bit++)
				v.addr[bit / 8] &= (uint8_t)~(0x80 >>
				    (bit % 8));
			v.maxlen = (uint8_t)(v.plen + nx(&x) %
			    (afi_bits(v.afi) - v.plen + 1));
			v.asn = (uint32_t)nx(&x);
			v.expires = (uint32_t)nx(&x);
			v.ta = (uint16_t)vrpset_builder_ta(b,
			    nx(&x) & 1 ? "a" : "b");
			assert_int_equal(vrpset_add_vrp(b, &v), 0);
		}
		for (i = 0; i < 30; i++) {
			uint32_t p[5], cust = (uint32_t)(nx(&x) % 40);

			for (j = 0; j < 5; j++)
				p[j] = 100 + (uint32_t)(nx(&x) % 50);
			assert_int_equal(vrpset_add_aspa(b, cust, p,
			    1 + nx(&x) % 5, 0, 0), 0);
		}
		for (i = 0; i < 20; i++) {
			uint8_t		ski[SKI_LEN];
			uint32_t	asn = (uint32_t)(nx(&x) % 5);
			size_t		k = nx(&x) % 6;

			for (j = 0; j < SKI_LEN; j++)
				ski[j] = (uint8_t)(nx(&x) % 2);
			assert_int_equal(vrpset_add_rkey(b, asn, ski, keys[k],
			    91, 0, 0), 0);
		}
		s = vrpset_build(b);
		for (i = 0; i < 3; i++) {
			write_parse(s, fmts[i], NULL, &f, NULL);
			if (!vrpset_equal(f.set, s)) {
				print_error("round %d %s: differs\n", round,
				    vrpfile_format_name(fmts[i]));
				fail();
			}
			vrpfile_free(&f);
		}
		vrpset_unref(s);
	}
}

static void
test_roundtrip_meta(void **state)
{
	struct vrpset		*s = rich_set(0);
	struct vrpfile_meta	 m;
	struct vrpfile		 f;
	char			*text;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.generated = 1700000000;
	m.valid = 1700003600;
	m.serial = 42;
	m.has_generated = m.has_valid = m.has_serial = 1;
	m.signature = "3045abcd";
	m.signature_date = "3046ef";
	write_parse(s, VRPFILE_OCTORPKI, &m, &f, &text);
	assert_true(f.meta.has_generated && f.meta.has_valid &&
	    f.meta.has_serial && f.meta.has_counts);
	assert_int_equal(f.meta.generated, 1700000000);
	assert_int_equal(f.meta.valid, 1700003600);
	assert_int_equal(f.meta.serial, 42);
	assert_int_equal(f.meta.counts, s->nvrps);
	assert_string_equal(f.meta.signature, "3045abcd");
	assert_string_equal(f.meta.signature_date, "3046ef");
	/* OctoRPKI style: "AS65000" strings. */
	assert_contains(text, "\"asn\": \"AS65000\"");
	free(text);
	vrpfile_free(&f);

	/* rpki-client: generated is kept, numeric ASNs. */
	write_parse(s, VRPFILE_RPKICLIENT, &m, &f, &text);
	assert_int_equal(f.meta.generated, 1700000000);
	assert_contains(text, "\"asn\": 65000");
	assert_contains(text, "\"buildtime\": \"2023-11-14T22:13:20Z\"");
	free(text);
	vrpfile_free(&f);

	/* CSV: rpki-client's header and AS-prefixed numbers. */
	write_parse(s, VRPFILE_CSV, NULL, &f, &text);
	assert_int_equal(strncmp(text,
	    "ASN,IP Prefix,Max Length,Trust Anchor\n", 38), 0);
	assert_contains(text, "\nAS65000,10.0.0.0/8,24,ripe\n");
	free(text);
	vrpfile_free(&f);
	vrpset_unref(s);
}

/* Enough entries to pass the writer's flush threshold several times. */
static void
test_roundtrip_large(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;
	struct vrpfile		 f;
	struct vrp		 v;
	uint32_t		 i;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.afi = AFI_IPV4;
	v.plen = 24;
	v.maxlen = 24;
	v.ta = (uint16_t)vrpset_builder_ta(b, "ripe");
	for (i = 0; i < 20000; i++) {
		v.addr[0] = (uint8_t)(i >> 16);
		v.addr[1] = (uint8_t)(i >> 8);
		v.addr[2] = (uint8_t)i;
		v.asn = i;
		assert_int_equal(vrpset_add_vrp(b, &v), 0);
	}
	s = vrpset_build(b);
	write_parse(s, VRPFILE_OCTORPKI, NULL, &f, NULL);
	assert_true(vrpset_equal(f.set, s));
	vrpfile_free(&f);
	write_parse(s, VRPFILE_CSV, NULL, &f, NULL);
	assert_true(vrpset_equal(f.set, s));
	vrpfile_free(&f);
	vrpset_unref(s);
}

static int
count_entries(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_save_load(void **state)
{
	char		 dir[] = "/tmp/test_vrpfile.XXXXXX", path[256];
	struct vrpset	*s = rich_set(0);
	struct vrpfile	 f;
	struct err	 e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	assert_int_equal(vrpfile_save(path, s, VRPFILE_RPKICLIENT, NULL, &e),
	    0);
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(vrpfile_load(path, 0, &f, &e), 0);
	assert_true(vrpset_equal(f.set, s));
	assert_int_equal(f.meta.format, VRPFILE_RPKICLIENT);
	vrpfile_free(&f);
	/* Overwrite in place. */
	assert_int_equal(vrpfile_save(path, s, VRPFILE_CSV, NULL, &e), 0);
	assert_int_equal(vrpfile_load(path, 0, &f, &e), 0);
	assert_int_equal(f.meta.format, VRPFILE_CSV);
	vrpfile_free(&f);
	assert_int_equal(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);

	assert_int_equal(vrpfile_save("/nonexistent/dir/out.json", s,
	    VRPFILE_CSV, NULL, &e), -1);
	assert_contains(e.msg, "/nonexistent/dir/out.json");
	vrpset_unref(s);
}

static void
test_format_names(void **state)
{
	static const struct {
		const char		*name;
		enum vrpfile_format	 fmt;
	} t[] = {
		{ "octorpki", VRPFILE_OCTORPKI }, { "gortr", VRPFILE_OCTORPKI },
		{ "json", VRPFILE_OCTORPKI },
		{ "rpki-client", VRPFILE_RPKICLIENT },
		{ "rpki-client8", VRPFILE_RPKICLIENT8 },
		{ "csv", VRPFILE_CSV },
	};
	enum vrpfile_format	fmt;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fmt = (enum vrpfile_format)99;
		assert_int_equal(vrpfile_format_parse(t[i].name, &fmt), 0);
		assert_int_equal(fmt, t[i].fmt);
		assert_int_equal(vrpfile_format_parse(
		    vrpfile_format_name(fmt), &fmt), 0);
		assert_int_equal(fmt, t[i].fmt);
	}
	assert_int_equal(vrpfile_format_parse("xml", &fmt), -1);
	assert_int_equal(vrpfile_format_parse("", &fmt), -1);
	assert_int_equal(vrpfile_format_parse("CSV", &fmt), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_octorpki),
		cmocka_unit_test(test_siglines_made),
		cmocka_unit_test(test_no_siglines_without_flag),
		cmocka_unit_test(test_rpkiclient),
		cmocka_unit_test(test_rpkiclient8),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_gortr_fixture),
		cmocka_unit_test(test_signed_fixtures_parse),
		cmocka_unit_test(test_duplicates_fold),
		cmocka_unit_test(test_unknown_members_ignored),
		cmocka_unit_test(test_reject_table),
		cmocka_unit_test(test_reject_nul),
		cmocka_unit_test(test_reject_whole_file),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_roundtrip_formats),
		cmocka_unit_test(test_roundtrip_empty),
		cmocka_unit_test(test_roundtrip_random),
		cmocka_unit_test(test_roundtrip_meta),
		cmocka_unit_test(test_roundtrip_large),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
