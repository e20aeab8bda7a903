/*
 * repogen.h - rpki-repogen: a generator of complete RPKI repositories for
 * tests and benchmarks.
 *
 * Generation is two steps.  plan_build() turns the parameters and seed
 * into a plan: the CA tree, every CA's resources, ROAs, ASPAs and router
 * keys, host names and file names - all of the content, deterministic,
 * no cryptography.  Then every CA's publication point is written from the
 * plan (pubpoint_write(), one independent job per CA, run in parallel),
 * and the expected validator output is written from the plan alone
 * (expected_write()).  The RSA keys come from a cached pool (keypool.h),
 * so the same seed and parameters give the same content; with the same
 * pool and -now the output is byte for byte the same (RSA PKCS#1 v1.5
 * signatures are deterministic).
 *
 * One file per object type: cert.c (RFC 6487 certificates: TA, CA, EE,
 * RFC 8209 router), crl.c, cms.c (RFC 6488 signed objects), roa.c
 * (RFC 9582), mft.c (RFC 9286), aspa.c (draft-ietf-sidrops-aspa-profile),
 * tal.c (RFC 8630).
 */
#ifndef REPOGEN_H
#define REPOGEN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "err.h"

/* EE certificates draw their (reused) keys from this many pool slots. */
#define RG_EE_KEYS	16

#define RG_NAME_MAX	32
#define RG_HOST_MAX	64
#define RG_URI_MAX	256

enum rg_kind {
	RG_TA,
	RG_RIR,		/* RIR-like intermediate CA directly under a TA */
	RG_MEMBER,	/* member CA: under an RIR or another member */
};

/* What the command line asks for. */
struct rg_params {
	uint64_t	 seed;
	size_t		 tas;		/* trust anchors */
	size_t		 rirs;		/* RIR-like CAs per TA */
	size_t		 cas;		/* CAs below the TAs (RIRs included) */
	size_t		 roas;		/* ROA objects in all */
	size_t		 hosts;		/* member publication hosts */
	size_t		 fanout;	/* children per CA; 0: all under RIRs */
	int		 aspa_version;	/* 0: draft-08 (rpki-client 8), 1 */
	int64_t		 now;		/* generation time, unix seconds */
};

/* Validity windows, all derived from rg_params.now. */
struct rg_times {
	int64_t		 now;
	int64_t		 ta_nb, ta_na;		/* TA certificate */
	int64_t		 ca_nb, ca_na;		/* CA and router certificates */
	int64_t		 ee_nb, ee_na;		/* ROA and ASPA EE certificates */
	int64_t		 this_update, next_update; /* CRL, manifest, its EE */
};

/*
 * One ROA prefix, or one address range of a certificate.  addr is in
 * network byte order; for IPv4 only the first 4 bytes count.  In a ROA a
 * maxlen equal to plen is written without maxLength (RFC 9582 4.3.2).
 */
struct rg_prefix {
	uint8_t		 addr[16];
	uint8_t		 afi;		/* AFI_IPV4, AFI_IPV6 (vrp.h) */
	uint8_t		 plen;
	uint8_t		 maxlen;
	uint8_t		 nested;	/* planning: inside another prefix */
};

/* An inclusive address range [lo, hi] of one family; empty if !set. */
struct rg_range {
	uint8_t		 lo[16];
	uint8_t		 hi[16];
	int		 set;
};

struct rg_roa {
	uint32_t	 asn;
	uint32_t	 pfx_off;	/* into plan.pfx */
	uint32_t	 npfx;
};

struct rg_aspa {
	uint32_t	 customer;
	uint32_t	 prov_off;	/* into plan.prov, sorted ascending */
	uint32_t	 nprov;
};

struct rg_router {
	uint32_t	 asn;
	uint32_t	 key;		/* EC key derivation index */
};

struct rg_ca {
	char		 name[RG_NAME_MAX];
	enum rg_kind	 kind;
	int32_t		 parent;	/* index into plan.cas, -1 for a TA */
	uint32_t	 ta;		/* index of its trust anchor */
	uint32_t	 host;		/* index into plan.hosts */
	uint32_t	 key;		/* RSA key pool index */
	uint32_t	 child_off, nchild;	/* into plan.child */
	/* Certificate resources: the whole subtree's. */
	struct rg_range	 v4, v6;
	uint32_t	 as_lo, as_hi;	/* as_hi < as_lo: none */
	uint32_t	 own_as, nown_as;	/* own ASNs: [own_as, +nown_as) */
	uint32_t	 roa_off, nroa;
	uint32_t	 aspa_off, naspa;
	uint32_t	 router_off, nrouter;
	int64_t		 expires;	/* earliest notAfter/nextUpdate of
					   the chain down to this CA */
};

struct plan {
	struct rg_params p;
	struct rg_times	 t;
	struct rg_ca	*cas;		/* TAs, then RIRs, then members */
	size_t		 ncas;
	uint32_t	*child;
	struct rg_prefix *pfx;
	size_t		 npfx;
	struct rg_roa	*roas;
	size_t		 nroas;
	struct rg_aspa	*aspas;
	size_t		 naspas;
	uint32_t	*prov;
	size_t		 nprov;
	struct rg_router *routers;
	size_t		 nrouters;
	char		(*hosts)[RG_HOST_MAX];
	size_t		 nhosts;
};

/* plan.c */

/*
 * Build the plan for p.  Returns 0 and fills pl (free with plan_free), or
 * -1 with the reason in e (impossible parameters, address space exhausted,
 * out of memory).
 */
int	plan_build(const struct rg_params *p, struct plan *pl, struct err *e);
void	plan_free(struct plan *pl);

/*
 * URIs and paths of a CA's objects, written into buf of RG_URI_MAX bytes.
 * plan_repo_uri: "rsync://HOST/repo/NAME/" (id-ad-caRepository);
 * plan_cert_uri: where the CA's own certificate is published (a TA's at
 * "rsync://HOST/ta/NAME.cer"); plan_file_uri: repo URI + file;
 * plan_notify_uri: "https://HOST/rrdp/notification.xml".
 */
void	plan_repo_uri(const struct plan *pl, size_t ca, char *buf);
void	plan_cert_uri(const struct plan *pl, size_t ca, char *buf);
void	plan_file_uri(const struct plan *pl, size_t ca, const char *file,
	    char *buf);
void	plan_notify_uri(const struct plan *pl, size_t ca, char *buf);

/* File names inside a CA's publication point. */
void	plan_roa_name(const struct plan *pl, size_t ca, size_t i, char *buf);
void	plan_aspa_name(const struct plan *pl, const struct rg_aspa *a,
	    char *buf);
void	plan_router_name(const struct plan *pl, const struct rg_router *r,
	    char *buf);

/* keypool.c: see keypool.h */

/* Deterministic P-256 key number idx of seed (router keys). */
EVP_PKEY *eckey_derive(uint64_t seed, uint32_t idx, struct err *e);

/* pubpoint.c */

struct keypool;

/*
 * Write everything CA number ca publishes under outdir/rsync: its child
 * CA certificates, router certificates, ROAs, ASPAs, CRL and manifest (and
 * for a TA its self-signed certificate in the "ta" module).  eekeys are
 * the RG_EE_KEYS keys this thread signs EE objects with.  Returns 0, or
 * -1 with the reason in e.
 */
int	pubpoint_write(const struct plan *pl, const struct keypool *kp,
	    EVP_PKEY *const *eekeys, size_t ca, const char *outdir,
	    struct err *e);

/* tal.c */

/*
 * Write outdir/tals/NAME.tal for TA number ta (RFC 8630: https URI,
 * rsync URI, blank line, base64 SubjectPublicKeyInfo).  Returns 0, or -1
 * with the reason in e.
 */
int	tal_write(const struct plan *pl, const struct keypool *kp, size_t ta,
	    const char *outdir, struct err *e);

/* expected.c */

/*
 * Write outdir/expected/: vrps.csv (rpki-client CSV), aspas.json and
 * router-keys.json (rpki-client JSON, "aspas" form) and all.json (all
 * three kinds in one rpki-client JSON file).  Returns 0, or -1 with e.
 */
int	expected_write(const struct plan *pl, const char *outdir,
	    struct err *e);

/* fsutil.c */

/* mkdir -p path.  Returns 0, or -1 with the reason in e. */
int	fs_mkdirs(const char *path, struct err *e);

/* Write len bytes to path (created or truncated).  Returns 0 or -1. */
int	fs_write(const char *path, const void *data, size_t len,
	    struct err *e);

/* Remove path and everything under it; a missing path is fine. */
int	fs_remove_tree(const char *path, struct err *e);

#endif
