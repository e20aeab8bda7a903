/*
 * certasn1.h - RFC 5280 Certificate as our own ASN.1 templates: what
 * the validator decodes every certificate with (.cer files, trust
 * anchors, the EE certificate of each signed object), instead of
 * OpenSSL's X509.
 *
 * Why: decoding an RPKI EE certificate as an X509 took 14 us (OpenSSL
 * 3.0), these types 6.4 us.  The X509 decoder canonicalises both names
 * (x509_name_canon: every string to UTF-8, lowercased, encoded again),
 * tries the subject key on every provider decoder (which fails on
 * purpose in ossl_decode_libctx, formatting an error on the way), and
 * runs the X509 callbacks (ex_data, a lock).  None of that is used: the
 * profile checks read the fields, keys are imported by ossl.c from the
 * algorithm and the key bits, and signatures are verified over the
 * tbsCertificate as received.
 *
 * The types accept what OpenSSL's X509 accepts, field for field
 * (crypto/x509/x_x509.c, x_name.c, x_pubkey.c): the same version,
 * serial, AlgorithmIdentifier, Validity and Extensions types, and name
 * attribute values of OpenSSL's ASN1_PRINTABLE string types (the value
 * type of X509_NAME_ENTRY) rather than ANY.  The one thing X509 rejected
 * that these do not, a name string that does not convert to UTF-8
 * (x509_name_canon fails on it), x509_rdn_check rejects instead.
 */
#ifndef VALIDATOR_CERTASN1_H
#define VALIDATOR_CERTASN1_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/asn1t.h>
#include <openssl/safestack.h>
#include <openssl/x509.h>

/* AttributeTypeAndValue (RFC 5280 section 4.1.2.4). */
typedef struct {
	ASN1_OBJECT	*type;
	ASN1_STRING	*value;		/* one of ASN1_PRINTABLE's types */
} RpkiAttr;

DEFINE_STACK_OF(RpkiAttr)

/* RelativeDistinguishedName: SET OF AttributeTypeAndValue. */
typedef STACK_OF(RpkiAttr) RpkiRdn;

DEFINE_STACK_OF(RpkiRdn)

/* Name: RDNSequence, SEQUENCE OF RelativeDistinguishedName. */
typedef STACK_OF(RpkiRdn) RpkiName;

/* SubjectPublicKeyInfo, the key left undecoded. */
typedef struct {
	X509_ALGOR	*algorithm;
	ASN1_BIT_STRING	*subjectPublicKey;
} RpkiSpki;

/*
 * TBSCertificate.  enc holds its encoding as received, tag and length
 * included: the bytes the issuer signed (enc.enc, enc.len), and what
 * re-encoding emits (as X509_CINF does), so a DER check of an enclosing
 * structure compares these bytes with themselves.
 */
typedef struct {
	ASN1_INTEGER		*version;	/* [0], NULL for v1 */
	ASN1_INTEGER		 serialNumber;
	X509_ALGOR		 signature;
	RpkiName		*issuer;
	X509_VAL		 validity;
	RpkiName		*subject;
	RpkiSpki		*subjectPublicKeyInfo;
	ASN1_BIT_STRING		*issuerUniqueID;	/* [1] */
	ASN1_BIT_STRING		*subjectUniqueID;	/* [2] */
	STACK_OF(X509_EXTENSION) *extensions;		/* [3], or NULL */
	ASN1_ENCODING		 enc;
} RpkiTbsCertificate;

/* Certificate. */
typedef struct {
	RpkiTbsCertificate	 tbsCertificate;
	X509_ALGOR		 signatureAlgorithm;
	ASN1_BIT_STRING		 signature;
} RpkiCertificate;

DECLARE_ASN1_ITEM(RpkiName)
DECLARE_ASN1_ITEM(RpkiSpki)
DECLARE_ASN1_ITEM(RpkiCertificate)

/*
 * Decode der[0..len) as a Certificate (no library context needed: no
 * key is decoded).  *end is set past the bytes used.  Returns the
 * certificate (certasn1_free), or NULL if it does not decode.
 */
RpkiCertificate	*certasn1_decode(const uint8_t *der, size_t len,
		    const uint8_t **end);

/* Free x; NULL is a no-op. */
void		 certasn1_free(RpkiCertificate *x);

/*
 * Whether names a and b have the same DER encoding, byte for byte (no
 * case folding as X509_NAME_cmp does).  Returns 1, 0, or -1 if one
 * does not encode (out of memory).
 */
int		 certasn1_name_same(const RpkiName *a, const RpkiName *b);

/*
 * The DER SubjectPublicKeyInfo of algorithm alg and key bits key into
 * *der (free with OPENSSL_free).  Returns its length, or -1.
 */
int		 certasn1_spki_der(const X509_ALGOR *alg,
		    const ASN1_BIT_STRING *key, unsigned char **der);

#endif
