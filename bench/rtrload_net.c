/*
 * rtrload_net.c - rtrload's sessions: non-blocking connects ramped
 * under a concurrency cap, one level-triggered epoll loop, and the PDU
 * framing and checks of every answer.
 *
 * The read path is the client's whole cost, so it copies nothing but
 * the kernel's copy: each read lands in one shared buffer behind room
 * for the partial PDU the session's previous read ended with; PDUs are
 * framed in place and each payload PDU costs one hash (rtrwire.h).
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtrload.h"

#define RBUF_LEN	(256 * 1024)
#define CARRY_ROOM	65536		/* > largest PDU (65,535) */
#define EV_BATCH	512

int
rtrl_init(struct load *L, const char *addr, size_t n, size_t conc,
    int version, double timeout)
{
	size_t	i;
	long	lim;

	memset(L, 0, sizeof(*L));
	if (rtrw_addr("-connect", addr, &L->addr) == -1)
		return -1;
	if ((lim = rtrw_nofile((long)n + 64)) < (long)n + 16) {
		fprintf(stderr, "rtrload: RLIMIT_NOFILE is %ld, want %zu\n",
		    lim, n + 64);
		return -1;
	}
	L->n = n;
	L->conc = conc;
	L->version = version;
	L->ep = epoll_create1(EPOLL_CLOEXEC);
	L->s = calloc(n, sizeof(*L->s));
	L->rbuf = malloc(CARRY_ROOM + RBUF_LEN);
	if (L->ep == -1 || L->s == NULL || L->rbuf == NULL) {
		fprintf(stderr, "rtrload: %s\n", strerror(errno));
		rtrl_free(L);
		return -1;
	}
	for (i = 0; i < n; i++)
		L->s[i].fd = -1;
	L->deadline = rtrw_mono() + (int64_t)(timeout * 1e9);
	return 0;
}

void
rtrl_free(struct load *L)
{
	size_t i;

	for (i = 0; L->s != NULL && i < L->n; i++) {
		if (L->s[i].fd != -1)
			close(L->s[i].fd);
		free(L->s[i].bigcarry);
	}
	if (L->ep > 0)
		close(L->ep);
	free(L->s);
	free(L->rbuf);
	memset(L, 0, sizeof(*L));
}

/* The session's answer is complete (or failed). */
static void
answered(struct load *L, struct sess *s, int bad)
{
	s->state = SS_DONE;
	s->t_end = rtrw_mono();
	s->bad = (uint8_t)bad;
	L->nanswered++;
	if (bad)
		L->nbad++;
	else
		L->nok++;
}

/* End of Data of a Reset Query: check the content. */
static void
check_reset(struct load *L, struct sess *s)
{
	int ok;

	if (!L->have_exp) {
		/* No -expect: the first complete answer is the reference. */
		L->exp = s->d;
		L->have_exp = 1;
	}
	ok = !s->bad && rtrw_digest_eq(&s->d, &L->exp) && s->d.cnt[3] == 1 &&
	    s->d.cnt[7] == 1;
	if (!ok && L->nbad < 3)
		fprintf(stderr, "rtrload: session %zu: wrong answer: IPv4 "
		    "%llu/%llu, IPv6 %llu/%llu, sum %s, xor %s\n",
		    (size_t)(s - L->s),
		    (unsigned long long)s->d.cnt[4],
		    (unsigned long long)L->exp.cnt[4],
		    (unsigned long long)s->d.cnt[6],
		    (unsigned long long)L->exp.cnt[6],
		    s->d.sum == L->exp.sum ? "same" : "DIFFERENT",
		    s->d.xr == L->exp.xr ? "same" : "DIFFERENT");
	answered(L, s, !ok);
}

/* One whole PDU of len bytes (RFC 8210 section 5). */
static void
on_pdu(struct load *L, struct sess *s, const uint8_t *p, uint32_t len)
{
	rtrw_digest_add(&s->d, p, len);
	if (p[0] != L->version && p[1] != 10)
		s->bad = 1;
	switch (p[1]) {
	case 4:
	case 6:
	case 9:
	case 11:
		if (s->state != SS_DATA)
			s->bad = 1;
		return;
	case 3:		/* Cache Response */
		if (s->state != SS_ASKED) {
			s->bad = 1;
			return;
		}
		s->state = SS_DATA;
		s->t_first = rtrw_mono();
		s->session_id = (uint16_t)(p[2] << 8 | p[3]);
		return;
	case 7:		/* End of Data */
		if (s->state != SS_DATA || len < 12) {
			s->bad = 1;
			return;
		}
		s->serial = rtrl_be32(p + 8);
		check_reset(L, s);
		return;
	case 8:		/* Cache Reset: the answer to a probe */
		if (s->state == SS_ASKED)
			answered(L, s, !L->serialq);
		else
			s->bad = 1;
		return;
	case 0:		/* Serial Notify */
		if (!s->notified && len == 12) {
			s->notified = 1;
			s->t_notify = rtrw_mono();
			s->t_notify_real = rtrw_real();
			s->notify_serial = rtrl_be32(p + 8);
			L->nnotified++;
		}
		return;
	case 10:	/* Error Report: the answer failed */
		s->errcode = (uint16_t)(p[2] << 8 | p[3]);
		if (s->state == SS_ASKED || s->state == SS_DATA)
			answered(L, s, 1);
		return;
	default:
		s->bad = 1;
		return;
	}
}

static void
carry_save(struct sess *s, const uint8_t *p, size_t len)
{
	if (len <= sizeof(s->smallcarry)) {
		memcpy(s->smallcarry, p, len);
	} else {
		if (s->bigcarry == NULL &&
		    (s->bigcarry = malloc(CARRY_ROOM)) == NULL)
			abort();	/* out of memory */
		memcpy(s->bigcarry, p, len);
	}
	s->carrylen = (uint32_t)len;
}

/*
 * Frame and handle the bytes just read into L->rbuf + CARRY_ROOM.
 * Prefix PDUs inside an answer take the fast path: their whole header
 * is compared as one word and they are summed in locals (p is a byte
 * pointer, which may alias the session, so sums kept there would be
 * stored and reloaded on every PDU); anything else goes to on_pdu with
 * the sums flushed first.
 */
static void
feed(struct load *L, struct sess *s, size_t len)
{
	const uint64_t	 h4 = rtrw_prefix_hdr((uint8_t)L->version, 4);
	const uint64_t	 h6 = rtrw_prefix_hdr((uint8_t)L->version, 6);
	uint8_t		*p = L->rbuf + CARRY_ROOM;
	uint64_t	 sum = 0, xr = 0, n4 = 0, n6 = 0, hdr, h;
	uint32_t	 n;
	int		 indata = s->state == SS_DATA;

	if (s->carrylen > 0) {
		p -= s->carrylen;
		memcpy(p, s->carrylen <= sizeof(s->smallcarry) ?
		    s->smallcarry : s->bigcarry, s->carrylen);
		len += s->carrylen;
		s->carrylen = 0;
	}
	while (len >= 8) {
		hdr = rtrw_load64(p);
		if (indata && hdr == h4 && len >= 20) {
			h = rtrw_hash4(p);
			sum += h;
			xr ^= h;
			n4++;
			p += 20;
			len -= 20;
			continue;
		}
		if (indata && hdr == h6 && len >= 32) {
			h = rtrw_hash6(p);
			sum += h;
			xr ^= h;
			n6++;
			p += 32;
			len -= 32;
			continue;
		}
		s->d.sum += sum;
		s->d.xr ^= xr;
		s->d.cnt[4] += n4;
		s->d.cnt[6] += n6;
		sum = xr = n4 = n6 = 0;
		n = rtrl_be32(p + 4);
		if (n < 8 || n > 65535) {
			/* Unframeable: count the answer failed, drop it. */
			if (s->state == SS_ASKED || s->state == SS_DATA)
				answered(L, s, 1);
			rtrl_sess_close(L, s);
			return;
		}
		if (n > len)
			break;
		on_pdu(L, s, p, n);
		indata = s->state == SS_DATA;
		p += n;
		len -= n;
	}
	s->d.sum += sum;
	s->d.xr ^= xr;
	s->d.cnt[4] += n4;
	s->d.cnt[6] += n6;
	if (len > 0)
		carry_save(s, p, len);
}

void
rtrl_sess_close(struct load *L, struct sess *s)
{
	if (s->state == SS_CLOSED || s->state == SS_NONE)
		return;
	if (s->state == SS_CONNECTING)
		L->inflight--;
	if (s->state == SS_ASKED || s->state == SS_DATA)
		answered(L, s, 1);
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	s->state = SS_CLOSED;
	L->nclosed++;
	if (!s->notified)
		L->nclosed_unnotified++;
}

void
rtrl_sess_reset(struct load *L, struct sess *s)
{
	rtrl_sess_close(L, s);
	free(s->bigcarry);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	L->next = L->inflight = L->nconnected = L->nconnfail = 0;
	L->nclosed = L->nclosed_unnotified = L->nnotified = 0;
	L->nasked = L->nanswered = L->nok = L->nbad = 0;
}

static void
connect_failed(struct load *L, struct sess *s, int err)
{
	snprintf(L->connerr, sizeof(L->connerr), "%s", strerror(err));
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	s->state = SS_CLOSED;
	L->nconnfail++;
}

static void
connected(struct load *L, struct sess *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };

	epoll_ctl(L->ep, s->state == SS_CONNECTING ? EPOLL_CTL_MOD :
	    EPOLL_CTL_ADD, s->fd, &ev);
	s->state = SS_OPEN;
	L->nconnected++;
}

/* Start connects up to the concurrency cap. */
static void
ramp(struct load *L)
{
	struct epoll_event	 ev;
	struct sess		*s;

	while (L->inflight < L->conc && L->next < L->n) {
		s = &L->s[L->next++];
		s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (s->fd == -1) {
			connect_failed(L, s, errno);
			continue;
		}
		if (L->rcvbuf > 0)
			setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &L->rcvbuf,
			    sizeof(L->rcvbuf));
		if (connect(s->fd, (struct sockaddr *)&L->addr,
		    sizeof(L->addr)) == 0) {
			connected(L, s);
			continue;
		}
		if (errno != EINPROGRESS) {
			connect_failed(L, s, errno);
			continue;
		}
		s->state = SS_CONNECTING;
		L->inflight++;
		ev.events = EPOLLOUT;
		ev.data.ptr = s;
		epoll_ctl(L->ep, EPOLL_CTL_ADD, s->fd, &ev);
	}
}

static void
on_event(struct load *L, struct sess *s)
{
	ssize_t		r;
	int		err = 0;
	socklen_t	sl = sizeof(err);

	if (s->state == SS_CONNECTING) {
		L->inflight--;
		getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &sl);
		if (err != 0)
			connect_failed(L, s, err);
		else
			connected(L, s);
		return;
	}
	if (s->fd == -1)
		return;
	r = read(s->fd, L->rbuf + CARRY_ROOM, RBUF_LEN);
	if (r > 0) {
		L->bytes += (uint64_t)r;
		feed(L, s, (size_t)r);
	} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
		rtrl_sess_close(L, s);
	}
}

int
rtrl_run(struct load *L, int (*done)(const struct load *), int64_t until)
{
	struct epoll_event	ev[EV_BATCH];
	int64_t			now;
	int			k, i, wait;

	for (;;) {
		ramp(L);
		if (done != NULL && done(L))
			return 0;
		now = rtrw_mono();
		if (now >= until || now >= L->deadline)
			return done == NULL ? 0 : -1;
		wait = (int)(((until < L->deadline ? until : L->deadline) -
		    now) / 1000000) + 1;
		k = epoll_wait(L->ep, ev, EV_BATCH, wait > 100 ? 100 : wait);
		for (i = 0; i < k; i++)
			on_event(L, ev[i].data.ptr);
	}
}

int
rtrl_all_connected(const struct load *L)
{
	return L->next == L->n && L->inflight == 0;
}

int
rtrl_all_done(const struct load *L)
{
	return L->nanswered >= L->nasked;
}

int
rtrl_all_notified(const struct load *L)
{
	return L->nnotified + L->nclosed_unnotified >= L->nconnected;
}

void
rtrl_ask_all(struct load *L, int serial)
{
	uint8_t		 q[12] = { 0 };
	size_t		 i, qlen;
	struct sess	*s;

	q[0] = (uint8_t)L->version;
	if (serial) {
		/* Serial Query: a serial no cache has kept. */
		q[1] = 1;
		q[2] = (uint8_t)(L->session >> 8);
		q[3] = (uint8_t)L->session;
		q[7] = qlen = 12;
		q[8] = q[9] = q[10] = 0xff;
		q[11] = 0xf0;
	} else {
		q[1] = 2;
		q[7] = qlen = 8;
	}
	L->nasked = L->nanswered = L->nok = L->nbad = 0;
	L->bytes = 0;
	L->serialq = serial;
	for (i = 0; i < L->n; i++) {
		s = &L->s[i];
		if (s->state != SS_OPEN && s->state != SS_DONE)
			continue;
		memset(&s->d, 0, sizeof(s->d));
		s->bad = 0;
		s->t_first = s->t_end = 0;
		s->state = SS_ASKED;
		L->nasked++;
		s->t_ask = rtrw_mono();
		if (write(s->fd, q, qlen) != (ssize_t)qlen)
			rtrl_sess_close(L, s);
	}
}
