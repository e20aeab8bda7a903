/*
 * encoding.h - hex and base64 (standard and URL-safe) text encodings.
 *
 * Base64 work is done by OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock; these
 * wrappers add the URL-safe alphabet without padding (RFC 4648 section 5,
 * as SLURM uses it, RFC 8416 section 3.3.2) and exact output lengths.
 */
#ifndef COMMON_ENCODING_H
#define COMMON_ENCODING_H

#include <stddef.h>
#include <stdint.h>

/*
 * Write 2*len lowercase hex digits and a NUL into out (2*len+1 bytes).
 */
void	hex_encode(const uint8_t *in, size_t len, char *out);

/* The same in uppercase (RRDP hashes, key identifiers in messages). */
void	hex_encode_upper(const uint8_t *in, size_t len, char *out);

/*
 * Decode hex text of length slen (upper or lower case) into out, of room
 * outmax.  Returns the number of bytes, or -1 if the text has an odd
 * length, a non-hex character, or does not fit.
 */
long	hex_decode(const char *s, size_t slen, uint8_t *out, size_t outmax);

/*
 * Decode base64 text of length slen.  url != 0 takes the URL-safe
 * alphabet ('-' and '_') and optional padding; url == 0 takes the
 * standard alphabet with required padding.  On success returns a malloc'd
 * buffer (the caller frees it) and its length in *outlen; returns NULL if
 * the text is not valid base64 or on out of memory.
 */
uint8_t	*base64_decode(const char *s, size_t slen, int url, size_t *outlen);

/*
 * Encode len bytes as standard base64 (url == 0, padded) or URL-safe
 * base64 without padding (url != 0).  Returns a malloc'd NUL-terminated
 * string the caller frees, or NULL on out of memory.
 */
char	*base64_encode(const uint8_t *in, size_t len, int url);

#endif
