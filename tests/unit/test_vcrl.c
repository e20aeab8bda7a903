/*
 * test_vcrl.c - RFC 6487 section 5 CRLs (validator/crl.c): the real
 * TA and CA CRLs with their issuers' keys, revocation lookups, and CRLs
 * made here breaking each profile rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "crl.h"

#include "testutil.h"
#include "vtestutil.h"

static EVP_PKEY *signer;

static struct cert *
load_cert(const char *path)
{
	struct cert	*c;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = vt_read(path, &len);
	c = cert_parse(path, der, len, &e);
	free(der);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	return c;
}

static struct crl *
load_crl(const char *path)
{
	struct crl	*crl;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = vt_read(path, &len);
	memset(&e, 0, sizeof(e));
	crl = crl_parse(path, der, len, &e);
	free(der);
	if (crl == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	return crl;
}

static struct serial
serial_of(const uint8_t *b, uint8_t len)
{
	struct serial	 s;

	memset(&s, 0, sizeof(s));
	s.len = len;
	memcpy(s.b, b, len);
	return s;
}

static void
assert_sorted(const struct crl *crl)
{
	size_t	 i;

	for (i = 1; i < crl->nrevoked; i++)
		assert_true(x509_serial_cmp(&crl->revoked[i - 1],
		    &crl->revoked[i]) <= 0);
}

static void
test_ta_crl(void **state)
{
	static const uint8_t d4[] = { 0xD4 }, d3[] = { 0xD3 };
	struct cert	*ta = load_cert(FIXTURE("ta.cer"));
	struct cert	*ca = load_cert(FIXTURE("ca1.cer"));
	struct crl	*crl = load_crl(FIXTURE("ta.crl"));
	struct serial	 s;
	struct err	 e;

	(void)state;
	assert_int_equal(crl->nrevoked, 6);
	assert_sorted(crl);
	assert_int_equal(crl->number.len, 1);
	assert_int_equal(crl->number.b[0], 50);
	assert_int_equal(crl->thisupdate, 1551186884);
	assert_int_equal(crl->nextupdate, 1558876484);
	assert_memory_equal(crl->aki, ta->ski, SKI_LEN);
	/* The TA signed its CRL. */
	assert_int_equal(crl_verify_signature(crl, ta->pub, &e), 0);
	assert_int_equal(crl_verify_signature(crl, ca->pub, &e), -1);
	assert_contains(e.msg, "ta.crl: RFC 6487 section 5: signature: want "
	    "valid under the issuer's key, have invalid");
	/* ca1.cer (serial D6) is not revoked; D4 is, D3 is not. */
	assert_false(crl_is_revoked(crl, ca));
	s = serial_of(d4, 1);
	assert_true(crl_has_serial(crl, &s));
	s = serial_of(d3, 1);
	assert_false(crl_has_serial(crl, &s));
	crl_free(crl);
	cert_free(ca);
	cert_free(ta);
}

static void
test_ca1_crl(void **state)
{
	static const uint8_t first[] = { 0xEF, 0x80, 0xFD };
	static const uint8_t fourth[] = { 0x01, 0x05, 0xC6, 0xC3 };
	static const uint8_t absent[] = { 0x01, 0x05, 0xC6, 0xC4 };
	struct cert	*ta = load_cert(FIXTURE("ta.cer"));
	struct cert	*ca = load_cert(FIXTURE("ca1.cer"));
	struct crl	*crl = load_crl(FIXTURE("ca1.crl"));
	struct serial	 s;
	struct err	 e;

	(void)state;
	assert_int_equal(crl->nrevoked, 163);
	assert_sorted(crl);
	assert_int_equal(crl->number.len, 2);
	assert_int_equal(crl->number.b[0] << 8 | crl->number.b[1], 1702);
	assert_int_equal(crl->thisupdate, 1554543349);
	assert_int_equal(crl->nextupdate, 1554629749);
	/* Issued by ca1, not by the TA. */
	assert_memory_equal(crl->aki, ca->ski, SKI_LEN);
	assert_int_equal(crl_verify_signature(crl, ca->pub, &e), 0);
	assert_int_equal(crl_verify_signature(crl, ta->pub, &e), -1);
	assert_contains(e.msg, "ca1.crl: RFC 6487 section 5: signature");
	s = serial_of(first, 3);
	assert_true(crl_has_serial(crl, &s));
	s = serial_of(fourth, 4);
	assert_true(crl_has_serial(crl, &s));
	s = serial_of(absent, 4);
	assert_false(crl_has_serial(crl, &s));
	crl_free(crl);
	cert_free(ca);
	cert_free(ta);
}

/* How a CRL made by make_crl breaks the profile. */
struct crl_opts {
	int		 v1;		/* version 1, not 2 */
	int		 no_number, crit_number, big_number;
	int		 no_aki, aki_serial;
	int		 extra_ext, entry_ext, neg_serial, no_next;
	const EVP_MD	*md;		/* NULL: SHA-256 */
};

static void
add_revoked(X509_CRL *crl, long serial, int ext)
{
	X509_REVOKED	*r = X509_REVOKED_new();
	ASN1_INTEGER	*i = ASN1_INTEGER_new();
	ASN1_TIME	*t = ASN1_TIME_set(NULL, 1690000000);
	ASN1_ENUMERATED	*reason;

	ASN1_INTEGER_set(i, serial);
	X509_REVOKED_set_serialNumber(r, i);
	X509_REVOKED_set_revocationDate(r, t);
	if (ext) {
		reason = ASN1_ENUMERATED_new();
		ASN1_ENUMERATED_set(reason, 1);
		X509_REVOKED_add1_ext_i2d(r, NID_crl_reason, reason, 0, 0);
		ASN1_ENUMERATED_free(reason);
	}
	X509_CRL_add0_revoked(crl, r);
	ASN1_INTEGER_free(i);
	ASN1_TIME_free(t);
}

static void
add_exts(X509_CRL *crl, const struct crl_opts *o)
{
	AUTHORITY_KEYID	*ak = AUTHORITY_KEYID_new();
	ASN1_INTEGER	*num = ASN1_INTEGER_new();
	uint8_t		 id[21];

	memset(id, 0x42, sizeof(id));
	ak->keyid = ASN1_OCTET_STRING_new();
	ASN1_OCTET_STRING_set(ak->keyid, id, 20);
	if (o->aki_serial) {
		ak->serial = ASN1_INTEGER_new();
		ASN1_INTEGER_set(ak->serial, 7);
	}
	if (!o->no_aki)
		X509_CRL_add1_ext_i2d(crl, NID_authority_key_identifier, ak,
		    0, 0);
	if (o->big_number)
		ASN1_STRING_set(num, id, sizeof(id));
	else
		ASN1_INTEGER_set(num, 0);
	if (!o->no_number)
		X509_CRL_add1_ext_i2d(crl, NID_crl_number, num,
		    o->crit_number, 0);
	if (o->extra_ext)
		X509_CRL_add1_ext_i2d(crl, NID_delta_crl, num, 1, 0);
	AUTHORITY_KEYID_free(ak);
	ASN1_INTEGER_free(num);
}

static uint8_t *
make_crl(const struct crl_opts *o, size_t *len)
{
	X509_CRL	*crl = X509_CRL_new();
	X509_NAME	*name = X509_NAME_new();
	ASN1_TIME	*t;
	unsigned char	*der = NULL;

	X509_CRL_set_version(crl, o->v1 ? X509_CRL_VERSION_1 :
	    X509_CRL_VERSION_2);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"test-ca", -1, -1, 0);
	X509_CRL_set_issuer_name(crl, name);
	X509_NAME_free(name);
	t = ASN1_TIME_set(NULL, 1700000000);
	X509_CRL_set1_lastUpdate(crl, t);
	ASN1_TIME_free(t);
	if (!o->no_next) {
		t = ASN1_TIME_set(NULL, 1700086400);
		X509_CRL_set1_nextUpdate(crl, t);
		ASN1_TIME_free(t);
	}
	add_revoked(crl, 0x100, 0);
	add_revoked(crl, o->neg_serial ? -5 : 5, o->entry_ext);
	add_revoked(crl, 3, 0);
	add_exts(crl, o);
	assert_true(X509_CRL_sign(crl, signer, o->md ? o->md : EVP_sha256())
	    > 0);
	*len = (size_t)i2d_X509_CRL(crl, &der);
	X509_CRL_free(crl);
	return der;
}

static void
crl_rejects(const struct crl_opts *o, const char *want)
{
	struct crl	*crl;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = make_crl(o, &len);
	crl = crl_parse("t.crl", der, len, &e);
	OPENSSL_free(der);
	if (crl != NULL) {
		crl_free(crl);
		print_error("CRL accepted, wanted \"%s\"\n", want);
		fail();
	}
	assert_contains(e.msg, "t.crl: ");
	assert_contains(e.msg, want);
}

static void
test_made_crl(void **state)
{
	static const uint8_t s100[] = { 1, 0 }, s3[] = { 3 }, s4[] = { 4 };
	struct crl_opts	 o;
	struct crl	*crl;
	struct serial	 s;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	(void)state;
	memset(&o, 0, sizeof(o));
	der = make_crl(&o, &len);
	crl = crl_parse("t.crl", der, len, &e);
	OPENSSL_free(der);
	if (crl == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(crl->nrevoked, 3);
	assert_sorted(crl);
	assert_int_equal(crl->number.len, 0);	/* CRL number 0 is fine */
	assert_int_equal(crl->revoked[0].b[0], 3);
	s = serial_of(s100, 2);
	assert_true(crl_has_serial(crl, &s));
	s = serial_of(s3, 1);
	assert_true(crl_has_serial(crl, &s));
	s = serial_of(s4, 1);
	assert_false(crl_has_serial(crl, &s));
	assert_int_equal(crl_verify_signature(crl, signer, &e), 0);
	crl_free(crl);
	crl_free(NULL);
}

static void
test_profile(void **state)
{
	struct crl_opts	 o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.v1 = 1;
	crl_rejects(&o, "RFC 6487 section 5: version: want 2, have 1");

	memset(&o, 0, sizeof(o));
	o.md = EVP_sha1();
	crl_rejects(&o, "RFC 6487 section 5: signatureAlgorithm: want "
	    "sha256WithRSAEncryption (1.2.840.113549.1.1.11), have "
	    "1.2.840.113549.1.1.5");

	memset(&o, 0, sizeof(o));
	o.no_number = 1;
	crl_rejects(&o, "RFC 6487 section 5: crlExtensions: want "
	    "authorityKeyIdentifier and cRLNumber, have no cRLNumber");

	memset(&o, 0, sizeof(o));
	o.no_aki = 1;
	crl_rejects(&o, "have no authorityKeyIdentifier");

	memset(&o, 0, sizeof(o));
	o.extra_ext = 1;
	crl_rejects(&o, "crlExtensions: want authorityKeyIdentifier and "
	    "cRLNumber once each, have 2.5.29.27");

	memset(&o, 0, sizeof(o));
	o.crit_number = 1;
	crl_rejects(&o, "RFC 5280 section 5.2.3: cRLNumber: want "
	    "non-critical, have critical");

	memset(&o, 0, sizeof(o));
	o.big_number = 1;
	crl_rejects(&o, "cRLNumber: want at most 20 octets, have 21");

	memset(&o, 0, sizeof(o));
	o.aki_serial = 1;
	crl_rejects(&o, "RFC 6487 section 5: authorityKeyIdentifier: want "
	    "keyIdentifier only");

	memset(&o, 0, sizeof(o));
	o.entry_ext = 1;
	crl_rejects(&o, "RFC 6487 section 5: crlEntryExtensions: want "
	    "absent, have 1 on entry");

	memset(&o, 0, sizeof(o));
	o.neg_serial = 1;
	crl_rejects(&o, "revokedCertificates userCertificate: want positive, "
	    "have negative");

	memset(&o, 0, sizeof(o));
	o.no_next = 1;
	crl_rejects(&o, "RFC 6487 section 5: nextUpdate: want present");
}

/* The outer signatureAlgorithm without its NULL parameters. */
static void
test_sigalg_mismatch(void **state)
{
	static const uint8_t alg[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
	    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
	struct crl_opts	 o;
	struct crl	*crl;
	struct err	 e;
	uint8_t		*der;
	size_t		 len, i, at = 0, outer;

	(void)state;
	memset(&o, 0, sizeof(o));
	der = make_crl(&o, &len);
	for (i = 0; i + sizeof(alg) <= len; i++)
		if (memcmp(der + i, alg, sizeof(alg)) == 0)
			at = i;
	assert_true(at > 0 && der[0] == 0x30 && der[1] == 0x82);
	der[at + 1] = 0x0b;
	memmove(der + at + 13, der + at + 15, len - at - 15);
	len -= 2;
	outer = ((size_t)der[2] << 8 | der[3]) - 2;
	der[2] = (uint8_t)(outer >> 8);
	der[3] = (uint8_t)outer;
	crl = crl_parse("t.crl", der, len, &e);
	OPENSSL_free(der);
	assert_null(crl);
	assert_contains(e.msg, "t.crl: RFC 6487 section 5: signatureAlgorithm: "
	    "want the signature field's AlgorithmIdentifier (NULL "
	    "parameters), have absent parameters");
}

static void
test_garbage(void **state)
{
	struct err	 e;
	uint8_t		*der, *buf;
	size_t		 len, n;
	unsigned	 seed = 11, i;

	(void)state;
	assert_null(crl_parse("x.crl", (const uint8_t *)"\x30\x03\x02\x01",
	    4, &e));
	assert_contains(e.msg, "x.crl: RFC 5280 section 5.1: CertificateList: "
	    "want DER");
	der = vt_read(FIXTURE("ta.crl"), &len);
	buf = malloc(len + 2);
	memcpy(buf, der, len);
	buf[len] = buf[len + 1] = 0;
	assert_null(crl_parse("x.crl", buf, len + 2, &e));
	assert_contains(e.msg, "want nothing after it, have 2 more bytes");
	for (n = 0; n < len; n += 3)
		assert_null(crl_parse("x.crl", der, n, &e));
	for (i = 0; i < 300; i++) {
		memcpy(buf, der, len);
		seed = seed * 1103515245 + 12345;
		buf[(seed >> 8) % len] ^= (uint8_t)(1 + (seed >> 20) % 255);
		crl_free(crl_parse("x.crl", buf, len, &e));
	}
	ERR_clear_error();
	free(buf);
	free(der);
}

static int
setup(void **state)
{
	(void)state;
	signer = vt_rsa_key(2048);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(signer);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ta_crl),
		cmocka_unit_test(test_ca1_crl),
		cmocka_unit_test(test_made_crl),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_sigalg_mismatch),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
