/*
 * pubpoint.c - one CA's publication point, manifest first (RFC 9286
 * section 6): the manifest and its EE certificate, the CRL it lists,
 * then every listed file, present and with the listed hash, before any
 * of them is used.  A failure of any of these fails the publication
 * point: none of its objects is used (there is no earlier copy to fall
 * back to in a run over a cache; RFC 9286 section 6.7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "asn1util.h"
#include "cache.h"
#include "mft.h"
#include "ossl.h"
#include "walk_impl.h"

/* One listed file, read. */
struct pfile {
	char		*uri;
	uint8_t		*der;
	size_t		 len;
	uint8_t		 hash[SHA256_DIGEST_LENGTH];	/* if !bad */
	int		 bad;	/* missing or wrong hash (non-strict) */
};

struct pp {
	struct worker	*wk;
	const struct job *j;
	const char	*root;		/* the cache, or the kept copies */
	uint8_t		*mft_der;	/* the manifest's bytes */
	size_t		 mft_len;
	struct mft	*mft;
	struct cert	*ee;
	struct crl	*crl;
	struct pfile	*files;
	size_t		 nfiles;
	const char	*crl_name;
	struct err	 e;
};

/* The type a file name's extension gives. */
static enum walk_type
type_of(const char *name)
{
	const char	*dot = strrchr(name, '.');

	if (dot == NULL)
		return WT_OTHER;
	if (strcmp(dot, ".cer") == 0)
		return WT_CA;
	if (strcmp(dot, ".roa") == 0)
		return WT_ROA;
	if (strcmp(dot, ".asa") == 0)
		return WT_ASPA;
	if (strcmp(dot, ".crl") == 0)
		return WT_CRL;
	if (strcmp(dot, ".mft") == 0)
		return WT_MFT;
	if (strcmp(dot, ".gbr") == 0)
		return WT_GBR;
	return WT_OTHER;
}

static char *
uri_join(const char *dir, const char *name)
{
	char	*s;

	if (asprintf(&s, "%s%s", dir, name) == -1)
		return NULL;
	return s;
}

/*
 * The manifest and its EE certificate: everything but the EE's
 * revocation, which needs the CRL the manifest lists.
 */
static int
pp_manifest(struct pp *pp, enum walk_reason *r)
{
	const struct walk_config *cfg = pp->wk->cfg;
	struct cert	*ca = pp->j->ca;
	struct ppctx	 pc = { pp->wk, pp->j, NULL, 0, { 0 } };
	uint8_t		*der;
	size_t		 len;
	int		 rc;

	*r = WR_PARSE;
	if (!cache_uri_in(ca->mft, ca->repo))
		return err_set(&pp->e, "%s: RFC 6487 section 4.8.8.1: "
		    "rpkiManifest %s is not in caRepository %s", ca->fn,
		    ca->mft, ca->repo);
	rc = cache_read(pp->root, ca->mft, cfg->max_file, &der, &len,
	    &pp->e);
	if (rc == 1) {
		*r = WR_MISSING;
		return err_set(&pp->e, "%s: RFC 9286 section 6.2: no manifest "
		    "in the cache", ca->mft);
	}
	if (rc != 0)
		return -1;
	pp->mft_der = der;
	pp->mft_len = len;
	if ((pp->mft = mft_parse(ca->mft, der, len, &pp->e)) == NULL)
		return -1;
	*r = WR_TIME;
	if (cfg->now < pp->mft->this_update || cfg->now > pp->mft->next_update) {
		err_set(&pp->e, "%s: RFC 9286 section 6.3: %s", ca->mft,
		    cfg->now < pp->mft->this_update ? "thisUpdate is in the "
		    "future" : "stale: nextUpdate has passed");
		/* -strict.manifests=false: used anyway, said once. */
		if (cfg->strict_manifests)
			return -1;
		log_data(cfg->lg, LOG_WARN, "%s (used: -strict.manifests="
		    "false)", pp->e.msg);
	}
	*r = WR_PARSE;
	if ((pp->ee = cert_take(ca->mft, &pp->mft->cms.ee,
	    &pp->mft->cms.ee_key, &pp->e)) == NULL)
		return -1;
	if (pp->ee->purpose != CERT_EE)
		return err_set(&pp->e, "%s: RFC 9286 section 4.1: want an EE "
		    "certificate, have %s", ca->mft,
		    cert_purpose_a(pp->ee->purpose));
	if (issued_check(&pc, pp->ee, r, &pp->e) == -1)
		return -1;
	*r = WR_LOCATION;
	if (signedobj_check(pp->ee, ca->mft, &pp->e) == -1)
		return -1;
	*r = WR_PARSE;
	if (pp->mft->nfiles > cfg->max_mft_files)
		return err_set(&pp->e, "%s: %zu files listed, over the limit "
		    "of %zu", ca->mft, pp->mft->nfiles, cfg->max_mft_files);
	return 0;
}

/* Read every listed file and check its hash (RFC 9286 sections 6.4, 6.5). */
static int
pp_files(struct pp *pp, enum walk_reason *r)
{
	const struct walk_config *cfg = pp->wk->cfg;
	const struct mft_file *mf;
	struct pfile	*f;
	struct err	 e;
	size_t		 i;
	int		 rc, dfd;

	if ((pp->files = calloc(pp->mft->nfiles + 1, sizeof(*pp->files))) ==
	    NULL)
		return err_set(&pp->e, "out of memory");
	/* -1 if it cannot be opened: then each file's path is walked. */
	dfd = cache_dir_open(pp->root, pp->j->ca->repo);
	for (i = 0; i < pp->mft->nfiles; i++) {
		mf = &pp->mft->files[i];
		f = &pp->files[pp->nfiles++];
		if ((f->uri = uri_join(pp->j->ca->repo, mf->name)) == NULL) {
			rc = err_set(&pp->e, "out of memory");
			goto out;
		}
		rc = cache_read_at(dfd, pp->root, f->uri, cfg->max_file,
		    &f->der, &f->len, &e);
		if (rc == 2) {
			/* Present, but no valid object is that big. */
			f->bad = 1;
			walk_reject(pp->wk, type_of(mf->name), WR_PARSE, &e);
			continue;
		} else if (rc == 1) {
			*r = WR_MISSING;
			err_set(&e, "%s: RFC 9286 section 6.4: listed on %s "
			    "but not in the cache", f->uri, pp->j->ca->mft);
		} else if (rc == 0) {
			ossl_sha256(f->der, f->len, f->hash);
			if (memcmp(f->hash, mf->hash, sizeof(f->hash)) == 0)
				continue;
			*r = WR_HASH;
			err_set(&e, "%s: RFC 9286 section 6.5: SHA-256 is not "
			    "the one %s lists", f->uri, pp->j->ca->mft);
		} else
			*r = WR_PARSE;
		f->bad = 1;
		if (cfg->strict_hash) {
			pp->e = e;
			rc = -1;
			goto out;
		}
		walk_reject(pp->wk, type_of(mf->name), *r, &e);
	}
	rc = 0;
 out:
	if (dfd != -1)
		close(dfd);
	return rc;
}

/* The CRL the manifest's EE names, listed on the manifest. */
static int
pp_crl(struct pp *pp, enum walk_reason *r)
{
	const struct walk_config *cfg = pp->wk->cfg;
	struct cert	*ca = pp->j->ca;
	const char	*uri = pp->ee->crldp;
	size_t		 i;

	*r = WR_MISSING;
	if (uri == NULL || !cache_uri_in(uri, ca->repo))
		return err_set(&pp->e, "%s: RFC 6487 section 4.8.6: "
		    "cRLDistributionPoints %s is not in the publication point "
		    "%s", ca->mft, uri ? uri : "(none)", ca->repo);
	for (i = 0; i < pp->nfiles; i++)
		if (strcmp(pp->files[i].uri, uri) == 0)
			break;
	if (i == pp->nfiles || pp->files[i].bad)
		return err_set(&pp->e, "%s: RFC 9286 section 6.6: the CRL %s "
		    "is not on the manifest, or not as listed", ca->mft, uri);
	pp->crl_name = pp->mft->files[i].name;
	*r = WR_PARSE;
	if ((pp->crl = crl_parse(uri, pp->files[i].der, pp->files[i].len,
	    &pp->e)) == NULL)
		return -1;
	*r = WR_ISSUER;
	if (memcmp(pp->crl->aki, ca->ski, SKI_LEN) != 0)
		return err_set(&pp->e, "%s: RFC 6487 section 5: "
		    "authorityKeyIdentifier is not the key of %s", uri, ca->fn);
	*r = WR_SIGNATURE;
	if (crl_verify_signature(pp->crl, ca->pub, &pp->e) == -1)
		return -1;
	*r = WR_TIME;
	if (cfg->now < pp->crl->thisupdate)
		return err_set(&pp->e, "%s: RFC 5280 section 5.1.2.4: "
		    "thisUpdate is in the future", uri);
	if (cfg->now > pp->crl->nextupdate) {
		err_set(&pp->e, "%s: RFC 9286 section 6.6: stale CRL: "
		    "nextUpdate has passed", uri);
		if (cfg->strict_crl)
			return -1;
		walk_reject(pp->wk, WT_CRL, WR_TIME, &pp->e);
	}
	*r = WR_REVOKED;
	if (crl_is_revoked(pp->crl, pp->ee))
		return err_set(&pp->e, "%s: RFC 9286 section 6.3: the "
		    "manifest's EE certificate is on the CRL", ca->mft);
	return 0;
}

/* Count what a failed publication point takes with it. */
static void
pp_drop(struct pp *pp, enum walk_type t)
{
	struct walk_stats *st = &pp->wk->st;
	size_t		 i, n = 0;

	st->pubpoints_failed++;
	if (pp->mft == NULL)
		return;
	for (i = 0; i < pp->mft->nfiles; i++) {
		if (t == WT_CRL && pp->crl_name == pp->mft->files[i].name)
			continue;
		st->invalid[type_of(pp->mft->files[i].name)][WR_PUBPOINT]++;
		n++;
	}
	log_data(pp->wk->cfg->lg, LOG_WARN, "%s: publication point %s "
	    "rejected: its %zu listed files are not used", pp->j->ca->fn,
	    pp->j->ca->repo, n);
}

static void
pp_free(struct pp *pp)
{
	size_t	i;

	for (i = 0; i < pp->nfiles; i++) {
		free(pp->files[i].uri);
		free(pp->files[i].der);
	}
	free(pp->files);
	free(pp->mft_der);
	crl_free(pp->crl);
	cert_free(pp->ee);
	mft_free(pp->mft);
	memset(pp, 0, sizeof(*pp));
}

/*
 * Check the publication point of pp->j under root: manifest, listed
 * files, CRL.  Returns 0; or -1 with the failing type in *t, the reason
 * in *r and the diagnostic in pp->e.
 */
static int
pp_check(struct pp *pp, const char *root, enum walk_type *t,
    enum walk_reason *r)
{
	pp->root = root;
	*t = WT_MFT;
	if (pp_manifest(pp, r) == -1 || pp_files(pp, r) == -1)
		return -1;
	*t = WT_CRL;
	return pp_crl(pp, r);
}

/*
 * Keep the publication point just validated from the cache as the last
 * valid copy (-cache.valid): every listed file, then the manifest, so a
 * kept manifest means its files were kept before it.  Nothing is written
 * when the kept manifest is this one.  A failure is said and costs only
 * the fallback.
 */
static void
pp_keep(struct pp *pp)
{
	const struct walk_config *cfg = pp->wk->cfg;
	struct err	 e;
	uint8_t		*old = NULL;
	size_t		 oldlen, i;
	int		 rc;

	rc = cache_read(cfg->keep, pp->j->ca->mft, cfg->max_file, &old,
	    &oldlen, &e);
	if (rc == 0 && oldlen == pp->mft_len &&
	    memcmp(old, pp->mft_der, oldlen) == 0) {
		free(old);
		return;
	}
	free(old);
	for (i = 0; i < pp->nfiles; i++)
		if (!pp->files[i].bad && cache_write(cfg->keep,
		    pp->files[i].uri, pp->files[i].der, pp->files[i].len,
		    &e) == -1)
			goto fail;
	if (cache_write(cfg->keep, pp->j->ca->mft, pp->mft_der, pp->mft_len,
	    &e) == -1)
		goto fail;
	return;
 fail:
	log_ops(cfg->lg, LOG_WARN, "keeping the valid copy of %s: %s",
	    pp->j->ca->repo, e.msg);
}

void
pubpoint_process(struct worker *wk, const struct job *j)
{
	const struct walk_config *cfg = wk->cfg;
	struct pp	 pp;
	struct ppctx	 pc;
	const ASN1_BIT_STRING *key;
	enum walk_reason r;
	enum walk_type	 t;
	size_t		 i;
	int64_t		 exp;

	memset(&pp, 0, sizeof(pp));
	pp.wk = wk;
	pp.j = j;
	wk->st.pubpoints++;
	if (pp_check(&pp, cfg->cache, &t, &r) == 0) {
		if (cfg->keep != NULL)
			pp_keep(&pp);
	} else {
		walk_reject(wk, t, r, &pp.e);
		/* RFC 9286 section 6.7: the last valid copy, if still valid. */
		if (cfg->keep == NULL) {
			pp_drop(&pp, t);
			goto out;
		}
		pp_free(&pp);
		pp.wk = wk;
		pp.j = j;
		if (pp_check(&pp, cfg->keep, &t, &r) == -1) {
			log_data(cfg->lg, LOG_WARN, "%s: no usable valid copy "
			    "kept: %s", j->ca->repo, pp.e.msg);
			pp_drop(&pp, t);
			goto out;
		}
		wk->st.pubpoints_kept++;
		log_data(cfg->lg, LOG_WARN, "%s: RFC 9286 section 6.7: using "
		    "the last valid copy (manifest %s) instead", j->ca->repo,
		    pp.mft->number_hex);
	}
	wk->st.valid[WT_MFT]++;
	wk->st.valid[WT_CRL]++;
	exp = j->expires;
	if (pp.ee->notafter < exp)
		exp = pp.ee->notafter;
	if (pp.mft->next_update < exp)
		exp = pp.mft->next_update;
	if (pp.crl->nextupdate < exp)
		exp = pp.crl->nextupdate;
	pc = (struct ppctx){ wk, j, pp.crl, exp, { 0 } };
	if (cfg->memo != NULL) {
		key = j->ca->x->tbsCertificate.subjectPublicKeyInfo->
		    subjectPublicKey;
		ossl_sha256(ASN1_STRING_get0_data(key),
		    (size_t)ASN1_STRING_length(key), pc.ca_key);
	}
	for (i = 0; i < pp.nfiles; i++) {
		if (pp.files[i].bad || pp.mft->files[i].name == pp.crl_name)
			continue;
		product_process(&pc, pp.files[i].uri, pp.files[i].der,
		    pp.files[i].len, pp.files[i].hash);
	}
 out:
	pp_free(&pp);
}
