/*
 * https.h - one GET over https with libcurl, as the validator's fetches
 * make them (a TA certificate, RRDP's notification, snapshot and delta
 * files): the system's CA store, https only (redirects included), a
 * size limit counted on the bytes as delivered (after any gzip or
 * deflate decoding, so a compression bomb stops at the limit), a time
 * limit for the whole transfer, and cancelling.  The SHA-256 of the body
 * is computed as it arrives.
 */
#ifndef VALIDATOR_HTTPS_H
#define VALIDATOR_HTTPS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

#define HTTPS_WHY_MAX	600

struct https_req {
	const char	*uri;		/* https:// */
	size_t		 max;		/* body bytes at most, decoded */
	const char	*max_name;	/* the limit, for messages
					   ("-max.filesize") */
	long		 timeout_ms;	/* the whole transfer, > 0 */
	const char	*timeout_name;	/* the limit, for messages */
	long		 contimeout;	/* seconds to connect */
	int		 gzip;		/* offer gzip and deflate */
	const atomic_int *cancel;	/* NULL, or set: stop */
	FILE		*fp;		/* the body is written here, or, if
					   NULL, appended to mem */
	struct buf	*mem;
	void		*handle;	/* NULL, or a libcurl easy handle
					   (https_handle) reused, with its
					   connections and CA store, by the
					   GETs of one repository */
};

struct https_res {
	size_t		 len;		/* body bytes received */
	uint8_t		 sha256[32];	/* of those bytes */
};

/* A handle for https_req.handle (NULL if out of memory); free it. */
void	*https_handle(void);
void	 https_handle_free(void *h);

/*
 * GET r->uri.  Returns 0 with res filled, or -1 with why (the curl
 * error, the HTTP status, "larger than ...", "timed out ...", "the run
 * is cancelled", a write error) in why; what was written to r->fp or
 * r->mem before a failure is left for the caller to discard.
 */
int	https_get(const struct https_req *r, struct https_res *res,
	    char *why, size_t whylen);

#endif
