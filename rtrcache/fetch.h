/*
 * fetch.h - poll one URL (the signed VRP file, a SLURM file) without ever
 * blocking the event loop.
 *
 * HTTP(S) goes through libcurl's multi interface, driven by libev: curl
 * tells us which sockets to watch and when to wake it, and every step of
 * a transfer runs from an ev_io or ev_timer callback.  A local path (or a
 * file:// URL) is read with plain read(2) calls in one deferred callback
 * of the loop: fine for a local disk, not meant for a network mount.
 * Timeouts are 0 (the default) to 86400 seconds.
 *
 * One fetcher runs at most one request at a time; several fetchers may
 * share a loop.  All calls must come from the loop's thread.
 */
#ifndef RTRCACHE_FETCH_H
#define RTRCACHE_FETCH_H

#include <stddef.h>

#include "err.h"

struct ev_loop;
struct fetcher;

#define FETCH_ETAG_MAX		256
#define FETCH_LASTMOD_MAX	64
#define FETCH_ERROR_MAX		512

/* Defaults for the fields of struct fetch_opts left zero. */
#define FETCH_DEFAULT_USERAGENT		"rtrcache/0.1"
#define FETCH_DEFAULT_ACCEPT		"application/json"
#define FETCH_DEFAULT_CONNECT_TIMEOUT	10.0
#define FETCH_DEFAULT_TOTAL_TIMEOUT	120.0
#define FETCH_DEFAULT_MAX_BODY		((size_t)256 << 20)

struct fetch_opts {
	const char	*url;		/* http(s)://, file:// or a path */
	const char	*useragent;	/* NULL: FETCH_DEFAULT_USERAGENT */
	const char	*accept;	/* Accept header (GoRTR -mime) */
	int		 use_etag;	/* send If-None-Match (GoRTR -etag) */
	int		 use_lastmod;	/* send If-Modified-Since; for local
					   files: skip an unchanged file */
	double		 connect_timeout;	/* seconds, 0: default */
	double		 total_timeout;		/* seconds, whole transfer */
	size_t		 max_body;	/* decoded body cap, 0: default */
	const char	*cafile;	/* PEM bundle used instead of libcurl's
					   CA file (its CA directory stays) */
};

enum fetch_status {
	FETCH_OK,
	FETCH_NOT_MODIFIED,
	FETCH_ERROR,
};

struct fetch_result {
	enum fetch_status status;
	long		 http_code;	/* last status received; 0 if none,
					   always 0 for local files */
	char		*body;		/* FETCH_OK only, NUL-terminated */
	size_t		 len;
	size_t		 wire_bytes;	/* body bytes as received (encoded) */
	/*
	 * As the server sent them, "" if none.  For a local file, etag is
	 * its identity (device, inode, size, mtime and ctime in ns), left ""
	 * while the file is under a second old: a second write within the
	 * same tick of the file clock would go unnoticed.
	 */
	char		 etag[FETCH_ETAG_MAX];
	char		 last_modified[FETCH_LASTMOD_MAX];
	char		 error[FETCH_ERROR_MAX];	/* FETCH_ERROR: URL and
							   what failed */
	double		 seconds;	/* wall time from start to result */
	const char	*reason;	/* static label, never NULL: "ok",
					   "not_modified", or one of "dns",
					   "connect", "tls", "timeout", "http",
					   "redirect", "too_large", "decode",
					   "read", "internal" */
};

/*
 * Called exactly once per successful fetcher_start, from the loop.  res
 * and res->body live until the callback returns, unless the callback
 * takes the body with fetch_result_take_body.  The callback may call
 * fetcher_accept, fetcher_start (a new request) or fetcher_free on the
 * fetcher that called it.
 */
typedef void	(*fetch_cb)(struct fetch_result *res, void *arg);

/*
 * Initialise libcurl; call once at program start, before any thread
 * exists and before fetcher_new.  Fails (-1, reason in e) if libcurl
 * cannot start or resolves names synchronously (a DNS lookup would stall
 * the loop).  fetch_global_cleanup undoes it at program end.
 */
int	fetch_global_init(struct err *e);
void	fetch_global_cleanup(void);

/*
 * A fetcher for o->url on loop; cb(res, arg) reports each request.  The
 * options are copied.  Returns NULL with the reason in e (which may be
 * NULL) for bad options: no URL, an unsupported scheme, a file:// URL
 * naming another host, a timeout outside 0..86400 s or NaN, control
 * characters in a header value.  Free with fetcher_free.
 */
struct fetcher	*fetcher_new(struct ev_loop *loop, const struct fetch_opts *o,
		    fetch_cb cb, void *arg, struct err *e);

/*
 * Begin one request now.  Returns 0, and the callback will fire once;
 * or -1 if a request is already running (or libcurl refused to start
 * one), and the callback will not fire for this call.
 */
int	fetcher_start(struct fetcher *f);

/* 1 while a request is running (from fetcher_start to its callback). */
int	fetcher_busy(const struct fetcher *f);

/*
 * The caller verified res's body: send its ETag / Last-Modified in the
 * next conditional request (for a local file: remember its identity).
 * Only a FETCH_OK result is adopted; a body that failed verification is
 * simply not accepted, so the next request fetches it again.
 */
void	fetcher_accept(struct fetcher *f, const struct fetch_result *res);

/*
 * Take ownership of res->body (the caller frees it); res->body becomes
 * NULL.  Returns NULL if there is no body.  *len may be NULL.
 */
char	*fetch_result_take_body(struct fetch_result *res, size_t *len);

/* The URL as shown in messages: credentials removed.  Owned by f. */
const char	*fetcher_url(const struct fetcher *f);

/*
 * Cancel a running request (its callback does not fire) and free f.
 * f may be NULL.  Safe from within f's own callback.
 */
void	fetcher_free(struct fetcher *f);

#endif
