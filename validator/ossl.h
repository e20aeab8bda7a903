/*
 * ossl.h - the OpenSSL 3 objects the validator fetches once per process,
 * and the fast paths built on them: decoding without OpenSSL's key
 * decoders, importing RSA subject keys, verifying RSA signatures.
 *
 * Why (OpenSSL 3.0, a 1,000-CA, 28,500-ROA repository, where these
 * costs were over half of an 11 s run; the us are per call):
 *  - d2i_X509 and d2i_CMS_ContentInfo decode every SubjectPublicKeyInfo
 *    on the way, through OSSL_DECODER_CTX_new_for_pkey, which builds a
 *    decoder chain from every provider each time: 208 us for a ROA.
 *    Decoded in a library context holding only the "null" provider,
 *    OpenSSL finds no decoder, keeps the key undecoded (it decodes keys
 *    "opportunistically") and the ROA takes 41 us.  The key is imported
 *    afterwards with ossl_key_from_spki: about 9 us for RSA.
 *  - X509_verify and CMS_SignerInfo_verify fetch their algorithms by
 *    name on every call: 45-52 us against 25 for a verification through
 *    EVP_PKEY_verify with a SHA-256 fetched once.  ossl_verify goes
 *    below the provider interface, to RSA_verify on the key's RSA
 *    object, which keeps the Montgomery form of a key that verified
 *    before (ossl.c has the figure).
 *
 * State: the library context and the fetched algorithms are set once
 * (pthread_once) on first use and only read afterwards, from any
 * thread; they live until the process exits.  Nothing here needs to be
 * called first.  The only other state is kept with OpenSSL objects: an
 * X509's imported key (ossl_x509_key) in its ex_data, freed with it and
 * guarded by one mutex of this file, and an RSA key's Montgomery form,
 * which OpenSSL keeps and locks itself.
 */
#ifndef VALIDATOR_OSSL_H
#define VALIDATOR_OSSL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/*
 * The library context to decode objects in: it has the "null" provider
 * only, so no key is decoded (X509_get0_pubkey on a certificate decoded
 * in it returns NULL: use ossl_x509_key).  ASN.1 decoding itself needs
 * no provider.  Not to be used for anything but decoding.  NULL, the
 * default context, if it could not be set up: decoding is then slower,
 * its result the same.
 */
OSSL_LIB_CTX	*ossl_decode_libctx(void);

/*
 * Decode der[0..len) as the ASN.1 type it in ossl_decode_libctx.
 * *end is set past the bytes used.  Returns the value (free it with
 * ASN1_item_free), or NULL if it does not decode (the OpenSSL error
 * queue says why).
 */
ASN1_VALUE	*ossl_d2i(const ASN1_ITEM *it, const uint8_t *der, size_t len,
		    const uint8_t **end);

/* SHA-1 and SHA-256 from the default provider, fetched once. */
const EVP_MD	*ossl_md_sha1(void);
const EVP_MD	*ossl_md_sha256(void);

/*
 * The subject key of pub as an EVP_PKEY of the default library context.
 * An rsaEncryption key is decoded with a template (RSAPublicKey, RFC
 * 8017 appendix A.1.1: two INTEGERs, neither negative, filling the BIT
 * STRING) and
 * imported as an RSA object (RSA_set0_key, OpenSSL's RSA method); any
 * other algorithm goes through
 * OpenSSL's own decoders (d2i_PUBKEY).  Returns the key (EVP_PKEY_free
 * it), or NULL if it does not decode.  The caller checks the algorithm,
 * size and parameters its profile requires.
 */
EVP_PKEY	*ossl_key_from_spki(const X509_PUBKEY *pub);

/*
 * The public exponent of the rsaEncryption key pub, read from the same
 * RSAPublicKey ossl_key_from_spki imports, into *e (UINT64_MAX if it
 * does not fit).  Cheaper than EVP_PKEY_get_bn_param, which exports
 * every RSA parameter the provider knows to find it.  Returns 0, or -1
 * for another algorithm or an undecodable key.
 */
int		 ossl_rsa_exponent(const X509_PUBKEY *pub, uint64_t *e);

/*
 * The subject key of x, as ossl_key_from_spki gives it, imported on the
 * first call and kept with x (in its ex_data) for the next ones: an EE
 * certificate's key is needed by cms.c for the signature and by cert.c
 * for the certificate.  Safe from several threads.  Returns a new
 * reference (EVP_PKEY_free it), or NULL if the key does not decode.
 */
EVP_PKEY	*ossl_x509_key(X509 *x);

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
