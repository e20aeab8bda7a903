/*
 * test_vrepogen.c - the certificate-side parsers on a repository written
 * by rpki-repogen (tests/repogen): every TAL, certificate, CRL and the EE
 * certificate of every signed object parses with the purpose its place
 * implies, each signature verifies under the issuer found by its AKI,
 * and every certificate's resources lie within its issuer's.
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

#include "cert.h"
#include "crl.h"
#include "tal.h"

#include "testutil.h"
#include "vtestutil.h"

#define MAXOBJ	512

static struct cert	*certs[MAXOBJ];
static size_t		 ncerts;
static struct crl	*crls[MAXOBJ];
static size_t		 ncrls;
static struct tal	*tals[8];
static size_t		 ntals;
static size_t		 nee, nrouter;

static int
ends_with(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The EE certificate of the signed object at path. */
static struct cert *
ee_of(const char *path)
{
	STACK_OF(X509)	*xs = vt_cms_certs(path);
	RpkiCertificate	*x;
	EVP_PKEY	*pub = NULL;
	struct cert	*c;
	struct err	 e;

	assert_int_equal(sk_X509_num(xs), 1);
	x = vt_lean(sk_X509_value(xs, 0));
	sk_X509_pop_free(xs, X509_free);
	c = cert_take(path, &x, &pub, &e);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(c->purpose, CERT_EE);
	nee++;
	return c;
}

/* A certificate, with the purpose its file name implies. */
static struct cert *
cer_of(const char *path, const uint8_t *der, size_t len)
{
	struct cert	*c;
	struct err	 e;
	enum cert_purpose want = CERT_CA;

	if ((c = cert_parse(path, der, len, &e)) == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	if (strstr(path, "/ta/") != NULL)
		want = CERT_TA;
	else if (strstr(path, "/router-") != NULL) {
		want = CERT_ROUTER;
		nrouter++;
	}
	assert_int_equal(c->purpose, want);
	return c;
}

static int
visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	struct err	 e;
	uint8_t		*der;
	size_t		 len;
	int		 ok = 1;

	(void)sb;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	assert_true(ncerts < MAXOBJ && ncrls < MAXOBJ && ntals < 8);
	if (ends_with(path, ".roa") || ends_with(path, ".mft") ||
	    ends_with(path, ".asa")) {
		certs[ncerts++] = ee_of(path);
		return 0;
	}
	if (!ends_with(path, ".cer") && !ends_with(path, ".crl") &&
	    !ends_with(path, ".tal"))
		return 0;
	der = vt_read(path, &len);
	memset(&e, 0, sizeof(e));
	if (ends_with(path, ".cer"))
		certs[ncerts++] = cer_of(path, der, len);
	else if (ends_with(path, ".tal") &&
	    (tals[ntals++] = tal_parse(path, (char *)der, len, &e)) == NULL)
		ok = 0;
	else if (ends_with(path, ".crl") &&
	    (crls[ncrls++] = crl_parse(path, der, len, &e)) == NULL)
		ok = 0;
	free(der);
	if (!ok) {
		print_error("%s\n", e.msg);
		fail();
	}
	return 0;
}

static int
rm_visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* The CA or TA whose SKI is aki. */
static struct cert *
issuer_of(const uint8_t *aki)
{
	size_t	 i;

	for (i = 0; i < ncerts; i++)
		if ((certs[i]->purpose == CERT_CA ||
		    certs[i]->purpose == CERT_TA) &&
		    memcmp(certs[i]->ski, aki, SKI_LEN) == 0)
			return certs[i];
	return NULL;
}

/* Signatures, containment and the TALs, over everything collected. */
static void
check_tree(void)
{
	struct cert	*c, *iss;
	struct err	 e;
	size_t		 i, j, nta = 0;

	for (i = 0; i < ncerts; i++) {
		c = certs[i];
		if (c->purpose == CERT_TA) {
			nta++;
			for (j = 0; j < ntals; j++)
				if (strstr(c->fn, tals[j]->name) != NULL)
					assert_int_equal(tal_check_ta(tals[j],
					    c, &e), 0);
			assert_int_equal(cert_verify_signature(c, c->pub, &e),
			    0);
			continue;
		}
		iss = issuer_of(c->aki);
		assert_non_null(iss);
		if (cert_verify_signature(c, iss->pub, &e) != 0 ||
		    !ipres_contains(c->fn, iss->res, c->res, &e) ||
		    ipres_inherit(c->res, iss->res, &e) != 0) {
			print_error("%s\n", e.msg);
			fail();
		}
	}
	assert_int_equal(nta, ntals);
	for (i = 0; i < ncrls; i++) {
		iss = issuer_of(crls[i]->aki);
		assert_non_null(iss);
		assert_int_equal(crl_verify_signature(crls[i], iss->pub, &e),
		    0);
		for (j = 0; j < ncerts; j++)
			assert_false(crl_is_revoked(crls[i], certs[j]));
	}
}

static void
test_repogen(void **state)
{
	char	 exe[PATH_MAX], cmd[3 * PATH_MAX], dir[] = "/tmp/vrepoXXXXXX";
	char	 sub[PATH_MAX + 16];
	ssize_t	 n;
	size_t	 i;

	(void)state;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "'%s/repogen/rpki-repogen' -o '%s/r' "
	    "-seed 1 -cas 18 -roas 30 -tas 2 -rirs 2 -hosts 2 -fanout 2 "
	    "-now 2025-01-01T00:00:00Z -q", exe, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(sub, sizeof(sub), "%s/r/rsync", dir);
	assert_int_equal(nftw(sub, visit, 16, FTW_PHYS), 0);
	snprintf(sub, sizeof(sub), "%s/r/tals", dir);
	assert_int_equal(nftw(sub, visit, 16, FTW_PHYS), 0);
	/* 2 TAs, 18 CAs, the routers, ROA, ASPA and manifest EEs. */
	assert_int_equal(ntals, 2);
	assert_int_equal(ncrls, 20);
	assert_true(nrouter > 0);
	assert_int_equal(nee, ncerts - 20 - nrouter);
	check_tree();
	for (i = 0; i < ncerts; i++)
		cert_free(certs[i]);
	for (i = 0; i < ncrls; i++)
		crl_free(crls[i]);
	for (i = 0; i < ntals; i++)
		tal_free(tals[i]);
	assert_int_equal(nftw(dir, rm_visit, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repogen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
