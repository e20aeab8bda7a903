/*
 * test_rrdp_writer.c - rrdp_publish and the RRDP faults (RFC 8182).
 *
 * Every check reads the output back with libxml2 and recomputes what the
 * notification claims: the SHA-256 of each file it lists, the base64 of
 * each object against the bytes in the tree, the hash= of each replaced or
 * withdrawn object against its previous content.  RIPE NCC's real files
 * (SHARED_DIR/fixtures/rrdp) give the shape to match, and their snapshot
 * is republished and compared object by object.
 */
#include <sys/stat.h>

#include <ftw.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "encoding.h"
#include "fileio.h"
#include "rrdp.h"

#ifndef SHARED_DIR
#define SHARED_DIR "../shared"
#endif

#define HOST	"repo-1.test"
#define BASE	"https://" HOST "/rrdp"

/* A scratch directory: DIR/rsync/HOST (the tree) and DIR/rrdp/HOST. */
struct fix {
	char	 dir[64];
	char	 tree[128];
	char	 rrdp[128];
};

static int
rm_entry(const char *p, const struct stat *sb, int type, struct FTW *f)
{
	(void)sb;
	(void)type;
	(void)f;
	return remove(p);
}

static int
setup(void **state)
{
	struct fix *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/test_rrdp.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->tree, sizeof(fx->tree), "%s/rsync/" HOST, fx->dir);
	snprintf(fx->rrdp, sizeof(fx->rrdp), "%s/rrdp/" HOST, fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *fx = *state;

	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* Write content at tree/rel, making directories. */
static void
put(const struct fix *fx, const char *rel, const char *content)
{
	char	 p[512], *s;
	FILE	*fp;

	snprintf(p, sizeof(p), "%s/%s", fx->tree, rel);
	for (s = p + strlen(fx->dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	assert_non_null(fp = fopen(p, "w"));
	fputs(content, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
del(const struct fix *fx, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", fx->tree, rel);
	assert_int_equal(unlink(p), 0);
}

static void
publish(const struct fix *fx, unsigned keep, enum rrdp_fault f)
{
	struct err e = { "" };

	if (rrdp_publish_fault(HOST, fx->tree, fx->rrdp, BASE, keep, 7, f,
	    &e) != 0)
		fail_msg("rrdp_publish_fault: %s", e.msg);
}

static void
sha256_hex(const void *p, size_t n, char out[65])
{
	uint8_t h[32];

	assert_int_equal(EVP_Digest(p, n, h, NULL, EVP_sha256(), NULL), 1);
	hex_encode(h, 32, out);
}

/* Lowercase hex SHA-256 of a file. */
static void
file_hash(const char *path, char out[65])
{
	struct err	 e;
	char		*d;
	size_t		 n;

	if (file_read_all(path, 1 << 30, &d, &n, &e) != 0)
		fail_msg("%s", e.msg);
	sha256_hex(d, n, out);
	free(d);
}

/* An attribute as a malloc'd string, NULL if absent. */
static char *
attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, BAD_CAST name);
}

static int
attr_is(xmlNodePtr n, const char *name, const char *want)
{
	char	*v = attr(n, name);
	int	 ok = v != NULL && strcmp(v, want) == 0;

	xmlFree(v);
	return ok;
}

static uint64_t
attr_u64(xmlNodePtr n, const char *name)
{
	char		*v = attr(n, name);
	uint64_t	 u;

	assert_non_null(v);
	u = strtoull(v, NULL, 10);
	xmlFree(v);
	return u;
}

/* hash= compared case-insensitively with lowercase hex want. */
static void
assert_hash(xmlNodePtr n, const char *want)
{
	char *v = attr(n, "hash");

	assert_non_null(v);
	assert_int_equal(strlen(v), 64);
	if (strcasecmp(v, want) != 0)
		fail_msg("hash=%s, want %s", v, want);
	xmlFree(v);
}

/* Parse path; the root must be name in the RRDP namespace, version 1. */
static xmlDocPtr
load(const char *path, const char *name)
{
	xmlDocPtr	doc;
	xmlNodePtr	r;

	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (doc == NULL)
		fail_msg("%s does not parse", path);
	r = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)r->name, name);
	assert_non_null(r->ns);
	assert_string_equal((const char *)r->ns->href, RRDP_XMLNS);
	assert_true(attr_is(r, "version", "1"));
	return doc;
}

/* Local path of a URI under BASE. */
static void
local(const struct fix *fx, const char *uri, char *out, size_t n)
{
	assert_int_equal(strncmp(uri, BASE "/", strlen(BASE) + 1), 0);
	snprintf(out, n, "%s/%s", fx->rrdp, uri + strlen(BASE) + 1);
}

/* The file a snapshot/delta element of the notification names, checked. */
static void
check_listed(const struct fix *fx, xmlNodePtr n, const char *session,
    uint64_t serial, const char *fname, char *path, size_t pathlen)
{
	char	*uri = attr(n, "uri"), want[256], h[65];

	snprintf(want, sizeof(want), BASE "/%s/%" PRIu64 "/%s", session,
	    serial, fname);
	assert_non_null(uri);
	assert_string_equal(uri, want);
	local(fx, uri, path, pathlen);
	xmlFree(uri);
	file_hash(path, h);
	assert_hash(n, h);
}

/* The content of a <publish> element must be the base64 of tree/rel. */
static void
check_content(const struct fix *fx, xmlNodePtr n, const char *rel)
{
	struct err	 e;
	char		 p[512], *want, *b64 = (char *)xmlNodeGetContent(n);
	uint8_t		*got;
	size_t		 glen, wlen;

	snprintf(p, sizeof(p), "%s/%s", fx->tree, rel);
	assert_int_equal(file_read_all(p, 1 << 20, &want, &wlen, &e), 0);
	assert_non_null(got = base64_decode(b64, strlen(b64), 0, &glen));
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	free(got);
	free(want);
	xmlFree(b64);
}

/* The URI of tree/rel. */
static const char *
uri_of(const char *rel)
{
	static char u[512];

	snprintf(u, sizeof(u), "rsync://" HOST "/%s", rel);
	return u;
}

struct notif {
	xmlDocPtr	 doc;
	char		 session[64];
	uint64_t	 serial;
	char		 snapshot[512];	/* local path */
	xmlNodePtr	 deltas[16];
	size_t		 ndeltas;
};

/* Load and check the notification: hashes and names of what it lists. */
static void
notif_load(const struct fix *fx, struct notif *nt)
{
	char		 p[512], *s;
	xmlNodePtr	 r, c;
	int		 nsnap = 0;

	memset(nt, 0, sizeof(*nt));
	snprintf(p, sizeof(p), "%s/notification.xml", fx->rrdp);
	nt->doc = load(p, "notification");
	r = xmlDocGetRootElement(nt->doc);
	s = attr(r, "session_id");
	assert_non_null(s);
	snprintf(nt->session, sizeof(nt->session), "%s", s);
	xmlFree(s);
	nt->serial = attr_u64(r, "serial");
	for (c = r->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "snapshot") == 0) {
			nsnap++;
			check_listed(fx, c, nt->session, nt->serial,
			    "snapshot.xml", nt->snapshot, sizeof(nt->snapshot));
		} else {
			assert_string_equal((const char *)c->name, "delta");
			assert_true(nt->ndeltas < 16);
			check_listed(fx, c, nt->session, attr_u64(c, "serial"),
			    "delta.xml", p, sizeof(p));
			nt->deltas[nt->ndeltas++] = c;
		}
	}
	assert_int_equal(nsnap, 1);
}

/* The snapshot must hold exactly the n files rels, in any order. */
static void
check_snapshot(const struct fix *fx, const struct notif *nt,
    const char **rels, size_t n)
{
	xmlDocPtr	 doc = load(nt->snapshot, "snapshot");
	xmlNodePtr	 r = xmlDocGetRootElement(doc), c;
	size_t		 seen = 0, i;
	char		*u;

	assert_true(attr_is(r, "session_id", nt->session));
	assert_int_equal(attr_u64(r, "serial"), nt->serial);
	for (c = r->children; c != NULL; c = c->next) {
		assert_string_equal((const char *)c->name, "publish");
		assert_null(xmlHasProp(c, BAD_CAST "hash"));
		u = attr(c, "uri");
		for (i = 0; i < n && strcmp(u, uri_of(rels[i])) != 0; i++)
			;
		if (i == n)
			fail_msg("unexpected %s in the snapshot", u);
		check_content(fx, c, rels[i]);
		xmlFree(u);
		seen++;
	}
	assert_int_equal(seen, n);
	xmlFreeDoc(doc);
}

static int
is_uuid4(const char *s)
{
	static const char pat[] = "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx";

	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (pat[i] == '-' || pat[i] == '4') {
			if (s[i] != pat[i])
				return 0;
		} else if (pat[i] == 'V') {
			if (strchr("89ab", s[i]) == NULL)
				return 0;
		} else if (strchr("0123456789abcdef", s[i]) == NULL)
			return 0;
	}
	return 1;
}

#define GEN1_MFT "manifest \x01\x02\xff binary"

static const char *gen1[] = { "repo/ta.cer", "repo/a/b.roa", "other/x.mft" };

static void
make_gen1(const struct fix *fx)
{
	put(fx, "repo/ta.cer", "TA certificate bytes\n");
	put(fx, "repo/a/b.roa", "ROA one");
	put(fx, "other/x.mft", GEN1_MFT);
}

/* First publish: serial 1, snapshot only, exact objects. */
static void
test_first(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	char		 p[512];

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	notif_load(fx, &nt);
	assert_true(is_uuid4(nt.session));
	assert_int_equal(nt.serial, 1);
	assert_int_equal(nt.ndeltas, 0);
	snprintf(p, sizeof(p), "%s/%s/1/snapshot.xml", fx->rrdp, nt.session);
	assert_string_equal(nt.snapshot, p);
	check_snapshot(fx, &nt, gen1, 3);
	xmlFreeDoc(nt.doc);
}

/* Change, add, remove: the delta says exactly that, with old hashes. */
static void
test_delta(void **state)
{
	static const char *gen2[] = { "repo/ta.cer", "repo/a/b.roa",
	    "repo/new.crl" };
	struct fix	*fx = *state;
	struct notif	 nt;
	char		 p[512], h[65], session1[64], *u;
	xmlDocPtr	 doc;
	xmlNodePtr	 r, c;
	int		 seen = 0;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	notif_load(fx, &nt);
	snprintf(session1, sizeof(session1), "%s", nt.session);
	xmlFreeDoc(nt.doc);

	put(fx, "repo/a/b.roa", "ROA one, reissued");
	put(fx, "repo/new.crl", "a new CRL");
	del(fx, "other/x.mft");
	publish(fx, 5, RRDP_FAULT_NONE);
	notif_load(fx, &nt);
	assert_string_equal(nt.session, session1);
	assert_int_equal(nt.serial, 2);
	assert_int_equal(nt.ndeltas, 1);
	assert_int_equal(attr_u64(nt.deltas[0], "serial"), 2);
	check_snapshot(fx, &nt, gen2, 3);
	snprintf(p, sizeof(p), "%s/%s/1/snapshot.xml", fx->rrdp, nt.session);
	assert_int_not_equal(access(p, F_OK), 0);	/* old one removed */

	snprintf(p, sizeof(p), "%s/%s/2/delta.xml", fx->rrdp, nt.session);
	doc = load(p, "delta");
	r = xmlDocGetRootElement(doc);
	assert_true(attr_is(r, "session_id", nt.session));
	assert_int_equal(attr_u64(r, "serial"), 2);
	for (c = r->children; c != NULL; c = c->next, seen++) {
		u = attr(c, "uri");
		if (strcmp(u, uri_of("repo/a/b.roa")) == 0) {
			assert_string_equal((const char *)c->name, "publish");
			sha256_hex("ROA one", 7, h);
			assert_hash(c, h);
			check_content(fx, c, "repo/a/b.roa");
		} else if (strcmp(u, uri_of("repo/new.crl")) == 0) {
			assert_string_equal((const char *)c->name, "publish");
			assert_null(xmlHasProp(c, BAD_CAST "hash"));
			check_content(fx, c, "repo/new.crl");
		} else if (strcmp(u, uri_of("other/x.mft")) == 0) {
			assert_string_equal((const char *)c->name, "withdraw");
			sha256_hex(GEN1_MFT, strlen(GEN1_MFT), h);
			assert_hash(c, h);
		} else
			fail_msg("unexpected %s in the delta", u);
		xmlFree(u);
	}
	assert_int_equal(seen, 3);
	xmlFreeDoc(doc);
	xmlFreeDoc(nt.doc);
}

/* Nothing changed: nothing written, the serial stays. */
static void
test_unchanged(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;

	struct err	 e;
	char		 p[512], *a, *b;
	size_t		 na, nb;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	snprintf(p, sizeof(p), "%s/notification.xml", fx->rrdp);
	assert_int_equal(file_read_all(p, 1 << 20, &a, &na, &e), 0);
	publish(fx, 5, RRDP_FAULT_NONE);
	notif_load(fx, &nt);
	assert_int_equal(nt.serial, 1);
	assert_int_equal(nt.ndeltas, 0);
	xmlFreeDoc(nt.doc);

	/* Bombs are undone by a publish of an unchanged tree. */
	assert_int_equal(rrdp_fault_entity_bomb(fx->rrdp, &e), 0);
	assert_int_equal(rrdp_fault_gzip_bomb(fx->rrdp, 1000, &e), 0);
	publish(fx, 5, RRDP_FAULT_NONE);
	assert_int_equal(file_read_all(p, 1 << 20, &b, &nb, &e), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	strcat(p, ".gz");
	assert_int_not_equal(access(p, F_OK), 0);
	free(a);
	free(b);
}

/* keep_deltas bounds the list; files out of the window are removed. */
static void
test_window(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	char		 p[512], v[32];

	make_gen1(fx);
	publish(fx, 2, RRDP_FAULT_NONE);
	for (int i = 2; i <= 5; i++) {
		snprintf(v, sizeof(v), "version %d", i);
		put(fx, "repo/ta.cer", v);
		publish(fx, 2, RRDP_FAULT_NONE);
	}
	notif_load(fx, &nt);
	assert_int_equal(nt.serial, 5);
	assert_int_equal(nt.ndeltas, 2);
	assert_int_equal(attr_u64(nt.deltas[0], "serial"), 5);
	assert_int_equal(attr_u64(nt.deltas[1], "serial"), 4);
	snprintf(p, sizeof(p), "%s/%s/3", fx->rrdp, nt.session);
	assert_int_not_equal(access(p, F_OK), 0);
	snprintf(p, sizeof(p), "%s/%s/4/delta.xml", fx->rrdp, nt.session);
	assert_int_equal(access(p, F_OK), 0);
	xmlFreeDoc(nt.doc);
}

/* Same tree and seed: same bytes; another seed or host: another session. */
static void
test_deterministic(void **state)
{
	struct fix	*fx = *state;
	struct err	 e;
	char		 a[512], b[512], *da, *db, *dc;
	size_t		 na, nb, nc;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	snprintf(a, sizeof(a), "%s/notification.xml", fx->rrdp);
	snprintf(b, sizeof(b), "%s/rrdp/again", fx->dir);
	assert_int_equal(rrdp_publish(HOST, fx->tree, b, BASE, 5, 7, &e), 0);
	strcat(b, "/notification.xml");
	assert_int_equal(file_read_all(a, 1 << 20, &da, &na, &e), 0);
	assert_int_equal(file_read_all(b, 1 << 20, &db, &nb, &e), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(da, db, na);

	snprintf(b, sizeof(b), "%s/rrdp/seed8", fx->dir);
	assert_int_equal(rrdp_publish(HOST, fx->tree, b, BASE, 5, 8, &e), 0);
	strcat(b, "/notification.xml");
	assert_int_equal(file_read_all(b, 1 << 20, &dc, &nc, &e), 0);
	assert_null(strstr(dc, strstr(da, "session_id=")));
	free(da);
	free(db);
	free(dc);
}

/* Errors: a file outside a module; a name no URI can carry. */
static void
test_refused(void **state)
{
	struct fix	*fx = *state;
	struct err	 e;

	put(fx, "loose.cer", "x");
	assert_int_equal(rrdp_publish(HOST, fx->tree, fx->rrdp, BASE, 5, 7,
	    &e), -1);
	assert_non_null(strstr(e.msg, "outside any module"));
	del(fx, "loose.cer");
	put(fx, "repo/with space.cer", "x");
	assert_int_equal(rrdp_publish(HOST, fx->tree, fx->rrdp, BASE, 5, 7,
	    &e), -1);
	assert_non_null(strstr(e.msg, "cannot be an rsync URI"));
}

static void
step(const struct fix *fx, const char *content, enum rrdp_fault f)
{
	put(fx, "repo/a/b.roa", content);
	publish(fx, 5, f);
}

/* The notification's hash of the newest delta is wrong, only it. */
static void
test_fault_delta_hash(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	char		 p[512], h[65], *v;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	step(fx, "v2", RRDP_FAULT_NONE);
	step(fx, "v3", RRDP_FAULT_DELTA_HASH);
	snprintf(p, sizeof(p), "%s/notification.xml", fx->rrdp);
	nt.doc = load(p, "notification");
	for (xmlNodePtr c = xmlDocGetRootElement(nt.doc)->children; c;
	    c = c->next) {
		if (strcmp((const char *)c->name, "delta") != 0)
			continue;
		v = attr(c, "uri");
		local(fx, v, p, sizeof(p));
		file_hash(p, h);
		xmlFree(v);
		v = attr(c, "hash");
		if (attr_u64(c, "serial") == 3)
			assert_int_not_equal(strcasecmp(v, h), 0);
		else
			assert_int_equal(strcasecmp(v, h), 0);
		xmlFree(v);
	}
	xmlFreeDoc(nt.doc);
	step(fx, "v4", RRDP_FAULT_NONE);	/* all true again */
	notif_load(fx, &nt);
	assert_int_equal(nt.ndeltas, 3);
	xmlFreeDoc(nt.doc);
}

/* The delta's element hash is wrong; the notification is right. */
static void
test_fault_element_hash(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	struct err	 e;
	char		 p[512], h[65];
	xmlDocPtr	 doc;
	xmlNodePtr	 c;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	put(fx, "repo/only-new.cer", "new");
	assert_int_equal(rrdp_publish_fault(HOST, fx->tree, fx->rrdp, BASE,
	    5, 7, RRDP_FAULT_DELTA_ELEMENT_HASH, &e), -1);
	assert_non_null(strstr(e.msg, "no file changed or removed"));
	step(fx, "v2", RRDP_FAULT_DELTA_ELEMENT_HASH);
	notif_load(fx, &nt);		/* the notification is consistent */
	snprintf(p, sizeof(p), "%s/%s/2/delta.xml", fx->rrdp, nt.session);
	doc = load(p, "delta");
	for (c = xmlDocGetRootElement(doc)->children; c; c = c->next)
		if (xmlHasProp(c, BAD_CAST "hash") != NULL)
			break;
	assert_non_null(c);
	sha256_hex("ROA one", 7, h);
	{
		char *v = attr(c, "hash");

		assert_int_not_equal(strcasecmp(v, h), 0);
		xmlFree(v);
	}
	xmlFreeDoc(doc);
	xmlFreeDoc(nt.doc);
}

/* Session change: serial 1, snapshot only, the old session's files gone. */
static void
test_fault_session(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	char		 old[64], p[512];

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	step(fx, "v2", RRDP_FAULT_NONE);
	notif_load(fx, &nt);
	snprintf(old, sizeof(old), "%s", nt.session);
	xmlFreeDoc(nt.doc);
	publish(fx, 5, RRDP_FAULT_SESSION);
	notif_load(fx, &nt);
	assert_true(is_uuid4(nt.session));
	assert_string_not_equal(nt.session, old);
	assert_int_equal(nt.serial, 1);
	assert_int_equal(nt.ndeltas, 0);
	snprintf(p, sizeof(p), "%s/%s", fx->rrdp, old);
	assert_int_not_equal(access(p, F_OK), 0);
	xmlFreeDoc(nt.doc);
	step(fx, "v3", RRDP_FAULT_NONE);	/* the new session goes on */
	notif_load(fx, &nt);
	assert_int_equal(nt.serial, 2);
	assert_int_equal(nt.ndeltas, 1);
	xmlFreeDoc(nt.doc);
}

/* Serial gap: N+1 never exists; delta N+2 holds the change since N. */
static void
test_fault_serial_gap(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	step(fx, "v2", RRDP_FAULT_NONE);
	step(fx, "v3", RRDP_FAULT_SERIAL_GAP);
	notif_load(fx, &nt);
	assert_int_equal(nt.serial, 4);
	assert_int_equal(nt.ndeltas, 2);
	assert_int_equal(attr_u64(nt.deltas[0], "serial"), 4);
	assert_int_equal(attr_u64(nt.deltas[1], "serial"), 2);
	xmlFreeDoc(nt.doc);
}

/* A publish URI with "..": in the snapshot, never in the state. */
static void
test_fault_dotdot(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	char		*d;
	size_t		 n;
	struct err	 e;
	char		 p[512];

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	step(fx, "v2", RRDP_FAULT_DOTDOT);
	notif_load(fx, &nt);
	assert_int_equal(file_read_all(nt.snapshot, 1 << 20, &d, &n, &e), 0);
	assert_non_null(strstr(d, "uri=\"rsync://" HOST "/other/../../../"));
	free(d);
	snprintf(p, sizeof(p), "%s/%s/2/delta.xml", fx->rrdp, nt.session);
	assert_int_equal(file_read_all(p, 1 << 20, &d, &n, &e), 0);
	assert_non_null(strstr(d, "/../../../repogen-dotdot.txt\">"));
	free(d);
	xmlFreeDoc(nt.doc);
	step(fx, "v3", RRDP_FAULT_NONE);
	notif_load(fx, &nt);
	assert_int_equal(file_read_all(nt.snapshot, 1 << 20, &d, &n, &e), 0);
	assert_null(strstr(d, "/../"));
	free(d);
	xmlFreeDoc(nt.doc);
}

/* The entity bomb keeps the real listing; the next publish cleans it. */
static void
test_fault_entity_bomb(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	struct err	 e;
	char		 p[512], *d;
	size_t		 n;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	assert_int_equal(rrdp_fault_entity_bomb(fx->rrdp, &e), 0);
	snprintf(p, sizeof(p), "%s/notification.xml", fx->rrdp);
	assert_int_equal(file_read_all(p, 1 << 20, &d, &n, &e), 0);
	assert_non_null(strstr(d, "<!DOCTYPE notification ["));
	assert_non_null(strstr(d, "<!ENTITY lol9 "));
	assert_non_null(strstr(d, "\n  &lol9;"));
	assert_non_null(strstr(d, "<snapshot uri=\"" BASE "/"));
	free(d);
	step(fx, "v2", RRDP_FAULT_NONE);
	assert_int_equal(file_read_all(p, 1 << 20, &d, &n, &e), 0);
	assert_null(strstr(d, "DOCTYPE"));
	free(d);
	notif_load(fx, &nt);
	xmlFreeDoc(nt.doc);
}

/* The gzip bomb: small on the wire, inflates to the asked size. */
static void
test_fault_gzip_bomb(void **state)
{
	struct fix	*fx = *state;
	struct err	 e;
	char		 p[512], *d, buf[65536];
	size_t		 n, total = 0;
	z_stream	 z;
	int		 r;
	uint64_t	 want = 64u << 20;

	make_gen1(fx);
	publish(fx, 5, RRDP_FAULT_NONE);
	assert_int_equal(rrdp_fault_gzip_bomb(fx->rrdp, want, &e), 0);
	snprintf(p, sizeof(p), "%s/notification.xml.gz", fx->rrdp);
	assert_int_equal(file_read_all(p, 1 << 20, &d, &n, &e), 0);
	assert_true(n < want / 500);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (unsigned char *)d;
	z.avail_in = (uInt)n;
	do {
		z.next_out = (unsigned char *)buf;
		z.avail_out = sizeof(buf);
		r = inflate(&z, Z_NO_FLUSH);
		assert_true(r == Z_OK || r == Z_STREAM_END);
		if (total == 0)
			assert_int_equal(strncmp(buf, "<?xml", 5), 0);
		total += sizeof(buf) - z.avail_out;
	} while (r != Z_STREAM_END);
	inflateEnd(&z);
	assert_true(total > want && total < want + 1024);
	free(d);
	step(fx, "v2", RRDP_FAULT_NONE);
	assert_int_not_equal(access(p, F_OK), 0);
}

/* Faults that need a previous serial refuse to run without one. */
static void
test_fault_needs_serial(void **state)
{
	struct fix	*fx = *state;
	struct err	 e;

	make_gen1(fx);
	assert_int_equal(rrdp_publish_fault(HOST, fx->tree, fx->rrdp, BASE,
	    5, 7, RRDP_FAULT_SERIAL_GAP, &e), -1);
	assert_non_null(strstr(e.msg, "needs a previous serial"));
}

/*
 * The shape of a file: "element@attr,attr" for every element, sorted
 * and unique, with hash values checked to be 64 hex digits.
 */
static void
shape_add(xmlNodePtr n, char *out, size_t len)
{
	char	 line[256];
	size_t	 l;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		snprintf(line, sizeof(line), "%s@", n->name);
		for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
			l = strlen(line);
			snprintf(line + l, sizeof(line) - l, "%s%s",
			    a == n->properties ? "" : ",", a->name);
		}
		l = strlen(line);
		snprintf(line + l, sizeof(line) - l, ";");
		if (strstr(out, line) == NULL &&
		    strlen(out) + strlen(line) < len)
			strcat(out, line);
		shape_add(n->children, out, len);
	}
}

static void
shape(const char *path, char *out, size_t len)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);

	assert_non_null(doc);
	out[0] = '\0';
	shape_add(xmlDocGetRootElement(doc), out, len);
	xmlFreeDoc(doc);
}

/* Each element@attributes of ours appears in RIPE NCC's file. */
static void
assert_shape_in(const char *ours, const char *ripe)
{
	char	 a[1024], b[1024], *tok, *save = NULL;

	shape(ours, a, sizeof(a));
	shape(ripe, b, sizeof(b));
	for (tok = strtok_r(a, ";", &save); tok != NULL;
	    tok = strtok_r(NULL, ";", &save)) {
		char want[256];

		snprintf(want, sizeof(want), "%s;", tok);
		if (strstr(b, want) == NULL)
			fail_msg("%s: <%s> is not in RIPE NCC's shape %s",
			    ours, tok, b);
	}
}

/*
 * RIPE NCC's snapshot republished: the same URIs with the same bytes,
 * and our notification, snapshot and delta shaped like RIPE NCC's.
 */
static void
test_ripe(void **state)
{
	struct fix	*fx = *state;
	struct notif	 nt;
	xmlDocPtr	 doc;
	xmlNodePtr	 c;
	char		*u, *b64, p[1024], rel[512];
	uint8_t		*bytes;
	size_t		 len, n = 0;
	FILE		*fp;

	doc = load(SHARED_DIR "/fixtures/rrdp/ripe-snapshot.xml", "snapshot");
	snprintf(fx->tree, sizeof(fx->tree), "%s/rsync/rpki.ripe.net",
	    fx->dir);
	for (c = xmlDocGetRootElement(doc)->children; c; c = c->next, n++) {
		u = attr(c, "uri");
		assert_int_equal(strncmp(u, "rsync://rpki.ripe.net/", 22), 0);
		snprintf(rel, sizeof(rel), "%s", u + 22);
		b64 = (char *)xmlNodeGetContent(c);
		/* RIPE NCC indents the base64: drop the white space. */
		len = 0;
		for (char *s = b64; *s; s++)
			if (strchr(" \t\r\n", *s) == NULL)
				b64[len++] = *s;
		b64[len] = '\0';
		assert_non_null(bytes = base64_decode(b64, len, 0, &len));
		put(fx, rel, "");
		snprintf(p, sizeof(p), "%s/%s", fx->tree, rel);
		assert_non_null(fp = fopen(p, "w"));
		assert_int_equal(fwrite(bytes, 1, len, fp), len);
		fclose(fp);
		free(bytes);
		xmlFree(b64);
		xmlFree(u);
	}
	xmlFreeDoc(doc);
	assert_true(n > 100);

	struct err e;
	snprintf(fx->rrdp, sizeof(fx->rrdp), "%s/rrdp/rpki.ripe.net", fx->dir);
	if (rrdp_publish("rpki.ripe.net", fx->tree, fx->rrdp, BASE, 5, 1,
	    &e) != 0)
		fail_msg("%s", e.msg);
	notif_load(fx, &nt);
	/* Every object decodes to the bytes RIPE NCC published. */
	doc = load(nt.snapshot, "snapshot");
	len = 0;
	for (c = xmlDocGetRootElement(doc)->children; c; c = c->next, len++) {
		u = attr(c, "uri");
		check_content(fx, c, u + 22);
		xmlFree(u);
	}
	assert_int_equal(len, n);
	xmlFreeDoc(doc);
	assert_shape_in(nt.snapshot, SHARED_DIR
	    "/fixtures/rrdp/ripe-snapshot.xml");
	xmlFreeDoc(nt.doc);

	/* One generation on, for a notification with a delta. */
	snprintf(p, sizeof(p), "%s", nt.snapshot);
	snprintf(rel, sizeof(rel), "%s/repository/extra.roa", fx->tree);
	assert_non_null(fp = fopen(rel, "w"));
	fclose(fp);
	if (rrdp_publish("rpki.ripe.net", fx->tree, fx->rrdp, BASE, 5, 1,
	    &e) != 0)
		fail_msg("%s", e.msg);
	snprintf(p, sizeof(p), "%s/notification.xml", fx->rrdp);
	assert_shape_in(p, SHARED_DIR "/fixtures/rrdp/ripe-notification.xml");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_delta_hash, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fault_element_hash, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fault_session, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fault_serial_gap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fault_dotdot, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fault_entity_bomb, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fault_gzip_bomb, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fault_needs_serial, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ripe, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
