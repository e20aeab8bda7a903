/*
 * rtrload.c - an epoll RTR load client for benchmarking RTR caches on
 * loopback (rtrcache, StayRTR, rtrtrivial).
 *
 *   rtrload storm -connect 127.0.0.1:8282 -n 1000 -expect a.json
 *   rtrload idle  -n 1000 -sync full -expect a.json -ready R -stamp S
 *   rtrload hold  -n 10000 -hold 30s
 *   rtrload start -since NS -expect a.json
 *   rtrload kill  -pid P -signal HUP -stamp S
 *
 * storm: open -n sessions (at most -conc connects in flight), then send a
 *   Reset Query on every one at once and read each answer to End of
 *   Data.  Reports the time from the first query to the last End of
 *   Data, per-session p50/p99/max, bytes, PDUs and the client's own CPU.
 * idle: open -n sessions and sync each (-sync full: Reset Query, checked;
 *   serial: a Serial Query for an unknown serial, answered by Cache
 *   Reset, which settles the version without a full transfer; none),
 *   touch the -ready file, then wait for a Serial Notify on every
 *   session.  The trigger time is read from the -stamp file (written by
 *   `rtrload kill` just before it signals the server); reports the
 *   first, p50, p99 and last notify after it.
 * hold: open -n sessions, probe each with a Serial Query (any complete
 *   answer counts), hold them -hold long checking none is closed, probe
 *   again.
 * start: poll (a new connection every 10 ms) until a Reset Query is
 *   answered; reports when the Cache Response and the End of Data came,
 *   in ms after -since (CLOCK_REALTIME ns taken when the server started).
 * kill: write "MONO_NS REAL_NS" to -stamp and send -signal to -pid; the
 *   stamp is taken immediately before kill(2).
 *
 * Every answer to a Reset Query is checked cheaply and exactly: the
 * count of PDUs of each type and an order-independent sum and xor of a
 * hash of each payload PDU (rtrwire.h), against those of -expect (the
 * file serialized once with rtrcache's pdu_put_set) or, without it, of
 * the first session.  One thread (storm: -threads, each with its own
 * epoll loop and share of the sessions); everything is bounded by
 * -timeout; loopback addresses only.  Prints a summary and one JSON
 * line (the last line of stdout).  Exit status: 0 if every session got
 * what it should, 1 if not (or the deadline passed), 2 on a usage error.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "flags.h"
#include "pdu.h"
#include "rtrload.h"
#include "vrpfile.h"

/* Parse the file the server serves and digest its answer once. */
static int
expect_load(struct load *L, const char *path)
{
	struct vrpfile	 f;
	struct err	 e;
	struct buf	 b = { 0 };
	const uint8_t	*p;
	size_t		 off = 0, n;

	if (vrpfile_load(path, 0, &f, &e) == -1) {
		fprintf(stderr, "rtrload: -expect: %s\n", e.msg);
		return -1;
	}
	pdu_put_set(&b, (uint8_t)L->version, ASPA_PDU_DRAFT10,
	    PDU_FLAG_ANNOUNCE, f.set);
	vrpfile_free(&f);
	if (buf_failed(&b)) {
		fprintf(stderr, "rtrload: -expect: out of memory\n");
		return -1;
	}
	memset(&L->exp, 0, sizeof(L->exp));
	p = (const uint8_t *)b.data;
	while (off + 8 <= b.len) {
		n = rtrl_be32(p + off + 4);
		rtrw_digest_add(&L->exp, p + off, n);
		off += n;
	}
	L->have_exp = 1;
	L->exp_from_file = 1;
	buf_free(&b);
	return 0;
}

static double
ms(int64_t ns)
{
	return (double)ns / 1e6;
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile (nearest rank) of n sorted values. */
static double
quantile(const double *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(q * (double)n + 0.999999);
	return v[i == 0 ? 0 : i - 1];
}

static double
cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Latencies t_end - t_ask of the sessions done, in ms, appended to v. */
static size_t
latencies(const struct load *L, double *v)
{
	size_t i, k = 0;

	for (i = 0; i < L->n; i++)
		if (L->s[i].t_end > 0)
			v[k++] = ms(L->s[i].t_end - L->s[i].t_ask);
	return k;
}

/* All PDUs received by the sessions since their last query. */
static uint64_t
pdus_received(const struct load *L)
{
	uint64_t	t = 0;
	size_t		i, j;

	for (i = 0; i < L->n; i++)
		for (j = 0; j < RTRW_NTYPES; j++)
			t += L->s[i].d.cnt[j];
	return t;
}

/* What one round of queries over T loads did, merged. */
struct round {
	int64_t		t0;		/* first query */
	int64_t		last;		/* last answer */
	size_t		nasked, nok, nbad, k;
	uint64_t	bytes, pdus, want;
	double		cpu, *lat;
	int		rc;
};

static void
round_merge(struct round *r, struct load *Ls, size_t T)
{
	size_t	t, i;

	r->t0 = INT64_MAX;
	for (t = 0; t < T; t++) {
		struct load *L = &Ls[t];

		for (i = 0; i < L->n; i++) {
			if (L->s[i].t_ask > 0 && L->s[i].t_ask < r->t0)
				r->t0 = L->s[i].t_ask;
			if (L->s[i].t_end > r->last)
				r->last = L->s[i].t_end;
		}
		r->k += latencies(L, r->lat + r->k);
		r->nasked += L->nasked;
		r->nok += L->nok;
		r->nbad += L->nbad;
		r->bytes += L->bytes;
		r->pdus += pdus_received(L);
		r->want += (uint64_t)L->nasked * (rtrw_payloads(&L->exp) + 2);
		/* Without -expect each thread took its own reference. */
		if (!rtrw_digest_eq(&L->exp, &Ls[0].exp)) {
			fprintf(stderr, "rtrload: threads got different sets\n");
			r->rc = -1;
		}
	}
	qsort(r->lat, r->k, sizeof(*r->lat), cmp_dbl);
}

struct job {
	struct load		*L;
	pthread_barrier_t	*go;
	int			 rc;
};

static void *
job_run(void *arg)
{
	struct job *j = arg;

	pthread_barrier_wait(j->go);
	rtrl_ask_all(j->L, 0);
	j->rc = rtrl_run(j->L, rtrl_all_done, j->L->deadline);
	return NULL;
}

/* Ask every session of T loads at once, one thread per load. */
static int
round_run(struct load *Ls, size_t T, struct round *r)
{
	pthread_barrier_t	 go;
	pthread_t		 th[RTRL_MAX_THREADS];
	struct job		 jobs[RTRL_MAX_THREADS];
	double			 cpu0 = cpu_now();
	size_t			 t, n = 0;

	memset(r, 0, sizeof(*r));
	for (t = 0; t < T; t++)
		n += Ls[t].n;
	if ((r->lat = calloc(n + 1, sizeof(*r->lat))) == NULL)
		return -1;
	if (T == 1) {
		rtrl_ask_all(&Ls[0], 0);
		r->rc = rtrl_run(&Ls[0], rtrl_all_done, Ls[0].deadline);
	} else {
		pthread_barrier_init(&go, NULL, (unsigned)T);
		for (t = 0; t < T; t++) {
			jobs[t].L = &Ls[t];
			jobs[t].go = &go;
			pthread_create(&th[t], NULL, job_run, &jobs[t]);
		}
		for (t = 0; t < T; t++) {
			pthread_join(th[t], NULL);
			if (jobs[t].rc != 0)
				r->rc = -1;
		}
		pthread_barrier_destroy(&go);
	}
	r->cpu = cpu_now() - cpu0;
	round_merge(r, Ls, T);
	return 0;
}

/*
 * One Reset Query on every open session of T loads at once (a thread
 * each), read to End of Data.  Prints the figures and fills the JSON
 * fragment js.  Returns 0 if every session got the expected answer.
 */
static int
reset_all(struct load *Ls, size_t T, const char *tag, char *js,
    size_t jslen)
{
	struct round	r;
	int64_t		wall;
	double		p50, p99, mx;

	if (round_run(Ls, T, &r) == -1)
		return -1;
	wall = (r.rc == 0 ? r.last : rtrw_mono()) - r.t0;
	p50 = quantile(r.lat, r.k, 0.5);
	p99 = quantile(r.lat, r.k, 0.99);
	mx = r.k ? r.lat[r.k - 1] : 0;
	printf("%s: %zu sessions, %zu ok, %zu bad, %s %.1f ms; per session "
	    "p50 %.1f p99 %.1f max %.1f ms; %.1f MB, %llu PDUs (%.0f/s); "
	    "client CPU %.2f s (%.0f%% of one core, %zu thread%s)\n", tag,
	    r.nasked, r.nok, r.nbad, r.rc == 0 ? "all End of Data after" :
	    "DEADLINE after", ms(wall), p50, p99, mx, (double)r.bytes / 1e6,
	    (unsigned long long)r.pdus, (double)r.pdus / ((double)wall / 1e9),
	    r.cpu, 100 * r.cpu / ((double)wall / 1e9), T, T > 1 ? "s" : "");
	if (r.rc != 0 && r.pdus > 0 && Ls[0].have_exp)
		printf("%s: deadline: %llu of %llu PDUs received; at that rate "
		    "all would take %.0f ms (extrapolated)\n", tag,
		    (unsigned long long)r.pdus, (unsigned long long)r.want,
		    ms(wall) * (double)r.want / (double)r.pdus);
	snprintf(js, jslen, "\"%s_ms\": %.3f, \"%s_done\": %s, "
	    "\"%s_ok\": %zu, \"%s_bad\": %zu, \"%s_p50_ms\": %.3f, "
	    "\"%s_p99_ms\": %.3f, \"%s_max_ms\": %.3f, \"%s_bytes\": %llu, "
	    "\"%s_pdus\": %llu, \"%s_pdus_wanted\": %llu, "
	    "\"%s_client_cpu_s\": %.3f, \"%s_threads\": %zu", tag, ms(wall),
	    tag, r.rc == 0 ? "true" : "false", tag, r.nok, tag, r.nbad, tag,
	    p50, tag, p99, tag, mx, tag, (unsigned long long)r.bytes, tag,
	    (unsigned long long)r.pdus, tag, (unsigned long long)r.want, tag,
	    r.cpu, tag, T);
	free(r.lat);
	return r.rc == 0 && r.nbad == 0 && r.nok == r.nasked ? 0 : -1;
}

/* Open every session; 0 if all connected. */
static int
open_all(struct load *L, char *js, size_t jslen)
{
	int64_t	t0 = rtrw_mono();
	int	rc;

	rc = rtrl_run(L, rtrl_all_connected, L->deadline);
	printf("connect: %zu of %zu sessions in %.1f ms (%zu failed%s%s)\n",
	    L->nconnected, L->n, ms(rtrw_mono() - t0), L->nconnfail,
	    L->nconnfail ? ": " : "", L->nconnfail ? L->connerr : "");
	snprintf(js, jslen, "\"connected\": %zu, \"connect_ms\": %.3f",
	    L->nconnected, ms(rtrw_mono() - t0));
	return rc == 0 && L->nconnected == L->n ? 0 : -1;
}

static int
mode_storm(struct load *Ls, size_t T)
{
	char	j1[256], j2[1024];
	size_t	t, n = 0;
	int	rc = 0;

	for (t = 0; t < T && rc == 0; t++) {
		rc = open_all(&Ls[t], j1, sizeof(j1));
		n += Ls[t].nconnected;
	}
	snprintf(j1, sizeof(j1), "\"connected\": %zu", n);
	if (rc == 0)
		rc = reset_all(Ls, T, "storm", j2, sizeof(j2));
	else
		snprintf(j2, sizeof(j2), "\"storm_done\": false");
	printf("{\"mode\": \"storm\", \"n\": %zu, \"version\": %d, "
	    "\"reference\": \"%s\", %s, %s, \"process_cpu_s\": %.3f, "
	    "\"ok\": %s}\n", n, Ls[0].version, Ls[0].exp_from_file ? "file" :
	    "first session", j1, j2, cpu_now(), rc == 0 ? "true" : "false");
	return rc == 0 ? 0 : 1;
}

/* Wait up to 10 s for the stamp file and read "MONO REAL" from it. */
static int
stamp_read(const char *path, int64_t *mono, int64_t *real)
{
	FILE		*fp;
	long long	 a, b;
	int		 i, r;

	for (i = 0; i < 1000; i++) {
		if ((fp = fopen(path, "r")) != NULL) {
			r = fscanf(fp, "%lld %lld", &a, &b);
			fclose(fp);
			if (r == 2) {
				*mono = a;
				*real = b;
				return 0;
			}
		}
		usleep(10000);
	}
	return -1;
}

static void
touch(const char *path, const char *text)
{
	FILE *fp;

	if (path[0] != '\0' && (fp = fopen(path, "w")) != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* Sync every session as -sync says. */
static int
sync_all(struct load *L, const char *how, char *js, size_t jslen)
{
	if (strcmp(how, "full") == 0)
		return reset_all(L, 1, "sync", js, jslen);
	snprintf(js, jslen, "\"sync\": \"%s\"", how);
	if (strcmp(how, "none") == 0)
		return 0;
	rtrl_ask_all(L, 1);
	if (rtrl_run(L, rtrl_all_done, L->deadline) != 0 ||
	    L->nok != L->nasked || L->nasked != L->n) {
		printf("sync: %zu of %zu sessions answered the Serial Query "
		    "with Cache Reset (%zu closed)\n", L->nok, L->n,
		    L->nclosed);
		return -1;
	}
	printf("sync: %zu sessions answered a Serial Query\n", L->nok);
	return 0;
}

static int
mode_idle(struct load *L, const char *how, const char *ready,
    const char *stamp)
{
	char	 j1[256], j2[1024], j3[512] = "\"notify_done\": false";
	double	*lat = NULL;
	int64_t	 smono = 0, sreal = 0, lastreal = 0;
	size_t	 i, k = 0, closed0, alive;
	int	 rc;

	if ((rc = open_all(L, j1, sizeof(j1))) == 0)
		rc = sync_all(L, how, j2, sizeof(j2));
	else
		snprintf(j2, sizeof(j2), "\"sync_done\": false");
	if (rc != 0)
		goto out;
	closed0 = L->nclosed;
	alive = L->nconnected - closed0;
	if (alive != L->n) {
		printf("sync: only %zu of %zu sessions left open\n", alive,
		    L->n);
		rc = -1;
		goto out;
	}
	touch(ready, "ready\n");
	printf("ready: %zu sessions idle, waiting for Serial Notify\n",
	    alive);
	fflush(stdout);
	rc = rtrl_run(L, rtrl_all_notified, L->deadline);
	if (stamp_read(stamp, &smono, &sreal) == -1) {
		printf("notify: no stamp in %s\n", stamp);
		rc = -1;
		goto out;
	}
	if ((lat = calloc(L->n + 1, sizeof(*lat))) == NULL)
		goto out;
	for (i = 0; i < L->n; i++) {
		if (!L->s[i].notified)
			continue;
		lat[k++] = ms(L->s[i].t_notify - smono);
		if (L->s[i].t_notify_real > lastreal)
			lastreal = L->s[i].t_notify_real;
	}
	qsort(lat, k, sizeof(*lat), cmp_dbl);
	printf("notify: %zu of %zu sessions got Serial Notify (%zu closed); "
	    "after the trigger: first %.1f, p50 %.1f, p99 %.1f, last %.1f "
	    "ms (spread %.1f ms)\n", L->nnotified, alive,
	    L->nclosed - closed0, k ? lat[0] : 0, quantile(lat, k, 0.5),
	    quantile(lat, k, 0.99), k ? lat[k - 1] : 0,
	    k ? lat[k - 1] - lat[0] : 0);
	snprintf(j3, sizeof(j3), "\"notify_done\": %s, \"notified\": %zu, "
	    "\"notify_first_ms\": %.3f, \"notify_p50_ms\": %.3f, "
	    "\"notify_p99_ms\": %.3f, \"notify_last_ms\": %.3f, "
	    "\"notify_last_real_ns\": %lld, \"trigger_real_ns\": %lld",
	    rc == 0 ? "true" : "false", L->nnotified, k ? lat[0] : 0,
	    quantile(lat, k, 0.5), quantile(lat, k, 0.99), k ? lat[k - 1] : 0,
	    (long long)lastreal, (long long)sreal);
	if (L->nnotified != alive || L->nclosed != closed0)
		rc = -1;
 out:
	free(lat);
	printf("{\"mode\": \"idle\", \"n\": %zu, \"version\": %d, %s, %s, %s, "
	    "\"ok\": %s}\n", L->n, L->version, j1, j2, j3,
	    rc == 0 ? "true" : "false");
	return rc == 0 ? 0 : 1;
}

/* Probe every open session with a Serial Query; count answers. */
static size_t
probe_all(struct load *L)
{
	rtrl_ask_all(L, 1);
	rtrl_run(L, rtrl_all_done, L->deadline);
	return L->nok;
}

static int
mode_hold(struct load *L, double hold)
{
	char	j1[256];
	size_t	p1 = 0, p2 = 0, closed0 = 0;
	int	rc;

	if ((rc = open_all(L, j1, sizeof(j1))) == 0) {
		p1 = probe_all(L);
		printf("probe: %zu of %zu sessions answered\n", p1, L->n);
		closed0 = L->nclosed;
		rtrl_run(L, NULL, rtrw_mono() + (int64_t)(hold * 1e9));
		p2 = probe_all(L);
		printf("hold: %.0f s; %zu sessions closed meanwhile; after: "
		    "%zu of %zu answered\n", hold, L->nclosed - closed0, p2,
		    L->n);
		rc = p1 == L->n && p2 == L->n && L->nclosed == 0 ? 0 : -1;
	}
	printf("{\"mode\": \"hold\", \"n\": %zu, %s, \"hold_s\": %.1f, "
	    "\"probe_before\": %zu, \"probe_after\": %zu, \"closed\": %zu, "
	    "\"ok\": %s}\n", L->n, j1, hold, p1, p2, L->nclosed - closed0,
	    rc == 0 ? "true" : "false");
	return rc == 0 ? 0 : 1;
}

/* One attempt: 1 if answered to End of Data, 0 to retry. */
static int
start_try(struct load *L)
{
	struct sess *s = &L->s[0];

	rtrl_sess_reset(L, s);
	if (rtrl_run(L, rtrl_all_connected, L->deadline) != 0 ||
	    s->state != SS_OPEN)
		return 0;
	rtrl_ask_all(L, 0);
	rtrl_run(L, rtrl_all_done, L->deadline);
	return s->t_end > 0 && s->errcode == 0 && L->nok == 1;
}

static int
mode_start(struct load *L, long long since)
{
	struct sess	*s = &L->s[0];
	int64_t		 off = rtrw_real() - rtrw_mono();
	int		 tries = 0, ok = 0;

	L->n = 1;
	while (rtrw_mono() < L->deadline) {
		tries++;
		if ((ok = start_try(L)) == 1)
			break;
		rtrl_sess_close(L, s);
		usleep(10000);
	}
	if (!ok) {
		printf("start: no answer before the deadline (%d tries)\n",
		    tries);
		printf("{\"mode\": \"start\", \"ok\": false}\n");
		return 1;
	}
	printf("start: Cache Response %.1f ms, End of Data %.1f ms after "
	    "the start (%d tries; answer took %.1f ms; session ID %u)\n",
	    ms(s->t_first + off - since), ms(s->t_end + off - since), tries,
	    ms(s->t_end - s->t_ask), s->session_id);
	printf("{\"mode\": \"start\", \"serving_ms\": %.3f, \"eod_ms\": %.3f, "
	    "\"answer_ms\": %.3f, \"tries\": %d, \"session_id\": %u, "
	    "\"ok\": true}\n", ms(s->t_first + off - since),
	    ms(s->t_end + off - since), ms(s->t_end - s->t_ask), tries,
	    s->session_id);
	rtrl_sess_close(L, s);
	return 0;
}

static int
mode_kill(long long pid, const char *sig, const char *stamp)
{
	char	 tmp[4096];
	FILE	*fp;
	int64_t	 m, r;
	int	 signo = strcmp(sig, "HUP") == 0 ? SIGHUP :
		    strcmp(sig, "TERM") == 0 ? SIGTERM : 0;

	if (signo == 0 || pid <= 1 || stamp[0] == '\0') {
		fprintf(stderr, "rtrload kill: want -pid P -signal HUP|TERM "
		    "-stamp FILE\n");
		return 2;
	}
	m = rtrw_mono();
	r = rtrw_real();
	if (kill((pid_t)pid, signo) == -1) {
		fprintf(stderr, "rtrload kill: %lld: %s\n", pid,
		    strerror(errno));
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", stamp);
	if ((fp = fopen(tmp, "w")) == NULL)
		return 1;
	fprintf(fp, "%lld %lld\n", (long long)m, (long long)r);
	if (fclose(fp) != 0 || rename(tmp, stamp) == -1)
		return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct flagset	 fs;
	struct load	 Ls[RTRL_MAX_THREADS];
	struct err	 e;
	size_t		 T = 0, t;
	const char	*connect_to, *expect, *how, *ready, *stamp, *sig;
	long long	 n, conc, version, since, pid, rcvbuf, session, threads;
	double		 timeout, hold;
	int		 rest, r, rc = 2;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: rtrload storm|idle|hold|start|kill "
		    "[flags] (rtrload MODE -h)\n");
		return 2;
	}
	flags_init(&fs, "rtrload");
	flag_string(&fs, "connect", &connect_to, "127.0.0.1:8282",
	    "Server address (loopback only)");
	flag_int(&fs, "n", &n, 1, "Sessions");
	flag_int(&fs, "conc", &conc, 256, "Connects in flight at most");
	flag_int(&fs, "threads", &threads, 1, "storm: threads, each with "
	    "its own epoll and share of the sessions");
	flag_int(&fs, "version", &version, 1, "RTR protocol version asked");
	flag_int(&fs, "rcvbuf", &rcvbuf, 128 * 1024, "SO_RCVBUF of each "
	    "session, bytes (0: the kernel's autotuning)");
	flag_string(&fs, "expect", &expect, "",
	    "VRP file the server serves (else: the first session's answer)");
	flag_duration(&fs, "timeout", &timeout, 600, "Deadline for it all");
	flag_string(&fs, "sync", &how, "full",
	    "idle: full (Reset Query), serial (Serial Query), none");
	flag_string(&fs, "ready", &ready, "", "idle: file to touch when "
	    "every session is synced");
	flag_string(&fs, "stamp", &stamp, "", "idle, kill: trigger stamp "
	    "file");
	flag_duration(&fs, "hold", &hold, 30, "hold: how long");
	flag_int(&fs, "session", &session, 65535, "idle -sync serial, hold: "
	    "session ID for the Serial Queries (StayRTR drops a session that "
	    "names another)");
	flag_int(&fs, "since", &since, 0, "start: CLOCK_REALTIME ns of the "
	    "server's start");
	flag_int(&fs, "pid", &pid, 0, "kill: process to signal");
	flag_string(&fs, "signal", &sig, "HUP", "kill: HUP or TERM");
	r = flags_parse(&fs, argc, argv, 2, &rest, &e);
	if (r == 1) {
		flags_usage(&fs, stdout);
		rc = 0;
		goto out;
	}
	if (r == -1 || rest != argc || n < 1 || n > 1000000 || conc < 1 ||
	    version < 0 || version > 2) {
		fprintf(stderr, "rtrload: %s\n", r == -1 ? e.msg :
		    "bad arguments");
		goto out;
	}
	if (strcmp(argv[1], "kill") == 0) {
		rc = mode_kill(pid, sig, stamp);
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	/* Only storm uses threads: each has its own share of sessions. */
	if (strcmp(argv[1], "storm") != 0 || threads < 1)
		threads = 1;
	if (threads > RTRL_MAX_THREADS || threads > n)
		threads = threads > n ? n : RTRL_MAX_THREADS;
	T = (size_t)threads;
	memset(Ls, 0, sizeof(Ls));
	rc = 1;
	for (t = 0; t < T; t++) {
		if (rtrl_init(&Ls[t], connect_to, (size_t)n / T +
		    (t < (size_t)n % T), (size_t)conc / T + 1, (int)version,
		    timeout) == -1)
			goto done;
		Ls[t].rcvbuf = (int)rcvbuf;
		Ls[t].session = (uint16_t)session;
	}
	if (expect[0] != '\0' && expect_load(&Ls[0], expect) == -1)
		goto done;
	for (t = 1; t < T; t++) {
		Ls[t].exp = Ls[0].exp;
		Ls[t].have_exp = Ls[0].have_exp;
	}
	/* The deadline counts from here: loading -expect is not measured. */
	for (t = 0; t < T; t++)
		Ls[t].deadline = rtrw_mono() + (int64_t)(timeout * 1e9);
	if (strcmp(argv[1], "storm") == 0)
		rc = mode_storm(Ls, T);
	else if (strcmp(argv[1], "idle") == 0)
		rc = mode_idle(&Ls[0], how, ready, stamp);
	else if (strcmp(argv[1], "hold") == 0)
		rc = mode_hold(&Ls[0], hold);
	else if (strcmp(argv[1], "start") == 0)
		rc = mode_start(&Ls[0], since);
	else {
		fprintf(stderr, "rtrload: unknown mode %s\n", argv[1]);
		rc = 2;
	}
 done:
	for (t = 0; t < T; t++)
		rtrl_free(&Ls[t]);
 out:
	flags_free(&fs);
	return rc;
}
