/*
 * faults.c - the catalogue of rpki-repogen's object faults (-faults):
 * their names, what each does and what a correct validator makes of it,
 * and the expected side (faults_ca_dropped, faults_roa_dropped,
 * DIR/expected/faults.txt).  Injecting them is faults_inject.c's.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"

enum fault_kind {
	FK_CA,		/* needs a member CA of its own */
	FK_ROA,		/* needs a ROA of its own; shares a CA */
	FK_ASPA,	/* adds an ASPA to a member CA without one */
	FK_ADD,		/* adds a router certificate or a file */
};

/* What a correct validator leaves out, or adds. */
enum fault_drop {
	DROP_NONE,	/* nothing: output as without the fault */
	DROP_CA,	/* the victim CA and everything below it */
	DROP_ROA,	/* the victim ROA */
	DROP_EXTRA,	/* the ROA the fault added */
	KEEP_EXTRA,	/* nothing, and the added ROA counts */
	DROP_DEEP,	/* the CAs deeper than FAULT_DEPTH_MAX */
	DROP_SHRUNK,	/* the victim's ROAs outside its shrunk IPv4 */
	DROP_ASPA,	/* the ASPA the fault added */
	DROP_ROUTER,	/* the router certificate the fault added */
	KEEP_ROA,	/* nothing: the victim ROA stays (its VRPs counted) */
};

static const struct fault_def {
	const char	*name;
	enum fault_kind	 kind;
	enum fault_drop	 drop;
	const char	*what;
	const char	*effect;
	const char	*rfc;
} defs[FAULT_N] = {
	[FAULT_EXPIRED_CA] = { "expired-ca", FK_CA, DROP_CA,
	    "a member CA's certificate expired an hour ago",
	    "the CA certificate is invalid: nothing of the CA is output",
	    "RFC 6487 section 7.2; RFC 5280 section 6.1.3 (a)(2)" },
	[FAULT_NOTYET_CA] = { "notyet-ca", FK_CA, DROP_CA,
	    "a member CA's certificate is valid from tomorrow",
	    "the CA certificate is invalid: nothing of the CA is output",
	    "RFC 6487 section 7.2; RFC 5280 section 6.1.3 (a)(2)" },
	[FAULT_OVERCLAIM] = { "overclaim", FK_CA, DROP_CA,
	    "a member CA's certificate claims IPv4 space beyond its "
	    "parent's",
	    "the whole CA certificate is invalid (strict RFC 6487, not "
	    "RFC 8360): nothing of the CA is output",
	    "RFC 6487 section 7.2; RFC 3779 section 2.3" },
	[FAULT_EXPIRED_EE] = { "expired-ee", FK_ROA, DROP_ROA,
	    "a ROA's EE certificate expired an hour ago",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 6488 section 3; RFC 5280 section 6.1.3 (a)(2)" },
	[FAULT_NOTYET_EE] = { "notyet-ee", FK_ROA, DROP_ROA,
	    "a ROA's EE certificate is valid from tomorrow",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 6488 section 3; RFC 5280 section 6.1.3 (a)(2)" },
	[FAULT_REVOKED_EE] = { "revoked-ee", FK_ROA, DROP_ROA,
	    "a ROA's EE certificate is on its CA's CRL",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 6487 section 7.2; RFC 5280 section 6.1.3 (a)(3)" },
	[FAULT_MFT_HASH] = { "mft-hash", FK_CA, DROP_CA,
	    "the manifest gives a ROA a wrong SHA-256",
	    "the fetch of the publication point fails; in a fresh cache "
	    "nothing of the CA is output",
	    "RFC 9286 sections 6.5 and 6.6" },
	[FAULT_MFT_MISSING] = { "mft-missing", FK_CA, DROP_CA,
	    "a ROA listed on the manifest is not published",
	    "the fetch of the publication point fails; in a fresh cache "
	    "nothing of the CA is output",
	    "RFC 9286 sections 6.4 and 6.6" },
	[FAULT_MFT_UNLISTED] = { "mft-unlisted", FK_ROA, DROP_EXTRA,
	    "a valid ROA for AS64496 is published but not on the manifest",
	    "the unlisted ROA is not used: its VRPs are not output, the "
	    "rest of the CA's are",
	    "RFC 9286 section 6" },
	[FAULT_STALE_MFT] = { "stale-mft", FK_CA, DROP_CA,
	    "the manifest's nextUpdate (its EE's notAfter) passed an hour "
	    "ago",
	    "the manifest is stale, the fetch fails; in a fresh cache "
	    "nothing of the CA is output",
	    "RFC 9286 sections 6.3 and 6.6" },
	[FAULT_STALE_CRL] = { "stale-crl", FK_CA, DROP_CA,
	    "the CRL's nextUpdate passed an hour ago",
	    "no current CRL: nothing the CA issued validates, nothing of "
	    "the CA is output",
	    "RFC 6487 section 5; RFC 5280 section 6.3.3; RFC 9286 "
	    "section 6.6" },
	[FAULT_BAD_SIG] = { "bad-sig", FK_ROA, DROP_ROA,
	    "a ROA's CMS signature has one bit flipped",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 6488 section 3; RFC 5652 section 5.6" },
	[FAULT_WRONG_CTYPE] = { "wrong-ctype", FK_ROA, DROP_ROA,
	    "a .roa signed with eContentType id-ct-ASPA",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 6488 section 3; RFC 9582 section 3" },
	[FAULT_NO_CTYPE_ATTR] = { "no-ctype-attr", FK_ROA, DROP_ROA,
	    "a ROA without the content-type signed attribute",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 6488 sections 2.1.6.4.1 and 3" },
	[FAULT_MAXLEN_SHORT] = { "maxlen-short", FK_ROA, DROP_ROA,
	    "a ROA prefix with maxLength one below its prefix length",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 9582 section 4.3.2" },
	[FAULT_AS0_ROA] = { "as0-roa", FK_ROA, KEEP_EXTRA,
	    "an AS0 ROA for the prefixes of one of the CA's ROAs",
	    "valid: its AS0 VRPs are output",
	    "RFC 6483 section 4; RFC 7607" },
	[FAULT_DUP_ROA] = { "dup-roa", FK_ROA, DROP_NONE,
	    "a second ROA file with the content of one of the CA's",
	    "both valid; VRPs are a set, the output is unchanged",
	    "RFC 8210 section 5.6" },
	[FAULT_CA_LOOP] = { "ca-loop", FK_CA, DROP_NONE,
	    "a member CA issues a certificate for its parent's key and "
	    "publication point, within its own resources",
	    "the loop is detected and its certificate rejected; the output "
	    "is unchanged",
	    "RFC 5280 section 6.1; RFC 6487 section 7.2" },
	[FAULT_DEEP_CHAIN] = { "deep-chain", FK_CA, DROP_DEEP,
	    "a chain of CAs below a member down to 13 below the TA, one "
	    "ROA each",
	    "the ROAs of the chain's CAs down to 12 below the TA are "
	    "output, the deeper one's are not (rpki-client's limit)",
	    "none (validators' limits; rpki-client: 12)" },
	[FAULT_BER_LENGTH] = { "ber-length", FK_ROA, DROP_ROA,
	    "a ROA's eContent starts with a non-minimal (BER) length",
	    "signed objects are DER: the ROA is invalid, its VRPs are not "
	    "output",
	    "RFC 6488 (signed objects are DER); X.690 section 10.1" },
	[FAULT_OVERSIZED] = { "oversized", FK_ROA, DROP_ROA,
	    "a valid ROA padded with 180000 IPv6 /127s to 4.5 MB",
	    "larger than validators take: the ROA is not used, its VRPs "
	    "are not output",
	    "none (validators' limits; rpki-client: 4000000 bytes)" },
	[FAULT_CA_BAD_SIG] = { "ca-bad-sig", FK_CA, DROP_CA,
	    "a member CA's certificate has one bit of its signature flipped",
	    "the CA certificate is invalid: nothing of the CA is output",
	    "RFC 6487 section 7.2; RFC 5280 section 6.1.3 (a)(1)" },
	[FAULT_CRL_BAD_SIG] = { "crl-bad-sig", FK_CA, DROP_CA,
	    "a CA's CRL has one bit of its signature flipped (the manifest "
	    "lists it as it is)",
	    "no valid CRL, the fetch fails; in a fresh cache nothing of the "
	    "CA is output",
	    "RFC 6487 section 5; RFC 5280 section 6.3.3 (f); RFC 9286 "
	    "section 6.6" },
	[FAULT_MFT_BAD_SIG] = { "mft-bad-sig", FK_CA, DROP_CA,
	    "a CA's manifest has one bit of its CMS signature flipped",
	    "the manifest is invalid, the fetch fails; in a fresh cache "
	    "nothing of the CA is output",
	    "RFC 6488 section 3; RFC 9286 section 6.6" },
	[FAULT_REVOKED_MFT] = { "revoked-mft", FK_CA, DROP_CA,
	    "a CA's manifest EE certificate is on the CA's own CRL",
	    "the manifest is invalid, the fetch fails; in a fresh cache "
	    "nothing of the CA is output",
	    "RFC 6488 section 3; RFC 5280 section 6.1.3 (a)(3); RFC 9286 "
	    "section 6.6" },
	[FAULT_ROA_OVERCLAIM] = { "roa-overclaim", FK_ROA, DROP_ROA,
	    "a ROA with one more prefix, inside its CA's resources but "
	    "outside its EE certificate's",
	    "the ROA is invalid: its VRPs are not output",
	    "RFC 9582 section 5" },
	[FAULT_EE_OVERCLAIM] = { "ee-overclaim", FK_ROA, DROP_ROA,
	    "a ROA's EE certificate claims IPv4 space a /24 past its CA's",
	    "the EE certificate is invalid (strict RFC 6487, not RFC 8360): "
	    "the ROA's VRPs are not output",
	    "RFC 6487 section 7.2; RFC 3779 section 2.3" },
	[FAULT_CA_SHRINK] = { "ca-shrink", FK_CA, DROP_SHRUNK,
	    "a member CA's certificate has its IPv4 range end one address "
	    "before the end of its ROAs' highest IPv4 prefix (the ROAs "
	    "unchanged, byte for byte)",
	    "the EE certificates of the ROAs holding that address now claim "
	    "more than their CA (strict RFC 6487, not RFC 8360): those ROAs' "
	    "VRPs are not output, the rest of the CA's are",
	    "RFC 6487 section 7.2; RFC 3779 section 2.3" },
	[FAULT_FUTURE_MFT] = { "future-mft", FK_CA, DROP_CA,
	    "the manifest's thisUpdate (its EE's notBefore) is tomorrow",
	    "the manifest is premature, the fetch fails; in a fresh cache "
	    "nothing of the CA is output",
	    "RFC 9286 sections 6.3 and 6.6" },
	[FAULT_FUTURE_CRL] = { "future-crl", FK_CA, DROP_CA,
	    "the CRL's thisUpdate is tomorrow",
	    "no current CRL: nothing the CA issued validates, nothing of "
	    "the CA is output",
	    "RFC 5280 sections 5.1.2.4 and 6.3.3; RFC 9286 section 6.6" },
	[FAULT_ASPA_OVERCLAIM] = { "aspa-overclaim", FK_ASPA, DROP_ASPA,
	    "an ASPA for customer AS64497, its EE certificate holding only "
	    "its CA's own AS",
	    "the ASPA is invalid: it is not output",
	    "draft-ietf-sidrops-aspa-profile section 4 (the customer in the "
	    "EE certificate's AS resources)" },
	[FAULT_ASPA_SELF] = { "aspa-self-provider", FK_ASPA, DROP_ASPA,
	    "an ASPA for its CA's own AS listing that AS among its providers",
	    "the ASPA is invalid: it is not output",
	    "draft-ietf-sidrops-aspa-profile section 3.3 (the customer is "
	    "not one of its providers)" },
	[FAULT_ROUTER_OVERCLAIM] = { "router-overclaim", FK_ADD,
	    DROP_ROUTER,
	    "a BGPsec router certificate for AS64497, which its CA does not "
	    "hold",
	    "the router certificate is invalid: its key is not output",
	    "RFC 8209 section 3.1.3.5; RFC 6487 section 7.2; RFC 3779 "
	    "section 3.3" },
	[FAULT_UNKNOWN_TYPE] = { "unknown-type", FK_ADD, DROP_NONE,
	    "a CA publishes and lists on its manifest a file of a type no "
	    "RPKI profile defines (.xyz)",
	    "the file is ignored, the publication point is used: output "
	    "unchanged",
	    "RFC 9286 section 6.4 (the listed file present, its hash "
	    "matching); RFC 6481 section 2 (only the types it names have "
	    "a meaning)" },
	[FAULT_CRLDP_OTHER] = { "crldp-other", FK_ROA, DROP_NONE,
	    "a ROA's EE certificate names as its CRL a file its CA does not "
	    "publish (<ca>-old.crl)",
	    "the ROA is used, revocation checked against its CA's one CRL "
	    "(the manifest's); the mismatch is worth a warning, not the "
	    "ROA: output unchanged",
	    "RFC 6487 sections 4.8.6 and 5 (one CRL per CA)" },
	[FAULT_EE_INHERIT] = { "ee-inherit", FK_ROA, KEEP_ROA,
	    "a ROA's EE certificate has inherit for IPv4 and IPv6 (so it "
	    "holds its CA's addresses, which hold the ROA's prefixes)",
	    "valid: RFC 6487 allows inherit in any certificate but a trust "
	    "anchor's, and the ROA's prefixes are within what the EE "
	    "certificate holds; output unchanged",
	    "RFC 6487 section 4.8.10; RFC 9582 section 5" },
};

int
faults_select(struct faults *f, const char *list, struct err *e)
{
	const char	*p = list, *end;
	size_t		 i, n, len;

	memset(f, 0, sizeof(*f));
	if (strcmp(list, "all") == 0) {
		memset(f->on, 1, sizeof(f->on));
		return 0;
	}
	for (;;) {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < FAULT_N; i++)
			if (strlen(defs[i].name) == n &&
			    strncmp(defs[i].name, p, n) == 0)
				break;
		if (i == FAULT_N) {
			err_set(e, "-faults: no fault \"%.*s\"; want all or "
			    "names separated by commas:", (int)n, p);
			for (i = 0; i < FAULT_N; i++) {
				len = strlen(e->msg);
				snprintf(e->msg + len, sizeof(e->msg) - len,
				    " %s", defs[i].name);
			}
			return -1;
		}
		f->on[i] = 1;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

int
faults_any(const struct faults *f)
{
	size_t i;

	for (i = 0; i < FAULT_N; i++)
		if (f->on[i])
			return 1;
	return 0;
}

void
faults_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "Faults (-faults NAME,NAME,... or all; "
	    "DIR/expected/faults.txt says where each went):\n");
	for (i = 0; i < FAULT_N; i++)
		fprintf(fp, "  %-14s %s\n", defs[i].name, defs[i].what);
}

int
faults_whole_ca(enum fault_id k)
{
	return defs[k].kind == FK_CA;
}

int
faults_aspa(enum fault_id k)
{
	return defs[k].kind == FK_ASPA;
}

int
faults_adds(enum fault_id k)
{
	return defs[k].kind == FK_ADD;
}

const char *
faults_name(enum fault_id k)
{
	return defs[k].name;
}


int
faults_ca_dropped(const struct plan *pl, size_t ca)
{
	const struct faults *f = pl->faults;
	size_t		 k;
	int64_t		 x;

	if (f == NULL)
		return 0;
	if (faults_depth(pl, ca) > FAULT_DEPTH_MAX)
		return 1;
	for (x = (int64_t)ca; x >= 0; x = pl->cas[x].parent)
		for (k = 0; k < FAULT_N; k++)
			if (defs[k].drop == DROP_CA && faults_on(f, k, (size_t)x))
				return 1;
	return 0;
}

/* ca-shrink: 1 if a prefix of ROA i of CA ca ends past the shrunk range. */
static int
shrunk_out(const struct plan *pl, size_t ca, size_t i)
{
	const struct rg_roa *r = &pl->roas[pl->cas[ca].roa_off + i];
	const struct rg_prefix *p = &pl->pfx[r->pfx_off];
	uint32_t	 hi = faults_v4(pl->faults->shrink4.hi);
	size_t		 j;

	for (j = 0; j < r->npfx; j++)
		if (p[j].afi == AFI_IPV4 && faults_v4_end(&p[j]) > hi)
			return 1;
	return 0;
}

int
faults_roa_dropped(const struct plan *pl, size_t ca, size_t i)
{
	const struct faults *f = pl->faults;
	size_t		 k;

	for (k = 0; f != NULL && k < FAULT_N; k++) {
		if (!faults_on(f, (enum fault_id)k, ca))
			continue;
		if ((defs[k].drop == DROP_ROA && f->v[k].roa == i) ||
		    (defs[k].drop == DROP_EXTRA && f->v[k].extra == i) ||
		    (defs[k].drop == DROP_SHRUNK && shrunk_out(pl, ca, i)))
			return 1;
	}
	return 0;
}

/* 1 if the object the faults of kind drop added as index i of ca drops. */
static int
added_dropped(const struct plan *pl, enum fault_drop drop, size_t ca,
    size_t i)
{
	const struct faults *f = pl->faults;
	size_t		 k;

	for (k = 0; f != NULL && k < FAULT_N; k++)
		if (defs[k].drop == drop && faults_on(f, k, ca) &&
		    f->v[k].extra == i)
			return 1;
	return 0;
}

int
faults_aspa_dropped(const struct plan *pl, size_t ca, size_t i)
{
	return added_dropped(pl, DROP_ASPA, ca, i);
}

int
faults_router_dropped(const struct plan *pl, size_t ca, size_t i)
{
	return added_dropped(pl, DROP_ROUTER, ca, i);
}

/* VRPs, ASPAs and router keys of CA ca (of its subtree if below). */
static void
ca_count(const struct plan *pl, size_t ca, int below, size_t cnt[3])
{
	const struct rg_ca *c;
	size_t		 i, j;
	int64_t		 x;

	for (i = 0; i < pl->ncas; i++) {
		for (x = (int64_t)i; below && x >= 0 && (size_t)x != ca;
		    x = pl->cas[x].parent)
			;
		if (below ? x < 0 : i != ca)
			continue;
		c = &pl->cas[i];
		for (j = 0; j < c->nroa; j++)
			if (!pl->roas[c->roa_off + j].revoked)
				cnt[0] += pl->roas[c->roa_off + j].npfx;
		cnt[1] += c->naspa;
		cnt[2] += c->nrouter;
	}
}

/* The victim's URI and what the fault changes, counted. */
static void
fault_line(const struct faults *f, const struct plan *pl, enum fault_id k,
    char *uri, char *effect, size_t len)
{
	const struct fault_victim *v = &f->v[k];
	const struct rg_ca *c = &pl->cas[v->ca];
	char		 name[RG_NAME_MAX + 8];
	size_t		 cnt[3] = { 0, 0, 0 }, i;

	name[0] = '\0';
	if (k == FAULT_STALE_CRL || k == FAULT_CRL_BAD_SIG ||
	    k == FAULT_FUTURE_CRL)
		snprintf(name, sizeof(name), "%s.crl", c->name);
	else if (k == FAULT_STALE_MFT || k == FAULT_MFT_BAD_SIG ||
	    k == FAULT_REVOKED_MFT || k == FAULT_FUTURE_MFT)
		snprintf(name, sizeof(name), "%s.mft", c->name);
	else if (k == FAULT_CA_LOOP)
		snprintf(name, sizeof(name), "%s.cer",
		    pl->cas[c->parent].name);
	else if (defs[k].kind == FK_ASPA)
		plan_aspa_name(pl, &pl->aspas[c->aspa_off + v->extra], name);
	else if (k == FAULT_UNKNOWN_TYPE)
		snprintf(name, sizeof(name), "%s.xyz", c->name);
	else if (k == FAULT_ROUTER_OVERCLAIM)
		plan_router_name(pl, &pl->routers[c->router_off + v->extra],
		    name);
	else if (v->extra != FAULT_NO_ROA)
		plan_roa_name(pl, v->ca, v->extra, name);
	else if (v->roa != FAULT_NO_ROA)
		plan_roa_name(pl, v->ca, v->roa, name);
	if (k == FAULT_EXPIRED_CA || k == FAULT_NOTYET_CA ||
	    k == FAULT_OVERCLAIM || k == FAULT_CA_BAD_SIG)
		plan_cert_uri(pl, v->ca, uri);
	else if (k == FAULT_DEEP_CHAIN)
		plan_cert_uri(pl, v->first + v->n - 1, uri);
	else
		plan_file_uri(pl, v->ca, name, uri);
	switch (defs[k].drop) {
	case DROP_CA:
		ca_count(pl, v->ca, 1, cnt);
		snprintf(effect, len, "%s (%s: VRPs -%zu, ASPAs -%zu, router "
		    "keys -%zu)", defs[k].effect, c->name, cnt[0], cnt[1],
		    cnt[2]);
		return;
	case DROP_DEEP:
		for (i = 0; i < v->n; i++)
			if (faults_ca_dropped(pl, v->first + i))
				ca_count(pl, v->first + i, 0, cnt);
		snprintf(effect, len, "%s (VRPs +%zu: the chain's %u less the "
		    "%zu deeper than %d)", defs[k].effect, v->n - cnt[0], v->n,
		    cnt[0], FAULT_DEPTH_MAX);
		return;
	case DROP_NONE:
		snprintf(effect, len, "%s", defs[k].effect);
		return;
	case KEEP_ROA:
		snprintf(effect, len, "%s (the ROA's VRPs kept: %u)",
		    defs[k].effect, pl->roas[c->roa_off + v->roa].npfx);
		return;
	case DROP_ASPA:
	case DROP_ROUTER:
		snprintf(effect, len, "%s (an added %s: the output is "
		    "unchanged)", defs[k].effect, defs[k].drop == DROP_ASPA ?
		    "ASPA" : "router certificate");
		return;
	case DROP_SHRUNK:
		for (i = 0; i < c->nroa; i++)
			if (shrunk_out(pl, v->ca, i)) {
				cnt[0] += pl->roas[c->roa_off + i].npfx;
				cnt[1]++;
			}
		snprintf(effect, len, "%s (%s: VRPs -%zu, ROAs -%zu)",
		    defs[k].effect, c->name, cnt[0], cnt[1]);
		return;
	case DROP_EXTRA:
		snprintf(effect, len, "%s (its %u VRPs)", defs[k].effect,
		    pl->roas[c->roa_off + v->extra].npfx);
		return;
	default:
		if (k == FAULT_ROA_OVERCLAIM) {
			snprintf(effect, len, "%s (VRPs -%u; the uncovered "
			    "prefix sorts after %u of them)", defs[k].effect,
			    pl->roas[c->roa_off + v->roa].npfx,
			    f->over_before);
			return;
		}
		snprintf(effect, len, "%s (VRPs %s%u)", defs[k].effect,
		    defs[k].drop == KEEP_EXTRA ? "+" : "-", pl->roas[c->roa_off +
		    (v->extra != FAULT_NO_ROA ? v->extra : v->roa)].npfx);
		return;
	}
}

int
faults_write(const struct faults *f, const struct plan *pl,
    const char *outdir, struct err *e)
{
	char		 path[PATH_MAX], uri[RG_URI_MAX], effect[512];
	FILE		*fp;
	size_t		 k;

	snprintf(path, sizeof(path), "%s/expected/faults.txt", outdir);
	if ((fp = fopen(path, "w")) == NULL)
		return err_set(e, "%s: cannot create", path);
	fprintf(fp, "# fault\tvictim\texpected effect\tdecided by\n");
	for (k = 0; k < FAULT_N; k++) {
		if (!f->on[k])
			continue;
		fault_line(f, pl, (enum fault_id)k, uri, effect,
		    sizeof(effect));
		fprintf(fp, "%s\t%s\t%s\t%s\n", defs[k].name, uri, effect,
		    defs[k].rfc);
	}
	if (fclose(fp) == EOF)
		return err_set(e, "%s: write failed", path);
	return 0;
}
