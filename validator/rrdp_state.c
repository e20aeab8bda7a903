/*
 * rrdp_state.c - what an RRDP repository held after its last complete
 * success, where its files may go, and what to fetch next (rrdp.h).
 *
 * The state file is text, one item a line:
 *
 *	rpki-validator RRDP state 1
 *	notification https://HOST/notification.xml
 *	session_id 9df4b597-af9e-4dca-bdda-719cce2c4e28
 *	serial 1742
 *	file rsync://HOST/MODULE/PATH		(one per file written)
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cache.h"
#include "fileio.h"
#include "rrdp.h"

#define STATE_MAGIC	"rpki-validator RRDP state 1"

int
rrdp_uri_check(const char *uri, const char *host, struct err *e)
{
	const char	*mod;
	char		 buf[CACHE_URI_MAX + 8];
	size_t		 n;

	if (strncmp(uri, "rsync://", 8) != 0)
		return err_set(e, "%.200s: want an rsync:// URI", uri);
	if ((mod = strchr(uri + 8, '/')) == NULL ||
	    strchr(mod + 1, '/') == NULL)
		return err_set(e, "%.200s: want a file in a module, "
		    "rsync://HOST/MODULE/...", uri);
	/* cache_path's rules: plain names only, so never outside "/". */
	if (cache_path("", uri, buf, sizeof(buf), e) == -1)
		return -1;
	if (host != NULL && ((n = strlen(host)) < 9 || host[n - 1] != '/' ||
	    strncmp(uri, host, n) != 0))
		return err_set(e, "%s: not on %s, the host of the repository "
		    "this notification was fetched for", uri, host ? host : "");
	return 0;
}

void
rrdp_state_clear(struct rrdp_state *st)
{
	size_t	i;

	for (i = 0; i < st->nfiles; i++)
		free(st->files[i]);
	free(st->files);
	memset(st, 0, sizeof(*st));
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One "file URI" line into st (grown as needed).  0, or -1 with e. */
static int
state_add_file(struct rrdp_state *st, size_t *cap, const char *uri,
    struct err *e)
{
	char	**v;

	if (rrdp_uri_check(uri, NULL, e) == -1)
		return -1;
	if (st->nfiles == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		if ((v = reallocarray(st->files, *cap, sizeof(*v))) == NULL)
			return err_set(e, "out of memory");
		st->files = v;
	}
	if ((st->files[st->nfiles] = strdup(uri)) == NULL)
		return err_set(e, "out of memory");
	st->nfiles++;
	return 0;
}

/* The lines of text (NUL-terminated, cut in place) into st. */
static int
state_lines(char *text, const char *notify, struct rrdp_state *st,
    struct err *e)
{
	char		*line, *next;
	size_t		 cap = 0, i;
	int		 have = 0;

	for (line = text, i = 0; *line != '\0'; line = next, i++) {
		next = line + strcspn(line, "\n");
		if (*next != '\0')
			*next++ = '\0';
		if (i == 0 ? strcmp(line, STATE_MAGIC) != 0 :
		    i == 1 ? strncmp(line, "notification ", 13) != 0 ||
		    strcmp(line + 13, notify) != 0 : 0)
			return err_set(e, "line %zu: not the state of %s",
			    i + 1, notify);
		if (i < 2)
			continue;
		if (strncmp(line, "session_id ", 11) == 0 &&
		    rrdp_session_ok(line + 11)) {
			memcpy(st->session, line + 11, RRDP_SESSION_LEN + 1);
			have |= 1;
		} else if (strncmp(line, "serial ", 7) == 0 &&
		    rrdp_serial_parse(line + 7, &st->serial) == 0)
			have |= 2;
		else if (strncmp(line, "file ", 5) != 0 ||
		    state_add_file(st, &cap, line + 5, e) == -1)
			return err_set(e, "line %zu: bad", i + 1);
	}
	if (have != 3)
		return err_set(e, "no session_id or serial");
	if (st->nfiles > 1)
		qsort(st->files, st->nfiles, sizeof(*st->files), strp_cmp);
	for (i = 1; i < st->nfiles; i++)
		if (strcmp(st->files[i - 1], st->files[i]) == 0)
			return err_set(e, "%s listed twice", st->files[i]);
	return 0;
}

int
rrdp_state_read(const char *path, const char *notify, struct rrdp_state *st,
    struct err *e)
{
	struct stat	 sb;
	char		*text;
	size_t		 len;

	memset(st, 0, sizeof(*st));
	/* Not there: no state, and nothing wrong. */
	if (stat(path, &sb) == -1 && errno == ENOENT)
		return 1;
	if (file_read_all(path, 1024 * 1024 * 1024, &text, &len, e) == -1)
		return -1;
	if (strlen(text) != len || state_lines(text, notify, st, e) == -1) {
		err_prefix(e, "%s", path);
		rrdp_state_clear(st);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

int
rrdp_state_write(const char *path, const char *notify,
    const struct rrdp_state *st, struct err *e)
{
	struct atomic_file	af;
	size_t			i;

	if (atomic_open(&af, path, e) == -1)
		return -1;
	fprintf(af.fp, "%s\nnotification %s\nsession_id %s\nserial %llu\n",
	    STATE_MAGIC, notify, st->session,
	    (unsigned long long)st->serial);
	for (i = 0; i < st->nfiles; i++)
		fprintf(af.fp, "file %s\n", st->files[i]);
	return atomic_commit(&af, e);
}

/* The index of the delta of serial in n, or n->ndeltas if none. */
static size_t
delta_find(const struct rrdp_notify *n, uint64_t serial)
{
	size_t	lo = 0, hi = n->ndeltas, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (n->deltas[mid].serial < serial)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n->ndeltas && n->deltas[lo].serial == serial ? lo :
	    n->ndeltas;
}

enum rrdp_action
rrdp_plan(const struct rrdp_state *st, const struct rrdp_notify *n,
    size_t *first, size_t *count, char *why, size_t whylen)
{
	uint64_t	need, s;
	size_t		i;

	*first = *count = 0;
	why[0] = '\0';
	if (st == NULL || st->session[0] == '\0') {
		snprintf(why, whylen, "no state of this repository yet");
		return RRDP_SNAPSHOT;
	}
	if (strcasecmp(st->session, n->session) != 0) {
		snprintf(why, whylen, "new session_id %s (we had %s)",
		    n->session, st->session);
		return RRDP_SNAPSHOT;
	}
	if (n->serial == st->serial)
		return RRDP_NOTHING;
	if (n->serial < st->serial) {
		snprintf(why, whylen, "serial %llu is behind ours, %llu",
		    (unsigned long long)n->serial,
		    (unsigned long long)st->serial);
		return RRDP_SNAPSHOT;
	}
	need = n->serial - st->serial;
	if (need > RRDP_MAX_DELTAS) {
		snprintf(why, whylen, "%llu deltas behind, more than %d",
		    (unsigned long long)need, RRDP_MAX_DELTAS);
		return RRDP_SNAPSHOT;
	}
	/* Sorted and each serial once: contiguous iff the last is n's. */
	i = delta_find(n, st->serial + 1);
	if (i == n->ndeltas || i + need > n->ndeltas ||
	    n->deltas[i + need - 1].serial != n->serial) {
		for (s = st->serial + 1; delta_find(n, s) != n->ndeltas; s++)
			;
		snprintf(why, whylen, "no delta for serial %llu (we have "
		    "%llu, the notification %llu)", (unsigned long long)s,
		    (unsigned long long)st->serial,
		    (unsigned long long)n->serial);
		return RRDP_SNAPSHOT;
	}
	*first = i;
	*count = (size_t)need;
	return RRDP_DELTAS;
}
