/*
 * vrpfile_read.c - strict reader for VRP files (JSON and CSV).
 *
 * The JSON document can be hundreds of megabytes, and a full cJSON tree
 * of 800,000 ROAs costs over 400 MB.  So the outer object and the big
 * arrays ("roas", "aspas", "bgpsec_keys") are walked here, one token of
 * punctuation at a time, while every value - each array element, each
 * member of "metadata" - is parsed by cJSON, converted straight into the
 * set builder and freed.  Peak memory is the input plus the compact set.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "encoding.h"
#include "fileio.h"
#include "vrpfile.h"
#include "vrpfile_impl.h"

struct reader {
	const char		*name;
	const char		*buf;
	const char		*p;
	const char		*end;
	struct vrpset_builder	*b;
	struct vrpfile		*f;
	int			 flags;
	struct err		*e;
	uint8_t			*astext;	/* VRPFILE_SIGLINES: bit i set if
						   ROA i's line was copied from
						   the text (sig_note) */
	size_t			 astextlen;
};

/* Where p is in the input, as "line L, column C". */
static int
rd_error_at(struct reader *r, const char *at, const char *what)
{
	size_t		 line = 1, col = 1;
	const char	*q;

	if (at < r->buf || at > r->end)
		at = r->end;
	for (q = r->buf; q < at; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	return err_set(r->e, "%s: line %zu, column %zu: %s", r->name, line,
	    col, what);
}

static void
rd_skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Expect one punctuation character c (after whitespace). */
static int
rd_expect(struct reader *r, char c)
{
	char msg[64];

	rd_skip_ws(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return 0;
	}
	snprintf(msg, sizeof(msg), "malformed JSON: want '%c'%s", c,
	    r->p >= r->end ? ", have end of file" : "");
	return rd_error_at(r, r->p, msg);
}

/* Parse one JSON value at r->p with cJSON; the caller frees it. */
static cJSON *
rd_value(struct reader *r)
{
	const char	*endp = NULL;
	cJSON		*v;

	rd_skip_ws(r);
	v = cJSON_ParseWithLengthOpts(r->p, (size_t)(r->end - r->p), &endp,
	    0);
	if (v == NULL) {
		rd_error_at(r, endp != NULL ? endp : r->p,
		    r->p >= r->end ? "malformed JSON: unexpected end of file" :
		    "malformed JSON value");
		return NULL;
	}
	r->p = endp;
	return v;
}

static const char *
json_type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/*
 * Where a value sits in the document, e.g. roas[12].maxLength or
 * aspas[3].providers[1].  Kept as parts and turned into text only when
 * there is an error to report: formatting a path for each of 800,000
 * good entries took a third of the load time.
 */
struct loc {
	const char	*list;		/* "roas", "metadata", ... */
	size_t		 idx;		/* index in list, or NOIDX */
	const char	*field;		/* member name, or NULL */
	size_t		 sub;		/* index within field, or NOIDX */
};

#define NOIDX	SIZE_MAX

static const char *
loc_fmt(const struct loc *l, char *buf, size_t len)
{
	size_t n;

	n = (size_t)snprintf(buf, len, "%s", l->list);
	if (l->idx != NOIDX && n < len)
		n += (size_t)snprintf(buf + n, len - n, "[%zu]", l->idx);
	if (l->field != NULL && n < len)
		n += (size_t)snprintf(buf + n, len - n, ".%s", l->field);
	if (l->sub != NOIDX && n < len)
		snprintf(buf + n, len - n, "[%zu]", l->sub);
	return buf;
}

/* "NAME: PATH: " followed by the formatted text, into r->e.  Returns -1. */
static int
loc_err(struct reader *r, const struct loc *l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
loc_err(struct reader *r, const struct loc *l, const char *fmt, ...)
{
	char	path[160], msg[ERR_MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(r->e, "%s: %s: %s", r->name,
	    loc_fmt(l, path, sizeof(path)), msg);
}

/* An integer in [0, max] from a JSON number. */
static int
json_uint(struct reader *r, const cJSON *v, uint64_t max,
    const struct loc *l, uint64_t *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return loc_err(r, l, "want an integer, have %s",
		    json_type_name(v));
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d))
		return loc_err(r, l, "want an integer, have %g", d);
	if (d < 0 || d > (double)max)
		return loc_err(r, l, "want 0 <= value <= %llu, have %.0f",
		    (unsigned long long)max, d);
	*out = (uint64_t)d;
	return 0;
}

struct field {
	const char	*key;
	int		 required;
	cJSON		*v;
};

/*
 * Find the members named in fields[] of object obj (at l) in one pass.
 * A member given twice, a missing required member, or obj not being an
 * object is an error.  Unknown members are ignored (newer writers add
 * some).
 */
static int
get_fields(struct reader *r, const cJSON *obj, struct field *fields,
    size_t n, const struct loc *l)
{
	const cJSON	*c;
	size_t		 i;

	for (i = 0; i < n; i++)
		fields[i].v = NULL;
	if (!cJSON_IsObject(obj))
		return loc_err(r, l, "want an object, have %s",
		    json_type_name(obj));
	for (c = obj->child; c != NULL; c = c->next) {
		for (i = 0; i < n; i++) {
			if (c->string[0] != fields[i].key[0] ||
			    strcmp(c->string, fields[i].key) != 0)
				continue;
			if (fields[i].v != NULL) {
				struct loc d = *l;

				d.field = fields[i].key;
				return loc_err(r, &d, "member given twice");
			}
			fields[i].v = (cJSON *)c;
			break;
		}
	}
	for (i = 0; i < n; i++)
		if (fields[i].required && fields[i].v == NULL)
			return loc_err(r, l, "missing member \"%s\"",
			    fields[i].key);
	return 0;
}

static int
get_string(struct reader *r, const cJSON *v, const struct loc *l,
    const char **out)
{
	if (!cJSON_IsString(v))
		return loc_err(r, l, "want a string, have %s",
		    json_type_name(v));
	*out = v->valuestring;
	return 0;
}

/* Decimal text of v into buf (at least 11 bytes); returns its length. */
static size_t
u32_text(uint32_t v, char *buf)
{
	char	tmp[10];
	size_t	n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/*
 * An AS number given as "AS65000", "65000" or 65000.  The text as
 * written (a number in decimal) goes to text, of ASNTEXT_MAX bytes, for
 * the signature lines.
 */
#define ASNTEXT_MAX	32

static int
get_asn(struct reader *r, const cJSON *v, const struct loc *l,
    uint32_t *asn, char *text)
{
	uint64_t	 n;
	size_t		 len;
	struct err	 e;

	if (cJSON_IsString(v)) {
		if (asn_parse(v->valuestring, asn, &e) == -1)
			return loc_err(r, l, "%s", e.msg);
		len = strlen(v->valuestring);	/* asn_parse bounds it */
		memcpy(text, v->valuestring, len + 1);
		return 0;
	}
	if (json_uint(r, v, ASN_MAX, l, &n) == -1)
		return -1;
	*asn = (uint32_t)n;
	u32_text(*asn, text);
	return 0;
}

static int
get_ta(struct reader *r, const cJSON *v, const struct loc *l, uint16_t *ta)
{
	const char	*name = "";
	int		 idx;

	if (v != NULL && get_string(r, v, l, &name) == -1)
		return -1;
	if ((idx = vrpset_builder_ta(r->b, name)) == -1)
		return loc_err(r, l, "out of memory or too many trust "
		    "anchors");
	*ta = (uint16_t)idx;
	return 0;
}

static int
get_expires(struct reader *r, const cJSON *v, const struct loc *l,
    uint32_t *expires)
{
	uint64_t n = 0;

	if (v != NULL && json_uint(r, v, UINT32_MAX, l, &n) == -1)
		return -1;
	*expires = (uint32_t)n;
	return 0;
}

/*
 * The signature line of ROA r->f->nroas, v, with its prefix and asn as
 * written: copied into f->sig now only if the text is not what
 * siglines_add_vrp would make of v; sig_finish makes the others.
 */
static int
sig_note(struct reader *r, const char *prefix, const struct vrp *v,
    const char *asntext)
{
	char	 canon[PREFIX_STRLEN];
	size_t	 i = r->f->nroas, need = i / 8 + 1, ncap;
	uint8_t	*p;

	prefix_format(v, canon);
	if (strcmp(canon, prefix) == 0 && asntext[0] == 'A' &&
	    asntext[1] == 'S') {
		u32_text(v->asn, canon);
		if (strcmp(canon, asntext + 2) == 0)
			return 0;
	}
	if (need > r->astextlen) {
		ncap = r->astextlen ? r->astextlen : 1024;
		while (ncap < need)
			ncap *= 2;
		if ((p = realloc(r->astext, ncap)) == NULL)
			return -1;
		memset(p + r->astextlen, 0, ncap - r->astextlen);
		r->astext = p;
		r->astextlen = ncap;
	}
	r->astext[i / 8] |= (uint8_t)(1u << (i % 8));
	return siglines_add(&r->f->sig, prefix, v->maxlen, asntext);
}

/*
 * The lines sig_note left out: ROA i is the builder's VRP i, added in
 * file order, one per ROA.
 */
static int
sig_finish(struct reader *r)
{
	const struct vrp	*v;
	size_t			 i, n;

	v = vrpset_builder_vrps(r->b, &n);
	for (i = 0; i < n; i++) {
		if (i / 8 < r->astextlen && (r->astext[i / 8] >> (i % 8) & 1))
			continue;
		if (siglines_add_vrp(&r->f->sig, &v[i]) == -1)
			return -1;
	}
	return 0;
}

/* One element of "roas". */
static int
rd_roa(struct reader *r, const cJSON *obj, size_t idx)
{
	struct field	 fl[] = {
		{ "prefix", 1, NULL }, { "maxLength", 1, NULL },
		{ "asn", 1, NULL }, { "ta", 0, NULL }, { "expires", 0, NULL },
	};
	struct loc	 l = { "roas", idx, NULL, NOIDX };
	char		 asntext[ASNTEXT_MAX];
	const char	*prefix = NULL;
	struct vrp	 v;
	struct err	 e;
	uint64_t	 maxlen;

	memset(&v, 0, sizeof(v));
	if (get_fields(r, obj, fl, 5, &l) == -1)
		return -1;
	l.field = "prefix";
	if (get_string(r, fl[0].v, &l, &prefix) == -1)
		return -1;
	if (prefix_parse(prefix, &v, &e) == -1)
		return loc_err(r, &l, "%s", e.msg);
	l.field = "maxLength";
	if (json_uint(r, fl[1].v, 255, &l, &maxlen) == -1)
		return -1;
	if (maxlen < v.plen || maxlen > (uint64_t)afi_bits(v.afi))
		return loc_err(r, &l, "want %u <= maxLength <= %d (prefix "
		    "%s), have %llu", v.plen, afi_bits(v.afi), prefix,
		    (unsigned long long)maxlen);
	v.maxlen = (uint8_t)maxlen;
	l.field = "asn";
	if (get_asn(r, fl[2].v, &l, &v.asn, asntext) == -1)
		return -1;
	l.field = "ta";
	if (get_ta(r, fl[3].v, &l, &v.ta) == -1)
		return -1;
	l.field = "expires";
	if (get_expires(r, fl[4].v, &l, &v.expires) == -1)
		return -1;
	if ((r->flags & VRPFILE_SIGLINES) &&
	    sig_note(r, prefix, &v, asntext) == -1)
		return err_set(r->e, "%s: out of memory", r->name);
	if (vrpset_add_vrp(r->b, &v) == -1)
		return err_set(r->e, "%s: out of memory", r->name);
	r->f->nroas++;
	return 0;
}

/*
 * The providers of one ASPA record at l, into a malloc'd array.  ASPA
 * profile (draft-ietf-sidrops-aspa-profile section 3): at least one
 * provider, and the customer is not one of its own providers.
 */
static uint32_t *
rd_providers(struct reader *r, const cJSON *list, uint32_t customer,
    struct loc *l, size_t *np)
{
	char		 asntext[ASNTEXT_MAX];
	uint32_t	*prov;
	const cJSON	*c;
	size_t		 i;

	if (!cJSON_IsArray(list)) {
		loc_err(r, l, "want an array, have %s", json_type_name(list));
		return NULL;
	}
	if ((*np = (size_t)cJSON_GetArraySize(list)) == 0) {
		loc_err(r, l, "want at least one provider, have none");
		return NULL;
	}
	if ((prov = calloc(*np, sizeof(*prov))) == NULL) {
		err_set(r->e, "%s: out of memory", r->name);
		return NULL;
	}
	for (i = 0, c = list->child; c != NULL; c = c->next, i++) {
		l->sub = i;
		if (get_asn(r, c, l, &prov[i], asntext) == -1)
			goto fail;
		if (prov[i] == customer) {
			loc_err(r, l, "customer AS%u listed as its own "
			    "provider", customer);
			goto fail;
		}
	}
	l->sub = NOIDX;
	return prov;
 fail:
	free(prov);
	return NULL;
}

/* One ASPA record, from "aspas" or "provider_authorizations". */
static int
rd_aspa(struct reader *r, const cJSON *obj, const char *list, size_t idx)
{
	struct field	 fl[] = {
		{ "customer_asid", 1, NULL }, { "providers", 1, NULL },
		{ "ta", 0, NULL }, { "expires", 0, NULL },
	};
	struct loc	 l = { list, idx, NULL, NOIDX };
	uint32_t	*prov = NULL, customer, expires;
	uint16_t	 ta = 0;
	uint64_t	 n;
	size_t		 np = 0;
	int		 rc = -1;

	if (get_fields(r, obj, fl, 4, &l) == -1)
		return -1;
	l.field = "customer_asid";
	if (json_uint(r, fl[0].v, ASN_MAX, &l, &n) == -1)
		return -1;
	customer = (uint32_t)n;
	l.field = "providers";
	if ((prov = rd_providers(r, fl[1].v, customer, &l, &np)) == NULL)
		return -1;
	l.field = "ta";
	if (get_ta(r, fl[2].v, &l, &ta) == -1)
		goto out;
	l.field = "expires";
	if (get_expires(r, fl[3].v, &l, &expires) == -1)
		goto out;
	if (vrpset_add_aspa(r->b, customer, prov, np, ta, expires) == -1) {
		err_set(r->e, "%s: out of memory", r->name);
		goto out;
	}
	r->f->naspas++;
	rc = 0;
 out:
	free(prov);
	return rc;
}

/*
 * 1 if der is exactly one DER SubjectPublicKeyInfo of an EC key on P-256,
 * the only router key algorithm (RFC 8208 section 3.2).
 */
static int
spki_is_p256(const uint8_t *der, size_t len)
{
	const unsigned char	*p = der;
	EVP_PKEY		*k;
	char			 curve[32] = "";
	int			 ok;

	if (len == 0 || len > 1024)
		return 0;
	k = d2i_PUBKEY(NULL, &p, (long)len);
	ok = k != NULL && p == der + len &&
	    EVP_PKEY_get_base_id(k) == EVP_PKEY_EC &&
	    EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
	    curve, sizeof(curve), NULL) && strcmp(curve, "prime256v1") == 0;
	EVP_PKEY_free(k);
	ERR_clear_error();
	return ok;
}

/* One element of "bgpsec_keys" (RFC 8209 router key). */
static int
rd_rkey(struct reader *r, const cJSON *obj, size_t idx)
{
	struct field	 fl[] = {
		{ "asn", 1, NULL }, { "ski", 1, NULL }, { "pubkey", 1, NULL },
		{ "ta", 0, NULL }, { "expires", 0, NULL },
	};
	struct loc	 l = { "bgpsec_keys", idx, NULL, NOIDX };
	char		 asntext[ASNTEXT_MAX];
	const char	*ski = NULL, *pub = NULL;
	uint8_t		 skib[SKI_LEN], *spki = NULL;
	size_t		 spkilen;
	uint32_t	 asn, expires;
	uint16_t	 ta = 0;
	int		 rc = -1;

	if (get_fields(r, obj, fl, 5, &l) == -1)
		return -1;
	l.field = "asn";
	if (get_asn(r, fl[0].v, &l, &asn, asntext) == -1)
		return -1;
	l.field = "ski";
	if (get_string(r, fl[1].v, &l, &ski) == -1)
		return -1;
	if (hex_decode(ski, strlen(ski), skib, sizeof(skib)) != SKI_LEN)
		return loc_err(r, &l, "want %d bytes of hex, have \"%.64s\"",
		    SKI_LEN, ski);
	l.field = "pubkey";
	if (get_string(r, fl[2].v, &l, &pub) == -1)
		return -1;
	spki = base64_decode(pub, strlen(pub), 0, &spkilen);
	if (spki == NULL || !spki_is_p256(spki, spkilen)) {
		free(spki);
		return loc_err(r, &l, "want base64 of a P-256 "
		    "SubjectPublicKeyInfo (RFC 8208 section 3.2), have "
		    "\"%.64s\"", pub);
	}
	l.field = "ta";
	if (get_ta(r, fl[3].v, &l, &ta) == -1)
		goto out;
	l.field = "expires";
	if (get_expires(r, fl[4].v, &l, &expires) == -1)
		goto out;
	if (vrpset_add_rkey(r->b, asn, skib, spki, spkilen, ta, expires)
	    == -1) {
		err_set(r->e, "%s: out of memory", r->name);
		goto out;
	}
	r->f->nrkeys++;
	rc = 0;
 out:
	free(spki);
	return rc;
}

enum array_kind { ARR_ROAS, ARR_ASPAS, ARR_RKEYS };

/* Walk a big array element by element, parsing each with cJSON. */
static int
rd_array(struct reader *r, enum array_kind kind)
{
	static const char *const names[] = { "roas", "aspas", "bgpsec_keys" };
	char	 msg[64];
	cJSON	*v;
	size_t	 idx = 0;
	int	 rc;

	rd_skip_ws(r);
	if (r->p >= r->end || *r->p != '[') {
		snprintf(msg, sizeof(msg), "%s: want an array", names[kind]);
		return rd_error_at(r, r->p, msg);
	}
	r->p++;
	rd_skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return 0;
	}
	for (;;) {
		if ((v = rd_value(r)) == NULL)
			return -1;
		switch (kind) {
		case ARR_ROAS:
			rc = rd_roa(r, v, idx);
			break;
		case ARR_ASPAS:
			rc = rd_aspa(r, v, "aspas", idx);
			break;
		default:
			rc = rd_rkey(r, v, idx);
			break;
		}
		cJSON_Delete(v);
		if (rc == -1)
			return -1;
		idx++;
		rd_skip_ws(r);
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return 0;
		}
		if (rd_expect(r, ',') == -1)
			return -1;
	}
}

/* rpki-client 8.x: {"ipv4": [aspa...], "ipv6": [aspa...]}. */
static int
rd_provider_auth(struct reader *r, const cJSON *v)
{
	static const char *const lists[] = {
		"provider_authorizations.ipv4", "provider_authorizations.ipv6"
	};
	struct loc	 l = { "provider_authorizations", NOIDX, NULL, NOIDX };
	const cJSON	*list, *c;
	size_t		 i, idx;

	if (!cJSON_IsObject(v))
		return loc_err(r, &l, "want an object, have %s",
		    json_type_name(v));
	for (i = 0; i < 2; i++) {
		list = cJSON_GetObjectItemCaseSensitive(v, i ? "ipv6" :
		    "ipv4");
		if (list == NULL)
			continue;
		l.list = lists[i];
		if (!cJSON_IsArray(list))
			return loc_err(r, &l, "want an array, have %s",
			    json_type_name(list));
		idx = 0;
		cJSON_ArrayForEach(c, list) {
			if (rd_aspa(r, c, lists[i], idx++) == -1)
				return -1;
		}
	}
	return 0;
}

static int
meta_int(struct reader *r, const cJSON *v, const char *key, int64_t *out)
{
	struct loc	l = { "metadata", NOIDX, key, NOIDX };
	uint64_t	n = 0;

	if (json_uint(r, v, (1ULL << 53), &l, &n) == -1)
		return -1;
	*out = (int64_t)n;
	return 0;
}

static int
meta_str(struct reader *r, const cJSON *v, const char *key, char **out)
{
	struct loc	 l = { "metadata", NOIDX, key, NOIDX };
	const char	*s = NULL;

	if (get_string(r, v, &l, &s) == -1)
		return -1;
	if ((*out = strdup(s)) == NULL)
		return err_set(r->e, "%s: out of memory", r->name);
	return 0;
}

static int
rd_metadata(struct reader *r, const cJSON *v)
{
	struct vrpfile_meta	*m = &r->f->meta;
	struct loc		 l = { "metadata", NOIDX, NULL, NOIDX };
	struct field		 fl[] = {
		{ "generated", 0, NULL }, { "valid", 0, NULL },
		{ "counts", 0, NULL }, { "serial", 0, NULL },
		{ "signature", 0, NULL }, { "signatureDate", 0, NULL },
		{ "buildmachine", 0, NULL },
	};

	if (get_fields(r, v, fl, 7, &l) == -1)
		return -1;
	if ((fl[0].v && meta_int(r, fl[0].v, "generated", &m->generated)
	    == -1) ||
	    (fl[1].v && meta_int(r, fl[1].v, "valid", &m->valid) == -1) ||
	    (fl[2].v && meta_int(r, fl[2].v, "counts", &m->counts) == -1) ||
	    (fl[3].v && meta_int(r, fl[3].v, "serial", &m->serial) == -1) ||
	    (fl[4].v && meta_str(r, fl[4].v, "signature", &m->signature)
	    == -1) ||
	    (fl[5].v && meta_str(r, fl[5].v, "signatureDate",
	    &m->signature_date) == -1))
		return -1;
	m->has_generated = fl[0].v != NULL;
	m->has_valid = fl[1].v != NULL;
	m->has_counts = fl[2].v != NULL;
	m->has_serial = fl[3].v != NULL;
	if (fl[6].v != NULL)
		m->format = VRPFILE_RPKICLIENT;
	return 0;
}

enum { SEEN_META = 1, SEEN_ROAS = 2, SEEN_ASPAS = 4, SEEN_RKEYS = 8,
    SEEN_PA = 16 };

/* Parse one "key": value member of the outer object. */
static int
rd_member(struct reader *r, unsigned int *seen)
{
	cJSON		*key, *v;
	unsigned int	 bit = 0;
	int		 rc = -1;

	rd_skip_ws(r);
	if (r->p >= r->end || *r->p != '"')
		return rd_error_at(r, r->p, "malformed JSON: want a member "
		    "name");
	if ((key = rd_value(r)) == NULL)
		return -1;
	if (rd_expect(r, ':') == -1)
		goto out;
	if (strcmp(key->valuestring, "metadata") == 0)
		bit = SEEN_META;
	else if (strcmp(key->valuestring, "roas") == 0)
		bit = SEEN_ROAS;
	else if (strcmp(key->valuestring, "aspas") == 0)
		bit = SEEN_ASPAS;
	else if (strcmp(key->valuestring, "bgpsec_keys") == 0)
		bit = SEEN_RKEYS;
	else if (strcmp(key->valuestring, "provider_authorizations") == 0)
		bit = SEEN_PA;
	if (bit & *seen) {
		err_set(r->e, "%s: member \"%s\" given twice", r->name,
		    key->valuestring);
		goto out;
	}
	*seen |= bit;
	if (bit == SEEN_ROAS)
		rc = rd_array(r, ARR_ROAS);
	else if (bit == SEEN_ASPAS)
		rc = rd_array(r, ARR_ASPAS);
	else if (bit == SEEN_RKEYS)
		rc = rd_array(r, ARR_RKEYS);
	else {
		if ((v = rd_value(r)) == NULL)
			goto out;
		if (bit == SEEN_META)
			rc = rd_metadata(r, v);
		else if (bit == SEEN_PA)
			rc = rd_provider_auth(r, v);
		else
			rc = 0;		/* unknown members are ignored */
		cJSON_Delete(v);
	}
 out:
	cJSON_Delete(key);
	return rc;
}

static int
rd_json(struct reader *r)
{
	unsigned int seen = 0;

	if (rd_expect(r, '{') == -1)
		return -1;
	rd_skip_ws(r);
	if (r->p < r->end && *r->p == '}')
		r->p++;
	else {
		for (;;) {
			if (rd_member(r, &seen) == -1)
				return -1;
			rd_skip_ws(r);
			if (r->p < r->end && *r->p == '}') {
				r->p++;
				break;
			}
			if (rd_expect(r, ',') == -1)
				return -1;
		}
	}
	rd_skip_ws(r);
	if (r->p != r->end)
		return rd_error_at(r, r->p, "trailing data after the JSON "
		    "document");
	if (!(seen & SEEN_ROAS))
		return err_set(r->e, "%s: missing member \"roas\"", r->name);
	/* rpki-client's own metadata tells its files from OctoRPKI's. */
	if ((seen & SEEN_PA) && r->f->meta.format == VRPFILE_RPKICLIENT)
		r->f->meta.format = VRPFILE_RPKICLIENT8;
	return 0;
}

/*
 * vrpfile_parse, and if owned is not NULL, free it (buf) once read,
 * before the lines of VRPFILE_SIGLINES are made and the set sorted.
 */
static int
parse(const char *buf, char *owned, size_t len, const char *name,
    int flags, struct vrpfile *f, struct err *e)
{
	struct reader	r;
	const char	*q = buf;
	int		 rc;

	memset(f, 0, sizeof(*f));
	memset(&r, 0, sizeof(r));
	if (buf == NULL)		/* an empty body, never allocated */
		buf = q = "";
	r.name = name;
	r.buf = r.p = buf;
	r.end = buf + len;
	r.f = f;
	r.flags = flags;
	r.e = e;
	if (memchr(buf, '\0', len) != NULL) {
		free(owned);
		return err_set(e, "%s: NUL byte in input", name);
	}
	if ((r.b = vrpset_builder_new()) == NULL) {
		free(owned);
		return err_set(e, "%s: out of memory", name);
	}
	while (q < r.end && isspace((unsigned char)*q))
		q++;
	if (q == r.end)
		rc = err_set(e, "%s: empty file", name);
	else if (*q == '{')
		rc = rd_json(&r);
	else if (*q == '[')
		rc = rd_error_at(&r, q, "want a JSON object, have an array");
	else
		rc = vrpfile_parse_csv(buf, len, name, r.b, f, e);
	free(owned);
	r.buf = r.p = r.end = NULL;
	if (rc == -1)
		goto fail;
	if ((flags & VRPFILE_SIGLINES) && sig_finish(&r) == -1) {
		err_set(e, "%s: out of memory", name);
		goto fail;
	}
	free(r.astext);
	r.astext = NULL;
	if ((f->set = vrpset_build(r.b)) == NULL) {
		r.b = NULL;
		err_set(e, "%s: out of memory", name);
		goto fail;
	}
	return 0;
 fail:
	free(r.astext);
	vrpset_builder_free(r.b);
	vrpfile_free(f);
	return -1;
}

int
vrpfile_parse(const char *buf, size_t len, const char *name, int flags,
    struct vrpfile *f, struct err *e)
{
	return parse(buf, NULL, len, name, flags, f, e);
}

int
vrpfile_parse_take(char *buf, size_t len, const char *name, int flags,
    struct vrpfile *f, struct err *e)
{
	return parse(buf, buf, len, name, flags, f, e);
}

int
vrpfile_load(const char *path, int flags, struct vrpfile *f, struct err *e)
{
	char	*data;
	size_t	 len;

	memset(f, 0, sizeof(*f));
	if (file_read_all(path, VRPFILE_MAX_SIZE, &data, &len, e) == -1)
		return -1;
	return vrpfile_parse_take(data, len, strcmp(path, "-") == 0 ?
	    "(stdin)" : path, flags, f, e);
}

void
vrpfile_meta_free(struct vrpfile_meta *m)
{
	free(m->signature);
	free(m->signature_date);
	m->signature = m->signature_date = NULL;
}

void
vrpfile_free(struct vrpfile *f)
{
	vrpset_unref(f->set);
	vrpfile_meta_free(&f->meta);
	siglines_free(&f->sig);
	memset(f, 0, sizeof(*f));
}
