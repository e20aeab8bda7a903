/*
 * httpd_impl.h - what httpd.c (the endpoints) and httpd_metrics.c (the
 * Prometheus text) share.
 */
#ifndef VALIDATOR_HTTPD_IMPL_H
#define VALIDATOR_HTTPD_IMPL_H

#include <stdint.h>

#include "buf.h"
#include "walk.h"

/* A repository's fetches over the runs so far. */
struct repo_stat {
	int		 rrdp;		/* else an rsync module */
	char		*uri;
	uint64_t	 failures;	/* fetches that failed */
	int		 last_ok;	/* the last fetch succeeded */
	int64_t		 last_success;	/* unix seconds, 0: never */
	double		 last_secs;	/* how long the last fetch took */
	uint64_t	 serial;	/* RRDP: the serial last held */
};

/* The runs so far, kept by the validation thread. */
struct httpd_stats {
	uint64_t	 runs_ok;
	uint64_t	 runs_failed;
	int		 last_ok;	/* the last run succeeded */
	int64_t		 last_run;	/* when it finished, unix; 0: none */
	double		 last_secs;	/* how long it took */

	/* The run whose output is served: the last good one. */
	int		 has_data;	/* 0 before the first good run */
	int64_t		 finished;
	int64_t		 valid;		/* metadata.valid of its output */
	size_t		 bytes;		/* size of its output */
	struct walk_stats st;
	size_t		 nvrps, naspas, nrkeys;

	/* Every repository fetched by a run so far (-sync). */
	struct repo_stat *repos;
	size_t		 nrepos, caprepos;
};

/* Append the Prometheus text for s to b. */
void	httpd_metrics_render(struct buf *b, const struct httpd_stats *s);

#endif
