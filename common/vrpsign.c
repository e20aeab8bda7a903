/*
 * vrpsign.c - GoRTR-compatible ECDSA P-256 signatures over VRP files.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "encoding.h"
#include "fileio.h"
#include "vrpsign.h"

#define MAX_SIG_LEN	160	/* DER ECDSA P-256 is at most 72 bytes */

/* Accept only EC keys on prime256v1, as GoRTR does. */
static int
check_p256(EVP_PKEY *k, const char *name, struct err *e)
{
	char	curve[64] = "";
	size_t	len = 0;

	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_EC)
		return err_set(e, "%s: want an EC P-256 key, have a %s key",
		    name, OBJ_nid2sn(EVP_PKEY_get_base_id(k)));
	if (!EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
	    curve, sizeof(curve), &len) || strcmp(curve, "prime256v1") != 0)
		return err_set(e, "%s: want an EC key on curve P-256 "
		    "(prime256v1), have curve \"%s\"", name, curve);
	return 0;
}

static EVP_PKEY *
load_pem(const char *path, int private, struct err *e)
{
	char		*data = NULL;
	size_t		 len;
	BIO		*bio = NULL;
	EVP_PKEY	*k = NULL;

	if (file_read_all(path, 64 * 1024, &data, &len, e) == -1)
		return NULL;
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL) {
		err_set(e, "%s: out of memory", path);
		goto out;
	}
	k = private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) :
	    PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	ERR_clear_error();
	if (k == NULL) {
		err_set(e, "%s: not a PEM %s key", path, private ?
		    "private (EC PRIVATE KEY or PKCS#8)" :
		    "public (BEGIN PUBLIC KEY)");
		goto out;
	}
	if (check_p256(k, path, e) == -1) {
		EVP_PKEY_free(k);
		k = NULL;
	}
 out:
	BIO_free(bio);
	free(data);
	return k;
}

EVP_PKEY *
vrpsign_load_pubkey(const char *path, struct err *e)
{
	return load_pem(path, 0, e);
}

EVP_PKEY *
vrpsign_load_privkey(const char *path, struct err *e)
{
	return load_pem(path, 1, e);
}

EVP_PKEY *
vrpsign_pubkey_from_pem(const char *pem, size_t len, const char *name,
    struct err *e)
{
	BIO		*bio;
	EVP_PKEY	*k;

	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		err_set(e, "%s: out of memory", name);
		return NULL;
	}
	k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	ERR_clear_error();
	BIO_free(bio);
	if (k == NULL) {
		err_set(e, "%s: not a PEM public key", name);
		return NULL;
	}
	if (check_p256(k, name, e) == -1) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

static int
line_cmp(const void *a, const void *b, void *pool)
{
	return strcmp((const char *)pool + *(const uint32_t *)a,
	    (const char *)pool + *(const uint32_t *)b);
}

int
vrpsign_digests(struct siglines *sl, int64_t generated, int64_t valid,
    uint8_t d1[32], uint8_t d2[32])
{
	EVP_MD_CTX	*c1, *c2;
	char		 num[32];
	size_t		 i;
	int		 n, rc = -1;

	c1 = EVP_MD_CTX_new();
	c2 = EVP_MD_CTX_new();
	if (c1 == NULL || c2 == NULL ||
	    !EVP_DigestInit_ex(c1, EVP_sha256(), NULL) ||
	    !EVP_DigestInit_ex(c2, EVP_sha256(), NULL))
		goto out;
	if (sl->n > 0)
		qsort_r(sl->off, sl->n, sizeof(*sl->off), line_cmp,
		    sl->pool);
	n = snprintf(num, sizeof(num), "%lld,", (long long)generated);
	EVP_DigestUpdate(c2, num, (size_t)n);
	for (i = 0; i < sl->n; i++) {
		const char *s = sl->pool + sl->off[i];
		size_t len = strlen(s);

		EVP_DigestUpdate(c1, s, len);
		EVP_DigestUpdate(c2, s, len);
	}
	n = snprintf(num, sizeof(num), "%lld", (long long)valid);
	EVP_DigestUpdate(c2, num, (size_t)n);
	if (EVP_DigestFinal_ex(c1, d1, NULL) && EVP_DigestFinal_ex(c2, d2,
	    NULL))
		rc = 0;
 out:
	EVP_MD_CTX_free(c1);
	EVP_MD_CTX_free(c2);
	return rc;
}

/* ECDSA over a ready digest (no further hashing), hex-encoded. */
static char *
sign_digest(EVP_PKEY *key, const uint8_t dgst[32], struct err *e)
{
	EVP_PKEY_CTX	*ctx;
	unsigned char	 sig[MAX_SIG_LEN];
	size_t		 siglen = sizeof(sig);
	char		*hex = NULL;

	if ((ctx = EVP_PKEY_CTX_new(key, NULL)) == NULL ||
	    EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_sign(ctx, sig, &siglen, dgst, 32) <= 0) {
		err_set(e, "ECDSA signing failed: %s",
		    ERR_reason_error_string(ERR_get_error()));
		goto out;
	}
	if ((hex = malloc(2 * siglen + 1)) == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	hex_encode(sig, siglen, hex);
 out:
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	return hex;
}

int
vrpsign_sign(EVP_PKEY *key, struct siglines *sl, struct vrpfile_meta *m,
    struct err *e)
{
	uint8_t	 d1[32], d2[32];
	char	*s1, *s2;

	if (!m->has_generated || !m->has_valid)
		return err_set(e, "signing needs generated and valid times");
	if (vrpsign_digests(sl, m->generated, m->valid, d1, d2) == -1)
		return err_set(e, "out of memory");
	if ((s1 = sign_digest(key, d1, e)) == NULL)
		return -1;
	if ((s2 = sign_digest(key, d2, e)) == NULL) {
		free(s1);
		return -1;
	}
	free(m->signature_date);
	free(m->signature);
	m->signature_date = s1;
	m->signature = s2;
	return 0;
}

/* 1 if hex is a DER signature over dgst by key, else 0. */
static int
verify_digest(EVP_PKEY *key, const char *hex, const uint8_t dgst[32])
{
	EVP_PKEY_CTX	*ctx;
	uint8_t		 sig[MAX_SIG_LEN];
	long		 n;
	int		 ok = 0;

	if (hex == NULL || (n = hex_decode(hex, strlen(hex), sig,
	    sizeof(sig))) <= 0)
		return 0;
	if ((ctx = EVP_PKEY_CTX_new(key, NULL)) != NULL &&
	    EVP_PKEY_verify_init(ctx) > 0)
		ok = EVP_PKEY_verify(ctx, sig, (size_t)n, dgst, 32) == 1;
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

enum vrpsign_status
vrpsign_verify(EVP_PKEY *key, struct vrpfile *f, int checktime, time_t now,
    struct err *e)
{
	struct vrpfile_meta	*m = &f->meta;
	uint8_t			 d1[32], d2[32];

	if (m->signature_date == NULL || m->signature == NULL) {
		err_set(e, "metadata.%s missing: the file is not signed",
		    m->signature_date == NULL ? "signatureDate" : "signature");
		return VRPSIGN_BAD;
	}
	if (f->sig.n != f->nroas) {
		err_set(e, "file was read without its signature lines");
		return VRPSIGN_BAD;
	}
	if (vrpsign_digests(&f->sig, m->generated, m->valid, d1, d2) == -1) {
		err_set(e, "out of memory");
		return VRPSIGN_BAD;
	}
	if (!verify_digest(key, m->signature_date, d1)) {
		err_set(e, "metadata.signatureDate: signature over the ROAs "
		    "does not verify with this key");
		return VRPSIGN_BAD;
	}
	if (!checktime)
		return VRPSIGN_OK;
	if (!m->has_generated || !m->has_valid) {
		err_set(e, "metadata.%s missing: cannot check the time "
		    "signature", m->has_generated ? "valid" : "generated");
		return VRPSIGN_BAD;
	}
	if (!verify_digest(key, m->signature, d2)) {
		err_set(e, "metadata.signature: signature over generated, "
		    "ROAs and valid does not verify with this key");
		return VRPSIGN_BAD;
	}
	if (m->valid <= (int64_t)now) {
		err_set(e, "expired: metadata.valid %lld is %lld seconds in "
		    "the past", (long long)m->valid,
		    (long long)((int64_t)now - m->valid));
		return VRPSIGN_EXPIRED;
	}
	return VRPSIGN_OK;
}
