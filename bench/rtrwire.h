/*
 * rtrwire.h - what the RTR benchmark tools (rtrload, rtrtrivial) share:
 * loopback address parsing, clocks, the descriptor limit, and the cheap
 * order-independent digest of an RTR answer that rtrload checks every
 * session against.
 *
 * The digest of a stream of PDUs is the number of PDUs of each type plus
 * the sum and the xor (mod 2^64) of a 64-bit hash of every payload PDU
 * (IPv4/IPv6 Prefix, Router Key, ASPA).  Sum and xor do not depend on
 * the order, so two servers that send the same set in different orders
 * (rtrcache and StayRTR sort differently) have the same digest, and a
 * missing, extra, duplicated or altered payload PDU changes it.
 */
#ifndef BENCH_RTRWIRE_H
#define BENCH_RTRWIRE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define RTRW_NTYPES	16	/* PDU types 0..14, 15: anything else */

struct rtr_digest {
	uint64_t	sum;
	uint64_t	xr;
	uint64_t	cnt[RTRW_NTYPES];
};

/*
 * Parse "127.0.0.1:8282" (IPv4 only) into sa.  Refuses any address
 * outside 127.0.0.0/8: these tools are for loopback benchmarks.
 * Returns 0, or -1 with a message on stderr naming what.
 */
int	rtrw_addr(const char *what, const char *text, struct sockaddr_in *sa);

/* CLOCK_MONOTONIC / CLOCK_REALTIME in nanoseconds. */
int64_t	rtrw_mono(void);
int64_t	rtrw_real(void);

/*
 * Raise RLIMIT_NOFILE so that want descriptors fit (the hard limit too,
 * if we may).  Returns the soft limit in force afterwards.
 */
long	rtrw_nofile(long want);

/* 64x64 -> 128-bit multiply, folded (the wyhash mixer). */
static inline uint64_t
rtrw_mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
rtrw_load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Slow path for Router Key, ASPA and odd lengths (rtrwire.c). */
uint64_t	rtrw_hash_bytes(const uint8_t *p, size_t len);

/*
 * Hashes of one IPv4 / IPv6 Prefix PDU.  Its 8-byte header is fixed
 * (version, type, zero, length) apart from the version, which every
 * session checks separately, so only the type and the body are hashed:
 * 12 bytes for IPv4, 24 for IPv6.
 */
static inline uint64_t
rtrw_hash4(const uint8_t *p)
{
	/* Bytes 8..15 and 12..19: the 12-byte body, in one multiply. */
	return rtrw_mum(rtrw_load64(p + 8) ^ 0xa0761d6478bd642fULL,
	    rtrw_load64(p + 12) ^ 0xe7037ed1a0b428dbULL);
}

static inline uint64_t
rtrw_hash6(const uint8_t *p)
{
	/* Two independent multiplies over the 24-byte body. */
	return rtrw_mum(rtrw_load64(p + 8) ^ 0x8ebc6af09c88c6e3ULL,
	    rtrw_load64(p + 16) ^ 0x589965cc75374cc3ULL) +
	    rtrw_mum(rtrw_load64(p + 24) ^ 0x1d8e4e27c47d124fULL,
	    0xeb44accab455d165ULL);
}

/* Hash of one payload PDU of len bytes. */
static inline uint64_t
rtrw_hash(const uint8_t *p, size_t len)
{
	if (p[1] == 4 && len == 20)
		return rtrw_hash4(p);
	if (p[1] == 6 && len == 32)
		return rtrw_hash6(p);
	return rtrw_hash_bytes(p, len);
}

/*
 * The first 8 bytes of a well-formed IPv4 (type 4, length 20) or IPv6
 * (type 6, length 32) Prefix PDU of version ver, as a native-endian
 * 64-bit load sees them: framing fast paths compare one word.
 */
static inline uint64_t
rtrw_prefix_hdr(uint8_t ver, uint8_t type)
{
	uint8_t h[8] = { ver, type, 0, 0, 0, 0, 0, type == 4 ? 20 : 32 };

	return rtrw_load64(h);
}

/* Add one PDU of len bytes to d. */
static inline void
rtrw_digest_add(struct rtr_digest *d, const uint8_t *p, size_t len)
{
	uint8_t		t = p[1] < RTRW_NTYPES - 1 ? p[1] : RTRW_NTYPES - 1;
	uint64_t	h;

	d->cnt[t]++;
	if (t == 4 || t == 6 || t == 9 || t == 11) {
		h = rtrw_hash(p, len);
		d->sum += h;
		d->xr ^= h;
	}
}

/* 1 if the payload parts (types 4, 6, 9, 11, sum, xor) are equal. */
int	rtrw_digest_eq(const struct rtr_digest *a, const struct rtr_digest *b);

/* Payload PDUs counted in d (types 4, 6, 9, 11). */
uint64_t	rtrw_payloads(const struct rtr_digest *d);

#endif
