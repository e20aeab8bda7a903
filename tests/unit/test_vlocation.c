/*
 * test_vlocation.c - the validator's checks that an object is where its
 * certificate says it is: the EE certificate of a signed object names
 * the object's own file as its signedObject (RFC 6487 section 4.8.8.2),
 * or the object is rejected; a certificate's caIssuers names the file
 * of its issuer's certificate (section 4.8.7), or that is said and the
 * certificate used (validator/README.md says why each).
 *
 * A repository written by rpki-repogen is changed the way a careless or
 * hostile publisher could change it: a ROA moved to another name and
 * listed there, certificates naming the wrong issuer or object.  Every
 * changed certificate and signed object is signed again with the
 * generator's own keys (its key pool, matched by key identifier), and
 * so is the manifest listing it, so the one thing wrong is the URI.
 * Each case runs the whole validation (walk_run) and checks what was
 * rejected and why, the diagnostic, and the VRPs left.
 *
 * VLOC_KEEP=DIR keeps the changed repositories in DIR, to run other
 * validators on them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "roa.h"
#include "tal.h"
#include "walk.h"

#include "testutil.h"
#include "vtestutil.h"

#define NKEYS	64	/* of the pool: EE keys 0-15, then the CAs' */

/*
 * What rpki-repogen -seed 7 -tas 1 -rirs 1 -cas 4 -hosts 1 writes
 * (tests/repogen/README.md): the TA, its RIR-like CA, three members.
 */
#define TA_CER	"rsync://rpki.ta-0.test/ta/ta-0.cer"
#define TA_PP	"rsync://rpki.ta-0.test/repo/ta-0/"
#define RIR_PP	"rsync://rpki.ta-0.test/repo/rir-0/"
#define MEMBERS	"rsync://repo-1.test/repo/"

static char	 top[] = "/tmp/vlocXXXXXX";
static EVP_PKEY	*keys[NKEYS];
static uint8_t	 kski[NKEYS][SKI_LEN];
static size_t	 nkeys;
static size_t	 clean_vrps;
/*
 * The generation time: the clock's, so that the repositories VLOC_KEEP
 * keeps are valid now for validators that cannot be given another time.
 */
static int64_t	 now;

/* One validation of a copy: its counts, payloads and diagnostics. */
struct run {
	struct walk_stats	 st;
	struct vrpset		*s;
	char			*log;
	size_t			 loglen;
};

/* The decoded parts of a signed object, to sign it again. */
struct so {
	char		 oid[64];
	uint8_t		*ec;
	size_t		 eclen;
	X509		*ee;
};

/* The file of uri in the copy dir of the repository. */
static void
path_of(const char *dir, const char *uri, char *buf, size_t len)
{
	assert_int_equal(strncmp(uri, "rsync://", 8), 0);
	assert_true((size_t)snprintf(buf, len, "%s/%s/rsync/%s", top, dir,
	    uri + 8) < len);
}

static uint8_t *
get(const char *dir, const char *uri, size_t *len)
{
	char	path[PATH_MAX];

	path_of(dir, uri, path, sizeof(path));
	return vt_read(path, len);
}

static void
put(const char *dir, const char *uri, const uint8_t *der, size_t len)
{
	char	 path[PATH_MAX];
	FILE	*fp;

	path_of(dir, uri, path, sizeof(path));
	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(der, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
sha256(const uint8_t *p, size_t n, uint8_t h[SHA256_DIGEST_LENGTH])
{
	assert_int_equal(EVP_Digest(p, n, h, NULL, EVP_sha256(), NULL), 1);
}

/* The pool key whose key identifier is ski: the generator's. */
static EVP_PKEY *
key_of(const unsigned char *ski)
{
	size_t	i;

	for (i = 0; i < nkeys; i++)
		if (memcmp(kski[i], ski, SKI_LEN) == 0)
			return keys[i];
	fail_msg("no key of the pool has this key identifier");
	return NULL;
}

/* The first NKEYS keys of the pool at path, with their identifiers. */
static void
keys_load(const char *path)
{
	X509_PUBKEY		*xp;
	const unsigned char	*pk;
	BIO			*bio;
	int			 pklen;

	assert_non_null(bio = BIO_new_file(path, "r"));
	while (nkeys < NKEYS && (keys[nkeys] = PEM_read_bio_PrivateKey(bio,
	    NULL, NULL, NULL)) != NULL) {
		xp = NULL;
		assert_int_equal(X509_PUBKEY_set(&xp, keys[nkeys]), 1);
		assert_int_equal(X509_PUBKEY_get0_param(NULL, &pk, &pklen,
		    NULL, xp), 1);
		assert_int_equal(EVP_Digest(pk, (size_t)pklen, kski[nkeys],
		    NULL, EVP_sha1(), NULL), 1);
		X509_PUBKEY_free(xp);
		nkeys++;
	}
	BIO_free(bio);
	ERR_clear_error();	/* the end of the file */
}

static X509 *
x509_of(const uint8_t *der, size_t len)
{
	const unsigned char	*p = der;
	X509			*x;

	assert_non_null(x = d2i_X509(NULL, &p, (long)len));
	assert_int_equal(X509_check_purpose(x, -1, 0), 1);
	return x;
}

/*
 * Give x the extension nid (OpenSSL's text form, value) in place of its
 * own and sign it again with its issuer's key.
 */
static void
reissue(X509 *x, int nid, const char *value)
{
	EVP_PKEY	*k = key_of(X509_get0_authority_key_id(x)->data);

	vt_conf_ext(x, nid, value);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
}

static void
so_open(struct so *so, const uint8_t *der, size_t len)
{
	const unsigned char	*p = der;
	CMS_ContentInfo		*cms;
	ASN1_OCTET_STRING	**os;
	STACK_OF(X509)		*xs;

	assert_non_null(cms = d2i_CMS_ContentInfo(NULL, &p, (long)len));
	assert_true(OBJ_obj2txt(so->oid, sizeof(so->oid),
	    CMS_get0_eContentType(cms), 1) > 0);
	assert_true((os = CMS_get0_content(cms)) != NULL && *os != NULL);
	so->eclen = (size_t)ASN1_STRING_length(*os);
	assert_non_null(so->ec = malloc(so->eclen));
	memcpy(so->ec, ASN1_STRING_get0_data(*os), so->eclen);
	assert_non_null(xs = CMS_get1_certs(cms));
	assert_int_equal(sk_X509_num(xs), 1);
	so->ee = sk_X509_shift(xs);
	assert_int_equal(X509_check_purpose(so->ee, -1, 0), 1);
	sk_X509_free(xs);
	CMS_ContentInfo_free(cms);
}

/*
 * The signed object so, signed again as rpki-repogen signs (RFC 6488:
 * sid the key identifier, content-type, message-digest and
 * signing-time, nothing else) with the key of its EE certificate.
 */
static uint8_t *
so_sign(const struct so *so, size_t *len)
{
	const unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	CMS_ContentInfo	*cms;
	CMS_SignerInfo	*si;
	ASN1_OBJECT	*ctype;
	ASN1_TIME	*st;
	BIO		*in;
	unsigned char	*der = NULL;
	int		 n;

	assert_non_null(in = BIO_new_mem_buf(so->ec, (int)so->eclen));
	assert_non_null(ctype = OBJ_txt2obj(so->oid, 1));
	assert_non_null(cms = CMS_sign(NULL, NULL, NULL, NULL, flags));
	assert_int_equal(CMS_set1_eContentType(cms, ctype), 1);
	assert_non_null(si = CMS_add1_signer(cms, so->ee,
	    key_of(X509_get0_subject_key_id(so->ee)->data), EVP_sha256(),
	    flags | CMS_USE_KEYID));
	assert_non_null(st = ASN1_TIME_set(NULL, (time_t)now));
	assert_int_equal(CMS_signed_add1_attr_by_NID(si,
	    NID_pkcs9_signingTime, st->type, st, -1), 1);
	assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY), 1);
	assert_true((n = i2d_CMS_ContentInfo(cms, &der)) > 0);
	CMS_ContentInfo_free(cms);
	ASN1_OBJECT_free(ctype);
	ASN1_TIME_free(st);
	BIO_free(in);
	*len = (size_t)n;
	return der;
}

static void
so_close(struct so *so)
{
	free(so->ec);
	X509_free(so->ee);
}

/*
 * Sign the manifest mft of copy dir again, the n bytes from in its
 * eContent (a file name, or a file's SHA-256; they are there once)
 * replaced by to, and its EE certificate by ee unless that is NULL.
 */
static void
mft_change(const char *dir, const char *mft, const void *from,
    const void *to, size_t n, X509 *ee)
{
	struct so	 so;
	uint8_t		*der, *p;
	size_t		 len;

	der = get(dir, mft, &len);
	so_open(&so, der, len);
	free(der);
	if (n > 0) {
		assert_non_null(p = memmem(so.ec, so.eclen, from, n));
		assert_null(memmem(p + 1, so.eclen - (size_t)(p + 1 - so.ec),
		    from, n));
		memcpy(p, to, n);
	}
	if (ee != NULL) {
		X509_free(so.ee);
		assert_int_equal(X509_up_ref(ee), 1);
		so.ee = ee;
	}
	der = so_sign(&so, &len);
	put(dir, mft, der, len);
	OPENSSL_free(der);
	so_close(&so);
}

/* Publish der as the listed file uri of copy dir, listed so on mft. */
static void
relist(const char *dir, const char *mft, const char *uri,
    const uint8_t *der, size_t len)
{
	uint8_t	*old, h0[SHA256_DIGEST_LENGTH], h1[SHA256_DIGEST_LENGTH];
	size_t	 olen;

	old = get(dir, uri, &olen);
	sha256(old, olen, h0);
	sha256(der, len, h1);
	free(old);
	put(dir, uri, der, len);
	mft_change(dir, mft, h0, h1, sizeof(h0), NULL);
}

/* A copy of the clean repository, named name, to change. */
static void
copy(const char *name)
{
	char	cmd[2 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "cp -a '%s/r' '%s/%s'", top, top, name);
	assert_int_equal(system(cmd), 0);
}

/*
 * The n-th (0 first) ROA of the publication point pp, in name order,
 * into uri.  Returns 1, or 0 if there are not that many.
 */
static int
roa_nth(const char *pp, int n, char *uri, size_t len)
{
	struct dirent	**d;
	char		 path[PATH_MAX];
	int		 i, k, found = 0;

	path_of("r", pp, path, sizeof(path));
	assert_true((k = scandir(path, &d, NULL, alphasort)) > 0);
	for (i = 0; i < k; i++) {
		if (!found && strstr(d[i]->d_name, ".roa") != NULL &&
		    n-- == 0) {
			assert_true((size_t)snprintf(uri, len, "%s%s", pp,
			    d[i]->d_name) < len);
			found = 1;
		}
		free(d[i]);
	}
	free(d);
	return found;
}

/* The VRPs of the ROA uri (its prefixes: rpki-repogen repeats none). */
static size_t
roa_vrps(const char *uri)
{
	struct roa	*roa;
	struct err	 e;
	uint8_t		*der;
	size_t		 len, n;

	der = get("r", uri, &len);
	assert_non_null(roa = roa_parse(uri, der, len, &e));
	n = roa->nprefixes;
	roa_free(roa);
	free(der);
	return n;
}

/* The VRPs of every ROA of the publication point pp. */
static size_t
pp_vrps(const char *pp)
{
	char	uri[PATH_MAX];
	size_t	n = 0;
	int	i;

	for (i = 0; roa_nth(pp, i, uri, sizeof(uri)); i++)
		n += roa_vrps(uri);
	return n;
}

/* Validate copy dir a minute after its generation, strictly. */
static void
validate(const char *dir, struct run *r)
{
	struct walk_config	 cfg;
	struct logger		 lg;
	struct tal		*tal;
	struct err		 e;
	const char		*name = "ta-0";
	char			 cache[PATH_MAX], path[PATH_MAX];
	uint8_t			*text;
	size_t			 len;
	FILE			*fp;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/%s/tals/ta-0.tal", top, dir);
	text = vt_read(path, &len);
	assert_non_null(tal = tal_parse(path, (char *)text, len, &e));
	free(text);
	/* The TA is read from the https URI, its child names the rsync one. */
	assert_int_equal(strncmp(tal->uris[0], "https://", 8), 0);
	snprintf(cache, sizeof(cache), "%s/%s/rsync", top, dir);
	assert_non_null(fp = open_memstream(&r->log, &r->loglen));
	log_init(&lg, "test_vlocation", fp);
	memset(&cfg, 0, sizeof(cfg));
	cfg.cache = cache;
	cfg.now = now + 60;
	cfg.threads = 1;
	cfg.max_depth = 12;
	cfg.max_file = 4000000;
	cfg.max_mft_files = 100000;
	cfg.strict_manifests = cfg.strict_hash = cfg.strict_crl = 1;
	cfg.lg = &lg;
	r->s = walk_run(&cfg, &tal, &name, 1, &r->st, &e);
	assert_int_equal(fclose(fp), 0);
	tal_free(tal);
	if (r->s == NULL)
		fail_msg("%s", e.msg);
}

static void
run_free(struct run *r)
{
	vrpset_unref(r->s);
	free(r->log);
}

/* Objects rejected, not counting those dropped with their pubpoint. */
static size_t
invalid_total(const struct walk_stats *st)
{
	size_t	t, k, n = 0;

	for (t = 0; t < WT_N; t++)
		for (k = 0; k < WR_N; k++)
			if (k != WR_PUBPOINT)
				n += st->invalid[t][k];
	return n;
}

/*
 * Exactly one object rejected at the location check, as type t, with
 * the diagnostic want; vrps VRPs left.
 */
static void
expect_rejected(const struct run *r, enum walk_type t, const char *want,
    size_t vrps)
{
	assert_int_equal(r->st.invalid[t][WR_LOCATION], 1);
	assert_int_equal(invalid_total(&r->st), 1);
	assert_contains(r->log, want);
	assert_int_equal(r->s->nvrps, vrps);
}

/* Nothing rejected, every VRP there, and the warning want said once. */
static void
expect_warned(const struct run *r, const char *want)
{
	const char	*p;

	assert_int_equal(invalid_total(&r->st), 0);
	assert_int_equal(r->st.pubpoints_failed, 0);
	assert_int_equal(r->s->nvrps, clean_vrps);
	assert_contains(r->log, want);
	p = strstr(r->log, want);
	assert_null(strstr(p + 1, want));
}

static int
setup(void **state)
{
	char	 exe[PATH_MAX], pool[PATH_MAX], cmd[4 * PATH_MAX];
	char	*x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	ssize_t	 n;

	(void)state;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0 ||
	    mkdtemp(top) == NULL)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	/* The generator's default pool, so its keys are made only once. */
	if (x != NULL && *x != '\0')
		snprintf(pool, sizeof(pool), "%s/rpki-repogen/rsa2048.pem", x);
	else if (h != NULL && *h != '\0')
		snprintf(pool, sizeof(pool), "%s/.cache/rpki-repogen/"
		    "rsa2048.pem", h);
	else
		snprintf(pool, sizeof(pool), "%s/keys.pem", top);
	now = (int64_t)time(NULL);
	snprintf(cmd, sizeof(cmd), "'%s/repogen/rpki-repogen' -q -o '%s/r' "
	    "-keys '%s' -seed 7 -tas 1 -rirs 1 -cas 4 -roas 16 -hosts 1 "
	    "-now %lld", exe, top, pool, (long long)now);
	if (system(cmd) != 0)
		return -1;
	keys_load(pool);
	return nkeys > 16 ? 0 : -1;
}

static int
teardown(void **state)
{
	char		 cmd[3 * PATH_MAX];
	const char	*keep = getenv("VLOC_KEEP");
	size_t		 i;

	(void)state;
	if (keep != NULL && *keep != '\0') {
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp -a '%s'/* '%s'",
		    keep, top, keep);
		(void)system(cmd);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	for (i = 0; i < nkeys; i++)
		EVP_PKEY_free(keys[i]);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * The repository as written: every caIssuers and signedObject names
 * the right file, nothing is rejected or said, and every expected VRP
 * is there.  The TA's child names the TAL's rsync URI while the TA was
 * read from its https one: both are the TA's.
 */
static void
test_clean(void **state)
{
	struct run	 r;
	char		 path[PATH_MAX], *text, *p;
	size_t		 len, lines = 0;

	(void)state;
	validate("r", &r);
	assert_int_equal(invalid_total(&r.st), 0);
	assert_int_equal(r.st.pubpoints_failed, 0);
	assert_null(strstr(r.log, " warn "));
	assert_int_equal(r.st.valid[WT_ROA], 16);
	snprintf(path, sizeof(path), "%s/r/expected/vrps.csv", top);
	text = (char *)vt_read(path, &len);
	for (p = text; p < text + len; p++)
		lines += *p == '\n';
	free(text);
	assert_int_equal(r.s->nvrps, lines - 1);	/* the header */
	clean_vrps = r.s->nvrps;
	run_free(&r);
}

/*
 * A ROA moved to another name in its publication point and listed
 * there: its EE certificate still names the old one.
 */
static void
test_moved_roa(void **state)
{
	struct run	 r;
	char		 from[256], to[256], want[1024], *fname, *tname;
	char		 path[PATH_MAX], tpath[PATH_MAX];

	(void)state;
	copy("moved-roa");
	assert_true(roa_nth(MEMBERS "ca-2/", 0, from, sizeof(from)));
	snprintf(to, sizeof(to), "%s", from);
	fname = strrchr(from, '/') + 1;
	tname = strrchr(to, '/') + 1;
	tname[0] = 'Z';		/* same length: only the name changes */
	path_of("moved-roa", from, path, sizeof(path));
	path_of("moved-roa", to, tpath, sizeof(tpath));
	assert_int_equal(rename(path, tpath), 0);
	mft_change("moved-roa", MEMBERS "ca-2/ca-2.mft", fname, tname,
	    strlen(fname), NULL);
	validate("moved-roa", &r);
	snprintf(want, sizeof(want), "%s: RFC 6487 section 4.8.8.2: "
	    "subjectInfoAccess signedObject: want %s, have %s", to, to, from);
	expect_rejected(&r, WT_ROA, want, clean_vrps - roa_vrps(from));
	run_free(&r);
}

/*
 * In a copy of the repository named name, the CA certificate cer
 * reissued with caIssuers aia and listed again on the manifest mft.
 */
static void
aia_change(const char *name, const char *cer, const char *mft,
    const char *aia)
{
	uint8_t		*der, *nder = NULL;
	size_t		 len;
	int		 nlen;
	char		 val[512];
	X509		*x;

	copy(name);
	der = get(name, cer, &len);
	x = x509_of(der, len);
	free(der);
	snprintf(val, sizeof(val), "caIssuers;URI:%s", aia);
	reissue(x, NID_info_access, val);
	assert_true((nlen = i2d_X509(x, &nder)) > 0);
	relist(name, mft, cer, nder, (size_t)nlen);
	OPENSSL_free(nder);
	X509_free(x);
}

/*
 * A member CA's certificate naming as its issuer's the publication
 * point of that issuer rather than where its certificate is: said, and
 * the CA used.
 */
static void
test_ca_aia(void **state)
{
	struct run	 r;
	const char	*cer = RIR_PP "ca-0.cer";
	char		 want[1024];

	(void)state;
	aia_change("ca-aia", cer, RIR_PP "rir-0.mft", RIR_PP "rir-0.cer");
	validate("ca-aia", &r);
	snprintf(want, sizeof(want), "%s: RFC 6487 section 4.8.7: "
	    "authorityInfoAccess caIssuers: want %srir-0.cer, have %srir-0.cer "
	    "(used anyway)", cer, TA_PP, RIR_PP);
	expect_warned(&r, want);
	run_free(&r);
}

/*
 * A ROA whose EE certificate names another CA's certificate as its
 * issuer's: said, and the ROA used.
 */
static void
test_ee_aia(void **state)
{
	struct run	 r;
	struct so	 so;
	char		 uri[256], want[1024];
	uint8_t		*der;
	size_t		 len;

	(void)state;
	copy("ee-aia");
	assert_true(roa_nth(MEMBERS "ca-1/", 0, uri, sizeof(uri)));
	der = get("ee-aia", uri, &len);
	so_open(&so, der, len);
	free(der);
	reissue(so.ee, NID_info_access, "caIssuers;URI:" RIR_PP "ca-2.cer");
	der = so_sign(&so, &len);
	relist("ee-aia", MEMBERS "ca-1/ca-1.mft", uri, der, len);
	OPENSSL_free(der);
	so_close(&so);
	validate("ee-aia", &r);
	snprintf(want, sizeof(want), "%s: RFC 6487 section 4.8.7: "
	    "authorityInfoAccess caIssuers: want %sca-1.cer, have %sca-2.cer "
	    "(used anyway)", uri, RIR_PP, RIR_PP);
	expect_warned(&r, want);
	run_free(&r);
}

/*
 * A manifest whose EE certificate names another CA's manifest: the
 * publication point fails with it (RFC 9286 section 6.2: the manifest
 * is the way in to everything else).
 */
static void
test_mft_signedobj(void **state)
{
	struct run	 r;
	struct so	 so;
	const char	*mft = MEMBERS "ca-1/ca-1.mft";
	uint8_t		*der;
	size_t		 len;
	char		 want[1024];

	(void)state;
	copy("mft-so");
	der = get("mft-so", mft, &len);
	so_open(&so, der, len);
	free(der);
	reissue(so.ee, NID_sinfo_access,
	    "1.3.6.1.5.5.7.48.11;URI:" MEMBERS "ca-2/ca-2.mft");
	mft_change("mft-so", mft, NULL, NULL, 0, so.ee);
	so_close(&so);
	validate("mft-so", &r);
	snprintf(want, sizeof(want), "%s: RFC 6487 section 4.8.8.2: "
	    "subjectInfoAccess signedObject: want %s, have %sca-2/ca-2.mft",
	    mft, mft, MEMBERS);
	expect_rejected(&r, WT_MFT, want,
	    clean_vrps - pp_vrps(MEMBERS "ca-1/"));
	assert_int_equal(r.st.pubpoints_failed, 1);
	run_free(&r);
}

/*
 * The TA's child naming as its issuer's a certificate that no URI of
 * the TAL names: said, and the child used.
 */
static void
test_ta_child_aia(void **state)
{
	struct run	 r;
	const char	*cer = TA_PP "rir-0.cer";
	char		 want[1024];

	(void)state;
	aia_change("ta-aia", cer, TA_PP "ta-0.mft",
	    "rsync://rpki.ta-0.test/ta/ta-1.cer");
	validate("ta-aia", &r);
	snprintf(want, sizeof(want), "%s: RFC 6487 section 4.8.7: "
	    "authorityInfoAccess caIssuers: want %s (TAL ta-0), have "
	    "rsync://rpki.ta-0.test/ta/ta-1.cer (used anyway)", cer, TA_CER);
	expect_warned(&r, want);
	run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_moved_roa),
		cmocka_unit_test(test_ca_aia),
		cmocka_unit_test(test_ee_aia),
		cmocka_unit_test(test_mft_signedobj),
		cmocka_unit_test(test_ta_child_aia),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
