/*
 * tls.h - the TLS transport for RTR (RFC 8210 section 9 lists it among
 * the transports; RFC 6810 section 7.2), with OpenSSL, non-blocking.
 */
#ifndef RTRCACHE_TLS_H
#define RTRCACHE_TLS_H

#include <sys/types.h>

#include <openssl/ssl.h>

#include "err.h"

#define TLS_WOULD_BLOCK	(-2)

/*
 * A server context with the certificate chain and private key in PEM
 * files; TLS 1.2 and later only.  NULL with the reason in e.
 */
SSL_CTX	*tls_server_ctx(const char *cert, const char *key, struct err *e);

/*
 * A client context.  verify != 0 checks the server's certificate against
 * cafile (or the system store if NULL) and its name against host.
 */
SSL_CTX	*tls_client_ctx(int verify, const char *cafile, struct err *e);

/*
 * Read or write on a non-blocking TLS connection (the handshake happens
 * inside).  Returns bytes moved (> 0), 0 on a clean close by the peer
 * (read), -1 on error (reason in e if not NULL), or TLS_WOULD_BLOCK with
 * *want_write set to 1 if the socket must become writable first, 0 if
 * readable.
 */
ssize_t	tls_read(SSL *ssl, void *buf, size_t len, int *want_write,
	    struct err *e);
ssize_t	tls_write(SSL *ssl, const void *buf, size_t len, int *want_write,
	    struct err *e);

#endif
