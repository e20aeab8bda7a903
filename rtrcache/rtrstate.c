/*
 * rtrstate.c - serial, history and shared serialized answers.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "pdu.h"
#include "rtrstate.h"

int
serial_cmp(uint32_t a, uint32_t b)
{
	/* RFC 1982 section 3.2, SERIAL_BITS = 32. */
	if (a == b || (a ^ b) == 0x80000000U)
		return 0;
	return (int32_t)(a - b) < 0 ? -1 : 1;
}

/*
 * Random session IDs, one per version and distinct from each other, so a
 * router that changes version cannot mistake one session for another
 * (RFC 8210 section 5.1).
 */
static void
pick_sessions(struct rtrstate *st)
{
	uint16_t	r;
	size_t		v, n = 0;

	while (n < RTR_NVERSIONS) {
		if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
			r = (uint16_t)(time(NULL) ^ getpid()) + (uint16_t)n;
		for (v = 0; v < n; v++)
			if (st->session[v] == r)
				break;
		if (v == n)
			st->session[n++] = r;
	}
}

int
rtrstate_init(struct rtrstate *st, long session_id, uint32_t serial,
    size_t maxhist, const struct rtr_intervals *iv)
{
	struct buf	b = { 0 };
	size_t		v;

	memset(st, 0, sizeof(*st));
	if (session_id < 0)
		pick_sessions(st);
	else
		for (v = 0; v < RTR_NVERSIONS; v++)
			st->session[v] = (uint16_t)session_id;
	/* The first update advances to `serial`. */
	st->serial = serial - 1;
	st->maxhist = maxhist;
	st->iv = *iv;
	if ((st->hist = calloc(maxhist + 1, sizeof(*st->hist))) == NULL)
		return -1;
	buf_reserve(&b, 1);
	if ((st->empty = rtrbuf_from(&b)) == NULL) {
		free(st->hist);
		return -1;
	}
	buf_free(&b);
	return 0;
}

/* Drop everything serialized for the current serial. */
static void
drop_wire(struct rtrstate *st)
{
	size_t v;

	for (v = 0; v < RTR_NVERSIONS; v++) {
		rtrbuf_set(&st->snapshot[v], NULL);
		rtrbuf_set(&st->cresp[v], NULL);
		rtrbuf_set(&st->eod[v], NULL);
		rtrbuf_set(&st->notify[v], NULL);
	}
}

void
rtrstate_trim(struct rtrstate *st)
{
	drop_wire(st);
}

static void
hist_release(struct rtrhist *h)
{
	size_t v;

	vrpdiff_free(&h->diff);
	for (v = 0; v < RTR_NVERSIONS; v++)
		rtrbuf_set(&h->wire[v], NULL);
}

void
rtrstate_clear(struct rtrstate *st)
{
	size_t i;

	drop_wire(st);
	for (i = 0; i < st->nhist; i++)
		hist_release(&st->hist[i]);
	st->nhist = 0;
	vrpset_unref(st->set);
	st->set = NULL;
	st->has_data = 0;
}

void
rtrstate_free(struct rtrstate *st)
{
	rtrstate_clear(st);
	rtrbuf_unref(st->empty);
	free(st->hist);
	memset(st, 0, sizeof(*st));
}

/*
 * Extend every kept diff by d (to the new serial) and add d itself as
 * the entry for the old serial, dropping the oldest beyond maxhist.  All
 * or nothing: on out of memory the history is left as it was.
 */
static int
hist_advance(struct rtrstate *st, struct vrpdiff *d)
{
	struct vrpdiff	*next;
	size_t		 i, v;

	if (st->maxhist == 0) {
		vrpdiff_free(d);
		return 0;
	}
	if ((next = calloc(st->nhist + 1, sizeof(*next))) == NULL)
		return -1;
	for (i = 0; i < st->nhist; i++) {
		if (vrpdiff_compose(&st->hist[i].diff, d, &next[i]) == -1) {
			while (i-- > 0)
				vrpdiff_free(&next[i]);
			free(next);
			return -1;
		}
	}
	for (i = 0; i < st->nhist; i++) {
		vrpdiff_free(&st->hist[i].diff);
		st->hist[i].diff = next[i];
		for (v = 0; v < RTR_NVERSIONS; v++)
			rtrbuf_set(&st->hist[i].wire[v], NULL);
	}
	free(next);
	if (st->nhist == st->maxhist) {
		hist_release(&st->hist[0]);
		memmove(&st->hist[0], &st->hist[1],
		    (st->nhist - 1) * sizeof(*st->hist));
		st->nhist--;
	}
	memset(&st->hist[st->nhist], 0, sizeof(*st->hist));
	st->hist[st->nhist].from = st->serial;
	st->hist[st->nhist].diff = *d;
	st->nhist++;
	return 0;
}

int
rtrstate_update(struct rtrstate *st, struct vrpset *set,
    const uint32_t *serial, size_t *changes)
{
	struct vrpdiff d;

	if (changes != NULL)
		*changes = 0;
	if (!st->has_data) {
		st->set = set;
		st->has_data = 1;
		st->serial = serial != NULL ? *serial : st->serial + 1;
		drop_wire(st);
		if (changes != NULL)
			*changes = set->nvrps + set->naspas + set->nrkeys;
		return 1;
	}
	if (vrpset_diff(st->set, set, &d) == -1)
		return -1;
	if (vrpdiff_count(&d) == 0) {
		vrpdiff_free(&d);
		vrpset_unref(set);
		return 0;
	}
	if (changes != NULL)
		*changes = vrpdiff_count(&d);
	if (hist_advance(st, &d) == -1) {
		vrpdiff_free(&d);
		return -1;
	}
	vrpset_unref(st->set);
	st->set = set;
	st->serial = serial != NULL ? *serial : st->serial + 1;
	drop_wire(st);
	return 1;
}

/* Build *slot from b if it is not there yet; 0, or -1 on out of memory. */
static int
wire_fill(struct rtrbuf **slot, struct buf *b)
{
	if (*slot == NULL && (*slot = rtrbuf_from(b)) == NULL)
		return -1;
	return 0;
}

/* The Cache Response and End of Data for the current serial. */
static int
frame_fill(struct rtrstate *st, uint8_t ver)
{
	struct buf	b = { 0 };
	int		rc = -1;

	if (st->cresp[ver] == NULL) {
		pdu_put_cache_response(&b, ver, st->session[ver]);
		if (wire_fill(&st->cresp[ver], &b) == -1)
			goto out;
	}
	if (st->eod[ver] == NULL) {
		pdu_put_end_of_data(&b, ver, st->session[ver], st->serial,
		    st->iv.refresh, st->iv.retry, st->iv.expire);
		if (wire_fill(&st->eod[ver], &b) == -1)
			goto out;
	}
	rc = 0;
 out:
	buf_free(&b);
	return rc;
}

static void
answer_refs(struct rtrstate *st, uint8_t ver, struct rtrbuf *payload,
    struct rtrbuf *out[3])
{
	out[0] = rtrbuf_ref(st->cresp[ver]);
	out[1] = rtrbuf_ref(payload);
	out[2] = rtrbuf_ref(st->eod[ver]);
}

enum rtr_answer
rtrstate_reset_answer(struct rtrstate *st, uint8_t ver, struct rtrbuf *out[3])
{
	struct buf b = { 0 };

	if (!st->has_data)
		return RTR_ANSWER_NODATA;
	if (frame_fill(st, ver) == -1)
		return RTR_ANSWER_ERROR;
	if (st->snapshot[ver] == NULL) {
		pdu_put_set(&b, ver, (enum aspa_pdu_format)st->aspa_format,
		    PDU_FLAG_ANNOUNCE, st->set);
		if (wire_fill(&st->snapshot[ver], &b) == -1) {
			buf_free(&b);
			return RTR_ANSWER_ERROR;
		}
		buf_free(&b);
	}
	answer_refs(st, ver, st->snapshot[ver], out);
	return RTR_ANSWER_DATA;
}

enum rtr_answer
rtrstate_serial_answer(struct rtrstate *st, uint8_t ver, uint16_t session,
    uint32_t serial, struct rtrbuf *out[3])
{
	struct rtrhist	*h = NULL;
	struct buf	 b = { 0 };
	size_t		 i;

	if (!st->has_data)
		return RTR_ANSWER_NODATA;
	if (session != st->session[ver])
		return RTR_ANSWER_RESET;
	if (frame_fill(st, ver) == -1)
		return RTR_ANSWER_ERROR;
	if (serial == st->serial) {
		answer_refs(st, ver, st->empty, out);
		return RTR_ANSWER_DATA;
	}
	for (i = 0; i < st->nhist; i++)
		if (st->hist[i].from == serial)
			h = &st->hist[i];
	if (h == NULL)
		return RTR_ANSWER_RESET;
	if (h->wire[ver] == NULL) {
		pdu_put_diff(&b, ver, (enum aspa_pdu_format)st->aspa_format,
		    &h->diff);
		if (wire_fill(&h->wire[ver], &b) == -1) {
			buf_free(&b);
			return RTR_ANSWER_ERROR;
		}
		buf_free(&b);
	}
	answer_refs(st, ver, h->wire[ver], out);
	return RTR_ANSWER_DATA;
}

struct rtrbuf *
rtrstate_notify(struct rtrstate *st, uint8_t ver)
{
	struct buf b = { 0 };

	if (st->notify[ver] == NULL) {
		pdu_put_serial_notify(&b, ver, st->session[ver], st->serial);
		st->notify[ver] = rtrbuf_from(&b);
		buf_free(&b);
	}
	return rtrbuf_ref(st->notify[ver]);
}
