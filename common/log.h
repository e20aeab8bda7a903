/*
 * log.h - logging on two channels.
 *
 * Operators need to tell "the program" from "the data": the ops channel
 * carries events of the program (started, fetched, serving, a peer went
 * away); the data channel carries problems found in the RPKI data or in
 * input files (a rejected ROA, a bad VRP file).  Each channel has its own
 * level.  A logger is a value the program owns and passes around; common/
 * keeps no global logger.
 */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

enum log_channel {
	LOG_OPS,
	LOG_DATA,
};

struct logger {
	FILE		*fp;
	const char	*prog;
	enum log_level	 level[2];	/* per channel */
	int		 json;		/* one JSON object per line */
};

/* Log to fp (usually stderr) at info level on both channels. */
void	log_init(struct logger *lg, const char *prog, FILE *fp);

/*
 * Parse "error", "warn"/"warning", "info", "debug" (any case).
 * Returns 0, or -1 if unknown.
 */
int	log_level_parse(const char *s, enum log_level *lvl);

/* Write one line if lvl is enabled on ch.  lg may be NULL (no output). */
void	log_msg(struct logger *lg, enum log_channel ch, enum log_level lvl,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	log_vmsg(struct logger *lg, enum log_channel ch, enum log_level lvl,
	    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

#define log_ops(lg, lvl, ...)	log_msg((lg), LOG_OPS, (lvl), __VA_ARGS__)
#define log_data(lg, lvl, ...)	log_msg((lg), LOG_DATA, (lvl), __VA_ARGS__)

#endif
