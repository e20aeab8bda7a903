/*
 * sync.c - the repositories fetched into the cache, once a run each:
 * RRDP repositories by rrdp.c, rsync modules by a child rsync process
 * (sync.h).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "fileio.h"
#include "https.h"
#include "monotime.h"
#include "rrdp.h"
#include "sync.h"

extern char **environ;

/* The file types the validator reads: all rsync brings. */
static const char *const fetched_types[] = {
	"--include=*.cer", "--include=*.crl", "--include=*.mft",
	"--include=*.roa", "--include=*.asa", "--include=*.gbr",
};
#define NTYPES	(sizeof(fetched_types) / sizeof(fetched_types[0]))

/* A fetch may take this many times -rsync.timeout in all. */
#define SYNC_TOTAL	4

/* The end of rsync's error output kept for the message. */
#define ERRTAIL	512

/* A unit's fetch: asked for ahead, being fetched, done. */
enum mstate { M_QUEUED, M_RUNNING, M_OK, M_FAILED };

/* What is fetched once a run: an rsync module or an RRDP repository. */
enum ukind { U_RSYNC, U_RRDP };

struct unit {
	enum ukind	 kind;
	char		*key;		/* "rsync://HOST/MODULE", or the
					   notification URI */
	char		*host;		/* U_RRDP: "rsync://HOST/", the only
					   host its files may be on */
	char		*mod;		/* U_RRDP: the module of the CA that
					   asked first, rsync's if it fails */
	enum mstate	 state;
	double		 secs;		/* M_OK, M_FAILED: the fetch took */
	int64_t		 finished;	/* unix seconds */
	uint64_t	 serial;	/* U_RRDP, M_OK */
};

struct sync {
	struct sync_config	 cfg;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;	/* a unit's state changed, or stop */
	struct unit		*units;	/* in the order first asked for */
	size_t			 nunits, cap;
	size_t			 next;	/* units before it are not queued */
	struct sync_stats	 st;
	pthread_t		*th;	/* the prefetching threads */
	int			 nth;
	int			 stop;
};

static void	*prefetcher(void *);

struct sync *
sync_new(const struct sync_config *cfg)
{
	struct sync	*s;
	unsigned	 i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->cfg = *cfg;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	/* Without them (none asked for, or none starts) callers fetch. */
	if (cfg->parallel > 0 &&
	    (s->th = calloc(cfg->parallel, sizeof(*s->th))) != NULL)
		for (i = 0; i < cfg->parallel; i++)
			if (pthread_create(&s->th[s->nth], NULL, prefetcher,
			    s) == 0)
				s->nth++;
	return s;
}

void
sync_free(struct sync *s)
{
	size_t	i;
	int	t;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	for (t = 0; t < s->nth; t++)
		pthread_join(s->th[t], NULL);
	free(s->th);
	for (i = 0; i < s->nunits; i++) {
		free(s->units[i].key);
		free(s->units[i].host);
		free(s->units[i].mod);
	}
	free(s->units);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}

void
sync_stats(struct sync *s, struct sync_stats *st)
{
	pthread_mutex_lock(&s->mu);
	*st = s->st;
	pthread_mutex_unlock(&s->mu);
}

/*
 * "rsync://HOST/MODULE" of uri into buf, or -1 if uri is not an rsync
 * URI with a host and a module.
 */
static int
module_of(const char *uri, char *buf, size_t len)
{
	const char	*host, *mod, *end;

	if (strncmp(uri, "rsync://", 8) != 0)
		return -1;
	host = uri + 8;
	if ((mod = strchr(host, '/')) == NULL || mod == host)
		return -1;
	mod++;
	end = mod + strcspn(mod, "/");
	if (end == mod || (size_t)(end - uri) >= len)
		return -1;
	memcpy(buf, uri, (size_t)(end - uri));
	buf[end - uri] = '\0';
	return 0;
}

static int
cancelled(const struct sync *s)
{
	return s->cfg.cancel != NULL && atomic_load(s->cfg.cancel);
}

/*
 * The line of rsync's error output that says why: the last one that is
 * not its closing "rsync error: ... (code N)" summary (an "@ERROR:" from
 * the daemon, a "failed to connect"), else that summary.  Cuts text.
 */
static const char *
errline(char *text)
{
	char	*line, *next, *best = NULL, *last = NULL;
	size_t	 n;

	for (line = text; *line != '\0'; line = next) {
		n = strcspn(line, "\r\n");
		next = line + n;
		if (*next != '\0')
			*next++ = '\0';
		if (n == 0)
			continue;
		last = line;
		if (strncmp(line, "rsync error:", 12) != 0)
			best = line;
	}
	return best != NULL ? best : last != NULL ? last : "";
}

/*
 * Run rsync with argv; 0 if it exits 0, else -1 with what it said (the
 * end of its error output) or why it did not run in why.
 */
static int
rsync_run(struct sync *s, char *const argv[], char *why, size_t whylen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	char		 tail[ERRTAIL + 1], buf[4096];
	size_t		 tlen = 0, n;
	ssize_t		 r;
	pid_t		 pid;
	struct pollfd	 pfd;
	struct timespec	 now;
	time_t		 deadline;
	int		 p[2], status, rc, killed = 0;

	why[0] = '\0';
	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	/* Its own process group: rsync forks, and all of it is stopped. */
	posix_spawnattr_init(&sa);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&sa, 0);
	rc = posix_spawnp(&pid, s->cfg.rsync, &fa, &sa, argv, environ);
	posix_spawnattr_destroy(&sa);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		snprintf(why, whylen, "cannot run %s: %s", s->cfg.rsync,
		    strerror(rc));
		return -1;
	}
	/*
	 * Keep the last ERRTAIL bytes rsync writes on its error output,
	 * until it closes it (exits) or its time is up: rsync's --timeout
	 * bounds silence only, and a server sending a byte now and then
	 * would hold the run for ever.
	 */
	clock_gettime(CLOCK_MONOTONIC, &now);
	deadline = now.tv_sec + (time_t)s->cfg.timeout * SYNC_TOTAL;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec >= deadline || cancelled(s)) {
			kill(-pid, SIGKILL);
			killed = 1;
			break;
		}
		pfd.fd = p[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		if ((r = read(p[0], buf, sizeof(buf))) == 0)
			break;
		if (r == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		n = (size_t)r > ERRTAIL ? ERRTAIL : (size_t)r;
		if (tlen + n > ERRTAIL) {
			memmove(tail, tail + tlen + n - ERRTAIL,
			    ERRTAIL - n);
			tlen = ERRTAIL - n;
		}
		memcpy(tail + tlen, buf + (size_t)r - n, n);
		tlen += n;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			snprintf(why, whylen, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (killed && cancelled(s)) {
		snprintf(why, whylen, "rsync stopped: the run is cancelled");
		return -1;
	}
	if (killed) {
		snprintf(why, whylen, "rsync stopped after %u s, the most a "
		    "fetch may take (%d times -rsync.timeout)",
		    s->cfg.timeout * SYNC_TOTAL, SYNC_TOTAL);
		return -1;
	}
	/*
	 * 24: some source files vanished during the transfer, as happens
	 * on a repository being written to; what came is usable (each
	 * publication point's manifest is checked).
	 */
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
	    WEXITSTATUS(status) == 24))
		return 0;
	tail[tlen] = '\0';
	if (WIFEXITED(status))
		snprintf(why, whylen, "rsync exit %d%s%s", WEXITSTATUS(status),
		    tlen > 0 ? ": " : "", errline(tail));
	else
		snprintf(why, whylen, "rsync killed by signal %d",
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
}

/*
 * rsync src to dst (both directories ending in '/', or both files) with
 * the validator's filter, limits and timeouts.
 */
static int
rsync_fetch(struct sync *s, const char *src, const char *dst, int dir,
    char *why, size_t whylen)
{
	char	 timeout[32], contimeout[32], maxsize[48];
	char	*argv[32];
	size_t	 i, n = 0;

	snprintf(timeout, sizeof(timeout), "--timeout=%u", s->cfg.timeout);
	snprintf(contimeout, sizeof(contimeout), "--contimeout=%u",
	    s->cfg.contimeout);
	snprintf(maxsize, sizeof(maxsize), "--max-size=%zu",
	    s->cfg.max_file);
	argv[n++] = (char *)s->cfg.rsync;
	argv[n++] = "-rt";
	argv[n++] = "--no-motd";
	argv[n++] = timeout;
	argv[n++] = contimeout;
	argv[n++] = maxsize;
	if (dir) {
		argv[n++] = "--delete";
		argv[n++] = "--include=*/";
		for (i = 0; i < NTYPES; i++)
			argv[n++] = (char *)fetched_types[i];
		argv[n++] = "--exclude=*";
	}
	argv[n++] = "--";
	argv[n++] = (char *)src;
	argv[n++] = (char *)dst;
	argv[n] = NULL;
	return rsync_run(s, argv, why, whylen);
}

/* The index of the record of (kind, key), or -1.  Under s->mu. */
static ssize_t
unit_find(const struct sync *s, enum ukind kind, const char *key)
{
	size_t	i;

	for (i = 0; i < s->nunits; i++)
		if (s->units[i].kind == kind &&
		    strcmp(s->units[i].key, key) == 0)
			return (ssize_t)i;
	return -1;
}

/*
 * The index of the record of (kind, key), added in state st if there is
 * none (*added set), with host and mod for an RRDP one.  Under s->mu.
 * -1 if out of memory.
 */
static ssize_t
unit_get(struct sync *s, enum ukind kind, const char *key, const char *host,
    const char *mod, enum mstate st, int *added)
{
	struct unit	*u;
	ssize_t		 i;
	size_t		 ncap;

	*added = 0;
	if ((i = unit_find(s, kind, key)) != -1)
		return i;
	if (s->nunits == s->cap) {
		ncap = s->cap ? 2 * s->cap : 16;
		if ((u = reallocarray(s->units, ncap, sizeof(*u))) == NULL)
			return -1;
		s->units = u;
		s->cap = ncap;
	}
	u = &s->units[s->nunits];
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	if ((u->key = strdup(key)) == NULL ||
	    (host != NULL && (u->host = strdup(host)) == NULL) ||
	    (mod != NULL && (u->mod = strdup(mod)) == NULL)) {
		free(u->key);
		free(u->host);
		return -1;
	}
	u->state = st;
	*added = 1;
	return (ssize_t)s->nunits++;
}

/*
 * The cache path of uri into dst (dstlen bytes), with the directory it
 * goes in made: dst itself for a module (dir set), its parent for a
 * file.  0, or -1 logged.
 */
static int
cache_prepare(struct sync *s, const char *uri, char *dst, size_t dstlen,
    int dir)
{
	struct err	 e;
	char		*slash = NULL;
	int		 rc;

	if (cache_path(s->cfg.cache, uri, dst, dstlen, &e) == -1) {
		log_ops(s->cfg.lg, LOG_ERROR, "fetch %s: %s", uri, e.msg);
		return -1;
	}
	if (!dir && (slash = strrchr(dst, '/')) != NULL)
		*slash = '\0';
	rc = mkdirs(dst, &e);
	if (slash != NULL)
		*slash = '/';
	if (rc == -1)
		log_ops(s->cfg.lg, LOG_ERROR, "fetch %s: %s", uri, e.msg);
	return rc;
}

/* Count a fetch's end in the run's figures; under s->mu. */
static void
count_locked(struct sync *s, int ok)
{
	if (ok)
		s->st.fetched++;
	else
		s->st.failed++;
}

/* Count an RRDP fetch's end (out: how, if ok); under s->mu. */
static void
count_rrdp_locked(struct sync *s, int ok, const struct rrdp_outcome *out)
{
	if (!ok) {
		s->st.rrdp_failed++;
		return;
	}
	s->st.rrdp_fetched++;
	if (out->action == RRDP_SNAPSHOT)
		s->st.rrdp_snapshots++;
	else if (out->action == RRDP_DELTAS)
		s->st.rrdp_deltas++;
}

int
sync_repos(struct sync *s, struct sync_repo **v, size_t *n)
{
	const struct unit	*u;
	struct sync_repo	*r;
	size_t			 i;

	*v = NULL;
	*n = 0;
	pthread_mutex_lock(&s->mu);
	if (s->nunits > 0 && (*v = calloc(s->nunits, sizeof(**v))) == NULL) {
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	for (i = 0; i < s->nunits; i++) {
		u = &s->units[i];
		if (u->state != M_OK && u->state != M_FAILED)
			continue;
		r = &(*v)[*n];
		if ((r->uri = strdup(u->key)) == NULL) {
			pthread_mutex_unlock(&s->mu);
			sync_repos_free(*v, *n);
			*v = NULL;
			*n = 0;
			return -1;
		}
		r->rrdp = u->kind == U_RRDP;
		r->ok = u->state == M_OK;
		r->secs = u->secs;
		r->finished = u->finished;
		r->serial = u->serial;
		(*n)++;
	}
	pthread_mutex_unlock(&s->mu);
	return 0;
}

void
sync_repos_free(struct sync_repo *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].uri);
	free(v);
}

/* Fetch the module base (no trailing '/'); 0 or -1, logged. */
static int
module_fetch(struct sync *s, const char *base)
{
	char		 dst[CACHE_URI_MAX + 4096], src[CACHE_URI_MAX + 2];
	char		 why[ERRTAIL + 128];
	struct timespec	 t0;
	size_t		 n;

	if (cache_prepare(s, base, dst, sizeof(dst) - 1, 1) == -1)
		return -1;
	n = strlen(dst);
	dst[n] = '/';
	dst[n + 1] = '\0';
	snprintf(src, sizeof(src), "%s/", base);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (rsync_fetch(s, src, dst, 1, why, sizeof(why)) == -1) {
		log_ops(s->cfg.lg, LOG_ERROR, "fetch %s: %s; using what the "
		    "cache has", src, why);
		return -1;
	}
	log_ops(s->cfg.lg, LOG_INFO, "fetched %s with rsync (%.2f s)", src,
	    mono_since(&t0));
	return 0;
}

/*
 * Fetch the RRDP repository of notification notify for host (the CA's
 * "rsync://HOST/").  0, or -1 logged once, naming the notification and
 * what was wrong, and saying what happens instead.
 */
static int
notify_fetch(struct sync *s, const char *notify, const char *host,
    struct rrdp_outcome *out)
{
	struct rrdp_config	 rc;
	char			 why[ERR_MSG_MAX];
	const char		*w = why;
	size_t			 n = strlen(notify);

	memset(&rc, 0, sizeof(rc));
	rc.cache = s->cfg.cache;
	rc.max_size = s->cfg.rrdp_max;
	rc.max_file = s->cfg.max_file;
	rc.timeout = s->cfg.rrdp_timeout;
	rc.contimeout = s->cfg.contimeout;
	rc.cancel = s->cfg.cancel;
	rc.lg = s->cfg.lg;
	if (rrdp_fetch(&rc, notify, host, out, why, sizeof(why)) == 0)
		return 0;
	if (cancelled(s)) {
		log_ops(s->cfg.lg, LOG_INFO, "RRDP %s: stopped, the run is "
		    "cancelled", notify);
		return -1;
	}
	if (strncmp(why, notify, n) == 0 && strncmp(why + n, ": ", 2) == 0)
		w += n + 2;	/* said once is enough */
	log_ops(s->cfg.lg, LOG_ERROR, "RRDP %s failed: %s; %s", notify, w,
	    s->cfg.rrdp_failover ? "falling back to rsync" : "using what the "
	    "cache has (-rrdp.failover=false)");
	return -1;
}

/*
 * Fetch unit i, which this thread has set M_RUNNING; record the end.
 * A failed RRDP repository's first module is queued for rsync (with
 * failover).  Called and returns with s->mu held.
 */
static void
unit_run(struct sync *s, size_t i)
{
	struct rrdp_outcome	 out;
	struct timespec		 t0;
	double			 secs;
	enum ukind		 kind = s->units[i].kind;
	char			*key, *host, *mod;
	int			 ok, added;

	/* The strings stay; the array may move. */
	key = s->units[i].key;
	host = s->units[i].host;
	mod = s->units[i].mod;
	pthread_mutex_unlock(&s->mu);
	memset(&out, 0, sizeof(out));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = !cancelled(s) && (kind == U_RSYNC ? module_fetch(s, key) :
	    notify_fetch(s, key, host, &out)) == 0;
	secs = mono_since(&t0);
	pthread_mutex_lock(&s->mu);
	s->units[i].state = ok ? M_OK : M_FAILED;
	s->units[i].secs = secs;
	s->units[i].finished = (int64_t)time(NULL);
	s->units[i].serial = ok ? out.serial : 0;
	if (kind == U_RSYNC)
		count_locked(s, ok);
	else {
		count_rrdp_locked(s, ok, &out);
		if (!ok && s->cfg.rrdp_failover && mod != NULL && !cancelled(s))
			(void)unit_get(s, U_RSYNC, mod, NULL, NULL, M_QUEUED,
			    &added);
	}
	pthread_cond_broadcast(&s->cv);
}

/* A prefetching thread: the units asked for ahead, oldest first. */
static void *
prefetcher(void *arg)
{
	struct sync	*s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (s->next < s->nunits &&
		    s->units[s->next].state != M_QUEUED)
			s->next++;
		if (s->stop)
			break;
		if (s->next == s->nunits) {
			pthread_cond_wait(&s->cv, &s->mu);
			continue;
		}
		s->units[s->next].state = M_RUNNING;
		unit_run(s, s->next);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* "rsync://HOST/" of base ("rsync://HOST/MODULE") into host. */
static void
host_of(const char *base, char *host, size_t len)
{
	const char	*slash = strchr(base + 8, '/');

	snprintf(host, len, "%.*s", (int)(slash - base + 1), base);
}

void
sync_prefetch(struct sync *s, const char *uri, const char *notify)
{
	char	base[CACHE_URI_MAX + 1], host[CACHE_URI_MAX + 1];
	ssize_t	i;
	int	added;

	if (uri == NULL || s->nth == 0 || cancelled(s) ||
	    module_of(uri, base, sizeof(base)) == -1)
		return;
	host_of(base, host, sizeof(host));
	pthread_mutex_lock(&s->mu);
	if (notify != NULL && s->cfg.rrdp)
		i = unit_get(s, U_RRDP, notify, host, base, M_QUEUED, &added);
	else
		i = unit_get(s, U_RSYNC, base, NULL, NULL, M_QUEUED, &added);
	if (i >= 0 && added)
		pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/*
 * Make unit (kind, key) current, fetching it here if it is new or only
 * queued, else waiting for the thread fetching it.  For an RRDP unit,
 * *samehost says whether it is for host.  0 if it was fetched, -1 if
 * not (or out of memory).
 */
static int
unit_sync(struct sync *s, enum ukind kind, const char *key,
    const char *host, const char *mod, int *samehost)
{
	ssize_t	i;
	int	added, ok;

	pthread_mutex_lock(&s->mu);
	if ((i = unit_get(s, kind, key, host, mod, M_RUNNING, &added)) == -1) {
		pthread_mutex_unlock(&s->mu);
		log_ops(s->cfg.lg, LOG_ERROR, "fetch %s: out of memory", key);
		return -1;
	}
	/*
	 * New, or queued and not started: this thread fetches it rather
	 * than wait behind the queue.  Running: wait for that fetch.
	 */
	if (added || s->units[i].state == M_QUEUED) {
		s->units[i].state = M_RUNNING;
		unit_run(s, (size_t)i);
	}
	while (s->units[i].state == M_RUNNING)
		pthread_cond_wait(&s->cv, &s->mu);
	ok = s->units[i].state == M_OK;
	if (samehost != NULL)
		*samehost = host != NULL && s->units[i].host != NULL &&
		    strcmp(s->units[i].host, host) == 0;
	pthread_mutex_unlock(&s->mu);
	return ok ? 0 : -1;
}

int
sync_module(struct sync *s, const char *uri, const char *notify)
{
	char	base[CACHE_URI_MAX + 1], host[CACHE_URI_MAX + 1];
	int	same = 0;

	if (uri == NULL || cancelled(s) ||
	    module_of(uri, base, sizeof(base)) == -1)
		return -1;
	if (notify != NULL && s->cfg.rrdp) {
		host_of(base, host, sizeof(host));
		if (unit_sync(s, U_RRDP, notify, host, base, &same) == 0) {
			/* Not same: another host's notification, rsync. */
			if (same)
				return 0;
		} else if (!s->cfg.rrdp_failover)
			return -1;
	}
	return unit_sync(s, U_RSYNC, base, NULL, NULL, NULL);
}

/*
 * GET the https URI uri into dst, under a temporary name renamed into
 * place: at most -max.filesize bytes, SYNC_TOTAL times -rsync.timeout in
 * all (https.c).
 */
static int
https_file(struct sync *s, const char *uri, const char *dst, char *why,
    size_t whylen)
{
	struct https_req	 req;
	struct https_res	 res;
	char			 tmp[CACHE_URI_MAX + 4200];
	int			 ok;

	snprintf(tmp, sizeof(tmp), "%s.get%ld", dst, (long)getpid());
	memset(&req, 0, sizeof(req));
	req.uri = uri;
	req.max = s->cfg.max_file;
	req.max_name = "-max.filesize";
	req.timeout_ms = (long)s->cfg.timeout * SYNC_TOTAL * 1000;
	req.timeout_name = "4 times -rsync.timeout";
	req.contimeout = (long)s->cfg.contimeout;
	req.cancel = s->cfg.cancel;
	if ((req.fp = fopen(tmp, "we")) == NULL) {
		snprintf(why, whylen, "cannot write to the cache: %s",
		    strerror(errno));
		return -1;
	}
	ok = https_get(&req, &res, why, whylen) == 0;
	/* Renamed into place only whole. */
	if (fclose(req.fp) != 0 && ok) {
		snprintf(why, whylen, "cannot write to the cache: %s",
		    strerror(errno));
		ok = 0;
	}
	if (ok && rename(tmp, dst) == -1) {
		snprintf(why, whylen, "cannot write to the cache: %s",
		    strerror(errno));
		ok = 0;
	}
	if (!ok)
		unlink(tmp);
	return ok ? 0 : -1;
}

int
sync_file(struct sync *s, const char *uri)
{
	char		 dst[CACHE_URI_MAX + 4096], why[ERRTAIL + 128];
	int		 https = strncmp(uri, "https://", 8) == 0, ok = 0;

	if (!https && strncmp(uri, "rsync://", 8) != 0)
		return -1;
	if (cache_prepare(s, uri, dst, sizeof(dst), 0) == 0) {
		ok = (https ? https_file(s, uri, dst, why, sizeof(why)) :
		    rsync_fetch(s, uri, dst, 0, why, sizeof(why))) == 0;
		if (ok)
			log_ops(s->cfg.lg, LOG_INFO, "fetched %s %s", uri,
			    https ? "over https" : "with rsync");
		else
			log_ops(s->cfg.lg, LOG_ERROR, "fetch %s: %s; using "
			    "what the cache has", uri, why);
	}
	pthread_mutex_lock(&s->mu);
	count_locked(s, ok);
	pthread_mutex_unlock(&s->mu);
	return ok ? 0 : -1;
}
