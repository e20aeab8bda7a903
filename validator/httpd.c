/*
 * httpd.c - server mode's HTTP endpoints, served from snapshots the
 * validation thread builds after each run (see httpd.h).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "encoding.h"
#include "httpd.h"
#include "httpd_impl.h"
#include "httplisten.h"
#include "ossl.h"

/*
 * /healthz fails once the last good run is older than this many run
 * cycles (-refresh plus the run's duration): two failed runs in a row
 * are tolerated, a third is not.
 */
#define HEALTH_CYCLES	3

/* The products of one good run; immutable, shared by snapshots. */
struct good {
	atomic_uint	 refs;
	char		*output;	/* the -output.roa bytes */
	size_t		 output_len;
	char		*summary;	/* /infos */
	size_t		 summary_len;
	char		 etag[2 * 32 + 3];	/* "hex SHA-256" */
	int64_t		 finished;
	int64_t		 valid;		/* metadata.valid */
	size_t		 nvrps;
};

/* What the HTTP thread serves between two runs; immutable. */
struct snap {
	atomic_uint	 refs;
	struct good	*good;		/* NULL before the first good run */
	struct buf	 metrics;
	int		 ran;		/* a run has finished */
	int		 last_ok;
	char		 error[ERR_MSG_MAX];	/* why the last run failed */
	int64_t		 stale_after;	/* seconds after good->finished */
};

struct httpd {
	struct MHD_Daemon	*d;
	pthread_mutex_t		 mu;
	struct snap		*cur;		/* under mu */
	char			*roa_url;	/* "/" + -output.roa, or NULL */
	char			*metrics_url, *info_url;
	char			*cors;		/* -cors.origins, or NULL */
	int			 cors_creds, cache;
	double			 refresh;
	struct logger		*lg;
	struct httpd_stats	 stats;		/* validation thread only */
	struct good		*good;		/* its reference */
};

void
run_report_clear(struct run_report *rep)
{
	free(rep->output);
	free(rep->summary);
	rep->output = rep->summary = NULL;
	rep->output_len = rep->summary_len = 0;
	sync_repos_free(rep->repos, rep->nrepos);
	rep->repos = NULL;
	rep->nrepos = 0;
}

static struct good *
good_ref(struct good *g)
{
	if (g != NULL)
		atomic_fetch_add(&g->refs, 1);
	return g;
}

static void
good_unref(struct good *g)
{
	if (g == NULL || atomic_fetch_sub(&g->refs, 1) != 1)
		return;
	free(g->output);
	free(g->summary);
	free(g);
}

/* libmicrohttpd's callback when a response holding g is destroyed. */
static void
good_release(void *cls)
{
	good_unref(cls);
}

static void
snap_unref(struct snap *s)
{
	if (s == NULL || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	good_unref(s->good);
	buf_free(&s->metrics);
	free(s);
}

static struct snap *
snap_get(struct httpd *h)
{
	struct snap *s;

	pthread_mutex_lock(&h->mu);
	s = h->cur;
	atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&h->mu);
	return s;
}

/* A good run's products, taken from rep; NULL if out of memory. */
static struct good *
good_new(struct run_report *rep)
{
	struct good	*g;
	uint8_t		 md[32];

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	ossl_sha256(rep->output, rep->output_len, md);
	atomic_init(&g->refs, 1);
	g->etag[0] = '"';
	hex_encode(md, sizeof(md), g->etag + 1);
	g->etag[1 + 2 * sizeof(md)] = '"';
	g->output = rep->output;		/* taken */
	g->output_len = rep->output_len;
	g->summary = rep->summary;		/* taken */
	g->summary_len = rep->summary_len;
	rep->output = rep->summary = NULL;
	g->finished = rep->finished;
	g->valid = rep->valid;
	g->nvrps = rep->nvrps;
	return g;
}

/* One request: its connection and the headers every answer gets. */
struct req {
	struct MHD_Connection	*c;
	const char		*hdrs[12];	/* name, value, ..., NULL */
	size_t			 n;
	char			 maxage[32];
};

static void
req_hdr(struct req *q, const char *name, const char *value)
{
	if (q->n + 2 < sizeof(q->hdrs) / sizeof(q->hdrs[0])) {
		q->hdrs[q->n++] = name;
		q->hdrs[q->n++] = value;
		q->hdrs[q->n] = NULL;
	}
}

/*
 * Whether origin is one of list, -cors.origins: origins separated by
 * commas, "*" for any.
 */
static int
cors_allowed(const char *list, const char *origin)
{
	const char	*p = list;
	size_t		 n, olen = strlen(origin);

	while (*p != '\0') {
		n = strcspn(p, ",");
		if ((n == 1 && *p == '*') || (n == olen &&
		    strncasecmp(p, origin, n) == 0))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/*
 * The CORS headers OctoRPKI's handler (rs/cors) gives a request whose
 * Origin is among -cors.origins: that origin allowed ("*" when any is
 * and credentials are not), with credentials if -cors.creds.  The
 * origin string lives as long as the request.
 */
static void
req_cors(const struct httpd *h, struct req *q)
{
	const char	*origin;

	origin = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND,
	    "Origin");
	if (h->cors == NULL || origin == NULL ||
	    !cors_allowed(h->cors, origin))
		return;
	req_hdr(q, "Vary", "Origin");
	if (!h->cors_creds && cors_allowed(h->cors, "*"))
		req_hdr(q, "Access-Control-Allow-Origin", "*");
	else
		req_hdr(q, "Access-Control-Allow-Origin", origin);
	if (h->cors_creds)
		req_hdr(q, "Access-Control-Allow-Credentials", "true");
}

static enum MHD_Result
reply(struct req *q, unsigned int code, const char *type, const void *data,
    size_t len)
{
	return http_reply_hdrs(q->c, code, type, data, len, q->hdrs);
}

static enum MHD_Result
reply_text(struct req *q, unsigned int code, const char *fmt, ...)
{
	char	text[ERR_MSG_MAX + 256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return reply(q, code, "text/plain; charset=utf-8", text,
	    strlen(text));
}

/* Why there is nothing to serve yet. */
static enum MHD_Result
reply_not_yet(struct req *q, const struct snap *s)
{
	if (!s->ran)
		return reply_text(q, 503, "no output yet: the first "
		    "validation run has not finished\n");
	return reply_text(q, 503, "no output yet: no validation run has "
	    "succeeded; the last failed: %s\n", s->error);
}

/*
 * The output, without a copy: the response holds a reference to it.
 * With -http.cache, Cache-Control lets caches keep it until it expires
 * (metadata.valid), as OctoRPKI does.
 */
static enum MHD_Result
reply_output(const struct httpd *h, struct req *q, const struct snap *s)
{
	struct good		*g = s->good;
	struct MHD_Response	*r;
	const char		*inm;
	enum MHD_Result		 ret;
	unsigned int		 code = MHD_HTTP_OK;
	int64_t			 left;

	if (g == NULL)
		return reply_not_yet(q, s);
	left = g->valid - (int64_t)time(NULL);
	if (h->cache && left > 0) {
		snprintf(q->maxage, sizeof(q->maxage), "max-age=%lld",
		    (long long)left);
		req_hdr(q, "Cache-Control", q->maxage);
	}
	inm = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm != NULL && strcmp(inm, g->etag) == 0) {
		code = MHD_HTTP_NOT_MODIFIED;
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
	} else {
		r = MHD_create_response_from_buffer_with_free_callback_cls(
		    g->output_len, g->output, good_release, good_ref(g));
		if (r == NULL)
			good_unref(g);
	}
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/json");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, g->etag);
	http_add_hdrs(r, q->hdrs);
	ret = MHD_queue_response(q->c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_health(struct req *q, const struct snap *s)
{
	const struct good	*g = s->good;
	long long		 now = (long long)time(NULL), age;
	char			 failed[ERR_MSG_MAX + 64] = "";

	if (g == NULL)
		return reply_not_yet(q, s);
	if (!s->last_ok)
		snprintf(failed, sizeof(failed), "; the last run failed (%s), "
		    "the last good output is served", s->error);
	age = now - g->finished;
	if (now > g->valid)
		return reply_text(q, 503, "stale: the output served expired "
		    "%lld s ago (metadata.valid); last good run %lld s ago%s\n",
		    now - g->valid, age, failed);
	if (age > s->stale_after)
		return reply_text(q, 503, "stale: last good run %lld s ago, "
		    "more than %d refresh cycles (%lld s)%s\n", age,
		    HEALTH_CYCLES, (long long)s->stale_after, failed);
	return reply_text(q, 200, "ok: last good run %lld s ago, %zu VRPs%s\n",
	    age, g->nvrps, failed);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct httpd	*h = cls;
	struct snap	*s;
	struct req	 q;
	enum MHD_Result	 ret;

	memset(&q, 0, sizeof(q));
	q.c = c;
	req_cors(h, &q);
	if (strcmp(method, "OPTIONS") == 0) {
		/* A CORS preflight: what may be asked, nothing more. */
		req_hdr(&q, "Access-Control-Allow-Methods", "GET, HEAD");
		req_hdr(&q, "Allow", "GET, HEAD, OPTIONS");
		return reply(&q, 204, "text/plain", "", 0);
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply_text(&q, 405, "GET or HEAD only\n");
	s = snap_get(h);
	if (strcmp(url, "/output.json") == 0 ||
	    (h->roa_url != NULL && strcmp(url, h->roa_url) == 0))
		ret = reply_output(h, &q, s);
	else if (strcmp(url, h->metrics_url) == 0)
		ret = reply(&q, 200, "text/plain; version=0.0.4",
		    s->metrics.data, s->metrics.len);
	else if (strcmp(url, "/healthz") == 0)
		ret = reply_health(&q, s);
	else if (strcmp(url, h->info_url) == 0)
		ret = s->good == NULL ? reply_not_yet(&q, s) : reply(&q, 200,
		    "application/json", s->good->summary,
		    s->good->summary_len);
	else
		ret = reply_text(&q, 404, "not found; try /output.json, %s, "
		    "/healthz, %s\n", h->metrics_url, h->info_url);
	snap_unref(s);
	return ret;
}

/*
 * A snapshot of the validation thread's view; NULL if out of memory.
 * secs is the last run's duration.
 */
static struct snap *
snap_new(struct httpd *h, const char *error, double secs)
{
	struct snap	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	atomic_init(&s->refs, 1);
	s->good = good_ref(h->good);
	httpd_metrics_render(&s->metrics, &h->stats);
	if (buf_failed(&s->metrics)) {
		snap_unref(s);
		return NULL;
	}
	s->ran = h->stats.runs_ok + h->stats.runs_failed > 0;
	s->last_ok = h->stats.last_ok;
	snprintf(s->error, sizeof(s->error), "%s", error);
	s->stale_after = (int64_t)(HEALTH_CYCLES * (h->refresh + secs));
	return s;
}

static void
snap_swap(struct httpd *h, struct snap *s)
{
	struct snap *old;

	pthread_mutex_lock(&h->mu);
	old = h->cur;
	h->cur = s;
	pthread_mutex_unlock(&h->mu);
	snap_unref(old);
}

/* "/" + path, or path if it starts with '/' (OctoRPKI's paths). */
static char *
url_of(const char *path)
{
	char	*u;

	if (asprintf(&u, "%s%s", path[0] == '/' ? "" : "/", path) == -1)
		return NULL;
	return u;
}

struct httpd *
httpd_start(const struct httpd_config *cfg, struct logger *lg,
    struct err *e)
{
	struct httpd	*h;
	struct snap	*s;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		goto oom;
	pthread_mutex_init(&h->mu, NULL);
	h->refresh = cfg->refresh;
	h->cache = cfg->cache;
	h->cors_creds = cfg->cors_creds;
	h->lg = lg;
	if (cfg->roa_path != NULL && strcmp(cfg->roa_path, "-") != 0 &&
	    (h->roa_url = url_of(cfg->roa_path)) == NULL)
		goto oom;
	if ((h->metrics_url = url_of(cfg->metrics_path)) == NULL ||
	    (h->info_url = url_of(cfg->info_path)) == NULL)
		goto oom;
	if (cfg->cors_origins[0] != '\0' &&
	    (h->cors = strdup(cfg->cors_origins)) == NULL)
		goto oom;
	if ((s = snap_new(h, "", 0)) == NULL)
		goto oom;
	h->cur = s;
	if ((h->d = http_listen(cfg->addr, "-http.addr", handle, h, e)) ==
	    NULL)
		goto fail;
	return h;
 oom:
	err_set(e, "out of memory");
 fail:
	httpd_stop(h);
	return NULL;
}

unsigned int
httpd_port(const struct httpd *h)
{
	return http_port(h->d);
}

/*
 * Fold a run's repository fetches into hs->repos: one entry per
 * repository ever fetched, kept across runs (OctoRPKI's per-address
 * metrics are too).  An entry that cannot be added (out of memory) is
 * left out of the metrics.
 */
static void
repos_fold(struct httpd_stats *hs, const struct run_report *rep)
{
	const struct sync_repo	*r;
	struct repo_stat	*p;
	size_t			 i, j;

	for (i = 0; i < rep->nrepos; i++) {
		r = &rep->repos[i];
		for (j = 0; j < hs->nrepos; j++)
			if (hs->repos[j].rrdp == r->rrdp &&
			    strcmp(hs->repos[j].uri, r->uri) == 0)
				break;
		if (j == hs->nrepos) {
			if (hs->nrepos == hs->caprepos) {
				p = reallocarray(hs->repos, hs->caprepos ?
				    2 * hs->caprepos : 64, sizeof(*p));
				if (p == NULL)
					continue;
				hs->repos = p;
				hs->caprepos = hs->caprepos ? 2 * hs->caprepos :
				    64;
			}
			p = &hs->repos[j];
			memset(p, 0, sizeof(*p));
			if ((p->uri = strdup(r->uri)) == NULL)
				continue;
			p->rrdp = r->rrdp;
			hs->nrepos++;
		}
		p = &hs->repos[j];
		p->last_ok = r->ok;
		p->last_secs = r->secs;
		if (r->ok) {
			p->last_success = r->finished;
			if (r->rrdp)
				p->serial = r->serial;
		} else
			p->failures++;
	}
}

void
httpd_publish(struct httpd *h, struct run_report *rep)
{
	struct httpd_stats	*hs = &h->stats;
	struct good		*g;
	struct snap		*s;

	if (rep->ok && (g = good_new(rep)) != NULL) {
		good_unref(h->good);
		h->good = g;
		hs->has_data = 1;
		hs->finished = rep->finished;
		hs->valid = rep->valid;
		hs->bytes = g->output_len;
		hs->st = rep->st;
		hs->nvrps = rep->nvrps;
		hs->naspas = rep->naspas;
		hs->nrkeys = rep->nrkeys;
	} else if (rep->ok) {
		rep->ok = 0;
		snprintf(rep->error, sizeof(rep->error), "out of memory");
	}
	repos_fold(hs, rep);
	if (rep->ok)
		hs->runs_ok++;
	else
		hs->runs_failed++;
	hs->last_ok = rep->ok;
	hs->last_run = rep->finished;
	hs->last_secs = rep->secs;
	if ((s = snap_new(h, rep->ok ? "" : rep->error, rep->secs)) == NULL) {
		log_ops(h->lg, LOG_ERROR, "HTTP: out of memory: the endpoints "
		    "still show the run before");
		return;
	}
	snap_swap(h, s);
}

void
httpd_stop(struct httpd *h)
{
	size_t	i;

	if (h == NULL)
		return;
	if (h->d != NULL)
		MHD_stop_daemon(h->d);
	snap_unref(h->cur);
	good_unref(h->good);
	free(h->roa_url);
	free(h->metrics_url);
	free(h->info_url);
	free(h->cors);
	for (i = 0; i < h->stats.nrepos; i++)
		free(h->stats.repos[i].uri);
	free(h->stats.repos);
	pthread_mutex_destroy(&h->mu);
	free(h);
}
