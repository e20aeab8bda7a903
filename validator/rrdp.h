/*
 * rrdp.h - RRDP, the RPKI Repository Delta Protocol (RFC 8182): a
 * repository fetched over https into the rsync-layout cache, in place of
 * rsync, for the CAs whose certificate names a notification file
 * (rpkiNotify, RFC 8182 section 3.2).
 *
 * The parsers (rrdp_xml.c) are pure functions of bytes: libxml2's
 * streaming reader with no network, no DTD loaded, no entity substituted
 * (a file with a DOCTYPE is refused before its entities can be expanded),
 * and a limit on every attribute and element.  The state and its
 * decisions (rrdp_state.c) are pure too, but for reading and writing the
 * state file.  rrdp.c fetches (https.c) and applies.
 *
 * A repository's state lives in CACHE/.rrdp/<hex SHA-256 of the
 * notification URI> (cache_path never maps a URI under a name starting
 * with '.'): its session_id, serial, and the files it wrote, so that a
 * snapshot can remove the files it no longer has.  It is written, by
 * rename, only after a complete success, and removed before anything
 * of the cache changes: a run stopped half way leaves no state, and the
 * next one loads the snapshot.  Snapshot and deltas are staged in
 * CACHE/.rrdp/<hex>.stage/ (downloaded, hash checked, every element
 * decoded and checked) before any file of the cache changes.
 */
#ifndef VALIDATOR_RRDP_H
#define VALIDATOR_RRDP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "log.h"

#define RRDP_XMLNS		"http://www.ripe.net/rpki/rrdp"
#define RRDP_HASH_LEN		32
#define RRDP_SESSION_LEN	36		/* a UUID, RFC 4122 */

/* Longest notification file taken (a few hundred kB in practice). */
#define RRDP_NOTIFY_MAX		(16u * 1024 * 1024)

/* More deltas than this to catch up: the snapshot is cheaper. */
#define RRDP_MAX_DELTAS		300

/* The longest text of a publish element (libxml2's own text limit). */
#define RRDP_TEXT_MAX		10000000

/* A snapshot or delta a notification lists. */
struct rrdp_ref {
	uint64_t	 serial;	/* a delta's; the snapshot's is the
					   notification's */
	char		*uri;		/* https://, same origin as the
					   notification */
	uint8_t		 hash[RRDP_HASH_LEN];
};

/* A notification file (RFC 8182 section 3.5.1). */
struct rrdp_notify {
	char		 session[RRDP_SESSION_LEN + 1];
	uint64_t	 serial;
	struct rrdp_ref	 snapshot;
	struct rrdp_ref	*deltas;	/* sorted by serial, each once */
	size_t		 ndeltas;
};

/*
 * Parse the notification file xml/len fetched from uri (named in
 * messages; the snapshot and deltas must be on its scheme, host and
 * port).  Returns it (rrdp_notify_free), or NULL with one diagnostic
 * naming uri, the element and the RFC section in e.
 */
struct rrdp_notify *rrdp_notify_parse(const char *uri, const uint8_t *xml,
		    size_t len, struct err *e);
void		 rrdp_notify_free(struct rrdp_notify *n);

/* One element of a snapshot or delta, as rrdp_file_parse hands it. */
struct rrdp_elem {
	size_t		 index;		/* 1 for the first element */
	int		 withdraw;	/* else publish */
	const char	*uri;		/* rsync://, rrdp_uri_check passed */
	int		 has_hash;	/* publish over, or withdraw */
	uint8_t		 hash[RRDP_HASH_LEN];
	const uint8_t	*data;		/* publish: the decoded object */
	size_t		 len;
};

/* Called for each element; 0 to go on, -1 (with e) to stop and fail. */
typedef int	(*rrdp_elem_fn)(void *arg, const struct rrdp_elem *el,
		    struct err *e);

/*
 * Parse the snapshot (delta 0) or delta (delta 1) file xml/len fetched
 * from name, which must be of session and serial (RFC 8182 sections
 * 3.5.2, 3.5.3), calling fn for each publish or withdraw element in
 * order.  Each element's URI must pass rrdp_uri_check(uri, host); its
 * content must be base64 (RFC 4648).  Returns the number of elements, or
 * -1 with one diagnostic naming name and the element in e (fn's own, if
 * fn failed).  A failure may come after fn was called for earlier
 * elements: the caller stages, and applies only a complete success.
 */
long		 rrdp_file_parse(const char *name, int delta,
		    const char *session, uint64_t serial, const char *host,
		    const uint8_t *xml, size_t len, rrdp_elem_fn fn,
		    void *arg, struct err *e);

/*
 * rrdp_file_parse of the file open at fd (at offset 0), read as the
 * parser goes rather than whole: the way a fetched snapshot or delta is
 * parsed.  Its prolog (XML declaration, comments) must end within its
 * first 64 kB, or it is refused.
 */
long		 rrdp_file_parse_fd(const char *name, int delta,
		    const char *session, uint64_t serial, const char *host,
		    int fd, rrdp_elem_fn fn, void *arg, struct err *e);

/*
 * Whether uri may be written to the cache for a repository serving
 * host ("rsync://HOST/"; NULL: any host): an rsync:// URI of a file,
 * no longer than CACHE_URI_MAX, every part a plain name (no "", ".",
 * ".." or other part starting with '.', no character outside printable
 * ASCII, no '\\': cache_path's rules, so it cannot leave the cache),
 * on host.  Returns 0, or -1 with the reason in e.
 */
int		 rrdp_uri_check(const char *uri, const char *host,
		    struct err *e);

/*
 * Read a hash attribute: exactly 64 hex digits, either case (RFC 8182
 * section 3.5).  Returns 0 with the bytes in out, or -1.
 */
int		 rrdp_hash_parse(const char *hex, uint8_t out[RRDP_HASH_LEN]);

/*
 * A serial: a positive decimal, no sign, no leading zero (RFC 8182's
 * xsd:positiveInteger as written).  0 with it in *out, or -1.
 */
int		 rrdp_serial_parse(const char *s, uint64_t *out);

/* Whether s is a session_id: a UUID, 8-4-4-4-12 hex digits. */
int		 rrdp_session_ok(const char *s);

/* What a repository held after its last complete success. */
struct rrdp_state {
	char		 session[RRDP_SESSION_LEN + 1];
	uint64_t	 serial;
	char		**files;	/* rsync URIs written, sorted, unique */
	size_t		 nfiles;
};

/*
 * Read the state of notification notify from path.  Returns 0 (st
 * filled; rrdp_state_clear it), 1 if there is none, or -1 if it cannot
 * be read or is not one of ours for notify (e, st empty).
 */
int		 rrdp_state_read(const char *path, const char *notify,
		    struct rrdp_state *st, struct err *e);

/* Write st as path, under a temporary name renamed.  0 or -1 with e. */
int		 rrdp_state_write(const char *path, const char *notify,
		    const struct rrdp_state *st, struct err *e);

/* Free what st holds; st is empty after. */
void		 rrdp_state_clear(struct rrdp_state *st);

enum rrdp_action {
	RRDP_NOTHING,		/* the serial we have */
	RRDP_DELTAS,		/* n->deltas[*first .. *first + *count) */
	RRDP_SNAPSHOT,
};

/*
 * RFC 8182 section 3.4.1: what to fetch for notification n given st
 * (NULL: no state).  The deltas when the session is the same and every
 * serial from st's + 1 to n's is listed (at most RRDP_MAX_DELTAS);
 * nothing for the same serial; otherwise the snapshot, with why.
 */
enum rrdp_action rrdp_plan(const struct rrdp_state *st,
		    const struct rrdp_notify *n, size_t *first,
		    size_t *count, char *why, size_t whylen);

/* The fetching side. */
struct rrdp_config {
	const char	*cache;		/* the rsync-layout cache root */
	size_t		 max_size;	/* bytes of a snapshot or delta file */
	size_t		 max_file;	/* bytes of one object; larger ones
					   are not written */
	unsigned	 timeout;	/* seconds for one repository in all */
	unsigned	 contimeout;	/* seconds to connect */
	const atomic_int *cancel;
	struct logger	*lg;
};

struct rrdp_outcome {
	enum rrdp_action action;	/* how the cache was brought up to
					   date */
	size_t		 ndeltas;	/* delta files applied */
	uint64_t	 serial;
	size_t		 written;	/* files written */
	size_t		 removed;	/* files removed */
};

/*
 * Bring the repository of notification URI notify up to date in the
 * cache, for the rsync host host ("rsync://HOST/": only files on it are
 * taken).  Deltas or snapshot as rrdp_plan says; a refused delta (its
 * hash, an element's hash, anything wrong in it) is logged and the
 * snapshot loaded instead.  Returns 0 with out filled, or -1 with why
 * (the file and what was wrong with it): nothing of the cache changed
 * unless the failure came while applying, and then no state is left,
 * so the next fetch loads the snapshot.  Logs its progress on cfg->lg.
 * Safe to run for different notify URIs at once; the caller runs one
 * fetch of a URI at a time.
 */
int		 rrdp_fetch(const struct rrdp_config *cfg, const char *notify,
		    const char *host, struct rrdp_outcome *out, char *why,
		    size_t whylen);

#endif
