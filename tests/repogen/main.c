/*
 * rpki-repogen - write a complete, valid RPKI repository and the output a
 * correct validator makes of it.
 *
 *   rpki-repogen -o DIR [-seed N] [-cas N] [-roas N] [-now TIME] ...
 *
 * writes DIR/tals/NAME.tal, DIR/rsync/HOST/MODULE/..., DIR/rrdp/HOST/...
 * (when built with the RRDP writer), DIR/expected/ and DIR/repogen.conf.
 * See tests/repogen/README.md.
 *
 * With -faults LIST, the object faults of faults.h are injected and
 * DIR/expected/ says what a correct validator makes of them.
 *
 * Exit codes: 0 written; 1 generation failed; 2 usage error.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "faults.h"
#include "flags.h"
#include "keypool.h"
#include "fileio.h"
#include "repogen.h"
#ifdef REPOGEN_HAVE_RRDP
#include "rrdp.h"
#endif

#define EXIT_FAIL	1
#define EXIT_USAGE	2

static const char *prog = "rpki-repogen";

struct opts {
	const char	*out, *now, *keys, *faults;
	long long	 seed, cas, roas, tas, rirs, hosts, fanout, aspa;
	long long	 jobs;
	int		 quiet;
};

/*
 * Make DIR ready: created if missing; an earlier output of ours (it has
 * repogen.conf) is cleared; anything else that is not empty is refused.
 */
static int
outdir_prepare(const char *dir, struct err *e)
{
	static const char *const ours[] = {
		"rsync", "rrdp", "expected", "tals", "repogen.conf",
	};
	char		 path[PATH_MAX];
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	size_t		 i;
	int		 empty = 1;

	if (mkdirs(dir, e) == -1)
		return -1;
	if ((d = opendir(dir)) == NULL)
		return err_set(e, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	if (empty)
		return 0;
	snprintf(path, sizeof(path), "%s/repogen.conf", dir);
	if (stat(path, &st) == -1)
		return err_set(e, "%s: not empty and not an rpki-repogen "
		    "output (no repogen.conf): refusing to write there", dir);
	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ours[i]);
		if (fs_remove_tree(path, e) == -1)
			return -1;
	}
	return 0;
}

struct run {
	const struct plan	*pl;
	const struct keypool	*kp;
	const char		*out;
	atomic_size_t		 next;
	atomic_int		 failed;
	pthread_mutex_t		 mu;
	struct err		 e;	/* the first error, under mu */
};

static void *
run_worker(void *arg)
{
	struct run	*r = arg;
	EVP_PKEY	*ee[RG_EE_KEYS] = { 0 };
	struct err	 e;
	size_t		 i;
	int		 ok = 1;

	/* Each thread signs with its own copies of the shared EE keys. */
	for (i = 0; i < RG_EE_KEYS && ok; i++)
		ok = (ee[i] = EVP_PKEY_dup(r->kp->keys[i])) != NULL;
	if (!ok)
		err_set(&e, "out of memory");
	while (ok && !atomic_load(&r->failed) &&
	    (i = atomic_fetch_add(&r->next, 1)) < r->pl->ncas)
		ok = pubpoint_write(r->pl, r->kp, ee, i, r->out, &e) == 0;
	if (!ok && !atomic_exchange(&r->failed, 1)) {
		pthread_mutex_lock(&r->mu);
		r->e = e;
		pthread_mutex_unlock(&r->mu);
	}
	for (i = 0; i < RG_EE_KEYS; i++)
		EVP_PKEY_free(ee[i]);
	return NULL;
}

int
run_jobs(const struct plan *pl, const struct keypool *kp, const char *out,
    int njobs, struct err *e)
{
	struct run	 r;
	pthread_t	*th;
	int		 i, started = 0;

	memset(&r, 0, sizeof(r));
	r.pl = pl;
	r.kp = kp;
	r.out = out;
	atomic_init(&r.next, 0);
	atomic_init(&r.failed, 0);
	pthread_mutex_init(&r.mu, NULL);
	if ((th = calloc((size_t)njobs, sizeof(*th))) == NULL)
		return err_set(e, "out of memory");
	for (i = 0; i < njobs; i++)
		if (pthread_create(&th[i], NULL, run_worker, &r) == 0)
			started++;
	if (started == 0)
		run_worker(&r);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&r.mu);
	if (atomic_load(&r.failed)) {
		*e = r.e;
		return -1;
	}
	return 0;
}

int
rrdp_all(const struct plan *pl, const char *out, const int *faults,
    struct err *e)
{
#ifdef REPOGEN_HAVE_RRDP
	char	 src[PATH_MAX], dst[PATH_MAX], base[RG_URI_MAX];
	size_t	 h;
	int	 rc;

	for (h = 0; h < pl->nhosts; h++) {
		snprintf(src, sizeof(src), "%s/rsync/%s", out, pl->hosts[h]);
		snprintf(dst, sizeof(dst), "%s/rrdp/%s", out, pl->hosts[h]);
		snprintf(base, sizeof(base), "https://%s/rrdp", pl->hosts[h]);
		if (access(src, F_OK) == -1)
			continue;	/* a host nobody publishes on */
		if (mkdirs(dst, e) == -1)
			return err_prefix(e, "RRDP %s", pl->hosts[h]);
		if (faults != NULL && faults[h] != RRDP_FAULT_NONE)
			rc = rrdp_publish_fault(pl->hosts[h], src, dst, base,
			    RRDP_KEEP_DELTAS, pl->p.seed,
			    (enum rrdp_fault)faults[h], e);
		else
			rc = rrdp_publish(pl->hosts[h], src, dst, base,
			    RRDP_KEEP_DELTAS, pl->p.seed, e);
		if (rc == -1)
			return err_prefix(e, "RRDP %s", pl->hosts[h]);
	}
	return 0;
#else
	/*
	 * HOOK: tests/repogen/rrdp.c (RFC 8182 writer) was not in the tree
	 * when this was built; CMakeLists.txt defines REPOGEN_HAVE_RRDP and
	 * links it as soon as it is.  Until then no DIR/rrdp is written.
	 */
	(void)pl;
	(void)out;
	(void)faults;
	(void)e;
	return 0;
#endif
}

/*
 * Note in out/repogen.conf that the repository has object faults, so
 * that "next" refuses it instead of silently writing a clean generation.
 */
static int
conf_faults(const char *out, const char *list, struct err *e)
{
	char	 path[PATH_MAX];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/repogen.conf", out);
	if ((fp = fopen(path, "a")) == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	fprintf(fp, "faults=%s\n", list);
	if (fclose(fp) == EOF)
		return err_set(e, "%s: %s", path, strerror(errno));
	return 0;
}

int
conf_write(const struct plan *pl, const char *out, struct err *e)
{
	char	 path[PATH_MAX], *text;
	size_t	 cap = 1024 + 32 * (size_t)pl->gen, n;
	uint32_t g;
	int	 rc;

	if ((text = malloc(cap)) == NULL)
		return err_set(e, "out of memory");
	n = (size_t)snprintf(text, cap,
	    "# rpki-repogen output: the parameters, for \"rpki-repogen next\"\n"
	    "generation=%u\nseed=%llu\ntas=%zu\nrirs=%zu\ncas=%zu\nroas=%zu\n"
	    "hosts=%zu\nfanout=%zu\naspa-version=%d\nnow=%lld\n", pl->gen,
	    (unsigned long long)pl->p.seed, pl->p.tas, pl->p.rirs, pl->p.cas,
	    pl->p.roas, pl->p.hosts, pl->p.fanout, pl->p.aspa_version,
	    (long long)pl->nows[1]);
	for (g = 2; g <= pl->gen; g++)
		n += (size_t)snprintf(text + n, cap - n, "now.%u=%lld\n", g,
		    (long long)pl->nows[g]);
	snprintf(path, sizeof(path), "%s/repogen.conf", out);
	rc = fs_write(path, text, n, e);
	free(text);
	return rc;
}

/* Phases timed for the summary line. */
enum { T_START, T_KEYS, T_OBJECTS, T_EXPECTED, T_RRDP, T_N };

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
summary(const struct plan *pl, const char *out, const struct timespec *t)
{
	size_t	 i, nvrps = 0;

	for (i = 0; i < pl->nroas; i++)
		nvrps += pl->roas[i].npfx;
	fprintf(stderr, "%s: %s: %zu TAs, %zu CAs, %zu ROAs (%zu VRPs), %zu "
	    "ASPAs, %zu router keys on %zu hosts in %.1f s (plan and key "
	    "pool %.1f, objects %.1f, expected %.1f, RRDP %.1f)\n", prog, out,
	    pl->p.tas, pl->ncas - pl->p.tas, pl->nroas, nvrps, pl->naspas,
	    pl->nrouters, pl->nhosts, elapsed(&t[T_START], &t[T_RRDP]),
	    elapsed(&t[T_START], &t[T_KEYS]),
	    elapsed(&t[T_KEYS], &t[T_OBJECTS]),
	    elapsed(&t[T_OBJECTS], &t[T_EXPECTED]),
	    elapsed(&t[T_EXPECTED], &t[T_RRDP]));
}

static int
generate(const struct opts *o, const struct rg_params *p,
    struct faults *fl)
{
	struct plan	 pl;
	struct keypool	 kp;
	struct timespec	 t[T_N];
	struct err	 e;
	char		 keys[PATH_MAX];
	size_t		 i;
	int		 rc = EXIT_FAIL;

	clock_gettime(CLOCK_MONOTONIC, &t[T_START]);
	if (o->keys[0] != '\0')
		snprintf(keys, sizeof(keys), "%s", o->keys);
	else if (keypool_default_path(keys, sizeof(keys)) == -1) {
		fprintf(stderr, "%s: neither XDG_CACHE_HOME nor HOME is set: "
		    "give -keys FILE\n", prog);
		return EXIT_USAGE;
	}
	if (plan_build(p, &pl, &e) == -1) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		return EXIT_USAGE;
	}
	/* Before the key pool: deep-chain adds CAs, which need keys. */
	if (faults_any(fl) && faults_apply(fl, &pl, &e) == -1) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		plan_free(&pl);
		return EXIT_USAGE;
	}
	if (keypool_open(&kp, keys, RG_EE_KEYS + pl.ncas, (int)o->jobs,
	    o->quiet ? NULL : stderr, &e) == -1) {
		fprintf(stderr, "%s: key pool: %s\n", prog, e.msg);
		plan_free(&pl);
		return EXIT_FAIL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t[T_KEYS]);
	if (outdir_prepare(o->out, &e) == -1 ||
	    run_jobs(&pl, &kp, o->out, (int)o->jobs, &e) == -1)
		goto fail;
	for (i = 0; i < p->tas; i++)
		if (tal_write(&pl, &kp, i, o->out, &e) == -1)
			goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t[T_OBJECTS]);
	if (expected_write(&pl, o->out, &e) == -1 ||
	    (faults_any(fl) && faults_write(fl, &pl, o->out, &e) == -1))
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t[T_EXPECTED]);
	if (rrdp_all(&pl, o->out, NULL, &e) == -1 ||
	    conf_write(&pl, o->out, &e) == -1 ||
	    (faults_any(fl) && conf_faults(o->out, o->faults, &e) == -1))
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t[T_RRDP]);
	if (!o->quiet)
		summary(&pl, o->out, t);
	rc = 0;
	goto out;
 fail:
	fprintf(stderr, "%s: %s\n", prog, e.msg);
 out:
	keypool_free(&kp);
	plan_free(&pl);
	return rc;
}

static void
define_flags(struct flagset *fs, struct opts *o)
{
	flags_init(fs, prog);
	fs->synopsis = "  rpki-repogen -o DIR [-seed N] [-cas N] [-roas N] "
	    "[-faults LIST|all] [-now TIME]\n  rpki-repogen next DIR";
	flag_string(fs, "o", &o->out, "", "Output directory (required)");
	flag_int(fs, "seed", &o->seed, 1, "Seed: same seed and parameters, "
	    "same repository content");
	flag_int(fs, "cas", &o->cas, 20, "CAs below the trust anchors, "
	    "RIR-like CAs included");
	flag_int(fs, "roas", &o->roas, 200, "ROA objects in all");
	flag_int(fs, "tas", &o->tas, 2, "Trust anchors");
	flag_int(fs, "rirs", &o->rirs, 2, "RIR-like CAs per trust anchor");
	flag_int(fs, "hosts", &o->hosts, 3, "Publication hosts of member "
	    "CAs (repo-N.test)");
	flag_int(fs, "fanout", &o->fanout, 0, "Child CAs per CA (0: every "
	    "member directly under an RIR-like CA)");
	flag_int(fs, "aspa-version", &o->aspa, 0, "ASPA profile: 0 "
	    "(draft-08, what rpki-client 8 parses) or 1 (current)");
	flag_string(fs, "now", &o->now, "", "Generation time, unix seconds "
	    "or 2006-01-02T15:04:05Z (default: the clock)");
	flag_string(fs, "keys", &o->keys, "", "RSA key pool file (default: "
	    "$XDG_CACHE_HOME/rpki-repogen/rsa2048.pem)");
	flag_int(fs, "j", &o->jobs, 0, "Threads (0: one per CPU)");
	flag_string(fs, "faults", &o->faults, "", "Object faults to inject: "
	    "names separated by commas, or all (listed below)");
	flag_bool(fs, "q", &o->quiet, 0, "No progress or summary on stderr");
}

static int
check_opts(const struct opts *o, struct rg_params *p)
{
	memset(p, 0, sizeof(*p));
	if (o->out[0] == '\0') {
		fprintf(stderr, "%s: -o DIR is required\n", prog);
		return -1;
	}
	if (o->cas < 0 || o->roas < 0 || o->tas < 0 || o->rirs < 0 ||
	    o->hosts < 0 || o->fanout < 0 || o->seed < 0 || o->jobs < 0 ||
	    o->roas > 10000000 || (o->aspa != 0 && o->aspa != 1)) {
		fprintf(stderr, "%s: want non-negative counts, -roas <= "
		    "10000000 and -aspa-version 0 or 1\n", prog);
		return -1;
	}
	p->seed = (uint64_t)o->seed;
	p->tas = (size_t)o->tas;
	p->rirs = (size_t)o->rirs;
	p->cas = (size_t)o->cas;
	p->roas = (size_t)o->roas;
	p->hosts = (size_t)o->hosts;
	p->fanout = (size_t)o->fanout;
	p->aspa_version = (int)o->aspa;
	p->now = (int64_t)time(NULL);
	if (o->now[0] != '\0' && timestamp_parse(o->now, &p->now) == -1) {
		fprintf(stderr, "%s: -now: want unix seconds or "
		    "2006-01-02T15:04:05Z, have \"%s\"\n", prog, o->now);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct flagset	 fs;
	struct opts	 o;
	struct rg_params p;
	struct faults	 fl;
	struct err	 e;
	int		 r, rest, rc = EXIT_USAGE;
	long		 ncpu;

	if (argc > 1 && strcmp(argv[1], "next") == 0)
		return next_main(argc - 1, argv + 1);
	define_flags(&fs, &o);
	r = flags_parse(&fs, argc, argv, 1, &rest, &e);
	memset(&fl, 0, sizeof(fl));
	if (r == 1) {
		flags_usage(&fs, stdout);
		faults_usage(stdout);
		rc = 0;
	} else if (r == -1 || rest != argc) {
		fprintf(stderr, "%s: %s\n", prog, r == -1 ? e.msg :
		    "unexpected argument");
		flags_usage(&fs, stderr);
	} else if (o.faults[0] != '\0' &&
	    faults_select(&fl, o.faults, &e) == -1)
		fprintf(stderr, "%s: %s\n", prog, e.msg);
	else if (check_opts(&o, &p) == 0) {
		if (o.jobs == 0)
			o.jobs = (ncpu = sysconf(_SC_NPROCESSORS_ONLN)) > 0 ?
			    ncpu : 1;
		rc = generate(&o, &p, &fl);
	}
	flags_free(&fs);
	return rc;
}
