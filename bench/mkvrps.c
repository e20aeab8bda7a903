/*
 * mkvrps.c - write a realistic, deterministic VRP file for benchmarks.
 *
 * The shape follows what the five RIR trust anchors publish today:
 *  - about 80% IPv4, mostly /24 (the rest /8../23), and 20% IPv6, mostly
 *    /48 (the rest /19../64, inside each RIR's /12);
 *  - prefixes come in runs: one AS, one TA, several neighbouring
 *    prefixes of the same length, as an operator signs its allocation;
 *  - 75,000 origin ASes per 800,000 VRPs (scaled with -count), every one
 *    of them used, with a Zipf-like skew so that a few ASes hold
 *    thousands of VRPs;
 *  - about 10% of the IPv4 and 17% of the IPv6 VRPs have maxLength above
 *    the prefix length, and about 3% of the prefixes have a second origin.
 *
 * The VRPs are a pure function of -seed, -count, -asns and -churn.  The
 * churned file is derived from the base set regenerated from the same
 * seed (no file is read back):
 *   mkvrps -seed 1 -count 800000 -o a.json
 *   mkvrps -seed 1 -count 800000 -churn 1 -o b.json
 * b.json is a.json after 1% churn: of count * 1%, 40% of the entries are
 * removed, 40% are new and 20% get another maxLength.
 * With -key the file is signed (GoRTR/OctoRPKI scheme, see vrpsign.h);
 * ECDSA signatures are randomized, so two signed files of one seed
 * differ in their metadata only.  A summary goes to stderr and one JSON
 * line with the figures to stdout; the file is written atomically.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "flags.h"
#include "vrpfile.h"
#include "vrpset.h"
#include "vrpsign.h"

#define NTAS	5
static const char *const ta_names[NTAS] = {
	"afrinic", "apnic", "arin", "lacnic", "ripe",
};
/* Share of origin ASes per TA, in percent, in the order above. */
static const unsigned int ta_share[NTAS] = { 3, 26, 18, 13, 40 };
/* Top 16 bits of each RIR's IPv6 /12, in the order above. */
static const uint16_t ta_v6[NTAS] = { 0x2c00, 0x2400, 0x2600, 0x2800,
    0x2a00 };

/* Prefix length shares, per mille; the rest is /24 (v4) or /48 (v6). */
struct plen_share {
	uint8_t		plen;
	unsigned int	permille;
};
static const struct plen_share v4_plens[] = {
	{ 8, 1 }, { 12, 2 }, { 14, 4 }, { 15, 5 }, { 16, 40 }, { 17, 12 },
	{ 18, 20 }, { 19, 35 }, { 20, 55 }, { 21, 45 }, { 22, 110 },
	{ 23, 70 },
};
static const struct plen_share v6_plens[] = {
	{ 19, 1 }, { 20, 3 }, { 22, 3 }, { 24, 4 }, { 28, 8 }, { 29, 60 },
	{ 32, 140 }, { 33, 10 }, { 36, 30 }, { 40, 45 }, { 44, 60 },
	{ 46, 20 }, { 47, 15 }, { 56, 25 }, { 64, 10 },
};
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* xoshiro256** seeded by splitmix64: fast and the same everywhere. */
struct rng {
	uint64_t	s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n) for n > 0; the modulo bias does not matter here. */
static uint64_t
rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

/* Uniform in [0, 1). */
static double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

struct gen {
	struct rng	 rng;
	uint32_t	*asns;		/* distinct origin ASes */
	uint8_t		*asta;		/* TA index of each AS */
	double		*cdf;		/* Zipf CDF over asns[] */
	size_t		 nasns;
	size_t		 nruns;		/* runs made so far */
	struct vrp	*v;		/* entries; unique after vrps_unique */
	size_t		 n, cap;
};

static void
oom(void)
{
	fprintf(stderr, "mkvrps: out of memory\n");
	exit(1);
}

static void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if ((p = reallocarray(p, n, sz)) == NULL)
		oom();
	return p;
}

/* A TA index drawn with the weights of ta_share[]. */
static uint8_t
pick_ta(struct rng *r)
{
	unsigned int	x = (unsigned int)rng_below(r, 100), acc = 0;
	uint8_t		i;

	for (i = 0; i < NTAS - 1; i++) {
		acc += ta_share[i];
		if (x < acc)
			return i;
	}
	return NTAS - 1;
}

/*
 * nasns distinct AS numbers, 16-bit and 32-bit alike (RFC 6793), none
 * reserved, private or for documentation (RFC 7607, RFC 6996, RFC 5398,
 * AS_TRANS of RFC 6793), each with its TA, and the CDF of weights
 * 1/(rank+1)^0.8 for picking them.
 */
static void
gen_asns(struct gen *g, size_t nasns)
{
	uint8_t		*seen;
	double		 sum = 0;
	size_t		 i = 0;
	uint32_t	 a;

	g->nasns = nasns;
	g->asns = xreallocarray(NULL, nasns, sizeof(*g->asns));
	g->asta = xreallocarray(NULL, nasns, sizeof(*g->asta));
	g->cdf = xreallocarray(NULL, nasns, sizeof(*g->cdf));
	if ((seen = calloc(1, 400000 / 8 + 1)) == NULL)
		oom();
	while (i < nasns) {
		if (rng_below(&g->rng, 100) < 45)
			a = 1 + (uint32_t)rng_below(&g->rng, 64495);
		else
			a = 131072 + (uint32_t)rng_below(&g->rng, 268000);
		if (a == 23456 || (seen[(a % 400000) / 8] &
		    (1U << (a % 8))) != 0)
			continue;
		seen[(a % 400000) / 8] |= (uint8_t)(1U << (a % 8));
		g->asta[i] = pick_ta(&g->rng);
		g->asns[i++] = a;
	}
	free(seen);
	for (i = 0; i < nasns; i++) {
		sum += 1.0 / pow((double)(i + 1), 0.8);
		g->cdf[i] = sum;
	}
	for (i = 0; i < nasns; i++)
		g->cdf[i] /= sum;
}

/* An index into asns[], Zipf-distributed. */
static size_t
pick_asn(struct gen *g, struct rng *r)
{
	double	x = rng_unit(r);
	size_t	lo = 0, hi = g->nasns - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->cdf[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint8_t
pick_plen(struct rng *r, const struct plen_share *t, size_t n,
    uint8_t mostly)
{
	unsigned int	x = (unsigned int)rng_below(r, 1000), acc = 0;
	size_t		i;

	for (i = 0; i < n; i++) {
		acc += t[i].permille;
		if (x < acc)
			return t[i].plen;
	}
	return mostly;
}

/* Run length: 1 (50%), 2-4 (30%), 5-16 (15%), 17-64 (5%); mean ~5. */
static size_t
pick_runlen(struct rng *r)
{
	unsigned int x = (unsigned int)rng_below(r, 100);

	if (x < 50)
		return 1;
	if (x < 80)
		return 2 + rng_below(r, 3);
	if (x < 95)
		return 5 + rng_below(r, 12);
	return 17 + rng_below(r, 48);
}

static void
push(struct gen *g, const struct vrp *v)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 4096;
		g->v = xreallocarray(g->v, g->cap, sizeof(*g->v));
	}
	g->v[g->n++] = *v;
}

/* Set the host bits (past plen) of a 16-byte address to zero. */
static void
mask_addr(uint8_t *a, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		a[i] = plen <= 8 * i ? 0 :
		    (uint8_t)(a[i] & (0xff << (8 - (plen - 8 * i))));
	}
}

/* Add 1 at bit position plen (the next prefix of that length). */
static int
next_prefix(struct vrp *v)
{
	unsigned int	bit = v->plen - 1;
	int		i = (int)(bit / 8);
	unsigned int	carry = 1U << (7 - bit % 8);

	for (; i >= 0 && carry; i--) {
		carry += v->addr[i];
		v->addr[i] = (uint8_t)carry;
		carry >>= 8;
	}
	return carry ? -1 : 0;
}

/* A random first IPv4 prefix of a run: unicast, not 0/8, 10/8, 127/8. */
static void
first_v4(struct rng *r, struct vrp *v)
{
	uint32_t a;

	do
		a = (uint32_t)rng_next(r);
	while ((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
	    (a >> 24) >= 224);
	v->addr[0] = (uint8_t)(a >> 24);
	v->addr[1] = (uint8_t)(a >> 16);
	v->addr[2] = (uint8_t)(a >> 8);
	v->addr[3] = (uint8_t)a;
	mask_addr(v->addr, v->plen);
}

/* A random first IPv6 prefix of a run, inside the TA's /12. */
static void
first_v6(struct rng *r, struct vrp *v)
{
	uint64_t	hi = rng_next(r), lo = rng_next(r);
	int		i;

	for (i = 0; i < 8; i++) {
		v->addr[i] = (uint8_t)(hi >> (56 - 8 * i));
		v->addr[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	v->addr[0] = (uint8_t)(ta_v6[v->ta] >> 8);
	v->addr[1] = (uint8_t)((ta_v6[v->ta] & 0xf0) | (v->addr[1] & 0x0f));
	mask_addr(v->addr, v->plen);
}

/* maxLength: above plen for some, up to /24 (v4) or /48 (v6). */
static uint8_t
pick_maxlen(struct rng *r, const struct vrp *v)
{
	unsigned int top = v->afi == AFI_IPV4 ? 24 : 48;

	if (v->plen < top && rng_below(r, 100) < (v->afi == AFI_IPV4 ?
	    25 : 40))
		return (uint8_t)(v->plen + 1 + rng_below(r, top - v->plen));
	if (v->afi == AFI_IPV6 && v->plen >= 48 && v->plen < 64 &&
	    rng_below(r, 100) < 2)
		return 64;
	return v->plen;
}

/*
 * Make one run of at most max entries for AS index ai: neighbouring
 * prefixes of one length, some with a second origin.  Returns the
 * number of entries added.
 */
static size_t
gen_run(struct gen *g, struct rng *r, size_t ai, size_t max)
{
	struct vrp	v, w;
	size_t		len = pick_runlen(r), i, n = 0;

	memset(&v, 0, sizeof(v));
	v.asn = g->asns[ai];
	v.ta = g->asta[ai];
	if (rng_below(r, 100) < 80) {
		v.afi = AFI_IPV4;
		v.plen = pick_plen(r, v4_plens, NELEM(v4_plens), 24);
		first_v4(r, &v);
		if (v.plen < 16)
			len = 1;
	} else {
		v.afi = AFI_IPV6;
		v.plen = pick_plen(r, v6_plens, NELEM(v6_plens), 48);
		first_v6(r, &v);
	}
	for (i = 0; i < len && n < max; i++) {
		v.maxlen = pick_maxlen(r, &v);
		push(g, &v);
		n++;
		if (n < max && rng_below(r, 1000) < 30) {
			w = v;
			ai = pick_asn(g, r);
			w.asn = g->asns[ai];
			w.ta = g->asta[ai];
			push(g, &w);
			n++;
		}
		if (next_prefix(&v) == -1 || (v.afi == AFI_IPV4 &&
		    (v.addr[0] >= 224 || v.addr[0] == 127)))
			break;
	}
	return n;
}

/* Add want entries; the first nasns runs use each AS once. */
static void
gen_entries(struct gen *g, struct rng *r, size_t want)
{
	size_t ai;

	while (want > 0) {
		ai = g->nruns < g->nasns ? g->nruns : pick_asn(g, r);
		g->nruns++;
		want -= gen_run(g, r, ai, want);
	}
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return vrp_cmp(a, b);
}

/* Sort g->v and drop repeated identities. */
static void
vrps_unique(struct gen *g)
{
	size_t i, j = 0;

	qsort(g->v, g->n, sizeof(*g->v), vrp_qcmp);
	for (i = 0; i < g->n; i++)
		if (j == 0 || vrp_cmp(&g->v[j - 1], &g->v[i]) != 0)
			g->v[j++] = g->v[i];
	g->n = j;
}

/* Top g->v up to exactly want unique entries. */
static void
fill_to(struct gen *g, struct rng *r, size_t want)
{
	vrps_unique(g);
	while (g->n < want) {
		gen_entries(g, r, want - g->n);
		vrps_unique(g);
	}
}

/* Another maxLength for v, within plen..width. */
static void
change_maxlen(struct rng *r, struct vrp *v)
{
	unsigned int width = afi_bits(v->afi);

	if (v->maxlen < width && (v->maxlen == v->plen || rng_below(r, 2)))
		v->maxlen++;
	else
		v->maxlen--;
}

/*
 * Churn g->v (sorted, unique) by pct percent of its entries: 40% of
 * them removed, 20% with another maxLength, 40% new.
 */
static void
churn(struct gen *g, uint64_t seed, double pct)
{
	struct rng	 r;
	uint8_t		*mark;
	size_t		 touch, nrm, nmod, nadd, i, j, base = g->n;

	rng_seed(&r, seed ^ 0xc6a4a7935bd1e995ULL);
	touch = (size_t)llround((double)base * pct / 100.0);
	if (touch > base)
		touch = base;
	nrm = touch * 2 / 5;
	nmod = touch / 5;
	nadd = touch - nrm - nmod;
	if ((mark = calloc(base ? base : 1, 1)) == NULL)
		oom();
	for (i = 0; i < nrm + nmod; ) {
		j = rng_below(&r, base);
		if (mark[j])
			continue;
		mark[j] = i < nrm ? 1 : 2;
		i++;
	}
	for (i = 0, j = 0; i < base; i++) {
		if (mark[i] == 1)
			continue;
		if (mark[i] == 2)
			change_maxlen(&r, &g->v[i]);
		g->v[j++] = g->v[i];
	}
	g->n = j;
	free(mark);
	gen_entries(g, &r, nadd);
	fill_to(g, &r, base - nrm + nadd);
}

/* The set of g->v's entries, or NULL on out of memory. */
static struct vrpset *
make_set(const struct gen *g)
{
	struct vrpset_builder	*b;
	struct vrp		 v;
	int			 ta[NTAS];
	size_t			 i;

	if ((b = vrpset_builder_new()) == NULL)
		return NULL;
	for (i = 0; i < NTAS; i++)
		if ((ta[i] = vrpset_builder_ta(b, ta_names[i])) == -1)
			goto fail;
	for (i = 0; i < g->n; i++) {
		v = g->v[i];
		v.ta = (uint16_t)ta[v.ta];
		if (vrpset_add_vrp(b, &v) == -1)
			goto fail;
	}
	return vrpset_build(b);
 fail:
	vrpset_builder_free(b);
	return NULL;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Print what the set looks like: stderr for people, stdout as JSON. */
static void
report(const struct vrpset *s, const char *out)
{
	size_t		 i, v4 = 0, v4_24 = 0, v6_48 = 0, wide = 0, nasn = 0;
	uint32_t	*asns;

	if ((asns = calloc(s->nvrps ? s->nvrps : 1, sizeof(*asns))) == NULL)
		oom();
	for (i = 0; i < s->nvrps; i++) {
		const struct vrp *v = &s->vrps[i];

		if (v->afi == AFI_IPV4) {
			v4++;
			v4_24 += v->plen == 24;
		} else
			v6_48 += v->plen == 48;
		wide += v->maxlen > v->plen;
		asns[i] = v->asn;
	}
	qsort(asns, s->nvrps, sizeof(*asns), u32_cmp);
	for (i = 0; i < s->nvrps; i++)
		nasn += i == 0 || asns[i] != asns[i - 1];
	free(asns);
	fprintf(stderr, "mkvrps: %s: %zu VRPs: %zu IPv4 (%.1f%% /24), %zu "
	    "IPv6 (%.1f%% /48), %zu ASes, %zu with maxLength > plen\n", out,
	    s->nvrps, v4, v4 ? 100.0 * (double)v4_24 / (double)v4 : 0.0,
	    s->nvrps - v4, s->nvrps - v4 ? 100.0 * (double)v6_48 /
	    (double)(s->nvrps - v4) : 0.0, nasn, wide);
	if (strcmp(out, "-") == 0)
		return;		/* stdout holds the file */
	printf("{\"vrps\": %zu, \"ipv4\": %zu, \"ipv6\": %zu, \"asns\": %zu, "
	    "\"maxlen_gt_plen\": %zu}\n", s->nvrps, v4, s->nvrps - v4, nasn,
	    wide);
}

/*
 * Write s to out, signed with the private key at keypath if that is not
 * NULL.  Returns 0, or -1 after printing the reason.
 */
static int
write_set(const struct vrpset *s, const char *out, const char *keypath,
    long long generated, double validity)
{
	struct vrpfile_meta	 m;
	struct siglines		 sl;
	struct err		 e;
	EVP_PKEY		*key = NULL;
	int			 rc = -1;

	memset(&m, 0, sizeof(m));
	memset(&sl, 0, sizeof(sl));
	m.generated = generated;
	m.valid = generated + (int64_t)validity;
	m.has_generated = m.has_valid = 1;
	if (keypath != NULL && *keypath != '\0') {
		if ((key = vrpsign_load_privkey(keypath, &e)) == NULL)
			goto fail;
		if (siglines_from_set(&sl, s) == -1) {
			err_set(&e, "out of memory");
			goto fail;
		}
		if (vrpsign_sign(key, &sl, &m, &e) == -1)
			goto fail;
	}
	if (vrpfile_save(out, s, VRPFILE_OCTORPKI, &m, &e) == -1)
		goto fail;
	rc = 0;
	goto out;
 fail:
	fprintf(stderr, "mkvrps: %s\n", e.msg);
 out:
	siglines_free(&sl);
	vrpfile_meta_free(&m);
	EVP_PKEY_free(key);
	return rc;
}

int
main(int argc, char **argv)
{
	struct flagset	 fs;
	struct gen	 g;
	struct vrpset	*s;
	struct err	 e;
	const char	*out, *key;
	long long	 seed, count, nasns, generated;
	double		 pct, validity;
	int		 rest, rc;

	flags_init(&fs, "mkvrps");
	flag_int(&fs, "seed", &seed, 1, "Seed of the generator");
	flag_int(&fs, "count", &count, 800000, "Number of VRPs in the "
	    "base set");
	flag_int(&fs, "asns", &nasns, 0, "Number of origin ASes (0: "
	    "75,000 per 800,000 VRPs)");
	flag_float(&fs, "churn", &pct, 0, "Percent of the base set to "
	    "change (remove 40%, add 40%, new maxLength 20%)");
	flag_string(&fs, "o", &out, "-", "Output file (\"-\": stdout)");
	flag_string(&fs, "key", &key, "", "PEM EC P-256 private key to "
	    "sign the file with");
	flag_int(&fs, "generated", &generated, 0, "metadata.generated, "
	    "unix time (0: now)");
	flag_duration(&fs, "validity", &validity, 86400, "metadata.valid "
	    "minus metadata.generated");
	if ((rc = flags_parse(&fs, argc, argv, 1, &rest, &e)) != 0 ||
	    rest != argc) {
		if (rc == -1)
			fprintf(stderr, "%s\n", e.msg);
		flags_usage(&fs, stderr);
		flags_free(&fs);
		return rc == 1 ? 0 : 2;
	}
	if (count < 1 || count > 50000000 || nasns < 0 || nasns > 200000 ||
	    pct < 0 || pct > 100) {
		fprintf(stderr, "mkvrps: want 1 <= count <= 50000000, "
		    "0 <= asns <= 200000, 0 <= churn <= 100\n");
		flags_free(&fs);
		return 2;
	}
	if (nasns == 0)
		nasns = count * 3 / 32 > 0 ? count * 3 / 32 : 1;
	if (nasns > count)
		nasns = count;
	if (generated == 0)
		generated = (long long)time(NULL);

	memset(&g, 0, sizeof(g));
	rng_seed(&g.rng, (uint64_t)seed);
	gen_asns(&g, (size_t)nasns);
	gen_entries(&g, &g.rng, (size_t)count);
	fill_to(&g, &g.rng, (size_t)count);
	if (pct > 0)
		churn(&g, (uint64_t)seed, pct);
	if ((s = make_set(&g)) == NULL)
		oom();
	rc = write_set(s, out, key, generated, validity) == 0 ? 0 : 1;
	if (rc == 0)
		report(s, out);
	vrpset_unref(s);
	free(g.v);
	free(g.asns);
	free(g.asta);
	free(g.cdf);
	flags_free(&fs);
	return rc;
}
