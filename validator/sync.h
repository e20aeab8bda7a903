/*
 * sync.h - fetching the repositories into the cache: RRDP (RFC 8182,
 * rrdp.c) where a CA's certificate names a notification file, rsync
 * otherwise and when RRDP fails (the validator's -sync).
 *
 * The unit fetched with rsync is an rsync module, rsync://HOST/MODULE/,
 * into CACHE/HOST/MODULE/, as rpki-client does: one connection brings
 * every publication point of the module.  The unit fetched over RRDP is
 * a notification URI: its snapshot or deltas write every file of the
 * repository where rsync would (CACHE/HOST/MODULE/PATH), and only files
 * on the host of the CA that asked for it first.  Each unit is fetched
 * at most once a run however many CAs name it.  A trust anchor's
 * certificate is fetched as the one file its TAL names, over https
 * (libcurl, the system's CA store) or rsync.  The validation threads ask
 * for a CA's repository before processing its publication point; a
 * second thread asking for a unit being fetched waits for that fetch.
 * A CA's unit is also asked for ahead, when the CA is found: a pool of
 * fetching threads works through those requests in order, so that
 * fetches overlap with each other and with validation (they are mostly
 * waiting on the network).
 *
 * A failed RRDP fetch is logged once (the notification URI and what was
 * wrong) and the CA's module is fetched with rsync instead (unless
 * rrdp_failover is off).  A failed rsync fetch is logged (the URI,
 * rsync's exit status and last line of error) and leaves the cache as
 * it was: validation goes on with what the cache holds, and the
 * manifests decide what of it is usable.  Only the file types the
 * validator reads are fetched with rsync, each no larger than the
 * -max.filesize limit, and rsync deletes what the module no longer has;
 * RRDP writes no object larger than that either, and a snapshot removes
 * the files the repository wrote before and no longer has.
 */
#ifndef VALIDATOR_SYNC_H
#define VALIDATOR_SYNC_H

#include <stdatomic.h>
#include <stddef.h>

#include "log.h"

struct sync_config {
	const char	*cache;		/* the rsync-layout cache root */
	const char	*rsync;		/* the rsync program */
	unsigned	 timeout;	/* seconds of I/O silence rsync allows;
					   a fetch is stopped after 4 times
					   this in all */
	unsigned	 contimeout;	/* seconds to connect */
	size_t		 max_file;	/* bytes per file */
	unsigned	 parallel;	/* threads fetching the modules asked
					   for ahead (sync_prefetch); 0: each
					   is fetched when first needed */
	int		 rrdp;		/* fetch over RRDP where a CA names a
					   notification (rpkiNotify) */
	int		 rrdp_failover;	/* a failed RRDP fetch: rsync */
	unsigned	 rrdp_timeout;	/* seconds for one RRDP repository */
	size_t		 rrdp_max;	/* bytes of a snapshot or delta */
	const atomic_int *cancel;	/* NULL, or once set a fetch running
					   is stopped and no other starts */
	struct logger	*lg;
};

struct sync_stats {
	size_t		 fetched;	/* rsync modules and TA files, good */
	size_t		 failed;
	size_t		 rrdp_fetched;	/* RRDP repositories up to date */
	size_t		 rrdp_snapshots;	/* of those, by a snapshot */
	size_t		 rrdp_deltas;	/* of those, by deltas */
	size_t		 rrdp_failed;	/* failed (rsync used, if failover) */
};

/* One repository's fetch this run (sync_repos). */
struct sync_repo {
	int		 rrdp;		/* else an rsync module */
	char		*uri;		/* the notification URI, or
					   rsync://HOST/MODULE */
	int		 ok;
	double		 secs;		/* how long the fetch took */
	int64_t		 finished;	/* unix seconds */
	uint64_t	 serial;	/* RRDP, if ok: the serial now held */
};

struct sync;

/* A fetcher for one run; NULL if out of memory. */
struct sync	*sync_new(const struct sync_config *cfg);
void		 sync_free(struct sync *s);

/*
 * Make the repository of a CA current in the cache: over RRDP if notify
 * (its rpkiNotify, https) is not NULL and RRDP is on, else (or if that
 * fails, with failover) the rsync module of uri (its caRepository, an
 * rsync:// URI of a directory or file in it).  Each is fetched if no
 * call of this run has.  Safe from several threads.  Returns 0 if the
 * repository was fetched (now or before), -1 if its fetch failed
 * (logged once) or uri is not an rsync URI with a host and module.
 */
int		 sync_module(struct sync *s, const char *uri,
		    const char *notify);

/*
 * Ask for the same ahead: one of the prefetching threads fetches it
 * (oldest request first) unless a sync_module call takes it first.
 * Never waits.  Does nothing without prefetching threads.
 */
void		 sync_prefetch(struct sync *s, const char *uri,
		    const char *notify);

/*
 * Fetch the single file uri (a TA certificate; https:// or rsync://)
 * into the cache.  Returns 0, or -1 (logged; another scheme: not).
 */
int		 sync_file(struct sync *s, const char *uri);

/* What this run fetched. */
void		 sync_stats(struct sync *s, struct sync_stats *st);

/*
 * Every repository fetched this run (rsync modules and RRDP
 * repositories, not TA files), in the order first asked for, into *v
 * (sync_repos_free) and *n.  One still being fetched is left out.
 * Returns 0, or -1 if out of memory.
 */
int		 sync_repos(struct sync *s, struct sync_repo **v, size_t *n);
void		 sync_repos_free(struct sync_repo *v, size_t n);

#endif
