/*
 * products.c - what a publication point's CA issued: child CA and router
 * certificates, ROAs and ASPAs, each checked against the CA (issuer key,
 * signature, validity, CRL, resources) and turned into payloads.
 */
#include <stdlib.h>
#include <string.h>

#include "aspa.h"
#include "asn1util.h"
#include "cache.h"
#include "memo.h"
#include "roa.h"
#include "tal.h"
#include "walk_impl.h"

/* Router keys taken from one certificate at most (AS ranges). */
#define ROUTER_ASNS_MAX	1024

static uint32_t
exp32(int64_t t)
{
	return t < 0 ? 0 : t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

/*
 * RFC 6487 section 4.8.7: c's caIssuers names the file of its issuer,
 * the CA of pc: the URI that certificate was read from or, for a trust
 * anchor, any rsync URI of its TAL (each names the same certificate,
 * which may have come from an https one).  A TAL with https URIs only
 * leaves nothing to compare with.  A mismatch is said, not rejected:
 * the key identifier and signature already proved the issuer, rpki-client
 * does not compare the URI and FORT rejects only one that does not lead
 * to the issuer (validator/README.md).
 */
static void
aia_check(const struct ppctx *pc, const struct cert *c)
{
	const struct job *j = pc->j;
	const char	*want = j->ca->fn;
	size_t		 i, n = 0;

	if (j->tal == NULL) {
		if (!cache_uri_same(c->aia, want))
			log_data(pc->wk->cfg->lg, LOG_WARN, "%s: RFC 6487 "
			    "section 4.8.7: authorityInfoAccess caIssuers: "
			    "want %s, have %s (used anyway)", c->fn, want,
			    c->aia);
		return;
	}
	for (i = 0; i < j->tal->nuris; i++) {
		if (strncmp(j->tal->uris[i], "rsync://", 8) != 0)
			continue;
		if (cache_uri_same(c->aia, j->tal->uris[i]))
			return;
		if (n++ == 0)
			want = j->tal->uris[i];
	}
	if (n > 0)
		log_data(pc->wk->cfg->lg, LOG_WARN, "%s: RFC 6487 section "
		    "4.8.7: authorityInfoAccess caIssuers: want %s%s (TAL %s), "
		    "have %s (used anyway)", c->fn, want, n > 1 ?
		    " or another of its rsync URIs" : "", j->tal->name, c->aia);
}

/*
 * RFC 6487 section 4.8.6: c's cRLDistributionPoints names the CRL of its
 * issuer, the one pc uses (the CRL its manifest lists).  A mismatch is
 * said, not rejected: a CA has one CRL for all it issues (section 5),
 * that one is what revocation was checked against, and the URI is only
 * a pointer - as with caIssuers.  rpki-client 8.2 does not compare it;
 * FORT 1.5.4 says so and outputs the ROA anyway (tests/README.md).
 */
static void
crldp_check(const struct ppctx *pc, const struct cert *c)
{
	if (pc->crl == NULL || cache_uri_same(c->crldp, pc->crl->fn))
		return;
	log_data(pc->wk->cfg->lg, LOG_WARN, "%s: RFC 6487 section 4.8.6: "
	    "cRLDistributionPoints: want %s, have %s (used anyway)", c->fn,
	    pc->crl->fn, c->crldp != NULL ? c->crldp : "none");
}

int
signedobj_check(const struct cert *ee, const char *uri, struct err *e)
{
	if (cache_uri_same(ee->signedobj, uri))
		return 0;
	return err_set(e, "%s: RFC 6487 section 4.8.8.2: subjectInfoAccess "
	    "signedObject: want %s, have %s", uri, uri, ee->signedobj);
}

int
issued_check(struct ppctx *pc, struct cert *c, enum walk_reason *r,
    struct err *e)
{
	const struct cert *ca = pc->j->ca;
	char		 want[2 * SKI_LEN + 1], have[2 * SKI_LEN + 1];

	*r = WR_ISSUER;
	if (!c->has_aki || memcmp(c->aki, ca->ski, SKI_LEN) != 0)
		return err_set(e, "%s: RFC 6487 section 4.8.3: "
		    "authorityKeyIdentifier: want %s (%s), have %s", c->fn,
		    hex_upper_n(ca->ski, SKI_LEN, want), ca->fn, c->has_aki ?
		    hex_upper_n(c->aki, SKI_LEN, have) : "none");
	*r = WR_SIGNATURE;
	if (cert_verify_signature(c, ca->pub, e) == -1)
		return -1;
	return issued_context_check(pc, c, r, e);
}

int
issued_context_check(struct ppctx *pc, struct cert *c, enum walk_reason *r,
    struct err *e)
{
	const struct cert *ca = pc->j->ca;
	int64_t		 now = pc->wk->cfg->now;

	*r = WR_TIME;
	if (now < c->notbefore)
		return err_set(e, "%s: RFC 5280 section 6.1.3: certificate "
		    "not yet valid", c->fn);
	if (now > c->notafter)
		return err_set(e, "%s: RFC 5280 section 6.1.3: certificate "
		    "expired", c->fn);
	*r = WR_REVOKED;
	if (pc->crl != NULL && crl_is_revoked(pc->crl, c))
		return err_set(e, "%s: RFC 5280 section 6.1.3: certificate "
		    "revoked by %s", c->fn, pc->crl->fn);
	*r = WR_RESOURCES;
	if (ipres_contains(c->fn, ca->res, c->res, e) != 1)
		return -1;
	if (ipres_inherit(c->res, ca->res, e) == -1)
		return -1;
	aia_check(pc, c);
	crldp_check(pc, c);
	return 0;
}

/* A child CA: checked, then queued as a job of its own. */
static void
child_ca(struct ppctx *pc, struct cert *c)
{
	struct worker	*wk = pc->wk;
	const struct job *j = pc->j;
	enum walk_reason r;
	struct err	 e;
	char		 hex[2 * SKI_LEN + 1];
	unsigned	 i;

	if (issued_check(pc, c, &r, &e) == -1)
		goto bad;
	r = WR_ISSUER;
	if (j->depth + 1 > wk->cfg->max_depth ||
	    j->depth + 1 >= WALK_DEPTH_HARD) {
		err_set(&e, "%s: chain too deep: %u CAs below the trust "
		    "anchor, the limit is %u", c->fn, j->depth + 1,
		    wk->cfg->max_depth);
		goto bad;
	}
	for (i = 0; i <= j->depth; i++)
		if (memcmp(j->chain[i], c->ski, SKI_LEN) == 0) {
			err_set(&e, "%s: CA loop: key %s is already on the "
			    "chain at depth %u", c->fn,
			    hex_upper_n(c->ski, SKI_LEN, hex), i);
			goto bad;
		}
	wk->st.valid[WT_CA]++;
	walk_push(wk, j, c);	/* takes c */
	return;
 bad:
	walk_reject(wk, WT_CA, r, &e);
	cert_free(c);
}

/* A BGPsec router certificate (RFC 8209): a key per AS it holds. */
static void
router(struct ppctx *pc, struct cert *c)
{
	struct worker	*wk = pc->wk;
	enum walk_reason r;
	struct err	 e;
	uint64_t	 asn, n = 0;
	size_t		 i;
	uint32_t	 exp;

	if (issued_check(pc, c, &r, &e) == -1) {
		walk_reject(wk, WT_ROUTER, r, &e);
		return;
	}
	exp = exp32(c->notafter < pc->expires ? c->notafter : pc->expires);
	for (i = 0; i < c->res->nas; i++)
		for (asn = c->res->as[i].lo; asn <= c->res->as[i].hi &&
		    n < ROUTER_ASNS_MAX; asn++, n++)
			if (vrpset_add_rkey(wk->b, (uint32_t)asn, c->ski,
			    c->spki, c->spki_len, (uint16_t)pc->j->ta,
			    exp) == -1)
				wk->oom = 1;
	wk->st.valid[WT_ROUTER]++;
	wk->st.router_keys += (size_t)n;
}

static void
product_cer(struct ppctx *pc, const char *fn, const uint8_t *der,
    size_t len)
{
	struct cert	*c;
	struct err	 e;

	if ((c = cert_parse(fn, der, len, &e)) == NULL) {
		walk_reject(pc->wk, WT_CA, WR_PARSE, &e);
		return;
	}
	if (c->purpose == CERT_CA)
		child_ca(pc, c);
	else if (c->purpose == CERT_ROUTER) {
		router(pc, c);
		cert_free(c);
	} else {
		err_set(&e, "%s: RFC 6487 section 4.8.1: a .cer a CA issues "
		    "must be a CA or router certificate, have %s", fn,
		    cert_purpose_a(c->purpose));
		walk_reject(pc->wk, WT_CA, WR_PARSE, &e);
		cert_free(c);
	}
}

/*
 * The EE certificate of the signed object fn, taken from cms (which
 * keeps the rest), checked against the CA and naming fn as its
 * signedObject.  Returns it (cert_free), or NULL with the reason in *r
 * and e.
 */
static struct cert *
signed_ee(struct ppctx *pc, const char *fn, struct cms_object *cms,
    enum walk_reason *r, struct err *e)
{
	struct cert	*ee;

	*r = WR_PARSE;
	if ((ee = cert_take(fn, &cms->ee, &cms->ee_key, e)) == NULL)
		return NULL;
	if (ee->purpose != CERT_EE) {
		err_set(e, "%s: RFC 6488 section 2.1.4: want an EE "
		    "certificate, have %s", fn, cert_purpose_a(ee->purpose));
		goto bad;
	}
	if (issued_check(pc, ee, r, e) == -1)
		goto bad;
	*r = WR_LOCATION;
	if (signedobj_check(ee, fn, e) == -1)
		goto bad;
	return ee;
 bad:
	cert_free(ee);
	return NULL;
}

/*
 * After memo_roa_get or memo_aspa_get returned rc (memo.h): 0 if there
 * is no entry or it could not be had (out of memory: the object is then
 * validated in full); else 1, with *ee the memo's EE certificate checked
 * again for what depends on the time, the CRL and the CA, or NULL
 * (freed) with the reason in *r and e.
 */
static int
memo_recheck(struct ppctx *pc, int rc, struct cert **ee,
    enum walk_reason *r, struct err *e)
{
	if (rc != 1)
		return 0;
	memcpy((*ee)->aki, pc->j->ca->ski, SKI_LEN);
	(*ee)->has_aki = 1;
	if (issued_context_check(pc, *ee, r, e) == -1) {
		cert_free(*ee);
		*ee = NULL;
	}
	return 1;
}

static void
product_roa(struct ppctx *pc, const char *fn, const uint8_t *der,
    size_t len, const uint8_t hash[32])
{
	struct worker	*wk = pc->wk;
	struct memo	*m = wk->cfg->memo;
	struct roa	*roa = NULL;
	struct cert	*ee = NULL;
	struct vrp	 v;
	enum walk_reason r = WR_PARSE;
	struct err	 e;
	char		 pfx[PREFIX_STRLEN];
	uint8_t		 key[MEMO_KEY_LEN];
	size_t		 i;
	uint32_t	 exp;
	int		 hit = 0;

	if (m != NULL) {
		memo_key(hash, pc->ca_key, fn, key);
		hit = memo_recheck(pc, memo_roa_get(m, key, fn, &ee, &roa),
		    &ee, &r, &e);
	}
	if (hit) {
		if (ee == NULL)
			goto bad;
	} else if ((roa = roa_parse(fn, der, len, &e)) == NULL ||
	    (ee = signed_ee(pc, fn, &roa->cms, &r, &e)) == NULL)
		goto bad;
	r = WR_RESOURCES;
	for (i = 0; i < roa->nprefixes; i++) {
		const struct roa_prefix *p = &roa->prefixes[i];

		if (!ipres_covers(ee->res, p->afi, p->addr, p->plen)) {
			memset(&v, 0, sizeof(v));
			memcpy(v.addr, p->addr, sizeof(v.addr));
			v.afi = p->afi;
			v.plen = p->plen;
			prefix_format(&v, pfx);
			err_set(&e, "%s: RFC 9582 section 5: prefix %s is not "
			    "in the EE certificate's resources", fn, pfx);
			goto bad;
		}
	}
	exp = exp32(ee->notafter < pc->expires ? ee->notafter : pc->expires);
	for (i = 0; i < roa->nprefixes; i++) {
		memset(&v, 0, sizeof(v));
		memcpy(v.addr, roa->prefixes[i].addr, sizeof(v.addr));
		v.afi = roa->prefixes[i].afi;
		v.plen = roa->prefixes[i].plen;
		v.maxlen = roa->prefixes[i].maxlen;
		v.asn = roa->asid;
		v.ta = (uint16_t)pc->j->ta;
		v.expires = exp;
		if (vrpset_add_vrp(wk->b, &v) == -1)
			wk->oom = 1;
	}
	wk->st.valid[WT_ROA]++;
	wk->st.vrps += roa->nprefixes;
	if (m != NULL && !hit)
		memo_roa_put(m, key, ee, roa);
	goto out;
 bad:
	walk_reject(wk, WT_ROA, r, &e);
 out:
	cert_free(ee);
	roa_free(roa);
}

static void
product_aspa(struct ppctx *pc, const char *fn, const uint8_t *der,
    size_t len, const uint8_t hash[32])
{
	struct worker	*wk = pc->wk;
	struct memo	*m = wk->cfg->memo;
	struct aspa_obj	*a = NULL;
	struct cert	*ee = NULL;
	enum walk_reason r = WR_PARSE;
	struct err	 e;
	uint8_t		 key[MEMO_KEY_LEN];
	uint32_t	 exp;
	int		 hit = 0;

	if (m != NULL) {
		memo_key(hash, pc->ca_key, fn, key);
		hit = memo_recheck(pc, memo_aspa_get(m, key, fn, &ee, &a),
		    &ee, &r, &e);
	}
	if (hit) {
		if (ee == NULL)
			goto bad;
	} else if ((a = aspa_parse(fn, der, len, &e)) == NULL ||
	    (ee = signed_ee(pc, fn, &a->cms, &r, &e)) == NULL)
		goto bad;
	r = WR_RESOURCES;
	if (ee->res->present & (IPRES_BIT(IPRES_V4) | IPRES_BIT(IPRES_V6))) {
		err_set(&e, "%s: draft-ietf-sidrops-aspa-profile section 4: "
		    "the EE certificate must not hold IP resources", fn);
		goto bad;
	}
	if (!asres_covers(ee->res, a->customer)) {
		err_set(&e, "%s: draft-ietf-sidrops-aspa-profile section 4: "
		    "customer AS%u is not in the EE certificate's resources",
		    fn, a->customer);
		goto bad;
	}
	exp = exp32(ee->notafter < pc->expires ? ee->notafter : pc->expires);
	if (vrpset_add_aspa(wk->b, a->customer, a->providers, a->nproviders,
	    (uint16_t)pc->j->ta, exp) == -1)
		wk->oom = 1;
	wk->st.valid[WT_ASPA]++;
	wk->st.aspas++;
	if (m != NULL && !hit)
		memo_aspa_put(m, key, ee, a);
	goto out;
 bad:
	walk_reject(wk, WT_ASPA, r, &e);
 out:
	cert_free(ee);
	aspa_obj_free(a);
}

void
product_process(struct ppctx *pc, const char *fn, const uint8_t *der,
    size_t len, const uint8_t hash[32])
{
	const char	*dot = strrchr(fn, '.');
	struct err	 e;

	if (dot != NULL && strcmp(dot, ".cer") == 0)
		product_cer(pc, fn, der, len);
	else if (dot != NULL && strcmp(dot, ".roa") == 0)
		product_roa(pc, fn, der, len, hash);
	else if (dot != NULL && strcmp(dot, ".asa") == 0)
		product_aspa(pc, fn, der, len, hash);
	else if (dot != NULL && strcmp(dot, ".gbr") == 0)
		pc->wk->st.valid[WT_GBR]++;	/* contact data: not used */
	else {
		err_set(&e, "%s: a file of no type this validator uses "
		    "(or a second CRL or manifest): ignored", fn);
		walk_reject(pc->wk, WT_OTHER, WR_PARSE, &e);
	}
}
