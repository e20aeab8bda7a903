/*
 * test_hostport.c - Go-style host:port listen addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hostport.h"

static void
test_good(void **state)
{
	static const struct {
		const char *in, *host, *port;
	} t[] = {
		{ ":8282", "", "8282" },
		{ "127.0.0.1:8282", "127.0.0.1", "8282" },
		{ "[::1]:323", "::1", "323" },
		{ "[::]:0", "::", "0" },
		{ "localhost:8080", "localhost", "8080" },
	};
	char	host[64], port[16];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(hostport_split(t[i].in, host, sizeof(host),
		    port, sizeof(port)), 0);
		assert_string_equal(host, t[i].host);
		assert_string_equal(port, t[i].port);
	}
}

static void
test_bad(void **state)
{
	static const char *const t[] = {
		"8282", "::1:8282", "[::1]8282", "[::1", "127.0.0.1:",
		"127.0.0.1:http", "host:80x", ":",
		"averyveryveryveryveryveryveryveryveryveryveryveryveryverylong"
		    "hostname:1",
	};
	char	host[64], port[16];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(hostport_split(t[i], host, sizeof(host),
		    port, sizeof(port)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
