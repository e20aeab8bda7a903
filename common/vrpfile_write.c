/*
 * vrpfile_write.c - streaming writers for VRP files, and the GoRTR
 * signature input lines.
 *
 * Entries are formatted into a small buffer that is flushed to the FILE
 * every few kilobytes, so writing never holds the whole document.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "encoding.h"
#include "fileio.h"
#include "vrpfile.h"

struct writer {
	FILE		*fp;
	struct buf	 b;
	int		 failed;
};

static void
wr_flush(struct writer *w, int force)
{
	if (w->b.len == 0 || (!force && w->b.len < 64 * 1024))
		return;
	if (buf_failed(&w->b) ||
	    fwrite(w->b.data, 1, w->b.len, w->fp) != w->b.len)
		w->failed = 1;
	buf_reset(&w->b);
}

/* Separator before entry i of a list: nothing, or ",\n". */
static void
wr_sep(struct writer *w, size_t i)
{
	buf_puts(&w->b, i == 0 ? "\n" : ",\n");
}

/*
 * An expiry of 0 means "unknown" and is left out: StayRTR drops entries
 * whose "expires" is present and past, even with time checks off.
 */
static void
wr_expires(struct writer *w, uint32_t expires)
{
	if (expires != 0)
		buf_printf(&w->b, ", \"expires\": %u", expires);
}

static void
wr_roas(struct writer *w, const struct vrpset *s, enum vrpfile_format fmt)
{
	char	prefix[PREFIX_STRLEN];
	size_t	i;

	buf_puts(&w->b, "\t\"roas\": [");
	for (i = 0; i < s->nvrps; i++) {
		const struct vrp *v = &s->vrps[i];

		wr_sep(w, i);
		prefix_format(v, prefix);
		if (fmt == VRPFILE_OCTORPKI) {
			/* buf_printf was half of the time of a write. */
			buf_puts(&w->b, "\t\t{ \"prefix\": \"");
			buf_puts(&w->b, prefix);
			buf_puts(&w->b, "\", \"maxLength\": ");
			buf_put_uint(&w->b, v->maxlen);
			buf_puts(&w->b, ", \"asn\": \"AS");
			buf_put_uint(&w->b, v->asn);
			buf_puts(&w->b, "\", \"ta\": ");
			buf_json_string(&w->b, vrpset_ta_name(s, v->ta));
			wr_expires(w, v->expires);
			buf_puts(&w->b, " }");
		} else {
			buf_puts(&w->b, "\t\t{ \"asn\": ");
			buf_put_uint(&w->b, v->asn);
			buf_puts(&w->b, ", \"prefix\": \"");
			buf_puts(&w->b, prefix);
			buf_puts(&w->b, "\", \"maxLength\": ");
			buf_put_uint(&w->b, v->maxlen);
			buf_puts(&w->b, ", \"ta\": ");
			buf_json_string(&w->b, vrpset_ta_name(s, v->ta));
			wr_expires(w, v->expires);
			buf_puts(&w->b, " }");
		}
		wr_flush(w, 0);
	}
	buf_puts(&w->b, s->nvrps ? "\n\t]" : "]");
}

static void
wr_rkeys(struct writer *w, const struct vrpset *s)
{
	char	ski[2 * SKI_LEN + 1], *pub;
	size_t	i;

	buf_puts(&w->b, ",\n\t\"bgpsec_keys\": [");
	for (i = 0; i < s->nrkeys; i++) {
		const struct rkey *k = &s->rkeys[i];

		wr_sep(w, i);
		hex_encode(k->ski, SKI_LEN, ski);
		if ((pub = base64_encode(vrpset_spki(s, k), k->spki_len, 0))
		    == NULL) {
			w->failed = 1;
			return;
		}
		buf_printf(&w->b, "\t\t{ \"asn\": %u, \"ski\": \"%s\", "
		    "\"pubkey\": \"%s\", \"ta\": ", k->asn, ski, pub);
		buf_json_string(&w->b, vrpset_ta_name(s, k->ta));
		wr_expires(w, k->expires);
		buf_puts(&w->b, " }");
		free(pub);
		wr_flush(w, 0);
	}
	buf_puts(&w->b, s->nrkeys ? "\n\t]" : "]");
}

static void
wr_aspa_list(struct writer *w, const struct vrpset *s, const char *indent)
{
	size_t i, j;

	for (i = 0; i < s->naspas; i++) {
		const struct aspa	*a = &s->aspas[i];
		const uint32_t		*p = vrpset_providers(s, a);

		buf_puts(&w->b, i == 0 ? "\n" : ",\n");
		buf_printf(&w->b, "%s{ \"customer_asid\": %u", indent,
		    a->customer);
		wr_expires(w, a->expires);
		buf_puts(&w->b, ", \"providers\": [");
		for (j = 0; j < a->prov_n; j++)
			buf_printf(&w->b, "%s%u", j ? ", " : "", p[j]);
		buf_puts(&w->b, "] }");
		wr_flush(w, 0);
	}
}

static void
wr_aspas(struct writer *w, const struct vrpset *s, enum vrpfile_format fmt)
{
	if (fmt == VRPFILE_RPKICLIENT) {
		buf_puts(&w->b, ",\n\t\"aspas\": [");
		wr_aspa_list(w, s, "\t\t");
		buf_puts(&w->b, s->naspas ? "\n\t]" : "]");
		return;
	}
	/*
	 * rpki-client 8's form, which StayRTR reads; the OctoRPKI format has
	 * no ASPA convention of its own, so it uses this one too.  The
	 * current profile has no AFI limit: list each under both.
	 */
	buf_puts(&w->b, ",\n\t\"provider_authorizations\": {\n"
	    "\t\t\"ipv4\": [");
	wr_aspa_list(w, s, "\t\t\t");
	buf_puts(&w->b, s->naspas ? "\n\t\t],\n\t\t\"ipv6\": [" :
	    "],\n\t\t\"ipv6\": [");
	wr_aspa_list(w, s, "\t\t\t");
	buf_puts(&w->b, s->naspas ? "\n\t\t]\n\t}" : "]\n\t}");
}

static void
wr_meta_octorpki(struct writer *w, const struct vrpset *s,
    const struct vrpfile_meta *m)
{
	buf_printf(&w->b, "{\n\t\"metadata\": {\n\t\t\"counts\": %zu",
	    s->nvrps);
	if (m != NULL && m->has_generated)
		buf_printf(&w->b, ",\n\t\t\"generated\": %lld",
		    (long long)m->generated);
	if (m != NULL && m->has_valid)
		buf_printf(&w->b, ",\n\t\t\"valid\": %lld",
		    (long long)m->valid);
	if (m != NULL && m->signature != NULL) {
		buf_puts(&w->b, ",\n\t\t\"signature\": ");
		buf_json_string(&w->b, m->signature);
	}
	if (m != NULL && m->signature_date != NULL) {
		buf_puts(&w->b, ",\n\t\t\"signatureDate\": ");
		buf_json_string(&w->b, m->signature_date);
	}
	if (m != NULL && m->has_serial)
		buf_printf(&w->b, ",\n\t\t\"serial\": %lld",
		    (long long)m->serial);
	buf_puts(&w->b, "\n\t},\n");
}

static void
wr_meta_rpkiclient(struct writer *w, const struct vrpset *s,
    const struct vrpfile_meta *m)
{
	char		host[256] = "", tbuf[32] = "";
	time_t		t;
	struct tm	tm;

	gethostname(host, sizeof(host) - 1);
	t = m != NULL && m->has_generated ? (time_t)m->generated :
	    time(NULL);
	if (gmtime_r(&t, &tm) != NULL)
		strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(&w->b, "{\n\t\"metadata\": {\n\t\t\"buildmachine\": ");
	buf_json_string(&w->b, host);
	buf_printf(&w->b, ",\n\t\t\"buildtime\": \"%s\",\n"
	    "\t\t\"generated\": %lld", tbuf, (long long)t);
	if (m != NULL && m->has_valid)
		buf_printf(&w->b, ",\n\t\t\"valid\": %lld",
		    (long long)m->valid);
	buf_printf(&w->b, ",\n\t\t\"vrps\": %zu,\n\t\t\"uniquevrps\": %zu,\n"
	    "\t\t\"vaps\": %zu,\n\t\t\"bgpsec_pubkeys\": %zu\n\t},\n",
	    s->nvrps, s->nvrps, s->naspas, s->nrkeys);
}

static void
wr_csv(struct writer *w, const struct vrpset *s)
{
	char	prefix[PREFIX_STRLEN];
	size_t	i;

	buf_puts(&w->b, "ASN,IP Prefix,Max Length,Trust Anchor\n");
	for (i = 0; i < s->nvrps; i++) {
		prefix_format(&s->vrps[i], prefix);
		buf_puts(&w->b, "AS");
		buf_put_uint(&w->b, s->vrps[i].asn);
		buf_add(&w->b, ",", 1);
		buf_puts(&w->b, prefix);
		buf_add(&w->b, ",", 1);
		buf_put_uint(&w->b, s->vrps[i].maxlen);
		buf_add(&w->b, ",", 1);
		buf_puts(&w->b, vrpset_ta_name(s, s->vrps[i].ta));
		buf_add(&w->b, "\n", 1);
		wr_flush(w, 0);
	}
}

int
vrpfile_write(FILE *fp, const struct vrpset *s, enum vrpfile_format fmt,
    const struct vrpfile_meta *m)
{
	struct writer w;

	memset(&w, 0, sizeof(w));
	w.fp = fp;
	if (fmt == VRPFILE_CSV)
		wr_csv(&w, s);
	else {
		if (fmt == VRPFILE_OCTORPKI)
			wr_meta_octorpki(&w, s, m);
		else
			wr_meta_rpkiclient(&w, s, m);
		wr_roas(&w, s, fmt);
		/* OctoRPKI files carry ASPAs and keys only when there are. */
		if (fmt != VRPFILE_OCTORPKI || s->nrkeys > 0)
			wr_rkeys(&w, s);
		if (fmt != VRPFILE_OCTORPKI || s->naspas > 0)
			wr_aspas(&w, s, fmt);
		buf_puts(&w.b, "\n}\n");
	}
	wr_flush(&w, 1);
	buf_free(&w.b);
	return w.failed ? -1 : 0;
}

int
vrpfile_save(const char *path, const struct vrpset *s,
    enum vrpfile_format fmt, const struct vrpfile_meta *m, struct err *e)
{
	struct atomic_file af;

	if (atomic_open(&af, path, e) == -1)
		return -1;
	if (vrpfile_write(af.fp, s, fmt, m) == -1) {
		err_set(e, "%s: write error", path);
		atomic_abort(&af);
		return -1;
	}
	return atomic_commit(&af, e);
}

static const struct {
	const char		*name;
	enum vrpfile_format	 fmt;
} format_names[] = {
	{ "octorpki", VRPFILE_OCTORPKI },
	{ "gortr", VRPFILE_OCTORPKI },
	{ "json", VRPFILE_OCTORPKI },
	{ "rpki-client", VRPFILE_RPKICLIENT },
	{ "rpki-client8", VRPFILE_RPKICLIENT8 },
	{ "csv", VRPFILE_CSV },
};

int
vrpfile_format_parse(const char *name, enum vrpfile_format *fmt)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (strcmp(name, format_names[i].name) == 0) {
			*fmt = format_names[i].fmt;
			return 0;
		}
	}
	return -1;
}

const char *
vrpfile_format_name(enum vrpfile_format fmt)
{
	switch (fmt) {
	case VRPFILE_OCTORPKI:
		return "octorpki";
	case VRPFILE_RPKICLIENT:
		return "rpki-client";
	case VRPFILE_RPKICLIENT8:
		return "rpki-client8";
	default:
		return "csv";
	}
}

int
siglines_add(struct siglines *sl, const char *prefix, unsigned int maxlen,
    const char *asn)
{
	size_t	 plen = strlen(prefix), alen = strlen(asn), need, ncap;
	char	*d;
	void	*p;

	need = plen + alen + 8;		/* ",255," + "," + NUL, rounded */
	if (sl->poollen + need > sl->poolcap) {
		ncap = sl->poolcap ? sl->poolcap * 2 : 1 << 16;
		while (ncap < sl->poollen + need)
			ncap *= 2;
		if (ncap > UINT32_MAX || (p = realloc(sl->pool, ncap)) == NULL)
			return -1;
		sl->pool = p;
		sl->poolcap = ncap;
	}
	if (sl->n == sl->cap) {
		ncap = sl->cap ? sl->cap * 2 : 1024;
		if ((p = realloc(sl->off, ncap * sizeof(*sl->off))) == NULL)
			return -1;
		sl->off = p;
		sl->cap = ncap;
	}
	/* "prefix,maxlen,asn," without printf: this runs per ROA. */
	d = sl->pool + sl->poollen;
	memcpy(d, prefix, plen);
	d += plen;
	*d++ = ',';
	if (maxlen >= 100)
		*d++ = (char)('0' + maxlen / 100 % 10);
	if (maxlen >= 10)
		*d++ = (char)('0' + maxlen / 10 % 10);
	*d++ = (char)('0' + maxlen % 10);
	*d++ = ',';
	memcpy(d, asn, alen);
	d += alen;
	*d++ = ',';
	*d++ = '\0';
	sl->off[sl->n++] = (uint32_t)sl->poollen;
	sl->poollen = (size_t)(d - sl->pool);
	return 0;
}

int
siglines_add_vrp(struct siglines *sl, const struct vrp *v)
{
	char	prefix[PREFIX_STRLEN], asn[16];

	prefix_format(v, prefix);
	snprintf(asn, sizeof(asn), "AS%u", v->asn);
	return siglines_add(sl, prefix, v->maxlen, asn);
}

int
siglines_from_set(struct siglines *sl, const struct vrpset *s)
{
	size_t	i;

	for (i = 0; i < s->nvrps; i++)
		if (siglines_add_vrp(sl, &s->vrps[i]) == -1)
			return -1;
	return 0;
}

void
siglines_free(struct siglines *sl)
{
	free(sl->pool);
	free(sl->off);
	memset(sl, 0, sizeof(*sl));
}
