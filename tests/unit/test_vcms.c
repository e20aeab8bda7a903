/*
 * test_vcms.c - the RFC 6488 envelope (validator/cms.c): the real
 * objects of the shared fixtures, then objects signed here with one
 * thing broken at a time, so that every check fails at least once with
 * its own diagnostic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cms.h"

#include "sotest.h"
#include "testutil.h"

/* An eContent; the envelope does not look inside. */
static const uint8_t ec[] = { 0x30, 0x03, 0x02, 0x01, 0x07 };

struct fix {
	EVP_PKEY	*key;
	X509		*ee;
	ASN1_OBJECT	*roa, *mft;
};

static int
group_setup(void **state)
{
	static struct fix	f;

	f.key = so_key();
	f.ee = so_ee(f.key, NULL, 0);
	f.roa = OBJ_txt2obj(OID_CT_ROA, 1);
	f.mft = OBJ_txt2obj(OID_CT_MFT, 1);
	*state = &f;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fix	*f = *state;

	X509_free(f->ee);
	EVP_PKEY_free(f->key);
	ASN1_OBJECT_free(f->roa);
	ASN1_OBJECT_free(f->mft);
	return 0;
}

/* cms_parse must fail on der/len with a message containing want. */
static void
expect_fail(const uint8_t *der, size_t len, const char *oid,
    const char *want)
{
	struct cms_object	o;
	struct err		e;

	memset(&e, 0, sizeof(e));
	assert_int_equal(cms_parse("x.roa", der, len, oid, &o, &e), -1);
	assert_null(o.econtent);
	assert_null(o.ee);
	assert_contains(e.msg, "x.roa: ");
	assert_contains(e.msg, want);
}

/* Encode cms and expect failure with want. */
static void
expect_cms_fail(CMS_ContentInfo *cms, const char *want)
{
	uint8_t	*der;
	size_t	 len;

	der = so_der(cms, &len);
	expect_fail(der, len, OID_CT_ROA, want);
	OPENSSL_free(der);
}

static void
expect_ok(const uint8_t *der, size_t len, const char *oid,
    struct cms_object *o)
{
	struct err	e;

	memset(&e, 0, sizeof(e));
	if (cms_parse("x.roa", der, len, oid, o, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_non_null(o->ee);
}

/* ---- the shared fixtures ------------------------------------------------ */

static void
test_fixtures_parse(void **state)
{
	static const struct {
		const char	*name, *oid;
		int		 ber;
		int64_t		 stime;
	} fx[] = {
		/* RIPE NCC objects of 2019: BER indefinite lengths. */
		{ "ta.mft", OID_CT_MFT, 1, 1551186884 },
		{ "ca1.mft", OID_CT_MFT, 1, 1554543049 },
		{ "example-ripe.roa", OID_CT_ROA, 1, 1559857485 },
		{ "aspa-bm.asa", OID_CT_ASPA, 0, -1 },
		{ "maxlen-overflow.roa", OID_CT_ROA, 0, -1 },
		/*
		 * The EE certificate's outer signatureAlgorithm has absent
		 * parameters, the inner one NULL: the RFC 6487 profile
		 * check (cert.c) rejects it; the envelope itself is fine
		 * and its signature verifies, so cms_parse succeeds.
		 */
		{ "signature-alg-mismatch.mft", OID_CT_MFT, 0, -1 },
	};
	struct cms_object	 o;
	struct err		 e;
	ASN1_OCTET_STRING	*ski;
	uint8_t			*der;
	size_t			 len, i;

	(void)state;
	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
		der = so_read(fx[i].name, &len);
		if (fx[i].ber) {
			expect_fail(der, len, fx[i].oid, "RFC 6488 section 2: "
			    "ContentInfo: want DER, have an encoding that does "
			    "not re-encode to itself");
			memset(&e, 0, sizeof(e));
			if (cms_parse_flags("x.roa", der, len, fx[i].oid,
			    CMS_PARSE_BER, &o, &e) != 0) {
				print_error("%s: %s\n", fx[i].name, e.msg);
				fail();
			}
		} else
			expect_ok(der, len, fx[i].oid, &o);
		assert_non_null(o.econtent);
		assert_true(o.econtent_len > 0);
		assert_int_equal(o.econtent[0], 0x30);
		assert_non_null(o.ee_key);
		ski = X509V3_get_d2i(o.ee->tbsCertificate.extensions,
		    NID_subject_key_identifier, NULL, NULL);
		assert_non_null(ski);
		ASN1_OCTET_STRING_free(ski);
		if (fx[i].stime >= 0) {
			assert_int_equal(o.has_signing_time, 1);
			assert_int_equal(o.signing_time, fx[i].stime);
		}
		cms_object_clear(&o);
		free(der);
	}
	cms_object_clear(NULL);
}

static void
test_fixture_bad_filename(void **state)
{
	struct cms_object	 o;
	struct err		 e;
	uint8_t			*der;
	size_t			 len;

	(void)state;
	/* Its eContent was altered after signing: the digest says so. */
	der = so_read("ta.mft.bad-filename", &len);
	expect_fail(der, len, OID_CT_MFT, "want DER");
	memset(&e, 0, sizeof(e));
	assert_int_equal(cms_parse_flags("x.roa", der, len, OID_CT_MFT,
	    CMS_PARSE_BER, &o, &e), -1);
	assert_contains(e.msg, "x.roa: RFC 6488 section 2.1.6.4.2: "
	    "message-digest attribute: want the SHA-256 of the eContent");
	free(der);
}

static void
test_fixture_wrong_type(void **state)
{
	uint8_t	*der;
	size_t	 len;

	(void)state;
	der = so_read("signature-alg-mismatch.mft", &len);
	expect_fail(der, len, OID_CT_ROA, "RFC 6488 section 2.1.3.1: "
	    "eContentType: want 1.2.840.113549.1.9.16.1.24, have "
	    "1.2.840.113549.1.9.16.1.26");
	free(der);
}

/* ---- encoding ----------------------------------------------------------- */

static void
test_signed_here(void **state)
{
	struct fix		*f = *state;
	struct cms_object	 o;
	uint8_t			*der;
	size_t			 len;

	der = so_sign(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, &len);
	expect_ok(der, len, OID_CT_ROA, &o);
	assert_int_equal(o.econtent_len, sizeof(ec));
	assert_memory_equal(o.econtent, ec, sizeof(ec));
	assert_int_equal(o.has_signing_time, 1);
	assert_int_equal(o.signing_time, 1700000000);
	assert_true(so_ee_is(o.ee, f->ee));
	cms_object_clear(&o);
	assert_null(o.ee);
	assert_null(o.ee_key);
	OPENSSL_free(der);
}

static void
test_not_der(void **state)
{
	struct fix	*f = *state;
	uint8_t		*der, *b;
	size_t		 len, clen;

	der = so_sign(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, &len);
	expect_fail(der, 0, OID_CT_ROA, "want 1..2^31-1 bytes, have 0");
	expect_fail(der, 40, OID_CT_ROA, "want a CMS object");
	expect_fail(ec, sizeof(ec), OID_CT_ROA, "want a CMS object");

	b = malloc(len + 3);
	assert_non_null(b);
	memcpy(b, der, len);
	b[len] = 0;
	expect_fail(b, len + 1, OID_CT_ROA, "have 1 trailing bytes");

	/* The outer SEQUENCE with an indefinite length (BER). */
	assert_int_equal(der[1], 0x82);
	clen = (size_t)der[2] << 8 | der[3];
	assert_int_equal(clen + 4, len);
	b[0] = 0x30;
	b[1] = 0x80;
	memcpy(b + 2, der + 4, clen);
	b[2 + clen] = b[3 + clen] = 0;
	expect_fail(b, clen + 4, OID_CT_ROA, "RFC 6488 section 2: "
	    "ContentInfo: want DER");

	/* The same length in three octets instead of two. */
	b[0] = 0x30;
	b[1] = 0x83;
	b[2] = 0;
	memcpy(b + 3, der + 2, len - 2);
	expect_fail(b, len + 1, OID_CT_ROA, "want DER");
	free(b);
	OPENSSL_free(der);
}

/*
 * Test-side DER rewriting: der again, but with the length of the n-th
 * TLV (preorder, from 0) whose tag octet is tag written one octet longer
 * than DER allows, and the lengths of its enclosing TLVs grown to match.
 * Definite lengths and one-octet tags only, as here.
 */
struct rw {
	const uint8_t	*in;
	uint8_t		*out;
	size_t		 o;
	int		 tag, n;
};

/* The length field of len, minimal, or with one more octet if wide. */
static size_t
put_len(uint8_t *out, size_t len, int wide)
{
	size_t	nb = 0, i, v;
	uint8_t	tmp[9];

	if (len < 0x80 && !wide) {
		out[0] = (uint8_t)len;
		return 1;
	}
	for (v = len; v > 0; v >>= 8)
		nb++;
	if (wide)
		nb++;
	for (i = 0, v = len; i < nb; i++, v >>= 8)
		tmp[nb - 1 - i] = (uint8_t)v;
	out[0] = (uint8_t)(0x80 | nb);
	memcpy(out + 1, tmp, nb);
	return nb + 1;
}

/* Rewrite the TLVs in in[at..end) into rw->out; returns bytes written. */
static size_t
rw_seq(struct rw *rw, size_t at, size_t end, uint8_t *out)
{
	size_t	w = 0, clen, hlen, i, nb, cw;
	uint8_t	tag;
	int	wide;
	uint8_t	*body;

	while (at < end) {
		tag = rw->in[at];
		if (rw->in[at + 1] < 0x80) {
			clen = rw->in[at + 1];
			hlen = 2;
		} else {
			nb = rw->in[at + 1] & 0x7f;
			for (clen = 0, i = 0; i < nb; i++)
				clen = clen << 8 | rw->in[at + 2 + i];
			hlen = 2 + nb;
		}
		wide = tag == rw->tag && rw->n-- == 0;
		/* Content first, into scratch space past the header. */
		body = out + w + 16;
		if (tag & 0x20)
			cw = rw_seq(rw, at + hlen, at + hlen + clen, body);
		else {
			memcpy(body, rw->in + at + hlen, clen);
			cw = clen;
		}
		out[w] = tag;
		nb = put_len(out + w + 1, cw, wide);
		memmove(out + w + 1 + nb, body, cw);
		w += 1 + nb + cw;
		at += hlen + clen;
	}
	return w;
}

static uint8_t *
der_widen(const uint8_t *der, size_t len, int tag, int n, size_t *outlen)
{
	struct rw	 rw = { der, NULL, 0, tag, n };
	uint8_t		*out;

	/* Each level may add 16 bytes of scratch; 64 levels are plenty. */
	out = malloc(len + 64 * 16);
	assert_non_null(out);
	*outlen = rw_seq(&rw, 0, len, out);
	assert_true(rw.n < 0);		/* the n-th was there */
	return out;
}

/* How many TLVs of der have the tag octet tag. */
static int
tag_count(const uint8_t *der, size_t len, int tag)
{
	struct rw	 rw = { der, NULL, 0, tag, INT32_MAX };
	uint8_t		*tmp = malloc(len + 64 * 16);

	assert_non_null(tmp);
	(void)rw_seq(&rw, 0, len, tmp);
	free(tmp);
	return INT32_MAX - rw.n;
}

/*
 * A length one octet too long in each part of the envelope: the
 * ContentInfo's contentType, inside SignedData (its digestAlgorithms
 * SET, the certificate's outer signature), inside the SignerInfo (its
 * signed attributes, its signature): each is found, though the
 * SignedData and SignerInfo keep their received bytes (cms.c, cms_der).
 */
static void
test_not_der_inside(void **state)
{
	static const struct {
		int	 tag, n;
		const char *what;
	} at[] = {
		{ 0x06, 0, "the contentType OID" },
		{ 0x31, 0, "the digestAlgorithms SET" },
		{ 0x03, 1, "the certificate's signature BIT STRING" },
		{ 0xa0, -1, "the signed attributes" },
		{ 0x04, -1, "the SignerInfo's signature" },
	};
	struct fix		*f = *state;
	struct cms_object	 o;
	struct err		 e;
	uint8_t			*der, *b;
	size_t			 len, blen, i;
	int			 n;

	der = so_sign(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, &len);
	/* Rewritten with nothing widened, it is the same bytes and valid. */
	b = der_widen(der, len, 0x100, -1, &blen);
	assert_int_equal(blen, len);
	assert_memory_equal(b, der, len);
	expect_ok(b, blen, OID_CT_ROA, &o);
	cms_object_clear(&o);
	free(b);
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		/* n -1: the last one, the tag's count less one. */
		n = at[i].n >= 0 ? at[i].n : tag_count(der, len, at[i].tag) - 1;
		b = der_widen(der, len, at[i].tag, n, &blen);
		/* One octet more, or two where a length outgrew its form. */
		assert_true(blen == len + 1 || blen == len + 2);
		print_message("widened: %s\n", at[i].what);
		expect_fail(b, blen, OID_CT_ROA, "RFC 6488 section 2: "
		    "ContentInfo: want DER, have an encoding that does not "
		    "re-encode to itself");
		/* Still an object cms_parse takes when BER is allowed. */
		memset(&e, 0, sizeof(e));
		if (cms_parse_flags("x.roa", b, blen, OID_CT_ROA,
		    CMS_PARSE_BER, &o, &e) != 0) {
			print_error("%s: %s\n", at[i].what, e.msg);
			fail();
		}
		cms_object_clear(&o);
		free(b);
	}
	OPENSSL_free(der);
}

static void
test_not_signed_data(void **state)
{
	CMS_ContentInfo	*cms;
	BIO		*in = BIO_new_mem_buf(ec, sizeof(ec));

	(void)state;
	cms = CMS_data_create(in, CMS_BINARY);
	assert_non_null(cms);
	expect_cms_fail(cms, "RFC 6488 section 2: contentType: want "
	    "1.2.840.113549.1.7.2 (signedData), have 1.2.840.113549.1.7.1");
	BIO_free(in);
}

/* ---- SignedData --------------------------------------------------------- */

static void
test_signed_data_version(void **state)
{
	struct fix	*f = *state;

	/* eContentType id-data and an issuerAndSerialNumber: version 1. */
	expect_cms_fail(so_cms("1.2.840.113549.1.7.1", ec, sizeof(ec), f->ee,
	    f->key, SO_FLAGS & ~CMS_USE_KEYID, EVP_sha256()),
	    "RFC 6488 section 2.1.1: SignedData version: want 3, have 1");
}

static void
test_digest_algorithms(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	EVP_PKEY	*k2 = so_key();
	X509		*ee2 = so_ee(k2, NULL, 0);

	expect_cms_fail(so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
	    SO_FLAGS, EVP_sha384()), "RFC 6488 section 2.1.2 and RFC 7935 "
	    "section 2: digestAlgorithms: want SHA-256 "
	    "(2.16.840.1.101.3.4.2.1), have 2.16.840.1.101.3.4.2.2");

	/* A second signer with SHA-384: two digestAlgorithms. */
	cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_BINARY | CMS_PARTIAL);
	assert_non_null(cms);
	assert_true(CMS_set1_eContentType(cms, f->roa));
	assert_non_null(CMS_add1_signer(cms, f->ee, f->key, EVP_sha256(),
	    SO_FLAGS));
	assert_non_null(CMS_add1_signer(cms, ee2, k2, EVP_sha384(),
	    SO_FLAGS | CMS_NOCERTS));
	{
		BIO *in = BIO_new_mem_buf(ec, sizeof(ec));

		assert_true(CMS_final(cms, in, NULL, CMS_BINARY));
		BIO_free(in);
	}
	expect_cms_fail(cms, "digestAlgorithms: want exactly one (SHA-256), "
	    "have 2");
	X509_free(ee2);
	EVP_PKEY_free(k2);
}

static void
test_signer_count(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	BIO		*in = BIO_new_mem_buf(ec, sizeof(ec));

	cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_BINARY | CMS_PARTIAL);
	assert_non_null(cms);
	assert_true(CMS_set1_eContentType(cms, f->roa));
	assert_non_null(CMS_add1_signer(cms, f->ee, f->key, EVP_sha256(),
	    SO_FLAGS));
	assert_non_null(CMS_add1_signer(cms, f->ee, f->key, EVP_sha256(),
	    SO_FLAGS | CMS_NOCERTS));
	assert_true(CMS_final(cms, in, NULL, CMS_BINARY));
	BIO_free(in);
	expect_cms_fail(cms, "RFC 6488 section 2.1: signerInfos: want exactly "
	    "one SignerInfo, have 2");
}

static void
test_econtent_type(void **state)
{
	struct fix	*f = *state;
	uint8_t		*der;
	size_t		 len;

	der = so_sign(OID_CT_ASPA, ec, sizeof(ec), f->ee, f->key, &len);
	expect_fail(der, len, OID_CT_ROA, "RFC 6488 section 2.1.3.1: "
	    "eContentType: want 1.2.840.113549.1.9.16.1.24, have "
	    "1.2.840.113549.1.9.16.1.49");
	OPENSSL_free(der);
}

static void
test_detached(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	assert_true(CMS_set_detached(cms, 1));
	expect_cms_fail(cms, "RFC 6488 section 2.1.3.2: eContent: want "
	    "present, have absent");
}

static void
test_certificates(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	EVP_PKEY	*k2 = so_key();
	X509		*other = so_ee(k2, NULL, 0);

	expect_cms_fail(so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
	    SO_FLAGS | CMS_NOCERTS, EVP_sha256()), "RFC 6488 section 2.1.4: "
	    "certificates: want exactly one (the EE certificate), have 0");

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	assert_true(CMS_add1_cert(cms, other));
	expect_cms_fail(cms, "certificates: want exactly one (the EE "
	    "certificate), have 2");
	X509_free(other);
	EVP_PKEY_free(k2);
}

static void
test_crls(void **state)
{
	struct fix		*f = *state;
	CMS_ContentInfo		*cms;
	X509_CRL		*crl;
	uint8_t			*der;
	const unsigned char	*p;
	size_t			 len;

	der = so_read("ta.crl", &len);
	p = der;
	crl = d2i_X509_CRL(NULL, &p, (long)len);
	assert_non_null(crl);
	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	assert_true(CMS_add1_crl(cms, crl));
	expect_cms_fail(cms, "RFC 6488 section 2.1.5: crls: want absent, "
	    "have 1");
	X509_CRL_free(crl);
	free(der);
}

/* ---- SignerInfo --------------------------------------------------------- */

static void
test_signer_version(void **state)
{
	struct fix	*f = *state;

	/* SignedData stays version 3 (eContentType is not id-data). */
	expect_cms_fail(so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
	    SO_FLAGS & ~CMS_USE_KEYID, EVP_sha256()),
	    "RFC 6488 section 2.1.6.1: SignerInfo version: want 3, have 1");
}

static void
test_sid_issuer_serial(void **state)
{
	struct fix	*f = *state;
	uint8_t		*der;
	size_t		 len, i, at = 0;

	/*
	 * An issuerAndSerialNumber sid under a SignerInfo that claims
	 * version 3: patch the version (it is not signed).  The EE serial
	 * is 0x1234, so "02 01 01 30" is the SignerInfo's version.
	 */
	der = so_der(so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
	    SO_FLAGS & ~CMS_USE_KEYID, EVP_sha256()), &len);
	for (i = 0; i + 4 <= len; i++)
		if (memcmp(der + i, "\x02\x01\x01\x30", 4) == 0)
			at = i;
	assert_true(at > 0);
	der[at + 2] = 3;
	expect_fail(der, len, OID_CT_ROA, "RFC 6488 section 2.1.6.2: sid: "
	    "want subjectKeyIdentifier, have issuerAndSerialNumber");
	OPENSSL_free(der);
}

static void
test_sid_mismatch(void **state)
{
	static const uint8_t	 ski[20] = { 0xAB, 0xCD };
	struct fix		*f = *state;
	CMS_ContentInfo		*cms;
	X509			*wrong = so_ee(f->key, ski, sizeof(ski));
	X509			*noski = so_ee(f->key, NULL, (size_t)-1);

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
	    SO_FLAGS | CMS_NOCERTS, EVP_sha256());
	assert_true(CMS_add1_cert(cms, wrong));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.2: sid: want the EE "
	    "certificate's subjectKeyIdentifier "
	    "ABCD000000000000000000000000000000000000, have ");

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
	    SO_FLAGS | CMS_NOCERTS, EVP_sha256());
	assert_true(CMS_add1_cert(cms, noski));
	expect_cms_fail(cms, "have an EE certificate without one");
	X509_free(wrong);
	X509_free(noski);
}

static void
test_signature_algorithm(void **state)
{
	struct fix		*f = *state;
	CMS_ContentInfo		*cms;
	X509_ALGOR		*sig;
	struct cms_object	 o;
	uint8_t			*der;
	size_t			 len;

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	CMS_SignerInfo_get0_algs(so_si(cms), NULL, NULL, NULL, &sig);
	assert_true(X509_ALGOR_set0(sig, OBJ_nid2obj(
	    NID_sha1WithRSAEncryption), V_ASN1_NULL, NULL));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.5 and RFC 7935 section "
	    "2: signatureAlgorithm: want rsaEncryption (1.2.840.113549.1.1.1) "
	    "or sha256WithRSAEncryption (1.2.840.113549.1.1.11), have "
	    "1.2.840.113549.1.1.5");

	/* sha256WithRSAEncryption is allowed too. */
	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	CMS_SignerInfo_get0_algs(so_si(cms), NULL, NULL, NULL, &sig);
	assert_true(X509_ALGOR_set0(sig, OBJ_nid2obj(
	    NID_sha256WithRSAEncryption), V_ASN1_NULL, NULL));
	der = so_der(cms, &len);
	expect_ok(der, len, OID_CT_ROA, &o);
	cms_object_clear(&o);
	OPENSSL_free(der);
}

static void
test_signer_digest(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	X509_ALGOR	*dig;

	/* digestAlgorithms still says SHA-256; the SignerInfo does not. */
	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	CMS_SignerInfo_get0_algs(so_si(cms), NULL, NULL, &dig, NULL);
	assert_true(X509_ALGOR_set0(dig, OBJ_nid2obj(NID_sha384),
	    V_ASN1_UNDEF, NULL));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.3 and RFC 7935 section "
	    "2: digestAlgorithm: want SHA-256 (2.16.840.1.101.3.4.2.1), have "
	    "2.16.840.1.101.3.4.2.2");
}

static void
test_no_signed_attrs(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;

	cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_BINARY | CMS_PARTIAL);
	assert_non_null(cms);
	assert_true(CMS_set1_eContentType(cms, f->roa));
	assert_non_null(CMS_add1_signer(cms, f->ee, f->key, EVP_sha256(),
	    SO_FLAGS | CMS_NOATTR));
	expect_cms_fail(so_cms_final(cms, ec, sizeof(ec)), "RFC 6488 section "
	    "2.1.6.4: signedAttrs: want present, have absent");
}

static void
test_unsigned_attrs(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	ASN1_TIME	*t = ASN1_TIME_set(NULL, 1700000001);

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	assert_true(CMS_unsigned_add1_attr_by_NID(so_si(cms),
	    NID_pkcs9_signingTime, t->type, t, -1));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.7: unsignedAttrs: want "
	    "absent, have 1 attribute(s)");
	ASN1_TIME_free(t);
}

/* ---- signed attributes --------------------------------------------------- */

/* cms with its attribute nid deleted (the signature is then stale). */
static CMS_ContentInfo *
without_attr(struct fix *f, int nid)
{
	CMS_ContentInfo	*cms;
	CMS_SignerInfo	*si;
	int		 loc;

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	si = so_si(cms);
	loc = CMS_signed_get_attr_by_NID(si, nid, -1);
	assert_true(loc >= 0);
	X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, loc));
	return cms;
}

static void
test_attr_missing(void **state)
{
	struct fix	*f = *state;

	expect_cms_fail(without_attr(f, NID_pkcs9_contentType),
	    "RFC 6488 section 2.1.6.4.1: content-type attribute: want "
	    "present, have absent");
	expect_cms_fail(without_attr(f, NID_pkcs9_messageDigest),
	    "RFC 6488 section 2.1.6.4.2: message-digest attribute: want "
	    "present, have absent");
}

static void
test_attr_extra(void **state)
{
	struct fix	*f = *state;

	/* OpenSSL's default SMIMECapabilities attribute. */
	expect_cms_fail(so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
	    SO_FLAGS & ~CMS_NOSMIMECAP, EVP_sha256()),
	    "RFC 6488 section 2.1.6.4: signedAttrs: want only content-type, "
	    "message-digest, signing-time, binary-signing-time, have "
	    "1.2.840.113549.1.9.15");
}

static void
test_attr_content_type(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	CMS_SignerInfo	*si;

	cms = without_attr(f, NID_pkcs9_contentType);
	si = so_si(cms);
	assert_true(CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType,
	    V_ASN1_OBJECT, f->mft, -1));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.4.1: content-type "
	    "attribute: want 1.2.840.113549.1.9.16.1.24 (the eContentType), "
	    "have 1.2.840.113549.1.9.16.1.26");
}

static void
test_attr_twice(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	X509_ATTRIBUTE	*a;
	ASN1_TIME	*t = ASN1_TIME_set(NULL, 1700000001);

	/*
	 * OpenSSL refuses to sign these, so they are added after signing:
	 * the attribute checks come before the signature check.
	 */
	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	assert_true(CMS_signed_add1_attr_by_NID(so_si(cms),
	    NID_pkcs9_signingTime, t->type, t, -1));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.4: signing-time "
	    "attribute: want one instance, have more");

	/* One attribute, two values. */
	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	a = CMS_signed_get_attr(so_si(cms), CMS_signed_get_attr_by_NID(
	    so_si(cms), NID_pkcs9_signingTime, -1));
	assert_non_null(a);
	assert_true(X509_ATTRIBUTE_set1_data(a, t->type, t, -1));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.4: signing-time "
	    "attribute: want exactly one AttributeValue, have 2");
	ASN1_TIME_free(t);
}

static void
test_signing_time_type(void **state)
{
	struct fix	*f = *state;
	CMS_ContentInfo	*cms;
	ASN1_INTEGER	*i = ASN1_INTEGER_new();

	assert_true(ASN1_INTEGER_set(i, 1700000000));
	cms = without_attr(f, NID_pkcs9_signingTime);
	assert_true(CMS_signed_add1_attr_by_NID(so_si(cms),
	    NID_pkcs9_signingTime, V_ASN1_INTEGER, i, -1));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.4.3: signing-time "
	    "attribute: want a valid UTCTime or GeneralizedTime");
	ASN1_INTEGER_free(i);
}

static void
test_binary_signing_time(void **state)
{
	struct fix		*f = *state;
	CMS_ContentInfo		*cms;
	ASN1_INTEGER		*bt = ASN1_INTEGER_new();
	ASN1_OBJECT		*oid = OBJ_txt2obj("1.2.840.113549.1.9.16.2.46",
				    1);
	struct cms_object	 o;
	uint8_t			*der;
	size_t			 len;

	/* Allowed (RFC 6019), re-signed; signing-time still wins. */
	assert_true(ASN1_INTEGER_set_int64(bt, 1600000000));
	cms = so_cms_start(OID_CT_ROA, f->ee, f->key, SO_FLAGS, EVP_sha256());
	assert_true(CMS_signed_add1_attr_by_OBJ(so_si(cms), oid,
	    V_ASN1_INTEGER, bt, -1));
	der = so_der(so_cms_final(cms, ec, sizeof(ec)), &len);
	expect_ok(der, len, OID_CT_ROA, &o);
	assert_int_equal(o.has_signing_time, 1);
	assert_int_equal(o.signing_time, 1700000000);
	cms_object_clear(&o);
	OPENSSL_free(der);

	/* A negative BinaryTime. */
	assert_true(ASN1_INTEGER_set_int64(bt, -5));
	cms = so_cms_start(OID_CT_ROA, f->ee, f->key, SO_FLAGS, EVP_sha256());
	assert_true(CMS_signed_add1_attr_by_OBJ(so_si(cms), oid,
	    V_ASN1_INTEGER, bt, -1));
	expect_cms_fail(so_cms_final(cms, ec, sizeof(ec)), "RFC 6488 section "
	    "2.1.6.4.4: binary-signing-time attribute: want a non-negative "
	    "INTEGER");
	ASN1_OBJECT_free(oid);
	ASN1_INTEGER_free(bt);
}

/* ---- digest and signature ----------------------------------------------- */

static void
test_message_digest(void **state)
{
	struct fix		*f = *state;
	CMS_ContentInfo		*cms;
	ASN1_OCTET_STRING	**pos;
	uint8_t			 bad[sizeof(ec)];

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	pos = CMS_get0_content(cms);
	memcpy(bad, ec, sizeof(ec));
	bad[4] ^= 1;
	assert_true(ASN1_OCTET_STRING_set(*pos, bad, sizeof(bad)));
	expect_cms_fail(cms, "RFC 6488 section 2.1.6.4.2: message-digest "
	    "attribute: want the SHA-256 of the eContent, have a value that "
	    "differs");
}

static void
test_signature(void **state)
{
	struct fix		*f = *state;
	CMS_ContentInfo		*cms;
	ASN1_OCTET_STRING	*sig;
	uint8_t			 buf[512];
	int			 n;

	cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key, SO_FLAGS,
	    EVP_sha256());
	sig = CMS_SignerInfo_get0_signature(so_si(cms));
	n = ASN1_STRING_length(sig);
	assert_true(n > 16 && n <= (int)sizeof(buf));
	memcpy(buf, ASN1_STRING_get0_data(sig), (size_t)n);
	buf[n / 2] ^= 0x01;
	assert_true(ASN1_OCTET_STRING_set(sig, buf, n));
	expect_cms_fail(cms, "RFC 6488 section 3: signature: want one that "
	    "verifies with the EE certificate's public key, have one that "
	    "does not");

	/* Right structure, right SKI, another key's signature. */
	{
		EVP_PKEY	*k2 = so_key();
		const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(
		    f->ee);
		X509		*ee2 = so_ee(k2, ASN1_STRING_get0_data(ski),
				    (size_t)ASN1_STRING_length(ski));

		cms = so_cms(OID_CT_ROA, ec, sizeof(ec), f->ee, f->key,
		    SO_FLAGS | CMS_NOCERTS, EVP_sha256());
		assert_true(CMS_add1_cert(cms, ee2));
		expect_cms_fail(cms, "RFC 6488 section 3: signature");
		X509_free(ee2);
		EVP_PKEY_free(k2);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_parse),
		cmocka_unit_test(test_fixture_bad_filename),
		cmocka_unit_test(test_fixture_wrong_type),
		cmocka_unit_test(test_signed_here),
		cmocka_unit_test(test_not_der),
		cmocka_unit_test(test_not_der_inside),
		cmocka_unit_test(test_not_signed_data),
		cmocka_unit_test(test_signed_data_version),
		cmocka_unit_test(test_digest_algorithms),
		cmocka_unit_test(test_signer_count),
		cmocka_unit_test(test_econtent_type),
		cmocka_unit_test(test_detached),
		cmocka_unit_test(test_certificates),
		cmocka_unit_test(test_crls),
		cmocka_unit_test(test_signer_version),
		cmocka_unit_test(test_sid_issuer_serial),
		cmocka_unit_test(test_sid_mismatch),
		cmocka_unit_test(test_signature_algorithm),
		cmocka_unit_test(test_signer_digest),
		cmocka_unit_test(test_no_signed_attrs),
		cmocka_unit_test(test_unsigned_attrs),
		cmocka_unit_test(test_attr_missing),
		cmocka_unit_test(test_attr_extra),
		cmocka_unit_test(test_attr_content_type),
		cmocka_unit_test(test_attr_twice),
		cmocka_unit_test(test_signing_time_type),
		cmocka_unit_test(test_binary_signing_time),
		cmocka_unit_test(test_message_digest),
		cmocka_unit_test(test_signature),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
