/*
 * httplisten.h - a libmicrohttpd daemon on a Go-style listen address
 * (hostport.h), polling on its own thread: rtrcache's -metrics.addr and
 * rpki-validator's -http.addr.
 */
#ifndef COMMON_HTTPLISTEN_H
#define COMMON_HTTPLISTEN_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "err.h"

/*
 * Listen on addr (":8080" is every address, IPv4 and IPv6; port 0 is one
 * the kernel picks) and answer every request with handler(cls, ...) on
 * the daemon's thread.  flag names the address in messages
 * ("-metrics.addr").  Returns the daemon (MHD_stop_daemon it), or NULL
 * with the reason in e.
 */
struct MHD_Daemon	*http_listen(const char *addr, const char *flag,
			    MHD_AccessHandlerCallback handler, void *cls,
			    struct err *e);

/* The port d listens on (the kernel's pick for port 0), or 0. */
uint16_t		 http_port(struct MHD_Daemon *d);

/*
 * Answer c with status code, Content-Type type and a copy of
 * data[0..len).  Returns what MHD_queue_response does, MHD_NO if out of
 * memory.
 */
enum MHD_Result		 http_reply(struct MHD_Connection *c,
			    unsigned int code, const char *type,
			    const void *data, size_t len);

/*
 * http_reply with the extra headers hdrs: name, value, name, value, ...,
 * NULL (NULL: none).
 */
enum MHD_Result		 http_reply_hdrs(struct MHD_Connection *c,
			    unsigned int code, const char *type,
			    const void *data, size_t len,
			    const char *const *hdrs);

/* Add the headers hdrs (as for http_reply_hdrs) to r. */
void			 http_add_hdrs(struct MHD_Response *r,
			    const char *const *hdrs);

#endif
