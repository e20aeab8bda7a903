/*
 * objects.h - encoders of the RPKI objects rpki-repogen writes, one file
 * each: cert.c, crl.c, cms.c, roa.c, mft.c, aspa.c.
 *
 * Every encoder returns DER in *der (allocated by OpenSSL: the caller
 * frees it with OPENSSL_free) and its length in *len, and 0; or -1 with
 * the reason in e.  They are pure functions of their arguments (and of
 * the keys), so they are safe to call from several threads at once.
 */
#ifndef REPOGEN_OBJECTS_H
#define REPOGEN_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "err.h"
#include "repogen.h"
#include "vrp.h"

/* eContentTypes (RFC 6488 section 2.1.3.1, IANA "RPKI Signed Objects"). */
#define OID_CT_ROA	"1.2.840.113549.1.9.16.1.24"	/* RFC 9582 */
#define OID_CT_MFT	"1.2.840.113549.1.9.16.1.26"	/* RFC 9286 */
#define OID_CT_ASPA	"1.2.840.113549.1.9.16.1.49"	/* ASPA profile */

/* cert.c */

enum cert_kind {
	CERT_TA,	/* self-signed trust anchor (RFC 6487, RFC 8630) */
	CERT_CA,
	CERT_EE,	/* the EE certificate of a signed object */
	CERT_ROUTER,	/* BGPsec router certificate (RFC 8209) */
};

enum res_kind {
	RES_NONE,	/* extension absent for this family */
	RES_INHERIT,
	RES_RANGE,	/* one range (encoded as a prefix when it is one) */
	RES_PREFIXES,	/* the prefixes of this family in a ROA's list */
};

struct ip_res {
	enum res_kind		 kind;
	const struct rg_range	*range;
	const struct rg_prefix	*pfx;
	size_t			 npfx;
};

struct as_res {
	enum res_kind		 kind;	/* RES_NONE, RES_INHERIT, RES_RANGE */
	uint32_t		 lo, hi;
};

struct cert_spec {
	enum cert_kind	 kind;
	const char	*subject;	/* CommonName, PrintableString */
	const char	*issuer;	/* the issuer's subject CommonName */
	EVP_PKEY	*key;		/* subject key (public part used) */
	const uint8_t	*ski;		/* its key identifier */
	EVP_PKEY	*issuer_key;	/* signs; == key for a TA */
	const uint8_t	*issuer_ski;	/* AKI; unused for a TA */
	uint64_t	 serial;
	int64_t		 not_before, not_after;
	const char	*aia;		/* issuer certificate URI (not TA) */
	const char	*crldp;		/* issuer CRL URI (not TA) */
	const char	*repo, *mft, *notify;	/* SIA of a TA or CA */
	const char	*signed_object;	/* SIA of an EE */
	struct ip_res	 v4, v6;
	struct as_res	 as;
};

/*
 * Build and sign (SHA-256 with RSA) the certificate described by s.
 * Returns it (free with X509_free), or NULL with the reason in e.
 */
X509	*cert_build(const struct cert_spec *s, struct err *e);

/*
 * The key identifier of k (RFC 6487 section 4.8.2: SHA-1 of the
 * subjectPublicKey BIT STRING's value).  Returns 0, or -1.
 */
int	key_ski(EVP_PKEY *k, uint8_t ski[SKI_LEN]);

/* i2d_X509 into *der and *len; 0 or -1 with e. */
int	cert_der(X509 *x, uint8_t **der, size_t *len, struct err *e);

/* crl.c */

/*
 * A CRL (RFC 6487 section 5) of issuer (CommonName), signed with key,
 * with the AKI ski, CRL number number, and the serials in revoked (all
 * revoked at revtime).
 */
int	crl_build(const char *issuer, EVP_PKEY *key, const uint8_t *ski,
	    uint64_t number, int64_t this_update, int64_t next_update,
	    const uint64_t *revoked, size_t nrevoked, int64_t revtime,
	    uint8_t **der, size_t *len, struct err *e);

/* cms.c */

/* Faults cms_sign can make (-faults, faults.c); 0 for none. */
#define CMS_FAULT_BAD_SIG	0x01	/* one bit of the signature flipped */
#define CMS_FAULT_NO_CTYPE	0x02	/* no content-type signed attribute */

/*
 * The RFC 6488 signed object around econtent (eContentType oid, dotted
 * text), signed by ee's key eekey with signing-time signtime, with the
 * CMS_FAULT_* faults in faults.
 */
int	cms_sign(const char *oid, const uint8_t *econtent, size_t eclen,
	    X509 *ee, EVP_PKEY *eekey, int64_t signtime, unsigned faults,
	    uint8_t **der, size_t *len, struct err *e);

/* roa.c */

/*
 * The RouteOriginAttestation eContent (RFC 9582) of asn and the n
 * prefixes p (any order; written in canonical order, section 4.3.3).
 */
int	roa_encode(uint32_t asn, const struct rg_prefix *p, size_t n,
	    uint8_t **der, size_t *len, struct err *e);

/* mft.c */

struct mft_entry {
	char		 name[RG_NAME_MAX + 8];
	uint8_t		 hash[32];	/* SHA-256 of the file */
};

/* The Manifest eContent (RFC 9286 section 4.2) listing f[0..n). */
int	mft_encode(uint64_t number, int64_t this_update, int64_t next_update,
	    const struct mft_entry *f, size_t n, uint8_t **der, size_t *len,
	    struct err *e);

/* aspa.c */

/*
 * The ASProviderAttestation eContent of customer and its n providers
 * (sorted, unique).  version 0 is draft-ietf-sidrops-aspa-profile-08's
 * (version absent, providers as ProviderAS without afiLimit: what
 * rpki-client 8 parses); version 1 is the current profile (version [0]
 * present and 1, providers a plain SEQUENCE OF ASID).
 */
int	aspa_encode(int version, uint32_t customer, const uint32_t *prov,
	    size_t n, uint8_t **der, size_t *len, struct err *e);

#endif
