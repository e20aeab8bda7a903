/*
 * sotest.h - helpers shared by the signed-object tests (test_vcms.c,
 * test_vmft.c, test_vroa.c, test_vaspa.c): reading the shared fixtures,
 * a test key and EE certificate, and CMS signing in the RFC 6488 shape
 * with the in-memory object handed back so a test can break one thing
 * before encoding it.  Include after <cmocka.h>.
 */
#ifndef TESTS_SOTEST_H
#define TESTS_SOTEST_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cms.h"
#include "encoding.h"

#define SO_FIXTURES	SHARED_DIR "/fixtures/real-objects/"

/* What rpki-repogen's cms_sign passes to CMS_add1_signer. */
#define SO_FLAGS	(CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP | \
			    CMS_USE_KEYID)

#define SO_UNUSED	__attribute__((unused))

/* The fixture name in SO_FIXTURES, whole; fails the test if unreadable. */
static SO_UNUSED uint8_t *
so_read(const char *name, size_t *len)
{
	char	 path[512];
	FILE	*f;
	uint8_t	*buf;
	long	 n;

	snprintf(path, sizeof(path), "%s%s", SO_FIXTURES, name);
	if ((f = fopen(path, "rb")) == NULL) {
		print_error("cannot open %s\n", path);
		fail();
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Whether the EE certificate ee of a cms_object encodes as x does. */
static SO_UNUSED int
so_ee_is(const RpkiCertificate *ee, X509 *x)
{
	unsigned char	*a = NULL, *b = NULL;
	int		 na, nb, same;

	na = ASN1_item_i2d((const ASN1_VALUE *)ee, &a,
	    ASN1_ITEM_rptr(RpkiCertificate));
	nb = i2d_X509(x, &b);
	same = na > 0 && na == nb && memcmp(a, b, (size_t)na) == 0;
	OPENSSL_free(a);
	OPENSSL_free(b);
	return same;
}

/* A fresh RSA-2048 key (RFC 7935 section 3). */
static SO_UNUSED EVP_PKEY *
so_key(void)
{
	EVP_PKEY	*k = EVP_RSA_gen(2048);

	assert_non_null(k);
	return k;
}

/*
 * A self-signed v3 certificate for key with the subjectKeyIdentifier
 * ski (skilen bytes), or the RFC 6487 one (SHA-1 of the key) if ski is
 * NULL, or none if skilen is (size_t)-1.
 */
static SO_UNUSED X509 *
so_ee(EVP_PKEY *key, const uint8_t *ski, size_t skilen)
{
	X509			*x = X509_new();
	X509_NAME		*n = X509_NAME_new();
	ASN1_OCTET_STRING	*os = ASN1_OCTET_STRING_new();
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0;

	assert_non_null(x);
	assert_true(X509_set_version(x, 2));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), 0x1234));
	assert_true(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)"sotest-ee", -1, -1, 0));
	assert_true(X509_set_subject_name(x, n));
	assert_true(X509_set_issuer_name(x, n));
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400));
	assert_true(X509_set_pubkey(x, key));
	if (skilen != (size_t)-1) {
		if (ski == NULL) {
			assert_true(X509_pubkey_digest(x, EVP_sha1(), md,
			    &mdlen));
			ski = md;
			skilen = mdlen;
		}
		assert_true(ASN1_OCTET_STRING_set(os, ski, (int)skilen));
		assert_true(X509_add1_ext_i2d(x, NID_subject_key_identifier,
		    os, 0, X509V3_ADD_DEFAULT) == 1);
	}
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	ASN1_OCTET_STRING_free(os);
	X509_NAME_free(n);
	return x;
}

/*
 * Start a signed object as eContentType oid with ee/key like
 * rpki-repogen does (flags to CMS_add1_signer, digest md), with a
 * signing-time attribute; so_cms_final adds the eContent and signs.
 * Attributes added in between are signed too.
 */
static SO_UNUSED CMS_ContentInfo *
so_cms_start(const char *oid, X509 *ee, EVP_PKEY *key, unsigned int flags,
    const EVP_MD *md)
{
	CMS_ContentInfo	*cms;
	CMS_SignerInfo	*si;
	ASN1_OBJECT	*ct = OBJ_txt2obj(oid, 1);
	ASN1_TIME	*st = ASN1_TIME_set(NULL, 1700000000);

	cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_BINARY | CMS_PARTIAL |
	    CMS_NOSMIMECAP);
	assert_non_null(cms);
	assert_true(CMS_set1_eContentType(cms, ct));
	si = CMS_add1_signer(cms, ee, key, md, flags);
	assert_non_null(si);
	assert_true(CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime,
	    st->type, st, -1));
	ASN1_OBJECT_free(ct);
	ASN1_TIME_free(st);
	return cms;
}

static SO_UNUSED CMS_ContentInfo *
so_cms_final(CMS_ContentInfo *cms, const uint8_t *ec, size_t eclen)
{
	BIO	*in = BIO_new_mem_buf(ec, (int)eclen);

	assert_true(CMS_final(cms, in, NULL, CMS_BINARY));
	BIO_free(in);
	return cms;
}

/* so_cms_start and so_cms_final: the object, not yet encoded. */
static SO_UNUSED CMS_ContentInfo *
so_cms(const char *oid, const uint8_t *ec, size_t eclen, X509 *ee,
    EVP_PKEY *key, unsigned int flags, const EVP_MD *md)
{
	return so_cms_final(so_cms_start(oid, ee, key, flags, md), ec, eclen);
}

/* The one SignerInfo of cms. */
static SO_UNUSED CMS_SignerInfo *
so_si(CMS_ContentInfo *cms)
{
	return sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
}

/* DER of cms (free with OPENSSL_free); cms is freed. */
static SO_UNUSED uint8_t *
so_der(CMS_ContentInfo *cms, size_t *len)
{
	unsigned char	*der = NULL;
	int		 n = i2d_CMS_ContentInfo(cms, &der);

	assert_true(n > 0);
	CMS_ContentInfo_free(cms);
	*len = (size_t)n;
	return der;
}

/* The whole well-formed signed object, DER (free with OPENSSL_free). */
static SO_UNUSED uint8_t *
so_sign(const char *oid, const uint8_t *ec, size_t eclen, X509 *ee,
    EVP_PKEY *key, size_t *len)
{
	return so_der(so_cms(oid, ec, eclen, ee, key, SO_FLAGS,
	    EVP_sha256()), len);
}

/*
 * The eContent of fixture name (eContentType oid), through the whole
 * envelope check but accepting BER (the RIPE NCC fixtures of 2019 are
 * BER).  Free with free().
 */
static SO_UNUSED uint8_t *
so_econtent(const char *name, const char *oid, size_t *len)
{
	struct cms_object	 o;
	struct err		 e;
	uint8_t			*der, *ec;
	size_t			 n;

	der = so_read(name, &n);
	memset(&e, 0, sizeof(e));
	if (cms_parse_flags(name, der, n, oid, CMS_PARSE_BER, &o, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	ec = o.econtent;
	*len = o.econtent_len;
	o.econtent = NULL;
	cms_object_clear(&o);
	free(der);
	return ec;
}

/*
 * DER from a compact text, for eContents written in the tests:
 * "30{ 02:FBF0 04:0001 }" is a SEQUENCE of an INTEGER and an OCTET
 * STRING.  "TT{ ... }" is a constructed element of tag TT whose content
 * is the elements inside; "TT:hex" a primitive with that content
 * ("TT:" for an empty one).  Lengths are written in DER form.  This
 * writes DER; it reads nothing.
 */
struct so_buf {
	uint8_t	*p;
	size_t	 n;
};

static SO_UNUSED void
so_put(struct so_buf *b, const uint8_t *p, size_t n)
{
	b->p = realloc(b->p, b->n + n + 1);
	assert_non_null(b->p);
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* The byte of the two hex digits at s (common/'s decoder), or a failure. */
static SO_UNUSED uint8_t
so_byte(const char *s)
{
	uint8_t	b = 0;

	assert_int_equal(hex_decode(s, 2, &b, 1), 1);
	return b;
}

static SO_UNUSED void
so_tlv(struct so_buf *out, uint8_t tag, const struct so_buf *c)
{
	uint8_t	h[4];
	size_t	hn = 0;

	h[hn++] = tag;
	if (c->n < 0x80)
		h[hn++] = (uint8_t)c->n;
	else if (c->n < 0x100) {
		h[hn++] = 0x81;
		h[hn++] = (uint8_t)c->n;
	} else {
		assert_true(c->n < 0x10000);
		h[hn++] = 0x82;
		h[hn++] = (uint8_t)(c->n >> 8);
		h[hn++] = (uint8_t)c->n;
	}
	so_put(out, h, hn);
	so_put(out, c->p, c->n);
}

/* Elements from *sp up to '}' or the end, appended to out. */
static SO_UNUSED void
so_elems(const char **sp, struct so_buf *out)
{
	const char	*s = *sp;
	struct so_buf	 c;
	uint8_t		 tag, byte;

	for (;;) {
		while (*s == ' ' || *s == '\n' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '}')
			break;
		tag = so_byte(s);
		s += 2;
		memset(&c, 0, sizeof(c));
		if (*s == '{') {
			s++;
			so_elems(&s, &c);
			assert_int_equal(*s, '}');
			s++;
		} else {
			assert_int_equal(*s, ':');
			for (s++; isxdigit((unsigned char)s[0]); s += 2) {
				byte = so_byte(s);
				so_put(&c, &byte, 1);
			}
		}
		so_tlv(out, tag, &c);
		free(c.p);
	}
	*sp = s;
}

/* The DER of text (free with free()), its length in *len. */
static SO_UNUSED uint8_t *
so_der_text(const char *text, size_t *len)
{
	struct so_buf	out = { NULL, 0 };

	so_elems(&text, &out);
	assert_int_equal(*text, '\0');
	if (out.p == NULL)
		out.p = calloc(1, 1);
	*len = out.n;
	return out.p;
}

#endif
