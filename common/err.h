/*
 * err.h - a fixed-size error message carried out of parsers.
 *
 * Parsers in common/ never log and never exit: they return failure and
 * leave one human-readable sentence in a struct err that the caller owns.
 * The sentence names the object (file, entry index, field) and says what
 * was wanted versus what was found.
 */
#ifndef COMMON_ERR_H
#define COMMON_ERR_H

#include <stdarg.h>

#define ERR_MSG_MAX 512

struct err {
	char	msg[ERR_MSG_MAX];
};

/*
 * Replace the message in e (which may be NULL) with the formatted text.
 * Always returns -1 so callers can write "return err_set(e, ...);".
 */
int	err_set(struct err *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Prefix the existing message in e with the formatted text and ": ".
 * Used to add context (a file name) to an error raised deeper down.
 * Returns -1.
 */
int	err_prefix(struct err *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
