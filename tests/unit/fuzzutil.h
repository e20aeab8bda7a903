/*
 * fuzzutil.h - what the mutation tests share (test_vfuzz, test_vrrdp_fuzz):
 * a seeded xorshift generator, so a failure replays, and the edits both
 * make to a buffer.
 */
#ifndef TESTS_FUZZUTIL_H
#define TESTS_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The generator's state: any value but 0. */
struct fz {
	uint64_t	s;
};

/* A number in [0, n), n > 0. */
static inline uint32_t
fz_rnd(struct fz *f, uint32_t n)
{
	f->s ^= f->s << 13;
	f->s ^= f->s >> 7;
	f->s ^= f->s << 17;
	return (uint32_t)(f->s % n);
}

enum fz_edit {
	FZ_FLIP,	/* one bit of one byte */
	FZ_BYTE,	/* one byte, any value */
	FZ_TRUNCATE,	/* cut at a random place */
	FZ_DELETE,	/* a run of up to max bytes */
	FZ_NEDITS
};

/*
 * Apply edit to buf (len bytes) at a random place; the new length.  max
 * bounds FZ_DELETE's run.
 */
static inline size_t
fz_edit(struct fz *f, enum fz_edit edit, uint8_t *buf, size_t len,
    uint32_t max)
{
	size_t	i = len ? fz_rnd(f, (uint32_t)len) : 0, n;

	switch (edit) {
	case FZ_FLIP:
		if (len)
			buf[i] ^= (uint8_t)(1u << fz_rnd(f, 8));
		return len;
	case FZ_BYTE:
		if (len)
			buf[i] = (uint8_t)fz_rnd(f, 256);
		return len;
	case FZ_TRUNCATE:
		return i;
	default:
		n = 1 + fz_rnd(f, max);
		if (i + n > len)
			n = len - i;
		memmove(buf + i, buf + i + n, len - i - n);
		return len - n;
	}
}

#endif
