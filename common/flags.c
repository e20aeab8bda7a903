/*
 * flags.c - Go-compatible command-line flag parsing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flags.h"

void
flags_init(struct flagset *fs, const char *prog)
{
	memset(fs, 0, sizeof(*fs));
	fs->prog = prog;
}

static struct flag *
flag_add(struct flagset *fs, const char *name, enum flag_type type, void *p,
    const char *usage)
{
	struct flag *f;

	if (fs->nflags == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 32;

		if ((f = realloc(fs->flags, ncap * sizeof(*f))) == NULL) {
			fs->oom = 1;
			return NULL;
		}
		fs->flags = f;
		fs->cap = ncap;
	}
	f = &fs->flags[fs->nflags++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->type = type;
	f->ptr = p;
	f->usage = usage;
	return f;
}

static void
flag_setdef(struct flagset *fs, struct flag *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
flag_setdef(struct flagset *fs, struct flag *f, const char *fmt, ...)
{
	char	buf[128];
	va_list	ap;

	if (f == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if ((f->defstr = strdup(buf)) == NULL)
		fs->oom = 1;
}

void
flag_bool(struct flagset *fs, const char *name, int *p, int def,
    const char *usage)
{
	*p = def;
	flag_setdef(fs, flag_add(fs, name, FLAG_BOOL, p, usage), "%s",
	    def ? "true" : "");
}

void
flag_string(struct flagset *fs, const char *name, const char **p,
    const char *def, const char *usage)
{
	*p = def;
	flag_setdef(fs, flag_add(fs, name, FLAG_STRING, p, usage),
	    def && *def ? "\"%s\"" : "%s", def ? def : "");
}

void
flag_int(struct flagset *fs, const char *name, long long *p, long long def,
    const char *usage)
{
	*p = def;
	if (def != 0)
		flag_setdef(fs, flag_add(fs, name, FLAG_INT, p, usage),
		    "%lld", def);
	else
		flag_add(fs, name, FLAG_INT, p, usage);
}

/* Go's Duration.String() for whole seconds is enough for defaults. */
static void
duration_format(double secs, char *buf, size_t len)
{
	long long s = (long long)secs;

	if (secs != (double)s)
		snprintf(buf, len, "%gs", secs);
	else if (s >= 3600)
		snprintf(buf, len, "%lldh%lldm%llds", s / 3600,
		    s % 3600 / 60, s % 60);
	else if (s >= 60)
		snprintf(buf, len, "%lldm%llds", s / 60, s % 60);
	else
		snprintf(buf, len, "%llds", s);
}

void
flag_duration(struct flagset *fs, const char *name, double *p, double def,
    const char *usage)
{
	char buf[64];

	*p = def;
	duration_format(def, buf, sizeof(buf));
	if (def != 0)
		flag_setdef(fs, flag_add(fs, name, FLAG_DURATION, p, usage),
		    "%s", buf);
	else
		flag_add(fs, name, FLAG_DURATION, p, usage);
}

void
flag_float(struct flagset *fs, const char *name, double *p, double def,
    const char *usage)
{
	*p = def;
	if (def != 0)
		flag_setdef(fs, flag_add(fs, name, FLAG_FLOAT, p, usage),
		    "%g", def);
	else
		flag_add(fs, name, FLAG_FLOAT, p, usage);
}

static struct flag *
flag_find(const struct flagset *fs, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < fs->nflags; i++)
		if (strlen(fs->flags[i].name) == len &&
		    strncmp(fs->flags[i].name, name, len) == 0)
			return &fs->flags[i];
	return NULL;
}

/* strconv.ParseBool */
static int
parse_bool(const char *s, int *v)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true",
	    "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false",
	    "False" };
	size_t i;

	for (i = 0; i < 6; i++) {
		if (strcmp(s, t[i]) == 0)
			return *v = 1, 0;
		if (strcmp(s, f[i]) == 0)
			return *v = 0, 0;
	}
	return -1;
}

/* strconv.ParseInt(s, 0, 64), without digit-separating underscores. */
static int
parse_int(const char *s, long long *v)
{
	char		*end;
	const char	*d = s;
	int		 base = 10, neg = 0;

	if (*d == '+' || *d == '-')
		neg = *d++ == '-';
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		base = 16, d += 2;
	else if (d[0] == '0' && (d[1] == 'o' || d[1] == 'O'))
		base = 8, d += 2;
	else if (d[0] == '0' && (d[1] == 'b' || d[1] == 'B'))
		base = 2, d += 2;
	else if (d[0] == '0' && d[1] != '\0')
		base = 8, d += 1;
	/* Not a second sign, nor white space strtoll would skip. */
	if (!isalnum((unsigned char)*d))
		return -1;
	errno = 0;
	*v = strtoll(d, &end, base);
	if (errno != 0 || *end != '\0')
		return -1;
	if (neg)
		*v = -*v;
	return 0;
}

static int
parse_float(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return *s == '\0' || isspace((unsigned char)*s) || *end != '\0' ?
	    -1 : 0;
}

int
duration_parse(const char *s, double *seconds)
{
	static const struct { const char *u; double mul; } units[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "\xc2\xb5s", 1e-6 },
		{ "\xce\xbcs", 1e-6 }, { "ms", 1e-3 }, { "s", 1 }, { "m", 60 },
		{ "h", 3600 },
	};
	const char	*p = s;
	double		 total = 0, v;
	char		*end;
	int		 neg = 0;
	size_t		 i, best;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (strcmp(p, "0") == 0)
		return *seconds = 0, 0;
	/*
	 * Numbers are [0-9.]+ as in Go: no second sign or white space
	 * (which strtod skips), no exponent or hex (which it reads).
	 */
	if (!((*p >= '0' && *p <= '9') || *p == '.'))
		return -1;
	v = strtod(p, &end);
	if (end != p && *end == '\0' && isfinite(v) && p[0] != '.' &&
	    (size_t)(end - p) == strspn(p, "0123456789."))
		return *seconds = neg ? -v : v, 0;	/* bare seconds */
	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return -1;
		v = strtod(p, &end);
		if (end == p || !isfinite(v) ||
		    (size_t)(end - p) > strspn(p, "0123456789."))
			return -1;
		p = end;
		best = SIZE_MAX;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t ul = strlen(units[i].u);

			if (strncmp(p, units[i].u, ul) == 0 &&
			    (best == SIZE_MAX || ul > strlen(units[best].u)))
				best = i;
		}
		if (best == SIZE_MAX)
			return -1;
		total += v * units[best].mul;
		p += strlen(units[best].u);
	}
	*seconds = neg ? -total : total;
	return 0;
}

static int
flag_set_value(struct flag *f, const char *val, struct err *e)
{
	long long	iv;
	double		dv;
	int		bv;

	switch (f->type) {
	case FLAG_BOOL:
		if (parse_bool(val, &bv) == -1)
			goto bad;
		*(int *)f->ptr = bv;
		break;
	case FLAG_STRING:
		*(const char **)f->ptr = val;
		break;
	case FLAG_INT:
		if (parse_int(val, &iv) == -1)
			goto bad;
		*(long long *)f->ptr = iv;
		break;
	case FLAG_DURATION:
		if (duration_parse(val, &dv) == -1)
			goto bad;
		*(double *)f->ptr = dv;
		break;
	case FLAG_FLOAT:
		if (parse_float(val, &dv) == -1)
			goto bad;
		*(double *)f->ptr = dv;
		break;
	}
	f->set = 1;
	return 0;
 bad:
	if (f->type == FLAG_BOOL)	/* Go words this one differently */
		return err_set(e, "invalid boolean value \"%s\" for -%s: "
		    "parse error", val, f->name);
	return err_set(e, "invalid value \"%s\" for flag -%s: parse error",
	    val, f->name);
}

int
flags_parse(struct flagset *fs, int argc, char **argv, int start,
    int *rest, struct err *e)
{
	const char	*arg, *name, *eq;
	struct flag	*f;
	size_t		 len;
	int		 i;

	if (fs->oom)
		return err_set(e, "out of memory");
	for (i = start; i < argc; i++) {
		arg = argv[i];
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		name = arg + 1;
		if (name[0] == '-') {
			name++;
			if (name[0] == '\0') {	/* "--" ends the flags */
				i++;
				break;
			}
		}
		if (name[0] == '-' || name[0] == '=')
			return err_set(e, "bad flag syntax: %s", arg);
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		if ((f = flag_find(fs, name, len)) == NULL) {
			if ((len == 1 && name[0] == 'h') ||
			    (len == 4 && strncmp(name, "help", 4) == 0))
				return 1;
			return err_set(e, "flag provided but not defined: "
			    "-%.*s", (int)len, name);
		}
		if (eq != NULL) {
			if (flag_set_value(f, eq + 1, e) == -1)
				return -1;
		} else if (f->type == FLAG_BOOL) {
			*(int *)f->ptr = 1;
			f->set = 1;
		} else {
			if (i + 1 >= argc)
				return err_set(e, "flag needs an argument: -%s",
				    f->name);
			if (flag_set_value(f, argv[++i], e) == -1)
				return -1;
		}
	}
	*rest = i;
	return 0;
}

int
flags_is_set(const struct flagset *fs, const char *name)
{
	struct flag *f = flag_find(fs, name, strlen(name));

	return f != NULL && f->set;
}

static int
flag_name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct flag *const *)a)->name,
	    (*(const struct flag *const *)b)->name);
}

void
flags_usage(const struct flagset *fs, FILE *fp)
{
	static const char *const tnames[] = { "", "string", "int",
	    "duration", "float" };
	const struct	 flag **sorted;
	size_t		 i;

	fprintf(fp, "Usage of %s:\n", fs->prog);
	if (fs->synopsis != NULL)
		fprintf(fp, "%s\n", fs->synopsis);
	if ((sorted = calloc(fs->nflags + 1, sizeof(*sorted))) == NULL)
		return;
	for (i = 0; i < fs->nflags; i++)
		sorted[i] = &fs->flags[i];
	qsort(sorted, fs->nflags, sizeof(*sorted), flag_name_cmp);
	for (i = 0; i < fs->nflags; i++) {
		const struct flag *f = sorted[i];

		fprintf(fp, "  -%s", f->name);
		if (f->type != FLAG_BOOL)
			fprintf(fp, " %s", tnames[f->type]);
		/* Go puts a one-letter bool flag's usage on its line. */
		if (f->type == FLAG_BOOL && strlen(f->name) == 1)
			fprintf(fp, "\t%s", f->usage);
		else
			fprintf(fp, "\n    \t%s", f->usage);
		if (f->defstr != NULL && f->defstr[0] != '\0')
			fprintf(fp, " (default %s)", f->defstr);
		fputc('\n', fp);
	}
	free(sorted);
}

void
flags_free(struct flagset *fs)
{
	size_t i;

	for (i = 0; i < fs->nflags; i++)
		free(fs->flags[i].defstr);
	free(fs->flags);
	memset(fs, 0, sizeof(*fs));
}

int
timestamp_parse(const char *s, int64_t *t)
{
	struct tm	 tm;
	char		*end;
	long long	 v;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0) {
			*t = v;
			return 0;
		}
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	*t = (int64_t)timegm(&tm);
	return 0;
}
