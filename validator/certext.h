/*
 * certext.h - the contents of the RFC 6487 section 4.8 extensions of a
 * resource certificate, for cert.c.  Criticality and which extensions a
 * purpose must or must not have are cert.c's; these read and check what
 * is inside.  Each returns 0 (or the documented value), or -1 with one
 * diagnostic naming fn in e.
 */
#ifndef VALIDATOR_CERTEXT_H
#define VALIDATOR_CERTEXT_H

#include "cert.h"
#include "err.h"

/* RFC 6487 4.8.2: the SKI, 20 octets, the SHA-1 of the key; into c. */
int	certext_ski(const char *fn, struct cert *c, struct err *e);

/* RFC 6487 4.8.3: the AKI if present, keyIdentifier only; into c. */
int	certext_aki(const char *fn, struct cert *c, struct err *e);

/*
 * RFC 6487 4.8.1: 1 for cA TRUE without pathLenConstraint, 0 if the
 * extension is absent, -1 for anything else.
 */
int	certext_basic_constraints(const char *fn, const struct cert *c,
	    struct err *e);

/* RFC 8209 3.1.3.2: extendedKeyUsage holds id-kp-bgpsec-router. */
int	certext_eku_router(const char *fn, const struct cert *c,
	    struct err *e);

/* RFC 6487 4.8.4: keyCertSign and cRLSign for CAs, else
 * digitalSignature, and no other bit. */
int	certext_key_usage(const char *fn, const struct cert *c,
	    struct err *e);

/* RFC 6487 4.8.9, RFC 7318: exactly the RPKI policy, at most a CPS
 * qualifier. */
int	certext_policies(const char *fn, const struct cert *c,
	    struct err *e);

/* RFC 6487 4.8.6: one distribution point, URIs, an rsync one; c->crldp. */
int	certext_crldp(const char *fn, struct cert *c, struct err *e);

/* RFC 6487 4.8.7: caIssuers only, an rsync URI; c->aia. */
int	certext_aia(const char *fn, struct cert *c, struct err *e);

/*
 * RFC 6487 4.8.8.1, RFC 8182 3.2: caRepository (rsync, ending in '/')
 * and rpkiManifest (rsync) required, rpkiNotify (https) optional; into c.
 */
int	certext_sia_ca(const char *fn, struct cert *c, struct err *e);

/* RFC 6487 4.8.8.2: signedObject only, an rsync URI; c->signedobj. */
int	certext_sia_ee(const char *fn, struct cert *c, struct err *e);

#endif
