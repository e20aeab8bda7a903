/*
 * vrpset.c - building immutable payload sets: collect, sort, fold.
 */
#include <stdlib.h>
#include <string.h>

#include "vrpset.h"

#define TA_MAX	65535

struct vrpset_builder {
	struct vrpset	 s;		/* arrays grow here, then move out */
	size_t		 capvrps, capaspas, capprov, caprkeys, capspki;
	size_t		 captas;
	int		 lastta;	/* cache for vrpset_builder_ta() */
};

/*
 * Make room for want more elements of size sz in *arr of capacity *cap
 * holding n.  Returns 0, or -1 on out of memory (arr unchanged).
 */
static int
grow(void *arr, size_t *cap, size_t n, size_t want, size_t sz)
{
	void	**p = arr;
	void	 *np;
	size_t	  ncap;

	if (n + want <= *cap)
		return 0;
	ncap = *cap ? *cap : 64;
	while (ncap < n + want)
		ncap *= 2;
	if ((np = realloc(*p, ncap * sz)) == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

struct vrpset_builder *
vrpset_builder_new(void)
{
	struct vrpset_builder *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->lastta = -1;
	return b;
}

static void
set_release(struct vrpset *s)
{
	size_t i;

	free(s->vrps);
	free(s->aspas);
	free(s->providers);
	free(s->rkeys);
	free(s->spki);
	for (i = 0; i < s->ntas; i++)
		free(s->tas[i]);
	free(s->tas);
}

void
vrpset_builder_free(struct vrpset_builder *b)
{
	if (b == NULL)
		return;
	set_release(&b->s);
	free(b);
}

int
vrpset_builder_ta(struct vrpset_builder *b, const char *name)
{
	size_t i;

	if (b->lastta >= 0 && strcmp(b->s.tas[b->lastta], name) == 0)
		return b->lastta;
	for (i = 0; i < b->s.ntas; i++)
		if (strcmp(b->s.tas[i], name) == 0)
			return b->lastta = (int)i;
	if (b->s.ntas >= TA_MAX ||
	    grow(&b->s.tas, &b->captas, b->s.ntas, 1, sizeof(char *)) == -1)
		return -1;
	if ((b->s.tas[b->s.ntas] = strdup(name)) == NULL)
		return -1;
	return b->lastta = (int)b->s.ntas++;
}

int
vrpset_add_vrp(struct vrpset_builder *b, const struct vrp *v)
{
	struct vrp *d;

	if (grow(&b->s.vrps, &b->capvrps, b->s.nvrps, 1, sizeof(*v)) == -1)
		return -1;
	d = &b->s.vrps[b->s.nvrps++];
	*d = *v;
	memset(d->pad, 0, sizeof(d->pad));
	if (d->afi == AFI_IPV4)
		memset(d->addr + 4, 0, 12);
	return 0;
}

const struct vrp *
vrpset_builder_vrps(const struct vrpset_builder *b, size_t *n)
{
	*n = b->s.nvrps;
	return b->s.vrps;
}

int
vrpset_add_aspa(struct vrpset_builder *b, uint32_t customer,
    const uint32_t *providers, size_t nproviders, uint16_t ta,
    uint32_t expires)
{
	struct aspa *a;

	if (nproviders > UINT32_MAX - b->s.nproviders)
		return -1;
	if (grow(&b->s.aspas, &b->capaspas, b->s.naspas, 1,
	    sizeof(*a)) == -1 ||
	    grow(&b->s.providers, &b->capprov, b->s.nproviders, nproviders,
	    sizeof(uint32_t)) == -1)
		return -1;
	a = &b->s.aspas[b->s.naspas++];
	memset(a, 0, sizeof(*a));
	a->customer = customer;
	a->prov_off = (uint32_t)b->s.nproviders;
	a->prov_n = (uint32_t)nproviders;
	a->expires = expires;
	a->ta = ta;
	if (nproviders > 0)
		memcpy(b->s.providers + b->s.nproviders, providers,
		    nproviders * sizeof(uint32_t));
	b->s.nproviders += nproviders;
	return 0;
}

int
vrpset_add_rkey(struct vrpset_builder *b, uint32_t asn,
    const uint8_t ski[SKI_LEN], const uint8_t *spki, size_t spkilen,
    uint16_t ta, uint32_t expires)
{
	struct rkey *k;

	if (spkilen > UINT32_MAX - b->s.spkilen)
		return -1;
	if (grow(&b->s.rkeys, &b->caprkeys, b->s.nrkeys, 1,
	    sizeof(*k)) == -1 ||
	    grow(&b->s.spki, &b->capspki, b->s.spkilen, spkilen, 1) == -1)
		return -1;
	k = &b->s.rkeys[b->s.nrkeys++];
	memset(k, 0, sizeof(*k));
	k->asn = asn;
	memcpy(k->ski, ski, SKI_LEN);
	k->spki_off = (uint32_t)b->s.spkilen;
	k->spki_len = (uint32_t)spkilen;
	k->expires = expires;
	k->ta = ta;
	if (spkilen > 0)
		memcpy(b->s.spki + b->s.spkilen, spki, spkilen);
	b->s.spkilen += spkilen;
	return 0;
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return vrp_cmp(a, b);
}

static int
u32_qcmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
aspa_cmp(const struct vrpset *sa, const struct aspa *a,
    const struct vrpset *sb, const struct aspa *b)
{
	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	if (a->prov_n != b->prov_n)
		return a->prov_n < b->prov_n ? -1 : 1;
	if (a->prov_n == 0)
		return 0;
	return memcmp(vrpset_providers(sa, a), vrpset_providers(sb, b),
	    a->prov_n * sizeof(uint32_t));
}

int
rkey_cmp(const struct vrpset *sa, const struct rkey *a,
    const struct vrpset *sb, const struct rkey *b)
{
	size_t	n;
	int	c;

	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	if ((c = memcmp(a->ski, b->ski, SKI_LEN)) != 0)
		return c;
	n = a->spki_len < b->spki_len ? a->spki_len : b->spki_len;
	if (n > 0 && (c = memcmp(vrpset_spki(sa, a), vrpset_spki(sb, b), n))
	    != 0)
		return c;
	if (a->spki_len != b->spki_len)
		return a->spki_len < b->spki_len ? -1 : 1;
	return 0;
}

static int
rkey_qcmp(const void *a, const void *b, void *arg)
{
	return rkey_cmp(arg, a, arg, b);
}

static int
aspa_customer_qcmp(const void *a, const void *b)
{
	const struct aspa *x = a, *y = b;

	return x->customer < y->customer ? -1 : x->customer > y->customer;
}

/*
 * Keep one of two duplicate entries' TA and expiry: the latest expiry,
 * and the TA whose name sorts first, so the result does not depend on
 * input order.
 */
static void
fold_meta(const struct vrpset *s, uint16_t *ta, uint32_t *expires,
    uint16_t ota, uint32_t oexpires)
{
	if (oexpires > *expires)
		*expires = oexpires;
	if (strcmp(s->tas[ota], s->tas[*ta]) < 0)
		*ta = ota;
}

static void
fold_vrps(struct vrpset *s)
{
	size_t i, n = 0;

	if (s->nvrps == 0)
		return;
	qsort(s->vrps, s->nvrps, sizeof(*s->vrps), vrp_qcmp);
	for (i = 0; i < s->nvrps; i++) {
		if (n > 0 && vrp_cmp(&s->vrps[n - 1], &s->vrps[i]) == 0) {
			fold_meta(s, &s->vrps[n - 1].ta,
			    &s->vrps[n - 1].expires, s->vrps[i].ta,
			    s->vrps[i].expires);
			continue;
		}
		s->vrps[n++] = s->vrps[i];
	}
	s->nvrps = n;
}

/*
 * Sort ASPAs by customer and merge each customer's records into one with
 * the sorted union of their providers, written to a fresh pool.
 */
static int
fold_aspas(struct vrpset *s)
{
	uint32_t	*pool;
	size_t		 i, j, n = 0, np = 0, start;

	if (s->naspas == 0)
		return 0;
	if ((pool = malloc((s->nproviders + 1) * sizeof(uint32_t))) == NULL)
		return -1;
	qsort(s->aspas, s->naspas, sizeof(*s->aspas), aspa_customer_qcmp);
	for (i = 0; i < s->naspas; i = j) {
		struct aspa out = s->aspas[i];

		start = np;
		for (j = i; j < s->naspas &&
		    s->aspas[j].customer == s->aspas[i].customer; j++) {
			/* No pool at all if every list is empty. */
			if (s->aspas[j].prov_n > 0)
				memcpy(pool + np, vrpset_providers(s,
				    &s->aspas[j]), s->aspas[j].prov_n *
				    sizeof(uint32_t));
			np += s->aspas[j].prov_n;
			if (j > i)
				fold_meta(s, &out.ta, &out.expires,
				    s->aspas[j].ta, s->aspas[j].expires);
		}
		qsort(pool + start, np - start, sizeof(uint32_t), u32_qcmp);
		out.prov_off = (uint32_t)start;
		out.prov_n = 0;
		for (size_t k = start; k < np; k++)
			if (out.prov_n == 0 ||
			    pool[start + out.prov_n - 1] != pool[k])
				pool[start + out.prov_n++] = pool[k];
		np = start + out.prov_n;
		s->aspas[n++] = out;
	}
	free(s->providers);
	s->providers = pool;
	s->nproviders = np;
	s->naspas = n;
	return 0;
}

static void
fold_rkeys(struct vrpset *s)
{
	size_t i, n = 0;

	if (s->nrkeys == 0)
		return;
	qsort_r(s->rkeys, s->nrkeys, sizeof(*s->rkeys), rkey_qcmp, s);
	for (i = 0; i < s->nrkeys; i++) {
		if (n > 0 && rkey_cmp(s, &s->rkeys[n - 1], s,
		    &s->rkeys[i]) == 0) {
			fold_meta(s, &s->rkeys[n - 1].ta,
			    &s->rkeys[n - 1].expires, s->rkeys[i].ta,
			    s->rkeys[i].expires);
			continue;
		}
		s->rkeys[n++] = s->rkeys[i];
	}
	s->nrkeys = n;
}

struct vrpset *
vrpset_build(struct vrpset_builder *b)
{
	struct vrpset *s;

	if ((s = malloc(sizeof(*s))) == NULL) {
		vrpset_builder_free(b);
		return NULL;
	}
	*s = b->s;
	free(b);
	s->refs = 1;
	fold_vrps(s);
	fold_rkeys(s);
	if (fold_aspas(s) == -1) {
		set_release(s);
		free(s);
		return NULL;
	}
	return s;
}

struct vrpset *
vrpset_empty(void)
{
	struct vrpset_builder *b;

	if ((b = vrpset_builder_new()) == NULL)
		return NULL;
	return vrpset_build(b);
}

struct vrpset *
vrpset_ref(struct vrpset *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

void
vrpset_unref(struct vrpset *s)
{
	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	set_release(s);
	free(s);
}

const struct aspa *
vrpset_find_customer(const struct vrpset *s, uint32_t c)
{
	size_t lo = 0, hi, mid;

	if (s == NULL)
		return NULL;
	for (hi = s->naspas; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		if (s->aspas[mid].customer == c)
			return &s->aspas[mid];
		if (s->aspas[mid].customer < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
vrpset_ta_name(const struct vrpset *s, uint16_t ta)
{
	return ta < s->ntas ? s->tas[ta] : "";
}

int
vrpset_builder_add_set(struct vrpset_builder *b, const struct vrpset *s)
{
	int	*map;
	size_t	 i;
	int	 rc = -1;

	if ((map = calloc(s->ntas + 1, sizeof(int))) == NULL)
		return -1;
	for (i = 0; i < s->ntas; i++)
		if ((map[i] = vrpset_builder_ta(b, s->tas[i])) == -1)
			goto out;
	for (i = 0; i < s->nvrps; i++) {
		struct vrp v = s->vrps[i];

		v.ta = (uint16_t)map[v.ta];
		if (vrpset_add_vrp(b, &v) == -1)
			goto out;
	}
	for (i = 0; i < s->naspas; i++) {
		const struct aspa *a = &s->aspas[i];

		if (vrpset_add_aspa(b, a->customer, vrpset_providers(s, a),
		    a->prov_n, (uint16_t)map[a->ta], a->expires) == -1)
			goto out;
	}
	for (i = 0; i < s->nrkeys; i++) {
		const struct rkey *k = &s->rkeys[i];

		if (vrpset_add_rkey(b, k->asn, k->ski, vrpset_spki(s, k),
		    k->spki_len, (uint16_t)map[k->ta], k->expires) == -1)
			goto out;
	}
	rc = 0;
 out:
	free(map);
	return rc;
}

int
vrpset_equal(const struct vrpset *a, const struct vrpset *b)
{
	size_t i;

	if (a->nvrps != b->nvrps || a->naspas != b->naspas ||
	    a->nrkeys != b->nrkeys)
		return 0;
	for (i = 0; i < a->nvrps; i++)
		if (vrp_cmp(&a->vrps[i], &b->vrps[i]) != 0)
			return 0;
	for (i = 0; i < a->naspas; i++)
		if (aspa_cmp(a, &a->aspas[i], b, &b->aspas[i]) != 0)
			return 0;
	for (i = 0; i < a->nrkeys; i++)
		if (rkey_cmp(a, &a->rkeys[i], b, &b->rkeys[i]) != 0)
			return 0;
	return 1;
}
