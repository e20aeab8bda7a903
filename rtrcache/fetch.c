/*
 * fetch.c - one URL polled through libcurl's multi interface on libev.
 *
 * The glue is libcurl's "multi_socket" pattern:
 *  - CURLMOPT_SOCKETFUNCTION names the sockets to watch: each gets an
 *    ev_io, created on first sight, attached with curl_multi_assign and
 *    freed on CURL_POLL_REMOVE (libcurl calls it before closing the fd);
 *  - CURLMOPT_TIMERFUNCTION asks for one wake-up: a single ev_timer;
 *  - both watchers call curl_multi_socket_action, then collect a finished
 *    transfer with curl_multi_info_read.
 * libcurl never blocks here: sockets are non-blocking and names resolve
 * in libcurl's resolver thread (fetch_global_init insists on it).  The
 * user callback runs last, after libcurl has returned and the fetcher is
 * idle again, so it may restart or free the fetcher.
 *
 * Each fetcher owns its multi handle: two fetchers share nothing but the
 * loop, and the handle's connection cache keeps a keep-alive connection
 * for the next poll of the same server.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <ev.h>

#include "buf.h"
#include "fetch.h"
#include "fetch_impl.h"

#define FETCH_MAXREDIRS	5

int
fetch_global_init(struct err *e)
{
	curl_version_info_data	*v;
	CURLcode		 cc;

	if ((cc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK)
		return err_set(e, "libcurl: %s", curl_easy_strerror(cc));
	v = curl_version_info(CURLVERSION_NOW);
	if ((v->features & CURL_VERSION_ASYNCHDNS) == 0) {
		curl_global_cleanup();
		return err_set(e, "libcurl %s resolves names synchronously; "
		    "a DNS lookup would stall the event loop", v->version);
	}
	return 0;
}

void
fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

static double
fetch_elapsed(const struct fetcher *f)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - f->t0.tv_sec) +
	    (double)(now.tv_nsec - f->t0.tv_nsec) / 1e9;
}

void
fetch_result_init(struct fetch_result *res)
{
	memset(res, 0, sizeof(*res));
	res->status = FETCH_ERROR;
	res->reason = "internal";
}

/* Make res an error: reason is the label, the message names the URL. */
void
fetch_fail(struct fetch_result *res, const struct fetcher *f,
    const char *reason, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	res->status = FETCH_ERROR;
	res->reason = reason;
	n = snprintf(res->error, sizeof(res->error), "%s: ", f->shown);
	if (n < 0 || (size_t)n >= sizeof(res->error))
		return;
	va_start(ap, fmt);
	vsnprintf(res->error + n, sizeof(res->error) - n, fmt, ap);
	va_end(ap);
}

/*
 * End the request and hand res to the callback; frees the body unless
 * the callback took it.  f must not be touched afterwards: the callback
 * may have freed it.
 */
void
fetch_deliver(struct fetcher *f, struct fetch_result *res)
{
	fetch_cb	 cb = f->cb;
	void		*arg = f->arg;

	res->seconds = fetch_elapsed(f);
	curl_slist_free_all(f->headers);
	f->headers = NULL;
	if (f->easy != NULL)
		curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, NULL);
	buf_free(&f->body);
	f->busy = 0;
	cb(res, arg);
	free(res->body);
}

/* ---- libcurl <-> libev ------------------------------------------------ */

static void
fetch_sock_del(struct fetcher *f, struct fetch_sock *s)
{
	struct fetch_sock	**pp;

	for (pp = &f->socks; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	ev_io_stop(f->loop, &s->io);
	free(s);
}

static void	fetch_io_cb(struct ev_loop *, ev_io *, int);

/* CURLMOPT_SOCKETFUNCTION: watch fd for what libcurl asks, or stop. */
static int
fetch_sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *sockp)
{
	struct fetcher		*f = userp;
	struct fetch_sock	*s = sockp;
	int			 events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL)
			fetch_sock_del(f, s);
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;	/* the multi handle fails; see drive */
		s->f = f;
		s->fd = fd;
		s->next = f->socks;
		f->socks = s;
		ev_init(&s->io, fetch_io_cb);
		s->io.data = s;
		curl_multi_assign(f->multi, fd, s);
	} else
		ev_io_stop(f->loop, &s->io);
	if (what & CURL_POLL_IN)
		events |= EV_READ;
	if (what & CURL_POLL_OUT)
		events |= EV_WRITE;
	ev_io_set(&s->io, fd, events);
	ev_io_start(f->loop, &s->io);
	return 0;
}

/*
 * CURLMOPT_TIMERFUNCTION: one wake-up in ms milliseconds, -1 for none.
 * libcurl must not be called back from here, so even 0 goes through the
 * loop.
 */
static int
fetch_timer_cb(CURLM *multi, long ms, void *userp)
{
	struct fetcher	*f = userp;

	(void)multi;
	ev_timer_stop(f->loop, &f->curl_timer);
	if (ms >= 0) {
		ev_timer_set(&f->curl_timer, (double)ms / 1000.0, 0.0);
		ev_timer_start(f->loop, &f->curl_timer);
	}
	return 0;
}

/* Drop the multi handle and every watcher it owned. */
static void
fetch_multi_free(struct fetcher *f)
{
	if (f->multi != NULL) {
		curl_multi_remove_handle(f->multi, f->easy);
		curl_multi_cleanup(f->multi);	/* may call fetch_sock_cb */
		f->multi = NULL;
	}
	while (f->socks != NULL)
		fetch_sock_del(f, f->socks);
	ev_timer_stop(f->loop, &f->curl_timer);
}

static int
fetch_multi_new(struct fetcher *f)
{
	if ((f->multi = curl_multi_init()) == NULL)
		return -1;
	if (curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION,
	    fetch_sock_cb) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION,
	    fetch_timer_cb) != CURLM_OK ||
	    curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f) != CURLM_OK) {
		fetch_multi_free(f);
		return -1;
	}
	return 0;
}

/* Copy the named header of the last response, or leave dst empty. */
static void
fetch_header(struct fetcher *f, const char *name, char *dst, size_t sz)
{
	struct curl_header	*h;

	dst[0] = '\0';
	if (curl_easy_header(f->easy, name, 0, CURLH_HEADER, -1, &h) !=
	    CURLHE_OK || strlen(h->value) >= sz)
		return;		/* a truncated validator would be useless */
	memcpy(dst, h->value, strlen(h->value) + 1);
}

static void
fetch_classify_timeout(struct fetcher *f, struct fetch_result *res)
{
	curl_off_t	 ct = 0;

	curl_easy_getinfo(f->easy, CURLINFO_CONNECT_TIME_T, &ct);
	/* libcurl's own words are the only sign of a slow resolver. */
	if (strncmp(f->errbuf, "Resolving timed out", 19) == 0)
		fetch_fail(res, f, "dns", "DNS lookup timeout after %g s",
		    fmin(f->connect_timeout, f->total_timeout));
	else if (ct == 0 && res->http_code == 0)
		fetch_fail(res, f, "connect", "connect timeout after %g s",
		    fmin(f->connect_timeout, f->total_timeout));
	else if (res->http_code == 0)
		fetch_fail(res, f, "timeout", "timeout after %g s, "
		    "no response", f->total_timeout);
	else
		fetch_fail(res, f, "timeout", "timeout after %g s reading "
		    "the body, %zu bytes received", f->total_timeout,
		    res->wire_bytes);
}

/* Turn the outcome of a finished transfer into res. */
static void
fetch_classify(struct fetcher *f, CURLcode cc, struct fetch_result *res)
{
	const char	*why;
	long		 oserr = 0;

	why = f->errbuf[0] != '\0' ? f->errbuf : curl_easy_strerror(cc);
	switch (cc) {
	case CURLE_OK:
		if (res->http_code == 200) {
			res->status = FETCH_OK;
			res->reason = "ok";
		} else if (res->http_code == 304 && f->conditional) {
			res->status = FETCH_NOT_MODIFIED;
			res->reason = "not_modified";
		} else
			fetch_fail(res, f, "http", "HTTP status %ld, "
			    "want 200%s", res->http_code,
			    f->conditional ? " or 304" : "");
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		fetch_fail(res, f, "dns", "DNS lookup failed: %s", why);
		break;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(f->easy, CURLINFO_OS_ERRNO, &oserr);
		fetch_fail(res, f, "connect", "connect failed: %s",
		    oserr != 0 ? strerror((int)oserr) : why);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		fetch_classify_timeout(f, res);
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		fetch_fail(res, f, "tls", "TLS failed: %s", why);
		break;
	case CURLE_WRITE_ERROR:
		if (f->too_large)
			fetch_fail(res, f, "too_large",
			    "body larger than %zu bytes", f->max_body);
		else		/* the only other reason it refuses */
			fetch_fail(res, f, "internal", "out of memory after "
			    "%zu bytes of body", f->body.len);
		break;
	case CURLE_BAD_CONTENT_ENCODING:
		fetch_fail(res, f, "decode", "cannot decode the body: %s", why);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_UNSUPPORTED_PROTOCOL:
		fetch_fail(res, f, "redirect", "redirect refused: %s", why);
		break;
	case CURLE_OUT_OF_MEMORY:
		fetch_fail(res, f, "internal", "%s", why);
		break;
	default:
		fetch_fail(res, f, "read", "transfer failed: %s", why);
		break;
	}
}

static void
fetch_finish_http(struct fetcher *f, CURLcode cc)
{
	struct fetch_result	 res;
	curl_off_t		 wire = 0;

	fetch_result_init(&res);
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &res.http_code);
	if (curl_easy_getinfo(f->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire) ==
	    CURLE_OK && wire > 0)
		res.wire_bytes = (size_t)wire;
	fetch_header(f, "ETag", res.etag, sizeof(res.etag));
	fetch_header(f, "Last-Modified", res.last_modified,
	    sizeof(res.last_modified));
	fetch_classify(f, cc, &res);
	curl_multi_remove_handle(f->multi, f->easy);
	if (res.status == FETCH_OK) {
		/* Ownership of the body moves to res. */
		res.body = f->body.data;
		res.len = f->body.len;
		memset(&f->body, 0, sizeof(f->body));
	}
	fetch_deliver(f, &res);
}

/* Let libcurl act on fd (or on its timeout), then collect the result. */
static void
fetch_drive(struct fetcher *f, curl_socket_t fd, int action)
{
	struct fetch_result	 res;
	CURLMsg			*m;
	CURLMcode		 mc;
	int			 running, left;

	mc = curl_multi_socket_action(f->multi, fd, action, &running);
	if (mc != CURLM_OK) {
		/* The handle is unusable (a failed allocation): start over. */
		fetch_result_init(&res);
		fetch_fail(&res, f, "internal", "libcurl: %s",
		    curl_multi_strerror(mc));
		fetch_multi_free(f);
		fetch_deliver(f, &res);
		return;
	}
	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (m->msg == CURLMSG_DONE) {
			fetch_finish_http(f, m->data.result);
			return;		/* f may be gone */
		}
	}
}

static void
fetch_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fetch_sock	*s = w->data;
	int			 action = 0;

	(void)loop;
	if (revents & EV_READ)
		action |= CURL_CSELECT_IN;
	if (revents & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	if (revents & EV_ERROR)
		action |= CURL_CSELECT_ERR;
	fetch_drive(s->f, s->fd, action);	/* s may be freed in there */
}

static void
fetch_curl_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	fetch_drive(w->data, CURL_SOCKET_TIMEOUT, 0);
}

/* CURLOPT_WRITEFUNCTION: keep the decoded body, up to max_body bytes. */
static size_t
fetch_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct fetcher	*f = arg;
	size_t		 len = size * n;
	long		 code = 0;

	/*
	 * The body of an error page or a 304 is not the file: drop it, so
	 * it cannot trip the cap and hide the status.
	 */
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200)
		return len;
	if (len > f->max_body - f->body.len) {
		f->too_large = 1;
		return CURL_WRITEFUNC_ERROR;
	}
	buf_add(&f->body, p, len);
	return buf_failed(&f->body) ? CURL_WRITEFUNC_ERROR : len;
}

static long
fetch_ms(double sec)
{
	return sec * 1000.0 < 1.0 ? 1L : (long)(sec * 1000.0 + 0.5);
}

/*
 * The options that stay the same for every request.  A setopt fails only
 * for an unknown option or no memory; the codes are or-ed together.
 */
static int
fetch_easy_new(struct fetcher *f)
{
	CURL	*c;
	int	 bad = 0;

	if ((c = f->easy = curl_easy_init()) == NULL)
		return -1;
	bad |= curl_easy_setopt(c, CURLOPT_URL, f->url);
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_MAXREDIRS);
	bad |= curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT, f->useragent);
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    fetch_ms(f->connect_timeout));
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
	    fetch_ms(f->total_timeout));
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, f->errbuf);
	if (f->cafile != NULL)
		bad |= curl_easy_setopt(c, CURLOPT_CAINFO, f->cafile);
	return bad != CURLE_OK ? -1 : 0;
}

static struct curl_slist *
fetch_header_add(struct curl_slist *l, int *bad, const char *name,
    const char *value)
{
	struct curl_slist	*n;
	char			*line;

	if (*bad || asprintf(&line, "%s: %s", name, value) == -1) {
		*bad = 1;
		return l;
	}
	if ((n = curl_slist_append(l, line)) == NULL)
		*bad = 1;
	free(line);
	return n != NULL ? n : l;
}

static int
fetch_start_http(struct fetcher *f)
{
	int	 bad = 0;

	f->conditional = 0;
	f->headers = fetch_header_add(NULL, &bad, "Accept", f->accept);
	if (f->use_etag && f->etag[0] != '\0') {
		f->headers = fetch_header_add(f->headers, &bad,
		    "If-None-Match", f->etag);
		f->conditional = 1;
	}
	if (f->use_lastmod && f->last_modified[0] != '\0') {
		f->headers = fetch_header_add(f->headers, &bad,
		    "If-Modified-Since", f->last_modified);
		f->conditional = 1;
	}
	if (bad || curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER,
	    f->headers) != CURLE_OK)
		goto fail;
	if (f->multi == NULL && fetch_multi_new(f) == -1)
		goto fail;
	if (curl_multi_add_handle(f->multi, f->easy) != CURLM_OK)
		goto fail;
	return 0;	/* the timer callback has asked for a wake-up */
 fail:
	curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(f->headers);
	f->headers = NULL;
	return -1;
}

/* ---- the interface ---------------------------------------------------- */

static int
fetch_header_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* A malloc'd copy of a string from libcurl, which is released. */
static char *
fetch_curl_str(char *s)
{
	char	*p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	curl_free(s);
	return p;
}

/* Fill f->url, f->shown and, for a file, f->path.  0 or -1. */
static int
fetch_parse_url(struct fetcher *f, const char *url, struct err *e)
{
	CURLU	*u = NULL;
	char	*s = NULL;
	int	 http;

	http = strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0;
	if (!http && strncasecmp(url, "file://", 7) != 0) {
		if (strstr(url, "://") != NULL)
			return err_set(e, "%s: unsupported URL scheme", url);
		f->path = strdup(url);
		f->shown = strdup(url);
		goto out;
	}
	if ((u = curl_url()) == NULL)
		return err_set(e, "%s: out of memory", url);
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		/* libcurl refuses file:// URLs naming another host. */
		curl_url_cleanup(u);
		return err_set(e, "%s: malformed URL", url);
	}
	if (!http) {
		curl_url_get(u, CURLUPART_PATH, &s, CURLU_URLDECODE);
		f->path = fetch_curl_str(s);
		f->shown = f->path != NULL ? strdup(f->path) : NULL;
	} else {
		/* Keep credentials out of logs and metrics. */
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		curl_url_get(u, CURLUPART_URL, &s, 0);
		f->shown = fetch_curl_str(s);
		f->url = strdup(url);
	}
 out:
	curl_url_cleanup(u);
	if (f->shown == NULL || (f->path == NULL && f->url == NULL))
		return err_set(e, "%s: out of memory", url);
	return 0;
}

static int
fetch_opts_copy(struct fetcher *f, const struct fetch_opts *o,
    struct err *e)
{
	const char	*ua, *acc;

	ua = o->useragent != NULL ? o->useragent : FETCH_DEFAULT_USERAGENT;
	acc = o->accept != NULL ? o->accept : FETCH_DEFAULT_ACCEPT;
	if (!fetch_header_ok(ua) || !fetch_header_ok(acc))
		return err_set(e, "%s: control character in the user agent "
		    "or Accept value", o->url);
	/* Written so that NaN fails too. */
	if (!(o->connect_timeout >= 0 && o->connect_timeout <= 86400) ||
	    !(o->total_timeout >= 0 && o->total_timeout <= 86400))
		return err_set(e, "%s: timeouts must be 0 to 86400 seconds",
		    o->url);
	f->use_etag = o->use_etag;
	f->use_lastmod = o->use_lastmod;
	f->connect_timeout = o->connect_timeout > 0 ? o->connect_timeout :
	    FETCH_DEFAULT_CONNECT_TIMEOUT;
	f->total_timeout = o->total_timeout > 0 ? o->total_timeout :
	    FETCH_DEFAULT_TOTAL_TIMEOUT;
	f->max_body = o->max_body > 0 ? o->max_body : FETCH_DEFAULT_MAX_BODY;
	if (f->max_body > SIZE_MAX / 2)
		return err_set(e, "%s: body limit too large", o->url);
	f->useragent = strdup(ua);
	f->accept = strdup(acc);
	if (o->cafile != NULL)
		f->cafile = strdup(o->cafile);
	if (f->useragent == NULL || f->accept == NULL ||
	    (o->cafile != NULL && f->cafile == NULL))
		return err_set(e, "%s: out of memory", o->url);
	return 0;
}

struct fetcher *
fetcher_new(struct ev_loop *loop, const struct fetch_opts *o, fetch_cb cb,
    void *arg, struct err *e)
{
	struct fetcher	*f;

	if (o->url == NULL || o->url[0] == '\0') {
		err_set(e, "no URL to fetch");
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		err_set(e, "%s: out of memory", o->url);
		return NULL;
	}
	f->loop = loop;
	f->cb = cb;
	f->arg = arg;
	ev_init(&f->curl_timer, fetch_curl_timer_cb);
	f->curl_timer.data = f;
	ev_init(&f->local_timer, fetch_local_timer_cb);
	f->local_timer.data = f;
	if (fetch_parse_url(f, o->url, e) == -1 ||
	    fetch_opts_copy(f, o, e) == -1)
		goto fail;
	if (f->url != NULL &&
	    (fetch_easy_new(f) == -1 || fetch_multi_new(f) == -1)) {
		err_set(e, "%s: cannot set up libcurl", f->shown);
		goto fail;
	}
	return f;
 fail:
	fetcher_free(f);
	return NULL;
}

int
fetcher_start(struct fetcher *f)
{
	if (f->busy)
		return -1;
	f->too_large = 0;
	f->errbuf[0] = '\0';
	buf_free(&f->body);
	if (buf_reserve(&f->body, 0) == NULL)	/* even "" has a buffer */
		return -1;
	f->body.data[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &f->t0);
	if (f->path != NULL) {
		/* Read from the loop, so the callback never runs in here. */
		ev_timer_set(&f->local_timer, 0.0, 0.0);
		ev_timer_start(f->loop, &f->local_timer);
	} else if (fetch_start_http(f) == -1) {
		buf_free(&f->body);
		return -1;
	}
	f->busy = 1;
	return 0;
}

int
fetcher_busy(const struct fetcher *f)
{
	return f->busy;
}

void
fetcher_accept(struct fetcher *f, const struct fetch_result *res)
{
	if (res->status != FETCH_OK)
		return;
	/* An empty value clears the old one: never send a stale validator. */
	snprintf(f->etag, sizeof(f->etag), "%s", res->etag);
	snprintf(f->last_modified, sizeof(f->last_modified), "%s",
	    res->last_modified);
}

char *
fetch_result_take_body(struct fetch_result *res, size_t *len)
{
	char	*p = res->body;

	if (len != NULL)
		*len = p != NULL ? res->len : 0;
	res->body = NULL;
	return p;
}

const char *
fetcher_url(const struct fetcher *f)
{
	return f->shown;
}

void
fetcher_free(struct fetcher *f)
{
	if (f == NULL)
		return;
	ev_timer_stop(f->loop, &f->local_timer);
	fetch_multi_free(f);
	if (f->easy != NULL)
		curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->headers);
	buf_free(&f->body);
	free(f->url);
	free(f->shown);
	free(f->path);
	free(f->useragent);
	free(f->accept);
	free(f->cafile);
	free(f);
}
