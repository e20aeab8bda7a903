/*
 * pdu_put.c - encoding single RTR PDUs into a struct buf, in network
 * byte order, written straight into reserved space.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdu.h"
#include "pdu_impl.h"

/* ---- encoding ---------------------------------------------------------- */

static void
put_hdr(uint8_t *p, uint8_t ver, uint8_t type, uint16_t field, size_t len)
{
	struct wire_hdr h;

	h.version = ver;
	h.type = type;
	h.field = htons(field);
	h.length = htonl((uint32_t)len);
	memcpy(p, &h, sizeof(h));
}

static void
put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, sizeof(v));
}

/* Make room for n bytes at the end of b; NULL if out of memory. */
uint8_t *
put_begin(struct buf *b, size_t n)
{
	return (uint8_t *)buf_reserve(b, n);
}

/* Account for n bytes written at put_begin()'s pointer. */
void
put_end(struct buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

/* A PDU of a header and up to one 32-bit word. */
static void
put_small(struct buf *b, uint8_t ver, uint8_t type, uint16_t field,
    int has_word, uint32_t word)
{
	size_t	 len = PDU_HDR_LEN + (has_word ? 4 : 0);
	uint8_t	*p;

	if ((p = put_begin(b, len)) == NULL)
		return;
	put_hdr(p, ver, type, field, len);
	if (has_word)
		put32(p + PDU_HDR_LEN, word);
	put_end(b, len);
}

void
pdu_put_serial_notify(struct buf *b, uint8_t ver, uint16_t session,
    uint32_t serial)
{
	put_small(b, ver, PDU_SERIAL_NOTIFY, session, 1, serial);
}

void
pdu_put_serial_query(struct buf *b, uint8_t ver, uint16_t session,
    uint32_t serial)
{
	put_small(b, ver, PDU_SERIAL_QUERY, session, 1, serial);
}

void
pdu_put_reset_query(struct buf *b, uint8_t ver)
{
	put_small(b, ver, PDU_RESET_QUERY, 0, 0, 0);
}

void
pdu_put_cache_response(struct buf *b, uint8_t ver, uint16_t session)
{
	put_small(b, ver, PDU_CACHE_RESPONSE, session, 0, 0);
}

void
pdu_put_cache_reset(struct buf *b, uint8_t ver)
{
	put_small(b, ver, PDU_CACHE_RESET, 0, 0, 0);
}

void
pdu_put_end_of_data(struct buf *b, uint8_t ver, uint16_t session,
    uint32_t serial, uint32_t refresh, uint32_t retry, uint32_t expire)
{
	struct wire_eod	 eod;
	uint8_t		*p;

	if (ver == 0) {
		put_small(b, ver, PDU_END_OF_DATA, session, 1, serial);
		return;
	}
	if ((p = put_begin(b, PDU_EOD_V1_LEN)) == NULL)
		return;
	put_hdr(p, ver, PDU_END_OF_DATA, session, PDU_EOD_V1_LEN);
	eod.serial = htonl(serial);
	eod.refresh = htonl(refresh);
	eod.retry = htonl(retry);
	eod.expire = htonl(expire);
	memcpy(p + PDU_HDR_LEN, &eod, sizeof(eod));
	put_end(b, PDU_EOD_V1_LEN);
}

/* Length of the prefix PDU for v, 0 for an unknown AFI. */
static size_t
vrp_pdu_len(const struct vrp *v)
{
	if (v->afi == AFI_IPV4)
		return PDU_IPV4_LEN;
	if (v->afi == AFI_IPV6)
		return PDU_IPV6_LEN;
	return 0;
}

/* Write the prefix PDU for v at p; returns its length. */
size_t
write_vrp(uint8_t *p, uint8_t ver, uint8_t flags, const struct vrp *v)
{
	struct wire_prefix4	w4;
	struct wire_prefix6	w6;

	if (v->afi == AFI_IPV4) {
		put_hdr(p, ver, PDU_IPV4_PREFIX, 0, PDU_IPV4_LEN);
		w4.flags = flags;
		w4.plen = v->plen;
		w4.maxlen = v->maxlen;
		w4.zero = 0;
		memcpy(w4.addr, v->addr, sizeof(w4.addr));
		w4.asn = htonl(v->asn);
		memcpy(p + PDU_HDR_LEN, &w4, sizeof(w4));
		return PDU_IPV4_LEN;
	}
	put_hdr(p, ver, PDU_IPV6_PREFIX, 0, PDU_IPV6_LEN);
	w6.flags = flags;
	w6.plen = v->plen;
	w6.maxlen = v->maxlen;
	w6.zero = 0;
	memcpy(w6.addr, v->addr, sizeof(w6.addr));
	w6.asn = htonl(v->asn);
	memcpy(p + PDU_HDR_LEN, &w6, sizeof(w6));
	return PDU_IPV6_LEN;
}

void
pdu_put_vrp(struct buf *b, uint8_t ver, uint8_t flags, const struct vrp *v)
{
	size_t	 len;
	uint8_t	*p;

	if ((len = vrp_pdu_len(v)) == 0 || (p = put_begin(b, len)) == NULL)
		return;
	write_vrp(p, ver, flags, v);
	put_end(b, len);
}

/* Length of a Router Key PDU, 0 if it cannot be sent in version ver. */
size_t
rkey_pdu_len(uint8_t ver, size_t spkilen)
{
	if (ver < 1 || spkilen > PDU_MAX_LEN - PDU_RKEY_MIN_LEN)
		return 0;
	return PDU_RKEY_MIN_LEN + spkilen;
}

size_t
write_rkey(uint8_t *p, uint8_t ver, uint8_t flags, uint32_t asn,
    const uint8_t ski[SKI_LEN], const uint8_t *spki, size_t spkilen)
{
	struct wire_rkey rk;

	/* RFC 8210 section 5.10: Flags and a zero octet share the field. */
	put_hdr(p, ver, PDU_ROUTER_KEY, (uint16_t)flags << 8,
	    PDU_RKEY_MIN_LEN + spkilen);
	memcpy(rk.ski, ski, SKI_LEN);
	rk.asn = htonl(asn);
	memcpy(p + PDU_HDR_LEN, &rk, sizeof(rk));
	if (spkilen > 0)
		memcpy(p + PDU_RKEY_MIN_LEN, spki, spkilen);
	return PDU_RKEY_MIN_LEN + spkilen;
}

size_t
pdu_put_rkey(struct buf *b, uint8_t ver, uint8_t flags, uint32_t asn,
    const uint8_t ski[SKI_LEN], const uint8_t *spki, size_t spkilen)
{
	size_t	 len;
	uint8_t	*p;

	if ((len = rkey_pdu_len(ver, spkilen)) == 0 ||
	    (p = put_begin(b, len)) == NULL)
		return 0;
	write_rkey(p, ver, flags, asn, ski, spki, spkilen);
	put_end(b, len);
	return 1;
}

/*
 * The provider list an ASPA PDU carries.  A withdrawal carries none
 * (8210bis section 5.12).  In the current layout an announcement needs at
 * least one provider and no AS0 among several (same section): a set may
 * hold a customer with no providers, which means what AS0 alone means,
 * and section 10 has caches leave AS0 out of a union with real providers.
 */
static const uint32_t *
aspa_providers(enum aspa_pdu_format fmt, uint8_t flags, const uint32_t *pr,
    size_t *n)
{
	static const uint32_t as0 = 0;

	if ((flags & PDU_FLAG_ANNOUNCE) == 0) {
		*n = 0;
		return pr;
	}
	if (fmt == ASPA_PDU_DRAFT10)
		return pr;
	if (*n == 0) {
		*n = 1;
		return &as0;
	}
	if (*n > 1 && pr[0] == 0) {
		(*n)--;
		return pr + 1;
	}
	return pr;
}

/*
 * Bytes and PDUs of the ASPA record(s) for one customer; draft-10 writes
 * one PDU per address family.  0 when ver < 2 or too long for one PDU.
 */
size_t
aspa_bytes(uint8_t ver, enum aspa_pdu_format fmt, uint8_t flags,
    const uint32_t *pr, size_t n, size_t *npdus)
{
	size_t one;

	*npdus = 0;
	if (ver < 2)
		return 0;
	(void)aspa_providers(fmt, flags, pr, &n);
	one = fmt == ASPA_PDU_DRAFT10 ? ASPA_DRAFT10_FIXED_LEN :
	    ASPA_CURRENT_FIXED_LEN;
	if (n > (PDU_MAX_LEN - one) / 4)
		return 0;
	one += 4 * n;
	*npdus = fmt == ASPA_PDU_DRAFT10 ? 2 : 1;
	return *npdus * one;
}

size_t
write_aspa(uint8_t *p, uint8_t ver, enum aspa_pdu_format fmt, uint8_t flags,
    uint32_t customer, const uint32_t *providers, size_t n)
{
	struct wire_aspa10	 w;
	uint8_t			*start = p;
	size_t			 i, len;
	uint8_t			 afi;

	providers = aspa_providers(fmt, flags, providers, &n);
	if (fmt != ASPA_PDU_DRAFT10) {
		len = ASPA_CURRENT_FIXED_LEN + 4 * n;
		put_hdr(p, ver, PDU_ASPA, (uint16_t)flags << 8, len);
		put32(p + PDU_HDR_LEN, customer);
		for (i = 0; i < n; i++)
			put32(p + ASPA_CURRENT_FIXED_LEN + 4 * i, providers[i]);
		return len;
	}
	len = ASPA_DRAFT10_FIXED_LEN + 4 * n;
	for (afi = 0; afi <= ASPA_AFI_IPV6; afi++) {
		put_hdr(p, ver, PDU_ASPA, 0, len);
		w.flags = flags;
		w.afi_flags = afi;
		w.count = htons((uint16_t)n);
		w.customer = htonl(customer);
		memcpy(p + PDU_HDR_LEN, &w, sizeof(w));
		for (i = 0; i < n; i++)
			put32(p + ASPA_DRAFT10_FIXED_LEN + 4 * i, providers[i]);
		p += len;
	}
	return (size_t)(p - start);
}

size_t
pdu_put_aspa(struct buf *b, uint8_t ver, enum aspa_pdu_format fmt,
    uint8_t flags, uint32_t customer, const uint32_t *providers, size_t n)
{
	size_t	 len, npdus;
	uint8_t	*p;

	if ((len = aspa_bytes(ver, fmt, flags, providers, n, &npdus)) == 0 ||
	    (p = put_begin(b, len)) == NULL)
		return 0;
	write_aspa(p, ver, fmt, flags, customer, providers, n);
	put_end(b, len);
	return npdus;
}

void
pdu_put_error(struct buf *b, uint8_t ver, uint16_t code, const uint8_t *pdu,
    size_t pdulen, const char *text)
{
	size_t	 textlen, room, len;
	uint8_t	*p;

	textlen = text != NULL ? strlen(text) : 0;
	if (pdu == NULL)
		pdulen = 0;
	room = PDU_MAX_LEN - PDU_ERROR_MIN_LEN;
	if (pdulen > room)
		pdulen = room;
	if (textlen > room - pdulen) {
		textlen = room - pdulen;
		/* Do not cut a UTF-8 sequence (8210bis section 5.8). */
		while (textlen > 0 && ((uint8_t)text[textlen] & 0xc0) == 0x80)
			textlen--;
	}
	len = PDU_ERROR_MIN_LEN + pdulen + textlen;
	if ((p = put_begin(b, len)) == NULL)
		return;
	put_hdr(p, ver, PDU_ERROR_REPORT, code, len);
	put32(p + PDU_HDR_LEN, (uint32_t)pdulen);
	if (pdulen > 0)
		memcpy(p + PDU_HDR_LEN + 4, pdu, pdulen);
	put32(p + PDU_HDR_LEN + 4 + pdulen, (uint32_t)textlen);
	if (textlen > 0)
		memcpy(p + PDU_ERROR_MIN_LEN + pdulen, text, textlen);
	put_end(b, len);
}
