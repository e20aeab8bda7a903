/*
 * metrics.c - /metrics, /rpki.json, /healthz and /status on the
 * libmicrohttpd thread, served from snapshots the loop thread renders.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "httplisten.h"
#include "metrics.h"
#include "metrics_impl.h"
#include "prom.h"
#include "session.h"
#include "vrpfile.h"
#include "vrpsign.h"

/* What one second of the loop thread's view looks like to HTTP. */
struct snap {
	unsigned int	 refs;		/* under metrics.mu */
	struct buf	 text;		/* Prometheus exposition */
	struct buf	 status;	/* /status JSON */
	int		 healthy;
	char		 health[160];
	struct vrpset	*set;		/* served set, or NULL */
	uint32_t	 serial;
	int64_t		 generated;
	int64_t		 valid;
};

/* A rendered export, shared by concurrent downloads. */
struct blob {
	unsigned int	refs;		/* under metrics.mu */
	uint32_t	serial;
	size_t		len;
	char		data[];
};

struct metrics {
	struct MHD_Daemon	*d;
	pthread_mutex_t		 mu;
	struct snap		*cur;
	struct blob		*export;
	char			*metrics_path;
	char			*export_path;
	EVP_PKEY		*sign;
	struct logger		*log;
	char			 url[512];	/* path label of GoRTR metrics */
};

static void
snap_unref(struct metrics *m, struct snap *s)
{
	int last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	last = --s->refs == 0;
	pthread_mutex_unlock(&m->mu);
	if (!last)
		return;
	buf_free(&s->text);
	buf_free(&s->status);
	vrpset_unref(s->set);
	free(s);
}

static void
blob_unref(struct metrics *m, struct blob *b)
{
	int last;

	if (b == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	last = --b->refs == 0;
	pthread_mutex_unlock(&m->mu);
	if (last)
		free(b);
}

static struct snap *
snap_get(struct metrics *m)
{
	struct snap *s;

	pthread_mutex_lock(&m->mu);
	if ((s = m->cur) != NULL)
		s->refs++;
	pthread_mutex_unlock(&m->mu);
	return s;
}

/* The served set as OctoRPKI JSON, signed if a key was given. */
static struct blob *
export_render(struct metrics *m, const struct snap *s)
{
	struct vrpfile_meta	 meta;
	struct siglines		 sl = { 0 };
	struct blob		*b = NULL;
	struct err		 e;
	char			*text = NULL;
	size_t			 len = 0;
	FILE			*fp;

	memset(&meta, 0, sizeof(meta));
	meta.generated = s->generated > 0 ? s->generated : time(NULL);
	meta.valid = s->valid > 0 ? s->valid : meta.generated + 3600;
	meta.serial = s->serial;
	meta.has_generated = meta.has_valid = meta.has_serial = 1;
	if (m->sign != NULL && (siglines_from_set(&sl, s->set) == -1 ||
	    vrpsign_sign(m->sign, &sl, &meta, &e) == -1)) {
		log_ops(m->log, LOG_ERROR, "export: signing failed");
		goto out;
	}
	if ((fp = open_memstream(&text, &len)) == NULL)
		goto out;
	if (vrpfile_write(fp, s->set, VRPFILE_OCTORPKI, &meta) == -1) {
		fclose(fp);
		goto out;
	}
	if (fclose(fp) != 0 || (b = malloc(sizeof(*b) + len)) == NULL)
		goto out;
	b->refs = 1;
	b->serial = s->serial;
	b->len = len;
	memcpy(b->data, text, len);
 out:
	free(text);
	siglines_free(&sl);
	vrpfile_meta_free(&meta);
	return b;
}

/* The cached export for s's serial, rendered on first request. */
static struct blob *
export_get(struct metrics *m, const struct snap *s)
{
	struct blob *b, *old;

	pthread_mutex_lock(&m->mu);
	if ((b = m->export) != NULL && b->serial == s->serial) {
		b->refs++;
		pthread_mutex_unlock(&m->mu);
		return b;
	}
	pthread_mutex_unlock(&m->mu);
	if ((b = export_render(m, s)) == NULL)
		return NULL;
	pthread_mutex_lock(&m->mu);
	old = m->export;
	m->export = b;
	b->refs++;			/* the cache's and the caller's */
	pthread_mutex_unlock(&m->mu);
	blob_unref(m, old);
	return b;
}

struct blob_reader {
	struct metrics	*m;
	struct blob	*b;
};

static ssize_t
blob_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct blob_reader	*r = cls;
	size_t			 n;

	if (pos >= r->b->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = r->b->len - (size_t)pos < max ? r->b->len - (size_t)pos : max;
	memcpy(buf, r->b->data + pos, n);
	return (ssize_t)n;
}

static void
blob_done(void *cls)
{
	struct blob_reader *r = cls;

	blob_unref(r->m, r->b);
	free(r);
}

static enum MHD_Result
reply_export(struct metrics *m, struct MHD_Connection *c,
    const struct snap *s)
{
	struct blob_reader	*br;
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	if (s->set == NULL)
		return http_reply(c, 503, "text/plain", "no data\n", 8);
	if ((br = calloc(1, sizeof(*br))) == NULL)
		return MHD_NO;
	br->m = m;
	if ((br->b = export_get(m, s)) == NULL) {
		free(br);
		return http_reply(c, 500, "text/plain", "export failed\n", 14);
	}
	r = MHD_create_response_from_callback(br->b->len, 64 * 1024,
	    blob_read, br, blob_done);
	if (r == NULL) {
		blob_done(br);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct metrics	*m = cls;
	struct snap	*s;
	enum MHD_Result	 ret;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return http_reply(c, 405, "text/plain", "GET only\n", 9);
	if ((s = snap_get(m)) == NULL)
		return http_reply(c, 503, "text/plain", "starting\n", 9);
	if (strcmp(url, m->metrics_path) == 0)
		ret = http_reply(c, 200, "text/plain; version=0.0.4",
		    s->text.data, s->text.len);
	else if (strcmp(url, "/healthz") == 0)
		ret = http_reply(c, s->healthy ? 200 : 503, "text/plain",
		    s->health, strlen(s->health));
	else if (strcmp(url, "/status") == 0)
		ret = http_reply(c, 200, "application/json", s->status.data,
		    s->status.len);
	else if (m->export_path[0] != '\0' && strcmp(url, m->export_path)
	    == 0)
		ret = reply_export(m, c, s);
	else
		ret = http_reply(c, 404, "text/plain", "not found\n", 10);
	snap_unref(m, s);
	return ret;
}

struct metrics *
metrics_start(const char *addr, const char *metrics_path,
    const char *export_path, const char *sign_key, struct logger *log,
    struct err *e)
{
	struct metrics *m;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&m->mu, NULL);
	m->log = log;
	if ((m->metrics_path = strdup(metrics_path)) == NULL ||
	    (m->export_path = strdup(export_path)) == NULL) {
		err_set(e, "out of memory");
		goto fail;
	}
	if (sign_key != NULL &&
	    (m->sign = vrpsign_load_privkey(sign_key, e)) == NULL) {
		err_prefix(e, "-export.sign");
		goto fail;
	}
	if ((m->d = http_listen(addr, "-metrics.addr", handle, m, e)) ==
	    NULL)
		goto fail;
	log_ops(log, LOG_INFO, "metrics on %s%s", addr, metrics_path);
	return m;
 fail:
	metrics_stop(m);
	return NULL;
}

void
metrics_stop(struct metrics *m)
{
	if (m == NULL)
		return;
	if (m->d != NULL)
		MHD_stop_daemon(m->d);
	snap_unref(m, m->cur);
	blob_unref(m, m->export);
	EVP_PKEY_free(m->sign);
	free(m->metrics_path);
	free(m->export_path);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

void
metrics_publish(struct metrics *m, struct rtrstate *st, struct server *srv,
    struct feed *fd)
{
	struct snap	*s, *old;
	double		 now = (double)time(NULL);

	if (m == NULL || (s = calloc(1, sizeof(*s))) == NULL)
		return;
	s->refs = 1;
	metrics_render(&s->text, fetcher_url(fd->f), st, srv, fd);
	status_render(&s->status, st, srv, fd);
	s->serial = st->serial;
	s->generated = fd->stats.generated;
	s->valid = fd->stats.valid;
	if (st->has_data)
		s->set = vrpset_ref(st->set);
	s->healthy = st->has_data;
	if (!st->has_data)
		snprintf(s->health, sizeof(s->health), "not serving: %s\n",
		    fd->stats.expired ? "data expired" : "no good data yet");
	else if (fd->stats.valid > 0 && fd->stats.valid < now)
		snprintf(s->health, sizeof(s->health), "ok, serial %u; "
		    "stale: valid until %lld, within grace\n", st->serial,
		    (long long)fd->stats.valid);
	else
		snprintf(s->health, sizeof(s->health), "ok, serial %u\n",
		    st->serial);
	pthread_mutex_lock(&m->mu);
	old = m->cur;
	m->cur = s;
	pthread_mutex_unlock(&m->mu);
	snap_unref(m, old);
}
