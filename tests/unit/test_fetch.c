/*
 * test_fetch.c - the VRP file poller against real servers on loopback:
 * nginx (started by tests/cli/fetch-nginx.sh, stopped by its PID), a
 * socket that never answers, and a child process that drip-feeds a body.
 * Every test drives a private libev loop until the callback fires, with a
 * guard timer so a lost callback fails instead of hanging.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "fetch.h"

#include "testutil.h"

#define NGINX_SCRIPT	"tests/cli/fetch-nginx.sh"

struct server {
	pid_t	 pid;
	int	 port;
	int	 tlsport;
	char	 dir[64];
	char	 script[PATH_MAX];
};

/* ---- processes and sockets -------------------------------------------- */

static double
now_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A TCP socket bound to a free loopback port; listening (backlog 1) if
 * asked.  A bound socket that does not listen refuses connections.
 */
static int
sock_bound(int *port, int do_listen)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 s;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) == -1 ||
	    (do_listen && listen(s, 1) == -1))
		fail_msg("socket: %s", strerror(errno));
	*port = ntohs(sin.sin_port);
	return s;
}

static int
port_free(void)
{
	int	 port, s;

	s = sock_bound(&port, 0);
	close(s);
	return port;
}

static int
port_up(int port)
{
	struct sockaddr_in	 sin;
	int			 s, ok;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	ok = connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(s);
	return ok;
}

/* Stop a child of ours: SIGTERM, then SIGKILL after 3 s; always reaped. */
static void
proc_stop(pid_t pid)
{
	double	 t;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (t = now_mono(); now_mono() - t < 3.0; usleep(10000))
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Start nginx on two fresh ports; retry if another process took one. */
static int
nginx_start(struct server *s)
{
	double	 t;
	int	 try;

	for (try = 0; try < 5; try++) {
		s->port = port_free();
		s->tlsport = port_free();
		if ((s->pid = fork()) == -1)
			return -1;
		if (s->pid == 0) {
			char	p[16], tp[16];

			/* Do not outlive the test binary if it crashes. */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			snprintf(p, sizeof(p), "%d", s->port);
			snprintf(tp, sizeof(tp), "%d", s->tlsport);
			execl("/bin/bash", "bash", s->script, s->dir, p, tp,
			    (char *)NULL);
			_exit(127);
		}
		for (t = now_mono(); now_mono() - t < 15.0; usleep(20000)) {
			if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
				s->pid = 0;
				break;		/* lost a port race: again */
			}
			if (port_up(s->port) && port_up(s->tlsport))
				return 0;
		}
		proc_stop(s->pid);
		s->pid = 0;
	}
	return -1;
}

/*
 * A child process answering one request: it reads the request, sends
 * head (status line and headers, blank line included), then body, one
 * byte every gap microseconds (all at once if gap is 0).  It exits after
 * 20 s at most; the caller stops it with proc_stop.
 */
static pid_t
fake_start(int *port, const char *head, const char *body, useconds_t gap)
{
	char	 req[4096];
	size_t	 i, n, len = strlen(body);
	ssize_t	 r;
	pid_t	 pid;
	int	 ls, c;

	ls = sock_bound(port, 1);
	if ((pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (pid != 0) {
		close(ls);
		return pid;
	}
	alarm(20);
	if ((c = accept(ls, NULL, NULL)) == -1)
		_exit(1);
	for (n = 0; n < sizeof(req) - 1; n += r) {
		if ((r = read(c, req + n, sizeof(req) - 1 - n)) <= 0)
			_exit(1);
		req[n + r] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	if (send(c, head, strlen(head), MSG_NOSIGNAL) == -1)
		_exit(1);
	if (gap == 0 && send(c, body, len, MSG_NOSIGNAL) == -1)
		_exit(1);
	for (i = 0; gap != 0 && i < len; i++) {
		usleep(gap);
		if (send(c, body + i, 1, MSG_NOSIGNAL) != 1)
			break;
	}
	close(c);
	_exit(0);
}

/* A 200 response with body, one byte per 100 ms. */
static pid_t
drip_start(int *port, const char *body)
{
	char	 head[256];

	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	    strlen(body));
	return fake_start(port, head, body, 100000);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE	*fp;

	if ((fp = fopen(path, "w")) == NULL ||
	    fwrite(data, 1, len, fp) != len || fclose(fp) != 0)
		fail_msg("%s: %s", path, strerror(errno));
}

/* 1 if the nginx access log has a line with needle within wait seconds. */
static int
log_has(const struct server *s, const char *needle, double wait)
{
	char	 path[128], line[2048];
	FILE	*fp;
	double	 t;
	int	 found = 0;

	snprintf(path, sizeof(path), "%s/access.log", s->dir);
	for (t = now_mono(); !found && now_mono() - t < wait; usleep(20000)) {
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		while (!found && fgets(line, sizeof(line), fp) != NULL)
			found = strstr(line, needle) != NULL;
		fclose(fp);
	}
	return found;
}

/* Fail, showing the access log, unless it gets a line with needle. */
#define assert_logged(s, needle) do {					\
	if (!log_has((s), (needle), 2.0)) {				\
		print_error("access log lacks \"%s\"\n", (needle));	\
		log_dump(s);						\
		fail();							\
	}								\
} while (0)

static void
log_dump(const struct server *s)
{
	char	 path[128], line[2048];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/access.log", s->dir);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL)
		print_error("  %s", line);
	fclose(fp);
}

/* ---- driving the loop ------------------------------------------------- */

/* What a callback saw, and what it should do. */
struct got {
	struct fetcher		*f;
	int			 fired;
	int			*done;		/* shared counter, or NULL */
	int			 order;		/* value of *done when fired */
	enum fetch_status	 status;
	long			 http_code;
	char			*body;
	size_t			 len;
	size_t			 wire_bytes;
	char			 etag[FETCH_ETAG_MAX];
	char			 last_modified[FETCH_LASTMOD_MAX];
	char			 error[FETCH_ERROR_MAX];
	char			 reason[32];
	double			 seconds;
	struct fetch_result	 last;		/* for fetcher_accept */
	/* actions */
	int			 accept;	/* fetcher_accept in callback */
	int			 take;		/* take the body */
	int			 free_in_cb;
	int			 restarts;	/* fetcher_start n more times */
};

static void
got_cb(struct fetch_result *res, void *arg)
{
	struct got	*g = arg;

	g->fired++;
	if (g->done != NULL)
		g->order = ++*g->done;
	g->status = res->status;
	g->http_code = res->http_code;
	g->wire_bytes = res->wire_bytes;
	g->seconds = res->seconds;
	memcpy(g->etag, res->etag, sizeof(g->etag));
	memcpy(g->last_modified, res->last_modified, sizeof(g->last_modified));
	memcpy(g->error, res->error, sizeof(g->error));
	assert_non_null(res->reason);
	if (getenv("TEST_FETCH_VERBOSE") != NULL)
		fprintf(stderr, "# %s %ld %.3fs len %zu wire %zu etag [%s] "
		    "lm [%s] %s\n", res->reason, res->http_code,
		    res->seconds, res->len, res->wire_bytes, res->etag,
		    res->last_modified, res->error);
	snprintf(g->reason, sizeof(g->reason), "%s", res->reason);
	free(g->body);
	g->body = NULL;
	g->len = res->len;
	if (g->take)
		g->body = fetch_result_take_body(res, &g->len);
	else if (res->body != NULL) {
		assert_int_equal(res->body[res->len], '\0');
		g->body = malloc(res->len + 1);
		assert_non_null(g->body);
		memcpy(g->body, res->body, res->len + 1);
	}
	g->last = *res;
	g->last.body = NULL;
	if (g->accept)
		fetcher_accept(g->f, res);
	if (g->free_in_cb) {
		fetcher_free(g->f);
		g->f = NULL;
	} else if (g->restarts > 0) {
		g->restarts--;
		assert_int_equal(fetcher_start(g->f), 0);
	}
}

static void
guard_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	*(int *)w->data = 1;
}

/* Run loop until *count reaches want or limit seconds pass; 1 if reached. */
static int
run_until(struct ev_loop *loop, int *count, int want, double limit)
{
	ev_timer	 guard;
	int		 expired = 0;

	ev_timer_init(&guard, guard_cb, limit, 0.0);
	guard.data = &expired;
	ev_now_update(loop);
	ev_timer_start(loop, &guard);
	while (*count < want && !expired)
		ev_run(loop, EVRUN_ONCE);
	ev_timer_stop(loop, &guard);
	return *count >= want;
}

static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	(*(int *)w->data)++;
}

static struct fetch_opts
opts_for(const char *url)
{
	struct fetch_opts	 o;

	memset(&o, 0, sizeof(o));
	o.url = url;
	o.connect_timeout = 5.0;
	o.total_timeout = 10.0;
	o.max_body = 1 << 20;
	return o;
}

/* A fetcher reporting to g; fails the test if o is refused. */
static struct fetcher *
got_fetcher(struct ev_loop *loop, const struct fetch_opts *o, struct got *g)
{
	struct err	 e;

	e.msg[0] = '\0';
	g->f = fetcher_new(loop, o, got_cb, g, &e);
	if (g->f == NULL)
		fail_msg("fetcher_new: %s", e.msg);
	return g->f;
}

/* One request, run to its callback; the callback never fires early. */
static void
fetch_once(struct ev_loop *loop, struct got *g)
{
	int	 before = g->fired;

	assert_int_equal(fetcher_start(g->f), 0);
	assert_int_equal(g->fired, before);
	assert_true(fetcher_busy(g->f));
	assert_true(run_until(loop, &g->fired, before + 1, 15.0));
	assert_int_equal(g->fired, before + 1);
	if (g->f != NULL)
		assert_false(fetcher_busy(g->f));
}

static void
url_for(const struct server *s, char *dst, size_t sz, const char *path)
{
	snprintf(dst, sz, "http://127.0.0.1:%d/%s", s->port, path);
}

static void
www_write(const struct server *s, const char *name, const char *data,
    size_t len)
{
	char	 path[256];

	snprintf(path, sizeof(path), "%s/www/%s", s->dir, name);
	write_file(path, data, len);
}

/* ---- group setup ------------------------------------------------------ */

static int
group_setup(void **state)
{
	static struct server	 srv;
	struct err		 e;
#ifndef SOURCE_DIR
	const char		*slash;
#endif

	if (fetch_global_init(&e) == -1) {
		fprintf(stderr, "fetch_global_init: %s\n", e.msg);
		return -1;
	}
#ifdef SOURCE_DIR
	snprintf(srv.script, sizeof(srv.script), "%s/%s", SOURCE_DIR,
	    NGINX_SCRIPT);
#else
	/* Built by hand: the tree this file was compiled from. */
	slash = strrchr(__FILE__, '/');
	snprintf(srv.script, sizeof(srv.script), "%.*s../../%s",
	    slash != NULL ? (int)(slash + 1 - __FILE__) : 0, __FILE__,
	    NGINX_SCRIPT);
#endif
	if (access(srv.script, R_OK) != 0 || access("/usr/sbin/nginx", X_OK)) {
		fprintf(stderr, "need %s and /usr/sbin/nginx\n", srv.script);
		return -1;
	}
	snprintf(srv.dir, sizeof(srv.dir), "/tmp/test_fetch.XXXXXX");
	if (mkdtemp(srv.dir) == NULL)
		return -1;
	if (nginx_start(&srv) == -1) {
		fprintf(stderr, "cannot start nginx with %s; "
		    "see %s/error.log\n", srv.script, srv.dir);
		return -1;
	}
	*state = &srv;
	return 0;
}

static int
group_teardown(void **state)
{
	struct server	*s = *state;

	if (s != NULL) {
		proc_stop(s->pid);
		nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	fetch_global_cleanup();
	return 0;
}

/* ---- HTTP against nginx ----------------------------------------------- */

static void
test_http_ok(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128];
	const char		*body = "{\"roas\":[]}\n";

	www_write(s, "ok.json", body, strlen(body));
	url_for(s, url, sizeof(url), "ok.json");
	o = opts_for(url);
	o.useragent = "fetch-test/1";
	o.accept = "application/x-test";
	got_fetcher(loop, &o, &g);
	assert_string_equal(fetcher_url(g.f), url);

	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_int_equal(g.http_code, 200);
	assert_string_equal(g.reason, "ok");
	assert_string_equal(g.error, "");
	assert_int_equal(g.len, strlen(body));
	assert_string_equal(g.body, body);
	assert_int_equal(g.wire_bytes, strlen(body));
	assert_true(g.etag[0] == '"');
	assert_contains(g.last_modified, " GMT");
	assert_true(g.seconds >= 0 && g.seconds < 5);
	/* One request at a time. */
	assert_int_equal(fetcher_start(g.f), 0);
	assert_int_equal(fetcher_start(g.f), -1);
	assert_true(run_until(loop, &g.fired, 2, 10.0));
	assert_int_equal(g.fired, 2);
	assert_int_equal(g.status, FETCH_OK);
	/* The headers nginx saw. */
	assert_logged(s, "GET /ok.json 200 12 inm=\"\" ims=\"\"");
	assert_logged(s, "accept=\"application/x-test\" "
	    "ua=\"fetch-test/1\"");
	assert_logged(s, "gzip");

	fetcher_free(g.f);
	/* Nothing of the fetcher is left on the loop. */
	assert_int_equal(ev_run(loop, EVRUN_NOWAIT), 0);
	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_http_conditional(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 }, h = { 0 };
	char			 url[128], want[400];
	const char		*body = "{\"cond\":1}";

	www_write(s, "cond.json", body, strlen(body));
	url_for(s, url, sizeof(url), "cond.json");

	/* ETag only. */
	o = opts_for(url);
	o.use_etag = 1;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	fetcher_accept(g.f, &g.last);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_NOT_MODIFIED);
	assert_int_equal(g.http_code, 304);
	assert_string_equal(g.reason, "not_modified");
	assert_null(g.body);
	assert_int_equal(g.len, 0);
	snprintf(want, sizeof(want), "GET /cond.json 304 0 inm=\"%s\" "
	    "ims=\"\"", g.etag);
	assert_logged(s, want);
	/* An error result is never adopted: still conditional. */
	g.last.status = FETCH_ERROR;
	g.last.etag[0] = '\0';
	fetcher_accept(g.f, &g.last);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_NOT_MODIFIED);
	fetcher_free(g.f);

	/* Last-Modified only, accepted from within the callback. */
	o.use_etag = 0;
	o.use_lastmod = 1;
	h.accept = 1;
	got_fetcher(loop, &o, &h);
	fetch_once(loop, &h);
	assert_int_equal(h.status, FETCH_OK);
	fetch_once(loop, &h);
	assert_int_equal(h.status, FETCH_NOT_MODIFIED);
	snprintf(want, sizeof(want), "GET /cond.json 304 0 inm=\"\" "
	    "ims=\"%s\"", h.last_modified);
	assert_logged(s, want);
	fetcher_free(h.f);

	free(g.body);
	free(h.body);
	ev_loop_destroy(loop);
}

static void
test_http_not_accepted(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128];
	const char		*body = "{\"bad\":\"signature\"}";

	www_write(s, "unverified.json", body, strlen(body));
	url_for(s, url, sizeof(url), "unverified.json");
	o = opts_for(url);
	o.use_etag = o.use_lastmod = 1;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	/* The caller rejected it: no fetcher_accept, full body again. */
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_int_equal(g.http_code, 200);
	assert_string_equal(g.body, body);
	assert_false(log_has(s, "GET /unverified.json 304", 0.2));
	fetcher_free(g.f);
	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_http_changed(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128], old[FETCH_ETAG_MAX];
	const char		*v1 = "{\"v\":1}", *v2 = "{\"v\":22}";

	www_write(s, "changing.json", v1, strlen(v1));
	url_for(s, url, sizeof(url), "changing.json");
	o = opts_for(url);
	o.use_etag = 1;
	g.accept = 1;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	memcpy(old, g.etag, sizeof(old));
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_NOT_MODIFIED);

	www_write(s, "changing.json", v2, strlen(v2));
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, v2);
	assert_string_not_equal(g.etag, old);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_NOT_MODIFIED);
	fetcher_free(g.f);
	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_http_404(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128];

	url_for(s, url, sizeof(url), "missing.json");
	o = opts_for(url);
	/* nginx's error page (153 bytes) is not the body, so no cap. */
	o.max_body = 64;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_int_equal(g.http_code, 404);
	assert_string_equal(g.reason, "http");
	assert_contains(g.error, url);
	assert_contains(g.error, "HTTP status 404");
	assert_null(g.body);
	fetcher_free(g.f);
	ev_loop_destroy(loop);
}

static void
test_http_refused(void **state)
{
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128], hostport[64];
	int			 port, sock;

	(void)state;
	/* Bound but not listening: nobody else gets the port meanwhile. */
	sock = sock_bound(&port, 0);
	snprintf(url, sizeof(url), "http://user:secret@127.0.0.1:%d/x.json",
	    port);
	snprintf(hostport, sizeof(hostport), "127.0.0.1:%d/x.json", port);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	assert_null(strstr(fetcher_url(g.f), "secret"));
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "connect");
	assert_int_equal(g.http_code, 0);
	assert_contains(g.error, hostport);
	assert_contains(g.error, "connect failed: Connection refused");
	assert_null(strstr(g.error, "secret"));
	assert_true(g.seconds < 1.0);
	fetcher_free(g.f);
	close(sock);
	ev_loop_destroy(loop);
}

static void
test_http_gzip(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128], *body;
	size_t			 i, len = 0, n;

	body = malloc(300000);
	assert_non_null(body);
	for (i = 0; len < 200000; i++) {
		n = snprintf(body + len, 300000 - len, "{\"asn\":\"AS%zu\","
		    "\"prefix\":\"10.%zu.0.0/16\",\"maxLength\":24},\n",
		    i % 1000, i % 256);
		len += n;
	}
	www_write(s, "gz/big.json", body, len);
	url_for(s, url, sizeof(url), "gz/big.json");
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_int_equal(g.len, len);
	assert_memory_equal(g.body, body, len);
	/* It was compressed on the wire, decoded here. */
	assert_true(g.wire_bytes > 0);
	assert_true(g.wire_bytes < len / 4);
	assert_logged(s, "GET /gz/big.json 200");
	fetcher_free(g.f);
	free(g.body);
	free(body);
	ev_loop_destroy(loop);
}

static void
test_http_too_large(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128], body[10000];

	memset(body, 'x', sizeof(body));
	www_write(s, "ten-k.json", body, sizeof(body));
	url_for(s, url, sizeof(url), "ten-k.json");
	o = opts_for(url);

	/* One byte over the cap. */
	o.max_body = sizeof(body) - 1;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "too_large");
	assert_contains(g.error, "body larger than 9999 bytes");
	assert_null(g.body);
	fetcher_free(g.f);

	/* Exactly the cap. */
	o.max_body = sizeof(body);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_int_equal(g.len, sizeof(body));
	fetcher_free(g.f);
	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_http_gzip_bomb(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	struct stat		 st;
	char			 url[128], path[128];

	snprintf(path, sizeof(path), "%s/www/bomb.json.gz", s->dir);
	assert_int_equal(stat(path, &st), 0);
	url_for(s, url, sizeof(url), "bomb.json");
	o = opts_for(url);
	o.max_body = 1 << 20;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "too_large");
	assert_contains(g.error, "body larger than 1048576 bytes");
	/* Cut off before even the compressed ~50 kB were all read. */
	assert_true(g.wire_bytes < (size_t)st.st_size);
	assert_true(g.seconds < 5.0);
	fetcher_free(g.f);
	ev_loop_destroy(loop);
}

static void
test_http_redirect(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128];
	const char		*body = "{\"redirected\":true}";

	www_write(s, "vrps.json", body, strlen(body));
	url_for(s, url, sizeof(url), "redirect");
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, body);
	assert_true(g.etag[0] == '"');	/* from the final response */
	fetcher_free(g.f);

	url_for(s, url, sizeof(url), "loop");
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "redirect");
	assert_int_equal(g.http_code, 302);
	assert_contains(g.error, "redirect");
	fetcher_free(g.f);
	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_https(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128], ca[128];
	const char		*body = "{\"tls\":1}";

	www_write(s, "tls.json", body, strlen(body));
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/tls.json",
	    s->tlsport);
	snprintf(ca, sizeof(ca), "%s/cert.pem", s->dir);

	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "tls");
	assert_contains(g.error, "TLS");
	fetcher_free(g.f);

	o.cafile = ca;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, body);
	fetcher_free(g.f);
	free(g.body);
	ev_loop_destroy(loop);
}

/* ---- servers that stall ----------------------------------------------- */

static void
test_http_no_answer(void **state)
{
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	ev_timer		 tick;
	char			 url[128];
	int			 port, sock, ticks = 0;

	(void)state;
	/* The kernel completes the handshake; nobody ever reads. */
	sock = sock_bound(&port, 1);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	o.total_timeout = 1.0;
	got_fetcher(loop, &o, &g);
	ev_timer_init(&tick, tick_cb, 0.05, 0.05);
	tick.data = &ticks;
	ev_timer_start(loop, &tick);
	fetch_once(loop, &g);
	ev_timer_stop(loop, &tick);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "timeout");
	assert_contains(g.error, "timeout after 1 s, no response");
	assert_true(g.seconds >= 0.9 && g.seconds < 3.0);
	/* The loop kept running meanwhile. */
	assert_true(ticks >= 10);
	fetcher_free(g.f);
	close(sock);
	ev_loop_destroy(loop);
}

static void
test_http_drip(void **state)
{
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	ev_timer		 tick;
	char			 url[128], body[101];
	pid_t			 pid;
	int			 port, ticks = 0;

	(void)state;
	/* Control: a short drip-fed body arrives whole. */
	pid = drip_start(&port, "abcde");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, "abcde");
	assert_true(g.seconds >= 0.45);
	fetcher_free(g.f);
	proc_stop(pid);

	/* 100 bytes at 10 per second cannot make a 1 s deadline. */
	memset(body, 'x', 100);
	body[100] = '\0';
	pid = drip_start(&port, body);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	o.total_timeout = 1.0;
	got_fetcher(loop, &o, &g);
	ev_timer_init(&tick, tick_cb, 0.05, 0.05);
	tick.data = &ticks;
	ev_timer_start(loop, &tick);
	fetch_once(loop, &g);
	ev_timer_stop(loop, &tick);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "timeout");
	assert_int_equal(g.http_code, 200);
	assert_contains(g.error, "timeout after 1 s reading the body");
	assert_true(g.wire_bytes >= 3 && g.wire_bytes < 100);
	assert_true(g.seconds >= 0.9 && g.seconds < 3.0);
	assert_null(g.body);
	assert_true(ticks >= 10);
	fetcher_free(g.f);
	proc_stop(pid);
	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_http_odd_servers(void **state)
{
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128];
	pid_t			 pid;
	int			 port;

	(void)state;
	/* A 304 to a request that carried no validator is no answer. */
	pid = fake_start(&port, "HTTP/1.1 304 Not Modified\r\n"
	    "Connection: close\r\n\r\n", "", 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	o.use_etag = o.use_lastmod = 1;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "http");
	assert_contains(g.error, "HTTP status 304, want 200");
	fetcher_free(g.f);
	proc_stop(pid);

	/* A body that claims to be gzip and is not. */
	pid = fake_start(&port, "HTTP/1.1 200 OK\r\n"
	    "Content-Encoding: gzip\r\nContent-Length: 24\r\n"
	    "Connection: close\r\n\r\n", "this is not gzip at all!", 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "decode");
	assert_contains(g.error, url);
	assert_null(g.body);
	fetcher_free(g.f);
	proc_stop(pid);

	/* The connection closes before the announced length arrived. */
	pid = fake_start(&port, "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 100\r\nConnection: close\r\n\r\n", "short", 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "read");
	assert_null(g.body);
	fetcher_free(g.f);
	proc_stop(pid);

	/* A name that cannot resolve (RFC 6761 section 6.4). */
	o = opts_for("http://no-such-host.invalid/vrps.json");
	o.connect_timeout = 3.0;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "dns");
	assert_contains(g.error, "no-such-host.invalid");
	fetcher_free(g.f);
	free(g.body);
	ev_loop_destroy(loop);
}

/* ---- several fetchers, cancelling, re-entry --------------------------- */

static void
test_two_fetchers(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 slow = { 0 }, fast = { 0 };
	char			 url1[128], url2[128];
	const char		*body = "{\"fast\":1}";
	pid_t			 pid;
	int			 port, done = 0;

	pid = drip_start(&port, "slow!");
	snprintf(url1, sizeof(url1), "http://127.0.0.1:%d/vrps.json", port);
	www_write(s, "fast.json", body, strlen(body));
	url_for(s, url2, sizeof(url2), "fast.json");
	o = opts_for(url1);
	got_fetcher(loop, &o, &slow);
	o = opts_for(url2);
	got_fetcher(loop, &o, &fast);
	slow.done = fast.done = &done;

	assert_int_equal(fetcher_start(slow.f), 0);
	assert_int_equal(fetcher_start(fast.f), 0);
	assert_true(run_until(loop, &done, 2, 10.0));
	assert_int_equal(slow.status, FETCH_OK);
	assert_string_equal(slow.body, "slow!");
	assert_int_equal(fast.status, FETCH_OK);
	assert_string_equal(fast.body, body);
	/* The fast one did not wait for the slow one. */
	assert_int_equal(fast.order, 1);
	assert_int_equal(slow.order, 2);
	assert_true(fast.seconds < 0.3);

	fetcher_free(slow.f);
	fetcher_free(fast.f);
	proc_stop(pid);
	free(slow.body);
	free(fast.body);
	ev_loop_destroy(loop);
}

static void
test_free_running(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128];
	pid_t			 pid;
	int			 port, sock;

	/* Waiting for a response. */
	sock = sock_bound(&port, 1);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	assert_int_equal(fetcher_start(g.f), 0);
	assert_false(run_until(loop, &g.fired, 1, 0.3));
	fetcher_free(g.f);
	assert_int_equal(ev_run(loop, EVRUN_NOWAIT), 0);
	assert_false(run_until(loop, &g.fired, 1, 0.3));
	close(sock);

	/* Half-way through a body. */
	pid = drip_start(&port, "0123456789");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vrps.json", port);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	assert_int_equal(fetcher_start(g.f), 0);
	assert_false(run_until(loop, &g.fired, 1, 0.35));
	fetcher_free(g.f);
	assert_int_equal(ev_run(loop, EVRUN_NOWAIT), 0);
	assert_false(run_until(loop, &g.fired, 1, 0.3));
	proc_stop(pid);

	/* Before the loop ever ran. */
	url_for(s, url, sizeof(url), "vrps.json");
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	assert_int_equal(fetcher_start(g.f), 0);
	fetcher_free(g.f);
	assert_int_equal(ev_run(loop, EVRUN_NOWAIT), 0);
	assert_int_equal(g.fired, 0);
	ev_loop_destroy(loop);
}

static void
test_callback_reentry(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 url[128], *mine;
	const char		*body = "{\"again\":1}";

	www_write(s, "again.json", body, strlen(body));
	url_for(s, url, sizeof(url), "again.json");
	o = opts_for(url);

	/* Restarting from the callback: three results from one start. */
	g.restarts = 2;
	got_fetcher(loop, &o, &g);
	assert_int_equal(fetcher_start(g.f), 0);
	assert_true(run_until(loop, &g.fired, 3, 10.0));
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, body);
	assert_false(fetcher_busy(g.f));
	assert_false(run_until(loop, &g.fired, 4, 0.2));

	/* Taking the body: it outlives the callback and the fetcher. */
	g.take = 1;
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	mine = g.body;
	g.body = NULL;
	fetcher_free(g.f);
	assert_string_equal(mine, body);
	free(mine);

	/* Freeing the fetcher from its own callback. */
	g.take = 0;
	g.free_in_cb = 1;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_null(g.f);
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, body);
	free(g.body);
	ev_loop_destroy(loop);
}

/* ---- local files ------------------------------------------------------ */

static void
test_local(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 path[128], url[160];
	const char		*v1 = "{\"local\":1}", *v2 = "{\"local\":2}";

	snprintf(path, sizeof(path), "%s/local.json", s->dir);
	write_file(path, v1, strlen(v1));
	o = opts_for(path);
	o.use_lastmod = 1;
	g.accept = 1;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_int_equal(g.http_code, 0);
	assert_string_equal(g.body, v1);
	assert_contains(g.last_modified, " GMT");
	/* Written just now: too fresh to be trusted as unchanged. */
	assert_string_equal(g.etag, "");
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);

	usleep(1100000);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_true(strncmp(g.etag, "file:", 5) == 0);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_NOT_MODIFIED);
	assert_string_equal(g.reason, "not_modified");
	assert_null(g.body);

	/* Same size, rewritten in place. */
	write_file(path, v2, strlen(v2));
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, v2);
	fetcher_free(g.f);

	/* Without use_lastmod, always read. */
	o.use_lastmod = 0;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	fetcher_free(g.f);

	/* file:// URLs, percent-decoded, with or without "localhost". */
	snprintf(path, sizeof(path), "%s/a b.json", s->dir);
	write_file(path, v1, strlen(v1));
	snprintf(url, sizeof(url), "file://%s/a%%20b.json", s->dir);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_string_equal(g.body, v1);
	fetcher_free(g.f);
	snprintf(url, sizeof(url), "file://localhost%s/a%%20b.json", s->dir);
	o = opts_for(url);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	fetcher_free(g.f);

	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_local_errors(void **state)
{
	struct server		*s = *state;
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct got		 g = { 0 };
	char			 path[128];

	snprintf(path, sizeof(path), "%s/no-such.json", s->dir);
	o = opts_for(path);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "read");
	assert_contains(g.error, path);
	assert_contains(g.error, "No such file");
	fetcher_free(g.f);

	o = opts_for(s->dir);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_contains(g.error, "not a regular file");
	fetcher_free(g.f);

	snprintf(path, sizeof(path), "%s/eleven.json", s->dir);
	write_file(path, "01234567890", 11);
	o = opts_for(path);
	o.max_body = 10;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_ERROR);
	assert_string_equal(g.reason, "too_large");
	assert_contains(g.error, "body larger than 10 bytes (file has 11)");
	assert_null(g.body);
	fetcher_free(g.f);

	o.max_body = 11;
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_int_equal(g.len, 11);
	fetcher_free(g.f);

	/* An empty file is an empty, NUL-terminated body. */
	write_file(path, "", 0);
	got_fetcher(loop, &o, &g);
	fetch_once(loop, &g);
	assert_int_equal(g.status, FETCH_OK);
	assert_int_equal(g.len, 0);
	assert_string_equal(g.body, "");
	fetcher_free(g.f);
	free(g.body);
	ev_loop_destroy(loop);
}

static void
test_bad_options(void **state)
{
	static const char	*bad_urls[] = {
		"", "ftp://127.0.0.1/vrps.json", "file://elsewhere/vrps.json",
		"http://", "gopher://x/y",
	};
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct fetch_opts	 o;
	struct err		 e;
	struct got		 g = { 0 };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++) {
		o = opts_for(bad_urls[i]);
		e.msg[0] = '\0';
		assert_null(fetcher_new(loop, &o, got_cb, &g, &e));
		assert_true(e.msg[0] != '\0');
	}
	o = opts_for(NULL);
	assert_null(fetcher_new(loop, &o, got_cb, &g, &e));
	assert_contains(e.msg, "no URL");

	o = opts_for("http://127.0.0.1/x");
	o.connect_timeout = -1;
	assert_null(fetcher_new(loop, &o, got_cb, &g, &e));
	assert_contains(e.msg, "timeout");
	o = opts_for("http://127.0.0.1/x");
	o.total_timeout = NAN;
	assert_null(fetcher_new(loop, &o, got_cb, &g, &e));
	o = opts_for("http://127.0.0.1/x");
	o.total_timeout = 1e300;	/* would overflow the milliseconds */
	assert_null(fetcher_new(loop, &o, got_cb, &g, &e));
	o = opts_for("http://127.0.0.1/x");
	o.useragent = "x\r\nX-Injected: 1";
	assert_null(fetcher_new(loop, &o, got_cb, &g, &e));
	assert_contains(e.msg, "control character");
	o = opts_for("http://127.0.0.1/x");
	o.accept = "application/json\n";
	assert_null(fetcher_new(loop, &o, got_cb, &g, &e));

	/* Defaults fill what is left zero. */
	memset(&o, 0, sizeof(o));
	o.url = "HTTPS://127.0.0.1/x";
	got_fetcher(loop, &o, &g);
	fetcher_free(g.f);
	fetcher_free(NULL);
	ev_loop_destroy(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_http_ok),
		cmocka_unit_test(test_http_conditional),
		cmocka_unit_test(test_http_not_accepted),
		cmocka_unit_test(test_http_changed),
		cmocka_unit_test(test_http_404),
		cmocka_unit_test(test_http_refused),
		cmocka_unit_test(test_http_gzip),
		cmocka_unit_test(test_http_too_large),
		cmocka_unit_test(test_http_gzip_bomb),
		cmocka_unit_test(test_http_redirect),
		cmocka_unit_test(test_https),
		cmocka_unit_test(test_http_no_answer),
		cmocka_unit_test(test_http_drip),
		cmocka_unit_test(test_http_odd_servers),
		cmocka_unit_test(test_two_fetchers),
		cmocka_unit_test(test_free_running),
		cmocka_unit_test(test_callback_reentry),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_local_errors),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
