/*
 * test_vrrdp.c - RRDP's parsers and decisions (validator/rrdp_xml.c,
 * rrdp_state.c), as pure functions of bytes: the real RIPE NCC files of
 * ../shared/fixtures/rrdp/ (notification sorted, unsorted and with a
 * gap, snapshot, delta), the entity bomb refused unexpanded, every field
 * of every file refused when wrong, URIs that would leave the cache,
 * base64 and hash errors, the state file, and the choice between
 * deltas and snapshot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "encoding.h"
#include "fileio.h"
#include "rrdp.h"
#include "testutil.h"

#define RRDP_FIX(name)	SHARED_DIR "/fixtures/rrdp/" name
#define RIPE_NOTIFY	"https://rrdp.ripe.net/notification.xml"
#define RIPE_SESSION	"a2d845c4-5b91-4015-a2b7-988c03ce232a"
#define NS		"xmlns=\"http://www.ripe.net/rpki/rrdp\""
#define SESS		"9df4b597-af9e-4dca-bdda-719cce2c4e28"
#define H64		"C047E305FE71F2936720948E129A14C0" \
			    "819DED9CDECF31CFAF02C71200EB6F7C"

/* (Not inlined: GCC 12 then takes text for a pointer to data.) */
static __attribute__((noinline)) char *
fixture(const char *path, size_t *len)
{
	struct err	 e;
	char		*data = NULL;

	if (file_read_all(path, 16 * 1024 * 1024, &data, len, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	return data;
}

static struct rrdp_notify *
notify_of(const char *uri, const char *text, struct err *e)
{
	return rrdp_notify_parse(uri, (const uint8_t *)text, strlen(text), e);
}

/* The notification must be refused with a message holding want. */
static void
notify_refused(const char *text, const char *want)
{
	struct rrdp_notify	*n;
	struct err		 e;

	memset(&e, 0, sizeof(e));
	n = notify_of("https://rrdp.example.net/notification.xml", text, &e);
	if (n != NULL) {
		print_error("accepted: %s\n", text);
		rrdp_notify_free(n);
		fail();
	}
	assert_contains(e.msg, "https://rrdp.example.net/notification.xml: ");
	assert_contains(e.msg, want);
}

static void
test_notify_ripe(void **state)
{
	struct rrdp_notify	*n;
	struct err		 e;
	uint8_t			 h[RRDP_HASH_LEN];
	size_t			 len, i;
	char			*text;

	text = fixture(RRDP_FIX("ripe-notification.xml"), &len);
	n = rrdp_notify_parse(RIPE_NOTIFY, (uint8_t *)text, len, &e);
	free(text);
	if (n == NULL)
		print_error("%s\n", e.msg);
	assert_non_null(n);
	assert_string_equal(n->session, RIPE_SESSION);
	assert_int_equal(n->serial, 1742);
	assert_string_equal(n->snapshot.uri, "https://rrdp.ripe.net/"
	    RIPE_SESSION "/1742/snapshot.xml");
	assert_int_equal(rrdp_hash_parse(H64, h), 0);
	assert_memory_equal(n->snapshot.hash, h, RRDP_HASH_LEN);
	/* 91 deltas, 1652 to 1742, in order whatever the file's order. */
	assert_int_equal(n->ndeltas, 91);
	for (i = 0; i < n->ndeltas; i++)
		assert_int_equal(n->deltas[i].serial, 1652 + i);
	assert_string_equal(n->deltas[90].uri, "https://rrdp.ripe.net/"
	    RIPE_SESSION "/1742/delta.xml");
	assert_int_equal(rrdp_hash_parse("FA2BDCE6B32DDF7F61F91B4549ABC61B6D69"
	    "86FA91061B37C72F045FA1B7BA79", h), 0);
	assert_memory_equal(n->deltas[90].hash, h, RRDP_HASH_LEN);
	rrdp_notify_free(n);
}

/* The same deltas listed in another order: the same result. */
static void
test_notify_unsorted(void **state)
{
	struct rrdp_notify	*a, *b;
	struct err		 e;
	size_t			 len, i;
	char			*text;

	text = fixture(RRDP_FIX("ripe-notification.xml"), &len);
	assert_non_null(a = rrdp_notify_parse(RIPE_NOTIFY, (uint8_t *)text,
	    len, &e));
	free(text);
	text = fixture(RRDP_FIX("ripe-notification-unsorted.xml"), &len);
	/* It is not sorted: 1736 follows 1740. */
	assert_non_null(strstr(text, "serial=\"1740\""));
	assert_true(strstr(text, "serial=\"1736\"") <
	    strstr(text, "serial=\"1739\""));
	assert_non_null(b = rrdp_notify_parse(RIPE_NOTIFY, (uint8_t *)text,
	    len, &e));
	free(text);
	assert_int_equal(a->ndeltas, b->ndeltas);
	for (i = 0; i < a->ndeltas; i++) {
		assert_int_equal(a->deltas[i].serial, b->deltas[i].serial);
		assert_string_equal(a->deltas[i].uri, b->deltas[i].uri);
		assert_memory_equal(a->deltas[i].hash, b->deltas[i].hash,
		    RRDP_HASH_LEN);
	}
	rrdp_notify_free(a);
	rrdp_notify_free(b);
}

/* A state at serial s of the RIPE session. */
static void
state_at(struct rrdp_state *st, uint64_t s)
{
	memset(st, 0, sizeof(*st));
	strcpy(st->session, RIPE_SESSION);
	st->serial = s;
}

/* With delta 1737 missing: deltas from after the gap only. */
static void
test_notify_gaps(void **state)
{
	struct rrdp_notify	*n;
	struct rrdp_state	 st;
	struct err		 e;
	size_t			 len, first, count;
	char			*text, why[256];

	text = fixture(RRDP_FIX("ripe-notification-with-gaps.xml"), &len);
	assert_non_null(n = rrdp_notify_parse(RIPE_NOTIFY, (uint8_t *)text,
	    len, &e));
	free(text);
	assert_int_equal(n->ndeltas, 90);
	/* From 1735: 1736 is there, 1737 is not. */
	state_at(&st, 1735);
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "no delta for serial 1737");
	/* From 1650: 1651 was never listed. */
	state_at(&st, 1650);
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "no delta for serial 1651");
	/* From 1737: 1738 to 1742, five, contiguous. */
	state_at(&st, 1737);
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_DELTAS);
	assert_int_equal(count, 5);
	assert_int_equal(n->deltas[first].serial, 1738);
	assert_int_equal(n->deltas[first + count - 1].serial, 1742);
	rrdp_notify_free(n);
}

/*
 * "Billion laughs": refused at its DOCTYPE, before any entity is read,
 * in far less time than expanding it would take (3 GB).
 */
static void
test_notify_lolz(void **state)
{
	struct rrdp_notify	*n;
	struct timespec		 t0, t1;
	struct err		 e;
	size_t			 len;
	char			*text, *amp, *mod;

	text = fixture(RRDP_FIX("lolz-notification.xml"), &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = rrdp_notify_parse("https://rrdp.example.com/notification.xml",
	    (uint8_t *)text, len, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_null(n);
	assert_contains(e.msg, "https://rrdp.example.com/notification.xml: "
	    "a DOCTYPE, refused unread");
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	/* Behind a comment and a processing instruction: still refused. */
	assert_non_null(mod = malloc(len + 64));
	assert_non_null(amp = strstr(text, "<!DOCTYPE"));
	strcpy(mod, "<?xml version=\"1.0\"?>\n<!-- x --><?pi ?>\n");
	memcpy(mod + strlen(mod), amp, len - (size_t)(amp - text) + 1);
	notify_refused(mod, "a DOCTYPE, refused unread");
	/* The entity used with no DOCTYPE: not well-formed, not expanded. */
	notify_refused("<notification " NS " version=\"1\" session_id=\"" SESS
	    "\" serial=\"1\">&lol9;<snapshot uri=\"https://rrdp.example.net/"
	    "s.xml\" hash=\"" H64 "\"/></notification>", "not well-formed");
	free(mod);
	free(text);
}

/* Every field of a notification, refused when wrong. */
static void
test_notify_errors(void **state)
{
	struct rrdp_notify	*n;
	struct err		 e;

#define SNAP	"<snapshot uri=\"https://rrdp.example.net/s.xml\" hash=\"" \
		    H64 "\"/>"
#define ROOT(attrs, body) "<notification " attrs ">" body "</notification>"
#define GOOD	NS " version=\"1\" session_id=\"" SESS "\" serial=\"3\""
	/* The good one first, with lowercase hex and a delta. */
	n = notify_of("https://rrdp.example.net/notification.xml", ROOT(GOOD,
	    SNAP "<delta serial=\"3\" uri=\"https://rrdp.example.net/d3.xml\" "
	    "hash=\"c047e305fe71f2936720948e129a14c0819ded9cdecf31cfaf02c71200"
	    "eb6f7c\"/>"), &e);
	if (n == NULL)
		print_error("%s\n", e.msg);
	assert_non_null(n);
	assert_memory_equal(n->deltas[0].hash, n->snapshot.hash, RRDP_HASH_LEN);
	rrdp_notify_free(n);
	notify_refused(ROOT("xmlns=\"http://example.net/\" version=\"1\" "
	    "session_id=\"" SESS "\" serial=\"3\"", SNAP), "in namespace");
	notify_refused(ROOT(NS " version=\"2\" session_id=\"" SESS "\" "
	    "serial=\"3\"", SNAP), "version: want 1, have 2");
	notify_refused(ROOT(NS " version=\"1\" session_id=\"not-a-uuid\" "
	    "serial=\"3\"", SNAP), "session_id: want a UUID");
	notify_refused(ROOT(NS " version=\"1\" session_id=\"" SESS "\" "
	    "serial=\"0\"", SNAP), "serial: want a positive integer");
	notify_refused(ROOT(NS " version=\"1\" session_id=\"" SESS "\" "
	    "serial=\"03\"", SNAP), "serial: want a positive integer");
	notify_refused(ROOT(NS " version=\"1\" session_id=\"" SESS "\" "
	    "serial=\"99999999999999999999\"", SNAP),
	    "serial: want a positive");
	notify_refused(ROOT(NS " version=\"1\" session_id=\"" SESS "\"", SNAP),
	    "serial: want a positive integer, have none");
	notify_refused(ROOT(GOOD " colour=\"red\"", SNAP),
	    "attribute \"colour\"");
	notify_refused(ROOT(GOOD, ""), "no <snapshot>");
	notify_refused("<notification " GOOD "/>", "no <snapshot>");
	notify_refused(ROOT(GOOD, SNAP SNAP), "a second <snapshot>");
	notify_refused(ROOT(GOOD, SNAP "<extra/>"), "<extra>: want only");
	notify_refused(ROOT(GOOD, SNAP "text"), "want only <snapshot> and");
	notify_refused(ROOT(GOOD, "<snapshot uri=\"https://other.example.net/"
	    "s.xml\" hash=\"" H64 "\"/>"), "on the notification's own host");
	notify_refused(ROOT(GOOD, "<snapshot uri=\"http://rrdp.example.net/"
	    "s.xml\" hash=\"" H64 "\"/>"), "want an https URI");
	notify_refused(ROOT(GOOD, "<snapshot uri=\"https://rrdp.example.net."
	    "evil.net/s.xml\" hash=\"" H64 "\"/>"), "own host");
	notify_refused(ROOT(GOOD, "<snapshot uri=\"https://rrdp.example.net/"
	    "s.xml\" hash=\"C047\"/>"), "hash: want 64 hex digits");
	notify_refused(ROOT(GOOD, "<snapshot uri=\"https://rrdp.example.net/"
	    "s.xml\" hash=\"G047E305FE71F2936720948E129A14C0819DED9CDECF31CFAF"
	    "02C71200EB6F7C\"/>"), "hash: want 64 hex digits");
	notify_refused(ROOT(GOOD, "<snapshot uri=\"https://rrdp.example.net/"
	    "s.xml\" hash=\"" H64 "\">x</snapshot>"), "want no content");
	notify_refused(ROOT(GOOD, SNAP "<delta serial=\"4\" uri=\"https://"
	    "rrdp.example.net/d.xml\" hash=\"" H64 "\"/>"),
	    "after the notification's serial 3");
	notify_refused(ROOT(GOOD, SNAP "<delta serial=\"2\" uri=\"https://"
	    "rrdp.example.net/d.xml\" hash=\"" H64 "\"/><delta serial=\"2\" "
	    "uri=\"https://rrdp.example.net/e.xml\" hash=\"" H64 "\"/>"),
	    "listed twice");
	notify_refused(ROOT(GOOD, SNAP "<delta uri=\"https://rrdp.example.net"
	    "/d.xml\" hash=\"" H64 "\"/>"), "serial: want a positive integer");
	notify_refused(ROOT(GOOD, SNAP) "<more/>", "not well-formed");
	notify_refused(ROOT(GOOD, SNAP "<snapshot"), "not well-formed");
	notify_refused("", "not well-formed");
#undef GOOD
#undef ROOT
#undef SNAP
}

/* What the element callback saw. */
struct seen {
	size_t		 n, withdraws, hashes, empty;
	uint8_t		 first[RRDP_HASH_LEN];	/* SHA-256 of element 1 */
	char		 firsturi[256];
	size_t		 failat;		/* fail at this element */
};

static int
seen_fn(void *arg, const struct rrdp_elem *el, struct err *e)
{
	struct seen	*s = arg;

	assert_int_equal(el->index, s->n + 1);
	s->n++;
	s->withdraws += el->withdraw;
	s->hashes += el->has_hash;
	if (!el->withdraw && el->len == 0)
		s->empty++;
	if (el->withdraw)
		assert_null(el->data);
	if (el->index == 1) {
		assert_int_equal(EVP_Digest(el->data, el->len, s->first, NULL,
		    EVP_sha256(), NULL), 1);
		snprintf(s->firsturi, sizeof(s->firsturi), "%s", el->uri);
	}
	if (el->index == s->failat)
		return err_set(e, "stopped at %zu", el->index);
	return 0;
}

static long
parse_text(int delta, const char *host, const char *text, struct seen *s,
    struct err *e)
{
	memset(s, 0, sizeof(*s));
	return rrdp_file_parse("https://rrdp.example.net/f.xml", delta, SESS,
	    7, host, (const uint8_t *)text, strlen(text), seen_fn, s, e);
}

/* A snapshot or delta text that must be refused with want. */
static void
file_refused(int delta, const char *text, const char *want)
{
	struct seen	s;
	struct err	e;

	memset(&e, 0, sizeof(e));
	if (parse_text(delta, "rsync://h.example/", text, &s, &e) != -1) {
		print_error("accepted: %s\n", text);
		fail();
	}
	assert_contains(e.msg, "https://rrdp.example.net/f.xml: ");
	assert_contains(e.msg, want);
}

static void
test_snapshot_ripe(void **state)
{
	struct seen	 s;
	struct err	 e;
	uint8_t		 h[RRDP_HASH_LEN];
	size_t		 len;
	char		*text;

	text = fixture(RRDP_FIX("ripe-snapshot.xml"), &len);
	memset(&s, 0, sizeof(s));
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 0, RIPE_SESSION, 1742,
	    "rsync://rpki.ripe.net/", (uint8_t *)text, len, seen_fn, &s, &e),
	    277);
	assert_int_equal(s.n, 277);
	assert_int_equal(s.withdraws, 0);
	assert_int_equal(s.hashes, 0);
	/* Two published empty (one of them <publish/>): empty files. */
	assert_int_equal(s.empty, 2);
	assert_string_equal(s.firsturi, "rsync://rpki.ripe.net/repository/"
	    "DEFAULT/69/2f4796-4512-464d-b9de-880f8238fe0b/1/"
	    "XjMs73GAyiu9bmz2X6wMz4s5AjM.crl");
	assert_int_equal(hex_decode("8aa9a90a9f9d4d30ae9c7afbde06f106a8e83104"
	    "c7904ee04dbc9334a7b1ce3e", 64, h, sizeof(h)), RRDP_HASH_LEN);
	assert_memory_equal(s.first, h, RRDP_HASH_LEN);
	/* Another session or serial than the notification's: refused. */
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 0, RIPE_SESSION, 1743,
	    NULL, (uint8_t *)text, len, seen_fn, &s, &e), -1);
	assert_contains(e.msg, "want " RIPE_SESSION " serial 1743");
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 0, SESS, 1742, NULL,
	    (uint8_t *)text, len, seen_fn, &s, &e), -1);
	/* For another host: its first element is refused. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 0, RIPE_SESSION, 1742,
	    "rsync://rpki.example.net/", (uint8_t *)text, len, seen_fn, &s,
	    &e), -1);
	assert_int_equal(s.n, 0);
	assert_contains(e.msg, "<publish> element 1: RFC 8182 section "
	    "3.5.2.3: uri: rsync://rpki.ripe.net/repository/");
	assert_contains(e.msg, "not on rsync://rpki.example.net/");
	/* A delta is not a snapshot. */
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 1, RIPE_SESSION, 1742,
	    NULL, (uint8_t *)text, len, seen_fn, &s, &e), -1);
	assert_contains(e.msg, "want a <delta> element");
	free(text);
}

/* text written to a temporary file, open for reading at offset 0. */
static int
text_fd(const char *text, size_t len)
{
	char	path[] = "/tmp/vrrdpXXXXXX";
	int	fd;

	assert_true((fd = mkstemp(path)) >= 0);
	unlink(path);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/*
 * The way a fetched file is parsed, from its descriptor as the parser
 * reads: the same elements as from memory; a DOCTYPE refused unread; a
 * prolog that does not end in the first 64 kB refused.
 */
static void
test_file_fd(void **state)
{
	struct seen	 s, m;
	struct err	 e;
	size_t		 len, i;
	char		*text, *big;
	int		 fd;

	(void)state;
	text = fixture(RRDP_FIX("ripe-snapshot.xml"), &len);
	memset(&m, 0, sizeof(m));
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 0, RIPE_SESSION, 1742,
	    "rsync://rpki.ripe.net/", (uint8_t *)text, len, seen_fn, &m, &e),
	    277);
	fd = text_fd(text, len);
	memset(&s, 0, sizeof(s));
	assert_int_equal(rrdp_file_parse_fd(RIPE_NOTIFY, 0, RIPE_SESSION,
	    1742, "rsync://rpki.ripe.net/", fd, seen_fn, &s, &e), 277);
	close(fd);
	assert_int_equal(s.n, m.n);
	assert_int_equal(s.empty, m.empty);
	assert_memory_equal(s.first, m.first, RRDP_HASH_LEN);
	assert_string_equal(s.firsturi, m.firsturi);
	free(text);

	text = fixture(RRDP_FIX("lolz-notification.xml"), &len);
	fd = text_fd(text, len);
	assert_int_equal(rrdp_file_parse_fd(RIPE_NOTIFY, 0, RIPE_SESSION,
	    1742, NULL, fd, seen_fn, &s, &e), -1);
	close(fd);
	assert_contains(e.msg, "a DOCTYPE, refused unread");
	free(text);

	/* 70 kB of comment before the root: past what is looked at. */
	len = 70000 + 200;
	assert_non_null(big = malloc(len + 1));
	memcpy(big, "<!--", 4);
	for (i = 4; i < 70000; i++)
		big[i] = 'x';
	snprintf(big + 70000, 201, "--><snapshot xmlns=\"" RRDP_XMLNS "\" "
	    "version=\"1\" session_id=\"" SESS "\" serial=\"7\"/>");
	len = strlen(big);
	fd = text_fd(big, len);
	assert_int_equal(rrdp_file_parse_fd("f.xml", 0, SESS, 7, NULL, fd,
	    seen_fn, &s, &e), -1);
	close(fd);
	assert_contains(e.msg, "f.xml: a prolog (declaration, comments) "
	    "longer than 65536 bytes, refused unread");
	/* From memory the same document is taken: no element in it. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(rrdp_file_parse("f.xml", 0, SESS, 7, NULL,
	    (uint8_t *)big, len, seen_fn, &s, &e), 0);
	free(big);
}

static void
test_delta_ripe(void **state)
{
	struct seen	 s;
	struct err	 e;
	size_t		 len;
	char		*text;

	text = fixture(RRDP_FIX("ripe-delta.xml"), &len);
	memset(&s, 0, sizeof(s));
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 1, RIPE_SESSION, 1739,
	    "rsync://rpki.ripe.net/", (uint8_t *)text, len, seen_fn, &s, &e),
	    66);
	assert_int_equal(s.withdraws, 1);
	assert_int_equal(s.hashes, 65);
	/* <publish .../> and <publish ...></publish>: empty files. */
	assert_int_equal(s.empty, 2);
	/* The callback's failure stops the parse, with its message. */
	memset(&s, 0, sizeof(s));
	s.failat = 5;
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 1, RIPE_SESSION, 1739,
	    NULL, (uint8_t *)text, len, seen_fn, &s, &e), -1);
	assert_int_equal(s.n, 5);
	assert_string_equal(e.msg, "stopped at 5");
	/* A snapshot is not a delta. */
	assert_int_equal(rrdp_file_parse(RIPE_NOTIFY, 0, RIPE_SESSION, 1739,
	    NULL, (uint8_t *)text, len, seen_fn, &s, &e), -1);
	free(text);
}

/* Elements of snapshots and deltas: every way to be wrong. */
static void
test_file_errors(void **state)
{
	struct seen	s;
	struct err	e;
	long		n;

#define SROOT(body) "<snapshot " NS " version=\"1\" session_id=\"" SESS \
		    "\" serial=\"7\">" body "</snapshot>"
#define DROOT(body) "<delta " NS " version=\"1\" session_id=\"" SESS \
		    "\" serial=\"7\">" body "</delta>"
#define PUB(uri, b64) "<publish uri=\"" uri "\">" b64 "</publish>"
	/* Good: base64 broken by white space, in a snapshot and a delta. */
	n = parse_text(0, "rsync://h.example/", SROOT(PUB("rsync://h.example/"
	    "m/a.roa", "aGVs\n  bG8=\n") PUB("rsync://h.example/m/d/b.cer",
	    "")), &s, &e);
	if (n == -1)
		print_error("%s\n", e.msg);
	assert_int_equal(n, 2);
	assert_int_equal(s.empty, 1);
	n = parse_text(1, NULL, DROOT("<withdraw uri=\"rsync://h.example/m/"
	    "a.roa\" hash=\"" H64 "\"/><publish uri=\"rsync://h.example/m/"
	    "c.roa\" hash=\"" H64 "\">aGVsbG8=</publish>"), &s, &e);
	assert_int_equal(n, 2);
	assert_int_equal(s.withdraws, 1);
	assert_int_equal(s.hashes, 2);
	assert_int_equal(parse_text(0, NULL, SROOT(""), &s, &e), 0);
	/* Base64 errors (RFC 4648 section 4). */
	file_refused(0, SROOT(PUB("rsync://h.example/m/a.roa", "aGVsbG8")),
	    "<publish> element 1 (uri rsync://h.example/m/a.roa): content: "
	    "want the object in base64");
	file_refused(0, SROOT(PUB("rsync://h.example/m/a.roa", "aGV*bG8=")),
	    "want the object in base64");
	file_refused(0, SROOT(PUB("rsync://h.example/m/a.roa", "aG=sbG8=")),
	    "want the object in base64");
	file_refused(0, SROOT(PUB("rsync://h.example/m/a.roa", "aGVsbG8=")
	    PUB("rsync://h.example/m/b.roa", "aGVsbG8-")),
	    "<publish> element 2");
	/* Paths out of the cache, and other hosts. */
	file_refused(0, SROOT(PUB("rsync://h.example/m/../../../etc/x.roa",
	    "aGVsbG8=")), "<publish> element 1: RFC 8182 section 3.5.2.3: "
	    "uri: rsync://h.example/m/../../../etc/x.roa: part \"..\"");
	file_refused(1, DROOT(PUB("rsync://h.example/m/./x.roa", "aGVsbG8=")),
	    "section 3.5.3.3: uri: rsync://h.example/m/./x.roa");
	file_refused(0, SROOT(PUB("rsync://h.example//x.roa", "aGVsbG8=")),
	    "part \"\" of the URI");
	file_refused(0, SROOT(PUB("rsync://other.example/m/x.roa", "aGVsbG8=")),
	    "not on rsync://h.example/");
	file_refused(0, SROOT(PUB("https://h.example/m/x.roa", "aGVsbG8=")),
	    "want an rsync:// URI");
	/* Elements and attributes. */
	file_refused(0, SROOT("<withdraw uri=\"rsync://h.example/m/a.roa\" "
	    "hash=\"" H64 "\"/>"), "want only <publish> (RFC 8182 section "
	    "3.5.2.3), have <withdraw>");
	file_refused(0, SROOT("<publish uri=\"rsync://h.example/m/a.roa\" "
	    "hash=\"" H64 "\">aGVsbG8=</publish>"), "attribute \"hash\"");
	file_refused(1, DROOT("<withdraw uri=\"rsync://h.example/m/a.roa\"/>"),
	    "<withdraw> element 1 (uri rsync://h.example/m/a.roa): no hash");
	file_refused(1, DROOT("<withdraw uri=\"rsync://h.example/m/a.roa\" "
	    "hash=\"" H64 "\">aGVsbG8=</withdraw>"), "want no content");
	file_refused(1, DROOT("<publish uri=\"rsync://h.example/m/a.roa\" "
	    "hash=\"xyz\">aGVsbG8=</publish>"), "hash: want 64 hex digits");
	file_refused(0, SROOT("<publish>aGVsbG8=</publish>"), "no uri");
	file_refused(0, SROOT("<publish uri=\"rsync://h.example/m/a.roa\">"
	    "<b/></publish>"), "want only base64 text");
	file_refused(0, SROOT("junk"), "want only elements");
	file_refused(0, "<snapshot " NS " version=\"1\" session_id=\"" SESS
	    "\" serial=\"8\"/>", "want " SESS " serial 7");
#undef PUB
#undef DROOT
#undef SROOT
}

/* A publish longer than RRDP_TEXT_MAX is refused, not held. */
static void
test_file_huge(void **state)
{
	struct buf	b;
	struct seen	s;
	struct err	e;
	char		*pad;
	long		 n;

	memset(&b, 0, sizeof(b));
	assert_non_null(pad = malloc(RRDP_TEXT_MAX + 5));
	memset(pad, 'A', RRDP_TEXT_MAX + 4);
	pad[RRDP_TEXT_MAX + 4] = '\0';
	buf_puts(&b, "<snapshot " NS " version=\"1\" session_id=\"" SESS
	    "\" serial=\"7\"><publish uri=\"rsync://h.example/m/a.roa\">");
	buf_puts(&b, pad);
	buf_puts(&b, "</publish></snapshot>");
	assert_false(buf_failed(&b));
	memset(&s, 0, sizeof(s));
	n = rrdp_file_parse("https://rrdp.example.net/f.xml", 0, SESS, 7, NULL,
	    (uint8_t *)b.data, b.len, seen_fn, &s, &e);
	assert_int_equal(n, -1);
	assert_int_equal(s.n, 0);
	assert_contains(e.msg, "https://rrdp.example.net/f.xml: ");
	free(pad);
	buf_free(&b);
}

static void
test_uri_check(void **state)
{
	static const char *const bad[] = {
		"rsync://h.example/m/../x.roa",
		"rsync://h.example/m/./x.roa",
		"rsync://h.example/m/.x.roa",
		"rsync://h.example//x.roa",
		"rsync://h.example/m/d/",
		"rsync://h.example/x.roa",
		"rsync://../m/x.roa",
		"rsync:///m/x.roa",
		"rsync://h.example/m/a\\b.roa",
		"rsync://h.example/m/a b.roa",
		"rsync://h.example/m/a\tb.roa",
		"rsync://h.example/m/\xc3\xa9.roa",
		"https://h.example/m/x.roa",
		"file:///etc/passwd",
		"/etc/passwd",
		"rsync://other.example/m/x.roa",
		"rsync://h.example.evil/m/x.roa",
	};
	struct err	 e;
	char		 longuri[2100];
	size_t		 i;

	assert_int_equal(rrdp_uri_check("rsync://h.example/m/d/x.roa",
	    "rsync://h.example/", &e), 0);
	assert_int_equal(rrdp_uri_check("rsync://other.example/m/x.roa", NULL,
	    &e), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rrdp_uri_check(bad[i], "rsync://h.example/", &e) != -1) {
			print_error("accepted %s\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(rrdp_uri_check("rsync://h.example/m/../x.roa", NULL,
	    &e), -1);
	assert_contains(e.msg, "part \"..\" of the URI is not a plain name");
	memset(longuri, 'a', sizeof(longuri) - 1);
	longuri[sizeof(longuri) - 1] = '\0';
	memcpy(longuri, "rsync://h.example/m/", 20);
	assert_int_equal(rrdp_uri_check(longuri, NULL, &e), -1);
	assert_contains(e.msg, "longer than");
}

static void
test_hash_parse(void **state)
{
	uint8_t	a[RRDP_HASH_LEN], b[RRDP_HASH_LEN];

	assert_int_equal(rrdp_hash_parse(H64, a), 0);
	assert_int_equal(rrdp_hash_parse("c047e305fe71f2936720948e129a14c0819d"
	    "ed9cdecf31cfaf02c71200eb6f7c", b), 0);
	assert_memory_equal(a, b, RRDP_HASH_LEN);
	assert_int_equal(rrdp_hash_parse("c047E305fe71F2936720948e129a14c0819d"
	    "ed9cdecf31cfaf02c71200eb6f7C", b), 0);
	assert_memory_equal(a, b, RRDP_HASH_LEN);
	assert_int_equal(a[0], 0xc0);
	assert_int_equal(rrdp_hash_parse("C047", a), -1);
	assert_int_equal(rrdp_hash_parse(H64 "0", a), -1);
	assert_int_equal(rrdp_hash_parse("G047E305FE71F2936720948E129A14C0819D"
	    "ED9CDECF31CFAF02C71200EB6F7C", a), -1);
	assert_int_equal(rrdp_hash_parse(" 047E305FE71F2936720948E129A14C0819D"
	    "ED9CDECF31CFAF02C71200EB6F7C", a), -1);
	assert_int_equal(rrdp_hash_parse(NULL, a), -1);
}

/* A notification of SESS at serial, listing deltas lo..hi. */
static struct rrdp_notify *
notify_span(uint64_t serial, uint64_t lo, uint64_t hi)
{
	struct rrdp_notify	*n;
	struct buf		 b;
	struct err		 e;
	uint64_t		 i;

	memset(&b, 0, sizeof(b));
	buf_printf(&b, "<notification %s version=\"1\" session_id=\"%s\" "
	    "serial=\"%llu\"><snapshot uri=\"https://r.example/s.xml\" "
	    "hash=\"%s\"/>", NS, SESS, (unsigned long long)serial, H64);
	for (i = lo; lo > 0 && i <= hi; i++)
		buf_printf(&b, "<delta serial=\"%llu\" uri=\"https://r.example/"
		    "%llu.xml\" hash=\"%s\"/>", (unsigned long long)i,
		    (unsigned long long)i, H64);
	buf_puts(&b, "</notification>");
	n = rrdp_notify_parse("https://r.example/n.xml", (uint8_t *)b.data,
	    b.len, &e);
	buf_free(&b);
	if (n == NULL)
		print_error("%s\n", e.msg);
	assert_non_null(n);
	return n;
}

/* RFC 8182 section 3.4.1: deltas, snapshot or nothing. */
static void
test_plan(void **state)
{
	struct rrdp_notify	*n;
	struct rrdp_state	 st;
	size_t			 first, count;
	char			 why[256];

	n = notify_span(10, 3, 10);
	memset(&st, 0, sizeof(st));
	assert_int_equal(rrdp_plan(NULL, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "no state");
	strcpy(st.session, SESS);
	st.serial = 10;
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_NOTHING);
	st.serial = 9;
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_DELTAS);
	assert_int_equal(count, 1);
	assert_int_equal(n->deltas[first].serial, 10);
	st.serial = 2;		/* all of 3..10 */
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_DELTAS);
	assert_int_equal(first, 0);
	assert_int_equal(count, 8);
	st.serial = 1;		/* 2 is not listed */
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "no delta for serial 2");
	st.serial = 11;		/* ahead of the repository */
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "behind ours");
	st.serial = 9;
	strcpy(st.session, "0df4b597-af9e-4dca-bdda-719cce2c4e28");
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "new session_id " SESS);
	/* Session IDs compare in any case. */
	strcpy(st.session, "9DF4B597-AF9E-4DCA-BDDA-719CCE2C4E28");
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_DELTAS);
	rrdp_notify_free(n);
	/* No deltas listed at all. */
	n = notify_span(5, 0, 0);
	strcpy(st.session, SESS);
	st.serial = 4;
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "no delta for serial 5");
	rrdp_notify_free(n);
	/* Too far behind: the snapshot, even with every delta listed. */
	n = notify_span(RRDP_MAX_DELTAS + 2, 1, RRDP_MAX_DELTAS + 2);
	st.serial = 1;
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_SNAPSHOT);
	assert_contains(why, "more than");
	st.serial = 2;
	assert_int_equal(rrdp_plan(&st, n, &first, &count, why, sizeof(why)),
	    RRDP_DELTAS);
	assert_int_equal(count, RRDP_MAX_DELTAS);
	rrdp_notify_free(n);
}

static void
put(const char *path, const char *text)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
test_state(void **state)
{
	struct rrdp_state	 st, rd;
	struct err		 e;
	char			 dir[] = "/tmp/vrrdpXXXXXX", path[64];
	char			*files[] = { "rsync://h.example/m/a.roa",
				    "rsync://h.example/m/d/b.cer" };
	const char		*n = "https://h.example/notification.xml";

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), 1);
	memset(&st, 0, sizeof(st));
	strcpy(st.session, SESS);
	st.serial = 42;
	st.files = files;
	st.nfiles = 2;
	assert_int_equal(rrdp_state_write(path, n, &st, &e), 0);
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), 0);
	assert_string_equal(rd.session, SESS);
	assert_int_equal(rd.serial, 42);
	assert_int_equal(rd.nfiles, 2);
	assert_string_equal(rd.files[0], files[0]);
	assert_string_equal(rd.files[1], files[1]);
	rrdp_state_clear(&rd);
	assert_null(rd.files);
	/* Another notification's state is not ours. */
	assert_int_equal(rrdp_state_read(path, "https://x.example/n.xml", &rd,
	    &e), -1);
	assert_contains(e.msg, "not the state of https://x.example/n.xml");
	/* Damaged: a file out of the cache, a bad line, no serial. */
	put(path, "rpki-validator RRDP state 1\nnotification https://h.example"
	    "/notification.xml\nsession_id " SESS "\nserial 3\nfile rsync://h."
	    "example/m/../x.roa\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	assert_null(rd.files);
	put(path, "rpki-validator RRDP state 1\nnotification https://h.example"
	    "/notification.xml\nsession_id " SESS "\nserial 3\nwhat\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	put(path, "rpki-validator RRDP state 1\nnotification https://h.example"
	    "/notification.xml\nsession_id " SESS "\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	assert_contains(e.msg, "no session_id or serial");
	put(path, "rpki-validator RRDP state 1\nnotification https://h.example"
	    "/notification.xml\nsession_id " SESS "\nserial 3\nfile rsync://h."
	    "example/m/x.roa\nfile rsync://h.example/m/x.roa\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	assert_contains(e.msg, "listed twice");
	/* A serial or session_id as the notification would not have it. */
	put(path, "rpki-validator RRDP state 1\nnotification https://h.example"
	    "/notification.xml\nsession_id " SESS "\nserial 3x\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	put(path, "rpki-validator RRDP state 1\nnotification https://h.example"
	    "/notification.xml\nsession_id " SESS "\nserial 03\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	put(path, "rpki-validator RRDP state 1\nnotification https://h.example"
	    "/notification.xml\nsession_id 9df4b597-af9e-4dca-bdda-719cce2c4e2"
	    "g\nserial 3\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	put(path, "something else\n");
	assert_int_equal(rrdp_state_read(path, n, &rd, &e), -1);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify_ripe),
		cmocka_unit_test(test_notify_unsorted),
		cmocka_unit_test(test_notify_gaps),
		cmocka_unit_test(test_notify_lolz),
		cmocka_unit_test(test_notify_errors),
		cmocka_unit_test(test_snapshot_ripe),
		cmocka_unit_test(test_delta_ripe),
		cmocka_unit_test(test_file_fd),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_file_huge),
		cmocka_unit_test(test_uri_check),
		cmocka_unit_test(test_hash_parse),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
