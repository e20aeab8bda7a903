/*
 * buf.h - a growable byte buffer for building output text.
 *
 * Writers append; a failed allocation sets a sticky error flag instead of
 * failing every call, so callers check once at the end (buf_failed).
 */
#ifndef COMMON_BUF_H
#define COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated while len < cap */
	size_t	 len;
	size_t	 cap;
	int	 failed;	/* an allocation failed; contents incomplete */
};

/* Append n bytes / a string / formatted text.  Never fails loudly. */
void	buf_add(struct buf *b, const void *p, size_t n);
void	buf_puts(struct buf *b, const char *s);
void	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

/* Append v in decimal. */
void	buf_put_uint(struct buf *b, unsigned long long v);

/* Append s as a JSON string literal, quotes included. */
void	buf_json_string(struct buf *b, const char *s);

/* Make room for n more bytes; returns a pointer to them or NULL. */
char	*buf_reserve(struct buf *b, size_t n);

/* 1 if any append failed (out of memory). */
static inline int
buf_failed(const struct buf *b)
{
	return b->failed;
}

/* Empty the buffer, keeping its memory. */
static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Release the memory; the buffer is empty and usable again. */
void	buf_free(struct buf *b);

#endif
