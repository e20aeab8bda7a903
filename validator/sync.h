/*
 * sync.h - fetching the repositories into the cache with rsync (the
 * validator's -sync; RRDP is not written yet).
 *
 * The unit fetched is an rsync module, rsync://HOST/MODULE/, into
 * CACHE/HOST/MODULE/, as rpki-client does: one connection brings every
 * publication point of the module, and each module is fetched at most
 * once a run however many CAs name it.  A trust anchor's certificate is
 * fetched as the one file its TAL names, over https (libcurl, the
 * system's CA store) or rsync.  The validation threads ask
 * for a CA's repository before processing its publication point; a
 * second thread asking for a module being fetched waits for that fetch.
 * A CA's module is also asked for ahead, when the CA is found: a pool
 * of fetching threads works through those requests in order, so that
 * fetches overlap with each other and with validation (rsync is mostly
 * waiting on the network).
 *
 * A failed fetch is logged (the URI, rsync's exit status and last line
 * of error) and leaves the cache as it was: validation goes on with
 * what the cache holds, and the manifests decide what of it is usable.
 * Only the file types the validator reads are fetched, each no larger
 * than the -max.filesize limit, and rsync deletes what the module no
 * longer has.
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
	const atomic_int *cancel;	/* NULL, or once set a fetch running
					   is stopped and no other starts */
	struct logger	*lg;
};

struct sync_stats {
	size_t		 fetched;	/* modules and TA files, good */
	size_t		 failed;
};

struct sync;

/* A fetcher for one run; NULL if out of memory. */
struct sync	*sync_new(const struct sync_config *cfg);
void		 sync_free(struct sync *s);

/*
 * Make the module of uri (an rsync:// URI of a directory or file in it)
 * current in the cache, fetching it if no call of this run has.  Safe
 * from several threads.  Returns 0 if the module was fetched (now or
 * before), -1 if its fetch failed (logged once) or uri is not an rsync
 * URI with a host and module.
 */
int		 sync_module(struct sync *s, const char *uri);

/*
 * Ask for the module of uri ahead: one of the prefetching threads
 * fetches it (oldest request first) unless a sync_module call takes it
 * first.  Never waits.  Does nothing without prefetching threads.
 */
void		 sync_prefetch(struct sync *s, const char *uri);

/*
 * Fetch the single file uri (a TA certificate; https:// or rsync://)
 * into the cache.  Returns 0, or -1 (logged; another scheme: not).
 */
int		 sync_file(struct sync *s, const char *uri);

/* What this run fetched. */
void		 sync_stats(struct sync *s, struct sync_stats *st);

#endif
