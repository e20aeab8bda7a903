/*
 * vtestutil.h - helpers for the validator's object parser tests: reading
 * fixtures, taking certificates out of CMS objects, and re-signing
 * mutated certificates so each profile check can be made to fail.
 * Include after <cmocka.h>.
 */
#ifndef TESTS_VTESTUTIL_H
#define TESTS_VTESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "certasn1.h"
#include "fileio.h"

#define FIXTURE(name)	SHARED_DIR "/fixtures/real-objects/" name

/* The whole of path; fails the test if it cannot be read. */
static inline uint8_t *
vt_read(const char *path, size_t *len)
{
	struct err	 e;
	char		*data;

	if (file_read_all(path, 16 * 1024 * 1024, &data, len, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	return (uint8_t *)data;
}

/* The DER certificate at path, decoded by OpenSSL. */
static inline X509 *
vt_load_x509(const char *path)
{
	const unsigned char	*p;
	uint8_t			*der;
	size_t			 len;
	X509			*x;

	der = vt_read(path, &len);
	p = der;
	x = d2i_X509(NULL, &p, (long)len);
	free(der);
	assert_non_null(x);
	return x;
}

/* The certificates of the CMS signed object at path. */
static inline STACK_OF(X509) *
vt_cms_certs(const char *path)
{
	STACK_OF(X509)	*certs;
	CMS_ContentInfo	*cms;
	BIO		*bio;

	bio = BIO_new_file(path, "rb");
	assert_non_null(bio);
	cms = d2i_CMS_bio(bio, NULL);
	BIO_free(bio);
	assert_non_null(cms);
	certs = CMS_get1_certs(cms);
	CMS_ContentInfo_free(cms);
	assert_non_null(certs);
	return certs;
}

/* x decoded again as the validator's Certificate (certasn1_free it). */
static inline RpkiCertificate *
vt_lean(X509 *x)
{
	unsigned char	*der = NULL;
	const uint8_t	*end;
	RpkiCertificate	*lean;
	int		 n;

	n = i2d_X509(x, &der);
	assert_true(n > 0);
	lean = certasn1_decode(der, (size_t)n, &end);
	assert_non_null(lean);
	assert_ptr_equal(end, der + n);
	OPENSSL_free(der);
	return lean;
}

/* A fresh RSA key of bits bits. */
static inline EVP_PKEY *
vt_rsa_key(unsigned bits)
{
	EVP_PKEY	*k = EVP_RSA_gen(bits);

	assert_non_null(k);
	return k;
}

/* Replace x's subjectKeyIdentifier with the SHA-1 of its key. */
static inline void
vt_fix_ski(X509 *x)
{
	ASN1_OCTET_STRING	*os = ASN1_OCTET_STRING_new();
	const unsigned char	*pk;
	unsigned char		 md[20];
	unsigned int		 mdlen;
	int			 pklen;

	assert_int_equal(X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL,
	    X509_get_X509_PUBKEY(x)), 1);
	assert_int_equal(EVP_Digest(pk, (size_t)pklen, md, &mdlen,
	    EVP_sha1(), NULL), 1);
	assert_int_equal(ASN1_OCTET_STRING_set(os, md, 20), 1);
	assert_int_equal(X509_add1_ext_i2d(x, NID_subject_key_identifier, os,
	    0, X509V3_ADD_REPLACE_EXISTING), 1);
	ASN1_OCTET_STRING_free(os);
}

/* The DER of x (free with OPENSSL_free). */
static inline uint8_t *
vt_der(X509 *x, size_t *len)
{
	unsigned char	*der = NULL;
	int		 n = i2d_X509(x, &der);

	assert_true(n > 0);
	*len = (size_t)n;
	return der;
}

/* Sign x with key (SHA-256) and return its DER (free it). */
static inline uint8_t *
vt_sign_der(X509 *x, EVP_PKEY *key, size_t *len)
{
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	return vt_der(x, len);
}

/* Replace (or add) extension nid of x with value, or delete it. */
static inline void
vt_set_ext(X509 *x, int nid, void *value, int crit)
{
	unsigned long	 flags = value == NULL ? X509V3_ADD_DELETE :
	    X509V3_ADD_REPLACE_EXISTING;

	assert_int_equal(X509_add1_ext_i2d(x, nid, value, crit, flags), 1);
}

/* Set the criticality of x's extension nid. */
static inline void
vt_set_crit(X509 *x, int nid, int crit)
{
	int	 i = X509_get_ext_by_NID(x, nid, -1);

	assert_true(i >= 0);
	assert_int_equal(X509_EXTENSION_set_critical(X509_get_ext(x, i),
	    crit), 1);
}

/* Add (or replace) extension nid of x from its OpenSSL text form. */
static inline void
vt_conf_ext(X509 *x, int nid, const char *value)
{
	X509_EXTENSION	*ext;
	X509V3_CTX	 ctx;
	int		 i;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	while ((i = X509_get_ext_by_NID(x, nid, -1)) >= 0)
		X509_EXTENSION_free(X509_delete_ext(x, i));
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

#endif
