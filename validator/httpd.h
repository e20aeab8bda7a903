/*
 * httpd.h - server mode's HTTP endpoints (OctoRPKI's -http.addr), on
 * libmicrohttpd's thread:
 *
 *   /output.json  the signed OctoRPKI file of the last successful run,
 *                 byte for byte what it wrote to -output.roa (also at
 *                 /<-output.roa>, where OctoRPKI serves it)
 *   /metrics      Prometheus text: OctoRPKI's names, then ours
 *                 (-http.metrics)
 *   /healthz      200 while the output served is fresh, else 503
 *   /infos        the run summary JSON of the output served
 *                 (-http.info)
 *
 * With -cors.origins every answer to a request from an allowed Origin
 * carries OctoRPKI's CORS headers, and OPTIONS (a preflight) is
 * answered; with -http.cache the output carries Cache-Control max-age
 * up to its metadata.valid.
 *
 * The HTTP thread never sees a run in progress.  After each run the
 * validation thread builds an immutable snapshot - the output and the
 * summary of the last good run (shared between snapshots), the metrics
 * text and what /healthz needs - and swaps it in under a mutex; a
 * request holds a reference to whichever snapshot was current when it
 * came, so the data switches from one run's to the next atomically.
 */
#ifndef VALIDATOR_HTTPD_H
#define VALIDATOR_HTTPD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "log.h"
#include "sync.h"
#include "walk.h"

/* What one validation run hands to the HTTP side. */
struct run_report {
	int		 ok;		/* every output written */
	char		 error[ERR_MSG_MAX];	/* why not, if !ok */
	int64_t		 finished;	/* unix seconds */
	double		 secs;		/* the whole run */
	struct walk_stats st;		/* if the walk finished */
	size_t		 nvrps, naspas, nrkeys;
	int64_t		 valid;		/* metadata.valid of the output */
	char		*output;	/* the -output.roa bytes, if ok */
	size_t		 output_len;
	char		*summary;	/* the summary JSON, if ok */
	size_t		 summary_len;
	struct sync_repo *repos;	/* fetched this run (-sync) */
	size_t		 nrepos;
};

/*
 * Free what rep holds (output, summary, repos); rep itself is the
 * caller's.
 */
void		 run_report_clear(struct run_report *rep);

struct httpd;

/* OctoRPKI's HTTP options. */
struct httpd_config {
	const char	*addr;		/* -http.addr, Go's host:port */
	const char	*roa_path;	/* -output.roa, also served at "/" +
					   it (NULL or "-": not) */
	const char	*metrics_path;	/* -http.metrics, "/metrics" */
	const char	*info_path;	/* -http.info, "/infos" */
	int		 cache;		/* -http.cache: Cache-Control max-age
					   on the output, until it expires */
	const char	*cors_origins;	/* -cors.origins: origins allowed,
					   comma-separated, "*" any; "": no
					   CORS headers */
	int		 cors_creds;	/* -cors.creds */
	double		 refresh;	/* between runs: when the output is
					   too old for /healthz */
};

/*
 * Listen on cfg->addr and serve the endpoints above (the metrics and
 * information at cfg's paths); until the first publish every one
 * answers 503.  Returns NULL with the reason in e.
 */
struct httpd	*httpd_start(const struct httpd_config *cfg,
		    struct logger *lg, struct err *e);

/* The port listened on (the kernel's pick for port 0). */
unsigned int	 httpd_port(const struct httpd *h);

/*
 * Publish the result of a run (validation thread only): a good run's
 * output and summary replace the served ones (taken from rep, which is
 * left without them); a failed run only changes the metrics and health,
 * the last good output stays served.
 */
void		 httpd_publish(struct httpd *h, struct run_report *rep);

/* Stop serving (open connections are closed) and free.  NULL is fine. */
void		 httpd_stop(struct httpd *h);

#endif
