/*
 * rrdp_xml.c - the RFC 8182 files themselves: snapshot, delta and
 * notification, written with libxml2's xmlTextWriter into an atomic file
 * while their SHA-256 is computed (the notification lists it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <openssl/evp.h>

#include "buf.h"
#include "encoding.h"
#include "fileio.h"
#include "rrdp_impl.h"

static int
xsink_write(void *ctx, const char *p, int n)
{
	struct xfile *x = ctx;

	if (n > 0 && (fwrite(p, 1, (size_t)n, x->af.fp) != (size_t)n ||
	    EVP_DigestUpdate(x->md, p, (size_t)n) != 1)) {
		x->bad = 1;
		return -1;
	}
	return n;
}

static int
xsink_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Start writing an XML document to path.  Returns 0, or -1 with e. */
static int
xfile_open(struct xfile *x, const char *path, struct err *e)
{
	xmlOutputBufferPtr out;

	memset(x, 0, sizeof(*x));
	if (atomic_open(&x->af, path, e) == -1)
		return -1;
	if ((x->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(x->md, EVP_sha256(), NULL) != 1 ||
	    (out = xmlOutputBufferCreateIO(xsink_write, xsink_close, x,
	    NULL)) == NULL) {
		EVP_MD_CTX_free(x->md);
		atomic_abort(&x->af);
		return err_set(e, "%s: out of memory", path);
	}
	if ((x->w = xmlNewTextWriter(out)) == NULL) {	/* owns out now */
		xmlOutputBufferClose(out);
		EVP_MD_CTX_free(x->md);
		atomic_abort(&x->af);
		return err_set(e, "%s: out of memory", path);
	}
	xmlTextWriterSetIndent(x->w, 1);
	xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
	if (xmlTextWriterStartDocument(x->w, NULL, "US-ASCII", NULL) < 0)
		x->bad = 1;
	return 0;
}

/* End the document, commit the file, give its SHA-256.  0 or -1 with e. */
static int
xfile_close(struct xfile *x, uint8_t hash[HASHLEN], struct err *e)
{
	char	*path = x->af.path;

	if (xmlTextWriterEndDocument(x->w) < 0)
		x->bad = 1;
	xmlFreeTextWriter(x->w);		/* flushes through the sink */
	if (EVP_DigestFinal_ex(x->md, hash, NULL) != 1)
		x->bad = 1;
	EVP_MD_CTX_free(x->md);
	if (x->bad) {
		err_set(e, "%s: XML write error", path);
		atomic_abort(&x->af);
		return -1;
	}
	return atomic_commit(&x->af, e);
}

/* Give up on a file being written; the target is untouched. */
static void
xfile_abort(struct xfile *x)
{
	xmlFreeTextWriter(x->w);
	EVP_MD_CTX_free(x->md);
	atomic_abort(&x->af);
}

static void
x_start(struct xfile *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->bad = 1;
}

static void
x_attr(struct xfile *x, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
	    BAD_CAST value) < 0)
		x->bad = 1;
}

static void
x_end(struct xfile *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		x->bad = 1;
}

static void
x_raw(struct xfile *x, const char *s)
{
	if (xmlTextWriterWriteRaw(x->w, BAD_CAST s) < 0)
		x->bad = 1;
}

static void
x_hash(struct xfile *x, const uint8_t *h)
{
	char hex[2 * HASHLEN + 1];

	rrdp_hex(h, hex);
	x_attr(x, "hash", hex);
}

/* The root element: RFC 8182 sections 3.5.1.3, 3.5.2.3, 3.5.3.3. */
static void
x_root(struct xfile *x, const char *name, const char *session,
    uint64_t serial)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRIu64, serial);
	x_start(x, name);
	x_attr(x, "xmlns", RRDP_XMLNS);
	x_attr(x, "version", "1");
	x_attr(x, "session_id", session);
	x_attr(x, "serial", s);
}

/*
 * A <publish> element: uri, hash of the replaced content if any, and the
 * base64 of the file, re-read and checked against the hash taken by walk
 * so a tree changing under us is an error, not a wrong hash.
 */
static int
x_publish(struct xfile *x, const struct rfile *f, const uint8_t *oldhash,
    struct err *e)
{
	uint8_t	 h[HASHLEN];
	char	*data = NULL, *b64;
	size_t	 len;

	if (f->data != NULL) {
		len = strlen(f->data);
	} else if (file_read_all(f->path, RRDP_MAX_OBJECT, &data, &len,
	    e) == -1)
		return -1;
	if (rrdp_sha256(data ? data : f->data, len, h) == -1 ||
	    memcmp(h, f->hash, HASHLEN) != 0) {
		free(data);
		return err_set(e, "%s: changed while being published",
		    f->path ? f->path : f->uri);
	}
	b64 = base64_encode((const uint8_t *)(data ? data : f->data), len, 0);
	free(data);
	if (b64 == NULL)
		return err_set(e, "%s: out of memory", f->uri);
	x_start(x, "publish");
	x_attr(x, "uri", f->uri);
	if (oldhash != NULL)
		x_hash(x, oldhash);
	if (xmlTextWriterWriteString(x->w, BAD_CAST b64) < 0)
		x->bad = 1;
	x_end(x);
	free(b64);
	return 0;
}

/* Write the snapshot of files (RFC 8182 section 3.5.2). */
int
rrdp_snapshot_write(const char *path, const char *session, uint64_t serial,
    const struct rlist *files, uint8_t hash[HASHLEN], struct err *e)
{
	struct xfile x;

	if (xfile_open(&x, path, e) == -1)
		return -1;
	x_root(&x, "snapshot", session, serial);
	for (size_t i = 0; i < files->n; i++) {
		if (x_publish(&x, &files->v[i], NULL, e) == -1) {
			xfile_abort(&x);
			return -1;
		}
	}
	x_end(&x);
	return xfile_close(&x, hash, e);
}

/*
 * Write a delta (RFC 8182 section 3.5.3).  With badhash, the first
 * element carrying a hash gets a wrong one (RRDP_FAULT_DELTA_ELEMENT_HASH).
 */
int
rrdp_delta_write(const char *path, const char *session, uint64_t serial,
    const struct rchange *c, size_t n, int badhash, uint8_t hash[HASHLEN],
    struct err *e)
{
	struct xfile	 x;
	uint8_t		 wrong[HASHLEN];
	const uint8_t	*oh;

	if (xfile_open(&x, path, e) == -1)
		return -1;
	x_root(&x, "delta", session, serial);
	for (size_t i = 0; i < n; i++) {
		oh = c[i].oldhash;
		if (badhash && oh != NULL) {
			memcpy(wrong, oh, HASHLEN);
			wrong[0] ^= 0xff;
			oh = wrong;
			badhash = 0;
		}
		if (c[i].file == NULL) {
			x_start(&x, "withdraw");
			x_attr(&x, "uri", c[i].uri);
			x_hash(&x, oh);
			x_end(&x);
		} else if (x_publish(&x, c[i].file, oh, e) == -1) {
			xfile_abort(&x);
			return -1;
		}
	}
	x_end(&x);
	return xfile_close(&x, hash, e);
}

/*
 * The billion laughs, rooted at <notification>: lol9 expands to 10^9
 * "lol", 3 GB, from under 1 kB.  NULL on out of memory.
 */
static char *
entity_bomb_dtd(void)
{
	struct buf b = { 0 };

	buf_puts(&b, "<!DOCTYPE notification [\n <!ENTITY lol \"lol\">\n");
	for (int i = 1; i <= 9; i++) {
		buf_printf(&b, " <!ENTITY lol%d \"", i);
		for (int k = 0; k < 10; k++)
			buf_printf(&b, "&lol%.0d;", i - 1);
		buf_puts(&b, "\">\n");
	}
	buf_puts(&b, "]>\n");
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* "<base>/<session>/<serial>/<name>", malloc'd; NULL on out of memory. */
static char *
file_uri(const char *base, const char *session, uint64_t serial,
    const char *name)
{
	size_t	 n = strlen(base);
	char	*s;

	while (n > 0 && base[n - 1] == '/')
		n--;
	if (asprintf(&s, "%.*s/%s/%" PRIu64 "/%s", (int)n, base, session,
	    serial, name) == -1)
		return NULL;
	return s;
}

/*
 * Write rrdp_root/notification.xml from st (RFC 8182 section 3.5.1):
 * the snapshot, then the deltas newest first, as RIPE NCC lists them.
 */
int
rrdp_notification_write(const char *rrdp_root, const struct rstate *st,
    enum notif_fault fault, struct err *e)
{
	struct xfile	 x;
	uint8_t		 h[HASHLEN];
	char		*path, *uri, *dtd, s[24];
	int		 rc = -1;

	if ((path = rrdp_path_join(rrdp_root, "notification.xml")) == NULL)
		return err_set(e, "out of memory");
	if (xfile_open(&x, path, e) == -1)
		goto out;
	if (fault == NOTIF_ENTITY_BOMB) {
		if ((dtd = entity_bomb_dtd()) == NULL)
			x.bad = 1;
		x_raw(&x, dtd ? dtd : "");
		free(dtd);
	}
	x_root(&x, "notification", st->session, st->serial);
	if (fault == NOTIF_ENTITY_BOMB)
		x_raw(&x, "\n  &lol9;");
	if ((uri = file_uri(st->base, st->session, st->serial,
	    "snapshot.xml")) == NULL)
		x.bad = 1;
	x_start(&x, "snapshot");
	x_attr(&x, "uri", uri ? uri : "");
	x_hash(&x, st->snapshot);
	x_end(&x);
	free(uri);
	for (size_t i = st->ndeltas; i-- > 0; ) {
		memcpy(h, st->deltas[i].hash, HASHLEN);
		if (fault == NOTIF_DELTA_HASH && i == st->ndeltas - 1)
			h[0] ^= 0xff;
		snprintf(s, sizeof(s), "%" PRIu64, st->deltas[i].serial);
		if ((uri = file_uri(st->base, st->session,
		    st->deltas[i].serial, "delta.xml")) == NULL)
			x.bad = 1;
		x_start(&x, "delta");
		x_attr(&x, "serial", s);
		x_attr(&x, "uri", uri ? uri : "");
		x_hash(&x, h);
		x_end(&x);
		free(uri);
	}
	x_end(&x);
	rc = xfile_close(&x, h, e);
 out:
	free(path);
	return rc;
}

