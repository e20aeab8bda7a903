/*
 * test_misc.c - the small helpers of common/: hex and base64, the output
 * buffer and its JSON strings, Prometheus text, atomic file output and
 * whole-file reads, and the two-channel logger.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "encoding.h"
#include "fileio.h"
#include "log.h"
#include "prom.h"

#include "testutil.h"

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- hex ---------------------------------------------------------------- */

static void
test_hex(void **state)
{
	static const uint8_t	 bytes[] = { 0x00, 0x01, 0xab, 0xff, 0x10 };
	uint8_t			 in[64], out[64];
	char			 txt[129];
	uint64_t		 s = 0x4e58;
	size_t			 len, i;

	(void)state;
	hex_encode(bytes, sizeof(bytes), txt);
	assert_string_equal(txt, "0001abff10");
	hex_encode(bytes, 0, txt);
	assert_string_equal(txt, "");
	assert_int_equal(hex_decode("0001ABff10", 10, out, sizeof(out)), 5);
	assert_memory_equal(out, bytes, 5);

	for (len = 0; len <= sizeof(in); len++) {
		for (i = 0; i < len; i++)
			in[i] = (uint8_t)rnd(&s);
		hex_encode(in, len, txt);
		assert_int_equal(strlen(txt), 2 * len);
		assert_int_equal(hex_decode(txt, 2 * len, out, len),
		    (long)len);
		assert_memory_equal(out, in, len);
	}

	/* Rejections. */
	assert_int_equal(hex_decode("abc", 3, out, sizeof(out)), -1);
	assert_int_equal(hex_decode("a", 1, out, sizeof(out)), -1);
	assert_int_equal(hex_decode("zz", 2, out, sizeof(out)), -1);
	assert_int_equal(hex_decode("0g", 2, out, sizeof(out)), -1);
	assert_int_equal(hex_decode("g0", 2, out, sizeof(out)), -1);
	assert_int_equal(hex_decode(" 0", 2, out, sizeof(out)), -1);
	assert_int_equal(hex_decode("0x", 2, out, sizeof(out)), -1);
	assert_int_equal(hex_decode("00\0" "0", 4, out, sizeof(out)), -1);
	/* Too long for the output, by one byte. */
	assert_int_equal(hex_decode("000102", 6, out, 2), -1);
	assert_int_equal(hex_decode("000102", 6, out, 3), 3);
	assert_int_equal(hex_decode("", 0, out, 0), 0);
	/* Only slen bytes are read. */
	assert_int_equal(hex_decode("0102zz", 4, out, 2), 2);
}

/* ---- base64 ------------------------------------------------------------- */

static void
test_base64_vectors(void **state)
{
	/* RFC 4648 section 10. */
	static const char *const plain[] = { "", "f", "fo", "foo", "foob",
	    "fooba", "foobar" };
	static const char *const std[] = { "", "Zg==", "Zm8=", "Zm9v",
	    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	static const char *const url[] = { "", "Zg", "Zm8", "Zm9v",
	    "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	static const uint8_t hi[] = { 0xfb, 0xff, 0xbf };
	char	*enc;
	uint8_t	*dec;
	size_t	 i, n;

	(void)state;
	for (i = 0; i < 7; i++) {
		enc = base64_encode((const uint8_t *)plain[i],
		    strlen(plain[i]), 0);
		assert_string_equal(enc, std[i]);
		free(enc);
		enc = base64_encode((const uint8_t *)plain[i],
		    strlen(plain[i]), 1);
		assert_string_equal(enc, url[i]);
		free(enc);
		dec = base64_decode(std[i], strlen(std[i]), 0, &n);
		assert_non_null(dec);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(dec, plain[i], n);
		free(dec);
		dec = base64_decode(url[i], strlen(url[i]), 1, &n);
		assert_non_null(dec);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(dec, plain[i], n);
		free(dec);
		/* URL-safe input may carry padding. */
		dec = base64_decode(std[i], strlen(std[i]), 1, &n);
		assert_non_null(dec);
		assert_int_equal(n, strlen(plain[i]));
		free(dec);
	}
	/* The two alphabets differ in 62 and 63. */
	enc = base64_encode(hi, 3, 0);
	assert_string_equal(enc, "+/+/");
	free(enc);
	enc = base64_encode(hi, 3, 1);
	assert_string_equal(enc, "-_-_");
	free(enc);
	enc = base64_encode(hi, 2, 1);
	assert_string_equal(enc, "-_8");
	free(enc);
}

static void
test_base64_roundtrip(void **state)
{
	uint8_t		 in[300], *dec;
	char		*enc;
	uint64_t	 s = 0xb64;
	size_t		 len, i, n;
	int		 url;

	(void)state;
	for (len = 0; len < sizeof(in); len++) {
		for (i = 0; i < len; i++)
			in[i] = (uint8_t)rnd(&s);
		for (url = 0; url < 2; url++) {
			enc = base64_encode(in, len, url);
			assert_non_null(enc);
			if (url) {
				assert_null(strchr(enc, '='));
				assert_null(strchr(enc, '+'));
				assert_null(strchr(enc, '/'));
			} else
				assert_int_equal(strlen(enc) % 4, 0);
			dec = base64_decode(enc, strlen(enc), url, &n);
			assert_non_null(dec);
			assert_int_equal(n, len);
			assert_memory_equal(dec, in, len);
			free(dec);
			/* The other alphabet may refuse, or agree. */
			dec = base64_decode(enc, strlen(enc), !url, &n);
			if (dec != NULL) {
				assert_int_equal(n, len);
				assert_memory_equal(dec, in, len);
			}
			free(dec);
			free(enc);
		}
	}
}

static void
test_base64_reject(void **state)
{
	static const struct {
		const char	*s;
		int		 url;
	} bad[] = {
		{ "Zg", 0 },		/* std needs padding */
		{ "Zm8", 0 },
		{ "Z", 1 },		/* 6 bits: never valid */
		{ "Zm9vY", 1 },
		{ "Z===", 0 },
		{ "====", 0 },
		{ "Zg=a", 0 },		/* padding in the middle */
		{ "Zg==Zg==", 0 },
		{ "Z=g=", 1 },
		{ "Zm9v!A==", 0 },
		{ "Zm9v*", 1 },
		{ "Zm9v.A==", 0 },
		{ "-_8=", 0 },		/* URL alphabet in std mode */
		{ "+/8", 1 },		/* std alphabet in URL mode */
		{ "Zm 9", 0 },
		{ " Zm9v", 0 },
		/* EVP_DecodeBlock trims white space: we must not. */
		{ "Zm9v    ", 0 },
		{ "    Zm9v", 0 },
		{ "Zm9v\n\n\n\n", 0 },
		{ "Zm9v\r\n\r\n", 0 },
		{ "Zm9v\t\t\t\t", 1 },
		{ "Zm9\0", 0 },
	};
	size_t	 i, n;
	uint8_t	*dec;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].s);

		if (i == sizeof(bad) / sizeof(bad[0]) - 1)
			len = 4;	/* with its NUL */
		dec = base64_decode(bad[i].s, len, bad[i].url, &n);
		if (dec != NULL) {
			print_error("\"%s\" (url %d) accepted, %zu bytes\n",
			    bad[i].s, bad[i].url, n);
			free(dec);
			fail();
		}
	}
}

/* ---- buf and JSON strings ----------------------------------------------- */

static void
test_buf(void **state)
{
	struct buf	b = { 0 };
	char		big[1000];
	size_t		i;

	(void)state;
	buf_puts(&b, "abc");
	buf_add(&b, "de", 2);
	buf_printf(&b, "%d-%s", 42, "x");
	assert_int_equal(b.len, 9);
	assert_string_equal(b.data, "abcde42-x");
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 100; i++)
		buf_printf(&b, "%s", big);
	assert_int_equal(b.len, 9 + 100 * 999);
	assert_int_equal(b.data[b.len], '\0');
	assert_true(b.cap > b.len);
	assert_false(buf_failed(&b));
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_add(&b, "\0x", 2);		/* binary safe */
	assert_int_equal(b.len, 2);
	assert_int_equal(b.data[1], 'x');
	assert_non_null(buf_reserve(&b, 5000));
	assert_true(b.cap >= 5003);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len + b.cap, 0);
	/* Usable again after free. */
	buf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	buf_free(&b);
}

static void
test_json_string(void **state)
{
	static const struct {
		const char	*in, *out;
	} t[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "l1\nl2", "\"l1\\nl2\"" },
		{ "\t\r", "\"\\t\\r\"" },
		{ "\x01\x1f", "\"\\u0001\\u001f\"" },
		{ "\b\f", "\"\\u0008\\u000c\"" },
		{ "\x7f", "\"\x7f\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"" },
		{ "</script>", "\"</script>\"" },
	};
	struct buf	 b = { 0 };
	char		 all[128];
	cJSON		*j;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&b);
		buf_json_string(&b, t[i].in);
		assert_string_equal(b.data, t[i].out);
	}
	/* Every ASCII character survives a trip through cJSON. */
	for (i = 1; i < 128; i++)
		all[i - 1] = (char)i;
	all[127] = '\0';
	buf_reset(&b);
	buf_json_string(&b, all);
	j = cJSON_Parse(b.data);
	assert_non_null(j);
	assert_true(cJSON_IsString(j));
	assert_string_equal(j->valuestring, all);
	cJSON_Delete(j);
	buf_free(&b);
}

/* ---- Prometheus --------------------------------------------------------- */

static void
test_prom_header(void **state)
{
	struct buf b = { 0 };

	(void)state;
	prom_header(&b, "rpki_vrps", "gauge",
	    "VRPs \"served\", a\\b\nnext line");
	/* HELP escapes backslash and newline only. */
	assert_string_equal(b.data,
	    "# HELP rpki_vrps VRPs \"served\", a\\\\b\\nnext line\n"
	    "# TYPE rpki_vrps gauge\n");
	buf_free(&b);
}

static void
test_prom_sample(void **state)
{
	static const char *const labels[] = { "ta", "ri\"pe", "path",
	    "C:\\dir\nx", "empty", "" };
	static const struct {
		double		 v;
		const char	*out;
	} vals[] = {
		{ 0, " 0\n" }, { 1, " 1\n" }, { -5, " -5\n" },
		{ 0.5, " 0.5\n" }, { -0.25, " -0.25\n" },
		{ 123456789012.0, " 123456789012\n" },
		{ 999999999999999.0, " 999999999999999\n" },
		{ 1e15, " 1000000000000000\n" },
		{ 1e300, " 1.0000000000000001e+300\n" },
		{ -1e300, " -1.0000000000000001e+300\n" },
		{ 9.3e18, " 9.3e+18\n" },
		{ 1.5e-7, " 1.4999999999999999e-07\n" },
	};
	struct buf	b = { 0 };
	size_t		i;

	(void)state;
	prom_sample(&b, "up", NULL, 0, 1);
	assert_string_equal(b.data, "up 1\n");
	buf_reset(&b);
	prom_sample(&b, "rpki_vrps", labels, 3, 42);
	assert_string_equal(b.data, "rpki_vrps{ta=\"ri\\\"pe\","
	    "path=\"C:\\\\dir\\nx\",empty=\"\"} 42\n");
	buf_reset(&b);
	prom_sample(&b, "m", labels, 1, NAN);
	assert_string_equal(b.data, "m{ta=\"ri\\\"pe\"} NaN\n");
	buf_reset(&b);
	prom_sample(&b, "m", NULL, 0, INFINITY);
	assert_string_equal(b.data, "m +Inf\n");
	buf_reset(&b);
	prom_sample(&b, "m", NULL, 0, -INFINITY);
	assert_string_equal(b.data, "m -Inf\n");
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		buf_reset(&b);
		prom_sample(&b, "m", NULL, 0, vals[i].v);
		if (strcmp(b.data + 1, vals[i].out) != 0) {
			print_error("%g: want \"m%s\", have \"%s\"\n",
			    vals[i].v, vals[i].out, b.data);
			fail();
		}
	}
	/* Each written value reads back as the same double. */
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		buf_reset(&b);
		prom_sample(&b, "m", NULL, 0, vals[i].v);
		assert_true(strtod(b.data + 2, NULL) == vals[i].v);
	}
	buf_free(&b);
}

/* ---- fileio ------------------------------------------------------------- */

static char tmpdir[64];

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_misc.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown_dir(void **state)
{
	DIR		*d = opendir(tmpdir);
	struct dirent	*de;
	char		 path[512];

	(void)state;
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

/* Number of directory entries of tmpdir, and whether name is one. */
static int
dir_count(const char *name, int *found)
{
	DIR		*d = opendir(tmpdir);
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(d);
	*found = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		if (name != NULL && strcmp(de->d_name, name) == 0)
			*found = 1;
	}
	closedir(d);
	return n;
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
expect_content(const char *path, const char *want)
{
	char		*data;
	size_t		 len;
	struct err	 e;

	if (file_read_all(path, 1 << 20, &data, &len, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(len, strlen(want));
	assert_string_equal(data, want);
	free(data);
}

static void
test_atomic_commit(void **state)
{
	struct atomic_file	 af;
	struct err		 e;
	struct stat		 st;
	char			 path[256];
	int			 found;

	(void)state;
	snprintf(path, sizeof(path), "%s/out.txt", tmpdir);
	unlink(path);
	assert_int_equal(atomic_open(&af, path, &e), 0);
	assert_non_null(af.fp);
	fputs("hello\n", af.fp);
	/* Not there until committed; only the temporary file is. */
	assert_int_equal(dir_count("out.txt", &found), 1);
	assert_false(found);
	assert_int_equal(atomic_commit(&af, &e), 0);
	assert_null(af.fp);
	assert_int_equal(dir_count("out.txt", &found), 1);
	assert_true(found);
	expect_content(path, "hello\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	/* Replacing an existing file. */
	assert_int_equal(atomic_open(&af, path, &e), 0);
	fputs("second\n", af.fp);
	expect_content(path, "hello\n");
	assert_int_equal(atomic_commit(&af, &e), 0);
	expect_content(path, "second\n");
	assert_int_equal(dir_count(NULL, &found), 1);
	unlink(path);
}

static void
test_atomic_abort(void **state)
{
	struct atomic_file	 af;
	struct err		 e;
	char			 path[256];
	int			 found;

	(void)state;
	snprintf(path, sizeof(path), "%s/keep.txt", tmpdir);
	write_file(path, "old\n", 4);
	assert_int_equal(atomic_open(&af, path, &e), 0);
	fputs("new content that must not appear\n", af.fp);
	fflush(af.fp);
	assert_int_equal(dir_count(NULL, &found), 2);
	atomic_abort(&af);
	assert_null(af.fp);
	assert_null(af.tmppath);
	expect_content(path, "old\n");
	/* No temporary file left behind. */
	assert_int_equal(dir_count("keep.txt", &found), 1);
	assert_true(found);

	/* Abort with no target yet: nothing at all remains. */
	unlink(path);
	assert_int_equal(atomic_open(&af, path, &e), 0);
	fputs("x", af.fp);
	atomic_abort(&af);
	assert_int_equal(dir_count(NULL, &found), 0);
}

static void
test_atomic_errors(void **state)
{
	struct atomic_file	af;
	struct err		e;

	(void)state;
	memset(&af, 0x5a, sizeof(af));
	assert_int_equal(atomic_open(&af, "/nonexistent/dir/out.txt", &e),
	    -1);
	assert_contains(e.msg, "/nonexistent/dir/out.txt");
	assert_contains(e.msg, "No such file or directory");
	assert_null(af.fp);
	assert_null(af.path);
	assert_null(af.tmppath);

	/* "-" is standard output, committed without a rename. */
	assert_int_equal(atomic_open(&af, "-", &e), 0);
	assert_ptr_equal(af.fp, stdout);
	assert_null(af.tmppath);
	assert_int_equal(atomic_commit(&af, &e), 0);
}

static void
test_read_all(void **state)
{
	char		 path[256], *data, *big;
	size_t		 len, i, bigsz = 3 * 1024 * 1024 + 17;
	struct err	 e;

	(void)state;
	snprintf(path, sizeof(path), "%s/in.bin", tmpdir);
	write_file(path, "0123456789", 10);
	assert_int_equal(file_read_all(path, 10, &data, &len, &e), 0);
	assert_int_equal(len, 10);
	assert_string_equal(data, "0123456789");	/* NUL-terminated */
	free(data);

	/* One byte over the limit: refused, naming the path. */
	data = (char *)1;
	assert_int_equal(file_read_all(path, 9, &data, &len, &e), -1);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_contains(e.msg, path);
	assert_contains(e.msg, "larger than the limit of 9 bytes");

	/* Empty file: a valid empty string. */
	write_file(path, "", 0);
	assert_int_equal(file_read_all(path, 10, &data, &len, &e), 0);
	assert_int_equal(len, 0);
	assert_non_null(data);
	assert_int_equal(data[0], '\0');
	free(data);

	/* Several reallocations, binary content. */
	big = malloc(bigsz);
	assert_non_null(big);
	for (i = 0; i < bigsz; i++)
		big[i] = (char)(i * 7 + i / 4096);
	write_file(path, big, bigsz);
	assert_int_equal(file_read_all(path, bigsz, &data, &len, &e), 0);
	assert_int_equal(len, bigsz);
	assert_memory_equal(data, big, bigsz);
	assert_int_equal(data[bigsz], '\0');
	free(data);
	assert_int_equal(file_read_all(path, bigsz - 1, &data, &len, &e), -1);
	assert_contains(e.msg, "larger than the limit");
	free(big);
	unlink(path);

	/* Missing file and directory. */
	assert_int_equal(file_read_all(path, 10, &data, &len, &e), -1);
	assert_contains(e.msg, path);
	assert_contains(e.msg, "No such file or directory");
	assert_int_equal(file_read_all(tmpdir, 10, &data, &len, &e), -1);
	assert_contains(e.msg, tmpdir);
}

/* ---- log ---------------------------------------------------------------- */

struct capture {
	char	*buf;
	size_t	 len;
	FILE	*fp;
};

static void
cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->buf, &c->len);
	assert_non_null(c->fp);
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_log_levels(void **state)
{
	struct capture	c;
	struct logger	lg;

	(void)state;
	cap_open(&c);
	log_init(&lg, "test", c.fp);
	assert_int_equal(lg.level[LOG_OPS], LOG_INFO);
	assert_int_equal(lg.level[LOG_DATA], LOG_INFO);
	lg.level[LOG_DATA] = LOG_WARN;
	log_data(&lg, LOG_INFO, "data info %d", 1);	/* filtered */
	log_data(&lg, LOG_DEBUG, "data debug");		/* filtered */
	log_data(&lg, LOG_WARN, "data warn");
	log_data(&lg, LOG_ERROR, "data error");
	log_ops(&lg, LOG_INFO, "ops info %s", "x");
	log_ops(&lg, LOG_DEBUG, "ops debug");		/* filtered */
	lg.level[LOG_OPS] = LOG_DEBUG;
	log_ops(&lg, LOG_DEBUG, "ops debug2");
	lg.level[LOG_OPS] = LOG_ERROR;
	log_ops(&lg, LOG_WARN, "ops warn");		/* filtered */
	fflush(c.fp);
	assert_int_equal(count_lines(c.buf), 4);
	assert_null(strstr(c.buf, "data info"));
	assert_null(strstr(c.buf, "debug\n"));
	assert_null(strstr(c.buf, "ops warn"));
	assert_contains(c.buf, "Z warn  data data warn\n");
	assert_contains(c.buf, "Z error data data error\n");
	assert_contains(c.buf, "Z info  ops  ops info x\n");
	assert_contains(c.buf, "Z debug ops  ops debug2\n");
	fclose(c.fp);
	free(c.buf);

	/* No logger, or no stream: nothing happens. */
	log_ops(NULL, LOG_ERROR, "nothing");
	lg.fp = NULL;
	log_ops(&lg, LOG_ERROR, "nothing");
}

static void
test_log_text_time(void **state)
{
	struct capture	c;
	struct logger	lg;
	struct tm	tm;
	const char	*rest;
	time_t		t, now = time(NULL);

	(void)state;
	cap_open(&c);
	log_init(&lg, "test", c.fp);
	log_ops(&lg, LOG_INFO, "hello");
	fflush(c.fp);
	/* "2024-01-02T03:04:05.678Z info  ops  hello\n", UTC. */
	memset(&tm, 0, sizeof(tm));
	rest = strptime(c.buf, "%Y-%m-%dT%H:%M:%S", &tm);
	assert_non_null(rest);
	assert_true(rest[0] == '.' && rest[4] == 'Z');
	assert_true(rest[1] >= '0' && rest[1] <= '9');
	t = timegm(&tm);
	assert_true(t >= now - 5 && t <= now + 5);
	assert_string_equal(rest + 5, " info  ops  hello\n");
	fclose(c.fp);
	free(c.buf);
}

static void
test_log_json(void **state)
{
	static const char *const msgs[] = { "plain",
	    "quote \" backslash \\ newline \n tab \t cr \r",
	    "ctrl \x01\x1f del \x7f", "caf\xc3\xa9", "" };
	struct capture	 c;
	struct logger	 lg;
	char		*line, *next;
	cJSON		*j, *f;
	size_t		 i = 0;

	(void)state;
	cap_open(&c);
	log_init(&lg, "test", c.fp);
	lg.json = 1;
	lg.level[LOG_DATA] = LOG_DEBUG;
	log_data(&lg, LOG_DEBUG, "%s", msgs[0]);
	log_ops(&lg, LOG_WARN, "%s", msgs[1]);
	log_data(&lg, LOG_ERROR, "%s", msgs[2]);
	log_ops(&lg, LOG_INFO, "%s", msgs[3]);
	log_ops(&lg, LOG_INFO, "%s", msgs[4]);
	log_ops(&lg, LOG_DEBUG, "filtered");
	fflush(c.fp);
	assert_int_equal(count_lines(c.buf), 5);
	for (line = c.buf; *line != '\0'; line = next + 1, i++) {
		static const char *const lv[] = { "debug", "warn", "error",
		    "info", "info" };
		static const char *const ch[] = { "data", "ops", "data",
		    "ops", "ops" };

		next = strchr(line, '\n');
		assert_non_null(next);
		*next = '\0';
		j = cJSON_Parse(line);
		if (j == NULL) {
			print_error("not JSON: %s\n", line);
			fail();
		}
		f = cJSON_GetObjectItemCaseSensitive(j, "msg");
		assert_true(cJSON_IsString(f));
		assert_string_equal(f->valuestring, msgs[i]);
		f = cJSON_GetObjectItemCaseSensitive(j, "level");
		assert_true(cJSON_IsString(f));
		assert_string_equal(f->valuestring, lv[i]);
		f = cJSON_GetObjectItemCaseSensitive(j, "channel");
		assert_true(cJSON_IsString(f));
		assert_string_equal(f->valuestring, ch[i]);
		f = cJSON_GetObjectItemCaseSensitive(j, "time");
		assert_true(cJSON_IsString(f));
		assert_int_equal(strlen(f->valuestring), 24);
		assert_int_equal(f->valuestring[23], 'Z');
		cJSON_Delete(j);
	}
	assert_int_equal(i, 5);
	fclose(c.fp);
	free(c.buf);
}

static void
test_log_level_parse(void **state)
{
	static const struct {
		const char	*s;
		int		 want;
	} t[] = {
		{ "error", LOG_ERROR }, { "ERROR", LOG_ERROR },
		{ "warn", LOG_WARN }, { "Warning", LOG_WARN },
		{ "info", LOG_INFO }, { "Info", LOG_INFO },
		{ "debug", LOG_DEBUG }, { "DEBUG", LOG_DEBUG },
		{ "verbose", -1 }, { "", -1 }, { "warn ", -1 }, { "err", -1 },
		{ "trace", -1 },
	};
	enum log_level	lvl;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		lvl = (enum log_level)99;
		if (t[i].want < 0) {
			assert_int_equal(log_level_parse(t[i].s, &lvl), -1);
			assert_int_equal(lvl, 99);
		} else {
			assert_int_equal(log_level_parse(t[i].s, &lvl), 0);
			assert_int_equal(lvl, t[i].want);
		}
	}
}

/* ---- err ---------------------------------------------------------------- */

static void
test_err(void **state)
{
	struct err	e;
	char		long_s[600];

	(void)state;
	assert_int_equal(err_set(&e, "%s: %d", "x", 5), -1);
	assert_string_equal(e.msg, "x: 5");
	assert_int_equal(err_prefix(&e, "file %s", "a.json"), -1);
	assert_string_equal(e.msg, "file a.json: x: 5");
	assert_int_equal(err_set(NULL, "ignored"), -1);
	assert_int_equal(err_prefix(NULL, "ignored"), -1);
	/* Truncated, always terminated. */
	memset(long_s, 'z', sizeof(long_s) - 1);
	long_s[sizeof(long_s) - 1] = '\0';
	err_set(&e, "%s", long_s);
	assert_int_equal(strlen(e.msg), ERR_MSG_MAX - 1);
	err_prefix(&e, "%s", long_s);
	assert_int_equal(strlen(e.msg), ERR_MSG_MAX - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_base64_roundtrip),
		cmocka_unit_test(test_base64_reject),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_prom_header),
		cmocka_unit_test(test_prom_sample),
		cmocka_unit_test(test_atomic_commit),
		cmocka_unit_test(test_atomic_abort),
		cmocka_unit_test(test_atomic_errors),
		cmocka_unit_test(test_read_all),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_log_text_time),
		cmocka_unit_test(test_log_json),
		cmocka_unit_test(test_log_level_parse),
		cmocka_unit_test(test_err),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
