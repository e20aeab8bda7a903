/*
 * test_vrp.c - prefixes and AS numbers: prefix_parse, prefix_format,
 * asn_parse, vrp_cmp, prefix_covers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrp.h"

/* Fail with both strings shown unless needle occurs in hay. */
#include "testutil.h"

/* Prefixes that parse, and their canonical (RFC 5952) text. */
static const struct {
	const char	*in;
	uint8_t		 afi;
	uint8_t		 plen;
	const char	*canon;
} accept_tbl[] = {
	{ "10.0.0.0/8", AFI_IPV4, 8, "10.0.0.0/8" },
	{ "0.0.0.0/0", AFI_IPV4, 0, "0.0.0.0/0" },
	{ "192.0.2.0/24", AFI_IPV4, 24, "192.0.2.0/24" },
	{ "192.0.2.1/32", AFI_IPV4, 32, "192.0.2.1/32" },
	{ "10.128.0.0/9", AFI_IPV4, 9, "10.128.0.0/9" },
	{ "255.255.255.255/32", AFI_IPV4, 32, "255.255.255.255/32" },
	/* "0" alone is not a leading zero, in the octets or the length. */
	{ "0.0.0.0/0", AFI_IPV4, 0, "0.0.0.0/0" },
	{ "2001:db8::/32", AFI_IPV6, 32, "2001:db8::/32" },
	/* Upper case hex is accepted and written back in lower case. */
	{ "2001:DB8::/32", AFI_IPV6, 32, "2001:db8::/32" },
	{ "2001:0DB8:0000:0000:0000:0000:0000:0000/32", AFI_IPV6, 32,
	    "2001:db8::/32" },
	{ "::/0", AFI_IPV6, 0, "::/0" },
	{ "::1/128", AFI_IPV6, 128, "::1/128" },
	{ "fe80::/10", AFI_IPV6, 10, "fe80::/10" },
	{ "2001:db8::1/128", AFI_IPV6, 128, "2001:db8::1/128" },
	/* RFC 5952 4.2.3: the longest run of zero groups is compressed. */
	{ "2001:db8:0:0:1:0:0:0/80", AFI_IPV6, 80, "2001:db8:0:0:1::/80" },
	{ "2001:0:0:1:0:0:0:1/128", AFI_IPV6, 128, "2001:0:0:1::1/128" },
	/* RFC 5952 4.2.3: of equal runs, the first one is compressed. */
	{ "2001:db8:0:0:1:0:0:1/128", AFI_IPV6, 128,
	    "2001:db8::1:0:0:1/128" },
	/* RFC 5952 4.2.2: a single zero group is not compressed. */
	{ "2001:db8:0:1:1:1:1:1/128", AFI_IPV6, 128,
	    "2001:db8:0:1:1:1:1:1/128" },
	{ "2001:db8::1:0:0:1/128", AFI_IPV6, 128, "2001:db8::1:0:0:1/128" },
	/* Embedded IPv4 is accepted; glibc writes IPv4-mapped as such. */
	{ "::ffff:10.0.0.0/104", AFI_IPV6, 104, "::ffff:10.0.0.0/104" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", AFI_IPV6, 128,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128" },
	{ "2001:db8:8000::/33", AFI_IPV6, 33, "2001:db8:8000::/33" },
};

/* Prefixes that must be refused, with a piece of the expected reason. */
static const struct {
	const char	*in;
	const char	*why;
} reject_tbl[] = {
	{ "", "no '/'" },
	{ "10.0.0.0", "no '/'" },
	{ "/8", "malformed address" },
	{ "10.0.0.0/", "malformed prefix length" },
	{ "10.0.0.1/8", "host bits set past /8" },
	{ "10.0.0.128/24", "host bits set past /24" },
	{ "10.128.0.0/8", "host bits" },
	{ "2001:db8::1/64", "host bits set past /64" },
	{ "2001:db8:8000::/32", "host bits" },
	{ "10.0.0.0/33", "prefix length: want <= 32, have 33" },
	{ "10.0.0.0/128", "want <= 32, have 128" },
	{ "2001:db8::/129", "prefix length: want <= 128, have 129" },
	{ "2001:db8::/999", "want <= 128, have 999" },
	{ "10.0.0.0/08", "malformed prefix length" },
	{ "0.0.0.0/00", "malformed prefix length" },
	{ "10.0.0.0/0008", "malformed prefix length" },
	{ "10.0.0.0/8x", "malformed prefix length" },
	{ "10.0.0.0/x8", "malformed prefix length" },
	{ "10.0.0.0/+8", "malformed prefix length" },
	{ "10.0.0.0/-8", "malformed prefix length" },
	{ "10.0.0.0/ 8", "malformed prefix length" },
	{ "10.0.0.0/8 ", "malformed prefix length" },
	{ "10.0.0.0/8\n", "malformed prefix length" },
	{ "10.0.0.0/8/8", "malformed prefix length" },
	{ "10.0.0.0/1000", "malformed prefix length" },
	{ "1.2.3/24", "malformed IPv4 address" },
	{ "1.2.3.4.5/32", "malformed IPv4 address" },
	{ "1.2.3.256/32", "malformed IPv4 address" },
	{ " 10.0.0.0/8", "malformed IPv4 address" },
	{ "10.0.0.0 /8", "malformed IPv4 address" },
	{ "0x0a.0.0.0/8", "malformed IPv4 address" },
	/*
	 * glibc's inet_pton(AF_INET) refuses an octet with a leading zero
	 * (inet_aton would read it as octal): "010.0.0.0" is not 10.0.0.0
	 * nor 8.0.0.0, it is an error.
	 */
	{ "010.0.0.0/8", "malformed IPv4 address" },
	{ "10.00.0.0/16", "malformed IPv4 address" },
	{ "2001:db8:::/32", "malformed IPv6 address" },
	{ "2001:db8::g/128", "malformed IPv6 address" },
	{ "2001:db8::1::1/128", "malformed IPv6 address" },
	{ "fe80::1%eth0/128", "malformed IPv6 address" },
	{ "[2001:db8::]/32", "malformed IPv6 address" },
	{ "1:2:3:4:5:6:7:8:9/128", "malformed IPv6 address" },
	{ "2001:db8::/032", "malformed prefix length" },
	/* Longer than any address text: refused before inet_pton. */
	{ "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000/8",
	    "malformed address" },
};

static void
test_prefix_accept(void **state)
{
	char		 buf[PREFIX_STRLEN];
	struct vrp	 v, w;
	struct err	 e;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < sizeof(accept_tbl) / sizeof(accept_tbl[0]); i++) {
		memset(&v, 0xa5, sizeof(v));
		if (prefix_parse(accept_tbl[i].in, &v, &e) != 0) {
			print_error("\"%s\" refused: %s\n", accept_tbl[i].in,
			    e.msg);
			fail();
		}
		assert_int_equal(v.afi, accept_tbl[i].afi);
		assert_int_equal(v.plen, accept_tbl[i].plen);
		/* Unused address bytes are zeroed. */
		if (v.afi == AFI_IPV4) {
			static const uint8_t zero[12];

			assert_memory_equal(v.addr + 4, zero, 12);
		}
		n = prefix_format(&v, buf);
		assert_int_equal(n, strlen(buf));
		assert_string_equal(buf, accept_tbl[i].canon);

		/* The canonical form parses back to the same prefix. */
		memset(&w, 0, sizeof(w));
		assert_int_equal(prefix_parse(buf, &w, &e), 0);
		assert_int_equal(w.afi, v.afi);
		assert_int_equal(w.plen, v.plen);
		assert_memory_equal(w.addr, v.addr, sizeof(v.addr));
	}
}

static void
test_prefix_reject(void **state)
{
	struct vrp	v;
	struct err	e;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(reject_tbl) / sizeof(reject_tbl[0]); i++) {
		memset(&e, 0, sizeof(e));
		if (prefix_parse(reject_tbl[i].in, &v, &e) != -1) {
			print_error("\"%s\" accepted\n", reject_tbl[i].in);
			fail();
		}
		assert_contains(e.msg, reject_tbl[i].why);
		/* The message quotes the input. */
		assert_contains(e.msg, "prefix \"");
	}
}

static void
test_prefix_null_err(void **state)
{
	struct vrp v;

	(void)state;
	/* A NULL error sink is allowed. */
	assert_int_equal(prefix_parse("10.0.0.1/8", &v, NULL), -1);
	assert_int_equal(prefix_parse("10.0.0.0/8", &v, NULL), 0);
}

static void
test_prefix_addr_bytes(void **state)
{
	struct vrp	v;
	struct err	e;
	static const uint8_t want4[16] = { 192, 0, 2, 0 };
	static const uint8_t want6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	(void)state;
	assert_int_equal(prefix_parse("192.0.2.0/24", &v, &e), 0);
	assert_memory_equal(v.addr, want4, 16);
	assert_int_equal(prefix_parse("2001:db8::1/128", &v, &e), 0);
	assert_memory_equal(v.addr, want6, 16);
}

/* xorshift64 */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random prefixes: format, parse back, compare; format is idempotent. */
static void
test_prefix_format_roundtrip_random(void **state)
{
	char		 buf[PREFIX_STRLEN], buf2[PREFIX_STRLEN];
	uint64_t	 seed = 0x5eed0001;
	struct vrp	 v, w;
	struct err	 e;
	int		 i, b, bits;

	(void)state;
	for (i = 0; i < 5000; i++) {
		memset(&v, 0, sizeof(v));
		v.afi = rnd(&seed) & 1 ? AFI_IPV4 : AFI_IPV6;
		bits = afi_bits(v.afi);
		v.plen = (uint8_t)(rnd(&seed) % (unsigned)(bits + 1));
		for (b = 0; b < bits / 8; b++) {
			/* Sparse bytes so that zero runs occur. */
			v.addr[b] = rnd(&seed) % 3 == 0 ?
			    (uint8_t)rnd(&seed) : 0;
		}
		for (b = v.plen; b < bits; b++)
			v.addr[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
		prefix_format(&v, buf);
		if (prefix_parse(buf, &w, &e) != 0) {
			print_error("seed 0x5eed0001 iter %d: \"%s\": %s\n",
			    i, buf, e.msg);
			fail();
		}
		assert_int_equal(w.afi, v.afi);
		assert_int_equal(w.plen, v.plen);
		assert_memory_equal(w.addr, v.addr, 16);
		prefix_format(&w, buf2);
		assert_string_equal(buf, buf2);
		/* RFC 5952 4.3: lower case only. */
		for (b = 0; buf[b] != '\0'; b++)
			assert_false(buf[b] >= 'A' && buf[b] <= 'F');
		/* RFC 5952 4.2.1: "::" at most once. */
		if (strstr(buf, "::") != NULL)
			assert_null(strstr(strstr(buf, "::") + 1, "::"));
	}
}

static void
test_prefix_format_longest(void **state)
{
	char		buf[PREFIX_STRLEN];
	struct vrp	v;
	struct err	e;
	const char	*longest =
	    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128";

	(void)state;
	/* The longest text inet_ntop can produce, plus "/128". */
	memset(buf, 'X', sizeof(buf));
	memset(&v, 0, sizeof(v));
	v.afi = AFI_IPV6;
	v.plen = 128;
	memset(v.addr, 0xff, 16);
	assert_int_equal(prefix_format(&v, buf), 43);
	assert_string_equal(buf,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	assert_int_equal(prefix_parse(longest, &v, &e), 0);
	assert_true(strlen(longest) < PREFIX_STRLEN);
}

static const struct {
	const char	*in;
	int		 ok;
	uint32_t	 want;
} asns[] = {
	{ "AS65000", 1, 65000 },
	{ "as1", 1, 1 },
	{ "aS7", 1, 7 },
	{ "65000", 1, 65000 },
	{ "0", 1, 0 },
	{ "AS0", 1, 0 },
	{ "4294967295", 1, 4294967295U },
	{ "AS4294967295", 1, 4294967295U },
	{ "4294967296", 0, 0 },
	{ "AS4294967296", 0, 0 },
	{ "9999999999", 0, 0 },
	{ "12345678901", 0, 0 },
	{ "AS", 0, 0 },
	{ "", 0, 0 },
	{ "-1", 0, 0 },
	{ "AS-1", 0, 0 },
	{ "AS+1", 0, 0 },
	{ "+1", 0, 0 },
	{ " 1", 0, 0 },
	{ "1 ", 0, 0 },
	{ "AS 1", 0, 0 },
	{ "01", 0, 0 },
	{ "AS01", 0, 0 },
	{ "0x10", 0, 0 },
	{ "1.5", 0, 0 },
	{ "ASN1", 0, 0 },
	{ "AS1a", 0, 0 },
	{ "ASAS1", 0, 0 },
	{ "1e3", 0, 0 },
};

static void
test_asn_parse(void **state)
{
	uint32_t	asn;
	struct err	e;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(asns) / sizeof(asns[0]); i++) {
		asn = 12345;
		memset(&e, 0, sizeof(e));
		if (asns[i].ok) {
			if (asn_parse(asns[i].in, &asn, &e) != 0) {
				print_error("\"%s\" refused: %s\n",
				    asns[i].in, e.msg);
				fail();
			}
			assert_int_equal(asn, asns[i].want);
		} else {
			if (asn_parse(asns[i].in, &asn, &e) != -1) {
				print_error("\"%s\" accepted as %u\n",
				    asns[i].in, asn);
				fail();
			}
			/* Nothing stored, and the input is quoted. */
			assert_int_equal(asn, 12345);
			assert_contains(e.msg, "ASN \"");
			assert_contains(e.msg, asns[i].in);
		}
	}
	assert_int_equal(asn_parse("4294967296", &asn, &e), -1);
	assert_contains(e.msg, "want <= 4294967295");
	assert_int_equal(asn_parse("AS", &asn, &e), -1);
	assert_contains(e.msg, "want AS<number> or <number>");
}

static struct vrp
mk(const char *prefix, uint8_t maxlen, uint32_t asn)
{
	struct vrp	v;
	struct err	e;

	memset(&v, 0, sizeof(v));
	if (prefix_parse(prefix, &v, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	v.maxlen = maxlen;
	v.asn = asn;
	return v;
}

static int
sign(int c)
{
	return c < 0 ? -1 : c > 0;
}

static void
test_vrp_cmp_order(void **state)
{
	/* In strictly increasing order. */
	struct vrp	 s[12];
	size_t		 i, j, n = sizeof(s) / sizeof(s[0]);

	(void)state;
	s[0] = mk("0.0.0.0/0", 0, 0);
	s[1] = mk("10.0.0.0/8", 8, 1);
	s[2] = mk("10.0.0.0/8", 8, 2);
	s[3] = mk("10.0.0.0/8", 24, 1);		/* maxlen after asn */
	s[4] = mk("10.0.0.0/16", 16, 0);	/* plen after maxlen */
	s[5] = mk("10.1.0.0/16", 16, 0);	/* address before plen */
	s[6] = mk("192.0.2.0/24", 24, 0);
	s[7] = mk("255.255.255.255/32", 32, 4294967295U);
	s[8] = mk("::/0", 0, 0);		/* IPv6 after all IPv4 */
	s[9] = mk("::/0", 128, 0);
	s[10] = mk("2001:db8::/32", 32, 0);
	s[11] = mk("2001:db8::1/128", 128, 0);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			int want = i < j ? -1 : i > j;

			if (sign(vrp_cmp(&s[i], &s[j])) != want) {
				print_error("vrp_cmp(%zu, %zu) want %d\n", i,
				    j, want);
				fail();
			}
		}
	}
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return vrp_cmp(a, b);
}

static void
test_vrp_cmp_ignores_meta(void **state)
{
	struct vrp	a = mk("10.0.0.0/8", 8, 1), b = a;
	struct vrp	arr[64];
	uint64_t	seed = 77;
	size_t		i;

	(void)state;
	b.ta = 5;
	b.expires = 99;
	assert_int_equal(vrp_cmp(&a, &b), 0);
	/* Bytes past the IPv4 address do not take part. */
	b.addr[10] = 0xff;
	assert_int_equal(vrp_cmp(&a, &b), 0);
	b.asn = 2;
	assert_true(vrp_cmp(&a, &b) < 0);
	assert_true(vrp_cmp(&b, &a) > 0);

	/* qsort with vrp_cmp yields a non-decreasing sequence. */
	for (i = 0; i < 64; i++) {
		memset(&arr[i], 0, sizeof(arr[i]));
		arr[i].afi = rnd(&seed) & 1 ? AFI_IPV4 : AFI_IPV6;
		arr[i].addr[0] = (uint8_t)(rnd(&seed) % 4);
		arr[i].plen = (uint8_t)(8 + rnd(&seed) % 3);
		arr[i].maxlen = (uint8_t)(arr[i].plen + rnd(&seed) % 2);
		arr[i].asn = (uint32_t)(rnd(&seed) % 3);
	}
	qsort(arr, 64, sizeof(arr[0]), vrp_qcmp);
	for (i = 1; i < 64; i++) {
		assert_true(vrp_cmp(&arr[i - 1], &arr[i]) <= 0);
		/* Spell out the order for adjacent pairs. */
		if (arr[i - 1].afi != arr[i].afi)
			assert_true(arr[i - 1].afi < arr[i].afi);
		else if (arr[i - 1].addr[0] != arr[i].addr[0])
			assert_true(arr[i - 1].addr[0] < arr[i].addr[0]);
		else if (arr[i - 1].plen != arr[i].plen)
			assert_true(arr[i - 1].plen < arr[i].plen);
		else if (arr[i - 1].maxlen != arr[i].maxlen)
			assert_true(arr[i - 1].maxlen < arr[i].maxlen);
		else
			assert_true(arr[i - 1].asn <= arr[i].asn);
	}
}

static void
test_prefix_covers(void **state)
{
	static const struct {
		const char	*outer, *inner;
		int		 want;
	} t[] = {
		{ "10.0.0.0/8", "10.1.0.0/16", 1 },
		{ "10.1.0.0/16", "10.0.0.0/8", 0 },
		{ "10.0.0.0/8", "10.0.0.0/8", 1 },
		{ "10.0.0.0/8", "11.0.0.0/16", 0 },
		{ "10.0.0.0/8", "10.255.255.255/32", 1 },
		{ "0.0.0.0/0", "192.0.2.0/24", 1 },
		{ "0.0.0.0/0", "::/0", 0 },
		{ "::/0", "0.0.0.0/0", 0 },
		{ "::/0", "2001:db8::/32", 1 },
		{ "10.128.0.0/9", "10.192.0.0/10", 1 },
		{ "10.128.0.0/9", "10.0.0.0/10", 0 },
		{ "10.128.0.0/9", "10.64.0.0/10", 0 },
		{ "192.0.2.0/23", "192.0.3.0/24", 1 },
		{ "192.0.2.0/25", "192.0.2.128/25", 0 },
		{ "2001:db8::/32", "2001:db8:1::/48", 1 },
		{ "2001:db8::/32", "2001:db9::/48", 0 },
		{ "2001:db8::/33", "2001:db8:8000::/48", 0 },
		{ "2001:db8:8000::/33", "2001:db8:ffff::/48", 1 },
		{ "2001:db8::1/128", "2001:db8::1/128", 1 },
		{ "2001:db8::/127", "2001:db8::1/128", 1 },
		{ "2001:db8::2/127", "2001:db8::1/128", 0 },
	};
	struct vrp	o, in;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		o = mk(t[i].outer, 0, 0);
		in = mk(t[i].inner, 0, 0);
		if (prefix_covers(&o, &in) != t[i].want) {
			print_error("prefix_covers(%s, %s) want %d\n",
			    t[i].outer, t[i].inner, t[i].want);
			fail();
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_accept),
		cmocka_unit_test(test_prefix_reject),
		cmocka_unit_test(test_prefix_null_err),
		cmocka_unit_test(test_prefix_addr_bytes),
		cmocka_unit_test(test_prefix_format_roundtrip_random),
		cmocka_unit_test(test_prefix_format_longest),
		cmocka_unit_test(test_asn_parse),
		cmocka_unit_test(test_vrp_cmp_order),
		cmocka_unit_test(test_vrp_cmp_ignores_meta),
		cmocka_unit_test(test_prefix_covers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
