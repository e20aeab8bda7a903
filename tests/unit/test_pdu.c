/*
 * test_pdu.c - the RPKI-to-Router PDU codec: every PDU type of every
 * version byte for byte against layouts written out by hand from RFC 6810,
 * RFC 8210 and draft-ietf-sidrops-8210bis (not from the encoder), every
 * decode error, stream framing, and the order of whole sets and diffs
 * (8210bis section 11.2), checked by an independent comparator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdu.h"
#include "testutil.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const uint8_t ski1[SKI_LEN] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14,
};
static const uint8_t spki3[] = { 0x30, 0x01, 0x00 };

/* ---- helpers ---------------------------------------------------------- */

/* Fail, showing both in hex, unless b holds exactly want[0..n). */
static void
expect_bytes(const struct buf *b, const uint8_t *want, size_t n)
{
	size_t i;

	assert_false(buf_failed(b));
	if (b->len == n && memcmp(b->data, want, n) == 0)
		return;
	print_error("want %zu bytes:", n);
	for (i = 0; i < n; i++)
		print_error(" %02x", want[i]);
	print_error("\nhave %zu bytes:", b->len);
	for (i = 0; i < b->len; i++)
		print_error(" %02x", (uint8_t)b->data[i]);
	print_error("\n");
	fail();
}

/* Decode buf, which must be one valid PDU; fills p. */
static void
decode_ok(const uint8_t *buf, size_t len, enum aspa_pdu_format fmt,
    struct pdu *p)
{
	struct err	e;
	int		code = -1;

	if (pdu_decode(buf, len, fmt, p, &code, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
}

/* Decode buf, which must fail with code and a message containing msg. */
static void
decode_bad(const uint8_t *buf, size_t len, enum aspa_pdu_format fmt,
    int want_code, const char *msg)
{
	struct pdu	p;
	struct err	e;
	int		code = -1;

	memset(&e, 0, sizeof(e));
	assert_int_equal(pdu_decode(buf, len, fmt, &p, &code, &e), -1);
	if (code != want_code)
		print_error("code %d, message: %s\n", code, e.msg);
	assert_int_equal(code, want_code);
	assert_contains(e.msg, msg);
}

static struct vrp
mkvrp(const char *prefix, uint8_t maxlen, uint32_t asn)
{
	struct vrp	v;
	struct err	e;

	memset(&v, 0, sizeof(v));
	if (prefix_parse(prefix, &v, &e) != 0) {
		print_error("%s: %s\n", prefix, e.msg);
		fail();
	}
	v.maxlen = maxlen;
	v.asn = asn;
	return v;
}

/* Split b into PDUs, decoding each into out[]; returns the count. */
static size_t
walk(const struct buf *b, enum aspa_pdu_format fmt, struct pdu *out,
    size_t max)
{
	struct pdu_hdr	 h;
	const uint8_t	*p = (const uint8_t *)b->data;
	size_t		 off = 0, n = 0;

	while (off < b->len) {
		assert_int_equal(pdu_peek(p + off, b->len - off, &h), 1);
		assert_true(h.length <= b->len - off);
		assert_true(n < max);
		decode_ok(p + off, h.length, fmt, &out[n++]);
		off += h.length;
	}
	return n;
}

/* ---- names and framing ------------------------------------------------ */

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(pdu_type_name(PDU_SERIAL_NOTIFY), "Serial Notify");
	assert_string_equal(pdu_type_name(PDU_IPV6_PREFIX), "IPv6 Prefix");
	assert_string_equal(pdu_type_name(PDU_ROUTER_KEY), "Router Key");
	assert_string_equal(pdu_type_name(PDU_ASPA), "ASPA");
	assert_string_equal(pdu_type_name(5), "unknown");
	assert_string_equal(pdu_type_name(12), "unknown");
	assert_string_equal(pdu_type_name(-1), "unknown");
	assert_string_equal(rtr_errcode_name(RTR_ERR_CORRUPT), "Corrupt Data");
	assert_string_equal(rtr_errcode_name(RTR_ERR_UNEXPECTED_VERSION),
	    "Unexpected Protocol Version");
	assert_string_equal(rtr_errcode_name(RTR_ERR_ASPA_PROVIDER_LIST),
	    "ASPA Provider List Error");
	assert_string_equal(rtr_errcode_name(RTR_ERR_CACHE_SHUTDOWN),
	    "Cache Shutdown");
	assert_string_equal(rtr_errcode_name(14), "unknown");
	assert_string_equal(rtr_errcode_name(-1), "unknown");
}

/* 8210bis section 12: only the codes of the session's version. */
static void
test_errcode_valid(void **state)
{
	(void)state;
	assert_true(rtr_errcode_valid(0, RTR_ERR_DUPLICATE_ANNOUNCE));
	assert_false(rtr_errcode_valid(0, RTR_ERR_UNEXPECTED_VERSION));
	assert_true(rtr_errcode_valid(1, RTR_ERR_UNEXPECTED_VERSION));
	assert_false(rtr_errcode_valid(1, RTR_ERR_ASPA_PROVIDER_LIST));
	assert_true(rtr_errcode_valid(2, RTR_ERR_CACHE_SHUTDOWN));
	assert_false(rtr_errcode_valid(2, 14));
	assert_false(rtr_errcode_valid(2, -1));
	assert_false(rtr_errcode_valid(3, RTR_ERR_CORRUPT));
}

static void
test_peek(void **state)
{
	uint8_t		b[8] = { 2, 10, 0x12, 0x34, 0, 0, 0, 8 };
	struct pdu_hdr	h;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(b); i++)
		assert_int_equal(pdu_peek(b, i, &h), 0);
	assert_int_equal(pdu_peek(b, 8, &h), 1);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.type, 10);
	assert_int_equal(h.field, 0x1234);
	assert_int_equal(h.length, 8);
	/* Below the header, above PDU_MAX_LEN: the stream is lost. */
	b[7] = 7;
	assert_int_equal(pdu_peek(b, 8, &h), -1);
	assert_int_equal(h.length, 7);
	b[7] = 0;
	assert_int_equal(pdu_peek(b, 8, &h), -1);
	b[6] = 0xff;
	b[7] = 0xff;
	assert_int_equal(pdu_peek(b, 8, &h), 1);
	assert_int_equal(h.length, 65535);
	b[5] = 1;
	b[6] = 0;
	b[7] = 0;
	assert_int_equal(pdu_peek(b, 8, &h), -1);
	assert_int_equal(h.length, 65536);
	memset(b + 4, 0xff, 4);
	assert_int_equal(pdu_peek(b, 8, &h), -1);
	/* A longer PDU is announced by its first 8 bytes alone. */
	b[4] = b[5] = 0;
	b[6] = 0x01;
	b[7] = 0x00;
	assert_int_equal(pdu_peek(b, 8, &h), 1);
	assert_int_equal(h.length, 256);
}

/* ---- control PDUs, every version -------------------------------------- */

static void
test_serial_notify_query(void **state)
{
	struct buf	b = { 0 };
	struct pdu	p;
	uint8_t		ver, want[12] = {
		0, 0, 0x12, 0x34, 0, 0, 0, 12, 0xde, 0xad, 0xbe, 0xef };

	(void)state;
	for (ver = 0; ver <= RTR_VERSION_MAX; ver++) {
		want[0] = ver;
		want[1] = PDU_SERIAL_NOTIFY;
		buf_reset(&b);
		pdu_put_serial_notify(&b, ver, 0x1234, 0xdeadbeef);
		expect_bytes(&b, want, sizeof(want));
		decode_ok(want, sizeof(want), ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.hdr.version, ver);
		assert_int_equal(p.hdr.type, PDU_SERIAL_NOTIFY);
		assert_int_equal(p.hdr.field, 0x1234);
		assert_int_equal(p.u.serial, 0xdeadbeef);

		want[1] = PDU_SERIAL_QUERY;
		buf_reset(&b);
		pdu_put_serial_query(&b, ver, 0x1234, 0xdeadbeef);
		expect_bytes(&b, want, sizeof(want));
		decode_ok(want, sizeof(want), ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.hdr.type, PDU_SERIAL_QUERY);
		assert_int_equal(p.u.serial, 0xdeadbeef);
	}
	buf_free(&b);
}

static void
test_empty_pdus(void **state)
{
	struct buf	b = { 0 };
	struct pdu	p;
	uint8_t		ver;
	uint8_t		reset[8] = { 0, 2, 0, 0, 0, 0, 0, 8 };
	uint8_t		resp[8] = { 0, 3, 0xbe, 0xef, 0, 0, 0, 8 };
	uint8_t		creset[8] = { 0, 8, 0, 0, 0, 0, 0, 8 };

	(void)state;
	for (ver = 0; ver <= RTR_VERSION_MAX; ver++) {
		reset[0] = resp[0] = creset[0] = ver;
		buf_reset(&b);
		pdu_put_reset_query(&b, ver);
		expect_bytes(&b, reset, sizeof(reset));
		decode_ok(reset, 8, ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.hdr.type, PDU_RESET_QUERY);

		buf_reset(&b);
		pdu_put_cache_response(&b, ver, 0xbeef);
		expect_bytes(&b, resp, sizeof(resp));
		decode_ok(resp, 8, ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.hdr.type, PDU_CACHE_RESPONSE);
		assert_int_equal(p.hdr.field, 0xbeef);

		buf_reset(&b);
		pdu_put_cache_reset(&b, ver);
		expect_bytes(&b, creset, sizeof(creset));
		decode_ok(creset, 8, ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.hdr.type, PDU_CACHE_RESET);
	}
	buf_free(&b);
}

/* RFC 6810 section 5.8: 12 bytes; RFC 8210 section 5.8: 24 bytes. */
static void
test_end_of_data(void **state)
{
	static const uint8_t v0[] = {
		0, 7, 0x00, 0x2a, 0, 0, 0, 12, 0, 0, 0x01, 0x00 };
	uint8_t v12[] = {
		1, 7, 0x00, 0x2a, 0, 0, 0, 24, 0, 0, 0x01, 0x00,
		0, 0, 0x0e, 0x10, 0, 0, 0x02, 0x58, 0, 0, 0x1c, 0x20 };
	struct buf	b = { 0 };
	struct pdu	p;
	uint8_t		ver;

	(void)state;
	pdu_put_end_of_data(&b, 0, 42, 256, 3600, 600, 7200);
	expect_bytes(&b, v0, sizeof(v0));
	decode_ok(v0, sizeof(v0), ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.hdr.field, 42);
	assert_int_equal(p.u.eod.serial, 256);
	assert_int_equal(p.u.eod.refresh, 0);
	for (ver = 1; ver <= RTR_VERSION_MAX; ver++) {
		v12[0] = ver;
		buf_reset(&b);
		pdu_put_end_of_data(&b, ver, 42, 256, 3600, 600, 7200);
		expect_bytes(&b, v12, sizeof(v12));
		decode_ok(v12, sizeof(v12), ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.u.eod.serial, 256);
		assert_int_equal(p.u.eod.refresh, 3600);
		assert_int_equal(p.u.eod.retry, 600);
		assert_int_equal(p.u.eod.expire, 7200);
	}
	buf_free(&b);
}

/* ---- payload PDUs ----------------------------------------------------- */

static void
test_ipv4_prefix(void **state)
{
	uint8_t want[20] = {
		0, 4, 0, 0, 0, 0, 0, 20,
		1, 24, 26, 0, 192, 0, 2, 0, 0, 0, 0xfd, 0xe8 };
	struct vrp	v = mkvrp("192.0.2.0/24", 26, 65000);
	struct buf	b = { 0 };
	struct pdu	p;
	uint8_t		ver;

	(void)state;
	for (ver = 0; ver <= RTR_VERSION_MAX; ver++) {
		want[0] = ver;
		buf_reset(&b);
		pdu_put_vrp(&b, ver, PDU_FLAG_ANNOUNCE, &v);
		expect_bytes(&b, want, sizeof(want));
		decode_ok(want, sizeof(want), ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.u.prefix.afi, AFI_IPV4);
		assert_int_equal(p.u.prefix.flags, 1);
		assert_int_equal(p.u.prefix.plen, 24);
		assert_int_equal(p.u.prefix.maxlen, 26);
		assert_memory_equal(p.u.prefix.addr, v.addr, 16);
		assert_int_equal(p.u.prefix.asn, 65000);
	}
	buf_free(&b);
}

static void
test_ipv6_prefix(void **state)
{
	uint8_t want[32] = {
		0, 6, 0, 0, 0, 0, 0, 32,
		0, 32, 48, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff };
	struct vrp	v = mkvrp("2001:db8::/32", 48, 4294967295u);
	struct buf	b = { 0 };
	struct pdu	p;
	uint8_t		ver;

	(void)state;
	for (ver = 0; ver <= RTR_VERSION_MAX; ver++) {
		want[0] = ver;
		buf_reset(&b);
		pdu_put_vrp(&b, ver, PDU_FLAG_WITHDRAW, &v);
		expect_bytes(&b, want, sizeof(want));
		decode_ok(want, sizeof(want), ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.u.prefix.afi, AFI_IPV6);
		assert_int_equal(p.u.prefix.flags, 0);
		assert_int_equal(p.u.prefix.plen, 32);
		assert_int_equal(p.u.prefix.maxlen, 48);
		assert_memory_equal(p.u.prefix.addr, v.addr, 16);
		assert_int_equal(p.u.prefix.asn, 4294967295u);
	}
	/* A VRP of no known family writes nothing. */
	buf_reset(&b);
	v.afi = 3;
	pdu_put_vrp(&b, 2, 1, &v);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* RFC 8210 section 5.10: Flags and zero share the header field. */
static void
test_router_key(void **state)
{
	uint8_t want[35] = {
		1, 9, 1, 0, 0, 0, 0, 35,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
		0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14,
		0, 0, 0xfd, 0xea, 0x30, 0x01, 0x00 };
	struct buf	b = { 0 };
	struct pdu	p;
	uint8_t		ver;

	(void)state;
	for (ver = 1; ver <= RTR_VERSION_MAX; ver++) {
		want[0] = ver;
		buf_reset(&b);
		assert_int_equal(pdu_put_rkey(&b, ver, PDU_FLAG_ANNOUNCE,
		    65002, ski1, spki3, sizeof(spki3)), 1);
		expect_bytes(&b, want, sizeof(want));
		decode_ok(want, sizeof(want), ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.u.rkey.flags, 1);
		assert_memory_equal(p.u.rkey.ski, ski1, SKI_LEN);
		assert_int_equal(p.u.rkey.asn, 65002);
		assert_int_equal(p.u.rkey.spkilen, 3);
		assert_memory_equal(p.u.rkey.spki, spki3, 3);
	}
	/* Type 9 is reserved in version 0 (8210bis section 14). */
	buf_reset(&b);
	assert_int_equal(pdu_put_rkey(&b, 0, 1, 65002, ski1, spki3, 3), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* RFC 8210 section 5.11, 8210bis section 5.8. */
static void
test_error_report(void **state)
{
	static const uint8_t rq[8] = { 7, 2, 0, 0, 0, 0, 0, 8 };
	uint8_t want[27] = {
		1, 10, 0, 4, 0, 0, 0, 27,
		0, 0, 0, 8, 7, 2, 0, 0, 0, 0, 0, 8,
		0, 0, 0, 3, 'b', 'a', 'd' };
	static const uint8_t bare[16] = {
		0, 10, 0, 2, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct buf	b = { 0 };
	struct pdu	p;
	uint8_t		ver;

	(void)state;
	for (ver = 0; ver <= RTR_VERSION_MAX; ver++) {
		want[0] = ver;
		buf_reset(&b);
		pdu_put_error(&b, ver, RTR_ERR_UNSUPPORTED_VERSION, rq,
		    sizeof(rq), "bad");
		expect_bytes(&b, want, sizeof(want));
		decode_ok(want, sizeof(want), ASPA_PDU_DRAFT10, &p);
		assert_int_equal(p.u.error.code, 4);
		assert_int_equal(p.u.error.pdulen, 8);
		assert_memory_equal(p.u.error.pdu, rq, 8);
		assert_int_equal(p.u.error.textlen, 3);
		assert_memory_equal(p.u.error.text, "bad", 3);
	}
	/* No PDU, no text: both lengths zero (8210bis section 5.8). */
	buf_reset(&b);
	pdu_put_error(&b, 0, RTR_ERR_NO_DATA, NULL, 0, NULL);
	expect_bytes(&b, bare, sizeof(bare));
	buf_reset(&b);
	pdu_put_error(&b, 0, RTR_ERR_NO_DATA, rq, 0, "");
	expect_bytes(&b, bare, sizeof(bare));
	decode_ok(bare, sizeof(bare), ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.error.code, 2);
	assert_int_equal(p.u.error.pdulen + p.u.error.textlen, 0);
	buf_free(&b);
}

/* An oversized report is cut to PDU_MAX_LEN: text first, then the PDU. */
static void
test_error_report_truncated(void **state)
{
	struct buf	 b = { 0 };
	struct pdu	 p;
	uint8_t		*big;
	char		*text;
	size_t		 i;

	(void)state;
	assert_non_null(big = malloc(70000));
	memset(big, 0xaa, 70000);
	pdu_put_error(&b, 2, RTR_ERR_CORRUPT, big, 70000, "dropped");
	assert_int_equal(b.len, PDU_MAX_LEN);
	decode_ok((uint8_t *)b.data, b.len, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.error.pdulen, PDU_MAX_LEN - 16);
	assert_int_equal(p.u.error.textlen, 0);

	/* Text of two-byte UTF-8 characters is not cut inside one. */
	assert_non_null(text = malloc(201));
	for (i = 0; i < 200; i += 2) {
		text[i] = (char)0xc3;
		text[i + 1] = (char)0xa9;
	}
	text[200] = '\0';
	buf_reset(&b);
	pdu_put_error(&b, 2, RTR_ERR_CORRUPT, big, PDU_MAX_LEN - 16 - 101,
	    text);
	decode_ok((uint8_t *)b.data, b.len, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.error.textlen, 100);
	assert_true(b.len <= PDU_MAX_LEN);
	free(text);
	free(big);
	buf_free(&b);
}

/*
 * ASPA, current layout (8210bis-27 section 5.12): flags in the header,
 * the customer, the providers; a withdrawal has length 12.
 */
static void
test_aspa_current(void **state)
{
	static const uint8_t ann[] = {
		2, 11, 1, 0, 0, 0, 0, 20,
		0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea };
	static const uint8_t wd[] = {
		2, 11, 0, 0, 0, 0, 0, 12, 0, 0, 0xfd, 0xe8 };
	static const uint8_t as0[] = {
		2, 11, 1, 0, 0, 0, 0, 16, 0, 0, 0xfd, 0xe8, 0, 0, 0, 0 };
	static const uint32_t prov[] = { 65001, 65002 };
	static const uint32_t prov0[] = { 0, 65001, 65002 };
	struct buf	b = { 0 };
	struct pdu	p;

	(void)state;
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_CURRENT,
	    PDU_FLAG_ANNOUNCE, 65000, prov, 2), 1);
	expect_bytes(&b, ann, sizeof(ann));
	decode_ok(ann, sizeof(ann), ASPA_PDU_CURRENT, &p);
	assert_int_equal(p.u.aspa.flags, 1);
	assert_int_equal(p.u.aspa.customer, 65000);
	assert_int_equal(p.u.aspa.nproviders, 2);
	assert_memory_equal(p.u.aspa.providers, ann + 12, 8);

	/* A withdrawal carries no providers, whatever is passed. */
	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_CURRENT,
	    PDU_FLAG_WITHDRAW, 65000, prov, 2), 1);
	expect_bytes(&b, wd, sizeof(wd));
	decode_ok(wd, sizeof(wd), ASPA_PDU_CURRENT, &p);
	assert_int_equal(p.u.aspa.flags, 0);
	assert_int_equal(p.u.aspa.nproviders, 0);

	/* No providers is sent as AS0 alone; AS0 among others is dropped. */
	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_CURRENT,
	    PDU_FLAG_ANNOUNCE, 65000, NULL, 0), 1);
	expect_bytes(&b, as0, sizeof(as0));
	decode_ok(as0, sizeof(as0), ASPA_PDU_CURRENT, &p);
	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_CURRENT,
	    PDU_FLAG_ANNOUNCE, 65000, prov0, 3), 1);
	expect_bytes(&b, ann, sizeof(ann));

	/* Not in version 0 or 1 (8210bis section 14). */
	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 1, ASPA_PDU_CURRENT, 1, 65000,
	    prov, 2), 0);
	assert_int_equal(pdu_put_aspa(&b, 0, ASPA_PDU_DRAFT10, 1, 65000,
	    prov, 2), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/*
 * ASPA, draft-10 layout: flags, AFI flags, provider count, customer,
 * providers, one PDU per address family.  The expected bytes are what
 * StayRTR 0.5.1 sent for {"customer_asid": 65000, "providers": [65001,
 * 65002]} in its "ipv4" list, captured on the wire (see PDU-NOTES.md);
 * the IPv6 copy differs in the AFI flags octet only.
 */
static void
test_aspa_draft10(void **state)
{
	static const uint8_t ann[] = {
		0x02, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x18,
		0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0xfd, 0xe8,
		0x00, 0x00, 0xfd, 0xe9, 0x00, 0x00, 0xfd, 0xea,
		0x02, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x18,
		0x01, 0x01, 0x00, 0x02, 0x00, 0x00, 0xfd, 0xe8,
		0x00, 0x00, 0xfd, 0xe9, 0x00, 0x00, 0xfd, 0xea };
	static const uint8_t wd[] = {
		2, 11, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0xfd, 0xe8,
		2, 11, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0xfd, 0xe8 };
	static const uint32_t prov[] = { 65001, 65002 };
	struct buf	b = { 0 };
	struct pdu	p;

	(void)state;
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_DRAFT10,
	    PDU_FLAG_ANNOUNCE, 65000, prov, 2), 2);
	expect_bytes(&b, ann, sizeof(ann));
	decode_ok(ann, 24, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.aspa.flags, 1);
	assert_int_equal(p.u.aspa.afi_flags, 0);
	assert_int_equal(p.u.aspa.customer, 65000);
	assert_int_equal(p.u.aspa.nproviders, 2);
	assert_memory_equal(p.u.aspa.providers, ann + 16, 8);
	decode_ok(ann + 24, 24, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.aspa.afi_flags, ASPA_AFI_IPV6);

	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_DRAFT10,
	    PDU_FLAG_WITHDRAW, 65000, prov, 2), 2);
	expect_bytes(&b, wd, sizeof(wd));
	decode_ok(wd, 16, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.aspa.flags, 0);
	assert_int_equal(p.u.aspa.nproviders, 0);

	/* The draft-10 layout never had the current rules on the list. */
	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_DRAFT10,
	    PDU_FLAG_ANNOUNCE, 65000, NULL, 0), 2);
	assert_int_equal(b.len, 32);
	buf_free(&b);
}

/* A provider list that cannot fit in 65,535 octets is not written. */
static void
test_aspa_too_long(void **state)
{
	uint32_t	*prov;
	struct buf	 b = { 0 };
	size_t		 i;

	(void)state;
	assert_non_null(prov = calloc(16381, sizeof(*prov)));
	for (i = 0; i < 16381; i++)
		prov[i] = (uint32_t)i + 1;
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_CURRENT, 1, 1, prov,
	    16380), 1);
	assert_int_equal(b.len, 12 + 4 * 16380);
	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_CURRENT, 1, 1, prov,
	    16381), 0);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_DRAFT10, 1, 1, prov,
	    16380), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_DRAFT10, 1, 1, prov,
	    16379), 2);
	/* Withdrawals carry no list, so they always fit. */
	buf_reset(&b);
	assert_int_equal(pdu_put_aspa(&b, 2, ASPA_PDU_CURRENT, 0, 1, prov,
	    16381), 1);
	assert_int_equal(b.len, 12);
	free(prov);
	buf_free(&b);
}

/* ---- decode errors ---------------------------------------------------- */

static void
test_decode_framing(void **state)
{
	uint8_t	 b[16] = { 1, 2, 0, 0, 0, 0, 0, 8 };
	uint8_t	*big;

	(void)state;
	decode_bad(b, 7, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "at least 8");
	decode_bad(b, 0, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "have 0");
	/* The Length field must say exactly what was handed over. */
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "length field says 8, have 12 bytes");
	b[7] = 12;
	decode_bad(b, 8, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "length field says 12, have 8 bytes");
	/* Consistent, but a Reset Query is 8 bytes long. */
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "RFC 8210 section 5.4: Reset Query: length: want 8, have 12");
	/* 8210bis section 5.1: nothing beyond 65,535 octets. */
	assert_non_null(big = calloc(1, 65536));
	big[0] = 2;
	big[1] = PDU_ERROR_REPORT;
	big[5] = 1;
	decode_bad(big, 65536, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "want <= 65535");
	free(big);
}

static void
test_decode_lengths(void **state)
{
	uint8_t b[40];

	(void)state;
	/* Serial Notify of 13 bytes. */
	memset(b, 0, sizeof(b));
	b[0] = 0;
	b[1] = PDU_SERIAL_NOTIFY;
	b[7] = 13;
	decode_bad(b, 13, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "RFC 6810 section 5.2: Serial Notify: length: want 12, have 13");
	/* Serial Query of 8 bytes. */
	b[1] = PDU_SERIAL_QUERY;
	b[7] = 8;
	decode_bad(b, 8, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "want 12, have 8");
	/* Cache Response and Cache Reset of 12 bytes. */
	b[1] = PDU_CACHE_RESPONSE;
	b[7] = 12;
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "want 8, have 12");
	b[1] = PDU_CACHE_RESET;
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "want 8, have 12");
	/* IPv4 Prefix of 19 and 24, IPv6 Prefix of 20. */
	b[1] = PDU_IPV4_PREFIX;
	b[7] = 24;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "IPv4 Prefix: length: want 20, have 24");
	b[7] = 19;
	decode_bad(b, 19, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "want 20");
	b[1] = PDU_IPV6_PREFIX;
	b[7] = 20;
	decode_bad(b, 20, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "IPv6 Prefix: length: want 32, have 20");
	/* End of Data: 12 in v0, 24 from v1 (RFC 8210 section 5.8). */
	b[1] = PDU_END_OF_DATA;
	b[7] = 24;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "RFC 6810 section 5.8: End of Data: length: want 12, have 24");
	b[0] = 1;
	b[7] = 12;
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "RFC 8210 section 5.8: End of Data: length: want 24, have 12");
	b[0] = 2;
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "8210bis section 5.7: End of Data: length: want 24, have 12");
	/* Router Key without its SPKI. */
	b[0] = 1;
	b[1] = PDU_ROUTER_KEY;
	b[7] = 32;
	decode_bad(b, 32, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "Router Key: length: want at least 33, have 32");
	/* Error Report shorter than its two length fields. */
	b[1] = PDU_ERROR_REPORT;
	b[7] = 12;
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "RFC 8210 section 5.11: Error Report: length: want at least 16");
}

static void
test_decode_types(void **state)
{
	static const uint8_t types[] = { 5, 12, 13, 100, 255 };
	uint8_t	b[40];
	size_t	i;

	(void)state;
	memset(b, 0, sizeof(b));
	b[7] = 8;
	for (i = 0; i < NELEM(types); i++) {
		b[0] = 2;
		b[1] = types[i];
		decode_bad(b, 8, ASPA_PDU_DRAFT10, RTR_ERR_UNSUPPORTED_TYPE,
		    "is not assigned");
	}
	/* Router Key in version 0, ASPA in versions 0 and 1. */
	b[0] = 0;
	b[1] = PDU_ROUTER_KEY;
	b[7] = 35;
	decode_bad(b, 35, ASPA_PDU_DRAFT10, RTR_ERR_UNSUPPORTED_TYPE,
	    "Router Key: PDU type 9 does not exist in protocol version 0");
	b[1] = PDU_ASPA;
	b[7] = 16;
	decode_bad(b, 16, ASPA_PDU_DRAFT10, RTR_ERR_UNSUPPORTED_TYPE,
	    "ASPA: PDU type 11 does not exist in protocol version 0");
	b[0] = 1;
	decode_bad(b, 16, ASPA_PDU_CURRENT, RTR_ERR_UNSUPPORTED_TYPE,
	    "in protocol version 1");
}

/* 8210bis section 7: a version above 2 is Unsupported, whatever the type. */
static void
test_decode_versions(void **state)
{
	uint8_t		b[16] = { 3, PDU_RESET_QUERY, 0, 0, 0, 0, 0, 8 };
	struct pdu	p;
	struct err	e;
	int		code;

	(void)state;
	decode_bad(b, 8, ASPA_PDU_DRAFT10, RTR_ERR_UNSUPPORTED_VERSION,
	    "protocol version: want <= 2, have 3");
	b[0] = 255;
	decode_bad(b, 8, ASPA_PDU_DRAFT10, RTR_ERR_UNSUPPORTED_VERSION,
	    "have 255");
	/* The header is there for the caller not to answer an Error Report. */
	b[0] = 3;
	b[1] = PDU_ERROR_REPORT;
	b[7] = 16;
	assert_int_equal(pdu_decode(b, 16, ASPA_PDU_DRAFT10, &p, &code, &e),
	    -1);
	assert_int_equal(code, RTR_ERR_UNSUPPORTED_VERSION);
	assert_int_equal(p.hdr.type, PDU_ERROR_REPORT);
	assert_int_equal(p.hdr.version, 3);
}

static void
test_decode_prefix_checks(void **state)
{
	uint8_t v4[20] = {
		1, 4, 0, 0, 0, 0, 0, 20,
		1, 24, 23, 0, 192, 0, 2, 0, 0, 0, 0, 1 };
	uint8_t v6[32] = {
		1, 6, 0, 0, 0, 0, 0, 32,
		1, 48, 129, 0, 0x20, 0x01, 0x0d, 0xb8 };
	struct pdu p;

	(void)state;
	/* RFC 8210 section 5.1: max length not below prefix length. */
	decode_bad(v4, 20, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "RFC 8210 section 5.6: IPv4 Prefix: prefix length: want <= max "
	    "length 23, have 24");
	v4[10] = 33;
	decode_bad(v4, 20, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "max length: want <= 32, have 33");
	v4[10] = 32;
	decode_ok(v4, 20, ASPA_PDU_DRAFT10, &p);
	v4[9] = 33;
	v4[10] = 33;
	decode_bad(v4, 20, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "want <= 32");

	decode_bad(v6, 32, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "IPv6 Prefix: max length: want <= 128, have 129");
	v6[10] = 47;
	decode_bad(v6, 32, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "prefix length: want <= max length 47, have 48");
	v6[9] = 0;
	v6[10] = 0;
	v6[12] = 0;
	v6[13] = 0;
	v6[14] = 0;
	v6[15] = 0;
	decode_ok(v6, 32, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.prefix.plen, 0);
}

/* 8210bis section 5.9: in v2 the bits past the prefix length are zero. */
static void
test_decode_host_bits(void **state)
{
	uint8_t v4[20] = {
		2, 4, 0, 0, 0, 0, 0, 20,
		1, 23, 24, 0, 192, 0, 3, 0, 0, 0, 0, 1 };
	uint8_t v6[32] = {
		2, 6, 0, 0, 0, 0, 0, 32,
		1, 32, 48, 0, 0x20, 0x01, 0x0d, 0xb8,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct pdu p;

	(void)state;
	decode_bad(v4, 20, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "8210bis section 5.9: IPv4 Prefix: prefix: want zero bits past "
	    "/23");
	decode_bad(v6, 32, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "8210bis section 5.10: IPv6 Prefix: prefix: want zero bits past "
	    "/32");
	/* Earlier versions did not require it. */
	v4[0] = 1;
	decode_ok(v4, 20, ASPA_PDU_DRAFT10, &p);
	v6[0] = 0;
	decode_ok(v6, 32, ASPA_PDU_DRAFT10, &p);
	/* The last byte of a prefix, partly inside it. */
	v4[0] = 2;
	v4[14] = 2;
	decode_ok(v4, 20, ASPA_PDU_DRAFT10, &p);
	v4[9] = 31;
	v4[10] = 32;
	v4[15] = 1;
	decode_bad(v4, 20, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "past /31");
	v4[9] = 32;
	decode_ok(v4, 20, ASPA_PDU_DRAFT10, &p);
}

/*
 * 8210bis section 5: reserved "zero" fields must be zero when sent and
 * are ignored when received; 5.1: so are the unassigned flag bits.  The
 * decoder must accept them and keep the announce bit.
 */
static void
test_decode_reserved_ignored(void **state)
{
	uint8_t reset[8] = { 1, 2, 0xff, 0xff, 0, 0, 0, 8 };
	uint8_t v4[20] = {
		1, 4, 0xab, 0xcd, 0, 0, 0, 20,
		0xfe, 8, 8, 0x5a, 10, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t rk[33] = { 1, 9, 0x81, 0x7f, 0, 0, 0, 33 };
	uint8_t aspa[16] = {
		2, 11, 0xff, 0xee, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 2 };
	struct pdu p;

	(void)state;
	decode_ok(reset, 8, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.hdr.field, 0xffff);
	decode_ok(v4, 20, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.prefix.flags & PDU_FLAG_ANNOUNCE, 0);
	assert_int_equal(p.u.prefix.flags, 0xfe);
	assert_int_equal(p.u.prefix.maxlen, 8);
	decode_ok(rk, 33, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.rkey.flags, 0x81);
	assert_int_equal(p.u.rkey.spkilen, 1);
	decode_ok(aspa, 16, ASPA_PDU_CURRENT, &p);
	assert_int_equal(p.u.aspa.flags, 0xff);
	assert_int_equal(p.u.aspa.customer, 1);
}

static void
test_decode_error_report(void **state)
{
	uint8_t b[32] = {
		1, 10, 0, 3, 0, 0, 0, 24,
		0, 0, 0, 4, 1, 2, 3, 4,
		0, 0, 0, 4, 't', 'e', 'x', 't' };
	struct pdu p;

	(void)state;
	decode_ok(b, 24, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.error.pdulen, 4);
	assert_int_equal(p.u.error.textlen, 4);
	/* Encapsulated PDU longer than what follows. */
	b[11] = 9;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "length of encapsulated PDU: want <= 8, have 9");
	b[8] = 0x80;
	b[11] = 0;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "have 2147483648");
	b[8] = 0;
	b[11] = 4;
	/* Text length too long, too short. */
	b[19] = 5;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "length of text: want 4, have 5");
	b[19] = 3;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "length of text: want 4, have 3");
	b[16] = 0xff;
	b[19] = 4;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT, "length of text");
	/* The PDU fills all: the text length is the last 4 bytes. */
	b[16] = 0;
	b[11] = 8;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "length of text: want 0");
}

/* 8210bis section 5.12: the provider list of an ASPA PDU. */
static void
test_decode_aspa_current(void **state)
{
	uint8_t b[24] = {
		2, 11, 1, 0, 0, 0, 0, 20,
		0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3 };
	struct pdu p;

	(void)state;
	decode_ok(b, 20, ASPA_PDU_CURRENT, &p);
	/* Not a whole number of providers. */
	b[7] = 22;
	decode_bad(b, 22, ASPA_PDU_CURRENT, RTR_ERR_CORRUPT,
	    "8210bis section 5.12: ASPA: length: want 12 + 4 per provider");
	b[7] = 11;
	decode_bad(b, 11, ASPA_PDU_CURRENT, RTR_ERR_CORRUPT,
	    "length: want at least 12, have 11");
	/* An announcement with no provider. */
	b[7] = 12;
	decode_bad(b, 12, ASPA_PDU_CURRENT, RTR_ERR_ASPA_PROVIDER_LIST,
	    "announcement: want at least one provider");
	/* A withdrawal with one. */
	b[2] = 0;
	b[7] = 16;
	decode_bad(b, 16, ASPA_PDU_CURRENT, RTR_ERR_ASPA_PROVIDER_LIST,
	    "withdrawal: want no providers (length 12), have 1");
	b[7] = 12;
	decode_ok(b, 12, ASPA_PDU_CURRENT, &p);
	assert_int_equal(p.u.aspa.nproviders, 0);
	/* Out of order, duplicated. */
	b[2] = 1;
	b[7] = 20;
	b[19] = 2;
	decode_bad(b, 20, ASPA_PDU_CURRENT, RTR_ERR_ASPA_PROVIDER_LIST,
	    "want increasing and unique, have AS2 after AS2");
	b[19] = 1;
	decode_bad(b, 20, ASPA_PDU_CURRENT, RTR_ERR_ASPA_PROVIDER_LIST,
	    "have AS1 after AS2");
	/* AS0 alone is fine, AS0 among others is not. */
	b[7] = 16;
	b[15] = 0;
	decode_ok(b, 16, ASPA_PDU_CURRENT, &p);
	assert_int_equal(p.u.aspa.nproviders, 1);
	b[7] = 20;
	b[19] = 5;
	decode_bad(b, 20, ASPA_PDU_CURRENT, RTR_ERR_ASPA_PROVIDER_LIST,
	    "want no AS0 among 2 providers");
}

static void
test_decode_aspa_draft10(void **state)
{
	uint8_t b[24] = {
		2, 11, 0, 0, 0, 0, 0, 24,
		1, 1, 0, 2, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0, 0, 1 };
	struct pdu p;

	(void)state;
	/* That draft had no ordering rule for providers. */
	decode_ok(b, 24, ASPA_PDU_DRAFT10, &p);
	assert_int_equal(p.u.aspa.afi_flags, 1);
	assert_int_equal(p.u.aspa.customer, 9);
	assert_int_equal(p.u.aspa.nproviders, 2);
	b[11] = 3;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "ASPA: length: want 28 for 3 providers, have 24");
	b[11] = 1;
	decode_bad(b, 24, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "want 20 for 1 providers");
	b[7] = 12;
	decode_bad(b, 12, ASPA_PDU_DRAFT10, RTR_ERR_CORRUPT,
	    "want at least 16, have 12");
	/* The same bytes in the current layout: a 3-provider withdrawal. */
	b[7] = 24;
	decode_bad(b, 24, ASPA_PDU_CURRENT, RTR_ERR_ASPA_PROVIDER_LIST,
	    "withdrawal");
}

/* ---- sets and diffs --------------------------------------------------- */

/* Test data: the set the order tests walk. */
static struct vrpset *
sample_set(void)
{
	static const uint32_t p100[] = { 65001, 65002 };
	static const uint32_t p50[] = { 7 };
	static const uint8_t ka[] = { 0x30, 0x02, 0xaa, 0xbb };
	static const uint8_t kb[] = { 0x30, 0x01, 0xcc };
	struct vrpset_builder	*b;
	struct vrp		 v[6];
	uint8_t			 ski_hi[SKI_LEN], ski_lo[SKI_LEN];
	size_t			 i;
	int			 ta;

	v[0] = mkvrp("10.0.0.0/8", 8, 1);
	v[1] = mkvrp("10.0.0.0/8", 24, 1);
	v[2] = mkvrp("10.0.0.0/16", 16, 2);
	v[3] = mkvrp("192.0.2.0/24", 24, 3);
	v[4] = mkvrp("2001:db8::/32", 48, 4);
	v[5] = mkvrp("2001:db8::/48", 48, 5);
	memset(ski_hi, 0x02, SKI_LEN);
	memset(ski_lo, 0x01, SKI_LEN);
	assert_non_null(b = vrpset_builder_new());
	assert_true((ta = vrpset_builder_ta(b, "test")) >= 0);
	for (i = 0; i < NELEM(v); i++) {
		v[i].ta = (uint16_t)ta;
		assert_int_equal(vrpset_add_vrp(b, &v[i]), 0);
	}
	/* Set order is by ASN: 5 before 10; section 11.2.2 by SKI. */
	assert_int_equal(vrpset_add_rkey(b, 10, ski_lo, ka, sizeof(ka),
	    (uint16_t)ta, 0), 0);
	assert_int_equal(vrpset_add_rkey(b, 5, ski_hi, kb, sizeof(kb),
	    (uint16_t)ta, 0), 0);
	assert_int_equal(vrpset_add_aspa(b, 100, p100, 2, (uint16_t)ta, 0),
	    0);
	assert_int_equal(vrpset_add_aspa(b, 50, p50, 1, (uint16_t)ta, 0), 0);
	return vrpset_build(b);
}

/* "v4 10.0.0.0/8-24 AS1"-style description of a decoded PDU. */
static void
describe(const struct pdu *p, char *out, size_t sz)
{
	char		pfx[PREFIX_STRLEN];
	struct vrp	v;

	switch (p->hdr.type) {
	case PDU_IPV4_PREFIX:
	case PDU_IPV6_PREFIX:
		memset(&v, 0, sizeof(v));
		v.afi = p->u.prefix.afi;
		v.plen = p->u.prefix.plen;
		memcpy(v.addr, p->u.prefix.addr, 16);
		prefix_format(&v, pfx);
		snprintf(out, sz, "%c %s-%u AS%u",
		    p->u.prefix.flags ? '+' : '-', pfx, p->u.prefix.maxlen,
		    p->u.prefix.asn);
		break;
	case PDU_ROUTER_KEY:
		snprintf(out, sz, "%c key %02x AS%u",
		    p->u.rkey.flags ? '+' : '-', p->u.rkey.ski[0],
		    p->u.rkey.asn);
		break;
	case PDU_ASPA:
		snprintf(out, sz, "%c aspa AS%u/%u n%zu",
		    p->u.aspa.flags & 1 ? '+' : '-', p->u.aspa.customer,
		    p->u.aspa.afi_flags, p->u.aspa.nproviders);
		break;
	default:
		snprintf(out, sz, "%s", pdu_type_name(p->hdr.type));
	}
}

/* b must hold exactly the PDUs described by want[0..n), in order. */
static void
expect_order(const struct buf *b, enum aspa_pdu_format fmt,
    const char *const *want, size_t n)
{
	struct pdu	got[32];
	char		d[128];
	size_t		i, have;

	have = walk(b, fmt, got, NELEM(got));
	for (i = 0; i < have && i < n; i++) {
		describe(&got[i], d, sizeof(d));
		if (strcmp(d, want[i]) != 0) {
			print_error("PDU %zu: want \"%s\", have \"%s\"\n", i,
			    want[i], d);
			fail();
		}
	}
	assert_int_equal(have, n);
}

static void
test_set_versions(void **state)
{
	static const char *const ann[] = {
		"+ 192.0.2.0/24-24 AS3",
		"+ 10.0.0.0/8-24 AS1",		/* max length first */
		"+ 10.0.0.0/16-16 AS2",
		"+ 10.0.0.0/8-8 AS1",
		"+ 2001:db8::/48-48 AS5",
		"+ 2001:db8::/32-48 AS4",
		"+ key 01 AS10",		/* SKI before ASN */
		"+ key 02 AS5",
		"+ aspa AS50/0 n1",
		"+ aspa AS100/0 n2",
	};
	static const char *const ann10[] = {
		"+ aspa AS50/0 n1", "+ aspa AS50/1 n1",
		"+ aspa AS100/0 n2", "+ aspa AS100/1 n2",
	};
	const char	*want[16];
	struct vrpset	*s;
	struct buf	 b = { 0 };

	(void)state;
	assert_non_null(s = sample_set());
	assert_int_equal(pdu_put_set(&b, 0, ASPA_PDU_CURRENT, 1, s), 6);
	expect_order(&b, ASPA_PDU_CURRENT, ann, 6);
	assert_int_equal(((uint8_t *)b.data)[0], 0);

	buf_reset(&b);
	assert_int_equal(pdu_put_set(&b, 1, ASPA_PDU_CURRENT, 1, s), 8);
	expect_order(&b, ASPA_PDU_CURRENT, ann, 8);

	buf_reset(&b);
	assert_int_equal(pdu_put_set(&b, 2, ASPA_PDU_CURRENT, 1, s), 10);
	expect_order(&b, ASPA_PDU_CURRENT, ann, 10);

	buf_reset(&b);
	memcpy(want, ann, 8 * sizeof(want[0]));
	memcpy(want + 8, ann10, sizeof(ann10));
	assert_int_equal(pdu_put_set(&b, 2, ASPA_PDU_DRAFT10, 1, s), 12);
	expect_order(&b, ASPA_PDU_DRAFT10, want, 12);
	vrpset_unref(s);
	buf_free(&b);
}

static void
test_set_withdraw_order(void **state)
{
	static const char *const wd[] = {
		"- 10.0.0.0/8-8 AS1",
		"- 10.0.0.0/16-16 AS2",
		"- 10.0.0.0/8-24 AS1",
		"- 192.0.2.0/24-24 AS3",
		"- 2001:db8::/32-48 AS4",
		"- 2001:db8::/48-48 AS5",
		"- key 01 AS10",
		"- key 02 AS5",
		"- aspa AS50/0 n0",
		"- aspa AS100/0 n0",
	};
	struct vrpset	*s;
	struct buf	 b = { 0 };

	(void)state;
	assert_non_null(s = sample_set());
	assert_int_equal(pdu_put_set(&b, 2, ASPA_PDU_CURRENT, 0, s), 10);
	expect_order(&b, ASPA_PDU_CURRENT, wd, 10);
	/* Empty set: nothing, and the buffer stays usable. */
	vrpset_unref(s);
	assert_non_null(s = vrpset_empty());
	buf_reset(&b);
	assert_int_equal(pdu_put_set(&b, 2, ASPA_PDU_CURRENT, 1, s), 0);
	assert_int_equal(b.len, 0);
	assert_false(buf_failed(&b));
	vrpset_unref(s);
	buf_free(&b);
}

static void
test_diff_order(void **state)
{
	static const uint32_t p100[] = { 65001, 65003 };
	static const uint32_t p200[] = { 9 };
	static const char *const want[] = {
		"+ 10.0.0.0/8-16 AS1",
		"- 10.0.0.0/8-8 AS1",
		"- 192.0.2.0/24-24 AS3",
		"+ 2001:db8::/64-64 AS6",
		"- 2001:db8::/32-48 AS4",
		"+ key 03 AS7",
		"- key 02 AS5",
		"+ aspa AS100/0 n2",		/* changed: announce only */
		"+ aspa AS200/0 n1",
		"- aspa AS50/0 n0",
	};
	struct vrpset_builder	*bl;
	struct vrpset		*old, *new;
	struct vrpdiff		 d;
	struct buf		 b = { 0 };
	struct vrp		 v;
	uint8_t			 ski3[SKI_LEN];
	size_t			 i;

	(void)state;
	assert_non_null(old = sample_set());
	assert_non_null(bl = vrpset_builder_new());
	assert_true(vrpset_builder_ta(bl, "test") == 0);
	for (i = 0; i < old->nvrps; i++) {
		v = old->vrps[i];
		if ((v.afi == AFI_IPV4 && (v.asn == 3 ||
		    (v.asn == 1 && v.maxlen == 8))) || v.asn == 4)
			continue;
		assert_int_equal(vrpset_add_vrp(bl, &v), 0);
	}
	v = mkvrp("10.0.0.0/8", 16, 1);
	assert_int_equal(vrpset_add_vrp(bl, &v), 0);
	v = mkvrp("2001:db8::/64", 64, 6);
	assert_int_equal(vrpset_add_vrp(bl, &v), 0);
	/* Keep the key of AS10, drop AS5's, add one of AS7. */
	assert_int_equal(vrpset_add_rkey(bl, 10, old->rkeys[1].ski,
	    vrpset_spki(old, &old->rkeys[1]), old->rkeys[1].spki_len, 0, 0),
	    0);
	memset(ski3, 0x03, SKI_LEN);
	assert_int_equal(vrpset_add_rkey(bl, 7, ski3, spki3, 3, 0, 0), 0);
	assert_int_equal(vrpset_add_aspa(bl, 100, p100, 2, 0, 0), 0);
	assert_int_equal(vrpset_add_aspa(bl, 200, p200, 1, 0, 0), 0);
	assert_non_null(new = vrpset_build(bl));
	assert_int_equal(old->rkeys[1].asn, 10);
	assert_int_equal(vrpset_diff(old, new, &d), 0);

	assert_int_equal(pdu_put_diff(&b, 2, ASPA_PDU_CURRENT, &d), 10);
	expect_order(&b, ASPA_PDU_CURRENT, want, 10);
	/* Version 1 stops before the ASPAs, version 0 before the keys. */
	buf_reset(&b);
	assert_int_equal(pdu_put_diff(&b, 1, ASPA_PDU_CURRENT, &d), 7);
	expect_order(&b, ASPA_PDU_CURRENT, want, 7);
	buf_reset(&b);
	assert_int_equal(pdu_put_diff(&b, 0, ASPA_PDU_CURRENT, &d), 5);
	expect_order(&b, ASPA_PDU_CURRENT, want, 5);
	/* Draft-10: two PDUs per ASPA. */
	buf_reset(&b);
	assert_int_equal(pdu_put_diff(&b, 2, ASPA_PDU_DRAFT10, &d), 13);
	vrpdiff_free(&d);
	vrpset_unref(old);
	vrpset_unref(new);
	buf_free(&b);
}

/* A one-ASPA set per call, for hand-made diffs. */
static struct vrpset *
aspa_set(const uint32_t *customers, const uint32_t *const *prov,
    const size_t *n, size_t count)
{
	struct vrpset_builder	*bl;
	size_t			 i;

	assert_non_null(bl = vrpset_builder_new());
	assert_true(vrpset_builder_ta(bl, "t") == 0);
	for (i = 0; i < count; i++)
		assert_int_equal(vrpset_add_aspa(bl, customers[i], prov[i],
		    n[i], 0, 0), 0);
	return vrpset_build(bl);
}

/*
 * A customer both withdrawn and announced in one diff is a replacement:
 * only the announcement goes out (8210bis 5.12), or the withdrawal that
 * follows it (11.2.3) would delete the new record.
 */
static void
test_diff_aspa_replacement(void **state)
{
	static const uint32_t	 c_ann[] = { 100 }, c_wd[] = { 100, 300 };
	static const uint32_t	 pa[] = { 1 }, pb[] = { 2 };
	static const uint32_t	*p_ann[] = { pa }, *p_wd[] = { pb, pb };
	static const size_t	 n_ann[] = { 1 }, n_wd[] = { 1, 1 };
	static const char *const want[] = {
		"+ aspa AS100/0 n1", "- aspa AS300/0 n0" };
	static const char *const want10[] = {
		"+ aspa AS100/0 n1", "+ aspa AS100/1 n1",
		"- aspa AS300/0 n0", "- aspa AS300/1 n0" };
	struct vrpdiff		 d;
	struct buf		 b = { 0 };

	(void)state;
	assert_non_null(d.announced = aspa_set(c_ann, p_ann, n_ann, 1));
	assert_non_null(d.withdrawn = aspa_set(c_wd, p_wd, n_wd, 2));
	assert_int_equal(pdu_put_diff(&b, 2, ASPA_PDU_CURRENT, &d), 2);
	expect_order(&b, ASPA_PDU_CURRENT, want, 2);
	buf_reset(&b);
	assert_int_equal(pdu_put_diff(&b, 2, ASPA_PDU_DRAFT10, &d), 4);
	expect_order(&b, ASPA_PDU_DRAFT10, want10, 4);
	vrpdiff_free(&d);
	buf_free(&b);
}

/* Sets may hold customers without providers, or AS0 among others. */
static void
test_set_aspa_as0(void **state)
{
	static const uint32_t	 c[] = { 10, 20 }, p20[] = { 0, 5 };
	static const uint32_t	*p[] = { NULL, p20 };
	static const size_t	 n[] = { 0, 2 };
	static const uint8_t	 want[] = {
		2, 11, 1, 0, 0, 0, 0, 16, 0, 0, 0, 10, 0, 0, 0, 0,
		2, 11, 1, 0, 0, 0, 0, 16, 0, 0, 0, 20, 0, 0, 0, 5 };
	struct vrpset		*s;
	struct buf		 b = { 0 };
	struct pdu		 got[4];

	(void)state;
	assert_non_null(s = aspa_set(c, p, n, 2));
	assert_int_equal(s->aspas[1].prov_n, 2);
	assert_int_equal(pdu_put_set(&b, 2, ASPA_PDU_CURRENT, 1, s), 2);
	expect_bytes(&b, want, sizeof(want));
	/* Every PDU passes the receiver's checks. */
	assert_int_equal(walk(&b, ASPA_PDU_CURRENT, got, NELEM(got)), 2);
	buf_reset(&b);
	assert_int_equal(pdu_put_set(&b, 2, ASPA_PDU_DRAFT10, 1, s), 4);
	assert_int_equal(walk(&b, ASPA_PDU_DRAFT10, got, NELEM(got)), 4);
	assert_int_equal(got[0].u.aspa.nproviders, 0);
	assert_int_equal(got[2].u.aspa.nproviders, 2);
	vrpset_unref(s);
	buf_free(&b);
}

/*
 * 8210bis section 11.2, restated independently of pdu.c: -1, 0, 1 as a
 * precedes, equals or follows b.  Only prefix PDUs are compared here.
 */
static int
order_cmp(const struct pdu *a, const struct pdu *b)
{
	int	ua = a->u.prefix.flags & 1, ub = b->u.prefix.flags & 1;
	int	c, sign;

	if (a->hdr.type != b->hdr.type)
		return a->hdr.type < b->hdr.type ? -1 : 1;
	if (ua != ub)
		return ua > ub ? -1 : 1;
	sign = ua ? -1 : 1;		/* announcements descend */
	if ((c = memcmp(a->u.prefix.addr, b->u.prefix.addr, 16)) != 0)
		return sign * (c < 0 ? -1 : 1);
	if (a->u.prefix.maxlen != b->u.prefix.maxlen)
		return sign *
		    (a->u.prefix.maxlen < b->u.prefix.maxlen ? -1 : 1);
	if (a->u.prefix.plen != b->u.prefix.plen)
		return sign * (a->u.prefix.plen < b->u.prefix.plen ? -1 : 1);
	if (a->u.prefix.asn != b->u.prefix.asn)
		return sign * (a->u.prefix.asn < b->u.prefix.asn ? -1 : 1);
	return 0;
}

static int
vrp_qcmp(const void *a, const void *b)
{
	return vrp_cmp(a, b);
}

/* A small deterministic generator (xorshift32), seeded per test. */
static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * Random VRPs crowded onto few addresses (so runs of one address with
 * several prefix lengths are common): every PDU decodes, is in the set,
 * and strictly follows its predecessor in the 11.2 order.
 */
static void
test_set_order_random(void **state)
{
	struct vrpset_builder	*bl;
	struct vrpset		*s;
	struct buf		 b = { 0 };
	struct pdu		 prev, cur;
	struct pdu_hdr		 h;
	struct vrp		 v, *hit;
	const uint8_t		*p;
	size_t			 i, off, n;
	uint32_t		 seed = 8210;
	int			 flags;

	(void)state;
	assert_non_null(bl = vrpset_builder_new());
	assert_true(vrpset_builder_ta(bl, "t") == 0);
	for (i = 0; i < 20000; i++) {
		memset(&v, 0, sizeof(v));
		v.afi = rnd(&seed) % 4 ? AFI_IPV4 : AFI_IPV6;
		v.addr[0] = rnd(&seed) % 4;
		v.plen = rnd(&seed) % 3 ? 24 : 8 + rnd(&seed) % 17;
		v.addr[1] = v.plen >= 16 ? rnd(&seed) % 2 : 0;
		v.maxlen = v.plen + rnd(&seed) % (afi_bits(v.afi) - v.plen + 1);
		v.asn = rnd(&seed) % 8;
		assert_int_equal(vrpset_add_vrp(bl, &v), 0);
	}
	assert_non_null(s = vrpset_build(bl));
	for (flags = 0; flags <= 1; flags++) {
		buf_reset(&b);
		n = pdu_put_set(&b, 2, ASPA_PDU_CURRENT, flags, s);
		assert_int_equal(n, s->nvrps);
		p = (const uint8_t *)b.data;
		for (off = 0, i = 0; off < b.len; off += h.length, i++) {
			assert_int_equal(pdu_peek(p + off, b.len - off, &h), 1);
			decode_ok(p + off, h.length, ASPA_PDU_CURRENT, &cur);
			assert_int_equal(cur.u.prefix.flags, flags);
			memset(&v, 0, sizeof(v));
			v.afi = cur.u.prefix.afi;
			memcpy(v.addr, cur.u.prefix.addr, 16);
			v.plen = cur.u.prefix.plen;
			v.maxlen = cur.u.prefix.maxlen;
			v.asn = cur.u.prefix.asn;
			hit = bsearch(&v, s->vrps, s->nvrps, sizeof(v),
			    vrp_qcmp);
			assert_non_null(hit);
			if (i > 0 && order_cmp(&prev, &cur) >= 0) {
				print_error("PDU %zu out of 11.2 order\n", i);
				fail();
			}
			prev = cur;
		}
		assert_int_equal(i, s->nvrps);
	}
	vrpset_unref(s);
	buf_free(&b);
}

/* ---- timers ----------------------------------------------------------- */

static void
test_intervals(void **state)
{
	static const struct {
		uint32_t	 refresh, retry, expire;
		const char	*err;		/* NULL: accepted */
	} tbl[] = {
		{ 3600, 600, 7200, NULL },		/* the defaults */
		{ 1, 1, 600, NULL },
		{ 86400, 7200, 86401, NULL },
		{ 599, 599, 600, NULL },
		{ 0, 600, 7200, "refresh interval: want 1..86400, have 0" },
		{ 86401, 600, 172800, "refresh interval: want 1..86400" },
		{ 3600, 0, 7200, "retry interval: want 1..7200, have 0" },
		{ 3600, 7201, 7300, "retry interval: want 1..7200, have 7201" },
		{ 1, 1, 599, "expire interval: want 600..172800, have 599" },
		{ 1, 1, 172801, "expire interval: want 600..172800" },
		{ 3600, 600, 3600, "want more than refresh 3600" },
		{ 600, 600, 600, "and retry 600, have 600" },
		{ 86400, 7200, 86400, "expire interval: want more than" },
	};
	struct err	e;
	size_t		i;
	int		rc;

	(void)state;
	for (i = 0; i < NELEM(tbl); i++) {
		memset(&e, 0, sizeof(e));
		rc = rtr_intervals_check(tbl[i].refresh, tbl[i].retry,
		    tbl[i].expire, &e);
		if (tbl[i].err == NULL) {
			if (rc != 0)
				print_error("row %zu: %s\n", i, e.msg);
			assert_int_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, -1);
		assert_contains(e.msg, "RFC 8210 section 6: ");
		assert_contains(e.msg, tbl[i].err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_errcode_valid),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_serial_notify_query),
		cmocka_unit_test(test_empty_pdus),
		cmocka_unit_test(test_end_of_data),
		cmocka_unit_test(test_ipv4_prefix),
		cmocka_unit_test(test_ipv6_prefix),
		cmocka_unit_test(test_router_key),
		cmocka_unit_test(test_error_report),
		cmocka_unit_test(test_error_report_truncated),
		cmocka_unit_test(test_aspa_current),
		cmocka_unit_test(test_aspa_draft10),
		cmocka_unit_test(test_aspa_too_long),
		cmocka_unit_test(test_decode_framing),
		cmocka_unit_test(test_decode_lengths),
		cmocka_unit_test(test_decode_types),
		cmocka_unit_test(test_decode_versions),
		cmocka_unit_test(test_decode_prefix_checks),
		cmocka_unit_test(test_decode_host_bits),
		cmocka_unit_test(test_decode_reserved_ignored),
		cmocka_unit_test(test_decode_error_report),
		cmocka_unit_test(test_decode_aspa_current),
		cmocka_unit_test(test_decode_aspa_draft10),
		cmocka_unit_test(test_set_versions),
		cmocka_unit_test(test_set_withdraw_order),
		cmocka_unit_test(test_diff_order),
		cmocka_unit_test(test_diff_aspa_replacement),
		cmocka_unit_test(test_set_aspa_as0),
		cmocka_unit_test(test_set_order_random),
		cmocka_unit_test(test_intervals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
