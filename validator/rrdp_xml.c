/*
 * rrdp_xml.c - RFC 8182's three files read with libxml2's streaming
 * reader (xmlTextReader): the notification, and the snapshot and deltas
 * element by element, so a snapshot of any size is read in constant
 * memory but for one element at a time (rrdp.h).
 *
 * The reader is given no XML_PARSE_NOENT (entities are not substituted),
 * no XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR or XML_PARSE_DTDVALID (no DTD
 * loaded or used), XML_PARSE_NONET, and not XML_PARSE_HUGE (libxml2's
 * own limits on text nodes and entity amplification stay).  RRDP files
 * have no DOCTYPE (the schema of RFC 8182 section 3.5 has none): the
 * first node of one that does is refused, so its entity declarations are
 * never referenced, let alone expanded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "buf.h"
#include "cache.h"
#include "encoding.h"
#include "rrdp.h"

/* Attribute values longer than this are refused (URIs are shorter). */
#define ATTR_MAX	(CACHE_URI_MAX + 64)

/* RFC 8182 section 3.5: US-ASCII; read as UTF-8, whatever it says. */
/* A file's prolog must end within its first bytes, this many. */
#define PROLOG_MAX	65536

#define XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | \
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | \
			    XML_PARSE_IGNORE_ENC)

#define DOCTYPE_REFUSED	"a DOCTYPE, refused unread: RRDP files have none " \
			    "(RFC 8182 section 3.5), and its entities are " \
			    "never expanded"

/* A reader over one file and what it found wrong. */
struct xr {
	xmlTextReaderPtr r;
	const char	*name;		/* the file's URI, for messages */
	char		 xmlerr[200];	/* libxml2's first error */
};

static void
xr_error(void *arg, xmlErrorPtr err)
{
	struct xr	*x = arg;
	size_t		 n;

	if (x->xmlerr[0] != '\0' || err == NULL || err->message == NULL)
		return;
	snprintf(x->xmlerr, sizeof(x->xmlerr), "line %d: %s", err->line,
	    err->message);
	n = strlen(x->xmlerr);
	while (n > 0 && (x->xmlerr[n - 1] == '\n' || x->xmlerr[n - 1] == ' '))
		x->xmlerr[--n] = '\0';
}

/* Whether the len bytes at p start with s. */
static int
starts(const uint8_t *p, size_t len, const char *s)
{
	size_t	n = strlen(s);

	return len >= n && memcmp(p, s, n) == 0;
}

/*
 * Whether the prolog of the document (XML 1.0 section 2.8: an XML
 * declaration, comments, processing instructions, white space) ends in
 * a DOCTYPE, the one place one may stand.  Looked at before libxml2 sees
 * a byte: its reader parses the prolog and the start of the root
 * element, entity references there included, before it returns the
 * first node.  With lolz-notification.xml, libxml2 2.9.14's own
 * amplification limit stopped the expansion ("Detected an entity
 * reference loop"), but only once it had begun.
 */
/*
 * Walk the prolog of p[0..len): 1 if it ends in a DOCTYPE, 0 if in
 * something else (the root element, or bytes libxml2 will refuse), -1 if
 * it runs past len.
 */
static int
prolog_walk(const uint8_t *p, size_t len)
{
	const uint8_t	*end;
	const char	*close;
	size_t		 i = starts(p, len, "\xEF\xBB\xBF") ? 3 : 0;

	for (;;) {
		while (i < len && (p[i] == ' ' || p[i] == '\t' ||
		    p[i] == '\r' || p[i] == '\n'))
			i++;
		if (i + 9 > len)
			return -1;
		if (starts(p + i, len - i, "<!DOCTYPE"))
			return 1;
		if (starts(p + i, len - i, "<?"))
			close = "?>";
		else if (starts(p + i, len - i, "<!--"))
			close = "-->";
		else
			return 0;
		end = memmem(p + i, len - i, close, strlen(close));
		if (end == NULL)
			return -1;
		i = (size_t)(end - p) + strlen(close);
	}
}

static int
prolog_doctype(const uint8_t *p, size_t len)
{
	return prolog_walk(p, len) == 1;
}

/* Whether the prolog ends within p[0..len). */
static int
prolog_ends(const uint8_t *p, size_t len)
{
	return prolog_walk(p, len) != -1;
}

/*
 * Start reading the document xml[0..len), or with xml NULL the file fd
 * (read as libxml2 goes, so a large snapshot is never in memory whole:
 * its first PROLOG_MAX bytes must hold the prolog, for prolog_doctype).
 */
static int
xr_open(struct xr *x, const char *name, const uint8_t *xml, size_t len,
    int fd, struct err *e)
{
	uint8_t	head[PROLOG_MAX];
	ssize_t	n;

	memset(x, 0, sizeof(*x));
	x->name = name;
	if (xml == NULL) {
		if ((n = pread(fd, head, sizeof(head), 0)) == -1)
			return err_set(e, "%s: %s", name, strerror(errno));
		if (prolog_doctype(head, (size_t)n))
			return err_set(e, "%s: %s", name, DOCTYPE_REFUSED);
		if ((size_t)n == sizeof(head) && !prolog_ends(head, sizeof(head)))
			return err_set(e, "%s: a prolog (declaration, comments) "
			    "longer than %d bytes, refused unread", name,
			    PROLOG_MAX);
		x->r = xmlReaderForFd(fd, NULL, "UTF-8", XML_OPTIONS);
	} else {
		if (len > INT32_MAX)
			return err_set(e, "%s: %zu bytes, more than libxml2 "
			    "reads", name, len);
		if (prolog_doctype(xml, len))
			return err_set(e, "%s: %s", name, DOCTYPE_REFUSED);
		x->r = xmlReaderForMemory((const char *)xml, (int)len, NULL,
		    "UTF-8", XML_OPTIONS);
	}
	if (x->r == NULL)
		return err_set(e, "%s: cannot start the XML reader", name);
	xmlTextReaderSetStructuredErrorHandler(x->r, xr_error, x);
	return 0;
}

static void
xr_close(struct xr *x)
{
	xmlFreeTextReader(x->r);
	x->r = NULL;
}

/* Set e to "NAME: what" (and libxml2's reason if it had one). */
static int __attribute__((format(printf, 3, 4)))
xr_fail(struct xr *x, struct err *e, const char *fmt, ...)
{
	char	msg[ERR_MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (x->xmlerr[0] != '\0')
		return err_set(e, "%s: %s: %s", x->name, msg, x->xmlerr);
	return err_set(e, "%s: %s", x->name, msg);
}

/*
 * The next node that matters: whitespace, comments and processing
 * instructions are passed over; a DOCTYPE or an entity reference is
 * refused.  Returns its type, 0 at the end, or -1 with e.
 */
static int
xr_next(struct xr *x, struct err *e)
{
	int	rc, t;

	for (;;) {
		if ((rc = xmlTextReaderRead(x->r)) == 0)
			return 0;
		if (rc < 0)
			return xr_fail(x, e, "not well-formed XML");
		switch ((t = xmlTextReaderNodeType(x->r))) {
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		case XML_READER_TYPE_COMMENT:
		case XML_READER_TYPE_PROCESSING_INSTRUCTION:
		case XML_READER_TYPE_XML_DECLARATION:
			continue;
		case XML_READER_TYPE_DOCUMENT_TYPE:
			return xr_fail(x, e, "%s", DOCTYPE_REFUSED);
		case XML_READER_TYPE_ENTITY_REFERENCE:
		case XML_READER_TYPE_ENTITY:
			return xr_fail(x, e, "an entity reference, refused "
			    "unexpanded");
		default:
			return t;
		}
	}
}

/* Whether the current element is name in the RRDP namespace. */
static int
xr_is(struct xr *x, const char *name)
{
	const xmlChar	*ns = xmlTextReaderConstNamespaceUri(x->r);
	const xmlChar	*ln = xmlTextReaderConstLocalName(x->r);

	return ns != NULL && ln != NULL &&
	    strcmp((const char *)ns, RRDP_XMLNS) == 0 &&
	    strcmp((const char *)ln, name) == 0;
}

/* The attributes an element may have, filled by xr_attrs. */
struct xattr {
	const char	*name;
	char		*value;		/* NULL: absent */
};

/*
 * Read the current element's attributes into want[0..n) (free with
 * xattr_free); namespace declarations are passed over; an attribute not
 * in want, repeated or longer than ATTR_MAX is refused.  what names the
 * element in messages.  0 or -1 with e.
 */
static int
xr_attrs(struct xr *x, const char *what, struct xattr *want, size_t n,
    struct err *e)
{
	const char	*an, *av;
	size_t		 i;
	int		 rc;

	for (rc = xmlTextReaderMoveToFirstAttribute(x->r); rc == 1;
	    rc = xmlTextReaderMoveToNextAttribute(x->r)) {
		if (xmlTextReaderIsNamespaceDecl(x->r) == 1)
			continue;
		an = (const char *)xmlTextReaderConstName(x->r);
		av = (const char *)xmlTextReaderConstValue(x->r);
		for (i = 0; i < n && an != NULL &&
		    strcmp(want[i].name, an) != 0; i++)
			;
		if (i == n || av == NULL)
			return xr_fail(x, e, "%s: attribute \"%s\": want only "
			    "those of RFC 8182 section 3.5", what,
			    an ? an : "?");
		if (want[i].value != NULL)
			return xr_fail(x, e, "%s: attribute %s twice", what,
			    an);
		if (strlen(av) > ATTR_MAX)
			return xr_fail(x, e, "%s: attribute %s: longer than %d "
			    "bytes", what, an, ATTR_MAX);
		if ((want[i].value = strdup(av)) == NULL)
			return err_set(e, "out of memory");
	}
	if (rc < 0)
		return xr_fail(x, e, "%s: attributes: not well-formed", what);
	xmlTextReaderMoveToElement(x->r);
	return 0;
}

static void
xattr_free(struct xattr *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(a[i].value);
		a[i].value = NULL;
	}
}

int
rrdp_serial_parse(const char *s, uint64_t *out)
{
	uint64_t	v = 0;

	if (s == NULL || *s < '1' || *s > '9')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int
rrdp_session_ok(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != RRDP_SESSION_LEN)
		return 0;
	for (i = 0; i < RRDP_SESSION_LEN; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    strchr("0123456789abcdefABCDEF", s[i]) == NULL || !s[i])
			return 0;
	return 1;
}

int
rrdp_hash_parse(const char *hex, uint8_t out[RRDP_HASH_LEN])
{
	if (hex == NULL || strlen(hex) != 2 * RRDP_HASH_LEN)
		return -1;
	return hex_decode(hex, 2 * RRDP_HASH_LEN, out, RRDP_HASH_LEN) ==
	    RRDP_HASH_LEN ? 0 : -1;
}

/*
 * The root element of every file: name, version 1, session_id and
 * serial (RFC 8182 sections 3.5.1.3, 3.5.2.3, 3.5.3.3).
 */
static int
xr_root(struct xr *x, const char *name, char session[RRDP_SESSION_LEN + 1],
    uint64_t *serial, struct err *e)
{
	struct xattr	a[] = {
		{ "version", NULL }, { "session_id", NULL }, { "serial", NULL },
	};
	int		rc = -1, t;

	if ((t = xr_next(x, e)) == -1)
		return -1;
	if (t != XML_READER_TYPE_ELEMENT || !xr_is(x, name))
		return xr_fail(x, e, "want a <%s> element in namespace %s "
		    "(RFC 8182 section 3.5)", name, RRDP_XMLNS);
	if (xr_attrs(x, name, a, 3, e) == -1)
		goto out;
	if (a[0].value == NULL || strcmp(a[0].value, "1") != 0)
		xr_fail(x, e, "<%s>: version: want 1, have %s", name,
		    a[0].value ? a[0].value : "none");
	else if (!rrdp_session_ok(a[1].value))
		xr_fail(x, e, "<%s>: session_id: want a UUID (RFC 8182 "
		    "section 3.5), have %.40s", name, a[1].value ? a[1].value :
		    "none");
	else if (rrdp_serial_parse(a[2].value, serial) == -1)
		xr_fail(x, e, "<%s>: serial: want a positive integer, have "
		    "%.30s", name, a[2].value ? a[2].value : "none");
	else {
		memcpy(session, a[1].value, RRDP_SESSION_LEN + 1);
		rc = 0;
	}
 out:
	xattr_free(a, 3);
	return rc;
}

/*
 * After an element that may not hold anything (empty, or only white
 * space), its end.  0 or -1 with e.
 */
static int
xr_empty(struct xr *x, const char *what, struct err *e)
{
	int	t;

	if (xmlTextReaderIsEmptyElement(x->r))
		return 0;
	if ((t = xr_next(x, e)) == -1)
		return -1;
	if (t != XML_READER_TYPE_END_ELEMENT)
		return xr_fail(x, e, "%s: want no content", what);
	return 0;
}

/* After the root's end: nothing but the end of the document. */
static int
xr_end(struct xr *x, struct err *e)
{
	int	t;

	if ((t = xr_next(x, e)) == -1)
		return -1;
	if (t != 0)
		return xr_fail(x, e, "content after the root element");
	return 0;
}

/*
 * Whether https URI a has the scheme, host and port of b (RFC 6454
 * origin; the host in any case).
 */
static int
same_origin(const char *a, const char *b)
{
	size_t	na, nb;

	if (strncasecmp(a, "https://", 8) != 0 ||
	    strncasecmp(b, "https://", 8) != 0)
		return 0;
	na = strcspn(a + 8, "/?#");
	nb = strcspn(b + 8, "/?#");
	return na > 0 && na == nb && strncasecmp(a + 8, b + 8, na) == 0;
}

/* A <snapshot> or <delta> of a notification into r. */
static int
notify_ref(struct xr *x, const char *what, int delta,
    const char *notify, struct rrdp_ref *r, struct err *e)
{
	struct xattr	a[] = {
		{ "uri", NULL }, { "hash", NULL }, { "serial", NULL },
	};
	size_t		na = delta ? 3 : 2;
	int		rc = -1;

	if (xr_attrs(x, what, a, na, e) == -1)
		goto out;
	if (delta && rrdp_serial_parse(a[2].value, &r->serial) == -1)
		xr_fail(x, e, "%s: serial: want a positive integer, have %.30s",
		    what, a[2].value ? a[2].value : "none");
	else if (a[0].value == NULL || !same_origin(a[0].value, notify))
		xr_fail(x, e, "%s: uri %.200s: want an https URI on the "
		    "notification's own host", what, a[0].value ? a[0].value :
		    "none");
	else if (rrdp_hash_parse(a[1].value, r->hash) == -1)
		xr_fail(x, e, "%s: hash: want 64 hex digits of SHA-256 (RFC "
		    "8182 section 3.5.1.3), have %.80s", what, a[1].value ?
		    a[1].value : "none");
	else if (xr_empty(x, what, e) == 0) {
		r->uri = a[0].value;
		a[0].value = NULL;
		rc = 0;
	}
 out:
	xattr_free(a, na);
	return rc;
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct rrdp_ref *ra = a, *rb = b;

	return ra->serial < rb->serial ? -1 : ra->serial > rb->serial;
}

/* Sort the deltas; each serial once, none after the notification's. */
static int
deltas_check(struct xr *x, struct rrdp_notify *n, struct err *e)
{
	size_t	i;

	if (n->ndeltas > 1)
		qsort(n->deltas, n->ndeltas, sizeof(*n->deltas), ref_cmp);
	for (i = 0; i < n->ndeltas; i++) {
		if (i > 0 && n->deltas[i].serial == n->deltas[i - 1].serial)
			return xr_fail(x, e, "<delta serial=\"%llu\">: listed "
			    "twice", (unsigned long long)n->deltas[i].serial);
		if (n->deltas[i].serial > n->serial)
			return xr_fail(x, e, "<delta serial=\"%llu\">: after "
			    "the notification's serial %llu (RFC 8182 section "
			    "3.5.1.3)", (unsigned long long)n->deltas[i].serial,
			    (unsigned long long)n->serial);
	}
	return 0;
}

/* The children of <notification>, up to its end. */
static int
notify_children(struct xr *x, const char *uri, struct rrdp_notify *n,
    struct err *e)
{
	struct rrdp_ref	*d;
	int		 t, snap = 0;

	while ((t = xr_next(x, e)) != XML_READER_TYPE_END_ELEMENT) {
		if (t == -1)
			return -1;
		if (t != XML_READER_TYPE_ELEMENT)
			return xr_fail(x, e, "<notification>: want only "
			    "<snapshot> and <delta> elements in it");
		if (xr_is(x, "snapshot")) {
			if (snap++)
				return xr_fail(x, e, "a second <snapshot>");
			if (notify_ref(x, "<snapshot>", 0, uri, &n->snapshot,
			    e) == -1)
				return -1;
			n->snapshot.serial = n->serial;
		} else if (xr_is(x, "delta")) {
			if ((d = reallocarray(n->deltas, n->ndeltas + 1,
			    sizeof(*d))) == NULL)
				return err_set(e, "out of memory");
			n->deltas = d;
			memset(&d[n->ndeltas], 0, sizeof(*d));
			if (notify_ref(x, "<delta>", 1, uri, &d[n->ndeltas],
			    e) == -1)
				return -1;
			n->ndeltas++;
		} else
			return xr_fail(x, e, "<%s>: want only <snapshot> and "
			    "<delta> in <notification> (RFC 8182 section "
			    "3.5.1.3)", xmlTextReaderConstName(x->r));
	}
	if (!snap)
		return xr_fail(x, e, "no <snapshot> (RFC 8182 section "
		    "3.5.1.3)");
	return 0;
}

struct rrdp_notify *
rrdp_notify_parse(const char *uri, const uint8_t *xml, size_t len,
    struct err *e)
{
	struct rrdp_notify	*n;
	struct xr		 x;
	int			 ok = 0;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	if (xr_open(&x, uri, xml, len, -1, e) == -1) {
		free(n);
		return NULL;
	}
	if (xr_root(&x, "notification", n->session, &n->serial, e) == 0 &&
	    (xmlTextReaderIsEmptyElement(x.r) ? xr_fail(&x, e, "no "
	    "<snapshot> (RFC 8182 section 3.5.1.3)") : notify_children(&x,
	    uri, n, e)) == 0 && xr_end(&x, e) == 0 &&
	    deltas_check(&x, n, e) == 0)
		ok = 1;
	xr_close(&x);
	if (!ok) {
		rrdp_notify_free(n);
		return NULL;
	}
	return n;
}

void
rrdp_notify_free(struct rrdp_notify *n)
{
	size_t	i;

	if (n == NULL)
		return;
	free(n->snapshot.uri);
	for (i = 0; i < n->ndeltas; i++)
		free(n->deltas[i].uri);
	free(n->deltas);
	free(n);
}

/*
 * The base64 text of the current <publish>, up to its end, whitespace
 * left out, into b.  0 or -1 with e.
 */
static int
publish_text(struct xr *x, const char *what, struct buf *b, struct err *e)
{
	const char	*v;
	size_t		 raw = 0;
	int		 t;

	buf_reset(b);
	if (xmlTextReaderIsEmptyElement(x->r))
		return 0;
	while ((t = xr_next(x, e)) != XML_READER_TYPE_END_ELEMENT) {
		if (t == -1)
			return -1;
		if (t != XML_READER_TYPE_TEXT && t != XML_READER_TYPE_CDATA)
			return xr_fail(x, e, "%s: want only base64 text in it",
			    what);
		if ((v = (const char *)xmlTextReaderConstValue(x->r)) == NULL)
			continue;
		for (; *v != '\0'; v++, raw++) {
			if (raw >= RRDP_TEXT_MAX)
				return xr_fail(x, e, "%s: content longer than "
				    "%d bytes", what, RRDP_TEXT_MAX);
			if (*v != ' ' && *v != '\t' && *v != '\r' &&
			    *v != '\n')
				buf_add(b, v, 1);
		}
	}
	if (buf_failed(b))
		return err_set(e, "out of memory");
	return 0;
}

/* What rrdp_file_parse works with. */
struct fparse {
	struct xr	 x;
	int		 delta;
	const char	*host;
	rrdp_elem_fn	 fn;
	void		*arg;
	struct buf	 text;
};

/* One <publish> or <withdraw>, the el->index'th: checked, handed to fn. */
static int
file_elem(struct fparse *p, struct rrdp_elem *el, struct err *e)
{
	struct xattr	 a[] = { { "uri", NULL }, { "hash", NULL } };
	char		 what[96];
	uint8_t		*data = NULL;
	size_t		 na = p->delta ? 2 : 1;
	int		 rc = -1;

	snprintf(what, sizeof(what), "%s element %zu", el->withdraw ?
	    "<withdraw>" : "<publish>", el->index);
	if (xr_attrs(&p->x, what, a, na, e) == -1)
		goto out;
	if (a[0].value == NULL) {
		xr_fail(&p->x, e, "%s: no uri", what);
		goto out;
	}
	if (rrdp_uri_check(a[0].value, p->host, e) == -1) {
		err_prefix(e, "%s: %s: RFC 8182 section 3.5.%d.3: uri",
		    p->x.name, what, p->delta ? 3 : 2);
		goto out;
	}
	el->uri = a[0].value;
	if ((el->has_hash = a[1].value != NULL) &&
	    rrdp_hash_parse(a[1].value, el->hash) == -1) {
		xr_fail(&p->x, e, "%s (uri %s): hash: want 64 hex digits, have "
		    "%.80s", what, el->uri, a[1].value);
		goto out;
	}
	if (el->withdraw) {
		if (!el->has_hash) {
			xr_fail(&p->x, e, "%s (uri %s): no hash (RFC 8182 "
			    "section 3.5.3.3)", what, el->uri);
			goto out;
		}
		if (xr_empty(&p->x, what, e) == -1)
			goto out;
	} else {
		if (publish_text(&p->x, what, &p->text, e) == -1)
			goto out;
		/* Empty is base64 too: RIPE NCC published empty files. */
		if ((data = base64_decode(p->text.len ? p->text.data : "",
		    p->text.len, 0, &el->len)) == NULL) {
			xr_fail(&p->x, e, "%s (uri %s): content: want the "
			    "object in base64 (RFC 4648 section 4)", what,
			    el->uri);
			goto out;
		}
		el->data = data;
	}
	if (p->fn(p->arg, el, e) == 0)
		rc = 0;
 out:
	free(data);
	el->data = NULL;
	el->uri = NULL;
	xattr_free(a, na);
	return rc;
}

/* The node of type t in the root, the index'th: an element, given to fn. */
static int
file_next(struct fparse *p, int t, const char *root, size_t index,
    struct err *e)
{
	struct rrdp_elem	el;

	if (t == -1)
		return -1;
	if (t != XML_READER_TYPE_ELEMENT)
		return xr_fail(&p->x, e, "<%s>: want only elements in it",
		    root);
	memset(&el, 0, sizeof(el));
	el.index = index;
	el.withdraw = p->delta && xr_is(&p->x, "withdraw");
	if (!el.withdraw && !xr_is(&p->x, "publish"))
		return xr_fail(&p->x, e, "<%s>: want only %s (RFC 8182 section "
		    "3.5.%d.3), have <%s>", root, p->delta ? "<publish> and "
		    "<withdraw>" : "<publish>", p->delta ? 3 : 2,
		    xmlTextReaderConstName(p->x.r));
	return file_elem(p, &el, e);
}

/* rrdp_file_parse of xml[0..len), or with xml NULL of the file fd. */
static long
file_parse(const char *name, int delta, const char *session,
    uint64_t serial, const char *host, const uint8_t *xml, size_t len,
    int fd, rrdp_elem_fn fn, void *arg, struct err *e)
{
	struct fparse		 p;
	const char		*root = delta ? "delta" : "snapshot";
	char			 have[RRDP_SESSION_LEN + 1];
	uint64_t		 hserial;
	long			 n = -1;
	int			 t;

	memset(&p, 0, sizeof(p));
	p.delta = delta;
	p.host = host;
	p.fn = fn;
	p.arg = arg;
	if (xr_open(&p.x, name, xml, len, fd, e) == -1)
		return -1;
	if (xr_root(&p.x, root, have, &hserial, e) == -1)
		goto out;
	if (strcasecmp(have, session) != 0 || hserial != serial) {
		xr_fail(&p.x, e, "<%s>: session_id %s serial %llu: want %s "
		    "serial %llu, the notification's (RFC 8182 section "
		    "3.5.%d.3)",
		    root, have, (unsigned long long)hserial, session,
		    (unsigned long long)serial, delta ? 3 : 2);
		goto out;
	}
	n = 0;
	if (!xmlTextReaderIsEmptyElement(p.x.r))
		while ((t = xr_next(&p.x, e)) != XML_READER_TYPE_END_ELEMENT) {
			if (file_next(&p, t, root, (size_t)++n, e) == -1) {
				n = -1;
				goto out;
			}
		}
	if (xr_end(&p.x, e) == -1)
		n = -1;
 out:
	xr_close(&p.x);
	buf_free(&p.text);
	return n;
}

long
rrdp_file_parse(const char *name, int delta, const char *session,
    uint64_t serial, const char *host, const uint8_t *xml, size_t len,
    rrdp_elem_fn fn, void *arg, struct err *e)
{
	return file_parse(name, delta, session, serial, host, xml, len, -1,
	    fn, arg, e);
}

long
rrdp_file_parse_fd(const char *name, int delta, const char *session,
    uint64_t serial, const char *host, int fd, rrdp_elem_fn fn, void *arg,
    struct err *e)
{
	return file_parse(name, delta, session, serial, host, NULL, 0, fd,
	    fn, arg, e);
}
