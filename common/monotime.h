/*
 * monotime.h - how long something took, on the monotonic clock.
 */
#ifndef COMMON_MONOTIME_H
#define COMMON_MONOTIME_H

#include <time.h>

/* Seconds from t0 (clock_gettime(CLOCK_MONOTONIC)) to now. */
static inline double
mono_since(const struct timespec *t0)
{
	struct timespec	t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

#endif
