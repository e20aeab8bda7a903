/*
 * vrpfile_csv.c - reading VRP files in rpki-client's CSV form:
 * "ASN,IP Prefix,Max Length,Trust Anchor" (rpki-client 8 adds ",Expires").
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrpfile.h"
#include "vrpfile_impl.h"

struct csvctx {
	const char		*name;
	struct vrpset_builder	*b;
	struct vrpfile		*f;
	struct err		*e;
};

/* Split the next comma-separated field off a CSV line. */
static char *
csv_field(char **line)
{
	char *s = *line, *c;

	if (s == NULL)
		return NULL;
	if ((c = strchr(s, ',')) != NULL) {
		*c = '\0';
		*line = c + 1;
	} else
		*line = NULL;
	return s;
}

static int
csv_row(struct csvctx *r, char *line, size_t lineno)
{
	char		*asn, *prefix, *maxlen, *ta, *end;
	struct vrp	 v;
	struct err	 e;
	unsigned long	 ml;
	int		 idx;

	memset(&v, 0, sizeof(v));
	asn = csv_field(&line);
	prefix = csv_field(&line);
	maxlen = csv_field(&line);
	ta = csv_field(&line);
	if (ta == NULL)
		return err_set(r->e, "%s: line %zu: want ASN,IP Prefix,Max "
		    "Length,Trust Anchor", r->name, lineno);
	if (line != NULL) {	/* rpki-client 8 adds an Expires column */
		char *x = csv_field(&line);
		unsigned long long t;

		t = strtoull(x, &end, 10);
		if (!isdigit((unsigned char)*x) || *end != '\0' ||
		    t > UINT32_MAX || line != NULL)
			return err_set(r->e, "%s: line %zu: Expires: want a "
			    "unix time as the fifth and last column", r->name,
			    lineno);
		v.expires = (uint32_t)t;
	}
	if (asn_parse(asn, &v.asn, &e) == -1 ||
	    prefix_parse(prefix, &v, &e) == -1)
		return err_set(r->e, "%s: line %zu: %s", r->name, lineno,
		    e.msg);
	ml = strtoul(maxlen, &end, 10);
	if (!isdigit((unsigned char)*maxlen) || *end != '\0' || ml < v.plen ||
	    ml > (unsigned long)afi_bits(v.afi))
		return err_set(r->e, "%s: line %zu: Max Length: want %u..%d, "
		    "have \"%s\"", r->name, lineno, v.plen, afi_bits(v.afi),
		    maxlen);
	v.maxlen = (uint8_t)ml;
	if ((idx = vrpset_builder_ta(r->b, ta)) == -1)
		return err_set(r->e, "%s: out of memory", r->name);
	v.ta = (uint16_t)idx;
	if (vrpset_add_vrp(r->b, &v) == -1)
		return err_set(r->e, "%s: out of memory", r->name);
	r->f->nroas++;
	return 0;
}

int
vrpfile_parse_csv(const char *buf, size_t len, const char *name,
    struct vrpset_builder *b, struct vrpfile *f, struct err *e)
{
	struct csvctx	 c = { name, b, f, e };
	const char	*p = buf, *end = buf + len, *nl;
	char		*line;
	size_t		 n, lineno = 0;
	int		 rc;

	f->meta.format = VRPFILE_CSV;
	while (p < end) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0 && !(lineno == 1 && n >= 4 &&
		    strncmp(p, "ASN,", 4) == 0)) {
			if ((line = strndup(p, n)) == NULL)
				return err_set(e, "%s: out of memory",
				    name);
			rc = csv_row(&c, line, lineno);
			free(line);
			if (rc == -1)
				return -1;
		}
		p = nl + 1;
	}
	return 0;
}

