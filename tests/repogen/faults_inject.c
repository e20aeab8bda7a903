/*
 * faults_inject.c - putting rpki-repogen's object faults (faults.h) into
 * a repository: picking the victims, adding to the plan what some faults
 * need, and the hooks pubpoint.c calls while it writes.
 *
 * Victims: the member CAs without children that hold ROAs, shuffled by
 * the seed.  Each fault that spoils a whole CA (its certificate, its
 * manifest or CRL, what it issues below itself) takes one of them for
 * itself, so that no fault hides another; each fault of one object takes
 * a ROA of its own, in the remaining CAs, the least used first.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "faults.h"

#define HOUR		3600
#define DAY		86400

/* oversized: IPv6 /127s (25 bytes each in the eContent): 4.5 MB. */
#define FAULT_PAD	180000

#define ASN_DOC		64496		/* RFC 5398: documentation */
#define ASN_PRIVATE	4200000000U	/* RFC 6996: private use */

/*
 * The possible victims: member CAs without children holding ROAs, in an
 * order shuffled by the seed (Fisher-Yates).  Returns their number, or
 * -1 (out of memory).
 */
static ssize_t
victims_shuffled(const struct plan *pl, uint32_t **out)
{
	struct rng	 r;
	uint32_t	*c, t;
	size_t		 i, j, n = 0;

	if ((c = calloc(pl->ncas + 1, sizeof(*c))) == NULL)
		return -1;
	for (i = 0; i < pl->ncas; i++)
		if (pl->cas[i].kind == RG_MEMBER && pl->cas[i].nchild == 0 &&
		    pl->cas[i].nroa > 0)
			c[n++] = (uint32_t)i;
	r.s = pl->p.seed ^ 0x6661756c74730000ULL;	/* "faults" */
	for (i = n; i > 1; i--) {
		j = rng_below(&r, (uint32_t)i);
		t = c[i - 1];
		c[i - 1] = c[j];
		c[j] = t;
	}
	*out = c;
	return (ssize_t)n;
}

/*
 * Pick every victim (see the top comment).  An ASPA fault takes a CA
 * that has no ASPA (its added one is then the only file of its name),
 * one of its own, among those left by the faults of whole CAs; so does
 * a fault that adds a router certificate, to any such CA.
 */
static int
faults_pick(struct faults *f, const struct plan *pl, struct err *e)
{
	uint32_t	*c = NULL, *load = NULL;
	uint8_t		*used = NULL;
	ssize_t		 nc;
	size_t		 k, i, next = 0, best, need = 0, needroa = 0;
	size_t		 needadd = 0;
	int		 rc = -1, aspa, added;

	for (k = 0; k < FAULT_N; k++)
		if (f->on[k])
			faults_whole_ca((enum fault_id)k) ? need++ :
			    faults_aspa((enum fault_id)k) ||
			    faults_adds((enum fault_id)k) ? needadd++ :
			    needroa++;
	if ((nc = victims_shuffled(pl, &c)) == -1 ||
	    (load = calloc((size_t)nc + 1, sizeof(*load))) == NULL ||
	    (used = calloc((size_t)nc + 1, 1)) == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	for (k = 0; k < FAULT_N; k++) {
		if (!f->on[k] || !faults_whole_ca((enum fault_id)k))
			continue;
		if (next == (size_t)nc)
			goto few;
		/* The manifest faults spoil the entry of the first ROA. */
		f->v[k] = (struct fault_victim){ c[next++],
		    k == FAULT_MFT_HASH || k == FAULT_MFT_MISSING ? 0 :
		    FAULT_NO_ROA, FAULT_NO_ROA, 0, 0 };
	}
	for (k = 0; k < FAULT_N; k++) {
		if (!f->on[k] || faults_whole_ca((enum fault_id)k))
			continue;
		aspa = faults_aspa((enum fault_id)k);
		added = aspa || faults_adds((enum fault_id)k);
		best = SIZE_MAX;
		for (i = next; i < (size_t)nc; i++) {
			if (added ? used[i] || (aspa && pl->cas[c[i]].naspa >
			    0) : load[i] >= pl->cas[c[i]].nroa)
				continue;
			if (best == SIZE_MAX || load[i] < load[best])
				best = i;
		}
		if (best == SIZE_MAX)
			goto few;
		if (added) {
			used[best] = 1;
			f->v[k] = (struct fault_victim){ c[best], FAULT_NO_ROA,
			    FAULT_NO_ROA, 0, 0 };
		} else
			f->v[k] = (struct fault_victim){ c[best],
			    load[best]++, FAULT_NO_ROA, 0, 0 };
	}
	rc = 0;
	goto out;
 few:
	err_set(e, "-faults: %zu faults need a member CA of their own, %zu "
	    "more a ROA of their own in other members and %zu more another "
	    "member (without an ASPA, for the ASPA faults); this repository "
	    "has %zd member CAs without children holding ROAs: ask for more "
	    "-cas or -roas", need, needroa, needadd, nc);
 out:
	free(c);
	free(load);
	free(used);
	return rc;
}

/* Append copies of n prefixes from pl->pfx[off]; their offset, or -1. */
static int64_t
pfx_copy(struct plan *pl, size_t off, size_t n)
{
	struct rg_prefix *p;

	if ((p = realloc(pl->pfx, (pl->npfx + n) * sizeof(*p))) == NULL)
		return -1;
	pl->pfx = p;
	memcpy(&p[pl->npfx], &p[off], n * sizeof(*p));
	pl->npfx += n;
	return (int64_t)(pl->npfx - n);
}

/* The flat arrays of the plan that hold a slice per CA. */
enum slice { SL_ROA, SL_ASPA, SL_ROUTER, SL_REVOKED };

/* Where CA c's slice of s starts (off) or how long it is. */
static uint32_t *
slice_field(struct rg_ca *c, enum slice s, int off)
{
	switch (s) {
	case SL_ROA:
		return off ? &c->roa_off : &c->nroa;
	case SL_ASPA:
		return off ? &c->aspa_off : &c->naspa;
	case SL_ROUTER:
		return off ? &c->router_off : &c->nrouter;
	default:
		return off ? &c->rev_off : &c->nrev;
	}
}

/*
 * One more element, of size sz, at the end of CA ca's slice of s in the
 * array arr of *len elements: the array grown (returned; NULL if out of
 * memory, arr unchanged), what follows moved up, the later CAs' slices
 * with it, *len and the slice one longer; *pos is the new element's
 * index in arr, its contents to be set by the caller.
 */
static void *
slice_grow(struct plan *pl, size_t ca, enum slice s, void *arr,
    size_t *len, size_t sz, size_t *pos)
{
	struct rg_ca	*c = &pl->cas[ca];
	char		*a;
	size_t		 i;

	*pos = *slice_field(c, s, 1) + *slice_field(c, s, 0);
	if ((a = realloc(arr, (*len + 1) * sz)) == NULL)
		return NULL;
	memmove(a + (*pos + 1) * sz, a + *pos * sz, (*len - *pos) * sz);
	(*len)++;
	for (i = 0; i < pl->ncas; i++)
		if (i != ca && *slice_field(&pl->cas[i], s, 1) >= *pos)
			(*slice_field(&pl->cas[i], s, 1))++;
	(*slice_field(c, s, 0))++;
	return a;
}

/*
 * Add to CA ca a ROA for asn with copies of the prefixes of its ROA
 * tmpl, after its others.  Returns its index in ca, or -1.
 */
static int64_t
roa_add(struct plan *pl, size_t ca, size_t tmpl, uint32_t asn)
{
	struct rg_ca	*c = &pl->cas[ca];
	struct rg_roa	 x, *r;
	size_t		 pos;
	int64_t		 off;

	x = pl->roas[c->roa_off + tmpl];
	if ((off = pfx_copy(pl, x.pfx_off, x.npfx)) == -1 ||
	    (r = slice_grow(pl, ca, SL_ROA, pl->roas, &pl->nroas,
	    sizeof(*r), &pos)) == NULL)
		return -1;
	pl->roas = r;
	x.asn = asn;
	x.pfx_off = (uint32_t)off;
	x.id = c->next_roa++;
	x.revoked = 0;
	r[pos] = x;
	return (int64_t)c->nroa - 1;
}

/*
 * Add to CA ca, which has no ASPA, an ASPA for customer with the n
 * providers prov (ascending).  Returns its index in ca, or -1.
 */
static int64_t
aspa_add(struct plan *pl, size_t ca, uint32_t customer,
    const uint32_t *prov, size_t n)
{
	struct rg_aspa	*a;
	uint32_t	*pv;
	size_t		 pos;

	if ((pv = realloc(pl->prov, (pl->nprov + n) * sizeof(*pv))) == NULL)
		return -1;
	pl->prov = pv;
	if ((a = slice_grow(pl, ca, SL_ASPA, pl->aspas, &pl->naspas,
	    sizeof(*a), &pos)) == NULL)
		return -1;
	pl->aspas = a;
	memcpy(&pv[pl->nprov], prov, n * sizeof(*pv));
	a[pos] = (struct rg_aspa){ customer, (uint32_t)pl->nprov,
	    (uint32_t)n };
	pl->nprov += n;
	return (int64_t)pl->cas[ca].naspa - 1;
}

/*
 * Add to CA ca a router certificate for asn, with the next router key.
 * Returns its index in ca, or -1.
 */
static int64_t
router_add(struct plan *pl, size_t ca, uint32_t asn)
{
	struct rg_router *r;
	size_t		 pos;

	if ((r = slice_grow(pl, ca, SL_ROUTER, pl->routers, &pl->nrouters,
	    sizeof(*r), &pos)) == NULL)
		return -1;
	pl->routers = r;
	/* The key after every other: nrouters counts this one already. */
	r[pos] = (struct rg_router){ asn, (uint32_t)pl->nrouters - 1 };
	return (int64_t)pl->cas[ca].nrouter - 1;
}

/* Put serial on CA ca's CRL (plan.revoked).  0, or -1. */
static int
serial_revoke(struct plan *pl, size_t ca, uint64_t serial)
{
	uint64_t	*v;
	size_t		 pos;

	if ((v = slice_grow(pl, ca, SL_REVOKED, pl->revoked, &pl->nrevoked,
	    sizeof(*v), &pos)) == NULL)
		return -1;
	pl->revoked = v;
	v[pos] = serial;
	return 0;
}

/* revoked-ee: the ROA's EE serial onto its CA's CRL. */
static int
roa_revoke(struct plan *pl, size_t ca, size_t i)
{
	struct rg_roa	*r = &pl->roas[pl->cas[ca].roa_off + i];

	if (serial_revoke(pl, ca, plan_serial(r->gen, RG_SER_ROA,
	    r->id)) == -1)
		return -1;
	r->revoked = 1;
	return 0;
}

/* Give CA ca, childless, the n children kids.  0, or -1. */
static int
child_set(struct plan *pl, size_t ca, const uint32_t *kids, size_t n)
{
	uint32_t	*ch;
	size_t		 i, total = 0;

	for (i = 0; i < pl->ncas; i++)
		total += pl->cas[i].nchild;
	if ((ch = realloc(pl->child, (total + n) * sizeof(*ch))) == NULL)
		return -1;
	pl->child = ch;
	memcpy(&ch[total], kids, n * sizeof(*ch));
	pl->cas[ca].child_off = (uint32_t)total;
	pl->cas[ca].nchild = (uint32_t)n;
	return 0;
}

/*
 * deep-chain: CAs below the victim down to FAULT_DEPTH_MAX + 1 below
 * its TA, each holding the victim's resources and one ROA of the first
 * prefix of the victim's first ROA for a private ASN of its depth.
 */
static int
deep_chain(struct faults *f, struct plan *pl)
{
	struct fault_victim *v = &f->v[FAULT_DEEP_CHAIN];
	struct rg_ca	*c, *cas;
	struct rg_roa	*r;
	size_t		 d = faults_depth(pl, v->ca), n, k, idx;
	size_t		 tmpl = pl->cas[v->ca].roa_off;	/* its first ROA */
	char		 base[RG_NAME_MAX];
	uint32_t	 kid;
	int64_t		 off;

	n = FAULT_DEPTH_MAX + 1 - d;
	if ((cas = realloc(pl->cas, (pl->ncas + n) * sizeof(*cas))) == NULL)
		return -1;
	pl->cas = cas;
	if ((r = realloc(pl->roas, (pl->nroas + n) * sizeof(*r))) == NULL)
		return -1;
	pl->roas = r;
	memcpy(base, pl->cas[v->ca].name, sizeof(base));
	v->first = (uint32_t)pl->ncas;
	v->n = (uint32_t)n;
	for (k = 0; k < n; k++) {
		idx = pl->ncas;
		c = &pl->cas[idx];
		*c = pl->cas[v->ca];
		snprintf(c->name, sizeof(c->name), "%.24s-d%zu", base,
		    d + 1 + k);
		c->parent = k == 0 ? (int32_t)v->ca : (int32_t)idx - 1;
		c->key = RG_EE_KEYS + (uint32_t)idx;
		c->nchild = c->naspa = c->nrouter = c->nrev = 0;
		c->roa_off = (uint32_t)pl->nroas;
		c->nroa = 1;
		c->next_roa = 1;
		if ((off = pfx_copy(pl, pl->roas[tmpl].pfx_off, 1)) == -1)
			return -1;
		pl->pfx[off].maxlen = pl->pfx[off].plen;
		r = &pl->roas[pl->nroas++];
		*r = pl->roas[tmpl];
		r->asn = ASN_PRIVATE + (uint32_t)(d + 1 + k);
		r->pfx_off = (uint32_t)off;
		r->npfx = 1;
		r->ca = (uint32_t)idx;
		r->id = 0;
		r->revoked = 0;
		pl->ncas++;
		kid = (uint32_t)idx;
		if (child_set(pl, k == 0 ? v->ca : idx - 1, &kid, 1) == -1)
			return -1;
	}
	return 0;
}

/*
 * The IPv4 range of from, its end moved to a /24 past the end of base's:
 * overclaim (from the victim, base its parent) and ee-overclaim (both
 * the victim).
 */
static void
range_past(const struct rg_range *from, const struct rg_range *base,
    struct rg_range *out)
{
	*out = *from;
	faults_v4_put(out->hi, faults_v4(base->hi) + 256);
}

/*
 * ca-shrink: the victim's IPv4 range ends one address before the end of
 * the highest IPv4 prefix of its ROAs; v.roa is the first ROA that drops.
 */
static int
shrink(struct faults *f, struct plan *pl, struct err *e)
{
	struct fault_victim *v = &f->v[FAULT_CA_SHRINK];
	const struct rg_ca *c = &pl->cas[v->ca];
	const struct rg_roa *r;
	uint32_t	 top = 0;
	size_t		 i, j;

	for (i = 0; i < c->nroa; i++) {
		r = &pl->roas[c->roa_off + i];
		for (j = 0; j < r->npfx; j++)
			if (pl->pfx[r->pfx_off + j].afi == AFI_IPV4 &&
			    faults_v4_end(&pl->pfx[r->pfx_off + j]) > top) {
				top = faults_v4_end(&pl->pfx[r->pfx_off + j]);
				v->roa = (uint32_t)i;
			}
	}
	if (top == 0 || !c->v4.set || top - 1 < faults_v4(c->v4.lo))
		return err_set(e, "ca-shrink: %s has no IPv4 ROA prefix to "
		    "leave out", c->name);
	f->shrink4 = c->v4;
	faults_v4_put(f->shrink4.hi, top - 1);
	return 0;
}

/* 1 if prefix q holds the address a (of q's family). */
static int
pfx_holds(const struct rg_prefix *q, const uint8_t *a)
{
	size_t	 full = q->plen / 8;
	unsigned rest = q->plen % 8;
	uint8_t	 mask = (uint8_t)(0xff << (8 - rest));

	return memcmp(q->addr, a, full) == 0 &&
	    (rest == 0 || ((q->addr[full] ^ a[full]) & mask) == 0);
}

/*
 * roa-overclaim: a host route to the first address of the victim CA's
 * IPv4 space (else of its IPv6 space) that none of the victim ROA's
 * prefixes holds: inside the CA's resources, outside those of the ROA's
 * EE certificate (made from the ROA's own prefixes).  It sorts first in
 * its family (RFC 9582 section 4.3.3); over_before counts the ROA's
 * prefixes before it, those of IPv4 if it is an IPv6 one.
 */
static int
overclaim_pick(struct faults *f, const struct plan *pl, struct err *e)
{
	const struct fault_victim *v = &f->v[FAULT_ROA_OVERCLAIM];
	const struct rg_ca *c = &pl->cas[v->ca];
	const struct rg_roa *r = &pl->roas[c->roa_off + v->roa];
	const struct rg_prefix *p = &pl->pfx[r->pfx_off];
	const struct rg_range *rg[2] = { &c->v4, &c->v6 };
	struct rg_prefix *x = &f->over_pfx;
	size_t		 k, j;

	for (k = 0; k < 2; k++) {
		if (!rg[k]->set)
			continue;
		x->afi = k == 0 ? AFI_IPV4 : AFI_IPV6;
		for (j = 0; j < r->npfx; j++)
			if (p[j].afi == x->afi && pfx_holds(&p[j], rg[k]->lo))
				break;
		if (j == r->npfx)
			break;
	}
	if (k == 2)
		return err_set(e, "roa-overclaim: the ROA's prefixes hold the "
		    "first address of each of its CA's ranges");
	memcpy(x->addr, rg[k]->lo, sizeof(x->addr));
	x->plen = x->maxlen = x->afi == AFI_IPV4 ? 32 : 128;
	f->over_before = 0;
	for (j = 0; k == 1 && j < r->npfx; j++)
		f->over_before += p[j].afi == AFI_IPV4;
	return 0;
}

int
faults_apply(struct faults *f, struct plan *pl, struct err *e)
{
	struct fault_victim *v = f->v;
	const enum fault_id add[] = { FAULT_AS0_ROA, FAULT_DUP_ROA,
	    FAULT_MFT_UNLISTED };
	uint32_t	 asn, up;
	int64_t		 x;
	size_t		 i;

	if (faults_pick(f, pl, e) == -1)
		return -1;
	if (f->on[FAULT_MAXLEN_SHORT]) {
		const struct rg_roa *r = &pl->roas[pl->cas[
		    v[FAULT_MAXLEN_SHORT].ca].roa_off + v[FAULT_MAXLEN_SHORT].roa];

		pl->pfx[r->pfx_off].maxlen = pl->pfx[r->pfx_off].plen - 1;
	}
	if (f->on[FAULT_REVOKED_EE] && roa_revoke(pl, v[FAULT_REVOKED_EE].ca,
	    v[FAULT_REVOKED_EE].roa) == -1)
		return err_set(e, "out of memory");
	for (i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		if (!f->on[add[i]])
			continue;
		asn = add[i] == FAULT_AS0_ROA ? 0 : add[i] == FAULT_DUP_ROA ?
		    pl->roas[pl->cas[v[add[i]].ca].roa_off +
		    v[add[i]].roa].asn : ASN_DOC;
		if ((x = roa_add(pl, v[add[i]].ca, v[add[i]].roa, asn)) == -1)
			return err_set(e, "out of memory");
		v[add[i]].extra = (uint32_t)x;
	}
	if (f->on[FAULT_OVERCLAIM]) {
		const struct rg_ca *c = &pl->cas[v[FAULT_OVERCLAIM].ca];

		range_past(&c->v4, &pl->cas[c->parent].v4, &f->over4);
	}
	if (f->on[FAULT_EE_OVERCLAIM]) {
		const struct rg_ca *c = &pl->cas[v[FAULT_EE_OVERCLAIM].ca];

		range_past(&c->v4, &c->v4, &f->ee_over4);
	}
	if (f->on[FAULT_CA_SHRINK] && shrink(f, pl, e) == -1)
		return -1;
	if (f->on[FAULT_ROA_OVERCLAIM] && overclaim_pick(f, pl, e) == -1)
		return -1;
	for (i = 0; i < FAULT_N; i++) {
		const uint32_t doc = ASN_DOC;
		uint32_t own, pv[2];

		if (!f->on[i] || !faults_aspa((enum fault_id)i))
			continue;
		/*
		 * aspa-overclaim: customer AS64497, which its EE (the CA's
		 * own AS, faults_object) does not hold; aspa-self-provider:
		 * the CA's own AS, among its own providers.
		 */
		own = pl->cas[v[i].ca].own_as;
		pv[0] = own < ASN_DOC ? own : ASN_DOC;
		pv[1] = own < ASN_DOC ? ASN_DOC : own;
		x = i == FAULT_ASPA_OVERCLAIM ?
		    aspa_add(pl, v[i].ca, ASN_DOC + 1, &doc, 1) :
		    aspa_add(pl, v[i].ca, own, pv, 2);
		if (x == -1)
			return err_set(e, "out of memory");
		v[i].extra = (uint32_t)x;
	}
	/* router-overclaim: for AS64497, outside its CA's resources. */
	if (f->on[FAULT_ROUTER_OVERCLAIM]) {
		if ((x = router_add(pl, v[FAULT_ROUTER_OVERCLAIM].ca,
		    ASN_DOC + 1)) == -1)
			return err_set(e, "out of memory");
		v[FAULT_ROUTER_OVERCLAIM].extra = (uint32_t)x;
	}
	/* revoked-mft: the victim's manifest EE (generation 1) revoked. */
	if (f->on[FAULT_REVOKED_MFT] && serial_revoke(pl,
	    v[FAULT_REVOKED_MFT].ca, plan_serial(1, RG_SER_MFT, 0)) == -1)
		return err_set(e, "out of memory");
	if (f->on[FAULT_DEEP_CHAIN] && deep_chain(f, pl) == -1)
		return err_set(e, "out of memory");
	if (f->on[FAULT_CA_LOOP]) {
		up = (uint32_t)pl->cas[v[FAULT_CA_LOOP].ca].parent;
		if (child_set(pl, v[FAULT_CA_LOOP].ca, &up, 1) == -1)
			return err_set(e, "out of memory");
	}
	pl->faults = f;
	return 0;
}

void
faults_cert(const struct plan *pl, size_t ca, size_t ch, struct cert_spec *s)
{
	const struct faults *f = pl->faults;
	const struct rg_ca *c = &pl->cas[ca];
	int64_t		 now = pl->t.now;

	if (faults_on(f, FAULT_EXPIRED_CA, ch)) {
		s->not_before = now - 20 * HOUR;
		s->not_after = now - HOUR;
	}
	if (faults_on(f, FAULT_NOTYET_CA, ch))
		s->not_before = now + DAY;
	if (faults_on(f, FAULT_OVERCLAIM, ch))
		s->v4.range = &f->over4;
	if (faults_on(f, FAULT_CA_SHRINK, ch))
		s->v4.range = &f->shrink4;
	/* The parent's key and repository, within the issuer's resources. */
	if (faults_on(f, FAULT_CA_LOOP, ca) && (int64_t)ch == c->parent) {
		s->v4 = (struct ip_res){ .kind = RES_RANGE, .range = &c->v4 };
		s->v6 = (struct ip_res){ .kind = RES_RANGE, .range = &c->v6 };
		s->as = (struct as_res){ RES_RANGE, c->as_lo, c->as_hi };
	}
}

/* ber-length: the outer length in one octet more than DER allows. */
static int
ber_lengthen(struct fault_obj *fo, struct err *e)
{
	const uint8_t	*d = fo->ec;
	size_t		 len = fo->eclen, n, hl, o = 0;
	uint8_t		*out;

	n = len >= 2 && (d[1] & 0x80) ? d[1] & 0x7f : 0;
	hl = 2 + n;
	if (len < 2 || hl > len || n > 4)
		return err_set(e, "ber-length: eContent header not understood");
	if ((out = OPENSSL_malloc(len + 1)) == NULL)
		return err_set(e, "out of memory");
	out[o++] = d[0];
	if (n == 0) {
		out[o++] = 0x81;	/* a short length in the long form */
		out[o++] = d[1];
	} else {
		out[o++] = (uint8_t)(0x80 | (n + 1));	/* a leading zero */
		out[o++] = 0;
		memcpy(out + o, d + 2, n);
		o += n;
	}
	memcpy(out + o, d + hl, len - hl);
	fo->buf = out;
	fo->ec = out;
	fo->eclen = len + 1;
	return 0;
}

/*
 * The eContent of fo replaced by a ROA for asn of the n prefixes p, which
 * this frees.  Returns 0, or -1 with e.
 */
static int
roa_replace(uint32_t asn, struct rg_prefix *p, size_t n,
    struct fault_obj *fo, struct err *e)
{
	uint8_t	*der;
	size_t	 len;
	int	 rc;

	rc = roa_encode(asn, p, n, &der, &len, e);
	free(p);
	if (rc == -1)
		return -1;
	fo->buf = der;
	fo->ec = der;
	fo->eclen = len;
	return 0;
}

/*
 * oversized: ROA i of CA ca with FAULT_PAD IPv6 /127s (maxLength 128)
 * from the start of the CA's IPv6 range added; its EE certificate holds
 * the CA's IPv6 range, so that the ROA is valid but for its size.
 */
static int
oversize(const struct plan *pl, size_t ca, size_t i, struct cert_spec *s,
    struct fault_obj *fo, struct err *e)
{
	const struct rg_ca *c = &pl->cas[ca];
	const struct rg_roa *r = &pl->roas[c->roa_off + i];
	struct rg_prefix *p, *x;
	size_t		 k, n = r->npfx + FAULT_PAD;
	int		 b;

	if ((p = calloc(n, sizeof(*p))) == NULL)
		return err_set(e, "out of memory");
	memcpy(p, &pl->pfx[r->pfx_off], r->npfx * sizeof(*p));
	for (k = 0; k < FAULT_PAD; k++) {
		x = &p[r->npfx + k];
		memcpy(x->addr, c->v6.lo, sizeof(x->addr));
		for (b = 0; b < 4; b++)
			x->addr[12 + b] |= (uint8_t)((2 * k) >> (24 - 8 * b));
		x->afi = AFI_IPV6;
		x->plen = 127;
		x->maxlen = 128;
	}
	if (roa_replace(r->asn, p, n, fo, e) == -1)
		return -1;
	s->v6 = (struct ip_res){ .kind = RES_RANGE, .range = &c->v6 };
	return 0;
}

/* roa-overclaim: ROA i of CA ca with over_pfx added. */
static int
roa_overclaim(const struct plan *pl, size_t ca, size_t i,
    struct fault_obj *fo, struct err *e)
{
	const struct rg_roa *r = &pl->roas[pl->cas[ca].roa_off + i];
	struct rg_prefix *p;

	if ((p = calloc(r->npfx + 1, sizeof(*p))) == NULL)
		return err_set(e, "out of memory");
	memcpy(p, &pl->pfx[r->pfx_off], r->npfx * sizeof(*p));
	p[r->npfx] = pl->faults->over_pfx;
	return roa_replace(r->asn, p, r->npfx + 1, fo, e);
}

int
faults_object(const struct plan *pl, size_t ca, const char *name,
    struct cert_spec *s, const char *oid, const uint8_t *ec, size_t eclen,
    int listed, struct fault_obj *fo, struct err *e)
{
	const struct faults *f = pl->faults;
	char		 victim[RG_NAME_MAX];
	size_t		 k;
	uint32_t	 i;

	memset(fo, 0, sizeof(*fo));
	fo->oid = oid;
	fo->ec = ec;
	fo->eclen = eclen;
	fo->listed = listed;
	for (k = 0; f != NULL && k < FAULT_N; k++) {
		if (!faults_on(f, (enum fault_id)k, ca))
			continue;
		if (faults_aspa((enum fault_id)k)) {
			plan_aspa_name(pl, &pl->aspas[pl->cas[ca].aspa_off +
			    f->v[k].extra], victim);
			/* aspa-overclaim: the EE holds the CA's own AS. */
			if (k == FAULT_ASPA_OVERCLAIM &&
			    strcmp(victim, name) == 0)
				s->as = (struct as_res){ RES_RANGE,
				    pl->cas[ca].own_as, pl->cas[ca].own_as };
			continue;
		}
		i = k == FAULT_MFT_UNLISTED ? f->v[k].extra : f->v[k].roa;
		if (i == FAULT_NO_ROA)
			continue;
		plan_roa_name(pl, ca, i, victim);
		if (strcmp(victim, name) != 0)
			continue;
		switch (k) {
		case FAULT_EXPIRED_EE:
			s->not_before = pl->t.now - 20 * HOUR;
			s->not_after = pl->t.now - HOUR;
			break;
		case FAULT_NOTYET_EE:
			s->not_before = pl->t.now + DAY;
			break;
		case FAULT_MFT_UNLISTED:
			fo->listed = 0;
			break;
		case FAULT_BAD_SIG:
			fo->cms |= CMS_FAULT_BAD_SIG;
			break;
		case FAULT_WRONG_CTYPE:
			fo->oid = OID_CT_ASPA;
			break;
		case FAULT_NO_CTYPE_ATTR:
			fo->cms |= CMS_FAULT_NO_CTYPE;
			break;
		case FAULT_BER_LENGTH:
			return ber_lengthen(fo, e);
		case FAULT_OVERSIZED:
			return oversize(pl, ca, i, s, fo, e);
		case FAULT_ROA_OVERCLAIM:
			return roa_overclaim(pl, ca, i, fo, e);
		case FAULT_EE_INHERIT:
			s->v4 = (struct ip_res){ .kind = RES_INHERIT };
			s->v6 = (struct ip_res){ .kind = RES_INHERIT };
			break;
		case FAULT_CRLDP_OTHER:
			/* ".../ca-N.crl" becomes ".../ca-N-old.crl". */
			snprintf(fo->crldp, sizeof(fo->crldp), "%.*s-old.crl",
			    (int)strlen(s->crldp) - 4, s->crldp);
			s->crldp = fo->crldp;
			break;
		case FAULT_EE_OVERCLAIM:
			s->v4 = (struct ip_res){ .kind = RES_RANGE,
			    .range = &f->ee_over4 };
			break;
		default:	/* not a fault of the object itself */
			break;
		}
	}
	return 0;
}

void
faults_object_free(struct fault_obj *fo)
{
	OPENSSL_free(fo->buf);
	fo->buf = NULL;
}

/* 1 if name is the file the victim of fault k publishes as NAME.ext. */
static int
victim_file(const struct plan *pl, enum fault_id k, const char *name,
    const char *ext)
{
	char	 want[RG_NAME_MAX + 8];

	snprintf(want, sizeof(want), "%s.%s",
	    pl->cas[pl->faults->v[k].ca].name, ext);
	return strcmp(name, want) == 0;
}

int
faults_bad_sig(const struct plan *pl, size_t ca, const char *name)
{
	const struct faults *f = pl->faults;

	if (f == NULL)
		return 0;
	/* A certificate is published by its issuer, the rest by the CA. */
	return (f->on[FAULT_CA_BAD_SIG] &&
	    pl->cas[f->v[FAULT_CA_BAD_SIG].ca].parent == (int64_t)ca &&
	    victim_file(pl, FAULT_CA_BAD_SIG, name, "cer")) ||
	    (faults_on(f, FAULT_CRL_BAD_SIG, ca) &&
	    victim_file(pl, FAULT_CRL_BAD_SIG, name, "crl")) ||
	    (faults_on(f, FAULT_MFT_BAD_SIG, ca) &&
	    victim_file(pl, FAULT_MFT_BAD_SIG, name, "mft"));
}

int
faults_extra_file(const struct plan *pl, size_t ca, char *name,
    size_t namelen, const uint8_t **der, size_t *len)
{
	static const uint8_t junk[] = "not an RPKI object\n";

	if (!faults_on(pl->faults, FAULT_UNKNOWN_TYPE, ca))
		return 0;
	snprintf(name, namelen, "%s.xyz", pl->cas[ca].name);
	*der = junk;
	*len = sizeof(junk) - 1;
	return 1;
}

void
faults_times(const struct plan *pl, size_t ca, struct rg_times *crl,
    struct rg_times *mft)
{
	if (faults_on(pl->faults, FAULT_STALE_CRL, ca)) {
		crl->this_update = pl->t.now - 20 * HOUR;
		crl->next_update = pl->t.now - HOUR;
	}
	if (faults_on(pl->faults, FAULT_STALE_MFT, ca)) {
		mft->this_update = pl->t.now - 20 * HOUR;
		mft->next_update = pl->t.now - HOUR;
	}
	if (faults_on(pl->faults, FAULT_FUTURE_CRL, ca)) {
		crl->this_update = pl->t.now + DAY;
		crl->next_update = pl->t.now + 2 * DAY;
	}
	if (faults_on(pl->faults, FAULT_FUTURE_MFT, ca)) {
		mft->this_update = pl->t.now + DAY;
		mft->next_update = pl->t.now + 2 * DAY;
	}
}

int
faults_manifest(const struct plan *pl, size_t ca, const char *dir,
    struct mft_entry *f, size_t n, struct err *e)
{
	const struct faults *fs = pl->faults;
	const enum fault_id k[] = { FAULT_MFT_HASH, FAULT_MFT_MISSING };
	char		 name[RG_NAME_MAX], path[PATH_MAX];
	size_t		 i, j;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		if (!faults_on(fs, k[i], ca))
			continue;
		plan_roa_name(pl, ca, fs->v[k[i]].roa, name);
		for (j = 0; j < n && strcmp(f[j].name, name) != 0; j++)
			;
		if (j == n)
			return err_set(e, "%s: %s is not on the manifest",
			    faults_name(k[i]), name);
		if (k[i] == FAULT_MFT_HASH) {
			f[j].hash[0] ^= 0xff;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (unlink(path) == -1)
			return err_set(e, "%s: %s: cannot remove", faults_name(k[i]),
			    path);
	}
	return 0;
}
