/*
 * prom.h - writing the Prometheus text exposition format (version 0.0.4).
 */
#ifndef COMMON_PROM_H
#define COMMON_PROM_H

#include "buf.h"

/* "# HELP name help" and "# TYPE name type" (counter, gauge, ...). */
void	prom_header(struct buf *b, const char *name, const char *type,
	    const char *help);

/*
 * One sample line: name{k1="v1",k2="v2"} value.  labels is an array of
 * nlabels key/value pairs (2 * nlabels strings); values are escaped as the
 * format requires (backslash, double quote, newline).
 */
void	prom_sample(struct buf *b, const char *name, const char *const *labels,
	    size_t nlabels, double value);

#endif
