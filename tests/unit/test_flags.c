/*
 * test_flags.c - Go flag package semantics: syntax, values, errors and
 * the usage text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"

#include "testutil.h"

/* A flag set like the programs', with every type. */
struct opts {
	struct flagset	 fs;
	const char	*cache;
	long long	 port;
	int		 v;
	int		 verify;
	double		 refresh;
	double		 ratio;
};

static void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	flags_init(&o->fs, "rtrcache");
	flag_string(&o->fs, "cache", &o->cache, "https://x", "cache URL");
	flag_int(&o->fs, "port", &o->port, 8282, "port");
	flag_bool(&o->fs, "v", &o->v, 0, "verbose");
	flag_bool(&o->fs, "verify", &o->verify, 1, "check signatures");
	flag_duration(&o->fs, "refresh", &o->refresh, 600, "interval");
	flag_float(&o->fs, "ratio", &o->ratio, 0, "ratio");
}

#define ARGC(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* Parse argv (argv[0] is the program) into o; returns flags_parse's. */
static int
run(struct opts *o, int argc, char **argv, int *rest, struct err *e)
{
	memset(e, 0, sizeof(*e));
	*rest = -1;
	return flags_parse(&o->fs, argc, argv, 1, rest, e);
}

static void
test_defaults(void **state)
{
	struct opts	 o;
	struct err	 e;
	char		*argv[] = { "prog" };
	int		 rest;

	(void)state;
	opts_init(&o);
	assert_string_equal(o.cache, "https://x");
	assert_int_equal(o.port, 8282);
	assert_int_equal(o.v, 0);
	assert_int_equal(o.verify, 1);
	assert_true(o.refresh == 600);
	assert_int_equal(run(&o, 1, argv, &rest, &e), 0);
	assert_int_equal(rest, 1);
	assert_false(flags_is_set(&o.fs, "cache"));
	assert_false(flags_is_set(&o.fs, "nosuch"));
	flags_free(&o.fs);
}

static void
test_forms(void **state)
{
	struct opts	 o;
	struct err	 e;
	char		*argv[] = { "prog", "-cache", "a", "-port=5",
	    "--refresh=90s", "--ratio", "0.5", "-v", "pos1", "-port", "7" };
	int		 rest;

	(void)state;
	opts_init(&o);
	assert_int_equal(run(&o, ARGC(argv), argv, &rest, &e), 0);
	assert_string_equal(o.cache, "a");
	assert_ptr_equal(o.cache, argv[2]);	/* not copied */
	assert_int_equal(o.port, 5);
	assert_true(o.refresh == 90);
	assert_true(o.ratio == 0.5);
	assert_int_equal(o.v, 1);
	/* Stops at the first non-flag. */
	assert_int_equal(rest, 8);
	assert_true(flags_is_set(&o.fs, "cache"));
	assert_true(flags_is_set(&o.fs, "port"));
	assert_true(flags_is_set(&o.fs, "v"));
	assert_false(flags_is_set(&o.fs, "verify"));
	flags_free(&o.fs);
}

static void
test_values_like_flags(void **state)
{
	struct opts	 o;
	struct err	 e;
	/* A non-bool flag takes the next argument whatever it looks like. */
	char		*argv[] = { "prog", "-cache", "-v", "--port", "-5",
	    "-cache=", "-port=1", "--port=2" };
	int		 rest;

	(void)state;
	opts_init(&o);
	assert_int_equal(run(&o, 3, argv, &rest, &e), 0);
	assert_string_equal(o.cache, "-v");
	assert_int_equal(o.v, 0);
	assert_int_equal(run(&o, 5, argv, &rest, &e), 0);
	assert_int_equal(o.port, -5);
	/* An empty value after '='; the last of repeated flags wins. */
	assert_int_equal(run(&o, ARGC(argv), argv, &rest, &e), 0);
	assert_string_equal(o.cache, "");
	assert_int_equal(o.port, 2);
	assert_int_equal(rest, ARGC(argv));
	flags_free(&o.fs);
}

static void
test_bool(void **state)
{
	static const struct {
		const char	*arg;
		int		 want;
	} t[] = {
		{ "-v", 1 }, { "--v", 1 }, { "-v=true", 1 }, { "-v=false", 0 },
		{ "-v=1", 1 }, { "-v=0", 0 }, { "-v=t", 1 }, { "-v=F", 0 },
		{ "-v=TRUE", 1 }, { "-v=False", 0 }, { "-verify=false", 0 },
		{ "--verify=f", 0 },
	};
	struct opts	 o;
	struct err	 e;
	char		*argv[2] = { "prog", NULL };
	int		 rest;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		opts_init(&o);
		o.v = !t[i].want;
		o.verify = !t[i].want;
		argv[1] = (char *)t[i].arg;
		assert_int_equal(run(&o, 2, argv, &rest, &e), 0);
		if ((strstr(t[i].arg, "verify") ? o.verify : o.v) !=
		    t[i].want) {
			print_error("%s: want %d\n", t[i].arg, t[i].want);
			fail();
		}
		flags_free(&o.fs);
	}
}

/* "-v false" is -v, then "false" as the first positional argument. */
static void
test_bool_no_separate_value(void **state)
{
	struct opts	 o;
	struct err	 e;
	char		*argv[] = { "prog", "-v", "false", "-port=1" };
	int		 rest;

	(void)state;
	opts_init(&o);
	assert_int_equal(run(&o, ARGC(argv), argv, &rest, &e), 0);
	assert_int_equal(o.v, 1);
	assert_int_equal(rest, 2);
	assert_string_equal(argv[rest], "false");
	assert_int_equal(o.port, 8282);
	flags_free(&o.fs);
}

static void
test_terminators(void **state)
{
	struct opts	 o;
	struct err	 e;
	char		*a1[] = { "prog", "-v", "--", "-port", "5" };
	char		*a2[] = { "prog", "-", "-v" };
	char		*a3[] = { "prog", "file", "-v" };
	char		*a4[] = { "prog", "-v", "--" };
	int		 rest;

	(void)state;
	opts_init(&o);
	/* "--" ends the flags and is consumed. */
	assert_int_equal(run(&o, ARGC(a1), a1, &rest, &e), 0);
	assert_int_equal(rest, 3);
	assert_int_equal(o.v, 1);
	assert_int_equal(o.port, 8282);
	assert_int_equal(run(&o, ARGC(a4), a4, &rest, &e), 0);
	assert_int_equal(rest, 3);
	/* "-" alone is a positional argument. */
	o.v = 0;
	assert_int_equal(run(&o, ARGC(a2), a2, &rest, &e), 0);
	assert_int_equal(rest, 1);
	assert_int_equal(o.v, 0);
	/* Parsing stops at the first non-flag. */
	assert_int_equal(run(&o, ARGC(a3), a3, &rest, &e), 0);
	assert_int_equal(rest, 1);
	assert_int_equal(o.v, 0);
	flags_free(&o.fs);
}

static void
test_start_index(void **state)
{
	struct opts	 o;
	struct err	 e;
	char		*argv[] = { "prog", "serve", "-port", "9", "x" };
	int		 rest;

	(void)state;
	opts_init(&o);
	assert_int_equal(flags_parse(&o.fs, ARGC(argv), argv, 2, &rest, &e),
	    0);
	assert_int_equal(o.port, 9);
	assert_int_equal(rest, 4);
	flags_free(&o.fs);
}

static void
expect_error(const char *arg1, const char *arg2, const char *want)
{
	struct opts	 o;
	struct err	 e;
	char		*argv[3] = { "prog", (char *)arg1, (char *)arg2 };
	int		 rest;

	opts_init(&o);
	if (run(&o, arg2 ? 3 : 2, argv, &rest, &e) != -1) {
		print_error("%s %s: accepted\n", arg1, arg2 ? arg2 : "");
		fail();
	}
	assert_string_equal(e.msg, want);
	flags_free(&o.fs);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("-x", NULL, "flag provided but not defined: -x");
	expect_error("--xyz=1", NULL, "flag provided but not defined: -xyz");
	expect_error("-hx", NULL, "flag provided but not defined: -hx");
	expect_error("-port", NULL, "flag needs an argument: -port");
	expect_error("--cache", NULL, "flag needs an argument: -cache");
	expect_error("-port=abc", NULL,
	    "invalid value \"abc\" for flag -port: parse error");
	expect_error("-port", "12abc",
	    "invalid value \"12abc\" for flag -port: parse error");
	expect_error("-port=", NULL,
	    "invalid value \"\" for flag -port: parse error");
	expect_error("-refresh=1x", NULL,
	    "invalid value \"1x\" for flag -refresh: parse error");
	expect_error("-ratio=abc", NULL,
	    "invalid value \"abc\" for flag -ratio: parse error");
	/* Go words the bool case differently. */
	expect_error("-v=yes", NULL,
	    "invalid boolean value \"yes\" for -v: parse error");
	expect_error("-verify=", NULL,
	    "invalid boolean value \"\" for -verify: parse error");
	expect_error("---x", NULL, "bad flag syntax: ---x");
	expect_error("-=x", NULL, "bad flag syntax: -=x");
	expect_error("--=x", NULL, "bad flag syntax: --=x");
}

static void
test_help(void **state)
{
	static const char *const helps[] = { "-h", "-help", "--help", "--h",
	    "-h=1", "-help=x" };
	struct opts	 o;
	struct flagset	 fs;
	struct err	 e;
	char		*argv[3] = { "prog", NULL, "-v" };
	int		 rest, h = 0, help = 0;
	size_t		 i;

	(void)state;
	opts_init(&o);
	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		argv[1] = (char *)helps[i];
		if (run(&o, 3, argv, &rest, &e) != 1) {
			print_error("%s: want 1\n", helps[i]);
			fail();
		}
	}
	/* Flags before -h are still parsed. */
	argv[1] = "-v";
	argv[2] = "-h";
	o.v = 0;
	assert_int_equal(run(&o, 3, argv, &rest, &e), 1);
	assert_int_equal(o.v, 1);
	flags_free(&o.fs);

	/* Defined, they are ordinary flags. */
	flags_init(&fs, "prog");
	flag_bool(&fs, "h", &h, 0, "host mode");
	flag_bool(&fs, "help", &help, 0, "help");
	argv[1] = "-h";
	argv[2] = "-help";
	assert_int_equal(flags_parse(&fs, 3, argv, 1, &rest, &e), 0);
	assert_int_equal(h, 1);
	assert_int_equal(help, 1);
	flags_free(&fs);
}

static void
test_ints(void **state)
{
	static const struct {
		const char	*in;
		int		 ok;
		long long	 want;
	} t[] = {
		{ "0", 1, 0 }, { "42", 1, 42 }, { "-5", 1, -5 }, { "+7", 1, 7 },
		{ "0x10", 1, 16 }, { "0X1f", 1, 31 }, { "-0x10", 1, -16 },
		{ "010", 1, 8 }, { "-010", 1, -8 }, { "0o17", 1, 15 },
		{ "0O17", 1, 15 }, { "0b101", 1, 5 }, { "00", 1, 0 },
		{ "9223372036854775807", 1, 9223372036854775807LL },
		{ "-9223372036854775807", 1, -9223372036854775807LL },
		{ "9223372036854775808", 0, 0 }, { "08", 0, 0 },
		{ "0x", 0, 0 }, { "0b2", 0, 0 }, { "0o8", 0, 0 }, { "", 0, 0 },
		{ "-", 0, 0 }, { "--5", 0, 0 }, { "+-5", 0, 0 },
		{ "1_000", 0, 0 }, { "5 ", 0, 0 }, { " 5", 0, 0 },
		{ "- 5", 0, 0 }, { "0x 5", 0, 0 }, { "1.0", 0, 0 },
		{ "1e3", 0, 0 }, { "abc", 0, 0 },
	};
	struct opts	 o;
	struct err	 e;
	char		 arg[64];
	char		*argv[2] = { "prog", arg };
	int		 rest, rc;
	size_t		 i;

	(void)state;
	opts_init(&o);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(arg, sizeof(arg), "-port=%s", t[i].in);
		o.port = 1234;
		rc = run(&o, 2, argv, &rest, &e);
		if (rc != (t[i].ok ? 0 : -1)) {
			print_error("\"%s\": want %s\n", t[i].in, t[i].ok ?
			    "ok" : "error");
			fail();
		}
		if (t[i].ok)
			assert_int_equal(o.port, t[i].want);
		else
			assert_int_equal(o.port, 1234);
	}
	flags_free(&o.fs);
}

static void
test_floats(void **state)
{
	struct opts	 o;
	struct err	 e;
	char		*argv[2] = { "prog", NULL };
	int		 rest;

	(void)state;
	opts_init(&o);
	argv[1] = "-ratio=1.5";
	assert_int_equal(run(&o, 2, argv, &rest, &e), 0);
	assert_true(o.ratio == 1.5);
	argv[1] = "-ratio=-2e3";
	assert_int_equal(run(&o, 2, argv, &rest, &e), 0);
	assert_true(o.ratio == -2000);
	argv[1] = "-ratio=";
	assert_int_equal(run(&o, 2, argv, &rest, &e), -1);
	argv[1] = "-ratio=1.5x";
	assert_int_equal(run(&o, 2, argv, &rest, &e), -1);
	argv[1] = "-ratio= 1.5";
	assert_int_equal(run(&o, 2, argv, &rest, &e), -1);
	assert_true(o.ratio == -2000);
	flags_free(&o.fs);
}

static void
test_durations(void **state)
{
	static const struct {
		const char	*in;
		double		 want;
	} ok[] = {
		{ "90s", 90 }, { "1h30m", 5400 }, { "1.5h", 5400 },
		{ "300ms", 0.3 }, { "600", 600 }, { "0", 0 }, { "-0", 0 },
		{ "+0", 0 }, { "0s", 0 }, { "1.5", 1.5 }, { "-1.5h", -5400 },
		{ "+5s", 5 }, { "1h2m3s", 3723 }, { "2h45m30.5s", 9930.5 },
		{ "1ns", 1e-9 }, { "1us", 1e-6 }, { "1\xc2\xb5s", 1e-6 },
		{ "1\xce\xbcs", 1e-6 }, { "1m1ms", 60.001 }, { ".5s", 0.5 },
		{ "1.s", 1 }, { "1h1h", 7200 }, { "10m", 600 },
		{ "007s", 7 },
	};
	static const char *const bad[] = { "1x", "", "-", "+", "s", "h",
	    "1h2", ".s", ".", "-.s", "1e3s", "1e3", "0x10", "0x10s", "--5",
	    "+-5s", " 5", "5 ", "1 h", " 1h", "inf", "nan", "infs", "1hm",
	    "1.2.3s", "1..5s", "1sm", "1H", "-s", "1h-5m" };
	double	d;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		d = -12345;
		if (duration_parse(ok[i].in, &d) != 0) {
			print_error("\"%s\" refused\n", ok[i].in);
			fail();
		}
		if (fabs(d - ok[i].want) > 1e-9 * (fabs(ok[i].want) > 1 ?
		    fabs(ok[i].want) : 1)) {
			print_error("\"%s\": want %g, have %g\n", ok[i].in,
			    ok[i].want, d);
			fail();
		}
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (duration_parse(bad[i], &d) != -1) {
			print_error("\"%s\" accepted as %g\n", bad[i], d);
			fail();
		}
	}
}

static void
test_duration_flag(void **state)
{
	struct opts	 o;
	struct err	 e;
	char		*argv[] = { "prog", "-refresh", "1h30m", "--refresh=1.5h",
	    "-refresh=600", "-refresh=300ms" };
	int		 rest;

	(void)state;
	opts_init(&o);
	assert_int_equal(run(&o, 3, argv, &rest, &e), 0);
	assert_true(o.refresh == 5400);
	assert_int_equal(run(&o, 4, argv, &rest, &e), 0);
	assert_true(o.refresh == 5400);
	assert_int_equal(run(&o, 5, argv, &rest, &e), 0);
	assert_true(o.refresh == 600);
	assert_int_equal(run(&o, 6, argv, &rest, &e), 0);
	assert_true(fabs(o.refresh - 0.3) < 1e-12);
	flags_free(&o.fs);
}

static char *
usage_text(const struct flagset *fs)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	flags_usage(fs, fp);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_usage(void **state)
{
	struct flagset	 fs;
	const char	*s1, *s2;
	long long	 i1, i2;
	int		 b1, b2;
	double		 d1, d2, d3, d4, f1;
	char		*out;
	const char	*want =
	    "Usage of rtrcache:\n"
	    "  -cache string\n"
	    "    \tURL of the VRP file (default \"https://rpki.cloudflare.com"
	    "/rpki.json\")\n"
	    "  -empty string\n"
	    "    \tEmpty default\n"
	    "  -expire duration\n"
	    "    \tExpiry (default 2h0m0s)\n"
	    "  -port int\n"
	    "    \tPort (default 8282)\n"
	    "  -ratio float\n"
	    "    \tRatio (default 0.5)\n"
	    "  -refresh duration\n"
	    "    \tRefresh interval (default 10m0s)\n"
	    "  -timeout duration\n"
	    "    \tNo default\n"
	    "  -v\tVerbose\n"
	    "  -verify\n"
	    "    \tCheck signature (default true)\n"
	    "  -wait duration\n"
	    "    \tWait (default 1m30s)\n"
	    "  -zero int\n"
	    "    \tZero default\n";

	(void)state;
	flags_init(&fs, "rtrcache");
	flag_string(&fs, "cache", &s1,
	    "https://rpki.cloudflare.com/rpki.json", "URL of the VRP file");
	flag_int(&fs, "port", &i1, 8282, "Port");
	flag_bool(&fs, "v", &b1, 0, "Verbose");
	flag_bool(&fs, "verify", &b2, 1, "Check signature");
	flag_duration(&fs, "refresh", &d1, 600, "Refresh interval");
	flag_duration(&fs, "timeout", &d2, 0, "No default");
	flag_float(&fs, "ratio", &f1, 0.5, "Ratio");
	flag_string(&fs, "empty", &s2, "", "Empty default");
	flag_int(&fs, "zero", &i2, 0, "Zero default");
	flag_duration(&fs, "expire", &d3, 7200, "Expiry");
	flag_duration(&fs, "wait", &d4, 90, "Wait");
	out = usage_text(&fs);
	assert_string_equal(out, want);
	free(out);

	/* The synopsis line follows the first line. */
	fs.synopsis = "  rtrcache [flags] file";
	out = usage_text(&fs);
	assert_int_equal(strncmp(out, "Usage of rtrcache:\n  rtrcache [flags]"
	    " file\n  -cache string\n", 56), 0);
	free(out);
	flags_free(&fs);

	/* No flags at all. */
	flags_init(&fs, "x");
	out = usage_text(&fs);
	assert_string_equal(out, "Usage of x:\n");
	free(out);
	flags_free(&fs);
}

static void
test_many_flags(void **state)
{
	struct flagset	 fs;
	long long	 v[100];
	char		 names[100][8], arg[32];
	char		*argv[2] = { "prog", arg };
	struct err	 e;
	int		 i, rest;

	(void)state;
	/* More than the initial capacity. */
	flags_init(&fs, "prog");
	for (i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d", i);
		flag_int(&fs, names[i], &v[i], i, "n");
	}
	assert_int_equal(fs.nflags, 100);
	snprintf(arg, sizeof(arg), "-f99=7");
	assert_int_equal(flags_parse(&fs, 2, argv, 1, &rest, &e), 0);
	assert_int_equal(v[99], 7);
	assert_int_equal(v[98], 98);
	assert_true(flags_is_set(&fs, "f99"));
	assert_false(flags_is_set(&fs, "f9"));
	flags_free(&fs);
	assert_int_equal(fs.nflags, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_values_like_flags),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_bool_no_separate_value),
		cmocka_unit_test(test_terminators),
		cmocka_unit_test(test_start_index),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_duration_flag),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_many_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
