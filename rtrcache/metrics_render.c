/*
 * metrics_render.c - the Prometheus text and the /status JSON.
 *
 * GoRTR's metric names come first, with its labels, so dashboards keep
 * working: rpki_roas, rpki_refresh, rpki_change, refresh_requests_total,
 * rtr_clients, rtr_pdus.  Ours follow under rpki_ / rtr_ / rtrcache_.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "metrics_impl.h"
#include "pdu.h"
#include "prom.h"
#include "session.h"

#define STATUS_MAX_CLIENTS	1000

static void
gauge(struct buf *b, const char *name, const char *help, double v)
{
	prom_header(b, name, "gauge", help);
	prom_sample(b, name, NULL, 0, v);
}

static void
counter(struct buf *b, const char *name, const char *help, double v)
{
	prom_header(b, name, "counter", help);
	prom_sample(b, name, NULL, 0, v);
}

/* rpki_roas{ip_version, filtered, path}: before and after SLURM. */
static void
render_roas(struct buf *b, const char *url, struct rtrstate *st,
    struct feed *fd)
{
	size_t	served[2] = { 0, 0 }, i;

	if (st->has_data)
		for (i = 0; i < st->set->nvrps; i++)
			served[st->set->vrps[i].afi == AFI_IPV6]++;
	prom_header(b, "rpki_roas", "gauge", "Number of ROAS.");
	for (i = 0; i < 2; i++) {
		const char *l[6] = { "ip_version", i ? "ipv6" : "ipv4",
		    "filtered", "filtered", "path", url };

		prom_sample(b, "rpki_roas", l, 3, (double)served[i]);
		l[3] = "unfiltered";
		prom_sample(b, "rpki_roas", l, 3,
		    (double)fd->stats.vrps_unfiltered[i]);
	}
}

static void
render_gortr(struct buf *b, const char *url, struct rtrstate *st,
    struct server *srv, struct feed *fd)
{
	static const char *const types[16] = { "serial_notify",
	    "serial_query", "reset_query", "cache_response", "ipv4_prefix",
	    "type_5", "ipv6_prefix", "end_of_data", "cache_reset",
	    "router_key", "error_report", "aspa", "type_12", "type_13",
	    "type_14", "unknown" };
	const char	*l[4];
	char		 code[16];
	size_t		 i;

	render_roas(b, url, st, fd);
	prom_header(b, "rpki_refresh", "gauge",
	    "Last successful request for the given URL.");
	l[0] = "path";
	l[1] = url;
	prom_sample(b, "rpki_refresh", l, 1, fd->stats.last_fetch);
	prom_header(b, "rpki_change", "gauge", "Last change.");
	prom_sample(b, "rpki_change", l, 1, fd->stats.last_change);
	prom_header(b, "refresh_requests_total", "counter",
	    "Total number of HTTP requests by status code");
	for (i = 0; i < fd->stats.nhttp; i++) {
		const char *ll[4] = { "path", url, "code", code };

		snprintf(code, sizeof(code), "%ld", fd->stats.http[i].code);
		prom_sample(b, "refresh_requests_total", ll, 2,
		    (double)fd->stats.http[i].count);
	}
	prom_header(b, "rtr_clients", "gauge", "Number of clients connected.");
	for (i = 0; i < srv->nlisteners; i++) {
		l[0] = "bind";
		l[1] = srv->listeners[i]->name;
		prom_sample(b, "rtr_clients", l, 1,
		    (double)srv->listeners[i]->nsessions);
	}
	prom_header(b, "rtr_pdus", "counter", "PDU received.");
	for (i = 0; i < 16; i++) {
		if (srv->stats.pdus_in[i] == 0)
			continue;
		l[0] = "type";
		l[1] = types[i];
		prom_sample(b, "rtr_pdus", l, 1,
		    (double)srv->stats.pdus_in[i]);
	}
}

static void
render_data(struct buf *b, struct rtrstate *st, struct feed *fd)
{
	double	now = (double)time(NULL);
	char	ver[4];
	size_t	i;

	gauge(b, "rtrcache_serving", "1 while serving unexpired data.",
	    st->has_data);
	gauge(b, "rtr_serial", "Serial of the data served.", st->serial);
	prom_header(b, "rtr_session_id", "gauge",
	    "Session ID per protocol version.");
	for (i = 0; i < RTR_NVERSIONS; i++) {
		const char *l[2] = { "version", ver };

		snprintf(ver, sizeof(ver), "%zu", i);
		prom_sample(b, "rtr_session_id", l, 1, st->session[i]);
	}
	gauge(b, "rpki_aspas", "ASPAs served.",
	    st->has_data ? (double)st->set->naspas : 0);
	gauge(b, "rpki_router_keys", "BGPsec router keys served.",
	    st->has_data ? (double)st->set->nrkeys : 0);
	gauge(b, "rpki_data_generated_seconds",
	    "metadata.generated of the data served (unix time).",
	    (double)fd->stats.generated);
	gauge(b, "rpki_data_valid_until_seconds",
	    "metadata.valid of the data served (unix time, 0: none).",
	    (double)fd->stats.valid);
	gauge(b, "rpki_data_age_seconds", "Seconds since the data served "
	    "was generated.", fd->stats.generated > 0 ?
	    now - (double)fd->stats.generated : 0);
	counter(b, "rtrcache_fetches_total", "Polls of the cache URL.",
	    (double)fd->stats.fetches);
	counter(b, "rtrcache_not_modified_total",
	    "Polls answered not modified.", (double)fd->stats.not_modified);
	counter(b, "rtrcache_updates_accepted_total",
	    "Good files taken.", (double)fd->stats.accepted);
	counter(b, "rtrcache_serial_changes_total", "Serial changes.",
	    (double)fd->stats.changes);
	prom_header(b, "rtrcache_updates_rejected_total", "counter",
	    "Updates rejected, by reason; the last good data is kept.");
	for (i = 0; i < FEED_NREASONS; i++) {
		const char *l[2] = { "reason", feed_reason_names[i] };

		prom_sample(b, "rtrcache_updates_rejected_total", l, 1,
		    (double)fd->stats.rejected[i]);
	}
}

static void
render_sessions(struct buf *b, struct server *srv)
{
	const struct server_stats	*s = &srv->stats;
	char				 ver[8];
	size_t				 i;

	prom_header(b, "rtr_sessions", "gauge",
	    "Sessions by protocol version (\"none\": not settled yet).");
	for (i = 0; i <= RTR_NVERSIONS; i++) {
		const char *l[2] = { "version", ver };

		snprintf(ver, sizeof(ver), "%s", i < RTR_NVERSIONS ?
		    (const char *[]){ "0", "1", "2" }[i] : "none");
		prom_sample(b, "rtr_sessions", l, 1,
		    (double)srv->nsessions_v[i]);
	}
	counter(b, "rtr_sessions_accepted_total", "Sessions accepted.",
	    (double)s->accepted);
	prom_header(b, "rtr_sessions_closed_total", "counter",
	    "Sessions refused or closed by the cache, by reason.");
	{
		const char *l[2] = { "reason", "maxconn" };

		prom_sample(b, "rtr_sessions_closed_total", l, 1,
		    (double)s->rejected_maxconn);
		l[1] = "write_timeout";
		prom_sample(b, "rtr_sessions_closed_total", l, 1,
		    (double)s->closed_write_timeout);
		l[1] = "queue_full";
		prom_sample(b, "rtr_sessions_closed_total", l, 1,
		    (double)s->closed_queue_full);
		l[1] = "tls_handshake_timeout";
		prom_sample(b, "rtr_sessions_closed_total", l, 1,
		    (double)s->closed_handshake_timeout);
	}
	counter(b, "rtr_accept_errors_total", "accept() failures.",
	    (double)s->accept_errors);
	counter(b, "rtr_bytes_sent_total", "Bytes sent to routers.",
	    (double)s->bytes_out);
	counter(b, "rtr_cache_resets_total", "Cache Reset PDUs sent.",
	    (double)s->resets_sent);
	counter(b, "rtr_notifies_total", "Serial Notify PDUs sent.",
	    (double)s->notifies_sent);
	prom_header(b, "rtr_errors_sent_total", "counter",
	    "Error Reports sent, by error code.");
	for (i = 0; i < 16; i++) {
		const char *l[2] = { "code", i < 15 ? rtr_errcode_name((int)i) :
		    "other" };

		if (s->errors_sent[i] > 0)
			prom_sample(b, "rtr_errors_sent_total", l, 1,
			    (double)s->errors_sent[i]);
	}
	prom_header(b, "rtr_answers_total", "counter",
	    "Answers sent: full set, diff, or empty diff.");
	for (i = 0; i < 3; i++) {
		const char *l[2] = { "kind", (const char *[]){ "full", "diff",
		    "empty" }[i] };

		prom_sample(b, "rtr_answers_total", l, 1,
		    (double)s->answers[i]);
	}
}

void
metrics_render(struct buf *b, const char *url, struct rtrstate *st,
    struct server *srv, struct feed *fd)
{
	render_gortr(b, url, st, srv, fd);
	render_data(b, st, fd);
	render_sessions(b, srv);
}

void
status_render(struct buf *b, struct rtrstate *st, struct server *srv,
    struct feed *fd)
{
	struct session	*s;
	double		 now = ev_now(srv->loop);
	size_t		 i, n = 0;

	buf_printf(b, "{\"serving\":%s,\"expired\":%s,\"serial\":%u,"
	    "\"session_ids\":[%u,%u,%u]", st->has_data ? "true" : "false",
	    fd->stats.expired ? "true" : "false", st->serial, st->session[0],
	    st->session[1], st->session[2]);
	if (st->has_data)
		buf_printf(b, ",\"vrps\":%zu,\"aspas\":%zu,\"router_keys\":%zu",
		    st->set->nvrps, st->set->naspas, st->set->nrkeys);
	buf_printf(b, ",\"generated\":%lld,\"valid\":%lld,\"last_fetch\":%.0f,"
	    "\"last_success\":%.0f,\"last_change\":%.0f,\"history\":%zu",
	    (long long)fd->stats.generated, (long long)fd->stats.valid,
	    fd->stats.last_fetch, fd->stats.last_success,
	    fd->stats.last_change, st->nhist);
	buf_puts(b, ",\"rejected\":{");
	for (i = 0; i < FEED_NREASONS; i++)
		buf_printf(b, "%s\"%s\":%llu", i ? "," : "",
		    feed_reason_names[i],
		    (unsigned long long)fd->stats.rejected[i]);
	buf_printf(b, "},\"sessions\":%zu,\"clients\":[", srv->nsessions);
	for (s = srv->sessions; s != NULL && n < STATUS_MAX_CLIENTS;
	    s = s->next, n++) {
		buf_printf(b, "%s{\"peer\":", n ? "," : "");
		buf_json_string(b, s->peer);
		buf_printf(b, ",\"version\":%d,\"connected_seconds\":%.0f,"
		    "\"bytes_sent\":%llu}", s->version, now - s->connected,
		    (unsigned long long)s->bytes_out);
	}
	buf_puts(b, "]}\n");
}
