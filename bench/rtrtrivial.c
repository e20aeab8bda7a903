/*
 * rtrtrivial.c - the ceiling for RTR benchmarks: the least an RTR cache
 * can do on this machine.
 *
 *   rtrtrivial -bind 127.0.0.1:18290 -file a.json [-version 1]
 *
 * Loads the file once (no signature check), serializes the answer to a
 * Reset Query once with rtrcache's own encoders (Cache Response,
 * pdu_put_set, End of Data: the bytes rtrcache sends, but for the random
 * session ID), and then, in one epoll loop, writes that one shared
 * buffer to every connection that sends a Reset Query, non-blocking,
 * with no per-session copy and no other work.  A Serial Query gets a
 * Cache Reset (so rtrload's probes are cheap); SIGHUP sends a Serial
 * Notify to every connection (the ceiling for a notify fan-out);
 * SIGTERM/SIGINT exit.  It is not an RTR server: it checks nothing and
 * ignores everything else.  Loopback addresses only.
 */
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flags.h"
#include "pdu.h"
#include "rtrwire.h"
#include "vrpfile.h"

#define EV_BATCH	512
#define SESSION_ID	4242

struct out {
	const uint8_t	*p;
	size_t		 len;
};

struct conn {
	int		open;
	int		armed;		/* EPOLLOUT watched */
	uint8_t		in[64];		/* partial query */
	size_t		inlen;
	struct out	cur;		/* being written */
	size_t		off;
	struct out	next;		/* one more queued */
};

struct triv {
	int		 ep, lfd, sfd;
	struct conn	*c;		/* indexed by descriptor */
	long		 nc;
	struct buf	 full, reset, notify;
	uint8_t		 version;
	uint32_t	 serial;
	size_t		 nopen;
};

static int
build(struct triv *t, const char *path)
{
	struct vrpfile	f;
	struct err	e;

	if (vrpfile_load(path, 0, &f, &e) == -1) {
		fprintf(stderr, "rtrtrivial: %s\n", e.msg);
		return -1;
	}
	pdu_put_cache_response(&t->full, t->version, SESSION_ID);
	pdu_put_set(&t->full, t->version, ASPA_PDU_DRAFT10,
	    PDU_FLAG_ANNOUNCE, f.set);
	pdu_put_end_of_data(&t->full, t->version, SESSION_ID, t->serial, 3600,
	    600, 7200);
	pdu_put_cache_reset(&t->reset, t->version);
	vrpfile_free(&f);
	return buf_failed(&t->full) || buf_failed(&t->reset) ? -1 : 0;
}

static void
conn_close(struct triv *t, int fd)
{
	memset(&t->c[fd], 0, sizeof(t->c[fd]));
	close(fd);
	t->nopen--;
}

/* Watch EPOLLOUT or not; one epoll_ctl only when that changes. */
static void
conn_arm(struct triv *t, int fd, int out)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (t->c[fd].armed == out)
		return;
	if (out)
		ev.events |= EPOLLOUT;
	epoll_ctl(t->ep, EPOLL_CTL_MOD, fd, &ev);
	t->c[fd].armed = out;
}

/*
 * One send() per writable event, as much as the socket takes; a short
 * send means the buffer is full, so wait for EPOLLOUT rather than ask
 * again for an EAGAIN.
 */
static void
conn_write(struct triv *t, int fd)
{
	struct conn	*c = &t->c[fd];
	size_t		 want;
	ssize_t		 r;

	while (c->cur.p != NULL) {
		want = c->cur.len - c->off;
		r = send(fd, c->cur.p + c->off, want, MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		if (r == -1 && (errno == EAGAIN || errno == EINTR)) {
			conn_arm(t, fd, 1);
			return;
		}
		if (r == -1) {
			conn_close(t, fd);
			return;
		}
		c->off += (size_t)r;
		if ((size_t)r < want) {
			conn_arm(t, fd, 1);
			return;
		}
		c->cur = c->next;
		c->next.p = NULL;
		c->off = 0;
	}
	conn_arm(t, fd, 0);
}

static void
conn_queue(struct triv *t, int fd, const struct buf *b)
{
	struct conn	*c = &t->c[fd];
	struct out	 o = { (const uint8_t *)b->data, b->len };

	if (c->cur.p == NULL) {
		c->cur = o;
		c->off = 0;
		conn_write(t, fd);
	} else if (c->next.p == NULL) {
		c->next = o;
	}
}

static void
conn_read(struct triv *t, int fd)
{
	struct conn	*c = &t->c[fd];
	ssize_t		 r;
	uint32_t	 len;

	r = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (r == 0 || (r == -1 && errno != EAGAIN && errno != EINTR)) {
		conn_close(t, fd);
		return;
	}
	if (r < 0)
		return;
	c->inlen += (size_t)r;
	while (c->inlen >= 8) {
		len = (uint32_t)c->in[4] << 24 | (uint32_t)c->in[5] << 16 |
		    (uint32_t)c->in[6] << 8 | c->in[7];
		if (len < 8 || len > sizeof(c->in)) {
			conn_close(t, fd);
			return;
		}
		if (len > c->inlen)
			break;
		if (c->in[1] == PDU_RESET_QUERY)
			conn_queue(t, fd, &t->full);
		else if (c->in[1] == PDU_SERIAL_QUERY)
			conn_queue(t, fd, &t->reset);
		if (!t->c[fd].open)
			return;
		memmove(c->in, c->in + len, c->inlen - len);
		c->inlen -= len;
	}
}

static void
do_accept(struct triv *t)
{
	struct epoll_event	ev = { .events = EPOLLIN };
	int			fd;

	while ((fd = accept4(t->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if (fd >= t->nc) {
			close(fd);
			continue;
		}
		t->c[fd].open = 1;
		t->nopen++;
		ev.data.fd = fd;
		epoll_ctl(t->ep, EPOLL_CTL_ADD, fd, &ev);
	}
}

/* SIGHUP: a new serial, and a Serial Notify to every connection. */
static void
notify_all(struct triv *t)
{
	long fd;

	buf_free(&t->notify);
	pdu_put_serial_notify(&t->notify, t->version, SESSION_ID,
	    ++t->serial);
	for (fd = 0; fd < t->nc; fd++)
		if (t->c[fd].open)
			conn_queue(t, (int)fd, &t->notify);
}

static int
setup(struct triv *t, const struct sockaddr_in *sa)
{
	struct epoll_event	ev = { .events = EPOLLIN };
	sigset_t		mask;
	int			on = 1;

	t->nc = rtrw_nofile(1 << 20);
	t->c = calloc((size_t)t->nc, sizeof(*t->c));
	t->ep = epoll_create1(EPOLL_CLOEXEC);
	t->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (t->c == NULL || t->ep == -1 || t->lfd == -1)
		return -1;
	setsockopt(t->lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(t->lfd, (const struct sockaddr *)sa, sizeof(*sa)) == -1 ||
	    listen(t->lfd, 4096) == -1)
		return -1;
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((t->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		return -1;
	ev.data.fd = t->lfd;
	epoll_ctl(t->ep, EPOLL_CTL_ADD, t->lfd, &ev);
	ev.data.fd = t->sfd;
	epoll_ctl(t->ep, EPOLL_CTL_ADD, t->sfd, &ev);
	return 0;
}

/* Returns 1 to exit. */
static int
on_signal(struct triv *t)
{
	struct signalfd_siginfo si;

	while (read(t->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo != SIGHUP)
			return 1;
		notify_all(t);
	}
	return 0;
}

static void
serve(struct triv *t)
{
	struct epoll_event	ev[EV_BATCH];
	int			k, i, fd;

	for (;;) {
		k = epoll_wait(t->ep, ev, EV_BATCH, -1);
		for (i = 0; i < k; i++) {
			fd = ev[i].data.fd;
			if (fd == t->lfd)
				do_accept(t);
			else if (fd == t->sfd) {
				if (on_signal(t))
					return;
			} else if (t->c[fd].open && (ev[i].events & EPOLLOUT))
				conn_write(t, fd);
			else if (t->c[fd].open)
				conn_read(t, fd);
		}
	}
}

int
main(int argc, char **argv)
{
	struct flagset		fs;
	struct triv		t;
	struct sockaddr_in	sa;
	struct err		e;
	const char		*bind_to, *file;
	long long		version;
	int			rest, r, rc = 2;

	memset(&t, 0, sizeof(t));
	flags_init(&fs, "rtrtrivial");
	flag_string(&fs, "bind", &bind_to, "127.0.0.1:8282",
	    "Listen address (loopback only)");
	flag_string(&fs, "file", &file, "", "VRP file to serve");
	flag_int(&fs, "version", &version, 1, "RTR protocol version sent");
	r = flags_parse(&fs, argc, argv, 1, &rest, &e);
	if (r == 1) {
		flags_usage(&fs, stdout);
		rc = 0;
		goto out;
	}
	if (r == -1 || rest != argc || file[0] == '\0' || version < 0 ||
	    version > 2) {
		fprintf(stderr, "rtrtrivial: %s\n", r == -1 ? e.msg :
		    "want -file FILE, -version 0..2");
		goto out;
	}
	if (rtrw_addr("-bind", bind_to, &sa) == -1)
		goto out;
	rc = 1;
	t.version = (uint8_t)version;
	t.serial = 1;
	if (build(&t, file) == -1 || setup(&t, &sa) == -1) {
		fprintf(stderr, "rtrtrivial: %s\n", strerror(errno));
		goto out;
	}
	fprintf(stderr, "rtrtrivial: serving %zu bytes on %s\n", t.full.len,
	    bind_to);
	serve(&t);
	rc = 0;
 out:
	buf_free(&t.full);
	buf_free(&t.reset);
	buf_free(&t.notify);
	free(t.c);
	flags_free(&fs);
	return rc;
}
