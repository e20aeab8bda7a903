/*
 * aspa.c - ASPA eContent (draft-ietf-sidrops-aspa-profile) in its two
 * forms, decoded with OpenSSL's ASN.1 templates.
 *
 * Current profile (later drafts, e.g. -16 that IANA cites, to -26):
 *
 *   ASProviderAttestation ::= SEQUENCE {
 *     version      [0] INTEGER DEFAULT 0,    -- MUST be 1, so present
 *     customerASID CAS,                      -- INTEGER (1..4294967295)
 *     providers    ProviderASSet }
 *   ProviderASSet ::= SEQUENCE (SIZE(1..MAX)) OF PAS
 *   PAS ::= INTEGER (0..4294967295)
 *
 * Drafts 08 to 13 (version MUST be v0, hence absent in DER):
 *
 *   ASProviderAttestation ::= SEQUENCE {
 *     version      [0] INTEGER DEFAULT 0,
 *     customerASID ASID,                     -- INTEGER (0..4294967295)
 *     providers    SEQUENCE (SIZE(1..MAX)) OF ProviderAS }
 *   ProviderAS ::= SEQUENCE {
 *     providerASID ASID,
 *     afiLimit     OCTET STRING (SIZE(2)) OPTIONAL }
 *
 * In both, section 3.3 asks for providers in ascending order, each once,
 * and never the customer.  The two forms differ in their first element
 * (a [0] tag or an INTEGER), so a template decode tells them apart
 * before the checks run.  Whether the EE certificate holds exactly the
 * customer AS is the validator's check.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/err.h>

#include "aspa.h"
#include "vrp.h"

#define DOC_CURRENT	"draft-ietf-sidrops-aspa-profile"
#define DOC_DRAFT08	"draft-ietf-sidrops-aspa-profile-08"

typedef struct {
	ASN1_INTEGER		*version;
	ASN1_INTEGER		*customerASID;
	STACK_OF(ASN1_INTEGER)	*providers;
} AspaCurrent;

typedef struct {
	ASN1_INTEGER		*providerASID;
	ASN1_OCTET_STRING	*afiLimit;
} AspaProviderAS;

DEFINE_STACK_OF(AspaProviderAS)

typedef struct {
	ASN1_INTEGER			*version;
	ASN1_INTEGER			*customerASID;
	STACK_OF(AspaProviderAS)	*providers;
} AspaDraft08;

ASN1_SEQUENCE(AspaCurrent) = {
	ASN1_EXP(AspaCurrent, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(AspaCurrent, customerASID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(AspaCurrent, providers, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(AspaCurrent)

ASN1_SEQUENCE(AspaProviderAS) = {
	ASN1_SIMPLE(AspaProviderAS, providerASID, ASN1_INTEGER),
	ASN1_OPT(AspaProviderAS, afiLimit, ASN1_OCTET_STRING),
} static_ASN1_SEQUENCE_END(AspaProviderAS)

ASN1_SEQUENCE(AspaDraft08) = {
	ASN1_EXP_OPT(AspaDraft08, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(AspaDraft08, customerASID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(AspaDraft08, providers, AspaProviderAS),
} static_ASN1_SEQUENCE_END(AspaDraft08)

/* Whether der/len decodes with template it (no DER checks yet). */
static int
aspa_shape_is(const uint8_t *der, size_t len, const ASN1_ITEM *it)
{
	const unsigned char	*p = der;
	ASN1_VALUE		*v;

	if (len > 0x7fffffff)
		return 0;
	v = ASN1_item_d2i(NULL, &p, (long)len, it);
	ASN1_item_free(v, it);
	ERR_clear_error();
	return v != NULL;
}

/* An AS number 0..2^32-1 from ai into *as; 0, or -1 if out of range. */
static int
as_value(const ASN1_INTEGER *ai, uint32_t *as)
{
	uint64_t	v;

	if (!ASN1_INTEGER_get_uint64(&v, ai) || v > ASN_MAX) {
		ERR_clear_error();
		return -1;
	}
	*as = (uint32_t)v;
	return 0;
}

static struct aspa_obj *
aspa_new(const char *fn, enum aspa_profile p, int n, struct err *e)
{
	struct aspa_obj	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->providers = calloc(n > 0 ? (size_t)n : 1,
	    sizeof(*a->providers))) == NULL) {
		free(a);
		err_set(e, "%s: out of memory", fn);
		return NULL;
	}
	a->profile = p;
	return a;
}

/*
 * Section 3.3 of either form: at least one provider, ascending, each
 * once, never the customer.  Entry i of a->providers is already set.
 */
static int
aspa_check_providers(const char *fn, const char *doc,
    const struct aspa_obj *a, struct err *e)
{
	size_t	i;

	if (a->nproviders == 0)
		return err_set(e, "%s: %s section 3.3: providers: want 1 or "
		    "more, have 0", fn, doc);
	for (i = 0; i < a->nproviders; i++) {
		if (a->providers[i] == a->customer)
			return err_set(e, "%s: %s section 3.3: providers: want "
			    "the customer AS%u absent, have it at [%zu]", fn,
			    doc, a->customer, i);
		if (i > 0 && a->providers[i] <= a->providers[i - 1])
			return err_set(e, "%s: %s section 3.3: providers: want "
			    "strictly ascending, have AS%u after AS%u at [%zu]",
			    fn, doc, a->providers[i], a->providers[i - 1], i);
	}
	return 0;
}

/* The current profile: version 1, CAS 1..2^32-1, PAS list. */
static struct aspa_obj *
aspa_current(const char *fn, const uint8_t *der, size_t len, struct err *e)
{
	AspaCurrent	*c;
	struct aspa_obj	*a = NULL;
	int64_t		 ver = -1;
	int		 i, n, rc = -1;

	c = (AspaCurrent *)cms_econtent_decode(fn, DOC_CURRENT " section 3: "
	    "ASProviderAttestation", ASN1_ITEM_rptr(AspaCurrent), der, len, e);
	if (c == NULL)
		return NULL;
	n = sk_ASN1_INTEGER_num(c->providers);
	if ((a = aspa_new(fn, ASPA_PROFILE_CURRENT, n, e)) == NULL)
		goto out;
	if (!ASN1_INTEGER_get_int64(&ver, c->version) || ver != 1) {
		err_set(e, "%s: %s section 3.1: version: want 1, have %lld", fn,
		    DOC_CURRENT, (long long)ver);
		goto out;
	}
	if (as_value(c->customerASID, &a->customer) != 0 ||
	    a->customer == 0) {
		err_set(e, "%s: %s section 3.2: customerASID: want "
		    "1..4294967295, have a value outside", fn, DOC_CURRENT);
		goto out;
	}
	for (i = 0; i < n; i++, a->nproviders++)
		if (as_value(sk_ASN1_INTEGER_value(c->providers, i),
		    &a->providers[i]) != 0) {
			err_set(e, "%s: %s section 3.3: providers[%d]: want "
			    "0..4294967295, have a value outside", fn,
			    DOC_CURRENT, i);
			goto out;
		}
	rc = aspa_check_providers(fn, DOC_CURRENT, a, e);
 out:
	ASN1_item_free((ASN1_VALUE *)c, ASN1_ITEM_rptr(AspaCurrent));
	ERR_clear_error();
	if (rc != 0) {
		aspa_obj_free(a);
		a = NULL;
	}
	return a;
}

/* Entry i of a draft-08 ProviderASSet into a->providers[i]. */
static int
aspa_draft08_entry(const char *fn, int i, const AspaProviderAS *pa,
    struct aspa_obj *a, struct err *e)
{
	const uint8_t	*p;

	if (as_value(pa->providerASID, &a->providers[i]) != 0)
		return err_set(e, "%s: %s section 3.3: providers[%d] "
		    "providerASID: want 0..4294967295, have a value outside",
		    fn, DOC_DRAFT08, i);
	if (pa->afiLimit == NULL)
		return 0;
	p = ASN1_STRING_get0_data(pa->afiLimit);
	if (ASN1_STRING_length(pa->afiLimit) != 2 || p[0] != 0 ||
	    (p[1] != AFI_IPV4 && p[1] != AFI_IPV6))
		return err_set(e, "%s: %s section 3.3: providers[%d] afiLimit: "
		    "want 0001 (IPv4) or 0002 (IPv6), have %d octet(s)", fn,
		    DOC_DRAFT08, i, ASN1_STRING_length(pa->afiLimit));
	a->nafi_limited++;
	return 0;
}

/* Drafts 08 to 13: version absent, ASID 0..2^32-1, ProviderAS list. */
static struct aspa_obj *
aspa_draft08(const char *fn, const uint8_t *der, size_t len, struct err *e)
{
	AspaDraft08	*d;
	struct aspa_obj	*a = NULL;
	int		 i, n, rc = -1;

	d = (AspaDraft08 *)cms_econtent_decode(fn, DOC_DRAFT08 " section 3: "
	    "ASProviderAttestation", ASN1_ITEM_rptr(AspaDraft08), der, len, e);
	if (d == NULL)
		return NULL;
	n = sk_AspaProviderAS_num(d->providers);
	if ((a = aspa_new(fn, ASPA_PROFILE_DRAFT08, n, e)) == NULL)
		goto out;
	if (cms_econtent_version0(fn, DOC_DRAFT08 " section 3.1", d->version,
	    e) != 0)
		goto out;
	if (as_value(d->customerASID, &a->customer) != 0) {
		err_set(e, "%s: %s section 3.2: customerASID: want "
		    "0..4294967295, have a value outside", fn, DOC_DRAFT08);
		goto out;
	}
	for (i = 0; i < n; i++, a->nproviders++)
		if (aspa_draft08_entry(fn, i,
		    sk_AspaProviderAS_value(d->providers, i), a, e) != 0)
			goto out;
	rc = aspa_check_providers(fn, DOC_DRAFT08, a, e);
 out:
	ASN1_item_free((ASN1_VALUE *)d, ASN1_ITEM_rptr(AspaDraft08));
	if (rc != 0) {
		aspa_obj_free(a);
		a = NULL;
	}
	return a;
}

struct aspa_obj *
aspa_parse_econtent_current(const char *fn, const uint8_t *der, size_t len,
    struct err *e)
{
	if (!aspa_shape_is(der, len, ASN1_ITEM_rptr(AspaCurrent)) &&
	    aspa_shape_is(der, len, ASN1_ITEM_rptr(AspaDraft08))) {
		err_set(e, "%s: %s section 3.1: version: want 1, explicitly "
		    "encoded, have the draft-08..13 form (version absent, "
		    "ProviderAS sequences)", fn, DOC_CURRENT);
		return NULL;
	}
	return aspa_current(fn, der, len, e);
}

struct aspa_obj *
aspa_parse_econtent(const char *fn, const uint8_t *der, size_t len,
    struct err *e)
{
	if (aspa_shape_is(der, len, ASN1_ITEM_rptr(AspaCurrent)))
		return aspa_current(fn, der, len, e);
	if (aspa_shape_is(der, len, ASN1_ITEM_rptr(AspaDraft08)))
		return aspa_draft08(fn, der, len, e);
	err_set(e, "%s: %s section 3: ASProviderAttestation: want the current "
	    "form (version [0] 1, providers SEQUENCE OF ASID) or the draft-08 "
	    "form (version absent, providers SEQUENCE OF ProviderAS), have "
	    "neither", fn, DOC_CURRENT);
	return NULL;
}

struct aspa_obj *
aspa_parse(const char *fn, const uint8_t *der, size_t len, struct err *e)
{
	struct cms_object	 cms;
	struct aspa_obj		*a;

	if (cms_parse(fn, der, len, OID_CT_ASPA, &cms, e) != 0)
		return NULL;
	a = aspa_parse_econtent(fn, cms.econtent, cms.econtent_len, e);
	free(cms.econtent);
	cms.econtent = NULL;
	cms.econtent_len = 0;
	if (a == NULL) {
		cms_object_clear(&cms);
		return NULL;
	}
	a->cms = cms;			/* the EE certificate moves to a */
	return a;
}

const char *
aspa_profile_name(enum aspa_profile p)
{
	return p == ASPA_PROFILE_CURRENT ? "current" : "draft-08";
}

void
aspa_obj_free(struct aspa_obj *a)
{
	if (a == NULL)
		return;
	free(a->providers);
	cms_object_clear(&a->cms);
	free(a);
}
