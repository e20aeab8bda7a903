/*
 * tls.c - OpenSSL contexts and non-blocking I/O for the RTR transport.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <openssl/err.h>

#include "tls.h"

static const char *
ssl_reason(void)
{
	unsigned long	 code = ERR_get_error();
	const char	*r = code ? ERR_reason_error_string(code) : NULL;

	ERR_clear_error();
	return r != NULL ? r : "unknown error";
}

SSL_CTX *
tls_server_ctx(const char *cert, const char *key, struct err *e)
{
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		err_set(e, "TLS: %s", ssl_reason());
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		err_set(e, "-tls.cert %s: %s", cert, ssl_reason());
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		err_set(e, "-tls.key %s: %s", key, ssl_reason());
		goto fail;
	}
	return ctx;
 fail:
	SSL_CTX_free(ctx);
	return NULL;
}

SSL_CTX *
tls_client_ctx(int verify, const char *cafile, struct err *e)
{
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		err_set(e, "TLS: %s", ssl_reason());
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (!verify) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
		return ctx;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if ((cafile != NULL ? SSL_CTX_load_verify_locations(ctx, cafile,
	    NULL) : SSL_CTX_set_default_verify_paths(ctx)) != 1) {
		err_set(e, "CA %s: %s", cafile ? cafile : "(system)",
		    ssl_reason());
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* Map an SSL_read/SSL_write result r to our return convention. */
static ssize_t
tls_result(SSL *ssl, int r, int *want_write, struct err *e)
{
	switch (SSL_get_error(ssl, r)) {
	case SSL_ERROR_WANT_READ:
		*want_write = 0;
		return TLS_WOULD_BLOCK;
	case SSL_ERROR_WANT_WRITE:
		*want_write = 1;
		return TLS_WOULD_BLOCK;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (errno == EAGAIN || errno == EINTR) {
			*want_write = 0;
			return TLS_WOULD_BLOCK;
		}
		err_set(e, "TLS: %s", errno ? strerror(errno) :
		    "connection closed without close_notify");
		ERR_clear_error();
		return errno ? -1 : 0;
	default:
		err_set(e, "TLS: %s", ssl_reason());
		return -1;
	}
}

ssize_t
tls_read(SSL *ssl, void *buf, size_t len, int *want_write, struct err *e)
{
	int r;

	ERR_clear_error();
	errno = 0;
	r = SSL_read(ssl, buf, len > INT32_MAX ? INT32_MAX : (int)len);
	return r > 0 ? r : tls_result(ssl, r, want_write, e);
}

ssize_t
tls_write(SSL *ssl, const void *buf, size_t len, int *want_write,
    struct err *e)
{
	int r;

	ERR_clear_error();
	errno = 0;
	r = SSL_write(ssl, buf, len > INT32_MAX ? INT32_MAX : (int)len);
	return r > 0 ? r : tls_result(ssl, r, want_write, e);
}
