/*
 * httpput.h - uploading a file with an HTTP PUT: rpki-validator's
 * -output.put, for a web server or CDN origin that takes uploads
 * (WebDAV, an object store's HTTP API).
 *
 * libcurl must have been initialised (curl_global_init) before the
 * first call, while the process had one thread.
 */
#ifndef COMMON_HTTPPUT_H
#define COMMON_HTTPPUT_H

#include <stddef.h>

#include "err.h"

struct http_put_opts {
	const char	*url;		/* http:// or https:// */
	const char	*content_type;	/* e.g. "application/json" */
	const char	*headers_file;	/* "Name: value" lines, or NULL */
	const char	*cacert;	/* CA bundle for https, or NULL */
	long		 timeout;	/* seconds for the whole request */
};

/*
 * PUT data[0..len) to o->url with o's headers.  Only a 2xx answer is
 * success; redirects are not followed.  The headers file is read on
 * every call (a rotated token is picked up at the next upload) and its
 * contents never appear in messages.  Returns 0, or -1 with e naming
 * the URL and what went wrong: the transfer error, or the HTTP status
 * and the start of the answer's body.
 */
int	http_put(const struct http_put_opts *o, const void *data, size_t len,
	    struct err *e);

#endif
