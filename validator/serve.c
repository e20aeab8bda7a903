/*
 * serve.c - server mode's threads: the calling thread waits for signals,
 * one thread runs the validations, libmicrohttpd's serves HTTP.
 *
 * The signals are blocked before any thread starts, so every thread
 * inherits the mask and only sigwait() in the calling thread takes them:
 * no handler runs in the middle of a validation or of a response.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "serve.h"

struct server {
	const struct serve_config *cfg;
	struct httpd		*h;	/* NULL: no HTTP endpoints */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;	/* on CLOCK_MONOTONIC */
	int			 hup;	/* under mu: run again at once */
	atomic_int		 stop;
	int64_t			 last_good;	/* validation thread only */
	size_t			 last_good_vrps;
};

/* Say what a failed run leaves served; remember a good one. */
static void
run_log(struct server *sv, const struct run_report *rep)
{
	struct tm	tm;
	time_t		t = (time_t)sv->last_good;
	char		when[32];

	if (rep->ok) {
		sv->last_good = rep->finished;
		sv->last_good_vrps = rep->nvrps;
		return;
	}
	if (sv->last_good == 0) {
		log_ops(sv->cfg->lg, LOG_ERROR, "validation run failed (%s); "
		    "no good run yet, nothing to serve", rep->error);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	log_ops(sv->cfg->lg, LOG_ERROR, "validation run failed (%s); still "
	    "serving the output of the good run of %s (%zu VRPs)", rep->error,
	    when, sv->last_good_vrps);
}

/* Sleep until -refresh has passed, a SIGHUP or the stop. */
static void
wait_next(struct server *sv)
{
	struct timespec	until;
	double		whole, frac = modf(sv->cfg->http.refresh, &whole);

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)whole;
	until.tv_nsec += (long)(frac * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sv->mu);
	while (!sv->hup && !atomic_load(&sv->stop))
		if (pthread_cond_timedwait(&sv->cv, &sv->mu, &until) ==
		    ETIMEDOUT)
			break;
	sv->hup = 0;
	pthread_mutex_unlock(&sv->mu);
}

static void *
validation_main(void *arg)
{
	struct server		*sv = arg;
	struct run_report	 rep;

	while (!atomic_load(&sv->stop)) {
		memset(&rep, 0, sizeof(rep));
		sv->cfg->run(sv->cfg->arg, &sv->stop, &rep);
		if (!atomic_load(&sv->stop)) {
			run_log(sv, &rep);
			if (sv->h != NULL)
				httpd_publish(sv->h, &rep);
			log_ops(sv->cfg->lg, LOG_INFO, "next validation in "
			    "%.0f s", sv->cfg->http.refresh);
		}
		run_report_clear(&rep);
		wait_next(sv);
	}
	return NULL;
}

/* Wake the validation thread: to run now (SIGHUP) or to stop. */
static void
poke(struct server *sv, int hup)
{
	pthread_mutex_lock(&sv->mu);
	sv->hup |= hup;
	pthread_cond_broadcast(&sv->cv);
	pthread_mutex_unlock(&sv->mu);
}

/* Take signals until SIGTERM or SIGINT. */
static void
signals_wait(struct server *sv, const sigset_t *set)
{
	int	sig = 0;

	for (;;) {
		if (sigwait(set, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		log_ops(sv->cfg->lg, LOG_INFO, "SIGHUP: validating now (after "
		    "the run in progress, if any)");
		poke(sv, 1);
	}
	log_ops(sv->cfg->lg, LOG_INFO, "signal %d: stopping", sig);
	atomic_store(&sv->stop, 1);
	poke(sv, 0);
}

int
serve_main(const struct serve_config *cfg)
{
	struct server		 sv;
	struct err		 e;
	pthread_condattr_t	 ca;
	pthread_t		 th;
	sigset_t		 set;
	int			 rc = -1;

	memset(&sv, 0, sizeof(sv));
	sv.cfg = cfg;
	atomic_init(&sv.stop, 0);
	pthread_mutex_init(&sv.mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sv.cv, &ca);
	pthread_condattr_destroy(&ca);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cfg->http.addr[0] != '\0') {
		if ((sv.h = httpd_start(&cfg->http, cfg->lg, &e)) == NULL) {
			log_ops(cfg->lg, LOG_ERROR, "%s", e.msg);
			goto out;
		}
		log_ops(cfg->lg, LOG_INFO, "HTTP on %s, port %u: /output.json, "
		    "%s, /healthz, %s", cfg->http.addr, httpd_port(sv.h),
		    cfg->http.metrics_path, cfg->http.info_path);
	} else
		log_ops(cfg->lg, LOG_INFO, "no HTTP endpoints (-http.addr "
		    "is empty)");
	if ((errno = pthread_create(&th, NULL, validation_main, &sv)) != 0) {
		log_ops(cfg->lg, LOG_ERROR, "validation thread: %s",
		    strerror(errno));
		goto out;
	}
	signals_wait(&sv, &set);
	pthread_join(th, NULL);
	log_ops(cfg->lg, LOG_INFO, "stopped");
	rc = 0;
 out:
	httpd_stop(sv.h);
	pthread_cond_destroy(&sv.cv);
	pthread_mutex_destroy(&sv.mu);
	return rc;
}
