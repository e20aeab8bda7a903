/*
 * rtrdump - connect to an RTR server as a router would, and write what
 * it sent as a VRP file (GoRTR's rtrdump flags, plus -protocol).
 *
 * A Reset Query (default) gets the whole set, written as OctoRPKI JSON
 * that vrpjson and rtrcache read.  With -serial, a Serial Query gets a
 * diff: announcements go to -file, withdrawals to -file.withdrawn.  Any
 * protocol error exits non-zero with the reason.
 *
 * Exit codes: 0 ok; 1 protocol error or Error Report from the server;
 * 2 usage; 3 cannot connect or write; 4 Cache Reset in answer to a
 * Serial Query; 5 the server has no data (Error Report code 2).
 */
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "flags.h"
#include "hostport.h"
#include "pdu.h"
#include "tls.h"
#include "vrpfile.h"

#define EXIT_PROTO	1
#define EXIT_USAGE	2
#define EXIT_IO		3
#define EXIT_RESET	4
#define EXIT_NODATA	5

struct dump {
	int			 fd;
	SSL			*ssl;		/* -type tls */
	double			 deadline;
	enum aspa_pdu_format	 fmt;
	uint8_t			*in;
	size_t			 inlen;
	size_t			 incap;
	size_t			 consumed;	/* bytes of the last PDU */
	struct vrpset_builder	*ann;
	struct vrpset_builder	*wd;
	int			 ta;		/* TA index in both */
	uint32_t		 serial;
	uint16_t		 session;
	size_t			 npdus;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
dial(const char *addr, double timeout)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct pollfd	 pfd;
	char		 host[256], port[16];
	int		 fd = -1, err = 0;
	socklen_t	 el = sizeof(err);

	if (hostport_split(addr, host, sizeof(host), port, sizeof(port)) ==
	    -1) {
		fprintf(stderr, "rtrdump: -connect %s: want host:port\n", addr);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host[0] ? host : "localhost", port, &hints, &res)
	    != 0) {
		fprintf(stderr, "rtrdump: %s: cannot resolve\n", addr);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, (int)(timeout * 1000)) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) ==
			    0 && err == 0)
				break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		fprintf(stderr, "rtrdump: %s: cannot connect: %s\n", addr,
		    err ? strerror(err) : "timeout");
	return fd;
}

/*
 * Wait until fd is readable (want_write 0) or writable, up to the
 * deadline.  Returns 0, or -1 on timeout.
 */
static int
wait_fd(struct dump *d, int want_write)
{
	struct pollfd	pfd = { d->fd, want_write ? POLLOUT : POLLIN, 0 };
	double		left = d->deadline - now_s();

	return left > 0 && poll(&pfd, 1, (int)(left * 1000)) == 1 ? 0 : -1;
}

/* Move bytes over plain TCP or TLS: > 0 moved, 0 EOF, -1 error/timeout. */
static ssize_t
io(struct dump *d, void *buf, size_t len, int writing)
{
	struct err	e;
	ssize_t		n;
	int		ww;

	for (;;) {
		if (d->ssl == NULL) {
			n = writing ? write(d->fd, buf, len) :
			    read(d->fd, buf, len);
			ww = writing;
			if (n >= 0 || (errno != EAGAIN && errno != EINTR))
				return n;
		} else {
			n = writing ? tls_write(d->ssl, buf, len, &ww, &e) :
			    tls_read(d->ssl, buf, len, &ww, &e);
			if (n == -1)
				fprintf(stderr, "rtrdump: %s\n", e.msg);
			if (n != TLS_WOULD_BLOCK)
				return n;
		}
		if (wait_fd(d, ww) == -1) {
			fprintf(stderr, "rtrdump: timeout waiting for the "
			    "server\n");
			return -1;
		}
	}
}

static int
send_all(struct dump *d, const struct buf *b)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < b->len) {
		if ((n = io(d, b->data + off, b->len - off, 1)) <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/*
 * Drop the PDU handed out last, then read until one whole PDU is at the
 * start of d->in; returns its length, 0 on EOF, -1 on error or timeout
 * (message printed).
 */
static long
read_pdu(struct dump *d)
{
	struct pdu_hdr	 h;
	ssize_t		 n;
	uint8_t		*p;
	int		 r;

	if (d->consumed > 0) {
		memmove(d->in, d->in + d->consumed, d->inlen - d->consumed);
		d->inlen -= d->consumed;
		d->consumed = 0;
	}
	for (;;) {
		r = pdu_peek(d->in, d->inlen, &h);
		if (r == -1) {
			fprintf(stderr, "rtrdump: corrupt PDU length %u\n",
			    h.length);
			return -1;
		}
		if (r == 1 && h.length <= d->inlen)
			return (long)h.length;
		if (d->incap - d->inlen < 65536) {
			if ((p = realloc(d->in, d->incap + 131072)) == NULL)
				return -1;
			d->in = p;
			d->incap += 131072;
		}
		if ((n = io(d, d->in + d->inlen, d->incap - d->inlen, 0)) <= 0)
			return n;
		d->inlen += (size_t)n;
	}
}

static int
take_payload(struct dump *d, const struct pdu *p)
{
	struct vrpset_builder	*b;
	struct vrp		 v;
	uint32_t		*prov;
	size_t			 i;
	int			 rc;

	switch (p->hdr.type) {
	case PDU_IPV4_PREFIX:
	case PDU_IPV6_PREFIX:
		b = p->u.prefix.flags & PDU_FLAG_ANNOUNCE ? d->ann : d->wd;
		memset(&v, 0, sizeof(v));
		v.afi = p->u.prefix.afi;
		memcpy(v.addr, p->u.prefix.addr, sizeof(v.addr));
		v.plen = p->u.prefix.plen;
		v.maxlen = p->u.prefix.maxlen;
		v.asn = p->u.prefix.asn;
		v.ta = (uint16_t)d->ta;
		return vrpset_add_vrp(b, &v);
	case PDU_ROUTER_KEY:
		b = p->u.rkey.flags & PDU_FLAG_ANNOUNCE ? d->ann : d->wd;
		return vrpset_add_rkey(b, p->u.rkey.asn, p->u.rkey.ski,
		    p->u.rkey.spki, p->u.rkey.spkilen, (uint16_t)d->ta, 0);
	case PDU_ASPA:
		b = p->u.aspa.flags & PDU_FLAG_ANNOUNCE ? d->ann : d->wd;
		if ((prov = calloc(p->u.aspa.nproviders + 1, 4)) == NULL)
			return -1;
		for (i = 0; i < p->u.aspa.nproviders; i++) {
			const uint8_t *q = p->u.aspa.providers + 4 * i;

			prov[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
			    (uint32_t)q[2] << 8 | q[3];
		}
		rc = vrpset_add_aspa(b, p->u.aspa.customer, prov,
		    p->u.aspa.nproviders, (uint16_t)d->ta, 0);
		free(prov);
		return rc;
	}
	return 0;
}

/*
 * Read the answer to our query: Cache Response, payload, End of Data.
 * Returns 0, or an exit code.
 */
static int
read_answer(struct dump *d, uint8_t ver, int *downgrade)
{
	struct pdu	p;
	struct err	e;
	long		n;
	int		code, started = 0;

	for (;;) {
		if ((n = read_pdu(d)) <= 0) {
			if (n == 0)
				fprintf(stderr, "rtrdump: server closed the "
				    "connection\n");
			return EXIT_PROTO;
		}
		if (pdu_decode(d->in, (size_t)n, d->fmt, &p, &code, &e) == -1) {
			fprintf(stderr, "rtrdump: bad PDU from the server "
			    "(%s): %s\n", rtr_errcode_name(code), e.msg);
			return EXIT_PROTO;
		}
		/* p points into d->in: drop the bytes on the next read only. */
		d->consumed = (size_t)n;
		d->npdus++;
		if (p.hdr.type == PDU_ERROR_REPORT) {
			fprintf(stderr, "rtrdump: server sent Error Report %s: "
			    "%.*s\n", rtr_errcode_name(p.u.error.code),
			    (int)p.u.error.textlen, p.u.error.text);
			if (p.u.error.code == RTR_ERR_UNSUPPORTED_VERSION &&
			    p.hdr.version < ver)
				*downgrade = p.hdr.version;
			return p.u.error.code == RTR_ERR_NO_DATA ?
			    EXIT_NODATA : EXIT_PROTO;
		}
		if (p.hdr.version != ver) {
			fprintf(stderr, "rtrdump: server answered in version "
			    "%u, we asked in %u\n", p.hdr.version, ver);
			return EXIT_PROTO;
		}
		switch (p.hdr.type) {
		case PDU_SERIAL_NOTIFY:
			continue;
		case PDU_CACHE_RESET:
			fprintf(stderr, "rtrdump: server sent Cache Reset\n");
			return EXIT_RESET;
		case PDU_CACHE_RESPONSE:
			started = 1;
			d->session = p.hdr.field;
			continue;
		case PDU_END_OF_DATA:
			if (!started)
				break;
			d->serial = p.u.eod.serial;
			return 0;
		default:
			if (!started)
				break;
			if (take_payload(d, &p) == -1)
				return EXIT_IO;
			continue;
		}
		fprintf(stderr, "rtrdump: unexpected %s before Cache "
		    "Response\n", pdu_type_name(p.hdr.type));
		return EXIT_PROTO;
	}
}

/* Build b (consumed) and write it with the serial; 0 or -1. */
static int
save(const char *path, struct vrpset_builder *b, const struct dump *d)
{
	struct vrpfile_meta	 m;
	struct vrpset		*s;
	struct err		 e;
	int			 rc;

	memset(&m, 0, sizeof(m));
	m.serial = d->serial;
	m.has_serial = 1;
	if ((s = vrpset_build(b)) == NULL)
		return -1;
	rc = vrpfile_save(path, s, VRPFILE_OCTORPKI, &m, &e);
	if (rc == -1)
		fprintf(stderr, "rtrdump: %s\n", e.msg);
	vrpset_unref(s);
	return rc;
}

struct opts {
	const char	*connect, *file, *wfile, *type, *aspa, *cafile;
	int		 tls_validate;
	SSL_CTX		*tls;
	long long	 protocol, serial_value, session_id;
	int		 serial;
	double		 timeout;
};

/* TLS handshake on d->fd; the name checked is -connect's host. */
static int
tls_start(struct dump *d, const struct opts *o)
{
	unsigned long	ec;
	char		host[256], port[16];
	int		r, ww, err;

	hostport_split(o->connect, host, sizeof(host), port, sizeof(port));
	if ((d->ssl = SSL_new(o->tls)) == NULL ||
	    SSL_set_fd(d->ssl, d->fd) != 1)
		return -1;
	SSL_set_tlsext_host_name(d->ssl, host);
	if (o->tls_validate && SSL_set1_host(d->ssl, host) != 1)
		return -1;
	while ((r = SSL_connect(d->ssl)) != 1) {
		err = SSL_get_error(d->ssl, r);
		ww = err == SSL_ERROR_WANT_WRITE;
		if ((!ww && err != SSL_ERROR_WANT_READ) ||
		    wait_fd(d, ww) == -1) {
			ec = ERR_get_error();
			fprintf(stderr, "rtrdump: %s: TLS handshake failed: "
			    "%s\n", o->connect, ec != 0 ?
			    ERR_reason_error_string(ec) :
			    "timeout or connection closed");
			return -1;
		}
	}
	return 0;
}

static int
run(const struct opts *o, uint8_t ver, int *downgrade)
{
	struct dump	d;
	struct buf	q = { 0 };
	int		rc = EXIT_IO, r;

	memset(&d, 0, sizeof(d));
	d.fmt = strcmp(o->aspa, "current") == 0 ? ASPA_PDU_CURRENT :
	    ASPA_PDU_DRAFT10;
	d.deadline = now_s() + o->timeout;
	d.ann = vrpset_builder_new();
	d.wd = vrpset_builder_new();
	if (d.ann == NULL || d.wd == NULL || (d.ta =
	    vrpset_builder_ta(d.ann, "rtr")) == -1 ||
	    vrpset_builder_ta(d.wd, "rtr") != d.ta)
		goto out;
	if ((d.fd = dial(o->connect, o->timeout)) == -1)
		goto out;
	if (strcmp(o->type, "tls") == 0 && tls_start(&d, o) == -1)
		goto out;
	if (o->serial)
		pdu_put_serial_query(&q, ver, (uint16_t)o->session_id,
		    (uint32_t)o->serial_value);
	else
		pdu_put_reset_query(&q, ver);
	if (send_all(&d, &q) == -1) {
		fprintf(stderr, "rtrdump: cannot send the query\n");
		goto out;
	}
	if ((rc = read_answer(&d, ver, downgrade)) != 0)
		goto out;
	fprintf(stderr, "rtrdump: version %u, session %u, serial %u, %zu "
	    "PDUs\n", ver, d.session, d.serial, d.npdus);
	rc = EXIT_IO;
	r = save(o->file, d.ann, &d);
	d.ann = NULL;			/* save() consumed it */
	if (r == -1)
		goto out;
	if (o->serial) {
		r = save(o->wfile, d.wd, &d);
		d.wd = NULL;
		if (r == -1)
			goto out;
	}
	rc = 0;
 out:
	vrpset_builder_free(d.ann);
	vrpset_builder_free(d.wd);
	if (d.ssl != NULL) {
		SSL_shutdown(d.ssl);
		SSL_free(d.ssl);
	}
	if (d.fd > 0)
		close(d.fd);
	free(d.in);
	buf_free(&q);
	return rc;
}

int
main(int argc, char **argv)
{
	struct flagset	 fs;
	struct opts	 o;
	struct err	 e;
	char		 wbuf[4096];
	int		 rest, r, rc, down = -1;

	flags_init(&fs, "rtrdump");
	flag_string(&fs, "connect", &o.connect, "127.0.0.1:8282",
	    "Connection address");
	flag_string(&fs, "file", &o.file, "output.json",
	    "Output file (\"-\": standard output)");
	flag_string(&fs, "file.withdrawn", &o.wfile, "",
	    "With -serial: file for withdrawals (default: FILE.withdrawn)");
	flag_bool(&fs, "serial", &o.serial, 0,
	    "Send serial query instead of reset");
	flag_int(&fs, "serial.value", &o.serial_value, 0, "Serial number");
	flag_int(&fs, "session.id", &o.session_id, 0, "Session ID");
	flag_string(&fs, "type", &o.type, "plain",
	    "Type of connection: plain or tls");
	flag_bool(&fs, "tls.validate", &o.tls_validate, 1,
	    "Validate TLS (the server's certificate and name)");
	flag_string(&fs, "tls.ca", &o.cafile, "",
	    "CA file to validate the server with (default: the system's)");
	flag_int(&fs, "protocol", &o.protocol, 2,
	    "RTR protocol version to ask for; a lower one offered by the "
	    "server is taken");
	flag_string(&fs, "aspa.format", &o.aspa, "draft10",
	    "ASPA PDU layout: draft10 (StayRTR 0.5) or current");
	flag_duration(&fs, "timeout", &o.timeout, 30,
	    "Give up after this long");
	r = flags_parse(&fs, argc, argv, 1, &rest, &e);
	if (r == 1) {
		flags_usage(&fs, stdout);
		flags_free(&fs);
		return 0;
	}
	if (r == -1 || rest != argc || o.protocol < 0 ||
	    o.protocol > RTR_VERSION_MAX || (strcmp(o.type, "plain") != 0 &&
	    strcmp(o.type, "tls") != 0)) {
		fprintf(stderr, "rtrdump: %s\n", r == -1 ? e.msg :
		    rest != argc ? "unexpected argument" : o.protocol < 0 ||
		    o.protocol > RTR_VERSION_MAX ? "-protocol: want 0..2" :
		    "-type: want plain or tls");
		flags_usage(&fs, stderr);
		flags_free(&fs);
		return EXIT_USAGE;
	}
	if (o.wfile[0] == '\0') {
		snprintf(wbuf, sizeof(wbuf), "%s.withdrawn", o.file);
		o.wfile = wbuf;
	}
	o.tls = NULL;
	if (strcmp(o.type, "tls") == 0 && (o.tls = tls_client_ctx(
	    o.tls_validate, o.cafile[0] ? o.cafile : NULL, &e)) == NULL) {
		fprintf(stderr, "rtrdump: %s\n", e.msg);
		flags_free(&fs);
		return EXIT_IO;
	}
	rc = run(&o, (uint8_t)o.protocol, &down);
	if (rc == EXIT_PROTO && down >= 0) {
		/* RFC 8210 section 7: retry at the version offered. */
		fprintf(stderr, "rtrdump: retrying with version %d\n", down);
		rc = run(&o, (uint8_t)down, &down);
	}
	SSL_CTX_free(o.tls);
	flags_free(&fs);
	return rc;
}
