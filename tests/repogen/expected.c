/*
 * expected.c - what a correct validator outputs for the plan, written in
 * the formats common/vrpfile.h reads:
 *
 *   expected/vrps.csv          rpki-client CSV, "ASN,IP Prefix,Max
 *                              Length,Trust Anchor" (4 columns)
 *   expected/aspas.json        rpki-client JSON, current "aspas" form
 *   expected/router-keys.json  rpki-client JSON, "bgpsec_keys"
 *   expected/all.json          the three kinds in one rpki-client JSON
 *                              file, to diff against a validator's -j
 *
 * The trust anchor of an entry is its TAL's name ("ta-0").  "expires" is
 * the earliest time any object on the entry's chain stops being valid:
 * the certificates' notAfter and the manifests' and CRLs' nextUpdate.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "faults.h"
#include "objects.h"
#include "fileio.h"
#include "repogen.h"
#include "vrpfile.h"
#include "vrpset.h"

enum { B_ALL, B_VRPS, B_ASPAS, B_KEYS, B_N };

static uint32_t
exp32(int64_t a, int64_t b)
{
	int64_t x = a < b ? a : b;

	return x < 0 ? 0 : x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
}

static int
add_roas(struct vrpset_builder **b, const struct plan *pl,
    const struct rg_ca *c)
{
	const struct rg_roa *r;
	const struct rg_prefix *p;
	struct rg_times	 t;
	struct vrp	 v;
	size_t		 i, j;

	for (i = 0; i < c->nroa; i++) {
		r = &pl->roas[c->roa_off + i];
		if (r->revoked)
			continue;	/* its EE is on the CRL */
		if (faults_roa_dropped(pl, (size_t)(c - pl->cas), i))
			continue;	/* -faults: invalid or not used */
		plan_times_of(pl, r->gen, &t);
		for (j = 0; j < r->npfx; j++) {
			p = &pl->pfx[r->pfx_off + j];
			memset(&v, 0, sizeof(v));
			memcpy(v.addr, p->addr, sizeof(v.addr));
			v.afi = p->afi;
			v.plen = p->plen;
			v.maxlen = p->maxlen;
			v.asn = r->asn;
			v.ta = (uint16_t)c->ta;
			v.expires = exp32(c->expires, t.ee_na);
			if (vrpset_add_vrp(b[B_ALL], &v) == -1 ||
			    vrpset_add_vrp(b[B_VRPS], &v) == -1)
				return -1;
		}
	}
	return 0;
}

static int
add_aspas(struct vrpset_builder **b, const struct plan *pl,
    const struct rg_ca *c)
{
	const struct rg_aspa *a;
	struct rg_times	 t1;
	size_t		 i, k;
	uint32_t	 x;

	plan_times_of(pl, 1, &t1);	/* ASPAs never change */
	x = exp32(c->expires, t1.ee_na);

	for (i = 0; i < c->naspa; i++) {
		a = &pl->aspas[c->aspa_off + i];
		if (faults_aspa_dropped(pl, (size_t)(c - pl->cas), i))
			continue;	/* -faults: invalid */
		for (k = B_ALL; k <= B_ASPAS; k += B_ASPAS)
			if (vrpset_add_aspa(b[k], a->customer,
			    &pl->prov[a->prov_off], a->nprov,
			    (uint16_t)c->ta, x) == -1)
				return -1;
	}
	return 0;
}

static int
add_keys(struct vrpset_builder **b, const struct plan *pl,
    const struct rg_ca *c, struct err *e)
{
	const struct rg_router *r;
	EVP_PKEY	*k;
	unsigned char	*spki = NULL;
	uint8_t		 ski[SKI_LEN];
	size_t		 i;
	int		 n = 0, rc;
	struct rg_times	 t1;
	uint32_t	 x;

	plan_times_of(pl, 1, &t1);	/* router certificates never change */
	x = exp32(c->expires, t1.ca_na);

	for (i = 0; i < c->nrouter; i++) {
		r = &pl->routers[c->router_off + i];
		if (faults_router_dropped(pl, (size_t)(c - pl->cas), i))
			continue;	/* -faults: invalid */
		if ((k = eckey_derive(pl->p.seed, r->key, e)) == NULL)
			return -1;
		spki = NULL;
		rc = key_ski(k, ski) == 0 && (n = i2d_PUBKEY(k, &spki)) > 0 &&
		    vrpset_add_rkey(b[B_ALL], r->asn, ski, spki, (size_t)n,
		    (uint16_t)c->ta, x) == 0 &&
		    vrpset_add_rkey(b[B_KEYS], r->asn, ski, spki, (size_t)n,
		    (uint16_t)c->ta, x) == 0;
		OPENSSL_free(spki);
		EVP_PKEY_free(k);
		if (!rc)
			return err_set(e, "router key %u: encoding failed",
			    r->key);
	}
	return 0;
}

static int
save(struct vrpset_builder **b, int k, const struct plan *pl,
    const char *outdir, const char *name, enum vrpfile_format fmt,
    struct err *e)
{
	struct vrpset	*s;
	struct vrpfile_meta m;
	char		 path[PATH_MAX];
	int		 rc;

	/* "generated" is the generation time, so the file is reproducible. */
	memset(&m, 0, sizeof(m));
	m.generated = pl->t.now;
	m.has_generated = 1;

	s = vrpset_build(b[k]);
	b[k] = NULL;	/* consumed */
	if (s == NULL)
		return err_set(e, "out of memory");
	snprintf(path, sizeof(path), "%s/expected/%s", outdir, name);
	rc = vrpfile_save(path, s, fmt, &m, e);
	vrpset_unref(s);
	return rc;
}

int
expected_write(const struct plan *pl, const char *outdir, struct err *e)
{
	struct vrpset_builder *b[B_N] = { 0 };
	char	 path[PATH_MAX];
	size_t	 i;
	int	 k, rc = -1;

	for (k = 0; k < B_N; k++) {
		if ((b[k] = vrpset_builder_new()) == NULL)
			goto oom;
		/* TA names in TA order, so TA index t is name index t. */
		for (i = 0; i < pl->p.tas; i++)
			if (vrpset_builder_ta(b[k], pl->cas[i].name) != (int)i)
				goto oom;
	}
	for (i = 0; i < pl->ncas; i++) {
		const struct rg_ca *c = &pl->cas[i];

		if (faults_ca_dropped(pl, i))
			continue;	/* -faults: none of it is valid */
		if (add_roas(b, pl, c) == -1 || add_aspas(b, pl, c) == -1)
			goto oom;
		if (add_keys(b, pl, c, e) == -1)
			goto out;
	}
	snprintf(path, sizeof(path), "%s/expected", outdir);
	if (mkdirs(path, e) == -1 ||
	    save(b, B_VRPS, pl, outdir, "vrps.csv", VRPFILE_CSV, e) == -1 ||
	    save(b, B_ASPAS, pl, outdir, "aspas.json", VRPFILE_RPKICLIENT,
	    e) == -1 ||
	    save(b, B_KEYS, pl, outdir, "router-keys.json",
	    VRPFILE_RPKICLIENT, e) == -1 ||
	    save(b, B_ALL, pl, outdir, "all.json", VRPFILE_RPKICLIENT,
	    e) == -1)
		goto out;
	rc = 0;
	goto out;
 oom:
	err_set(e, "out of memory");
 out:
	for (k = 0; k < B_N; k++)
		vrpset_builder_free(b[k]);
	return rc;
}
