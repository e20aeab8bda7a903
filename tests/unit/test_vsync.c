/*
 * test_vsync.c - the validator's rsync fetching (validator/sync.c)
 * against a real rsync daemon on loopback, started here and stopped by
 * its PID: a module fetched into the cache in rsync's layout, only the
 * RPKI file types, files gone from the module deleted, each module
 * fetched once a run however many ask (several threads at once
 * included), a TA certificate as one file, and a failure (no daemon, no
 * such module, no rsync program) logged with the URI and leaving the
 * cache as it was; a CA whose RRDP repository fails has its module
 * fetched with rsync (once, from four threads), unless failover is off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "sync.h"

static char	 top[] = "/tmp/vsyncXXXXXX";
static char	 cache[256], logpath[256], uri[128];
static pid_t	 daemon_pid = -1;
static int	 port;
static FILE	*logfp;
static struct logger lg;

static void
put(const char *rel, const char *text)
{
	char	 path[512];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static int
exists(const char *rel)
{
	char		path[512];
	struct stat	st;

	snprintf(path, sizeof(path), "%s/%s", cache, rel);
	return stat(path, &st) == 0;
}

/* Whether the log so far holds s. */
static int
logged(const char *s)
{
	struct err	 e;
	char		*text;
	size_t		 len;
	int		 found;

	fflush(logfp);
	if (file_read_all(logpath, 1 << 20, &text, &len, &e) != 0)
		return 0;
	found = strstr(text, s) != NULL;
	free(text);
	return found;
}

static int
connectable(int p)
{
	struct sockaddr_in	sin;
	int			fd, ok;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)p);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

/* rsync --daemon on 127.0.0.1:port serving top/mod as "repo". */
static int
setup(void **state)
{
	char	conf[512], path[512], portarg[32], confarg[600];
	int	i, tries;

	(void)state;
	/* The daemon, started as root, reads as nobody: all readable. */
	umask(022);
	assert_non_null(mkdtemp(top));
	assert_int_equal(chmod(top, 0755), 0);
	snprintf(path, sizeof(path), "%s/mod", top);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/mod/ca-1", top);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/mod/ta", top);
	assert_int_equal(mkdir(path, 0755), 0);
	put("mod/ca-1/a.roa", "roa");
	put("mod/ca-1/b.mft", "mft");
	put("mod/ca-1/c.crl", "crl");
	put("mod/ca-1/d.cer", "cer");
	put("mod/ca-1/e.asa", "asa");
	put("mod/ca-1/readme.txt", "not an RPKI object");
	put("mod/ca-1/tiny.roa", "");
	put("mod/ta/ta.cer", "ta");
	put("mod/ta/other.cer", "o");	/* within max_file 2 */
	snprintf(cache, sizeof(cache), "%s/cache", top);
	snprintf(logpath, sizeof(logpath), "%s/log", top);
	snprintf(conf, sizeof(conf), "%s/rsyncd.conf", top);
	snprintf(path, sizeof(path), "use chroot = no\npid file = %s/pid\n"
	    "[repo]\npath = %s/mod\nread only = yes\n", top, top);
	put("rsyncd.conf", path);
	assert_non_null(logfp = fopen(logpath, "w"));
	log_init(&lg, "test_vsync", logfp);
	for (tries = 0; tries < 5; tries++) {
		port = 20000 + (int)((unsigned)getpid() * 7919u +
		    (unsigned)time(NULL) * 31u + (unsigned)tries * 104729u) %
		    20000;
		if (connectable(port))
			continue;
		snprintf(portarg, sizeof(portarg), "--port=%d", port);
		snprintf(confarg, sizeof(confarg), "--config=%s", conf);
		if ((daemon_pid = fork()) == 0) {
			execlp("rsync", "rsync", "--daemon", "--no-detach",
			    "--address=127.0.0.1", portarg, confarg,
			    (char *)NULL);
			_exit(127);
		}
		assert_true(daemon_pid > 0);
		for (i = 0; i < 100 && !connectable(port); i++)
			usleep(50000);
		if (connectable(port))
			break;
		kill(daemon_pid, SIGTERM);
		waitpid(daemon_pid, NULL, 0);
		daemon_pid = -1;
	}
	assert_true(daemon_pid > 0);
	snprintf(uri, sizeof(uri), "rsync://127.0.0.1:%d/repo", port);
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[600];

	(void)state;
	if (daemon_pid > 0) {
		kill(daemon_pid, SIGTERM);
		waitpid(daemon_pid, NULL, 0);
	}
	if (logfp != NULL)
		fclose(logfp);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	if (getenv("VSYNC_KEEP") != NULL)
		return 0;
	return system(cmd) == 0 ? 0 : -1;
}

/* A fetcher into cache with rsync program rsync and these limits. */
static struct sync *
sync_with(const char *rsync, unsigned timeout, size_t max_file,
    const atomic_int *cancel, unsigned parallel)
{
	struct sync_config	cfg;
	struct sync		*s;

	memset(&cfg, 0, sizeof(cfg));
	cfg.cache = cache;
	cfg.rsync = rsync;
	cfg.timeout = timeout;
	cfg.contimeout = timeout < 5 ? timeout : 5;
	cfg.max_file = max_file;
	cfg.cancel = cancel;
	cfg.parallel = parallel;
	cfg.lg = &lg;
	assert_non_null(s = sync_new(&cfg));
	return s;
}

/* max_file 2: tiny.roa (0 bytes) in, the others (3 bytes and more) out. */
static struct sync *
new_sync(const char *rsync)
{
	return sync_with(rsync, 10, 2, NULL, 0);
}

static void
test_module(void **state)
{
	struct sync		*s;
	struct sync_stats	 st;
	char			 u[256], h[64];

	(void)state;
	s = new_sync("rsync");
	snprintf(u, sizeof(u), "%s/ca-1/", uri);
	assert_int_equal(sync_module(s, u, NULL), 0);
	snprintf(h, sizeof(h), "127.0.0.1:%d/repo", port);
	/* -max.filesize 2: only the empty file passes. */
	{
		char	rel[128];

		snprintf(rel, sizeof(rel), "%s/ca-1/tiny.roa", h);
		assert_true(exists(rel));
		snprintf(rel, sizeof(rel), "%s/ca-1/a.roa", h);
		assert_false(exists(rel));
		snprintf(rel, sizeof(rel), "%s/ca-1/readme.txt", h);
		assert_false(exists(rel));
	}
	/* The same module again, by another of its URIs: not fetched. */
	snprintf(u, sizeof(u), "%s/ta/ta.cer", uri);
	assert_int_equal(sync_module(s, u, NULL), 0);
	sync_stats(s, &st);
	assert_int_equal(st.fetched, 1);
	assert_int_equal(st.failed, 0);
	assert_true(logged("fetched rsync://127.0.0.1:"));
	sync_free(s);
}

static void
test_types_and_delete(void **state)
{
	struct sync	*s;
	char		 u[256], rel[256], path[512];
	const char	*const in[] = { "a.roa", "b.mft", "c.crl", "d.cer",
			    "e.asa" };
	size_t		 i;

	(void)state;
	s = sync_with("rsync", 10, 4096, NULL, 0);
	snprintf(u, sizeof(u), "%s/ca-1/", uri);
	assert_int_equal(sync_module(s, u, NULL), 0);
	sync_free(s);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		snprintf(rel, sizeof(rel), "127.0.0.1:%d/repo/ca-1/%s", port,
		    in[i]);
		assert_true(exists(rel));
	}
	snprintf(rel, sizeof(rel), "127.0.0.1:%d/repo/ca-1/readme.txt",
	    port);
	assert_false(exists(rel));
	/* Gone from the module: gone from the cache at the next run. */
	snprintf(path, sizeof(path), "%s/mod/ca-1/a.roa", top);
	assert_int_equal(unlink(path), 0);
	s = sync_with("rsync", 10, 4096, NULL, 0);
	assert_int_equal(sync_module(s, u, NULL), 0);
	sync_free(s);
	snprintf(rel, sizeof(rel), "127.0.0.1:%d/repo/ca-1/a.roa", port);
	assert_false(exists(rel));
	snprintf(rel, sizeof(rel), "127.0.0.1:%d/repo/ca-1/b.mft", port);
	assert_true(exists(rel));
	put("mod/ca-1/a.roa", "roa");
}

static void
test_file(void **state)
{
	struct sync		*s;
	struct sync_stats	 st;
	char			 u[256], rel[256], cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", cache);
	assert_int_equal(system(cmd), 0);
	s = new_sync("rsync");
	snprintf(u, sizeof(u), "%s/ta/other.cer", uri);
	assert_int_equal(sync_file(s, u), 0);
	snprintf(rel, sizeof(rel), "127.0.0.1:%d/repo/ta/other.cer", port);
	assert_true(exists(rel));
	/* Only that file of its directory. */
	snprintf(rel, sizeof(rel), "127.0.0.1:%d/repo/ta/ta.cer", port);
	assert_false(exists(rel));
	assert_int_equal(sync_file(s, "https://example.test/ta.cer"), -1);
	sync_stats(s, &st);
	assert_int_equal(st.fetched, 1);
	sync_free(s);
}

struct racer {
	struct sync	*s;
	const char	*uri;
	int		 rc;
};

static void *
race(void *arg)
{
	struct racer	*r = arg;

	r->rc = sync_module(r->s, r->uri, NULL);
	return NULL;
}

static void
test_threads_once(void **state)
{
	struct sync		*s;
	struct sync_stats	 st;
	struct racer		 r[4];
	pthread_t		 th[4];
	char			 u[256];
	int			 i;

	(void)state;
	s = new_sync("rsync");
	snprintf(u, sizeof(u), "%s/ca-1/", uri);
	for (i = 0; i < 4; i++) {
		r[i].s = s;
		r[i].uri = u;
		r[i].rc = -2;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].rc, 0);
	}
	sync_stats(s, &st);
	assert_int_equal(st.fetched, 1);
	sync_free(s);
}

/*
 * Modules asked for ahead are fetched at once by the prefetching
 * threads: four one-second fetches take about one second, not four;
 * each is fetched once, whether its sync_module comes before or after.
 */
static void
test_prefetch(void **state)
{
	struct sync		*s;
	struct sync_stats	 st;
	struct timespec		 t0, t1;
	char			 prog[300], u[256];
	double			 secs;
	int			 i;

	(void)state;
	snprintf(prog, sizeof(prog), "%s/slow-rsync", top);
	put("slow-rsync", "#!/bin/sh\nsleep 1\n");
	assert_int_equal(chmod(prog, 0755), 0);
	s = sync_with(prog, 10, 4096, NULL, 4);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 4; i++) {
		snprintf(u, sizeof(u), "rsync://127.0.0.1:%d/m%d/ca/", port, i);
		sync_prefetch(s, u, NULL);
	}
	for (i = 3; i >= 0; i--) {
		snprintf(u, sizeof(u), "rsync://127.0.0.1:%d/m%d/x/", port, i);
		assert_int_equal(sync_module(s, u, NULL), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("four 1 s fetches, prefetched: %.2f s\n", secs);
	assert_true(secs < 2.5);
	sync_stats(s, &st);
	assert_int_equal(st.fetched, 4);
	assert_int_equal(st.failed, 0);
	sync_free(s);
	/* Without prefetching threads, sync_prefetch does nothing. */
	s = sync_with(prog, 10, 4096, NULL, 0);
	snprintf(u, sizeof(u), "rsync://127.0.0.1:%d/m9/", port);
	sync_prefetch(s, u, NULL);
	sync_stats(s, &st);
	assert_int_equal(st.fetched + st.failed, 0);
	sync_free(s);
}

/* How many times the log so far holds s. */
static int
logged_times(const char *s)
{
	struct err	 e;
	char		*text, *p;
	size_t		 len;
	int		 n = 0;

	fflush(logfp);
	if (file_read_all(logpath, 1 << 20, &text, &len, &e) != 0)
		return -1;
	for (p = text; (p = strstr(p, s)) != NULL; p += strlen(s))
		n++;
	free(text);
	return n;
}

/* A fetcher with RRDP on (failover as given), rsync as the fallback. */
static struct sync *
sync_rrdp(int rrdp, int failover, unsigned parallel)
{
	struct sync_config	cfg;
	struct sync		*s;

	memset(&cfg, 0, sizeof(cfg));
	cfg.cache = cache;
	cfg.rsync = "rsync";
	cfg.timeout = 10;
	cfg.contimeout = 5;
	cfg.max_file = 4096;
	cfg.parallel = parallel;
	cfg.rrdp = rrdp;
	cfg.rrdp_failover = failover;
	cfg.rrdp_timeout = 10;
	cfg.rrdp_max = 1 << 20;
	cfg.lg = &lg;
	assert_non_null(s = sync_new(&cfg));
	return s;
}

struct rracer {
	struct sync	*s;
	const char	*uri, *notify;
	int		 rc;
};

static void *
race_rrdp(void *arg)
{
	struct rracer	*r = arg;

	r->rc = sync_module(r->s, r->uri, r->notify);
	return NULL;
}

/*
 * A CA naming a notification file that cannot be fetched (nothing
 * listens on loopback port 1): the RRDP failure is said once, naming the
 * notification, counted, and the CA's module comes with rsync instead;
 * four threads asking at once make one RRDP attempt and one rsync fetch.
 * Without failover: no rsync, -1.  With RRDP off: rsync only, the
 * notification never tried.  Prefetched: the failed repository's module
 * is queued and fetched once.
 */
static void
test_rrdp_fallback(void **state)
{
	const char		*notify =
				    "https://127.0.0.1:1/notification.xml";
	const char		*said = "RRDP https://127.0.0.1:1/"
				    "notification.xml failed: ";
	struct sync		*s;
	struct sync_stats	 st;
	struct rracer		 r[4];
	struct sync_repo	*repos;
	pthread_t		 th[4];
	char			 u[256], cmd[300], rel[128];
	size_t			 nrepos;
	int			 i, before;

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", cache);
	assert_int_equal(system(cmd), 0);
	snprintf(u, sizeof(u), "%s/ca-1/", uri);
	before = logged_times(said);
	s = sync_rrdp(1, 1, 0);
	for (i = 0; i < 4; i++) {
		r[i].s = s;
		r[i].uri = u;
		r[i].notify = notify;
		r[i].rc = -2;
		assert_int_equal(pthread_create(&th[i], NULL, race_rrdp, &r[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].rc, 0);
	}
	sync_stats(s, &st);
	assert_int_equal(st.rrdp_failed, 1);
	assert_int_equal(st.rrdp_fetched, 0);
	assert_int_equal(st.fetched, 1);
	assert_int_equal(logged_times(said), before + 1);
	assert_true(logged("; falling back to rsync"));
	snprintf(rel, sizeof(rel), "127.0.0.1:%d/repo/ca-1/a.roa", port);
	assert_true(exists(rel));
	/* Per repository: the notification failed, then its module. */
	assert_int_equal(sync_repos(s, &repos, &nrepos), 0);
	assert_int_equal(nrepos, 2);
	assert_int_equal(repos[0].rrdp, 1);
	assert_string_equal(repos[0].uri, notify);
	assert_int_equal(repos[0].ok, 0);
	assert_int_equal(repos[0].serial, 0);
	assert_int_equal(repos[1].rrdp, 0);
	snprintf(rel, sizeof(rel), "rsync://127.0.0.1:%d/repo", port);
	assert_string_equal(repos[1].uri, rel);
	assert_int_equal(repos[1].ok, 1);
	assert_true(repos[1].secs > 0 && repos[1].secs < 60);
	assert_true(repos[1].finished >= repos[0].finished &&
	    repos[1].finished <= (int64_t)time(NULL));
	sync_repos_free(repos, nrepos);
	sync_free(s);
	/* No failover: the cache as it is. */
	s = sync_rrdp(1, 0, 0);
	assert_int_equal(sync_module(s, u, notify), -1);
	sync_stats(s, &st);
	assert_int_equal(st.rrdp_failed, 1);
	assert_int_equal(st.fetched + st.failed, 0);
	assert_true(logged("using what the cache has (-rrdp.failover=false)"));
	sync_free(s);
	/* RRDP off: rsync, and the notification not tried. */
	before = logged_times(said);
	s = sync_rrdp(0, 1, 0);
	assert_int_equal(sync_module(s, u, notify), 0);
	sync_stats(s, &st);
	assert_int_equal(st.rrdp_failed + st.rrdp_fetched, 0);
	assert_int_equal(st.fetched, 1);
	assert_int_equal(logged_times(said), before);
	sync_free(s);
	/* Prefetched: RRDP fails, the module is queued, each once. */
	s = sync_rrdp(1, 1, 2);
	sync_prefetch(s, u, notify);
	assert_int_equal(sync_module(s, u, notify), 0);
	assert_int_equal(sync_module(s, u, notify), 0);
	sync_stats(s, &st);
	assert_int_equal(st.rrdp_failed, 1);
	assert_int_equal(st.fetched, 1);
	sync_free(s);
}

static atomic_int	 cancel_flag;

static void *
cancel_later(void *arg)
{
	(void)arg;
	sleep(1);
	atomic_store(&cancel_flag, 1);
	return NULL;
}

static void
test_failures(void **state)
{
	struct sync		*s;
	struct sync_stats	 st;
	char			 u[256], want[300];

	(void)state;
	s = new_sync("rsync");
	/* No such module: rsync's reason, with the URI. */
	snprintf(u, sizeof(u), "rsync://127.0.0.1:%d/nosuch/ca/", port);
	assert_int_equal(sync_module(s, u, NULL), -1);
	snprintf(want, sizeof(want), "fetch rsync://127.0.0.1:%d/nosuch/: "
	    "rsync exit ", port);
	assert_true(logged(want));
	assert_true(logged("Unknown module"));
	/* Asked again: the failure stands, not fetched twice. */
	assert_int_equal(sync_module(s, u, NULL), -1);
	sync_stats(s, &st);
	assert_int_equal(st.failed, 1);
	/* Not an rsync URI with a module. */
	assert_int_equal(sync_module(s, "rsync://host-only", NULL), -1);
	assert_int_equal(sync_module(s, "https://h/m/x", NULL), -1);
	assert_int_equal(sync_module(s, NULL, NULL), -1);
	/* A part that is not a plain name never reaches rsync. */
	assert_int_equal(sync_module(s, "rsync://127.0.0.1/../x/", NULL), -1);
	sync_free(s);
	/*
	 * An rsync that never ends but is never silent (a server dripping
	 * bytes): stopped at 4 times -rsync.timeout, said.
	 */
	{
		struct timespec		 t0, t1;
		char			 prog[300];

		snprintf(prog, sizeof(prog), "%s/drip-rsync", top);
		put("drip-rsync", "#!/bin/sh\nwhile :; do echo tick >&2; "
		    "sleep 0.3; done\n");
		assert_int_equal(chmod(prog, 0755), 0);
		s = sync_with(prog, 1, 4096, NULL, 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		snprintf(u, sizeof(u), "%s/ca-1/", uri);
		assert_int_equal(sync_module(s, u, NULL), -1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		assert_true(t1.tv_sec - t0.tv_sec >= 3);
		assert_true(t1.tv_sec - t0.tv_sec <= 6);
		assert_true(logged("rsync stopped after 4 s, the most a fetch "
		    "may take (4 times -rsync.timeout)"));
		sync_free(s);
	}
	/* The same, cancelled (server mode's SIGTERM) a second in. */
	{
		struct timespec		 t0, t1;
		pthread_t		 th;
		char			 prog[300];

		snprintf(prog, sizeof(prog), "%s/drip-rsync", top);
		atomic_store(&cancel_flag, 0);
		s = sync_with(prog, 60, 4096, &cancel_flag, 0);
		assert_int_equal(pthread_create(&th, NULL, cancel_later,
		    NULL), 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		snprintf(u, sizeof(u), "%s/ta/", uri);
		assert_int_equal(sync_module(s, u, NULL), -1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		pthread_join(th, NULL);
		assert_true(t1.tv_sec - t0.tv_sec <= 4);
		assert_true(logged("rsync stopped: the run is cancelled"));
		/* Cancelled: no other fetch starts. */
		snprintf(u, sizeof(u), "rsync://127.0.0.1:%d/other/", port);
		assert_int_equal(sync_module(s, u, NULL), -1);
		sync_free(s);
	}
	/*
	 * rsync's exit 24 (files vanished while it ran: a repository being
	 * written) is a fetch; 23 (a partial transfer) is not.
	 */
	{
		char	prog[300];

		snprintf(prog, sizeof(prog), "%s/exit-rsync", top);
		put("exit-rsync", "#!/bin/sh\necho 'file has vanished' >&2\n"
		    "exit 24\n");
		assert_int_equal(chmod(prog, 0755), 0);
		s = sync_with(prog, 5, 4096, NULL, 0);
		snprintf(u, sizeof(u), "%s/ca-1/", uri);
		assert_int_equal(sync_module(s, u, NULL), 0);
		sync_free(s);
		put("exit-rsync", "#!/bin/sh\necho 'partial transfer' >&2\n"
		    "exit 23\n");
		s = sync_with(prog, 5, 4096, NULL, 0);
		assert_int_equal(sync_module(s, u, NULL), -1);
		assert_true(logged("rsync exit 23: partial transfer"));
		sync_free(s);
	}
	/* No rsync program. */
	s = new_sync("/nonexistent/rsync");
	snprintf(u, sizeof(u), "%s/ca-1/", uri);
	assert_int_equal(sync_module(s, u, NULL), -1);
	assert_true(logged("cannot run /nonexistent/rsync") ||
	    logged("rsync exit 127"));
	sync_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module),
		cmocka_unit_test(test_types_and_delete),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_threads_once),
		cmocka_unit_test(test_prefetch),
		cmocka_unit_test(test_rrdp_fallback),
		cmocka_unit_test(test_failures),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
