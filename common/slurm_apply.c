/*
 * slurm_apply.c - applying a parsed SLURM file to a payload set: drop
 * what the filters match (RFC 8416 section 3.3), add the assertions
 * (section 3.4).
 */
#include <stdlib.h>
#include <string.h>

#include "slurm.h"
#include "slurm_impl.h"

static int
vrp_asn_qcmp(const void *a, const void *b)
{
	const struct vrp *x = a, *y = b;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	return vrp_cmp(x, y);
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return vrp_cmp(a, b);
}

static int
ski_qcmp(const void *a, const void *b)
{
	const struct kfilter *x = a, *y = b;

	return memcmp(x->ski, y->ski, SKI_LEN);
}

static int
kfilter_qcmp(const void *a, const void *b)
{
	const struct kfilter *x = a, *y = b;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	return memcmp(x->ski, y->ski, SKI_LEN);
}

/*
 * Sort the filter tables for slurm_apply().  Prefix-only filters that lie
 * within another one are dropped, so that the rest are disjoint: sorted
 * by address then length, a covered prefix comes right after the kept
 * one that covers it.
 */
void
slurm_index(struct slurm *s)
{
	size_t i, n = 0;

	qsort(s->pf_asn, s->npf_asn, sizeof(uint32_t), slurm_u32_cmp);
	qsort(s->pf_both, s->npf_both, sizeof(struct vrp), vrp_asn_qcmp);
	qsort(s->pf_pfx, s->npf_pfx, sizeof(struct vrp), vrp_qcmp);
	for (i = 0; i < s->npf_pfx; i++)
		if (n == 0 || !prefix_covers(&s->pf_pfx[n - 1], &s->pf_pfx[i]))
			s->pf_pfx[n++] = s->pf_pfx[i];
	s->npf_pfx = n;
	qsort(s->kf_asn, s->nkf_asn, sizeof(uint32_t), slurm_u32_cmp);
	qsort(s->kf_ski, s->nkf_ski, sizeof(struct kfilter), ski_qcmp);
	qsort(s->kf_both, s->nkf_both, sizeof(struct kfilter), kfilter_qcmp);
	qsort(s->af, s->naf, sizeof(uint32_t), slurm_u32_cmp);
}

static int
u32_find(const uint32_t *a, size_t n, uint32_t x)
{
	return bsearch(&x, a, n, sizeof(x), slurm_u32_cmp) != NULL;
}

/* Index of the first VRP of in not below key in the set's order. */
static size_t
vrp_lower_bound(const struct vrpset *in, const struct vrp *key)
{
	size_t lo = 0, hi = in->nvrps, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (vrp_cmp(&in->vrps[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Mark the VRPs within a prefix-only filter.  The set is sorted by AFI,
 * address, then length (vrp_cmp), so the prefixes within filter P are
 * one run: from the first entry not below (P, /len) to the first entry
 * not covered.  A prefix sorting in between with a shorter length would
 * have to start at P's address and so sort before P.  The filters are
 * disjoint (slurm_index), so this is at most one pass over the set.
 */
static void
vrps_mark(const struct slurm *s, const struct vrpset *in, uint8_t *drop)
{
	const struct vrp	*f;
	size_t			 i, j;

	for (j = 0; j < s->npf_pfx; j++) {
		f = &s->pf_pfx[j];
		for (i = vrp_lower_bound(in, f); i < in->nvrps &&
		    prefix_covers(f, &in->vrps[i]); i++)
			drop[i] = 1;
	}
}

/* 1 if an ASN-only or a prefix-and-ASN filter matches v. */
static int
vrp_filtered(const struct slurm *s, const struct vrp *v)
{
	size_t lo = 0, hi = s->npf_both, mid;

	if (u32_find(s->pf_asn, s->npf_asn, v->asn))
		return 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->pf_both[mid].asn < v->asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->npf_both && s->pf_both[lo].asn == v->asn; lo++)
		if (prefix_covers(&s->pf_both[lo], v))
			return 1;
	return 0;
}

/* RFC 8416 section 3.3.2: 1 if a BGPsec filter matches k. */
static int
rkey_filtered(const struct slurm *s, const struct rkey *k)
{
	struct kfilter key;

	key.asn = k->asn;
	memcpy(key.ski, k->ski, SKI_LEN);
	return u32_find(s->kf_asn, s->nkf_asn, k->asn) ||
	    bsearch(&key, s->kf_ski, s->nkf_ski, sizeof(key),
	    ski_qcmp) != NULL ||
	    bsearch(&key, s->kf_both, s->nkf_both, sizeof(key),
	    kfilter_qcmp) != NULL;
}

/* The builder's index for TA ta of in; map holds in's names in order. */
static int
ta_map(struct vrpset_builder *b, const struct vrpset *in, const int *map,
    uint16_t ta)
{
	if (ta < in->ntas)
		return map[ta];
	return vrpset_builder_ta(b, vrpset_ta_name(in, ta));
}

/* Copy the entries of in that no filter matches into b. */
static int
copy_unfiltered(const struct slurm *s, const struct vrpset *in,
    const uint8_t *drop, const int *map, struct vrpset_builder *b)
{
	struct vrp		 v;
	const struct aspa	*a;
	const struct rkey	*k;
	size_t			 i;
	int			 ta;

	for (i = 0; i < in->nvrps; i++) {
		if (drop[i] || vrp_filtered(s, &in->vrps[i]))
			continue;
		v = in->vrps[i];
		if ((ta = ta_map(b, in, map, v.ta)) == -1)
			return -1;
		v.ta = (uint16_t)ta;
		if (vrpset_add_vrp(b, &v) == -1)
			return -1;
	}
	for (i = 0; i < in->naspas; i++) {
		a = &in->aspas[i];
		if (u32_find(s->af, s->naf, a->customer))
			continue;
		if ((ta = ta_map(b, in, map, a->ta)) == -1 ||
		    vrpset_add_aspa(b, a->customer, vrpset_providers(in, a),
		    a->prov_n, (uint16_t)ta, a->expires) == -1)
			return -1;
	}
	for (i = 0; i < in->nrkeys; i++) {
		k = &in->rkeys[i];
		if (rkey_filtered(s, k))
			continue;
		if ((ta = ta_map(b, in, map, k->ta)) == -1 ||
		    vrpset_add_rkey(b, k->asn, k->ski, vrpset_spki(in, k),
		    k->spki_len, (uint16_t)ta, k->expires) == -1)
			return -1;
	}
	return 0;
}

/* Add the assertions of s to b under TA ta, with no expiry. */
static int
add_assertions(const struct slurm *s, struct vrpset_builder *b, uint16_t ta)
{
	struct vrp	v;
	size_t		i;

	for (i = 0; i < s->npa; i++) {
		v = s->pa[i];
		v.ta = ta;
		if (vrpset_add_vrp(b, &v) == -1)
			return -1;
	}
	for (i = 0; i < s->nka; i++)
		if (vrpset_add_rkey(b, s->ka[i].asn, s->ka[i].ski,
		    s->ka[i].spki, s->ka[i].spkilen, ta, 0) == -1)
			return -1;
	for (i = 0; i < s->naa; i++)
		if (vrpset_add_aspa(b, s->aa[i].customer, s->aa[i].prov,
		    s->aa[i].nprov, ta, 0) == -1)
			return -1;
	return 0;
}

struct vrpset *
slurm_apply(const struct slurm *s, const struct vrpset *in)
{
	struct vrpset_builder	*b;
	struct vrpset		*out = NULL;
	uint8_t			*drop = NULL;
	int			*map = NULL;
	size_t			 i;
	int			 ta;

	if ((b = vrpset_builder_new()) == NULL ||
	    (map = calloc(in->ntas + 1, sizeof(int))) == NULL ||
	    (drop = calloc(in->nvrps + 1, 1)) == NULL)
		goto out;
	for (i = 0; i < in->ntas; i++)
		if ((map[i] = vrpset_builder_ta(b, in->tas[i])) == -1)
			goto out;
	if ((ta = vrpset_builder_ta(b, SLURM_TA_NAME)) == -1)
		goto out;
	vrps_mark(s, in, drop);
	if (copy_unfiltered(s, in, drop, map, b) == -1 ||
	    add_assertions(s, b, (uint16_t)ta) == -1)
		goto out;
	out = vrpset_build(b);	/* consumes b */
	b = NULL;
 out:
	vrpset_builder_free(b);
	free(map);
	free(drop);
	return out;
}
