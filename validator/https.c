/*
 * https.c - one GET over https with libcurl (https.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "https.h"
#include "ossl.h"

struct getctx {
	const struct https_req *r;
	struct ossl_sha256_ctx md;
	size_t		 got;
	int		 toobig, ioerr;
};

static size_t
get_write(char *p, size_t size, size_t n, void *arg)
{
	struct getctx	*g = arg;
	size_t		 len = size * n;

	if (len > g->r->max - g->got) {
		g->toobig = 1;
		return 0;	/* the transfer fails */
	}
	g->got += len;
	ossl_sha256_update(&g->md, p, len);
	if (g->r->fp != NULL) {
		if (fwrite(p, 1, len, g->r->fp) != len) {
			g->ioerr = errno != 0 ? errno : EIO;
			return 0;
		}
	} else {
		buf_add(g->r->mem, p, len);
		if (buf_failed(g->r->mem)) {
			g->ioerr = ENOMEM;
			return 0;
		}
	}
	return len;
}

static int
get_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	const struct getctx *g = arg;

	return g->r->cancel != NULL && atomic_load(g->r->cancel);
}

/* The options of every GET. */
static void
get_setopt(CURL *c, const struct https_req *r, struct getctx *g,
    char *cerr)
{
	curl_easy_setopt(c, CURLOPT_URL, r->uri);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	/* The body as sent: refused early if it says it is too big. */
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, r->contimeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, get_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, g);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, get_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, g);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "rpki-validator");
	/* "": every encoding libcurl decodes; get_write counts decoded. */
	if (r->gzip)
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
}

/* Why the transfer that ended with cc failed, into why. */
static void
get_why(CURLcode cc, const struct https_req *r, const struct getctx *g,
    const char *cerr, char *why, size_t whylen)
{
	if (g->toobig || cc == CURLE_FILESIZE_EXCEEDED)
		snprintf(why, whylen, "larger than %s (%zu bytes)%s",
		    r->max_name, r->max, r->gzip ? ", counted after content "
		    "decoding" : "");
	else if (g->ioerr)
		snprintf(why, whylen, "cannot keep the body: %s",
		    strerror(g->ioerr));
	else if (cc == CURLE_ABORTED_BY_CALLBACK)
		snprintf(why, whylen, "the run is cancelled");
	else if (cc == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, whylen, "timed out after %ld s (%s), %zu bytes "
		    "received", r->timeout_ms / 1000, r->timeout_name, g->got);
	else
		snprintf(why, whylen, "%s", cerr[0] != '\0' ? cerr :
		    curl_easy_strerror(cc));
}

void *
https_handle(void)
{
	return curl_easy_init();
}

void
https_handle_free(void *h)
{
	if (h != NULL)
		curl_easy_cleanup(h);
}

int
https_get(const struct https_req *r, struct https_res *res, char *why,
    size_t whylen)
{
	struct getctx	 g;
	CURL		*c;
	CURLcode	 cc;
	char		 cerr[CURL_ERROR_SIZE];
	int		 rc = -1;

	memset(&g, 0, sizeof(g));
	memset(res, 0, sizeof(*res));
	g.r = r;
	cerr[0] = '\0';
	ossl_sha256_init(&g.md);
	/* Reset, a handle keeps its connections and caches. */
	if ((c = r->handle) != NULL)
		curl_easy_reset(c);
	else if ((c = curl_easy_init()) == NULL) {
		snprintf(why, whylen, "cannot start libcurl");
		return -1;
	}
	get_setopt(c, r, &g, cerr);
	if ((cc = curl_easy_perform(c)) != CURLE_OK)
		get_why(cc, r, &g, cerr, why, whylen);
	else if (r->fp != NULL && fflush(r->fp) != 0)
		snprintf(why, whylen, "cannot keep the body: %s",
		    strerror(errno));
	else {
		ossl_sha256_final(&g.md, res->sha256);
		res->len = g.got;
		rc = 0;
	}
	if (r->handle == NULL)
		curl_easy_cleanup(c);
	return rc;
}
