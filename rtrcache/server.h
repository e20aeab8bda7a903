/*
 * server.h - the RTR server: listeners, sessions, and the per-session
 * state machine (RFC 6810, RFC 8210, draft-ietf-sidrops-8210bis).
 *
 * One libev loop owns all of it.  Answers are queued on a session as
 * references to shared buffers (rtrstate.h) and written only when the
 * socket is writable; a router that stops reading is closed when its
 * write deadline passes, without slowing anyone else.
 */
#ifndef RTRCACHE_SERVER_H
#define RTRCACHE_SERVER_H

#include <stdint.h>

#include <ev.h>
#include <openssl/ssl.h>

#include "log.h"
#include "rtrstate.h"

struct server_opts {
	size_t	maxconn;		/* 0: no limit */
	double	write_timeout;		/* s without write progress */
	double	idle_timeout;		/* s without any PDU; 0: none */
	double	handshake_timeout;	/* s to finish a TLS handshake; 0: none */
	size_t	max_queue;		/* answers queued per session */
	int	notifications;		/* send Serial Notify */
	double	notify_interval;	/* s between notifies per session */
	int	keepalive;		/* TCP keepalive on sessions */
	int	max_version;		/* highest protocol version spoken */
};

/* Counters for /metrics; written by the loop thread only. */
struct server_stats {
	uint64_t	accepted;
	uint64_t	rejected_maxconn;
	uint64_t	accept_errors;
	uint64_t	closed_write_timeout;
	uint64_t	closed_queue_full;
	uint64_t	closed_handshake_timeout;
	uint64_t	pdus_in[16];		/* by PDU type, 15: unknown */
	uint64_t	errors_sent[16];	/* by error code, 15: other */
	uint64_t	bytes_out;
	uint64_t	resets_sent;		/* Cache Reset PDUs */
	uint64_t	notifies_sent;
	uint64_t	answers[3];		/* full, diff, empty */
};

struct server;
struct session;

struct listener {
	struct server	*srv;
	int		 fd;
	int		 port;
	char		 name[80];	/* the -bind text, for metrics */
	SSL_CTX		*tls;		/* NULL: plain TCP */
	ev_io		 io;
	ev_timer	 backoff;
	size_t		 nsessions;
};

struct server {
	struct ev_loop		*loop;
	struct rtrstate		*st;
	struct logger		*log;
	struct server_opts	 o;
	struct listener		**listeners;
	size_t			 nlisteners;
	struct session		*sessions;	/* doubly linked */
	size_t			 nsessions;
	size_t			 nsessions_v[RTR_NVERSIONS + 1]; /* + unknown */
	struct session		*dead;		/* closed, freed later */
	ev_check		 reaper;
	ev_timer		 notify_timer;
	struct server_stats	 stats;
};

/*
 * Set up a server on loop serving st.  Nothing listens yet.  Returns 0,
 * or -1 on error.
 */
int	server_init(struct server *srv, struct ev_loop *loop,
	    struct rtrstate *st, struct logger *log,
	    const struct server_opts *o);

/*
 * Listen on each address of a comma-separated list in Go's host:port
 * form (":8282" is every address, IPv4 and IPv6; "127.0.0.1:8282";
 * "[::1]:8282"), with TLS from context tls if not NULL (the caller keeps
 * it alive while the server runs).  Returns 0, or -1 with the address and
 * the reason in e.
 */
int	server_listen(struct server *srv, const char *binds, SSL_CTX *tls,
	    struct err *e);

/* The port a listener got (for ":0" in tests); 0 if none. */
int	server_port(const struct server *srv, size_t listener);

/*
 * The serial changed: queue a Serial Notify on every session that has
 * settled on a protocol version (RFC 8210 section 5.2), no more often per
 * session than notify_interval (later ones are deferred, not lost).
 */
void	server_notify(struct server *srv);

/* Close every session and listener and free them. */
void	server_free(struct server *srv);

#endif
