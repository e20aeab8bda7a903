/*
 * rtrcache - the RTR cache daemon: polls a signed VRP file, serves it to
 * routers over RTR (RFC 6810, RFC 8210, draft-ietf-sidrops-8210bis).
 *
 * Flags are GoRTR's, with its defaults, parsed as Go does; new ones are
 * marked in -h.  SIGHUP polls now (and reloads SLURM); SIGTERM and SIGINT
 * close every session and exit.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "feed.h"
#include "fetch.h"
#include "flags.h"
#include "log.h"
#include "metrics.h"
#include "pdu.h"
#include "rtrstate.h"
#include "server.h"
#include "tls.h"
#include "vrpsign.h"

#define RTRCACHE_VERSION	"rtrcache 0.1"

struct config {
	const char	*bind, *cache, *verify_key, *slurm, *useserial;
	const char	*metrics_addr, *metrics_path, *export_path;
	const char	*export_sign, *mime, *useragent, *loglevel, *cafile;
	const char	*tls_bind, *tls_cert, *tls_key, *ssh_bind, *aspa_format;
	long long	 refresh, rtr_refresh, rtr_retry, rtr_expire;
	long long	 maxconn, sessionid, protocol, history, max_size;
	int		 verify, checktime, etag, lastmod, notifications;
	int		 slurm_refresh, log_verbose, log_json, version;
	double		 expire_grace, write_timeout, fetch_timeout;
	double		 handshake_timeout;
	double		 notify_interval;
};

static void
config_flags(struct flagset *fs, struct config *c)
{
	flag_string(fs, "bind", &c->bind, ":8282",
	    "Bind address (several separated by commas)");
	flag_string(fs, "cache", &c->cache,
	    "https://rpki.cloudflare.com/v2/rpki.json",
	    "URL of the cached JSON data (http, https, or a local path)");
	flag_int(fs, "refresh", &c->refresh, 600,
	    "Refresh interval in seconds");
	flag_bool(fs, "verify", &c->verify, 1, "Check signature using "
	    "provided public key (disable by passing -verify=false)");
	flag_string(fs, "verify.key", &c->verify_key, "cf.pub",
	    "Public key path (PEM file)");
	flag_bool(fs, "checktime", &c->checktime, 1,
	    "Check if file is still valid");
	flag_bool(fs, "etag", &c->etag, 1, "Enable Etag header");
	flag_bool(fs, "last.modified", &c->lastmod, 1,
	    "Enable If-Modified-Since (and skip unchanged local files)");
	flag_string(fs, "mime", &c->mime, "application/json",
	    "Accept setting format (some servers may prefer text/json)");
	flag_string(fs, "useragent", &c->useragent, RTRCACHE_VERSION,
	    "User-Agent header");
	flag_string(fs, "useserial", &c->useserial, "disable",
	    "Use serial contained in file (disable, startup, full)");
	flag_int(fs, "maxconn", &c->maxconn, 0,
	    "Max simultaneous connections (0 to disable limit)");
	flag_bool(fs, "notifications", &c->notifications, 1,
	    "Send notifications to clients");
	flag_string(fs, "slurm", &c->slurm, "",
	    "Slurm configuration file or URL (filters and assertions)");
	flag_bool(fs, "slurm.refresh", &c->slurm_refresh, 1,
	    "Refresh along the cache");
	flag_int(fs, "protocol", &c->protocol, 2,
	    "Highest RTR protocol version to speak (0, 1 or 2)");
	flag_int(fs, "rtr.sessionid", &c->sessionid, -1,
	    "Set session ID (if < 0: will be randomized per version)");
	flag_int(fs, "rtr.refresh", &c->rtr_refresh, 3600, "Refresh interval");
	flag_int(fs, "rtr.retry", &c->rtr_retry, 600, "Retry interval");
	flag_int(fs, "rtr.expire", &c->rtr_expire, 7200, "Expire interval");
	flag_string(fs, "rtr.aspa.format", &c->aspa_format, "draft10",
	    "ASPA PDU layout: draft10 (8210bis-10, as StayRTR 0.5) or current "
	    "(new)");
	flag_int(fs, "rtr.history", &c->history, 16,
	    "Serials kept for Serial Query diffs (new)");
	flag_duration(fs, "rtr.write.timeout", &c->write_timeout, 60,
	    "Close a router that reads nothing for this long (new)");
	flag_duration(fs, "expire.grace", &c->expire_grace, 6 * 3600,
	    "Stop serving data this long after its metadata.valid (new)");
	flag_duration(fs, "notify.interval", &c->notify_interval, 60,
	    "Least time between Serial Notifies to one router (new)");
	flag_duration(fs, "fetch.timeout", &c->fetch_timeout, 300,
	    "Deadline for one download of the cache (new)");
	flag_int(fs, "fetch.maxsize", &c->max_size, 512LL << 20,
	    "Largest cache file accepted, in bytes (new)");
	flag_string(fs, "fetch.cafile", &c->cafile, "",
	    "CA bundle for https, instead of the system's (new)");
	flag_string(fs, "metrics.addr", &c->metrics_addr, ":8080",
	    "Metrics address");
	flag_string(fs, "metrics.path", &c->metrics_path, "/metrics",
	    "Metrics path");
	flag_string(fs, "export.path", &c->export_path, "/rpki.json",
	    "Export path");
	flag_string(fs, "export.sign", &c->export_sign, "",
	    "Sign export with key");
	flag_string(fs, "tls.bind", &c->tls_bind, "",
	    "Bind address for TLS (several separated by commas)");
	flag_string(fs, "tls.cert", &c->tls_cert, "", "Certificate path");
	flag_string(fs, "tls.key", &c->tls_key, "", "Private key path");
	flag_duration(fs, "tls.handshake.timeout", &c->handshake_timeout, 10,
	    "Close a TLS session whose handshake is not done in this time "
	    "(0: no deadline; new)");
	flag_string(fs, "ssh.bind", &c->ssh_bind, "",
	    "Bind address for SSH (not supported)");
	flag_string(fs, "loglevel", &c->loglevel, "info", "Log level");
	flag_bool(fs, "log.verbose", &c->log_verbose, 0,
	    "Additional debug logs");
	flag_bool(fs, "log.json", &c->log_json, 0,
	    "Log one JSON object per line (new)");
	flag_bool(fs, "version", &c->version, 0, "Print version");
}

/* Refuse what would be silently wrong.  Returns 0, or -1 with e. */
static int
config_check(const struct config *c, struct err *e)
{
	if (c->protocol < 0 || c->protocol > RTR_VERSION_MAX)
		return err_set(e, "-protocol: want 0..%d, have %lld",
		    RTR_VERSION_MAX, c->protocol);
	if (c->refresh < 1)
		return err_set(e, "-refresh: want >= 1 second");
	if (c->sessionid > 65535)
		return err_set(e, "-rtr.sessionid: want < 65536");
	if (rtr_intervals_check((uint32_t)c->rtr_refresh,
	    (uint32_t)c->rtr_retry, (uint32_t)c->rtr_expire, e) == -1)
		return -1;
	if (c->history < 0 || c->history > 1024)
		return err_set(e, "-rtr.history: want 0..1024");
	if (strcmp(c->useserial, "disable") != 0 &&
	    strcmp(c->useserial, "startup") != 0 &&
	    strcmp(c->useserial, "full") != 0)
		return err_set(e, "-useserial: want disable, startup or full, "
		    "have \"%s\"", c->useserial);
	if (strcmp(c->aspa_format, "draft10") != 0 &&
	    strcmp(c->aspa_format, "current") != 0)
		return err_set(e, "-rtr.aspa.format: want draft10 or current, "
		    "have \"%s\"", c->aspa_format);
	if (c->ssh_bind[0] != '\0')
		return err_set(e, "-ssh.bind: the SSH transport is not "
		    "supported; use plain TCP on a trusted network or TLS");
	if (c->tls_bind[0] != '\0' && (c->tls_cert[0] == '\0' ||
	    c->tls_key[0] == '\0'))
		return err_set(e, "-tls.bind needs -tls.cert and -tls.key");
	return 0;
}

struct daemon {
	struct ev_loop	*loop;
	struct logger	 log;
	struct rtrstate	 st;
	struct server	 srv;
	struct feed	 feed;
	struct metrics	*metrics;
	EVP_PKEY	*key;		/* -verify.key, shared with the feed */
	SSL_CTX		*tls;		/* -tls.bind */
	ev_signal	 sighup, sigterm, sigint;
	ev_timer	 metrics_tick;
};

static void
on_sighup(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	log_ops(&d->log, LOG_INFO, "SIGHUP: refreshing now");
	feed_refresh_now(&d->feed);
}

static void
on_sigterm(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	log_ops(&d->log, LOG_INFO, "signal %d: shutting down", w->signum);
	ev_break(loop, EVBREAK_ALL);
}

static void
on_metrics_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;

	metrics_publish(d->metrics, &d->st, &d->srv, &d->feed);
}

static int
setup(struct daemon *d, const struct config *c, struct err *e)
{
	struct server_opts	so;
	struct feed_opts	fo;
	struct rtr_intervals	iv;

	iv.refresh = (uint32_t)c->rtr_refresh;
	iv.retry = (uint32_t)c->rtr_retry;
	iv.expire = (uint32_t)c->rtr_expire;
	if (rtrstate_init(&d->st, c->sessionid, 1, (size_t)c->history, &iv)
	    == -1)
		return err_set(e, "out of memory");
	d->st.aspa_format = strcmp(c->aspa_format, "current") == 0 ?
	    ASPA_PDU_CURRENT : ASPA_PDU_DRAFT10;
	memset(&so, 0, sizeof(so));
	so.maxconn = (size_t)c->maxconn;
	so.write_timeout = c->write_timeout;
	so.handshake_timeout = c->handshake_timeout;
	so.notifications = c->notifications;
	so.notify_interval = c->notify_interval;
	so.keepalive = 1;
	so.max_version = (int)c->protocol;
	server_init(&d->srv, d->loop, &d->st, &d->log, &so);
	if (c->bind[0] != '\0' && server_listen(&d->srv, c->bind, NULL, e)
	    == -1)
		return -1;
	if (c->tls_bind[0] != '\0' && ((d->tls = tls_server_ctx(c->tls_cert,
	    c->tls_key, e)) == NULL || server_listen(&d->srv, c->tls_bind,
	    d->tls, e) == -1))
		return -1;
	memset(&fo, 0, sizeof(fo));
	fo.fetch.url = c->cache;
	fo.fetch.useragent = c->useragent;
	fo.fetch.accept = c->mime;
	fo.fetch.use_etag = c->etag;
	fo.fetch.use_lastmod = c->lastmod;
	fo.fetch.total_timeout = c->fetch_timeout;
	fo.fetch.max_body = (size_t)c->max_size;
	fo.fetch.cafile = c->cafile[0] ? c->cafile : NULL;
	fo.refresh = (double)c->refresh;
	fo.retry = 30;
	fo.checktime = c->checktime;
	fo.expire_grace = c->expire_grace;
	fo.slurm = c->slurm[0] ? c->slurm : NULL;
	fo.slurm_refresh = c->slurm_refresh;
	fo.useserial = strcmp(c->useserial, "full") == 0 ? 2 :
	    strcmp(c->useserial, "startup") == 0 ? 1 : 0;
	if (c->verify && (d->key = vrpsign_load_pubkey(c->verify_key, e))
	    == NULL)
		return err_prefix(e, "-verify.key");
	fo.key = d->key;
	if (feed_init(&d->feed, d->loop, &d->log, &d->st, &d->srv, &fo, e)
	    == -1)
		return -1;
	if (c->metrics_addr[0] != '\0' && (d->metrics = metrics_start(
	    c->metrics_addr, c->metrics_path, c->export_path,
	    c->export_sign[0] ? c->export_sign : NULL, &d->log, e)) == NULL)
		return -1;
	return 0;
}

static void
signals_start(struct daemon *d)
{
	ev_signal_init(&d->sighup, on_sighup, SIGHUP);
	ev_signal_init(&d->sigterm, on_sigterm, SIGTERM);
	ev_signal_init(&d->sigint, on_sigterm, SIGINT);
	d->sighup.data = d->sigterm.data = d->sigint.data = d;
	ev_signal_start(d->loop, &d->sighup);
	ev_signal_start(d->loop, &d->sigterm);
	ev_signal_start(d->loop, &d->sigint);
	signal(SIGPIPE, SIG_IGN);
}

static int
parse_config(int argc, char **argv, struct config *c, struct flagset *fs)
{
	struct err	e;
	int		rest, r;

	flags_init(fs, "rtrcache");
	config_flags(fs, c);
	r = flags_parse(fs, argc, argv, 1, &rest, &e);
	if (r == 1) {
		flags_usage(fs, stdout);
		return 0;
	}
	if (r == -1 || rest != argc) {
		fprintf(stderr, "rtrcache: %s\n", r == -1 ? e.msg :
		    "unexpected argument");
		flags_usage(fs, stderr);
		return 2;
	}
	if (c->version) {
		printf("%s\n", RTRCACHE_VERSION);
		return 0;
	}
	if (config_check(c, &e) == -1) {
		fprintf(stderr, "rtrcache: %s\n", e.msg);
		return 2;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct config	c;
	struct flagset	fs;
	struct daemon	d;
	struct err	e;
	enum log_level	lvl;
	int		rc;

	/*
	 * Blocks of 128 kB and more always from mmap, given back when
	 * freed.  By default glibc raises that threshold to the size of
	 * each mmap'd block freed, so after the first update the freed
	 * Reset answers (18 MB at 800,000 VRPs) stay in the heap and the
	 * next file is read on top of them: with one router, an update
	 * peaked at 162 MB VmHWM instead of 129.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	memset(&c, 0, sizeof(c));
	memset(&d, 0, sizeof(d));
	if ((rc = parse_config(argc, argv, &c, &fs)) != -1) {
		flags_free(&fs);
		return rc;
	}
	log_init(&d.log, "rtrcache", stderr);
	d.log.json = c.log_json;
	if (log_level_parse(c.loglevel, &lvl) == -1) {
		fprintf(stderr, "rtrcache: -loglevel: unknown level \"%s\"\n",
		    c.loglevel);
		flags_free(&fs);
		return 2;
	}
	d.log.level[LOG_OPS] = d.log.level[LOG_DATA] =
	    c.log_verbose ? LOG_DEBUG : lvl;
	rc = 1;
	d.loop = ev_default_loop(EVFLAG_AUTO);
	if (fetch_global_init(&e) == -1 || setup(&d, &c, &e) == -1) {
		log_ops(&d.log, LOG_ERROR, "%s", e.msg);
		goto out;
	}
	signals_start(&d);
	if (d.metrics != NULL) {
		ev_timer_init(&d.metrics_tick, on_metrics_tick, 0, 1.0);
		d.metrics_tick.data = &d;
		ev_timer_start(d.loop, &d.metrics_tick);
	}
	log_ops(&d.log, LOG_INFO, "%s serving %s on %s", RTRCACHE_VERSION,
	    c.cache, c.bind);
	ev_run(d.loop, 0);
	rc = 0;
 out:
	metrics_stop(d.metrics);
	feed_free(&d.feed);
	server_free(&d.srv);
	rtrstate_free(&d.st);
	EVP_PKEY_free(d.key);
	SSL_CTX_free(d.tls);
	fetch_global_cleanup();
	flags_free(&fs);
	return rc;
}
