/*
 * vrpfile_impl.h - between the VRP file readers; not for other callers.
 */
#ifndef COMMON_VRPFILE_IMPL_H
#define COMMON_VRPFILE_IMPL_H

#include "vrpfile.h"

/*
 * Read CSV rows from buf into b, counting them in f->nroas and setting
 * f->meta.format.  A header line is skipped.  Returns 0, or -1 with the
 * line number and the rule broken in e.
 */
int	vrpfile_parse_csv(const char *buf, size_t len, const char *name,
	    struct vrpset_builder *b, struct vrpfile *f, struct err *e);

#endif
