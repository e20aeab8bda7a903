/*
 * hostport.h - Go's "host:port" listen addresses, as GoRTR's -bind and
 * -metrics.addr take them: ":8282" (every address), "127.0.0.1:8282",
 * "[::1]:8282", "localhost:8282".
 */
#ifndef COMMON_HOSTPORT_H
#define COMMON_HOSTPORT_H

#include <stddef.h>

/*
 * Split s into host (empty for ":port") and port.  A bare IPv6 address
 * must be bracketed.  Returns 0, or -1 if malformed or too long.
 */
int	hostport_split(const char *s, char *host, size_t hostlen, char *port,
	    size_t portlen);

#endif
