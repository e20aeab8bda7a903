/*
 * aspa.c - the eContent of an ASPA object, eContentType id-ct-ASPA
 * (1.2.840.113549.1.9.16.1.49) in both profiles, encoded with OpenSSL's
 * ASN.1 templates.
 *
 * Version 0, the profile of draft-ietf-sidrops-aspa-profile-08 (the one
 * rpki-client 8.x parses, and the only one: its source says "ASPA
 * eContent draft-ietf-sidrops-aspa-profile-08"):
 *
 *   ASProviderAttestation ::= SEQUENCE {
 *     version [0] ASPAVersion DEFAULT v0,   -- left out (DER)
 *     customerASID ASID,
 *     providers ProviderASSet }
 *   ProviderASSet ::= SEQUENCE (SIZE(1..MAX)) OF ProviderAS
 *   ProviderAS ::= SEQUENCE {
 *     providerASID ASID,
 *     afiLimit AddressFamilyIdentifier OPTIONAL }  -- left out: both AFIs
 *
 * Version 1, the current profile (later drafts; current rpki-client
 * cites draft-ietf-sidrops-aspa-profile-20): version [0] EXPLICIT
 * INTEGER, present and 1; providers is a SEQUENCE (SIZE(1..MAX)) OF
 * ASID; no AFI limits.
 *
 * In both, providers are in ascending order without duplicates and never
 * the customer.  Without AFI limits both carry the same payload: the
 * customer and its set of providers, valid for IPv4 and IPv6.
 */
#include <openssl/asn1t.h>

#include "objects.h"

typedef struct {
	ASN1_INTEGER		*providerASID;
	ASN1_OCTET_STRING	*afiLimit;
} ProviderAS;

DEFINE_STACK_OF(ProviderAS)

typedef struct {
	ASN1_INTEGER		*version;
	ASN1_INTEGER		*customerASID;
	STACK_OF(ProviderAS)	*providers;
} ASProviderAttestationV0;

typedef struct {
	ASN1_INTEGER		*version;
	ASN1_INTEGER		*customerASID;
	STACK_OF(ASN1_INTEGER)	*providers;
} ASProviderAttestation;

DECLARE_ASN1_FUNCTIONS(ProviderAS)
DECLARE_ASN1_FUNCTIONS(ASProviderAttestationV0)
DECLARE_ASN1_FUNCTIONS(ASProviderAttestation)

ASN1_SEQUENCE(ProviderAS) = {
	ASN1_SIMPLE(ProviderAS, providerASID, ASN1_INTEGER),
	ASN1_OPT(ProviderAS, afiLimit, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(ProviderAS)

ASN1_SEQUENCE(ASProviderAttestationV0) = {
	ASN1_EXP_OPT(ASProviderAttestationV0, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(ASProviderAttestationV0, customerASID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(ASProviderAttestationV0, providers, ProviderAS),
} ASN1_SEQUENCE_END(ASProviderAttestationV0)

ASN1_SEQUENCE(ASProviderAttestation) = {
	ASN1_EXP(ASProviderAttestation, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(ASProviderAttestation, customerASID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(ASProviderAttestation, providers, ASN1_INTEGER),
} ASN1_SEQUENCE_END(ASProviderAttestation)

IMPLEMENT_ASN1_FUNCTIONS(ProviderAS)
IMPLEMENT_ASN1_FUNCTIONS(ASProviderAttestationV0)
IMPLEMENT_ASN1_FUNCTIONS(ASProviderAttestation)

static int
aspa_v0(uint32_t customer, const uint32_t *prov, size_t n, uint8_t **der)
{
	ASProviderAttestationV0	*a;
	ProviderAS		*p;
	size_t			 i;
	int			 ok, dn = 0;

	ok = (a = ASProviderAttestationV0_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(a->customerASID, customer);
	for (i = 0; ok && i < n; i++) {
		ok = (p = ProviderAS_new()) != NULL &&
		    ASN1_INTEGER_set_uint64(p->providerASID, prov[i]) &&
		    sk_ProviderAS_push(a->providers, p);
		if (!ok)
			ProviderAS_free(p);
	}
	ok = ok && (dn = i2d_ASProviderAttestationV0(a, der)) > 0;
	ASProviderAttestationV0_free(a);
	return ok ? dn : 0;
}

static int
aspa_v1(uint32_t customer, const uint32_t *prov, size_t n, uint8_t **der)
{
	ASProviderAttestation	*a;
	ASN1_INTEGER		*p;
	size_t			 i;
	int			 ok, dn = 0;

	ok = (a = ASProviderAttestation_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(a->version, 1) &&
	    ASN1_INTEGER_set_uint64(a->customerASID, customer);
	for (i = 0; ok && i < n; i++) {
		ok = (p = ASN1_INTEGER_new()) != NULL &&
		    ASN1_INTEGER_set_uint64(p, prov[i]) &&
		    sk_ASN1_INTEGER_push(a->providers, p);
		if (!ok)
			ASN1_INTEGER_free(p);
	}
	ok = ok && (dn = i2d_ASProviderAttestation(a, der)) > 0;
	ASProviderAttestation_free(a);
	return ok ? dn : 0;
}

int
aspa_encode(int version, uint32_t customer, const uint32_t *prov, size_t n,
    uint8_t **der, size_t *len, struct err *e)
{
	int	 dn;

	*der = NULL;
	if (n == 0)
		return err_set(e, "AS%u ASPA: ProviderASSet needs at least one "
		    "entry", customer);
	dn = version == 0 ? aspa_v0(customer, prov, n, der) :
	    aspa_v1(customer, prov, n, der);
	if (dn <= 0)
		return err_set(e, "AS%u ASPA: encoding failed", customer);
	*len = (size_t)dn;
	return 0;
}
