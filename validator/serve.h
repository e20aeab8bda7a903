/*
 * serve.h - server mode: a validation run on a thread of its own every
 * -refresh, and at once on SIGHUP; each run's result handed to the HTTP
 * endpoints (httpd.h); SIGTERM and SIGINT stop it cleanly, cancelling a
 * run in progress between two publication points.
 */
#ifndef VALIDATOR_SERVE_H
#define VALIDATOR_SERVE_H

#include <stdatomic.h>

#include "httpd.h"
#include "log.h"

/*
 * One validation run, filling rep (ok, error, counts, and the output
 * and summary bytes, which become the HTTP side's).  It should give up
 * soon once *cancel is set.
 */
typedef void	serve_run_fn(void *arg, const atomic_int *cancel,
		    struct run_report *rep);

struct serve_config {
	struct httpd_config http;	/* addr "": no HTTP endpoints; its
					   refresh, seconds from a run's end
					   to the next's start, also paces
					   the runs */
	struct logger	*lg;
	serve_run_fn	*run;
	void		*arg;
};

/*
 * Serve until SIGTERM or SIGINT.  SIGHUP, SIGTERM and SIGINT are
 * blocked in every thread and taken by the calling one with sigwait();
 * they stay blocked on return, so a second SIGTERM while stopping is not
 * fatal.  Returns 0 after such a stop, or -1 (logged) if the HTTP
 * endpoints or the validation thread cannot start.
 */
int	serve_main(const struct serve_config *cfg);

#endif
