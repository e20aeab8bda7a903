/*
 * rtrbuf.c - shared immutable buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "rtrbuf.h"

struct rtrbuf *
rtrbuf_from(struct buf *b)
{
	struct rtrbuf *rb;

	if (buf_failed(b) || (rb = malloc(sizeof(*rb) + b->len)) == NULL)
		return NULL;
	rb->refs = 1;
	rb->len = b->len;
	if (b->len > 0)
		memcpy(rb->data, b->data, b->len);
	buf_reset(b);
	return rb;
}

struct rtrbuf *
rtrbuf_ref(struct rtrbuf *rb)
{
	if (rb != NULL)
		rb->refs++;
	return rb;
}

void
rtrbuf_unref(struct rtrbuf *rb)
{
	if (rb != NULL && --rb->refs == 0)
		free(rb);
}

void
rtrbuf_set(struct rtrbuf **slot, struct rtrbuf *rb)
{
	struct rtrbuf *old = *slot;

	*slot = rtrbuf_ref(rb);
	rtrbuf_unref(old);
}
