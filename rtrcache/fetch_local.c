/*
 * fetch_local.c - a "fetch" of a local file (-cache /path): the same
 * result as over HTTP, with an ETag and Last-Modified made from the
 * file's identity, so that an unchanged file is "not modified".
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch_impl.h"

/* What makes a file "the same": device, inode, size, both times in ns. */
static void
fetch_local_id(const struct stat *st, char *dst, size_t sz)
{
	snprintf(dst, sz, "file:%jx:%jx:%jx:%jd.%09ld:%jd.%09ld",
	    (uintmax_t)st->st_dev, (uintmax_t)st->st_ino,
	    (uintmax_t)st->st_size,
	    (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	    (intmax_t)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

/* RFC 9110 section 5.6.7 IMF-fixdate, independent of the locale. */
static void
fetch_httpdate(time_t t, char *dst, size_t sz)
{
	static const char	 days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char	 mons[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm		 tm;

	if (gmtime_r(&t, &tm) == NULL) {
		dst[0] = '\0';
		return;
	}
	snprintf(dst, sz, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, mons[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Read fd into f->body; 0, or -1 with res made an error. */
static int
fetch_local_body(struct fetcher *f, int fd, struct fetch_result *res)
{
	char	*p;
	size_t	 want;
	ssize_t	 r;

	for (;;) {
		want = f->max_body + 1 - f->body.len;
		if (want > 65536)
			want = 65536;
		if ((p = buf_reserve(&f->body, want)) == NULL) {
			fetch_fail(res, f, "internal", "out of memory");
			return -1;
		}
		if ((r = read(fd, p, want)) == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			fetch_fail(res, f, "read", "read: %s", strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		f->body.len += (size_t)r;
		if (f->body.len > f->max_body) {
			fetch_fail(res, f, "too_large",
			    "body larger than %zu bytes", f->max_body);
			return -1;
		}
	}
	f->body.data[f->body.len] = '\0';	/* reserved above */
	return 0;
}

/* 1 if t is less than FETCH_RACY_SEC ago (or in the future). */
static int
fetch_racy(const struct timespec *t)
{
	struct timespec	 now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9 < FETCH_RACY_SEC;
}

static void
fetch_local(struct fetcher *f, struct fetch_result *res)
{
	struct stat	 st;
	int		 fd;

	/* O_NONBLOCK: opening a FIFO by mistake must not hang the loop. */
	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		fetch_fail(res, f, "read", "%s", strerror(errno));
		return;
	}
	if (fstat(fd, &st) == -1) {
		fetch_fail(res, f, "read", "fstat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		fetch_fail(res, f, "read", "not a regular file");
		goto out;
	}
	fetch_local_id(&st, res->etag, sizeof(res->etag));
	fetch_httpdate(st.st_mtim.tv_sec, res->last_modified,
	    sizeof(res->last_modified));
	if (f->use_lastmod && f->etag[0] != '\0' &&
	    strcmp(f->etag, res->etag) == 0) {
		res->status = FETCH_NOT_MODIFIED;
		res->reason = "not_modified";
		goto out;
	}
	if ((uintmax_t)st.st_size > f->max_body) {
		fetch_fail(res, f, "too_large", "body larger than %zu bytes "
		    "(file has %jd)", f->max_body, (intmax_t)st.st_size);
		goto out;
	}
	if (fetch_local_body(f, fd, res) == -1)
		goto out;
	if (fetch_racy(&st.st_mtim) || fetch_racy(&st.st_ctim))
		res->etag[0] = '\0';	/* too fresh to vouch for */
	res->status = FETCH_OK;
	res->reason = "ok";
	res->body = f->body.data;	/* ownership moves to res */
	res->len = f->body.len;
	memset(&f->body, 0, sizeof(f->body));
 out:
	close(fd);
}

void
fetch_local_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fetcher		*f = w->data;
	struct fetch_result	 res;

	(void)loop;
	(void)revents;
	fetch_result_init(&res);
	fetch_local(f, &res);
	fetch_deliver(f, &res);
}

