/*
 * test_vcache.c - URIs to files of the repository cache
 * (validator/cache.c): the rsync layout, and every URI that could name
 * a file outside the cache refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

#include "testutil.h"

static void
test_layout(void **state)
{
	char		buf[256];
	struct err	e;

	(void)state;
	assert_int_equal(cache_path("/c", "rsync://h.example/mod/a/b.roa", buf,
	    sizeof(buf), &e), 0);
	assert_string_equal(buf, "/c/h.example/mod/a/b.roa");
	assert_int_equal(cache_path("/c", "https://h.example/ta/ta.cer", buf,
	    sizeof(buf), &e), 0);
	assert_string_equal(buf, "/c/h.example/ta/ta.cer");
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
		"rsync://h/mod/../../etc/passwd",
		"rsync://h/mod/./x.roa",
		"rsync://h/mod//x.roa",
		"rsync://../x.roa",
		"rsync://h/mod/.hidden",
		"rsync://h/mod/dir/",
		"rsync://h/mod/a b.roa",
		"rsync://h/mod/a\\b.roa",
		"rsync://h/mod/\x7f.roa",
		"http://h/mod/x.roa",
		"file:///etc/passwd",
		"/etc/passwd",
		"rsync://",
		"rsync://h",
		"https://h/",
	};
	char		buf[256];
	struct err	e;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.msg[0] = '\0';
		if (cache_path("/c", bad[i], buf, sizeof(buf), &e) != -1)
			fail_msg("accepted %s as %s", bad[i], buf);
		assert_true(e.msg[0] != '\0');
	}
	assert_int_equal(cache_path("/c", "rsync://h/mod/../../etc/passwd",
	    buf, sizeof(buf), &e), -1);
	assert_contains(e.msg, "\"..\"");
	assert_contains(e.msg, "not a plain name");
}

static void
test_too_long(void **state)
{
	char		uri[CACHE_URI_MAX + 64], buf[64];
	struct err	e;

	(void)state;
	memset(uri, 'a', sizeof(uri) - 1);
	uri[sizeof(uri) - 1] = '\0';
	memcpy(uri, "rsync://h/", 10);
	assert_int_equal(cache_path("/c", uri, buf, sizeof(buf), &e), -1);
	/* Fits the URI limit, not the buffer. */
	assert_int_equal(cache_path("/c", "rsync://h/mod/a-rather-long-name-"
	    "that-does-not-fit-in-a-buffer-of-64-bytes.roa", buf, sizeof(buf), &e), -1);
	assert_contains(e.msg, "too long");
}

static void
test_read(void **state)
{
	char		dir[] = "/tmp/vcacheXXXXXX", path[256];
	uint8_t		*data;
	size_t		 len;
	struct err	 e;
	FILE		*fp;
	int		 dfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/h", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/h/m", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/h/m/x.roa", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("0123456789", fp);
	fclose(fp);
	assert_int_equal(cache_read(dir, "rsync://h/m/x.roa", 100, &data,
	    &len, &e), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(data, "0123456789", 10);
	free(data);
	assert_int_equal(cache_read(dir, "rsync://h/m/y.roa", 100, &data,
	    &len, &e), 1);
	assert_int_equal(cache_read(dir, "rsync://h/m/x.roa", 9, &data,
	    &len, &e), 2);
	assert_contains(e.msg, "over the limit");
	/* A symbolic link is not followed. */
	snprintf(path, sizeof(path), "%s/h/m/l.roa", dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	assert_int_equal(cache_read(dir, "rsync://h/m/l.roa", 100, &data,
	    &len, &e), -1);

	/* The same, opened relative to the directory's descriptor. */
	dfd = cache_dir_open(dir, "rsync://h/m/");
	assert_true(dfd >= 0);
	assert_int_equal(cache_read_at(dfd, dir, "rsync://h/m/x.roa", 100,
	    &data, &len, &e), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(data, "0123456789", 10);
	free(data);
	assert_int_equal(cache_read_at(dfd, dir, "rsync://h/m/y.roa", 100,
	    &data, &len, &e), 1);
	assert_int_equal(cache_read_at(dfd, dir, "rsync://h/m/x.roa", 9,
	    &data, &len, &e), 2);
	assert_int_equal(cache_read_at(dfd, dir, "rsync://h/m/l.roa", 100,
	    &data, &len, &e), -1);
	assert_int_equal(cache_read_at(dfd, dir, "rsync://h/m/../x.roa", 100,
	    &data, &len, &e), -1);
	close(dfd);
	assert_int_equal(cache_dir_open(dir, "rsync://h/none/"), -1);
	assert_int_equal(cache_dir_open(dir, "rsync://h/m"), -1);
	assert_int_equal(cache_dir_open(dir, "rsync://h/../"), -1);
	/* A directory that is a symbolic link is not opened either. */
	snprintf(path, sizeof(path), "%s/h/l", dir);
	assert_int_equal(symlink("m", path), 0);
	assert_int_equal(cache_dir_open(dir, "rsync://h/l/"), -1);
	unlink(path);
	snprintf(path, sizeof(path), "%s/h/m/l.roa", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/h/m/x.roa", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/h/m", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/h", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_uri_in(void **state)
{
	(void)state;
	assert_true(cache_uri_in("rsync://h/m/d/x.roa", "rsync://h/m/d/"));
	assert_false(cache_uri_in("rsync://h/m/d/s/x.roa", "rsync://h/m/d/"));
	assert_false(cache_uri_in("rsync://h/m/dx/x.roa", "rsync://h/m/d/"));
	assert_false(cache_uri_in("rsync://h/m/d/", "rsync://h/m/d/"));
	assert_false(cache_uri_in("rsync://h/m/d/x.roa", "rsync://h/m/d"));
}

/* The scheme in any case; the rest, host included, as the cache maps it. */
static void
test_uri_same(void **state)
{
	(void)state;
	assert_true(cache_uri_same("rsync://h/m/x.roa", "rsync://h/m/x.roa"));
	assert_true(cache_uri_same("RSYNC://h/m/x.roa", "rsync://h/m/x.roa"));
	assert_false(cache_uri_same("rsync://h/m/x.roa", "rsync://h/m/y.roa"));
	assert_false(cache_uri_same("rsync://h/m/x.roa", "rsync://H/m/x.roa"));
	assert_false(cache_uri_same("rsync://h/m/x.roa", "rsync://h/m/x.roa/"));
	assert_false(cache_uri_same("https://h/m/x.cer", "rsync://h/m/x.cer"));
	assert_false(cache_uri_same("rsync://h/m/x.roa", "h/m/x.roa"));
	assert_false(cache_uri_same(NULL, "rsync://h/m/x.roa"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_uri_in),
		cmocka_unit_test(test_uri_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
