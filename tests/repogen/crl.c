/*
 * crl.c - certificate revocation lists as RFC 6487 section 5 profiles
 * them: version 2, signed with SHA-256 and RSA, the issuer's name, this
 * and next update, and exactly two extensions, the Authority Key
 * Identifier and the CRL Number (section 5: no others are allowed).
 */
#include <openssl/x509v3.h>

#include "objects.h"

static int
crl_names(X509_CRL *crl, const char *issuer)
{
	X509_NAME	*nm;
	int		 ok;

	if ((nm = X509_NAME_new()) == NULL)
		return 0;
	ok = X509_NAME_add_entry_by_NID(nm, NID_commonName,
	    V_ASN1_PRINTABLESTRING, (const unsigned char *)issuer, -1, -1,
	    0) && X509_CRL_set_issuer_name(crl, nm);
	X509_NAME_free(nm);
	return ok;
}

static int
crl_revoke(X509_CRL *crl, uint64_t serial, const ASN1_TIME *when)
{
	X509_REVOKED	*r;
	ASN1_INTEGER	*sn;
	int		 ok;

	if ((r = X509_REVOKED_new()) == NULL)
		return 0;
	ok = (sn = ASN1_INTEGER_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(sn, serial) &&
	    X509_REVOKED_set_serialNumber(r, sn) &&
	    X509_REVOKED_set_revocationDate(r, (ASN1_TIME *)when) &&
	    X509_CRL_add0_revoked(crl, r);	/* r belongs to crl now */
	ASN1_INTEGER_free(sn);
	if (!ok)
		X509_REVOKED_free(r);
	return ok;
}

static int
crl_exts(X509_CRL *crl, const uint8_t *ski, uint64_t number)
{
	AUTHORITY_KEYID	*aki;
	ASN1_INTEGER	*num = NULL;
	int		 ok;

	if ((aki = AUTHORITY_KEYID_new()) == NULL)
		return 0;
	ok = (aki->keyid = ASN1_OCTET_STRING_new()) != NULL &&
	    ASN1_OCTET_STRING_set(aki->keyid, ski, SKI_LEN) &&
	    X509_CRL_add1_ext_i2d(crl, NID_authority_key_identifier, aki, 0,
	    X509V3_ADD_DEFAULT) == 1 &&
	    (num = ASN1_INTEGER_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(num, number) &&
	    X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0,
	    X509V3_ADD_DEFAULT) == 1;
	ASN1_INTEGER_free(num);
	AUTHORITY_KEYID_free(aki);
	return ok;
}

int
crl_build(const char *issuer, EVP_PKEY *key, const uint8_t *ski,
    uint64_t number, int64_t this_update, int64_t next_update,
    const uint64_t *revoked, size_t nrevoked, int64_t revtime,
    uint8_t **der, size_t *len, struct err *e)
{
	X509_CRL	*crl;
	ASN1_TIME	*tu = NULL, *nu = NULL, *rt = NULL;
	size_t		 i;
	int		 ok, n = 0;

	*der = NULL;
	if ((crl = X509_CRL_new()) == NULL)
		return err_set(e, "%s CRL: out of memory", issuer);
	ok = X509_CRL_set_version(crl, X509_CRL_VERSION_2) &&
	    crl_names(crl, issuer) &&
	    (tu = ASN1_TIME_set(NULL, (time_t)this_update)) != NULL &&
	    (nu = ASN1_TIME_set(NULL, (time_t)next_update)) != NULL &&
	    (rt = ASN1_TIME_set(NULL, (time_t)revtime)) != NULL &&
	    X509_CRL_set1_lastUpdate(crl, tu) &&
	    X509_CRL_set1_nextUpdate(crl, nu);
	for (i = 0; ok && i < nrevoked; i++)
		ok = crl_revoke(crl, revoked[i], rt);
	ok = ok && X509_CRL_sort(crl) && crl_exts(crl, ski, number) &&
	    X509_CRL_sign(crl, key, EVP_sha256()) > 0 &&
	    (n = i2d_X509_CRL(crl, der)) > 0;
	ASN1_TIME_free(tu);
	ASN1_TIME_free(nu);
	ASN1_TIME_free(rt);
	X509_CRL_free(crl);
	if (!ok)
		return err_set(e, "%s CRL: encoding or signing failed", issuer);
	*len = (size_t)n;
	return 0;
}
