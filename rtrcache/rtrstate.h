/*
 * rtrstate.h - what the cache serves: the current payload set, its
 * serial, the session IDs, and the history of changes that lets a router
 * catch up with one Serial Query.
 *
 * Every answer is a short list of shared buffers (rtrbuf.h): a Cache
 * Response, the payload PDUs, an End of Data.  Each is serialized once per
 * protocol version, the first time a router of that version asks, and
 * then queued by reference on every session.
 *
 * History: for each of the last N serials s the state keeps the net diff
 * from s to the current serial, composed as new data arrives
 * (vrpdiff_compose), so a router that is k updates behind gets one
 * minimal, coalesced diff - never k diffs in a row.
 *
 * Touched only from the event-loop thread.
 */
#ifndef RTRCACHE_RTRSTATE_H
#define RTRCACHE_RTRSTATE_H

#include <stdint.h>

#include "rtrbuf.h"
#include "vrpset.h"

#define RTR_NVERSIONS	3	/* protocol versions 0, 1 and 2 */

struct rtr_intervals {
	uint32_t	refresh;
	uint32_t	retry;
	uint32_t	expire;
};

/* The net change from serial `from` to the current serial. */
struct rtrhist {
	uint32_t	 from;
	struct vrpdiff	 diff;
	struct rtrbuf	*wire[RTR_NVERSIONS];	/* payload PDUs, lazily */
};

struct rtrstate {
	int			 has_data;
	uint32_t		 serial;
	uint16_t		 session[RTR_NVERSIONS];
	struct vrpset		*set;
	struct rtr_intervals	 iv;
	int			 aspa_format;	/* see pdu.h */

	/* Serialized lazily, dropped on every update. */
	struct rtrbuf		*snapshot[RTR_NVERSIONS];
	struct rtrbuf		*cresp[RTR_NVERSIONS];
	struct rtrbuf		*eod[RTR_NVERSIONS];
	struct rtrbuf		*notify[RTR_NVERSIONS];
	struct rtrbuf		*empty;		/* a zero-length payload */

	struct rtrhist		*hist;		/* oldest first */
	size_t			 nhist;
	size_t			 maxhist;
};

/*
 * Start empty (no data: queries get "No Data Available").  session_id < 0
 * draws a random session ID per version, distinct from each other; else
 * every version uses that ID.  serial is the first serial to use (GoRTR's
 * -useserial lets an operator carry it over).  maxhist is how many past
 * serials to keep diffs for.  Returns 0, or -1 on out of memory.
 */
int	rtrstate_init(struct rtrstate *st, long session_id, uint32_t serial,
	    size_t maxhist, const struct rtr_intervals *iv);

void	rtrstate_free(struct rtrstate *st);

/*
 * Serve set (the state takes the caller's reference).  If it holds the
 * same payloads as the current set nothing changes and 0 is returned; if
 * it differs (or is the first data) the serial advances by one (RFC 1982
 * arithmetic, wrapping past 2^32-1) - or becomes *serial if that is not
 * NULL (GoRTR's -useserial) - and 1 is returned; -1 on out of memory
 * (the state is unchanged).  *changes, if not NULL, gets the number of
 * payloads announced plus withdrawn.
 */
int	rtrstate_update(struct rtrstate *st, struct vrpset *set,
	    const uint32_t *serial, size_t *changes);

/*
 * Drop what has been serialized for the current serial (made again on
 * the next query that needs it): before a new file is read, so that
 * the old Reset answer (18 MB at 800,000 VRPs) and the new file are not
 * in memory together.  Sessions still sending it keep their references.
 */
void	rtrstate_trim(struct rtrstate *st);

/* Forget all data: queries get "No Data Available" again. */
void	rtrstate_clear(struct rtrstate *st);

enum rtr_answer {
	RTR_ANSWER_NODATA,	/* send Error Report "No Data Available" */
	RTR_ANSWER_RESET,	/* send Cache Reset */
	RTR_ANSWER_DATA,	/* send the three buffers */
	RTR_ANSWER_ERROR,	/* out of memory: Internal Error */
};

/*
 * The answer to a Reset Query of protocol version ver: on
 * RTR_ANSWER_DATA, out[0..2] get new references to the Cache Response,
 * the whole set and the End of Data.
 */
enum rtr_answer	rtrstate_reset_answer(struct rtrstate *st, uint8_t ver,
		    struct rtrbuf *out[3]);

/*
 * The answer to a Serial Query (ver, session, serial): the coalesced diff
 * from serial to the current one, an empty one if the router is current,
 * or RTR_ANSWER_RESET for another session ID or a serial not in the
 * history (too old, or from the future).
 */
enum rtr_answer	rtrstate_serial_answer(struct rtrstate *st, uint8_t ver,
		    uint16_t session, uint32_t serial, struct rtrbuf *out[3]);

/* A Serial Notify for the current serial, version ver (new reference). */
struct rtrbuf	*rtrstate_notify(struct rtrstate *st, uint8_t ver);

/* RFC 1982 serial number comparison: <0, 0, >0; 0 also if undefined. */
int	serial_cmp(uint32_t a, uint32_t b);

#endif
