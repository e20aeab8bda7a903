/*
 * vrpbench.c - time loading, verifying and diffing VRP files.
 *
 *   vrpbench [-key PEM] [-runs N] [-diffruns N] OLD.json [NEW.json]
 *
 * (a) OLD is loaded -runs times the way the cache loads a file
 *     (vrpfile_load with VRPFILE_SIGLINES, then vrpsign_verify), split
 *     into read (file_read_all), parse+check+sort (vrpfile_parse) and
 *     verify (vrpsign_verify: sort the signature lines, two SHA-256,
 *     one ECDSA verify).  Without -key the verify step is skipped.
 * (b) With NEW, NEW is loaded once too, vrpset_diff(OLD, NEW) is timed
 *     -diffruns times (best kept), and the diff is checked: applying it
 *     to OLD must give NEW.
 * Peak RSS is getrusage's ru_maxrss, once after (a) and once at the end.
 * Times are CLOCK_MONOTONIC wall time; each phase is reported for the
 * first run (a fresh process, whose heap still has to be faulted in),
 * and as best and median of all runs.  Prints a table, then one JSON
 * line with every figure as the last line of stdout.  Exits 0, or 1 if a
 * file does not load, verify or diff correctly, or 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fileio.h"
#include "flags.h"
#include "vrpfile.h"
#include "vrpset.h"
#include "vrpsign.h"

#define MAXRUNS	1000

enum phase { PH_READ, PH_PARSE, PH_VERIFY, PH_TOTAL, NPHASES };
static const char *const phase_names[NPHASES] = {
	"read", "parse+check+sort", "verify", "load+verify",
};
static const char *const phase_keys[NPHASES] = {
	"read", "parse", "verify", "load_verify",
};

struct loadinfo {
	size_t	bytes;
	size_t	nroas;
	size_t	nvrps;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Peak resident set size so far, in KiB (Linux reports KiB). */
static long
peak_rss_kb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return -1;
	return ru.ru_maxrss;
}

/* Current resident set size in KiB, from /proc/self/statm. */
static long
cur_rss_kb(void)
{
	FILE	*fp;
	long	 size, res = -1;

	if ((fp = fopen("/proc/self/statm", "r")) == NULL)
		return -1;
	if (fscanf(fp, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(fp);
	return res < 0 ? -1 : res * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * Load path as the cache does, timing each phase into t[].  Returns 0
 * with f filled (vrpfile_free it), or -1 with the reason in e.
 */
static int
load_timed(const char *path, EVP_PKEY *key, int checktime,
    struct vrpfile *f, double t[NPHASES], struct loadinfo *li,
    struct err *e)
{
	char		*data;
	size_t		 len;
	double		 t0, t1, t2, t3;
	int		 rc;

	t0 = now_ms();
	if (file_read_all(path, VRPFILE_MAX_SIZE, &data, &len, e) == -1)
		return -1;
	t1 = now_ms();
	rc = vrpfile_parse(data, len, path, VRPFILE_SIGLINES, f, e);
	free(data);
	if (rc == -1)
		return -1;
	t2 = now_ms();
	if (key != NULL && vrpsign_verify(key, f, checktime, time(NULL), e)
	    != VRPSIGN_OK) {
		err_prefix(e, "%s", path);
		vrpfile_free(f);
		return -1;
	}
	t3 = now_ms();
	t[PH_READ] = t1 - t0;
	t[PH_PARSE] = t2 - t1;
	t[PH_VERIFY] = key != NULL ? t3 - t2 : 0;
	t[PH_TOTAL] = t3 - t0;
	li->bytes = len;
	li->nroas = f->nroas;
	li->nvrps = f->set->nvrps;
	return 0;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Best and median of n values (v is sorted in place). */
static void
best_median(double *v, size_t n, double *best, double *median)
{
	qsort(v, n, sizeof(*v), dbl_cmp);
	*best = v[0];
	*median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A public key from a PEM file holding a public or a private key. */
static EVP_PKEY *
load_key(const char *path, struct err *e)
{
	EVP_PKEY	*k;
	struct err	 e2;

	if ((k = vrpsign_load_pubkey(path, e)) != NULL)
		return k;
	if ((k = vrpsign_load_privkey(path, &e2)) != NULL)
		return k;
	return NULL;
}

struct diffres {
	double	best, median;
	size_t	changes, announced, withdrawn;
};

/*
 * Diff old to new runs times; check once that applying the diff to old
 * gives new.  Returns 0, or -1 after printing what went wrong.
 */
static int
diff_timed(const struct vrpset *old, const struct vrpset *new, size_t runs,
    struct diffres *r)
{
	struct vrpdiff	 d;
	struct vrpset	*applied;
	double		 t[MAXRUNS], t0;
	size_t		 i;
	int		 ok;

	for (i = 0; i < runs; i++) {
		t0 = now_ms();
		if (vrpset_diff(old, new, &d) == -1) {
			fprintf(stderr, "vrpbench: diff: out of memory\n");
			return -1;
		}
		t[i] = now_ms() - t0;
		r->changes = vrpdiff_count(&d);
		r->announced = d.announced->nvrps;
		r->withdrawn = d.withdrawn->nvrps;
		if (i + 1 < runs)
			vrpdiff_free(&d);
	}
	best_median(t, runs, &r->best, &r->median);
	applied = vrpset_apply(old, &d);
	ok = applied != NULL && vrpset_equal(applied, new);
	vrpset_unref(applied);
	vrpdiff_free(&d);
	if (!ok)
		fprintf(stderr, "vrpbench: diff check failed: old + diff "
		    "!= new\n");
	return ok ? 0 : -1;
}

static void
print_results(const char *path, const char *path2, const struct loadinfo *li,
    size_t runs, double first[NPHASES], double best[NPHASES],
    double med[NPHASES], int verified,
    const double *load2, const struct diffres *dr, long rss_load,
    long rss_set, long rss_peak)
{
	int i;

	printf("vrpbench: %s: %zu bytes, %zu ROAs -> %zu VRPs, %zu run%s\n",
	    path, li->bytes, li->nroas, li->nvrps, runs, runs > 1 ? "s" : "");
	printf("  %-22s %10s %10s %10s\n", "phase", "first ms", "best ms",
	    "median ms");
	for (i = 0; i < NPHASES; i++) {
		if (i == PH_VERIFY && !verified)
			printf("  %-22s %10s %10s %10s\n", phase_names[i], "-",
			    "-", "-");
		else
			printf("  %-22s %10.1f %10.1f %10.1f\n",
			    phase_names[i], first[i], best[i], med[i]);
	}
	if (dr != NULL) {
		printf("  %-22s %10.1f                       (%s, once)\n",
		    "load+verify new", load2[PH_TOTAL], path2);
		printf("  %-22s %10s %10.2f %10.2f (%zu changes: %zu "
		    "announced, %zu withdrawn)\n", "diff old->new", "",
		    dr->best, dr->median,
		    dr->changes, dr->announced, dr->withdrawn);
	}
	printf("  peak RSS: %.1f MB after loading one file; %.1f MB at the "
	    "end; set held: %.1f MB RSS\n", rss_load / 1024.0,
	    rss_peak / 1024.0, rss_set / 1024.0);

	printf("{\"file\": \"%s\", \"bytes\": %zu, \"roas\": %zu, "
	    "\"vrps\": %zu, \"runs\": %zu, \"verified\": %s", path, li->bytes,
	    li->nroas, li->nvrps, runs, verified ? "true" : "false");
	for (i = 0; i < NPHASES; i++)
		printf(", \"%s_ms\": %.2f, \"%s_median_ms\": %.2f, "
		    "\"%s_first_ms\": %.2f", phase_keys[i], best[i],
		    phase_keys[i], med[i], phase_keys[i], first[i]);
	if (dr != NULL)
		printf(", \"file2\": \"%s\", \"load_verify2_ms\": %.2f, "
		    "\"diff_ms\": %.3f, \"diff_median_ms\": %.3f, "
		    "\"diff_changes\": %zu, \"diff_announced\": %zu, "
		    "\"diff_withdrawn\": %zu", path2, load2[PH_TOTAL],
		    dr->best, dr->median, dr->changes, dr->announced,
		    dr->withdrawn);
	printf(", \"rss_load_kb\": %ld, \"rss_set_kb\": %ld, "
	    "\"rss_peak_kb\": %ld}\n", rss_load, rss_set, rss_peak);
}

static int
usage(struct flagset *fs)
{
	fprintf(stderr, "usage: vrpbench [flags] OLD.json [NEW.json]\n");
	flags_usage(fs, stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	struct flagset	 fs;
	struct vrpfile	 f, f2;
	struct loadinfo	 li, li2;
	struct diffres	 dr;
	struct err	 e;
	EVP_PKEY	*key = NULL;
	const char	*keypath, *path, *path2 = NULL;
	double		 t[MAXRUNS][NPHASES], col[MAXRUNS], load2[NPHASES];
	double		 best[NPHASES], med[NPHASES];
	long long	 runs, diffruns;
	long		 rss_load, rss_set;
	int		 checktime, rest, rc = 1, i;
	size_t		 r;

	memset(&f, 0, sizeof(f));
	memset(&f2, 0, sizeof(f2));
	flags_init(&fs, "vrpbench");
	flag_string(&fs, "key", &keypath, "", "PEM P-256 key (public or "
	    "private) to verify with; none: skip verify");
	flag_int(&fs, "runs", &runs, 3, "Loads of OLD to time");
	flag_int(&fs, "diffruns", &diffruns, 10, "Diffs to time");
	flag_bool(&fs, "checktime", &checktime, 1, "Verify the time "
	    "signature and that metadata.valid is in the future");
	if ((i = flags_parse(&fs, argc, argv, 1, &rest, &e)) != 0) {
		if (i == -1)
			fprintf(stderr, "%s\n", e.msg);
		rc = i == 1 ? 0 : usage(&fs);
		goto out;
	}
	if (argc - rest < 1 || argc - rest > 2 || runs < 1 ||
	    runs > MAXRUNS || diffruns < 1 || diffruns > MAXRUNS) {
		rc = usage(&fs);
		goto out;
	}
	path = argv[rest];
	if (argc - rest == 2)
		path2 = argv[rest + 1];
	if (*keypath != '\0' && (key = load_key(keypath, &e)) == NULL) {
		fprintf(stderr, "vrpbench: %s\n", e.msg);
		goto out;
	}

	for (r = 0; r < (size_t)runs; r++) {
		vrpfile_free(&f);
		if (load_timed(path, key, checktime, &f, t[r], &li, &e) == -1) {
			fprintf(stderr, "vrpbench: %s\n", e.msg);
			goto out;
		}
	}
	rss_load = peak_rss_kb();
	rss_set = cur_rss_kb();
	for (i = 0; i < NPHASES; i++) {
		for (r = 0; r < (size_t)runs; r++)
			col[r] = t[r][i];
		best_median(col, (size_t)runs, &best[i], &med[i]);
	}
	if (path2 != NULL) {
		if (load_timed(path2, key, checktime, &f2, load2, &li2, &e)
		    == -1) {
			fprintf(stderr, "vrpbench: %s\n", e.msg);
			goto out;
		}
		if (diff_timed(f.set, f2.set, (size_t)diffruns, &dr) == -1)
			goto out;
	}
	print_results(path, path2, &li, (size_t)runs, t[0], best, med,
	    key != NULL, load2, path2 != NULL ? &dr : NULL, rss_load,
	    rss_set, peak_rss_kb());
	rc = 0;
 out:
	vrpfile_free(&f);
	vrpfile_free(&f2);
	EVP_PKEY_free(key);
	flags_free(&fs);
	return rc;
}
