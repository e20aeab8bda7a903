/*
 * httplisten.c - starting a libmicrohttpd daemon on a host:port.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "hostport.h"
#include "httplisten.h"

/* Seconds an idle connection is kept. */
#define HTTP_IDLE_TIMEOUT	60U

struct MHD_Daemon *
http_listen(const char *addr, const char *flag,
    MHD_AccessHandlerCallback handler, void *cls, struct err *e)
{
	struct addrinfo		 hints, *res = NULL;
	struct MHD_Daemon	*d;
	char			 host[256], port[16];
	/*
	 * MHD_USE_AUTO: epoll here.  With the default select(), a
	 * connection whose descriptor is 1024 or more is refused, and an
	 * rtrcache holding a thousand RTR sessions could not be scraped.
	 */
	unsigned int		 flags = MHD_USE_INTERNAL_POLLING_THREAD |
				    MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	long			 p;
	int			 r;

	if (hostport_split(addr, host, sizeof(host), port, sizeof(port))
	    == -1 || (p = strtol(port, NULL, 10)) > 65535) {
		err_set(e, "%s %s: want host:port or :port", flag, addr);
		return NULL;
	}
	if (host[0] == '\0')
		d = MHD_start_daemon(flags | MHD_USE_DUAL_STACK, (uint16_t)p,
		    NULL, NULL, handler, cls, MHD_OPTION_CONNECTION_TIMEOUT,
		    HTTP_IDLE_TIMEOUT, MHD_OPTION_END);
	else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV;
		if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
			err_set(e, "%s %s: %s", flag, addr, gai_strerror(r));
			return NULL;
		}
		if (res->ai_family == AF_INET6)
			flags |= MHD_USE_IPv6;
		d = MHD_start_daemon(flags, (uint16_t)p, NULL, NULL, handler,
		    cls, MHD_OPTION_SOCK_ADDR, res->ai_addr,
		    MHD_OPTION_CONNECTION_TIMEOUT, HTTP_IDLE_TIMEOUT,
		    MHD_OPTION_END);
		freeaddrinfo(res);
	}
	if (d == NULL)
		err_set(e, "%s %s: cannot listen", flag, addr);
	return d;
}

uint16_t
http_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *i;

	i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	return i != NULL ? i->port : 0;
}

void
http_add_hdrs(struct MHD_Response *r, const char *const *hdrs)
{
	for (; hdrs != NULL && hdrs[0] != NULL; hdrs += 2)
		MHD_add_response_header(r, hdrs[0], hdrs[1]);
}

enum MHD_Result
http_reply_hdrs(struct MHD_Connection *c, unsigned int code,
    const char *type, const void *data, size_t len, const char *const *hdrs)
{
	struct MHD_Response	*r;
	enum MHD_Result		 ret;

	r = MHD_create_response_from_buffer(len, (void *)data,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	http_add_hdrs(r, hdrs);
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
http_reply(struct MHD_Connection *c, unsigned int code, const char *type,
    const void *data, size_t len)
{
	return http_reply_hdrs(c, code, type, data, len, NULL);
}
