/*
 * ossl.c - digests, RSA and P-256 key import and RSA signature
 * verification without OpenSSL's per-call decoder and algorithm lookups
 * (ossl.h says why, with the measurements).  No state of its own.
 *
 * RSA keys are OpenSSL's RSA objects and signatures are checked with
 * RSA_verify, digests with SHA256_Init and the like: deprecated in 3.0
 * in favour of the provider interface, whose key import
 * (EVP_PKEY_fromdata) and per-call contexts made a run execute 5% more
 * instructions (callgrind, 100 CAs, 2,000 ROAs).  This file alone uses
 * them, hence the next line.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "certasn1.h"
#include "ossl.h"

/*
 * RSAPublicKey (RFC 8017 appendix A.1.1), the contents of the
 * subjectPublicKey BIT STRING of an rsaEncryption key (RFC 3279 section
 * 2.3.1).  INTEGERs rather than BIGNUMs, to see their sign.
 */
typedef struct {
	ASN1_INTEGER	*modulus;
	ASN1_INTEGER	*exponent;
} RSAPublicKeyShape;

ASN1_SEQUENCE(RSAPublicKeyShape) = {
	ASN1_SIMPLE(RSAPublicKeyShape, modulus, ASN1_INTEGER),
	ASN1_SIMPLE(RSAPublicKeyShape, exponent, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(RSAPublicKeyShape)

/*
 * Empty this thread's OpenSSL error queue.  ERR_clear_error walks all
 * of it even when empty, which on the success paths here cost 1% of a
 * run; ERR_peek_error looks at one end.
 */
static void
err_drop(void)
{
	if (ERR_peek_error() != 0)
		ERR_clear_error();
}

void
ossl_sha256_init(struct ossl_sha256_ctx *ctx)
{
	SHA256_Init(&ctx->c);
}

void
ossl_sha256_update(struct ossl_sha256_ctx *ctx, const void *data,
    size_t len)
{
	SHA256_Update(&ctx->c, data, len);
}

void
ossl_sha256_final(struct ossl_sha256_ctx *ctx, uint8_t md[32])
{
	SHA256_Final(md, &ctx->c);
}

void
ossl_sha256(const void *data, size_t len, uint8_t md[32])
{
	struct ossl_sha256_ctx	c;

	ossl_sha256_init(&c);
	ossl_sha256_update(&c, data, len);
	ossl_sha256_final(&c, md);
}

void
ossl_sha1(const void *data, size_t len, uint8_t md[20])
{
	SHA_CTX	c;

	SHA1_Init(&c);
	SHA1_Update(&c, data, len);
	SHA1_Final(md, &c);
}

/*
 * n and e as an RSA key with OpenSSL's own RSA method, which keeps the
 * Montgomery form of n with the key (RSA_FLAG_CACHE_PUBLIC), set up on
 * the first verification under a lock: a CA's key is set up once for
 * everything it signed.  Takes n and e.
 */
static EVP_PKEY *
key_rsa_import(BIGNUM *n, BIGNUM *e)
{
	RSA		*rsa;
	EVP_PKEY	*pkey = NULL;

	if ((rsa = RSA_new()) == NULL || RSA_set0_key(rsa, n, e, NULL) != 1) {
		RSA_free(rsa);
		BN_free(n);
		BN_free(e);
		return NULL;
	}
	if ((pkey = EVP_PKEY_new()) == NULL ||
	    EVP_PKEY_assign_RSA(pkey, rsa) != 1) {
		EVP_PKEY_free(pkey);
		RSA_free(rsa);
		return NULL;
	}
	return pkey;
}

/* The RSAPublicKey pk[0..len): nothing after it, no negative number. */
static EVP_PKEY *
key_rsa(const unsigned char *pk, int len)
{
	const unsigned char	*p = pk;
	RSAPublicKeyShape	*rpk;
	BIGNUM			*n = NULL, *e = NULL;
	EVP_PKEY		*pkey = NULL;

	rpk = (RSAPublicKeyShape *)ASN1_item_d2i(NULL, &p, len,
	    ASN1_ITEM_rptr(RSAPublicKeyShape));
	if (rpk == NULL || p != pk + len ||
	    ASN1_STRING_type(rpk->modulus) != V_ASN1_INTEGER ||
	    ASN1_STRING_type(rpk->exponent) != V_ASN1_INTEGER)
		goto out;
	if ((n = ASN1_INTEGER_to_BN(rpk->modulus, NULL)) != NULL &&
	    (e = ASN1_INTEGER_to_BN(rpk->exponent, NULL)) != NULL) {
		pkey = key_rsa_import(n, e);
		n = e = NULL;
	}
 out:
	BN_free(n);
	BN_free(e);
	ASN1_item_free((ASN1_VALUE *)rpk, ASN1_ITEM_rptr(RSAPublicKeyShape));
	return pkey;
}

int
ossl_rsa_exponent(const EVP_PKEY *pkey, uint64_t *e)
{
	const RSA	*rsa;
	const BIGNUM	*be;
	unsigned char	 b[8];
	int		 i;

	if (pkey == NULL || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA ||
	    (rsa = EVP_PKEY_get0_RSA(pkey)) == NULL ||
	    (be = RSA_get0_e(rsa)) == NULL) {
		err_drop();
		return -1;
	}
	if (BN_bn2binpad(be, b, sizeof(b)) != sizeof(b))
		*e = UINT64_MAX;	/* more than 64 bits */
	else
		for (*e = 0, i = 0; i < (int)sizeof(b); i++)
			*e = *e << 8 | b[i];
	return 0;
}

/*
 * An id-ecPublicKey on P-256 (RFC 8208 section 3.1, BGPsec router keys)
 * as an EC_KEY: the point checked to lie on the curve, as d2i_PUBKEY
 * checks it, without OpenSSL 3.0's provider decoders, which took 260 us
 * a key (perf, 233 router certificates: 1.2% of a run).  NULL for any
 * other key or curve: key_other decodes those, for cert.c to name.
 */
static EVP_PKEY *
key_p256(const X509_ALGOR *alg, const ASN1_BIT_STRING *key)
{
	const ASN1_OBJECT	*aobj;
	const void		*pval;
	const unsigned char	*p;
	EC_KEY			*ec;
	EVP_PKEY		*pkey = NULL;
	int			 ptype;

	X509_ALGOR_get0(&aobj, &ptype, &pval, alg);
	if (OBJ_obj2nid(aobj) != NID_X9_62_id_ecPublicKey ||
	    ptype != V_ASN1_OBJECT ||
	    OBJ_obj2nid(pval) != NID_X9_62_prime256v1)
		return NULL;
	if ((ec = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1)) == NULL)
		return NULL;
	p = ASN1_STRING_get0_data(key);
	if (o2i_ECPublicKey(&ec, &p, ASN1_STRING_length(key)) == NULL ||
	    (pkey = EVP_PKEY_new()) == NULL ||
	    EVP_PKEY_assign_EC_KEY(pkey, ec) != 1) {
		EVP_PKEY_free(pkey);
		EC_KEY_free(ec);
		return NULL;
	}
	return pkey;
}

/*
 * Any other key type: OpenSSL's decoders, in the default context, on
 * the SubjectPublicKeyInfo encoded again from its two fields.
 */
static EVP_PKEY *
key_other(const X509_ALGOR *alg, const ASN1_BIT_STRING *key)
{
	const unsigned char	*p;
	unsigned char		*der = NULL;
	EVP_PKEY		*pkey = NULL;
	int			 len;

	if ((len = certasn1_spki_der(alg, key, &der)) > 0) {
		p = der;
		pkey = d2i_PUBKEY(NULL, &p, len);
		if (pkey != NULL && p != der + len) {
			EVP_PKEY_free(pkey);
			pkey = NULL;
		}
	}
	OPENSSL_free(der);
	return pkey;
}

EVP_PKEY *
ossl_key_from_spki(const X509_ALGOR *alg, const ASN1_BIT_STRING *key)
{
	EVP_PKEY	*pkey;

	if (alg == NULL || key == NULL)
		pkey = NULL;
	else if (OBJ_obj2nid(alg->algorithm) == NID_rsaEncryption)
		pkey = key_rsa(ASN1_STRING_get0_data(key),
		    ASN1_STRING_length(key));
	else if ((pkey = key_p256(alg, key)) == NULL)
		pkey = key_other(alg, key);
	err_drop();
	return pkey;
}

int
ossl_verify(EVP_PKEY *pkey, const uint8_t *tbs, size_t tbslen,
    const uint8_t *sig, size_t siglen)
{
	const RSA	*rsa;
	uint8_t		 md[32];
	int		 ok = 0;

	/*
	 * RSA, not RSA-PSS: RFC 7935 section 2, sha256WithRSAEncryption.
	 * RSA_verify wants the DigestInfo with SHA-256's OID and a NULL
	 * parameter, the whole signature as long as the modulus, and
	 * nothing else in it: RFC 8017 section 8.2.2 and 9.2.
	 */
	if (pkey == NULL || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA ||
	    (rsa = EVP_PKEY_get0_RSA(pkey)) == NULL || siglen > UINT_MAX)
		goto out;
	ossl_sha256(tbs, tbslen, md);
	ok = RSA_verify(NID_sha256, md, sizeof(md), sig, (unsigned int)siglen,
	    (RSA *)rsa) == 1;
 out:
	err_drop();
	return ok;
}
