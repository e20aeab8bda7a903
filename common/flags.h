/*
 * flags.h - command-line flags parsed the way Go's flag package does.
 *
 * Both programs take GoRTR's and OctoRPKI's flag names, and operators
 * paste command lines from those tools, so the syntax is Go's:
 *   -name value, -name=value, --name value, --name=value;
 *   booleans as -name (true) or -name=false (never "-name false");
 *   parsing stops at the first argument that is not a flag, or after "--";
 *   -h and -help print the usage unless defined.
 * Integers take Go's base prefixes (0x, 0o, 0b, leading 0 for octal).
 * Durations take Go's syntax ("90s", "1h30m", "1.5h") or a bare number
 * of seconds.
 */
#ifndef COMMON_FLAGS_H
#define COMMON_FLAGS_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum flag_type {
	FLAG_BOOL,
	FLAG_STRING,
	FLAG_INT,
	FLAG_DURATION,
	FLAG_FLOAT,
};

struct flag {
	const char	*name;
	enum flag_type	 type;
	void		*ptr;		/* int, const char *, long long, double */
	const char	*usage;
	char		*defstr;	/* default as text, for usage */
	int		 set;		/* given on the command line */
};

struct flagset {
	const char	*prog;
	const char	*synopsis;	/* extra usage line, may be NULL */
	struct flag	*flags;
	size_t		 nflags;
	size_t		 cap;
	int		 oom;
};

/* Start an empty set; prog names the program in usage and errors. */
void	flags_init(struct flagset *fs, const char *prog);

/*
 * Define a flag, store its default in *p.  Strings are not copied: *p
 * points into argv or at def.  Durations are stored in seconds.
 */
void	flag_bool(struct flagset *fs, const char *name, int *p, int def,
	    const char *usage);
void	flag_string(struct flagset *fs, const char *name, const char **p,
	    const char *def, const char *usage);
void	flag_int(struct flagset *fs, const char *name, long long *p,
	    long long def, const char *usage);
void	flag_duration(struct flagset *fs, const char *name, double *p,
	    double def, const char *usage);
void	flag_float(struct flagset *fs, const char *name, double *p,
	    double def, const char *usage);

/*
 * Parse argv[start..argc).  Returns 0 and sets *rest to the index of the
 * first non-flag argument; returns 1 if -h/-help was asked for; returns -1
 * with a Go-style message in e ("flag provided but not defined: -x",
 * "invalid value \"x\" for flag -n: ...", "flag needs an argument: -n").
 */
int	flags_parse(struct flagset *fs, int argc, char **argv, int start,
	    int *rest, struct err *e);

/* 1 if the flag was given on the command line. */
int	flags_is_set(const struct flagset *fs, const char *name);

/* Print "Usage of PROG:" and every flag, sorted, as Go does. */
void	flags_usage(const struct flagset *fs, FILE *fp);

/*
 * Parse a Go duration ("300ms", "1h2m3s", "-1.5h") or a bare number of
 * seconds.  Returns 0, or -1 if malformed.
 */
int	duration_parse(const char *s, double *seconds);

/*
 * Parse a point in time: unix seconds ("1700000000") or UTC in RFC 3339
 * form ("2023-11-14T22:13:20Z").  Returns 0 and sets *t, or -1.
 */
int	timestamp_parse(const char *s, int64_t *t);

void	flags_free(struct flagset *fs);

#endif
