/*
 * testutil.h - helpers shared by the cmocka unit tests.
 * Include after <cmocka.h>.
 */
#ifndef TESTS_TESTUTIL_H
#define TESTS_TESTUTIL_H

#include <string.h>

/* Fail, showing both strings, unless hay contains needle. */
#define assert_contains(hay, needle) do {				\
	if (strstr((hay), (needle)) == NULL) {				\
		print_error("\"%s\"\n  does not contain \"%s\"\n",	\
		    (hay), (needle));					\
		fail();							\
	}								\
} while (0)

#endif
