/*
 * vrpdiff.c - the difference between two payload sets, and applying it.
 *
 * Both sets are sorted by identity, so the diff is one linear merge per
 * payload kind.  The announced and withdrawn halves are built as sets of
 * their own that carry a copy of the TA names of the set they came from,
 * so an entry's ta index stays meaningful.
 */
#include <stdlib.h>
#include <string.h>

#include "vrpset.h"

/* A builder pre-loaded with all of s's TA names, same indices. */
static struct vrpset_builder *
builder_like(const struct vrpset *s)
{
	struct vrpset_builder	*b;
	size_t			 i;

	if ((b = vrpset_builder_new()) == NULL)
		return NULL;
	for (i = 0; i < s->ntas; i++) {
		if (vrpset_builder_ta(b, s->tas[i]) != (int)i) {
			vrpset_builder_free(b);
			return NULL;
		}
	}
	return b;
}

static int
diff_vrps(const struct vrpset *o, const struct vrpset *n,
    struct vrpset_builder *ann, struct vrpset_builder *wd)
{
	size_t	i = 0, j = 0;
	int	c;

	while (i < o->nvrps || j < n->nvrps) {
		if (i == o->nvrps)
			c = 1;
		else if (j == n->nvrps)
			c = -1;
		else
			c = vrp_cmp(&o->vrps[i], &n->vrps[j]);
		if (c < 0) {
			if (vrpset_add_vrp(wd, &o->vrps[i++]) == -1)
				return -1;
		} else if (c > 0) {
			if (vrpset_add_vrp(ann, &n->vrps[j++]) == -1)
				return -1;
		} else {
			i++;
			j++;
		}
	}
	return 0;
}

static int
add_aspa_from(struct vrpset_builder *b, const struct vrpset *s,
    const struct aspa *a)
{
	return vrpset_add_aspa(b, a->customer, vrpset_providers(s, a),
	    a->prov_n, a->ta, a->expires);
}

/*
 * A changed provider list is the old record withdrawn and the new one
 * announced, so that diffs compose as plain set operations; on the wire
 * (RFC 8210bis) the pair becomes one announce that replaces.
 */
static int
diff_aspas(const struct vrpset *o, const struct vrpset *n,
    struct vrpset_builder *ann, struct vrpset_builder *wd)
{
	size_t	i = 0, j = 0;
	int	c;

	while (i < o->naspas || j < n->naspas) {
		if (i == o->naspas)
			c = 1;
		else if (j == n->naspas)
			c = -1;
		else if (o->aspas[i].customer != n->aspas[j].customer)
			c = o->aspas[i].customer < n->aspas[j].customer ?
			    -1 : 1;
		else
			c = 0;
		if (c < 0) {
			if (add_aspa_from(wd, o, &o->aspas[i++]) == -1)
				return -1;
		} else if (c > 0) {
			if (add_aspa_from(ann, n, &n->aspas[j++]) == -1)
				return -1;
		} else {
			if (aspa_cmp(o, &o->aspas[i], n, &n->aspas[j]) != 0 &&
			    (add_aspa_from(wd, o, &o->aspas[i]) == -1 ||
			    add_aspa_from(ann, n, &n->aspas[j]) == -1))
				return -1;
			i++;
			j++;
		}
	}
	return 0;
}

static int
add_rkey_from(struct vrpset_builder *b, const struct vrpset *s,
    const struct rkey *k)
{
	return vrpset_add_rkey(b, k->asn, k->ski, vrpset_spki(s, k),
	    k->spki_len, k->ta, k->expires);
}

static int
diff_rkeys(const struct vrpset *o, const struct vrpset *n,
    struct vrpset_builder *ann, struct vrpset_builder *wd)
{
	size_t	i = 0, j = 0;
	int	c;

	while (i < o->nrkeys || j < n->nrkeys) {
		if (i == o->nrkeys)
			c = 1;
		else if (j == n->nrkeys)
			c = -1;
		else
			c = rkey_cmp(o, &o->rkeys[i], n, &n->rkeys[j]);
		if (c < 0) {
			if (add_rkey_from(wd, o, &o->rkeys[i++]) == -1)
				return -1;
		} else if (c > 0) {
			if (add_rkey_from(ann, n, &n->rkeys[j++]) == -1)
				return -1;
		} else {
			i++;
			j++;
		}
	}
	return 0;
}

int
vrpset_diff(const struct vrpset *old, const struct vrpset *new,
    struct vrpdiff *d)
{
	struct vrpset_builder *ann, *wd = NULL;

	memset(d, 0, sizeof(*d));
	if ((ann = builder_like(new)) == NULL || (wd = builder_like(old))
	    == NULL)
		goto fail;
	if (diff_vrps(old, new, ann, wd) == -1 ||
	    diff_aspas(old, new, ann, wd) == -1 ||
	    diff_rkeys(old, new, ann, wd) == -1)
		goto fail;
	/* Both halves are already in order; build only compacts them. */
	d->announced = vrpset_build(ann);
	ann = NULL;
	d->withdrawn = vrpset_build(wd);
	wd = NULL;
	if (d->announced == NULL || d->withdrawn == NULL)
		goto fail;
	return 0;
 fail:
	vrpset_builder_free(ann);
	vrpset_builder_free(wd);
	vrpdiff_free(d);
	return -1;
}

size_t
vrpdiff_count(const struct vrpdiff *d)
{
	const struct vrpset *a = d->announced, *w = d->withdrawn;

	return a->nvrps + a->naspas + a->nrkeys +
	    w->nvrps + w->naspas + w->nrkeys;
}

void
vrpdiff_free(struct vrpdiff *d)
{
	vrpset_unref(d->announced);
	vrpset_unref(d->withdrawn);
	d->announced = d->withdrawn = NULL;
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return vrp_cmp(a, b);
}

static int
has_vrp(const struct vrpset *s, const struct vrp *v)
{
	return s->nvrps > 0 &&
	    bsearch(v, s->vrps, s->nvrps, sizeof(*v), vrp_qcmp) != NULL;
}

/*
 * Binary search for an entry whose identity equals key's, where entries
 * live in set s and key in set ks (their pools differ): cmp is aspa_cmp
 * or rkey_cmp, base/n/sz the array of s.
 */
typedef int (*pooled_cmp)(const struct vrpset *, const void *,
    const struct vrpset *, const void *);

static int
has_pooled(const struct vrpset *s, const void *base, size_t n, size_t sz,
    pooled_cmp cmp, const struct vrpset *ks, const void *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = cmp(s, (const char *)base + mid * sz, ks, key);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
cmp_rkey(const struct vrpset *sa, const void *a, const struct vrpset *sb,
    const void *b)
{
	return rkey_cmp(sa, a, sb, b);
}

static int
cmp_aspa(const struct vrpset *sa, const void *a, const struct vrpset *sb,
    const void *b)
{
	return aspa_cmp(sa, a, sb, b);
}

static int
has_rkey(const struct vrpset *s, const struct vrpset *ks,
    const struct rkey *k)
{
	return has_pooled(s, s->rkeys, s->nrkeys, sizeof(*k), cmp_rkey, ks, k);
}

static int
has_aspa(const struct vrpset *s, const struct vrpset *as,
    const struct aspa *a)
{
	return has_pooled(s, s->aspas, s->naspas, sizeof(*a), cmp_aspa, as,
	    a);
}

/* Copy what of old survives d into b, with TA indices mapped by map. */
static int
apply_keep(struct vrpset_builder *b, const struct vrpset *old,
    const struct vrpdiff *d, const int *map)
{
	const struct vrpset	*w = d->withdrawn, *a = d->announced;
	size_t			 i;

	for (i = 0; i < old->nvrps; i++) {
		struct vrp v = old->vrps[i];

		if (has_vrp(w, &v))
			continue;
		v.ta = (uint16_t)map[v.ta];
		if (vrpset_add_vrp(b, &v) == -1)
			return -1;
	}
	for (i = 0; i < old->naspas; i++) {
		const struct aspa *x = &old->aspas[i];

		if (vrpset_find_customer(w, x->customer) != NULL ||
		    vrpset_find_customer(a, x->customer) != NULL)
			continue;
		if (vrpset_add_aspa(b, x->customer, vrpset_providers(old, x),
		    x->prov_n, (uint16_t)map[x->ta], x->expires) == -1)
			return -1;
	}
	for (i = 0; i < old->nrkeys; i++) {
		const struct rkey *k = &old->rkeys[i];

		if (has_rkey(w, old, k))
			continue;
		if (vrpset_add_rkey(b, k->asn, k->ski, vrpset_spki(old, k),
		    k->spki_len, (uint16_t)map[k->ta], k->expires) == -1)
			return -1;
	}
	return 0;
}

struct vrpset *
vrpset_apply(const struct vrpset *old, const struct vrpdiff *d)
{
	struct vrpset_builder	*b;
	int			*map = NULL;
	size_t			 i;

	if ((b = vrpset_builder_new()) == NULL)
		return NULL;
	if ((map = calloc(old->ntas + 1, sizeof(int))) == NULL)
		goto fail;
	for (i = 0; i < old->ntas; i++)
		if ((map[i] = vrpset_builder_ta(b, old->tas[i])) == -1)
			goto fail;
	if (apply_keep(b, old, d, map) == -1 ||
	    vrpset_builder_add_set(b, d->announced) == -1)
		goto fail;
	free(map);
	return vrpset_build(b);
 fail:
	free(map);
	vrpset_builder_free(b);
	return NULL;
}

/* Add to b every entry of s that is not in minus (by full identity). */
static int
add_minus(struct vrpset_builder *b, const struct vrpset *s,
    const struct vrpset *minus)
{
	size_t	i;
	int	ta;

	for (i = 0; i < s->nvrps; i++) {
		struct vrp v = s->vrps[i];

		if (has_vrp(minus, &v))
			continue;
		if ((ta = vrpset_builder_ta(b, vrpset_ta_name(s, v.ta))) == -1)
			return -1;
		v.ta = (uint16_t)ta;
		if (vrpset_add_vrp(b, &v) == -1)
			return -1;
	}
	for (i = 0; i < s->naspas; i++) {
		const struct aspa *a = &s->aspas[i];

		if (has_aspa(minus, s, a))
			continue;
		if ((ta = vrpset_builder_ta(b, vrpset_ta_name(s, a->ta))) == -1 ||
		    vrpset_add_aspa(b, a->customer, vrpset_providers(s, a),
		    a->prov_n, (uint16_t)ta, a->expires) == -1)
			return -1;
	}
	for (i = 0; i < s->nrkeys; i++) {
		const struct rkey *k = &s->rkeys[i];

		if (has_rkey(minus, s, k))
			continue;
		if ((ta = vrpset_builder_ta(b, vrpset_ta_name(s, k->ta))) == -1 ||
		    vrpset_add_rkey(b, k->asn, k->ski, vrpset_spki(s, k),
		    k->spki_len, (uint16_t)ta, k->expires) == -1)
			return -1;
	}
	return 0;
}

int
vrpdiff_compose(const struct vrpdiff *d1, const struct vrpdiff *d2,
    struct vrpdiff *out)
{
	struct vrpset_builder *ann = NULL, *wd = NULL;

	memset(out, 0, sizeof(*out));
	if ((ann = vrpset_builder_new()) == NULL ||
	    (wd = vrpset_builder_new()) == NULL)
		goto fail;
	/*
	 * Over A -> B -> C: what B gained and C lost cancels, and so does
	 * what B lost and C regained.  The two halves of each side are
	 * disjoint, since a set holds an identity at most once.
	 */
	if (add_minus(ann, d1->announced, d2->withdrawn) == -1 ||
	    add_minus(ann, d2->announced, d1->withdrawn) == -1 ||
	    add_minus(wd, d1->withdrawn, d2->announced) == -1 ||
	    add_minus(wd, d2->withdrawn, d1->announced) == -1)
		goto fail;
	out->announced = vrpset_build(ann);
	ann = NULL;
	out->withdrawn = vrpset_build(wd);
	wd = NULL;
	if (out->announced == NULL || out->withdrawn == NULL)
		goto fail;
	return 0;
 fail:
	vrpset_builder_free(ann);
	vrpset_builder_free(wd);
	vrpdiff_free(out);
	return -1;
}
