/*
 * plan.c - the content of a repository, from a seed and parameters.
 *
 * Everything a validator would output, and every name and URI, is decided
 * here without any cryptography, so it is cheap, deterministic and the
 * single source of both the objects (pubpoint.c) and the expected output
 * (expected.c).  Each CA draws from its own random stream (seed, CA
 * index), so one CA's choices do not shift another's.
 *
 * Tree: TAs, then RIR-like CAs (RIR i under TA i mod tas), then members
 * in heap order: member i hangs under node i / fanout of the list
 * RIRs-then-members, so with the default fanout every member sits
 * directly under an RIR and a smaller fanout makes a deeper tree.
 *
 * Resources are allocated depth first: a CA takes its own ASNs and
 * address blocks (the prefixes of its ROAs, largest first so they stay
 * aligned, or a /24 and a /48 if it has none), then its children take
 * theirs; a CA certificate holds the contiguous range of its whole
 * subtree, so every child is inside its parent (RFC 6487 section 7.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repogen.h"
#include "vrp.h"

#define V4_START	0x10000000ULL		/* 16.0.0.0 */
#define V4_END		0xE0000000ULL		/* 224.0.0.0, exclusive */
#define V6_START	0x2400000000000000ULL	/* 2400::, top 64 bits */
#define V6_END		0x3000000000000000ULL
#define AS_START	65000U

/*
 * Deepest CA below its TA in a clean repository: rpki-client 8 drops
 * anything deeper, silently (its MAX_CERT_DEPTH; FORT's default is 32).
 * An over-deep chain is a fault, not a clean repository.
 */
#define DEPTH_MAX	12

#define DAY		86400

/* The random stream of CA ca for planning pass pass. */
static void
rng_ca(struct rng *r, uint64_t seed, size_t ca, unsigned pass)
{
	r->s = seed ^ (0x5851f42d4c957f2dULL * (ca + 1)) ^
	    ((uint64_t)pass << 56);
	(void)rng_next(r);
}

void *
plan_grow(void *arrp, size_t *n, size_t *cap, size_t size)
{
	void	**arr = arrp;
	void	 *p;
	size_t	  ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 64;
		if ((p = realloc(*arr, ncap * size)) == NULL)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	p = (char *)*arr + *n * size;
	memset(p, 0, size);
	(*n)++;
	return p;
}

struct builder {
	struct plan	*pl;
	size_t		 pfxcap, roacap, aspacap, provcap, routercap;
	uint64_t	 cur4, cur6;	/* next free IPv4 / IPv6 top-64 */
	uint32_t	 curas;
	struct err	*e;
};

int
plan_children(struct plan *pl, size_t f, struct err *e)
{
	struct rg_ca	*c;
	size_t		 i, j, *fill;

	if ((fill = calloc(pl->ncas, sizeof(*fill))) == NULL)
		return err_set(e, "out of memory");
	for (i = 0; i < pl->ncas; i++) {
		c = &pl->cas[i];
		fill[i] = c->parent < 0 ? 0 : fill[c->parent] + 1;
		if (fill[i] > DEPTH_MAX) {
			err_set(e, "-fanout %zu makes CA %s %zu deep: "
			    "validators stop at %d CAs below the TA; ask for "
			    "a larger -fanout", f, c->name, fill[i],
			    DEPTH_MAX);
			free(fill);
			return -1;
		}
	}
	memset(fill, 0, pl->ncas * sizeof(*fill));
	for (i = 0, j = 0; i < pl->ncas; i++) {
		pl->cas[i].child_off = (uint32_t)j;
		j += pl->cas[i].nchild;
	}
	for (i = 0; i < pl->ncas; i++) {
		if ((c = &pl->cas[i])->parent < 0)
			continue;
		pl->child[pl->cas[c->parent].child_off +
		    fill[c->parent]++] = (uint32_t)i;
	}
	free(fill);
	return 0;
}

/* The CA tree, names and hosts (see the top comment). */
static int
plan_tree(struct plan *pl, size_t nrir, size_t nmem, struct err *e)
{
	const struct rg_params *p = &pl->p;
	size_t	 i, f, j;
	struct rg_ca *c;

	pl->ncas = p->tas + nrir + nmem;
	pl->nhosts = p->tas + p->hosts;
	pl->cas = calloc(pl->ncas, sizeof(*pl->cas));
	pl->child = calloc(pl->ncas, sizeof(*pl->child));
	pl->hosts = calloc(pl->nhosts, sizeof(*pl->hosts));
	if (pl->cas == NULL || pl->child == NULL || pl->hosts == NULL)
		return err_set(e, "out of memory");
	for (i = 0; i < p->tas; i++)
		snprintf(pl->hosts[i], RG_HOST_MAX, "rpki.ta-%zu.test", i);
	for (i = 0; i < p->hosts; i++)
		snprintf(pl->hosts[p->tas + i], RG_HOST_MAX, "repo-%zu.test",
		    i + 1);
	f = p->fanout ? p->fanout : (nmem + nrir - 1) / nrir;
	if (f == 0)
		f = 1;
	for (i = 0; i < pl->ncas; i++) {
		c = &pl->cas[i];
		c->key = RG_EE_KEYS + (uint32_t)i;
		c->gen = 1;
		if (i < p->tas) {
			c->kind = RG_TA;
			c->parent = -1;
			c->ta = (uint32_t)i;
			c->host = (uint32_t)i;
			snprintf(c->name, sizeof(c->name), "ta-%zu", i);
		} else if (i < p->tas + nrir) {
			c->kind = RG_RIR;
			c->parent = (int32_t)((i - p->tas) % p->tas);
			snprintf(c->name, sizeof(c->name), "rir-%zu",
			    i - p->tas);
		} else {
			j = (i - p->tas - nrir) / f;
			c->kind = RG_MEMBER;
			c->parent = (int32_t)(p->tas + j);
			c->host = (uint32_t)(p->tas +
			    (i - p->tas - nrir) % p->hosts);
			snprintf(c->name, sizeof(c->name), "ca-%zu",
			    i - p->tas - nrir);
		}
		if (c->parent >= 0) {
			c->ta = pl->cas[c->parent].ta;
			if (c->kind == RG_RIR)
				c->host = pl->cas[c->parent].host;
			pl->cas[c->parent].nchild++;
		}
	}
	return plan_children(pl, f, e);
}

/* Prefix length and maxLength of a new ROA prefix of family afi. */
static void
plan_prefix(struct rng *r, struct rg_prefix *x, uint8_t afi)
{
	uint32_t	 k = rng_below(r, 100);
	unsigned	 cap, top;

	x->afi = afi;
	if (afi == AFI_IPV4) {
		x->plen = k < 45 ? 24 : k < 60 ? 23 : k < 80 ? 22 :
		    k < 90 ? 20 : k < 98 ? 19 : 16;
		cap = 24;
		top = 32;
	} else {
		x->plen = k < 40 ? 48 : k < 50 ? 44 : k < 60 ? 40 :
		    k < 70 ? 36 : k < 95 ? 32 : 29;
		cap = 48;
		top = 64;
	}
	k = rng_below(r, 100);
	if (k < 55 || x->plen >= cap)
		x->maxlen = x->plen;
	else if (k < 80)
		x->maxlen = (uint8_t)(x->plen + 1 + rng_below(r,
		    cap - x->plen));
	else
		x->maxlen = (uint8_t)(x->plen + rng_below(r,
		    top - x->plen + 1));
	x->nested = rng_below(r, 100) < 8;
}

/* Plan the ROAs of CA ca: nroa objects, their ASN index and prefixes. */
static int
plan_roas(struct builder *b, size_t ca, size_t nroa, struct rng *r)
{
	struct plan	*pl = b->pl;
	struct rg_ca	*c = &pl->cas[ca];
	struct rg_roa	*roa;
	struct rg_prefix *x;
	uint32_t	 k, n, mix, j;
	uint8_t		 afi;

	c->roa_off = (uint32_t)pl->nroas;
	for (j = 0; j < nroa; j++) {
		if ((roa = plan_grow(&pl->roas, &pl->nroas, &b->roacap,
		    sizeof(*roa))) == NULL)
			return err_set(b->e, "out of memory");
		roa->asn = rng_below(r, c->nown_as);	/* index for now */
		roa->ca = (uint32_t)ca;
		roa->id = c->next_roa++;
		roa->gen = 1;
		roa->pfx_off = (uint32_t)pl->npfx;
		k = rng_below(r, 100);
		n = k < 40 ? 1 : k < 60 ? 2 : k < 75 ? 3 + rng_below(r, 2) :
		    k < 90 ? 5 + rng_below(r, 4) : 9 + rng_below(r, 8);
		mix = rng_below(r, 100);
		for (k = 0; k < n; k++) {
			if (mix < 65)
				afi = AFI_IPV4;
			else if (mix < 85)
				afi = AFI_IPV6;
			else
				afi = rng_below(r, 2) ? AFI_IPV6 : AFI_IPV4;
			if ((x = plan_grow(&pl->pfx, &pl->npfx, &b->pfxcap,
			    sizeof(*x))) == NULL)
				return err_set(b->e, "out of memory");
			plan_prefix(r, x, afi);
		}
		roa->npfx = n;
		c->nroa++;
	}
	return 0;
}

/* How many ROAs each holder gets: weights with a heavy tail. */
static int
plan_holders(struct builder *b, size_t first, size_t n)
{
	struct plan	*pl = b->pl;
	uint64_t	*w, sum = 0, given = 0;
	size_t		 i, total = pl->p.roas, *cnt;
	struct rng	 r;
	int		 rc = -1;

	w = calloc(n, sizeof(*w));
	cnt = calloc(n, sizeof(*cnt));
	if (w == NULL || cnt == NULL) {
		err_set(b->e, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		rng_ca(&r, pl->p.seed, first + i, 0);
		pl->cas[first + i].nown_as = 1 + rng_below(&r, 3);
		w[i] = rng_below(&r, 10) == 0 ? 8 + rng_below(&r, 60) :
		    1 + rng_below(&r, 6);
		sum += w[i];
	}
	for (i = 0; i < n; i++) {
		cnt[i] = (size_t)((uint64_t)total * w[i] / sum);
		given += cnt[i];
	}
	for (i = 0; given < total; i = (i + 1) % n, given++)
		cnt[i]++;
	for (i = 0; i < n; i++) {
		rng_ca(&r, pl->p.seed, first + i, 1);
		if (plan_roas(b, first + i, cnt[i], &r) == -1)
			goto out;
	}
	rc = 0;
 out:
	free(w);
	free(cnt);
	return rc;
}

/* Write x's address: IPv4 from a 32-bit value, IPv6 from the top 64. */
static void
addr_set(struct rg_prefix *x, uint64_t v)
{
	int i;

	memset(x->addr, 0, sizeof(x->addr));
	if (x->afi == AFI_IPV4)
		for (i = 0; i < 4; i++)
			x->addr[i] = (uint8_t)(v >> (24 - 8 * i));
	else
		for (i = 0; i < 8; i++)
			x->addr[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t
addr_get(const struct rg_prefix *x)
{
	uint64_t v = 0;
	int	 i, n = x->afi == AFI_IPV4 ? 4 : 8;

	for (i = 0; i < n; i++)
		v = (v << 8) | x->addr[i];
	return v;
}

static int
cmp_plen(const void *a, const void *b)
{
	const struct rg_prefix *x = *(struct rg_prefix *const *)a;
	const struct rg_prefix *y = *(struct rg_prefix *const *)b;

	if (x->plen != y->plen)
		return x->plen < y->plen ? -1 : 1;
	return x < y ? -1 : x > y;
}


/*
 * Give the prefixes of family afi of CA c their addresses from *cur:
 * the others largest first, then the nested ones as sub-prefixes of
 * those in turn (the k-th sub-prefix of a base is found by walking its
 * halves, quarters, ... so no two are the same).  With no prefix of the
 * family the CA still reserves one block (a /24 or a /48).  *start gets
 * the first block's address.
 */
static int
alloc_family(struct builder *b, struct rg_ca *c, uint8_t afi, uint64_t *cur,
    uint64_t *start)
{
	struct plan	 *pl = b->pl;
	struct rg_prefix **base = NULL, *x, *bp, own;
	size_t		  i, nb = 0, nn = 0, n = 0;
	unsigned	  bits = afi == AFI_IPV4 ? 32 : 64;
	uint64_t	  size, lim = afi == AFI_IPV4 ? V4_END : V6_END, k, d;

	for (i = 0; i < c->nroa; i++)
		n += pl->roas[c->roa_off + i].npfx;
	if ((base = calloc(n + 1, sizeof(*base))) == NULL)
		return err_set(b->e, "out of memory");
	x = n ? &pl->pfx[pl->roas[c->roa_off].pfx_off] : NULL;
	for (i = 0; i < n; i++)
		if (x[i].afi == afi && !x[i].nested)
			base[nb++] = &x[i];
	qsort(base, nb, sizeof(*base), cmp_plen);
	if (nb == 0) {
		memset(&own, 0, sizeof(own));
		own.afi = afi;
		own.plen = afi == AFI_IPV4 ? 24 : 48;
		base[nb++] = &own;
	}
	for (i = 0; i < nb; i++) {
		size = 1ULL << (bits - base[i]->plen);
		*cur = (*cur + size - 1) & ~(size - 1);
		if (*cur + size > lim || *cur + size < *cur) {
			free(base);
			return err_set(b->e, "IPv%d address space exhausted at "
			    "CA %s: ask for fewer -roas", afi == AFI_IPV4 ?
			    4 : 6, c->name);
		}
		if (i == 0)
			*start = *cur;
		addr_set(base[i], *cur);
		*cur += size;
	}
	for (i = 0; i < n; i++) {
		if (x[i].afi != afi || !x[i].nested)
			continue;
		bp = base[nn % nb];
		k = nn++ / nb;
		for (d = 1; k >= (1ULL << d); d++)
			k -= 1ULL << d;
		if (bp->plen + d > bits) {
			free(base);
			return err_set(b->e, "CA %s: too many nested prefixes",
			    c->name);
		}
		x[i].plen = (uint8_t)(bp->plen + d);
		x[i].maxlen = x[i].plen;
		addr_set(&x[i], addr_get(bp) + (k << (bits - x[i].plen)));
	}
	free(base);
	return 0;
}

/* r = [lo, end) of family afi (IPv6 values are the top 64 bits). */
static void
range_set(struct rg_range *r, uint8_t afi, uint64_t lo, uint64_t end)
{
	struct rg_prefix x;

	memset(r, 0, sizeof(*r));
	r->set = 1;
	x.afi = afi;
	addr_set(&x, lo);
	memcpy(r->lo, x.addr, sizeof(r->lo));
	addr_set(&x, end - 1);
	memcpy(r->hi, x.addr, sizeof(r->hi));
	if (afi == AFI_IPV6)
		memset(r->hi + 8, 0xff, 8);
}

/*
 * Room under an RIR-like CA for the CAs "next" adds: RG_SPARE_SLOTS /24s,
 * /48s and ASNs right after its own blocks, so inside its range.
 */
static int
alloc_spare(struct builder *b, struct rg_ca *c)
{
	uint64_t	 size4 = 256ULL * RG_SPARE_SLOTS;
	uint64_t	 size6 = 65536ULL * RG_SPARE_SLOTS;

	b->cur4 = (b->cur4 + size4 - 1) & ~(size4 - 1);
	b->cur6 = (b->cur6 + size6 - 1) & ~(size6 - 1);
	if (b->cur4 + size4 > V4_END || b->cur6 + size6 > V6_END)
		return err_set(b->e, "address space exhausted at CA %s: ask "
		    "for fewer -roas", c->name);
	c->spare4 = b->cur4;
	c->spare6 = b->cur6;
	c->spare_as = b->curas;
	b->cur4 += size4;
	b->cur6 += size6;
	b->curas += RG_SPARE_SLOTS;
	return 0;
}

/*
 * Depth-first allocation of ASNs and addresses (see the top comment).
 * *s4 and *s6 get the lowest address of the subtree.
 */
static int
alloc_ca(struct builder *b, size_t ca, uint64_t *s4, uint64_t *s6)
{
	struct plan	*pl = b->pl;
	struct rg_ca	*c = &pl->cas[ca];
	uint64_t	 c4, c6;
	uint32_t	 i, sas = b->curas;

	if (c->kind != RG_TA) {
		c->own_as = b->curas;
		b->curas += c->nown_as;
		if (alloc_family(b, c, AFI_IPV4, &b->cur4, s4) == -1 ||
		    alloc_family(b, c, AFI_IPV6, &b->cur6, s6) == -1)
			return -1;
		for (i = 0; i < c->nroa; i++)
			pl->roas[c->roa_off + i].asn += c->own_as;
		if (c->kind == RG_RIR && alloc_spare(b, c) == -1)
			return -1;
	}
	for (i = 0; i < c->nchild; i++) {
		if (alloc_ca(b, pl->child[c->child_off + i], &c4, &c6) == -1)
			return -1;
		if (i == 0 && c->kind == RG_TA) {
			*s4 = c4;
			*s6 = c6;
		}
	}
	range_set(&c->v4, AFI_IPV4, *s4, b->cur4);
	range_set(&c->v6, AFI_IPV6, *s6, b->cur6);
	c->as_lo = sas;
	c->as_hi = b->curas - 1;
	return 0;
}

/* Well-known transit ASNs, as ASPA providers. */
static const uint32_t transit[] = {
	174, 701, 1299, 2914, 3257, 3356, 3491, 5511, 6453, 6461, 6762,
	6830, 6939, 7018, 12956,
};

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * ASPAs (one CA in four: its first ASN, 1-4 providers among its parent's
 * first ASN and well-known transit ASNs) and router keys (one CA in six),
 * once the ASNs are known.
 */
static int
plan_extras(struct builder *b, size_t ca)
{
	struct plan	*pl = b->pl;
	struct rg_ca	*c = &pl->cas[ca];
	struct rg_aspa	*a;
	struct rg_router *rt;
	uint32_t	 prov[8], n, want, k, i;
	struct rng	 r;

	rng_ca(&r, pl->p.seed, ca, 2);
	c->aspa_off = (uint32_t)pl->naspas;
	c->router_off = (uint32_t)pl->nrouters;
	if (rng_below(&r, 4) == 0) {
		want = 1 + rng_below(&r, 4);
		n = 0;
		if (pl->cas[c->parent].kind == RG_MEMBER)
			prov[n++] = pl->cas[c->parent].own_as;
		while (n < want) {
			k = transit[rng_below(&r, sizeof(transit) /
			    sizeof(transit[0]))];
			for (i = 0; i < n && prov[i] != k; i++)
				;
			if (i == n)
				prov[n++] = k;
		}
		qsort(prov, n, sizeof(prov[0]), cmp_u32);
		if ((a = plan_grow(&pl->aspas, &pl->naspas, &b->aspacap,
		    sizeof(*a))) == NULL)
			return err_set(b->e, "out of memory");
		a->customer = c->own_as;
		a->prov_off = (uint32_t)pl->nprov;
		a->nprov = n;
		for (i = 0; i < n; i++) {
			uint32_t *pp = plan_grow(&pl->prov, &pl->nprov, &b->provcap,
			    sizeof(*pp));

			if (pp == NULL)
				return err_set(b->e, "out of memory");
			*pp = prov[i];
		}
		c->naspa = 1;
	}
	if (rng_below(&r, 6) == 1) {
		if ((rt = plan_grow(&pl->routers, &pl->nrouters, &b->routercap,
		    sizeof(*rt))) == NULL)
			return err_set(b->e, "out of memory");
		rt->asn = c->own_as;
		rt->key = (uint32_t)(pl->nrouters - 1);
		c->nrouter = 1;
	}
	return 0;
}

void
plan_times_of(const struct plan *pl, uint32_t gen, struct rg_times *t)
{
	t->now = pl->nows[gen];
	t->ta_nb = t->now - DAY;
	t->ta_na = t->now + 10 * 365 * DAY;
	t->ca_nb = t->now - DAY;
	t->ca_na = t->now + 365 * DAY;
	t->ee_nb = t->now - 3600;
	t->ee_na = t->now + 365 * DAY;
	t->this_update = t->now - 3600;
	t->next_update = t->now + 7 * DAY;
}

/*
 * pl->t: the times of this generation; and each CA's expiry: the
 * earliest notAfter of the certificates down to it (each of the
 * generation it was issued in) and this generation's nextUpdate.
 */
void
plan_times(struct plan *pl)
{
	struct rg_times	 t;
	size_t		 i;
	int64_t		 x;

	plan_times_of(pl, pl->gen, &pl->t);
	for (i = 0; i < pl->ncas; i++) {
		struct rg_ca *c = &pl->cas[i];

		plan_times_of(pl, c->gen, &t);
		x = c->kind == RG_TA ? t.ta_na : t.ca_na;
		if (pl->t.next_update < x)
			x = pl->t.next_update;
		if (c->parent >= 0 && pl->cas[c->parent].expires < x)
			x = pl->cas[c->parent].expires;
		c->expires = x;
	}
}

int
plan_build(const struct rg_params *p, struct plan *pl, struct err *e)
{
	struct builder	 b;
	size_t		 nrir, nmem, i, first;
	uint64_t	 s4, s6;

	memset(pl, 0, sizeof(*pl));
	memset(&b, 0, sizeof(b));
	pl->p = *p;
	b.pl = pl;
	b.e = e;
	if (p->tas < 1 || p->tas > 100 || p->rirs < 1 || p->hosts < 1 ||
	    p->hosts > 1000)
		return err_set(e, "want 1 <= -tas <= 100, -rirs >= 1, "
		    "1 <= -hosts <= 1000");
	if (p->cas < p->tas || p->cas > 1000000)
		return err_set(e, "-cas: want %zu <= cas <= 1000000 (one "
		    "RIR-like CA per TA at least), have %zu", p->tas, p->cas);
	pl->gen = 1;
	if ((pl->nows = calloc(2, sizeof(*pl->nows))) == NULL)
		return err_set(e, "out of memory");
	pl->nows[1] = p->now;
	nrir = p->cas < p->tas * p->rirs ? p->cas : p->tas * p->rirs;
	nmem = p->cas - nrir;
	if (plan_tree(pl, nrir, nmem, e) == -1)
		goto fail;
	/* RIRs hold ROAs only when there are no members. */
	first = nmem ? p->tas + nrir : p->tas;
	for (i = p->tas; i < first; i++)
		pl->cas[i].nown_as = 1;
	if (plan_holders(&b, first, pl->ncas - first) == -1)
		goto fail;
	b.cur4 = V4_START;
	b.cur6 = V6_START;
	b.curas = AS_START;
	for (i = 0; i < p->tas; i++)
		if (alloc_ca(&b, i, &s4, &s6) == -1)
			goto fail;
	for (i = first; i < pl->ncas; i++)
		if (plan_extras(&b, i) == -1)
			goto fail;
	plan_times(pl);
	return 0;
 fail:
	plan_free(pl);
	return -1;
}

void
plan_free(struct plan *pl)
{
	if (pl == NULL)
		return;
	free(pl->cas);
	free(pl->child);
	free(pl->pfx);
	free(pl->roas);
	free(pl->aspas);
	free(pl->prov);
	free(pl->routers);
	free(pl->hosts);
	free(pl->revoked);
	free(pl->nows);
	memset(pl, 0, sizeof(*pl));
}

void
plan_repo_uri(const struct plan *pl, size_t ca, char *buf)
{
	const struct rg_ca *c = &pl->cas[ca];

	snprintf(buf, RG_URI_MAX, "rsync://%s/repo/%s/", pl->hosts[c->host],
	    c->name);
}

void
plan_cert_uri(const struct plan *pl, size_t ca, char *buf)
{
	const struct rg_ca *c = &pl->cas[ca];
	char	 name[RG_NAME_MAX + 8];

	if (c->kind == RG_TA) {
		snprintf(buf, RG_URI_MAX, "rsync://%s/ta/%s.cer",
		    pl->hosts[c->host], c->name);
		return;
	}
	snprintf(name, sizeof(name), "%s.cer", c->name);
	plan_file_uri(pl, (size_t)c->parent, name, buf);
}

void
plan_file_uri(const struct plan *pl, size_t ca, const char *file, char *buf)
{
	const struct rg_ca *c = &pl->cas[ca];

	snprintf(buf, RG_URI_MAX, "rsync://%s/repo/%s/%s", pl->hosts[c->host],
	    c->name, file);
}

void
plan_notify_uri(const struct plan *pl, size_t ca, char *buf)
{
	snprintf(buf, RG_URI_MAX, "https://%s/rrdp/notification.xml",
	    pl->hosts[pl->cas[ca].host]);
}

void
plan_roa_name(const struct plan *pl, size_t ca, size_t i, char *buf)
{
	const struct rg_roa *r = &pl->roas[pl->cas[ca].roa_off + i];

	snprintf(buf, RG_NAME_MAX, "AS%u-%u.roa", r->asn, r->id);
}

void
plan_aspa_name(const struct plan *pl, const struct rg_aspa *a, char *buf)
{
	(void)pl;
	snprintf(buf, RG_NAME_MAX, "AS%u.asa", a->customer);
}

void
plan_router_name(const struct plan *pl, const struct rg_router *r,
    char *buf)
{
	(void)pl;
	snprintf(buf, RG_NAME_MAX, "router-AS%u-%u.cer", r->asn, r->key);
}
