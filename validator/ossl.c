/*
 * ossl.c - OpenSSL 3 objects fetched once, RSA key import and RSA
 * signature verification without OpenSSL's per-call decoder and
 * algorithm lookups (ossl.h says why, with the measurements).
 *
 * The state is written once, by ossl_setup under pthread_once, and only
 * read afterwards; it lives until the process exits.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/provider.h>

#include "ossl.h"

static struct {
	OSSL_LIB_CTX	*decode;	/* the "null" provider only */
	EVP_MD		*sha1;
	EVP_MD		*sha256;
	EVP_PKEY_CTX	*rsa;		/* duplicated, never used itself */
	int		 keyidx;	/* X509 ex_data of ossl_x509_key */
	int		 vidx;		/* EVP_PKEY ex_data of ossl_verify */
} st;

static pthread_once_t	 st_once = PTHREAD_ONCE_INIT;

/* Guards the ex_data slots st.keyidx and st.vidx of every object. */
static pthread_mutex_t	 keycache_mu = PTHREAD_MUTEX_INITIALIZER;

/*
 * What ossl_verify keeps with a key from its second use on (a CA's key
 * verifies every certificate and CRL the CA issues): a verification
 * context ready for the next signature, which saves the algorithm
 * fetches of a new one (about 5 of 25 us).  The context is made on a
 * copy of the key: made on the key itself it would hold a reference to
 * it, and the key would never be freed.
 */
struct vcache {
	pthread_mutex_t	 mu;		/* held while ctx is in use */
	unsigned	 uses;
	EVP_PKEY_CTX	*ctx;		/* EVP_PKEY_verify, SHA-256 */
};

/*
 * What ossl_x509_key keeps with an X509: the key, and the SPKI it came
 * from, to notice a key replaced since (X509_set_pubkey,
 * X509_PUBKEY_set0_param).
 */
struct keycache {
	const X509_PUBKEY	*pub;
	X509_ALGOR		*alg;
	unsigned char		*bits;
	int			 len;
	EVP_PKEY		*pkey;
};

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

static void
keycache_free(struct keycache *kc)
{
	if (kc == NULL)
		return;
	EVP_PKEY_free(kc->pkey);
	X509_ALGOR_free(kc->alg);
	free(kc->bits);
	free(kc);
}

static void
keycache_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
    long argl, void *argp)
{
	keycache_free(ptr);
}

/* A copy (X509_dup, EVP_PKEY_dup) starts without the cache. */
static int
ex_dup_none(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from,
    void **from_d, int idx, long argl, void *argp)
{
	*from_d = NULL;
	return 1;
}

static void
vcache_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
    long argl, void *argp)
{
	struct vcache	*vc = ptr;

	if (vc == NULL)
		return;
	EVP_PKEY_CTX_free(vc->ctx);
	pthread_mutex_destroy(&vc->mu);
	free(vc);
}

static void
ossl_setup(void)
{
	OSSL_LIB_CTX	*ctx;

	/*
	 * A context with no provider loaded would fall back to the default
	 * provider on first use; loading "null" prevents that.  Without it,
	 * decoding happens in the default context (slower, same result).
	 */
	if ((ctx = OSSL_LIB_CTX_new()) != NULL) {
		if (OSSL_PROVIDER_load(ctx, "null") != NULL)
			st.decode = ctx;
		else
			OSSL_LIB_CTX_free(ctx);
	}
	st.sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	st.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	st.rsa = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	st.keyidx = X509_get_ex_new_index(0, NULL, NULL, ex_dup_none,
	    keycache_ex_free);
	st.vidx = EVP_PKEY_get_ex_new_index(0, NULL, NULL, ex_dup_none,
	    vcache_ex_free);
	err_drop();
}

OSSL_LIB_CTX *
ossl_decode_libctx(void)
{
	pthread_once(&st_once, ossl_setup);
	return st.decode;
}

ASN1_VALUE *
ossl_d2i(const ASN1_ITEM *it, const uint8_t *der, size_t len,
    const uint8_t **end)
{
	const unsigned char	*p = der;
	ASN1_VALUE		*v = NULL;

	if (len <= LONG_MAX)
		v = ASN1_item_d2i_ex(NULL, &p, (long)len, it,
		    ossl_decode_libctx(), NULL);
	if (end != NULL)
		*end = p;
	return v;
}

const EVP_MD *
ossl_md_sha1(void)
{
	pthread_once(&st_once, ossl_setup);
	return st.sha1 != NULL ? st.sha1 : EVP_sha1();
}

const EVP_MD *
ossl_md_sha256(void)
{
	pthread_once(&st_once, ossl_setup);
	return st.sha256 != NULL ? st.sha256 : EVP_sha256();
}

/* n and e as OSSL_PARAMs, imported as an RSA public key. */
static EVP_PKEY *
key_rsa_import(const BIGNUM *n, const BIGNUM *e)
{
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	EVP_PKEY	*pkey = NULL;

	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	/*
	 * A copy of st.rsa saves fetching the RSA key manager by name
	 * each time (about 4 us of 10).  EVP_PKEY_CTX_dup only reads its
	 * argument, so copying it from several threads is safe.
	 */
	ctx = st.rsa != NULL ? EVP_PKEY_CTX_dup(st.rsa) :
	    EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
 out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
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
	    (e = ASN1_INTEGER_to_BN(rpk->exponent, NULL)) != NULL)
		pkey = key_rsa_import(n, e);
 out:
	BN_free(n);
	BN_free(e);
	ASN1_item_free((ASN1_VALUE *)rpk, ASN1_ITEM_rptr(RSAPublicKeyShape));
	return pkey;
}

int
ossl_rsa_exponent(const X509_PUBKEY *pub, uint64_t *e)
{
	ASN1_OBJECT		*alg;
	const unsigned char	*pk, *p;
	RSAPublicKeyShape	*rpk = NULL;
	int			 pklen, rc = -1;

	if (pub == NULL ||
	    X509_PUBKEY_get0_param(&alg, &pk, &pklen, NULL, pub) != 1 ||
	    OBJ_obj2nid(alg) != NID_rsaEncryption)
		goto out;
	p = pk;
	rpk = (RSAPublicKeyShape *)ASN1_item_d2i(NULL, &p, pklen,
	    ASN1_ITEM_rptr(RSAPublicKeyShape));
	if (rpk == NULL || p != pk + pklen ||
	    ASN1_STRING_type(rpk->exponent) != V_ASN1_INTEGER)
		goto out;
	if (ASN1_INTEGER_get_uint64(e, rpk->exponent) != 1)
		*e = UINT64_MAX;
	rc = 0;
 out:
	ASN1_item_free((ASN1_VALUE *)rpk, ASN1_ITEM_rptr(RSAPublicKeyShape));
	err_drop();
	return rc;
}

/* Any other key type: OpenSSL's decoders, in the default context. */
static EVP_PKEY *
key_other(const X509_PUBKEY *pub)
{
	const unsigned char	*p;
	unsigned char		*der = NULL;
	EVP_PKEY		*pkey = NULL;
	int			 len;

	if ((len = i2d_X509_PUBKEY(pub, &der)) > 0) {
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
ossl_key_from_spki(const X509_PUBKEY *pub)
{
	ASN1_OBJECT		*alg;
	const unsigned char	*pk;
	EVP_PKEY		*pkey;
	int			 pklen;

	pthread_once(&st_once, ossl_setup);
	if (pub == NULL ||
	    X509_PUBKEY_get0_param(&alg, &pk, &pklen, NULL, pub) != 1)
		pkey = NULL;
	else if (OBJ_obj2nid(alg) == NID_rsaEncryption)
		pkey = key_rsa(pk, pklen);
	else
		pkey = key_other(pub);
	err_drop();
	return pkey;
}

/* The vcache of pkey, added if it has none; NULL if it cannot be. */
static struct vcache *
vcache_get(EVP_PKEY *pkey)
{
	struct vcache	*vc;

	if (st.vidx < 0)
		return NULL;
	pthread_mutex_lock(&keycache_mu);
	if ((vc = EVP_PKEY_get_ex_data(pkey, st.vidx)) == NULL &&
	    (vc = calloc(1, sizeof(*vc))) != NULL) {
		if (pthread_mutex_init(&vc->mu, NULL) != 0) {
			free(vc);
			vc = NULL;
		} else if (EVP_PKEY_set_ex_data(pkey, st.vidx, vc) != 1) {
			vcache_ex_free(NULL, vc, NULL, 0, 0, NULL);
			vc = NULL;
		}
	}
	pthread_mutex_unlock(&keycache_mu);
	return vc;
}

/* A context for EVP_PKEY_verify with SHA-256 on a copy of pkey. */
static EVP_PKEY_CTX *
vcache_ctx(EVP_PKEY *pkey)
{
	EVP_PKEY	*copy;
	EVP_PKEY_CTX	*ctx = NULL;

	if ((copy = EVP_PKEY_dup(pkey)) == NULL)
		return NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, copy, NULL)) == NULL ||
	    EVP_PKEY_verify_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, ossl_md_sha256()) != 1) {
		EVP_PKEY_CTX_free(ctx);
		ctx = NULL;
	}
	EVP_PKEY_free(copy);		/* ctx holds its own reference */
	return ctx;
}

/* With a vcache's context: SHA-256 here, then the RSA part. */
static int
verify_cached(EVP_PKEY_CTX *ctx, const uint8_t *tbs, size_t tbslen,
    const uint8_t *sig, size_t siglen)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;

	if (EVP_Digest(tbs, tbslen, md, &mdlen, ossl_md_sha256(), NULL) != 1)
		return 0;
	return EVP_PKEY_verify(ctx, sig, siglen, md, mdlen) == 1;
}

/* With a new context, for a key's first signature. */
static int
verify_fresh(EVP_PKEY *pkey, const uint8_t *tbs, size_t tbslen,
    const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX	*ctx;
	int		 ok = 0;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	/* Used once: the final step need not work on a copy of it. */
	EVP_MD_CTX_set_flags(ctx, EVP_MD_CTX_FLAG_FINALISE);
	if (EVP_DigestVerifyInit(ctx, NULL, ossl_md_sha256(), NULL, pkey) == 1)
		ok = EVP_DigestVerify(ctx, sig, siglen, tbs, tbslen) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

int
ossl_verify(EVP_PKEY *pkey, const uint8_t *tbs, size_t tbslen,
    const uint8_t *sig, size_t siglen)
{
	struct vcache	*vc;
	int		 ok = 0, done = 0;

	pthread_once(&st_once, ossl_setup);
	/* RSA, not RSA-PSS: RFC 7935 section 2, sha256WithRSAEncryption. */
	if (pkey == NULL || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
		goto out;
	/* A context in use by another thread: this one makes its own. */
	if ((vc = vcache_get(pkey)) != NULL &&
	    pthread_mutex_trylock(&vc->mu) == 0) {
		if (vc->ctx == NULL && ++vc->uses >= 2)
			vc->ctx = vcache_ctx(pkey);
		if (vc->ctx != NULL) {
			ok = verify_cached(vc->ctx, tbs, tbslen, sig, siglen);
			done = 1;
		}
		pthread_mutex_unlock(&vc->mu);
	}
	if (!done)
		ok = verify_fresh(pkey, tbs, tbslen, sig, siglen);
 out:
	err_drop();
	return ok;
}

/* Whether kc is the key of pub (algorithm alg, subjectPublicKey pk). */
static int
keycache_is(const struct keycache *kc, const X509_PUBKEY *pub,
    const X509_ALGOR *alg, const unsigned char *pk, int pklen)
{
	return kc != NULL && kc->pub == pub &&
	    X509_ALGOR_cmp(kc->alg, alg) == 0 && kc->len == pklen &&
	    memcmp(kc->bits, pk, (size_t)pklen) == 0;
}

static struct keycache *
keycache_new(const X509_PUBKEY *pub, const X509_ALGOR *alg,
    const unsigned char *pk, int pklen, EVP_PKEY *pkey)
{
	struct keycache	*kc;

	if ((kc = calloc(1, sizeof(*kc))) == NULL ||
	    (kc->alg = X509_ALGOR_dup(alg)) == NULL ||
	    (kc->bits = malloc(pklen > 0 ? (size_t)pklen : 1)) == NULL ||
	    EVP_PKEY_up_ref(pkey) != 1) {
		keycache_free(kc);
		return NULL;
	}
	kc->pub = pub;
	memcpy(kc->bits, pk, (size_t)pklen);
	kc->len = pklen;
	kc->pkey = pkey;
	return kc;
}

EVP_PKEY *
ossl_x509_key(X509 *x)
{
	const X509_PUBKEY	*pub = X509_get_X509_PUBKEY(x);
	X509_ALGOR		*alg;
	const unsigned char	*pk;
	struct keycache		*kc, *old;
	EVP_PKEY		*pkey = NULL;
	int			 pklen;

	pthread_once(&st_once, ossl_setup);
	if (pub == NULL ||
	    X509_PUBKEY_get0_param(NULL, &pk, &pklen, &alg, pub) != 1)
		return NULL;
	if (st.keyidx < 0)
		return ossl_key_from_spki(pub);
	pthread_mutex_lock(&keycache_mu);
	kc = X509_get_ex_data(x, st.keyidx);
	if (keycache_is(kc, pub, alg, pk, pklen) &&
	    EVP_PKEY_up_ref(kc->pkey) == 1)
		pkey = kc->pkey;
	pthread_mutex_unlock(&keycache_mu);
	if (pkey != NULL)
		return pkey;
	/* Imported unlocked; if another thread did the same, one wins. */
	if ((pkey = ossl_key_from_spki(pub)) == NULL ||
	    (kc = keycache_new(pub, alg, pk, pklen, pkey)) == NULL)
		return pkey;
	pthread_mutex_lock(&keycache_mu);
	old = X509_get_ex_data(x, st.keyidx);
	if (X509_set_ex_data(x, st.keyidx, kc) == 1) {
		kc = old;		/* freed below instead */
	}
	pthread_mutex_unlock(&keycache_mu);
	keycache_free(kc);
	err_drop();
	return pkey;
}
