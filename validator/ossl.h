/*
 * ossl.h - the validator's fast paths into OpenSSL 3: digests, importing
 * subject keys without OpenSSL's key decoders, verifying RSA signatures.
 *
 * Why (OpenSSL 3.0, a 1,000-CA, 28,500-ROA repository, where these
 * costs were over half of an 11 s run; the us are per call):
 *  - d2i_X509 and d2i_CMS_ContentInfo decode every SubjectPublicKeyInfo
 *    on the way, through OSSL_DECODER_CTX_new_for_pkey, which builds a
 *    decoder chain from every provider each time: 208 us for a ROA.
 *    Certificates are decoded with our own templates instead
 *    (certasn1.h), which leave the key as its algorithm and bits; the
 *    key is imported afterwards with ossl_key_from_spki, about 9 us
 *    for RSA.
 *  - X509_verify and CMS_SignerInfo_verify fetch their algorithms by
 *    name on every call: 45-52 us against 25 for a verification through
 *    EVP_PKEY_verify with a SHA-256 fetched once.  ossl_verify goes
 *    below the provider interface, to RSA_verify on the key's RSA
 *    object, which keeps the Montgomery form of a key that verified
 *    before (ossl.c has the figure), and digests with the low-level
 *    functions.
 *
 * State: none here, and nothing needs to be called first.  The only
 * state is an RSA key's Montgomery form, which OpenSSL keeps with the
 * key and locks itself.
 */
#ifndef VALIDATOR_OSSL_H
#define VALIDATOR_OSSL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

/*
 * SHA-256 and SHA-1 of data[0..len) into md, with OpenSSL's low-level
 * digest functions on a context on the stack: EVP_Digest allocates and
 * initialises a provider context each call, 0.4 us of 1.8 for a 2 KB
 * object (four digests an object: 1% of a run).
 */
void		 ossl_sha256(const void *data, size_t len, uint8_t md[32]);
void		 ossl_sha1(const void *data, size_t len, uint8_t md[20]);

/*
 * SHA-256 of data given in pieces (a download, a file read or written):
 * the same functions on a context the caller holds.  None can fail.
 */
struct ossl_sha256_ctx {
	SHA256_CTX	c;
};

void		 ossl_sha256_init(struct ossl_sha256_ctx *ctx);
void		 ossl_sha256_update(struct ossl_sha256_ctx *ctx,
		    const void *data, size_t len);
void		 ossl_sha256_final(struct ossl_sha256_ctx *ctx,
		    uint8_t md[32]);

/*
 * The subject key of a SubjectPublicKeyInfo, given as its algorithm
 * alg and its subjectPublicKey bits key, as an EVP_PKEY of the default
 * library context.  An rsaEncryption key is decoded with a template
 * (RSAPublicKey, RFC 8017 appendix A.1.1: two INTEGERs, neither
 * negative, filling the BIT STRING) and imported as an RSA object
 * (RSA_set0_key, OpenSSL's RSA method); any other algorithm goes
 * through OpenSSL's own decoders (d2i_PUBKEY).  Returns the key
 * (EVP_PKEY_free it), or NULL if it does not decode.  The caller checks
 * the algorithm, size and parameters its profile requires.
 */
EVP_PKEY	*ossl_key_from_spki(const X509_ALGOR *alg,
		    const ASN1_BIT_STRING *key);

/*
 * The public exponent of the RSA key pkey (as ossl_key_from_spki
 * imports it) into *e (UINT64_MAX if it does not fit), read from its
 * RSA object: cheaper than EVP_PKEY_get_bn_param, which exports every
 * RSA parameter the provider knows to find it, and than decoding the
 * RSAPublicKey a second time.  Returns 0, or -1 for another key type.
 */
int		 ossl_rsa_exponent(const EVP_PKEY *pkey, uint64_t *e);

/*
 * Whether sig[0..siglen) is an RSASSA-PKCS1-v1_5 signature with SHA-256
 * (RFC 8017 section 8.2, the sha256WithRSAEncryption of RFC 4055 and RFC
 * 7935) of tbs[0..tbslen) under the RSA key pkey.  Safe from several
 * threads.  Returns 1 if it is, 0 if not (a key of another type
 * included).  Leaves the OpenSSL error queue empty.
 */
int		 ossl_verify(EVP_PKEY *pkey, const uint8_t *tbs, size_t tbslen,
		    const uint8_t *sig, size_t siglen);

#endif
