/*
 * roa.h - Route Origin Authorizations (RFC 9582).
 */
#ifndef VALIDATOR_ROA_H
#define VALIDATOR_ROA_H

#include <stddef.h>
#include <stdint.h>

#include "cms.h"
#include "err.h"

/*
 * One ROAIPAddress.  afi is AFI_IPV4 or AFI_IPV6 (vrp.h); addr is the
 * prefix in network byte order, bits past plen zero (an IPv4 prefix
 * uses the first four bytes); maxlen is maxLength, or plen when the
 * ROA leaves it out.
 */
struct roa_prefix {
	uint8_t		addr[16];
	uint8_t		afi;
	uint8_t		plen;
	uint8_t		maxlen;
};

/*
 * A decoded ROA.  prefixes keeps the order of the eContent.  cms holds
 * the EE certificate and signing time (econtent NULL); it is zeroed when
 * the ROA came from roa_parse_econtent.
 */
struct roa {
	uint32_t		 asid;
	struct roa_prefix	*prefixes;
	size_t			 nprefixes;
	struct cms_object	 cms;
};

/*
 * Parse the ROA der/len of file fn: the RFC 6488 envelope with
 * eContentType id-ct-routeOriginAuthz, then the eContent.  Returns the
 * ROA (free with roa_free), or NULL with one sentence in e.
 */
struct roa	*roa_parse(const char *fn, const uint8_t *der, size_t len,
		    struct err *e);

/*
 * Decode and check a bare RouteOriginAttestation eContent (RFC 9582
 * section 4).  Returns the ROA (free with roa_free; its cms is empty),
 * or NULL with one sentence in e.
 */
struct roa	*roa_parse_econtent(const char *fn, const uint8_t *der,
		    size_t len, struct err *e);

/* Free r and everything it owns.  Accepts NULL. */
void		 roa_free(struct roa *r);

#endif
