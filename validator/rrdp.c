/*
 * rrdp.c - one RRDP repository brought up to date in the cache: the
 * notification, then the deltas or the snapshot, staged, checked and
 * only then applied (rrdp.h).
 *
 * Staging: every publish element's object is decoded into a file of
 * CACHE/.rrdp/<hex>.stage/ and recorded, by URI, in a table of
 * operations (the last one of a URI wins, as deltas apply in order); a
 * delta element's hash is checked against what the URI holds after the
 * deltas before it, that is the table's entry or else the cache's file
 * (RFC 8182 section 3.4.2).  Applying renames the staged files into
 * place and removes the withdrawn ones (and, for a snapshot, those the
 * repository wrote before and no longer has).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "encoding.h"
#include "fileio.h"
#include "https.h"
#include "monotime.h"
#include "ossl.h"
#include "rrdp.h"

#define WHY_MAX		ERR_MSG_MAX

/* A staged operation on one file. */
struct rop {
	char		*uri;
	int		 withdraw;
	size_t		 obj;		/* publish: the staged file, o<obj> */
	uint8_t		 hash[RRDP_HASH_LEN];	/* publish: of the object */
	size_t		 gen;		/* the file that set it: 1, 2 ... */
};

/* One fetch of one repository. */
struct rfetch {
	const struct rrdp_config *cfg;
	const char	*notify;
	const char	*host;
	char		 state[PATH_MAX];	/* CACHE/.rrdp/<hex> */
	char		 stage[PATH_MAX];	/* its .stage directory */
	struct timespec	 t0;
	struct rrdp_state st;		/* as read; empty if none */
	int		 have_state;
	struct rop	*ops;
	size_t		 nops, cap;
	size_t		*slot;		/* ops by URI: index + 1, 0 free */
	size_t		 nslot;
	size_t		 nobj;		/* objects staged */
	size_t		 gen;		/* the file being parsed */
	int		 delta;
	void		*curl;		/* one handle for all its GETs */
};

/* FNV-1a, for the table of operations. */
static size_t
uri_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of uri: its operation's, or the free one it would take. */
static size_t
ops_slot(const struct rfetch *f, const char *uri)
{
	size_t	i = uri_hash(uri) & (f->nslot - 1);

	while (f->slot[i] != 0 && strcmp(f->ops[f->slot[i] - 1].uri, uri) != 0)
		i = (i + 1) & (f->nslot - 1);
	return i;
}

/* Twice the slots, every operation placed again.  0 or -1. */
static int
ops_grow(struct rfetch *f)
{
	size_t	 i, n = f->nslot ? f->nslot * 2 : 1024;
	size_t	*old = f->slot;

	if ((f->slot = calloc(n, sizeof(*f->slot))) == NULL) {
		f->slot = old;
		return -1;
	}
	free(old);
	f->nslot = n;
	for (i = 0; i < f->nops; i++)
		f->slot[ops_slot(f, f->ops[i].uri)] = i + 1;
	return 0;
}

/* The operation of uri, or NULL. */
static struct rop *
ops_find(const struct rfetch *f, const char *uri)
{
	size_t	i;

	if (f->nslot == 0)
		return NULL;
	i = ops_slot(f, uri);
	return f->slot[i] ? &f->ops[f->slot[i] - 1] : NULL;
}

/* A new operation for uri (not in the table).  NULL if out of memory. */
static struct rop *
ops_add(struct rfetch *f, const char *uri)
{
	struct rop	*v;

	if (2 * (f->nops + 1) > f->nslot && ops_grow(f) == -1)
		return NULL;
	if (f->nops == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 1024;
		if ((v = reallocarray(f->ops, f->cap, sizeof(*v))) == NULL)
			return NULL;
		f->ops = v;
	}
	v = &f->ops[f->nops];
	memset(v, 0, sizeof(*v));
	if ((v->uri = strdup(uri)) == NULL)
		return NULL;
	f->slot[ops_slot(f, uri)] = ++f->nops;
	return v;
}

static void
ops_clear(struct rfetch *f)
{
	size_t	i;

	for (i = 0; i < f->nops; i++)
		free(f->ops[i].uri);
	free(f->ops);
	free(f->slot);
	f->ops = NULL;
	f->slot = NULL;
	f->nops = f->cap = f->nslot = f->nobj = 0;
}

/* Remove the files of the stage directory (it holds no directory). */
static void
stage_empty(struct rfetch *f)
{
	char		 p[PATH_MAX + 300];
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(f->stage)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			snprintf(p, sizeof(p), "%s/%s", f->stage, de->d_name);
			unlink(p);
		}
	closedir(d);
}

/* An empty stage directory and table.  0 or -1 with e. */
static int
stage_reset(struct rfetch *f, struct err *e)
{
	stage_empty(f);
	ops_clear(f);
	return mkdirs(f->stage, e);
}

static void
stage_remove(struct rfetch *f)
{
	stage_empty(f);
	ops_clear(f);
	rmdir(f->stage);
}

/*
 * SHA-256 of the file at path: 0, 1 if there is none, -1 if it cannot
 * be read.
 */
static int
file_sha256(const char *path, uint8_t out[RRDP_HASH_LEN])
{
	unsigned char	 b[65536];
	struct ossl_sha256_ctx md;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 1 : -1;
	ossl_sha256_init(&md);
	while ((r = read(fd, b, sizeof(b))) > 0)
		ossl_sha256_update(&md, b, (size_t)r);
	close(fd);
	if (r != 0)
		return -1;
	ossl_sha256_final(&md, out);
	return 0;
}

/*
 * What uri holds now, for a delta's check: its hash in h and 0, 1 if
 * nothing, -1 (with e) if the cache's file cannot be read.
 */
static int
current_hash(struct rfetch *f, const char *uri, uint8_t h[RRDP_HASH_LEN],
    struct err *e)
{
	const struct rop	*op;
	char			 path[CACHE_URI_MAX + PATH_MAX];
	int			 rc;

	if ((op = ops_find(f, uri)) != NULL) {
		memcpy(h, op->hash, RRDP_HASH_LEN);
		return op->withdraw ? 1 : 0;
	}
	if (cache_path(f->cfg->cache, uri, path, sizeof(path), e) == -1)
		return -1;
	if ((rc = file_sha256(path, h)) == -1)
		err_set(e, "%s: cannot be read: %s", path, strerror(errno));
	return rc;
}

/* RFC 8182 section 3.4.2: el's hash against what its URI holds now. */
static int
elem_check(struct rfetch *f, const struct rrdp_elem *el, struct err *e)
{
	uint8_t	h[RRDP_HASH_LEN];
	char	want[2 * RRDP_HASH_LEN + 1], have[2 * RRDP_HASH_LEN + 1];
	int	rc;

	if ((rc = current_hash(f, el->uri, h, e)) == -1)
		return -1;
	if (!el->has_hash && rc == 0)
		return err_set(e, "<publish> element %zu (uri %s): no hash, so "
		    "a new file, but the cache has one there (RFC 8182 section "
		    "3.4.2)", el->index, el->uri);
	if (!el->has_hash)
		return 0;
	hex_encode_upper(el->hash, RRDP_HASH_LEN, want);
	if (rc == 1)
		return err_set(e, "%s element %zu (uri %s): hash %s, but the "
		    "cache has no such file (RFC 8182 section 3.4.2)",
		    el->withdraw ? "<withdraw>" : "<publish>", el->index,
		    el->uri, want);
	if (memcmp(h, el->hash, RRDP_HASH_LEN) != 0) {
		hex_encode_upper(h, RRDP_HASH_LEN, have);
		return err_set(e, "%s element %zu (uri %s): hash %s is not the "
		    "SHA-256 of the cache's copy, %s (RFC 8182 section 3.4.2)",
		    el->withdraw ? "<withdraw>" : "<publish>", el->index,
		    el->uri, want, have);
	}
	return 0;
}

/* Write the object of el as staged file o<f->nobj>.  0 or -1 with e. */
static int
obj_stage(struct rfetch *f, const struct rrdp_elem *el, struct rop *op,
    struct err *e)
{
	char	 path[PATH_MAX + 32];
	size_t	 off = 0;
	ssize_t	 w;
	int	 fd;

	snprintf(path, sizeof(path), "%s/o%zu", f->stage, f->nobj);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	while (off < el->len) {
		if ((w = write(fd, el->data + off, el->len - off)) == -1) {
			if (errno == EINTR)
				continue;
			err_set(e, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	op->obj = f->nobj++;
	ossl_sha256(el->data, el->len, op->hash);
	return 0;
}

/* rrdp_elem_fn: one element checked and staged. */
static int
stage_elem(void *arg, const struct rrdp_elem *el, struct err *e)
{
	struct rfetch	*f = arg;
	struct rop	*op;
	int		 big = !el->withdraw && el->len > f->cfg->max_file;

	if ((op = ops_find(f, el->uri)) != NULL && op->gen == f->gen)
		return err_set(e, "element %zu (uri %s): a second element for "
		    "the same file", el->index, el->uri);
	if (f->delta && elem_check(f, el, e) == -1)
		return -1;
	if (big)
		log_data(f->cfg->lg, LOG_WARN, "%s: %zu bytes, over "
		    "-max.filesize (%zu): not taken from %s", el->uri, el->len,
		    f->cfg->max_file, f->notify);
	if (big && !f->delta)
		return 0;
	if (op == NULL && (op = ops_add(f, el->uri)) == NULL)
		return err_set(e, "out of memory");
	op->gen = f->gen;
	op->withdraw = el->withdraw || big;
	if (op->withdraw) {
		memset(op->hash, 0, sizeof(op->hash));
		return 0;
	}
	return obj_stage(f, el, op, e);
}

/*
 * GET ref's file into the stage as name, check its hash against the
 * notification's, and parse it, staging its elements.  0 or -1 with e.
 */
static int
file_stage(struct rfetch *f, const struct rrdp_notify *n,
    const struct rrdp_ref *ref, const char *name, struct err *e)
{
	struct https_req	 req;
	struct https_res	 res;
	char			 path[PATH_MAX + 32], why[HTTPS_WHY_MAX];
	char			 want[2 * RRDP_HASH_LEN + 1];
	char			 have[2 * RRDP_HASH_LEN + 1];
	double			 left;
	int			 fd, rc = -1;

	if ((left = f->cfg->timeout - mono_since(&f->t0)) < 0.001)
		return err_set(e, "%s: not fetched: -rrdp.timeout (%u s) "
		    "passed", ref->uri, f->cfg->timeout);
	snprintf(path, sizeof(path), "%s/%s", f->stage, name);
	memset(&req, 0, sizeof(req));
	req.uri = ref->uri;
	req.max = f->cfg->max_size;
	req.max_name = "-rrdp.maxsize";
	req.timeout_ms = (long)(left * 1000);
	req.timeout_name = "-rrdp.timeout, for the whole repository";
	req.contimeout = f->cfg->contimeout;
	req.gzip = 1;
	req.cancel = f->cfg->cancel;
	req.handle = f->curl;
	if ((req.fp = fopen(path, "w+e")) == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (https_get(&req, &res, why, sizeof(why)) == -1) {
		err_set(e, "%s: %s", ref->uri, why);
		goto out;
	}
	hex_encode_upper(ref->hash, RRDP_HASH_LEN, want);
	hex_encode_upper(res.sha256, RRDP_HASH_LEN, have);
	if (memcmp(ref->hash, res.sha256, RRDP_HASH_LEN) != 0) {
		err_set(e, "%s: SHA-256 %s, but the notification lists %s (RFC "
		    "8182 section 3.4.1)", ref->uri, have, want);
		goto out;
	}
	if (res.len == 0) {
		err_set(e, "%s: empty", ref->uri);
		goto out;
	}
	/* Read as it is parsed: a snapshot is never in memory whole. */
	fd = fileno(req.fp);
	if (fflush(req.fp) != 0 || lseek(fd, 0, SEEK_SET) == -1) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (rrdp_file_parse_fd(ref->uri, f->delta, n->session, ref->serial,
	    f->host, fd, stage_elem, f, e) >= 0)
		rc = 0;
	else if (strncmp(e->msg, ref->uri, strlen(ref->uri)) != 0)
		err_prefix(e, "%s", ref->uri);	/* stage_elem's */
 out:
	fclose(req.fp);
	unlink(path);
	return rc;
}

/* Stage deltas [first, first + count) of n.  0 or -1 with e. */
static int
deltas_stage(struct rfetch *f, const struct rrdp_notify *n, size_t first,
    size_t count, struct err *e)
{
	char	name[64];
	size_t	i;

	if (stage_reset(f, e) == -1)
		return -1;
	f->delta = 1;
	for (i = first; i < first + count; i++) {
		f->gen = i - first + 1;
		snprintf(name, sizeof(name), "delta-%llu.xml",
		    (unsigned long long)n->deltas[i].serial);
		if (file_stage(f, n, &n->deltas[i], name, e) == -1) {
			err_prefix(e, "delta %llu", (unsigned long long)
			    n->deltas[i].serial);
			return -1;
		}
	}
	return 0;
}

static int
snapshot_stage(struct rfetch *f, const struct rrdp_notify *n,
    struct err *e)
{
	if (stage_reset(f, e) == -1)
		return -1;
	f->delta = 0;
	f->gen = 1;
	if (file_stage(f, n, &n->snapshot, "snapshot.xml", e) == -1)
		return err_prefix(e, "snapshot %llu",
		    (unsigned long long)n->serial);
	return 0;
}

/* State, stage and state file paths of f->notify.  0 or -1 with e. */
static int
paths_make(struct rfetch *f, struct err *e)
{
	uint8_t	h[RRDP_HASH_LEN];
	char	hex[2 * RRDP_HASH_LEN + 1];

	ossl_sha256(f->notify, strlen(f->notify), h);
	hex_encode(h, RRDP_HASH_LEN, hex);
	if ((size_t)snprintf(f->state, sizeof(f->state), "%s/.rrdp/%s",
	    f->cfg->cache, hex) >= sizeof(f->state) ||
	    (size_t)snprintf(f->stage, sizeof(f->stage), "%s.stage",
	    f->state) >= sizeof(f->stage))
		return err_set(e, "%s: path too long", f->cfg->cache);
	return 0;
}

static int
rop_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rop *)a)->uri,
	    ((const struct rop *)b)->uri);
}

/*
 * Rename op's staged object into place; *dir is the directory made
 * last (ops come sorted, so most share it).  0 or -1 with e.
 */
static int
obj_apply(struct rfetch *f, const struct rop *op, char *dir, size_t dirlen,
    struct err *e)
{
	char	 path[CACHE_URI_MAX + PATH_MAX], src[PATH_MAX + 32];
	char	*slash;

	if (cache_path(f->cfg->cache, op->uri, path, sizeof(path), e) == -1)
		return -1;
	slash = strrchr(path, '/');
	*slash = '\0';
	if (strcmp(dir, path) != 0) {
		if (mkdirs(path, e) == -1)
			return -1;
		snprintf(dir, dirlen, "%s", path);
	}
	*slash = '/';
	snprintf(src, sizeof(src), "%s/o%zu", f->stage, op->obj);
	if (rename(src, path) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	return 0;
}

/* Remove the cache's file of uri, if it has one.  0 or -1 with e. */
static int
file_remove(struct rfetch *f, const char *uri, struct err *e)
{
	char	path[CACHE_URI_MAX + PATH_MAX];

	if (cache_path(f->cfg->cache, uri, path, sizeof(path), e) == -1)
		return -1;
	if (unlink(path) == -1 && errno != ENOENT)
		return err_set(e, "%s: %s", path, strerror(errno));
	return 0;
}

/* Move *s (set NULL) to the end of st->files (room made by the caller). */
static void
files_take(struct rrdp_state *st, char **s)
{
	st->files[st->nfiles++] = *s;
	*s = NULL;
}

/*
 * Apply what is staged: for each file of the old state and each
 * operation, in URI order, keep, write or remove it, and collect the new
 * state's files in nst.  A snapshot removes the old files it lacks.
 */
static int
ops_apply(struct rfetch *f, struct rrdp_state *nst, struct rrdp_outcome *out,
    struct err *e)
{
	struct rrdp_state	*old = &f->st;
	char			 dir[CACHE_URI_MAX + PATH_MAX] = "";
	size_t			 i = 0, j = 0;
	int			 c;

	if ((nst->files = calloc(old->nfiles + f->nops + 1,
	    sizeof(*nst->files))) == NULL)
		return err_set(e, "out of memory");
	while (i < old->nfiles || j < f->nops) {
		/* Taken by a delta's apply that failed half way: gone. */
		if (i < old->nfiles && old->files[i] == NULL) {
			i++;
			continue;
		}
		c = i == old->nfiles ? 1 : j == f->nops ? -1 :
		    strcmp(old->files[i], f->ops[j].uri);
		if (c < 0) {
			if (f->delta)
				files_take(nst, &old->files[i]);
			else if (file_remove(f, old->files[i], e) == -1)
				return -1;
			else
				out->removed++;
			i++;
			continue;
		}
		if (f->ops[j].withdraw) {
			if (file_remove(f, f->ops[j].uri, e) == -1)
				return -1;
			out->removed++;
		} else {
			if (obj_apply(f, &f->ops[j], dir, sizeof(dir), e) == -1)
				return -1;
			out->written++;
			files_take(nst, &f->ops[j].uri);
		}
		i += c == 0;
		j++;
	}
	return 0;
}

/*
 * Apply what is staged for notification n, then write the new state.
 * The old state is removed first: stopped half way, the next fetch
 * finds none and loads the snapshot.  0 or -1 with e.
 */
static int
stage_apply(struct rfetch *f, const struct rrdp_notify *n,
    struct rrdp_outcome *out, struct err *e)
{
	struct rrdp_state	nst;
	int			rc = -1;

	memset(&nst, 0, sizeof(nst));
	out->written = out->removed = 0;
	if (unlink(f->state) == -1 && errno != ENOENT)
		return err_set(e, "%s: %s", f->state, strerror(errno));
	f->have_state = 0;
	if (f->nops > 1)
		qsort(f->ops, f->nops, sizeof(*f->ops), rop_cmp);
	free(f->slot);		/* the order changed: no more lookups */
	f->slot = NULL;
	f->nslot = 0;
	if (ops_apply(f, &nst, out, e) == -1)
		goto out;
	memcpy(nst.session, n->session, sizeof(nst.session));
	nst.serial = n->serial;
	if (rrdp_state_write(f->state, f->notify, &nst, e) == 0)
		rc = 0;
 out:
	rrdp_state_clear(&nst);
	return rc;
}

/* GET and parse the notification into *np.  0 or -1 with e. */
static int
notify_get(struct rfetch *f, struct rrdp_notify **np, struct err *e)
{
	struct https_req	 req;
	struct https_res	 res;
	struct buf		 b;
	char			 why[HTTPS_WHY_MAX];

	memset(&b, 0, sizeof(b));
	memset(&req, 0, sizeof(req));
	req.uri = f->notify;
	req.max = f->cfg->max_size < RRDP_NOTIFY_MAX ? f->cfg->max_size :
	    RRDP_NOTIFY_MAX;
	req.max_name = "the limit of a notification file";
	req.timeout_ms = (long)f->cfg->timeout * 1000;
	req.timeout_name = "-rrdp.timeout";
	req.contimeout = f->cfg->contimeout;
	req.gzip = 1;
	req.cancel = f->cfg->cancel;
	req.handle = f->curl;
	req.mem = &b;
	*np = NULL;
	if (https_get(&req, &res, why, sizeof(why)) == -1)
		err_set(e, "%s: %s", f->notify, why);
	else if (res.len == 0)
		err_set(e, "%s: empty", f->notify);
	else
		*np = rrdp_notify_parse(f->notify, (const uint8_t *)b.data,
		    b.len, e);
	buf_free(&b);
	return *np != NULL ? 0 : -1;
}

/* The state as the last success left it; none if it cannot be read. */
static void
state_load(struct rfetch *f)
{
	struct err	e;
	int		rc;

	if ((rc = rrdp_state_read(f->state, f->notify, &f->st, &e)) == -1)
		log_ops(f->cfg->lg, LOG_WARN, "%s: state not usable, "
		    "loading the snapshot: %s", f->notify, e.msg);
	f->have_state = rc == 0;
}

/* Deltas, else the snapshot, staged and applied.  0 or -1 with e. */
static int
fetch_update(struct rfetch *f, const struct rrdp_notify *n,
    struct rrdp_outcome *out, struct err *e)
{
	char		why[WHY_MAX];
	size_t		first, count;

	out->action = rrdp_plan(f->have_state ? &f->st : NULL, n, &first,
	    &count, why, sizeof(why));
	if (out->action == RRDP_NOTHING) {
		log_ops(f->cfg->lg, LOG_INFO, "%s: serial %llu, as we have it "
		    "(%.2f s)", f->notify, (unsigned long long)n->serial,
		    mono_since(&f->t0));
		return 0;
	}
	if (out->action == RRDP_DELTAS) {
		if (deltas_stage(f, n, first, count, e) == 0 &&
		    stage_apply(f, n, out, e) == 0) {
			out->ndeltas = count;
			log_ops(f->cfg->lg, LOG_INFO, "%s: %zu delta%s to "
			    "serial %llu: %zu files written, %zu removed "
			    "(%.2f s)",
			    f->notify, count, count == 1 ? "" : "s",
			    (unsigned long long)n->serial, out->written,
			    out->removed, mono_since(&f->t0));
			return 0;
		}
		log_ops(f->cfg->lg, LOG_WARN, "%s: refused %s; loading the "
		    "snapshot", f->notify, e->msg);
		snprintf(why, sizeof(why), "a delta was refused");
		out->action = RRDP_SNAPSHOT;
	}
	if (snapshot_stage(f, n, e) == -1 || stage_apply(f, n, out, e) == -1)
		return -1;
	log_ops(f->cfg->lg, LOG_INFO, "%s: snapshot of serial %llu (%s): %zu "
	    "files written, %zu removed (%.2f s)", f->notify,
	    (unsigned long long)n->serial, why, out->written, out->removed,
	    mono_since(&f->t0));
	return 0;
}

int
rrdp_fetch(const struct rrdp_config *cfg, const char *notify,
    const char *host, struct rrdp_outcome *out, char *why, size_t whylen)
{
	struct rfetch		 f;
	struct rrdp_notify	*n = NULL;
	struct err		 e;
	int			 rc = -1;

	memset(&f, 0, sizeof(f));
	memset(out, 0, sizeof(*out));
	f.cfg = cfg;
	f.notify = notify;
	f.host = host;
	clock_gettime(CLOCK_MONOTONIC, &f.t0);
	if ((f.curl = https_handle()) == NULL)
		err_set(&e, "cannot start libcurl");
	else if (paths_make(&f, &e) == 0) {
		state_load(&f);
		if (notify_get(&f, &n, &e) == 0) {
			out->serial = n->serial;
			rc = fetch_update(&f, n, out, &e);
		}
	}
	if (rc == -1)
		snprintf(why, whylen, "%s", e.msg);
	https_handle_free(f.curl);
	stage_remove(&f);
	rrdp_notify_free(n);
	rrdp_state_clear(&f.st);
	return rc;
}
