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

/* Largest object file "next" copies from the previous tree. */
#define RG_FILE_MAX	(64u * 1024 * 1024)

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
	uint32_t	 ca;		/* its CA */
	uint32_t	 id;		/* file name number, stable */
	uint32_t	 gen;		/* generation it was (re)issued in */
	uint8_t		 revoked;	/* EE on the CRL: published, not valid */
	uint8_t		 removed;	/* planning of "next": withdrawn */
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
	uint32_t	 gen;		/* generation its certificate is of */
	uint32_t	 next_roa;	/* next free ROA id */
	uint32_t	 rev_off, nrev;	/* revoked EE serials, plan.revoked */
	/* RIR-like CAs: room for the CAs "next" adds (RG_SPARE_SLOTS). */
	uint64_t	 spare4, spare6;	/* first /24, /48 (top 64 bits) */
	uint32_t	 spare_as;
	uint32_t	 spare_used;
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
	uint64_t	*revoked;	/* per CA at [rev_off, +nrev) */
	size_t		 nrevoked;
	uint32_t	 gen;		/* this generation, 1 for -o */
	int64_t		*nows;		/* generation g was made at nows[g] */
	const struct faults *faults;	/* -faults (faults.h), or NULL */
	const char	*reuse;		/* "next": the previous rsync tree */
};

/*
 * Serial numbers are unique per issuer across generations and stable for
 * an object that does not change: the generation it was issued in, its
 * kind, and its number among its kind (RFC 5280 section 4.1.2.2).
 */
enum rg_serial_kind {
	RG_SER_CA = 1,		/* a child CA certificate: the child's index */
	RG_SER_ROUTER,		/* a router certificate: its key number */
	RG_SER_ROA,		/* a ROA's EE: the ROA's id */
	RG_SER_ASPA,		/* an ASPA's EE: its customer's index */
	RG_SER_MFT,		/* the manifest's EE */
};

static inline uint64_t
plan_serial(uint32_t gen, enum rg_serial_kind kind, uint32_t id)
{
	return ((uint64_t)gen << 32) | ((uint64_t)kind << 24) |
	    (id & 0xffffff);
}

/* A /24 and a /48 for each CA "next" adds, per RIR-like CA. */
#define RG_SPARE_SLOTS	16

/* Deterministic random streams (splitmix64), shared by the planners. */
struct rng {
	uint64_t	 s;
};

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t z;

	z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

/* plan.c */

/*
 * Build the plan for p.  Returns 0 and fills pl (free with plan_free), or
 * -1 with the reason in e (impossible parameters, address space exhausted,
 * out of memory).
 */
int	plan_build(const struct rg_params *p, struct plan *pl, struct err *e);
void	plan_free(struct plan *pl);

/*
 * The validity windows of objects issued in generation gen (1 ..
 * pl->gen), from pl->nows[gen].
 */
void	plan_times_of(const struct plan *pl, uint32_t gen, struct rg_times *t);

/*
 * Check every CA's depth below its TA (parents come first in the list)
 * and fill pl->child from each CA's nchild, in index order (pl->child
 * has room for ncas entries).  f is -fanout, for the message.  Returns
 * 0, or -1 with the reason in e.
 */
int	plan_children(struct plan *pl, size_t f, struct err *e);

/*
 * Set pl->t to the times of generation pl->gen and every CA's expires
 * (see rg_ca).  plan_build and plan_evolve call it.
 */
void	plan_times(struct plan *pl);

/*
 * Append one zeroed element to the growable array *arrp of *n elements
 * (capacity *cap) of size bytes.  Returns it, or NULL (out of memory).
 */
void	*plan_grow(void *arrp, size_t *n, size_t *cap, size_t size);

/* evolve.c */

/*
 * Turn pl, built by plan_build for generation 1, into generation gen:
 * for each step 2 .. gen, ROAs removed, changed and added, one EE
 * revoked, one CA added under an RIR-like CA (while it has spare room).
 * nows[1 .. gen] are the generations' times; pl keeps a copy.
 * Returns 0, or -1 with the reason in e.
 */
int	plan_evolve(struct plan *pl, uint32_t gen, const int64_t *nows,
	    struct err *e);

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

/* main.c */

#define RG_EXIT_FAIL	1
#define RG_EXIT_USAGE	2

/* RRDP deltas each host's notification keeps. */
#define RRDP_KEEP_DELTAS	8

struct keypool;

/*
 * Write every publication point of pl under out/rsync in njobs threads.
 * Returns 0, or -1 with the first error in e.
 */
int	run_jobs(const struct plan *pl, const struct keypool *kp,
	    const char *out, int njobs, struct err *e);

/*
 * Publish out/rsync/HOST as RRDP in out/rrdp/HOST for every host, host h
 * with the RRDP fault faults[h] (enum rrdp_fault of rrdp.h; 0 for none)
 * if faults is not NULL.  Returns 0, or -1 with e.
 */
int	rrdp_all(const struct plan *pl, const char *out, const int *faults,
	    struct err *e);

/* Write out/repogen.conf: parameters, generation, each one's time. */
int	conf_write(const struct plan *pl, const char *out, struct err *e);

/* next.c */

/* "rpki-repogen next [flags] DIR": argv[0] is "next".  An exit code. */
int	next_main(int argc, char **argv);

/* pubpoint.c */

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

/* Write len bytes to path (created or truncated).  Returns 0 or -1. */
int	fs_write(const char *path, const void *data, size_t len,
	    struct err *e);

/* Set path's modification (and access) time to t.  0, or -1 with e. */
int	fs_set_mtime(const char *path, int64_t t, struct err *e);

/* Remove path and everything under it; a missing path is fine. */
int	fs_remove_tree(const char *path, struct err *e);

#endif
