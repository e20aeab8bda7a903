/*
 * crl.h - RFC 6487 section 5 certificate revocation lists: decoding, the
 * profile checks, and revocation lookups by serial number.
 */
#ifndef VALIDATOR_CRL_H
#define VALIDATOR_CRL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cert.h"
#include "err.h"
#include "vrp.h"
#include "x509util.h"

struct crl {
	char		*fn;		/* file name, for diagnostics */
	X509_CRL	*x;		/* owned */
	uint8_t		 aki[SKI_LEN];	/* the issuer's key identifier */
	struct serial	 number;	/* cRLNumber */
	int64_t		 thisupdate;	/* unix seconds */
	int64_t		 nextupdate;
	struct serial	*revoked;	/* sorted ascending, may repeat */
	size_t		 nrevoked;
};

/*
 * Decode the DER CRL der[0..len) of file fn and check RFC 6487 section
 * 5: version 2, sha256WithRSAEncryption (RFC 7935) in both places and
 * the same, issuer name, nextUpdate present, exactly the extensions
 * authorityKeyIdentifier and cRLNumber (non-critical, <= 20 octets), no
 * entry extensions.  No time or signature checks.  Returns the CRL (free
 * with crl_free), or NULL with one diagnostic naming fn in e.
 */
struct crl	*crl_parse(const char *fn, const uint8_t *der, size_t len,
		    struct err *e);

/*
 * Whether c's serial number is on crl (binary search).  1 if revoked,
 * else 0.  The caller checks crl is the one of c's issuer (crl->aki
 * equals c->aki).
 */
int		 crl_is_revoked(const struct crl *crl, const struct cert *c);

/* The same by serial number. */
int		 crl_has_serial(const struct crl *crl, const struct serial *s);

/*
 * Verify crl's signature with issuer_pub (the issuing CA's key):
 * sha256WithRSAEncryption over tbsCertList as received (ossl_verify).
 * Returns 0, or -1 with a diagnostic in e.
 */
int		 crl_verify_signature(const struct crl *crl,
		    EVP_PKEY *issuer_pub, struct err *e);

/* Free crl; NULL is a no-op. */
void		 crl_free(struct crl *crl);

#endif
