/*
 * pdu_impl.h - PDU writers shared by pdu_put.c (one PDU at a time) and
 * pdu_set.c (whole sets and diffs).  Not for use outside those files.
 */
#ifndef RTRCACHE_PDU_IMPL_H
#define RTRCACHE_PDU_IMPL_H

#include "pdu.h"

struct wire_hdr {
	uint8_t		version;
	uint8_t		type;
	uint16_t	field;
	uint32_t	length;
};

struct wire_prefix4 {
	uint8_t		flags;
	uint8_t		plen;
	uint8_t		maxlen;
	uint8_t		zero;
	uint8_t		addr[4];
	uint32_t	asn;
};

struct wire_prefix6 {
	uint8_t		flags;
	uint8_t		plen;
	uint8_t		maxlen;
	uint8_t		zero;
	uint8_t		addr[16];
	uint32_t	asn;
};

struct wire_eod {
	uint32_t	serial;
	uint32_t	refresh;
	uint32_t	retry;
	uint32_t	expire;
};

struct wire_rkey {
	uint8_t		ski[SKI_LEN];
	uint32_t	asn;
};

/* draft-10 ASPA body; the current layout has the customer only. */
struct wire_aspa10 {
	uint8_t		flags;
	uint8_t		afi_flags;
	uint16_t	count;
	uint32_t	customer;
};

_Static_assert(sizeof(struct wire_hdr) == PDU_HDR_LEN, "wire_hdr");
_Static_assert(sizeof(struct wire_prefix4) + PDU_HDR_LEN == PDU_IPV4_LEN,
    "wire_prefix4");
_Static_assert(sizeof(struct wire_prefix6) + PDU_HDR_LEN == PDU_IPV6_LEN,
    "wire_prefix6");
_Static_assert(sizeof(struct wire_eod) + PDU_HDR_LEN == PDU_EOD_V1_LEN,
    "wire_eod");
_Static_assert(sizeof(struct wire_rkey) + PDU_HDR_LEN == PDU_RKEY_MIN_LEN,
    "wire_rkey");
_Static_assert(sizeof(struct wire_aspa10) + PDU_HDR_LEN ==
    ASPA_DRAFT10_FIXED_LEN, "wire_aspa10");

uint8_t *	put_begin(struct buf *b, size_t n);
void	put_end(struct buf *b, size_t n);
size_t	write_vrp(uint8_t *p, uint8_t ver, uint8_t flags, const struct vrp *v);
size_t	rkey_pdu_len(uint8_t ver, size_t spkilen);
size_t	write_rkey(uint8_t *p, uint8_t ver, uint8_t flags, uint32_t asn, const uint8_t ski[SKI_LEN], const uint8_t *spki, size_t spkilen);
size_t	aspa_bytes(uint8_t ver, enum aspa_pdu_format fmt, uint8_t flags, const uint32_t *pr, size_t n, size_t *npdus);
size_t	write_aspa(uint8_t *p, uint8_t ver, enum aspa_pdu_format fmt, uint8_t flags, uint32_t customer, const uint32_t *providers, size_t n);

#endif
