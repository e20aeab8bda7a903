/*
 * test_vmemo.c - the memo of validated ROAs (validator/memo.c): what is
 * put comes back the same, inherited resources come back as inherit,
 * only used entries survive a save, an unchanged memo is not rewritten,
 * and a file of another build, a damaged one, or one whose values were
 * altered (checksum made to match) gives no entry and never a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "memo.h"
#include "ossl.h"
#include "vrp.h"

static const uint8_t fp_a[MEMO_FP_LEN] = { 1, 2, 3 };
static const uint8_t fp_b[MEMO_FP_LEN] = { 9, 9, 9 };

static char path[64];

static int
setup(void **state)
{
	int	fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_vmemo.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	unlink(path);		/* a memo that does not exist yet */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void
key_of(int i, uint8_t key[MEMO_KEY_LEN])
{
	uint8_t	h[32] = { 0 }, ca[32] = { 7 };

	h[0] = (uint8_t)i;
	memo_key(h, ca, "rsync://example.net/repo/a.roa", key);
}

/* An EE certificate and ROA as the full path leaves them. */
static void
make(int i, struct cert **eep, struct roa **roap)
{
	struct cert	*ee = calloc(1, sizeof(*ee));
	struct roa	*roa = calloc(1, sizeof(*roa));
	struct ipres	*res = calloc(1, sizeof(*res));

	assert_non_null(ee);
	assert_non_null(roa);
	assert_non_null(res);
	ee->purpose = CERT_EE;
	ee->fn = strdup("rsync://example.net/repo/a.roa");
	ee->serial.len = 3;
	memcpy(ee->serial.b, "\x01\x02\x03", 3);
	ee->notbefore = 1700000000 + i;
	ee->notafter = 1800000000;
	ee->aia = strdup("rsync://example.net/repo/ca.cer");
	ee->crldp = strdup("rsync://example.net/repo/ca/ca.crl");
	res->present = IPRES_BIT(IPRES_V4) | IPRES_BIT(IPRES_V6) |
	    IPRES_BIT(IPRES_AS);
	res->naddr[IPRES_V4] = 1;
	res->addr[IPRES_V4] = calloc(1, sizeof(struct ipres_range));
	memcpy(res->addr[IPRES_V4][0].lo, "\xc0\x00\x02\x00", 4);
	memcpy(res->addr[IPRES_V4][0].hi, "\xc0\x00\x02\xff", 4);
	/* IPv6 was inherit, resolved by ipres_inherit: stored as inherit. */
	res->inherited = IPRES_BIT(IPRES_V6);
	res->naddr[IPRES_V6] = 1;
	res->addr[IPRES_V6] = calloc(1, sizeof(struct ipres_range));
	res->nas = 1;
	res->as = calloc(1, sizeof(*res->as));
	res->as[0].lo = 64496;
	res->as[0].hi = 64511;
	ee->res = res;
	roa->asid = 64496 + (uint32_t)i;
	roa->nprefixes = 2;
	roa->prefixes = calloc(2, sizeof(*roa->prefixes));
	roa->prefixes[0].afi = AFI_IPV4;
	memcpy(roa->prefixes[0].addr, "\xc0\x00\x02\x00", 4);
	roa->prefixes[0].plen = 24;
	roa->prefixes[0].maxlen = 24;
	roa->prefixes[1].afi = AFI_IPV6;
	memcpy(roa->prefixes[1].addr, "\x20\x01\x0d\xb8", 4);
	roa->prefixes[1].plen = 32;
	roa->prefixes[1].maxlen = 48;
	*eep = ee;
	*roap = roa;
}

/* A memo at path with entries 0 .. n-1, its trailer keyed with mac. */
static void
write_memo_keyed(int n, const uint8_t *mac)
{
	struct memo	*m;
	struct cert	*ee;
	struct roa	*roa;
	struct err	 e;
	uint8_t		 key[MEMO_KEY_LEN];
	const char	*why;
	int		 i;

	unlink(path);
	assert_non_null(m = memo_open(path, fp_a, mac, &why));
	assert_null(why);
	for (i = 0; i < n; i++) {
		make(i, &ee, &roa);
		key_of(i, key);
		memo_roa_put(m, key, ee, roa);
		cert_free(ee);
		roa_free(roa);
	}
	assert_int_equal(memo_save(m, &e), 0);
	memo_free(m);
}

static void
write_memo(int n)
{
	write_memo_keyed(n, NULL);
}

static void
test_roundtrip(void **state)
{
	struct memo	*m;
	struct cert	*ee, *want;
	struct roa	*roa, *wroa;
	uint8_t		 key[MEMO_KEY_LEN];
	const char	*why;
	size_t		 hits, added;

	(void)state;
	write_memo(2);
	assert_non_null(m = memo_open(path, fp_a, NULL, &why));
	assert_null(why);
	key_of(1, key);
	assert_int_equal(memo_roa_get(m, key, "rsync://x/y/z.roa", &ee, &roa),
	    1);
	make(1, &want, &wroa);
	assert_string_equal(ee->fn, "rsync://x/y/z.roa");
	assert_int_equal(ee->purpose, CERT_EE);
	assert_int_equal(ee->serial.len, 3);
	assert_memory_equal(ee->serial.b, want->serial.b, 3);
	assert_int_equal(ee->notbefore, want->notbefore);
	assert_int_equal(ee->notafter, want->notafter);
	assert_string_equal(ee->aia, want->aia);
	assert_string_equal(ee->crldp, want->crldp);
	assert_int_equal(ee->res->present, want->res->present);
	assert_int_equal(ee->res->inherit, IPRES_BIT(IPRES_V6));
	assert_int_equal(ee->res->naddr[IPRES_V6], 0);
	assert_int_equal(ee->res->naddr[IPRES_V4], 1);
	assert_memory_equal(ee->res->addr[IPRES_V4], want->res->addr[IPRES_V4],
	    sizeof(struct ipres_range));
	assert_int_equal(ee->res->nas, 1);
	assert_int_equal(ee->res->as[0].hi, 64511);
	assert_int_equal(roa->asid, wroa->asid);
	assert_int_equal(roa->nprefixes, 2);
	assert_memory_equal(roa->prefixes, wroa->prefixes,
	    2 * sizeof(*roa->prefixes));
	cert_free(ee);
	roa_free(roa);
	cert_free(want);
	roa_free(wroa);
	key_of(5, key);
	assert_int_equal(memo_roa_get(m, key, "rsync://x/y/z.roa", &ee, &roa),
	    0);
	memo_counts(m, &hits, &added);
	assert_int_equal(hits, 1);
	assert_int_equal(added, 0);
	memo_free(m);
}

/* An ASPA comes back the same, and only as an ASPA. */
static void
test_aspa(void **state)
{
	static const uint32_t prov[3] = { 64500, 64501, 65536 };
	struct memo	*m;
	struct cert	*ee, *ee2;
	struct roa	*roa;
	struct aspa_obj	 a, *got;
	struct err	 e;
	uint8_t		 key[MEMO_KEY_LEN];
	const char	*why;

	(void)state;
	make(0, &ee, &roa);
	roa_free(roa);
	memset(&a, 0, sizeof(a));
	a.customer = 64496;
	a.providers = (uint32_t *)prov;
	a.nproviders = 3;
	key_of(9, key);
	assert_non_null(m = memo_open(path, fp_a, NULL, &why));
	memo_aspa_put(m, key, ee, &a);
	assert_int_equal(memo_save(m, &e), 0);
	memo_free(m);
	assert_non_null(m = memo_open(path, fp_a, NULL, &why));
	assert_null(why);
	assert_int_equal(memo_roa_get(m, key, "u", &ee2, &roa), 0);
	assert_int_equal(memo_aspa_get(m, key, "u", &ee2, &got), 1);
	assert_int_equal(got->customer, 64496);
	assert_int_equal(got->nproviders, 3);
	assert_memory_equal(got->providers, prov, sizeof(prov));
	assert_int_equal(ee2->notbefore, ee->notbefore);
	assert_string_equal(ee2->aia, ee->aia);
	assert_string_equal(ee2->crldp, ee->crldp);
	cert_free(ee2);
	aspa_obj_free(got);
	cert_free(ee);
	memo_free(m);
}

/* Only what a run used is saved; a run that used all rewrites nothing. */
static void
test_save(void **state)
{
	struct memo	*m;
	struct cert	*ee;
	struct roa	*roa;
	struct stat	 st;
	struct err	 e;
	uint8_t		 key[MEMO_KEY_LEN];
	const char	*why;
	ino_t		 ino;

	(void)state;
	write_memo(3);
	assert_non_null(m = memo_open(path, fp_a, NULL, &why));
	key_of(2, key);
	assert_int_equal(memo_roa_get(m, key, "u", &ee, &roa), 1);
	cert_free(ee);
	roa_free(roa);
	assert_int_equal(memo_save(m, &e), 0);
	memo_free(m);

	assert_non_null(m = memo_open(path, fp_a, NULL, &why));
	key_of(0, key);
	assert_int_equal(memo_roa_get(m, key, "u", &ee, &roa), 0);
	key_of(2, key);
	assert_int_equal(memo_roa_get(m, key, "u", &ee, &roa), 1);
	cert_free(ee);
	roa_free(roa);
	assert_int_equal(stat(path, &st), 0);
	ino = st.st_ino;
	assert_int_equal(memo_save(m, &e), 0);
	memo_free(m);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_ino, ino);
}

/*
 * The memo at path, opened for build fp with key mac, is refused for a
 * reason containing want ("" for any) and gives nothing for entry 0.
 */
static void
assert_refused(const uint8_t *fp, const uint8_t *mac, const char *want)
{
	struct memo	*m;
	struct cert	*ee;
	struct roa	*roa;
	uint8_t		 key[MEMO_KEY_LEN];
	const char	*why;

	assert_non_null(m = memo_open(path, fp, mac, &why));
	assert_non_null(why);
	assert_non_null(strstr(why, want));
	key_of(0, key);
	assert_int_equal(memo_roa_get(m, key, "u", &ee, &roa), 0);
	memo_free(m);
}

static void
test_other_build(void **state)
{
	(void)state;
	write_memo(1);
	assert_refused(fp_b, NULL, "another build");
}

/*
 * Keyed with one key, the memo is refused with another or none; and one
 * written without a key (what a writer of the cache could make) is
 * refused by a reader with a key.
 */
static void
test_keyed(void **state)
{
	static const uint8_t k1[MEMO_MAC_LEN] = { 1 }, k2[MEMO_MAC_LEN] = { 2 };
	struct memo	*m;
	struct cert	*ee;
	struct roa	*roa;
	uint8_t		 key[MEMO_KEY_LEN];
	const char	*why;

	(void)state;
	key_of(0, key);
	write_memo_keyed(1, k1);
	assert_non_null(m = memo_open(path, fp_a, k1, &why));
	assert_null(why);
	assert_int_equal(memo_roa_get(m, key, "u", &ee, &roa), 1);
	cert_free(ee);
	roa_free(roa);
	memo_free(m);
	assert_refused(fp_a, k2, "another signing key");
	assert_refused(fp_a, NULL, "");
	write_memo(1);
	assert_refused(fp_a, k1, "");
}

static char *
slurp(size_t *len)
{
	struct err	 e;
	char		*d;

	assert_int_equal(file_read_all(path, MEMO_FILE_MAX, &d, len, &e), 0);
	return d;
}

static void
spill(const char *d, size_t len)
{
	FILE	*fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(d, 1, len, fp), len);
	fclose(fp);
}

/*
 * A memo of format 1 (before the EE's CRL URI was kept), by the same
 * build and checksum-valid, is not read: its values would be misread.
 */
static void
test_old_format(void **state)
{
	uint8_t		 md[32];
	char		*d;
	size_t		 len;

	(void)state;
	write_memo(1);
	d = slurp(&len);
	assert_int_equal(d[8], 2);		/* the format, u32 LE */
	d[8] = 1;
	ossl_sha256(d, len - 32, md);		/* an unkeyed trailer */
	memcpy(d + len - 32, md, 32);
	spill(d, len);
	free(d);
	assert_refused(fp_a, NULL, "not a memo file of this format");
}

static void
test_damaged(void **state)
{
	char		*d;
	size_t		 len, cut;

	(void)state;
	write_memo(2);
	d = slurp(&len);
	d[len / 2] ^= 0x10;
	spill(d, len);
	assert_refused(fp_a, NULL, "checksum");
	d[len / 2] ^= 0x10;
	for (cut = 0; cut < len; cut += 7) {	/* every truncation */
		spill(d, cut);
		assert_refused(fp_a, NULL, "");
	}
	free(d);
}

/*
 * Every byte after the header altered, the checksum made to match, as
 * a bug in a writer could: opening and looking up both entries gives a
 * result or nothing, never a crash or a read out of bounds (ASan).
 */
static void
test_altered_values(void **state)
{
	struct memo	*m;
	struct cert	*ee;
	struct roa	*roa;
	uint8_t		 key[MEMO_KEY_LEN], md[32];
	const char	*why;
	char		*d;
	size_t		 len, i, body = 8 + 4 + MEMO_FP_LEN + 8;
	int		 k, flip, rc;

	(void)state;
	write_memo(2);
	d = slurp(&len);
	for (i = body; i < len - 32; i++)
		for (flip = 0; flip < 2; flip++) {
			d[i] ^= flip ? 0x80 : 0x01;
			ossl_sha256(d, len - 32, md);
			memcpy(d + len - 32, md, 32);
			spill(d, len);
			assert_non_null(m = memo_open(path, fp_a, NULL, &why));
			for (k = 0; k < 2; k++) {
				key_of(k, key);
				rc = memo_roa_get(m, key, "u", &ee, &roa);
				assert_true(rc == 0 || rc == 1);
				if (rc == 1) {
					cert_free(ee);
					roa_free(roa);
				}
			}
			memo_free(m);
			d[i] ^= flip ? 0x80 : 0x01;
		}
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_aspa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_build, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_old_format, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_altered_values, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
