/*
 * session.c - one router's RTR session.
 *
 * Reading: bytes accumulate until a whole PDU is there (pdu_peek), which
 * is decoded strictly (pdu_decode) and fed to the state machine.
 * Writing: answers are references to shared buffers in a ring; the write
 * watcher runs only while the ring is not empty, and writev() sends as
 * much as the socket takes.
 */
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdu.h"
#include "session.h"
#include "tls.h"

#define IN_INITIAL	256
#define IOV_BATCH	64

static const char *const state_names[] = {
	"new", "ready", "closing", "dead",
};

static const char *const event_names[] = {
	"Reset Query", "Serial Query", "Error Report", "bad PDU",
	"unexpected PDU", "end of stream", "write timeout", "idle timeout",
	"TLS handshake timeout", "output queue full", "I/O error",
};
_Static_assert(sizeof(event_names) / sizeof(event_names[0]) == EV_N,
    "a name for every session event");

/* The PDU that made an event, for Error Reports and logs. */
struct pdu_in {
	const uint8_t	*raw;
	size_t		 rawlen;
	struct pdu	 pdu;
	int		 code;		/* EV_BAD_PDU: the error to send */
	const char	*why;		/* EV_BAD_PDU: what was wrong */
};

static void	session_io_write(struct ev_loop *, ev_io *, int);
static int	sess_write(struct session *);
static void	fsm(struct session *, enum sess_event,
		    const struct pdu_in *);

static void
q_push(struct session *s, struct rtrbuf *rb)
{
	struct outq	*nq;
	size_t		 i, ncap;

	if (rb == NULL || rb->len == 0) {
		rtrbuf_unref(rb);
		return;
	}
	if (s->qlen == s->qcap) {
		ncap = s->qcap ? s->qcap * 2 : 8;
		if ((nq = calloc(ncap, sizeof(*nq))) == NULL) {
			rtrbuf_unref(rb);
			session_close(s, "out of memory");
			return;
		}
		for (i = 0; i < s->qlen; i++)
			nq[i] = s->q[(s->qhead + i) % s->qcap];
		free(s->q);
		s->q = nq;
		s->qcap = ncap;
		s->qhead = 0;
	}
	s->q[(s->qhead + s->qlen) % s->qcap].rb = rb;
	s->q[(s->qhead + s->qlen) % s->qcap].off = 0;
	s->qlen++;
}

/*
 * Send what is queued right away, while the socket most likely has room,
 * and watch for writability only if something is left: small answers
 * and Serial Notifies go out without an extra trip through the loop.
 */
static void
flush(struct session *s)
{
	if (s->state == SESS_DEAD || s->qlen == 0 || ev_is_active(&s->wio))
		return;
	if (sess_write(s) == -1) {
		fsm(s, EV_IO_ERROR, NULL);
		return;
	}
	if (s->qlen > 0) {
		ev_io_start(s->srv->loop, &s->wio);
		ev_timer_again(s->srv->loop, &s->wtimer);
	} else if (s->state == SESS_CLOSING)
		session_close(s, "error reported");
}

static void
q_clear(struct session *s)
{
	while (s->qlen > 0) {
		rtrbuf_unref(s->q[s->qhead].rb);
		s->qhead = (s->qhead + 1) % s->qcap;
		s->qlen--;
	}
}

/*
 * Queue an Error Report (RFC 8210 section 5.11) carrying the offending
 * PDU and a text.  The version is the session's, or for a session that
 * has not settled one, the lower of the PDU's and ours.
 */
static void
send_error(struct session *s, int code, const struct pdu_in *in,
    const char *text)
{
	struct buf	b = { 0 };
	uint8_t		ver;
	size_t		len = in != NULL ? in->rawlen : 0;

	if (s->version >= 0)
		ver = (uint8_t)s->version;
	else if (in != NULL && in->rawlen > 0 &&
	    in->raw[0] <= s->srv->o.max_version)
		ver = in->raw[0];
	else
		ver = (uint8_t)s->srv->o.max_version;
	if (len > 1024)
		len = 1024;	/* the header and then some is enough */
	pdu_put_error(&b, ver, (uint16_t)code, in != NULL ? in->raw : NULL,
	    len, text);
	q_push(s, rtrbuf_from(&b));
	buf_free(&b);
	s->srv->stats.errors_sent[code < 15 ? code : 15]++;
	log_ops(s->srv->log, LOG_INFO, "%s: sent Error Report %s: %s",
	    s->peer, rtr_errcode_name(code), text);
}

/* Send a last Error Report, then close once it is written. */
static void
fail(struct session *s, int code, const struct pdu_in *in, const char *text)
{
	send_error(s, code, in, text);
	s->state = SESS_CLOSING;
	ev_io_stop(s->srv->loop, &s->rio);
}

static void
answer(struct session *s, enum rtr_answer a, struct rtrbuf *out[3],
    const struct pdu_in *in)
{
	struct buf	b = { 0 };
	int		i;

	switch (a) {
	case RTR_ANSWER_DATA:
		for (i = 0; i < 3; i++)
			q_push(s, out[i]);
		s->srv->stats.answers[in->pdu.hdr.type == PDU_RESET_QUERY ?
		    0 : out[1]->len > 0 ? 1 : 2]++;
		break;
	case RTR_ANSWER_RESET:
		pdu_put_cache_reset(&b, (uint8_t)s->version);
		q_push(s, rtrbuf_from(&b));
		buf_free(&b);
		s->srv->stats.resets_sent++;
		break;
	case RTR_ANSWER_NODATA:
		/* RFC 8210 section 12: not fatal; the router asks again. */
		send_error(s, RTR_ERR_NO_DATA, in, "no data yet");
		break;
	case RTR_ANSWER_ERROR:
		fail(s, RTR_ERR_INTERNAL, in, "out of memory");
		break;
	}
}

/*
 * Version negotiation, RFC 8210 section 7: the first PDU settles the
 * version if we speak it; one above ours gets "Unsupported Protocol
 * Version" from our highest; a later change gets "Unexpected Protocol
 * Version".  Returns 0 to go on, -1 if the session is failing.
 */
static int
settle_version(struct session *s, const struct pdu_in *in)
{
	uint8_t v = in->raw[0];

	if (s->version < 0) {
		if (v > s->srv->o.max_version) {
			fail(s, RTR_ERR_UNSUPPORTED_VERSION, in,
			    "unsupported protocol version");
			return -1;
		}
		s->version = v;
		s->state = SESS_READY;
		s->srv->nsessions_v[RTR_NVERSIONS]--;
		s->srv->nsessions_v[v]++;
		log_ops(s->srv->log, LOG_INFO, "%s: protocol version %u",
		    s->peer, v);
		return 0;
	}
	if (v != s->version) {
		fail(s, RTR_ERR_UNEXPECTED_VERSION, in,
		    "protocol version changed within the session");
		return -1;
	}
	return 0;
}

static void
fsm(struct session *s, enum sess_event ev, const struct pdu_in *in)
{
	struct rtrbuf	*out[3];
	enum rtr_answer	 a;

	log_ops(s->srv->log, LOG_DEBUG, "%s: %s in state %s", s->peer,
	    event_names[ev], state_names[s->state]);
	if (s->state == SESS_DEAD)
		return;
	switch (ev) {
	case EV_RESET_QUERY:
	case EV_SERIAL_QUERY:
		if (s->state == SESS_CLOSING || settle_version(s, in) == -1)
			return;
		if (ev == EV_RESET_QUERY)
			a = rtrstate_reset_answer(s->srv->st,
			    (uint8_t)s->version, out);
		else
			a = rtrstate_serial_answer(s->srv->st,
			    (uint8_t)s->version, in->pdu.hdr.field,
			    in->pdu.u.serial, out);
		answer(s, a, out, in);
		if (s->qlen > s->srv->o.max_queue)
			fsm(s, EV_QUEUE_FULL, NULL);
		break;
	case EV_ERROR_REPORT:
		/* Never answer an Error Report with one (RFC 8210 5.11). */
		log_ops(s->srv->log, LOG_WARN, "%s: router sent Error Report "
		    "%s: %.*s", s->peer, rtr_errcode_name(in->pdu.u.error.code),
		    (int)(in->pdu.u.error.textlen > 200 ? 200 :
		    in->pdu.u.error.textlen), in->pdu.u.error.text);
		if (in->pdu.u.error.code != RTR_ERR_NO_DATA)
			session_close(s, "router reported an error");
		break;
	case EV_BAD_PDU:
		/* Not even a broken Error Report gets one (RFC 8210 5.11). */
		if (in->rawlen >= 2 && in->raw[1] == PDU_ERROR_REPORT)
			session_close(s, "router sent a malformed Error "
			    "Report");
		else if (s->state != SESS_CLOSING)
			fail(s, in->code, in, in->why);
		break;
	case EV_UNEXPECTED_PDU:
		if (s->state == SESS_CLOSING || settle_version(s, in) == -1)
			return;
		fail(s, RTR_ERR_INVALID_REQUEST, in,
		    "a router may only send queries and error reports");
		break;
	case EV_EOF:
		session_close(s, "router closed the connection");
		break;
	case EV_WRITE_TIMEOUT:
		s->srv->stats.closed_write_timeout++;
		session_close(s, "router stopped reading (write deadline)");
		break;
	case EV_IDLE_TIMEOUT:
		session_close(s, "no PDU within the idle deadline");
		break;
	case EV_HANDSHAKE_TIMEOUT:
		s->srv->stats.closed_handshake_timeout++;
		session_close(s, "TLS handshake not finished within the "
		    "deadline");
		break;
	case EV_QUEUE_FULL:
		s->srv->stats.closed_queue_full++;
		session_close(s, "too many answers queued");
		break;
	case EV_IO_ERROR:
		session_close(s, strerror(errno));
		break;
	}
}

/* Classify one whole PDU and run it through the state machine. */
static void
dispatch(struct session *s, const uint8_t *raw, size_t len)
{
	struct pdu_in	in;
	struct err	e;

	memset(&in, 0, sizeof(in));
	in.raw = raw;
	in.rawlen = len;
	if (pdu_decode(raw, len, (enum aspa_pdu_format)s->srv->st->aspa_format,
	    &in.pdu, &in.code, &e) == -1) {
		s->srv->stats.pdus_in[raw[1] < 15 ? raw[1] : 15]++;
		in.why = e.msg;
		log_ops(s->srv->log, LOG_INFO, "%s: bad PDU: %s", s->peer,
		    e.msg);
		fsm(s, EV_BAD_PDU, &in);
		return;
	}
	s->srv->stats.pdus_in[in.pdu.hdr.type < 15 ? in.pdu.hdr.type : 15]++;
	switch (in.pdu.hdr.type) {
	case PDU_RESET_QUERY:
		fsm(s, EV_RESET_QUERY, &in);
		break;
	case PDU_SERIAL_QUERY:
		fsm(s, EV_SERIAL_QUERY, &in);
		break;
	case PDU_ERROR_REPORT:
		fsm(s, EV_ERROR_REPORT, &in);
		break;
	default:
		fsm(s, EV_UNEXPECTED_PDU, &in);
		break;
	}
}

/* Feed every complete PDU in the input buffer to dispatch(). */
static void
consume(struct session *s)
{
	struct pdu_hdr	 h;
	struct pdu_in	 in;
	size_t		 off = 0;
	uint8_t		*p;
	int		 r;

	while (s->state == SESS_NEW || s->state == SESS_READY) {
		r = pdu_peek(s->in + off, s->inlen - off, &h);
		if (r == 0)
			break;
		if (r == -1) {
			memset(&in, 0, sizeof(in));
			in.raw = s->in + off;
			in.rawlen = s->inlen - off < PDU_HDR_LEN ?
			    s->inlen - off : PDU_HDR_LEN;
			in.code = RTR_ERR_CORRUPT;
			in.why = "PDU length out of bounds";
			fsm(s, EV_BAD_PDU, &in);
			return;
		}
		if (h.length > s->inlen - off) {
			if (h.length > s->incap) {
				if ((p = realloc(s->in, h.length)) == NULL) {
					session_close(s, "out of memory");
					return;
				}
				s->in = p;
				s->incap = h.length;
			}
			break;
		}
		dispatch(s, s->in + off, h.length);
		off += h.length;
	}
	if (s->state == SESS_DEAD)
		return;
	memmove(s->in, s->in + off, s->inlen - off);
	s->inlen -= off;
}

/*
 * Read into the input buffer, over TLS if the session has it.  Returns
 * bytes read, 0 at end of stream, -1 with errno (EAGAIN: try later).
 */
static ssize_t
sess_read(struct session *s)
{
	struct err	e;
	ssize_t		n;
	int		ww;

	if (s->ssl == NULL)
		return read(s->fd, s->in + s->inlen, s->incap - s->inlen);
	n = tls_read(s->ssl, s->in + s->inlen, s->incap - s->inlen, &ww, &e);
	if (ev_is_active(&s->htimer) && SSL_is_init_finished(s->ssl))
		ev_timer_stop(s->srv->loop, &s->htimer);
	if (n == TLS_WOULD_BLOCK) {
		/* A handshake or key update may need the socket writable. */
		if ((s->tls_read_wants_write = ww))
			ev_io_start(s->srv->loop, &s->wio);
		errno = EAGAIN;
		return -1;
	}
	if (n == -1) {
		log_ops(s->srv->log, LOG_INFO, "%s: %s", s->peer, e.msg);
		errno = EIO;
	}
	return n;
}

/* Read and handle what the router sent, until the socket is dry. */
static void
read_input(struct session *s)
{
	ssize_t	n;
	int	i;

	/* TLS keeps decrypted bytes poll() cannot see: read until dry. */
	for (i = 0; i < 16 && s->state != SESS_DEAD &&
	    s->state != SESS_CLOSING; i++) {
		n = sess_read(s);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			fsm(s, n == 0 ? EV_EOF : EV_IO_ERROR, NULL);
			return;
		}
		s->inlen += (size_t)n;
		if (s->srv->o.idle_timeout > 0)
			ev_timer_again(s->srv->loop, &s->itimer);
		consume(s);
	}
}

static void
session_io_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct session *s = w->data;

	read_input(s);
	flush(s);
}

/* done bytes of the queue went out: drop what is finished. */
static void
q_advance(struct session *s, size_t done)
{
	s->bytes_out += done;
	s->srv->stats.bytes_out += done;
	while (done > 0 && s->qlen > 0) {
		struct outq	*o = &s->q[s->qhead];
		size_t		 left = o->rb->len - o->off;

		if (done < left) {
			o->off += done;
			return;
		}
		done -= left;
		rtrbuf_unref(o->rb);
		s->qhead = (s->qhead + 1) % s->qcap;
		s->qlen--;
	}
}

/*
 * Write what the socket takes: one writev() over up to IOV_BATCH shared
 * buffers, or TLS records from the head buffer.  Returns 0, or -1 on a
 * fatal error.
 */
static int
sess_write(struct session *s)
{
	struct iovec	iov[IOV_BATCH];
	struct err	e;
	ssize_t		r;
	size_t		n;
	int		ww;

	if (s->ssl != NULL) {
		while (s->qlen > 0) {
			struct outq *o = &s->q[s->qhead];

			r = tls_write(s->ssl, o->rb->data + o->off,
			    o->rb->len - o->off, &ww, &e);
			if (r == TLS_WOULD_BLOCK)
				return 0;
			if (r <= 0) {
				log_ops(s->srv->log, LOG_INFO, "%s: %s",
				    s->peer, e.msg);
				return -1;
			}
			q_advance(s, (size_t)r);
		}
		return 0;
	}
	for (n = 0; n < s->qlen && n < IOV_BATCH; n++) {
		struct outq *o = &s->q[(s->qhead + n) % s->qcap];

		iov[n].iov_base = o->rb->data + o->off;
		iov[n].iov_len = o->rb->len - o->off;
	}
	r = writev(s->fd, iov, (int)n);
	if (r == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	q_advance(s, (size_t)r);
	return 0;
}

static void
session_io_write(struct ev_loop *loop, ev_io *w, int revents)
{
	struct session	*s = w->data;
	size_t		 before = s->bytes_out;

	if (s->tls_read_wants_write) {
		s->tls_read_wants_write = 0;
		read_input(s);
		if (s->state == SESS_DEAD)
			return;
	}
	if (sess_write(s) == -1) {
		fsm(s, EV_IO_ERROR, NULL);
		return;
	}
	if (s->bytes_out != before)
		ev_timer_again(loop, &s->wtimer);
	if (s->qlen == 0) {
		if (!s->tls_read_wants_write)
			ev_io_stop(loop, &s->wio);
		ev_timer_stop(loop, &s->wtimer);
		if (s->state == SESS_CLOSING)
			session_close(s, "error reported");
	}
}

static void
session_wtimeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	fsm(w->data, EV_WRITE_TIMEOUT, NULL);
}

static void
session_itimeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	fsm(w->data, EV_IDLE_TIMEOUT, NULL);
}

static void
session_htimeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	fsm(w->data, EV_HANDSHAKE_TIMEOUT, NULL);
}

struct session *
session_new(struct server *srv, struct listener *lst, int fd, SSL *ssl,
    const char *peer)
{
	struct session *s;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->in = malloc(IN_INITIAL)) == NULL) {
		free(s);
		return NULL;
	}
	s->srv = srv;
	s->lst = lst;
	s->fd = fd;
	s->ssl = ssl;
	s->incap = IN_INITIAL;
	s->version = -1;
	s->state = SESS_NEW;
	s->connected = ev_now(srv->loop);
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
	ev_io_init(&s->rio, session_io_read, fd, EV_READ);
	ev_io_init(&s->wio, session_io_write, fd, EV_WRITE);
	ev_init(&s->wtimer, session_wtimeout);
	s->wtimer.repeat = srv->o.write_timeout;
	ev_init(&s->itimer, session_itimeout);
	s->itimer.repeat = srv->o.idle_timeout;
	ev_timer_init(&s->htimer, session_htimeout, srv->o.handshake_timeout,
	    0);
	s->rio.data = s->wio.data = s->wtimer.data = s->itimer.data = s;
	s->htimer.data = s;
	ev_io_start(srv->loop, &s->rio);
	/* A TLS client that never finishes its handshake is not a router. */
	if (ssl != NULL && srv->o.handshake_timeout > 0)
		ev_timer_start(srv->loop, &s->htimer);
	if (srv->o.idle_timeout > 0)
		ev_timer_again(srv->loop, &s->itimer);
	return s;
}

void
session_notify(struct session *s)
{
	ev_tstamp now = ev_now(s->srv->loop);

	if (s->state != SESS_READY)
		return;
	if (now - s->last_notify < s->srv->o.notify_interval) {
		s->notify_pending = 1;
		return;
	}
	s->notify_pending = 0;
	s->last_notify = now;
	q_push(s, rtrstate_notify(s->srv->st, (uint8_t)s->version));
	s->srv->stats.notifies_sent++;
	flush(s);
}

void
session_close(struct session *s, const char *why)
{
	struct server *srv = s->srv;

	if (s->state == SESS_DEAD)
		return;
	log_ops(srv->log, LOG_INFO, "%s: closed after %.0f s, %llu bytes "
	    "sent: %s", s->peer, ev_now(srv->loop) - s->connected,
	    (unsigned long long)s->bytes_out, why);
	ev_io_stop(srv->loop, &s->rio);
	ev_io_stop(srv->loop, &s->wio);
	ev_timer_stop(srv->loop, &s->wtimer);
	ev_timer_stop(srv->loop, &s->itimer);
	ev_timer_stop(srv->loop, &s->htimer);
	if (s->ssl != NULL) {
		SSL_shutdown(s->ssl);	/* one try; never wait for it */
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	close(s->fd);
	s->fd = -1;
	q_clear(s);
	srv->nsessions_v[s->version >= 0 ? s->version : RTR_NVERSIONS]--;
	s->state = SESS_DEAD;
	/* Unlink from the live list, onto the dead one. */
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		srv->sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	srv->nsessions--;
	s->lst->nsessions--;
	s->prev = NULL;
	s->next = srv->dead;
	srv->dead = s;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	q_clear(s);
	free(s->q);
	free(s->in);
	free(s);
}
