/*
 * feed.h - the data side of rtrcache: poll the VRP file, check it, apply
 * SLURM, and hand the result to the RTR state.
 *
 * Anything wrong with an update - network, HTTP, JSON, signature, expiry,
 * SLURM - is logged and counted with its reason, and the last good data
 * keeps being served.  Unlike GoRTR, data is not served forever: once
 * its metadata.valid time plus a grace has passed, the cache stops
 * serving it and answers "No Data Available" until good data arrives.
 */
#ifndef RTRCACHE_FEED_H
#define RTRCACHE_FEED_H

#include <stdint.h>

#include <ev.h>
#include <openssl/evp.h>

#include "fetch.h"
#include "log.h"
#include "rtrstate.h"
#include "server.h"
#include "slurm.h"

struct feed_opts {
	struct fetch_opts	 fetch;		/* the VRP file */
	double			 refresh;	/* s between polls */
	double			 retry;		/* s between tries before data */
	EVP_PKEY		*key;		/* NULL: no signature check */
	int			 checktime;	/* reject expired files */
	double			 expire_grace;	/* s to serve past valid */
	const char		*slurm;		/* path or URL, or NULL */
	int			 slurm_refresh;	/* reload SLURM each poll */
	int			 useserial;	/* 0 disable, 1 startup, 2 full */
};

/* Why updates were rejected; indexes feed_reason_names. */
enum feed_reason {
	FEED_FETCH,		/* network or HTTP */
	FEED_PARSE,		/* not a valid VRP file */
	FEED_SIGNATURE,		/* missing or bad signature */
	FEED_EXPIRED,		/* valid in the past */
	FEED_SLURM,		/* SLURM file unavailable or bad */
	FEED_INTERNAL,		/* out of memory */
	FEED_NREASONS,
};

extern const char *const feed_reason_names[FEED_NREASONS];

struct feed_stats {
	uint64_t	rejected[FEED_NREASONS];
	uint64_t	fetches;
	uint64_t	not_modified;
	uint64_t	accepted;	/* good files taken */
	uint64_t	changes;	/* serial changes */
	double		last_fetch;	/* unix time of the last poll */
	double		last_success;	/* of the last good file */
	double		last_change;	/* of the last serial change */
	int64_t		generated;	/* metadata of the served data */
	int64_t		valid;		/* 0: the file had none */
	int		expired;	/* data dropped past valid + grace */
	size_t		vrps_unfiltered[2];	/* ipv4, ipv6 before SLURM */
	int64_t		file_serial;	/* metadata.serial, -1: none */
	struct {
		long		code;		/* HTTP status, 0: no answer */
		uint64_t	count;
	} http[16];			/* refresh_requests_total */
	size_t		nhttp;
};

struct feed {
	struct ev_loop		*loop;
	struct logger		*log;
	struct rtrstate		*st;
	struct server		*srv;
	struct feed_opts	 o;
	struct fetcher		*f;
	struct fetcher		*sf;		/* SLURM, if a URL or path */
	struct slurm		*slurm;
	struct vrpset		*raw;		/* last good set before SLURM */
	ev_timer		 poll;
	ev_timer		 expiry;
	struct feed_stats	 stats;
};

/*
 * Set up polling; the first poll runs as soon as the loop does.
 * Returns 0, or -1 with the reason in e (bad URL or options).
 */
int	feed_init(struct feed *fd, struct ev_loop *loop, struct logger *log,
	    struct rtrstate *st, struct server *srv,
	    const struct feed_opts *o, struct err *e);

/* Poll now (SIGHUP): reload SLURM and fetch the VRP file. */
void	feed_refresh_now(struct feed *fd);

void	feed_free(struct feed *fd);

#endif
