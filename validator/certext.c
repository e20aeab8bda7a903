/*
 * certext.c - reading and checking the contents of the RFC 6487 section
 * 4.8 extensions: key identifiers, basic constraints, key usages,
 * policies, and the access and distribution point URIs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "asn1util.h"
#include "certext.h"

/*
 * Decode extension nid of c and set *crit to its criticality.  Returns
 * it, or NULL: *crit == -1 if c has none (not an error), else an
 * undecodable or repeated one (in e).
 */
static void *
ext_get(const char *fn, const struct cert *c, int nid, const char *name,
    int *crit, struct err *e)
{
	void	*v;

	/* X509_get_ext_d2i is this on an X509's extensions. */
	if ((v = X509V3_get_d2i(c->x->tbsCertificate.extensions, nid, crit,
	    NULL)) != NULL)
		return v;
	ERR_clear_error();
	if (*crit == -1)
		return NULL;
	if (*crit == -2)
		err_set(e, "%s: RFC 5280 section 4.2: %s: want one instance, "
		    "have several", fn, name);
	else
		err_set(e, "%s: RFC 5280 section 4.2: %s: want valid DER, "
		    "have undecodable", fn, name);
	return NULL;
}

int
certext_ski(const char *fn, struct cert *c, struct err *e)
{
	ASN1_OCTET_STRING	*os;
	uint8_t			 want[SKI_LEN];
	int			 crit, rc = -1;

	os = ext_get(fn, c, NID_subject_key_identifier,
	    "subjectKeyIdentifier", &crit, e);
	if (os == NULL)
		return crit == -1 ? err_set(e, "%s: RFC 6487 section 4.8.2: "
		    "subjectKeyIdentifier: want present, have absent", fn) :
		    -1;
	if (ASN1_STRING_length(os) != SKI_LEN) {
		err_set(e, "%s: RFC 6487 section 4.8.2: subjectKeyIdentifier: "
		    "want %d octets, have %d", fn, SKI_LEN,
		    ASN1_STRING_length(os));
		goto out;
	}
	memcpy(c->ski, ASN1_STRING_get0_data(os), SKI_LEN);
	if (x509_key_id(c->x->tbsCertificate.subjectPublicKeyInfo->
	    subjectPublicKey, want) != 0 ||
	    memcmp(want, c->ski, SKI_LEN) != 0) {
		err_set(e, "%s: RFC 6487 section 4.8.2: subjectKeyIdentifier: "
		    "want the SHA-1 of the subject public key, have another "
		    "value", fn);
		goto out;
	}
	rc = 0;
out:
	ASN1_OCTET_STRING_free(os);
	return rc;
}

int
certext_aki(const char *fn, struct cert *c, struct err *e)
{
	AUTHORITY_KEYID	*akid;
	int		 crit, rc;

	akid = ext_get(fn, c, NID_authority_key_identifier,
	    "authorityKeyIdentifier", &crit, e);
	if (akid == NULL)
		return crit == -1 ? 0 : -1;
	rc = x509_aki_check(fn, "RFC 6487 section 4.8.3", akid, crit, c->aki,
	    e);
	c->has_aki = rc == 0;
	AUTHORITY_KEYID_free(akid);
	return rc;
}

int
certext_basic_constraints(const char *fn, const struct cert *c,
    struct err *e)
{
	BASIC_CONSTRAINTS	*bc;
	int			 crit, rc = -1;

	if ((bc = ext_get(fn, c, NID_basic_constraints, "basicConstraints",
	    &crit, e)) == NULL)
		return crit == -1 ? 0 : -1;
	if (!bc->ca)
		err_set(e, "%s: RFC 6487 section 4.8.1: basicConstraints: "
		    "want cA TRUE (or no extension), have cA FALSE", fn);
	else if (bc->pathlen != NULL)
		err_set(e, "%s: RFC 6487 section 4.8.1: basicConstraints: "
		    "want no pathLenConstraint, have one", fn);
	else
		rc = 1;
	BASIC_CONSTRAINTS_free(bc);
	return rc;
}

int
certext_eku_router(const char *fn, const struct cert *c,
    struct err *e)
{
	EXTENDED_KEY_USAGE	*eku;
	char			 buf[OID_TEXT_MAX];
	int			 crit, i, n, rc = -1;

	if ((eku = ext_get(fn, c, NID_ext_key_usage, "extendedKeyUsage",
	    &crit, e)) == NULL)
		return crit == -1 ? err_set(e, "%s: RFC 8209 section 3.1.3.2: "
		    "extendedKeyUsage: want present, have absent", fn) : -1;
	n = sk_ASN1_OBJECT_num(eku);
	for (i = 0; i < n; i++)
		if (asn1_oid_is(sk_ASN1_OBJECT_value(eku, i),
		    "1.3.6.1.5.5.7.3.30"))
			rc = 0;
	if (rc != 0)
		err_set(e, "%s: RFC 6487 section 4.8.5: extendedKeyUsage: "
		    "want absent, or id-kp-bgpsec-router (1.3.6.1.5.5.7.3.30) "
		    "in a router certificate (RFC 8209 section 3.1.3.2), "
		    "have %s", fn, n > 0 ?
		    asn1_oid_text(sk_ASN1_OBJECT_value(eku, 0), buf) : "none");
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return rc;
}

/* Bit names of keyUsage (RFC 5280 section 4.2.1.3). */
static const char *const ku_names[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment",
	"dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
	"encipherOnly", "decipherOnly",
};

#define KU_BITS		9
#define KU_OTHER	(1u << KU_BITS)		/* a bit past decipherOnly */

/* The names of the bits of mask, comma separated, into buf. */
static const char *
ku_text(unsigned mask, char *buf, size_t sz)
{
	size_t	 len = 0;
	int	 i;

	buf[0] = '\0';
	for (i = 0; i <= KU_BITS; i++) {
		if (!(mask & (1u << i)))
			continue;
		len += (size_t)snprintf(buf + len, sz - len, "%s%s",
		    len ? "," : "", i < KU_BITS ? ku_names[i] : "(unknown)");
		if (len >= sz)
			break;
	}
	return mask ? buf : "none";
}

int
certext_key_usage(const char *fn, const struct cert *c,
    struct err *e)
{
	ASN1_BIT_STRING	*ku;
	char		 want[128], have[128];
	unsigned	 mask = 0, wmask;
	int		 crit, i, n, rc = -1;

	if ((ku = ext_get(fn, c, NID_key_usage, "keyUsage", &crit,
	    e)) == NULL)
		return crit == -1 ? err_set(e, "%s: RFC 6487 section 4.8.4: "
		    "keyUsage: want present, have absent", fn) : -1;
	n = ASN1_STRING_length(ku) * 8;
	for (i = 0; i < n; i++)
		if (ASN1_BIT_STRING_get_bit(ku, i))
			mask |= i < KU_BITS ? 1u << i : KU_OTHER;
	if (c->purpose == CERT_TA || c->purpose == CERT_CA)
		wmask = 1u << 5 | 1u << 6;	/* keyCertSign, cRLSign */
	else
		wmask = 1u << 0;		/* digitalSignature */
	if (mask != wmask)
		err_set(e, "%s: RFC 6487 section 4.8.4: keyUsage: want %s in "
		    "%s certificate, have %s", fn,
		    ku_text(wmask, want, sizeof(want)),
		    cert_purpose_a(c->purpose),
		    ku_text(mask, have, sizeof(have)));
	else
		rc = 0;
	ASN1_BIT_STRING_free(ku);
	return rc;
}

/* One policy qualifier at most, a CPS pointer (RFC 7318 section 2). */
static int
policy_qualifiers(const char *fn, const POLICYINFO *pi, struct err *e)
{
	const POLICYQUALINFO	*q;
	char			 buf[OID_TEXT_MAX];
	int			 n;

	if (pi->qualifiers == NULL ||
	    (n = sk_POLICYQUALINFO_num(pi->qualifiers)) == 0)
		return 0;
	if (n > 1)
		return err_set(e, "%s: RFC 7318 section 2: "
		    "certificatePolicies: want at most one policy qualifier, "
		    "have %d", fn, n);
	q = sk_POLICYQUALINFO_value(pi->qualifiers, 0);
	if (OBJ_obj2nid(q->pqualid) != NID_id_qt_cps)
		return err_set(e, "%s: RFC 7318 section 2: "
		    "certificatePolicies: want the id-qt-cps qualifier, "
		    "have %s", fn, asn1_oid_text(q->pqualid, buf));
	return 0;
}

int
certext_policies(const char *fn, const struct cert *c,
    struct err *e)
{
	CERTIFICATEPOLICIES	*cp;
	const POLICYINFO	*pi;
	char			 buf[OID_TEXT_MAX];
	int			 crit, n, rc = -1;

	if ((cp = ext_get(fn, c, NID_certificate_policies,
	    "certificatePolicies", &crit, e)) == NULL)
		return crit == -1 ? err_set(e, "%s: RFC 6487 section 4.8.9: "
		    "certificatePolicies: want present, have absent", fn) : -1;
	if ((n = sk_POLICYINFO_num(cp)) != 1) {
		err_set(e, "%s: RFC 6487 section 4.8.9: certificatePolicies: "
		    "want exactly one policy, have %d", fn, n);
		goto out;
	}
	pi = sk_POLICYINFO_value(cp, 0);
	if (OBJ_obj2nid(pi->policyid) != NID_ipAddr_asNumber) {
		err_set(e, "%s: RFC 6484 section 1.2: certificatePolicies: "
		    "want 1.3.6.1.5.5.7.14.2, have %s", fn,
		    asn1_oid_text(pi->policyid, buf));
		goto out;
	}
	rc = policy_qualifiers(fn, pi, e);
out:
	CERTIFICATEPOLICIES_free(cp);
	return rc;
}

/* The rsync URI of one distribution point's fullName into c->crldp. */
static int
crldp_point(const char *fn, const DIST_POINT *dp, struct cert *c,
    struct err *e)
{
	static const char	 ref[] = "RFC 6487 section 4.8.6";
	const GENERAL_NAME	*gn;
	int			 i, n;

	if (dp->reasons != NULL || dp->CRLissuer != NULL)
		return err_set(e, "%s: %s: cRLDistributionPoints: want "
		    "distributionPoint only, have reasons or cRLIssuer", fn,
		    ref);
	if (dp->distpoint == NULL || dp->distpoint->type != 0)
		return err_set(e, "%s: %s: cRLDistributionPoints: want a "
		    "fullName, have %s", fn, ref, dp->distpoint == NULL ?
		    "none" : "nameRelativeToCRLIssuer");
	n = sk_GENERAL_NAME_num(dp->distpoint->name.fullname);
	for (i = 0; i < n; i++) {
		gn = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, i);
		if (gn->type != GEN_URI)
			return err_set(e, "%s: %s: cRLDistributionPoints: want "
			    "URIs only, have GeneralName type %d", fn, ref,
			    gn->type);
		if (x509_gn_uri(fn, ref, "cRLDistributionPoints", gn, "rsync",
		    &c->crldp, e) < 0)
			return -1;
	}
	if (c->crldp == NULL)
		return err_set(e, "%s: %s: cRLDistributionPoints: want an "
		    "rsync URI, have none", fn, ref);
	return 0;
}

int
certext_crldp(const char *fn, struct cert *c, struct err *e)
{
	CRL_DIST_POINTS	*dps;
	int		 crit, n, rc = -1;

	if ((dps = ext_get(fn, c, NID_crl_distribution_points,
	    "cRLDistributionPoints", &crit, e)) == NULL)
		return crit == -1 ? err_set(e, "%s: RFC 6487 section 4.8.6: "
		    "cRLDistributionPoints: want present, have absent", fn) :
		    -1;
	if ((n = sk_DIST_POINT_num(dps)) != 1)
		err_set(e, "%s: RFC 6487 section 4.8.6: cRLDistributionPoints: "
		    "want one DistributionPoint, have %d", fn, n);
	else
		rc = crldp_point(fn, sk_DIST_POINT_value(dps, 0), c, e);
	CRL_DIST_POINTS_free(dps);
	return rc;
}

int
certext_aia(const char *fn, struct cert *c, struct err *e)
{
	static const char	 ref[] = "RFC 6487 section 4.8.7";
	AUTHORITY_INFO_ACCESS	*aia;
	const ACCESS_DESCRIPTION *ad;
	char			 buf[OID_TEXT_MAX];
	int			 crit, i, n, rc = -1;

	if ((aia = ext_get(fn, c, NID_info_access, "authorityInfoAccess",
	    &crit, e)) == NULL)
		return crit == -1 ? err_set(e, "%s: %s: authorityInfoAccess: "
		    "want present, have absent", fn, ref) : -1;
	n = sk_ACCESS_DESCRIPTION_num(aia);
	for (i = 0; i < n; i++) {
		ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		if (OBJ_obj2nid(ad->method) != NID_ad_ca_issuers) {
			err_set(e, "%s: %s: authorityInfoAccess: want "
			    "caIssuers only, have %s", fn, ref,
			    asn1_oid_text(ad->method, buf));
			goto out;
		}
		if (x509_gn_uri(fn, ref, "authorityInfoAccess caIssuers",
		    ad->location, "rsync", &c->aia, e) < 0)
			goto out;
	}
	if (c->aia == NULL)
		err_set(e, "%s: %s: authorityInfoAccess: want an rsync "
		    "caIssuers URI, have none", fn, ref);
	else
		rc = 0;
out:
	AUTHORITY_INFO_ACCESS_free(aia);
	return rc;
}

/* The URIs of a CA's SIA; counts of each access method in n[3]. */
static int
sia_ca_scan(const char *fn, AUTHORITY_INFO_ACCESS *sia, struct cert *c,
    int n[3], struct err *e)
{
	static const char	 ref[] = "RFC 6487 section 4.8.8.1";
	const ACCESS_DESCRIPTION *ad;
	int			 i, rc = 0;

	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(sia) && rc >= 0; i++) {
		ad = sk_ACCESS_DESCRIPTION_value(sia, i);
		switch (OBJ_obj2nid(ad->method)) {
		case NID_caRepository:
			n[0]++;
			rc = x509_gn_uri(fn, ref, "subjectInfoAccess "
			    "caRepository", ad->location, "rsync", &c->repo, e);
			break;
		case NID_rpkiManifest:
			n[1]++;
			rc = x509_gn_uri(fn, ref, "subjectInfoAccess "
			    "rpkiManifest", ad->location, "rsync", &c->mft, e);
			break;
		case NID_rpkiNotify:
			n[2]++;
			rc = x509_gn_uri(fn, "RFC 8182 section 3.2",
			    "subjectInfoAccess rpkiNotify", ad->location,
			    "https", &c->notify, e);
			break;
		default:	/* other access methods may appear */
			break;
		}
	}
	return rc < 0 ? -1 : 0;
}

int
certext_sia_ca(const char *fn, struct cert *c, struct err *e)
{
	static const char	 ref[] = "RFC 6487 section 4.8.8.1";
	AUTHORITY_INFO_ACCESS	*sia;
	int			 crit, n[3] = { 0, 0, 0 }, rc = -1;
	size_t			 len;

	if ((sia = ext_get(fn, c, NID_sinfo_access, "subjectInfoAccess",
	    &crit, e)) == NULL)
		return crit == -1 ? err_set(e, "%s: %s: subjectInfoAccess: "
		    "want present, have absent", fn, ref) : -1;
	if (sia_ca_scan(fn, sia, c, n, e) != 0)
		goto out;
	if (c->repo == NULL)
		err_set(e, "%s: %s: subjectInfoAccess: want an rsync "
		    "caRepository URI, have %s", fn, ref, n[0] ? "other URIs" :
		    "none");
	else if ((len = strlen(c->repo)) == 0 || c->repo[len - 1] != '/')
		err_set(e, "%s: %s: subjectInfoAccess caRepository: want a "
		    "directory URI ending in '/', have \"%s\"", fn, ref,
		    c->repo);
	else if (c->mft == NULL)
		err_set(e, "%s: %s: subjectInfoAccess: want an rsync "
		    "rpkiManifest URI, have %s", fn, ref, n[1] ? "other URIs" :
		    "none");
	else if ((len = strlen(c->mft)) == 0 || c->mft[len - 1] == '/')
		err_set(e, "%s: %s: subjectInfoAccess rpkiManifest: want a "
		    "file URI, have \"%s\"", fn, ref, c->mft);
	else if (n[2] > 0 && c->notify == NULL)
		err_set(e, "%s: RFC 8182 section 3.2: subjectInfoAccess "
		    "rpkiNotify: want an https URI, have other URIs", fn);
	else
		rc = 0;
out:
	AUTHORITY_INFO_ACCESS_free(sia);
	return rc;
}

int
certext_sia_ee(const char *fn, struct cert *c, struct err *e)
{
	static const char	 ref[] = "RFC 6487 section 4.8.8.2";
	AUTHORITY_INFO_ACCESS	*sia;
	const ACCESS_DESCRIPTION *ad;
	char			 buf[OID_TEXT_MAX];
	int			 crit, i, n, rc = -1;

	if ((sia = ext_get(fn, c, NID_sinfo_access, "subjectInfoAccess",
	    &crit, e)) == NULL)
		return crit == -1 ? err_set(e, "%s: %s: subjectInfoAccess: "
		    "want present, have absent", fn, ref) : -1;
	n = sk_ACCESS_DESCRIPTION_num(sia);
	for (i = 0; i < n; i++) {
		ad = sk_ACCESS_DESCRIPTION_value(sia, i);
		if (OBJ_obj2nid(ad->method) != NID_signedObject) {
			err_set(e, "%s: %s: subjectInfoAccess: want "
			    "signedObject only in an EE certificate, have %s",
			    fn, ref, asn1_oid_text(ad->method, buf));
			goto out;
		}
		if (x509_gn_uri(fn, ref, "subjectInfoAccess signedObject",
		    ad->location, "rsync", &c->signedobj, e) < 0)
			goto out;
	}
	if (c->signedobj == NULL)
		err_set(e, "%s: %s: subjectInfoAccess: want an rsync "
		    "signedObject URI, have none", fn, ref);
	else
		rc = 0;
out:
	AUTHORITY_INFO_ACCESS_free(sia);
	return rc;
}
