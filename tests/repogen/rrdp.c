/*
 * rrdp.c - publish an rsync tree as RRDP (RFC 8182), and the RRDP faults.
 *
 * XML is written with libxml2's xmlTextWriter into an output buffer whose
 * sink both writes the file (under a temporary name, renamed into place)
 * and feeds SHA-256, so the hash the notification carries is that of the
 * exact bytes on disk.  Object content is base64 on one line, as RIPE
 * NCC's files have it.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "buf.h"
#include "encoding.h"
#include "fileio.h"
#include "rrdp.h"

#include "rrdp_impl.h"

static void
rlist_free(struct rlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].uri);
		free(l->v[i].path);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Append a file; uri and path are taken over.  -1 on out of memory. */
static int
rlist_add(struct rlist *l, char *uri, char *path, const uint8_t *hash)
{
	struct rfile	*nv;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 256;
		if ((nv = realloc(l->v, cap * sizeof(*nv))) == NULL) {
			free(uri);
			free(path);
			return -1;
		}
		l->v = nv;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	l->v[l->n].uri = uri;
	l->v[l->n].path = path;
	if (hash != NULL)
		memcpy(l->v[l->n].hash, hash, HASHLEN);
	l->n++;
	return 0;
}

static int
rfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rfile *)a)->uri,
	    ((const struct rfile *)b)->uri);
}

static void
state_free(struct rstate *st)
{
	free(st->base);
	free(st->deltas);
	rlist_free(&st->files);
	memset(st, 0, sizeof(*st));
}

void
rrdp_hex(const uint8_t *h, char out[2 * HASHLEN + 1])
{
	hex_encode_upper(h, HASHLEN, out);
}

int
rrdp_sha256(const void *p, size_t n, uint8_t out[HASHLEN])
{
	return EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

/* "a" + "/" + "b", malloc'd; NULL on out of memory. */
char *
rrdp_path_join(const char *a, const char *b)
{
	char *s;

	return asprintf(&s, "%s/%s", a, b) == -1 ? NULL : s;
}

static int
name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
name_skip(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

/* A name an rsync URI can carry as is: printable ASCII, no space. */
static int
name_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int	walk(const char *dir, const char *uri, int depth,
		    struct rlist *l, struct err *e);

/* One entry of a walked directory: recurse, or hash and add a file. */
static int
walk_entry(char *path, char *uri, int depth, struct rlist *l,
    struct err *e)
{
	struct stat	 sb;
	uint8_t		 h[HASHLEN];
	char		*data;
	size_t		 len;
	int		 rc;

	if (stat(path, &sb) == -1) {
		rc = err_set(e, "%s: %s", path, strerror(errno));
	} else if (S_ISDIR(sb.st_mode)) {
		rc = walk(path, uri, depth + 1, l, e);
	} else if (!S_ISREG(sb.st_mode)) {
		rc = err_set(e, "%s: not a regular file or a directory", path);
	} else if (depth == 0) {
		rc = err_set(e, "%s: a file outside any module directory "
		    "(want rsync_root/<module>/...)", path);
	} else if (file_read_all(path, RRDP_MAX_OBJECT, &data, &len, e) == -1) {
		rc = -1;
	} else {
		rc = rrdp_sha256(data, len, h);
		free(data);
		if (rc == -1)
			rc = err_set(e, "%s: SHA-256 failed", path);
		else if (rlist_add(l, uri, path, h) == -1)
			return err_set(e, "out of memory");
		else
			return 0;	/* uri and path now belong to l */
	}
	free(path);
	free(uri);
	return rc;
}

/*
 * Add every file under dir to l as uri/<relative path>, in name order.
 * depth 0 is rsync_root, whose entries must be module directories.
 */
static int
walk(const char *dir, const char *uri, int depth, struct rlist *l,
    struct err *e)
{
	struct dirent	**names = NULL;
	char		*path, *u;
	int		 n, i, rc = 0;

	if (depth > WALK_DEPTH)
		return err_set(e, "%s: deeper than %d directories", dir,
		    WALK_DEPTH);
	if ((n = scandir(dir, &names, name_skip, name_cmp)) == -1)
		return err_set(e, "%s: %s", dir, strerror(errno));
	for (i = 0; i < n && rc == 0; i++) {
		if (!name_ok(names[i]->d_name)) {
			rc = err_set(e, "%s/%s: a name with a space, control "
			    "or non-ASCII character cannot be an rsync URI",
			    dir, names[i]->d_name);
			break;
		}
		path = rrdp_path_join(dir, names[i]->d_name);
		u = rrdp_path_join(uri, names[i]->d_name);
		if (path == NULL || u == NULL) {
			free(path);
			free(u);
			rc = err_set(e, "out of memory");
		} else
			rc = walk_entry(path, u, depth, l, e);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Parse one line of .state into st.  Returns 0 or -1. */
static int
state_line(char *line, struct rstate *st)
{
	uint8_t		 h[HASHLEN];
	char		*sp, *uri;
	uint64_t	 serial;
	struct rdelta	*nd;

	if (strncmp(line, "session ", 8) == 0) {
		if (strlen(line + 8) != 36)
			return -1;
		memcpy(st->session, line + 8, 37);
	} else if (sscanf(line, "serial %" SCNu64, &st->serial) == 1) {
		;
	} else if (strncmp(line, "base ", 5) == 0) {
		free(st->base);
		if ((st->base = strdup(line + 5)) == NULL)
			return -1;
	} else if (strncmp(line, "snapshot ", 9) == 0) {
		if (hex_decode(line + 9, strlen(line + 9), st->snapshot,
		    HASHLEN) != HASHLEN)
			return -1;
	} else if (strncmp(line, "delta ", 6) == 0) {
		serial = strtoull(line + 6, &sp, 10);
		if (*sp != ' ' || hex_decode(sp + 1, strlen(sp + 1), h,
		    HASHLEN) != HASHLEN)
			return -1;
		nd = realloc(st->deltas, (st->ndeltas + 1) * sizeof(*nd));
		if (nd == NULL)
			return -1;
		st->deltas = nd;
		nd[st->ndeltas].serial = serial;
		memcpy(nd[st->ndeltas++].hash, h, HASHLEN);
	} else if (strncmp(line, "file ", 5) == 0) {
		if ((sp = strchr(line + 5, ' ')) == NULL || hex_decode(line + 5,
		    (size_t)(sp - (line + 5)), h, HASHLEN) != HASHLEN)
			return -1;
		if ((uri = strdup(sp + 1)) == NULL ||
		    rlist_add(&st->files, uri, NULL, h) == -1)
			return -1;
	} else
		return -1;
	return 0;
}

/* Read rrdp_root/.state into st; a missing file is an empty state. */
static int
state_read(const char *rrdp_root, struct rstate *st, struct err *e)
{
	char	*path, *data = NULL, *line, *next;
	size_t	 len, lineno = 1;
	int	 rc = -1;

	memset(st, 0, sizeof(*st));
	if ((path = rrdp_path_join(rrdp_root, ".state")) == NULL)
		return err_set(e, "out of memory");
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		free(path);
		return 0;
	}
	if (file_read_all(path, STATE_MAX, &data, &len, e) == -1)
		goto out;
	if (strlen(data) != len ||
	    strncmp(data, STATE_MAGIC "\n", sizeof(STATE_MAGIC)) != 0) {
		err_set(e, "%s: not a state file of this program", path);
		goto out;
	}
	for (line = data + sizeof(STATE_MAGIC); *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) == NULL) {
			err_set(e, "%s: line %zu: no newline", path, lineno);
			goto out;
		}
		*next++ = '\0';
		if (state_line(line, st) == -1) {
			err_set(e, "%s: line %zu: cannot read \"%.60s\"", path,
			    lineno, line);
			goto out;
		}
	}
	if (st->session[0] == '\0' || st->serial == 0 || st->base == NULL) {
		err_set(e, "%s: session, serial or base missing", path);
		goto out;
	}
	qsort(st->files.v, st->files.n, sizeof(st->files.v[0]), rfile_cmp);
	rc = 0;
 out:
	if (rc == -1)
		state_free(st);
	free(data);
	free(path);
	return rc;
}

/* Write st to rrdp_root/.state.  Synthetic files are not recorded. */
static int
state_write(const char *rrdp_root, const struct rstate *st, struct err *e)
{
	struct atomic_file	 af;
	struct buf		 b = { 0 };
	char			 hex[2 * HASHLEN + 1], *path;
	int			 rc = -1;

	if ((path = rrdp_path_join(rrdp_root, ".state")) == NULL)
		return err_set(e, "out of memory");
	rrdp_hex(st->snapshot, hex);
	buf_printf(&b, "%s\nsession %s\nserial %" PRIu64 "\nbase %s\n"
	    "snapshot %s\n", STATE_MAGIC, st->session, st->serial, st->base,
	    hex);
	for (size_t i = 0; i < st->ndeltas; i++) {
		rrdp_hex(st->deltas[i].hash, hex);
		buf_printf(&b, "delta %" PRIu64 " %s\n", st->deltas[i].serial,
		    hex);
	}
	for (size_t i = 0; i < st->files.n; i++) {
		if (st->files.v[i].data != NULL)
			continue;
		rrdp_hex(st->files.v[i].hash, hex);
		buf_printf(&b, "file %s %s\n", hex, st->files.v[i].uri);
	}
	if (buf_failed(&b))
		err_set(e, "%s: out of memory", path);
	else if (atomic_open(&af, path, e) == 0) {
		(void)fwrite(b.data, 1, b.len, af.fp);	/* checked on commit */
		rc = atomic_commit(&af, e);
	}
	buf_free(&b);
	free(path);
	return rc;
}

/*
 * The session_id: a UUID v4 (RFC 4122 section 4.4) whose random bits are
 * SHA-256 of the seed, the host and the session it replaces, so a seed
 * always gives the same sessions and no two hosts share one.
 */
static void
session_make(uint64_t seed, const char *host, const char *prev,
    char out[37])
{
	uint8_t		 h[HASHLEN], in[8];
	EVP_MD_CTX	*md;
	char		 hex[33];

	for (int i = 0; i < 8; i++)
		in[i] = (uint8_t)(seed >> (56 - 8 * i));
	memset(h, 0, sizeof(h));
	if ((md = EVP_MD_CTX_new()) != NULL) {
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		EVP_DigestUpdate(md, "rpki-repogen rrdp session", 25);
		EVP_DigestUpdate(md, in, sizeof(in));
		EVP_DigestUpdate(md, host, strlen(host) + 1);
		EVP_DigestUpdate(md, prev, strlen(prev));
		EVP_DigestFinal_ex(md, h, NULL);
		EVP_MD_CTX_free(md);
	}
	h[6] = (h[6] & 0x0f) | 0x40;		/* version 4 */
	h[8] = (h[8] & 0x3f) | 0x80;		/* variant 10 */
	hex_encode(h, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
}

/*
 * The delta elements turning old into cur, in URI order: publish for new
 * files, publish with the old hash for changed ones, withdraw with the
 * old hash for removed ones (RFC 8182 section 3.5.3.3).  *out is
 * malloc'd and points into both lists.  Returns the count, -1 on OOM.
 */
static long
changes_make(const struct rlist *old, const struct rlist *cur,
    struct rchange **out)
{
	struct rchange	*c;
	size_t		 i = 0, j = 0, n = 0;
	int		 d;

	*out = NULL;
	if ((c = calloc(old->n + cur->n + 1, sizeof(*c))) == NULL)
		return -1;
	while (i < old->n || j < cur->n) {
		if (i == old->n)
			d = 1;
		else if (j == cur->n)
			d = -1;
		else
			d = strcmp(old->v[i].uri, cur->v[j].uri);
		if (d < 0) {
			c[n].uri = old->v[i].uri;
			c[n++].oldhash = old->v[i++].hash;
		} else if (d > 0) {
			c[n].uri = cur->v[j].uri;
			c[n++].file = &cur->v[j++];
		} else {
			if (memcmp(old->v[i].hash, cur->v[j].hash, HASHLEN)) {
				c[n].uri = cur->v[j].uri;
				c[n].file = &cur->v[j];
				c[n++].oldhash = old->v[i].hash;
			}
			i++;
			j++;
		}
	}
	*out = c;
	return (long)n;
}

/* Unlink rrdp_root/<session>/<serial>/<name>, then rmdir what empties. */
static void
old_remove(const char *rrdp_root, const char *session, uint64_t serial,
    const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s/%" PRIu64 "/%s", rrdp_root, session, serial,
	    name) == -1)
		return;
	unlink(p);
	*strrchr(p, '/') = '\0';
	rmdir(p);		/* fails while the other file is there */
	*strrchr(p, '/') = '\0';
	rmdir(p);
	free(p);
}

/* Remove what the old state listed and the new one does not. */
static void
old_cleanup(const char *rrdp_root, const struct rstate *old,
    const struct rstate *new)
{
	int same = strcmp(old->session, new->session) == 0;

	if (old->session[0] == '\0')
		return;
	if (!same || old->serial != new->serial)
		old_remove(rrdp_root, old->session, old->serial,
		    "snapshot.xml");
	for (size_t i = 0; i < old->ndeltas; i++) {
		size_t k = 0;

		while (same && k < new->ndeltas &&
		    new->deltas[k].serial != old->deltas[i].serial)
			k++;
		if (!same || k == new->ndeltas)
			old_remove(rrdp_root, old->session,
			    old->deltas[i].serial, "delta.xml");
	}
}

/* Add the delta of serial to st, keeping the last keep of them. */
static int
deltas_push(struct rstate *st, uint64_t serial, const uint8_t *hash,
    unsigned keep)
{
	struct rdelta *nd;

	if ((nd = realloc(st->deltas, (st->ndeltas + 1) * sizeof(*nd))) ==
	    NULL)
		return -1;
	st->deltas = nd;
	nd[st->ndeltas].serial = serial;
	memcpy(nd[st->ndeltas++].hash, hash, HASHLEN);
	if (st->ndeltas > keep) {
		memmove(nd, nd + (st->ndeltas - keep), keep * sizeof(*nd));
		st->ndeltas = keep;
	}
	return 0;
}

/*
 * Keep only the deltas that chain without a gap up to the last one, so
 * a clean publish after RRDP_FAULT_SERIAL_GAP lists a usable chain again
 * (an RP can use deltas only as an unbroken chain, RFC 8182 section
 * 3.4.1).
 */
static void
deltas_trim_gap(struct rstate *st)
{
	size_t	 i, first = 0;

	for (i = 1; i < st->ndeltas; i++)
		if (st->deltas[i].serial != st->deltas[i - 1].serial + 1)
			first = i;
	if (first > 0) {
		memmove(st->deltas, st->deltas + first,
		    (st->ndeltas - first) * sizeof(*st->deltas));
		st->ndeltas -= first;
	}
}

/* Add the DOTDOT_NAME file under the first module of cur. */
static int
dotdot_add(const char *host, struct rlist *cur, struct err *e)
{
	const char	*mod;
	char		*uri;
	uint8_t		 h[HASHLEN];
	size_t		 prefix = strlen("rsync://") + strlen(host) + 1;

	if (cur->n == 0)
		return err_set(e, "%s: path traversal fault: an empty tree",
		    host);
	mod = cur->v[0].uri + prefix;
	if (asprintf(&uri, "rsync://%s/%.*s/%s", host,
	    (int)strcspn(mod, "/"), mod, DOTDOT_NAME) == -1 ||
	    rrdp_sha256(DOTDOT_DATA, strlen(DOTDOT_DATA), h) == -1 ||
	    rlist_add(cur, uri, NULL, h) == -1)
		return err_set(e, "out of memory");
	cur->v[cur->n - 1].data = DOTDOT_DATA;
	qsort(cur->v, cur->n, sizeof(cur->v[0]), rfile_cmp);
	return 0;
}

/* Write snapshot and delta of st->serial into their directory. */
static int
files_write(const char *rrdp_root, struct rstate *st,
    const struct rchange *c, long nc, unsigned keep, enum rrdp_fault f,
    struct err *e)
{
	uint8_t	 h[HASHLEN];
	char	*dir, *p = NULL;
	int	 rc = -1;

	if (asprintf(&dir, "%s/%s/%" PRIu64, rrdp_root, st->session,
	    st->serial) == -1)
		return err_set(e, "out of memory");
	if (mkdirs(dir, e) == -1)
		goto out;
	if ((p = rrdp_path_join(dir, "snapshot.xml")) == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	if (rrdp_snapshot_write(p, st->session, st->serial, &st->files,
	    st->snapshot, e) == -1)
		goto out;
	free(p);
	p = NULL;
	if (nc > 0 && keep > 0) {
		if ((p = rrdp_path_join(dir, "delta.xml")) == NULL) {
			err_set(e, "out of memory");
			goto out;
		}
		if (rrdp_delta_write(p, st->session, st->serial, c, (size_t)nc,
		    f == RRDP_FAULT_DELTA_ELEMENT_HASH, h, e) == -1)
			goto out;
		if (deltas_push(st, st->serial, h, keep) == -1) {
			err_set(e, "out of memory");
			goto out;
		}
	}
	rc = 0;
 out:
	free(p);
	free(dir);
	return rc;
}

static const char *const fault_names[] = {
	"none", "delta hash", "delta element hash", "session change",
	"serial gap", "path traversal",
};

/*
 * Check fault f can be made from this change (nc elements in c since the
 * old state).  Returns 0 to go on, 1 when there is nothing to publish,
 * or -1 with the reason in e.
 */
static int
fault_check(const struct rstate *old, const struct rchange *c, long nc,
    unsigned keep, enum rrdp_fault f, struct err *e)
{
	int	needdelta = f == RRDP_FAULT_DELTA_HASH ||
		    f == RRDP_FAULT_DELTA_ELEMENT_HASH ||
		    f == RRDP_FAULT_SERIAL_GAP;
	long	i;

	if ((unsigned)f >= sizeof(fault_names) / sizeof(fault_names[0]))
		return err_set(e, "RRDP fault %d: no such fault", (int)f);
	if (needdelta && (old->session[0] == '\0' || keep == 0))
		return err_set(e, "%s fault: needs a previous serial and "
		    "keep_deltas > 0", fault_names[f]);
	if (old->session[0] == '\0' || f == RRDP_FAULT_SESSION)
		return 0;
	if (nc == 0 && f == RRDP_FAULT_NONE)
		return 1;
	if (nc == 0)
		return err_set(e, "%s fault: the tree has not changed since "
		    "serial %" PRIu64 ", no delta to spoil", fault_names[f],
		    old->serial);
	for (i = 0; f == RRDP_FAULT_DELTA_ELEMENT_HASH && i < nc; i++)
		if (c[i].oldhash != NULL)
			return 0;
	if (f == RRDP_FAULT_DELTA_ELEMENT_HASH)
		return err_set(e, "%s fault: no file changed or removed since "
		    "serial %" PRIu64, fault_names[f], old->serial);
	return 0;
}

/* Remove a gzip bomb left by rrdp_fault_gzip_bomb.  Returns 0. */
static int
gz_remove(const char *rrdp_root)
{
	char *gz;

	if ((gz = rrdp_path_join(rrdp_root, "notification.xml.gz")) != NULL)
		unlink(gz);
	free(gz);
	return 0;
}

int
rrdp_publish_fault(const char *host, const char *rsync_root,
    const char *rrdp_root, const char *https_base, unsigned keep_deltas,
    uint64_t seed, enum rrdp_fault f, struct err *e)
{
	struct rstate	 old, st;
	struct rchange	*c = NULL;
	char		*uri = NULL;
	long		 nc = 0;
	int		 rc = -1, r;

	memset(&st, 0, sizeof(st));
	if (*host == '\0' || !name_ok(host) || strchr(host, '/') != NULL ||
	    !name_ok(https_base) || strncmp(https_base, "https://", 8) != 0)
		return err_set(e, "RRDP: host \"%s\" or base \"%s\": want a "
		    "host name and an https:// URI (RFC 8182: RRDP is HTTPS)",
		    host, https_base);
	if (state_read(rrdp_root, &old, e) == -1)
		return -1;
	if (asprintf(&uri, "rsync://%s", host) == -1 ||
	    (st.base = strdup(https_base)) == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	if (walk(rsync_root, uri, 0, &st.files, e) == -1 ||
	    (f == RRDP_FAULT_DOTDOT && dotdot_add(host, &st.files, e) == -1))
		goto out;
	qsort(st.files.v, st.files.n, sizeof(st.files.v[0]), rfile_cmp);
	if (old.session[0] != '\0' && f != RRDP_FAULT_SESSION &&
	    (nc = changes_make(&old.files, &st.files, &c)) == -1) {
		err_set(e, "out of memory");
		goto out;
	}
	if ((r = fault_check(&old, c, nc, keep_deltas, f, e)) == 1) {
		/* Nothing new: undo a bomb, keep the serial. */
		if (rrdp_notification_write(rrdp_root, &old, NOTIF_CLEAN, e) == 0)
			rc = gz_remove(rrdp_root);
		goto out;
	} else if (r == -1)
		goto out;
	if (old.session[0] == '\0' || f == RRDP_FAULT_SESSION) {
		session_make(seed, host, old.session, st.session);
		st.serial = 1;
	} else {
		memcpy(st.session, old.session, sizeof(st.session));
		st.serial = old.serial + (f == RRDP_FAULT_SERIAL_GAP ? 2 : 1);
		if ((st.deltas = malloc((old.ndeltas + 1) *
		    sizeof(*st.deltas))) == NULL) {
			err_set(e, "out of memory");
			goto out;
		}
		if (old.ndeltas > 0)
			memcpy(st.deltas, old.deltas,
			    old.ndeltas * sizeof(*st.deltas));
		st.ndeltas = old.ndeltas;
		if (f != RRDP_FAULT_SERIAL_GAP)
			deltas_trim_gap(&st);
	}
	if (files_write(rrdp_root, &st, c, nc, keep_deltas, f, e) == -1 ||
	    state_write(rrdp_root, &st, e) == -1 ||
	    rrdp_notification_write(rrdp_root, &st, f == RRDP_FAULT_DELTA_HASH ?
	    NOTIF_DELTA_HASH : NOTIF_CLEAN, e) == -1)
		goto out;
	old_cleanup(rrdp_root, &old, &st);
	rc = gz_remove(rrdp_root);
 out:
	if (rc == -1)
		err_prefix(e, "RRDP for %s", host);
	free(c);
	free(uri);
	state_free(&old);
	state_free(&st);
	return rc;
}

int
rrdp_publish(const char *host, const char *rsync_root, const char *rrdp_root,
    const char *https_base, unsigned keep_deltas, uint64_t seed,
    struct err *e)
{
	return rrdp_publish_fault(host, rsync_root, rrdp_root, https_base,
	    keep_deltas, seed, RRDP_FAULT_NONE, e);
}

int
rrdp_fault_entity_bomb(const char *rrdp_root, struct err *e)
{
	struct rstate	st;
	int		rc;

	if (state_read(rrdp_root, &st, e) == -1)
		return -1;
	if (st.session[0] == '\0')
		return err_set(e, "%s: entity bomb: nothing published yet",
		    rrdp_root);
	rc = rrdp_notification_write(rrdp_root, &st, NOTIF_ENTITY_BOMB, e);
	state_free(&st);
	return rc;
}

/* Deflate len bytes (flush: Z_NO_FLUSH or Z_FINISH) into fp. */
static int
gz_put(z_stream *z, FILE *fp, const void *p, size_t len, int flush)
{
	unsigned char	 out[65536];
	int		 r;

	z->next_in = (unsigned char *)(uintptr_t)p;
	z->avail_in = (uInt)len;
	do {
		z->next_out = out;
		z->avail_out = sizeof(out);
		if ((r = deflate(z, flush)) == Z_STREAM_ERROR)
			return -1;
		if (fwrite(out, 1, sizeof(out) - z->avail_out, fp) !=
		    sizeof(out) - z->avail_out)
			return -1;
	} while (z->avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
	return 0;
}

int
rrdp_fault_gzip_bomb(const char *rrdp_root, uint64_t inflated,
    struct err *e)
{
	struct rstate		 st;
	struct atomic_file	 af;
	z_stream		 z;
	char			*path = NULL, *head = NULL, *pad;
	const char		*tail = "\n</notification>\n";
	size_t			 chunk = 1u << 20, n;
	int			 rc = -1, bad = 0;

	if (state_read(rrdp_root, &st, e) == -1)
		return -1;
	memset(&z, 0, sizeof(z));
	if ((pad = malloc(chunk)) == NULL ||
	    (path = rrdp_path_join(rrdp_root, "notification.xml.gz")) == NULL ||
	    asprintf(&head, "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n"
	    "<notification xmlns=\"%s\" version=\"1\" session_id=\"%s\" "
	    "serial=\"%" PRIu64 "\">\n", RRDP_XMLNS, st.session[0] ?
	    st.session : "00000000-0000-4000-8000-000000000000",
	    st.serial ? st.serial : 1) == -1) {
		head = NULL;
		err_set(e, "out of memory");
		goto out;
	}
	memset(pad, ' ', chunk);
	if (atomic_open(&af, path, e) == -1)
		goto out;
	/*
	 * windowBits 15 + 16: a gzip wrapper with mtime 0, deterministic.
	 * Z_RLE: runs of one byte at the best ratio deflate has (~1030:1)
	 * at ~450 MB/s, where level 9's string matching is 3 times slower.
	 */
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_RLE) !=
	    Z_OK) {
		atomic_abort(&af);
		err_set(e, "%s: deflateInit2 failed", path);
		goto out;
	}
	bad |= gz_put(&z, af.fp, head, strlen(head), Z_NO_FLUSH);
	for (uint64_t left = inflated; left > 0 && !bad; left -= n) {
		n = left < chunk ? (size_t)left : chunk;
		bad |= gz_put(&z, af.fp, pad, n, Z_NO_FLUSH);
	}
	bad |= gz_put(&z, af.fp, tail, strlen(tail), Z_FINISH);
	deflateEnd(&z);
	if (bad) {
		atomic_abort(&af);
		err_set(e, "%s: write error: %s", path, strerror(errno));
	} else
		rc = atomic_commit(&af, e);
 out:
	free(head);
	free(pad);
	free(path);
	state_free(&st);
	return rc;
}
