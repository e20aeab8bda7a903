/*
 * pubpoint.c - one CA's publication point, written from the plan.
 *
 * A CA publishes, in rsync://HOST/repo/NAME/: the certificates of its
 * child CAs (NAME.cer of each), its router certificates, its ROAs and
 * ASPAs, its CRL (NAME.crl) and its manifest (NAME.mft) listing every
 * other file with its SHA-256 hash (RFC 9286 section 4.2.1).  A trust
 * anchor also writes its self-signed certificate to rsync://HOST/ta/.
 * Nothing here depends on another CA's job, so jobs run in parallel.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "faults.h"
#include "keypool.h"
#include "objects.h"
#include "fileio.h"
#include "repogen.h"

struct pp {
	const struct plan	*pl;
	const struct keypool	*kp;
	EVP_PKEY *const		*eekeys;
	const struct rg_ca	*c;
	size_t			 ca;
	EVP_PKEY		*key;		/* the CA's */
	const uint8_t		*ski;
	char			 dir[PATH_MAX];
	char			 cert_uri[RG_URI_MAX];	/* AIA of issued certs */
	char			 crl_uri[RG_URI_MAX];	/* CRLDP of issued certs */
	struct rg_times		 t1;		/* of generation 1 */
	struct mft_entry	*files;
	size_t			 nfiles, cap;
	struct err		*e;
};

/* Write a file of the publication point and note it for the manifest. */
static int
pp_publish(struct pp *pp, const char *name, const uint8_t *der, size_t len,
    int listed)
{
	char			 path[PATH_MAX];
	struct mft_entry	*f;
	uint8_t			*spoilt = NULL;
	int			 rc = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", pp->dir, name) >=
	    sizeof(path))
		return err_set(pp->e, "%s/%s: path too long", pp->dir, name);
	/*
	 * -faults: the last bit of the signature flipped, listed as it is.
	 * Each of these ends with its signature (X.509's BIT STRING, the
	 * SignerInfo's OCTET STRING).
	 */
	if (len > 0 && faults_bad_sig(pp->pl, pp->ca, name)) {
		if ((spoilt = malloc(len)) == NULL)
			return err_set(pp->e, "out of memory");
		memcpy(spoilt, der, len);
		spoilt[len - 1] ^= 0x01;
		der = spoilt;
	}
	/*
	 * The file's time is its generation's, not the clock's: a copy an
	 * RP wrote of an older version must never look as new as this one
	 * to rsync's size-and-time check.
	 */
	if (fs_write(path, der, len, pp->e) == -1 ||
	    fs_set_mtime(path, pp->pl->t.now, pp->e) == -1)
		goto out;
	if (listed) {
		if (pp->nfiles == pp->cap) {
			size_t ncap = pp->cap ? pp->cap * 2 : 32;

			if ((f = realloc(pp->files, ncap * sizeof(*f))) ==
			    NULL) {
				err_set(pp->e, "out of memory");
				goto out;
			}
			pp->files = f;
			pp->cap = ncap;
		}
		f = &pp->files[pp->nfiles++];
		snprintf(f->name, sizeof(f->name), "%s", name);
		SHA256(der, len, f->hash);
	}
	rc = 0;
 out:
	free(spoilt);
	return rc;
}

/*
 * "next": an object issued in an earlier generation has the same bytes
 * as then, so take them from the previous tree (pl->reuse) instead of
 * signing it again.  Returns 1 if name was taken, 0 if there is nothing
 * to take (sign it), -1 on error.
 */
static int
pp_reuse(struct pp *pp, const char *name, uint32_t gen)
{
	struct rg_times	 t;
	char	 path[PATH_MAX], *der;
	size_t	 len;
	int	 rc;

	if (pp->pl->reuse == NULL || gen >= pp->pl->gen)
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/repo/%s/%s",
	    pp->pl->reuse, pp->pl->hosts[pp->c->host], pp->c->name, name) >=
	    sizeof(path))
		return 0;
	if (access(path, F_OK) == -1)
		return 0;	/* not in the previous tree: sign it */
	if (file_read_all(path, RG_FILE_MAX, &der, &len, pp->e) == -1)
		return -1;
	rc = pp_publish(pp, name, (const uint8_t *)der, len, 1);
	free(der);
	if (rc == 0) {
		/* Unchanged: its time too, so rsync need not send it again. */
		plan_times_of(pp->pl, gen, &t);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", pp->dir,
		    name) >= sizeof(path))
			return err_set(pp->e, "%s/%s: path too long", pp->dir,
			    name);
		rc = fs_set_mtime(path, t.now, pp->e);
	}
	return rc == 0 ? 1 : -1;
}

/* The parts of a certificate every CA-issued one shares. */
static void
pp_spec(struct pp *pp, struct cert_spec *s, enum cert_kind kind,
    uint64_t serial)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->issuer = pp->c->name;
	s->issuer_key = pp->key;
	s->issuer_ski = pp->ski;
	s->serial = serial;
	s->aia = pp->cert_uri;
	s->crldp = pp->crl_uri;
}

/* Sign x into the publication point as name. */
static int
pp_cert(struct pp *pp, X509 *x, const char *name)
{
	uint8_t	*der;
	size_t	 len;
	int	 rc;

	if (x == NULL)
		return -1;
	if (cert_der(x, &der, &len, pp->e) == -1) {
		X509_free(x);
		return -1;
	}
	X509_free(x);
	rc = pp_publish(pp, name, der, len, 1);
	OPENSSL_free(der);
	return rc;
}

/* The self-signed TA certificate, at rsync://HOST/ta/NAME.cer. */
static int
pp_ta(struct pp *pp, const char *outdir)
{
	const struct rg_ca *c = pp->c;
	struct cert_spec s;
	char	 repo[RG_URI_MAX], mft[RG_URI_MAX], notify[RG_URI_MAX];
	char	 path[PATH_MAX], name[RG_NAME_MAX + 8];
	uint8_t	*der;
	size_t	 len;
	X509	*x;
	int	 rc;

	memset(&s, 0, sizeof(s));
	snprintf(name, sizeof(name), "%s.mft", c->name);
	plan_repo_uri(pp->pl, pp->ca, repo);
	plan_file_uri(pp->pl, pp->ca, name, mft);
	plan_notify_uri(pp->pl, pp->ca, notify);
	s.kind = CERT_TA;
	s.subject = s.issuer = c->name;
	s.key = s.issuer_key = pp->key;
	s.ski = s.issuer_ski = pp->ski;
	s.serial = 1;
	s.not_before = pp->t1.ta_nb;
	s.not_after = pp->t1.ta_na;
	s.repo = repo;
	s.mft = mft;
	s.notify = notify;
	s.v4 = (struct ip_res){ .kind = RES_RANGE, .range = &c->v4 };
	s.v6 = (struct ip_res){ .kind = RES_RANGE, .range = &c->v6 };
	s.as = (struct as_res){ RES_RANGE, c->as_lo, c->as_hi };
	if ((x = cert_build(&s, pp->e)) == NULL)
		return -1;
	rc = cert_der(x, &der, &len, pp->e);
	X509_free(x);
	if (rc == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/rsync/%s/ta", outdir,
	    pp->pl->hosts[c->host]);
	if ((rc = mkdirs(path, pp->e)) == 0) {
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
		    "/%s.cer", c->name);
		rc = fs_write(path, der, len, pp->e);
	}
	OPENSSL_free(der);
	return rc;
}

static int
pp_child(struct pp *pp, size_t ch)
{
	const struct rg_ca *k = &pp->pl->cas[ch];
	struct cert_spec s;
	struct rg_times	 t;
	char	 repo[RG_URI_MAX], mft[RG_URI_MAX], notify[RG_URI_MAX];
	char	 name[RG_NAME_MAX + 8];
	int	 rc;

	snprintf(name, sizeof(name), "%s.cer", k->name);
	if ((rc = pp_reuse(pp, name, k->gen)) != 0)
		return rc == 1 ? 0 : -1;
	plan_times_of(pp->pl, k->gen, &t);
	pp_spec(pp, &s, CERT_CA, plan_serial(k->gen, RG_SER_CA,
	    (uint32_t)ch));
	snprintf(name, sizeof(name), "%s.mft", k->name);
	plan_repo_uri(pp->pl, ch, repo);
	plan_file_uri(pp->pl, ch, name, mft);
	plan_notify_uri(pp->pl, ch, notify);
	s.subject = k->name;
	s.key = pp->kp->keys[k->key];
	s.ski = pp->kp->ski[k->key];
	s.not_before = t.ca_nb;
	s.not_after = t.ca_na;
	s.repo = repo;
	s.mft = mft;
	s.notify = notify;
	s.v4 = (struct ip_res){ .kind = RES_RANGE, .range = &k->v4 };
	s.v6 = (struct ip_res){ .kind = RES_RANGE, .range = &k->v6 };
	s.as = (struct as_res){ RES_RANGE, k->as_lo, k->as_hi };
	faults_cert(pp->pl, pp->ca, ch, &s);	/* -faults, if any */
	snprintf(name, sizeof(name), "%s.cer", k->name);
	return pp_cert(pp, cert_build(&s, pp->e), name);
}

/* A BGPsec router certificate (RFC 8209 section 3.1). */
static int
pp_router(struct pp *pp, const struct rg_router *r)
{
	struct cert_spec s;
	EVP_PKEY *k;
	uint8_t	 ski[SKI_LEN];
	char	 cn[32], name[RG_NAME_MAX];
	int	 rc;

	plan_router_name(pp->pl, r, name);
	if ((rc = pp_reuse(pp, name, 1)) != 0)
		return rc == 1 ? 0 : -1;
	if ((k = eckey_derive(pp->pl->p.seed, r->key, pp->e)) == NULL)
		return -1;
	if (key_ski(k, ski) == -1) {
		EVP_PKEY_free(k);
		return err_set(pp->e, "router key %u: no public key", r->key);
	}
	pp_spec(pp, &s, CERT_ROUTER, plan_serial(1, RG_SER_ROUTER, r->key));
	/* RFC 8209 section 3.1.1: "ROUTER-" and the ASN in hex. */
	snprintf(cn, sizeof(cn), "ROUTER-%08X", r->asn);
	s.subject = cn;
	s.key = k;
	s.ski = ski;
	s.not_before = pp->t1.ca_nb;
	s.not_after = pp->t1.ca_na;
	s.as = (struct as_res){ RES_RANGE, r->asn, r->asn };
	plan_router_name(pp->pl, r, name);
	rc = pp_cert(pp, cert_build(&s, pp->e), name);
	EVP_PKEY_free(k);
	return rc;
}

/*
 * A signed object: an EE certificate with key slot slot and resources
 * from s (filled by the caller), around econtent, signed at signtime;
 * published as name.
 */
static int
pp_signed(struct pp *pp, struct cert_spec *s, unsigned slot, const char *oid,
    const uint8_t *ec, size_t eclen, int64_t signtime, const char *name,
    int listed)
{
	char	 uri[RG_URI_MAX], cn[RG_NAME_MAX + 8], *dot;
	struct fault_obj fo;
	uint8_t	*der;
	size_t	 len;
	X509	*x;
	int	 rc;

	snprintf(cn, sizeof(cn), "%s", name);
	if ((dot = strrchr(cn, '.')) != NULL)
		*dot = '-';
	plan_file_uri(pp->pl, pp->ca, name, uri);
	s->subject = cn;
	s->key = pp->eekeys[slot];
	s->ski = pp->kp->ski[slot];
	s->signed_object = uri;
	/* -faults: fo is the arguments, as this object's faults change them. */
	if (faults_object(pp->pl, pp->ca, name, s, oid, ec, eclen, listed, &fo,
	    pp->e) == -1)
		return -1;
	if ((x = cert_build(s, pp->e)) == NULL) {
		faults_object_free(&fo);
		return -1;
	}
	rc = cms_sign(fo.oid, fo.ec, fo.eclen, x, pp->eekeys[slot], signtime,
	    fo.cms, &der, &len, pp->e);
	X509_free(x);
	faults_object_free(&fo);
	if (rc == -1)
		return -1;
	rc = pp_publish(pp, name, der, len, fo.listed);
	OPENSSL_free(der);
	return rc;
}

static int
pp_roa(struct pp *pp, size_t i)
{
	const struct rg_roa *r = &pp->pl->roas[pp->c->roa_off + i];
	const struct rg_prefix *p = &pp->pl->pfx[r->pfx_off];
	struct cert_spec s;
	struct rg_times	 t;
	char	 name[RG_NAME_MAX];
	uint8_t	*ec;
	size_t	 eclen, j;
	int	 rc, has4 = 0, has6 = 0;

	plan_roa_name(pp->pl, pp->ca, i, name);
	if ((rc = pp_reuse(pp, name, r->gen)) != 0)
		return rc == 1 ? 0 : -1;
	if (roa_encode(r->asn, p, r->npfx, &ec, &eclen, pp->e) == -1)
		return -1;
	for (j = 0; j < r->npfx; j++) {
		has4 |= p[j].afi == AFI_IPV4;
		has6 |= p[j].afi == AFI_IPV6;
	}
	/* Issued in generation r->gen: same serial, times, bytes since. */
	plan_times_of(pp->pl, r->gen, &t);
	pp_spec(pp, &s, CERT_EE, plan_serial(r->gen, RG_SER_ROA, r->id));
	s.not_before = t.ee_nb;
	s.not_after = t.ee_na;
	s.v4 = (struct ip_res){ has4 ? RES_PREFIXES : RES_NONE, NULL, p,
	    r->npfx };
	s.v6 = (struct ip_res){ has6 ? RES_PREFIXES : RES_NONE, NULL, p,
	    r->npfx };
	rc = pp_signed(pp, &s, (r->ca * 7 + r->id) % RG_EE_KEYS, OID_CT_ROA,
	    ec, eclen, t.now, name, 1);
	OPENSSL_free(ec);
	return rc;
}

static int
pp_aspa(struct pp *pp, const struct rg_aspa *a)
{
	struct cert_spec s;
	char	 name[RG_NAME_MAX];
	uint8_t	*ec;
	size_t	 eclen;
	int	 rc;

	plan_aspa_name(pp->pl, a, name);
	if ((rc = pp_reuse(pp, name, 1)) != 0)
		return rc == 1 ? 0 : -1;
	if (aspa_encode(pp->pl->p.aspa_version, a->customer,
	    &pp->pl->prov[a->prov_off], a->nprov, &ec, &eclen, pp->e) == -1)
		return -1;
	pp_spec(pp, &s, CERT_EE, plan_serial(1, RG_SER_ASPA,
	    (uint32_t)(a - &pp->pl->aspas[pp->c->aspa_off])));
	s.not_before = pp->t1.ee_nb;
	s.not_after = pp->t1.ee_na;
	s.as = (struct as_res){ RES_RANGE, a->customer, a->customer };
	plan_aspa_name(pp->pl, a, name);
	rc = pp_signed(pp, &s, a->customer % RG_EE_KEYS, OID_CT_ASPA, ec,
	    eclen, pp->t1.now, name, 1);
	OPENSSL_free(ec);
	return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct mft_entry *)a)->name,
	    ((const struct mft_entry *)b)->name);
}

/* CRL, then the manifest over everything (RFC 9286 section 4.2.1). */
static int
pp_crl_mft(struct pp *pp)
{
	const struct rg_times *t = &pp->pl->t;
	struct rg_times	 ct = *t, mt = *t;	/* the CRL's, the manifest's */
	struct cert_spec s;
	char	 name[RG_NAME_MAX + 8];
	uint8_t	*der;
	size_t	 len;
	int	 rc;

	faults_times(pp->pl, pp->ca, &ct, &mt);	/* -faults, if any */
	if (crl_build(pp->c->name, pp->key, pp->ski, pp->pl->gen,
	    ct.this_update, ct.next_update, &pp->pl->revoked[pp->c->rev_off],
	    pp->c->nrev, t->now, &der, &len, pp->e) == -1)
		return -1;
	snprintf(name, sizeof(name), "%s.crl", pp->c->name);
	rc = pp_publish(pp, name, der, len, 1);
	OPENSSL_free(der);
	if (rc == -1)
		return -1;
	qsort(pp->files, pp->nfiles, sizeof(*pp->files), cmp_entry);
	if (faults_manifest(pp->pl, pp->ca, pp->dir, pp->files, pp->nfiles,
	    pp->e) == -1)	/* -faults, if any */
		return -1;
	if (mft_encode(pp->pl->gen, mt.this_update, mt.next_update, pp->files,
	    pp->nfiles, &der, &len, pp->e) == -1)
		return -1;
	/* RFC 9286 section 5.1: the EE inherits, valid as the manifest. */
	pp_spec(pp, &s, CERT_EE, plan_serial(pp->pl->gen, RG_SER_MFT, 0));
	s.not_before = mt.this_update;
	s.not_after = mt.next_update;
	s.v4 = (struct ip_res){ .kind = RES_INHERIT };
	s.v6 = (struct ip_res){ .kind = RES_INHERIT };
	s.as = (struct as_res){ RES_INHERIT, 0, 0 };
	snprintf(name, sizeof(name), "%s.mft", pp->c->name);
	rc = pp_signed(pp, &s, (unsigned)(pp->ca % RG_EE_KEYS), OID_CT_MFT,
	    der, len, t->now, name, 0);
	OPENSSL_free(der);
	return rc;
}

int
pubpoint_write(const struct plan *pl, const struct keypool *kp,
    EVP_PKEY *const *eekeys, size_t ca, const char *outdir, struct err *e)
{
	struct pp	 pp;
	const struct rg_ca *c = &pl->cas[ca];
	const uint8_t	*xder;
	char		 name[RG_NAME_MAX + 8], xname[RG_NAME_MAX + 8];
	size_t		 i, xlen;
	int		 rc = -1;

	memset(&pp, 0, sizeof(pp));
	pp.pl = pl;
	pp.kp = kp;
	pp.eekeys = eekeys;
	pp.c = c;
	pp.ca = ca;
	pp.key = kp->keys[c->key];
	pp.ski = kp->ski[c->key];
	pp.e = e;
	plan_times_of(pl, 1, &pp.t1);
	plan_cert_uri(pl, ca, pp.cert_uri);
	snprintf(name, sizeof(name), "%s.crl", c->name);
	plan_file_uri(pl, ca, name, pp.crl_uri);
	snprintf(pp.dir, sizeof(pp.dir), "%s/rsync/%s/repo/%s", outdir,
	    pl->hosts[c->host], c->name);
	if (mkdirs(pp.dir, e) == -1)
		goto out;
	if (c->kind == RG_TA && pp_ta(&pp, outdir) == -1)
		goto out;
	for (i = 0; i < c->nchild; i++)
		if (pp_child(&pp, pl->child[c->child_off + i]) == -1)
			goto out;
	for (i = 0; i < c->nrouter; i++)
		if (pp_router(&pp, &pl->routers[c->router_off + i]) == -1)
			goto out;
	for (i = 0; i < c->nroa; i++)
		if (pp_roa(&pp, i) == -1)
			goto out;
	for (i = 0; i < c->naspa; i++)
		if (pp_aspa(&pp, &pl->aspas[c->aspa_off + i]) == -1)
			goto out;
	if (faults_extra_file(pl, ca, xname, sizeof(xname), &xder,
	    &xlen) && pp_publish(&pp, xname, xder, xlen, 1) == -1)
		goto out;	/* -faults, if any */
	if (pp_crl_mft(&pp) == -1)
		goto out;
	rc = 0;
 out:
	if (rc == -1)
		err_prefix(e, "CA %s", c->name);
	free(pp.files);
	return rc;
}
