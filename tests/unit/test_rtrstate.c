/*
 * test_rtrstate.c - serials, history coalescing and shared answers of the
 * RTR cache state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdu.h"
#include "rtrstate.h"
#include "testutil.h"

static const struct rtr_intervals iv = { 3600, 600, 7200 };

/* A set of VRPs 10.<i>.0.0/16 AS<asn0+i> for i in [from, to). */
static struct vrpset *
make_set(int from, int to, uint32_t asn0)
{
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrpset		*s;
	struct vrp		 v;
	int			 i, ta;

	assert_non_null(b);
	ta = vrpset_builder_ta(b, "test");
	for (i = from; i < to; i++) {
		memset(&v, 0, sizeof(v));
		v.afi = AFI_IPV4;
		v.addr[0] = 10;
		v.addr[1] = (uint8_t)i;
		v.plen = 16;
		v.maxlen = 24;
		v.asn = asn0 + (uint32_t)i;
		v.ta = (uint16_t)ta;
		assert_int_equal(vrpset_add_vrp(b, &v), 0);
	}
	s = vrpset_build(b);
	assert_non_null(s);
	return s;
}

static void
release(struct rtrbuf *out[3])
{
	int i;

	for (i = 0; i < 3; i++)
		rtrbuf_unref(out[i]);
}

/* Count the PDUs in a payload buffer, checking each decodes. */
static size_t
count_pdus(const struct rtrbuf *rb, uint8_t ver)
{
	struct pdu_hdr	h;
	struct pdu	p;
	struct err	e;
	size_t		off = 0, n = 0;
	int		code;

	while (off < rb->len) {
		assert_int_equal(pdu_peek(rb->data + off, rb->len - off, &h), 1);
		assert_int_equal(pdu_decode(rb->data + off, h.length,
		    ASPA_PDU_DRAFT10, &p, &code, &e), 0);
		assert_int_equal(p.hdr.version, ver);
		off += h.length;
		n++;
	}
	assert_int_equal(off, rb->len);
	return n;
}

/* The serial carried in an End of Data buffer. */
static uint32_t
eod_serial(const struct rtrbuf *rb)
{
	struct pdu	p;
	struct err	e;
	int		code;

	assert_int_equal(pdu_decode(rb->data, rb->len, ASPA_PDU_DRAFT10, &p,
	    &code, &e), 0);
	assert_int_equal(p.hdr.type, PDU_END_OF_DATA);
	return p.u.eod.serial;
}

static void
test_no_data(void **state)
{
	struct rtrstate	st;
	struct rtrbuf	*out[3];

	(void)state;
	assert_int_equal(rtrstate_init(&st, -1, 1, 4, &iv), 0);
	assert_int_equal(rtrstate_reset_answer(&st, 1, out),
	    RTR_ANSWER_NODATA);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 1,
	    out), RTR_ANSWER_NODATA);
	rtrstate_free(&st);
}

static void
test_sessions_distinct(void **state)
{
	struct rtrstate st;
	int		i;

	(void)state;
	for (i = 0; i < 50; i++) {
		assert_int_equal(rtrstate_init(&st, -1, 1, 4, &iv), 0);
		assert_int_not_equal(st.session[0], st.session[1]);
		assert_int_not_equal(st.session[1], st.session[2]);
		assert_int_not_equal(st.session[0], st.session[2]);
		rtrstate_free(&st);
	}
	assert_int_equal(rtrstate_init(&st, 4242, 1, 4, &iv), 0);
	assert_int_equal(st.session[0], 4242);
	assert_int_equal(st.session[2], 4242);
	rtrstate_free(&st);
}

static void
test_reset_and_unchanged(void **state)
{
	struct rtrstate	 st;
	struct rtrbuf	*out[3], *again[3];
	size_t		 changes;
	uint8_t		 v;

	(void)state;
	assert_int_equal(rtrstate_init(&st, -1, 7, 4, &iv), 0);
	assert_int_equal(rtrstate_update(&st, make_set(0, 100, 64500), NULL,
	    &changes), 1);
	assert_int_equal(st.serial, 7);
	assert_int_equal(changes, 100);
	for (v = 0; v <= 2; v++) {
		assert_int_equal(rtrstate_reset_answer(&st, v, out),
		    RTR_ANSWER_DATA);
		assert_int_equal(out[0]->len, 8);	/* Cache Response */
		assert_int_equal(out[0]->data[1], PDU_CACHE_RESPONSE);
		assert_int_equal((out[0]->data[2] << 8) | out[0]->data[3],
		    st.session[v]);
		assert_int_equal(count_pdus(out[1], v), 100);
		assert_int_equal(out[2]->len, v == 0 ? 12 : 24);
		assert_int_equal(eod_serial(out[2]), 7);
		/* Asked again: the very same shared buffers. */
		assert_int_equal(rtrstate_reset_answer(&st, v, again),
		    RTR_ANSWER_DATA);
		assert_ptr_equal(again[1], out[1]);
		assert_int_equal(out[1]->refs, 3);
		release(again);
		release(out);
	}
	/*
	 * Trimmed while a session still sends the payload: that session's
	 * reference stays good, and the next Reset Query gets the same
	 * bytes, serialized again.
	 */
	assert_int_equal(rtrstate_reset_answer(&st, 1, out), RTR_ANSWER_DATA);
	rtrstate_trim(&st);
	assert_null(st.snapshot[1]);
	assert_int_equal(out[1]->refs, 1);
	assert_int_equal(rtrstate_reset_answer(&st, 1, again),
	    RTR_ANSWER_DATA);
	assert_ptr_not_equal(again[1], out[1]);
	assert_int_equal(again[1]->len, out[1]->len);
	assert_memory_equal(again[1]->data, out[1]->data, out[1]->len);
	assert_int_equal(eod_serial(again[2]), 7);
	release(again);
	release(out);
	/* The same payloads again: no new serial. */
	assert_int_equal(rtrstate_update(&st, make_set(0, 100, 64500), NULL,
	    &changes), 0);
	assert_int_equal(st.serial, 7);
	assert_int_equal(st.nhist, 0);
	rtrstate_free(&st);
}

static void
test_serial_answers(void **state)
{
	struct rtrstate	 st;
	struct rtrbuf	*out[3];
	size_t		 changes;

	(void)state;
	assert_int_equal(rtrstate_init(&st, -1, 1, 4, &iv), 0);
	rtrstate_update(&st, make_set(0, 100, 64500), NULL, NULL);
	assert_int_equal(rtrstate_update(&st, make_set(10, 105, 64500), NULL,
	    &changes), 1);
	assert_int_equal(st.serial, 2);
	assert_int_equal(changes, 15);
	/* From serial 1: 10 withdrawals and 5 announcements. */
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 1,
	    out), RTR_ANSWER_DATA);
	assert_int_equal(count_pdus(out[1], 1), 15);
	assert_int_equal(eod_serial(out[2]), 2);
	release(out);
	/* Current: an empty diff. */
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 2,
	    out), RTR_ANSWER_DATA);
	assert_non_null(out[1]);
	assert_int_equal(out[1]->len, 0);
	release(out);
	/* Another version's session ID, unknown serials: Cache Reset. */
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[0], 1,
	    out), RTR_ANSWER_RESET);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 99,
	    out), RTR_ANSWER_RESET);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 0,
	    out), RTR_ANSWER_RESET);
	rtrstate_free(&st);
}

/* k updates behind: one coalesced diff, byte for byte diff(A, now). */
static void
test_coalescing(void **state)
{
	struct rtrstate	 st;
	struct rtrbuf	*out[3];
	struct vrpset	*first, *last;
	struct vrpdiff	 d;
	struct buf	 b = { 0 };
	int		 i;

	(void)state;
	assert_int_equal(rtrstate_init(&st, -1, 1, 8, &iv), 0);
	first = make_set(0, 50, 64500);
	rtrstate_update(&st, vrpset_ref(first), NULL, NULL);
	for (i = 1; i <= 5; i++) {
		/* Shift the window: some entries come and go again. */
		assert_int_equal(rtrstate_update(&st, make_set(i * 3,
		    50 + (i % 2) * 10, 64500), NULL, NULL), 1);
	}
	assert_int_equal(st.serial, 6);
	assert_int_equal(st.nhist, 5);
	last = vrpset_ref(st.set);
	assert_int_equal(vrpset_diff(first, last, &d), 0);
	pdu_put_diff(&b, 1, ASPA_PDU_DRAFT10, &d);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 1,
	    out), RTR_ANSWER_DATA);
	assert_int_equal(out[1]->len, b.len);
	assert_memory_equal(out[1]->data, b.data, b.len);
	assert_int_equal(count_pdus(out[1], 1), vrpdiff_count(&d));
	release(out);
	/* Every kept serial gets its own exact diff. */
	for (i = 2; i <= 5; i++) {
		assert_int_equal(rtrstate_serial_answer(&st, 0, st.session[0],
		    (uint32_t)i, out), RTR_ANSWER_DATA);
		assert_int_equal(eod_serial(out[2]), 6);
		release(out);
	}
	buf_free(&b);
	vrpdiff_free(&d);
	vrpset_unref(first);
	vrpset_unref(last);
	rtrstate_free(&st);
}

static void
test_history_bound(void **state)
{
	struct rtrstate	 st;
	struct rtrbuf	*out[3];
	int		 i;

	(void)state;
	assert_int_equal(rtrstate_init(&st, -1, 1, 2, &iv), 0);
	for (i = 0; i < 5; i++)
		rtrstate_update(&st, make_set(0, 10 + i, 64500), NULL, NULL);
	assert_int_equal(st.serial, 5);
	assert_int_equal(st.nhist, 2);
	/* Serials 3 and 4 are kept; 1 and 2 fell out: Cache Reset. */
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 2,
	    out), RTR_ANSWER_RESET);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 3,
	    out), RTR_ANSWER_DATA);
	assert_int_equal(count_pdus(out[1], 1), 2);
	release(out);
	rtrstate_free(&st);

	/* No history at all: everything but "current" resets. */
	assert_int_equal(rtrstate_init(&st, -1, 1, 0, &iv), 0);
	rtrstate_update(&st, make_set(0, 10, 64500), NULL, NULL);
	rtrstate_update(&st, make_set(0, 11, 64500), NULL, NULL);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 1,
	    out), RTR_ANSWER_RESET);
	rtrstate_free(&st);
}

/* RFC 1982: the serial wraps past 2^32-1 and diffs still work. */
static void
test_serial_wrap(void **state)
{
	struct rtrstate	 st;
	struct rtrbuf	*out[3];

	(void)state;
	assert_int_equal(rtrstate_init(&st, -1, 0xfffffffeU, 4, &iv), 0);
	rtrstate_update(&st, make_set(0, 10, 64500), NULL, NULL);
	assert_int_equal(st.serial, 0xfffffffeU);
	rtrstate_update(&st, make_set(0, 11, 64500), NULL, NULL);
	assert_int_equal(st.serial, 0xffffffffU);
	rtrstate_update(&st, make_set(0, 12, 64500), NULL, NULL);
	assert_int_equal(st.serial, 0);
	rtrstate_update(&st, make_set(0, 13, 64500), NULL, NULL);
	assert_int_equal(st.serial, 1);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1],
	    0xfffffffeU, out), RTR_ANSWER_DATA);
	assert_int_equal(count_pdus(out[1], 1), 3);
	assert_int_equal(eod_serial(out[2]), 1);
	release(out);

	assert_true(serial_cmp(0xffffffffU, 0) < 0);
	assert_true(serial_cmp(0, 0xffffffffU) > 0);
	assert_true(serial_cmp(5, 5) == 0);
	assert_true(serial_cmp(1, 0x80000001U) == 0);	/* undefined */
	assert_true(serial_cmp(1, 0x7fffffffU) < 0);
	rtrstate_free(&st);
}

static void
test_useserial_and_clear(void **state)
{
	struct rtrstate	 st;
	struct rtrbuf	*out[3];
	uint32_t	 s = 1000;

	(void)state;
	assert_int_equal(rtrstate_init(&st, -1, 1, 4, &iv), 0);
	rtrstate_update(&st, make_set(0, 10, 64500), &s, NULL);
	assert_int_equal(st.serial, 1000);
	rtrstate_update(&st, make_set(0, 11, 64500), NULL, NULL);
	assert_int_equal(st.serial, 1001);
	assert_int_equal(rtrstate_serial_answer(&st, 2, st.session[2], 1000,
	    out), RTR_ANSWER_DATA);
	release(out);
	/* Expired data is dropped: back to "No Data Available". */
	rtrstate_clear(&st);
	assert_int_equal(rtrstate_reset_answer(&st, 1, out),
	    RTR_ANSWER_NODATA);
	rtrstate_update(&st, make_set(0, 11, 64500), NULL, NULL);
	assert_int_equal(st.serial, 1002);
	assert_int_equal(rtrstate_serial_answer(&st, 1, st.session[1], 1001,
	    out), RTR_ANSWER_RESET);
	rtrstate_free(&st);
}

static void
test_notify(void **state)
{
	struct rtrstate	 st;
	struct rtrbuf	*n1, *n2;
	struct pdu	 p;
	struct err	 e;
	int		 code;

	(void)state;
	assert_int_equal(rtrstate_init(&st, 77, 1, 4, &iv), 0);
	rtrstate_update(&st, make_set(0, 10, 64500), NULL, NULL);
	n1 = rtrstate_notify(&st, 1);
	n2 = rtrstate_notify(&st, 1);
	assert_ptr_equal(n1, n2);
	assert_int_equal(pdu_decode(n1->data, n1->len, ASPA_PDU_DRAFT10, &p,
	    &code, &e), 0);
	assert_int_equal(p.hdr.type, PDU_SERIAL_NOTIFY);
	assert_int_equal(p.hdr.field, 77);
	assert_int_equal(p.u.serial, 1);
	rtrbuf_unref(n1);
	rtrbuf_unref(n2);
	rtrstate_update(&st, make_set(0, 11, 64500), NULL, NULL);
	n1 = rtrstate_notify(&st, 1);
	assert_int_equal(pdu_decode(n1->data, n1->len, ASPA_PDU_DRAFT10, &p,
	    &code, &e), 0);
	assert_int_equal(p.u.serial, 2);
	rtrbuf_unref(n1);
	rtrstate_free(&st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_sessions_distinct),
		cmocka_unit_test(test_reset_and_unchanged),
		cmocka_unit_test(test_serial_answers),
		cmocka_unit_test(test_coalescing),
		cmocka_unit_test(test_history_bound),
		cmocka_unit_test(test_serial_wrap),
		cmocka_unit_test(test_useserial_and_clear),
		cmocka_unit_test(test_notify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
