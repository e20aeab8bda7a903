/*
 * crl.c - RFC 6487 section 5 certificate revocation lists.
 *
 * Decoded as OpenSSL's X509_CRL, unlike certificates (certasn1.h): a
 * publication point has one CRL to its dozens or thousands of signed
 * objects, so its decoding cost does not show, and a CRL has no key for
 * OpenSSL to decode on the way.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "asn1util.h"
#include "crl.h"

/*
 * The outer shape of a CertificateList (RFC 5280 section 5.1), to reach
 * the signature AlgorithmIdentifier inside tbsCertList, which OpenSSL 3.0
 * has no accessor for.  The TBS elements stay undecoded (ANY).
 */
typedef struct {
	ASN1_SEQUENCE_ANY	*tbs;
	X509_ALGOR		*alg;
	ASN1_BIT_STRING		*sig;
} CRL_SHAPE;

ASN1_SEQUENCE(CRL_SHAPE) = {
	ASN1_SEQUENCE_OF(CRL_SHAPE, tbs, ASN1_ANY),
	ASN1_SIMPLE(CRL_SHAPE, alg, X509_ALGOR),
	ASN1_SIMPLE(CRL_SHAPE, sig, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(CRL_SHAPE)

/*
 * The signature AlgorithmIdentifier inside tbsCertList of the CRL
 * der[0..len) (already decoded once by d2i_X509_CRL), or NULL.
 */
static X509_ALGOR *
crl_tbs_sigalg(const uint8_t *der, size_t len)
{
	const unsigned char	*p = der;
	CRL_SHAPE		*shape;
	const ASN1_TYPE		*t;
	X509_ALGOR		*inner = NULL;
	int			 i = 0;

	shape = (CRL_SHAPE *)ASN1_item_d2i(NULL, &p, (long)len,
	    ASN1_ITEM_rptr(CRL_SHAPE));
	if (shape == NULL)
		goto out;
	/* The version, an INTEGER, comes first when present. */
	if (sk_ASN1_TYPE_num(shape->tbs) > 0 &&
	    ASN1_TYPE_get(sk_ASN1_TYPE_value(shape->tbs, 0)) == V_ASN1_INTEGER)
		i = 1;
	if (i >= sk_ASN1_TYPE_num(shape->tbs))
		goto out;
	t = sk_ASN1_TYPE_value(shape->tbs, i);
	if (ASN1_TYPE_get(t) != V_ASN1_SEQUENCE)
		goto out;
	p = ASN1_STRING_get0_data(t->value.sequence);
	inner = d2i_X509_ALGOR(NULL, &p,
	    ASN1_STRING_length(t->value.sequence));
out:
	ERR_clear_error();
	ASN1_item_free((ASN1_VALUE *)shape, ASN1_ITEM_rptr(CRL_SHAPE));
	return inner;
}

/*
 * RFC 6487 section 5, RFC 5280 section 5.1.1.2: the signature field of
 * tbsCertList is sha256WithRSAEncryption and equals signatureAlgorithm.
 */
static int
crl_sigalg_same(const char *fn, const uint8_t *der, size_t len,
    const X509_ALGOR *outer, struct err *e)
{
	X509_ALGOR	*inner;
	int		 rc;

	if ((inner = crl_tbs_sigalg(der, len)) == NULL)
		return err_set(e, "%s: RFC 5280 section 5.1: tbsCertList "
		    "signature: want an AlgorithmIdentifier, have undecodable "
		    "data", fn);
	rc = x509_sigalg_check(fn, "RFC 6487 section 5", "signature", inner,
	    e);
	if (rc == 0)
		rc = x509_sigalg_same(fn, "RFC 6487 section 5", inner, outer,
		    e);
	X509_ALGOR_free(inner);
	return rc;
}

/* The authorityKeyIdentifier and cRLNumber, and no other extension. */
static int
crl_extensions(const char *fn, struct crl *crl, struct err *e)
{
	X509_EXTENSION	*ext;
	AUTHORITY_KEYID	*akid = NULL;
	ASN1_INTEGER	*num = NULL;
	char		 buf[OID_TEXT_MAX];
	int		 i, n, nid, crit, seen_aki = 0, seen_num = 0, rc = -1;

	n = X509_CRL_get_ext_count(crl->x);
	for (i = 0; i < n; i++) {
		ext = X509_CRL_get_ext(crl->x, i);
		nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
		if (nid == NID_authority_key_identifier && !seen_aki++)
			continue;
		if (nid == NID_crl_number && !seen_num++)
			continue;
		return err_set(e, "%s: RFC 6487 section 5: crlExtensions: want "
		    "authorityKeyIdentifier and cRLNumber once each, have %s",
		    fn, asn1_oid_text(X509_EXTENSION_get_object(ext), buf));
	}
	if (!seen_aki || !seen_num)
		return err_set(e, "%s: RFC 6487 section 5: crlExtensions: want "
		    "authorityKeyIdentifier and cRLNumber, have no %s", fn,
		    seen_aki ? "cRLNumber" : "authorityKeyIdentifier");
	akid = X509_CRL_get_ext_d2i(crl->x, NID_authority_key_identifier,
	    &crit, NULL);
	if (akid == NULL ||
	    x509_aki_check(fn, "RFC 6487 section 5", akid, crit, crl->aki,
	    e) != 0) {
		if (akid == NULL)
			err_set(e, "%s: RFC 6487 section 5: "
			    "authorityKeyIdentifier: want valid DER, have "
			    "undecodable", fn);
		goto out;
	}
	if ((num = X509_CRL_get_ext_d2i(crl->x, NID_crl_number, &crit,
	    NULL)) == NULL) {
		err_set(e, "%s: RFC 5280 section 5.2.3: cRLNumber: want valid "
		    "DER, have undecodable", fn);
		goto out;
	}
	if (crit) {
		err_set(e, "%s: RFC 5280 section 5.2.3: cRLNumber: want "
		    "non-critical, have critical", fn);
		goto out;
	}
	rc = x509_serial(fn, "RFC 5280 section 5.2.3", "cRLNumber", num, 1,
	    &crl->number, e);
out:
	AUTHORITY_KEYID_free(akid);
	ASN1_INTEGER_free(num);
	return rc;
}

static int
serial_qcmp(const void *a, const void *b)
{
	return x509_serial_cmp(a, b);
}

/* The revoked serials, sorted; no entry extensions (RFC 6487 sec. 5). */
static int
crl_revoked(const char *fn, struct crl *crl, struct err *e)
{
	STACK_OF(X509_REVOKED)	*rs = X509_CRL_get_REVOKED(crl->x);
	const X509_REVOKED	*r;
	int			 i, n;

	if ((n = sk_X509_REVOKED_num(rs)) <= 0)
		return 0;
	if ((crl->revoked = calloc((size_t)n, sizeof(*crl->revoked))) == NULL)
		return err_set(e, "%s: out of memory", fn);
	for (i = 0; i < n; i++) {
		r = sk_X509_REVOKED_value(rs, i);
		if (x509_serial(fn, "RFC 6487 section 5",
		    "revokedCertificates userCertificate",
		    X509_REVOKED_get0_serialNumber(r), 0, &crl->revoked[i],
		    e) != 0)
			return -1;
		if (sk_X509_EXTENSION_num(X509_REVOKED_get0_extensions(r)) > 0)
			return err_set(e, "%s: RFC 6487 section 5: "
			    "crlEntryExtensions: want absent, have %d on entry "
			    "%d", fn, sk_X509_EXTENSION_num(
			    X509_REVOKED_get0_extensions(r)), i + 1);
	}
	crl->nrevoked = (size_t)n;
	qsort(crl->revoked, crl->nrevoked, sizeof(*crl->revoked), serial_qcmp);
	return 0;
}

/* Version, algorithms, issuer and times. */
static int
crl_fields(const char *fn, const uint8_t *der, size_t len, struct crl *crl,
    struct err *e)
{
	const X509_ALGOR	*outer;

	if (X509_CRL_get_version(crl->x) != X509_CRL_VERSION_2)
		return err_set(e, "%s: RFC 6487 section 5: version: want 2, "
		    "have %ld", fn, X509_CRL_get_version(crl->x) + 1);
	X509_CRL_get0_signature(crl->x, NULL, &outer);
	if (x509_sigalg_check(fn, "RFC 6487 section 5", "signatureAlgorithm",
	    outer, e) != 0 || crl_sigalg_same(fn, der, len, outer, e) != 0)
		return -1;
	if (x509_name_check(fn, "RFC 6487 section 4.4", "issuer",
	    X509_CRL_get_issuer(crl->x), e) != 0)
		return -1;
	if (asn1_time_unix(X509_CRL_get0_lastUpdate(crl->x),
	    &crl->thisupdate) != 0)
		return err_set(e, "%s: RFC 5280 section 5.1.2.4: thisUpdate: "
		    "want a valid time, have a malformed one", fn);
	if (X509_CRL_get0_nextUpdate(crl->x) == NULL)
		return err_set(e, "%s: RFC 6487 section 5: nextUpdate: want "
		    "present, have absent", fn);
	if (asn1_time_unix(X509_CRL_get0_nextUpdate(crl->x),
	    &crl->nextupdate) != 0)
		return err_set(e, "%s: RFC 5280 section 5.1.2.5: nextUpdate: "
		    "want a valid time, have a malformed one", fn);
	return 0;
}

struct crl *
crl_parse(const char *fn, const uint8_t *der, size_t len, struct err *e)
{
	const unsigned char	*p = der;
	struct crl		*crl;

	if ((crl = calloc(1, sizeof(*crl))) == NULL ||
	    (crl->fn = strdup(fn)) == NULL) {
		free(crl);
		err_set(e, "%s: out of memory", fn);
		return NULL;
	}
	if (der == NULL || len == 0 || len > LONG_MAX ||
	    (crl->x = d2i_X509_CRL(NULL, &p, (long)len)) == NULL) {
		err_set(e, "%s: RFC 5280 section 5.1: CertificateList: want "
		    "DER, have undecodable data", fn);
		goto fail;
	}
	if (p != der + len) {
		err_set(e, "%s: RFC 5280 section 5.1: CertificateList: want "
		    "nothing after it, have %zu more bytes", fn,
		    (size_t)(der + len - p));
		goto fail;
	}
	if (crl_fields(fn, der, len, crl, e) != 0 ||
	    crl_extensions(fn, crl, e) != 0 ||
	    crl_revoked(fn, crl, e) != 0)
		goto fail;
	return crl;
fail:
	ERR_clear_error();
	crl_free(crl);
	return NULL;
}

int
crl_has_serial(const struct crl *crl, const struct serial *s)
{
	if (crl->nrevoked == 0)
		return 0;
	return bsearch(s, crl->revoked, crl->nrevoked, sizeof(*crl->revoked),
	    serial_qcmp) != NULL;
}

int
crl_is_revoked(const struct crl *crl, const struct cert *c)
{
	return crl_has_serial(crl, &c->serial);
}

int
crl_verify_signature(const struct crl *crl, EVP_PKEY *issuer_pub,
    struct err *e)
{
	const X509_ALGOR	*outer;
	unsigned char		*der = NULL;
	char			 aki[2 * SKI_LEN + 1];
	int			 len, ok = 0;

	/*
	 * Not X509_CRL_verify, which fetches its algorithms on every call
	 * (ossl.h).  The inner signature field was compared with this one
	 * by crl_parse, as X509_CRL_verify would.
	 */
	X509_CRL_get0_signature(crl->x, NULL, &outer);
	if (x509_sigalg_check(crl->fn, "RFC 6487 section 5",
	    "signatureAlgorithm", outer, e) != 0)
		return -1;
	if ((len = i2d_X509_CRL(crl->x, &der)) > 0)
		ok = x509_signed_verify(der, (size_t)len, issuer_pub);
	OPENSSL_free(der);
	if (ok)
		return 0;
	ERR_clear_error();
	return err_set(e, "%s: RFC 6487 section 5: signature: want valid "
	    "under the issuer's key, have invalid (CRL AKI %s)", crl->fn,
	    hex_upper_n(crl->aki, SKI_LEN, aki));
}

void
crl_free(struct crl *crl)
{
	if (crl == NULL)
		return;
	free(crl->fn);
	X509_CRL_free(crl->x);
	free(crl->revoked);
	free(crl);
}
