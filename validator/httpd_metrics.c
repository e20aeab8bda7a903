/*
 * httpd_metrics.c - server mode's Prometheus text.
 *
 * OctoRPKI's metric names come first, so its dashboards keep working:
 * roas, state, last_stable_validation, last_validation.  Ours follow
 * under rpki_validator_.  The payload and object counts describe the run
 * whose output is served - the last good one - so they agree with
 * /output.json and /infos; the run counters and the last_run_* gauges
 * describe every run, failed ones too.
 */
#include <stdio.h>

#include "httpd_impl.h"
#include "prom.h"

static void
gauge(struct buf *b, const char *name, const char *help, double v)
{
	prom_header(b, name, "gauge", help);
	prom_sample(b, name, NULL, 0, v);
}

static void
render_octorpki(struct buf *b, const struct httpd_stats *s)
{
	gauge(b, "roas", "VRPs in the output served (OctoRPKI's name).",
	    s->has_data ? (double)s->nvrps : 0);
	gauge(b, "state", "1 if the last validation run succeeded, else 0 "
	    "(OctoRPKI's name).", s->last_ok);
	gauge(b, "last_stable_validation", "Unix time of the last "
	    "successful validation run, 0: none (OctoRPKI's name).",
	    s->has_data ? (double)s->finished : 0);
	gauge(b, "last_validation", "Unix time of the last validation run, "
	    "whatever its result (OctoRPKI's name).", (double)s->last_run);
}

static void
render_runs(struct buf *b, const struct httpd_stats *s)
{
	const char	*l[2] = { "result", "ok" };

	prom_header(b, "rpki_validator_runs_total", "counter",
	    "Validation runs by result; after a failed one the last good "
	    "output stays served.");
	prom_sample(b, "rpki_validator_runs_total", l, 1, (double)s->runs_ok);
	l[1] = "failed";
	prom_sample(b, "rpki_validator_runs_total", l, 1,
	    (double)s->runs_failed);
	gauge(b, "rpki_validator_last_run_success", "1 if the last run "
	    "wrote its outputs, else 0.", s->last_ok);
	gauge(b, "rpki_validator_last_run_duration_seconds", "How long the "
	    "last run took (TALs, validation, outputs).", s->last_secs);
	gauge(b, "rpki_validator_last_run_timestamp_seconds", "Unix time "
	    "the last run finished, 0: none yet.", (double)s->last_run);
	gauge(b, "rpki_validator_last_success_timestamp_seconds", "Unix time "
	    "the last successful run finished, 0: none yet.",
	    s->has_data ? (double)s->finished : 0);
	gauge(b, "rpki_validator_output_bytes", "Size of the output served "
	    "at /output.json, 0: none yet.", (double)s->bytes);
	gauge(b, "rpki_validator_output_valid_until_seconds", "metadata.valid "
	    "of the output served (unix time), 0: none yet.",
	    (double)s->valid);
}

static void
render_objects(struct buf *b, const struct walk_stats *st)
{
	const char	*l[4];
	size_t		 t, r;

	prom_header(b, "rpki_validator_objects_valid", "gauge",
	    "Objects valid in the run served, by type.");
	for (t = 0; t < WT_N; t++) {
		l[0] = "type";
		l[1] = walk_type_name(t);
		prom_sample(b, "rpki_validator_objects_valid", l, 1,
		    (double)st->valid[t]);
	}
	prom_header(b, "rpki_validator_objects_invalid", "gauge",
	    "Objects rejected in the run served, by type and reason.");
	for (t = 0; t < WT_N; t++)
		for (r = 0; r < WR_N; r++) {
			l[0] = "type";
			l[1] = walk_type_name(t);
			l[2] = "reason";
			l[3] = walk_reason_name(r);
			prom_sample(b, "rpki_validator_objects_invalid", l, 2,
			    (double)st->invalid[t][r]);
		}
}

/*
 * One sample per repository of s, of kind rrdp (-1: both), with the
 * labels OctoRPKI gives its per-address metrics ({address}, and {type}
 * if typed) or ours ({type, uri}, if ours).
 */
static void
repo_samples(struct buf *b, const struct httpd_stats *s, const char *name,
    int rrdp, int ours, int typed, double (*val)(const struct repo_stat *))
{
	const struct repo_stat	*r;
	const char		*l[4];
	size_t			 i;

	for (i = 0; i < s->nrepos; i++) {
		r = &s->repos[i];
		if (rrdp != -1 && r->rrdp != rrdp)
			continue;
		l[0] = ours ? "uri" : "address";
		l[1] = r->uri;
		l[2] = "type";
		l[3] = r->rrdp ? "rrdp" : "rsync";
		prom_sample(b, name, l, typed || ours ? 2 : 1, val(r));
	}
}

static double
v_failures(const struct repo_stat *r)
{
	return (double)r->failures;
}

static double
v_serial(const struct repo_stat *r)
{
	return (double)r->serial;
}

static double
v_success(const struct repo_stat *r)
{
	return (double)r->last_success;
}

static double
v_up(const struct repo_stat *r)
{
	return r->last_ok;
}

static double
v_secs(const struct repo_stat *r)
{
	return r->last_secs;
}

/*
 * Per repository (-sync), over every run so far: OctoRPKI's
 * rsync_errors, rrdp_errors, rrdp_serial and last_fetch, then ours.
 */
static void
render_repos(struct buf *b, const struct httpd_stats *s)
{
	prom_header(b, "rsync_errors", "gauge", "Failed fetches of each rsync "
	    "module since start (OctoRPKI's name).");
	repo_samples(b, s, "rsync_errors", 0, 0, 0, v_failures);
	prom_header(b, "rrdp_errors", "gauge", "Failed fetches of each RRDP "
	    "repository since start (OctoRPKI's name).");
	repo_samples(b, s, "rrdp_errors", 1, 0, 0, v_failures);
	prom_header(b, "rrdp_serial", "gauge", "The serial of each RRDP "
	    "repository held (OctoRPKI's name).");
	repo_samples(b, s, "rrdp_serial", 1, 0, 0, v_serial);
	prom_header(b, "last_fetch", "gauge", "Unix time of each "
	    "repository's last successful fetch, 0: none (OctoRPKI's name).");
	repo_samples(b, s, "last_fetch", -1, 0, 1, v_success);
	prom_header(b, "rpki_validator_repository_up", "gauge", "1 if the "
	    "repository's last fetch succeeded, else 0 (the cache's copy "
	    "was used, or rsync for a failed RRDP repository).");
	repo_samples(b, s, "rpki_validator_repository_up", -1, 1, 1, v_up);
	prom_header(b, "rpki_validator_repository_fetch_seconds", "gauge",
	    "How long the repository's last fetch took.");
	repo_samples(b, s, "rpki_validator_repository_fetch_seconds", -1, 1,
	    1, v_secs);
	prom_header(b, "rpki_validator_repository_failures_total", "counter",
	    "Failed fetches of the repository since start.");
	repo_samples(b, s, "rpki_validator_repository_failures_total", -1, 1,
	    1, v_failures);
}

void
httpd_metrics_render(struct buf *b, const struct httpd_stats *s)
{
	render_octorpki(b, s);
	render_repos(b, s);
	render_runs(b, s);
	gauge(b, "rpki_validator_vrps", "VRPs in the output served.",
	    (double)s->nvrps);
	gauge(b, "rpki_validator_aspas", "ASPAs in the output served.",
	    (double)s->naspas);
	gauge(b, "rpki_validator_router_keys", "BGPsec router keys in the "
	    "output served.", (double)s->nrkeys);
	gauge(b, "rpki_validator_publication_points", "Publication points "
	    "processed in the run served.", (double)s->st.pubpoints);
	gauge(b, "rpki_validator_publication_points_failed", "Of those, "
	    "failed: nothing of them used (RFC 9286 section 6).",
	    (double)s->st.pubpoints_failed);
	gauge(b, "rpki_validator_publication_points_kept", "Of those, "
	    "replaced by their last valid copy (RFC 9286 section 6.7).",
	    (double)s->st.pubpoints_kept);
	gauge(b, "rpki_validator_rsync_fetched", "-sync: rsync modules and TA "
	    "certificates fetched in the run served.", (double)s->st.fetched);
	gauge(b, "rpki_validator_rsync_failed", "-sync: of those asked for, "
	    "failed (the cache's copy used).", (double)s->st.fetch_failed);
	gauge(b, "rpki_validator_rrdp_fetched", "-sync: RRDP repositories "
	    "brought up to date in the run served.",
	    (double)s->st.rrdp_fetched);
	gauge(b, "rpki_validator_rrdp_snapshots", "-sync: of those, by a "
	    "snapshot.", (double)s->st.rrdp_snapshots);
	gauge(b, "rpki_validator_rrdp_deltas", "-sync: of those, by deltas.",
	    (double)s->st.rrdp_deltas);
	gauge(b, "rpki_validator_rrdp_failed", "-sync: RRDP repositories "
	    "that failed (rsync used instead, with -rrdp.failover).",
	    (double)s->st.rrdp_failed);
	gauge(b, "rpki_validator_memo_reused", "-memo: ROAs and ASPAs "
	    "unchanged since an earlier run (not decoded or verified again; "
	    "time, CRL and resources checked) in the run served.",
	    (double)s->st.memo_reused);
	gauge(b, "rpki_validator_memo_added", "-memo: ROAs and ASPAs "
	    "validated in full and remembered in the run served.",
	    (double)s->st.memo_added);
	render_objects(b, &s->st);
}
