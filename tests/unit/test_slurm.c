/*
 * test_slurm.c - SLURM parsing (RFC 8416, draft-ietf-sidrops-aspa-slurm)
 * and application to payload sets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "slurm.h"
#include "vrpset.h"

#define SKI_DIGITS	"12345678901234567890"
#define SKI_DIGITS_B64	"MTIzNDU2Nzg5MDEyMzQ1Njc4OTA"
#define SKI_DEAD	"deadbeatdeadbeatdead"
#define SKI_DEAD_B64	"ZGVhZGJlYXRkZWFkYmVhdGRlYWQ"
#define SKI_ALPHA	"abcdefghijklmnopqrst"

/* A whole file from its lists: version, filters, assertions. */
#define DOC(V, F, A)	"{\"slurmVersion\":" V \
			",\"validationOutputFilters\":{" F "}," \
			"\"locallyAddedAssertions\":{" A "}}"
#define NOF		"\"prefixFilters\":[],\"bgpsecFilters\":[]"
#define NOA		"\"prefixAssertions\":[],\"bgpsecAssertions\":[]"
#define PF(x)		"\"prefixFilters\":[" x "],\"bgpsecFilters\":[]"
#define KF(x)		"\"prefixFilters\":[],\"bgpsecFilters\":[" x "]"
#define PA(x)		"\"prefixAssertions\":[" x "]," \
			"\"bgpsecAssertions\":[]"
#define KA(x)		"\"prefixAssertions\":[]," \
			"\"bgpsecAssertions\":[" x "]"

static char *
fixture_read(const char *rel, size_t *len)
{
	char	 path[1024];
	char	*buf;
	FILE	*fp;
	long	 n;

	snprintf(path, sizeof(path), "%s/fixtures/%s", SHARED_DIR, rel);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static struct slurm *
parse_ok(const char *json)
{
	struct slurm	*s;
	struct err	 e;

	memset(&e, 0, sizeof(e));
	s = slurm_parse(json, strlen(json), "test.json", &e);
	if (s == NULL)
		fail_msg("unexpected parse error: %s", e.msg);
	return s;
}

static struct slurm *
fixture_parse(const char *rel)
{
	struct slurm	*s;
	struct err	 e;
	char		*buf;
	size_t		 len;

	memset(&e, 0, sizeof(e));
	buf = fixture_read(rel, &len);
	s = slurm_parse(buf, len, rel, &e);
	free(buf);
	if (s == NULL)
		fail_msg("%s: unexpected parse error: %s", rel, e.msg);
	return s;
}

static void
counts_check(const struct slurm *s, size_t pf, size_t kf, size_t af,
    size_t pa, size_t ka, size_t aa)
{
	struct slurm_counts c;

	slurm_counts(s, &c);
	assert_int_equal(c.prefix_filters, pf);
	assert_int_equal(c.bgpsec_filters, kf);
	assert_int_equal(c.aspa_filters, af);
	assert_int_equal(c.prefix_assertions, pa);
	assert_int_equal(c.bgpsec_assertions, ka);
	assert_int_equal(c.aspa_assertions, aa);
}

/* Add pfx-maxlen ASasn to b; maxlen < 0 means the prefix length. */
static void
vrp_add(struct vrpset_builder *b, int ta, const char *pfx, int maxlen,
    uint32_t asn)
{
	struct vrp	v;
	struct err	e;

	memset(&v, 0, sizeof(v));
	if (prefix_parse(pfx, &v, &e) != 0)
		fail_msg("bad test prefix %s: %s", pfx, e.msg);
	v.maxlen = (uint8_t)(maxlen < 0 ? v.plen : maxlen);
	v.asn = asn;
	v.ta = (uint16_t)ta;
	assert_int_equal(vrpset_add_vrp(b, &v), 0);
}

static const struct vrp *
vrp_find(const struct vrpset *s, const char *pfx, int maxlen, uint32_t asn)
{
	struct vrp	v;
	struct err	e;
	size_t		i;

	memset(&v, 0, sizeof(v));
	assert_int_equal(prefix_parse(pfx, &v, &e), 0);
	v.maxlen = (uint8_t)(maxlen < 0 ? v.plen : maxlen);
	v.asn = asn;
	for (i = 0; i < s->nvrps; i++)
		if (vrp_cmp(&s->vrps[i], &v) == 0)
			return &s->vrps[i];
	return NULL;
}

static const struct aspa *
aspa_find(const struct vrpset *s, uint32_t customer)
{
	size_t i;

	for (i = 0; i < s->naspas; i++)
		if (s->aspas[i].customer == customer)
			return &s->aspas[i];
	return NULL;
}

static const struct rkey *
rkey_find(const struct vrpset *s, uint32_t asn, const char *ski)
{
	size_t i;

	for (i = 0; i < s->nrkeys; i++)
		if (s->rkeys[i].asn == asn &&
		    memcmp(s->rkeys[i].ski, ski, SKI_LEN) == 0)
			return &s->rkeys[i];
	return NULL;
}

/* Parse json and apply it to in; the caller unrefs the result. */
static struct vrpset *
apply_text(const char *json, const struct vrpset *in)
{
	struct slurm	*s;
	struct vrpset	*out;

	s = parse_ok(json);
	out = slurm_apply(s, in);
	assert_non_null(out);
	slurm_free(s);
	return out;
}

static void
test_fixture_gortr(void **state)
{
	struct slurm *s = fixture_parse("gortr/test.slurm.json");

	assert_int_equal(slurm_version(s), 1);
	counts_check(s, 1, 0, 0, 1, 0, 0);
	slurm_free(s);
}

static void
test_fixture_full(void **state)
{
	struct slurm *s = fixture_parse("slurm/full.json");

	assert_int_equal(slurm_version(s), 1);
	counts_check(s, 3, 3, 0, 2, 1, 0);
	slurm_free(s);
}

static void
test_fixture_full_v2(void **state)
{
	struct slurm *s = fixture_parse("slurm/full_v2.json");

	assert_int_equal(slurm_version(s), 2);
	counts_check(s, 3, 3, 1, 2, 1, 1);
	slurm_free(s);
}

/* GoRTR's test.slurm.json against the content of its test.rpki.json. */
static void
test_apply_gortr(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;
	struct slurm		*s;
	const struct vrp	*v;
	int			 ta;

	assert_non_null(b);
	ta = vrpset_builder_ta(b, "Test ROA");
	vrp_add(b, ta, "10.0.0.0/25", 26, 65000);
	vrp_add(b, ta, "10.1.0.0/25", 26, 65001);
	in = vrpset_build(b);
	assert_non_null(in);
	s = fixture_parse("gortr/test.slurm.json");
	out = slurm_apply(s, in);
	assert_non_null(out);

	assert_int_equal(out->nvrps, 2);
	assert_null(vrp_find(out, "10.0.0.0/25", 26, 65000));
	v = vrp_find(out, "10.1.0.0/25", 26, 65001);
	assert_non_null(v);
	assert_string_equal(vrpset_ta_name(out, v->ta), "Test ROA");
	v = vrp_find(out, "10.2.0.0/25", 26, 65002);
	assert_non_null(v);
	assert_string_equal(vrpset_ta_name(out, v->ta), SLURM_TA_NAME);
	assert_int_equal(v->expires, 0);
	/* The input is untouched. */
	assert_int_equal(in->nvrps, 2);
	assert_non_null(vrp_find(in, "10.0.0.0/25", 26, 65000));

	slurm_free(s);
	vrpset_unref(in);
	vrpset_unref(out);
}

static void
test_apply_prefix_only(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;

	vrp_add(b, 0, "192.0.1.0/24", -1, 1);
	vrp_add(b, 0, "192.0.2.0/24", -1, 1);		/* equal */
	vrp_add(b, 0, "192.0.2.0/24", 28, 7);		/* equal, any AS */
	vrp_add(b, 0, "192.0.2.128/25", -1, 2);	/* more specific */
	vrp_add(b, 0, "192.0.2.255/32", -1, 3);	/* most specific */
	vrp_add(b, 0, "192.0.0.0/16", 24, 1);		/* less specific */
	vrp_add(b, 0, "192.0.3.0/24", -1, 1);		/* neighbour */
	vrp_add(b, 0, "2001:db8:1::/48", -1, 1);	/* more specific v6 */
	vrp_add(b, 0, "2001:db9::/32", -1, 1);		/* neighbour v6 */
	vrp_add(b, 0, "2001::/16", -1, 1);		/* less specific v6 */
	vrp_add(b, 0, "::/0", -1, 1);			/* everything v6 */
	assert_non_null(in = vrpset_build(b));

	out = apply_text(DOC("1", PF("{\"prefix\":\"192.0.2.0/24\"},"
	    "{\"prefix\":\"2001:DB8::/32\",\"comment\":\"v6\"}"), NOA), in);
	assert_int_equal(out->nvrps, 6);
	assert_non_null(vrp_find(out, "192.0.1.0/24", -1, 1));
	assert_non_null(vrp_find(out, "192.0.0.0/16", 24, 1));
	assert_non_null(vrp_find(out, "192.0.3.0/24", -1, 1));
	assert_non_null(vrp_find(out, "2001:db9::/32", -1, 1));
	assert_non_null(vrp_find(out, "2001::/16", -1, 1));
	assert_non_null(vrp_find(out, "::/0", -1, 1));
	vrpset_unref(in);
	vrpset_unref(out);

	/* A filter for everything still leaves the other family. */
	b = vrpset_builder_new();
	vrp_add(b, 0, "0.0.0.0/0", -1, 0);
	vrp_add(b, 0, "10.0.0.0/8", -1, 1);
	vrp_add(b, 0, "::/0", -1, 0);
	assert_non_null(in = vrpset_build(b));
	out = apply_text(DOC("1", PF("{\"prefix\":\"0.0.0.0/0\"}"), NOA), in);
	assert_int_equal(out->nvrps, 1);
	assert_non_null(vrp_find(out, "::/0", -1, 0));
	vrpset_unref(in);
	vrpset_unref(out);
}

static void
test_apply_asn_only(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;

	vrp_add(b, 0, "192.0.2.0/24", -1, 64496);
	vrp_add(b, 0, "2001:db8::/32", 48, 64496);
	vrp_add(b, 0, "192.0.2.0/24", -1, 64497);
	vrp_add(b, 0, "198.51.100.0/24", -1, 4294967295U);
	assert_non_null(in = vrpset_build(b));

	out = apply_text(DOC("1", PF("{\"asn\":64496}"), NOA), in);
	assert_int_equal(out->nvrps, 2);
	assert_null(vrp_find(out, "192.0.2.0/24", -1, 64496));
	assert_null(vrp_find(out, "2001:db8::/32", 48, 64496));
	assert_non_null(vrp_find(out, "192.0.2.0/24", -1, 64497));
	assert_non_null(vrp_find(out, "198.51.100.0/24", -1, 4294967295U));
	vrpset_unref(out);

	out = apply_text(DOC("1", PF("{\"asn\":4294967295}"), NOA), in);
	assert_int_equal(out->nvrps, 3);
	assert_null(vrp_find(out, "198.51.100.0/24", -1, 4294967295U));
	vrpset_unref(out);
	vrpset_unref(in);
}

/* Prefix and ASN: more specifics of that AS go, less specifics stay. */
static void
test_apply_prefix_and_asn(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;

	vrp_add(b, 0, "198.51.100.0/24", -1, 64497);
	vrp_add(b, 0, "198.51.100.128/25", -1, 64497);
	vrp_add(b, 0, "198.51.100.0/24", -1, 64496);
	vrp_add(b, 0, "198.51.0.0/16", 24, 64497);
	vrp_add(b, 0, "198.51.101.0/24", -1, 64497);
	assert_non_null(in = vrpset_build(b));

	out = apply_text(DOC("1", PF("{\"prefix\":\"198.51.100.0/24\","
	    "\"asn\":64497}"), NOA), in);
	assert_int_equal(out->nvrps, 3);
	assert_null(vrp_find(out, "198.51.100.0/24", -1, 64497));
	assert_null(vrp_find(out, "198.51.100.128/25", -1, 64497));
	assert_non_null(vrp_find(out, "198.51.100.0/24", -1, 64496));
	assert_non_null(vrp_find(out, "198.51.0.0/16", 24, 64497));
	assert_non_null(vrp_find(out, "198.51.101.0/24", -1, 64497));
	vrpset_unref(in);
	vrpset_unref(out);
}

/* Assertions are added even when a filter of the file matches them. */
static void
test_assertions_not_filtered(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;
	const struct vrp	*v;

	vrp_add(b, vrpset_builder_ta(b, "ripe"), "10.2.0.0/16", -1, 65002);
	assert_non_null(in = vrpset_build(b));
	out = apply_text(DOC("1", PF("{\"asn\":65002},"
	    "{\"prefix\":\"10.0.0.0/8\"}"), PA("{\"prefix\":\"10.2.0.0/24\","
	    "\"asn\":65002},{\"prefix\":\"10.3.0.0/24\",\"asn\":65003,"
	    "\"maxPrefixLength\":32}")), in);
	assert_int_equal(out->nvrps, 2);
	assert_null(vrp_find(out, "10.2.0.0/16", -1, 65002));
	/* maxPrefixLength defaults to the prefix length. */
	v = vrp_find(out, "10.2.0.0/24", 24, 65002);
	assert_non_null(v);
	assert_string_equal(vrpset_ta_name(out, v->ta), SLURM_TA_NAME);
	assert_non_null(vrp_find(out, "10.3.0.0/24", 32, 65003));
	vrpset_unref(in);
	vrpset_unref(out);
}

static void
test_apply_bgpsec(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;
	struct slurm		*s;
	const struct rkey	*k;
	const uint8_t		 spki[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	int			 ta;

	ta = vrpset_builder_ta(b, "arin");
	assert_int_equal(vrpset_add_rkey(b, 64496, (const uint8_t *)SKI_ALPHA,
	    spki, sizeof(spki), (uint16_t)ta, 0), 0);	/* asn filter */
	assert_int_equal(vrpset_add_rkey(b, 64499,
	    (const uint8_t *)SKI_DIGITS, spki, sizeof(spki), (uint16_t)ta, 0),
	    0);						/* SKI filter */
	assert_int_equal(vrpset_add_rkey(b, 64497, (const uint8_t *)SKI_DEAD,
	    spki, sizeof(spki), (uint16_t)ta, 0), 0);	/* asn + SKI */
	assert_int_equal(vrpset_add_rkey(b, 64497, (const uint8_t *)SKI_ALPHA,
	    spki, sizeof(spki), (uint16_t)ta, 0), 0);	/* SKI differs */
	assert_int_equal(vrpset_add_rkey(b, 64498, (const uint8_t *)SKI_DEAD,
	    spki, sizeof(spki), (uint16_t)ta, 0), 0);	/* AS differs */
	assert_non_null(in = vrpset_build(b));

	s = fixture_parse("slurm/full.json");
	out = slurm_apply(s, in);
	assert_non_null(out);
	assert_int_equal(out->nrkeys, 3);
	assert_non_null(rkey_find(out, 64497, SKI_ALPHA));
	assert_non_null(rkey_find(out, 64498, SKI_DEAD));
	k = rkey_find(out, 64496, SKI_DIGITS);
	assert_non_null(k);
	assert_string_equal(vrpset_ta_name(out, k->ta), SLURM_TA_NAME);
	assert_int_equal(k->spki_len, 5);
	assert_memory_equal(vrpset_spki(out, k), "blubb", 5);
	slurm_free(s);
	vrpset_unref(in);
	vrpset_unref(out);
}

static void
test_apply_aspa(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;
	struct slurm		*s;
	const struct aspa	*a;
	const uint32_t		 p1[] = { 1, 2 }, p2[] = { 3 };
	int			 ta;

	ta = vrpset_builder_ta(b, "apnic");
	assert_int_equal(vrpset_add_aspa(b, 64496, p1, 2, (uint16_t)ta, 9),
	    0);
	assert_int_equal(vrpset_add_aspa(b, 65000, p2, 1, (uint16_t)ta, 9),
	    0);
	assert_non_null(in = vrpset_build(b));

	s = fixture_parse("slurm/full_v2.json");
	out = slurm_apply(s, in);
	assert_non_null(out);
	assert_int_equal(out->naspas, 2);
	/* Filtered, then asserted anew: only the local providers. */
	a = aspa_find(out, 64496);
	assert_non_null(a);
	assert_int_equal(a->prov_n, 2);
	assert_int_equal(vrpset_providers(out, a)[0], 64497);
	assert_int_equal(vrpset_providers(out, a)[1], 64498);
	assert_string_equal(vrpset_ta_name(out, a->ta), SLURM_TA_NAME);
	a = aspa_find(out, 65000);
	assert_non_null(a);
	assert_int_equal(a->prov_n, 1);
	assert_int_equal(vrpset_providers(out, a)[0], 3);
	assert_string_equal(vrpset_ta_name(out, a->ta), "apnic");
	assert_int_equal(a->expires, 9);
	slurm_free(s);
	vrpset_unref(out);

	/* Without a filter an assertion adds to the customer's providers. */
	out = apply_text(DOC("2", NOF, NOA ",\"aspaAssertions\":[{"
	    "\"customerAsid\":65000,\"providers\":[5,4]}]"), in);
	a = aspa_find(out, 65000);
	assert_non_null(a);
	assert_int_equal(a->prov_n, 3);
	assert_int_equal(vrpset_providers(out, a)[0], 3);
	assert_int_equal(vrpset_providers(out, a)[1], 4);
	assert_int_equal(vrpset_providers(out, a)[2], 5);
	assert_non_null(aspa_find(out, 64496));
	vrpset_unref(out);

	/* The other spellings of the draft's revisions. */
	out = apply_text(DOC("2", NOF ",\"aspaFilters\":[{\"customerAsn\":"
	    "65000}]", NOA ",\"aspaAssertions\":[{\"customerAsn\":70000,"
	    "\"providerSet\":[1]}]"), in);
	assert_int_equal(out->naspas, 2);
	assert_null(aspa_find(out, 65000));
	assert_non_null(aspa_find(out, 64496));
	assert_non_null(aspa_find(out, 70000));
	vrpset_unref(out);
	vrpset_unref(in);
}

/* An empty file gives the same set, TA names and all. */
static void
test_apply_empty(void **state)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*in, *out;
	const struct vrp	*v;
	const uint32_t		 p[] = { 2 };

	vrp_add(b, vrpset_builder_ta(b, "lacnic"), "10.0.0.0/8", -1, 1);
	vrp_add(b, vrpset_builder_ta(b, "afrinic"), "10.0.0.0/8", 9, 1);
	assert_int_equal(vrpset_add_aspa(b, 1, p, 1, 0, 0), 0);
	assert_non_null(in = vrpset_build(b));
	out = apply_text(DOC("1", NOF, NOA), in);
	assert_true(vrpset_equal(in, out));
	v = vrp_find(out, "10.0.0.0/8", 9, 1);
	assert_non_null(v);
	assert_string_equal(vrpset_ta_name(out, v->ta), "afrinic");
	vrpset_unref(in);
	vrpset_unref(out);
}

/* The parser reads len bytes and no further: no NUL needed. */
static void
test_parse_length(void **state)
{
	const char	 doc[] = DOC("1", PF("{\"asn\":1}"), NOA);
	char		*buf;
	struct slurm	*s;
	struct err	 e;
	size_t		 len = strlen(doc);

	buf = malloc(len + 8);
	assert_non_null(buf);
	memcpy(buf, doc, len);
	memcpy(buf + len, "garbage!", 8);
	s = slurm_parse(buf, len, "test.json", &e);
	assert_non_null(s);
	counts_check(s, 1, 0, 0, 0, 0, 0);
	slurm_free(s);
	assert_null(slurm_parse(buf, len + 8, "test.json", &e));
	assert_non_null(strstr(e.msg, "data after the JSON value"));
	free(buf);
	slurm_free(NULL);
}

static uint32_t
rnd(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*x >> 33);
}

/* Zero the bits of v's address past its prefix length. */
static void
mask(struct vrp *v)
{
	int i;

	for (i = v->plen; i < 128; i++)
		v->addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

static void
random_vrp(uint64_t *r, struct vrp *v)
{
	uint32_t x = rnd(r);

	memset(v, 0, sizeof(*v));
	if (x % 5 == 0) {
		v->afi = AFI_IPV6;
		memcpy(v->addr, "\x20\x01\x0d\xb8", 4);
		v->addr[4] = (uint8_t)rnd(r);
		v->addr[5] = (uint8_t)(rnd(r) % 4);
		v->plen = (uint8_t)(32 + rnd(r) % 17);
		v->maxlen = (uint8_t)(v->plen + rnd(r) % (129 - v->plen));
	} else {
		v->afi = AFI_IPV4;
		v->addr[0] = 10;
		v->addr[1] = (uint8_t)(rnd(r) % 64);
		v->addr[2] = (uint8_t)rnd(r);
		v->addr[3] = (uint8_t)rnd(r);
		v->plen = (uint8_t)(12 + rnd(r) % 21);
		v->maxlen = (uint8_t)(v->plen + rnd(r) % (33 - v->plen));
	}
	mask(v);
	v->asn = 64500 + rnd(r) % 20;
}

/*
 * Random sets and filters against a brute-force O(n * m) reference, so
 * the sorted-run shortcut in slurm_apply() is checked on nested and
 * overlapping filters.
 */
static void
test_apply_random(void **state)
{
	struct vrpset_builder	*b;
	struct vrpset		*in, *out, *want;
	struct vrp		 v, f[300];
	char			*doc, pfx[PREFIX_STRLEN];
	size_t			 i, j, len = 0, cap = 64 * 1024;
	uint64_t		 r = 42;
	int			 hit, k, nf = 0;

	b = vrpset_builder_new();
	for (i = 0; i < 20000; i++) {
		random_vrp(&r, &v);
		assert_int_equal(vrpset_add_vrp(b, &v), 0);
	}
	vrpset_builder_ta(b, "x");
	assert_non_null(in = vrpset_build(b));

	/* Filters: shortened prefixes of entries, so they nest and hit. */
	doc = malloc(cap);
	assert_non_null(doc);
	len += (size_t)snprintf(doc, cap, "{\"slurmVersion\":1,"
	    "\"validationOutputFilters\":{\"bgpsecFilters\":[],"
	    "\"prefixFilters\":[");
	for (nf = 0; nf < 300; nf++) {
		v = in->vrps[rnd(&r) % in->nvrps];
		/* Shorter by 0..8 bits, down to /16 (v4) or /32 (v6). */
		k = v.plen - (v.afi == AFI_IPV4 ? 16 : 32) + 1;
		if (k > 0)
			v.plen = (uint8_t)(v.plen - rnd(&r) % (k < 9 ? k : 9));
		v.asn = nf % 3 == 0 ? 0 : 64500 + rnd(&r) % 20;
		mask(&v);
		v.afi = nf % 50 == 7 ? 0 : v.afi;	/* a few ASN-only */
		f[nf] = v;
		prefix_format(&v, pfx);
		if (v.afi == 0)
			len += (size_t)snprintf(doc + len, cap - len,
			    "%s{\"asn\":%u}", nf ? "," : "", v.asn);
		else if (v.asn == 0)
			len += (size_t)snprintf(doc + len, cap - len,
			    "%s{\"prefix\":\"%s\"}", nf ? "," : "", pfx);
		else
			len += (size_t)snprintf(doc + len, cap - len,
			    "%s{\"prefix\":\"%s\",\"asn\":%u}", nf ? "," : "",
			    pfx, v.asn);
		assert_true(len < cap - 100);
	}
	snprintf(doc + len, cap - len, "]},\"locallyAddedAssertions\":{"
	    "\"prefixAssertions\":[],\"bgpsecAssertions\":[]}}");

	b = vrpset_builder_new();
	vrpset_builder_ta(b, "x");
	for (i = 0; i < in->nvrps; i++) {
		for (j = 0, hit = 0; j < (size_t)nf && !hit; j++)
			hit = f[j].afi == 0 ? f[j].asn == in->vrps[i].asn :
			    prefix_covers(&f[j], &in->vrps[i]) &&
			    (f[j].asn == 0 || f[j].asn == in->vrps[i].asn);
		if (!hit)
			assert_int_equal(vrpset_add_vrp(b, &in->vrps[i]), 0);
	}
	assert_non_null(want = vrpset_build(b));
	out = apply_text(doc, in);
	assert_true(want->nvrps > 1000 && want->nvrps < in->nvrps - 1000);
	assert_int_equal(out->nvrps, want->nvrps);
	assert_true(vrpset_equal(out, want));
	free(doc);
	vrpset_unref(in);
	vrpset_unref(out);
	vrpset_unref(want);
}

/* A file that must not parse, and what its error must mention. */
struct bad {
	const char	*name;
	const char	*json;
	const char	*path;
	const char	*rule;
};

static const struct bad bads[] = {
	{ "json_truncated", "{\"slurmVersion\": 1,\n\"validationOutput",
	    "RFC 8259: line 2", "not valid JSON" },
	{ "json_trailing", DOC("1", NOF, NOA) "\n}", "line 2, column 1",
	    "data after the JSON value" },
	{ "json_empty", "", "RFC 8259", "not valid JSON" },
	{ "top_not_object", "[1]", "section 3.2: top level",
	    "want an object, have an array" },
	{ "version_3", DOC("3", NOF, NOA), "slurmVersion",
	    "want an integer in 1..2, have 3" },
	{ "version_string", DOC("\"1\"", NOF, NOA), "slurmVersion",
	    "have a string \"1\"" },
	{ "missing_assertions", "{\"slurmVersion\":1,"
	    "\"validationOutputFilters\":{" NOF "}}",
	    "section 3.2: locallyAddedAssertions",
	    "missing required member" },
	{ "missing_version", "{\"validationOutputFilters\":{" NOF "},"
	    "\"locallyAddedAssertions\":{" NOA "}}", ": slurmVersion:",
	    "missing required member" },
	{ "unknown_top", "{\"slurmVersion\":1,\"foo\":[],"
	    "\"validationOutputFilters\":{" NOF "},"
	    "\"locallyAddedAssertions\":{" NOA "}}", "top level",
	    "unknown member \"foo\"" },
	{ "unknown_list", DOC("1", "\"prefixFilter\":[]", NOA),
	    "section 3.3: validationOutputFilters:",
	    "unknown member \"prefixFilter\"" },
	{ "unknown_in_filter", DOC("1", PF("{\"prefix\":\"10.0.0.0/8\"},"
	    "{\"prefix\":\"10.0.0.0/8\",\"maxPrefixLength\":9}"), NOA),
	    "section 3.3.1: validationOutputFilters.prefixFilters[1]:",
	    "unknown member \"maxPrefixLength\"" },
	{ "duplicate_member", DOC("1", PF("{\"asn\":1,\"asn\":2}"), NOA),
	    "validationOutputFilters.prefixFilters[0].asn",
	    "duplicate member" },
	{ "list_not_array", DOC("1", "\"prefixFilters\":{}", NOA),
	    "validationOutputFilters.prefixFilters:",
	    "want an array, have an object" },
	{ "comment_number", DOC("1", PF("{\"asn\":1,\"comment\":5}"), NOA),
	    "validationOutputFilters.prefixFilters[0].comment",
	    "want a string, have 5" },
	{ "filter_empty", DOC("1", PF("{\"comment\":\"nothing\"}"), NOA),
	    "validationOutputFilters.prefixFilters[0]:",
	    "want a prefix and/or an asn" },
	{ "host_bits", DOC("1", PF("{\"asn\":1},{\"asn\":2},"
	    "{\"prefix\":\"10.0.0.1/24\"}"), NOA),
	    "section 3.3.1: validationOutputFilters.prefixFilters[2].prefix",
	    "host bits" },
	{ "prefix_no_length", DOC("1", NOF, PA("{\"prefix\":\"10.0.0.0\","
	    "\"asn\":1}")),
	    "section 3.4.1: locallyAddedAssertions.prefixAssertions[0].prefix",
	    "no '/'" },
	{ "prefix_number", DOC("1", PF("{\"prefix\":10}"), NOA),
	    "validationOutputFilters.prefixFilters[0].prefix",
	    "want a prefix string, have 10" },
	{ "maxlen_below_plen", DOC("1", NOF, PA("{\"prefix\":\"10.0.0.0/8\","
	    "\"asn\":1},{\"prefix\":\"10.0.0.0/24\",\"asn\":1,"
	    "\"maxPrefixLength\":16}")),
	    "locallyAddedAssertions.prefixAssertions[1].maxPrefixLength",
	    "want an integer in 24..32, have 16" },
	{ "maxlen_v4_33", DOC("1", NOF, PA("{\"prefix\":\"10.0.0.0/24\","
	    "\"asn\":1,\"maxPrefixLength\":33}")),
	    "prefixAssertions[0].maxPrefixLength",
	    "want an integer in 24..32, have 33" },
	{ "maxlen_v6_129", DOC("1", NOF, PA("{\"prefix\":\"2001:db8::/32\","
	    "\"asn\":1,\"maxPrefixLength\":129}")),
	    "prefixAssertions[0].maxPrefixLength",
	    "want an integer in 32..128, have 129" },
	{ "assertion_no_asn", DOC("1", NOF, PA("{\"prefix\":\"10.0.0.0/8\"}")),
	    "locallyAddedAssertions.prefixAssertions[0].asn",
	    "missing required member" },
	{ "asn_too_big", DOC("1", PF("{\"asn\":4294967296}"), NOA),
	    "validationOutputFilters.prefixFilters[0].asn",
	    "want an integer in 0..4294967295, have 4294967296" },
	{ "asn_negative", DOC("1", PF("{\"asn\":-1}"), NOA),
	    "validationOutputFilters.prefixFilters[0].asn", "have -1" },
	{ "asn_fraction", DOC("1", PF("{\"asn\":64496.5}"), NOA),
	    "validationOutputFilters.prefixFilters[0].asn", "have 64496.5" },
	{ "asn_string", DOC("1", NOF, PA("{\"prefix\":\"10.0.0.0/8\","
	    "\"asn\":\"AS65000\"}")),
	    "locallyAddedAssertions.prefixAssertions[0].asn",
	    "have a string \"AS65000\"" },
	{ "ski_not_base64", DOC("1", KF("{\"SKI\":\"!!!!\"}"), NOA),
	    "section 3.3.2: validationOutputFilters.bgpsecFilters[0].SKI",
	    "want base64url" },
	{ "ski_std_alphabet", DOC("1", KF("{\"SKI\":"
	    "\"MTIzNDU2Nzg5MDEyMzQ1Njc4+/A\"}"), NOA),
	    "validationOutputFilters.bgpsecFilters[0].SKI",
	    "want base64url" },
	{ "ski_padded", DOC("1", KF("{\"SKI\":\"" SKI_DIGITS_B64 "=\"}"),
	    NOA), "validationOutputFilters.bgpsecFilters[0].SKI",
	    "without trailing '='" },
	{ "ski_short", DOC("1", KF("{\"asn\":1,\"SKI\":\"Zm9v\"}"), NOA),
	    "validationOutputFilters.bgpsecFilters[0].SKI",
	    "want 20 bytes (an SHA-1 key identifier, RFC 6487 section "
	    "4.8.2), have 3" },
	{ "ski_noncanonical", DOC("1", KF("{\"SKI\":"
	    "\"MTIzNDU2Nzg5MDEyMzQ1Njc4OTB\"}"), NOA),
	    "validationOutputFilters.bgpsecFilters[0].SKI", "canonical" },
	{ "kfilter_empty", DOC("1", KF("{}"), NOA),
	    "validationOutputFilters.bgpsecFilters[0]:",
	    "want an asn and/or a SKI" },
	{ "kassert_no_key", DOC("1", NOF, KA("{\"asn\":1,\"SKI\":\""
	    SKI_DIGITS_B64 "\"}")),
	    "section 3.4.2: locallyAddedAssertions.bgpsecAssertions[0]."
	    "routerPublicKey", "missing required member" },
	{ "kassert_empty_key", DOC("1", NOF, KA("{\"asn\":1,\"SKI\":\""
	    SKI_DIGITS_B64 "\",\"routerPublicKey\":\"\"}")),
	    "locallyAddedAssertions.bgpsecAssertions[0].routerPublicKey",
	    "want a key, have none" },
	{ "v1_aspa_filters", DOC("1", NOF ",\"aspaFilters\":[]", NOA),
	    "draft-ietf-sidrops-aspa-slurm: validationOutputFilters."
	    "aspaFilters", "want slurmVersion 2 for ASPA members, have "
	    "slurmVersion 1" },
	{ "v1_aspa_assertions", DOC("1", NOF, NOA ",\"aspaAssertions\":[]"),
	    "locallyAddedAssertions.aspaAssertions",
	    "want slurmVersion 2" },
	{ "aspa_filter_no_customer", DOC("2", NOF ",\"aspaFilters\":"
	    "[{\"comment\":\"x\"}]", NOA),
	    "validationOutputFilters.aspaFilters[0].customerAsid",
	    "missing required member" },
	{ "aspa_customer_in_providers", DOC("2", NOF, NOA
	    ",\"aspaAssertions\":[{\"customerAsn\":64496,"
	    "\"providerAsns\":[64497,64496]}]"),
	    "locallyAddedAssertions.aspaAssertions[0].providerAsns[1]",
	    "want a provider other than the customer, have 64496" },
	{ "aspa_no_providers", DOC("2", NOF, NOA ",\"aspaAssertions\":"
	    "[{\"customerAsn\":64496,\"providerAsns\":[]}]"),
	    "locallyAddedAssertions.aspaAssertions[0].providerAsns",
	    "want at least one provider" },
	{ "aspa_provider_twice", DOC("2", NOF, NOA ",\"aspaAssertions\":"
	    "[{\"customerAsn\":1,\"providerAsns\":[3,2,3]}]"),
	    "locallyAddedAssertions.aspaAssertions[0].providerAsns",
	    "want each provider once, have 3 twice" },
	{ "aspa_customer_zero", DOC("2", NOF, NOA ",\"aspaAssertions\":"
	    "[{\"customerAsid\":0,\"providers\":[1]}]"),
	    "locallyAddedAssertions.aspaAssertions[0].customerAsid",
	    "want an integer in 1..4294967295, have 0" },
	{ "aspa_two_spellings", DOC("2", NOF, NOA ",\"aspaAssertions\":"
	    "[{\"customerAsn\":1,\"customerAsid\":1,\"providers\":[2]}]"),
	    "locallyAddedAssertions.aspaAssertions[0].customerAsid",
	    "want one of customerAsn and customerAsid, have both" },
	{ "aspa_provider_object", DOC("2", NOF, NOA ",\"aspaAssertions\":"
	    "[{\"customerAsn\":1,\"providers\":[{\"providerAsid\":2}]}]"),
	    "locallyAddedAssertions.aspaAssertions[0].providers[0]",
	    "have an object" },
};

#define NBADS	(sizeof(bads) / sizeof(bads[0]))

static void
test_bad(void **state)
{
	const struct bad	*b = *state;
	struct err		 e;
	struct slurm		*s;

	memset(&e, 0, sizeof(e));
	s = slurm_parse(b->json, strlen(b->json), "bad.json", &e);
	if (s != NULL) {
		slurm_free(s);
		fail_msg("%s: parsed, want an error", b->name);
	}
	if (strncmp(e.msg, "bad.json: ", 10) != 0 ||
	    strstr(e.msg, b->path) == NULL || strstr(e.msg, b->rule) == NULL)
		fail_msg("%s: message \"%s\": want \"%s\" and \"%s\"",
		    b->name, e.msg, b->path, b->rule);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_gortr),
		cmocka_unit_test(test_fixture_full),
		cmocka_unit_test(test_fixture_full_v2),
		cmocka_unit_test(test_apply_gortr),
		cmocka_unit_test(test_apply_prefix_only),
		cmocka_unit_test(test_apply_asn_only),
		cmocka_unit_test(test_apply_prefix_and_asn),
		cmocka_unit_test(test_assertions_not_filtered),
		cmocka_unit_test(test_apply_bgpsec),
		cmocka_unit_test(test_apply_aspa),
		cmocka_unit_test(test_apply_empty),
		cmocka_unit_test(test_parse_length),
		cmocka_unit_test(test_apply_random),
	};
	struct CMUnitTest	badtests[NBADS];
	size_t			i;
	int			rc;

	for (i = 0; i < NBADS; i++) {
		badtests[i].name = bads[i].name;
		badtests[i].test_func = test_bad;
		badtests[i].setup_func = NULL;
		badtests[i].teardown_func = NULL;
		badtests[i].initial_state = (void *)(uintptr_t)&bads[i];
	}
	rc = cmocka_run_group_tests_name("slurm", tests, NULL, NULL);
	rc += cmocka_run_group_tests_name("slurm_bad", badtests, NULL, NULL);
	return rc != 0;
}
