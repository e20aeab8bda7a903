/*
 * vrp.c - prefixes and AS numbers: parsing, formatting, ordering.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vrp.h"

/*
 * Parse a decimal number of at most maxdigits digits with no sign, no
 * spaces and no leading zeros (except "0" itself).  Returns the value or
 * -1.
 */
static long long
parse_decimal(const char *s, size_t len, size_t maxdigits)
{
	long long v = 0;
	size_t i;

	if (len == 0 || len > maxdigits || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* 1 if any bit at or past bit plen of addr (of width bits) is set. */
static int
host_bits_set(const uint8_t *addr, int plen, int bits)
{
	int i;

	for (i = plen; i < bits; i++)
		if (addr[i / 8] & (0x80 >> (i % 8)))
			return 1;
	return 0;
}

int
prefix_parse(const char *s, struct vrp *v, struct err *e)
{
	char		 buf[INET6_ADDRSTRLEN + 1];
	const char	*slash;
	size_t		 alen;
	long long	 plen;
	int		 bits;

	memset(v->addr, 0, sizeof(v->addr));
	if ((slash = strchr(s, '/')) == NULL)
		return err_set(e, "prefix \"%s\": want address/length, "
		    "have no '/'", s);
	alen = (size_t)(slash - s);
	if (alen == 0 || alen >= sizeof(buf))
		return err_set(e, "prefix \"%s\": malformed address", s);
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (strchr(buf, ':') != NULL) {
		v->afi = AFI_IPV6;
		if (inet_pton(AF_INET6, buf, v->addr) != 1)
			return err_set(e, "prefix \"%s\": malformed IPv6 "
			    "address", s);
	} else {
		v->afi = AFI_IPV4;
		if (inet_pton(AF_INET, buf, v->addr) != 1)
			return err_set(e, "prefix \"%s\": malformed IPv4 "
			    "address", s);
	}
	bits = afi_bits(v->afi);
	plen = parse_decimal(slash + 1, strlen(slash + 1), 3);
	if (plen < 0)
		return err_set(e, "prefix \"%s\": malformed prefix length",
		    s);
	if (plen > bits)
		return err_set(e, "prefix \"%s\": prefix length: want <= %d, "
		    "have %lld", s, bits, plen);
	if (host_bits_set(v->addr, (int)plen, bits))
		return err_set(e, "prefix \"%s\": host bits set past /%lld",
		    s, plen);
	v->plen = (uint8_t)plen;
	return 0;
}

/* The decimal digits of v (0..255) at buf; returns how many. */
static size_t
put_u8(char *buf, unsigned v)
{
	size_t	n = 0;

	if (v >= 100)
		buf[n++] = (char)('0' + v / 100);
	if (v >= 10)
		buf[n++] = (char)('0' + v / 10 % 10);
	buf[n++] = (char)('0' + v % 10);
	return n;
}

/*
 * IPv4 by hand, IPv6 with inet_ntop (its RFC 5952 text): inet_ntop
 * was most of the time of writing an output file.
 */
size_t
prefix_format(const struct vrp *v, char *buf)
{
	size_t	n = 0;
	int	i;

	if (v->afi == AFI_IPV4) {
		for (i = 0; i < 4; i++) {
			if (i > 0)
				buf[n++] = '.';
			n += put_u8(buf + n, v->addr[i]);
		}
	} else {
		if (inet_ntop(AF_INET6, v->addr, buf, INET6_ADDRSTRLEN) ==
		    NULL)
			strcpy(buf, "?");
		n = strlen(buf);
	}
	buf[n++] = '/';
	n += put_u8(buf + n, v->plen);
	buf[n] = '\0';
	return n;
}

int
asn_parse(const char *s, uint32_t *asn, struct err *e)
{
	const char	*d = s;
	long long	 v;

	if (strncasecmp(s, "AS", 2) == 0)
		d += 2;
	v = parse_decimal(d, strlen(d), 10);
	if (v < 0)
		return err_set(e, "ASN \"%s\": want AS<number> or <number>", s);
	if ((unsigned long long)v > ASN_MAX)
		return err_set(e, "ASN \"%s\": want <= %llu", s, ASN_MAX);
	*asn = (uint32_t)v;
	return 0;
}

int
vrp_cmp(const struct vrp *a, const struct vrp *b)
{
	int c;

	if (a->afi != b->afi)
		return a->afi < b->afi ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, a->afi == AFI_IPV4 ? 4 : 16)) != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	if (a->maxlen != b->maxlen)
		return a->maxlen < b->maxlen ? -1 : 1;
	if (a->asn != b->asn)
		return a->asn < b->asn ? -1 : 1;
	return 0;
}

int
prefix_covers(const struct vrp *outer, const struct vrp *inner)
{
	int full, rem;

	if (outer->afi != inner->afi || outer->plen > inner->plen)
		return 0;
	full = outer->plen / 8;
	rem = outer->plen % 8;
	if (memcmp(outer->addr, inner->addr, (size_t)full) != 0)
		return 0;
	if (rem != 0) {
		uint8_t mask = (uint8_t)(0xff << (8 - rem));

		if ((outer->addr[full] & mask) != (inner->addr[full] & mask))
			return 0;
	}
	return 1;
}
