/*
 * server.c - listening sockets, accepting sessions, Serial Notify to all,
 * and freeing closed sessions outside their callbacks.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostport.h"
#include "server.h"
#include "session.h"

#define ACCEPT_BACKOFF	0.1	/* s to pause accepting on EMFILE */

/* "[addr]:port" for logs. */
static void
sockaddr_name(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char	host[INET6_ADDRSTRLEN] = "?";
	int	port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		port = ntohs(sin->sin_port);
		snprintf(buf, len, "%s:%d", host, port);
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		port = ntohs(sin6->sin6_port);
		snprintf(buf, len, "[%s]:%d", host, port);
	}
}

static void
set_keepalive(int fd)
{
	int on = 1, idle = 60, intvl = 10, cnt = 6;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

static void
listener_resume(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct listener *l = w->data;

	ev_io_start(loop, &l->io);
}

/*
 * Accept until the queue is empty.  No accept() failure ends the
 * daemon: out of descriptors pauses accepting briefly, aborted
 * connections are skipped.
 */
static void
listener_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct listener		*l = w->data;
	struct server		*srv = l->srv;
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	struct session		*s;
	SSL			*ssl;
	char			 peer[64];
	int			 fd;

	for (;;) {
		sl = sizeof(ss);
		fd = accept4(l->fd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EPROTO)
				continue;
			srv->stats.accept_errors++;
			log_ops(srv->log, LOG_WARN, "accept on %s: %s; pausing "
			    "%.1f s", l->name, strerror(errno),
			    ACCEPT_BACKOFF);
			ev_io_stop(loop, &l->io);
			ev_timer_set(&l->backoff, ACCEPT_BACKOFF, 0);
			ev_timer_start(loop, &l->backoff);
			return;
		}
		sockaddr_name(&ss, peer, sizeof(peer));
		if (srv->o.maxconn > 0 && srv->nsessions >= srv->o.maxconn) {
			srv->stats.rejected_maxconn++;
			log_ops(srv->log, LOG_WARN, "%s: refused: %zu sessions "
			    "already (-maxconn)", peer, srv->nsessions);
			close(fd);
			continue;
		}
		if (srv->o.keepalive)
			set_keepalive(fd);
		ssl = NULL;
		if (l->tls != NULL && ((ssl = SSL_new(l->tls)) == NULL ||
		    SSL_set_fd(ssl, fd) != 1)) {
			SSL_free(ssl);
			close(fd);
			continue;
		}
		if (ssl != NULL)
			SSL_set_accept_state(ssl);
		if ((s = session_new(srv, l, fd, ssl, peer)) == NULL) {
			SSL_free(ssl);
			close(fd);
			continue;
		}
		s->next = srv->sessions;
		if (srv->sessions != NULL)
			srv->sessions->prev = s;
		srv->sessions = s;
		srv->nsessions++;
		srv->nsessions_v[RTR_NVERSIONS]++;
		l->nsessions++;
		srv->stats.accepted++;
		log_ops(srv->log, LOG_INFO, "%s: connected on %s", peer,
		    l->name);
	}
}

/* Free the sessions closed since the last loop iteration. */
static void
server_reap(struct ev_loop *loop, ev_check *w, int revents)
{
	struct server	*srv = w->data;
	struct session	*s;

	while ((s = srv->dead) != NULL) {
		srv->dead = s->next;
		session_free(s);
	}
}

static void
server_notify_deferred(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct server	*srv = w->data;
	struct session	*s, *next;

	/* session_notify() may close s (out of memory): step first. */
	for (s = srv->sessions; s != NULL; s = next) {
		next = s->next;
		if (s->notify_pending)
			session_notify(s);
	}
}

int
server_init(struct server *srv, struct ev_loop *loop, struct rtrstate *st,
    struct logger *log, const struct server_opts *o)
{
	memset(srv, 0, sizeof(*srv));
	srv->loop = loop;
	srv->st = st;
	srv->log = log;
	srv->o = *o;
	if (srv->o.max_queue == 0)
		srv->o.max_queue = 64;
	ev_check_init(&srv->reaper, server_reap);
	srv->reaper.data = srv;
	ev_check_start(loop, &srv->reaper);
	ev_init(&srv->notify_timer, server_notify_deferred);
	srv->notify_timer.data = srv;
	return 0;
}

static int
listen_one(struct server *srv, const char *bind_text, SSL_CTX *tls,
    struct err *e)
{
	struct addrinfo		 hints, *res = NULL;
	struct listener		*l, **nl;
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	char			 host[256], port[16];
	int			 fd = -1, on = 1, off = 0, r;

	if (hostport_split(bind_text, host, sizeof(host), port,
	    sizeof(port)) == -1)
		return err_set(e, "-bind %s: want host:port, [v6addr]:port "
		    "or :port", bind_text);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = host[0] == '\0' ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((r = getaddrinfo(host[0] ? host : NULL, port, &hints, &res))
	    != 0)
		return err_set(e, "-bind %s: %s", bind_text, gai_strerror(r));
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1 && host[0] == '\0') {
		/* No IPv6 here: fall back to IPv4 for ":port". */
		freeaddrinfo(res);
		hints.ai_family = AF_INET;
		if ((r = getaddrinfo(NULL, port, &hints, &res)) != 0)
			return err_set(e, "-bind %s: %s", bind_text,
			    gai_strerror(r));
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	}
	if (fd == -1) {
		err_set(e, "-bind %s: socket: %s", bind_text, strerror(errno));
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (res->ai_family == AF_INET6 && host[0] == '\0')
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1 ||
	    listen(fd, 1024) == -1) {
		err_set(e, "-bind %s: %s", bind_text, strerror(errno));
		goto fail;
	}
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	if ((l = calloc(1, sizeof(*l))) == NULL || (nl = realloc(
	    srv->listeners, (srv->nlisteners + 1) * sizeof(*nl))) == NULL) {
		free(l);
		err_set(e, "out of memory");
		goto fail;
	}
	srv->listeners = nl;
	srv->listeners[srv->nlisteners++] = l;
	l->srv = srv;
	l->tls = tls;
	l->fd = fd;
	l->port = ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	snprintf(l->name, sizeof(l->name), "%s", bind_text);
	freeaddrinfo(res);
	return 0;
 fail:
	if (fd != -1)
		close(fd);
	freeaddrinfo(res);
	return -1;
}

int
server_listen(struct server *srv, const char *binds, SSL_CTX *tls,
    struct err *e)
{
	char	*copy, *tok, *save = NULL;
	size_t	 i, first = srv->nlisteners;
	int	 rc = 0;

	if ((copy = strdup(binds)) == NULL)
		return err_set(e, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, ",", &save))
		rc = listen_one(srv, tok, tls, e);
	free(copy);
	if (rc == -1)
		return -1;
	for (i = first; i < srv->nlisteners; i++) {
		struct listener *l = srv->listeners[i];

		ev_io_init(&l->io, listener_accept, l->fd, EV_READ);
		ev_init(&l->backoff, listener_resume);
		l->io.data = l->backoff.data = l;
		ev_io_start(srv->loop, &l->io);
		log_ops(srv->log, LOG_INFO, "listening on %s (port %d%s)",
		    l->name, l->port, tls != NULL ? ", TLS" : "");
	}
	return 0;
}

int
server_port(const struct server *srv, size_t listener)
{
	return listener < srv->nlisteners ? srv->listeners[listener]->port :
	    0;
}

void
server_notify(struct server *srv)
{
	struct session *s, *next;

	if (!srv->o.notifications)
		return;
	for (s = srv->sessions; s != NULL; s = next) {
		next = s->next;
		session_notify(s);
	}
	if (srv->o.notify_interval > 0) {
		/* Deferred notifies go out once the interval has passed. */
		ev_timer_set(&srv->notify_timer, srv->o.notify_interval, 0);
		ev_timer_start(srv->loop, &srv->notify_timer);
	}
}

void
server_free(struct server *srv)
{
	size_t i;

	if (srv->loop == NULL)
		return;
	while (srv->sessions != NULL)
		session_close(srv->sessions, "shutting down");
	server_reap(srv->loop, &srv->reaper, 0);
	for (i = 0; i < srv->nlisteners; i++) {
		ev_io_stop(srv->loop, &srv->listeners[i]->io);
		ev_timer_stop(srv->loop, &srv->listeners[i]->backoff);
		close(srv->listeners[i]->fd);
		free(srv->listeners[i]);
	}
	free(srv->listeners);
	ev_check_stop(srv->loop, &srv->reaper);
	ev_timer_stop(srv->loop, &srv->notify_timer);
	memset(srv, 0, sizeof(*srv));
}
