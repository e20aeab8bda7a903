/*
 * cert.h - RFC 6487 resource certificates (trust anchor, CA, EE) and
 * RFC 8209 BGPsec router certificates: decoding and the profile checks.
 *
 * Parsing is a pure function of the bytes: no I/O, no clock.  Validity
 * times are extracted for the validation step; signatures are checked
 * only on request (cert_verify_signature), against the issuer's key the
 * caller found.
 */
#ifndef VALIDATOR_CERT_H
#define VALIDATOR_CERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "certasn1.h"
#include "err.h"
#include "ipres.h"
#include "vrp.h"
#include "x509util.h"

/*
 * What a certificate is, from its extensions: basicConstraints cA makes
 * a CA, and a CA without an authorityKeyIdentifier (or with one equal to
 * its subjectKeyIdentifier) is self-signed, a trust anchor; without
 * basicConstraints, an extendedKeyUsage with id-kp-bgpsec-router makes a
 * router certificate and none makes an EE certificate.
 */
enum cert_purpose {
	CERT_TA = 1,
	CERT_CA,
	CERT_EE,
	CERT_ROUTER,
};

struct cert {
	enum cert_purpose purpose;
	char		*fn;		/* file name, for diagnostics */
	RpkiCertificate	*x;		/* owned */
	EVP_PKEY	*pub;		/* owned reference, the subject key */
	uint8_t		 ski[SKI_LEN];
	uint8_t		 aki[SKI_LEN];	/* valid if has_aki */
	int		 has_aki;
	struct serial	 serial;	/* for CRL lookups (crl_is_revoked) */
	int64_t		 notbefore;	/* unix seconds */
	int64_t		 notafter;
	char		*repo;		/* SIA caRepository, rsync, ends '/' */
	char		*mft;		/* SIA rpkiManifest, rsync */
	char		*notify;	/* SIA rpkiNotify, https, or NULL */
	char		*signedobj;	/* SIA signedObject (EE), rsync */
	char		*aia;		/* AIA caIssuers, rsync; NULL on a TA */
	char		*crldp;		/* CRLDP, rsync; NULL on a TA */
	struct ipres	*res;		/* RFC 3779 resources, never NULL */
	uint8_t		*spki;		/* router: DER SubjectPublicKeyInfo */
	size_t		 spki_len;
};

/* Text for a purpose: "TA", "CA", "EE", "router". */
const char	*cert_purpose_name(enum cert_purpose p);

/* The same with its article: "a TA", "a CA", "an EE", "a router". */
const char	*cert_purpose_a(enum cert_purpose p);

/*
 * Decode the DER certificate der[0..len) of file fn and check it against
 * the profile of its purpose: RFC 6487 sections 4 (version, serial,
 * signature algorithm, names, key, the extensions and their criticality)
 * and RFC 8209 section 3.1 for router certificates, with the algorithms
 * of RFC 7935 (RSA 2048) and RFC 8208 (router keys, ECDSA P-256).  No
 * time or signature checks.  Returns the certificate (free with
 * cert_free), or NULL with one diagnostic naming fn in e.
 */
struct cert	*cert_parse(const char *fn, const uint8_t *der, size_t len,
		    struct err *e);

/*
 * The same checks for a certificate already decoded, such as the EE
 * certificate of a signed object (struct cms_object).  Moves *x into
 * the result and sets *x to NULL, and the same with *pub, the subject
 * key of *x already imported by ossl_key_from_spki (cms.c verified the
 * object's signature with it), or NULL to have it imported here; on
 * failure both are freed.  The caller checks the purpose it expects
 * (CERT_EE for a signed object).
 */
struct cert	*cert_take(const char *fn, RpkiCertificate **x,
		    EVP_PKEY **pub, struct err *e);

/*
 * Verify c's signature with issuer_pub (the issuer's subject key; a
 * trust anchor's own): sha256WithRSAEncryption over tbsCertificate as
 * received, the bytes certasn1.c kept (x509_sig_verify).  Returns 0,
 * or -1 with a diagnostic in e.
 */
int		 cert_verify_signature(const struct cert *c,
		    EVP_PKEY *issuer_pub, struct err *e);

/* Free c and everything it owns; NULL is a no-op. */
void		 cert_free(struct cert *c);

#endif
