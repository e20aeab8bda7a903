/*
 * pdu_set.c - serializing whole payload sets and diffs in the order
 * draft-ietf-sidrops-8210bis section 11.2 requires.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdu.h"
#include "pdu_impl.h"

/* ---- whole sets and diffs, in 8210bis section 11.2 order -------------- */

enum part {
	PART_IPV4,		/* PDU types ascend: 4, 6, 9, 11 */
	PART_IPV6,
	PART_RKEY,
	PART_ASPA,
	PART_MAX
};

/* A router key with its SPKI bytes, sortable without the set. */
struct rkref {
	const struct rkey	*k;
	const uint8_t		*spki;
};

/* 8210bis section 11.2.2: SKI, SPKI length, SPKI octets, ASN. */
static int
rkref_cmp(const void *a, const void *b)
{
	const struct rkref	*x = a, *y = b;
	int			 c;

	if ((c = memcmp(x->k->ski, y->k->ski, SKI_LEN)) != 0)
		return c;
	if (x->k->spki_len != y->k->spki_len)
		return x->k->spki_len < y->k->spki_len ? -1 : 1;
	if (x->k->spki_len > 0 &&
	    (c = memcmp(x->spki, y->spki, x->k->spki_len)) != 0)
		return c;
	if (x->k->asn != y->k->asn)
		return x->k->asn < y->k->asn ? -1 : 1;
	return 0;
}

/*
 * The router keys of s in section 11.2.2 order: *out holds s->nrkeys
 * entries for the caller to free (NULL if none).  Returns 0, or -1 on out
 * of memory.  The set's own order (ASN first) differs.
 */
static int
rkey_order(const struct vrpset *s, struct rkref **out)
{
	size_t i;

	*out = NULL;
	if (s->nrkeys == 0)
		return 0;
	if ((*out = calloc(s->nrkeys, sizeof(**out))) == NULL)
		return -1;
	for (i = 0; i < s->nrkeys; i++) {
		(*out)[i].k = &s->rkeys[i];
		(*out)[i].spki = vrpset_spki(s, &s->rkeys[i]);
	}
	qsort(*out, s->nrkeys, sizeof(**out), rkref_cmp);
	return 0;
}

/* Index of the first IPv6 VRP of s: vrp_cmp() orders by AFI first. */
static size_t
vrps_v6_start(const struct vrpset *s)
{
	size_t lo = 0, hi = s->nvrps, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->vrps[mid].afi < AFI_IPV6)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Within one address, 11.2.1 compares max length, prefix length, ASN. */
static int
vrp_key_cmp(const struct vrp *a, const struct vrp *b)
{
	if (a->maxlen != b->maxlen)
		return a->maxlen < b->maxlen ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	return 0;
}

/*
 * Write the k VRPs of one address, v[0..k) in vrp_cmp() order (prefix
 * length, max length, ASN), in section 11.2.1 order: by (max length,
 * prefix length, ASN), descending for announcements, ascending for
 * withdrawals.  Each prefix length is a sorted sub-run already, so merge
 * the sub-runs; no allocation, and linear when (as nearly always) there
 * is one prefix length.
 */
static uint8_t *
write_addr_run(uint8_t *p, uint8_t ver, uint8_t flags, const struct vrp *v,
    size_t k)
{
	size_t			 lo[256], hi[256], ng = 0, g, best = 0;
	size_t			 i;
	const struct vrp	*c, *bv;
	int			 desc = (flags & PDU_FLAG_ANNOUNCE) != 0, cmp;

	if (k == 1)
		return p + write_vrp(p, ver, flags, v);
	for (i = 0; i < k; i++) {
		if (ng == 0 || v[i].plen != v[lo[ng - 1]].plen)
			lo[ng++] = i;
		hi[ng - 1] = i + 1;
	}
	for (; k > 0; k--) {
		bv = NULL;
		for (g = 0; g < ng; g++) {
			if (lo[g] == hi[g])
				continue;
			c = desc ? &v[hi[g] - 1] : &v[lo[g]];
			cmp = bv == NULL ? 0 : vrp_key_cmp(c, bv);
			if (bv == NULL || (desc ? cmp > 0 : cmp < 0)) {
				bv = c;
				best = g;
			}
		}
		p += write_vrp(p, ver, flags, bv);
		if (desc)
			hi[best]--;
		else
			lo[best]++;
	}
	return p;
}

/*
 * Write v[0..n), VRPs of one AFI in vrp_cmp() order, in section 11.2.1
 * order: announcements by descending address, withdrawals ascending.
 */
static uint8_t *
write_vrps(uint8_t *p, uint8_t ver, uint8_t flags, const struct vrp *v,
    size_t n)
{
	size_t i, j, alen;

	if (n == 0)
		return p;
	alen = v[0].afi == AFI_IPV4 ? 4 : 16;
	if (flags & PDU_FLAG_ANNOUNCE) {
		for (j = n; j > 0; j = i) {
			i = j - 1;
			while (i > 0 &&
			    memcmp(v[i - 1].addr, v[j - 1].addr, alen) == 0)
				i--;
			p = write_addr_run(p, ver, flags, v + i, j - i);
		}
	} else {
		for (i = 0; i < n; i = j) {
			j = i + 1;
			while (j < n && memcmp(v[j].addr, v[i].addr, alen) == 0)
				j++;
			p = write_addr_run(p, ver, flags, v + i, j - i);
		}
	}
	return p;
}

/*
 * Bytes of one part of s for version ver; its PDU count in *npdus.
 * ASPAs whose customer is in skip are left out: a diff withdraws a
 * replaced record too, but on the wire the announcement alone replaces
 * it (8210bis section 5.12), and a withdrawal after it would delete the
 * new record.
 */
static size_t
part_size(const struct vrpset *s, enum part part, uint8_t ver,
    enum aspa_pdu_format fmt, uint8_t flags, const struct vrpset *skip,
    size_t *npdus)
{
	size_t i, len, k, total = 0, v6 = vrps_v6_start(s);

	*npdus = 0;
	switch (part) {
	case PART_IPV4:
		*npdus = v6;
		return v6 * PDU_IPV4_LEN;
	case PART_IPV6:
		*npdus = s->nvrps - v6;
		return (s->nvrps - v6) * PDU_IPV6_LEN;
	case PART_RKEY:
		for (i = 0; ver >= 1 && i < s->nrkeys; i++) {
			if ((len = rkey_pdu_len(ver, s->rkeys[i].spki_len)) > 0)
				(*npdus)++;
			total += len;
		}
		return total;
	case PART_ASPA:
		for (i = 0; ver >= 2 && i < s->naspas; i++) {
			if (vrpset_find_customer(skip, s->aspas[i].customer)
			    != NULL)
				continue;
			total += aspa_bytes(ver, fmt, flags,
			    vrpset_providers(s, &s->aspas[i]),
			    s->aspas[i].prov_n, &k);
			*npdus += k;
		}
		return total;
	default:
		return 0;
	}
}

/* Write one part of s at p (rk: s's keys from rkey_order()). */
static uint8_t *
part_write(uint8_t *p, const struct vrpset *s, enum part part, uint8_t ver,
    enum aspa_pdu_format fmt, uint8_t flags, const struct rkref *rk,
    const struct vrpset *skip)
{
	const struct aspa	*a;
	size_t			 i, k, v6 = vrps_v6_start(s);

	switch (part) {
	case PART_IPV4:
		return write_vrps(p, ver, flags, s->vrps, v6);
	case PART_IPV6:
		return write_vrps(p, ver, flags, s->vrps + v6, s->nvrps - v6);
	case PART_RKEY:
		for (i = 0; ver >= 1 && i < s->nrkeys; i++)
			if (rkey_pdu_len(ver, rk[i].k->spki_len) > 0)
				p += write_rkey(p, ver, flags, rk[i].k->asn,
				    rk[i].k->ski, rk[i].spki,
				    rk[i].k->spki_len);
		return p;
	case PART_ASPA:
		for (i = 0; ver >= 2 && i < s->naspas; i++) {
			a = &s->aspas[i];
			if (vrpset_find_customer(skip, a->customer) != NULL)
				continue;
			if (aspa_bytes(ver, fmt, flags,
			    vrpset_providers(s, a), a->prov_n, &k) > 0)
				p += write_aspa(p, ver, fmt, flags,
				    a->customer, vrpset_providers(s, a),
				    a->prov_n);
		}
		return p;
	default:
		return p;
	}
}

size_t
pdu_put_set(struct buf *b, uint8_t ver, enum aspa_pdu_format fmt,
    uint8_t flags, const struct vrpset *s)
{
	struct rkref	*rk;
	size_t		 total = 0, npdus = 0, k;
	uint8_t		*start, *p;
	int		 part;

	if (rkey_order(s, &rk) == -1) {
		b->failed = 1;
		return 0;
	}
	for (part = 0; part < PART_MAX; part++) {
		total += part_size(s, part, ver, fmt, flags, NULL, &k);
		npdus += k;
	}
	if ((start = put_begin(b, total)) == NULL) {
		free(rk);
		return 0;
	}
	p = start;
	for (part = 0; part < PART_MAX; part++)
		p = part_write(p, s, part, ver, fmt, flags, rk, NULL);
	put_end(b, (size_t)(p - start));
	free(rk);
	return npdus;
}

size_t
pdu_put_diff(struct buf *b, uint8_t ver, enum aspa_pdu_format fmt,
    const struct vrpdiff *d)
{
	const struct vrpset	*ann = d->announced, *wd = d->withdrawn;
	struct rkref		*rka = NULL, *rkw = NULL;
	size_t			 total = 0, npdus = 0, k;
	uint8_t			*start, *p;
	int			 part;

	if (rkey_order(ann, &rka) == -1 || rkey_order(wd, &rkw) == -1) {
		b->failed = 1;
		npdus = 0;
		goto out;
	}
	for (part = 0; part < PART_MAX; part++) {
		total += part_size(ann, part, ver, fmt, PDU_FLAG_ANNOUNCE,
		    NULL, &k);
		npdus += k;
		total += part_size(wd, part, ver, fmt, PDU_FLAG_WITHDRAW,
		    ann, &k);
		npdus += k;
	}
	if ((start = put_begin(b, total)) == NULL) {
		npdus = 0;
		goto out;
	}
	/* 11.2: by PDU type, and within a type announcements first. */
	p = start;
	for (part = 0; part < PART_MAX; part++) {
		p = part_write(p, ann, part, ver, fmt, PDU_FLAG_ANNOUNCE, rka,
		    NULL);
		p = part_write(p, wd, part, ver, fmt, PDU_FLAG_WITHDRAW, rkw,
		    ann);
	}
	put_end(b, (size_t)(p - start));
out:
	free(rka);
	free(rkw);
	return npdus;
}
