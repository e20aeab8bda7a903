/*
 * evolve.c - the generations after the first ("rpki-repogen next").
 *
 * Generation g is generation 1's plan with steps 2 .. g applied in turn;
 * each step is a pure function of the seed, the step number and the plan
 * before it, so any generation can be rebuilt from repogen.conf alone.
 * A step does what CAs do between two runs of a relying party:
 *
 *  - removes about 1% of the live ROAs (their EEs go on the CRL),
 *  - changes about 1% (maxLength of the first prefix; the old EE is
 *    revoked and the ROA reissued under the same file name),
 *  - revokes the EE of one more ROA, whose file stays published,
 *  - adds about 1% new ROAs (a more-specific of a prefix the CA
 *    already certifies, under a new file name),
 *  - adds one member CA under an RIR-like CA, in the room that CA
 *    reserved (plan.c, alloc_spare), with a ROA for its /24 and /48,
 *
 * and every CA reissues its CRL and manifest (pubpoint.c).  Objects that
 * do not change keep their generation, hence their serial, times and
 * bytes, so RRDP deltas hold only what changed.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repogen.h"
#include "vrp.h"

struct rev {
	uint32_t	 ca;
	uint64_t	 serial;
};

struct evolve {
	struct plan	*pl;
	size_t		 roacap, pfxcap, cacap;
	struct rev	*rev;
	size_t		 nrev, revcap;
	struct err	*e;
};

/* Put the EE of ROA i on its CA's CRL. */
static int
ev_revoke(struct evolve *ev, size_t i)
{
	const struct rg_roa *r = &ev->pl->roas[i];
	struct rev	*x;

	if ((x = plan_grow(&ev->rev, &ev->nrev, &ev->revcap,
	    sizeof(*x))) == NULL)
		return err_set(ev->e, "out of memory");
	x->ca = r->ca;
	x->serial = plan_serial(r->gen, RG_SER_ROA, r->id);
	return 0;
}

/*
 * A random ROA that is neither removed nor revoked, nor (if fresh is
 * not 0) issued in generation fresh, that is already changed or added
 * by this step: changing a ROA twice in one step would revoke the EE it
 * is published with.  -1 if there is none.
 */
static ssize_t
ev_pick(struct evolve *ev, struct rng *r, uint32_t fresh)
{
	const struct plan *pl = ev->pl;
	size_t	 i, k;

	if (pl->nroas == 0)
		return -1;
	i = rng_below(r, (uint32_t)pl->nroas);
	for (k = 0; k < pl->nroas; k++, i = (i + 1) % pl->nroas)
		if (!pl->roas[i].removed && !pl->roas[i].revoked &&
		    pl->roas[i].gen != fresh)
			return (ssize_t)i;
	return -1;
}

/* Append a ROA of CA ca, generation gen, with n prefixes (zeroed). */
static struct rg_roa *
ev_roa(struct evolve *ev, uint32_t ca, uint32_t asn, uint32_t gen, size_t n)
{
	struct plan	*pl = ev->pl;
	struct rg_roa	*r;
	size_t		 i;

	if ((r = plan_grow(&pl->roas, &pl->nroas, &ev->roacap,
	    sizeof(*r))) == NULL)
		return NULL;
	r->asn = asn;
	r->ca = ca;
	r->id = pl->cas[ca].next_roa++;
	r->gen = gen;
	r->pfx_off = (uint32_t)pl->npfx;
	r->npfx = (uint32_t)n;
	for (i = 0; i < n; i++)
		if (plan_grow(&pl->pfx, &pl->npfx, &ev->pfxcap,
		    sizeof(*pl->pfx)) == NULL)
			return NULL;
	return &pl->roas[pl->nroas - 1];
}

/* Change ROA i: its first prefix's maxLength moves by one. */
static void
ev_change(struct evolve *ev, size_t i, uint32_t step)
{
	struct rg_roa	*r = &ev->pl->roas[i];
	struct rg_prefix *p = &ev->pl->pfx[r->pfx_off];

	if (p->maxlen > p->plen)
		p->maxlen--;
	else if (p->maxlen < afi_bits(p->afi))
		p->maxlen++;
	r->gen = step;
}

/*
 * A new ROA in the CA of ROA i: the upper half of ROA i's first prefix
 * (the prefix itself if it is a host route), same ASN.
 */
static int
ev_add(struct evolve *ev, size_t i, uint32_t step)
{
	struct plan	*pl = ev->pl;
	struct rg_prefix t = pl->pfx[pl->roas[i].pfx_off];
	struct rg_roa	*r;

	if (t.plen < afi_bits(t.afi)) {
		t.addr[t.plen / 8] |= (uint8_t)(0x80 >> (t.plen % 8));
		t.plen++;
	}
	t.maxlen = t.plen;
	t.nested = 0;
	if ((r = ev_roa(ev, pl->roas[i].ca, pl->roas[i].asn, step, 1)) ==
	    NULL)
		return err_set(ev->e, "out of memory");
	pl->pfx[r->pfx_off] = t;
	return 0;
}

/* Block `slot` of a spare area starting at base (IPv4 or top-64 IPv6). */
static void
spare_range(struct rg_range *rg, struct rg_prefix *x, uint8_t afi,
    uint64_t base, uint32_t slot)
{
	uint64_t	 size = afi == AFI_IPV4 ? 256 : 65536;
	uint64_t	 v = base + slot * size, w = v + size - 1;
	int		 i, n = afi == AFI_IPV4 ? 4 : 8;

	memset(x, 0, sizeof(*x));
	memset(rg, 0, sizeof(*rg));
	x->afi = afi;
	x->plen = x->maxlen = afi == AFI_IPV4 ? 24 : 48;
	for (i = 0; i < n; i++) {
		x->addr[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
		rg->hi[i] = (uint8_t)(w >> (8 * (n - 1 - i)));
	}
	memcpy(rg->lo, x->addr, sizeof(rg->lo));
	if (afi == AFI_IPV6)
		memset(rg->hi + 8, 0xff, 8);
	rg->set = 1;
}

/*
 * A new member CA under an RIR-like CA with spare room (the step picks
 * which), holding one /24, one /48 and one ASN, with a ROA for each
 * block.  Nothing when every RIR-like CA is full.
 */
static int
ev_add_ca(struct evolve *ev, uint32_t step, size_t nmem)
{
	struct plan	*pl = ev->pl;
	struct rg_ca	*c, *rir = NULL;
	struct rg_roa	*r;
	struct rg_prefix p4, p6;
	size_t		 i, n, nrir = 0, ca;

	for (i = 0; i < pl->ncas; i++)
		nrir += pl->cas[i].kind == RG_RIR;
	for (n = 0; n < nrir && rir == NULL; n++) {
		i = pl->p.tas + (step - 2 + n) % nrir;
		if (pl->cas[i].spare_used < RG_SPARE_SLOTS)
			rir = &pl->cas[i];
	}
	if (rir == NULL)
		return 0;
	if ((c = plan_grow(&pl->cas, &pl->ncas, &ev->cacap,
	    sizeof(*c))) == NULL)
		return err_set(ev->e, "out of memory");
	rir = &pl->cas[i];	/* pl->cas may have moved */
	ca = pl->ncas - 1;
	snprintf(c->name, sizeof(c->name), "ca-%zu", nmem);
	c->kind = RG_MEMBER;
	c->parent = (int32_t)i;
	c->ta = rir->ta;
	c->host = (uint32_t)(pl->p.tas + nmem % pl->p.hosts);
	c->key = RG_EE_KEYS + (uint32_t)ca;
	c->gen = step;
	c->own_as = c->as_lo = c->as_hi = rir->spare_as + rir->spare_used;
	c->nown_as = 1;
	spare_range(&c->v4, &p4, AFI_IPV4, rir->spare4, rir->spare_used);
	spare_range(&c->v6, &p6, AFI_IPV6, rir->spare6, rir->spare_used);
	rir->spare_used++;
	if ((r = ev_roa(ev, (uint32_t)ca, c->own_as, step, 1)) == NULL)
		return err_set(ev->e, "out of memory");
	pl->pfx[r->pfx_off] = p4;
	if ((r = ev_roa(ev, (uint32_t)ca, c->own_as, step, 1)) == NULL)
		return err_set(ev->e, "out of memory");
	pl->pfx[r->pfx_off] = p6;
	return 0;
}

/* One step: generation step - 1 becomes generation step. */
static int
ev_step(struct evolve *ev, uint32_t step, size_t nmem)
{
	struct plan	*pl = ev->pl;
	struct rng	 r;
	size_t		 live = 0, k, j;
	ssize_t		 i;

	r.s = pl->p.seed ^ (0xd1b54a32d192ed03ULL * step);
	(void)rng_next(&r);
	for (j = 0; j < pl->nroas; j++)
		live += !pl->roas[j].removed && !pl->roas[j].revoked;
	k = live / 100 ? live / 100 : 1;
	for (j = 0; j < k && (i = ev_pick(ev, &r, step)) >= 0; j++) {
		if (ev_revoke(ev, (size_t)i) == -1)
			return -1;
		pl->roas[i].removed = 1;
	}
	for (j = 0; j < k && (i = ev_pick(ev, &r, step)) >= 0; j++) {
		if (ev_revoke(ev, (size_t)i) == -1)
			return -1;
		ev_change(ev, (size_t)i, step);
	}
	if ((i = ev_pick(ev, &r, step)) >= 0) {
		if (ev_revoke(ev, (size_t)i) == -1)
			return -1;
		pl->roas[i].revoked = 1;
	}
	for (j = 0; j < k && (i = ev_pick(ev, &r, 0)) >= 0; j++)
		if (ev_add(ev, (size_t)i, step) == -1)
			return -1;
	return ev_add_ca(ev, step, nmem);
}

static int
cmp_roa(const void *a, const void *b)
{
	const struct rg_roa *x = a, *y = b;

	if (x->ca != y->ca)
		return x->ca < y->ca ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_rev(const void *a, const void *b)
{
	const struct rev *x = a, *y = b;

	if (x->ca != y->ca)
		return x->ca < y->ca ? -1 : 1;
	return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/*
 * Drop removed ROAs and group the rest by CA (roa_off, nroa), the CRLs'
 * serials likewise (rev_off, nrev), and rebuild the children lists.
 */
static int
ev_finish(struct evolve *ev)
{
	struct plan	*pl = ev->pl;
	size_t		 i, n = 0;
	uint32_t	*child;

	for (i = 0; i < pl->nroas; i++)
		if (!pl->roas[i].removed)
			pl->roas[n++] = pl->roas[i];
	pl->nroas = n;
	qsort(pl->roas, pl->nroas, sizeof(*pl->roas), cmp_roa);
	qsort(ev->rev, ev->nrev, sizeof(*ev->rev), cmp_rev);
	if ((pl->revoked = calloc(ev->nrev + 1, sizeof(*pl->revoked))) ==
	    NULL || (child = realloc(pl->child, (pl->ncas + 1) *
	    sizeof(*child))) == NULL)
		return err_set(ev->e, "out of memory");
	pl->child = child;
	pl->nrevoked = ev->nrev;
	for (i = 0; i < pl->ncas; i++) {
		pl->cas[i].nroa = pl->cas[i].nrev = pl->cas[i].nchild = 0;
		pl->cas[i].roa_off = pl->cas[i].rev_off = 0;
	}
	for (i = pl->nroas; i-- > 0; ) {
		pl->cas[pl->roas[i].ca].roa_off = (uint32_t)i;
		pl->cas[pl->roas[i].ca].nroa++;
	}
	for (i = ev->nrev; i-- > 0; ) {
		pl->revoked[i] = ev->rev[i].serial;
		pl->cas[ev->rev[i].ca].rev_off = (uint32_t)i;
		pl->cas[ev->rev[i].ca].nrev++;
	}
	for (i = 0; i < pl->ncas; i++)
		if (pl->cas[i].parent >= 0)
			pl->cas[pl->cas[i].parent].nchild++;
	return plan_children(pl, pl->p.fanout, ev->e);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The plan's own promise: the EE of every ROA meant to be valid is not
 * on its CA's CRL (a step that revoked the serial an object is published
 * with would make expected/ wrong).  Returns 0, or -1 with e.
 */
static int
ev_verify(const struct plan *pl, struct err *e)
{
	const struct rg_roa *r;
	const struct rg_ca *c;
	uint64_t	 sn;
	size_t		 i;

	for (i = 0; i < pl->nroas; i++) {
		r = &pl->roas[i];
		c = &pl->cas[r->ca];
		sn = plan_serial(r->gen, RG_SER_ROA, r->id);
		if (!r->revoked && c->nrev > 0 && bsearch(&sn,
		    &pl->revoked[c->rev_off], c->nrev, sizeof(sn),
		    cmp_u64) != NULL)
			return err_set(e, "CA %s: ROA %u is meant to be valid but "
			    "its EE serial %llx is revoked", c->name, r->id,
			    (unsigned long long)sn);
	}
	return 0;
}

int
plan_evolve(struct plan *pl, uint32_t gen, const int64_t *nows,
    struct err *e)
{
	struct evolve	 ev;
	int64_t		*t;
	size_t		 i, nmem = 0;
	uint32_t	 step;
	int		 rc = -1;

	memset(&ev, 0, sizeof(ev));
	ev.pl = pl;
	ev.e = e;
	ev.roacap = pl->nroas;
	ev.pfxcap = pl->npfx;
	ev.cacap = pl->ncas;
	if ((t = realloc(pl->nows, (gen + 1) * sizeof(*t))) == NULL)
		return err_set(e, "out of memory");
	pl->nows = t;
	for (i = 1; i <= gen; i++)
		pl->nows[i] = nows[i];
	for (i = 0; i < pl->ncas; i++)
		nmem += pl->cas[i].kind == RG_MEMBER;
	for (step = 2; step <= gen; step++) {
		if (ev_step(&ev, step, nmem) == -1)
			goto out;
		if (pl->ncas > 0 && pl->cas[pl->ncas - 1].gen == step)
			nmem++;
	}
	pl->gen = gen;
	if (ev_finish(&ev) == -1 || ev_verify(pl, e) == -1)
		goto out;
	plan_times(pl);
	rc = 0;
 out:
	free(ev.rev);
	return rc;
}
