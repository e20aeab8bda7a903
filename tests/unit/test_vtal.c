/*
 * test_vtal.c - RFC 8630 Trust Anchor Locators (validator/tal.c): the
 * RIPE TAL and its TA certificate, the text variants the RFC allows, and
 * each malformation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "encoding.h"
#include "tal.h"

#include "testutil.h"
#include "vtestutil.h"

#define RIPE_URI	"rsync://rpki.ripe.net/ta/ripe-ncc-ta.cer"

/* The base64 key lines of ripe.tal, as one string with LFs. */
static char *ripe_key;

static struct cert *
load_cert(const char *path)
{
	struct cert	*c;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = vt_read(path, &len);
	c = cert_parse(path, der, len, &e);
	free(der);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	return c;
}

static struct tal *
parse_ok(const char *fn, const char *text)
{
	struct tal	*tal;
	struct err	 e;

	memset(&e, 0, sizeof(e));
	tal = tal_parse(fn, text, strlen(text), &e);
	if (tal == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	return tal;
}

static void
parse_fails(const char *text, size_t len, const char *want)
{
	struct tal	*tal;
	struct err	 e;

	tal = tal_parse("bad.tal", text, len, &e);
	if (tal != NULL) {
		tal_free(tal);
		print_error("TAL accepted, wanted \"%s\"\n", want);
		fail();
	}
	assert_contains(e.msg, "bad.tal: ");
	assert_contains(e.msg, want);
}

/* head, then the RIPE key: a TAL with the given URI section. */
static char *
with_key(const char *head)
{
	size_t	 n = strlen(head) + strlen(ripe_key) + 1;
	char	*s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, "%s%s", head, ripe_key);
	return s;
}

static void
test_ripe(void **state)
{
	struct cert	*ta = load_cert(FIXTURE("ta.cer"));
	struct cert	*ca = load_cert(FIXTURE("ca1.cer"));
	struct tal	*tal;
	struct err	 e;
	uint8_t		*text;
	size_t		 len;

	(void)state;
	text = vt_read(FIXTURE("ripe.tal"), &len);
	tal = tal_parse(FIXTURE("ripe.tal"), (const char *)text, len, &e);
	free(text);
	if (tal == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_string_equal(tal->name, "ripe");
	assert_int_equal(tal->nuris, 1);
	assert_string_equal(tal->uris[0], RIPE_URI);
	assert_int_equal(tal->spki_len, 294);
	assert_int_equal(tal_check_ta(tal, ta, &e), 0);
	/* ca1 is no TA, and its key is another. */
	assert_int_equal(tal_check_ta(tal, ca, &e), -1);
	assert_contains(e.msg, "ca1.cer: RFC 8630 section 3: certificate: "
	    "want a self-signed CA certificate for TAL ripe, have a CA "
	    "certificate");
	ca->purpose = CERT_TA;
	assert_int_equal(tal_check_ta(tal, ca, &e), -1);
	assert_contains(e.msg, "ca1.cer: RFC 8630 section 3: "
	    "subjectPublicKeyInfo: want the key of TAL ripe, have another "
	    "key");
	tal_free(tal);
	tal_free(NULL);
	cert_free(ca);
	cert_free(ta);
}

static void
test_forms(void **state)
{
	struct tal	*tal;
	char		*s, *crlf, *p;
	size_t		 i, n;

	(void)state;
	/* Comments, two URIs of both schemes. */
	s = with_key("# RIPE NCC\n#\n" "https://rpki.ripe.net/ta/x.cer\n"
	    RIPE_URI "\n\n");
	tal = parse_ok("/etc/tals/ripe-ncc.tal", s);
	assert_string_equal(tal->name, "ripe-ncc");
	assert_int_equal(tal->nuris, 2);
	assert_string_equal(tal->uris[0], "https://rpki.ripe.net/ta/x.cer");
	assert_string_equal(tal->uris[1], RIPE_URI);
	tal_free(tal);

	/* The same with CRLF line ends and trailing blanks. */
	n = strlen(s);
	crlf = malloc(2 * n + 1);
	for (i = 0, p = crlf; i < n; i++) {
		if (s[i] == '\n') {
			*p++ = ' ';
			*p++ = '\r';
		}
		*p++ = s[i];
	}
	*p = '\0';
	tal = parse_ok("x", crlf);
	assert_string_equal(tal->name, "x");
	assert_int_equal(tal->nuris, 2);
	assert_string_equal(tal->uris[1], RIPE_URI);
	assert_int_equal(tal->spki_len, 294);
	tal_free(tal);
	free(crlf);
	free(s);

	/* The key on one line, no final line end. */
	s = with_key(RIPE_URI "\n\n");
	for (p = s + strlen(RIPE_URI) + 2; *p != '\0'; p++)
		if (*p == '\n')
			memmove(p, p + 1, strlen(p));
	tal = parse_ok("one.tal", s);
	assert_int_equal(tal->spki_len, 294);
	tal_free(tal);
	free(s);
}

static void
test_malformed(void **state)
{
	char	*s;

	(void)state;
	s = with_key("\n");
	parse_fails(s, strlen(s), "RFC 8630 section 2.2: line 1: want a "
	    "URI, have an empty line");
	free(s);

	s = with_key("ftp://h/ta.cer\n\n");
	parse_fails(s, strlen(s), "line 1: want an rsync or https URI, have "
	    "\"ftp://h/ta.cer\"");
	free(s);

	s = with_key("rsync://h/a/../ta.cer\n\n");
	parse_fails(s, strlen(s), "want an rsync or https URI");
	free(s);

	s = with_key("rsync://h/repo/\n\n");
	parse_fails(s, strlen(s), "line 1: want the URI of a certificate, "
	    "have a directory \"rsync://h/repo/\"");
	free(s);

	s = with_key(RIPE_URI "\n# late\n\n");
	parse_fails(s, strlen(s), "line 2: want comments before the URIs, "
	    "have one after");
	free(s);

	s = with_key(RIPE_URI "\n");
	parse_fails(s, strlen(s), "want an rsync or https URI, have \"MIIB");
	free(s);

	parse_fails(RIPE_URI "\n", strlen(RIPE_URI) + 1, "want the URIs, an "
	    "empty line and the key, have the end of the text");
	parse_fails("# only\n", 7, "want a URI, an empty line");
	parse_fails(RIPE_URI "\n\n", strlen(RIPE_URI) + 2,
	    "subjectPublicKeyInfo: want base64 after the empty line, have "
	    "none");
	parse_fails(RIPE_URI "\n\nMIIB*IjAN\n", strlen(RIPE_URI) + 12,
	    "subjectPublicKeyInfo: want base64, have invalid characters");
	/* Valid base64, not a key: "hello world". */
	parse_fails(RIPE_URI "\n\naGVsbG8gd29ybGQ=\n", strlen(RIPE_URI) + 19,
	    "want one DER SubjectPublicKeyInfo, have undecodable data");
	parse_fails(RIPE_URI "\0\n\nMIIB\n", strlen(RIPE_URI) + 8,
	    "want text, have a NUL byte");
}

/* The key with two bytes after the SubjectPublicKeyInfo. */
static void
test_trailing_key_bytes(void **state)
{
	uint8_t	*der;
	size_t	 n, len;
	char	*b64, *s;

	(void)state;
	b64 = strdup(ripe_key);
	for (s = b64; *s != '\0'; s++)
		if (*s == '\n')
			memmove(s, s + 1, strlen(s));
	der = base64_decode(b64, strlen(b64), 0, &len);
	free(b64);
	assert_non_null(der);
	der = realloc(der, len + 2);
	der[len] = 0x05;
	der[len + 1] = 0x00;
	b64 = base64_encode(der, len + 2, 0);
	free(der);
	n = strlen(RIPE_URI) + strlen(b64) + 3;
	s = malloc(n);
	snprintf(s, n, "%s\n\n%s", RIPE_URI, b64);
	parse_fails(s, strlen(s), "want one DER SubjectPublicKeyInfo, have "
	    "trailing bytes");
	free(s);
	free(b64);
}

static int
setup(void **state)
{
	uint8_t	*text;
	char	*p;
	size_t	 len;

	(void)state;
	text = vt_read(FIXTURE("ripe.tal"), &len);
	/* ripe.tal is one URI, an empty line, the key. */
	p = strstr((char *)text, "\n\n");
	if (p == NULL)
		return -1;
	ripe_key = strdup(p + 2);
	free(text);
	return ripe_key == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(ripe_key);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ripe),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_trailing_key_bytes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
