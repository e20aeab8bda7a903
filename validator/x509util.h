/*
 * x509util.h - checks shared by the certificate and CRL parsers: serial
 * numbers, signature algorithms, names, key identifiers and URIs in
 * GeneralNames.  Each check takes the file name for its diagnostic and
 * leaves one sentence in e on failure.
 */
#ifndef VALIDATOR_X509UTIL_H
#define VALIDATOR_X509UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "certasn1.h"
#include "err.h"

/* RFC 5280 sections 4.1.2.2, 5.2.3: at most 20 octets. */
#define SERIAL_MAX	20

/* A positive (or, for CRL numbers, non-negative) integer of <= 20
 * octets: its big-endian magnitude without leading zero octets. */
struct serial {
	uint8_t		len;
	uint8_t		b[SERIAL_MAX];
};

/* Room for x509_serial_text: 2 hex digits per octet, "0" for zero. */
#define SERIAL_TEXT_MAX	(2 * SERIAL_MAX + 2)

/*
 * Read i into s.  It must be positive (zero too if allow_zero) and its
 * DER content at most SERIAL_MAX octets (RFC 5280 4.1.2.2, 5.2.3); ref
 * ("RFC 6487 section 4.2") and field name the rule in the diagnostic.
 * Returns 0, or -1 with the reason in e.
 */
int	x509_serial(const char *fn, const char *ref, const char *field,
	    const ASN1_INTEGER *i, int allow_zero, struct serial *s,
	    struct err *e);

/* Order of serials by value: <0, 0, >0 as for memcmp. */
int	x509_serial_cmp(const struct serial *a, const struct serial *b);

/* Uppercase hex of s into buf (SERIAL_TEXT_MAX).  Returns buf. */
char	*x509_serial_text(const struct serial *s, char *buf);

/*
 * Whether alg is sha256WithRSAEncryption with NULL or absent parameters
 * (RFC 7935 section 2, RFC 4055 section 5).  field names it ("signature",
 * "signatureAlgorithm").  Returns 0, or -1 with the reason in e.
 */
int	x509_sigalg_check(const char *fn, const char *ref, const char *field,
	    const X509_ALGOR *alg, struct err *e);

/*
 * RFC 5280 sections 4.1.1.2 and 5.1.1.2: the outer signatureAlgorithm is
 * the same AlgorithmIdentifier as the signature field inside, both
 * already passed x509_sigalg_check.  Returns 0, or -1 with the reason.
 */
int	x509_sigalg_same(const char *fn, const char *ref,
	    const X509_ALGOR *inner, const X509_ALGOR *outer, struct err *e);

/*
 * Check an issuer or subject name (RFC 6487 sections 4.4, 4.5): one
 * CommonName, at most one serialNumber, no other attribute, and every
 * string convertible to UTF-8 (which decoding an X509_NAME requires;
 * x509util.c says why it is checked).  field is "issuer" or "subject".
 * Returns 0, or -1 with the reason in e.  x509_name_check takes
 * OpenSSL's X509_NAME (a CRL's issuer), x509_rdn_check a certificate's
 * name (certasn1.h); the rules are the same code.
 */
int	x509_name_check(const char *fn, const char *ref, const char *field,
	    const X509_NAME *name, struct err *e);
int	x509_rdn_check(const char *fn, const char *ref, const char *field,
	    const RpkiName *name, struct err *e);

/*
 * Check a decoded AuthorityKeyIdentifier with its criticality: non-
 * critical, a keyIdentifier of 20 octets and nothing else (RFC 6487
 * section 4.8.3; ref names the section for CRLs).  Copies the key
 * identifier into aki.  Returns 0, or -1 with the reason in e.
 */
int	x509_aki_check(const char *fn, const char *ref,
	    const AUTHORITY_KEYID *akid, int crit, uint8_t aki[20],
	    struct err *e);

/*
 * The SHA-1 of the subjectPublicKey bits key (RFC 6487 section 4.8.2,
 * RFC 5280 section 4.2.1.2 method 1) into out.  Returns 0, or -1.
 */
int	x509_key_id(const ASN1_BIT_STRING *key, uint8_t out[20]);

/*
 * Whether sig, the signature BIT STRING of a signed X.509 structure, is
 * a valid sha256WithRSAEncryption signature (ossl_verify) of
 * tbs[0..tbslen), the to-be-signed part as encoded, tag and length
 * included, under pkey.  A signature with unused bits is invalid, as
 * for X509_verify.  The caller checks signatureAlgorithm
 * (x509_sigalg_check).  Returns 1 or 0.
 */
int	x509_sig_verify(const uint8_t *tbs, size_t tbslen,
	    const ASN1_BIT_STRING *sig, EVP_PKEY *pkey);

/*
 * Whether der[0..len), a signed X.509 structure (RFC 5280 sections 4.1
 * and 5.1: SEQUENCE { to-be-signed, signatureAlgorithm, signature }),
 * carries a valid signature of its first element, as encoded in der,
 * under pkey (x509_sig_verify).  der is the i2d of a decoded X509_CRL:
 * OpenSSL keeps the received encoding of the to-be-signed part, so the
 * bytes verified are the bytes signed, as X509_CRL_verify has them.
 * Returns 1 or 0.
 */
int	x509_signed_verify(const uint8_t *der, size_t len, EVP_PKEY *pkey);

/*
 * Whether s (len bytes, not necessarily NUL terminated) is a usable URI
 * of scheme ("rsync" or "https"): the scheme and "://", a non-empty
 * host, printable ASCII without spaces, no "." or ".." path segment, at
 * most 2048 bytes.  Returns 1 or 0.
 */
int	uri_valid(const char *s, size_t len, const char *scheme);

/*
 * Look at one GeneralName of an access description or distribution
 * point.  If it is a URI of scheme, check it with uri_valid and store a
 * copy in *out (the caller frees it) unless *out is already set (the
 * first one wins).  Returns 1 for a URI of that scheme, 0 for any other
 * name, -1 for an invalid URI of that scheme (with the reason, naming
 * field under ref, in e) or out of memory.
 */
int	x509_gn_uri(const char *fn, const char *ref, const char *field,
	    const GENERAL_NAME *gn, const char *scheme, char **out,
	    struct err *e);

/*
 * A copy of at most 100 bytes of s[0..len) for a diagnostic, control
 * and non-ASCII bytes as '?', "..." if cut, in buf.  Returns buf.
 */
#define TEXT_SHOWN_MAX	104
char	*text_shown(const char *s, size_t len, char buf[TEXT_SHOWN_MAX]);

#endif
