/*
 * vrpstats.c - summary of a VRP file for operators.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "vrpstats.h"

struct stats {
	size_t	 v4, v6, maxlen_gt_plen, asns, providers;
	size_t	*per_ta;
};

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
stats_count(const struct vrpset *s, struct stats *st)
{
	uint32_t	*asns;
	size_t		 i;

	memset(st, 0, sizeof(*st));
	if ((st->per_ta = calloc(s->ntas + 1, sizeof(size_t))) == NULL ||
	    (asns = malloc((s->nvrps + 1) * sizeof(uint32_t))) == NULL) {
		free(st->per_ta);
		return -1;
	}
	for (i = 0; i < s->nvrps; i++) {
		const struct vrp *v = &s->vrps[i];

		if (v->afi == AFI_IPV4)
			st->v4++;
		else
			st->v6++;
		if (v->maxlen > v->plen)
			st->maxlen_gt_plen++;
		st->per_ta[v->ta]++;
		asns[i] = v->asn;
	}
	qsort(asns, s->nvrps, sizeof(uint32_t), u32_cmp);
	for (i = 0; i < s->nvrps; i++)
		if (i == 0 || asns[i] != asns[i - 1])
			st->asns++;
	for (i = 0; i < s->naspas; i++)
		st->providers += s->aspas[i].prov_n;
	free(asns);
	return 0;
}

static void
stats_text(struct buf *b, const struct vrpfile *f, const char *name,
    const struct stats *st, time_t now)
{
	const struct vrpset		*s = f->set;
	const struct vrpfile_meta	*m = &f->meta;
	size_t				 i;

	buf_printf(b, "file: %s\nformat: %s\nsigned: %s\n", name,
	    vrpfile_format_name(m->format),
	    m->signature != NULL ? "yes" : "no");
	if (m->has_generated)
		buf_printf(b, "generated: %lld (%lld s ago)\n",
		    (long long)m->generated, (long long)(now - m->generated));
	if (m->has_valid)
		buf_printf(b, "valid: %lld (%s %lld s)\n",
		    (long long)m->valid, m->valid > now ? "expires in" :
		    "EXPIRED", (long long)(m->valid > now ? m->valid - now :
		    now - m->valid));
	if (m->has_serial)
		buf_printf(b, "serial: %lld\n", (long long)m->serial);
	buf_printf(b, "roa entries: %zu\nvrps: %zu (duplicates folded: "
	    "%zu)\n  ipv4: %zu\n  ipv6: %zu\n  unique asns: %zu\n"
	    "  maxLength > prefix length: %zu\n", f->nroas, s->nvrps,
	    f->nroas - s->nvrps, st->v4, st->v6, st->asns,
	    st->maxlen_gt_plen);
	for (i = 0; i < s->ntas; i++)
		buf_printf(b, "  ta %s: %zu\n", s->tas[i], st->per_ta[i]);
	buf_printf(b, "aspas: %zu (providers: %zu)\nrouter keys: %zu\n",
	    s->naspas, st->providers, s->nrkeys);
	if (m->has_counts)
		buf_printf(b, "metadata.counts: %lld (%s)\n",
		    (long long)m->counts, (size_t)m->counts == f->nroas ?
		    "matches" : "DOES NOT MATCH the ROA entries");
}

static void
stats_json(struct buf *b, const struct vrpfile *f, const char *name,
    const struct stats *st)
{
	const struct vrpset		*s = f->set;
	const struct vrpfile_meta	*m = &f->meta;
	size_t				 i;

	buf_puts(b, "{\"file\":");
	buf_json_string(b, name);
	buf_printf(b, ",\"format\":\"%s\",\"signed\":%s",
	    vrpfile_format_name(m->format),
	    m->signature != NULL ? "true" : "false");
	if (m->has_generated)
		buf_printf(b, ",\"generated\":%lld", (long long)m->generated);
	if (m->has_valid)
		buf_printf(b, ",\"valid\":%lld", (long long)m->valid);
	if (m->has_serial)
		buf_printf(b, ",\"serial\":%lld", (long long)m->serial);
	buf_printf(b, ",\"roa_entries\":%zu,\"vrps\":%zu,\"ipv4\":%zu,"
	    "\"ipv6\":%zu,\"unique_asns\":%zu,\"maxlength_gt_plen\":%zu,"
	    "\"aspas\":%zu,\"aspa_providers\":%zu,\"router_keys\":%zu,"
	    "\"trust_anchors\":{", f->nroas, s->nvrps, st->v4, st->v6,
	    st->asns, st->maxlen_gt_plen, s->naspas, st->providers,
	    s->nrkeys);
	for (i = 0; i < s->ntas; i++) {
		buf_puts(b, i ? "," : "");
		buf_json_string(b, s->tas[i]);
		buf_printf(b, ":%zu", st->per_ta[i]);
	}
	buf_puts(b, "}}\n");
}

int
stats_print(const struct vrpfile *f, const char *name, int json, time_t now)
{
	struct stats	st;
	struct buf	b = { 0 };
	int		rc = -1;

	if (stats_count(f->set, &st) == -1)
		return -1;
	if (json)
		stats_json(&b, f, name, &st);
	else
		stats_text(&b, f, name, &st, now);
	if (!buf_failed(&b) && fwrite(b.data, 1, b.len, stdout) == b.len &&
	    fflush(stdout) == 0)
		rc = 0;
	buf_free(&b);
	free(st.per_ta);
	return rc;
}
