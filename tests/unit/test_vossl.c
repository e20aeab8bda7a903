/*
 * test_vossl.c - the fast paths of validator/ossl.c and their users:
 * keys imported without OpenSSL's decoders (from a certificate decoded
 * with certasn1.c's templates, or a SubjectPublicKeyInfo's algorithm
 * and bits) equal the decoders' keys,
 * ossl_verify accepts exactly the valid RSA SHA-256 signatures, signed
 * X.509 structures and CMS signed attributes verify as received and not
 * once tampered with, and EC router keys still decode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "asn1util.h"
#include "cert.h"
#include "cms.h"
#include "ossl.h"
#include "x509util.h"

#include "sotest.h"
#include "testutil.h"
#include "vtestutil.h"

static const uint8_t msg[] = "RFC 6488 section 3";

/* The DER certificate at path, decoded as the validator does. */
static RpkiCertificate *
load_lean(const char *path)
{
	const uint8_t	*end;
	uint8_t		*der;
	size_t		 len;
	RpkiCertificate	*x;

	der = vt_read(path, &len);
	x = certasn1_decode(der, len, &end);
	assert_non_null(x);
	assert_ptr_equal(end, der + len);
	free(der);
	return x;
}

/* pub as our SubjectPublicKeyInfo type (ASN1_item_free it). */
static RpkiSpki *
spki_of(const X509_PUBKEY *pub)
{
	unsigned char	*der = NULL;
	const uint8_t	*p;
	RpkiSpki	*s;
	int		 n;

	n = i2d_X509_PUBKEY(pub, &der);
	assert_true(n > 0);
	p = der;
	s = (RpkiSpki *)ASN1_item_d2i(NULL, &p, n, ASN1_ITEM_rptr(RpkiSpki));
	assert_non_null(s);
	OPENSSL_free(der);
	return s;
}

static void
spki_free(RpkiSpki *s)
{
	ASN1_item_free((ASN1_VALUE *)s, ASN1_ITEM_rptr(RpkiSpki));
}

/* An RSA SHA-256 signature of msg with key (free with OPENSSL_free). */
static uint8_t *
sign_msg(EVP_PKEY *key, size_t *siglen)
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	uint8_t		*sig;

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL,
	    key), 1);
	assert_int_equal(EVP_DigestSign(ctx, NULL, siglen, msg, sizeof(msg)),
	    1);
	sig = OPENSSL_malloc(*siglen);
	assert_non_null(sig);
	assert_int_equal(EVP_DigestSign(ctx, sig, siglen, msg, sizeof(msg)),
	    1);
	EVP_MD_CTX_free(ctx);
	return sig;
}

/* The X509_PUBKEY of key (free with X509_PUBKEY_free). */
static X509_PUBKEY *
pubkey_of(EVP_PKEY *key)
{
	X509_PUBKEY	*pub = NULL;

	assert_int_equal(X509_PUBKEY_set(&pub, key), 1);
	return pub;
}

static void
test_rsa_import_equals_decoder(void **state)
{
	const char	*files[] = { FIXTURE("ta.cer"), FIXTURE("ca1.cer") };
	EVP_PKEY	*k, *gen;
	X509_PUBKEY	*pub;
	RpkiCertificate	*lean;
	RpkiSpki	*s;
	X509		*x;
	uint64_t	 e;
	size_t		 i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		x = vt_load_x509(files[i]);	/* OpenSSL's decoders */
		assert_non_null(X509_get0_pubkey(x));
		lean = load_lean(files[i]);
		s = lean->tbsCertificate.subjectPublicKeyInfo;
		k = ossl_key_from_spki(s->algorithm, s->subjectPublicKey);
		assert_non_null(k);
		assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_RSA);
		assert_int_equal(EVP_PKEY_eq(k, X509_get0_pubkey(x)), 1);
		assert_int_equal(EVP_PKEY_get_bits(k), 2048);
		assert_int_equal(ossl_rsa_exponent(k, &e), 0);
		assert_int_equal(e, 65537);
		EVP_PKEY_free(k);
		certasn1_free(lean);
		X509_free(x);
	}

	/* A fresh key, through its SubjectPublicKeyInfo. */
	gen = so_key();
	pub = pubkey_of(gen);
	s = spki_of(pub);
	k = ossl_key_from_spki(s->algorithm, s->subjectPublicKey);
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_eq(k, gen), 1);
	EVP_PKEY_free(k);
	spki_free(s);
	X509_PUBKEY_free(pub);
	EVP_PKEY_free(gen);
}

static void
test_rsa_import_refuses(void **state)
{
	X509_PUBKEY	*pub;
	RpkiSpki	*s;
	ASN1_OBJECT	*rsa = OBJ_nid2obj(NID_rsaEncryption);
	uint64_t	 e;
	size_t		 i;
	/* RSAPublicKey contents that are not one SEQUENCE of two INTEGERs. */
	static const struct {
		const char	*what;
		uint8_t		 der[16];
		int		 len;
	} bad[] = {
		{ "not a SEQUENCE", { 0x02, 0x01, 0x05 }, 3 },
		{ "one INTEGER", { 0x30, 0x03, 0x02, 0x01, 0x05 }, 5 },
		{ "negative modulus", { 0x30, 0x06, 0x02, 0x01, 0xFB, 0x02,
		    0x01, 0x03 }, 8 },
		{ "trailing byte", { 0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01,
		    0x03, 0x00 }, 9 },
	};
	/* RSAPublicKey contents that import, and their exponents. */
	static const struct {
		uint8_t		 der[20];
		int		 len;
		uint64_t	 e;
	} exps[] = {
		{ { 0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03 }, 8, 3 },
		{ { 0x30, 0x0e, 0x02, 0x01, 0x05, 0x02, 0x09, 0x01, 0x00, 0x00,
		    0x00, 0x00, 0x00, 0x00, 0x00, 0x01 }, 16, UINT64_MAX },
	};

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned char	*bits = OPENSSL_memdup(bad[i].der,
				    (size_t)bad[i].len);

		pub = X509_PUBKEY_new();
		assert_non_null(pub);
		assert_non_null(bits);
		assert_int_equal(X509_PUBKEY_set0_param(pub, rsa, V_ASN1_NULL,
		    NULL, bits, bad[i].len), 1);
		s = spki_of(pub);
		if (ossl_key_from_spki(s->algorithm, s->subjectPublicKey) !=
		    NULL) {
			print_error("accepted: %s\n", bad[i].what);
			fail();
		}
		spki_free(s);
		X509_PUBKEY_free(pub);
	}
	assert_int_equal(ossl_rsa_exponent(NULL, &e), -1);
	assert_null(ossl_key_from_spki(NULL, NULL));

	/* Exponents as imported: 3, and one past 64 bits. */
	for (i = 0; i < sizeof(exps) / sizeof(exps[0]); i++) {
		unsigned char	*bits = OPENSSL_memdup(exps[i].der,
				    (size_t)exps[i].len);
		EVP_PKEY	*k;

		pub = X509_PUBKEY_new();
		assert_non_null(pub);
		assert_non_null(bits);
		assert_int_equal(X509_PUBKEY_set0_param(pub, rsa, V_ASN1_NULL,
		    NULL, bits, exps[i].len), 1);
		s = spki_of(pub);
		k = ossl_key_from_spki(s->algorithm, s->subjectPublicKey);
		assert_non_null(k);
		assert_int_equal(ossl_rsa_exponent(k, &e), 0);
		assert_true(e == exps[i].e);
		EVP_PKEY_free(k);
		spki_free(s);
		X509_PUBKEY_free(pub);
	}
}

static void
test_verify(void **state)
{
	EVP_PKEY	*key = so_key(), *other = so_key(), *ec;
	uint8_t		*sig, tampered[sizeof(msg)];
	size_t		 siglen;

	sig = sign_msg(key, &siglen);
	assert_int_equal(ossl_verify(key, msg, sizeof(msg), sig, siglen), 1);
	/* Twice: the same key again (a CA verifying its children). */
	assert_int_equal(ossl_verify(key, msg, sizeof(msg), sig, siglen), 1);

	/* Another message, another key, a broken or short signature. */
	memcpy(tampered, msg, sizeof(msg));
	tampered[0] ^= 0x20;
	assert_int_equal(ossl_verify(key, tampered, sizeof(tampered), sig,
	    siglen), 0);
	assert_int_equal(ossl_verify(other, msg, sizeof(msg), sig, siglen), 0);
	sig[siglen / 2] ^= 0x01;
	assert_int_equal(ossl_verify(key, msg, sizeof(msg), sig, siglen), 0);
	sig[siglen / 2] ^= 0x01;
	assert_int_equal(ossl_verify(key, msg, sizeof(msg), sig, siglen - 1),
	    0);
	assert_int_equal(ossl_verify(NULL, msg, sizeof(msg), sig, siglen), 0);

	/* Not an RSA key: refused, whatever the bytes. */
	ec = EVP_EC_gen(SN_X9_62_prime256v1);
	assert_non_null(ec);
	assert_int_equal(ossl_verify(ec, msg, sizeof(msg), sig, siglen), 0);
	assert_int_equal(ERR_peek_error(), 0);

	OPENSSL_free(sig);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(other);
	EVP_PKEY_free(key);
}

static void
test_ec_router_key(void **state)
{
	EVP_PKEY	*gen, *k;
	X509_PUBKEY	*pub;
	RpkiSpki	*s;
	X509		*x;
	struct cert	*c;
	struct err	 e;
	unsigned char	*xder = NULL, *pt;
	char		 group[64];
	uint64_t	 exp;
	uint8_t		*der;
	size_t		 len;
	int		 n;

	/* A fresh P-256 key: the same key as OpenSSL's decoders give. */
	gen = EVP_EC_gen(SN_X9_62_prime256v1);
	assert_non_null(gen);
	pub = pubkey_of(gen);
	s = spki_of(pub);
	k = ossl_key_from_spki(s->algorithm, s->subjectPublicKey);
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_EC);
	assert_int_equal(EVP_PKEY_eq(k, gen), 1);
	assert_int_equal(EVP_PKEY_get_group_name(k, group, sizeof(group),
	    NULL), 1);
	assert_string_equal(group, SN_X9_62_prime256v1);
	assert_int_equal(ossl_rsa_exponent(k, &exp), -1);
	EVP_PKEY_free(k);
	/* A point off the curve (y + 1) is no key, as for d2i_PUBKEY. */
	pt = (unsigned char *)ASN1_STRING_get0_data(s->subjectPublicKey);
	assert_int_equal(ASN1_STRING_length(s->subjectPublicKey), 65);
	pt[64] ^= 1;
	assert_null(ossl_key_from_spki(s->algorithm, s->subjectPublicKey));
	spki_free(s);
	X509_PUBKEY_free(pub);
	EVP_PKEY_free(gen);

	/* Another curve still decodes, for cert.c to name it. */
	gen = EVP_EC_gen(SN_secp384r1);
	assert_non_null(gen);
	pub = pubkey_of(gen);
	s = spki_of(pub);
	k = ossl_key_from_spki(s->algorithm, s->subjectPublicKey);
	assert_non_null(k);
	assert_int_equal(EVP_PKEY_eq(k, gen), 1);
	EVP_PKEY_free(k);
	spki_free(s);
	X509_PUBKEY_free(pub);
	EVP_PKEY_free(gen);

	/* The router certificate fixture, parsed as the validator does. */
	der = vt_read(FIXTURE("router.cer"), &len);
	memset(&e, 0, sizeof(e));
	c = cert_parse("router.cer", der, len, &e);
	free(der);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(c->purpose, CERT_ROUTER);
	x = vt_load_x509(FIXTURE("router.cer"));
	assert_int_equal(EVP_PKEY_eq(c->pub, X509_get0_pubkey(x)), 1);
	/* The SubjectPublicKeyInfo kept is the one X509 encodes. */
	n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &xder);
	assert_int_equal(c->spki_len, n);
	assert_memory_equal(c->spki, xder, (size_t)n);
	OPENSSL_free(xder);
	X509_free(x);
	cert_free(c);
}

static void
test_signed_verify(void **state)
{
	EVP_PKEY	*key = so_key(), *other = so_key();
	X509		*x = so_ee(key, NULL, 0);
	uint8_t		*der;
	size_t		 len, i;

	der = vt_der(x, &len);
	assert_int_equal(x509_signed_verify(der, len, key), 1);
	assert_int_equal(x509_signed_verify(der, len, other), 0);
	assert_int_equal(x509_signed_verify(der, len - 1, key), 0);

	/* One byte of the TBS changed: the CN "sotest-ee". */
	for (i = 0; i + 9 <= len; i++)
		if (memcmp(der + i, "sotest-ee", 9) == 0)
			break;
	assert_true(i + 9 <= len);
	der[i] ^= 0x01;
	assert_int_equal(x509_signed_verify(der, len, key), 0);
	der[i] ^= 0x01;

	/* A signature BIT STRING with unused bits (X509_verify's rule). */
	assert_int_equal(der[len - 256 - 1], 0x00);	/* unused bits */
	der[len - 256 - 1] = 0x01;
	assert_int_equal(x509_signed_verify(der, len, key), 0);

	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(other);
	EVP_PKEY_free(key);
}

/* cms_parse of cms (freed) with its result; the diagnostic in e. */
static int
parse_cms(CMS_ContentInfo *cms, struct err *e)
{
	struct cms_object	 o;
	uint8_t			*der;
	size_t			 len;
	int			 rc;

	der = so_der(cms, &len);
	memset(e, 0, sizeof(*e));
	rc = cms_parse("x.roa", der, len, OID_CT_ROA, &o, e);
	cms_object_clear(&o);
	OPENSSL_free(der);
	return rc;
}

static void
test_cms_signed_attrs(void **state)
{
	static const uint8_t	 ec[] = { 0x30, 0x03, 0x02, 0x01, 0x07 };
	EVP_PKEY		*key = so_key();
	X509			*ee = so_ee(key, NULL, 0);
	CMS_ContentInfo		*cms;
	CMS_SignerInfo		*si;
	X509_ATTRIBUTE		*a;
	ASN1_TYPE		*t;
	struct err		 e;

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), ee, key, SO_FLAGS,
	    EVP_sha256());
	if (parse_cms(cms, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}

	/*
	 * The signing time moved by a second after signing: every
	 * attribute is still well formed, the signature no longer covers
	 * them.
	 */
	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), ee, key, SO_FLAGS,
	    EVP_sha256());
	si = so_si(cms);
	a = CMS_signed_get_attr(si, CMS_signed_get_attr_by_NID(si,
	    NID_pkcs9_signingTime, -1));
	assert_non_null(a);
	t = X509_ATTRIBUTE_get0_type(a, 0);
	assert_non_null(t);
	assert_int_equal(t->type, V_ASN1_UTCTIME);
	assert_non_null(ASN1_UTCTIME_set(t->value.utctime, 1700000001));
	assert_int_equal(parse_cms(cms, &e), -1);
	assert_contains(e.msg, "x.roa: RFC 6488 section 3: signature: want "
	    "one that verifies with the EE certificate's public key");

	X509_free(ee);
	EVP_PKEY_free(key);
}

/* FIPS 180-2 appendix examples: the digests of "abc". */
static void
test_digests(void **state)
{
	static const uint8_t sha256_abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41,
		0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3,
		0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00,
		0x15, 0xad,
	};
	static const uint8_t sha1_abc[20] = {
		0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
		0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d,
	};
	uint8_t	md[32];

	(void)state;
	ossl_sha256("abc", 3, md);
	assert_memory_equal(md, sha256_abc, 32);
	ossl_sha1("abc", 3, md);
	assert_memory_equal(md, sha1_abc, 20);
}

static void
test_oid_is(void **state)
{
	ASN1_OBJECT	*o = OBJ_txt2obj(OID_CT_ROA, 1);

	assert_non_null(o);
	assert_true(asn1_oid_is(o, OID_CT_ROA));
	assert_false(asn1_oid_is(o, OID_CT_MFT));
	assert_false(asn1_oid_is(o, "1.2.840.113549.1.9.16.1"));
	assert_false(asn1_oid_is(o, "1.2.840.113549.1.9.16.1.24.1"));
	assert_false(asn1_oid_is(o, "not an oid"));
	assert_false(asn1_oid_is(NULL, OID_CT_ROA));
	assert_true(asn1_oid_is(OBJ_nid2obj(NID_sha256),
	    "2.16.840.1.101.3.4.2.1"));
	assert_int_equal(ERR_peek_error(), 0);
	ASN1_OBJECT_free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsa_import_equals_decoder),
		cmocka_unit_test(test_rsa_import_refuses),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_ec_router_key),
		cmocka_unit_test(test_digests),
		cmocka_unit_test(test_signed_verify),
		cmocka_unit_test(test_cms_signed_attrs),
		cmocka_unit_test(test_oid_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
