/*
 * feed.c - poll, verify, filter, publish.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed.h"
#include "vrpfile.h"
#include "vrpsign.h"

const char *const feed_reason_names[FEED_NREASONS] = {
	"fetch", "parse", "signature", "expired", "slurm", "internal",
};

static void	feed_publish(struct feed *);

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
reject(struct feed *fd, enum feed_reason r, const char *what)
{
	fd->stats.rejected[r]++;
	log_data(fd->log, LOG_ERROR, "update rejected (%s), still serving "
	    "serial %u: %s", feed_reason_names[r], fd->st->serial, what);
}

/* Schedule the next poll: -refresh once data is there, retry before. */
static void
schedule(struct feed *fd)
{
	ev_timer_stop(fd->loop, &fd->poll);
	ev_timer_set(&fd->poll, fd->st->has_data ? fd->o.refresh :
	    fd->o.retry, 0);
	ev_timer_start(fd->loop, &fd->poll);
}

/*
 * Arm the expiry timer for the served data: at valid + grace it is
 * dropped.  No valid time, or -checktime=false, no expiry.
 */
static void
arm_expiry(struct feed *fd)
{
	double at;

	ev_timer_stop(fd->loop, &fd->expiry);
	if (fd->stats.valid <= 0 || !fd->o.checktime)
		return;
	at = (double)fd->stats.valid + fd->o.expire_grace - wall_now();
	ev_timer_set(&fd->expiry, at > 0 ? at : 0, 0);
	ev_timer_start(fd->loop, &fd->expiry);
}

static void
feed_expire(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct feed *fd = w->data;

	if (!fd->st->has_data)
		return;
	log_data(fd->log, LOG_ERROR, "served data expired (metadata.valid "
	    "%lld + grace %.0f s passed, no good update since): no longer "
	    "serving it; routers get No Data Available",
	    (long long)fd->stats.valid, fd->o.expire_grace);
	rtrstate_clear(fd->st);
	fd->stats.expired = 1;
	schedule(fd);
}

/*
 * Check a fetched body: parse, signature, time.  Takes body, freed as
 * soon as it is read (vrpfile_parse_take: the update's memory peak).
 * Returns the set (one reference) or NULL after rejecting it.
 */
static struct vrpset *
check_body(struct feed *fd, char *body, size_t len,
    struct vrpfile_meta *meta)
{
	struct vrpfile		f;
	struct err		e;
	struct vrpset		*set = NULL;
	enum vrpsign_status	st;

	if (vrpfile_parse_take(body, len, fetcher_url(fd->f),
	    fd->o.key != NULL ? VRPFILE_SIGLINES : 0, &f, &e) == -1) {
		reject(fd, FEED_PARSE, e.msg);
		return NULL;
	}
	if (fd->o.key != NULL) {
		st = vrpsign_verify(fd->o.key, &f, fd->o.checktime,
		    time(NULL), &e);
		if (st != VRPSIGN_OK) {
			reject(fd, st == VRPSIGN_EXPIRED ? FEED_EXPIRED :
			    FEED_SIGNATURE, e.msg);
			goto out;
		}
	} else if (fd->o.checktime && f.meta.has_valid &&
	    f.meta.valid <= (int64_t)time(NULL)) {
		err_set(&e, "metadata.valid %lld is in the past",
		    (long long)f.meta.valid);
		reject(fd, FEED_EXPIRED, e.msg);
		goto out;
	}
	*meta = f.meta;
	memset(&f.meta, 0, sizeof(f.meta));
	set = vrpset_ref(f.set);
 out:
	vrpfile_free(&f);
	return set;
}

/* Count a poll's HTTP status for refresh_requests_total. */
static void
count_code(struct feed_stats *st, long code)
{
	size_t i;

	for (i = 0; i < st->nhttp; i++)
		if (st->http[i].code == code)
			break;
	if (i == st->nhttp) {
		if (st->nhttp == sizeof(st->http) / sizeof(st->http[0]))
			return;
		st->http[st->nhttp].code = code;
		st->http[st->nhttp++].count = 0;
	}
	st->http[i].count++;
}

/* Take one poll's result: count it, check it, publish it. */
static void
feed_take(struct feed *fd, struct fetch_result *res)
{
	struct vrpfile_meta	 meta;
	struct vrpset		*set;
	char			*body;
	size_t			 i, len;

	fd->stats.fetches++;
	fd->stats.last_fetch = wall_now();
	count_code(&fd->stats, res->http_code);
	if (res->status == FETCH_NOT_MODIFIED) {
		fd->stats.not_modified++;
		log_ops(fd->log, LOG_DEBUG, "%s: not modified",
		    fetcher_url(fd->f));
		return;
	}
	if (res->status == FETCH_ERROR) {
		reject(fd, FEED_FETCH, res->error);
		return;
	}
	memset(&meta, 0, sizeof(meta));
	rtrstate_trim(fd->st);
	body = fetch_result_take_body(res, &len);
	set = check_body(fd, body, len, &meta);
	if (set == NULL)
		return;
	fetcher_accept(fd->f, res);
	fd->stats.accepted++;
	fd->stats.last_success = wall_now();
	fd->stats.generated = meta.has_generated ? meta.generated : 0;
	fd->stats.valid = meta.has_valid ? meta.valid : 0;
	fd->stats.file_serial = meta.has_serial ? meta.serial : -1;
	vrpfile_meta_free(&meta);
	fd->stats.vrps_unfiltered[0] = fd->stats.vrps_unfiltered[1] = 0;
	for (i = 0; i < set->nvrps; i++)
		fd->stats.vrps_unfiltered[set->vrps[i].afi == AFI_IPV6]++;
	vrpset_unref(fd->raw);
	fd->raw = set;
	log_ops(fd->log, LOG_INFO, "%s: good file, %zu VRPs, %zu ASPAs, "
	    "%zu router keys (%.2f s)", fetcher_url(fd->f), set->nvrps,
	    set->naspas, set->nrkeys, res->seconds);
	feed_publish(fd);
}

static void
feed_fetched(struct fetch_result *res, void *arg)
{
	struct feed *fd = arg;

	feed_take(fd, res);
	/* After publishing: the interval depends on whether data is there. */
	schedule(fd);
}

/* Apply SLURM to the last good set and serve the result. */
static void
feed_publish(struct feed *fd)
{
	struct vrpset	*set;
	const uint32_t	*serial = NULL;
	uint32_t	 fserial;
	size_t		 changes;
	int		 r;

	/* GoRTR's -useserial: the file's serial, at start or always. */
	fserial = (uint32_t)fd->stats.file_serial;
	if (fd->stats.file_serial >= 0 && (fd->o.useserial == 2 ||
	    (fd->o.useserial == 1 && fd->stats.changes == 0)))
		serial = &fserial;
	if (fd->raw == NULL)
		return;
	if (fd->o.slurm != NULL && fd->slurm == NULL)
		return;		/* never serve what SLURM should filter */
	if (fd->slurm != NULL)
		set = slurm_apply(fd->slurm, fd->raw);
	else
		set = vrpset_ref(fd->raw);
	if (set == NULL) {
		reject(fd, FEED_INTERNAL, "out of memory applying SLURM");
		return;
	}
	if ((r = rtrstate_update(fd->st, set, serial, &changes)) == -1) {
		vrpset_unref(set);
		reject(fd, FEED_INTERNAL, "out of memory computing the diff");
		return;
	}
	fd->stats.expired = 0;
	arm_expiry(fd);
	if (r == 0) {
		log_ops(fd->log, LOG_INFO, "no change, serial stays %u",
		    fd->st->serial);
		return;
	}
	fd->stats.changes++;
	fd->stats.last_change = wall_now();
	log_ops(fd->log, LOG_INFO, "serial %u: %zu changes; serving %zu "
	    "VRPs, %zu ASPAs, %zu router keys", fd->st->serial, changes,
	    fd->st->set->nvrps, fd->st->set->naspas, fd->st->set->nrkeys);
	server_notify(fd->srv);
}

static void
slurm_fetched(struct fetch_result *res, void *arg)
{
	struct feed	*fd = arg;
	struct slurm	*s;
	struct err	 e;

	if (res->status == FETCH_NOT_MODIFIED)
		return;
	if (res->status == FETCH_ERROR) {
		reject(fd, FEED_SLURM, res->error);
		return;
	}
	if ((s = slurm_parse(res->body, res->len, fd->o.slurm, &e)) == NULL) {
		reject(fd, FEED_SLURM, e.msg);
		return;
	}
	fetcher_accept(fd->sf, res);
	slurm_free(fd->slurm);
	fd->slurm = s;
	log_ops(fd->log, LOG_INFO, "%s: SLURM loaded", fd->o.slurm);
	feed_publish(fd);
}

/* Start a fetch unless one runs; a refusal is counted, not lost. */
static void
start(struct feed *fd, struct fetcher *f)
{
	if (fetcher_busy(f))
		return;
	if (fetcher_start(f) == -1)
		reject(fd, FEED_INTERNAL, "cannot start a download");
}

static void
feed_poll(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct feed *fd = w->data;

	if (fd->sf != NULL && (fd->slurm == NULL || fd->o.slurm_refresh))
		start(fd, fd->sf);
	start(fd, fd->f);
	schedule(fd);
}

int
feed_init(struct feed *fd, struct ev_loop *loop, struct logger *log,
    struct rtrstate *st, struct server *srv, const struct feed_opts *o,
    struct err *e)
{
	struct fetch_opts so;

	memset(fd, 0, sizeof(*fd));
	fd->stats.file_serial = -1;
	fd->loop = loop;
	fd->log = log;
	fd->st = st;
	fd->srv = srv;
	fd->o = *o;
	if ((fd->f = fetcher_new(loop, &o->fetch, feed_fetched, fd, e))
	    == NULL)
		return -1;
	if (o->slurm != NULL) {
		so = o->fetch;
		so.url = o->slurm;
		if ((fd->sf = fetcher_new(loop, &so, slurm_fetched, fd, e))
		    == NULL) {
			fetcher_free(fd->f);
			return -1;
		}
	}
	ev_init(&fd->poll, feed_poll);
	ev_init(&fd->expiry, feed_expire);
	fd->poll.data = fd->expiry.data = fd;
	ev_timer_set(&fd->poll, 0, 0);
	ev_timer_start(loop, &fd->poll);
	return 0;
}

void
feed_refresh_now(struct feed *fd)
{
	if (fd->sf != NULL)
		start(fd, fd->sf);
	start(fd, fd->f);
}

void
feed_free(struct feed *fd)
{
	if (fd->loop == NULL)
		return;
	ev_timer_stop(fd->loop, &fd->poll);
	ev_timer_stop(fd->loop, &fd->expiry);
	fetcher_free(fd->f);
	fetcher_free(fd->sf);
	slurm_free(fd->slurm);
	vrpset_unref(fd->raw);
	memset(fd, 0, sizeof(*fd));
}
