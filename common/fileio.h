/*
 * fileio.h - reading whole inputs and writing outputs atomically.
 */
#ifndef COMMON_FILEIO_H
#define COMMON_FILEIO_H

#include <stdio.h>
#include <stddef.h>

#include "err.h"

/*
 * Read all of path ("-" is standard input) into a malloc'd buffer with a
 * NUL after the last byte; the caller frees *data.  Inputs larger than
 * maxlen are refused.  Returns 0, or -1 with the reason (naming path) in e.
 */
int	file_read_all(const char *path, size_t maxlen, char **data,
	    size_t *len, struct err *e);

/*
 * mkdir -p: path and every missing parent (mode 0755).  Returns 0, or -1
 * with the reason, naming the directory, in e.
 */
int	mkdirs(const char *path, struct err *e);

/*
 * An output file written under a temporary name in the same directory
 * and renamed into place on commit, so readers never see a partial file.
 * Path "-" writes to standard output instead.
 */
struct atomic_file {
	FILE	*fp;		/* write here */
	char	*path;
	char	*tmppath;	/* NULL for standard output */
};

/* Open af for path.  Returns 0, or -1 with the reason in e. */
int	atomic_open(struct atomic_file *af, const char *path, struct err *e);

/*
 * Flush, sync and rename into place.  On any write error the temporary
 * file is removed, the target is left untouched and -1 is returned with
 * the reason in e.  af is closed either way.
 */
int	atomic_commit(struct atomic_file *af, struct err *e);

/* Close and remove the temporary file; the target is untouched. */
void	atomic_abort(struct atomic_file *af);

#endif
