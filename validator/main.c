/*
 * rpki-validator - fetch the RPKI repositories into a cache (RRDP or
 * rsync, sync.c; -sync=false: the cache as it is), validate them from the trust
 * anchors of TALs and write the validated payloads as the signed JSON
 * file GoRTR, StayRTR and rtrcache read (OctoRPKI's format), optionally
 * uploaded (-output.put) and as rpki-client JSON and CSV.
 *
 *   rpki-validator -mode oneoff [-sync=false] -tal.root A.tal,B.tal \
 *       -tal.name A,B -cache DIR -output.roa FILE
 *
 * Flag names are OctoRPKI's where they apply.  Exit codes: 0 written
 * (server mode: stopped by SIGTERM or SIGINT); 1 the run failed (a TAL
 * unreadable, an output not written, out of memory; server mode: the
 * HTTP endpoints cannot start); 2 usage.  Bad RPKI data never fails the
 * run: it is reported on the data channel and left out.  In server mode
 * a failed run is logged and counted and the last good output stays
 * served (serve.c, httpd.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "fileio.h"
#include "flags.h"
#include "hostport.h"
#include "httpput.h"
#include "log.h"
#include "memo.h"
#include "monotime.h"
#include "ossl.h"
#include "serve.h"
#include "sync.h"
#include "tal.h"
#include "vrpfile.h"
#include "vrpsign.h"
#include "walk.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* A TAL is a few lines; anything this big is not one. */
#define TAL_MAX		(64 * 1024)

static const char *prog = "rpki-validator";

struct opts {
	struct httpd_config http;	/* OctoRPKI's -http.*, -cors.* */
	int		 output_wait, manifest_use;	/* accepted */
	const char	*rrdp_file;			/* accepted */
	long long	 rrdp_mode;			/* accepted */
	const char	*mode, *tal_root, *tal_name, *cache, *keep, *out_roa;
	const char	*sign_key, *out_json, *out_csv, *out_summary;
	const char	*loglevel, *now, *http_addr;
	const char	*put_url, *put_headers, *put_cacert, *rsync_bin;
	double		 validity, refresh, put_timeout, rsync_timeout;
	double		 rrdp_timeout;
	long long	 rsync_parallel, rrdp_max;
	long long	 threads, max_depth, max_file, max_mft_files;
	int		 sync, sign, strict_mft, strict_hash, strict_crl;
	int		 rrdp, rrdp_failover, memo;
};

struct run {
	struct opts	*o;
	struct logger	 lg;
	struct tal	**tals;
	char		**names;
	size_t		 ntals;
	EVP_PKEY	*key;
	uint8_t		 fp[MEMO_FP_LEN];	/* the memo's: this build */
	uint8_t		 mac_key[MEMO_MAC_LEN];	/* from key, if any */
	int		 fp_state;	/* 0 not computed, 1 done, -1 none */
	int		 server;	/* server mode: TALs re-read per run */
	int		 http;		/* HTTP serves the outputs' bytes */
	int		 ran;		/* a run has started */
};

static void
define_flags(struct flagset *fs, struct opts *o)
{
	flags_init(fs, prog);
	fs->synopsis = "  rpki-validator -mode oneoff [-sync=false] -tal.root "
	    "A.tal[,B.tal] -tal.name A[,B] -cache DIR -output.roa FILE\n"
	    "  rpki-validator -mode server ... "
	    "-http.addr HOST:PORT";
	flag_string(fs, "mode", &o->mode, "server", "oneoff: validate once "
	    "and exit; server: validate every -refresh (and on SIGHUP), "
	    "serve HTTP on -http.addr");
	flag_string(fs, "http.addr", &o->http_addr, ":8081", "Server mode: "
	    "listen here (host:port) for /output.json, /metrics, /healthz, "
	    "/infos; empty: no HTTP");
	flag_bool(fs, "sync", &o->sync, 1, "Fetch the repositories into "
	    "-cache while validating (RRDP, else rsync); false: use the "
	    "cache as it is");
	flag_bool(fs, "rrdp", &o->rrdp, 1, "-sync: fetch over RRDP (RFC "
	    "8182) the repositories whose CA names a notification file "
	    "(rpkiNotify); false: rsync only");
	flag_bool(fs, "rrdp.failover", &o->rrdp_failover, 1, "-sync: when "
	    "RRDP fails for a repository, fetch the CA's rsync module "
	    "instead; false: use what the cache has");
	flag_duration(fs, "rrdp.timeout", &o->rrdp_timeout, 300, "-sync: "
	    "the longest one RRDP repository's fetch (notification, snapshot "
	    "or deltas) may take");
	flag_int(fs, "rrdp.maxsize", &o->rrdp_max, 1024 * 1024 * 1024,
	    "-sync: largest RRDP snapshot or delta file, bytes, after "
	    "content decoding (a notification file: at most 16 MB)");
	flag_string(fs, "rsync.bin", &o->rsync_bin, "rsync", "The rsync "
	    "program -sync runs");
	flag_duration(fs, "rsync.timeout", &o->rsync_timeout, 180, "-sync: "
	    "give up on an rsync transfer silent this long");
	flag_int(fs, "rsync.parallel", &o->rsync_parallel, 8, "-sync: fetches "
	    "(RRDP or rsync) run at once ahead of validation, besides those "
	    "of the validation threads");
	flag_string(fs, "tal.root", &o->tal_root, "tals/afrinic.tal,"
	    "tals/apnic.tal,tals/arin.tal,tals/lacnic.tal,tals/ripe.tal",
	    "TAL files, separated by commas");
	flag_string(fs, "tal.name", &o->tal_name, "AFRINIC,APNIC,ARIN,"
	    "LACNIC,RIPE", "Their names in the output (\"ta\"), one per TAL; "
	    "empty: each TAL's file name");
	flag_string(fs, "cache", &o->cache, "cache/", "Repository cache, "
	    "rsync layout: rsync://HOST/MODULE/PATH is DIR/HOST/MODULE/PATH");
	flag_string(fs, "cache.valid", &o->keep, "", "Keep the last valid "
	    "copy of each publication point here (same layout) and use it "
	    "while still valid when the cache's fails (RFC 9286 section 6.7); "
	    "empty: none");
	flag_string(fs, "output.roa", &o->out_roa, "output.json", "Output "
	    "file (OctoRPKI/GoRTR JSON), written atomically; - for stdout");
	flag_bool(fs, "output.sign", &o->sign, 1, "Sign the output "
	    "(GoRTR-compatible ECDSA P-256)");
	flag_string(fs, "output.sign.key", &o->sign_key, "private.pem",
	    "ECDSA P-256 private key (PEM)");
	flag_duration(fs, "output.sign.validity", &o->validity, 3600,
	    "How long the output is valid (metadata.valid)");
	flag_string(fs, "output.put", &o->put_url, "", "Also upload the "
	    "output with an HTTP PUT to this http:// or https:// URL (a web "
	    "server or CDN origin that takes uploads), before -output.roa "
	    "is written; a failed upload fails the run");
	flag_string(fs, "output.put.headers", &o->put_headers, "", "Extra "
	    "request headers for -output.put, one \"Name: value\" per line "
	    "(e.g. Authorization), read at each upload");
	flag_string(fs, "output.put.cacert", &o->put_cacert, "", "CA "
	    "certificates (PEM) for an https -output.put; empty: the "
	    "system's");
	flag_duration(fs, "output.put.timeout", &o->put_timeout, 60,
	    "Longest an upload may take");
	flag_string(fs, "output.rpki-client", &o->out_json, "", "Also write "
	    "rpki-client JSON (roas, aspas, bgpsec_keys) here");
	flag_string(fs, "output.csv", &o->out_csv, "", "Also write "
	    "rpki-client CSV (ASN,IP Prefix,Max Length,Trust Anchor) here");
	flag_string(fs, "output.summary", &o->out_summary, "", "Also write "
	    "the run summary as JSON here");
	flag_bool(fs, "strict.manifests", &o->strict_mft, 1, "A stale "
	    "manifest fails its publication point (RFC 9286 section 6.3)");
	flag_bool(fs, "strict.hash", &o->strict_hash, 1, "A missing or "
	    "changed listed file fails its publication point (RFC 9286 "
	    "sections 6.4, 6.5); false: only that file is dropped");
	flag_bool(fs, "strict.crl", &o->strict_crl, 1, "A stale CRL fails "
	    "its publication point (RFC 9286 section 6.6)");
	flag_bool(fs, "memo", &o->memo, 1, "Remember what validating each "
	    "ROA and ASPA proved (CACHE/.memo); a later run decodes and "
	    "verifies again only those that changed, and redoes the time, "
	    "CRL and resource checks of the others; false: validate every "
	    "one in full");
	flag_duration(fs, "refresh", &o->refresh, 1200, "Revalidation "
	    "interval in server mode");
	flag_int(fs, "j", &o->threads, 0, "Validation threads (0: one per "
	    "CPU)");
	flag_int(fs, "max.depth", &o->max_depth, 12, "CAs below a trust "
	    "anchor, at most (rpki-client's limit)");
	flag_int(fs, "max.filesize", &o->max_file, 4 * 1024 * 1024,
	    "Largest object file, bytes");
	flag_int(fs, "max.mftfiles", &o->max_mft_files, 100000, "Most "
	    "files one manifest may list");
	flag_string(fs, "http.metrics", &o->http.metrics_path, "/metrics",
	    "Server mode: the path of the Prometheus metrics");
	flag_string(fs, "http.info", &o->http.info_path, "/infos", "Server "
	    "mode: the path of the last good run's summary (JSON)");
	flag_bool(fs, "http.cache", &o->http.cache, 1, "Server mode: give "
	    "the output a Cache-Control max-age up to its metadata.valid");
	flag_string(fs, "cors.origins", &o->http.cors_origins, "*", "Server "
	    "mode: origins allowed to read the endpoints from a browser "
	    "(CORS), separated by commas, * for any; empty: no CORS "
	    "headers");
	flag_bool(fs, "cors.creds", &o->http.cors_creds, 0, "Server mode: "
	    "allow CORS requests with credentials");
	flag_bool(fs, "output.wait", &o->output_wait, 1, "Accepted for "
	    "OctoRPKI's command lines: a run here fetches every repository "
	    "it finds before it writes, so each output is its stable state");
	flag_string(fs, "rrdp.file", &o->rrdp_file, "rrdp.json", "Accepted "
	    "for OctoRPKI's command lines and not read: each RRDP "
	    "repository's state is its own file under CACHE/.rrdp/");
	flag_int(fs, "rrdp.mode", &o->rrdp_mode, 1, "Accepted for "
	    "OctoRPKI's command lines (0, 1 or 2): an RRDP repository may "
	    "only write files on its CA's rsync host, whatever the value");
	flag_bool(fs, "manifest.use", &o->manifest_use, 1, "Accepted for "
	    "OctoRPKI's command lines: validation always follows the "
	    "manifests (RFC 9286); false is refused");
	flag_string(fs, "validation.time", &o->now, "", "Validate as of "
	    "this time (unix seconds or 2006-01-02T15:04:05Z; default now)");
	flag_string(fs, "loglevel", &o->loglevel, "info", "Log level: "
	    "error, warn, info, debug");
}

/* Split s at commas into a NULL-terminated array (free both). */
static char **
split(const char *s, size_t *n)
{
	char	**v, *copy, *tok, *save = NULL;
	size_t	 cap = 1;
	const char *p;

	for (p = s; *p != '\0'; p++)
		cap += *p == ',';
	if ((v = calloc(cap + 1, sizeof(*v))) == NULL ||
	    (copy = strdup(s)) == NULL) {
		free(v);
		return NULL;
	}
	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (*tok != '\0' && (v[(*n)++] = strdup(tok)) == NULL)
			break;
	free(copy);
	return v;
}

static void
strv_free(char **v)
{
	size_t	i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/*
 * Read and parse every TAL; name each from -tal.name or its file.
 * Returns 0, or -1 with the reason in e (what was loaded stays in r for
 * tals_free).
 */
static int
tals_load(struct run *r, struct err *e)
{
	char		**paths, **names = NULL, *text;
	size_t		 n, nn = 0, len, i;
	int		 rc = -1;

	err_set(e, "out of memory");
	if ((paths = split(r->o->tal_root, &n)) == NULL)
		return -1;
	if (n == 0) {
		err_set(e, "-tal.root: no TAL given");
		goto out;
	}
	if (r->o->tal_name[0] != '\0' &&
	    ((names = split(r->o->tal_name, &nn)) == NULL || nn != n)) {
		err_set(e, "-tal.name: want %zu names, one per TAL of "
		    "-tal.root, have %zu", n, nn);
		goto out;
	}
	if ((r->tals = calloc(n, sizeof(*r->tals))) == NULL ||
	    (r->names = calloc(n + 1, sizeof(*r->names))) == NULL)
		goto out;
	for (i = 0; i < n; i++, r->ntals++) {
		if (file_read_all(paths[i], TAL_MAX, &text, &len, e) == -1)
			goto out;
		r->tals[i] = tal_parse(paths[i], text, len, e);
		free(text);
		if (r->tals[i] == NULL)
			goto out;
		r->names[i] = strdup(names ? names[i] : r->tals[i]->name);
		if (r->names[i] == NULL) {
			tal_free(r->tals[i]);
			r->tals[i] = NULL;
			err_set(e, "out of memory");
			goto out;
		}
	}
	rc = 0;
 out:
	strv_free(paths);
	strv_free(names);
	return rc;
}

static void
tals_free(struct run *r)
{
	size_t	i;

	for (i = 0; i < r->ntals; i++)
		tal_free(r->tals[i]);
	free(r->tals);
	strv_free(r->names);
	r->tals = NULL;
	r->names = NULL;
	r->ntals = 0;
}

/*
 * The repositories fetched (-sync), as the summary's "repositories"
 * member: each one's URI, how (rrdp or rsync), whether it succeeded,
 * how long it took, and for RRDP the serial held.
 */
static int
summary_repos(FILE *fp, const struct sync_repo *v, size_t n)
{
	struct buf	b;
	size_t		i;
	int		rc;

	memset(&b, 0, sizeof(b));
	buf_puts(&b, ",\"repositories\":[");
	for (i = 0; i < n; i++) {
		buf_puts(&b, i ? ",{\"uri\":" : "{\"uri\":");
		buf_json_string(&b, v[i].uri);
		buf_printf(&b, ",\"type\":\"%s\",\"ok\":%s,\"seconds\":%.3f,"
		    "\"finished\":%lld", v[i].rrdp ? "rrdp" : "rsync",
		    v[i].ok ? "true" : "false", v[i].secs,
		    (long long)v[i].finished);
		if (v[i].rrdp && v[i].ok)
			buf_printf(&b, ",\"serial\":%llu",
			    (unsigned long long)v[i].serial);
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]");
	rc = buf_failed(&b) || fwrite(b.data, 1, b.len, fp) != b.len ? -1 : 0;
	buf_free(&b);
	return rc;
}

/* The summary as one JSON object; 0, or -1 if out of memory. */
static int
summary_json(FILE *fp, const struct walk_stats *st, const struct vrpset *s,
    double secs, int64_t now, const struct run_report *rep)
{
	size_t	t, k, bad;

	fprintf(fp, "{\"validation_time\":%lld,\"seconds\":%.3f,"
	    "\"publication_points\":%zu,\"publication_points_failed\":%zu,"
	    "\"publication_points_kept\":%zu,\"rsync_fetched\":%zu,"
	    "\"rsync_failed\":%zu,\"rrdp_fetched\":%zu,"
	    "\"rrdp_snapshots\":%zu,\"rrdp_deltas\":%zu,"
	    "\"rrdp_failed\":%zu,\"memo_reused\":%zu,\"memo_added\":%zu,"
	    "\"vrps\":%zu,\"aspas\":%zu,\"router_keys\":%zu,\"objects\":{",
	    (long long)now, secs, st->pubpoints, st->pubpoints_failed,
	    st->pubpoints_kept, st->fetched, st->fetch_failed,
	    st->rrdp_fetched, st->rrdp_snapshots, st->rrdp_deltas,
	    st->rrdp_failed, st->memo_reused, st->memo_added, s->nvrps,
	    s->naspas, s->nrkeys);
	for (t = 0; t < WT_N; t++) {
		fprintf(fp, "%s\"%s\":{\"valid\":%zu,\"invalid\":{", t ? "," :
		    "", walk_type_name(t), st->valid[t]);
		for (k = 0, bad = 0; k < WR_N; k++)
			if (st->invalid[t][k] > 0)
				fprintf(fp, "%s\"%s\":%zu", bad++ ? "," : "",
				    walk_reason_name(k), st->invalid[t][k]);
		fputs("}}", fp);
	}
	fputs("}", fp);
	if (summary_repos(fp, rep->repos, rep->nrepos) == -1)
		return -1;
	fputs("}\n", fp);
	return 0;
}

/* The summary for people, on the ops channel. */
static void
summary_log(struct run *r, const struct walk_stats *st,
    const struct vrpset *s, double secs)
{
	size_t	t, k, bad;

	log_ops(&r->lg, LOG_INFO, "validated in %.2f s: %zu VRPs, %zu ASPAs, "
	    "%zu router keys; %zu publication points, %zu failed, %zu from "
	    "the last valid copy", secs, s->nvrps, s->naspas, s->nrkeys,
	    st->pubpoints, st->pubpoints_failed, st->pubpoints_kept);
	for (t = 0; t < WT_N; t++) {
		for (k = 0, bad = 0; k < WR_N; k++)
			bad += st->invalid[t][k];
		if (st->valid[t] + bad == 0)
			continue;
		log_ops(&r->lg, LOG_INFO, "%s: %zu valid, %zu invalid",
		    walk_type_name(t), st->valid[t], bad);
		for (k = 0; k < WR_N; k++)
			if (st->invalid[t][k] > 0)
				log_ops(&r->lg, LOG_INFO, "  %s: %zu invalid "
				    "(%s)", walk_type_name(t),
				    st->invalid[t][k], walk_reason_name(k));
	}
}

/* Write len bytes at p to path atomically ("-": standard output). */
static int
bytes_save(const char *path, const char *p, size_t len, struct err *e)
{
	struct atomic_file	af;

	if (atomic_open(&af, path, e) == -1)
		return -1;
	if (fwrite(p, 1, len, af.fp) != len) {
		atomic_abort(&af);
		return err_set(e, "%s: write error", path);
	}
	return atomic_commit(&af, e);
}

/*
 * The OctoRPKI file in memory (free *p), so that the bytes written and
 * the bytes served are the same.  0, or -1 if out of memory.
 */
static int
octorpki_render(const struct vrpset *s, const struct vrpfile_meta *m,
    char **p, size_t *len)
{
	FILE	*fp;
	int	 bad;

	if ((fp = open_memstream(p, len)) == NULL)
		return -1;
	bad = vrpfile_write(fp, s, VRPFILE_OCTORPKI, m) == -1;
	if (fclose(fp) != 0 || bad) {
		free(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

/* The summary JSON in memory (free *p).  0, or -1 if out of memory. */
static int
summary_render(const struct walk_stats *st, const struct vrpset *s,
    double secs, int64_t now, const struct run_report *rep, char **p,
    size_t *len)
{
	FILE	*fp;
	int	 bad;

	if ((fp = open_memstream(p, len)) == NULL)
		return -1;
	bad = summary_json(fp, st, s, secs, now, rep) == -1 || ferror(fp);
	if (fclose(fp) != 0 || bad) {
		free(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

/* -output.put: the OctoRPKI bytes uploaded, if asked for. */
static int
output_put(struct run *r, const char *p, size_t len, struct err *e)
{
	struct http_put_opts	 po;
	struct timespec		 t0;

	if (r->o->put_url[0] == '\0')
		return 0;
	memset(&po, 0, sizeof(po));
	po.url = r->o->put_url;
	po.content_type = "application/json";
	po.headers_file = r->o->put_headers;
	po.cacert = r->o->put_cacert;
	po.timeout = r->o->put_timeout < 1 ? 1L : (long)r->o->put_timeout;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (http_put(&po, p, len, e) == -1)
		return -1;
	log_ops(&r->lg, LOG_INFO, "uploaded %zu bytes to %s (%.2f s)", len,
	    po.url, mono_since(&t0));
	return 0;
}

/*
 * Every output asked for, each written atomically; the upload
 * (-output.put) and -output.roa last, so
 * that it changes only when the whole run succeeds and is always the
 * file HTTP serves.  With r->http its bytes and the summary's are left
 * in rep.  Returns 0, or -1 with the reason in e.
 */
static int
outputs_write(struct run *r, const struct vrpset *s,
    const struct walk_stats *st, double secs, int64_t now,
    struct run_report *rep, struct err *e)
{
	struct vrpfile_meta	 m;
	struct siglines		 sl;
	int			 rc = -1;

	memset(&m, 0, sizeof(m));
	memset(&sl, 0, sizeof(sl));
	m.generated = now;
	m.valid = now + (int64_t)r->o->validity;
	m.counts = (int64_t)s->nvrps;
	m.has_generated = m.has_valid = m.has_counts = 1;
	err_set(e, "out of memory");
	if (r->key != NULL && (siglines_from_set(&sl, s) == -1 ||
	    vrpsign_sign(r->key, &sl, &m, e) == -1))
		goto out;
	if (r->o->out_json[0] != '\0' && vrpfile_save(r->o->out_json, s,
	    VRPFILE_RPKICLIENT, &m, e) == -1)
		goto out;
	if (r->o->out_csv[0] != '\0' && vrpfile_save(r->o->out_csv, s,
	    VRPFILE_CSV, &m, e) == -1)
		goto out;
	if (summary_render(st, s, secs, now, rep, &rep->summary,
	    &rep->summary_len) == -1)
		goto out;
	if (r->o->out_summary[0] != '\0' && bytes_save(r->o->out_summary,
	    rep->summary, rep->summary_len, e) == -1)
		goto out;
	if (!r->http && r->o->put_url[0] == '\0') {
		if (vrpfile_save(r->o->out_roa, s, VRPFILE_OCTORPKI, &m, e)
		    == -1)
			goto out;
	} else if (octorpki_render(s, &m, &rep->output, &rep->output_len)
	    == -1) {
		err_set(e, "%s: out of memory", r->o->out_roa);
		goto out;
	} else if (output_put(r, rep->output, rep->output_len, e) == -1 ||
	    bytes_save(r->o->out_roa, rep->output, rep->output_len, e) == -1)
		goto out;
	rep->valid = m.valid;
	rc = 0;
 out:
	if (rc == -1 || !r->http)
		run_report_clear(rep);
	siglines_free(&sl);
	vrpfile_meta_free(&m);
	return rc;
}

static void
walk_config_fill(struct run *r, struct walk_config *cfg)
{
	long	ncpu;

	memset(cfg, 0, sizeof(*cfg));
	cfg->cache = r->o->cache;
	cfg->keep = r->o->keep[0] != '\0' ? r->o->keep : NULL;
	cfg->now = (int64_t)time(NULL);
	if (r->o->now[0] != '\0')
		(void)timestamp_parse(r->o->now, &cfg->now);	/* checked */
	cfg->threads = (int)r->o->threads;
	if (cfg->threads == 0)
		cfg->threads = (ncpu = sysconf(_SC_NPROCESSORS_ONLN)) > 0 ?
		    (int)ncpu : 1;
	cfg->max_depth = (unsigned)r->o->max_depth;
	cfg->max_file = (size_t)r->o->max_file;
	cfg->max_mft_files = (size_t)r->o->max_mft_files;
	cfg->strict_manifests = r->o->strict_mft;
	cfg->strict_hash = r->o->strict_hash;
	cfg->strict_crl = r->o->strict_crl;
	cfg->lg = &r->lg;
}

/* -sync: a fetcher for one run; NULL if out of memory. */
static struct sync *
sync_start(struct run *r, const atomic_int *cancel)
{
	struct sync_config	sc;

	memset(&sc, 0, sizeof(sc));
	sc.cache = r->o->cache;
	sc.rsync = r->o->rsync_bin;
	sc.timeout = (unsigned)r->o->rsync_timeout;
	sc.contimeout = sc.timeout < 15 ? sc.timeout : 15;
	sc.max_file = (size_t)r->o->max_file;
	sc.parallel = (unsigned)r->o->rsync_parallel;
	sc.rrdp = r->o->rrdp;
	sc.rrdp_failover = r->o->rrdp_failover;
	sc.rrdp_timeout = (unsigned)r->o->rrdp_timeout;
	sc.rrdp_max = (size_t)r->o->rrdp_max;
	sc.cancel = cancel;
	sc.lg = &r->lg;
	return sync_new(&sc);
}

/* The fetches of a run into st, and said on the ops channel. */
static void
sync_stats_log(struct run *r, const struct sync_stats *ss,
    struct walk_stats *st)
{
	st->fetched = ss->fetched;
	st->fetch_failed = ss->failed;
	st->rrdp_fetched = ss->rrdp_fetched;
	st->rrdp_snapshots = ss->rrdp_snapshots;
	st->rrdp_deltas = ss->rrdp_deltas;
	st->rrdp_failed = ss->rrdp_failed;
	if (r->o->rrdp)
		log_ops(&r->lg, ss->rrdp_failed > 0 ? LOG_WARN : LOG_INFO,
		    "fetched %zu RRDP repositories (%zu by snapshot, %zu by "
		    "deltas, %zu unchanged), %zu failed%s", ss->rrdp_fetched,
		    ss->rrdp_snapshots, ss->rrdp_deltas, ss->rrdp_fetched -
		    ss->rrdp_snapshots - ss->rrdp_deltas, ss->rrdp_failed,
		    ss->rrdp_failed == 0 ? "" : r->o->rrdp_failover ?
		    " (rsync used instead)" : " (the cache's copies used)");
	log_ops(&r->lg, ss->failed > 0 ? LOG_WARN : LOG_INFO, "fetched %zu "
	    "rsync modules and TA certificates, %zu failed%s", ss->fetched,
	    ss->failed, ss->failed > 0 ? " (the cache's copies used)" : "");
}

/*
 * The memo's HMAC key: a SHA-256 of the signing key, so a memo that
 * verifies was written by whoever holds the key the output is signed
 * with.  Returns 0, or -1 (none: the key does not encode).
 */
static int
memo_mac_key(EVP_PKEY *key, uint8_t out[MEMO_MAC_LEN])
{
	static const char label[] = "rpki-validator memo key";
	struct ossl_sha256_ctx c;
	unsigned char	*der = NULL;
	int		 n;

	if ((n = i2d_PrivateKey(key, &der)) <= 0)
		return -1;
	ossl_sha256_init(&c);
	ossl_sha256_update(&c, label, sizeof(label));
	ossl_sha256_update(&c, der, (size_t)n);
	ossl_sha256_final(&c, out);
	OPENSSL_cleanse(&c, sizeof(c));
	OPENSSL_clear_free(der, (size_t)n);
	return 0;
}

/*
 * -memo: the memo in the cache, for a memo file written by this very
 * executable (its SHA-256: any rebuild may check differently) and,
 * when the output is signed, keyed with the signing key.  NULL if not
 * wanted or none can be had (said once).
 */
static struct memo *
memo_start(struct run *r)
{
	struct memo	*m;
	struct err	 e;
	const char	*why;
	char		*exe, *path;
	size_t		 len, n = strlen(r->o->cache);

	if (!r->o->memo || r->fp_state == -1)
		return NULL;
	if (r->fp_state == 0) {
		if (file_read_all("/proc/self/exe", MEMO_FILE_MAX, &exe, &len,
		    &e) == -1) {
			log_ops(&r->lg, LOG_WARN, "-memo: %s: every ROA and "
			    "ASPA is validated in full", e.msg);
			r->fp_state = -1;
			return NULL;
		}
		ossl_sha256(exe, len, r->fp);
		free(exe);
		if (r->key != NULL && memo_mac_key(r->key, r->mac_key) == -1) {
			log_ops(&r->lg, LOG_WARN, "-memo: the signing key does "
			    "not encode: every ROA and ASPA is validated in "
			    "full");
			r->fp_state = -1;
			return NULL;
		}
		r->fp_state = 1;
	}
	if (asprintf(&path, "%s%s.memo", r->o->cache, n > 0 &&
	    r->o->cache[n - 1] == '/' ? "" : "/") == -1)
		return NULL;
	if ((m = memo_open(path, r->fp, r->key != NULL ? r->mac_key : NULL,
	    &why)) == NULL)
		log_ops(&r->lg, LOG_WARN, "-memo: out of memory");
	else if (why != NULL)
		log_ops(&r->lg, LOG_INFO, "%s: %s: ignored, every ROA and "
		    "ASPA is validated in full", path, why);
	free(path);
	return m;
}

/* After a complete walk: what the memo did (into st), the memo saved. */
static void
memo_finish(struct run *r, struct memo *m, struct walk_stats *st)
{
	struct err	e;
	size_t		hits, added;

	if (m == NULL)
		return;
	memo_counts(m, &hits, &added);
	st->memo_reused = hits;
	st->memo_added = added;
	log_ops(&r->lg, LOG_INFO, "memo: %zu ROAs and ASPAs unchanged (time, "
	    "CRL and resources checked again), %zu validated in full and "
	    "remembered", hits, added);
	if (memo_save(m, &e) == -1)
		log_ops(&r->lg, LOG_WARN, "memo not saved: %s", e.msg);
}

/*
 * One run: in server mode the TALs are read again (the first run uses
 * those read at start), so an operator's change applies at the next run
 * or SIGHUP, and a TAL that became unreadable fails the run.  Fills rep;
 * returns 0, or -1 (logged, the reason in rep->error).
 */
static int
validate_once(struct run *r, const atomic_int *cancel,
    struct run_report *rep)
{
	struct walk_config	 cfg;
	struct walk_stats	 st;
	struct sync_stats	 ss;
	struct vrpset		*s = NULL;
	struct timespec		 t0, tw;
	struct err		 e;
	double			 secs;

	memset(&cfg, 0, sizeof(cfg));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (r->server && r->ran) {
		tals_free(r);
		if (tals_load(r, &e) == -1)
			goto fail;
	}
	r->ran = 1;
	walk_config_fill(r, &cfg);
	cfg.cancel = cancel;
	if (r->o->sync && (cfg.sync = sync_start(r, cancel)) == NULL) {
		err_set(&e, "out of memory");
		goto fail;
	}
	cfg.memo = memo_start(r);
	log_ops(&r->lg, LOG_INFO, "validating %s with %zu TALs, %d threads",
	    cfg.cache, r->ntals, cfg.threads);
	clock_gettime(CLOCK_MONOTONIC, &tw);
	s = walk_run(&cfg, r->tals, (const char *const *)r->names, r->ntals,
	    &st, &e);
	if (s == NULL)
		goto fail;
	secs = mono_since(&tw);
	if (cfg.sync != NULL) {
		sync_stats(cfg.sync, &ss);
		sync_stats_log(r, &ss, &st);
		if (sync_repos(cfg.sync, &rep->repos, &rep->nrepos) == -1)
			log_ops(&r->lg, LOG_WARN, "out of memory: the summary "
			    "lists no repositories");
	}
	memo_finish(r, cfg.memo, &st);
	summary_log(r, &st, s, secs);
	rep->st = st;
	rep->nvrps = s->nvrps;
	rep->naspas = s->naspas;
	rep->nrkeys = s->nrkeys;
	if (outputs_write(r, s, &st, secs, cfg.now, rep, &e) == -1)
		goto fail;
	log_ops(&r->lg, LOG_INFO, "wrote %s", r->o->out_roa);
	rep->ok = 1;
	goto done;
 fail:
	log_ops(&r->lg, cancel != NULL && atomic_load(cancel) ? LOG_INFO :
	    LOG_ERROR, "%s", e.msg);
	snprintf(rep->error, sizeof(rep->error), "%s", e.msg);
 done:
	vrpset_unref(s);
	sync_free(cfg.sync);
	memo_free(cfg.memo);
	rep->secs = mono_since(&t0);
	rep->finished = (int64_t)time(NULL);
	return rep->ok ? 0 : -1;
}

/* serve_run_fn: one run of server mode. */
static void
serve_run(void *arg, const atomic_int *cancel, struct run_report *rep)
{
	(void)validate_once(arg, cancel, rep);
}

/* Checks of the flags that need no file; 0 or -1 (said). */
static int
opts_check(const struct opts *o)
{
	int64_t	t;
	char	host[256], port[16];

	if (strcmp(o->mode, "oneoff") != 0 && strcmp(o->mode, "server") != 0)
		return fprintf(stderr, "%s: -mode: want oneoff or server, have "
		    "\"%s\"\n", prog, o->mode), -1;
	if (o->sync && o->rsync_timeout < 1)
		return fprintf(stderr, "%s: -rsync.timeout: want at least "
		    "1s\n", prog), -1;
	if (o->sync && o->rrdp && (o->rrdp_timeout < 1 ||
	    o->rrdp_timeout > 86400))
		return fprintf(stderr, "%s: -rrdp.timeout: want 1s to 24h\n",
		    prog), -1;
	if (o->rrdp_max < 1024 * 1024 || o->rrdp_max > INT_MAX)
		return fprintf(stderr, "%s: -rrdp.maxsize: want 1048576 to %d "
		    "bytes, have %lld\n", prog, INT_MAX, o->rrdp_max), -1;
	if (o->rsync_parallel < 0 || o->rsync_parallel > 64)
		return fprintf(stderr, "%s: -rsync.parallel: want 0 to 64, "
		    "have %lld\n", prog, o->rsync_parallel), -1;
	if (o->threads < 0 || o->threads > 1024 || o->max_depth < 1 ||
	    o->max_depth > 60 || o->max_file < 1024 || o->max_mft_files < 1)
		return fprintf(stderr, "%s: want 0 <= -j <= 1024, 1 <= "
		    "-max.depth <= 60, -max.filesize >= 1024, -max.mftfiles "
		    ">= 1\n", prog), -1;
	if (o->validity <= 0 || o->refresh <= 0)
		return fprintf(stderr, "%s: -output.sign.validity and -refresh "
		    "must be positive\n", prog), -1;
	if (o->now[0] != '\0' && timestamp_parse(o->now, &t) == -1)
		return fprintf(stderr, "%s: -validation.time: want unix "
		    "seconds or 2006-01-02T15:04:05Z, have \"%s\"\n", prog,
		    o->now), -1;
	if (o->http_addr[0] != '\0' && (hostport_split(o->http_addr, host,
	    sizeof(host), port, sizeof(port)) == -1 || atol(port) > 65535))
		return fprintf(stderr, "%s: -http.addr: want host:port, :port "
		    "or empty, have \"%s\"\n", prog, o->http_addr), -1;
	if (o->put_url[0] != '\0' &&
	    strncasecmp(o->put_url, "http://", 7) != 0 &&
	    strncasecmp(o->put_url, "https://", 8) != 0)
		return fprintf(stderr, "%s: -output.put: want an http:// or "
		    "https:// URL, have \"%s\"\n", prog, o->put_url), -1;
	if (o->put_timeout <= 0)
		return fprintf(stderr, "%s: -output.put.timeout must be "
		    "positive\n", prog), -1;
	if (o->http.metrics_path[0] == '\0' || o->http.info_path[0] == '\0')
		return fprintf(stderr, "%s: -http.metrics and -http.info: want "
		    "a path, have an empty one\n", prog), -1;
	if (o->rrdp_mode < 0 || o->rrdp_mode > 2)
		return fprintf(stderr, "%s: -rrdp.mode: want 0, 1 or 2 (as "
		    "OctoRPKI), have %lld\n", prog, o->rrdp_mode), -1;
	if (!o->manifest_use)
		return fprintf(stderr, "%s: -manifest.use=false: not "
		    "supported; objects are only taken from the manifests "
		    "that list them (RFC 9286)\n", prog), -1;
	return 0;
}

static int
run_main(struct opts *o)
{
	struct run		 r;
	struct run_report	 rep;
	struct serve_config	 sc;
	enum log_level		 lvl;
	struct err		 e;
	int			 rc = EXIT_FAIL;

	memset(&r, 0, sizeof(r));
	r.o = o;
	log_init(&r.lg, prog, stderr);
	if (log_level_parse(o->loglevel, &lvl) == -1) {
		fprintf(stderr, "%s: -loglevel: want error, warn, info or "
		    "debug, have \"%s\"\n", prog, o->loglevel);
		return EXIT_USAGE;
	}
	r.lg.level[LOG_OPS] = r.lg.level[LOG_DATA] = lvl;
	if (tals_load(&r, &e) == -1) {
		log_ops(&r.lg, LOG_ERROR, "%s", e.msg);
		goto out;
	}
	if (o->sign && (r.key = vrpsign_load_privkey(o->sign_key, &e)) ==
	    NULL) {
		log_ops(&r.lg, LOG_ERROR, "-output.sign.key: %s", e.msg);
		goto out;
	}
	if (strcmp(o->mode, "oneoff") == 0) {
		memset(&rep, 0, sizeof(rep));
		rc = validate_once(&r, NULL, &rep) == 0 ? 0 : EXIT_FAIL;
		run_report_clear(&rep);
		goto out;
	}
	r.server = 1;
	r.http = o->http_addr[0] != '\0';
	memset(&sc, 0, sizeof(sc));
	sc.http = o->http;
	sc.http.addr = o->http_addr;
	sc.http.roa_path = o->out_roa;
	sc.http.refresh = o->refresh;
	sc.lg = &r.lg;
	sc.run = serve_run;
	sc.arg = &r;
	rc = serve_main(&sc) == 0 ? 0 : EXIT_FAIL;
 out:
	tals_free(&r);
	EVP_PKEY_free(r.key);
	return rc;
}

int
main(int argc, char **argv)
{
	struct flagset	 fs;
	struct opts	 o;
	struct err	 e;
	int		 r, rest, rc = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	define_flags(&fs, &o);
	r = flags_parse(&fs, argc, argv, 1, &rest, &e);
	if (r == 1) {
		flags_usage(&fs, stdout);
		rc = 0;
	} else if (r == -1 || rest != argc) {
		fprintf(stderr, "%s: %s\n", prog, r == -1 ? e.msg :
		    "unexpected argument");
		flags_usage(&fs, stderr);
	} else if (opts_check(&o) == 0) {
		/*
		 * While there is one thread, as libcurl and libxml2 want:
		 * uploads, https trust anchors and RRDP use them.
		 */
		xmlInitParser();
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			fprintf(stderr, "%s: cannot start libcurl\n", prog);
			rc = EXIT_FAIL;
		} else {
			rc = run_main(&o);
			curl_global_cleanup();
		}
		xmlCleanupParser();
	}
	flags_free(&fs);
	return rc;
}
