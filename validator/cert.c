/*
 * cert.c - RFC 6487 resource certificates and RFC 8209 BGPsec router
 * certificates: the fields, which extensions each purpose has and with
 * what criticality, and the subject key.  The contents of the access and
 * policy extensions are checked in certext.c.
 *
 * Certificates are decoded with our own templates (certasn1.h), not as
 * OpenSSL's X509 (certasn1.h says why): the subject key is imported by
 * ossl_key_from_spki from its algorithm and bits, and signatures are
 * verified with ossl_verify over the tbsCertificate as received, never
 * with X509_verify (ossl.h says why).  .cer files, trust anchors and
 * the EE certificates of signed objects all go through cert_take.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "asn1util.h"
#include "cert.h"
#include "certext.h"
#include "ossl.h"

#define P(purpose)	(1u << (purpose))
#define P_ALL		(P(CERT_TA) | P(CERT_CA) | P(CERT_EE) | P(CERT_ROUTER))
#define P_ISSUED	(P(CERT_CA) | P(CERT_EE) | P(CERT_ROUTER))

/*
 * The extensions of the profile (RFC 6487 section 4.8), their
 * criticality, and for which purposes each is required or allowed.
 * router_ref cites RFC 8209 where it sets the rule for routers.
 */
static const struct ext_rule {
	int		 nid;
	const char	*name;
	const char	*ref;
	const char	*router_ref;
	int		 critical;
	unsigned	 required;
	unsigned	 allowed;
} ext_rules[] = {
	{ NID_basic_constraints, "basicConstraints", "4.8.1", NULL, 1,
	    P(CERT_TA) | P(CERT_CA), P(CERT_TA) | P(CERT_CA) },
	{ NID_subject_key_identifier, "subjectKeyIdentifier", "4.8.2", NULL,
	    0, P_ALL, P_ALL },
	{ NID_authority_key_identifier, "authorityKeyIdentifier", "4.8.3",
	    NULL, 0, P_ISSUED, P_ALL },
	{ NID_key_usage, "keyUsage", "4.8.4", NULL, 1, P_ALL, P_ALL },
	{ NID_ext_key_usage, "extendedKeyUsage", "4.8.5", "3.1.3.2", 0,
	    P(CERT_ROUTER), P(CERT_ROUTER) },
	{ NID_crl_distribution_points, "cRLDistributionPoints", "4.8.6", NULL,
	    0, P_ISSUED, P_ISSUED },
	{ NID_info_access, "authorityInfoAccess", "4.8.7", NULL, 0, P_ISSUED,
	    P_ISSUED },
	{ NID_sinfo_access, "subjectInfoAccess", "4.8.8", "3.1.3.3", 0,
	    P_ALL & ~P(CERT_ROUTER), P_ALL & ~P(CERT_ROUTER) },
	{ NID_certificate_policies, "certificatePolicies", "4.8.9", NULL, 1,
	    P_ALL, P_ALL },
	{ NID_sbgp_ipAddrBlock, "sbgp-ipAddrBlock", "4.8.10", "3.1.3.4", 1,
	    0, P_ALL & ~P(CERT_ROUTER) },
	{ NID_sbgp_autonomousSysNum, "sbgp-autonomousSysNum", "4.8.11",
	    "3.1.3.5", 1, P(CERT_ROUTER), P_ALL },
};

#define EXT_RULES	(sizeof(ext_rules) / sizeof(ext_rules[0]))

const char *
cert_purpose_name(enum cert_purpose p)
{
	switch (p) {
	case CERT_TA:
		return "TA";
	case CERT_CA:
		return "CA";
	case CERT_EE:
		return "EE";
	case CERT_ROUTER:
		return "router";
	}
	return "unknown";
}

const char *
cert_purpose_a(enum cert_purpose p)
{
	return p == CERT_EE ? "an EE" : p == CERT_TA ? "a TA" :
	    p == CERT_CA ? "a CA" : p == CERT_ROUTER ? "a router" :
	    "an unknown";
}

/* RFC 6487 sections 4.1 to 4.6: the fields before the key. */
static int
cert_fields(const char *fn, struct cert *c, struct err *e)
{
	const RpkiTbsCertificate *tbs = &c->x->tbsCertificate;
	const X509_ALGOR	*inner = &tbs->signature;
	const X509_ALGOR	*outer = &c->x->signatureAlgorithm;
	long			 version;

	/* X509_get_version: 0 (v1) when absent, -1 when unreadable. */
	version = ASN1_INTEGER_get(tbs->version);
	if (version != X509_VERSION_3)
		return err_set(e, "%s: RFC 6487 section 4.1: version: want 3, "
		    "have %ld", fn, version + 1);
	if (x509_serial(fn, "RFC 6487 section 4.2", "serialNumber",
	    &tbs->serialNumber, 0, &c->serial, e) != 0)
		return -1;
	if (x509_sigalg_check(fn, "RFC 6487 section 4.3", "signature", inner,
	    e) != 0 || x509_sigalg_check(fn, "RFC 6487 section 4.3",
	    "signatureAlgorithm", outer, e) != 0)
		return -1;
	if (x509_sigalg_same(fn, "RFC 6487 section 4.3", inner, outer, e) !=
	    0)
		return -1;
	if (x509_rdn_check(fn, "RFC 6487 section 4.4", "issuer",
	    tbs->issuer, e) != 0 ||
	    x509_rdn_check(fn, "RFC 6487 section 4.5", "subject",
	    tbs->subject, e) != 0)
		return -1;
	if (asn1_time_unix(tbs->validity.notBefore, &c->notbefore) != 0 ||
	    asn1_time_unix(tbs->validity.notAfter, &c->notafter) != 0)
		return err_set(e, "%s: RFC 6487 section 4.6: validity: want "
		    "valid times, have malformed ones", fn);
	if (tbs->issuerUniqueID != NULL || tbs->subjectUniqueID != NULL)
		return err_set(e, "%s: RFC 6487 section 4: uniqueIdentifier: "
		    "want absent, have present", fn);
	return 0;
}

/*
 * The extensions outside the profile that OpenSSL 3.0's extension cache
 * (x509v3_cache_extensions, behind X509_get_extension_flags) decodes,
 * marking the certificate EXFLAG_INVALID if one is undecodable or
 * repeated, or a proxyCertInfo comes with cA or subjectAltName or
 * issuerAltName.  The cache decodes every extension, those of the
 * profile too, and cert.c, certext.c and ipres.c decode those again: at
 * 7.5 us of the 13 us an EE certificate takes to decode, it is skipped
 * and these few rules applied here instead (the profile's extensions
 * already fail here when undecodable or repeated).
 */
static const int cache_nids[] = {
	NID_proxyCertInfo, NID_netscape_cert_type, NID_subject_alt_name,
	NID_name_constraints,
};

#define CACHE_NIDS	(sizeof(cache_nids) / sizeof(cache_nids[0]))

/* The bit of nid in cache_nids, 0 if it is not there. */
static unsigned
cache_bit(int nid)
{
	size_t	 i;

	for (i = 0; i < CACHE_NIDS; i++)
		if (cache_nids[i] == nid)
			return 1u << i;
	return 0;
}

/* Free v, extension nid of cache_nids decoded. */
static void
ext_free(int nid, void *v)
{
	switch (nid) {
	case NID_proxyCertInfo:
		PROXY_CERT_INFO_EXTENSION_free(v);
		break;
	case NID_netscape_cert_type:
		ASN1_BIT_STRING_free(v);
		break;
	case NID_subject_alt_name:
		GENERAL_NAMES_free(v);
		break;
	default:
		NAME_CONSTRAINTS_free(v);
		break;
	}
}

/*
 * What EXFLAG_INVALID would say of the extensions outside the profile
 * (present: the cache_bit of each one of exts).  0 if they are valid.
 */
static int
cert_ext_other(const char *fn, const STACK_OF(X509_EXTENSION) *exts,
    unsigned present, struct err *e)
{
	BASIC_CONSTRAINTS	*bc;
	void			*v;
	size_t			 i;
	int			 crit, ca, bad = 0;

	for (i = 0; i < CACHE_NIDS && !bad; i++) {
		if (!(present & (1u << i)))
			continue;
		v = X509V3_get_d2i(exts, cache_nids[i], &crit, NULL);
		if (v == NULL) {
			bad = 1;
			break;
		}
		ext_free(cache_nids[i], v);
		if (cache_nids[i] != NID_proxyCertInfo)
			continue;
		bc = X509V3_get_d2i(exts, NID_basic_constraints, NULL, NULL);
		ca = bc != NULL && bc->ca;
		BASIC_CONSTRAINTS_free(bc);
		bad = ca || X509v3_get_ext_by_NID(exts, NID_subject_alt_name,
		    -1) >= 0 || X509v3_get_ext_by_NID(exts,
		    NID_issuer_alt_name, -1) >= 0;
	}
	if (!bad)
		return 0;
	return err_set(e, "%s: RFC 5280 section 4.2: extensions: want valid, "
	    "have ones OpenSSL rejects", fn);
}

/*
 * Each extension once, known ones with the right criticality, no unknown
 * critical ones.  Sets the bit of each rule present in *seen, and of
 * each of cache_nids in *other.
 */
static int
cert_ext_scan(const char *fn, const STACK_OF(X509_EXTENSION) *exts,
    unsigned *seen, unsigned *other, struct err *e)
{
	X509_EXTENSION	*ext;
	char		 buf[OID_TEXT_MAX];
	int		 i, n, nid, crit;
	size_t		 r;

	*seen = *other = 0;
	n = X509v3_get_ext_count(exts);
	for (i = 0; i < n; i++) {
		ext = X509v3_get_ext(exts, i);
		nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
		crit = X509_EXTENSION_get_critical(ext);
		for (r = 0; r < EXT_RULES; r++)
			if (ext_rules[r].nid == nid)
				break;
		if (r == EXT_RULES) {
			*other |= cache_bit(nid);
			if (crit)
				return err_set(e, "%s: RFC 5280 section 4.2: "
				    "extension %s: want non-critical or "
				    "known, have unknown critical", fn,
				    asn1_oid_text(X509_EXTENSION_get_object(
				    ext), buf));
			continue;
		}
		if (*seen & (1u << r))
			return err_set(e, "%s: RFC 5280 section 4.2: %s: want "
			    "one instance, have several", fn,
			    ext_rules[r].name);
		*seen |= 1u << r;
		if (crit != ext_rules[r].critical)
			return err_set(e, "%s: RFC 6487 section %s: %s: want "
			    "%s, have %s", fn, ext_rules[r].ref,
			    ext_rules[r].name, ext_rules[r].critical ?
			    "critical" : "non-critical", crit ? "critical" :
			    "non-critical");
	}
	return 0;
}

/* Whether the rule for nid was seen. */
static int
ext_seen(unsigned seen, int nid)
{
	size_t	 r;

	for (r = 0; r < EXT_RULES; r++)
		if (ext_rules[r].nid == nid)
			return (seen & (1u << r)) != 0;
	return 0;
}

/* The extensions required and forbidden for c's purpose. */
static int
cert_ext_presence(const char *fn, const struct cert *c, unsigned seen,
    struct err *e)
{
	const struct ext_rule	*rule;
	const char		*rfc = "RFC 6487", *ref;
	size_t			 r;
	int			 have;

	for (r = 0; r < EXT_RULES; r++) {
		rule = &ext_rules[r];
		have = (seen & (1u << r)) != 0;
		ref = rule->ref;
		if (c->purpose == CERT_ROUTER && rule->router_ref != NULL) {
			rfc = "RFC 8209";
			ref = rule->router_ref;
		} else
			rfc = "RFC 6487";
		if (!have && (rule->required & P(c->purpose)))
			return err_set(e, "%s: %s section %s: %s: want present "
			    "in %s certificate, have absent", fn, rfc, ref,
			    rule->name, cert_purpose_a(c->purpose));
		if (have && !(rule->allowed & P(c->purpose)))
			return err_set(e, "%s: %s section %s: %s: want absent "
			    "in %s certificate, have present", fn, rfc, ref,
			    rule->name, cert_purpose_a(c->purpose));
	}
	return 0;
}

/*
 * The purpose from basicConstraints, the key identifiers and
 * extendedKeyUsage (RFC 6487 sections 4.8.1, 4.8.3, 4.8.5; RFC 8209
 * section 3.1.3.2).  Reads the SKI and AKI into c.
 */
static int
cert_purpose(const char *fn, struct cert *c, unsigned seen, struct err *e)
{
	const RpkiTbsCertificate *tbs = &c->x->tbsCertificate;
	int			 ca, self = 0;

	if (certext_ski(fn, c, e) != 0 || certext_aki(fn, c, e) != 0)
		return -1;
	if ((ca = certext_basic_constraints(fn, c, e)) < 0)
		return -1;
	if (ca) {
		/*
		 * Self-issued: the names byte for byte, where X509_NAME_cmp
		 * folded case and spaces; a TA names itself with the same
		 * bytes.
		 */
		if ((!c->has_aki || memcmp(c->aki, c->ski, SKI_LEN) == 0) &&
		    (self = certasn1_name_same(tbs->issuer, tbs->subject)) < 0)
			return err_set(e, "%s: out of memory", fn);
		c->purpose = self ? CERT_TA : CERT_CA;
		return 0;
	}
	if (!ext_seen(seen, NID_ext_key_usage)) {
		c->purpose = CERT_EE;
		return 0;
	}
	if (certext_eku_router(fn, c, e) != 0)
		return -1;
	c->purpose = CERT_ROUTER;
	return 0;
}

/* RFC 7935 section 3: RSA, 2048 bits, exponent 65537, NULL parameters. */
static int
cert_key_rsa(const char *fn, const struct cert *c, struct err *e)
{
	const RpkiSpki		*spki;
	const ASN1_OBJECT	*alg;
	uint64_t		 exp;
	char			 buf[OID_TEXT_MAX];
	int			 ptype;

	spki = c->x->tbsCertificate.subjectPublicKeyInfo;
	X509_ALGOR_get0(&alg, &ptype, NULL, spki->algorithm);
	if (OBJ_obj2nid(alg) != NID_rsaEncryption ||
	    EVP_PKEY_get_base_id(c->pub) != EVP_PKEY_RSA)
		return err_set(e, "%s: RFC 7935 section 3.1: "
		    "subjectPublicKeyInfo: want rsaEncryption, have %s", fn,
		    asn1_oid_text(alg, buf));
	if (ptype != V_ASN1_NULL)
		return err_set(e, "%s: RFC 4055 section 1.2: "
		    "subjectPublicKeyInfo: want NULL parameters, have ASN.1 "
		    "type %d", fn, ptype);
	if (EVP_PKEY_get_bits(c->pub) != 2048)
		return err_set(e, "%s: RFC 7935 section 3: "
		    "subjectPublicKeyInfo: want a 2048-bit RSA modulus, have "
		    "%d bits", fn, EVP_PKEY_get_bits(c->pub));
	if (ossl_rsa_exponent(c->pub, &exp) != 0)
		return err_set(e, "%s: RFC 7935 section 3: "
		    "subjectPublicKeyInfo: want an RSA exponent, have none",
		    fn);
	if (exp != 65537)
		return err_set(e, "%s: RFC 7935 section 3: "
		    "subjectPublicKeyInfo: want exponent 65537, have another",
		    fn);
	return 0;
}

/* RFC 8208 section 3.1: ECDSA P-256, the point uncompressed. */
static int
cert_key_router(const char *fn, struct cert *c, struct err *e)
{
	const RpkiSpki		*spki;
	const unsigned char	*pk;
	unsigned char		*der;
	char			 group[64];
	size_t			 glen = 0;
	int			 pklen, n;

	spki = c->x->tbsCertificate.subjectPublicKeyInfo;
	if (EVP_PKEY_get_base_id(c->pub) != EVP_PKEY_EC)
		return err_set(e, "%s: RFC 8208 section 3.1: "
		    "subjectPublicKeyInfo: want id-ecPublicKey, have key "
		    "type %d", fn, EVP_PKEY_get_base_id(c->pub));
	if (EVP_PKEY_get_group_name(c->pub, group, sizeof(group), &glen) != 1
	    || strcmp(group, SN_X9_62_prime256v1) != 0)
		return err_set(e, "%s: RFC 8208 section 3.1: "
		    "subjectPublicKeyInfo: want curve P-256, have %s", fn,
		    glen > 0 && glen < sizeof(group) ? group : "another");
	pk = ASN1_STRING_get0_data(spki->subjectPublicKey);
	pklen = ASN1_STRING_length(spki->subjectPublicKey);
	if (pklen != 65 || pk[0] != 0x04)
		return err_set(e, "%s: RFC 8208 section 3.1: "
		    "subjectPublicKey: want an uncompressed point, have %d "
		    "octets", fn, pklen);
	/* As i2d_X509_PUBKEY gave it: the DER of the two fields. */
	if ((n = certasn1_spki_der(spki->algorithm, spki->subjectPublicKey,
	    &der)) <= 0)
		return err_set(e, "%s: out of memory", fn);
	if ((c->spki = malloc((size_t)n)) == NULL) {
		OPENSSL_free(der);
		return err_set(e, "%s: out of memory", fn);
	}
	memcpy(c->spki, der, (size_t)n);
	c->spki_len = (size_t)n;
	OPENSSL_free(der);
	return 0;
}

/* RFC 6487 section 4.7: the subject key of c's purpose. */
static int
cert_key(const char *fn, struct cert *c, struct err *e)
{
	const RpkiSpki	*spki = c->x->tbsCertificate.subjectPublicKeyInfo;

	if (c->pub == NULL)
		c->pub = ossl_key_from_spki(spki->algorithm,
		    spki->subjectPublicKey);
	if (c->pub == NULL)
		return err_set(e, "%s: RFC 6487 section 4.7: "
		    "subjectPublicKeyInfo: want a valid key, have "
		    "undecodable", fn);
	if (c->purpose == CERT_ROUTER)
		return cert_key_router(fn, c, e);
	return cert_key_rsa(fn, c, e);
}

/* RFC 6487 sections 4.8.10, 4.8.11; RFC 8630 2.3; RFC 8209 3.1.3.5. */
static int
cert_resources(const char *fn, struct cert *c, struct err *e)
{
	if ((c->res = ipres_parse(fn, c->x->tbsCertificate.extensions, e)) ==
	    NULL)
		return -1;
	if (c->res->present == 0)
		return err_set(e, "%s: RFC 6487 section 4.8.10: resources: "
		    "want sbgp-ipAddrBlock or sbgp-autonomousSysNum, have "
		    "neither", fn);
	if (c->purpose == CERT_TA && c->res->inherit != 0)
		return err_set(e, "%s: RFC 8630 section 2.3: resources: want "
		    "no inherit in a TA certificate, have inherit", fn);
	if (c->purpose == CERT_ROUTER && c->res->inherit != 0)
		return err_set(e, "%s: RFC 8209 section 3.1.3.5: "
		    "sbgp-autonomousSysNum: want AS numbers, have inherit",
		    fn);
	return 0;
}

/* The extension contents for c's purpose (certext.c). */
static int
cert_ext_contents(const char *fn, struct cert *c, struct err *e)
{
	if (certext_key_usage(fn, c, e) != 0 ||
	    certext_policies(fn, c, e) != 0)
		return -1;
	if (c->purpose != CERT_TA && (certext_crldp(fn, c, e) != 0 ||
	    certext_aia(fn, c, e) != 0))
		return -1;
	if (c->purpose == CERT_ROUTER)
		return 0;
	if (c->purpose == CERT_EE)
		return certext_sia_ee(fn, c, e);
	return certext_sia_ca(fn, c, e);
}

struct cert *
cert_take(const char *fn, RpkiCertificate **x, EVP_PKEY **pub,
    struct err *e)
{
	const STACK_OF(X509_EXTENSION) *exts;
	struct cert	*c;
	unsigned	 seen, other;

	if (*x == NULL || (c = calloc(1, sizeof(*c))) == NULL) {
		err_set(e, *x == NULL ? "%s: RFC 5280 section 4.1: "
		    "certificate: want one, have none" : "%s: out of memory",
		    fn);
		certasn1_free(*x);
		EVP_PKEY_free(*pub);
		*x = NULL;
		*pub = NULL;
		return NULL;
	}
	c->x = *x;			/* both move to c */
	c->pub = *pub;
	*x = NULL;
	*pub = NULL;
	exts = c->x->tbsCertificate.extensions;
	if ((c->fn = strdup(fn)) == NULL) {
		err_set(e, "%s: out of memory", fn);
		goto fail;
	}
	if (cert_fields(fn, c, e) != 0 ||
	    cert_ext_scan(fn, exts, &seen, &other, e) != 0 ||
	    cert_purpose(fn, c, seen, e) != 0 ||
	    cert_ext_presence(fn, c, seen, e) != 0 ||
	    cert_ext_contents(fn, c, e) != 0 ||
	    cert_key(fn, c, e) != 0 ||
	    cert_resources(fn, c, e) != 0 ||
	    cert_ext_other(fn, exts, other, e) != 0)
		goto fail;
	return c;
fail:
	ERR_clear_error();
	cert_free(c);
	return NULL;
}

struct cert *
cert_parse(const char *fn, const uint8_t *der, size_t len, struct err *e)
{
	const uint8_t	*p = der;
	RpkiCertificate	*x;
	EVP_PKEY	*pub = NULL;

	if (der == NULL || len == 0 || len > LONG_MAX ||
	    (x = certasn1_decode(der, len, &p)) == NULL) {
		ERR_clear_error();
		err_set(e, "%s: RFC 5280 section 4.1: certificate: want DER, "
		    "have undecodable data", fn);
		return NULL;
	}
	if (p != der + len) {
		certasn1_free(x);
		err_set(e, "%s: RFC 5280 section 4.1: certificate: want "
		    "nothing after it, have %zu more bytes", fn,
		    (size_t)(der + len - p));
		return NULL;
	}
	return cert_take(fn, &x, &pub, e);
}

int
cert_verify_signature(const struct cert *c, EVP_PKEY *issuer_pub,
    struct err *e)
{
	const RpkiTbsCertificate *tbs = &c->x->tbsCertificate;
	const X509_ALGOR	*outer = &c->x->signatureAlgorithm;
	char			 ski[2 * SKI_LEN + 1];

	/*
	 * As X509_verify: both AlgorithmIdentifiers the same, and here
	 * the one algorithm ossl_verify implements (RFC 7935 section 2).
	 */
	if (x509_sigalg_check(c->fn, "RFC 6487 section 4.3",
	    "signatureAlgorithm", outer, e) != 0 ||
	    x509_sigalg_same(c->fn, "RFC 6487 section 4.3", &tbs->signature,
	    outer, e) != 0)
		return -1;
	/* enc: the tbsCertificate as received, tag and length included. */
	if (tbs->enc.enc != NULL && tbs->enc.len > 0 &&
	    x509_sig_verify(tbs->enc.enc, (size_t)tbs->enc.len,
	    &c->x->signature, issuer_pub))
		return 0;
	ERR_clear_error();
	return err_set(e, "%s: RFC 6487 section 7.2: signature: want valid "
	    "under the issuer's key, have invalid (certificate SKI %s)",
	    c->fn, hex_upper_n(c->ski, SKI_LEN, ski));
}

void
cert_free(struct cert *c)
{
	if (c == NULL)
		return;
	free(c->fn);
	certasn1_free(c->x);
	EVP_PKEY_free(c->pub);
	free(c->repo);
	free(c->mft);
	free(c->notify);
	free(c->signedobj);
	free(c->aia);
	free(c->crldp);
	ipres_free(c->res);
	free(c->spki);
	free(c);
}
