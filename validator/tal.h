/*
 * tal.h - RFC 8630 Trust Anchor Locators.
 *
 * A TAL is text: optional comment lines starting with '#', one or more
 * rsync or https URIs of the TA certificate one per line, an empty line,
 * then the DER SubjectPublicKeyInfo of the TA's key in base64, possibly
 * over several lines.  CRLF line ends are taken as LF.
 */
#ifndef VALIDATOR_TAL_H
#define VALIDATOR_TAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "cert.h"
#include "err.h"

struct tal {
	char		*name;		/* the file's base name without .tal */
	char		**uris;		/* in the file's order */
	size_t		 nuris;
	uint8_t		*spki;		/* DER SubjectPublicKeyInfo */
	size_t		 spki_len;
	EVP_PKEY	*pkey;		/* the same key, decoded */
};

/*
 * Parse the TAL text[0..len) of file fn (RFC 8630 section 2.2).  The
 * TA's name is fn's base name less a ".tal" suffix.  Returns the TAL
 * (free with tal_free), or NULL with one diagnostic naming fn in e.
 */
struct tal	*tal_parse(const char *fn, const char *text, size_t len,
		    struct err *e);

/*
 * Whether cert, a TA certificate fetched from one of tal's URIs, is the
 * one tal names: purpose TA and the same public key (RFC 8630 section
 * 3).  Returns 0, or -1 with a diagnostic naming cert's file in e.
 */
int		 tal_check_ta(const struct tal *tal, const struct cert *cert,
		    struct err *e);

/* Free tal; NULL is a no-op. */
void		 tal_free(struct tal *tal);

#endif
