/*
 * test_vfuzz.c - every object parser of the validator on damaged input:
 * one object of each type from a repository rpki-repogen writes (DER,
 * as a real repository publishes them) and the shared fixtures, each
 * mutated thousands of times (bit flips, byte changes, truncation,
 * insertion, deletion, length bytes set to extremes), from a fixed seed.
 * A parser must return an object or refuse with a diagnostic naming the
 * file, never crash or leak (the ASan+UBSan build runs this too), and
 * must give the same answer twice for the same bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aspa.h"
#include "cert.h"
#include "crl.h"
#include "mft.h"
#include "roa.h"
#include "tal.h"

#include "fuzzutil.h"
#include "testutil.h"
#include "vtestutil.h"

/* Mutations per sample object (each is parsed twice). */
#define ROUNDS	4000

enum kind { K_CER, K_CRL, K_ROA, K_MFT, K_ASA, K_TAL, K_N };

static const char *const exts[K_N] = {
	".cer", ".crl", ".roa", ".mft", ".asa", ".tal",
};

/* One sample file of each kind from the generated repository. */
static char	 samples[K_N][PATH_MAX];
static char	 tmpdir[] = "/tmp/vfuzzXXXXXX";

static struct fz	 fz = { 0x9e3779b97f4a7c15ULL };

static uint32_t
rnd(uint32_t n)
{
	return fz_rnd(&fz, n);
}

static int
pick(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t	 k, n = strlen(path);

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	for (k = 0; k < K_N; k++)
		if (samples[k][0] == '\0' && n > 4 &&
		    strcmp(path + n - 4, exts[k]) == 0 &&
		    strstr(path, "/ta/") == NULL)	/* a CA's, not a TA */
			snprintf(samples[k], sizeof(samples[k]), "%s", path);
	return 0;
}

static int
rm_visit(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(path);
}

static int
setup(void **state)
{
	char	 exe[PATH_MAX], cmd[3 * PATH_MAX], sub[PATH_MAX + 16];
	ssize_t	 n;

	(void)state;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "'%s/repogen/rpki-repogen' -o '%s/r' "
	    "-seed 3 -cas 12 -roas 24 -tas 1 -rirs 2 -hosts 2 "
	    "-now 2025-01-01T00:00:00Z -q", exe, tmpdir);
	if (system(cmd) != 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s/r", tmpdir);
	return nftw(sub, pick, 16, FTW_PHYS);
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_visit, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Parse buf as kind k.  Returns 1 if it parsed, 0 if it was refused with
 * a diagnostic that names the file.
 */
static int
parse(enum kind k, const uint8_t *buf, size_t len)
{
	struct err	 e;
	void		*obj = NULL;

	e.msg[0] = '\0';
	switch (k) {
	case K_CER:
		obj = cert_parse("f.cer", buf, len, &e);
		cert_free(obj);
		break;
	case K_CRL:
		obj = crl_parse("f.crl", buf, len, &e);
		crl_free(obj);
		break;
	case K_ROA:
		obj = roa_parse("f.roa", buf, len, &e);
		roa_free(obj);
		break;
	case K_MFT:
		obj = mft_parse("f.mft", buf, len, &e);
		mft_free(obj);
		break;
	case K_ASA:
		obj = aspa_parse("f.asa", buf, len, &e);
		aspa_obj_free(obj);
		break;
	case K_TAL:
		obj = tal_parse("f.tal", (const char *)buf, len, &e);
		tal_free(obj);
		break;
	default:
		fail();
	}
	if (obj != NULL)
		return 1;
	assert_contains(e.msg, "f.");
	return 0;
}

/* One random change to buf (len bytes, room for len + 16). */
static size_t
mutate(uint8_t *buf, size_t len)
{
	size_t	 i = len ? rnd((uint32_t)len) : 0, n, k;
	uint32_t op = rnd(FZ_NEDITS + 3);

	if (op < FZ_NEDITS)
		return fz_edit(&fz, (enum fz_edit)op, buf, len, 16);
	switch (op - FZ_NEDITS) {
	case 0:		/* insert up to 16 bytes */
		n = 1 + rnd(16);
		memmove(buf + i + n, buf + i, len - i);
		for (k = 0; k < n; k++)
			buf[i + k] = (uint8_t)rnd(256);
		return len + n;
	case 1:		/* a length-looking byte set to an extreme */
		if (len)
			buf[i] = rnd(2) ? 0x80 : (uint8_t)(0x81 + rnd(4));
		return len;
	default:	/* 0xff or 0x00 run */
		n = 1 + rnd(8);
		if (i + n > len)
			n = len - i;
		memset(buf + i, rnd(2) ? 0xff : 0x00, n);
		return len;
	}
}

static void
fuzz_kind(enum kind k, const char *path)
{
	uint8_t		*orig, *buf;
	size_t		 len, n, r, parsed = 0;
	int		 a, b;

	orig = vt_read(path, &len);
	assert_int_equal(parse(k, orig, len), 1);	/* the sample is good */
	assert_non_null(buf = malloc(len + 16 * 8 + 1));
	for (r = 0; r < ROUNDS; r++) {
		memcpy(buf, orig, len);
		n = len;
		for (a = 1 + (int)rnd(3); a > 0; a--)
			n = mutate(buf, n);
		a = parse(k, buf, n);
		b = parse(k, buf, n);
		assert_int_equal(a, b);
		parsed += (size_t)a;
	}
	/* Most damage must be noticed; a little (unused bits, a flipped
	 * bit inside a signature that is not checked here) may pass. */
	if (parsed > ROUNDS / 2)
		fail_msg("%s: %zu of %d mutations still parsed", path, parsed,
		    ROUNDS);
	free(buf);
	free(orig);
}

static void
test_generated(void **state)
{
	size_t	 k;

	(void)state;
	for (k = 0; k < K_N; k++) {
		if (samples[k][0] == '\0')
			fail_msg("no %s in the generated repository", exts[k]);
		fuzz_kind((enum kind)k, samples[k]);
	}
}

static void
test_fixtures(void **state)
{
	(void)state;
	fuzz_kind(K_CER, FIXTURE("ta.cer"));
	fuzz_kind(K_CER, FIXTURE("ca1.cer"));
	fuzz_kind(K_CER, FIXTURE("router.cer"));
	fuzz_kind(K_CRL, FIXTURE("ca1.crl"));
	fuzz_kind(K_TAL, FIXTURE("ripe.tal"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
