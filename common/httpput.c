/*
 * httpput.c - one HTTP PUT with libcurl's easy interface.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "fileio.h"
#include "httpput.h"

/* The most of a headers file read, and of an answer's body kept. */
#define HEADERS_MAX	(64 * 1024)
#define ANSWER_MAX	200

struct answer {
	char	text[ANSWER_MAX + 1];
	size_t	len;
};

/* Keep the start of the answer's body, for the error message. */
static size_t
answer_cb(char *p, size_t size, size_t n, void *arg)
{
	struct answer	*a = arg;
	size_t		 have = size * n, take;

	take = ANSWER_MAX - a->len < have ? ANSWER_MAX - a->len : have;
	memcpy(a->text + a->len, p, take);
	a->len += take;
	a->text[a->len] = '\0';
	return have;
}

/* The answer's first line, with control characters made '?'. */
static const char *
answer_line(struct answer *a)
{
	size_t	i;

	for (i = 0; i < a->len; i++) {
		if (a->text[i] == '\n' || a->text[i] == '\r') {
			a->text[i] = '\0';
			break;
		}
		if (iscntrl((unsigned char)a->text[i]))
			a->text[i] = '?';
	}
	return a->text;
}

/*
 * Append the "Name: value" lines of path to *list.  Blank lines and
 * lines starting with '#' are skipped; a line without a colon is an
 * error (its number is said, never its text: it may hold a secret).
 */
static int
headers_load(const char *path, struct curl_slist **list, struct err *e)
{
	struct curl_slist	*l;
	char			*data, *line, *next, *end;
	size_t			 len;
	unsigned		 lineno = 0;
	int			 rc = 0;

	if (file_read_all(path, HEADERS_MAX, &data, &len, e) == -1)
		return err_prefix(e, "-output.put.headers");
	for (line = data; rc == 0 && line < data + len; line = next) {
		lineno++;
		if ((next = memchr(line, '\n', (size_t)(data + len - line))) ==
		    NULL)
			next = data + len;
		end = next;
		*next++ = '\0';
		if (end > line && end[-1] == '\r')
			*--end = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (strchr(line, ':') == NULL || line[0] == ':')
			rc = err_set(e, "-output.put.headers %s: line %u: want "
			    "\"Name: value\"", path, lineno);
		else if ((l = curl_slist_append(*list, line)) == NULL)
			rc = err_set(e, "out of memory");
		else
			*list = l;
	}
	free(data);
	return rc;
}

int
http_put(const struct http_put_opts *o, const void *data, size_t len,
    struct err *e)
{
	CURL			*c;
	CURLcode		 cc;
	struct curl_slist	*hdrs = NULL, *l;
	struct answer		 a;
	char			 ctype[256], cerr[CURL_ERROR_SIZE];
	long			 code = 0;
	int			 rc = -1;

	memset(&a, 0, sizeof(a));
	cerr[0] = '\0';
	snprintf(ctype, sizeof(ctype), "Content-Type: %s", o->content_type);
	if ((l = curl_slist_append(NULL, ctype)) == NULL)
		return err_set(e, "out of memory");
	hdrs = l;
	/* No "Expect: 100-continue" round trip before the body. */
	if ((l = curl_slist_append(hdrs, "Expect:")) == NULL) {
		curl_slist_free_all(hdrs);
		return err_set(e, "out of memory");
	}
	hdrs = l;
	if (o->headers_file != NULL && o->headers_file[0] != '\0' &&
	    headers_load(o->headers_file, &hdrs, e) == -1) {
		curl_slist_free_all(hdrs);
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		curl_slist_free_all(hdrs);
		return err_set(e, "%s: cannot start libcurl", o->url);
	}
	curl_easy_setopt(c, CURLOPT_URL, o->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout < 30 ?
	    o->timeout : 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, answer_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "rpki-validator");
	if (o->cacert != NULL && o->cacert[0] != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	if ((cc = curl_easy_perform(c)) != CURLE_OK)
		err_set(e, "%s: PUT failed: %s", o->url, cerr[0] != '\0' ?
		    cerr : curl_easy_strerror(cc));
	else if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) !=
	    CURLE_OK || code < 200 || code > 299)
		err_set(e, "%s: PUT failed: want a 2xx answer, have %ld%s%s",
		    o->url, code, a.len > 0 ? ": " : "", answer_line(&a));
	else
		rc = 0;
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	return rc;
}
