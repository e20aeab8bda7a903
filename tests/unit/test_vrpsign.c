/*
 * test_vrpsign.c - GoRTR/OctoRPKI signatures over VRP files: the shared
 * fixtures, sign/verify round trips, tampering, garbage signatures and
 * key loading.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "fileio.h"
#include "vrpfile.h"
#include "vrpsign.h"

#include "testutil.h"

#define SIGNED	SHARED_DIR "/fixtures/signed/"
#define DEMO_PUB SIGNED "demo-fixture.pub.pem"
#define CF_PUB	SHARED_DIR "/fixtures/gortr/cf.pub"

static void
load_fixture(const char *path, int flags, struct vrpfile *f)
{
	struct err e;

	if (vrpfile_load(path, flags, f, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
}

static EVP_PKEY *
load_pub(const char *path)
{
	struct err	 e;
	EVP_PKEY	*k = vrpsign_load_pubkey(path, &e);

	if (k == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	return k;
}

/* ---- the shared fixtures ------------------------------------------------ */

static void
test_fixture_valid(void **state)
{
	static const char *const names[] = { SIGNED "valid-asn-string.json",
	    SIGNED "valid-asn-number.json" };
	EVP_PKEY	*key = load_pub(DEMO_PUB);
	struct vrpfile	 f;
	struct err	 e;
	size_t		 i;

	(void)state;
	for (i = 0; i < 2; i++) {
		load_fixture(names[i], VRPFILE_SIGLINES, &f);
		memset(&e, 0, sizeof(e));
		if (vrpsign_verify(key, &f, 1, time(NULL), &e) !=
		    VRPSIGN_OK) {
			print_error("%s: %s\n", names[i], e.msg);
			fail();
		}
		assert_int_equal(vrpsign_verify(key, &f, 0, time(NULL), &e),
		    VRPSIGN_OK);
		/* valid is 2100-01-01: a check then is expired. */
		assert_int_equal(vrpsign_verify(key, &f, 1, 4102444800, &e),
		    VRPSIGN_EXPIRED);
		assert_int_equal(vrpsign_verify(key, &f, 1, 4102444799, &e),
		    VRPSIGN_OK);
		vrpfile_free(&f);
	}
	EVP_PKEY_free(key);
}

static void
test_fixture_tampered(void **state)
{
	EVP_PKEY	*key = load_pub(DEMO_PUB);
	struct vrpfile	 f;
	struct err	 e;

	(void)state;
	load_fixture(SIGNED "tampered-roa.json", VRPFILE_SIGLINES, &f);
	assert_int_equal(vrpsign_verify(key, &f, 1, time(NULL), &e),
	    VRPSIGN_BAD);
	assert_contains(e.msg, "metadata.signatureDate");
	assert_contains(e.msg, "does not verify");
	/* The ROA signature fails whether or not times are checked. */
	assert_int_equal(vrpsign_verify(key, &f, 0, time(NULL), &e),
	    VRPSIGN_BAD);
	vrpfile_free(&f);
	EVP_PKEY_free(key);
}

static void
test_fixture_expired(void **state)
{
	EVP_PKEY	*key = load_pub(DEMO_PUB);
	struct vrpfile	 f;
	struct err	 e;

	(void)state;
	load_fixture(SIGNED "expired.json", VRPFILE_SIGLINES, &f);
	assert_int_equal(f.meta.valid, 1577869200);	/* 2020-01-01 09:00 */
	assert_int_equal(vrpsign_verify(key, &f, 1, time(NULL), &e),
	    VRPSIGN_EXPIRED);
	assert_contains(e.msg, "expired");
	assert_contains(e.msg, "1577869200");
	assert_int_equal(vrpsign_verify(key, &f, 0, time(NULL), &e),
	    VRPSIGN_OK);
	/* Before its valid time the file is fine. */
	assert_int_equal(vrpsign_verify(key, &f, 1, 1577869199, &e),
	    VRPSIGN_OK);
	vrpfile_free(&f);
	EVP_PKEY_free(key);
}

static void
test_fixture_wrong_key(void **state)
{
	EVP_PKEY	*cf = load_pub(CF_PUB);
	struct vrpfile	 f;
	struct err	 e;

	(void)state;
	load_fixture(SIGNED "valid-asn-string.json", VRPFILE_SIGLINES, &f);
	assert_int_equal(vrpsign_verify(cf, &f, 0, time(NULL), &e),
	    VRPSIGN_BAD);
	assert_contains(e.msg, "does not verify with this key");
	vrpfile_free(&f);
	EVP_PKEY_free(cf);
}

static void
test_fixture_unsigned_or_no_lines(void **state)
{
	EVP_PKEY	*key = load_pub(DEMO_PUB);
	struct vrpfile	 f;
	struct err	 e;

	(void)state;
	/* GoRTR's test file has no signatures. */
	load_fixture(SHARED_DIR "/fixtures/gortr/test.rpki.json",
	    VRPFILE_SIGLINES, &f);
	assert_int_equal(vrpsign_verify(key, &f, 0, time(NULL), &e),
	    VRPSIGN_BAD);
	assert_contains(e.msg, "not signed");
	vrpfile_free(&f);

	/* Read without VRPFILE_SIGLINES: cannot be checked. */
	load_fixture(SIGNED "valid-asn-string.json", 0, &f);
	assert_int_equal(vrpsign_verify(key, &f, 0, time(NULL), &e),
	    VRPSIGN_BAD);
	assert_contains(e.msg, "signature lines");
	vrpfile_free(&f);
	EVP_PKEY_free(key);
}

/* ---- digests ------------------------------------------------------------ */

static void
sha256(const char *s, uint8_t out[32])
{
	unsigned int n = 32;

	assert_int_equal(EVP_Digest(s, strlen(s), out, &n, EVP_sha256(),
	    NULL), 1);
}

static void
test_digests_known_answer(void **state)
{
	struct siglines	sl;
	uint8_t		d1[32], d2[32], w1[32], w2[32];

	(void)state;
	memset(&sl, 0, sizeof(sl));
	assert_int_equal(siglines_add(&sl, "10.0.0.0/8", 8, "AS2"), 0);
	assert_int_equal(siglines_add(&sl, "10.0.0.0/16", 24, "AS1"), 0);
	assert_int_equal(siglines_add(&sl, "2001:db8::/32", 48, "65000"), 0);
	assert_int_equal(sl.n, 3);
	assert_int_equal(vrpsign_digests(&sl, 100, 200, d1, d2), 0);
	/* Sorted bytewise: "10.0.0.0/16" < "10.0.0.0/8" ('1' < '8'). */
	sha256("10.0.0.0/16,24,AS1,10.0.0.0/8,8,AS2,2001:db8::/32,48,65000,",
	    w1);
	sha256("100,10.0.0.0/16,24,AS1,10.0.0.0/8,8,AS2,"
	    "2001:db8::/32,48,65000,200", w2);
	assert_memory_equal(d1, w1, 32);
	assert_memory_equal(d2, w2, 32);
	siglines_free(&sl);

	/* No lines: S is empty. */
	assert_int_equal(vrpsign_digests(&sl, 1, 2, d1, d2), 0);
	sha256("", w1);
	sha256("1,2", w2);
	assert_memory_equal(d1, w1, 32);
	assert_memory_equal(d2, w2, 32);
}

/* ---- sign and verify ---------------------------------------------------- */

static EVP_PKEY *
gen_key(const char *curve)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);

	assert_non_null(k);
	return k;
}

/* The public half of k, loaded back through vrpsign_pubkey_from_pem. */
static EVP_PKEY *
public_half(EVP_PKEY *k)
{
	BIO		*bio = BIO_new(BIO_s_mem());
	char		*pem;
	long		 len;
	EVP_PKEY	*pub;
	struct err	 e;

	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PUBKEY(bio, k), 1);
	len = BIO_get_mem_data(bio, &pem);
	assert_true(len > 0);
	pub = vrpsign_pubkey_from_pem(pem, (size_t)len, "mem", &e);
	if (pub == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	BIO_free(bio);
	return pub;
}

static struct vrpset *
sample_set(uint8_t maxlen0)
{
	static const char *const p[] = { "10.0.0.0/8", "192.0.2.0/24",
	    "2001:db8::/32", "10.0.0.0/16" };
	struct vrpset_builder	*b = vrpset_builder_new();
	struct vrp		 v;
	struct err		 e;
	size_t			 i;

	for (i = 0; i < 4; i++) {
		memset(&v, 0, sizeof(v));
		assert_int_equal(prefix_parse(p[i], &v, &e), 0);
		v.maxlen = i == 0 ? maxlen0 : v.plen;
		v.asn = 65000 + (uint32_t)i;
		v.ta = (uint16_t)vrpset_builder_ta(b, "ripe");
		assert_int_equal(vrpset_add_vrp(b, &v), 0);
	}
	return vrpset_build(b);
}

/* Sign s with key at the given times, into m (caller frees). */
static void
sign_set(EVP_PKEY *key, const struct vrpset *s, int64_t generated,
    int64_t valid, struct vrpfile_meta *m)
{
	struct siglines	sl;
	struct err	e;

	memset(&sl, 0, sizeof(sl));
	memset(m, 0, sizeof(*m));
	m->generated = generated;
	m->valid = valid;
	m->has_generated = m->has_valid = 1;
	assert_int_equal(siglines_from_set(&sl, s), 0);
	if (vrpsign_sign(key, &sl, m, &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_non_null(m->signature);
	assert_non_null(m->signature_date);
	siglines_free(&sl);
}

/* Write s with m as an OctoRPKI file, read it back with its lines. */
static void
reread(const struct vrpset *s, const struct vrpfile_meta *m,
    struct vrpfile *f)
{
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*fp = open_memstream(&buf, &len);
	struct err	 e;

	assert_non_null(fp);
	assert_int_equal(vrpfile_write(fp, s, VRPFILE_OCTORPKI, m), 0);
	assert_int_equal(fclose(fp), 0);
	if (vrpfile_parse(buf, len, "mem.json", VRPFILE_SIGLINES, f,
	    &e) != 0) {
		print_error("%s\n", e.msg);
		fail();
	}
	free(buf);
}

static void
test_sign_verify_roundtrip(void **state)
{
	EVP_PKEY		*key = gen_key("P-256"), *pub, *other;
	struct vrpset		*s = sample_set(8), *s2 = sample_set(9);
	struct vrpfile_meta	 m, m2;
	struct vrpfile		 f;
	struct err		 e;
	time_t			 now = time(NULL);

	(void)state;
	pub = public_half(key);
	sign_set(key, s, now - 60, now + 3600, &m);

	reread(s, &m, &f);
	assert_int_equal(vrpsign_verify(pub, &f, 1, now, &e), VRPSIGN_OK);
	assert_int_equal(vrpsign_verify(key, &f, 1, now, &e), VRPSIGN_OK);
	assert_int_equal(vrpsign_verify(pub, &f, 1, now + 3600, &e),
	    VRPSIGN_EXPIRED);
	vrpfile_free(&f);

	/* Another key does not verify it. */
	other = gen_key("P-256");
	reread(s, &m, &f);
	assert_int_equal(vrpsign_verify(other, &f, 0, now, &e), VRPSIGN_BAD);
	vrpfile_free(&f);
	EVP_PKEY_free(other);

	/* One ROA changed after signing. */
	reread(s2, &m, &f);
	assert_int_equal(vrpsign_verify(pub, &f, 0, now, &e), VRPSIGN_BAD);
	assert_contains(e.msg, "signatureDate");
	assert_int_equal(vrpsign_verify(pub, &f, 1, now, &e), VRPSIGN_BAD);
	vrpfile_free(&f);

	/* valid changed after signing: only the time signature breaks. */
	m2 = m;
	m2.valid += 1;
	reread(s, &m2, &f);
	assert_int_equal(vrpsign_verify(pub, &f, 1, now, &e), VRPSIGN_BAD);
	assert_contains(e.msg, "metadata.signature:");
	assert_int_equal(vrpsign_verify(pub, &f, 0, now, &e), VRPSIGN_OK);
	vrpfile_free(&f);

	/* Likewise generated. */
	m2 = m;
	m2.generated -= 1;
	reread(s, &m2, &f);
	assert_int_equal(vrpsign_verify(pub, &f, 1, now, &e), VRPSIGN_BAD);
	assert_int_equal(vrpsign_verify(pub, &f, 0, now, &e), VRPSIGN_OK);
	vrpfile_free(&f);

	/* The two signatures swapped. */
	m2 = m;
	m2.signature = m.signature_date;
	m2.signature_date = m.signature;
	reread(s, &m2, &f);
	assert_int_equal(vrpsign_verify(pub, &f, 0, now, &e), VRPSIGN_BAD);
	vrpfile_free(&f);

	/* Time checks need both times. */
	m2 = m;
	m2.has_valid = 0;
	reread(s, &m2, &f);
	assert_int_equal(vrpsign_verify(pub, &f, 0, now, &e), VRPSIGN_OK);
	assert_int_equal(vrpsign_verify(pub, &f, 1, now, &e), VRPSIGN_BAD);
	assert_contains(e.msg, "metadata.valid missing");
	vrpfile_free(&f);

	vrpfile_meta_free(&m);
	vrpset_unref(s);
	vrpset_unref(s2);
	EVP_PKEY_free(key);
	EVP_PKEY_free(pub);
}

static void
test_sign_expired_and_order(void **state)
{
	EVP_PKEY		*key = gen_key("P-256");
	struct vrpset		*s = sample_set(8);
	struct vrpfile_meta	 m;
	struct vrpfile		 f;
	struct err		 e;
	time_t			 now = time(NULL);

	(void)state;
	sign_set(key, s, now - 7200, now - 10, &m);
	reread(s, &m, &f);
	assert_int_equal(vrpsign_verify(key, &f, 1, now, &e),
	    VRPSIGN_EXPIRED);
	assert_contains(e.msg, "seconds in the past");
	assert_int_equal(vrpsign_verify(key, &f, 0, now, &e), VRPSIGN_OK);
	/* valid == now is expired already; one second before is not. */
	assert_int_equal(vrpsign_verify(key, &f, 1, now - 10, &e),
	    VRPSIGN_EXPIRED);
	assert_int_equal(vrpsign_verify(key, &f, 1, now - 11, &e),
	    VRPSIGN_OK);
	/* Verifying twice (lines sorted in place) gives the same answer. */
	assert_int_equal(vrpsign_verify(key, &f, 1, now - 11, &e),
	    VRPSIGN_OK);
	vrpfile_free(&f);

	/* Signing needs both times. */
	m.has_valid = 0;
	{
		struct siglines sl;

		memset(&sl, 0, sizeof(sl));
		assert_int_equal(vrpsign_sign(key, &sl, &m, &e), -1);
		assert_contains(e.msg, "generated and valid");
	}
	vrpfile_meta_free(&m);
	vrpset_unref(s);
	EVP_PKEY_free(key);
}

static void
test_garbage_signatures(void **state)
{
	static const char *const junk[] = { "zz", "", "abc", "0",
	    "deadbeef", "3006020101020101", "30440220",
	    "3045022100d32f3d3a164965d34c77eff23e0086ce03b2800dd5af78a9c395ab"
	    "61c7ea5f010220062f78724de80511f3953c9b7d1260ff5093ac80d604a3bb63"
	    "c3a27dcc599e5X" };
	EVP_PKEY		*key = gen_key("P-256");
	struct vrpset		*s = sample_set(8);
	struct vrpfile_meta	 m;
	struct vrpfile		 f;
	struct err		 e;
	time_t			 now = time(NULL);
	char			 longhex[1001];
	size_t			 i;

	(void)state;
	memset(longhex, 'a', 1000);
	longhex[1000] = '\0';
	sign_set(key, s, now - 60, now + 3600, &m);
	reread(s, &m, &f);
	assert_int_equal(vrpsign_verify(key, &f, 1, now, &e), VRPSIGN_OK);
	for (i = 0; i <= sizeof(junk) / sizeof(junk[0]); i++) {
		const char *j = i < sizeof(junk) / sizeof(junk[0]) ?
		    junk[i] : longhex;

		/* A bad ROA signature. */
		free(f.meta.signature_date);
		f.meta.signature_date = strdup(j);
		assert_int_equal(vrpsign_verify(key, &f, 0, now, &e),
		    VRPSIGN_BAD);
		assert_contains(e.msg, "signatureDate");
		free(f.meta.signature_date);
		f.meta.signature_date = strdup(m.signature_date);
		assert_int_equal(vrpsign_verify(key, &f, 1, now, &e),
		    VRPSIGN_OK);

		/* A bad time signature matters only with time checks. */
		free(f.meta.signature);
		f.meta.signature = strdup(j);
		assert_int_equal(vrpsign_verify(key, &f, 1, now, &e),
		    VRPSIGN_BAD);
		assert_int_equal(vrpsign_verify(key, &f, 0, now, &e),
		    VRPSIGN_OK);
		free(f.meta.signature);
		f.meta.signature = strdup(m.signature);
	}
	/* A missing signature. */
	free(f.meta.signature);
	f.meta.signature = NULL;
	assert_int_equal(vrpsign_verify(key, &f, 0, now, &e), VRPSIGN_BAD);
	assert_contains(e.msg, "metadata.signature missing");
	vrpfile_free(&f);
	vrpfile_meta_free(&m);
	vrpset_unref(s);
	EVP_PKEY_free(key);
}

/* ---- key loading ------------------------------------------------------ */

static char tmpdir[64];

static void
tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void
write_pub(EVP_PKEY *k, const char *name)
{
	char	 path[256];
	FILE	*fp;

	tmp_path(path, sizeof(path), name);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(PEM_write_PUBKEY(fp, k), 1);
	assert_int_equal(fclose(fp), 0);
}

static void
write_priv(EVP_PKEY *k, const char *name, int traditional)
{
	char	 path[256];
	BIO	*bio;

	tmp_path(path, sizeof(path), name);
	assert_non_null(bio = BIO_new_file(path, "w"));
	if (traditional)
		assert_int_equal(PEM_write_bio_PrivateKey_traditional(bio, k,
		    NULL, NULL, 0, NULL, NULL), 1);
	else
		assert_int_equal(PEM_write_bio_PrivateKey(bio, k, NULL, NULL,
		    0, NULL, NULL), 1);
	BIO_free(bio);
}

static void
write_text(const char *name, const char *text)
{
	char	 path[256];
	FILE	*fp;

	tmp_path(path, sizeof(path), name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static int
setup_keys(void **state)
{
	EVP_PKEY *p256, *p384, *rsa;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_vrpsign.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	if (p256 == NULL || p384 == NULL || rsa == NULL)
		return -1;
	write_pub(p256, "p256.pub");
	write_priv(p256, "p256-ec.key", 1);
	write_priv(p256, "p256-pkcs8.key", 0);
	write_pub(p384, "p384.pub");
	write_priv(p384, "p384.key", 0);
	write_pub(rsa, "rsa.pub");
	write_priv(rsa, "rsa.key", 0);
	write_text("notpem.pub", "this is not a key\n");
	write_text("empty.pub", "");
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(rsa);
	return 0;
}

static int
teardown_keys(void **state)
{
	static const char *const names[] = { "p256.pub", "p256-ec.key",
	    "p256-pkcs8.key", "p384.pub", "p384.key", "rsa.pub", "rsa.key",
	    "notpem.pub", "empty.pub" };
	char	path[256];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tmp_path(path, sizeof(path), names[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

static void
expect_load_fail(int private, const char *name, const char *why)
{
	char		 path[256];
	struct err	 e;
	EVP_PKEY	*k;

	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		tmp_path(path, sizeof(path), name);
	memset(&e, 0, sizeof(e));
	k = private ? vrpsign_load_privkey(path, &e) :
	    vrpsign_load_pubkey(path, &e);
	if (k != NULL) {
		print_error("%s loaded\n", path);
		EVP_PKEY_free(k);
		fail();
	}
	assert_contains(e.msg, path);
	assert_contains(e.msg, why);
}

static void
test_load_errors(void **state)
{
	char path[256];

	(void)state;
	expect_load_fail(0, "rsa.pub", "want an EC P-256 key, have a "
	    "rsaEncryption key");
	expect_load_fail(0, "p384.pub", "curve P-256");
	expect_load_fail(0, "p384.pub", "secp384r1");
	expect_load_fail(0, "notpem.pub", "not a PEM public");
	expect_load_fail(0, "empty.pub", "not a PEM public");
	expect_load_fail(0, "missing.pub", "No such file or directory");
	tmp_path(path, sizeof(path), "nodir/missing.pub");
	expect_load_fail(0, path, "No such file");
	/* A private key file is not a public key file, and vice versa. */
	expect_load_fail(0, "p256-ec.key", "not a PEM public");
	expect_load_fail(1, "p256.pub", "not a PEM private");
	expect_load_fail(1, "p384.key", "secp384r1");
	expect_load_fail(1, "rsa.key", "rsaEncryption");
	expect_load_fail(1, "notpem.pub", "not a PEM private");
	expect_load_fail(1, "missing.key", "No such file");
	/* A directory is not a key. */
	expect_load_fail(0, tmpdir, tmpdir);
}

static void
test_load_private_sign(void **state)
{
	static const char *const privs[] = { "p256-ec.key",
	    "p256-pkcs8.key" };
	char			 path[256];
	struct vrpset		*s = sample_set(8);
	struct vrpfile_meta	 m;
	struct vrpfile		 f;
	struct err		 e;
	EVP_PKEY		*priv, *pub;
	size_t			 i;

	(void)state;
	tmp_path(path, sizeof(path), "p256.pub");
	pub = load_pub(path);
	for (i = 0; i < 2; i++) {
		tmp_path(path, sizeof(path), privs[i]);
		priv = vrpsign_load_privkey(path, &e);
		if (priv == NULL) {
			print_error("%s\n", e.msg);
			fail();
		}
		sign_set(priv, s, 1000, 4102444800, &m);
		reread(s, &m, &f);
		assert_int_equal(vrpsign_verify(pub, &f, 1, 2000, &e),
		    VRPSIGN_OK);
		vrpfile_free(&f);
		vrpfile_meta_free(&m);
		EVP_PKEY_free(priv);
	}
	EVP_PKEY_free(pub);
	vrpset_unref(s);
}

static void
check_p256(EVP_PKEY *k)
{
	char	curve[64] = "";
	size_t	len = 0;

	assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_EC);
	assert_int_equal(EVP_PKEY_get_utf8_string_param(k,
	    OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof(curve), &len), 1);
	assert_string_equal(curve, "prime256v1");
	assert_int_equal(EVP_PKEY_get_bits(k), 256);
}

static void
test_gortr_cf_pub(void **state)
{
	EVP_PKEY	*k = load_pub(CF_PUB), *m;
	char		*pem;
	size_t		 len;
	struct err	 e;

	(void)state;
	check_p256(k);
	EVP_PKEY_free(k);

	/* The same from memory. */
	assert_int_equal(file_read_all(CF_PUB, 4096, &pem, &len, &e), 0);
	m = vrpsign_pubkey_from_pem(pem, len, "cf.pub", &e);
	assert_non_null(m);
	check_p256(m);
	EVP_PKEY_free(m);
	/* Cut short, it is not a key. */
	assert_null(vrpsign_pubkey_from_pem(pem, len / 2, "cf.pub", &e));
	assert_contains(e.msg, "cf.pub: not a PEM public key");
	free(pem);

	k = load_pub(DEMO_PUB);
	check_p256(k);
	EVP_PKEY_free(k);
}

static void
test_pubkey_from_pem_wrong_curve(void **state)
{
	EVP_PKEY	*p384 = gen_key("P-384");
	BIO		*bio = BIO_new(BIO_s_mem());
	char		*pem;
	long		 len;
	struct err	 e;

	(void)state;
	assert_int_equal(PEM_write_bio_PUBKEY(bio, p384), 1);
	len = BIO_get_mem_data(bio, &pem);
	assert_null(vrpsign_pubkey_from_pem(pem, (size_t)len, "p384.pem",
	    &e));
	assert_contains(e.msg, "p384.pem");
	assert_contains(e.msg, "secp384r1");
	assert_null(vrpsign_pubkey_from_pem("", 0, "empty", &e));
	assert_contains(e.msg, "empty: not a PEM public key");
	BIO_free(bio);
	EVP_PKEY_free(p384);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_valid),
		cmocka_unit_test(test_fixture_tampered),
		cmocka_unit_test(test_fixture_expired),
		cmocka_unit_test(test_fixture_wrong_key),
		cmocka_unit_test(test_fixture_unsigned_or_no_lines),
		cmocka_unit_test(test_digests_known_answer),
		cmocka_unit_test(test_sign_verify_roundtrip),
		cmocka_unit_test(test_sign_expired_and_order),
		cmocka_unit_test(test_garbage_signatures),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_private_sign),
		cmocka_unit_test(test_gortr_cf_pub),
		cmocka_unit_test(test_pubkey_from_pem_wrong_curve),
	};

	return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
