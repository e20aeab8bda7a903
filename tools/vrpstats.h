/*
 * vrpstats.h - the summary "vrpjson stats" prints.
 */
#ifndef TOOLS_VRPSTATS_H
#define TOOLS_VRPSTATS_H

#include <time.h>

#include "vrpfile.h"

/*
 * Print a summary of f (read from name) to stdout, as text or as one
 * JSON object.  now is used for the age and expiry.  Returns 0, or -1 on
 * out of memory or a write error.
 */
int	stats_print(const struct vrpfile *f, const char *name, int json,
	    time_t now);

#endif
