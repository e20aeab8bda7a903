/*
 * cert.c - resource certificates as RFC 6487 profiles them: trust anchor,
 * CA, the EE certificate of a signed object, and the BGPsec router
 * certificate of RFC 8209.
 *
 * Extensions, by section of RFC 6487 (4.8):
 *   4.8.1 basicConstraints  critical, cA TRUE, no pathLen; CA and TA only
 *   4.8.2 subjectKeyIdentifier  SHA-1 of the subjectPublicKey
 *   4.8.3 authorityKeyIdentifier  keyIdentifier only; not on the TA
 *   4.8.4 keyUsage  critical: keyCertSign|cRLSign (CA), digitalSignature (EE)
 *   4.8.6 cRLDistributionPoints  one rsync URI; not on the TA
 *   4.8.7 authorityInfoAccess  caIssuers rsync URI; not on the TA
 *   4.8.8 subjectInfoAccess  CA: caRepository, rpkiManifest, rpkiNotify
 *         (RFC 8182 3.2); EE: signedObject; none on a router certificate
 *   4.8.9 certificatePolicies  critical, id-cp-ipAddr-asNumber (RFC 6484)
 *   4.8.10/11 RFC 3779 IP and AS resources, critical, canonical
 *   RFC 8209 3.1.3.2: router EKU id-kp-bgpsec-router, AS resources only.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "objects.h"

#define OID_AD_CA_REPO	"1.3.6.1.5.5.7.48.5"
#define OID_AD_MFT	"1.3.6.1.5.5.7.48.10"
#define OID_AD_SIGNED	"1.3.6.1.5.5.7.48.11"
#define OID_AD_NOTIFY	"1.3.6.1.5.5.7.48.13"
#define OID_CP_RPKI	"1.3.6.1.5.5.7.14.2"
#define OID_KP_BGPSEC	"1.3.6.1.5.5.7.3.30"

int
key_ski(EVP_PKEY *k, uint8_t ski[SKI_LEN])
{
	X509_PUBKEY		*xp = NULL;
	const unsigned char	*pk;
	int			 pklen, rc = -1;

	if (X509_PUBKEY_set(&xp, k) &&
	    X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL, xp)) {
		SHA1(pk, (size_t)pklen, ski);
		rc = 0;
	}
	X509_PUBKEY_free(xp);
	return rc;
}

int
cert_der(X509 *x, uint8_t **der, size_t *len, struct err *e)
{
	int n;

	*der = NULL;
	if ((n = i2d_X509(x, der)) <= 0)
		return err_set(e, "certificate encoding failed");
	*len = (size_t)n;
	return 0;
}

/* The reason of OpenSSL's last error, for messages. */
static const char *
ossl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_last_error());

	return r != NULL ? r : "no reason given";
}

/* A Name of one CommonName, a PrintableString (RFC 6487 section 4.4). */
static int
set_name(X509 *x, const char *cn, int subject)
{
	X509_NAME	*nm;
	int		 ok;

	if ((nm = X509_NAME_new()) == NULL)
		return 0;
	ok = X509_NAME_add_entry_by_NID(nm, NID_commonName,
	    V_ASN1_PRINTABLESTRING, (const unsigned char *)cn, -1, -1, 0) &&
	    (subject ? X509_set_subject_name(x, nm) :
	    X509_set_issuer_name(x, nm));
	X509_NAME_free(nm);
	return ok;
}

/* Add an extension from its OpenSSL configuration text. */
static int
add_conf(X509 *x, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	int		 ok;

	X509V3_set_ctx(&ctx, NULL, x, NULL, NULL, 0);
	X509V3_set_ctx_nodb(&ctx);
	if ((ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* 1 if prefix a lies within b (same family). */
static int
prefix_within(const struct rg_prefix *a, const struct rg_prefix *b)
{
	unsigned	 i, full = b->plen / 8, rest = b->plen % 8;

	if (a->afi != b->afi || a->plen < b->plen)
		return 0;
	for (i = 0; i < full; i++)
		if (a->addr[i] != b->addr[i])
			return 0;
	return rest == 0 ||
	    ((a->addr[full] ^ b->addr[full]) & (0xff << (8 - rest))) == 0;
}

/*
 * 1 if prefix i of list p is covered by another one (the first of equal
 * ones stays): RFC 3779 resources must not overlap (section 2.2.3.6),
 * and a ROA may list a prefix and a more specific of it.
 */
static int
prefix_covered(const struct rg_prefix *p, size_t n, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (j != i && prefix_within(&p[i], &p[j]) &&
		    (p[j].plen < p[i].plen || j < i))
			return 1;
	return 0;
}

static int
add_ip_family(IPAddrBlocks *blk, unsigned afi, const struct ip_res *r)
{
	unsigned	 ianafi = afi == AFI_IPV4 ? IANA_AFI_IPV4 : IANA_AFI_IPV6;
	size_t		 i;

	switch (r->kind) {
	case RES_NONE:
		return 1;
	case RES_INHERIT:
		return X509v3_addr_add_inherit(blk, ianafi, NULL);
	case RES_RANGE:
		return X509v3_addr_add_range(blk, ianafi, NULL,
		    (unsigned char *)r->range->lo,
		    (unsigned char *)r->range->hi);
	case RES_PREFIXES:
		for (i = 0; i < r->npfx; i++) {
			if (r->pfx[i].afi != afi ||
			    prefix_covered(r->pfx, r->npfx, i))
				continue;
			if (!X509v3_addr_add_prefix(blk, ianafi, NULL,
			    (unsigned char *)r->pfx[i].addr, r->pfx[i].plen))
				return 0;
		}
		return 1;
	}
	return 0;
}

/* RFC 3779 section 2: sbgp-ipAddrBlock, critical, canonical. */
static int
add_ip(X509 *x, const struct cert_spec *s)
{
	IPAddrBlocks	*blk;
	int		 ok;

	if (s->v4.kind == RES_NONE && s->v6.kind == RES_NONE)
		return 1;
	if ((blk = sk_IPAddressFamily_new_null()) == NULL)
		return 0;
	ok = add_ip_family(blk, AFI_IPV4, &s->v4) &&
	    add_ip_family(blk, AFI_IPV6, &s->v6) &&
	    X509v3_addr_canonize(blk) &&
	    X509_add1_ext_i2d(x, NID_sbgp_ipAddrBlock, blk, 1,
	    X509V3_ADD_DEFAULT) == 1;
	sk_IPAddressFamily_pop_free(blk, IPAddressFamily_free);
	return ok;
}

/* RFC 3779 section 3: sbgp-autonomousSysNum, critical, canonical. */
static int
add_as(X509 *x, const struct cert_spec *s)
{
	ASIdentifiers	*asid;
	ASN1_INTEGER	*lo = NULL, *hi = NULL;
	int		 ok = 0;

	if (s->as.kind == RES_NONE)
		return 1;
	if ((asid = ASIdentifiers_new()) == NULL)
		return 0;
	if (s->as.kind == RES_INHERIT)
		ok = X509v3_asid_add_inherit(asid, V3_ASID_ASNUM);
	else if ((lo = ASN1_INTEGER_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(lo, s->as.lo) &&
	    (s->as.lo == s->as.hi || ((hi = ASN1_INTEGER_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(hi, s->as.hi)))) {
		/* Ownership of lo and hi passes to asid on success. */
		if ((ok = X509v3_asid_add_id_or_range(asid, V3_ASID_ASNUM, lo,
		    hi)))
			lo = hi = NULL;
	}
	ok = ok && X509v3_asid_canonize(asid) &&
	    X509_add1_ext_i2d(x, NID_sbgp_autonomousSysNum, asid, 1,
	    X509V3_ADD_DEFAULT) == 1;
	ASN1_INTEGER_free(lo);
	ASN1_INTEGER_free(hi);
	ASIdentifiers_free(asid);
	return ok;
}

static int
add_key_ids(X509 *x, const struct cert_spec *s)
{
	ASN1_OCTET_STRING	*ski;
	AUTHORITY_KEYID		*aki = NULL;
	int			 ok;

	if ((ski = ASN1_OCTET_STRING_new()) == NULL)
		return 0;
	ok = ASN1_OCTET_STRING_set(ski, s->ski, SKI_LEN) &&
	    X509_add1_ext_i2d(x, NID_subject_key_identifier, ski, 0,
	    X509V3_ADD_DEFAULT) == 1;
	if (ok && s->kind != CERT_TA) {
		ok = (aki = AUTHORITY_KEYID_new()) != NULL &&
		    (aki->keyid = ASN1_OCTET_STRING_new()) != NULL &&
		    ASN1_OCTET_STRING_set(aki->keyid, s->issuer_ski,
		    SKI_LEN) &&
		    X509_add1_ext_i2d(x, NID_authority_key_identifier, aki, 0,
		    X509V3_ADD_DEFAULT) == 1;
	}
	AUTHORITY_KEYID_free(aki);
	ASN1_OCTET_STRING_free(ski);
	return ok;
}

static int
add_usage(X509 *x, const struct cert_spec *s)
{
	BASIC_CONSTRAINTS	*bc = NULL;
	ASN1_BIT_STRING		*ku;
	int			 ok, ca = s->kind == CERT_TA ||
				    s->kind == CERT_CA;

	if ((ku = ASN1_BIT_STRING_new()) == NULL)
		return 0;
	if (ca)
		ok = ASN1_BIT_STRING_set_bit(ku, 5, 1) &&	/* keyCertSign */
		    ASN1_BIT_STRING_set_bit(ku, 6, 1);		/* cRLSign */
	else
		ok = ASN1_BIT_STRING_set_bit(ku, 0, 1);	/* digitalSignature */
	ok = ok && X509_add1_ext_i2d(x, NID_key_usage, ku, 1,
	    X509V3_ADD_DEFAULT) == 1;
	if (ok && ca) {
		ok = (bc = BASIC_CONSTRAINTS_new()) != NULL;
		if (ok) {
			bc->ca = 0xff;
			ok = X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1,
			    X509V3_ADD_DEFAULT) == 1;
		}
	}
	BASIC_CONSTRAINTS_free(bc);
	ASN1_BIT_STRING_free(ku);
	return ok;
}

/* RFC 6487 section 4.8.9: one policy, no qualifiers, critical. */
static int
add_policy(X509 *x)
{
	CERTIFICATEPOLICIES	*cp;
	POLICYINFO		*pi = NULL;
	int			 ok;

	if ((cp = sk_POLICYINFO_new_null()) == NULL)
		return 0;
	ok = (pi = POLICYINFO_new()) != NULL &&
	    (pi->policyid = OBJ_txt2obj(OID_CP_RPKI, 1)) != NULL &&
	    sk_POLICYINFO_push(cp, pi);
	if (!ok)
		POLICYINFO_free(pi);
	ok = ok && X509_add1_ext_i2d(x, NID_certificate_policies, cp, 1,
	    X509V3_ADD_DEFAULT) == 1;
	sk_POLICYINFO_pop_free(cp, POLICYINFO_free);
	return ok;
}

/* CRLDP, AIA, SIA, policies and the router EKU. */
static int
add_access(X509 *x, const struct cert_spec *s)
{
	char	 v[4 * RG_URI_MAX];

	if (s->kind != CERT_TA) {
		snprintf(v, sizeof(v), "URI:%s", s->crldp);
		if (!add_conf(x, NID_crl_distribution_points, v))
			return 0;
		snprintf(v, sizeof(v), "caIssuers;URI:%s", s->aia);
		if (!add_conf(x, NID_info_access, v))
			return 0;
	}
	v[0] = '\0';
	if (s->kind == CERT_TA || s->kind == CERT_CA) {
		snprintf(v, sizeof(v), OID_AD_CA_REPO ";URI:%s,"
		    OID_AD_MFT ";URI:%s", s->repo, s->mft);
		if (s->notify != NULL)
			snprintf(v + strlen(v), sizeof(v) - strlen(v),
			    "," OID_AD_NOTIFY ";URI:%s", s->notify);
	} else if (s->kind == CERT_EE)
		snprintf(v, sizeof(v), OID_AD_SIGNED ";URI:%s",
		    s->signed_object);
	if (v[0] != '\0' && !add_conf(x, NID_sinfo_access, v))
		return 0;
	if (!add_policy(x))
		return 0;
	if (s->kind == CERT_ROUTER &&
	    !add_conf(x, NID_ext_key_usage, OID_KP_BGPSEC))
		return 0;
	return 1;
}

X509 *
cert_build(const struct cert_spec *s, struct err *e)
{
	X509		*x;
	ASN1_INTEGER	*sn = NULL;
	ASN1_TIME	*nb = NULL, *na = NULL;
	int		 ok;

	if ((x = X509_new()) == NULL) {
		err_set(e, "%s: out of memory", s->subject);
		return NULL;
	}
	ok = X509_set_version(x, X509_VERSION_3) &&
	    (sn = ASN1_INTEGER_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(sn, s->serial) &&
	    X509_set_serialNumber(x, sn) &&
	    set_name(x, s->subject, 1) && set_name(x, s->issuer, 0) &&
	    (nb = ASN1_TIME_set(NULL, (time_t)s->not_before)) != NULL &&
	    (na = ASN1_TIME_set(NULL, (time_t)s->not_after)) != NULL &&
	    X509_set1_notBefore(x, nb) && X509_set1_notAfter(x, na) &&
	    X509_set_pubkey(x, s->key);
	if (!ok)
		err_set(e, "%s: setting the certificate fields failed",
		    s->subject);
	else if (!add_usage(x, s) || !add_key_ids(x, s) ||
	    !add_access(x, s) || !add_ip(x, s) || !add_as(x, s)) {
		ok = 0;
		err_set(e, "%s: adding the RFC 6487 extensions failed (%s)",
		    s->subject, ossl_reason());
	} else if (X509_sign(x, s->issuer_key, EVP_sha256()) <= 0) {
		ok = 0;
		err_set(e, "%s: signing failed", s->subject);
	}
	ASN1_INTEGER_free(sn);
	ASN1_TIME_free(nb);
	ASN1_TIME_free(na);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}
