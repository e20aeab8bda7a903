/*
 * rtrwire.c - helpers shared by rtrload and rtrtrivial (see rtrwire.h).
 */
#include <sys/resource.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rtrwire.h"

int
rtrw_addr(const char *what, const char *text, struct sockaddr_in *sa)
{
	char		 host[64];
	const char	*colon = strrchr(text, ':');
	char		*end;
	long		 port;
	size_t		 hl;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (colon == NULL || (hl = (size_t)(colon - text)) >= sizeof(host)) {
		fprintf(stderr, "%s %s: want 127.x.y.z:port\n", what, text);
		return -1;
	}
	memcpy(host, text, hl);
	host[hl] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535 ||
	    inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		fprintf(stderr, "%s %s: want 127.x.y.z:port\n", what, text);
		return -1;
	}
	if ((ntohl(sa->sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "%s %s: loopback (127.0.0.0/8) only\n", what,
		    text);
		return -1;
	}
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

static int64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
rtrw_mono(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t
rtrw_real(void)
{
	return clock_ns(CLOCK_REALTIME);
}

long
rtrw_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	if ((rlim_t)want > rl.rlim_max) {
		struct rlimit up = { (rlim_t)want, (rlim_t)want };

		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return want;
	}
	rl.rlim_cur = (rlim_t)want > rl.rlim_max ? rl.rlim_max :
	    (rlim_t)want > rl.rlim_cur ? (rlim_t)want : rl.rlim_cur;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return (long)rl.rlim_cur;
}

uint64_t
rtrw_hash_bytes(const uint8_t *p, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t		i;

	/* Byte 0 (version) is checked apart, as for prefixes. */
	for (i = 1; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return rtrw_mum(h ^ 0x8ebc6af09c88c6e3ULL, 0x589965cc75374cc3ULL ^
	    p[1]);
}

int
rtrw_digest_eq(const struct rtr_digest *a, const struct rtr_digest *b)
{
	return a->sum == b->sum && a->xr == b->xr &&
	    a->cnt[4] == b->cnt[4] && a->cnt[6] == b->cnt[6] &&
	    a->cnt[9] == b->cnt[9] && a->cnt[11] == b->cnt[11];
}

uint64_t
rtrw_payloads(const struct rtr_digest *d)
{
	return d->cnt[4] + d->cnt[6] + d->cnt[9] + d->cnt[11];
}
