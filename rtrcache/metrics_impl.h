/*
 * metrics_impl.h - rendering the metrics text and the status JSON
 * (metrics_render.c), used by metrics.c on the loop thread.
 */
#ifndef RTRCACHE_METRICS_IMPL_H
#define RTRCACHE_METRICS_IMPL_H

#include "buf.h"
#include "feed.h"
#include "rtrstate.h"
#include "server.h"

/* Prometheus text for everything; url labels GoRTR's path metrics. */
void	metrics_render(struct buf *b, const char *url, struct rtrstate *st,
	    struct server *srv, struct feed *fd);

/* The /status JSON: data, serial, sessions (the first 1,000 listed). */
void	status_render(struct buf *b, struct rtrstate *st, struct server *srv,
	    struct feed *fd);

#endif
