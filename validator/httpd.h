/*
 * httpd.h - server mode's HTTP endpoints (OctoRPKI's -http.addr), on
 * libmicrohttpd's thread:
 *
 *   /output.json  the signed OctoRPKI file of the last successful run,
 *                 byte for byte what it wrote to -output.roa (also at
 *                 /<-output.roa>, where OctoRPKI serves it)
 *   /metrics      Prometheus text: OctoRPKI's names, then ours
 *   /healthz      200 while the output served is fresh, else 503
 *   /infos        the run summary JSON of the output served
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
};

/* Free what rep holds (output, summary); rep itself is the caller's. */
void		 run_report_clear(struct run_report *rep);

struct httpd;

/*
 * Listen on addr (Go's host:port) and serve the endpoints above; until
 * the first publish every one answers 503.  roa_path is -output.roa
 * (also served at "/" + it, as OctoRPKI does; NULL or "-": not);
 * refresh, the interval between runs, sets when the output is too old
 * for /healthz.  Returns NULL with the reason in e.
 */
struct httpd	*httpd_start(const char *addr, const char *roa_path,
		    double refresh, struct logger *lg, struct err *e);

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
