/*
 * vrpjson - the operator's tool for VRP files: verify, sign, diff,
 * convert and summarize OctoRPKI/GoRTR and rpki-client files.
 *
 * Exit codes (also in vrpjson(1)):
 *   0  success; for diff: the files hold the same payloads
 *   1  verify: a signature does not hold; diff: the files differ
 *   2  usage error
 *   3  an input could not be read or is not a valid VRP file or key
 *   4  an output could not be written, or signing failed
 *   5  verify: signatures hold but the file has expired
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "encoding.h"
#include "flags.h"
#include "vrpfile.h"
#include "vrpsign.h"
#include "vrpstats.h"

#define EXIT_NO		1
#define EXIT_USAGE	2
#define EXIT_INPUT	3
#define EXIT_OUTPUT	4
#define EXIT_EXPIRED	5

static const char *prog = "vrpjson";

static void
usage_main(FILE *fp)
{
	fprintf(fp,
	    "usage: %s COMMAND [flags] ARGS\n"
	    "\n"
	    "commands:\n"
	    "  verify -verify.key PUB [-checktime=false] FILE\n"
	    "                 check the GoRTR/OctoRPKI signature (and expiry)\n"
	    "  sign -key PRIV [-validity DURATION] IN OUT\n"
	    "                 set generated/valid and sign; writes OctoRPKI "
	    "JSON\n"
	    "  diff [-q] OLD NEW\n"
	    "                 list announced (+) and withdrawn (-) payloads\n"
	    "  convert -format octorpki|rpki-client|rpki-client8|csv IN OUT\n"
	    "  stats [-json] FILE\n"
	    "\n"
	    "Inputs may be OctoRPKI/GoRTR JSON, rpki-client JSON or CSV; "
	    "\"-\" is stdin/stdout.\n"
	    "\"%s COMMAND -h\" lists a command's flags.  Exit codes: 0 ok, "
	    "1 check failed or files\ndiffer, 2 usage, 3 bad input, 4 "
	    "output failed, 5 expired.\n", prog, prog);
}

/*
 * Parse a command's flags and check it has exactly nargs positional
 * arguments.  Returns the index of the first one, or -1 after printing
 * usage (*rc set).
 */
static int
parse_cmd(struct flagset *fs, int argc, char **argv, int nargs, int *rc)
{
	struct err	e;
	int		rest, r;

	r = flags_parse(fs, argc, argv, 1, &rest, &e);
	if (r == 1) {
		flags_usage(fs, stdout);
		*rc = 0;
		return -1;
	}
	if (r == -1) {
		fprintf(stderr, "%s: %s\n", fs->prog, e.msg);
		flags_usage(fs, stderr);
		*rc = EXIT_USAGE;
		return -1;
	}
	if (argc - rest != nargs) {
		fprintf(stderr, "%s: want %d argument%s, have %d\n", fs->prog,
		    nargs, nargs == 1 ? "" : "s", argc - rest);
		flags_usage(fs, stderr);
		*rc = EXIT_USAGE;
		return -1;
	}
	return rest;
}

static int
load(const char *path, int flags, struct vrpfile *f)
{
	struct err e;

	if (vrpfile_load(path, flags, f, &e) == -1) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		return -1;
	}
	return 0;
}

static void
format_time(int64_t t, char *buf, size_t len)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

static int
cmd_verify(int argc, char **argv)
{
	struct flagset		 fs;
	struct vrpfile		 f = { 0 };
	struct err		 e;
	EVP_PKEY		*key = NULL;
	const char		*keypath;
	char			 tbuf[32];
	enum vrpsign_status	 st;
	int			 checktime, i, rc = EXIT_USAGE;

	flags_init(&fs, "vrpjson verify");
	fs.synopsis = "  vrpjson verify -verify.key PUB [-checktime=false] FILE";
	flag_string(&fs, "verify.key", &keypath, NULL,
	    "Public key path (PEM, P-256) to check the signature with");
	flag_bool(&fs, "checktime", &checktime, 1,
	    "Check the time signature and that the file has not expired "
	    "(disable with -checktime=false)");
	if ((i = parse_cmd(&fs, argc, argv, 1, &rc)) == -1)
		goto out;
	if (keypath == NULL) {
		fprintf(stderr, "%s verify: -verify.key is required\n", prog);
		goto out;
	}
	rc = EXIT_INPUT;
	if ((key = vrpsign_load_pubkey(keypath, &e)) == NULL) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		goto out;
	}
	if (load(argv[i], VRPFILE_SIGLINES, &f) == -1)
		goto out;
	st = vrpsign_verify(key, &f, checktime, time(NULL), &e);
	if (st != VRPSIGN_OK) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[i], e.msg);
		rc = st == VRPSIGN_EXPIRED ? EXIT_EXPIRED : EXIT_NO;
		goto out;
	}
	format_time(f.meta.valid, tbuf, sizeof(tbuf));
	printf("%s: OK: %zu ROA entries (%zu VRPs), %zu ASPAs, %zu router "
	    "keys; valid until %s%s\n", argv[i], f.nroas, f.set->nvrps,
	    f.set->naspas, f.set->nrkeys, f.meta.has_valid ? tbuf : "(none)",
	    checktime ? "" : " (time not checked)");
	rc = 0;
 out:
	EVP_PKEY_free(key);
	vrpfile_free(&f);
	flags_free(&fs);
	return rc;
}

static int
cmd_sign(int argc, char **argv)
{
	struct flagset		 fs;
	struct vrpfile		 f = { 0 };
	struct siglines		 sl = { 0 };
	struct err		 e;
	EVP_PKEY		*key = NULL;
	const char		*keypath;
	double			 validity;
	long long		 generated, serial;
	int			 i, rc = EXIT_USAGE;

	flags_init(&fs, "vrpjson sign");
	fs.synopsis = "  vrpjson sign -key PRIV [-validity DURATION] IN OUT";
	flag_string(&fs, "key", &keypath, NULL,
	    "Private key path (PEM, EC P-256) to sign with");
	flag_duration(&fs, "validity", &validity, 3600,
	    "How long the file stays valid: seconds or a Go duration");
	flag_int(&fs, "generated", &generated, 0,
	    "Generation time as unix seconds (default: now)");
	flag_int(&fs, "serial", &serial, -1,
	    "Set metadata.serial (default: keep the input's, if any)");
	if ((i = parse_cmd(&fs, argc, argv, 2, &rc)) == -1)
		goto out;
	if (keypath == NULL || validity <= 0) {
		fprintf(stderr, "%s sign: %s\n", prog, keypath == NULL ?
		    "-key is required" : "-validity must be positive");
		goto out;
	}
	rc = EXIT_INPUT;
	if ((key = vrpsign_load_privkey(keypath, &e)) == NULL) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		goto out;
	}
	if (load(argv[i], 0, &f) == -1)
		goto out;
	rc = EXIT_OUTPUT;
	f.meta.generated = flags_is_set(&fs, "generated") ? generated :
	    (long long)time(NULL);
	f.meta.valid = f.meta.generated + (int64_t)validity;
	f.meta.has_generated = f.meta.has_valid = 1;
	if (serial >= 0) {
		f.meta.serial = serial;
		f.meta.has_serial = 1;
	}
	if (siglines_from_set(&sl, f.set) == -1 ||
	    vrpsign_sign(key, &sl, &f.meta, &e) == -1 ||
	    vrpfile_save(argv[i + 1], f.set, VRPFILE_OCTORPKI, &f.meta, &e)
	    == -1) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		goto out;
	}
	rc = 0;
 out:
	siglines_free(&sl);
	EVP_PKEY_free(key);
	vrpfile_free(&f);
	flags_free(&fs);
	return rc;
}

static void
print_vrps(const struct vrpset *s, char sign)
{
	char	prefix[PREFIX_STRLEN];
	size_t	i;

	for (i = 0; i < s->nvrps; i++) {
		prefix_format(&s->vrps[i], prefix);
		printf("%c AS%u %s maxLength %u (%s)\n", sign, s->vrps[i].asn,
		    prefix, s->vrps[i].maxlen,
		    vrpset_ta_name(s, s->vrps[i].ta));
	}
}

static void
print_aspas_keys(const struct vrpset *s, char sign)
{
	char	ski[2 * SKI_LEN + 1];
	size_t	i, j;

	for (i = 0; i < s->naspas; i++) {
		const struct aspa *a = &s->aspas[i];

		printf("%c ASPA customer AS%u", sign, a->customer);
		for (j = 0; sign == '+' && j < a->prov_n; j++)
			printf("%s AS%u", j ? "," : " providers",
			    vrpset_providers(s, a)[j]);
		printf("\n");
	}
	for (i = 0; i < s->nrkeys; i++) {
		hex_encode(s->rkeys[i].ski, SKI_LEN, ski);
		printf("%c router-key AS%u ski %s\n", sign, s->rkeys[i].asn,
		    ski);
	}
}

static int
cmd_diff(int argc, char **argv)
{
	struct flagset	fs;
	struct vrpfile	a = { 0 }, b = { 0 };
	struct vrpdiff	d = { 0 };
	int		i, quiet, rc = EXIT_USAGE;

	flags_init(&fs, "vrpjson diff");
	fs.synopsis = "  vrpjson diff [-q] OLD NEW";
	flag_bool(&fs, "q", &quiet, 0, "Print only the summary line");
	if ((i = parse_cmd(&fs, argc, argv, 2, &rc)) == -1)
		goto out;
	rc = EXIT_INPUT;
	if (load(argv[i], 0, &a) == -1 || load(argv[i + 1], 0, &b) == -1)
		goto out;
	if (vrpset_diff(a.set, b.set, &d) == -1) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto out;
	}
	if (!quiet) {
		print_vrps(d.withdrawn, '-');
		print_vrps(d.announced, '+');
		print_aspas_keys(d.withdrawn, '-');
		print_aspas_keys(d.announced, '+');
	}
	printf("%zu announced, %zu withdrawn (VRPs +%zu -%zu, ASPAs +%zu "
	    "-%zu, router keys +%zu -%zu)\n",
	    d.announced->nvrps + d.announced->naspas + d.announced->nrkeys,
	    d.withdrawn->nvrps + d.withdrawn->naspas + d.withdrawn->nrkeys,
	    d.announced->nvrps, d.withdrawn->nvrps, d.announced->naspas,
	    d.withdrawn->naspas, d.announced->nrkeys, d.withdrawn->nrkeys);
	rc = vrpdiff_count(&d) == 0 ? 0 : EXIT_NO;
 out:
	vrpdiff_free(&d);
	vrpfile_free(&a);
	vrpfile_free(&b);
	flags_free(&fs);
	return rc;
}

static int
cmd_convert(int argc, char **argv)
{
	struct flagset		 fs;
	struct vrpfile		 f = { 0 };
	struct err		 e;
	enum vrpfile_format	 fmt;
	const char		*fmtname;
	int			 i, rc = EXIT_USAGE;

	flags_init(&fs, "vrpjson convert");
	fs.synopsis = "  vrpjson convert -format FORMAT IN OUT";
	flag_string(&fs, "format", &fmtname, "octorpki",
	    "Output format: octorpki (GoRTR), rpki-client, rpki-client8 "
	    "(provider_authorizations ASPA form) or csv");
	if ((i = parse_cmd(&fs, argc, argv, 2, &rc)) == -1)
		goto out;
	if (vrpfile_format_parse(fmtname, &fmt) == -1) {
		fprintf(stderr, "%s convert: unknown -format \"%s\"\n", prog,
		    fmtname);
		goto out;
	}
	rc = EXIT_INPUT;
	if (load(argv[i], 0, &f) == -1)
		goto out;
	/* A signature covers the input's lines, not ours: drop it. */
	vrpfile_meta_free(&f.meta);
	rc = EXIT_OUTPUT;
	if (vrpfile_save(argv[i + 1], f.set, fmt, &f.meta, &e) == -1) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		goto out;
	}
	rc = 0;
 out:
	vrpfile_free(&f);
	flags_free(&fs);
	return rc;
}

static int
cmd_stats(int argc, char **argv)
{
	struct flagset	fs;
	struct vrpfile	f = { 0 };
	int		i, json, rc = EXIT_USAGE;

	flags_init(&fs, "vrpjson stats");
	fs.synopsis = "  vrpjson stats [-json] FILE";
	flag_bool(&fs, "json", &json, 0, "Print the summary as JSON");
	if ((i = parse_cmd(&fs, argc, argv, 1, &rc)) == -1)
		goto out;
	rc = EXIT_INPUT;
	if (load(argv[i], 0, &f) == -1)
		goto out;
	rc = stats_print(&f, argv[i], json, time(NULL)) == -1 ?
	    EXIT_OUTPUT : 0;
 out:
	vrpfile_free(&f);
	flags_free(&fs);
	return rc;
}

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
} commands[] = {
	{ "verify", cmd_verify },
	{ "sign", cmd_sign },
	{ "diff", cmd_diff },
	{ "convert", cmd_convert },
	{ "stats", cmd_stats },
};

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-help") == 0 || strcmp(argv[1], "help") == 0) {
		usage_main(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command \"%s\"\n", prog, argv[1]);
	usage_main(stderr);
	return EXIT_USAGE;
}
