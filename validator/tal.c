/*
 * tal.c - RFC 8630 Trust Anchor Locators.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "encoding.h"
#include "tal.h"
#include "x509util.h"

/* One line of the text: [s, s + len), the line end not included. */
struct tal_line {
	const char	*s;
	size_t		 len;
	size_t		 no;		/* 1-based, for diagnostics */
};

/*
 * The next line of text[0..len) from *pos, without its LF, CR LF or
 * trailing blanks.  Returns 0 at the end of the text.
 */
static int
tal_next_line(const char *text, size_t len, size_t *pos,
    struct tal_line *l)
{
	const char	*nl;

	if (*pos >= len)
		return 0;
	l->s = text + *pos;
	nl = memchr(l->s, '\n', len - *pos);
	l->len = nl != NULL ? (size_t)(nl - l->s) : len - *pos;
	*pos += l->len + (nl != NULL);
	while (l->len > 0 && (l->s[l->len - 1] == '\r' ||
	    l->s[l->len - 1] == ' ' || l->s[l->len - 1] == '\t'))
		l->len--;
	l->no++;
	return 1;
}

/* The TA's name: fn's base name without ".tal". */
static char *
tal_name(const char *fn)
{
	const char	*base = strrchr(fn, '/');
	size_t		 n;

	base = base != NULL ? base + 1 : fn;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".tal") == 0)
		n -= 4;
	return strndup(base, n);
}

/* Add the URI of line l to tal (RFC 8630 section 2.2). */
static int
tal_add_uri(const char *fn, struct tal *tal, const struct tal_line *l,
    struct err *e)
{
	char	**uris, shown[TEXT_SHOWN_MAX];

	if (!uri_valid(l->s, l->len, "rsync") &&
	    !uri_valid(l->s, l->len, "https"))
		return err_set(e, "%s: RFC 8630 section 2.2: line %zu: want an "
		    "rsync or https URI, have \"%s\"", fn, l->no,
		    text_shown(l->s, l->len, shown));
	if (l->s[l->len - 1] == '/')
		return err_set(e, "%s: RFC 8630 section 2.2: line %zu: want "
		    "the URI of a certificate, have a directory \"%s\"",
		    fn, l->no, text_shown(l->s, l->len, shown));
	uris = reallocarray(tal->uris, tal->nuris + 1, sizeof(*uris));
	if (uris == NULL)
		return err_set(e, "%s: out of memory", fn);
	tal->uris = uris;
	if ((tal->uris[tal->nuris] = strndup(l->s, l->len)) == NULL)
		return err_set(e, "%s: out of memory", fn);
	tal->nuris++;
	return 0;
}

/* The base64 key from *pos to the end: whitespace and line ends go. */
static int
tal_key(const char *fn, struct tal *tal, const char *text, size_t len,
    size_t pos, struct err *e)
{
	const unsigned char	*p;
	char			*b64;
	size_t			 n = 0, i;
	int			 rc = -1;

	if ((b64 = malloc(len - pos + 1)) == NULL)
		return err_set(e, "%s: out of memory", fn);
	for (i = pos; i < len; i++)
		if (strchr(" \t\r\n", text[i]) == NULL)
			b64[n++] = text[i];
	if (n == 0) {
		err_set(e, "%s: RFC 8630 section 2.2: subjectPublicKeyInfo: "
		    "want base64 after the empty line, have none", fn);
		goto out;
	}
	if ((tal->spki = base64_decode(b64, n, 0, &tal->spki_len)) == NULL) {
		err_set(e, "%s: RFC 8630 section 2.2: subjectPublicKeyInfo: "
		    "want base64, have invalid characters or padding", fn);
		goto out;
	}
	p = tal->spki;
	tal->pkey = d2i_PUBKEY(NULL, &p, (long)tal->spki_len);
	if (tal->pkey == NULL || p != tal->spki + tal->spki_len) {
		ERR_clear_error();
		err_set(e, "%s: RFC 8630 section 2.2: subjectPublicKeyInfo: "
		    "want one DER SubjectPublicKeyInfo, have %s", fn,
		    tal->pkey == NULL ? "undecodable data" : "trailing bytes");
		goto out;
	}
	rc = 0;
out:
	free(b64);
	return rc;
}

/* The comment and URI sections; *pos ends after the empty line. */
static int
tal_uris(const char *fn, struct tal *tal, const char *text, size_t len,
    size_t *pos, struct err *e)
{
	struct tal_line	 l;

	memset(&l, 0, sizeof(l));
	while (tal_next_line(text, len, pos, &l)) {
		if (l.len > 0 && l.s[0] == '#') {
			if (tal->nuris > 0)
				return err_set(e, "%s: RFC 8630 section 2.2: "
				    "line %zu: want comments before the URIs, "
				    "have one after", fn, l.no);
			continue;
		}
		if (l.len == 0) {
			if (tal->nuris == 0)
				return err_set(e, "%s: RFC 8630 section 2.2: "
				    "line %zu: want a URI, have an empty line",
				    fn, l.no);
			return 0;
		}
		if (tal_add_uri(fn, tal, &l, e) != 0)
			return -1;
	}
	return err_set(e, "%s: RFC 8630 section 2.2: want %s, an empty line "
	    "and the key, have the end of the text", fn, tal->nuris == 0 ?
	    "a URI" : "the URIs");
}

struct tal *
tal_parse(const char *fn, const char *text, size_t len, struct err *e)
{
	struct tal	*tal;
	size_t		 pos = 0;

	if ((tal = calloc(1, sizeof(*tal))) == NULL ||
	    (tal->name = tal_name(fn)) == NULL) {
		free(tal);
		err_set(e, "%s: out of memory", fn);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		err_set(e, "%s: RFC 8630 section 2.2: want text, have a NUL "
		    "byte", fn);
		goto fail;
	}
	if (tal_uris(fn, tal, text, len, &pos, e) != 0 ||
	    tal_key(fn, tal, text, len, pos, e) != 0)
		goto fail;
	return tal;
fail:
	tal_free(tal);
	return NULL;
}

int
tal_check_ta(const struct tal *tal, const struct cert *cert, struct err *e)
{
	if (cert->purpose != CERT_TA)
		return err_set(e, "%s: RFC 8630 section 3: certificate: want a "
		    "self-signed CA certificate for TAL %s, have %s "
		    "certificate", cert->fn, tal->name,
		    cert_purpose_a(cert->purpose));
	if (EVP_PKEY_eq(tal->pkey, cert->pub) != 1) {
		ERR_clear_error();
		return err_set(e, "%s: RFC 8630 section 3: "
		    "subjectPublicKeyInfo: want the key of TAL %s, have "
		    "another key", cert->fn, tal->name);
	}
	return 0;
}

void
tal_free(struct tal *tal)
{
	size_t	 i;

	if (tal == NULL)
		return;
	for (i = 0; i < tal->nuris; i++)
		free(tal->uris[i]);
	free(tal->uris);
	free(tal->name);
	free(tal->spki);
	EVP_PKEY_free(tal->pkey);
	free(tal);
}
