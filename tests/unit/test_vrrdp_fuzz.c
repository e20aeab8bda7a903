/*
 * test_vrrdp_fuzz.c - RRDP's parsers (validator/rrdp_xml.c) on damaged
 * input: the RIPE NCC notification, delta and (the head of the) snapshot
 * of ../shared/fixtures/rrdp/, each mutated hundreds of times from a
 * fixed seed (bit flips, byte changes, truncation, deletion, and XML's
 * own trouble spliced in: a DOCTYPE, entity references, CDATA, stray
 * markup).  A parser must take the file or refuse it with a diagnostic
 * naming it, never crash or leak (the ASan+UBSan build runs this too),
 * give the same answer twice for the same bytes, and never hand the
 * caller an element whose URI could leave the cache.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "rrdp.h"

#include "fuzzutil.h"
#include "testutil.h"
#include "vtestutil.h"

#define RRDP_FIX(name)	SHARED_DIR "/fixtures/rrdp/" name
#define NOTIFY		"https://rrdp.ripe.net/notification.xml"
#define SESSION		"a2d845c4-5b91-4015-a2b7-988c03ce232a"

static struct fz	 fz = { 0x2545f4914f6cdd1dULL };

static uint32_t
rnd(uint32_t n)
{
	return fz_rnd(&fz, n);
}

static const char *const splices[] = {
	"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "&a;", "&amp;", "&#0;",
	"&#x41;", "<![CDATA[", "]]>", "<", ">", "\"", "'", "</publish>",
	"<publish uri=\"rsync://rpki.ripe.net/repository/../x\">",
	"<withdraw uri=\"rsync://rpki.ripe.net/x/y\"/>", "\xff\xfe", "\0",
	"<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "<!-- -->",
	" hash=\"00\"", " serial=\"0\"", "/..", "//", "%2e%2e",
};

/* One random change to buf (len bytes, room for len + 64). */
static size_t
mutate(uint8_t *buf, size_t len)
{
	size_t		 i, n;
	uint32_t	 op = rnd(FZ_NEDITS + 2);
	const char	*s;

	if (op < FZ_NEDITS)
		return fz_edit(&fz, (enum fz_edit)op, buf, len, 32);
	/* Splice in some XML trouble. */
	i = len ? rnd((uint32_t)len) : 0;
	s = splices[rnd(sizeof(splices) / sizeof(splices[0]))];
	n = s[0] == '\0' ? 1 : strlen(s);
	memmove(buf + i + n, buf + i, len - i);
	memcpy(buf + i, s, n);
	return len + n;
}

/* The elements of one parse, and whether one could leave the cache. */
struct tally {
	size_t	n;
	int	bad;
};

static int
tally_fn(void *arg, const struct rrdp_elem *el, struct err *e)
{
	struct tally	*t = arg;
	struct err	 e2;

	t->n++;
	if (rrdp_uri_check(el->uri, "rsync://rpki.ripe.net/", &e2) == -1)
		t->bad = 1;
	return 0;
}

/*
 * Parse buf as kind (0 notification, 1 snapshot, 2 delta): 1 taken, 0
 * refused (the diagnostic names the file); *count the elements.
 */
static int
parse(int kind, const uint8_t *buf, size_t len, size_t *count)
{
	struct rrdp_notify	*n;
	struct tally		 t;
	struct err		 e;
	long			 r;

	e.msg[0] = '\0';
	memset(&t, 0, sizeof(t));
	if (kind == 0) {
		n = rrdp_notify_parse(NOTIFY, buf, len, &e);
		*count = n != NULL ? n->ndeltas : 0;
		rrdp_notify_free(n);
		r = n != NULL ? 0 : -1;
	} else {
		r = rrdp_file_parse("https://rrdp.ripe.net/f.xml", kind == 2,
		    SESSION, kind == 2 ? 1739 : 1742, "rsync://rpki.ripe.net/",
		    buf, len, tally_fn, &t, &e);
		*count = t.n;
		assert_false(t.bad);
	}
	if (r >= 0)
		return 1;
	assert_contains(e.msg, "https://rrdp.ripe.net/");
	return 0;
}

static void
fuzz(int kind, const uint8_t *orig, size_t len, size_t rounds)
{
	uint8_t	*buf;
	size_t	 n, r, c1, c2, taken = 0;
	int	 a, b;

	assert_int_equal(parse(kind, orig, len, &c1), 1);
	assert_non_null(buf = malloc(len + 64 * 4 + 1));
	for (r = 0; r < rounds; r++) {
		memcpy(buf, orig, len);
		n = len;
		for (a = 1 + (int)rnd(3); a > 0; a--)
			n = mutate(buf, n);
		a = parse(kind, buf, n, &c1);
		b = parse(kind, buf, n, &c2);
		assert_int_equal(a, b);
		assert_int_equal(c1, c2);
		taken += (size_t)a;
	}
	print_message("kind %d: %zu of %zu mutations taken\n", kind, taken,
	    rounds);
	free(buf);
}

static void
test_notify(void **state)
{
	uint8_t	*d;
	size_t	 len;

	d = vt_read(RRDP_FIX("ripe-notification.xml"), &len);
	fuzz(0, d, len, 1500);
	free(d);
}

static void
test_delta(void **state)
{
	uint8_t	*d;
	size_t	 len;

	d = vt_read(RRDP_FIX("ripe-delta.xml"), &len);
	fuzz(2, d, len, 300);
	free(d);
}

/* The snapshot's first 20 elements, closed: small enough to parse often. */
static void
test_snapshot(void **state)
{
	uint8_t	*d;
	char	*p;
	size_t	 len, i;

	d = vt_read(RRDP_FIX("ripe-snapshot.xml"), &len);
	p = (char *)d;
	for (i = 0; i < 20; i++) {
		assert_non_null(p = strstr(p, "<publish "));
		p++;
	}
	p--;
	strcpy(p, "</snapshot>\n");
	fuzz(1, d, strlen((char *)d), 800);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
