/*
 * metrics.h - the HTTP side of rtrcache, on its own thread
 * (libmicrohttpd): /metrics (Prometheus, GoRTR's metric names and more),
 * the export of the served set (/rpki.json), /healthz and /status.
 *
 * The HTTP thread never touches the RTR state.  Once a second the loop
 * thread renders a snapshot - the metrics text, the status JSON, the
 * health verdict, and a reference to the immutable served set - and
 * swaps it in under a mutex; requests read whichever snapshot is current.
 */
#ifndef RTRCACHE_METRICS_H
#define RTRCACHE_METRICS_H

#include "err.h"
#include "feed.h"
#include "log.h"
#include "rtrstate.h"
#include "server.h"

struct metrics;

/*
 * Listen on addr (Go's host:port; ":8080" is every address) and serve
 * metrics_path, export_path (the served set as OctoRPKI JSON, signed with
 * the P-256 key at sign_key if not NULL), "/healthz" and "/status".
 * Returns NULL with the reason in e.
 */
struct metrics	*metrics_start(const char *addr, const char *metrics_path,
		    const char *export_path, const char *sign_key,
		    struct logger *log, struct err *e);

/* Render and swap in a new snapshot (loop thread only).  NULL is fine. */
void	metrics_publish(struct metrics *m, struct rtrstate *st,
	    struct server *srv, struct feed *fd);

/* Stop the HTTP thread and free everything.  NULL is fine. */
void	metrics_stop(struct metrics *m);

#endif
