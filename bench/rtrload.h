/*
 * rtrload.h - the sessions and the epoll loop of rtrload (rtrload_net.c);
 * the modes and the report are in rtrload.c.
 */
#ifndef BENCH_RTRLOAD_H
#define BENCH_RTRLOAD_H

#define RTRL_MAX_THREADS	16

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "rtrwire.h"

enum sess_state {
	SS_NONE,	/* not connected yet */
	SS_CONNECTING,
	SS_OPEN,	/* connected, nothing asked */
	SS_ASKED,	/* query sent, waiting for the answer */
	SS_DATA,	/* Cache Response seen, reading to End of Data */
	SS_DONE,	/* answered (End of Data, Cache Reset or error) */
	SS_CLOSED,
};

struct sess {
	int			fd;
	uint8_t			state;
	uint8_t			bad;		/* this answer was wrong */
	uint8_t			notified;
	uint8_t			smallcarry[45];
	uint8_t		       *bigcarry;	/* partial PDU > 45 bytes */
	uint32_t		carrylen;
	uint16_t		session_id;
	uint16_t		errcode;	/* Error Report received */
	uint32_t		serial;		/* from End of Data */
	uint32_t		notify_serial;
	int64_t			t_ask;		/* CLOCK_MONOTONIC ns */
	int64_t			t_first;	/* Cache Response */
	int64_t			t_end;		/* End of Data / answer */
	int64_t			t_notify;
	int64_t			t_notify_real;	/* CLOCK_REALTIME ns */
	struct rtr_digest	d;		/* since the last query */
};

struct load {
	int			ep;
	struct sockaddr_in	addr;
	int			version;
	uint16_t		session;	/* for Serial Queries */
	int64_t			deadline;	/* CLOCK_MONOTONIC ns */
	struct sess	       *s;
	size_t			n;
	size_t			conc;		/* connects in flight, max */
	int			rcvbuf;		/* SO_RCVBUF; 0: autotuning */
	size_t			next;		/* next session to connect */
	size_t			inflight;
	size_t			nconnected;
	size_t			nconnfail;
	size_t			nclosed;
	size_t			nclosed_unnotified;
	int			serialq;	/* this round: Serial Query */
	size_t			nasked;		/* this round */
	size_t			nanswered;
	size_t			nok;
	size_t			nbad;
	size_t			nnotified;
	uint64_t		bytes;		/* this round */
	uint8_t		       *rbuf;
	struct rtr_digest	exp;		/* expected answer */
	int			have_exp;
	int			exp_from_file;	/* else: first session */
	char			connerr[128];
};

static inline uint32_t
rtrl_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Set up n sessions to addr (not connected yet) and raise the descriptor
 * limit.  Returns 0, or -1 with a message on stderr.
 */
int	rtrl_init(struct load *L, const char *addr, size_t n, size_t conc,
	    int version, double timeout);
void	rtrl_free(struct load *L);

/*
 * Run the loop (connecting sessions not yet connected, at most conc at
 * a time, reading every answer) until done(L) is true, or until the
 * CLOCK_MONOTONIC time until.  done may be NULL: run until then.
 * Returns 0 if done, -1 at the deadline.
 */
int	rtrl_run(struct load *L, int (*done)(const struct load *),
	    int64_t until);

int	rtrl_all_connected(const struct load *L);
int	rtrl_all_done(const struct load *L);
int	rtrl_all_notified(const struct load *L);

/*
 * Send a Reset Query (serial 0) or a Serial Query for L->session and a
 * serial no cache has kept (serial 1: answered by Cache Reset) on every
 * open session, as fast as the writes go.
 */
void	rtrl_ask_all(struct load *L, int serial);

/* Close s, and make it (and the counters) as new. */
void	rtrl_sess_close(struct load *L, struct sess *s);
void	rtrl_sess_reset(struct load *L, struct sess *s);

#endif
