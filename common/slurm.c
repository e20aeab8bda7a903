/*
 * slurm.c - SLURM files (RFC 8416, draft-ietf-sidrops-aspa-slurm): parse
 * one file into sorted filter tables, and apply them to a payload set.
 *
 * JSON is read by cJSON; everything after that is explicit checks, each
 * naming the JSON path of the offending value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "encoding.h"
#include "slurm.h"
#include "slurm_impl.h"

#define CITE_JSON	"RFC 8259"
#define CITE_FILE	"RFC 8416 section 3.2"
#define CITE_FILTERS	"RFC 8416 section 3.3"
#define CITE_PFILTER	"RFC 8416 section 3.3.1"
#define CITE_KFILTER	"RFC 8416 section 3.3.2"
#define CITE_ASSERTS	"RFC 8416 section 3.4"
#define CITE_PASSERT	"RFC 8416 section 3.4.1"
#define CITE_KASSERT	"RFC 8416 section 3.4.2"
#define CITE_ASPA	"draft-ietf-sidrops-aspa-slurm"

#define PATH_LEN	128	/* longest JSON path we report */
#define QUOTE_LEN	64	/* longest echo of a value in a message */

/* Parse state: where errors go and what is being filled. */
struct pctx {
	const char	*name;
	struct err	*e;
	struct slurm	*s;
};

/* One expected member of a JSON object; item is NULL if absent. */
struct member {
	const char	*key;
	const cJSON	*item;
};

static int
perr(const struct pctx *c, const char *cite, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
perr(const struct pctx *c, const char *cite, const char *path,
    const char *fmt, ...)
{
	char	msg[ERR_MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(c->e, "%s: %s: %s: %s", c->name, cite, path, msg);
}

/* Copy s into buf (QUOTE_LEN bytes) for a message: printable, short. */
static const char *
quote(char *buf, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < QUOTE_LEN - 4; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i] != '\0')
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

/* "a string \"x\"", "a number 1.5", ...: what a value is, for messages. */
static const char *
describe(char *buf, size_t sz, const cJSON *it)
{
	char q[QUOTE_LEN];

	if (cJSON_IsString(it))
		snprintf(buf, sz, "a string \"%s\"", quote(q, it->valuestring));
	else if (cJSON_IsNumber(it))
		snprintf(buf, sz, "%.15g", it->valuedouble);
	else if (cJSON_IsBool(it))
		snprintf(buf, sz, "a boolean");
	else if (cJSON_IsNull(it))
		snprintf(buf, sz, "null");
	else if (cJSON_IsArray(it))
		snprintf(buf, sz, "an array");
	else
		snprintf(buf, sz, "an object");
	return buf;
}

/* Mark a path that did not fit in its PATH_LEN buffer. */
static void
path_cut(char *buf, int n)
{
	if (n < 0 || n >= PATH_LEN)
		memcpy(buf + PATH_LEN - 4, "...", 4);
}

static void
path_key(char *buf, const char *parent, const char *key)
{
	path_cut(buf, snprintf(buf, PATH_LEN, "%s%s%s", parent,
	    *parent ? "." : "", key));
}

static void
path_index(char *buf, const char *parent, size_t i)
{
	path_cut(buf, snprintf(buf, PATH_LEN, "%s[%zu]", parent, i));
}

/*
 * Sort the members of obj into m (n entries, keys set by the caller).
 * RFC 8416 sections 3.2 to 3.4 list the members each object contains,
 * plus an optional string "comment"; anything else is an error, as an
 * unknown or repeated member is most likely a misspelt filter that would
 * silently match nothing.
 */
static int
members_get(const struct pctx *c, const char *cite, const char *path,
    const cJSON *obj, struct member *m, size_t n)
{
	const cJSON	*it;
	char		 d[PATH_LEN], want[PATH_LEN], q[QUOTE_LEN];
	size_t		 i;
	int		 comment = 0;

	if (!cJSON_IsObject(obj))
		return perr(c, cite, path, "want an object, have %s",
		    describe(d, sizeof(d), obj));
	for (i = 0; i < n; i++)
		m[i].item = NULL;
	cJSON_ArrayForEach(it, obj) {
		if (strcmp(it->string, "comment") == 0) {
			path_key(d, path, "comment");
			if (comment++)
				return perr(c, cite, d, "duplicate member");
			if (!cJSON_IsString(it))
				return perr(c, cite, d, "want a string, "
				    "have %s", describe(q, sizeof(q), it));
			continue;
		}
		for (i = 0; i < n && strcmp(m[i].key, it->string) != 0; i++)
			;
		if (i == n) {
			want[0] = '\0';
			for (i = 0; i < n; i++) {
				strncat(want, m[i].key,
				    sizeof(want) - strlen(want) - 1);
				strncat(want, ", ",
				    sizeof(want) - strlen(want) - 1);
			}
			return perr(c, cite, path, "unknown member \"%s\": "
			    "want %scomment", quote(q, it->string), want);
		}
		if (m[i].item != NULL) {
			path_key(d, path, m[i].key);
			return perr(c, cite, d, "duplicate member");
		}
		m[i].item = it;
	}
	return 0;
}

static int
missing(const struct pctx *c, const char *cite, const char *path,
    const char *key)
{
	char p[PATH_LEN];

	path_key(p, path, key);
	return perr(c, cite, p, "missing required member");
}

/* An integer JSON number in [min, max]. */
static int
uint_get(const struct pctx *c, const char *cite, const char *path,
    const cJSON *it, uint32_t min, uint32_t max, uint32_t *out)
{
	char	d[PATH_LEN];
	double	v = it->valuedouble;

	if (!cJSON_IsNumber(it) || !(v >= min && v <= max) ||
	    v != (double)(uint32_t)v)
		return perr(c, cite, path, "want an integer in %u..%u, have %s",
		    min, max, describe(d, sizeof(d), it));
	*out = (uint32_t)v;
	return 0;
}

/* An AS number: a JSON number, not a string (RFC 8416 section 3.3.1). */
static int
asn_get(const struct pctx *c, const char *cite, const char *path,
    const cJSON *it, uint32_t min, uint32_t *out)
{
	return uint_get(c, cite, path, it, min, (uint32_t)ASN_MAX, out);
}

static int
prefix_get(const struct pctx *c, const char *cite, const char *path,
    const cJSON *it, struct vrp *v)
{
	struct err	pe;
	char		d[PATH_LEN];

	memset(v, 0, sizeof(*v));
	if (!cJSON_IsString(it))
		return perr(c, cite, path, "want a prefix string, have %s",
		    describe(d, sizeof(d), it));
	if (prefix_parse(it->valuestring, v, &pe) == -1)
		return perr(c, cite, path, "%s", pe.msg);
	return 0;
}

/*
 * Base64url without padding, in canonical form (RFC 8416 sections 3.3.2
 * and 3.4.2 cite RFC 4648 section 5).  The decoded bytes are malloc'd
 * into *out; the caller frees them.
 */
static int
b64_get(const struct pctx *c, const char *cite, const char *path,
    const cJSON *it, uint8_t **out, size_t *outlen)
{
	char		 d[PATH_LEN], *enc = NULL;
	const char	*s;
	uint8_t		*raw = NULL;
	size_t		 len;
	int		 rc = -1;

	if (!cJSON_IsString(it)) {
		perr(c, cite, path, "want a base64url string, have %s",
		    describe(d, sizeof(d), it));
		goto out;
	}
	s = it->valuestring;
	if (strchr(s, '=') != NULL) {
		perr(c, cite, path, "want base64url without trailing '=' "
		    "(RFC 4648 section 5), have %s",
		    describe(d, sizeof(d), it));
		goto out;
	}
	if ((raw = base64_decode(s, strlen(s), 1, &len)) == NULL) {
		perr(c, cite, path, "want base64url (RFC 4648 section 5), "
		    "have %s", describe(d, sizeof(d), it));
		goto out;
	}
	if ((enc = base64_encode(raw, len, 1)) == NULL) {
		perr(c, cite, path, "out of memory");
		goto out;
	}
	if (strcmp(enc, s) != 0) {
		perr(c, cite, path, "want canonical base64url (RFC 4648 "
		    "section 3.5: unused bits zero), have %s",
		    describe(d, sizeof(d), it));
		goto out;
	}
	*out = raw;
	*outlen = len;
	raw = NULL;
	rc = 0;
 out:
	free(raw);
	free(enc);
	return rc;
}

/* A Subject Key Identifier: base64url of 20 bytes. */
static int
ski_get(const struct pctx *c, const char *cite, const char *path,
    const cJSON *it, uint8_t ski[SKI_LEN])
{
	uint8_t	*raw;
	size_t	 len;

	if (b64_get(c, cite, path, it, &raw, &len) == -1)
		return -1;
	if (len != SKI_LEN) {
		free(raw);
		return perr(c, cite, path, "want %d bytes (an SHA-1 key "
		    "identifier, RFC 6487 section 4.8.2), have %zu",
		    SKI_LEN, len);
	}
	memcpy(ski, raw, SKI_LEN);
	free(raw);
	return 0;
}

/*
 * The array at path (NULL: absent) and its length.  An absent list is an
 * empty one: RFC 8416 section 3.2 lists all four, but GoRTR and StayRTR
 * write files without the empty ones, and since unknown members are
 * rejected an absent list cannot hide a misspelt one.
 */
static int
list_get(const struct pctx *c, const char *cite, const char *path,
    const cJSON *it, size_t *n)
{
	char d[PATH_LEN];

	*n = 0;
	if (it == NULL)
		return 0;
	if (!cJSON_IsArray(it))
		return perr(c, cite, path, "want an array, have %s",
		    describe(d, sizeof(d), it));
	*n = (size_t)cJSON_GetArraySize(it);
	return 0;
}

/* RFC 8416 section 3.3.1: a prefix and/or an ASN. */
static int
pfilter_parse(const struct pctx *c, const char *path, const cJSON *obj)
{
	struct slurm	*s = c->s;
	struct member	 m[] = { { "prefix", NULL }, { "asn", NULL } };
	struct vrp	 v;
	uint32_t	 asn = 0;
	char		 p[PATH_LEN];

	if (members_get(c, CITE_PFILTER, path, obj, m, 2) == -1)
		return -1;
	if (m[0].item == NULL && m[1].item == NULL)
		return perr(c, CITE_PFILTER, path, "want a prefix and/or an "
		    "asn member, have neither");
	path_key(p, path, "asn");
	if (m[1].item != NULL &&
	    asn_get(c, CITE_PFILTER, p, m[1].item, 0, &asn) == -1)
		return -1;
	if (m[0].item == NULL) {
		s->pf_asn[s->npf_asn++] = asn;
		return 0;
	}
	path_key(p, path, "prefix");
	if (prefix_get(c, CITE_PFILTER, p, m[0].item, &v) == -1)
		return -1;
	if (m[1].item == NULL) {
		s->pf_pfx[s->npf_pfx++] = v;
		return 0;
	}
	v.asn = asn;
	s->pf_both[s->npf_both++] = v;
	return 0;
}

/* RFC 8416 section 3.3.2: an ASN and/or a SKI. */
static int
kfilter_parse(const struct pctx *c, const char *path, const cJSON *obj)
{
	struct slurm	*s = c->s;
	struct member	 m[] = { { "asn", NULL }, { "SKI", NULL } };
	struct kfilter	 f;
	char		 p[PATH_LEN];

	memset(&f, 0, sizeof(f));
	if (members_get(c, CITE_KFILTER, path, obj, m, 2) == -1)
		return -1;
	if (m[0].item == NULL && m[1].item == NULL)
		return perr(c, CITE_KFILTER, path, "want an asn and/or a SKI "
		    "member, have neither");
	path_key(p, path, "asn");
	if (m[0].item != NULL &&
	    asn_get(c, CITE_KFILTER, p, m[0].item, 0, &f.asn) == -1)
		return -1;
	path_key(p, path, "SKI");
	if (m[1].item != NULL &&
	    ski_get(c, CITE_KFILTER, p, m[1].item, f.ski) == -1)
		return -1;
	if (m[1].item == NULL)
		s->kf_asn[s->nkf_asn++] = f.asn;
	else if (m[0].item == NULL)
		s->kf_ski[s->nkf_ski++] = f;
	else
		s->kf_both[s->nkf_both++] = f;
	return 0;
}

/*
 * The one member of obj spelt one of several ways, m[0..n): revisions of
 * the ASPA draft and its implementations differ.  *it is NULL if none is
 * present; more than one is an error.
 */
static int
alt_get(const struct pctx *c, const char *path, const struct member *m,
    size_t n, const cJSON **it)
{
	char	p[PATH_LEN];
	size_t	i;

	*it = NULL;
	for (i = 0; i < n; i++) {
		if (m[i].item == NULL)
			continue;
		if (*it != NULL) {
			path_key(p, path, m[i].key);
			return perr(c, CITE_ASPA, p, "want one of %s and %s, "
			    "have both", (*it)->string, m[i].key);
		}
		*it = m[i].item;
	}
	return 0;
}

/* draft-ietf-sidrops-aspa-slurm: a customer AS, "customerAsid". */
static int
afilter_parse(const struct pctx *c, const char *path, const cJSON *obj)
{
	struct slurm	*s = c->s;
	struct member	 m[] = { { "customerAsid", NULL },
			    { "customerAsn", NULL } };
	const cJSON	*cust;
	char		 p[PATH_LEN];

	if (members_get(c, CITE_ASPA, path, obj, m, 2) == -1 ||
	    alt_get(c, path, m, 2, &cust) == -1)
		return -1;
	if (cust == NULL)
		return missing(c, CITE_ASPA, path, m[0].key);
	path_key(p, path, cust->string);
	return asn_get(c, CITE_ASPA, p, cust, 0, &s->af[s->naf++]);
}

/* RFC 8416 section 3.4.1: prefix, asn, optional maxPrefixLength. */
static int
passert_parse(const struct pctx *c, const char *path, const cJSON *obj)
{
	struct slurm	*s = c->s;
	struct member	 m[] = { { "prefix", NULL }, { "asn", NULL },
			    { "maxPrefixLength", NULL } };
	struct vrp	 v;
	uint32_t	 asn = 0, maxlen = 0;
	char		 p[PATH_LEN];

	if (members_get(c, CITE_PASSERT, path, obj, m, 3) == -1)
		return -1;
	if (m[0].item == NULL)
		return missing(c, CITE_PASSERT, path, m[0].key);
	if (m[1].item == NULL)
		return missing(c, CITE_PASSERT, path, m[1].key);
	path_key(p, path, "prefix");
	if (prefix_get(c, CITE_PASSERT, p, m[0].item, &v) == -1)
		return -1;
	path_key(p, path, "asn");
	if (asn_get(c, CITE_PASSERT, p, m[1].item, 0, &asn) == -1)
		return -1;
	maxlen = v.plen;
	path_key(p, path, "maxPrefixLength");
	/* From the prefix length up to the address length. */
	if (m[2].item != NULL && uint_get(c, CITE_PASSERT, p, m[2].item,
	    v.plen, (uint32_t)afi_bits(v.afi), &maxlen) == -1)
		return -1;
	v.asn = asn;
	v.maxlen = (uint8_t)maxlen;
	s->pa[s->npa++] = v;
	return 0;
}

/*
 * RFC 8416 section 3.4.2: asn, SKI and routerPublicKey.  The key is not
 * checked to be a SubjectPublicKeyInfo: it is passed on to routers as is.
 */
static int
kassert_parse(const struct pctx *c, const char *path, const cJSON *obj)
{
	struct slurm	*s = c->s;
	struct member	 m[] = { { "asn", NULL }, { "SKI", NULL },
			    { "routerPublicKey", NULL } };
	struct kassert	*k = &s->ka[s->nka];
	char		 p[PATH_LEN];
	size_t		 i;

	if (members_get(c, CITE_KASSERT, path, obj, m, 3) == -1)
		return -1;
	for (i = 0; i < 3; i++)
		if (m[i].item == NULL)
			return missing(c, CITE_KASSERT, path, m[i].key);
	path_key(p, path, "asn");
	if (asn_get(c, CITE_KASSERT, p, m[0].item, 0, &k->asn) == -1)
		return -1;
	path_key(p, path, "SKI");
	if (ski_get(c, CITE_KASSERT, p, m[1].item, k->ski) == -1)
		return -1;
	path_key(p, path, "routerPublicKey");
	if (b64_get(c, CITE_KASSERT, p, m[2].item, &k->spki,
	    &k->spkilen) == -1)
		return -1;
	s->nka++;	/* k->spki is now s's to free */
	if (k->spkilen == 0)
		return perr(c, CITE_KASSERT, p, "want a key, have none");
	return 0;
}

int
slurm_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * draft-ietf-sidrops-aspa-slurm: a customer AS and a list of provider
 * ASes.  The customer must not be its own provider and a list holds each
 * provider once (draft-ietf-sidrops-aspa-profile section 3).
 */
static int
aassert_parse(const struct pctx *c, const char *path, const cJSON *obj)
{
	struct slurm	*s = c->s;
	struct member	 m[] = { { "customerAsn", NULL },
			    { "customerAsid", NULL }, { "providerAsns", NULL },
			    { "providers", NULL }, { "providerSet", NULL } };
	struct aassert	*a = &s->aa[s->naa];
	const cJSON	*cust, *list, *it;
	char		 p[PATH_LEN], pp[PATH_LEN];
	size_t		 i, n;

	if (members_get(c, CITE_ASPA, path, obj, m, 5) == -1 ||
	    alt_get(c, path, m, 2, &cust) == -1 ||
	    alt_get(c, path, m + 2, 3, &list) == -1)
		return -1;
	if (cust == NULL)
		return missing(c, CITE_ASPA, path, m[0].key);
	if (list == NULL)
		return missing(c, CITE_ASPA, path, m[2].key);
	path_key(p, path, cust->string);
	/* The ASPA profile: a customer is AS 1..4294967295. */
	if (asn_get(c, CITE_ASPA, p, cust, 1, &a->customer) == -1)
		return -1;
	path_key(p, path, list->string);
	if (list_get(c, CITE_ASPA, p, list, &n) == -1)
		return -1;
	if (n == 0)
		return perr(c, CITE_ASPA, p, "want at least one provider, "
		    "have none");
	if ((a->prov = calloc(n, sizeof(uint32_t))) == NULL)
		return perr(c, CITE_ASPA, p, "out of memory");
	s->naa++;	/* a->prov is now s's to free */
	i = 0;
	cJSON_ArrayForEach(it, list) {
		path_index(pp, p, i);
		if (asn_get(c, CITE_ASPA, pp, it, 0, &a->prov[i]) == -1)
			return -1;
		if (a->prov[i++] == a->customer)
			return perr(c, CITE_ASPA, pp, "want a provider other "
			    "than the customer, have %u", a->customer);
	}
	qsort(a->prov, n, sizeof(uint32_t), slurm_u32_cmp);
	for (i = 1; i < n; i++)
		if (a->prov[i] == a->prov[i - 1])
			return perr(c, CITE_ASPA, p, "want each provider "
			    "once, have %u twice", a->prov[i]);
	a->nprov = n;
	return 0;
}

typedef int (*entry_fn)(const struct pctx *, const char *, const cJSON *);

/* Parse each entry of list (NULL: none) with fn. */
static int
entries_parse(const struct pctx *c, const char *path, const cJSON *list,
    entry_fn fn)
{
	const cJSON	*it;
	char		 p[PATH_LEN];
	size_t		 i = 0;

	if (list == NULL)
		return 0;
	cJSON_ArrayForEach(it, list) {
		path_index(p, path, i++);
		if (fn(c, p, it) == -1)
			return -1;
	}
	return 0;
}

#define F	"validationOutputFilters"
#define A	"locallyAddedAssertions"

/*
 * RFC 8416 section 3.3 and the ASPA draft: the filter lists.  Each kind
 * of a list gets a table with room for the whole list.
 */
static int
filters_parse(const struct pctx *c, const cJSON *obj)
{
	struct slurm		*s = c->s;
	struct slurm_counts	*n = &s->counts;
	struct member		 m[] = { { "prefixFilters", NULL },
				    { "bgpsecFilters", NULL },
				    { "aspaFilters", NULL } };

	if (members_get(c, CITE_FILTERS, F, obj, m, 3) == -1)
		return -1;
	if (s->version < 2 && m[2].item != NULL)
		return perr(c, CITE_ASPA, F ".aspaFilters", "want "
		    "slurmVersion 2 for ASPA members, have slurmVersion %d",
		    s->version);
	if (list_get(c, CITE_PFILTER, F ".prefixFilters", m[0].item,
	    &n->prefix_filters) == -1 ||
	    list_get(c, CITE_KFILTER, F ".bgpsecFilters", m[1].item,
	    &n->bgpsec_filters) == -1 ||
	    list_get(c, CITE_ASPA, F ".aspaFilters", m[2].item,
	    &n->aspa_filters) == -1)
		return -1;
	s->pf_asn = calloc(n->prefix_filters + 1, sizeof(*s->pf_asn));
	s->pf_pfx = calloc(n->prefix_filters + 1, sizeof(*s->pf_pfx));
	s->pf_both = calloc(n->prefix_filters + 1, sizeof(*s->pf_both));
	s->kf_asn = calloc(n->bgpsec_filters + 1, sizeof(*s->kf_asn));
	s->kf_ski = calloc(n->bgpsec_filters + 1, sizeof(*s->kf_ski));
	s->kf_both = calloc(n->bgpsec_filters + 1, sizeof(*s->kf_both));
	s->af = calloc(n->aspa_filters + 1, sizeof(*s->af));
	if (s->pf_asn == NULL || s->pf_pfx == NULL || s->pf_both == NULL ||
	    s->kf_asn == NULL || s->kf_ski == NULL || s->kf_both == NULL ||
	    s->af == NULL)
		return perr(c, CITE_FILTERS, F, "out of memory");
	if (entries_parse(c, F ".prefixFilters", m[0].item,
	    pfilter_parse) == -1 ||
	    entries_parse(c, F ".bgpsecFilters", m[1].item,
	    kfilter_parse) == -1)
		return -1;
	return entries_parse(c, F ".aspaFilters", m[2].item, afilter_parse);
}

/* RFC 8416 section 3.4 and the ASPA draft: the assertion lists. */
static int
asserts_parse(const struct pctx *c, const cJSON *obj)
{
	struct slurm		*s = c->s;
	struct slurm_counts	*n = &s->counts;
	struct member		 m[] = { { "prefixAssertions", NULL },
				    { "bgpsecAssertions", NULL },
				    { "aspaAssertions", NULL } };

	if (members_get(c, CITE_ASSERTS, A, obj, m, 3) == -1)
		return -1;
	if (s->version < 2 && m[2].item != NULL)
		return perr(c, CITE_ASPA, A ".aspaAssertions", "want "
		    "slurmVersion 2 for ASPA members, have slurmVersion %d",
		    s->version);
	if (list_get(c, CITE_PASSERT, A ".prefixAssertions", m[0].item,
	    &n->prefix_assertions) == -1 ||
	    list_get(c, CITE_KASSERT, A ".bgpsecAssertions", m[1].item,
	    &n->bgpsec_assertions) == -1 ||
	    list_get(c, CITE_ASPA, A ".aspaAssertions", m[2].item,
	    &n->aspa_assertions) == -1)
		return -1;
	s->pa = calloc(n->prefix_assertions + 1, sizeof(*s->pa));
	s->ka = calloc(n->bgpsec_assertions + 1, sizeof(*s->ka));
	s->aa = calloc(n->aspa_assertions + 1, sizeof(*s->aa));
	if (s->pa == NULL || s->ka == NULL || s->aa == NULL)
		return perr(c, CITE_ASSERTS, A, "out of memory");
	if (entries_parse(c, A ".prefixAssertions", m[0].item,
	    passert_parse) == -1 ||
	    entries_parse(c, A ".bgpsecAssertions", m[1].item,
	    kassert_parse) == -1)
		return -1;
	return entries_parse(c, A ".aspaAssertions", m[2].item,
	    aassert_parse);
}

/* RFC 8416 section 3.2: the top-level object. */
static int
file_parse(const struct pctx *c, const cJSON *root)
{
	struct member	m[] = { { "slurmVersion", NULL },
			    { F, NULL }, { A, NULL } };
	uint32_t	version = 0;
	size_t		i;

	if (members_get(c, CITE_FILE, "top level", root, m, 3) == -1)
		return -1;
	for (i = 0; i < 3; i++)
		if (m[i].item == NULL)
			return missing(c, CITE_FILE, "", m[i].key);
	/* Version 2 is draft-ietf-sidrops-aspa-slurm. */
	if (uint_get(c, CITE_FILE, "slurmVersion", m[0].item, 1, 2,
	    &version) == -1)
		return -1;
	c->s->version = (int)version;
	if (filters_parse(c, m[1].item) == -1)
		return -1;
	return asserts_parse(c, m[2].item);
}

#undef F
#undef A

/* Parse buf as one JSON value followed by nothing but white space. */
static cJSON *
json_load(const struct pctx *c, const char *buf, size_t len)
{
	cJSON		*root;
	const char	*end = NULL;
	size_t		 off, i, line = 1, col = 1;

	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	off = end != NULL && end >= buf ? (size_t)(end - buf) : 0;
	if (root != NULL)
		while (off < len && strchr(" \t\r\n", buf[off]) != NULL &&
		    buf[off] != '\0')
			off++;
	if (root != NULL && off == len)
		return root;
	for (i = 0; i < off && i < len; i++, col++)
		if (buf[i] == '\n')
			line++, col = 0;
	err_set(c->e, "%s: %s: line %zu, column %zu: %s", c->name, CITE_JSON,
	    line, col, root == NULL ? "not valid JSON" :
	    "data after the JSON value");
	cJSON_Delete(root);
	return NULL;
}

struct slurm *
slurm_parse(const char *buf, size_t len, const char *name, struct err *e)
{
	struct pctx	 c = { name, e, NULL };
	cJSON		*root = NULL;

	if ((c.s = calloc(1, sizeof(*c.s))) == NULL) {
		err_set(e, "%s: out of memory", name);
		goto out;
	}
	if ((root = json_load(&c, buf, len)) == NULL ||
	    file_parse(&c, root) == -1) {
		slurm_free(c.s);
		c.s = NULL;
		goto out;
	}
	slurm_index(c.s);
 out:
	cJSON_Delete(root);
	return c.s;
}

void
slurm_free(struct slurm *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nka; i++)
		free(s->ka[i].spki);
	for (i = 0; i < s->naa; i++)
		free(s->aa[i].prov);
	free(s->pf_asn);
	free(s->pf_pfx);
	free(s->pf_both);
	free(s->kf_asn);
	free(s->kf_ski);
	free(s->kf_both);
	free(s->af);
	free(s->pa);
	free(s->ka);
	free(s->aa);
	free(s);
}

void
slurm_counts(const struct slurm *s, struct slurm_counts *c)
{
	*c = s->counts;
}

int
slurm_version(const struct slurm *s)
{
	return s->version;
}
