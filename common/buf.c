/*
 * buf.c - growable byte buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

char *
buf_reserve(struct buf *b, size_t n)
{
	size_t	 ncap;
	char	*p;

	if (b->failed)
		return NULL;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((p = realloc(b->data, ncap)) == NULL) {
			b->failed = 1;
			return NULL;
		}
		b->data = p;
		b->cap = ncap;
	}
	return b->data + b->len;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	char *d;

	if ((d = buf_reserve(b, n)) == NULL)
		return;
	memcpy(d, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/*
 * Formatted into the room already there when it fits (it nearly always
 * does once the buffer has grown): one vsnprintf rather than two.
 */
void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	size_t	room;
	char	*d;
	int	n;

	if (b->failed)
		return;
	room = b->cap > b->len ? b->cap - b->len : 0;
	va_copy(ap2, ap);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n >= room) {
		if ((d = buf_reserve(b, (size_t)n)) == NULL)
			return;
		vsnprintf(d, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_put_uint(struct buf *b, unsigned long long v)
{
	char	tmp[20], *d;
	size_t	n = 0;

	do {
		tmp[sizeof(tmp) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if ((d = buf_reserve(b, n)) == NULL)
		return;
	memcpy(d, tmp + sizeof(tmp) - n, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_json_string(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_add(b, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_add(b, "\\\"", 2);
			break;
		case '\\':
			buf_add(b, "\\\\", 2);
			break;
		case '\n':
			buf_add(b, "\\n", 2);
			break;
		case '\t':
			buf_add(b, "\\t", 2);
			break;
		case '\r':
			buf_add(b, "\\r", 2);
			break;
		default:
			if (*p < 0x20)
				buf_printf(b, "\\u%04x", *p);
			else
				buf_add(b, p, 1);
		}
	}
	buf_add(b, "\"", 1);
}

void
buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
