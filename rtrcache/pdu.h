/*
 * pdu.h - the RPKI-to-Router PDU codec, protocol versions 0 (RFC 6810),
 * 1 (RFC 8210) and 2 (draft-ietf-sidrops-8210bis).
 *
 * Decoding is a pure function of bytes: pdu_peek() frames a stream,
 * pdu_decode() checks and unpacks exactly one PDU.  Encoders append PDUs
 * in network byte order to a struct buf (common/buf.h); like every buf
 * writer they never fail loudly, so callers check buf_failed() once.
 *
 * The facts behind this file, with section numbers, are in PDU-NOTES.md.
 */
#ifndef RTRCACHE_PDU_H
#define RTRCACHE_PDU_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "vrp.h"
#include "vrpset.h"

#define RTR_VERSION_MIN		0
#define RTR_VERSION_MAX		2

enum pdu_type {
	PDU_SERIAL_NOTIFY = 0,
	PDU_SERIAL_QUERY = 1,
	PDU_RESET_QUERY = 2,
	PDU_CACHE_RESPONSE = 3,
	PDU_IPV4_PREFIX = 4,
	PDU_IPV6_PREFIX = 6,
	PDU_END_OF_DATA = 7,
	PDU_CACHE_RESET = 8,
	PDU_ROUTER_KEY = 9,		/* version 1 and later */
	PDU_ERROR_REPORT = 10,
	PDU_ASPA = 11,			/* version 2 only */
};

/* Error Report codes: RFC 6810 defines 0-7, RFC 8210 adds 8, 8210bis 9-13. */
enum rtr_errcode {
	RTR_ERR_CORRUPT = 0,
	RTR_ERR_INTERNAL = 1,
	RTR_ERR_NO_DATA = 2,
	RTR_ERR_INVALID_REQUEST = 3,
	RTR_ERR_UNSUPPORTED_VERSION = 4,
	RTR_ERR_UNSUPPORTED_TYPE = 5,
	RTR_ERR_UNKNOWN_WITHDRAWAL = 6,
	RTR_ERR_DUPLICATE_ANNOUNCE = 7,
	RTR_ERR_UNEXPECTED_VERSION = 8,
	RTR_ERR_ASPA_PROVIDER_LIST = 9,
	RTR_ERR_TRANSPORT = 10,
	RTR_ERR_ORDERING = 11,
	RTR_ERR_CACHE_RESTART = 12,
	RTR_ERR_CACHE_SHUTDOWN = 13,
};

#define PDU_HDR_LEN		8

/*
 * Largest PDU on the wire.  8210bis section 5.1 caps the Length field of
 * every PDU at 65,535 octets; no valid RFC 6810/8210 PDU comes near it
 * (the largest is an Error Report carrying a copy of another PDU).  A
 * peer announcing more is corrupt, and the bound keeps one session's
 * receive buffer small.
 */
#define PDU_MAX_LEN		65535

/* Fixed lengths (RFC 8210 section 5; 8210bis section 5). */
#define PDU_SERIAL_LEN		12	/* Serial Notify, Serial Query */
#define PDU_EMPTY_LEN		8	/* Reset Query, Cache Response, Reset */
#define PDU_IPV4_LEN		20
#define PDU_IPV6_LEN		32
#define PDU_EOD_V0_LEN		12
#define PDU_EOD_V1_LEN		24
#define PDU_RKEY_MIN_LEN	32	/* header, SKI, ASN; SPKI follows */
#define PDU_ERROR_MIN_LEN	16	/* header, two length fields */

/* Flags, lowest-order bit (RFC 8210 section 5.1). */
#define PDU_FLAG_ANNOUNCE	0x01
#define PDU_FLAG_WITHDRAW	0x00

/*
 * The two ASPA PDU layouts (see PDU-NOTES.md).  The default is the one
 * Debian's StayRTR 0.5.1 speaks ("8210bis-10"): flags, AFI flags, a
 * 16-bit provider count, the customer, the providers; one record per
 * address family.  The current draft dropped the AFI flags and the count:
 * flags, zero, the customer, the providers; a withdrawal has none.
 */
enum aspa_pdu_format {
	ASPA_PDU_DRAFT10 = 0,		/* default: StayRTR 0.5.1 */
	ASPA_PDU_CURRENT = 1,		/* 8210bis-27 section 5.12 */
};

#define ASPA_AFI_IPV6		0x01	/* draft-10 AFI flags: IPv6 */
#define ASPA_DRAFT10_FIXED_LEN	16	/* hdr, flags, AFI, count, CAS */
#define ASPA_CURRENT_FIXED_LEN	12	/* header, CAS */

/* Name of a PDU type or error code, "unknown" if not assigned. */
const char	*pdu_type_name(int type);
const char	*rtr_errcode_name(int code);

/*
 * 1 if code is defined by the specification of protocol version ver
 * (8210bis section 12: send only codes of the session's version), else 0.
 */
int	rtr_errcode_valid(uint8_t ver, int code);

struct pdu_hdr {
	uint8_t		version;
	uint8_t		type;
	uint16_t	field;		/* session, error code, flags */
	uint32_t	length;
};

/*
 * Look at the first bytes of a stream.  Returns 0 when fewer than
 * PDU_HDR_LEN bytes are there, 1 when hdr was filled and a PDU of
 * hdr->length bytes is announced, or -1 when the announced length is
 * below PDU_HDR_LEN or above PDU_MAX_LEN (corrupt: the stream cannot be
 * framed any further).  hdr is filled in both of the last two cases.
 */
int	pdu_peek(const uint8_t *buf, size_t len, struct pdu_hdr *hdr);

struct pdu {
	struct pdu_hdr	hdr;
	union {
		uint32_t	serial;	/* Notify, Serial Query */
		struct {
			uint32_t	serial, refresh, retry, expire;
		} eod;				/* v0 sets serial only */
		struct {
			uint8_t		flags, plen, maxlen;
			uint8_t		afi;	/* AFI_IPV4, AFI_IPV6 */
			uint8_t		addr[16];
			uint32_t	asn;
		} prefix;
		struct {
			uint8_t		 flags;
			uint8_t		 ski[SKI_LEN];
			uint32_t	 asn;
			const uint8_t	*spki;
			size_t		 spkilen;
		} rkey;
		struct {
			uint16_t	 code;
			const uint8_t	*pdu;
			size_t		 pdulen;
			const char	*text;	/* not NUL-terminated */
			size_t		 textlen;
		} error;
		struct {
			uint8_t		 flags;
			uint8_t		 afi_flags; /* draft-10 only */
			uint32_t	 customer;
			const uint8_t	*providers; /* 4 bytes each */
			size_t		 nproviders;
		} aspa;
	} u;
};

/*
 * Decode exactly one complete PDU of len bytes (len must equal the
 * Length field).  ASPA PDUs are read in layout fmt.  Checks, citing the
 * RFC of the PDU's version: the exact length for the type and version;
 * types that version does not have (Router Key in v0, ASPA in v0/v1) and
 * unassigned types; versions above RTR_VERSION_MAX; prefix length <= max
 * length <= 32 or 128; in v2, prefix bits past the length are zero; the
 * Error Report's inner lengths add up; the ASPA provider list (8210bis
 * section 5.12).  Reserved "zero" fields and unassigned flag bits are
 * ignored on receipt, as 8210bis section 5 requires.
 *
 * Returns 0, or -1 with *code set to the Error Report code the receiver
 * must send and a sentence in e.  p->hdr is filled whenever len >= 8,
 * so a caller can tell an Error Report (never answered, 8210bis 5.8).
 * Pointers in *p point into buf.
 */
int	pdu_decode(const uint8_t *buf, size_t len, enum aspa_pdu_format fmt,
	    struct pdu *p, int *code, struct err *e);

/* Encoders: append one PDU of protocol version ver to b. */
void	pdu_put_serial_notify(struct buf *b, uint8_t ver, uint16_t session,
	    uint32_t serial);
void	pdu_put_serial_query(struct buf *b, uint8_t ver, uint16_t session,
	    uint32_t serial);
void	pdu_put_reset_query(struct buf *b, uint8_t ver);
void	pdu_put_cache_response(struct buf *b, uint8_t ver,
	    uint16_t session);
void	pdu_put_cache_reset(struct buf *b, uint8_t ver);

/*
 * End of Data: v0 carries the serial only (RFC 6810 section 5.8), v1 and
 * later the three intervals too (RFC 8210 section 5.8).
 */
void	pdu_put_end_of_data(struct buf *b, uint8_t ver, uint16_t session,
	    uint32_t serial, uint32_t refresh, uint32_t retry,
	    uint32_t expire);

/* An IPv4 or IPv6 Prefix PDU for v, by v->afi; flags 1 announce. */
void	pdu_put_vrp(struct buf *b, uint8_t ver, uint8_t flags,
	    const struct vrp *v);

/*
 * A Router Key PDU.  Returns the number of PDUs written: 0 when ver is 0
 * (type 9 is reserved there) or the PDU would exceed PDU_MAX_LEN.
 */
size_t	pdu_put_rkey(struct buf *b, uint8_t ver, uint8_t flags,
	    uint32_t asn, const uint8_t ski[SKI_LEN], const uint8_t *spki,
	    size_t spkilen);

/*
 * ASPA PDU(s) for one customer, in layout fmt, providers sorted and
 * unique.  A withdrawal carries none (n is ignored), as 8210bis section
 * 5.12 requires.  In the current layout an announcement with no provider
 * is sent as AS0 alone, and AS0 next to other providers is left out, so
 * the PDU meets section 5.12.  The draft-10 layout is per address family,
 * so an ASPA (which has none since aspa-profile-16) is written twice, AFI
 * IPv4 then IPv6.  Returns the number of PDUs written: 0 when ver < 2 or
 * the PDU would exceed PDU_MAX_LEN.
 */
size_t	pdu_put_aspa(struct buf *b, uint8_t ver, enum aspa_pdu_format fmt,
	    uint8_t flags, uint32_t customer, const uint32_t *providers,
	    size_t n);

/*
 * An Error Report (RFC 8210 section 5.11) with the erroneous PDU and an
 * optional text (NULL or "" for none).  Both are cut to fit PDU_MAX_LEN,
 * text first; at least the first 4 octets of the PDU are kept (8210bis
 * section 5.8).  No NUL is sent after the text.
 */
void	pdu_put_error(struct buf *b, uint8_t ver, uint16_t code,
	    const uint8_t *pdu, size_t pdulen, const char *text);

/*
 * Serialize every payload of s that version ver can carry (v0 prefixes;
 * v1 and router keys; v2 and ASPAs), all with the given flags, in the
 * order of 8210bis section 11.2 (a MUST for v2, a SHOULD for v0/v1):
 * by PDU type, then for prefixes announcements by descending address,
 * max length, prefix length, ASN, withdrawals ascending; router keys by
 * SKI, SPKI length, SPKI, ASN; ASPAs by customer.  Writes into one
 * reserved block, without per-PDU allocation.  Returns the number of
 * PDUs written, 0 if out of memory (and b is marked failed).
 */
size_t	pdu_put_set(struct buf *b, uint8_t ver, enum aspa_pdu_format fmt,
	    uint8_t flags, const struct vrpset *s);

/*
 * Serialize a diff (8210bis section 11.2): for each PDU type in order,
 * the announcements of d->announced before the withdrawals of
 * d->withdrawn.  An ASPA whose providers changed is in both halves
 * (vrpset.h); it goes out as the one announcement that replaces the old
 * record (8210bis section 5.12), and its withdrawal is left out.
 * Returns the number of PDUs written, 0 if out of memory.
 */
size_t	pdu_put_diff(struct buf *b, uint8_t ver, enum aspa_pdu_format fmt,
	    const struct vrpdiff *d);

/*
 * Check End of Data timers against RFC 8210 section 6: refresh 1..86400,
 * retry 1..7200, expire 600..172800, and expire larger than both refresh
 * and retry.  Returns 0, or -1 with the rule broken in e.
 */
int	rtr_intervals_check(uint32_t refresh, uint32_t retry,
	    uint32_t expire, struct err *e);

#endif
