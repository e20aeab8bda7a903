/*
 * test_vmft.c - manifests (validator/mft.c, RFC 9286): the manifests of
 * the shared fixtures, their hashes checked against the fixture files
 * they list, eContents written here that break one rule each, and
 * manifests signed here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mft.h"

#include "sotest.h"
#include "testutil.h"

#define SHA256_OID	"06:608648016503040201"
/* GeneralizedTimes 20240101000000Z and 20250101000000Z. */
#define T2024		"18:32303234303130313030303030305A"
#define T2025		"18:32303235303130313030303030305A"
#define T2024_UNIX	1704067200
#define T2025_UNIX	1735689600

/*
 * A Manifest eContent in so_der_text notation: head is the text of the
 * fields before fileList; names the files, hash i all bytes i+1 unless
 * hash is given.
 */
static char *
mft_text(const char *head, const char *const *names, size_t n,
    const char *hash)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*t;
	size_t			 i, j, o, size = 4096 + n * 256;

	t = malloc(size);
	assert_non_null(t);
	o = (size_t)snprintf(t, size, "30{ %s 30{", head);
	for (i = 0; i < n; i++) {
		o += (size_t)snprintf(t + o, size - o, " 30{ 16:");
		for (j = 0; names[i][j] != '\0'; j++) {
			t[o++] = hex[(uint8_t)names[i][j] >> 4];
			t[o++] = hex[(uint8_t)names[i][j] & 15];
		}
		if (hash != NULL)
			o += (size_t)snprintf(t + o, size - o, " %s }", hash);
		else {
			o += (size_t)snprintf(t + o, size - o, " 03:00");
			for (j = 0; j < 32; j++) {
				t[o++] = hex[(i + 1) >> 4 & 15];
				t[o++] = hex[(i + 1) & 15];
			}
			o += (size_t)snprintf(t + o, size - o, " }");
		}
	}
	snprintf(t + o, size - o, " } }");
	return t;
}

#define HEAD	"02:2A " T2024 " " T2025 " " SHA256_OID

static struct mft *
econtent_ok(const char *head, const char *const *names, size_t n)
{
	struct mft	*m;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;
	char		*t = mft_text(head, names, n, NULL);

	der = so_der_text(t, &len);
	memset(&e, 0, sizeof(e));
	if ((m = mft_parse_econtent("x.mft", der, len, &e)) == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	free(der);
	free(t);
	return m;
}

static void
text_fail(const char *t, const char *want)
{
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = so_der_text(t, &len);
	memset(&e, 0, sizeof(e));
	assert_null(mft_parse_econtent("x.mft", der, len, &e));
	assert_contains(e.msg, "x.mft: ");
	assert_contains(e.msg, want);
	free(der);
}

static void
econtent_fail(const char *head, const char *const *names, size_t n,
    const char *hash, const char *want)
{
	char	*t = mft_text(head, names, n, hash);

	text_fail(t, want);
	free(t);
}

/* Whether entry name of m carries the SHA-256 of fixture file. */
static void
assert_lists(const struct mft *m, const char *name, const char *file)
{
	const struct mft_file	*f = mft_find(m, name);
	uint8_t			*der, md[32];
	size_t			 len;

	assert_non_null(f);
	der = so_read(file, &len);
	assert_true(EVP_Digest(der, len, md, NULL, EVP_sha256(), NULL));
	assert_memory_equal(f->hash, md, sizeof(md));
	free(der);
}

/* ---- the shared fixtures ------------------------------------------------ */

static void
test_fixture_ta(void **state)
{
	struct mft	*m;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	(void)state;
	/* BER at the CMS level (RIPE NCC, 2019): mft_parse wants DER. */
	der = so_read("ta.mft", &len);
	memset(&e, 0, sizeof(e));
	assert_null(mft_parse("ta.mft", der, len, &e));
	assert_contains(e.msg, "ta.mft: RFC 6488 section 2: ContentInfo: "
	    "want DER");
	free(der);

	der = so_econtent("ta.mft", OID_CT_MFT, &len);
	m = mft_parse_econtent("ta.mft", der, len, &e);
	assert_non_null(m);
	assert_string_equal(m->number_hex, "32");
	assert_int_equal(m->this_update, 1551186884);
	assert_int_equal(m->next_update, 1558876484);
	assert_int_equal(m->nfiles, 2);
	assert_string_equal(m->files[0].name,
	    "2a7dd1d787d793e4c8af56e197d4eed92af6ba13.cer");
	assert_string_equal(m->files[1].name, "ripe-ncc-ta.crl");
	/* The fixture files under their published names. */
	assert_lists(m, "2a7dd1d787d793e4c8af56e197d4eed92af6ba13.cer",
	    "ca1.cer");
	assert_lists(m, "ripe-ncc-ta.crl", "ta.crl");
	assert_null(mft_find(m, "ca1.cer"));
	mft_free(m);
	free(der);
}

static void
test_fixture_ca1(void **state)
{
	struct mft	*m;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	(void)state;
	der = so_econtent("ca1.mft", OID_CT_MFT, &len);
	memset(&e, 0, sizeof(e));
	m = mft_parse_econtent("ca1.mft", der, len, &e);
	assert_non_null(m);
	assert_string_equal(m->number_hex, "06A9");
	assert_int_equal(m->this_update, 1554543349);
	assert_int_equal(m->next_update, 1554629749);
	assert_int_equal(m->nfiles, 3);
	assert_string_equal(m->files[0].name,
	    "HGp1AESLbyiopScGy7yW4b6s_T4.cer");
	assert_string_equal(m->files[2].name,
	    "qM_jralcLee1A8ndIB6R9r9Jz8A.cer");
	assert_lists(m, "Kn3R14fXk-TIr1bhl9Tu2Sr2uhM.crl", "ca1.crl");
	mft_free(m);
	free(der);
}

static void
test_fixture_sigalg(void **state)
{
	static const uint8_t	 h0[4] = { 0x21, 0xc4, 0x85, 0x6e };
	struct mft		*m;
	struct err		 e;
	uint8_t			*der;
	size_t			 len;

	(void)state;
	/*
	 * DER, and its envelope is sound: it parses.  Its EE certificate
	 * (outer and inner signature algorithms differ) is rejected by
	 * the RFC 6487 profile check in cert.c, which the validator runs.
	 */
	der = so_read("signature-alg-mismatch.mft", &len);
	memset(&e, 0, sizeof(e));
	m = mft_parse("signature-alg-mismatch.mft", der, len, &e);
	if (m == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_string_equal(m->number_hex,
	    "010D0C9F4328576D51CC73C042CFC173E35F2B2D");
	assert_int_equal(m->number_len, 20);
	assert_int_equal(m->nfiles, 4);
	assert_string_equal(m->files[0].name,
	    "2a246947-2d62-4a6c-ba05-87187f0099b2.cer");
	assert_memory_equal(m->files[0].hash, h0, sizeof(h0));
	assert_non_null(m->cms.ee);
	assert_null(m->cms.econtent);
	assert_int_equal(m->cms.signing_time, 1597247531);	/* 2020-08-12 */
	mft_free(m);
	free(der);
	mft_free(NULL);
}

static void
test_fixture_bad_filename(void **state)
{
	CMS_ContentInfo		*cms;
	ASN1_OCTET_STRING	**pos;
	const unsigned char	*p;
	struct err		 e;
	uint8_t			*der;
	size_t			 len;

	(void)state;
	der = so_read("ta.mft.bad-filename", &len);
	memset(&e, 0, sizeof(e));
	assert_null(mft_parse("ta.mft.bad-filename", der, len, &e));

	/*
	 * Its eContent no longer matches the signature, so the name rule
	 * is seen on the eContent alone, taken out with OpenSSL here.
	 */
	p = der;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	assert_non_null(cms);
	pos = CMS_get0_content(cms);
	assert_non_null(pos);
	assert_null(mft_parse_econtent("ta.mft.bad-filename",
	    ASN1_STRING_get0_data(*pos), (size_t)ASN1_STRING_length(*pos),
	    &e));
	assert_contains(e.msg, "ta.mft.bad-filename: RFC 9286 section 4.2.2: "
	    "fileList[0] file: want [a-zA-Z0-9_-]+ '.' and a three-letter "
	    "extension, have "
	    "\"2a\\xe2dd1d787d793e4c8af56e197d4eed92af6ba13.cer\"");
	CMS_ContentInfo_free(cms);
	free(der);
}

/* ---- eContents ---------------------------------------------------------- */

static void
test_good(void **state)
{
	static const char *const names[] = { "a-b_C9.roa", "ca.crl",
	    "x.cer" };
	struct mft	*m, *m2;

	(void)state;
	m = econtent_ok(HEAD, names, 3);
	assert_string_equal(m->number_hex, "2A");
	assert_int_equal(m->number_len, 1);
	assert_int_equal(m->this_update, T2024_UNIX);
	assert_int_equal(m->next_update, T2025_UNIX);
	assert_int_equal(m->nfiles, 3);
	assert_string_equal(m->files[1].name, "ca.crl");
	assert_int_equal(m->files[1].hash[0], 2);
	assert_int_equal(m->files[1].hash[31], 2);
	assert_ptr_equal(mft_find(m, "x.cer"), &m->files[2]);

	/* manifestNumber 0 and an empty fileList. */
	m2 = econtent_ok("02:00 " T2024 " " T2025 " " SHA256_OID, NULL, 0);
	assert_string_equal(m2->number_hex, "0");
	assert_int_equal(m2->nfiles, 0);
	assert_true(mft_number_cmp(m2, m) < 0);
	assert_true(mft_number_cmp(m, m2) > 0);
	assert_int_equal(mft_number_cmp(m, m), 0);
	mft_free(m2);

	/* The largest number: 20 octets, so 21 with the sign octet. */
	m2 = econtent_ok("02:00FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF "
	    T2024 " " T2025 " " SHA256_OID, NULL, 0);
	assert_int_equal(m2->number_len, 20);
	assert_string_equal(m2->number_hex,
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
	assert_true(mft_number_cmp(m2, m) > 0);
	mft_free(m2);
	mft_free(m);
}

/*
 * Every registered extension, and ones no registry holds: RFC 9286
 * section 4.2.2 asks three letters; which types mean something is the
 * walk's to decide (an unknown one is ignored, not the manifest).
 */
static void
test_extensions(void **state)
{
	static const char *const names[] = { "a.asa", "a.cer", "a.crl",
	    "a.gbr", "a.mft", "a.roa", "a.sig", "a.spl", "a.tak", "a.ccr",
	    "a.txt", "a.xyz" };
	struct mft	*m;

	(void)state;
	m = econtent_ok(HEAD, names, 12);
	assert_int_equal(m->nfiles, 12);
	assert_string_equal(m->files[11].name, "a.xyz");
	mft_free(m);
}

static void
test_header(void **state)
{
	(void)state;
	econtent_fail("A0{ 02:00 } " HEAD, NULL, 0, NULL, "RFC 9286 section "
	    "4.2.1: version: want absent (DER leaves out the DEFAULT 0), "
	    "have 0 encoded explicitly");
	econtent_fail("A0{ 02:01 } " HEAD, NULL, 0, NULL, "RFC 9286 section "
	    "4.2.1: version: want 0, have 1");
	econtent_fail("02:FF " T2024 " " T2025 " " SHA256_OID, NULL, 0, NULL,
	    "RFC 9286 section 4.2.1: manifestNumber: want 0 or more, have a "
	    "negative number");
	econtent_fail("02:01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF " T2024 " "
	    T2025 " " SHA256_OID, NULL, 0, NULL, "RFC 9286 section 4.2.1: "
	    "manifestNumber: want at most 20 octets, have 21");
	econtent_fail("02:01 " T2024 " " T2024 " " SHA256_OID, NULL, 0, NULL,
	    "RFC 9286 section 4.2.1: nextUpdate: want later than thisUpdate "
	    "(1704067200), have 1704067200");
	econtent_fail("02:01 " T2025 " " T2024 " " SHA256_OID, NULL, 0, NULL,
	    "nextUpdate: want later than thisUpdate (1735689600), have "
	    "1704067200");
	/* 20241301000000Z: no 13th month. */
	econtent_fail("02:01 18:32303234313330313030303030305A " T2025 " "
	    SHA256_OID, NULL, 0, NULL, "RFC 9286 section 4.2.1: thisUpdate: "
	    "want a valid GeneralizedTime");
	/* UTCTime where GeneralizedTime belongs. */
	econtent_fail("02:01 17:3234303130313030303030305A " T2025 " "
	    SHA256_OID, NULL, 0, NULL, "RFC 9286 section 4.2: Manifest: want "
	    "its ASN.1 structure, have bytes that do not decode as it");
	econtent_fail("02:01 " T2024 " " T2025 " 06:2B0E03021A", NULL, 0, NULL,
	    "RFC 9286 section 4.2.1 and RFC 7935 section 2: fileHashAlg: "
	    "want SHA-256 (2.16.840.1.101.3.4.2.1), have 1.3.14.3.2.26");
}

static void
test_names(void **state)
{
	static const char *const bad[] = { "x.CER", "a.Roa", "a.r0a", ".cer",
	    "a.b.cer", "a b.cer", "abc", "a/../b.roa", "cer", "a.ce",
	    "a.cerr", "\xc3\xa9.roa" };
	const char	*names[2];
	char		 want[128];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		names[0] = "ok.roa";
		names[1] = bad[i];
		econtent_fail(HEAD, names, 2, NULL, "RFC 9286 section 4.2.2: "
		    "fileList[1] file: want [a-zA-Z0-9_-]+ '.' and a "
		    "three-letter extension");
		if (bad[i][0] & 0x80)
			continue;
		snprintf(want, sizeof(want), "have \"%s\"", bad[i]);
		econtent_fail(HEAD, names, 2, NULL, want);
	}
	names[0] = "\xc3\xa9.roa";
	econtent_fail(HEAD, names, 1, NULL, "have \"\\xc3\\xa9.roa\"");
	/* A NUL inside the IA5String: "a\0.cer". */
	text_fail("30{ " HEAD " 30{ 30{ 16:61002E636572 03:00"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    " } } }", "have \"a\\x00.cer\"");
}

static void
test_duplicates(void **state)
{
	static const char *const names[] = { "a.roa", "b.roa", "c.cer",
	    "b.roa" };

	(void)state;
	econtent_fail(HEAD, names, 4, NULL, "RFC 9286 section 4.2.2: fileList: "
	    "want unique file names, have \"b.roa\" twice");
}

static void
test_hash(void **state)
{
	static const char *const names[] = { "a.roa" };

	(void)state;
	/* 255 bits: one unused bit. */
	econtent_fail(HEAD, names, 1, "03:01" "0101010101010101"
	    "0101010101010101" "0101010101010101" "0101010101010100",
	    "RFC 9286 section 4.2.1: fileList[0] hash: want 256 bits "
	    "(SHA-256), have 255");
	/* A SHA-1 sized hash. */
	econtent_fail(HEAD, names, 1, "03:00" "0101010101010101"
	    "0101010101010101" "01010101", "fileList[0] hash: want 256 bits "
	    "(SHA-256), have 160");
}

/* ---- signed here -------------------------------------------------------- */

static void
test_signed(void **state)
{
	static const char *const names[] = { "a.roa", "b.crl" };
	EVP_PKEY	*key = so_key();
	X509		*ee = so_ee(key, NULL, 0);
	struct mft	*m;
	struct err	 e;
	uint8_t		*ec, *der;
	size_t		 eclen, len;
	char		*t = mft_text(HEAD, names, 2, NULL);

	(void)state;
	ec = so_der_text(t, &eclen);
	der = so_sign(OID_CT_MFT, ec, eclen, ee, key, &len);
	memset(&e, 0, sizeof(e));
	if ((m = mft_parse("x.mft", der, len, &e)) == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(m->nfiles, 2);
	assert_string_equal(m->files[1].name, "b.crl");
	assert_true(so_ee_is(m->cms.ee, ee));
	assert_int_equal(m->cms.has_signing_time, 1);
	mft_free(m);
	OPENSSL_free(der);

	der = so_sign(OID_CT_ROA, ec, eclen, ee, key, &len);
	assert_null(mft_parse("x.mft", der, len, &e));
	assert_contains(e.msg, "x.mft: RFC 6488 section 2.1.3.1: eContentType: "
	    "want 1.2.840.113549.1.9.16.1.26, have 1.2.840.113549.1.9.16.1.24");
	OPENSSL_free(der);
	free(ec);
	free(t);
	X509_free(ee);
	EVP_PKEY_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_ta),
		cmocka_unit_test(test_fixture_ca1),
		cmocka_unit_test(test_fixture_sigalg),
		cmocka_unit_test(test_fixture_bad_filename),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_signed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
