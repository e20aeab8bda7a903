/*
 * rrdp.h - the RRDP side of rpki-repogen (RFC 8182): publish one host's
 * rsync tree as a notification, a snapshot and deltas, and the RRDP
 * faults of issue 4.
 *
 * Layout written under rrdp_root (one directory per host, served as
 * https_base, e.g. DIR/rrdp/<host>/ as https://<host>/rrdp/):
 *
 *	notification.xml
 *	<session>/<serial>/snapshot.xml		the current serial only
 *	<session>/<serial>/delta.xml		the last keep_deltas serials
 *	.state					what the next call diffs against
 *
 * A file's name carries its session and serial, so a cache can never hand
 * out stale content under a name the notification lists.  Hashes are
 * SHA-256 in uppercase hex, as the RFC's examples and RIPE NCC write them
 * (rpki-client and FORT accept either case).  Output is a pure function
 * of (tree contents, previous state, seed): the same inputs give the same
 * bytes.
 */
#ifndef REPOGEN_RRDP_H
#define REPOGEN_RRDP_H

#include <stdint.h>

#include "err.h"

#define RRDP_XMLNS	"http://www.ripe.net/rpki/rrdp"

/* Files larger than this are refused (RFC 8182 sets no limit; RPs do). */
#define RRDP_MAX_OBJECT	(64u * 1024 * 1024)

/*
 * Publish the rsync tree of one host as RRDP.  Every regular file under
 * rsync_root/<module>/... is published as rsync://<host>/<module>/<path>.
 * The tree is compared with rrdp_root/.state, kept from the previous
 * call; the first call makes a session (a UUID v4 derived from seed and
 * host) at serial 1 with a snapshot only; later calls bump the serial,
 * write the snapshot and a delta (publish for new files, publish with
 * hash= of the old content for changed files, withdraw with hash= for
 * removed ones) and a notification listing the snapshot and the last
 * keep_deltas deltas (newest first), with uri attributes under https_base
 * (e.g. "https://<host>/rrdp", no trailing slash needed).  If nothing
 * changed since the previous call, the serial stays (the schema of RFC
 * 8182 section 3.5.3.3 wants one element or more in a delta) and only the
 * notification is rewritten, the same bytes as before, undoing an entity
 * or gzip bomb.  Older snapshots, deltas out of the window and a previous
 * session's files are removed.
 * Returns 0, or -1 with the reason in e.
 */
int	rrdp_publish(const char *host, const char *rsync_root,
	    const char *rrdp_root, const char *https_base,
	    unsigned keep_deltas, uint64_t seed, struct err *e);

/*
 * RRDP faults: each publishes the tree like rrdp_publish (same arguments)
 * but with one defect, and names the effect a correct RP shows.
 */
enum rrdp_fault {
	RRDP_FAULT_NONE = 0,
	/*
	 * The notification lists the new delta with a hash that is not the
	 * delta file's (RFC 8182 sections 3.4.1, 3.5.1.3).  An RP holding
	 * the previous serial must refuse the delta and load the snapshot;
	 * VRPs unchanged.  The next clean publish lists the true hash.
	 */
	RRDP_FAULT_DELTA_HASH,
	/*
	 * In the new delta, the first publish-over or withdraw element
	 * carries a hash that is not that of the file it replaces (RFC 8182
	 * sections 3.4.2, 3.5.3.3).  The notification's hash of the delta
	 * is right.  An RP must refuse the delta and load the snapshot;
	 * VRPs unchanged.  Needs a changed or removed file: -1 otherwise.
	 */
	RRDP_FAULT_DELTA_ELEMENT_HASH,
	/*
	 * A new session_id at serial 1, snapshot only (RFC 8182 section
	 * 3.4.1: the RP must drop what it has and load the snapshot).
	 * VRPs unchanged.  Later clean publishes continue the new session.
	 */
	RRDP_FAULT_SESSION,
	/*
	 * The serial jumps by two: serial N+1 never exists, the delta of N+2
	 * holds the change since N (RFC 8182 section 3.4.1: a gap in the
	 * deltas means the snapshot must be used).  VRPs unchanged.
	 */
	RRDP_FAULT_SERIAL_GAP,
	/*
	 * Snapshot and delta also publish rsync://<host>/<module>/../../../
	 * repogen-dotdot.txt (path traversal; RFC 8182 section 3.5.2.3 wants
	 * the URI of an object of the repository).  A correct RP refuses the
	 * file or the whole snapshot/delta and writes nothing outside its
	 * cache; FORT 1.5.4 follows it (run it in a throwaway tree).  The
	 * file is not recorded in .state: the next clean publish does not
	 * withdraw it.
	 */
	RRDP_FAULT_DOTDOT,
};

/* Like rrdp_publish, with fault f.  Returns 0, or -1 with e. */
int	rrdp_publish_fault(const char *host, const char *rsync_root,
	    const char *rrdp_root, const char *https_base,
	    unsigned keep_deltas, uint64_t seed, enum rrdp_fault f,
	    struct err *e);

/*
 * Rewrite rrdp_root/notification.xml (after a publish) with an internal
 * DTD whose entities expand to 3 GB ("billion laughs"), referenced inside
 * <notification>; the snapshot and delta elements stay correct.  An RP
 * must refuse to expand it and fall back to rsync.  The next publish
 * writes a clean notification.  Returns 0, or -1 with the reason in e.
 */
int	rrdp_fault_entity_bomb(const char *rrdp_root, struct err *e);

/*
 * Write rrdp_root/notification.xml.gz: a gzip body of about
 * inflated / 1000 bytes that inflates to a notification padded with
 * `inflated` bytes of whitespace.  serve.sh's nginx sends it, with
 * Content-Encoding: gzip, to a client that accepts gzip (gzip_static);
 * an RP must stop inflating at its size limit and fall back to rsync.
 * The next publish removes it.  Returns 0, or -1 with the reason in e.
 */
int	rrdp_fault_gzip_bomb(const char *rrdp_root, uint64_t inflated,
	    struct err *e);

#endif
