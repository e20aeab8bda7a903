/*
 * sync.c - rsync modules fetched into the cache, once a run each, by a
 * child rsync process (sync.h).
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

#include <curl/curl.h>

#include "cache.h"
#include "fileio.h"
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

/* A module's fetch: asked for ahead, being fetched, done. */
enum mstate { M_QUEUED, M_RUNNING, M_OK, M_FAILED };

struct module {
	char		*base;		/* "rsync://HOST/MODULE" */
	enum mstate	 state;
};

struct sync {
	struct sync_config	 cfg;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;	/* a module's state changed, or stop */
	struct module		*mods;	/* in the order first asked for */
	size_t			 nmods, cap;
	size_t			 next;	/* mods before it are not queued */
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
	for (i = 0; i < s->nmods; i++)
		free(s->mods[i].base);
	free(s->mods);
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

/*
 * The index of the module record for base, added in state st if there
 * is none (*added set).  Under s->mu.  -1 if out of memory.
 */
static ssize_t
module_get(struct sync *s, const char *base, enum mstate st, int *added)
{
	struct module	*m;
	size_t		 i, ncap;

	*added = 0;
	for (i = 0; i < s->nmods; i++)
		if (strcmp(s->mods[i].base, base) == 0)
			return (ssize_t)i;
	if (s->nmods == s->cap) {
		ncap = s->cap ? 2 * s->cap : 16;
		if ((m = reallocarray(s->mods, ncap, sizeof(*m))) == NULL)
			return -1;
		s->mods = m;
		s->cap = ncap;
	}
	m = &s->mods[s->nmods];
	if ((m->base = strdup(base)) == NULL)
		return -1;
	m->state = st;
	*added = 1;
	return (ssize_t)s->nmods++;
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

/* Fetch the module base (no trailing '/'); 0 or -1, logged. */
static int
module_fetch(struct sync *s, const char *base)
{
	char		 dst[CACHE_URI_MAX + 4096], src[CACHE_URI_MAX + 2];
	char		 why[ERRTAIL + 128];
	struct timespec	 t0, t1;
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
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_ops(s->cfg.lg, LOG_INFO, "fetched %s with rsync (%.2f s)", src,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

/*
 * Fetch module i, which this thread has set M_RUNNING; record the end.
 * Called and returns with s->mu held.
 */
static void
module_run(struct sync *s, size_t i)
{
	char	*base;
	int	 ok;

	base = s->mods[i].base;	/* the string stays; the array may move */
	pthread_mutex_unlock(&s->mu);
	ok = !cancelled(s) && module_fetch(s, base) == 0;
	pthread_mutex_lock(&s->mu);
	s->mods[i].state = ok ? M_OK : M_FAILED;
	count_locked(s, ok);
	pthread_cond_broadcast(&s->cv);
}

/* A prefetching thread: the modules asked for ahead, oldest first. */
static void *
prefetcher(void *arg)
{
	struct sync	*s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (s->next < s->nmods &&
		    s->mods[s->next].state != M_QUEUED)
			s->next++;
		if (s->stop)
			break;
		if (s->next == s->nmods) {
			pthread_cond_wait(&s->cv, &s->mu);
			continue;
		}
		s->mods[s->next].state = M_RUNNING;
		module_run(s, s->next);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

void
sync_prefetch(struct sync *s, const char *uri)
{
	char	base[CACHE_URI_MAX + 1];
	int	added;

	if (uri == NULL || s->nth == 0 || cancelled(s) ||
	    module_of(uri, base, sizeof(base)) == -1)
		return;
	pthread_mutex_lock(&s->mu);
	if (module_get(s, base, M_QUEUED, &added) >= 0 && added)
		pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

int
sync_module(struct sync *s, const char *uri)
{
	char		 base[CACHE_URI_MAX + 1];
	ssize_t		 i;
	int		 added, ok;

	if (uri == NULL || cancelled(s) ||
	    module_of(uri, base, sizeof(base)) == -1)
		return -1;
	pthread_mutex_lock(&s->mu);
	if ((i = module_get(s, base, M_RUNNING, &added)) == -1) {
		pthread_mutex_unlock(&s->mu);
		log_ops(s->cfg.lg, LOG_ERROR, "fetch %s: out of memory", base);
		return -1;
	}
	/*
	 * New, or queued and not started: this thread fetches it rather
	 * than wait behind the queue.  Running: wait for that fetch.
	 */
	if (added || s->mods[i].state == M_QUEUED) {
		s->mods[i].state = M_RUNNING;
		module_run(s, (size_t)i);
	}
	while (s->mods[i].state == M_RUNNING)
		pthread_cond_wait(&s->cv, &s->mu);
	ok = s->mods[i].state == M_OK;
	pthread_mutex_unlock(&s->mu);
	return ok ? 0 : -1;
}

struct getfile {
	FILE	*fp;
	size_t	 got, max;
};

static size_t
getfile_write(char *p, size_t size, size_t n, void *arg)
{
	struct getfile	*g = arg;

	if ((g->got += size * n) > g->max)
		return 0;	/* over -max.filesize: the transfer fails */
	return fwrite(p, size, n, g->fp);
}

static int
getfile_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	return cancelled(arg);
}

/*
 * GET the https URI uri into dst, under a temporary name renamed into
 * place: no redirect to another scheme, at most -max.filesize bytes,
 * the system's CA store, SYNC_TOTAL times -rsync.timeout in all.
 */
static int
https_get(struct sync *s, const char *uri, const char *dst, char *why,
    size_t whylen)
{
	struct getfile	 g;
	CURL		*c;
	CURLcode	 cc;
	char		 tmp[CACHE_URI_MAX + 4200], cerr[CURL_ERROR_SIZE];
	long		 code = 0;
	int		 ok = 0;

	snprintf(tmp, sizeof(tmp), "%s.get%ld", dst, (long)getpid());
	memset(&g, 0, sizeof(g));
	g.max = s->cfg.max_file;
	if ((g.fp = fopen(tmp, "we")) == NULL) {
		snprintf(why, whylen, "cannot write to the cache: %s",
		    strerror(errno));
		return -1;
	}
	cerr[0] = '\0';
	if ((c = curl_easy_init()) == NULL) {
		fclose(g.fp);
		unlink(tmp);
		snprintf(why, whylen, "cannot start libcurl");
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_URL, uri);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)s->cfg.max_file);
	curl_easy_setopt(c, CURLOPT_TIMEOUT,
	    (long)s->cfg.timeout * SYNC_TOTAL);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)s->cfg.contimeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, getfile_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &g);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, getfile_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, s);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "rpki-validator");
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (g.got > g.max)
			snprintf(why, whylen, "larger than -max.filesize (%zu "
			    "bytes)", g.max);
		else
			snprintf(why, whylen, "%s", cerr[0] != '\0' ? cerr :
			    curl_easy_strerror(cc));
	} else
		ok = 1;
	curl_easy_cleanup(c);
	/* Renamed into place only whole. */
	if (fclose(g.fp) != 0)
		ok = ok ? -1 : 0;
	if (ok == 1 && rename(tmp, dst) == -1)
		ok = -1;
	if (ok == -1) {
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
		ok = (https ? https_get(s, uri, dst, why, sizeof(why)) :
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
