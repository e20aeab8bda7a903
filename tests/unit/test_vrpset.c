/*
 * test_vrpset.c - building, folding and diffing payload sets, with
 * seeded property tests for diff/apply.
 *
 * The property tests run PROP_ROUNDS pairs of random sets.  Each pair is
 * made from its own seed (printed on failure); set VRPSET_SEED to a
 * printed seed to rerun just that pair.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrpset.h"

#define PROP_ROUNDS	200

/* ---- helpers ---------------------------------------------------------- */

static struct vrp
mkvrp(struct vrpset_builder *b, const char *prefix, uint8_t maxlen,
    uint32_t asn, const char *ta, uint32_t expires)
{
	struct vrp	v;
	struct err	e;
	int		idx;

	memset(&v, 0, sizeof(v));
	if (prefix_parse(prefix, &v, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	v.maxlen = maxlen;
	v.asn = asn;
	v.expires = expires;
	idx = vrpset_builder_ta(b, ta);
	assert_true(idx >= 0);
	v.ta = (uint16_t)idx;
	return v;
}

static void
add_vrp(struct vrpset_builder *b, const char *prefix, uint8_t maxlen,
    uint32_t asn, const char *ta, uint32_t expires)
{
	struct vrp v = mkvrp(b, prefix, maxlen, asn, ta, expires);

	assert_int_equal(vrpset_add_vrp(b, &v), 0);
}

static void
add_aspa(struct vrpset_builder *b, uint32_t customer, const uint32_t *p,
    size_t n, const char *ta, uint32_t expires)
{
	int idx = vrpset_builder_ta(b, ta);

	assert_true(idx >= 0);
	assert_int_equal(vrpset_add_aspa(b, customer, p, n, (uint16_t)idx,
	    expires), 0);
}

static void
add_rkey(struct vrpset_builder *b, uint32_t asn, uint8_t skibyte,
    const uint8_t *spki, size_t spkilen, const char *ta, uint32_t expires)
{
	uint8_t	ski[SKI_LEN];
	int	idx = vrpset_builder_ta(b, ta);

	assert_true(idx >= 0);
	memset(ski, skibyte, sizeof(ski));
	assert_int_equal(vrpset_add_rkey(b, asn, ski, spki, spkilen,
	    (uint16_t)idx, expires), 0);
}

/* Every array of s is strictly increasing by identity. */
static int
set_well_formed(const struct vrpset *s)
{
	size_t i, j;

	for (i = 1; i < s->nvrps; i++)
		if (vrp_cmp(&s->vrps[i - 1], &s->vrps[i]) >= 0)
			return 0;
	for (i = 0; i < s->naspas; i++) {
		const uint32_t *p = vrpset_providers(s, &s->aspas[i]);

		if (i > 0 && s->aspas[i - 1].customer >= s->aspas[i].customer)
			return 0;
		if ((size_t)s->aspas[i].prov_off + s->aspas[i].prov_n >
		    s->nproviders)
			return 0;
		for (j = 1; j < s->aspas[i].prov_n; j++)
			if (p[j - 1] >= p[j])
				return 0;
	}
	for (i = 0; i < s->nrkeys; i++) {
		if (i > 0 && rkey_cmp(s, &s->rkeys[i - 1], s,
		    &s->rkeys[i]) >= 0)
			return 0;
		if ((size_t)s->rkeys[i].spki_off + s->rkeys[i].spki_len >
		    s->spkilen)
			return 0;
	}
	for (i = 0; i < s->nvrps; i++)
		if (s->vrps[i].ta >= s->ntas)
			return 0;
	for (i = 0; i < s->naspas; i++)
		if (s->aspas[i].ta >= s->ntas)
			return 0;
	for (i = 0; i < s->nrkeys; i++)
		if (s->rkeys[i].ta >= s->ntas)
			return 0;
	return 1;
}

/* ---- builder and folding ---------------------------------------------- */

static void
test_empty(void **state)
{
	struct vrpset *s, *t;

	(void)state;
	s = vrpset_empty();
	assert_non_null(s);
	assert_int_equal(s->nvrps + s->naspas + s->nrkeys, 0);
	assert_int_equal(s->refs, 1);
	t = vrpset_build(vrpset_builder_new());
	assert_non_null(t);
	assert_true(vrpset_equal(s, t));
	assert_string_equal(vrpset_ta_name(s, 0), "");
	vrpset_unref(s);
	vrpset_unref(t);
	vrpset_unref(NULL);
	vrpset_builder_free(NULL);
}

static void
test_builder_ta(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;
	int			 a, r, a2;

	(void)state;
	a = vrpset_builder_ta(b, "apnic");
	r = vrpset_builder_ta(b, "ripe");
	a2 = vrpset_builder_ta(b, "apnic");
	assert_true(a >= 0 && r >= 0);
	assert_int_not_equal(a, r);
	assert_int_equal(a, a2);
	assert_int_equal(vrpset_builder_ta(b, "ripe"), r);
	assert_int_equal(vrpset_builder_ta(b, ""), 2);
	add_vrp(b, "10.0.0.0/8", 8, 1, "ripe", 0);
	s = vrpset_build(b);
	assert_non_null(s);
	assert_int_equal(s->ntas, 3);
	assert_string_equal(vrpset_ta_name(s, (uint16_t)a), "apnic");
	assert_string_equal(vrpset_ta_name(s, (uint16_t)r), "ripe");
	assert_string_equal(vrpset_ta_name(s, s->vrps[0].ta), "ripe");
	assert_string_equal(vrpset_ta_name(s, 3), "");
	assert_string_equal(vrpset_ta_name(s, 65535), "");
	vrpset_unref(s);
}

static void
test_build_sorts_vrps(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;
	char			 buf[PREFIX_STRLEN];

	(void)state;
	add_vrp(b, "2001:db8::/32", 48, 3, "ripe", 0);
	add_vrp(b, "192.0.2.0/24", 24, 2, "ripe", 0);
	add_vrp(b, "10.0.0.0/8", 24, 1, "ripe", 0);
	add_vrp(b, "10.0.0.0/8", 8, 1, "ripe", 0);
	s = vrpset_build(b);
	assert_non_null(s);
	assert_int_equal(s->nvrps, 4);
	assert_true(set_well_formed(s));
	prefix_format(&s->vrps[0], buf);
	assert_string_equal(buf, "10.0.0.0/8");
	assert_int_equal(s->vrps[0].maxlen, 8);
	assert_int_equal(s->vrps[1].maxlen, 24);
	prefix_format(&s->vrps[3], buf);
	assert_string_equal(buf, "2001:db8::/32");
	vrpset_unref(s);
}

/* Same VRP from several TAs: one entry, first TA name, latest expiry. */
static void
test_fold_vrp_meta(void **state)
{
	static const char *const order[][3] = {
		{ "ripe", "apnic", "arin" },
		{ "arin", "ripe", "apnic" },
		{ "apnic", "arin", "ripe" },
	};
	static const uint32_t exp[][3] = {
		{ 100, 50, 200 }, { 200, 100, 50 }, { 50, 200, 100 },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct vrpset_builder	*b = vrpset_builder_new();
		struct vrpset		*s;

		for (j = 0; j < 3; j++)
			add_vrp(b, "10.0.0.0/8", 16, 65000, order[i][j],
			    exp[i][j]);
		add_vrp(b, "10.0.0.0/8", 16, 65001, "ripe", 7);
		s = vrpset_build(b);
		assert_non_null(s);
		assert_int_equal(s->nvrps, 2);
		assert_int_equal(s->vrps[0].asn, 65000);
		assert_string_equal(vrpset_ta_name(s, s->vrps[0].ta),
		    "apnic");
		assert_int_equal(s->vrps[0].expires, 200);
		/* The other VRP keeps its own metadata. */
		assert_string_equal(vrpset_ta_name(s, s->vrps[1].ta), "ripe");
		assert_int_equal(s->vrps[1].expires, 7);
		vrpset_unref(s);
	}
}

/* IPv4 bytes past the address do not make a VRP distinct. */
static void
test_fold_vrp_ipv4_padding(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;
	struct vrp		 v;
	static const uint8_t	 zero[12];

	(void)state;
	v = mkvrp(b, "10.0.0.0/8", 8, 1, "ripe", 0);
	assert_int_equal(vrpset_add_vrp(b, &v), 0);
	memset(v.addr + 4, 0xee, 12);
	memset(v.pad, 0xee, sizeof(v.pad));
	assert_int_equal(vrpset_add_vrp(b, &v), 0);
	s = vrpset_build(b);
	assert_int_equal(s->nvrps, 1);
	assert_memory_equal(s->vrps[0].addr + 4, zero, 12);
	vrpset_unref(s);
}

static void
test_fold_aspa_union(void **state)
{
	static const uint32_t p1[] = { 3, 1, 2 };
	static const uint32_t p2[] = { 2, 5, 4, 4 };
	static const uint32_t p3[] = { 9 };
	static const uint32_t want[] = { 1, 2, 3, 4, 5 };
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;
	const uint32_t		*p;

	(void)state;
	add_aspa(b, 65000, p1, 3, "ripe", 100);
	add_aspa(b, 64999, p3, 1, "ripe", 1);
	add_aspa(b, 65000, p2, 4, "apnic", 50);
	add_aspa(b, 65000, NULL, 0, "zzz", 300);
	s = vrpset_build(b);
	assert_non_null(s);
	assert_true(set_well_formed(s));
	assert_int_equal(s->naspas, 2);
	assert_int_equal(s->aspas[0].customer, 64999);
	assert_int_equal(s->aspas[0].prov_n, 1);
	assert_int_equal(vrpset_providers(s, &s->aspas[0])[0], 9);
	assert_int_equal(s->aspas[1].customer, 65000);
	assert_int_equal(s->aspas[1].prov_n, 5);
	p = vrpset_providers(s, &s->aspas[1]);
	assert_memory_equal(p, want, sizeof(want));
	assert_string_equal(vrpset_ta_name(s, s->aspas[1].ta), "apnic");
	assert_int_equal(s->aspas[1].expires, 300);
	vrpset_unref(s);
}

/* Folding ASPAs gives the same set whatever the input order. */
static void
test_fold_aspa_order_independent(void **state)
{
	static const uint32_t pa[] = { 10, 20 }, pb[] = { 20, 30 },
	    pc[] = { 5 };
	struct vrpset *s[3];
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct vrpset_builder *b = vrpset_builder_new();

		if (i == 0) {
			add_aspa(b, 1, pa, 2, "x", 0);
			add_aspa(b, 1, pb, 2, "x", 0);
			add_aspa(b, 2, pc, 1, "x", 0);
		} else if (i == 1) {
			add_aspa(b, 2, pc, 1, "x", 0);
			add_aspa(b, 1, pb, 2, "x", 0);
			add_aspa(b, 1, pa, 2, "x", 0);
		} else {
			static const uint32_t all[] = { 30, 20, 10, 10 };

			add_aspa(b, 1, all, 4, "x", 0);
			add_aspa(b, 2, pc, 1, "x", 0);
		}
		s[i] = vrpset_build(b);
		assert_non_null(s[i]);
		assert_int_equal(s[i]->naspas, 2);
		assert_int_equal(s[i]->aspas[0].prov_n, 3);
	}
	assert_true(vrpset_equal(s[0], s[1]));
	assert_true(vrpset_equal(s[0], s[2]));
	for (i = 0; i < 3; i++)
		vrpset_unref(s[i]);
}

/* ASPAs that all have empty provider lists (no provider pool at all). */
static void
test_fold_aspa_no_providers(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s, *e;
	struct vrpdiff		 d;

	(void)state;
	add_aspa(b, 2, NULL, 0, "ripe", 0);
	add_aspa(b, 1, NULL, 0, "ripe", 0);
	add_aspa(b, 2, NULL, 0, "ripe", 0);
	s = vrpset_build(b);
	assert_non_null(s);
	assert_int_equal(s->naspas, 2);
	assert_int_equal(s->aspas[0].prov_n, 0);
	assert_true(set_well_formed(s));
	e = vrpset_empty();
	assert_int_equal(vrpset_diff(e, s, &d), 0);
	assert_int_equal(d.announced->naspas, 2);
	vrpdiff_free(&d);
	vrpset_unref(e);
	vrpset_unref(s);
}

static void
test_fold_rkeys(void **state)
{
	static const uint8_t k1[] = { 0x30, 1, 2, 3 };
	static const uint8_t k2[] = { 0x30, 1, 2, 4 };
	static const uint8_t k3[] = { 0x30, 1, 2 };	/* prefix of k1 */
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;

	(void)state;
	add_rkey(b, 65000, 0xaa, k1, sizeof(k1), "ripe", 10);
	add_rkey(b, 65000, 0xaa, k1, sizeof(k1), "arin", 20);	/* dup */
	add_rkey(b, 65000, 0xaa, k2, sizeof(k2), "ripe", 0);	/* spki */
	add_rkey(b, 65000, 0xab, k1, sizeof(k1), "ripe", 0);	/* ski */
	add_rkey(b, 64000, 0xaa, k1, sizeof(k1), "ripe", 0);	/* asn */
	add_rkey(b, 65000, 0xaa, k3, sizeof(k3), "ripe", 0);	/* shorter */
	add_rkey(b, 65000, 0xaa, k1, sizeof(k1), "ripe", 5);	/* dup */
	s = vrpset_build(b);
	assert_non_null(s);
	assert_true(set_well_formed(s));
	assert_int_equal(s->nrkeys, 5);
	assert_int_equal(s->rkeys[0].asn, 64000);
	/* Within AS65000 and SKI aa..: the shorter SPKI first. */
	assert_int_equal(s->rkeys[1].spki_len, 3);
	assert_int_equal(s->rkeys[2].spki_len, 4);
	assert_memory_equal(vrpset_spki(s, &s->rkeys[2]), k1, 4);
	assert_string_equal(vrpset_ta_name(s, s->rkeys[2].ta), "arin");
	assert_int_equal(s->rkeys[2].expires, 20);
	assert_memory_equal(vrpset_spki(s, &s->rkeys[3]), k2, 4);
	assert_int_equal(s->rkeys[4].ski[0], 0xab);
	vrpset_unref(s);
}

static void
test_refcount(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;

	(void)state;
	add_vrp(b, "10.0.0.0/8", 8, 1, "ripe", 0);
	s = vrpset_build(b);
	assert_int_equal(s->refs, 1);
	assert_ptr_equal(vrpset_ref(s), s);
	assert_int_equal(s->refs, 2);
	vrpset_ref(s);
	assert_int_equal(s->refs, 3);
	vrpset_unref(s);
	assert_int_equal(s->refs, 2);
	/* Still alive and readable. */
	assert_int_equal(s->nvrps, 1);
	vrpset_unref(s);
	assert_int_equal(s->refs, 1);
	assert_int_equal(s->vrps[0].asn, 1);
	vrpset_unref(s);	/* freed here; ASan reports a leak otherwise */
}

static void
test_equal(void **state)
{
	static const uint32_t p12[] = { 1, 2 }, p13[] = { 1, 3 },
	    p123[] = { 1, 2, 3 };
	static const uint8_t ka[] = { 1, 2 }, kb[] = { 1, 3 };
	struct vrpset	*base = NULL, *s;
	int		 i;

	(void)state;
	for (i = 0; i < 8; i++) {
		struct vrpset_builder *b = vrpset_builder_new();

		/* i == 0 and 1 are equal; others differ in one thing. */
		add_vrp(b, "10.0.0.0/8", i == 2 ? 9 : 8, 1,
		    i == 1 ? "other" : "ripe", i == 1 ? 99 : 0);
		add_vrp(b, "2001:db8::/32", 32, i == 3 ? 2 : 1, "ripe", 0);
		if (i != 4)
			add_vrp(b, "192.0.2.0/24", 24, 1, "ripe", 0);
		add_aspa(b, 10, i == 5 ? p13 : p12, 2, "ripe", 0);
		if (i == 6)
			add_aspa(b, 10, p123, 3, "ripe", 0);
		add_rkey(b, 7, 0x11, i == 7 ? kb : ka, 2, "ripe", 0);
		s = vrpset_build(b);
		assert_non_null(s);
		if (i == 0) {
			base = s;
			assert_true(vrpset_equal(s, s));
			continue;
		}
		if (vrpset_equal(base, s) != (i == 1) ||
		    vrpset_equal(s, base) != (i == 1)) {
			print_error("variant %d: want equal=%d\n", i, i == 1);
			fail();
		}
		vrpset_unref(s);
	}
	vrpset_unref(base);
}

static void
test_builder_add_set(void **state)
{
	static const uint32_t p[] = { 4, 5 };
	static const uint8_t k[] = { 0x30, 0 };
	struct vrpset_builder	*b = vrpset_builder_new(), *c;
	struct vrpset		*s, *t;

	(void)state;
	add_vrp(b, "10.0.0.0/8", 8, 1, "ripe", 5);
	add_vrp(b, "10.0.0.0/16", 16, 1, "arin", 6);
	add_aspa(b, 3, p, 2, "apnic", 7);
	add_rkey(b, 9, 0x01, k, 2, "lacnic", 8);
	s = vrpset_build(b);

	/* Into a builder whose TA indices are different. */
	c = vrpset_builder_new();
	assert_int_equal(vrpset_builder_ta(c, "zzz"), 0);
	assert_int_equal(vrpset_builder_ta(c, "arin"), 1);
	assert_int_equal(vrpset_builder_add_set(c, s), 0);
	t = vrpset_build(c);
	assert_true(vrpset_equal(s, t));
	assert_string_equal(vrpset_ta_name(t, t->vrps[0].ta), "ripe");
	assert_string_equal(vrpset_ta_name(t, t->vrps[1].ta), "arin");
	assert_string_equal(vrpset_ta_name(t, t->aspas[0].ta), "apnic");
	assert_string_equal(vrpset_ta_name(t, t->rkeys[0].ta), "lacnic");
	assert_int_equal(t->vrps[0].expires, 5);
	assert_int_equal(t->aspas[0].expires, 7);
	assert_int_equal(t->rkeys[0].expires, 8);
	vrpset_unref(s);
	vrpset_unref(t);
}

/* ---- diff: worked examples -------------------------------------------- */

static void
test_diff_simple(void **state)
{
	static const uint32_t pa[] = { 1, 2 }, pb[] = { 1, 3 }, pc[] = { 7 };
	static const uint8_t k1[] = { 1 }, k2[] = { 2 };
	struct vrpset_builder	*b;
	struct vrpset		*o, *n, *r;
	struct vrpdiff		 d;

	(void)state;
	b = vrpset_builder_new();
	add_vrp(b, "10.0.0.0/8", 8, 1, "ripe", 0);	/* kept */
	add_vrp(b, "10.0.0.0/8", 9, 1, "ripe", 0);	/* withdrawn */
	add_aspa(b, 100, pa, 2, "ripe", 0);		/* changed */
	add_aspa(b, 200, pc, 1, "ripe", 0);		/* withdrawn */
	add_aspa(b, 300, pc, 1, "ripe", 0);		/* kept */
	add_rkey(b, 5, 1, k1, 1, "ripe", 0);		/* withdrawn */
	o = vrpset_build(b);

	b = vrpset_builder_new();
	add_vrp(b, "10.0.0.0/8", 8, 1, "arin", 42);	/* kept, new TA */
	add_vrp(b, "2001:db8::/32", 32, 1, "arin", 0);	/* announced */
	add_aspa(b, 100, pb, 2, "arin", 0);
	add_aspa(b, 300, pc, 1, "ripe", 0);
	add_aspa(b, 400, pc, 1, "arin", 0);		/* announced */
	add_rkey(b, 5, 1, k2, 1, "arin", 0);		/* announced */
	n = vrpset_build(b);

	assert_int_equal(vrpset_diff(o, n, &d), 0);
	assert_int_equal(d.announced->nvrps, 1);
	assert_int_equal(d.announced->vrps[0].afi, AFI_IPV6);
	assert_string_equal(vrpset_ta_name(d.announced,
	    d.announced->vrps[0].ta), "arin");
	assert_int_equal(d.withdrawn->nvrps, 1);
	assert_int_equal(d.withdrawn->vrps[0].maxlen, 9);
	assert_string_equal(vrpset_ta_name(d.withdrawn,
	    d.withdrawn->vrps[0].ta), "ripe");
	/* A changed provider list: old record withdrawn, new announced. */
	assert_int_equal(d.announced->naspas, 2);
	assert_int_equal(d.announced->aspas[0].customer, 100);
	assert_int_equal(vrpset_providers(d.announced,
	    &d.announced->aspas[0])[1], 3);
	assert_int_equal(d.announced->aspas[1].customer, 400);
	assert_int_equal(d.withdrawn->naspas, 2);
	assert_int_equal(d.withdrawn->aspas[0].customer, 100);
	assert_int_equal(vrpset_providers(d.withdrawn,
	    &d.withdrawn->aspas[0])[1], 2);
	assert_int_equal(d.withdrawn->aspas[1].customer, 200);
	assert_int_equal(d.announced->nrkeys, 1);
	assert_int_equal(d.withdrawn->nrkeys, 1);
	assert_int_equal(vrpdiff_count(&d), 8);

	r = vrpset_apply(o, &d);
	assert_non_null(r);
	assert_true(vrpset_equal(r, n));
	assert_true(set_well_formed(r));
	vrpset_unref(r);
	vrpdiff_free(&d);
	vrpdiff_free(&d);	/* a freed diff is zeroed: harmless */
	vrpset_unref(o);
	vrpset_unref(n);
}

/* ---- property tests ----------------------------------------------------- */

struct prng {
	uint64_t s;
};

/* xorshift64*; a zero seed is mapped to a fixed non-zero one. */
static uint64_t
prng_next(struct prng *r)
{
	if (r->s == 0)
		r->s = 0x9e3779b97f4a7c15ULL;
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static uint32_t
prng_below(struct prng *r, uint32_t n)
{
	return (uint32_t)(prng_next(r) % n);
}

static const char *const ta_names[] = { "ripe", "arin", "apnic",
    "lacnic", "afrinic" };

static const char *
rand_ta(struct prng *r)
{
	return ta_names[prng_below(r, 5)];
}

/* A random VRP from a small space so that collisions happen. */
static struct vrp
rand_vrp(struct prng *r)
{
	struct vrp	v;
	int		bits, b;

	memset(&v, 0, sizeof(v));
	v.afi = prng_below(r, 3) ? AFI_IPV4 : AFI_IPV6;
	bits = afi_bits(v.afi);
	if (v.afi == AFI_IPV4) {
		v.addr[0] = (uint8_t)(10 + prng_below(r, 3));
		v.addr[1] = (uint8_t)prng_below(r, 4);
		v.addr[2] = (uint8_t)prng_below(r, 256);
		v.plen = (uint8_t)(8 + prng_below(r, 25));
	} else {
		v.addr[0] = 0x20;
		v.addr[1] = 0x01;
		v.addr[2] = 0x0d;
		v.addr[3] = (uint8_t)(0xb8 + prng_below(r, 2));
		v.addr[4] = (uint8_t)prng_below(r, 4);
		v.addr[15] = (uint8_t)prng_below(r, 256);
		v.plen = (uint8_t)(16 + prng_below(r, 113));
	}
	for (b = v.plen; b < bits; b++)
		v.addr[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
	v.maxlen = (uint8_t)(v.plen + prng_below(r, (uint32_t)(bits -
	    v.plen + 1)));
	if (prng_below(r, 2))
		v.maxlen = v.plen;
	v.asn = 64500 + prng_below(r, 4);
	v.expires = prng_below(r, 1000);
	return v;
}

struct rk {
	uint32_t	asn;
	uint8_t		ski[SKI_LEN];
	uint8_t		spki[40];
	size_t		spkilen;
};

static struct rk
rand_rkey(struct prng *r)
{
	struct rk	k;
	size_t		i;

	memset(&k, 0, sizeof(k));
	k.asn = 65000 + prng_below(r, 3);
	k.ski[0] = (uint8_t)prng_below(r, 3);
	k.ski[19] = (uint8_t)prng_below(r, 2);
	k.spkilen = 1 + prng_below(r, 4);
	for (i = 0; i < k.spkilen; i++)
		k.spki[i] = (uint8_t)prng_below(r, 2);
	return k;
}

/* Generated raw entries of one side, kept for the brute-force model. */
#define NV_MAX		120
#define NA_MAX		40
#define NK_MAX		30
#define NPROV_MAX	8

struct raw {
	struct vrp	v[NV_MAX];
	size_t		nv;
	uint32_t	cust[NA_MAX];
	uint32_t	prov[NA_MAX][NPROV_MAX];
	size_t		nprov[NA_MAX];
	size_t		na;
	struct rk	k[NK_MAX];
	size_t		nk;
};

static void
raw_add_aspa(struct prng *r, struct raw *w, uint32_t cust,
    const uint32_t *copy, size_t ncopy)
{
	size_t i;

	if (w->na == NA_MAX)
		return;
	w->cust[w->na] = cust;
	if (copy != NULL) {
		memcpy(w->prov[w->na], copy, ncopy * sizeof(*copy));
		w->nprov[w->na] = ncopy;
	} else {
		w->nprov[w->na] = 1 + prng_below(r, NPROV_MAX);
		for (i = 0; i < w->nprov[w->na]; i++)
			w->prov[w->na][i] = 1 + prng_below(r, 6);
	}
	w->na++;
}

/*
 * A random pair: a shared pool of VRPs and keys sampled into both sides
 * (so they overlap), customers that stay, change, vanish or appear.
 */
static void
rand_pair(struct prng *r, struct raw *a, struct raw *b)
{
	struct vrp	pool[80];
	struct rk	kpool[20];
	size_t		npool = 1 + prng_below(r, 80), nk = prng_below(r, 20);
	size_t		i, j, n;

	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	for (i = 0; i < npool; i++)
		pool[i] = rand_vrp(r);
	for (i = 0; i < nk; i++)
		kpool[i] = rand_rkey(r);
	/* Occasionally one side is empty. */
	for (j = 0; j < 2; j++) {
		struct raw	*w = j == 0 ? a : b;
		uint32_t	 keep = prng_below(r, 10) == 0 ? 0 :
				    1 + prng_below(r, 4);

		for (i = 0; i < npool && w->nv < NV_MAX; i++) {
			if (prng_below(r, 5) >= keep)
				continue;
			w->v[w->nv] = pool[i];
			w->v[w->nv].expires = prng_below(r, 1000);
			w->nv++;
			/* A duplicate from another TA now and then. */
			if (prng_below(r, 8) == 0 && w->nv < NV_MAX) {
				w->v[w->nv] = pool[i];
				w->nv++;
			}
		}
		for (i = 0; i < nk && w->nk < NK_MAX; i++) {
			if (prng_below(r, 5) >= keep)
				continue;
			w->k[w->nk++] = kpool[i];
			if (prng_below(r, 8) == 0 && w->nk < NK_MAX)
				w->k[w->nk++] = kpool[i];
		}
	}
	/* ASPAs: customers 1..12, A first, then B derived from A. */
	n = prng_below(r, 12);
	for (i = 0; i < n; i++) {
		uint32_t cust = 100 + prng_below(r, 12);

		raw_add_aspa(r, a, cust, NULL, 0);
		/* Two records for one customer now and then. */
		if (prng_below(r, 6) == 0)
			raw_add_aspa(r, a, cust, NULL, 0);
	}
	for (i = 0; i < a->na; i++) {
		switch (prng_below(r, 4)) {
		case 0:		/* vanish */
			break;
		case 1:		/* change */
			raw_add_aspa(r, b, a->cust[i], NULL, 0);
			break;
		default:	/* same providers, shuffled and duplicated */
			raw_add_aspa(r, b, a->cust[i], a->prov[i],
			    a->nprov[i]);
			if (b->nprov[b->na - 1] > 1) {
				uint32_t t = b->prov[b->na - 1][0];

				b->prov[b->na - 1][0] =
				    b->prov[b->na - 1][b->nprov[b->na - 1] - 1];
				b->prov[b->na - 1][b->nprov[b->na - 1] - 1] = t;
			}
			break;
		}
	}
	n = prng_below(r, 4);
	for (i = 0; i < n; i++)
		raw_add_aspa(r, b, 100 + prng_below(r, 16), NULL, 0);
}

static struct vrpset *
raw_build(struct prng *r, const struct raw *w)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;
	size_t			 i;

	assert_non_null(b);
	for (i = 0; i < w->nv; i++) {
		struct vrp v = w->v[i];

		v.ta = (uint16_t)vrpset_builder_ta(b, rand_ta(r));
		assert_int_equal(vrpset_add_vrp(b, &v), 0);
	}
	for (i = 0; i < w->na; i++)
		add_aspa(b, w->cust[i], w->prov[i], w->nprov[i], rand_ta(r),
		    prng_below(r, 1000));
	for (i = 0; i < w->nk; i++) {
		int ta = vrpset_builder_ta(b, rand_ta(r));

		assert_int_equal(vrpset_add_rkey(b, w->k[i].asn, w->k[i].ski,
		    w->k[i].spki, w->k[i].spkilen, (uint16_t)ta, 0), 0);
	}
	s = vrpset_build(b);
	assert_non_null(s);
	return s;
}

/* ---- brute-force model: O(n^2) scans over the raw entries ---- */

static int
raw_has_vrp(const struct raw *w, const struct vrp *v)
{
	size_t i;

	for (i = 0; i < w->nv; i++)
		if (w->v[i].afi == v->afi && w->v[i].plen == v->plen &&
		    w->v[i].maxlen == v->maxlen && w->v[i].asn == v->asn &&
		    memcmp(w->v[i].addr, v->addr, 16) == 0)
			return 1;
	return 0;
}

static size_t
raw_unique_vrps(const struct raw *w)
{
	struct raw	seen;
	size_t		i;

	seen.nv = 0;
	for (i = 0; i < w->nv; i++)
		if (!raw_has_vrp(&seen, &w->v[i]))
			seen.v[seen.nv++] = w->v[i];
	return seen.nv;
}

static int
rk_eq(const struct rk *x, const struct rk *y)
{
	return x->asn == y->asn && memcmp(x->ski, y->ski, SKI_LEN) == 0 &&
	    x->spkilen == y->spkilen &&
	    memcmp(x->spki, y->spki, x->spkilen) == 0;
}

static int
raw_has_rkey(const struct raw *w, const struct rk *k)
{
	size_t i;

	for (i = 0; i < w->nk; i++)
		if (rk_eq(&w->k[i], k))
			return 1;
	return 0;
}

static size_t
raw_unique_rkeys(const struct raw *w)
{
	size_t i, j, n = 0;

	for (i = 0; i < w->nk; i++) {
		for (j = 0; j < i; j++)
			if (rk_eq(&w->k[i], &w->k[j]))
				break;
		n += j == i;
	}
	return n;
}

/* The folded provider set of customer c as a bitmask (providers < 32). */
static uint32_t
raw_provmask(const struct raw *w, uint32_t c, int *present)
{
	uint32_t	m = 0;
	size_t		i, j;

	*present = 0;
	for (i = 0; i < w->na; i++) {
		if (w->cust[i] != c)
			continue;
		*present = 1;
		for (j = 0; j < w->nprov[i]; j++)
			m |= 1U << w->prov[i][j];
	}
	return m;
}

/* Number of changes a correct diff from a to b has, by brute force. */
static size_t
brute_count(const struct raw *a, const struct raw *b, size_t *vrps,
    size_t *aspas, size_t *rkeys)
{
	struct raw	seen;
	uint32_t	c;
	size_t		i;
	int		pa, pb;

	*vrps = *aspas = *rkeys = 0;
	seen.nv = 0;
	for (i = 0; i < a->nv; i++) {
		if (raw_has_vrp(&seen, &a->v[i]))
			continue;
		seen.v[seen.nv++] = a->v[i];
		*vrps += !raw_has_vrp(b, &a->v[i]);
	}
	seen.nv = 0;
	for (i = 0; i < b->nv; i++) {
		if (raw_has_vrp(&seen, &b->v[i]))
			continue;
		seen.v[seen.nv++] = b->v[i];
		*vrps += !raw_has_vrp(a, &b->v[i]);
	}
	for (c = 0; c < 200; c++) {
		uint32_t ma = raw_provmask(a, c, &pa);
		uint32_t mb = raw_provmask(b, c, &pb);

		if (pa && (!pb || ma != mb))
			(*aspas)++;		/* withdrawn (gone or replaced) */
		if (pb && (!pa || ma != mb))
			(*aspas)++;		/* announced (new or replacing) */
	}
	seen.nk = 0;
	for (i = 0; i < a->nk; i++) {
		if (raw_has_rkey(&seen, &a->k[i]))
			continue;
		seen.k[seen.nk++] = a->k[i];
		*rkeys += !raw_has_rkey(b, &a->k[i]);
	}
	seen.nk = 0;
	for (i = 0; i < b->nk; i++) {
		if (raw_has_rkey(&seen, &b->k[i]))
			continue;
		seen.k[seen.nk++] = b->k[i];
		*rkeys += !raw_has_rkey(a, &b->k[i]);
	}
	return *vrps + *aspas + *rkeys;
}

/* Membership by linear scan, independent of the sets' binary search. */
static int
set_has_vrp(const struct vrpset *s, const struct vrp *v)
{
	size_t i;

	for (i = 0; i < s->nvrps; i++)
		if (vrp_cmp(&s->vrps[i], v) == 0)
			return 1;
	return 0;
}

static int
set_has_aspa(const struct vrpset *s, const struct vrpset *as,
    const struct aspa *a)
{
	size_t i;

	for (i = 0; i < s->naspas; i++)
		if (aspa_cmp(s, &s->aspas[i], as, a) == 0)
			return 1;
	return 0;
}

static int
set_has_customer(const struct vrpset *s, uint32_t c)
{
	size_t i;

	for (i = 0; i < s->naspas; i++)
		if (s->aspas[i].customer == c)
			return 1;
	return 0;
}

static int
set_has_rkey(const struct vrpset *s, const struct vrpset *ks,
    const struct rkey *k)
{
	size_t i;

	for (i = 0; i < s->nrkeys; i++)
		if (rkey_cmp(s, &s->rkeys[i], ks, k) == 0)
			return 1;
	return 0;
}

/* Failure reporting carries the seed of the pair being checked. */
static uint64_t	prop_seed;
static int	prop_round;

/* Coverage of the generator: each kind of change must occur. */
static struct {
	size_t	ann_vrps, wd_vrps, ann_new_aspa, ann_changed_aspa, wd_aspa;
	size_t	ann_rkeys, wd_rkeys, folded_vrps, folded_aspas, empty_sides;
} stats;

#define PCHECK(cond) do {						\
	if (!(cond)) {							\
		print_error("%s:%d: property failed: %s\n"		\
		    "  round %d, seed 0x%016" PRIx64 " (rerun with "	\
		    "VRPSET_SEED=0x%016" PRIx64 ")\n", __FILE__,	\
		    __LINE__, #cond, prop_round, prop_seed, prop_seed);	\
		fail();							\
	}								\
} while (0)

/* All the properties of diff(a, b) for one pair. */
static void
check_diff_props(const struct vrpset *a, const struct vrpset *b,
    const struct raw *ra, const struct raw *rb)
{
	struct vrpdiff	 d, same;
	struct vrpset	*r;
	const struct vrpset *ann, *wd;
	size_t		 i, nv, na, nk, want;

	PCHECK(vrpset_diff(a, b, &d) == 0);
	ann = d.announced;
	wd = d.withdrawn;
	PCHECK(set_well_formed(ann));
	PCHECK(set_well_formed(wd));

	/* apply(A, diff(A, B)) == B */
	r = vrpset_apply(a, &d);
	PCHECK(r != NULL);
	PCHECK(set_well_formed(r));
	PCHECK(vrpset_equal(r, b));
	vrpset_unref(r);

	/* announced: in B, not in A.  withdrawn: in A, not in B. */
	for (i = 0; i < ann->nvrps; i++) {
		PCHECK(!set_has_vrp(a, &ann->vrps[i]));
		PCHECK(set_has_vrp(b, &ann->vrps[i]));
	}
	for (i = 0; i < wd->nvrps; i++) {
		PCHECK(set_has_vrp(a, &wd->vrps[i]));
		PCHECK(!set_has_vrp(b, &wd->vrps[i]));
	}
	for (i = 0; i < ann->naspas; i++) {
		PCHECK(!set_has_aspa(a, ann, &ann->aspas[i]));
		PCHECK(set_has_aspa(b, ann, &ann->aspas[i]));
	}
	for (i = 0; i < wd->naspas; i++) {
		/* The exact old record is gone from B (replaced or removed). */
		PCHECK(set_has_aspa(a, wd, &wd->aspas[i]));
		PCHECK(!set_has_aspa(b, wd, &wd->aspas[i]));
	}
	for (i = 0; i < ann->nrkeys; i++) {
		PCHECK(!set_has_rkey(a, ann, &ann->rkeys[i]));
		PCHECK(set_has_rkey(b, ann, &ann->rkeys[i]));
	}
	for (i = 0; i < wd->nrkeys; i++) {
		PCHECK(set_has_rkey(a, wd, &wd->rkeys[i]));
		PCHECK(!set_has_rkey(b, wd, &wd->rkeys[i]));
	}

	/* Entries carry their TA name across into the diff halves. */
	for (i = 0; i < ann->nvrps; i++) {
		size_t j;

		for (j = 0; j < b->nvrps; j++)
			if (vrp_cmp(&b->vrps[j], &ann->vrps[i]) == 0)
				break;
		PCHECK(j < b->nvrps);
		PCHECK(strcmp(vrpset_ta_name(ann, ann->vrps[i].ta),
		    vrpset_ta_name(b, b->vrps[j].ta)) == 0);
	}

	stats.ann_vrps += ann->nvrps;
	stats.wd_vrps += wd->nvrps;
	for (i = 0; i < ann->naspas; i++) {
		if (set_has_customer(a, ann->aspas[i].customer))
			stats.ann_changed_aspa++;
		else
			stats.ann_new_aspa++;
	}
	stats.wd_aspa += wd->naspas;
	stats.ann_rkeys += ann->nrkeys;
	stats.wd_rkeys += wd->nrkeys;

	/* Sizes against the brute-force model of the raw inputs. */
	want = brute_count(ra, rb, &nv, &na, &nk);
	PCHECK(ann->nvrps + wd->nvrps == nv);
	PCHECK(ann->naspas + wd->naspas == na);
	PCHECK(ann->nrkeys + wd->nrkeys == nk);
	PCHECK(vrpdiff_count(&d) == want);
	vrpdiff_free(&d);

	/* diff(A, A) is empty. */
	PCHECK(vrpset_diff(a, a, &same) == 0);
	PCHECK(vrpdiff_count(&same) == 0);
	r = vrpset_apply(a, &same);
	PCHECK(r != NULL && vrpset_equal(r, a));
	vrpset_unref(r);
	vrpdiff_free(&same);
}

static void
check_fold_props(const struct vrpset *s, const struct raw *w)
{
	size_t	i;
	int	present;

	PCHECK(set_well_formed(s));
	stats.folded_vrps += w->nv - s->nvrps;
	stats.folded_aspas += w->na - s->naspas;
	stats.empty_sides += s->nvrps == 0;
	PCHECK(s->nvrps == raw_unique_vrps(w));
	PCHECK(s->nrkeys == raw_unique_rkeys(w));
	for (i = 0; i < s->naspas; i++) {
		uint32_t	 m = 0, want;
		const uint32_t	*p = vrpset_providers(s, &s->aspas[i]);
		size_t		 j;

		for (j = 0; j < s->aspas[i].prov_n; j++)
			m |= 1U << p[j];
		want = raw_provmask(w, s->aspas[i].customer, &present);
		PCHECK(present);
		PCHECK(m == want);
	}
	for (i = 0; i < w->na; i++)
		PCHECK(set_has_customer(s, w->cust[i]));
}

static void
run_pair(uint64_t seed)
{
	static struct raw	 ra, rb;
	struct prng		 r = { seed };
	struct vrpset		*a, *b;

	prop_seed = seed;
	rand_pair(&r, &ra, &rb);
	a = raw_build(&r, &ra);
	b = raw_build(&r, &rb);
	check_fold_props(a, &ra);
	check_fold_props(b, &rb);
	check_diff_props(a, b, &ra, &rb);
	check_diff_props(b, a, &rb, &ra);
	vrpset_unref(a);
	vrpset_unref(b);
}

static void
test_prop_diff_apply(void **state)
{
	const char	*env = getenv("VRPSET_SEED");
	int		 i;

	(void)state;
	if (env != NULL && *env != '\0') {
		prop_round = -1;
		run_pair(strtoull(env, NULL, 0));
		return;
	}
	memset(&stats, 0, sizeof(stats));
	for (i = 0; i < PROP_ROUNDS; i++) {
		prop_round = i;
		run_pair(0x243f6a8885a308d3ULL + 0x9e3779b97f4a7c15ULL *
		    (uint64_t)i);
	}
	/* The generator exercised every kind of change, many times. */
	assert_true(stats.ann_vrps > 1000);
	assert_true(stats.wd_vrps > 1000);
	assert_true(stats.ann_new_aspa > 50);
	assert_true(stats.ann_changed_aspa > 50);
	assert_true(stats.wd_aspa > 50);
	assert_true(stats.ann_rkeys > 100);
	assert_true(stats.wd_rkeys > 100);
	assert_true(stats.folded_vrps > 100);
	assert_true(stats.folded_aspas > 20);
	assert_true(stats.empty_sides > 5);
}

/*
 * A third set that overlaps both: a random half of b's entries and of
 * a's, so a chain A -> B -> C has changes that cancel and that stack.
 */
static void
raw_mix(struct prng *r, const struct raw *a, const struct raw *b,
    struct raw *c)
{
	const struct raw	*src[2] = { b, a };
	size_t			 i, j;

	memset(c, 0, sizeof(*c));
	for (j = 0; j < 2; j++) {
		const struct raw *w = src[j];

		for (i = 0; i < w->nv && c->nv < NV_MAX; i++)
			if (prng_below(r, 2) == 0)
				c->v[c->nv++] = w->v[i];
		for (i = 0; i < w->na && c->na < NA_MAX; i++) {
			if (prng_below(r, 2) != 0)
				continue;
			c->cust[c->na] = w->cust[i];
			memcpy(c->prov[c->na], w->prov[i], sizeof(w->prov[i]));
			c->nprov[c->na++] = w->nprov[i];
		}
		for (i = 0; i < w->nk && c->nk < NK_MAX; i++)
			if (prng_below(r, 2) == 0)
				c->k[c->nk++] = w->k[i];
	}
}

/* compose(diff(A, B), diff(B, C)) == diff(A, C), on random chains. */
static void
test_prop_compose(void **state)
{
	static struct raw	 ra, rb, rc;
	struct vrpset		*a, *b, *c, *r;
	struct vrpdiff		 ab, bc, ac, comp;
	int			 i;
	size_t			 changes = 0;

	(void)state;
	for (i = 0; i < PROP_ROUNDS; i++) {
		struct prng rr = { 0x5bd1e995ULL * (uint64_t)(i + 1) };

		prop_round = i;
		prop_seed = rr.s;
		rand_pair(&rr, &ra, &rb);
		raw_mix(&rr, &ra, &rb, &rc);
		a = raw_build(&rr, &ra);
		b = raw_build(&rr, &rb);
		c = raw_build(&rr, &rc);
		PCHECK(vrpset_diff(a, b, &ab) == 0);
		PCHECK(vrpset_diff(b, c, &bc) == 0);
		PCHECK(vrpset_diff(a, c, &ac) == 0);
		PCHECK(vrpdiff_compose(&ab, &bc, &comp) == 0);
		PCHECK(vrpset_equal(comp.announced, ac.announced));
		PCHECK(vrpset_equal(comp.withdrawn, ac.withdrawn));
		r = vrpset_apply(a, &comp);
		PCHECK(r != NULL && vrpset_equal(r, c));
		changes += vrpdiff_count(&comp);
		vrpset_unref(r);
		vrpdiff_free(&ab);
		vrpdiff_free(&bc);
		vrpdiff_free(&ac);
		vrpdiff_free(&comp);
		vrpset_unref(a);
		vrpset_unref(b);
		vrpset_unref(c);
	}
	assert_true(changes > 1000);
}

/* diff between the empty set and a set, both ways. */
static void
test_prop_diff_empty(void **state)
{
	static struct raw	 ra, rb;
	struct vrpset		*e = vrpset_empty(), *s, *r;
	struct vrpdiff		 d;
	int			 i;

	(void)state;
	for (i = 0; i < 50; i++) {
		struct prng rr = { 0xe3e3e3e3ULL + (uint64_t)i };

		prop_round = i;
		prop_seed = rr.s;
		rand_pair(&rr, &ra, &rb);
		s = raw_build(&rr, &ra);

		PCHECK(vrpset_diff(e, s, &d) == 0);
		PCHECK(vrpset_equal(d.announced, s));
		PCHECK(vrpdiff_count(&d) == s->nvrps + s->naspas + s->nrkeys);
		r = vrpset_apply(e, &d);
		PCHECK(r != NULL && vrpset_equal(r, s));
		vrpset_unref(r);
		vrpdiff_free(&d);

		PCHECK(vrpset_diff(s, e, &d) == 0);
		PCHECK(vrpset_equal(d.withdrawn, s));
		PCHECK(d.announced->nvrps + d.announced->naspas +
		    d.announced->nrkeys == 0);
		r = vrpset_apply(s, &d);
		PCHECK(r != NULL && vrpset_equal(r, e));
		vrpset_unref(r);
		vrpdiff_free(&d);

		/* The diff halves keep their TA names. */
		PCHECK(vrpset_diff(e, s, &d) == 0);
		if (s->nvrps > 0)
			PCHECK(strcmp(vrpset_ta_name(d.announced,
			    d.announced->vrps[0].ta), vrpset_ta_name(s,
			    s->vrps[0].ta)) == 0);
		vrpdiff_free(&d);
		vrpset_unref(s);
	}
	PCHECK(vrpset_diff(e, e, &d) == 0);
	PCHECK(vrpdiff_count(&d) == 0);
	vrpdiff_free(&d);
	vrpset_unref(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_builder_ta),
		cmocka_unit_test(test_build_sorts_vrps),
		cmocka_unit_test(test_fold_vrp_meta),
		cmocka_unit_test(test_fold_vrp_ipv4_padding),
		cmocka_unit_test(test_fold_aspa_union),
		cmocka_unit_test(test_fold_aspa_order_independent),
		cmocka_unit_test(test_fold_aspa_no_providers),
		cmocka_unit_test(test_fold_rkeys),
		cmocka_unit_test(test_refcount),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_builder_add_set),
		cmocka_unit_test(test_diff_simple),
		cmocka_unit_test(test_prop_diff_apply),
		cmocka_unit_test(test_prop_compose),
		cmocka_unit_test(test_prop_diff_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
