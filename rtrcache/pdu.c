/*
 * pdu.c - the RPKI-to-Router PDU codec: RFC 6810 (version 0), RFC 8210
 * (version 1) and draft-ietf-sidrops-8210bis (version 2).
 *
 * Wire layouts are plain structs below, copied out of and into buffers
 * with memcpy and converted with ntohl/htonl; nothing is cast in place.
 * pdu_decode() fixes the exact length of every type and version in one
 * switch (pdu_want_len), then unpacks.
 *
 * pdu_put_set() serializes a whole payload set into one reserved block
 * (the 800k-VRP snapshot every router of a version shares), so it writes
 * PDUs straight into the buffer and allocates only a small index for the
 * router keys.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdu.h"
#include "pdu_impl.h"

#define PDU_NTYPES	12

static const char *const type_names[PDU_NTYPES] = {
	"Serial Notify", "Serial Query", "Reset Query", "Cache Response",
	"IPv4 Prefix", NULL, "IPv6 Prefix", "End of Data", "Cache Reset",
	"Router Key", "Error Report", "ASPA",
};

/* IANA rpki-rtr-error, as listed in 8210bis section 14. */
static const char *const err_names[] = {
	"Corrupt Data", "Internal Error", "No Data Available",
	"Invalid Request", "Unsupported Protocol Version",
	"Unsupported PDU Type", "Withdrawal of Unknown Record",
	"Duplicate Announcement Received", "Unexpected Protocol Version",
	"ASPA Provider List Error", "Transport Failure", "Ordering Error",
	"Cache Restart", "Cache Shutdown",
};

/*
 * The document and section defining each PDU type in each version, for
 * diagnostics: RFC 6810 and RFC 8210 number the PDUs alike, 8210bis-27
 * regrouped them.
 */
static const char *const spec_doc[RTR_VERSION_MAX + 1] = {
	"RFC 6810", "RFC 8210", "8210bis",
};
static const char *const spec_sec[RTR_VERSION_MAX + 1][PDU_NTYPES] = {
	{ "5.2", "5.3", "5.4", "5.5", "5.6", "5", "5.7", "5.8", "5.9",
	    "5", "5.10", "5" },
	{ "5.2", "5.3", "5.4", "5.5", "5.6", "5", "5.7", "5.8", "5.9",
	    "5.10", "5.11", "5" },
	{ "5.2", "5.3", "5.4", "5.5", "5.9", "5", "5.10", "5.7", "5.6",
	    "5.11", "5.8", "5.12" },
};

const char *
pdu_type_name(int type)
{
	if (type < 0 || type >= PDU_NTYPES || type_names[type] == NULL)
		return "unknown";
	return type_names[type];
}

const char *
rtr_errcode_name(int code)
{
	if (code < 0 || code >= (int)(sizeof(err_names) / sizeof(err_names[0])))
		return "unknown";
	return err_names[code];
}

int
rtr_errcode_valid(uint8_t ver, int code)
{
	static const int last[RTR_VERSION_MAX + 1] = {
		RTR_ERR_DUPLICATE_ANNOUNCE,	/* RFC 6810 section 10 */
		RTR_ERR_UNEXPECTED_VERSION,	/* RFC 8210 section 12 */
		RTR_ERR_CACHE_SHUTDOWN,		/* 8210bis section 12 */
	};

	if (ver > RTR_VERSION_MAX)
		return 0;
	return code >= 0 && code <= last[ver];
}

/* "RFC 8210 section 5.6: IPv4 Prefix" for a PDU of a known version. */
static const char *
spec_where(const struct pdu_hdr *h, char *buf, size_t sz)
{
	uint8_t v = h->version > RTR_VERSION_MAX ? RTR_VERSION_MAX : h->version;
	const char *sec = h->type < PDU_NTYPES ? spec_sec[v][h->type] : "5";

	snprintf(buf, sz, "%s section %s: %s", spec_doc[v], sec,
	    pdu_type_name(h->type));
	return buf;
}

/* ---- decoding ---------------------------------------------------------- */

int
pdu_peek(const uint8_t *buf, size_t len, struct pdu_hdr *hdr)
{
	struct wire_hdr w;

	if (len < PDU_HDR_LEN)
		return 0;
	memcpy(&w, buf, sizeof(w));
	hdr->version = w.version;
	hdr->type = w.type;
	hdr->field = ntohs(w.field);
	hdr->length = ntohl(w.length);
	if (hdr->length < PDU_HDR_LEN || hdr->length > PDU_MAX_LEN)
		return -1;
	return 1;
}

/*
 * The one switch fixing the length of each PDU type in version h->version:
 * sets *want and *exact (0: *want is a minimum), or returns -1 with *code
 * and e set for a type this version does not have.
 */
static int
pdu_want_len(const struct pdu_hdr *h, enum aspa_pdu_format fmt,
    size_t *want, int *exact, int *code, struct err *e)
{
	*exact = 1;
	switch (h->type) {
	case PDU_SERIAL_NOTIFY:
	case PDU_SERIAL_QUERY:
		*want = PDU_SERIAL_LEN;
		return 0;
	case PDU_RESET_QUERY:
	case PDU_CACHE_RESPONSE:
	case PDU_CACHE_RESET:
		*want = PDU_EMPTY_LEN;
		return 0;
	case PDU_IPV4_PREFIX:
		*want = PDU_IPV4_LEN;
		return 0;
	case PDU_IPV6_PREFIX:
		*want = PDU_IPV6_LEN;
		return 0;
	case PDU_END_OF_DATA:
		/* RFC 8210 section 5.8: the intervals are new in v1. */
		*want = h->version == 0 ? PDU_EOD_V0_LEN : PDU_EOD_V1_LEN;
		return 0;
	case PDU_ROUTER_KEY:
		if (h->version < 1)
			break;
		*want = PDU_RKEY_MIN_LEN + 1;
		*exact = 0;
		return 0;
	case PDU_ERROR_REPORT:
		*want = PDU_ERROR_MIN_LEN;
		*exact = 0;
		return 0;
	case PDU_ASPA:
		if (h->version < 2)
			break;
		*want = fmt == ASPA_PDU_DRAFT10 ? ASPA_DRAFT10_FIXED_LEN :
		    ASPA_CURRENT_FIXED_LEN;
		*exact = 0;
		return 0;
	default:
		*code = RTR_ERR_UNSUPPORTED_TYPE;
		return err_set(e, "%s section 5: PDU type %u is not assigned",
		    spec_doc[h->version], h->type);
	}
	/* 8210bis section 14: type 9 is reserved in v0, 11 in v0 and v1. */
	*code = RTR_ERR_UNSUPPORTED_TYPE;
	return err_set(e, "8210bis section 14: %s: PDU type %u does not exist "
	    "in protocol version %u", pdu_type_name(h->type), h->type,
	    h->version);
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ntohl(v);
}

/* 1 if any bit of addr past plen (of width bits) is set. */
static int
host_bits_set(const uint8_t *addr, int plen, int width)
{
	int i;

	if (plen % 8 != 0 && (addr[plen / 8] & (0xff >> (plen % 8))) != 0)
		return 1;
	for (i = (plen + 7) / 8; i < width / 8; i++)
		if (addr[i] != 0)
			return 1;
	return 0;
}

static int
decode_prefix(const uint8_t *buf, struct pdu *p, int *code, struct err *e)
{
	struct wire_prefix4	w4;
	struct wire_prefix6	w6;
	char			where[64];
	int			width;

	spec_where(&p->hdr, where, sizeof(where));
	if (p->hdr.type == PDU_IPV4_PREFIX) {
		memcpy(&w4, buf + PDU_HDR_LEN, sizeof(w4));
		p->u.prefix.afi = AFI_IPV4;
		p->u.prefix.flags = w4.flags;
		p->u.prefix.plen = w4.plen;
		p->u.prefix.maxlen = w4.maxlen;
		memcpy(p->u.prefix.addr, w4.addr, sizeof(w4.addr));
		p->u.prefix.asn = ntohl(w4.asn);
		width = 32;
	} else {
		memcpy(&w6, buf + PDU_HDR_LEN, sizeof(w6));
		p->u.prefix.afi = AFI_IPV6;
		p->u.prefix.flags = w6.flags;
		p->u.prefix.plen = w6.plen;
		p->u.prefix.maxlen = w6.maxlen;
		memcpy(p->u.prefix.addr, w6.addr, sizeof(w6.addr));
		p->u.prefix.asn = ntohl(w6.asn);
		width = 128;
	}
	*code = RTR_ERR_CORRUPT;
	if (p->u.prefix.maxlen > width)
		return err_set(e, "%s: max length: want <= %d, have %u",
		    where, width, p->u.prefix.maxlen);
	/* RFC 8210 section 5.1: max length not less than prefix length. */
	if (p->u.prefix.plen > p->u.prefix.maxlen)
		return err_set(e, "%s: prefix length: want <= max length %u, "
		    "have %u", where, p->u.prefix.maxlen, p->u.prefix.plen);
	/* 8210bis section 5.9: the router MUST check the unused bits. */
	if (p->hdr.version >= 2 &&
	    host_bits_set(p->u.prefix.addr, p->u.prefix.plen, width))
		return err_set(e, "%s: prefix: want zero bits past /%u, have "
		    "some set", where, p->u.prefix.plen);
	return 0;
}

static int
decode_error(const uint8_t *buf, size_t len, struct pdu *p, int *code,
    struct err *e)
{
	char	 where[64];
	size_t	 pdulen, textlen;

	spec_where(&p->hdr, where, sizeof(where));
	*code = RTR_ERR_CORRUPT;
	p->u.error.code = p->hdr.field;
	pdulen = get32(buf + PDU_HDR_LEN);
	if (pdulen > len - PDU_ERROR_MIN_LEN)
		return err_set(e, "%s: length of encapsulated PDU: want <= "
		    "%zu, have %zu", where, len - PDU_ERROR_MIN_LEN, pdulen);
	textlen = get32(buf + PDU_HDR_LEN + 4 + pdulen);
	if (textlen != len - PDU_ERROR_MIN_LEN - pdulen)
		return err_set(e, "%s: length of text: want %zu, have %zu",
		    where, len - PDU_ERROR_MIN_LEN - pdulen, textlen);
	p->u.error.pdu = buf + PDU_HDR_LEN + 4;
	p->u.error.pdulen = pdulen;
	p->u.error.text = (const char *)buf + PDU_ERROR_MIN_LEN + pdulen;
	p->u.error.textlen = textlen;
	return 0;
}

/* 8210bis section 5.12: the provider list of a current-layout ASPA. */
static int
check_aspa_providers(const struct pdu *p, const char *where, int *code,
    struct err *e)
{
	const uint8_t	*pr = p->u.aspa.providers;
	size_t		 i, n = p->u.aspa.nproviders;

	*code = RTR_ERR_ASPA_PROVIDER_LIST;
	if ((p->u.aspa.flags & PDU_FLAG_ANNOUNCE) == 0) {
		if (n != 0)
			return err_set(e, "%s: withdrawal: want no providers "
			    "(length 12), have %zu", where, n);
		return 0;
	}
	if (n == 0)
		return err_set(e, "%s: announcement: want at least one "
		    "provider, have none", where);
	if (n > 1 && get32(pr) == 0)
		return err_set(e, "%s: providers: want no AS0 among %zu "
		    "providers, have AS0", where, n);
	for (i = 1; i < n; i++)
		if (get32(pr + 4 * i) <= get32(pr + 4 * (i - 1)))
			return err_set(e, "%s: providers: want increasing and "
			    "unique, have AS%u after AS%u", where,
			    get32(pr + 4 * i), get32(pr + 4 * (i - 1)));
	return 0;
}

static int
decode_aspa(const uint8_t *buf, size_t len, enum aspa_pdu_format fmt,
    struct pdu *p, int *code, struct err *e)
{
	struct wire_aspa10	w;
	char			where[64];

	spec_where(&p->hdr, where, sizeof(where));
	*code = RTR_ERR_CORRUPT;
	if (fmt == ASPA_PDU_DRAFT10) {
		memcpy(&w, buf + PDU_HDR_LEN, sizeof(w));
		p->u.aspa.flags = w.flags;
		p->u.aspa.afi_flags = w.afi_flags;
		p->u.aspa.customer = ntohl(w.customer);
		p->u.aspa.providers = buf + ASPA_DRAFT10_FIXED_LEN;
		p->u.aspa.nproviders = ntohs(w.count);
		if (len != ASPA_DRAFT10_FIXED_LEN + 4 * p->u.aspa.nproviders)
			return err_set(e, "8210bis-10: ASPA: length: want "
			    "%zu for %zu providers, have %zu",
			    ASPA_DRAFT10_FIXED_LEN + 4 * p->u.aspa.nproviders,
			    p->u.aspa.nproviders, len);
		return 0;
	}
	if ((len - ASPA_CURRENT_FIXED_LEN) % 4 != 0)
		return err_set(e, "%s: length: want 12 + 4 per provider, "
		    "have %zu", where, len);
	p->u.aspa.flags = (uint8_t)(p->hdr.field >> 8);
	p->u.aspa.customer = get32(buf + PDU_HDR_LEN);
	p->u.aspa.providers = buf + ASPA_CURRENT_FIXED_LEN;
	p->u.aspa.nproviders = (len - ASPA_CURRENT_FIXED_LEN) / 4;
	return check_aspa_providers(p, where, code, e);
}

static int
decode_body(const uint8_t *buf, size_t len, enum aspa_pdu_format fmt,
    struct pdu *p, int *code, struct err *e)
{
	struct wire_eod		eod;
	struct wire_rkey	rk;

	switch (p->hdr.type) {
	case PDU_SERIAL_NOTIFY:
	case PDU_SERIAL_QUERY:
		p->u.serial = get32(buf + PDU_HDR_LEN);
		return 0;
	case PDU_END_OF_DATA:
		memset(&eod, 0, sizeof(eod));
		memcpy(&eod, buf + PDU_HDR_LEN, len - PDU_HDR_LEN);
		p->u.eod.serial = ntohl(eod.serial);
		p->u.eod.refresh = ntohl(eod.refresh);
		p->u.eod.retry = ntohl(eod.retry);
		p->u.eod.expire = ntohl(eod.expire);
		return 0;
	case PDU_IPV4_PREFIX:
	case PDU_IPV6_PREFIX:
		return decode_prefix(buf, p, code, e);
	case PDU_ROUTER_KEY:
		memcpy(&rk, buf + PDU_HDR_LEN, sizeof(rk));
		p->u.rkey.flags = (uint8_t)(p->hdr.field >> 8);
		memcpy(p->u.rkey.ski, rk.ski, SKI_LEN);
		p->u.rkey.asn = ntohl(rk.asn);
		p->u.rkey.spki = buf + PDU_RKEY_MIN_LEN;
		p->u.rkey.spkilen = len - PDU_RKEY_MIN_LEN;
		return 0;
	case PDU_ERROR_REPORT:
		return decode_error(buf, len, p, code, e);
	case PDU_ASPA:
		return decode_aspa(buf, len, fmt, p, code, e);
	default:
		/* Reset Query, Cache Response, Cache Reset: header only. */
		return 0;
	}
}

int
pdu_decode(const uint8_t *buf, size_t len, enum aspa_pdu_format fmt,
    struct pdu *p, int *code, struct err *e)
{
	char	where[64];
	size_t	want = 0;
	int	exact = 1;

	memset(p, 0, sizeof(*p));
	*code = RTR_ERR_CORRUPT;
	if (len < PDU_HDR_LEN)
		return err_set(e, "RFC 8210 section 5: PDU: length: want at "
		    "least %d, have %zu", PDU_HDR_LEN, len);
	(void)pdu_peek(buf, len, &p->hdr);
	if (p->hdr.length != len)
		return err_set(e, "RFC 8210 section 5.1: %s: length field "
		    "says %u, have %zu bytes", pdu_type_name(p->hdr.type),
		    p->hdr.length, len);
	if (len > PDU_MAX_LEN)
		return err_set(e, "8210bis section 5.1: %s: length: want <= "
		    "%d, have %zu", pdu_type_name(p->hdr.type), PDU_MAX_LEN,
		    len);
	if (p->hdr.version > RTR_VERSION_MAX) {
		*code = RTR_ERR_UNSUPPORTED_VERSION;
		return err_set(e, "8210bis section 7: %s: protocol version: "
		    "want <= %d, have %u", pdu_type_name(p->hdr.type),
		    RTR_VERSION_MAX, p->hdr.version);
	}
	if (pdu_want_len(&p->hdr, fmt, &want, &exact, code, e) == -1)
		return -1;
	*code = RTR_ERR_CORRUPT;
	if (exact ? len != want : len < want)
		return err_set(e, "%s: length: want %s%zu, have %zu",
		    spec_where(&p->hdr, where, sizeof(where)),
		    exact ? "" : "at least ", want, len);
	return decode_body(buf, len, fmt, p, code, e);
}

int
rtr_intervals_check(uint32_t refresh, uint32_t retry, uint32_t expire,
    struct err *e)
{
	if (refresh < 1 || refresh > 86400)
		return err_set(e, "RFC 8210 section 6: refresh interval: want "
		    "1..86400, have %u", refresh);
	if (retry < 1 || retry > 7200)
		return err_set(e, "RFC 8210 section 6: retry interval: want "
		    "1..7200, have %u", retry);
	if (expire < 600 || expire > 172800)
		return err_set(e, "RFC 8210 section 6: expire interval: want "
		    "600..172800, have %u", expire);
	if (expire <= refresh || expire <= retry)
		return err_set(e, "RFC 8210 section 6: expire interval: want "
		    "more than refresh %u and retry %u, have %u", refresh,
		    retry, expire);
	return 0;
}
