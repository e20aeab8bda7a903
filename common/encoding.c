/*
 * encoding.c - hex and base64 helpers on top of OpenSSL.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "encoding.h"

static void
hex_digits(const char *digits, const uint8_t *in, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

void
hex_encode(const uint8_t *in, size_t len, char *out)
{
	hex_digits("0123456789abcdef", in, len, out);
}

void
hex_encode_upper(const uint8_t *in, size_t len, char *out)
{
	hex_digits("0123456789ABCDEF", in, len, out);
}

static int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
hex_decode(const char *s, size_t slen, uint8_t *out, size_t outmax)
{
	size_t i;
	int hi, lo;

	if (slen % 2 != 0 || slen / 2 > outmax)
		return -1;
	for (i = 0; i < slen / 2; i++) {
		hi = hex_nibble(s[2 * i]);
		lo = hex_nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(slen / 2);
}

uint8_t *
base64_decode(const char *s, size_t slen, int url, size_t *outlen)
{
	unsigned char	*tmp = NULL, *out = NULL;
	size_t		 i, padded, pad = 0;
	int		 n;

	if (slen > 64 * 1024 * 1024)
		return NULL;
	/* Normalize to the padded standard alphabet EVP_DecodeBlock wants. */
	padded = (slen + 3) / 4 * 4;
	if ((tmp = malloc(padded + 1)) == NULL)
		return NULL;
	for (i = 0; i < slen; i++) {
		char c = s[i];

		if (url && (c == '+' || c == '/'))
			goto fail;
		if (!url && (c == '-' || c == '_'))
			goto fail;
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		/* EVP_DecodeBlock would skip white space at either end. */
		if (c == '\0' || strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789+/=", c) == NULL)
			goto fail;
		tmp[i] = (unsigned char)c;
	}
	if (!url && padded != slen)
		goto fail;
	for (; i < padded; i++)
		tmp[i] = '=';
	tmp[padded] = '\0';
	/* Padding may only stand at the very end, at most two of it. */
	for (i = 0; i < padded && tmp[i] != '='; i++)
		;
	for (; i < padded; i++, pad++)
		if (tmp[i] != '=')
			goto fail;
	if (pad > 2)
		goto fail;
	if ((out = malloc(padded / 4 * 3 + 1)) == NULL)
		goto fail;
	n = EVP_DecodeBlock(out, tmp, (int)padded);
	if (n < 0 || (size_t)n < pad)
		goto fail;
	*outlen = (size_t)n - pad;
	free(tmp);
	return out;
 fail:
	free(tmp);
	free(out);
	return NULL;
}

char *
base64_encode(const uint8_t *in, size_t len, int url)
{
	char	*out;
	size_t	 i, n;

	if (len > 64 * 1024 * 1024)
		return NULL;
	if ((out = malloc((len + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	n = (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	if (url) {
		while (n > 0 && out[n - 1] == '=')
			n--;
		out[n] = '\0';
		for (i = 0; i < n; i++) {
			if (out[i] == '+')
				out[i] = '-';
			else if (out[i] == '/')
				out[i] = '_';
		}
	}
	return out;
}
