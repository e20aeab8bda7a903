/*
 * cache.h - the local copy of the RPKI repositories, laid out as rsync
 * lays it out: rsync://HOST/MODULE/PATH is ROOT/HOST/MODULE/PATH.
 *
 * URIs come from certificates and manifests, that is from anyone who can
 * publish: a URI is mapped only if every part of it is a plain name, so
 * no URI can name a file outside ROOT.
 */
#ifndef VALIDATOR_CACHE_H
#define VALIDATOR_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Longest URI we map; longer ones are refused. */
#define CACHE_URI_MAX	1024

/*
 * The path of uri (rsync://, or https:// for a TA certificate fetched
 * over HTTPS and stored the same way) under root, in buf of size len.
 * Refuses a URI with another scheme, an empty or "."/".." part, a part
 * starting with '.', a character outside the printable ASCII set, or a
 * result that does not fit.  Returns 0, or -1 with the reason in e.
 */
int	cache_path(const char *root, const char *uri, char *buf, size_t len,
	    struct err *e);

/*
 * Read the file of uri under root into *data (malloc'd, free() it) and
 * *len.  Returns 0; 1 if there is no such file; 2 if it is larger than
 * max (not read; the reason in e); or -1 with the reason in e.
 */
int	cache_read(const char *root, const char *uri, size_t max,
	    uint8_t **data, size_t *len, struct err *e);

/*
 * The directory of the directory URI dir (ending with '/') under root,
 * opened for cache_read_at; -1 if it is not there or not a directory.
 */
int	cache_dir_open(const char *root, const char *dir);

/*
 * cache_read for a uri directly in the directory that dfd is
 * (cache_dir_open of its directory URI, or -1 for none): the file is
 * opened relative to dfd, without walking the path from the root again
 * (1.3% of a run's CPU).
 */
int	cache_read_at(int dfd, const char *root, const char *uri,
	    size_t max, uint8_t **data, size_t *len, struct err *e);

/*
 * Write der/len as the file of uri under root, creating directories,
 * under a temporary name renamed into place (not synced: a torn copy
 * fails its manifest's hash and is not used).  Returns 0, or -1 with the
 * reason in e.
 */
int	cache_write(const char *root, const char *uri, const uint8_t *der,
	    size_t len, struct err *e);

/*
 * Whether uri lies under the directory URI dir (which ends with '/'),
 * directly ("rsync://h/m/d/x.roa" under "rsync://h/m/d/"), not in a
 * subdirectory.
 */
int	cache_uri_in(const char *uri, const char *dir);

/*
 * Whether the URIs a and b name the same file: the same scheme, in any
 * case (RFC 3986 section 3.1), and the same rest, byte for byte, as the
 * cache maps it.  NULL names nothing.
 */
int	cache_uri_same(const char *a, const char *b);

#endif
