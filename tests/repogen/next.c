/*
 * next.c - "rpki-repogen next [flags] DIR": turn DIR, an earlier output,
 * into the following generation (evolve.c says what changes), with RRDP
 * deltas from the previous one, and rewrite the expected output.
 *
 * The new rsync tree is written beside the old one and renamed into
 * place, so a reader (rsync daemon, validator) sees one generation or the
 * other.  Unchanged objects are written with the same bytes, so the RRDP
 * delta holds only what changed.  With -faults, the RRDP faults of rrdp.h
 * are put into this generation's RRDP files, each on its own host.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "flags.h"
#include "keypool.h"
#include "fileio.h"
#include "repogen.h"
#ifdef REPOGEN_HAVE_RRDP
#include "rrdp.h"
#endif

static const char *prog = "rpki-repogen next";

/* The most generations a directory may go through. */
#define GEN_MAX		100000

struct conf {
	struct rg_params p;
	uint32_t	 gen;
	int64_t		*nows;		/* [1 .. gen] */
};

/* One "key=value" line of repogen.conf into c. */
static int
conf_line(struct conf *c, const char *key, const char *val, struct err *e)
{
	char			*end;
	unsigned long long	 v;
	unsigned long		 g;

	if (strcmp(key, "faults") == 0)
		return err_set(e, "made with -faults %s: \"next\" would write "
		    "a clean generation; make the repository without -faults",
		    val);
	errno = 0;
	v = strtoull(val, &end, 10);
	if (errno != 0 || *end != '\0' || end == val)
		return err_set(e, "%s: want a number, have \"%s\"", key, val);
	if (strcmp(key, "generation") == 0) {
		if (v < 1 || v >= GEN_MAX)
			return err_set(e, "generation: want 1..%d, have %llu",
			    GEN_MAX - 1, v);
		c->gen = (uint32_t)v;
		free(c->nows);
		if ((c->nows = calloc(c->gen + 2, sizeof(*c->nows))) == NULL)
			return err_set(e, "out of memory");
	} else if (strcmp(key, "seed") == 0)
		c->p.seed = v;
	else if (strcmp(key, "tas") == 0)
		c->p.tas = (size_t)v;
	else if (strcmp(key, "rirs") == 0)
		c->p.rirs = (size_t)v;
	else if (strcmp(key, "cas") == 0)
		c->p.cas = (size_t)v;
	else if (strcmp(key, "roas") == 0)
		c->p.roas = (size_t)v;
	else if (strcmp(key, "hosts") == 0)
		c->p.hosts = (size_t)v;
	else if (strcmp(key, "fanout") == 0)
		c->p.fanout = (size_t)v;
	else if (strcmp(key, "aspa-version") == 0)
		c->p.aspa_version = (int)v;
	else if (strcmp(key, "now") == 0)
		c->p.now = (int64_t)v;
	else if (strncmp(key, "now.", 4) == 0) {
		g = strtoul(key + 4, &end, 10);
		if (*end != '\0' || c->nows == NULL || g < 2 || g > c->gen)
			return err_set(e, "%s: no such generation", key);
		c->nows[g] = (int64_t)v;
	}
	/* Other keys (written by later versions) are left alone. */
	return 0;
}

/* Read DIR/repogen.conf.  0, or -1 with e. */
static int
conf_read(const char *dir, struct conf *c, struct err *e)
{
	char	 path[PATH_MAX], line[256], *eq, *nl;
	FILE	*fp;
	int	 n = 0, rc = 0;
	uint32_t g;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/repogen.conf", dir);
	if ((fp = fopen(path, "r")) == NULL)
		return err_set(e, "%s: %s (not an rpki-repogen output?)", path,
		    strerror(errno));
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		n++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			rc = err_set(e, "%s:%d: want key=value", path, n);
			break;
		}
		*eq = '\0';
		if ((rc = conf_line(c, line, eq + 1, e)) == -1)
			err_prefix(e, "%s:%d", path, n);
	}
	fclose(fp);
	if (rc == 0 && c->gen == 0)
		rc = err_set(e, "%s: no generation= line", path);
	if (rc == 0) {
		c->nows[1] = c->p.now;
		for (g = 2; g <= c->gen && rc == 0; g++)
			if (c->nows[g] < c->nows[g - 1])
				rc = err_set(e, "%s: now.%u missing or before "
				    "the generation before it", path, g);
	}
	return rc;
}

#ifdef REPOGEN_HAVE_RRDP
static const struct {
	const char	*name;
	int		 fault;		/* enum rrdp_fault, or a bomb */
	const char	*effect;
} rrdp_faults[] = {
	{ "rrdp-delta-hash", RRDP_FAULT_DELTA_HASH, "RFC 8182 3.4.1, "
	    "3.5.1.3: the notification's hash of the new delta is wrong: "
	    "refuse the delta, load the snapshot; VRPs as expected" },
	{ "rrdp-delta-element-hash", RRDP_FAULT_DELTA_ELEMENT_HASH,
	    "RFC 8182 3.4.2, 3.5.3.3: a publish/withdraw in the delta has "
	    "the wrong hash of the file it replaces: refuse the delta, load "
	    "the snapshot; VRPs as expected" },
	{ "rrdp-session", RRDP_FAULT_SESSION, "RFC 8182 3.4.1: new "
	    "session_id: drop the host's data and load the snapshot; VRPs "
	    "as expected" },
	{ "rrdp-serial-gap", RRDP_FAULT_SERIAL_GAP, "RFC 8182 3.4.1: the "
	    "serial jumps by two, a delta is missing: load the snapshot; "
	    "VRPs as expected" },
	{ "rrdp-dotdot", RRDP_FAULT_DOTDOT, "RFC 8182 3.5.2.3: a publish "
	    "URI with ../ path traversal: refuse it (or the whole file), "
	    "write nothing outside the cache; VRPs as expected" },
	{ "rrdp-entity-bomb", -1, "XML entity expansion in the "
	    "notification: refuse without expanding, fall back to rsync; "
	    "VRPs as expected" },
	{ "rrdp-gzip-bomb", -2, "notification.xml.gz inflates to 2 GB: "
	    "stop at the size limit, fall back to rsync; VRPs as expected" },
};
#define NRRDP_FAULTS (sizeof(rrdp_faults) / sizeof(rrdp_faults[0]))
#define GZIP_BOMB_SIZE	(2ULL << 30)
#endif

struct fault_pick {
	size_t		 idx;	/* into rrdp_faults */
	size_t		 host;	/* into plan.hosts */
};

/*
 * Parse -faults (comma-separated names or "all") into picks, the i-th
 * fault on the i-th host, member hosts first.  Returns the number of
 * picks, or -1 with e.
 */
static int
faults_parse(const char *list, const struct plan *pl, struct fault_pick *fp,
    struct err *e)
{
#ifdef REPOGEN_HAVE_RRDP
	char	 buf[512], *tok, *save = NULL;
	size_t	 i, n = 0, k;

	if (list[0] == '\0')
		return 0;
	if (strcmp(list, "all") == 0)
		snprintf(buf, sizeof(buf), "%s", "");
	else
		snprintf(buf, sizeof(buf), "%s", list);
	for (i = 0; strcmp(list, "all") == 0 && i < NRRDP_FAULTS; i++)
		fp[n++].idx = i;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NRRDP_FAULTS &&
		    strcmp(rrdp_faults[i].name, tok) != 0; i++)
			;
		if (i == NRRDP_FAULTS) {
			err_set(e, "-faults: no RRDP fault \"%s\"; want all or "
			    "some of:", tok);
			for (i = 0; i < NRRDP_FAULTS; i++)
				snprintf(e->msg + strlen(e->msg), sizeof(e->msg) -
				    strlen(e->msg), " %s", rrdp_faults[i].name);
			return -1;
		}
		for (k = 0; k < n && fp[k].idx != i; k++)
			;
		if (k == n && n < NRRDP_FAULTS)
			fp[n++].idx = i;
	}
	if (n > pl->nhosts)
		return err_set(e, "-faults: %zu RRDP faults need as many hosts, "
		    "the repository has %zu", n, pl->nhosts);
	for (i = 0; i < n; i++)
		fp[i].host = (pl->p.tas + i) % pl->nhosts;
	return (int)n;
#else
	(void)pl;
	(void)fp;
	if (list[0] == '\0')
		return 0;
	return err_set(e, "-faults: built without the RRDP writer");
#endif
}

/*
 * RRDP of every host, the faults in fp[0..n) on theirs, and
 * expected/rrdp-faults.txt saying what each does.
 */
static int
next_rrdp(const struct plan *pl, const char *dir, const struct fault_pick *fp,
    int n, struct err *e)
{
#ifdef REPOGEN_HAVE_RRDP
	char	 path[PATH_MAX], text[4096];
	size_t	 len = 0;
	int	*hf, i, f, rc = -1;

	if (n == 0)
		return rrdp_all(pl, dir, NULL, e);
	if ((hf = calloc(pl->nhosts, sizeof(*hf))) == NULL)
		return err_set(e, "out of memory");
	for (i = 0; i < n; i++)
		if ((f = rrdp_faults[fp[i].idx].fault) > 0)
			hf[fp[i].host] = f;
	if (rrdp_all(pl, dir, hf, e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		f = rrdp_faults[fp[i].idx].fault;
		snprintf(path, sizeof(path), "%s/rrdp/%s", dir,
		    pl->hosts[fp[i].host]);
		if (f == -1 && rrdp_fault_entity_bomb(path, e) == -1)
			goto out;
		if (f == -2 && rrdp_fault_gzip_bomb(path, GZIP_BOMB_SIZE,
		    e) == -1)
			goto out;
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "%s https://%s/rrdp/notification.xml %s\n",
		    rrdp_faults[fp[i].idx].name, pl->hosts[fp[i].host],
		    rrdp_faults[fp[i].idx].effect);
	}
	snprintf(path, sizeof(path), "%s/expected/rrdp-faults.txt", dir);
	rc = fs_write(path, text, len, e);
 out:
	free(hf);
	return rc;
#else
	(void)fp;
	(void)n;
	return rrdp_all(pl, dir, NULL, e);
#endif
}

/* Write generation pl->gen's rsync tree beside DIR/rsync, then swap. */
static int
next_tree(struct plan *pl, const struct keypool *kp, const char *dir,
    int njobs, struct err *e)
{
	char	 stage[PATH_MAX], old[PATH_MAX], cur[PATH_MAX], tree[PATH_MAX];

	snprintf(stage, sizeof(stage), "%s/.next", dir);
	snprintf(tree, sizeof(tree), "%s/.next/rsync", dir);
	snprintf(old, sizeof(old), "%s/.prev-rsync", dir);
	snprintf(cur, sizeof(cur), "%s/rsync", dir);
	if (fs_remove_tree(stage, e) == -1 || fs_remove_tree(old, e) == -1 ||
	    mkdirs(stage, e) == -1)
		return -1;
	/* Unchanged objects are copied from the current tree. */
	pl->reuse = cur;
	if (run_jobs(pl, kp, stage, njobs, e) == -1)
		return -1;
	pl->reuse = NULL;
	if (rename(cur, old) == -1 && errno != ENOENT)
		return err_set(e, "rename %s: %s", cur, strerror(errno));
	if (rename(tree, cur) == -1)
		return err_set(e, "rename %s: %s", tree, strerror(errno));
	return fs_remove_tree(old, e) == -1 ? -1 : fs_remove_tree(stage, e);
}

struct next_opts {
	const char	*now, *keys, *faults;
	long long	 jobs;
	int		 quiet;
};

static int
next_run(const struct next_opts *o, const char *dir)
{
	struct conf	 c;
	struct plan	 pl;
	struct keypool	 kp;
	struct fault_pick fp[16];
	struct err	 e;
	char		 keys[PATH_MAX], path[PATH_MAX];
	int64_t		 now;
	size_t		 nvrps = 0, i;
	int		 nf, rc = RG_EXIT_FAIL, havekp = 0, haveplan = 0;
	long		 ncpu;
	int		 njobs = (int)o->jobs;

	if (njobs == 0)
		njobs = (ncpu = sysconf(_SC_NPROCESSORS_ONLN)) > 0 ? (int)ncpu : 1;
	if (conf_read(dir, &c, &e) == -1)
		goto fail;
	now = (int64_t)time(NULL);
	if (o->now[0] != '\0' && timestamp_parse(o->now, &now) == -1) {
		fprintf(stderr, "%s: -now: want unix seconds or "
		    "2006-01-02T15:04:05Z, have \"%s\"\n", prog, o->now);
		free(c.nows);
		return RG_EXIT_USAGE;
	}
	if (now < c.nows[c.gen]) {
		if (o->now[0] != '\0') {
			err_set(&e, "-now %s is before generation %u's time",
			    o->now, c.gen);
			goto fail;
		}
		now = c.nows[c.gen];	/* the clock went back: keep order */
	}
	c.nows[c.gen + 1] = now;
	if (plan_build(&c.p, &pl, &e) == -1)
		goto fail;
	haveplan = 1;
	if (plan_evolve(&pl, c.gen + 1, c.nows, &e) == -1)
		goto fail;
	if ((nf = faults_parse(o->faults, &pl, fp, &e)) == -1) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		rc = RG_EXIT_USAGE;
		goto out;
	}
	if (o->keys[0] != '\0')
		snprintf(keys, sizeof(keys), "%s", o->keys);
	else if (keypool_default_path(keys, sizeof(keys)) == -1) {
		err_set(&e, "neither XDG_CACHE_HOME nor HOME is set: give "
		    "-keys FILE");
		goto fail;
	}
	if (keypool_open(&kp, keys, RG_EE_KEYS + pl.ncas, njobs,
	    o->quiet ? NULL : stderr, &e) == -1)
		goto fail;
	havekp = 1;
	snprintf(path, sizeof(path), "%s/expected/rrdp-faults.txt", dir);
	if (next_tree(&pl, &kp, dir, njobs, &e) == -1 ||
	    fs_remove_tree(path, &e) == -1 ||
	    expected_write(&pl, dir, &e) == -1 ||
	    next_rrdp(&pl, dir, fp, nf, &e) == -1 ||
	    conf_write(&pl, dir, &e) == -1)
		goto fail;
	for (i = 0; i < pl.nroas; i++)
		nvrps += pl.roas[i].revoked ? 0 : pl.roas[i].npfx;
	if (!o->quiet)
		fprintf(stderr, "%s: %s: generation %u: %zu CAs, %zu ROAs (%zu "
		    "VRPs), %zu EEs revoked\n", prog, dir, pl.gen,
		    pl.ncas - pl.p.tas, pl.nroas, nvrps, pl.nrevoked);
	rc = 0;
	goto out;
 fail:
	fprintf(stderr, "%s: %s: %s\n", prog, dir, e.msg);
 out:
	if (havekp)
		keypool_free(&kp);
	if (haveplan)
		plan_free(&pl);
	free(c.nows);
	return rc;
}

int
next_main(int argc, char **argv)
{
	struct flagset	 fs;
	struct next_opts o;
	struct err	 e;
	int		 r, rest, rc = RG_EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	flags_init(&fs, prog);
	fs.synopsis = "  rpki-repogen next [-now TIME] [-faults LIST|all] "
	    "[-keys FILE] [-j N] [-q] DIR";
	flag_string(&fs, "now", &o.now, "", "Time of the new generation, "
	    "unix seconds or 2006-01-02T15:04:05Z (default: the clock)");
	flag_string(&fs, "faults", &o.faults, "", "RRDP faults in this "
	    "generation, each on its own host: rrdp-delta-hash, "
	    "rrdp-delta-element-hash, rrdp-session, rrdp-serial-gap, "
	    "rrdp-dotdot, rrdp-entity-bomb, rrdp-gzip-bomb, or all");
	flag_string(&fs, "keys", &o.keys, "", "RSA key pool file (default: "
	    "$XDG_CACHE_HOME/rpki-repogen/rsa2048.pem)");
	flag_int(&fs, "j", &o.jobs, 0, "Threads (0: one per CPU)");
	flag_bool(&fs, "q", &o.quiet, 0, "No summary on stderr");
	r = flags_parse(&fs, argc, argv, 1, &rest, &e);
	if (r == 1) {
		flags_usage(&fs, stdout);
		rc = 0;
	} else if (r == -1 || rest != argc - 1 || o.jobs < 0) {
		fprintf(stderr, "%s: %s\n", prog, r == -1 ? e.msg :
		    o.jobs < 0 ? "-j: want >= 0" : "want one directory");
		flags_usage(&fs, stderr);
	} else
		rc = next_run(&o, argv[rest]);
	flags_free(&fs);
	return rc;
}
