/*
 * aspa.h - Autonomous System Provider Authorizations
 * (draft-ietf-sidrops-aspa-profile), eContentType id-ct-ASPA.
 *
 * Two eContent forms share the OID: the current profile (later drafts,
 * -16 as IANA cites it: version [0] present and 1, providers a SEQUENCE
 * OF ASID) and the form of drafts 08 to 13 (version absent, providers a
 * SEQUENCE OF ProviderAS { providerASID, afiLimit OPTIONAL }), which
 * Debian's rpki-client 8.2 reads and rpki-repogen writes with
 * -aspa-version 0.  aspa_parse accepts both and says which it saw.
 */
#ifndef VALIDATOR_ASPA_H
#define VALIDATOR_ASPA_H

#include <stddef.h>
#include <stdint.h>

#include "cms.h"
#include "err.h"

enum aspa_profile {
	ASPA_PROFILE_CURRENT,	/* version 1, providers SEQUENCE OF ASID */
	ASPA_PROFILE_DRAFT08,	/* version 0, ProviderAS with afiLimit */
};

/*
 * A decoded ASPA.  providers is sorted ascending without duplicates and
 * never holds the customer (the parser rejects objects that break
 * this).  For the draft-08 form an afiLimit is checked (0001 or 0002)
 * and then dropped: a provider limited to one AFI is kept as a provider
 * for both, because the current profile and the RTR ASPA PDU carry no
 * AFI, and because listing one provider too many can only make a route
 * leak go unnoticed, while dropping it would flag valid paths as leaks.
 * nafi_limited counts the entries that had an afiLimit.  cms holds the
 * EE certificate and signing time (econtent NULL), and is zeroed when
 * the ASPA came from an econtent function.
 */
struct aspa_obj {
	uint32_t		 customer;
	uint32_t		*providers;
	size_t			 nproviders;
	enum aspa_profile	 profile;
	size_t			 nafi_limited;
	struct cms_object	 cms;
};

/*
 * Parse the ASPA der/len of file fn: the RFC 6488 envelope with
 * eContentType id-ct-ASPA, then the eContent in either form.  Returns
 * the ASPA (free with aspa_obj_free), or NULL with one sentence in e.
 */
struct aspa_obj	*aspa_parse(const char *fn, const uint8_t *der, size_t len,
		    struct err *e);

/*
 * Decode a bare ASProviderAttestation eContent in either form: the
 * current profile is tried first, then draft-08.  A draft-13 eContent
 * is accepted as draft-08: drafts 08 to 13 share one ASN.1 module, so
 * their encodings cannot be told apart.  Returns the ASPA (free with
 * aspa_obj_free; its cms is empty), or NULL with one sentence in e.
 */
struct aspa_obj	*aspa_parse_econtent(const char *fn, const uint8_t *der,
		    size_t len, struct err *e);

/*
 * As aspa_parse_econtent, but only the current profile is accepted.
 */
struct aspa_obj	*aspa_parse_econtent_current(const char *fn,
		    const uint8_t *der, size_t len, struct err *e);

/* "current" or "draft-08". */
const char	*aspa_profile_name(enum aspa_profile p);

/* Free a and everything it owns.  Accepts NULL. */
void		 aspa_obj_free(struct aspa_obj *a);

#endif
