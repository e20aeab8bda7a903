/*
 * test_vcertasn1.c - the Certificate templates of validator/certasn1.c
 * that replaced OpenSSL's X509: they decode exactly what X509 decoded
 * (mutated fixtures, both decoders side by side) and re-encode to the
 * same bytes, so cms.c's DER check sees what it saw; names are checked
 * as X509_NAME let them through (two CNs, other string types, strings
 * that do not convert to UTF-8, multi-valued RDNs); the signature is
 * verified over the tbsCertificate as received; and a trust anchor is
 * recognised by its names' bytes.
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
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "certasn1.h"

#include "testutil.h"
#include "vtestutil.h"

/* The signing key for mutated certificates. */
static EVP_PKEY		*signer;

/*
 * The library context the validator decoded X509s in before certasn1.c
 * (the "null" provider only: no key is decoded on the way).
 */
static OSSL_LIB_CTX	*nullctx;
static OSSL_PROVIDER	*nullprov;

/* Whether a value of an X509_NAME string type converts to UTF-8. */
static int
converts(const ASN1_STRING *s)
{
	unsigned char	*u = NULL;
	int		 n;

	n = ASN1_STRING_to_UTF8(&u, s);
	OPENSSL_free(u);
	return n >= 0;
}

/* Whether some string of name does not convert (x509_name_canon). */
static int
name_has_bad_string(const RpkiName *name)
{
	const RpkiRdn	*rdn;
	const RpkiAttr	*a;
	int		 i, j, t;

	for (i = 0; i < sk_RpkiRdn_num(name); i++) {
		rdn = sk_RpkiRdn_value(name, i);
		for (j = 0; j < sk_RpkiAttr_num(rdn); j++) {
			a = sk_RpkiAttr_value(rdn, j);
			t = ASN1_STRING_type(a->value);
			if ((t == V_ASN1_UTF8STRING || t == V_ASN1_BMPSTRING ||
			    t == V_ASN1_UNIVERSALSTRING) && !converts(a->value))
				return 1;
		}
	}
	return 0;
}

/*
 * der[0..len) through both decoders: X509 (as the validator used it)
 * and RpkiCertificate.  Where X509 decodes, so does RpkiCertificate,
 * using as many bytes and encoding to the same DER; where only
 * RpkiCertificate does, a name holds a string that does not convert to
 * UTF-8, which x509_rdn_check rejects.  Returns 1 if both decoded.
 */
static int
decode_both(const uint8_t *der, size_t len)
{
	const unsigned char	*p = der;
	const uint8_t		*end;
	unsigned char		*a = NULL, *b = NULL;
	RpkiCertificate		*lean;
	X509			*x;
	int			 na, nb, both = 0;

	x = (X509 *)ASN1_item_d2i_ex(NULL, &p, (long)len,
	    ASN1_ITEM_rptr(X509), nullctx, NULL);
	lean = certasn1_decode(der, len, &end);
	if (x != NULL) {
		assert_non_null(lean);
		assert_ptr_equal(end, p);
		na = i2d_X509(x, &a);
		nb = ASN1_item_i2d((const ASN1_VALUE *)lean, &b,
		    ASN1_ITEM_rptr(RpkiCertificate));
		assert_true(na > 0);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, (size_t)na);
		both = 1;
	} else if (lean != NULL)
		assert_true(name_has_bad_string(lean->tbsCertificate.issuer) ||
		    name_has_bad_string(lean->tbsCertificate.subject));
	OPENSSL_free(a);
	OPENSSL_free(b);
	X509_free(x);
	certasn1_free(lean);
	ERR_clear_error();
	return both;
}

/* The DER certificates decode_both is tried on, mutated. */
static uint8_t *
sample(int i, size_t *len)
{
	STACK_OF(X509)	*certs;
	uint8_t		*der, *copy;

	switch (i) {
	case 0:
		return vt_read(FIXTURE("ta.cer"), len);
	case 1:
		return vt_read(FIXTURE("ca1.cer"), len);
	case 2:
		return vt_read(FIXTURE("router.cer"), len);
	default:
		certs = vt_cms_certs(FIXTURE("example-ripe.roa"));
		der = vt_der(sk_X509_value(certs, 0), len);
		sk_X509_pop_free(certs, X509_free);
		copy = malloc(*len);
		assert_non_null(copy);
		memcpy(copy, der, *len);
		OPENSSL_free(der);
		return copy;
	}
}

static void
test_decode_like_x509(void **state)
{
	uint8_t		*der, *buf;
	size_t		 len, n;
	unsigned	 seed = 11, i, both;
	int		 s;

	(void)state;
	for (s = 0; s < 4; s++) {
		der = sample(s, &len);
		assert_int_equal(decode_both(der, len), 1);
		buf = malloc(len + 2);
		assert_non_null(buf);
		for (n = 0; n < len; n += 5)
			assert_int_equal(decode_both(der, n), 0);
		/* Flipped bytes, one or two: either verdict, both alike. */
		for (i = both = 0; i < 4000; i++) {
			memcpy(buf, der, len);
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % len] ^= (uint8_t)(1 + (seed >> 20) %
			    255);
			if (i % 2) {
				seed = seed * 1103515245 + 12345;
				buf[(seed >> 8) % len] = (uint8_t)(seed >> 24);
			}
			both += (unsigned)decode_both(buf, len);
		}
		/* Most flips hit key or signature bits and still decode. */
		assert_true(both > 1000 && both < 4000);
		/* Trailing bytes: both stop at the certificate's end. */
		memcpy(buf, der, len);
		buf[len] = 0x05;
		buf[len + 1] = 0x00;
		assert_int_equal(decode_both(buf, len + 2), 1);
		free(buf);
		free(der);
	}
}

/* x signed by signer, parsed: NULL with the diagnostic in e. */
static struct cert *
parse_signed(X509 *x, struct err *e)
{
	struct cert	*c;
	uint8_t		*der;
	size_t		 len;

	der = vt_sign_der(x, signer, &len);
	memset(e, 0, sizeof(*e));
	c = cert_parse("n.cer", der, len, e);
	OPENSSL_free(der);
	return c;
}

/* ca1.cer with its subject replaced by name (which is freed). */
static X509 *
ca1_subject(X509_NAME *name)
{
	X509	*x = vt_load_x509(FIXTURE("ca1.cer"));

	assert_int_equal(X509_set_subject_name(x, name), 1);
	X509_NAME_free(name);
	return x;
}

/*
 * A name of one attribute per RDN, from (field, type, value, length)
 * quadruples, NULL ended.  type is an MBSTRING_* (OpenSSL picks the
 * string type: UTF8String for a commonName, PrintableString for a
 * serialNumber) or a V_ASN1_* string type, value then taken as is;
 * length -1 for strlen.
 */
static X509_NAME *
name_of(const char *field, ...)
{
	X509_NAME	*n = X509_NAME_new();
	va_list		 ap;
	const char	*value;
	int		 type, len;

	assert_non_null(n);
	va_start(ap, field);
	while (field != NULL) {
		type = va_arg(ap, int);
		value = va_arg(ap, const char *);
		len = va_arg(ap, int);
		assert_int_equal(X509_NAME_add_entry_by_txt(n, field, type,
		    (const unsigned char *)value, len, -1, 0), 1);
		field = va_arg(ap, const char *);
	}
	va_end(ap);
	return n;
}

/* Mutated x (freed) must be refused with want in the diagnostic. */
static void
name_rejected(X509 *x, const char *want)
{
	struct cert	*c;
	struct err	 e;

	c = parse_signed(x, &e);
	if (c != NULL) {
		cert_free(c);
		print_error("accepted, wanted \"%s\"\n", want);
		fail();
	}
	assert_contains(e.msg, "n.cer: ");
	assert_contains(e.msg, want);
	X509_free(x);
}

/* Mutated x (freed) must be accepted. */
static void
name_accepted(X509 *x)
{
	struct cert	*c;
	struct err	 e;

	c = parse_signed(x, &e);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	cert_free(c);
	X509_free(x);
}

static void
test_names(void **state)
{
	X509_NAME	*n;

	(void)state;
	name_rejected(ca1_subject(name_of("CN", V_ASN1_PRINTABLESTRING, "a",
	    -1, "CN", MBSTRING_ASC, "b", -1, NULL)), "RFC 6487 section 4.5: "
	    "subject: want one commonName, have 2");
	name_rejected(ca1_subject(name_of("serialNumber", MBSTRING_ASC, "1",
	    -1, "CN", MBSTRING_ASC, "a", -1, "serialNumber", MBSTRING_ASC, "2",
	    -1, NULL)), "subject: want at most one serialNumber, have 2");
	name_rejected(ca1_subject(name_of("CN", V_ASN1_IA5STRING, "a", -1,
	    NULL)), "RFC 6487 section 4.5: subject commonName: want "
	    "PrintableString, have ASN.1 type 22");
	name_rejected(ca1_subject(name_of("CN", V_ASN1_BMPSTRING, "\0a", 2,
	    NULL)), "subject commonName: want PrintableString, have ASN.1 "
	    "type 30");
	name_rejected(ca1_subject(name_of("CN", V_ASN1_PRINTABLESTRING, "",
	    -1, NULL)), "subject commonName: want non-empty, have empty");
	name_rejected(ca1_subject(name_of("O", V_ASN1_PRINTABLESTRING, "o",
	    -1, "CN", V_ASN1_PRINTABLESTRING, "a", -1, NULL)), "subject: want "
	    "only commonName and serialNumber, have 2.5.4.10");

	/* PrintableString and UTF8String (x509util.c says why) taken. */
	name_accepted(ca1_subject(name_of("CN", V_ASN1_PRINTABLESTRING, "a",
	    -1, NULL)));
	name_accepted(ca1_subject(name_of("CN", MBSTRING_UTF8,
	    "r\xc3\xa9seau", -1, NULL)));
	/* A serialNumber of any string type; CN and it in one RDN. */
	name_accepted(ca1_subject(name_of("CN", MBSTRING_ASC, "a", -1,
	    "serialNumber", V_ASN1_BMPSTRING, "\0007", 2, NULL)));
	n = name_of("CN", MBSTRING_ASC, "a", -1, NULL);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "serialNumber",
	    MBSTRING_ASC, (const unsigned char *)"7", -1, -1, -1), 1);
	assert_int_equal(X509_NAME_entry_count(n), 2);
	assert_int_equal(X509_NAME_ENTRY_set(X509_NAME_get_entry(n, 1)),
	    X509_NAME_ENTRY_set(X509_NAME_get_entry(n, 0)));
	name_accepted(ca1_subject(n));
}

/*
 * Replace the first occurrence of from (n bytes) in der[0..len) with
 * to, as in a name string OpenSSL would not encode.
 */
static void
patch(uint8_t *der, size_t len, const void *from, const void *to, size_t n)
{
	size_t	 i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(der + i, from, n) == 0) {
			memcpy(der + i, to, n);
			return;
		}
	fail_msg("pattern not found");
}

static void
test_names_not_utf8(void **state)
{
	static const uint8_t	 bmp_ok[] = { 0x1e, 0x02, 0x00, 0x37 };
	static const uint8_t	 bmp_bad[] = { 0x1e, 0x02, 0xd8, 0x00 };
	struct cert		*c;
	struct err		 e;
	X509			*x;
	uint8_t			*der;
	size_t			 len;

	(void)state;
	/* A UTF8String commonName that is not UTF-8. */
	x = ca1_subject(name_of("CN", V_ASN1_UTF8STRING, "xyzzy", -1, NULL));
	der = vt_sign_der(x, signer, &len);
	X509_free(x);
	assert_int_equal(decode_both(der, len), 1);
	patch(der, len, "xyzzy", "xy\xff\xfez", 5);
	assert_int_equal(decode_both(der, len), 0);	/* X509 refused it */
	c = cert_parse("n.cer", der, len, &e);
	assert_null(c);
	assert_contains(e.msg, "n.cer: RFC 6487 section 4.5: subject: want "
	    "strings that convert to UTF-8, have an ASN.1 type 12 value "
	    "that does not");
	OPENSSL_free(der);

	/* A BMPString serialNumber holding a lone surrogate. */
	x = ca1_subject(name_of("CN", MBSTRING_ASC, "a", -1, "serialNumber",
	    V_ASN1_BMPSTRING, "\0007", 2, NULL));
	der = vt_sign_der(x, signer, &len);
	X509_free(x);
	patch(der, len, bmp_ok, bmp_bad, sizeof(bmp_ok));
	assert_int_equal(decode_both(der, len), 0);
	c = cert_parse("n.cer", der, len, &e);
	assert_null(c);
	assert_contains(e.msg, "subject: want strings that convert to UTF-8, "
	    "have an ASN.1 type 30 value");
	OPENSSL_free(der);
}

static void
test_trailing(void **state)
{
	uint8_t		*der, *buf;
	struct err	 e;
	size_t		 len;

	(void)state;
	der = vt_read(FIXTURE("ca1.cer"), &len);
	buf = malloc(len + 3);
	assert_non_null(buf);
	memcpy(buf, der, len);
	memcpy(buf + len, "\x05\x00\x00", 3);
	assert_null(cert_parse("t.cer", buf, len + 3, &e));
	assert_contains(e.msg, "t.cer: RFC 5280 section 4.1: certificate: "
	    "want nothing after it, have 3 more bytes");
	free(buf);
	free(der);
}

/* The DER length of n at p (at most 3 bytes), as a DER length. */
static size_t
put_len(uint8_t *p, size_t n)
{
	if (n < 0x80) {
		p[0] = (uint8_t)n;
		return 1;
	}
	if (n < 0x100) {
		p[0] = 0x81;
		p[1] = (uint8_t)n;
		return 2;
	}
	p[0] = 0x82;
	p[1] = (uint8_t)(n >> 8);
	p[2] = (uint8_t)n;
	return 3;
}

/*
 * RFC 5280 section 4.1 from its parts: tbs as given, then the
 * signature algorithm of x and sig as a BIT STRING.
 */
static uint8_t *
assemble(const uint8_t *tbs, size_t tbslen, X509 *x, const uint8_t *sig,
    size_t siglen, size_t *len)
{
	const X509_ALGOR	*alg;
	ASN1_BIT_STRING		*bs = ASN1_BIT_STRING_new();
	unsigned char		*a = NULL, *b = NULL;
	uint8_t			*out;
	int			 na, nb;
	size_t			 n, h;

	X509_get0_signature(NULL, &alg, x);
	assert_true((na = i2d_X509_ALGOR(alg, &a)) > 0);
	assert_int_equal(ASN1_BIT_STRING_set(bs, (unsigned char *)sig,
	    (int)siglen), 1);
	/* No unused bits, whatever the last octet (else i2d counts them). */
	bs->flags = ASN1_STRING_FLAG_BITS_LEFT;
	assert_true((nb = i2d_ASN1_BIT_STRING(bs, &b)) > 0);
	n = tbslen + (size_t)na + (size_t)nb;
	out = malloc(n + 4);
	assert_non_null(out);
	out[0] = 0x30;
	h = 1 + put_len(out + 1, n);
	memcpy(out + h, tbs, tbslen);
	memcpy(out + h + tbslen, a, (size_t)na);
	memcpy(out + h + tbslen + na, b, (size_t)nb);
	*len = h + n;
	OPENSSL_free(a);
	OPENSSL_free(b);
	ASN1_BIT_STRING_free(bs);
	return out;
}

/* An RSA SHA-256 signature of m[0..n) by signer into sig. */
static size_t
sign_bytes(const uint8_t *m, size_t n, uint8_t *sig, size_t size)
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL,
	    signer), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &size, m, n), 1);
	EVP_MD_CTX_free(ctx);
	return size;
}

/*
 * The signature is checked over the tbsCertificate as received, here
 * one with a non-minimal outer length (BER), as X509_verify has it; not
 * over an encoding made again.
 */
static void
test_verify_as_received(void **state)
{
	X509		*x = vt_load_x509(FIXTURE("ca1.cer")), *ox;
	const uint8_t	*p;
	unsigned char	*tbs = NULL;
	uint8_t		*ber, *der, sig[512];
	struct cert	*c;
	struct err	 e;
	size_t		 len, siglen;
	int		 n;

	(void)state;
	n = i2d_re_X509_tbs(x, &tbs);
	assert_true(n > 0x100 && n < 0x10000);
	assert_int_equal(tbs[1], 0x82);		/* 0x30 0x82 hi lo */
	ber = malloc((size_t)n + 1);
	assert_non_null(ber);
	ber[0] = 0x30;
	ber[1] = 0x83;				/* 0x30 0x83 00 hi lo */
	ber[2] = 0x00;
	memcpy(ber + 3, tbs + 2, (size_t)n - 2);
	siglen = sign_bytes(ber, (size_t)n + 1, sig, sizeof(sig));
	der = assemble(ber, (size_t)n + 1, x, sig, siglen, &len);
	c = cert_parse("ber.cer", der, len, &e);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(cert_verify_signature(c, signer, &e), 0);
	cert_free(c);
	/* X509_verify agrees: it too has the bytes as received. */
	p = der;
	assert_non_null(ox = d2i_X509(NULL, &p, (long)len));
	assert_int_equal(X509_verify(ox, signer), 1);
	X509_free(ox);
	free(der);

	/* The same signature under the DER tbsCertificate: invalid. */
	der = assemble(tbs, (size_t)n, x, sig, siglen, &len);
	assert_non_null(c = cert_parse("der.cer", der, len, &e));
	assert_int_equal(cert_verify_signature(c, signer, &e), -1);
	assert_contains(e.msg, "der.cer: RFC 6487 section 7.2: signature: "
	    "want valid under the issuer's key, have invalid");
	cert_free(c);
	free(der);

	/* Signed over the DER, with unused bits in the BIT STRING. */
	siglen = sign_bytes(tbs, (size_t)n, sig, sizeof(sig));
	der = assemble(tbs, (size_t)n, x, sig, siglen, &len);
	assert_non_null(c = cert_parse("der.cer", der, len, &e));
	assert_int_equal(cert_verify_signature(c, signer, &e), 0);
	cert_free(c);
	assert_int_equal(der[len - siglen - 1], 0x00);
	der[len - siglen - 1] = 0x01;
	assert_non_null(c = cert_parse("der.cer", der, len, &e));
	assert_int_equal(cert_verify_signature(c, signer, &e), -1);
	cert_free(c);
	free(der);

	free(ber);
	OPENSSL_free(tbs);
	X509_free(x);
}

/*
 * A TA names itself: issuer and subject the same bytes.  Names equal
 * only once case is folded (X509_NAME_cmp's rule) are not.
 */
static void
test_self_issued(void **state)
{
	X509		*x;
	X509_NAME	*n;
	struct cert	*c;
	struct err	 e;

	(void)state;
	x = vt_load_x509(FIXTURE("ta.cer"));
	c = parse_signed(x, &e);
	assert_non_null(c);
	assert_int_equal(c->purpose, CERT_TA);
	cert_free(c);

	n = name_of("CN", V_ASN1_PRINTABLESTRING, "RIPE-NCC-TA", -1, NULL);
	assert_int_equal(X509_set_subject_name(x, n), 1);
	X509_NAME_free(n);
	assert_int_equal(X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)), 0);
	name_rejected(x, "RFC 6487 section 4.8.3: authorityKeyIdentifier: "
	    "want present in a CA certificate, have absent");
}

static int
setup(void **state)
{
	(void)state;
	signer = vt_rsa_key(2048);
	nullctx = OSSL_LIB_CTX_new();
	assert_non_null(nullctx);
	nullprov = OSSL_PROVIDER_load(nullctx, "null");
	assert_non_null(nullprov);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(signer);
	OSSL_PROVIDER_unload(nullprov);
	OSSL_LIB_CTX_free(nullctx);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_like_x509),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_not_utf8),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_verify_as_received),
		cmocka_unit_test(test_self_issued),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
