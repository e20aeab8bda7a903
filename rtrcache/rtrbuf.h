/*
 * rtrbuf.h - immutable, reference-counted byte buffers shared by every
 * RTR session.
 *
 * A snapshot of 800,000 VRPs is serialized once per protocol version and
 * the same bytes are queued on every session that asks for them, as
 * Redis shares its replication buffer: sessions hold references, never
 * copies.  Only the event-loop thread touches reference counts.
 */
#ifndef RTRCACHE_RTRBUF_H
#define RTRCACHE_RTRBUF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct rtrbuf {
	unsigned int	refs;
	size_t		len;
	uint8_t		data[];
};

/*
 * A new buffer with one reference holding b's bytes; b is emptied
 * (its memory may be reused).  Returns NULL on out of memory or if b had
 * failed an allocation.
 */
struct rtrbuf	*rtrbuf_from(struct buf *b);

/* Take a reference; returns rb.  NULL is passed through. */
struct rtrbuf	*rtrbuf_ref(struct rtrbuf *rb);

/* Drop a reference; the last one frees.  NULL is fine. */
void		 rtrbuf_unref(struct rtrbuf *rb);

/* Replace *slot with rb (a new reference), dropping the old one. */
void		 rtrbuf_set(struct rtrbuf **slot, struct rtrbuf *rb);

#endif
