/*
 * session.h - one router's RTR session: reading queries, the protocol
 * state machine, and the output queue of shared buffers.
 * Internal to the server (server.c, session.c).
 */
#ifndef RTRCACHE_SESSION_H
#define RTRCACHE_SESSION_H

#include <stdint.h>

#include <ev.h>
#include <openssl/ssl.h>

#include "rtrbuf.h"
#include "server.h"

enum sess_state {
	SESS_NEW,		/* no PDU yet: version not settled */
	SESS_READY,		/* version settled */
	SESS_CLOSING,		/* flushing a last Error Report */
	SESS_DEAD,		/* closed, waiting to be freed */
};

enum sess_event {
	EV_RESET_QUERY,
	EV_SERIAL_QUERY,
	EV_ERROR_REPORT,
	EV_BAD_PDU,
	EV_UNEXPECTED_PDU,
	EV_EOF,
	EV_WRITE_TIMEOUT,
	EV_IDLE_TIMEOUT,
	EV_HANDSHAKE_TIMEOUT,
	EV_QUEUE_FULL,
	EV_IO_ERROR,
};
#define EV_N	(EV_IO_ERROR + 1)	/* the number of events */

struct outq {
	struct rtrbuf	*rb;
	size_t		 off;
};

struct session {
	struct server	*srv;
	struct listener	*lst;
	int		 fd;
	SSL		*ssl;		/* NULL for plain TCP */
	int		 tls_read_wants_write;
	char		 peer[64];	/* "[addr]:port" for logs */
	enum sess_state	 state;
	int		 version;	/* -1 until settled */
	uint8_t		*in;		/* partial PDU bytes */
	size_t		 inlen;
	size_t		 incap;
	struct outq	*q;		/* ring of queued buffers */
	size_t		 qhead;
	size_t		 qlen;
	size_t		 qcap;
	ev_io		 rio;
	ev_io		 wio;
	ev_timer	 wtimer;	/* write deadline */
	ev_timer	 itimer;	/* idle deadline */
	ev_timer	 htimer;	/* TLS handshake deadline */
	ev_tstamp	 connected;
	ev_tstamp	 last_notify;
	int		 notify_pending;
	uint64_t	 bytes_out;
	struct session	*prev;
	struct session	*next;
};

/*
 * Start serving an accepted, non-blocking socket; ssl (owned from now
 * on) is its TLS state in accept mode, or NULL.  NULL on failure.
 */
struct session	*session_new(struct server *srv, struct listener *lst,
		    int fd, SSL *ssl, const char *peer);

/* Queue a Serial Notify if the session is ready for one. */
void	session_notify(struct session *s);

/*
 * Close now: stop watchers, close the socket, drop queued buffers, and
 * move the session to the server's dead list (freed from the loop's
 * check phase, never inside a callback that still uses it).
 */
void	session_close(struct session *s, const char *why);

/* Free a dead session. */
void	session_free(struct session *s);

#endif
