/*
 * fetch_impl.h - what fetch.c (HTTP through libcurl on the event loop)
 * and fetch_local.c (local files) share: the fetcher itself and how a
 * request ends.
 */
#ifndef RTRCACHE_FETCH_IMPL_H
#define RTRCACHE_FETCH_IMPL_H

#include <time.h>

#include <curl/curl.h>
#include <ev.h>

#include "buf.h"
#include "fetch.h"

/*
 * A local file changed twice within one tick of the kernel's coarse file
 * clock keeps its size, inode and timestamps: a file whose mtime or ctime
 * is this recent is never reported as unchanged (git's "racy clean").
 */
#define FETCH_RACY_SEC	1

struct fetch_sock {
	ev_io			 io;
	struct fetcher		*f;
	curl_socket_t		 fd;
	struct fetch_sock	*next;
};

struct fetcher {
	struct ev_loop		*loop;
	fetch_cb		 cb;
	void			*arg;
	char			*url;		/* for libcurl */
	char			*shown;		/* for messages */
	char			*path;		/* a local file, or NULL */
	char			*useragent;
	char			*accept;
	char			*cafile;
	int			 use_etag;
	int			 use_lastmod;
	double			 connect_timeout;
	double			 total_timeout;
	size_t			 max_body;

	CURLM			*multi;		/* NULL after a fatal error */
	CURL			*easy;
	struct curl_slist	*headers;	/* of the running request */
	struct fetch_sock	*socks;
	ev_timer		 curl_timer;
	ev_timer		 local_timer;

	int			 busy;
	int			 conditional;	/* request sent a validator */
	int			 too_large;	/* the write callback gave up */
	struct buf		 body;
	struct timespec		 t0;
	char			 errbuf[CURL_ERROR_SIZE];
	char			 etag[FETCH_ETAG_MAX];	/* last accepted */
	char			 last_modified[FETCH_LASTMOD_MAX];
};


/* A result that is an internal error until something better is known. */
void	fetch_result_init(struct fetch_result *res);

/*
 * Make res an error: reason is its label (rejection metrics), the
 * message (printf) names the URL.
 */
void	fetch_fail(struct fetch_result *res, const struct fetcher *f,
	    const char *reason, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/*
 * End the request and hand res to the callback; frees the body unless
 * the callback took it.
 */
void	fetch_deliver(struct fetcher *f, struct fetch_result *res);

/* fetch_local.c: read the local file of f now (an ev_timer callback). */
void	fetch_local_timer_cb(struct ev_loop *loop, ev_timer *w, int revents);

#endif
