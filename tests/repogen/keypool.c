/*
 * keypool.c - the cached pool of RSA-2048 keys (see keypool.h), and the
 * deterministic P-256 router keys.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "fileio.h"
#include "keypool.h"
#include "objects.h"
#include "repogen.h"

int
keypool_default_path(char *buf, size_t len)
{
	const char	*x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	int		 n;

	if (x != NULL && *x != '\0')
		n = snprintf(buf, len, "%s/rpki-repogen/rsa2048.pem", x);
	else if (h != NULL && *h != '\0')
		n = snprintf(buf, len, "%s/.cache/rpki-repogen/rsa2048.pem",
		    h);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * Read the first need keys of path into kp (a missing file is an empty
 * pool; a shorter one leaves kp->n < need).
 */
static int
keypool_read(struct keypool *kp, const char *path, size_t need,
    struct err *e)
{
	BIO			*bio;
	EVP_PKEY		*k, **nk;
	char			*name = NULL, *hdr = NULL;
	unsigned char		*data = NULL;
	const unsigned char	*p;
	long			 len;
	size_t			 cap = 0;
	int			 rc = -1;

	if ((bio = BIO_new_file(path, "r")) == NULL) {
		ERR_clear_error();
		if (errno == ENOENT)
			return 0;
		return err_set(e, "%s: %s", path, strerror(errno));
	}
	while (kp->n < need && PEM_read_bio(bio, &name, &hdr, &data, &len)) {
		p = data;
		k = strcmp(name, "PRIVATE KEY") == 0 ?
		    d2i_AutoPrivateKey(NULL, &p, len) : NULL;
		OPENSSL_free(name);
		OPENSSL_free(hdr);
		OPENSSL_free(data);
		if (k == NULL || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA ||
		    EVP_PKEY_get_bits(k) != 2048) {
			EVP_PKEY_free(k);
			err_set(e, "%s: key %zu: want an RSA-2048 PKCS #8 "
			    "private key (RFC 7935 section 3)", path, kp->n);
			goto out;
		}
		if (kp->n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nk = realloc(kp->keys, cap * sizeof(*nk))) ==
			    NULL) {
				EVP_PKEY_free(k);
				err_set(e, "out of memory");
				goto out;
			}
			kp->keys = nk;
		}
		kp->keys[kp->n++] = k;
	}
	if (kp->n < need &&
	    ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
		err_set(e, "%s: key %zu: unreadable PEM", path, kp->n);
		goto out;
	}
	rc = 0;
 out:
	ERR_clear_error();
	BIO_free(bio);
	return rc;
}

struct gen {
	struct keypool	*kp;
	atomic_size_t	 next;
	size_t		 end;
	atomic_int	 failed;
	FILE		*logfp;
};

static void *
gen_worker(void *arg)
{
	struct gen	*g = arg;
	size_t		 i;

	while (!atomic_load(&g->failed) &&
	    (i = atomic_fetch_add(&g->next, 1)) < g->end) {
		g->kp->keys[i] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
		    (size_t)2048);
		if (g->kp->keys[i] == NULL)
			atomic_store(&g->failed, 1);
		else if (g->logfp != NULL && (i + 1) % 100 == 0)
			fprintf(g->logfp, "rpki-repogen: generated key %zu of "
			    "%zu\n", i + 1, g->end);
	}
	return NULL;
}

/* Generate keys [kp->n, need) in nthreads threads. */
static int
keypool_generate(struct keypool *kp, size_t need, int nthreads, FILE *logfp,
    struct err *e)
{
	struct gen	 g;
	pthread_t	*th;
	EVP_PKEY	**nk;
	int		 i, started = 0;

	if ((nk = realloc(kp->keys, need * sizeof(*nk))) == NULL)
		return err_set(e, "out of memory");
	kp->keys = nk;
	memset(kp->keys + kp->n, 0, (need - kp->n) * sizeof(*nk));
	memset(&g, 0, sizeof(g));
	g.kp = kp;
	atomic_init(&g.next, kp->n);
	atomic_init(&g.failed, 0);
	g.end = need;
	g.logfp = logfp;
	if (logfp != NULL)
		fprintf(logfp, "rpki-repogen: generating %zu RSA-2048 keys "
		    "for the key pool (once)\n", need - kp->n);
	if ((th = calloc((size_t)nthreads, sizeof(*th))) == NULL)
		return err_set(e, "out of memory");
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, gen_worker, &g) == 0)
			started++;
	if (started == 0)
		gen_worker(&g);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	kp->n = need;
	if (atomic_load(&g.failed))
		return err_set(e, "RSA key generation failed");
	return 0;
}

static int
keypool_save(const struct keypool *kp, const char *path, struct err *e)
{
	struct atomic_file af;
	size_t		 i;

	/* keypool_lock made the directory. */
	if (atomic_open(&af, path, e) == -1)
		return -1;
	for (i = 0; i < kp->n; i++) {
		if (!PEM_write_PrivateKey(af.fp, kp->keys[i], NULL, NULL, 0,
		    NULL, NULL)) {
			atomic_abort(&af);
			return err_set(e, "%s: writing key %zu failed", path,
			    i);
		}
	}
	return atomic_commit(&af, e);
}

/*
 * Hold an exclusive lock on path.lock while the pool is read and grown:
 * two runs growing it at once would each make their own keys for the
 * same slots and one would lose, leaving objects signed with keys the
 * pool no longer has (which "next" would then mix with the pool's).
 * Returns the lock's descriptor, or -1 with the reason in e.
 */
static int
keypool_lock(const char *path, struct err *e)
{
	char	 lock[4096], dir[4096], *s;
	int	 fd;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((s = strrchr(dir, '/')) != NULL && s != dir) {
		*s = '\0';
		if (mkdirs(dir, e) == -1)
			return -1;
	}
	snprintf(lock, sizeof(lock), "%s.lock", path);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return err_set(e, "%s: %s", lock, strerror(errno));
	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR) {
			close(fd);
			return err_set(e, "%s: lock: %s", lock,
			    strerror(errno));
		}
	return fd;
}

int
keypool_open(struct keypool *kp, const char *path, size_t need,
    int nthreads, FILE *logfp, struct err *e)
{
	size_t	 i;
	int	 lk;

	memset(kp, 0, sizeof(*kp));
	if ((lk = keypool_lock(path, e)) == -1)
		return -1;
	if (keypool_read(kp, path, need, e) == -1)
		goto fail;
	if (kp->n < need) {
		if (keypool_generate(kp, need, nthreads, logfp, e) == -1 ||
		    keypool_save(kp, path, e) == -1)
			goto fail;
	}
	close(lk);	/* the pool only grows from here: keys are fixed */
	lk = -1;
	if ((kp->ski = calloc(kp->n, sizeof(*kp->ski))) == NULL) {
		err_set(e, "out of memory");
		goto fail;
	}
	for (i = 0; i < kp->n; i++) {
		if (key_ski(kp->keys[i], kp->ski[i]) == -1) {
			err_set(e, "%s: key %zu: no public key", path, i);
			goto fail;
		}
	}
	return 0;
 fail:
	if (lk != -1)
		close(lk);
	keypool_free(kp);
	return -1;
}

void
keypool_free(struct keypool *kp)
{
	size_t i;

	if (kp == NULL)
		return;
	for (i = 0; i < kp->n; i++)
		EVP_PKEY_free(kp->keys[i]);
	free(kp->keys);
	free(kp->ski);
	memset(kp, 0, sizeof(*kp));
}

/*
 * The private scalar is SHA-256("rpki-repogen router key", seed, idx,
 * counter) taken as a number, with the counter bumped until it lies in
 * [1, n-1]; the public point is computed from it.
 */
EVP_PKEY *
eckey_derive(uint64_t seed, uint32_t idx, struct err *e)
{
	static const char tag[] = "rpki-repogen router key";
	EC_GROUP	*grp = NULL;
	EC_POINT	*pub = NULL;
	BIGNUM		*priv = NULL;
	BN_CTX		*bn = NULL;
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	EVP_PKEY	*k = NULL;
	uint8_t		 in[sizeof(tag) + 16], md[SHA256_DIGEST_LENGTH];
	uint8_t		 pt[65];
	uint32_t	 ctr;
	int		 i;

	grp = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	bn = BN_CTX_new();
	priv = BN_new();
	if (grp == NULL || bn == NULL || priv == NULL)
		goto out;
	memcpy(in, tag, sizeof(tag));
	for (i = 0; i < 8; i++)
		in[sizeof(tag) + i] = (uint8_t)(seed >> (8 * i));
	for (i = 0; i < 4; i++)
		in[sizeof(tag) + 8 + i] = (uint8_t)(idx >> (8 * i));
	for (ctr = 0;; ctr++) {
		for (i = 0; i < 4; i++)
			in[sizeof(tag) + 12 + i] = (uint8_t)(ctr >> (8 * i));
		SHA256(in, sizeof(in), md);
		if (BN_bin2bn(md, sizeof(md), priv) == NULL)
			goto out;
		if (!BN_is_zero(priv) &&
		    BN_cmp(priv, EC_GROUP_get0_order(grp)) < 0)
			break;
	}
	if ((pub = EC_POINT_new(grp)) == NULL ||
	    !EC_POINT_mul(grp, pub, priv, NULL, NULL, bn) ||
	    EC_POINT_point2oct(grp, pub, POINT_CONVERSION_UNCOMPRESSED, pt,
	    sizeof(pt), bn) != sizeof(pt))
		goto out;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pt, sizeof(pt)) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_KEYPAIR, params) <= 0)
		k = NULL;
 out:
	if (k == NULL)
		err_set(e, "router key %u: P-256 key derivation failed", idx);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(pub);
	BN_clear_free(priv);
	BN_CTX_free(bn);
	EC_GROUP_free(grp);
	return k;
}
